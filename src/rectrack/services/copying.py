"""Copying a whole database into an empty one (`rectrack db copy --to`): a local SQLite
file onto a coalition's PostgreSQL server, a server database into a SQLite file, or one
file into another.

Every table is copied as it stands, ids included, so that what refers to what, who
recorded what and the change log stay as they were. The source is read in one snapshot and
the target written in one transaction: a copy that fails leaves the target as it was (a
file it had to make is removed). The target's tables are made first, its triggers (the
change log's, the search index's) after the rows are in, so that copying records no change
of its own; on PostgreSQL the sequences that hand out ids are then set past the copied
ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, inspect, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from rectrack import models
from rectrack.db import WRITE, Database, check_server, database_error, make_engine
from rectrack.domain import plural
from rectrack.errors import Conflict, RectrackError
from rectrack.services.search import index_of
from rectrack.settings import DatabaseLocation

# Who is changing things, on SQLite: a row of the target's own, made with its triggers.
NOT_COPIED = frozenset({"change_actor"})
BATCH = 5000  # rows read and written at a time


@dataclass(frozen=True)
class CopyReport:
    target: str  # the target, as shown (no password)
    counts: dict[str, int]  # table -> rows copied


def copied_tables() -> list[Table]:
    """rectrack's tables in the order they can be filled (what a row refers to first)."""
    return list(SQLModel.metadata.sorted_tables)


def copy_database(source: Database, to: DatabaseLocation) -> CopyReport:
    """Copy every table of `source` into the empty database at `to` (a SQLite file that
    does not exist yet, or is empty; a PostgreSQL database with no tables)."""
    if to.url == source.location.url or (
        to.path is not None
        and source.location.path is not None
        and to.path.resolve() == source.location.path.resolve()
    ):
        raise Conflict(f"{to.describe()} is the database in use: copy it into another one")
    with _target(to) as engine:
        counts = _copy(source.engine, engine, to)
    return CopyReport(to.describe(), counts)


@contextmanager
def _target(to: DatabaseLocation) -> Iterator[Engine]:
    """The target's engine; a SQLite file that does not exist is made (readable by its
    owner only) and removed again if the copy fails."""
    made = False
    if to.path is not None:
        if to.path.is_dir():
            raise Conflict(f"{to.path} is a folder")
        if not to.path.parent.is_dir():
            raise RectrackError(f"cannot write {to.path}: folder {to.path.parent} does not exist")
        try:
            os.close(os.open(to.path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
            made = True
        except FileExistsError:
            pass  # refused below unless it is empty
        except OSError as e:
            raise RectrackError(f"cannot create database {to.path}: {e.strerror}") from None
    engine = make_engine(to.url)
    try:
        yield engine
    except BaseException:
        engine.dispose()
        if made and to.path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                to.path.with_name(to.path.name + suffix).unlink(missing_ok=True)
        raise
    engine.dispose()


def _copy(source: Engine, target: Engine, to: DatabaseLocation) -> dict[str, int]:
    counts: dict[str, int] = {}
    try:
        with target.connect() as probe:
            if probe.dialect.name == "postgresql":
                check_server(probe, to)
            _refuse_non_empty(probe, to)
        # One snapshot of the source: SQLite's read transaction is one; PostgreSQL's, from
        # its first query, at this isolation level.
        reader: Engine = source
        if source.dialect.name == "postgresql":
            reader = source.execution_options(isolation_level="REPEATABLE READ")
        with (
            reader.connect() as src,
            src.begin(),
            target.execution_options(**{WRITE: True}).begin() as dst,
        ):
            if src.dialect.name == "postgresql":
                src.exec_driver_sql("SET TRANSACTION READ ONLY")
            _refuse_non_empty(dst, to)  # again, now that the target is locked
            tables = copied_tables()
            for table in tables:
                table.create(dst)
            for table in tables:
                if table.name not in NOT_COPIED:
                    counts[table.name] = _copy_rows(src, dst, table)
            models.create_search(dst)
            if index_of(dst) == "fts5":
                dst.exec_driver_sql("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")
            models.create_change_log(dst)
            if dst.dialect.name == "postgresql":
                _reset_sequences(dst, tables)
    except DBAPIError as e:
        raise RectrackError(
            f"cannot copy into {to.describe()}: {database_error(e)} (nothing was copied)"
        ) from None
    return counts


def _refuse_non_empty(conn: Connection, to: DatabaseLocation) -> None:
    tables = sorted(inspect(conn).get_table_names())
    if tables:
        shown = ", ".join(tables[:4]) + (", ..." if len(tables) > 4 else "")
        raise Conflict(
            f"{to.describe()} is not empty (it has {plural(len(tables), 'table')}: {shown}): "
            "db copy writes only into an empty database, and left it as it was"
        )


def _copy_rows(src: Connection, dst: Connection, table: Table) -> int:
    done = 0
    result = src.execution_options(yield_per=BATCH).execute(select(table))
    for rows in result.mappings().partitions(BATCH):
        dst.execute(table.insert(), [dict(row) for row in rows])
        done += len(rows)
    return done


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Set each sequence that hands out ids past the highest one copied, so that the next
    row added gets a new id."""
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
            f"coalesce(max({column.name}), 0) + 1, false) FROM {table.name}"
        )
