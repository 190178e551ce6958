"""db copy --to: a whole database into an empty one, a SQLite file onto a PostgreSQL server
and back, record by record as it was; and db backup of a server database."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from engines import Target
from helpers import Cli
from rectrack.services.copying import NOT_COPIED, copied_tables

KEY = "GRETA-2023-0005"
DATA_SET = """
[[documents]]
body = "UPR"
symbol = "A/HRC/54/15"
title = "Report of the Working Group on the Universal Periodic Review: Serbia"
date = "2023-07"
country = "Serbia"

[[recommendations]]
document = "A/HRC/54/15"
paragraph = "6.101"
text = "  Ensure that victims in Čačak get compensation;\\n\\tпомоћ жртвама \\\\ \\"50%\\"  "
themes = ["compensation"]
recommending = ["Chile", "Spain"]
affected = ["victims of trafficking"]
sdgs = ["5.2", "16.2"]
category = 4
source_id = "upr-6.101"
response = "supported"
"""


def make_rich(cli: Cli, folder: Path) -> None:
    """Add to the sample a row in every table the sample leaves empty: a cluster, its
    suggestions, a link, a withdrawn assessment, an accepted evidence file, a recommendation
    from a public source with the states that made it, text that COPY and JSON must escape,
    a removed recommendation, search documents and a queue."""
    notes = folder / "notes.txt"
    notes.write_text("first notes\n", encoding="utf-8")
    (folder / "upr.toml").write_text(DATA_SET, encoding="utf-8")
    cli.ok("cluster", "suggest")
    cli.ok("cluster", "add", "Victim compensation fund", KEY, "CEDAW-2019-0004")
    cli.ok("link", KEY, "GRETA-2014-0001", "--as", "repeats", "--note", "Third round")
    cli.ok("assess", KEY, "--status", "partial", "--date", "2025-01", "--note", 'Paid "50%"')
    cli.ok("assess", "--withdraw", "S37", "--note", "wrong date: it was in May")
    cli.ok("evidence", "add", "--title", "Court notes", "--kind", "court_decision")
    cli.ok("evidence", "add", "--title", "Hearing", "--kind", "court_decision", "--file", notes)
    notes.write_text("second notes\n", encoding="utf-8")
    cli.ok("evidence", "accept", "E11")
    cli.ok("import", folder / "upr.toml")
    cli.ok("search", "compensation")
    cli.ok("edit", KEY, "--summary", "Čačak: жртве")
    cli.ok("rm", "TIP-2022-0001", "--yes")


@pytest.fixture
def rich(cli: Cli, on_sample: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Target:
    """The sample with a row in every table (see make_rich), in use on the test's engine."""
    monkeypatch.chdir(tmp_path)
    make_rich(cli, tmp_path)
    return on_sample


def records(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every copied table's rows, in the order of their keys, as SQLAlchemy reads them (a
    date and time the same on both engines)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {
                table.name: [
                    tuple(row)
                    for row in conn.execute(select(table).order_by(*table.primary_key.columns))
                ]
                for table in copied_tables()
                if table.name not in NOT_COPIED
            }
    finally:
        engine.dispose()


def assert_same_records(copy: str, original: str) -> None:
    made, kept = records(copy), records(original)
    assert made.keys() == kept.keys()
    for table in kept:
        assert made[table] == kept[table], table
    empty = [table for table, rows in kept.items() if not rows]
    assert empty == [], "make_rich should fill every table"


def test_a_copy_into_a_new_file_holds_every_record_as_it_was(
    cli: Cli, rich: Target, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    out = cli.ok("db", "copy", "--to", copy)
    assert out.startswith(f"copied into {copy}: 39 recommendations, 11 actions, ")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert_same_records(f"sqlite:///{copy}", rich.url)
    # The copy is a database of its own: it works, and its log goes on from the copied one.
    changes = len(cli.json("--db", copy, "log", "-n", "1000"))
    assert cli.ok("--db", copy, "db", "check") == "no problems found\n"
    key = cli.ok("--db", copy, "add", "-b", "CEDAW", "-t", "Added to the copy.").strip()
    assert len(cli.json("--db", copy, "log", "-n", "1000")) == changes + 1
    found = [r["key"] for r in cli.json("--db", copy, "search", "жртве")]
    assert found == [r["key"] for r in cli.json("search", "жртве")]
    assert sorted(found) == [KEY, "UPR-SRB-2023-6.101"]
    assert key not in cli.keys()  # the original is left as it was


@pytest.mark.pg
@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_a_file_onto_a_server_and_back_record_by_record(
    cli: Cli, rich: Target, tmp_path: Path, pg_database: Any
) -> None:
    server = pg_database(None)
    cli.ok("db", "copy", "--to", server)
    assert_same_records(server, rich.url)
    back = tmp_path / "back.db"
    cli.ok("--db", server, "db", "copy", "--to", back)
    assert_same_records(f"sqlite:///{back}", rich.url)

    # The same changes, on the file and on the server, get the same ids: the server's
    # sequences go on after the copied rows. Who made them, on the server, is the role.
    on_server = {"RECTRACK_DB": server}
    for env in (None, on_server):
        cli.ok("assess", "CEDAW-2019-0004", "--status", "partial", env=env)
        cli.ok("cluster", "add", "Victim compensation fund", "GRETA-2023-0004", env=env)
        cli.ok("evidence", "add", "--title", "Minutes", "--kind", "meeting", env=env)
        cli.ok("add", "-b", "CEDAW", "-t", "Added after.", "--date", "2026", env=env)
    ids = (
        "SELECT id, key FROM recommendation ORDER BY id",
        "SELECT id, recommendation_id, status FROM assessment ORDER BY id",
        "SELECT cluster_id, recommendation_id FROM cluster_member ORDER BY 1, 2",
        "SELECT id, title FROM evidence ORDER BY id",
        "SELECT count(*) FROM change_log",
    )
    on = Target("postgresql", server)
    for query in ids:
        assert on.rows(query) == rich.rows(query), query
    role = on.scalar("SELECT current_user")
    assert {row["by"] for row in cli.json("log", "-n", "4", env=on_server)} == {role}
    found = cli.json("search", "compensation", "-n", "50", env=on_server)
    assert found == cli.json("search", "compensation", "-n", "50")


# --- refusals and failures ------------------------------------------------------------------


def test_a_target_that_holds_anything_is_refused_and_left_as_it_was(
    cli: Cli, on_sample: Target, target: Target
) -> None:
    target.execute("CREATE TABLE notes (line TEXT)", "INSERT INTO notes VALUES ('ours')")
    before = target.state()
    result = cli.refused(
        ["db", "copy", "--to", target.url], 1, "is not empty (it has 1 table: notes)"
    )
    assert result.stderr.count("\n") == 1
    assert target.state() == before


def test_a_rectrack_database_is_no_empty_target_either(
    cli: Cli, on_sample: Target, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    cli.ok("--db", other, "init")
    before = other.read_bytes()
    cli.refused(["db", "copy", "--to", other], 1, f"Error: {other} is not empty")
    assert other.read_bytes() == before


def test_the_database_in_use_is_no_target(cli: Cli, on_sample: Target) -> None:
    cli.refused(["db", "copy", "--to", on_sample.url], 1, "is the database in use")


@pytest.mark.parametrize(
    ("to", "said"),
    [
        ("postgresql+psycopg://nobody@127.0.0.1:1/rectrack", "Connection refused"),
        ("postgresql+psycopg://nobody@127.0.0.1:port/rectrack", "invalid literal"),
        ("mysql://nobody@127.0.0.1/rectrack", "rectrack works with SQLite files and PostgreSQL"),
        ("missing-folder/copy.db", "folder"),
    ],
)
def test_a_target_that_cannot_be_reached_is_one_line(
    cli: Cli, sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str, said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli.refused(["db", "copy", "--to", to], 1, said)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == ["home"]


def test_a_missing_driver_says_how_to_install_it(
    cli: Cli, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rectrack.db as db

    real = db.create_engine

    def no_driver(url: str, **kw: Any) -> Any:
        if url.startswith("postgresql"):
            raise ModuleNotFoundError("No module named 'psycopg'")
        return real(url, **kw)

    monkeypatch.setattr(db, "create_engine", no_driver)
    cli.refused(
        ["db", "copy", "--to", "postgresql://ana:s3cret@db.example/coalition"],
        1,
        "Error: cannot use database postgresql://ana:***@db.example/coalition: No module named "
        "'psycopg' (install the driver: pip install 'rectrack[postgresql]')\n",
    )


def test_copy_needs_a_target(cli: Cli, sample: Path) -> None:
    result = cli("db", "copy")
    assert result.exit_code == 2
    assert "--to" in result.stderr


def test_a_copy_that_fails_halfway_leaves_the_target_as_it_was(
    cli: Cli, on_sample: Target, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rectrack.services.copying as copying

    real = copying._copy_rows
    calls = []

    def fail_on_the_fifth_table(src: Any, dst: Any, table: Any) -> int:
        calls.append(table.name)
        if len(calls) == 5:
            raise DBAPIError("INSERT", {}, Exception("value too long for type varchar(20)"))
        return real(src, dst, table)

    monkeypatch.setattr(copying, "_copy_rows", fail_on_the_fifth_table)
    before = None if target.path is not None else target.state()
    result = cli.refused(["db", "copy", "--to", target.url], 1, "value too long")
    assert "(nothing was copied)" in result.stderr
    if target.path is not None:
        assert not target.path.exists()  # the file it had made is gone
    else:
        assert target.state() == before == {}


# --- db backup of a server database ----------------------------------------------------------


def test_a_backup_is_a_whole_database_on_either_engine(
    cli: Cli, on_sample: Target, tmp_path: Path
) -> None:
    copy = tmp_path / "backup.db"
    assert cli.ok("db", "backup", copy).startswith(f"wrote {copy}")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert records(f"sqlite:///{copy}") == records(on_sample.url)
    cli.refused(["db", "backup", copy], 1, "already exists: add --force")
    cli.ok("db", "backup", copy, "--force")
