"""The README's coalition, set up as it says on a PostgreSQL server: the owner fills the
database, members write under their own roles, the log names them and is theirs to read
only."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from engines import PgServer, Target
from helpers import Cli

pytestmark = pytest.mark.pg
ROOT = Path(__file__).parent.parent
KEY = "GRETA-2023-0005"
NAMES = ("rectrack_owner", "coalition_member", "ana", "marko", "coalition")


def sql_blocks() -> list[str]:
    """The SQL of the README's section on coalitions: creating, granting, revoking."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Sharing a database in a coalition", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)\n```", section, re.S)


def run_sql(url: str, sql: str) -> None:
    """Statements one at a time, each committed, as psql runs them."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            for statement in sql.split(";\n"):
                conn.exec_driver_sql(statement.strip().rstrip(";"))
    finally:
        engine.dispose()


@pytest.fixture
def coalition(pg_server: PgServer) -> Iterator[dict[str, str]]:
    """The README's roles and database, under names of this test run's own (roles belong
    to the whole server); the URL of the database as each role, by its README name."""
    suffix = f"_{os.getpid()}"
    names = {name: f"rectrack_test{suffix}_{name}" for name in NAMES}
    create, grant, revoke = (
        re.sub(r"\b(" + "|".join(NAMES) + r")\b", lambda m: names[m.group(1)], block)
        for block in sql_blocks()
    )
    run_sql(pg_server.url("postgres"), create)
    database = names["coalition"]
    urls = {role: pg_server.url(database, names[role]) for role in NAMES[:4]}
    urls["grant"], urls["revoke"] = grant, revoke
    try:
        yield urls
    finally:
        pg_server.drop(database, wait=True)
        with pg_server.admin.connect() as conn:
            for role in ("ana", "marko", "coalition_member", "rectrack_owner"):
                conn.exec_driver_sql(f"DROP ROLE IF EXISTS {names[role]}")


def test_a_coalition_set_up_as_the_readme_says(
    cli: Cli, sample: Path, coalition: dict[str, str], home: Path
) -> None:
    owner, ana, marko = coalition["rectrack_owner"], coalition["ana"], coalition["marko"]
    run_sql(owner, coalition["grant"])
    cli.ok("db", "copy", "--to", owner)  # the sample, kept so far in a file
    run_sql(owner, coalition["revoke"])

    # Members write under their own roles, whatever config.toml says.
    (home / "config.toml").write_text('[user]\nname = "Someone else"\n', encoding="utf-8")
    as_ana, as_marko = {"RECTRACK_DB": ana}, {"RECTRACK_DB": marko}
    cli.ok("assess", KEY, "--status", "partial", "--note", "Fund announced.", env=as_ana)
    added = cli.ok("add", "-b", "CEDAW", "-t", "Fund shelters.", "--date", "2025", env=as_marko)
    cli.ok("cluster", "add", "Victim compensation fund", KEY, added.strip(), env=as_marko)
    roles = {
        name: Target("postgresql", url).scalar("SELECT current_user")
        for name, url in (("ana", ana), ("marko", marko))
    }
    log = cli.json("log", "--since", "2000", env=as_ana)
    by = {(row["what"], row["key"]): row["by"] for row in reversed(log)}
    assert by[("assessment", KEY)] == roles["ana"]
    assert by[("recommendation", added.strip())] == roles["marko"]
    assert by[("cluster member", KEY)] == roles["marko"]
    assessment = cli.json("history", KEY, env=as_marko)["events"][-1]
    assert (assessment["by"], assessment["detail"]) == (roles["ana"], "Fund announced.")
    assert KEY in [r["key"] for r in cli.json("search", "compensation fund", env=as_marko)]
    assert cli.ok("db", "migrate", env=as_ana).endswith("nothing to migrate\n")

    # The log is for rectrack alone to write: a member can read it, not change it.
    member = Target("postgresql", ana)
    assert member.scalar("SELECT count(*) FROM change_log") > 0
    for sql in ("DELETE FROM change_log", "UPDATE change_log SET actor = 'nobody'"):
        with pytest.raises(DBAPIError, match="permission denied"):
            member.execute(sql)
    with pytest.raises(DBAPIError, match="permission denied"):
        member.execute("INSERT INTO change_log (at, table_name, action) VALUES ('x', 'y', 'z')")
