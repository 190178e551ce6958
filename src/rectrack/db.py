"""Engine, per-connection settings, sessions and migrations.

Migrations are ordered steps recorded in the `schema_migration` table and applied, each in
its own transaction, when a database is opened. Their DDL is generated from the tables in
`rectrack.models`, so the schema is written in one place: a step names the tables it
creates or the columns it adds, never restates them. A fresh database therefore runs every
step against the current models, which is why column steps skip a column that already exists.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.schema import CreateIndex
from sqlalchemy.sql import Executable
from sqlmodel import Session, SQLModel

from rectrack import domain, models, resources
from rectrack.errors import RectrackError
from rectrack.settings import DatabaseLocation, hide_password


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    create_tables: tuple[str, ...] = ()
    add_columns: tuple[tuple[str, str], ...] = ()  # (table, column)
    create_indexes: tuple[str, ...] = ()  # named indexes of the models
    widen: tuple[tuple[str, str], ...] = ()  # (table, column) whose length the model grew
    data: Callable[[Connection], object] | None = field(default=None)


def seed_bodies(conn: Connection) -> int:
    """Add the bundled bodies (`rectrack/data/bodies.toml`) that this database lacks; return
    how many were added. Run by the first migration and by `rectrack init`."""
    table = models.table_of(models.Body)
    known = {code.upper() for code in conn.execute(select(table.c.code)).scalars()}
    new = []
    for entry in resources.bundled_bodies():
        code = domain.normalize_body_code(entry["code"])
        if code not in known:
            new.append({"code": code, "name": entry["name"], "kind": entry["kind"]})
            known.add(code)
    if new:
        conn.execute(table.insert(), new)
    return len(new)


def fold_texts(conn: Connection) -> None:
    """Fill the folded copy of every recommendation's text (migration 5)."""
    table = models.table_of(models.Recommendation)
    rows = conn.execute(select(table.c.id, table.c.text).where(table.c.text_folded.is_(None)))
    folded = [{"rid": rid, "folded": domain.fold(text)} for rid, text in rows]
    if folded:
        from sqlalchemy import bindparam, update

        statement = (
            update(table)
            .where(table.c.id == bindparam("rid"))
            .values(text_folded=bindparam("folded"))
        )
        conn.execute(statement, folded)


def set_up_search(conn: Connection) -> None:
    """The triggers that keep search documents in step with the tables they are made of,
    the full-text index where SQLite has one, and every recommendation queued to be
    indexed (migration 6)."""
    models.create_search(conn)
    conn.exec_driver_sql("INSERT INTO search_queue (rec_id) SELECT id FROM recommendation")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "recommendation register",
        create_tables=(
            "body",
            "document",
            "recommendation",
            "theme",
            "institution",
            "recommendation_theme",
            "recommendation_institution",
        ),
        data=seed_bodies,
    ),
    Migration(
        2,
        "implementation tracking",
        create_tables=(
            "action",
            "action_recommendation",
            "evidence",
            "evidence_recommendation",
            "evidence_action",
            "assessment",
            "assessment_evidence",
        ),
    ),
    Migration(
        3,
        "keys unique without regard to case",
        create_indexes=("ux_recommendation_key_folded",),
    ),
    Migration(
        4,
        "withdrawn assessments and accepted evidence files",
        create_tables=("assessment_withdrawal", "evidence_acceptance"),
    ),
    Migration(
        5,
        "what public sources hold: recommending states, affected persons, SDG targets, "
        "action categories, the source of each recommendation, folded text",
        create_tables=(
            "affected_group",
            "recommendation_affected",
            "sdg_target",
            "recommendation_sdg",
            "recommending_state",
            "recommendation_recommending",
        ),
        add_columns=(
            ("recommendation", "source_id"),
            ("recommendation", "source_file"),
            ("recommendation", "source_row"),
            ("recommendation", "category"),
            ("recommendation", "text_folded"),
        ),
        create_indexes=("ix_recommendation_source_id", "ix_recommendation_document_text"),
        widen=(("recommendation", "response"),),
        data=fold_texts,
    ),
    Migration(
        6,
        "recurring demands (clusters), links between recommendations, search",
        create_tables=(
            "cluster",
            "cluster_member",
            "cluster_suggestion",
            "recommendation_link",
            "search_document",
            "search_queue",
        ),
        data=set_up_search,
    ),
    Migration(
        7,
        "the change log; recommendations removed but kept (rm, restore)",
        create_tables=("change_log", "change_actor"),
        add_columns=(("recommendation", "deleted_at"), ("recommendation", "deleted_by")),
        create_indexes=("ix_recommendation_deleted_at",),
        data=models.create_change_log,
    ),
    Migration(
        8,
        "the latest assessment of each recommendation found from an index alone",
        create_indexes=("ix_assessment_latest",),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def _sqlite_lower(value: str | None) -> str | None:
    # SQLite's own lower() folds ASCII only; people write "Žigmanov" and "ŽENE".
    return value.lower() if isinstance(value, str) else value


# A write transaction takes the database's write lock as it begins (SQLite: BEGIN
# IMMEDIATE; PostgreSQL: a transaction-level advisory lock), so that writers queue up
# instead of failing halfway when a read turns into a write. How long a writer waits for
# the lock, and how many times it asks again after that.
BUSY_TIMEOUT_MS = 30_000
BEGIN_ATTEMPTS = 5
WRITE = "rectrack_write"  # the execution option that marks a write transaction
ACTOR = "rectrack_actor"  # and names who makes its changes (for the change log)
PG_WRITE_LOCK = 7_320_514  # the advisory lock's number, the same for every rectrack


def _begin_immediate(dbapi_conn: Any) -> None:
    """BEGIN IMMEDIATE, asked again (after SQLite's own busy wait) while another process
    holds the write lock: nothing has happened yet, so asking again is retrying the
    whole transaction."""
    for attempt in range(1, BEGIN_ATTEMPTS + 1):
        try:
            dbapi_conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e) or attempt == BEGIN_ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)


def database_error(error: BaseException) -> str:
    """What the database driver said, on one line (PostgreSQL's messages run over several,
    with a hint on the next: "Is the server running on that host...?")."""
    detail = getattr(error, "orig", None) or error
    return " ".join(str(detail).split())


# The schemes rectrack reads as a PostgreSQL server: with no driver named, psycopg (3), the
# one `pip install 'rectrack[postgresql]'` installs.
_PG_SCHEMES = ("postgresql://", "postgres://")


def make_engine(url: str) -> Engine:
    shown = hide_password(url)
    for scheme in _PG_SCHEMES:
        if url.startswith(scheme):
            url = "postgresql+psycopg://" + url.removeprefix(scheme)
    if not url.startswith(("sqlite", "postgresql")):
        scheme = url.split(":", 1)[0]
        raise RectrackError(
            f"cannot use database {shown}: rectrack works with SQLite files and PostgreSQL "
            f"servers (postgresql+psycopg://USER@HOST/DATABASE), not {scheme}"
        )
    # Text travels as UTF-8, whatever the server's encoding (one that is not is refused
    # with a message by check_server, which needs a connection that reads it first).
    options = {"connect_args": {"client_encoding": "utf8"}} if url.startswith("postgres") else {}
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as e:
        hint = ""
        if isinstance(e, ImportError) and url.startswith("postgresql"):
            hint = " (install the driver: pip install 'rectrack[postgresql]')"
        detail = " ".join(str(e).replace(url, shown).split())
        raise RectrackError(f"cannot use database {shown}: {detail}{hint}") from None
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            # Let SQLAlchemy's BEGIN, not the driver, start transactions, so that DDL is
            # transactional too; and enforce foreign keys, which SQLite does per connection.
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA foreign_keys = ON")
            dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            dbapi_conn.create_function("lower", 1, _sqlite_lower, deterministic=True)

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            options = conn.get_execution_options()
            if options.get(WRITE):
                dbapi_conn = conn.connection.dbapi_connection
                assert dbapi_conn is not None
                _begin_immediate(dbapi_conn)
                if options.get(ACTOR):
                    try:
                        dbapi_conn.execute(
                            "UPDATE change_actor SET name = ? WHERE id = 1", (options[ACTOR],)
                        )
                    except sqlite3.OperationalError:
                        pass  # a database of before the change log (being upgraded)
            else:
                conn.exec_driver_sql("BEGIN")

    elif engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _on_pg_connect(dbapi_conn: Any, _record: object) -> None:
            # Timestamps are UTC on every engine, whatever the server's own time zone.
            autocommit = dbapi_conn.autocommit
            dbapi_conn.autocommit = True
            dbapi_conn.execute("SET TIME ZONE 'UTC'")
            dbapi_conn.autocommit = autocommit

        @event.listens_for(engine, "begin")
        def _on_pg_begin(conn: Connection) -> None:
            if conn.get_execution_options().get(WRITE):
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")

    return engine


def applied_versions(conn: Connection) -> set[int]:
    table = models.table_of(models.SchemaMigration)
    return set(conn.execute(select(table.c.version)).scalars())


def pending(engine: Engine) -> tuple[int, list[Migration], bool]:
    """(schema version, the migrations it lacks, whether it holds recommendations). Refuses
    a database of another program, or of a newer rectrack, untouched."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if tables and "schema_migration" not in tables:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise RectrackError(f"this is not a rectrack database: it has other tables ({shown})")
        done = applied_versions(conn) if tables else set()
        has_data = "recommendation" in tables and bool(
            conn.exec_driver_sql("SELECT 1 FROM recommendation LIMIT 1").first()
        )
    newer = sorted(done - {m.version for m in MIGRATIONS})
    if newer:
        raise RectrackError(
            f"this database has schema version {max(newer)}, newer than this rectrack "
            f"knows ({SCHEMA_VERSION}): upgrade rectrack"
        )
    return max(done, default=0), [m for m in MIGRATIONS if m.version not in done], has_data


def backup_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file, even while it is in use (SQLite's backup API),
    written under a temporary name and renamed: never half a copy at `target`."""
    from rectrack.io.formats import write_safely

    def copy(temporary: Path) -> None:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(temporary)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()

    write_safely(target, copy)
    target.chmod(0o600)


def backup_before_upgrade(path: Path, version: int) -> Path:
    """The copy written beside a database that holds data before a migration changes it:
    `rectrack.db` -> `rectrack.before-schema-7.20261129-195001.db`."""
    stamp = models.utcnow().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-schema-{version}.{stamp}{path.suffix}")
    backup_sqlite(path, target)
    return target


def migrate(engine: Engine, path: Path | None = None) -> tuple[list[Migration], Path | None]:
    """Apply the migrations this database lacks, in order, each in one transaction (which
    also creates the table that records them, so that a failed first step leaves nothing).
    A SQLite file (`path`) that holds data is first copied beside itself; returns the
    migrations applied and that copy."""
    before, missing, has_data = pending(engine)
    copy = None
    if missing and has_data and path is not None:
        copy = backup_before_upgrade(path, missing[-1].version)
    done = {m.version for m in MIGRATIONS} - {m.version for m in missing}
    applied = []
    writer = engine.execution_options(**{WRITE: True})
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        with writer.begin() as conn:
            models.table_of(models.SchemaMigration).create(conn, checkfirst=True)
            if migration.version in applied_versions(conn):
                continue  # another process applied it while this one waited for the lock
            _apply(conn, migration)
            conn.execute(
                models.table_of(models.SchemaMigration)
                .insert()
                .values(version=migration.version, name=migration.name, applied_at=models.utcnow())
            )
        applied.append(migration)
    if before == 0:
        return [], None  # a new database: made, not upgraded
    return applied, copy


def _apply(conn: Connection, migration: Migration) -> None:
    tables = SQLModel.metadata.tables
    for name in migration.create_tables:
        tables[name].create(conn)
    for table_name, column_name in migration.add_columns:
        existing = {c["name"] for c in inspect(conn).get_columns(table_name)}
        if column_name in existing:
            continue
        column = tables[table_name].c[column_name]
        ddl = column.type.compile(dialect=conn.dialect)
        null = "" if column.nullable else " NOT NULL"
        conn.exec_driver_sql(f"ALTER TABLE {table_name} ADD COLUMN {column_name} {ddl}{null}")
    indexes = {str(i.name): i for t in tables.values() for i in t.indexes}
    for name in migration.create_indexes:
        # IF NOT EXISTS: a fresh table has it already (reflection cannot see indexes on
        # expressions, so SQLAlchemy's checkfirst would not know).
        conn.execute(CreateIndex(indexes[name], if_not_exists=True))
    for table_name, column_name in migration.widen:
        # SQLite does not enforce lengths; a server database takes the model's new one.
        if conn.dialect.name != "sqlite":
            ddl = tables[table_name].c[column_name].type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {table_name} ALTER COLUMN {column_name} TYPE {ddl}")
    if migration.data is not None:
        migration.data(conn)


def set_journal(engine: Engine, wal: bool) -> None:
    """Write-ahead logging for a rectrack SQLite file (set on the file, once it is known to
    be rectrack's): readers no longer wait for a writer, nor a writer for readers. A file
    on a network share cannot use it: `[sqlite] wal = false` in config.toml."""
    mode = "wal" if wal else "delete"
    raw = engine.raw_connection()  # outside any transaction, where the mode can change
    try:
        driver = raw.driver_connection
        assert driver is not None
        (current,) = driver.execute("PRAGMA journal_mode").fetchone()
        if current != mode:
            try:
                driver.execute(f"PRAGMA journal_mode = {mode.upper()}")
            except sqlite3.OperationalError:
                pass  # a read-only file keeps the mode it has
    finally:
        raw.close()


@dataclass
class Database:
    location: DatabaseLocation
    engine: Engine
    upgraded: list[int] = field(default_factory=list)  # schema versions applied on opening
    upgrade_copy: Path | None = None  # the copy made before them

    def session(self, write: bool = True) -> Session:
        """A session whose transactions take the write lock as they begin and name who
        makes their changes (`write`), or only read."""
        from rectrack.settings import current_user

        bind = self.engine
        if write:
            bind = self.engine.execution_options(**{WRITE: True, ACTOR: current_user()})
        return Session(bind, expire_on_commit=False)

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return max(applied_versions(conn), default=0)


def open_database(
    location: DatabaseLocation, create: bool = False, upgrade: bool = True
) -> Database:
    """Open the database and bring its schema up to date (unless not `upgrade`: `db
    migrate` shows what it lacks first). A SQLite file that does not exist is created,
    readable by its owner only, when `create` is true (`rectrack init`) or when it is the
    default one in the home folder; elsewhere a missing file is more likely a typo than a
    wish, as is an empty one."""
    path = location.path
    if path is not None and path.is_file() and path.stat().st_size == 0 and not create:
        raise RectrackError(
            f"{path} is empty (0 bytes), not a rectrack database: "
            f"`rectrack --db {path} init` makes it one"
        )
    if location.path is not None and not location.path.exists():
        folder = location.path.parent
        if not (create or location.origin == "default"):
            command = (
                "rectrack init"
                if location.origin != "--db"
                else f"rectrack --db {location.path} init"
            )
            raise RectrackError(
                f"no database at {location.path} (from {location.origin}): "
                f"create it with `{command}`"
            )
        if not folder.is_dir():
            if location.origin != "default":
                raise RectrackError(
                    f"cannot create database {location.path}: folder {folder} does not exist"
                )
            folder.mkdir(parents=True, exist_ok=True)
        try:  # the record of an NGO's work is for its owner's eyes: -rw-------
            os.close(os.open(location.path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
        except FileExistsError:
            pass  # another process made it a moment ago
        except OSError as e:
            raise RectrackError(f"cannot create database {location.path}: {e.strerror}") from None
    from rectrack.settings import set_server_role, sqlite_wal

    engine = make_engine(location.url)
    try:
        role = None
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                check_server(conn, location)
                role = conn.exec_driver_sql("SELECT session_user").scalar()
        # Who records: the role on a server (a member cannot record in another's name).
        set_server_role(role)
        applied, copy = migrate(engine, location.path) if upgrade else ([], None)
        if location.path is not None:
            set_journal(engine, sqlite_wal())
    except Exception as e:
        if type(e).__module__.startswith("sqlalchemy"):
            engine.dispose()
            raise RectrackError(
                f"cannot open database {location.describe()}: {database_error(e)}"
            ) from None
        engine.dispose()
        raise
    return Database(location, engine, [m.version for m in applied], copy)


def check_server(conn: Connection, location: DatabaseLocation) -> None:
    """Refuse a PostgreSQL database that cannot keep what rectrack keeps as it keeps it:
    text in every script (UTF-8), and compared without regard to case in every script, as
    on SQLite (lower() folds only ASCII letters where the database's LC_CTYPE is C)."""
    encoding = conn.exec_driver_sql("SHOW server_encoding").scalar()
    folds = conn.exec_driver_sql("SELECT lower('ŽЉ') = 'žљ'").scalar() if encoding == "UTF8" else 0
    if encoding != "UTF8" or not folds:
        why = f"its encoding is {encoding}" if encoding != "UTF8" else "its LC_CTYPE is C"
        raise RectrackError(
            f"database {location.describe()} cannot hold text in every script as rectrack "
            f"needs ({why}): create one with ENCODING 'UTF8' LOCALE 'C.UTF-8' TEMPLATE "
            "template0 (README: Sharing a database in a coalition)"
        )


def database_folder(session: Session) -> Path | None:
    """The folder of the SQLite file in use (None for another database, or one in memory):
    evidence files inside it are kept by a path relative to it."""
    url = session.get_bind().engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve().parent


def fetch(session: Session, statement: Executable) -> list[dict[str, Any]]:
    """The rows of a SELECT as dicts by column label, through the session's connection:
    for bulk reads, without the ORM's per-row work (nor SQLAlchemy's for each row)."""
    result = session.connection().execute(statement)
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.fetchall()]


@contextmanager
def session_scope(database: Database, commit: bool = True, write: bool = True) -> Iterator[Session]:
    """A session whose work is committed when the block ends (rolled back instead on error,
    or when `commit` is false: a dry run); `write=False` for one that only reads."""
    session = database.session(write)
    try:
        yield session
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
