"""Looking after the database: a consistent backup while it is in use, and a check of
everything that can go wrong with it (`rectrack db backup`, `rectrack db check`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from rectrack import domain
from rectrack.db import Database, backup_sqlite
from rectrack.errors import Conflict, RectrackError
from rectrack.models import Recommendation, table_of
from rectrack.services.copying import copy_database
from rectrack.services.evidence import check_files
from rectrack.services.search import has_index
from rectrack.settings import DatabaseLocation

R = table_of(Recommendation)


def backup(database: Database, target: Path, force: bool = False) -> Path:
    """Copy the database to `target`, consistently even while others write to it: a SQLite
    file by SQLite's backup API, a server database by copying its tables into a new SQLite
    file (services.copying), which `db copy --to` can bring back to a server."""
    source = database.location.path
    if target.is_dir():
        raise Conflict(f"{target} is a folder")
    if source is not None and target.resolve() == source.resolve():
        raise Conflict(f"{target} is the database itself")
    if target.exists() and not force:
        raise Conflict(f"{target} already exists: add --force to overwrite it")
    if not target.parent.is_dir():
        raise RectrackError(f"cannot write {target}: folder {target.parent} does not exist")
    if source is not None:
        backup_sqlite(source, target)
        return target
    from rectrack.io.formats import write_safely

    def copy(temporary: Path) -> None:
        copy_database(database, DatabaseLocation(f"sqlite:///{temporary}", "backup", temporary))

    write_safely(target, copy)
    target.chmod(0o600)
    return target


def check(session: Session) -> list[str]:
    """Every problem found, one a line with its place: the file's integrity and foreign
    keys (SQLite), the full-text index, evidence files gone or changed, recommendations
    left half-loaded, keys that break the key rules."""
    conn = session.connection()
    findings: list[str] = []
    if conn.dialect.name == "sqlite":
        for (message,) in conn.exec_driver_sql("PRAGMA integrity_check"):
            if message != "ok":
                findings.append(f"database file: {message}")
        for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            findings.append(f"{table} row {rowid}: refers to a {parent} that does not exist")
        if has_index(conn):
            try:
                conn.exec_driver_sql(
                    "INSERT INTO search_fts (search_fts) VALUES ('integrity-check')"
                )
            except DBAPIError as e:
                findings.append(f"search index: {e.orig} (`rectrack db check` cannot mend it)")
    _, files = check_files(session)
    for item in files:
        findings.append(f"evidence {item['id']}: file {item['file']} {item['state']}")
    query = select(R.c.id, R.c.key).order_by(R.c.id)
    for rec_id, key in conn.execute(query):
        if key.startswith("~"):
            findings.append(
                f"recommendation {rec_id}: key {key} is a bulk load's provisional key "
                "(the load did not finish)"
            )
        elif not domain.KEY_RE.match(key):
            findings.append(
                f"recommendation {rec_id}: key '{key}' breaks the key rules (letters, digits, "
                "'.', '_' and '-', at most 60 characters)"
            )
    missing = conn.execute(
        text(
            "SELECT count(*) FROM recommendation r WHERE NOT EXISTS "
            "(SELECT 1 FROM body b WHERE b.id = r.body_id)"
        )
    ).scalar_one()
    if missing and conn.dialect.name != "sqlite":
        findings.append(f"recommendations: {missing} refer to a body that does not exist")
    return findings
