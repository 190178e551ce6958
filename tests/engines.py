"""Tests on both engines: SQLite always, PostgreSQL when RECTRACK_TEST_PG gives the URL of a
server where the tests may create and drop databases and roles (a superuser of a server
kept for tests), such as `postgresql+psycopg://postgres@127.0.0.1:54329/postgres`.

A test that runs on PostgreSQL is marked `pg` (`-m pg` runs them alone, `-m "not pg"` leaves
them out); without RECTRACK_TEST_PG they are skipped.

Each test gets a database of its own, holding what it starts from (nothing, rectrack's
schema, the sample data set...). Making a database is quick, but dropping one makes the
server write a checkpoint (seconds on a busy disk), so the databases are kept in a pool for
the session and put back into the state the next test needs: the rows of every table are
replaced by the ones it starts from (`Content`, read once per session from a database that
was filled once) and the sequences set where they were. A test that changed the schema
(dropped an index, ran migrations on an empty database) leaves a database that is emptied
whole before it is used again. The pool is dropped when the session ends.

conftest.py hands these out as fixtures:
- engine_name: "sqlite" and "postgresql" (marked `pg`), a parameter: a test, or a fixture,
  that asks for it runs on each. The in-memory fixtures (`db`, `sample_db`, `db_with`) take
  it, so the services' tests run on both.
- pg_server: the server (a PgServer), for a test that needs databases of its own.
- target: a Target, the database of the test on its engine, not made yet (a file path to
  come; an empty PostgreSQL database).
- on_empty, on_sample: a Target holding what `empty` and `sample` hold, in use by `cli`
  (the home folder's file, or RECTRACK_DB naming the PostgreSQL database).
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session

VARIABLE = "RECTRACK_TEST_PG"
ENGINES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.pg))
MISSING = f"needs a PostgreSQL server: set {VARIABLE} to its URL"
# A test of what SQLite alone has (FTS5, PRAGMAs, the file), where the fixtures it uses
# would run it on both engines.
SQLITE_ONLY = pytest.mark.parametrize("engine_name", ["sqlite"])


def server_url() -> str | None:
    return os.environ.get(VARIABLE) or None


# What a database's schema is made of (tables and their columns, indexes, sequences,
# triggers, functions, schemas, rights): two databases with the same fingerprint take the
# same rows.
FINGERPRINT = """
SELECT md5(coalesce(string_agg(x, ';' ORDER BY x), '')) FROM (
  SELECT c.relkind::text || ' ' || c.relname || ' ' || coalesce(c.relacl::text, '') || ' ' ||
    coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod),
                                ',' ORDER BY a.attnum)
              FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS x
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
  UNION ALL
  SELECT 'trigger ' || t.tgname || t.tgenabled::text FROM pg_trigger t WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'constraint ' || conname FROM pg_constraint c JOIN pg_namespace n
    ON n.oid = c.connamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'function ' || p.proname || md5(p.prosrc) || coalesce(p.proacl::text, '')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'schema ' || nspname || coalesce(nspacl::text, '') FROM pg_namespace
  WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
) AS parts
"""


@dataclass(frozen=True)
class Content:
    """What a database holds, to be put into another of the same schema: each table's rows
    (COPY's text) and each sequence's place."""

    fingerprint: str
    tables: tuple[tuple[str, bytes], ...] = ()
    sequences: tuple[tuple[str, int | None], ...] = ()


EMPTY = "empty"  # the kind of database that holds nothing: no tables at all


@dataclass
class Pooled:
    name: str
    busy: bool = False
    fingerprint: str = ""  # as the last test left it


@dataclass
class PgServer:
    """A PostgreSQL server where the tests make databases (named after this process, so
    that several test runs may share it)."""

    url_given: str
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _pool: list[Pooled] = field(default_factory=list)
    _contents: dict[object, Content] = field(default_factory=dict)
    _schema_template: str | None = None
    _empty: str | None = None  # the fingerprint of an empty database

    def __post_init__(self) -> None:
        parsed = make_url(self.url_given)
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        self._url = parsed
        self.admin = create_engine(parsed, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        # Databases are dropped beside the tests (each drop waits for a checkpoint).
        self._dropper = ThreadPoolExecutor(max_workers=1)
        self._dropping: list[Future[None]] = []
        with self.admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    # --- databases of a test's own ----------------------------------------------------------

    def url(self, name: str, user: str | None = None) -> str:
        """The URL of one of the server's databases (as `user`, or the tests' own role),
        password included."""
        url = self._url.set(database=name)
        if user is not None:
            url = url.set(username=user, password=None)
        return url.render_as_string(hide_password=False)

    def conninfo(self, name: str) -> str:
        """The same, as libpq (psycopg) reads it."""
        return self._url.set(drivername="postgresql", database=name).render_as_string(
            hide_password=False
        )

    def create(self, template: str | None = None) -> str:
        """A new database, empty or a copy of `template` (which nobody may be connected to);
        its name. Drop it with `drop`."""
        name = f"rectrack_test_{os.getpid()}_{next(self._numbers)}"
        source = template or "template0"
        encoding = "ENCODING 'UTF8' LOCALE 'C.UTF-8'"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source}" {encoding}')
        return name

    def drop(self, name: str, wait: bool = False) -> None:
        """Drop a database, ending whatever is still connected to it."""

        def drop() -> None:
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        if wait:
            drop()
        else:
            self._dropping.append(self._dropper.submit(drop))

    # --- the pool -----------------------------------------------------------------------------

    def connect(self, name: str) -> Any:
        """A psycopg connection to one of the server's databases, in autocommit."""
        import psycopg

        return psycopg.connect(self.conninfo(name), autocommit=True)

    def _fingerprint(self, name: str) -> str:
        with self.connect(name) as conn:
            row = conn.execute(FINGERPRINT).fetchone()
            assert row is not None
            return str(row[0])

    def _empty_fingerprint(self) -> str:
        if self._empty is None:
            name = self.create()
            self._empty = self._fingerprint(name)
            self._pool.append(Pooled(name, fingerprint=self._empty))
        return self._empty

    def _schema_database(self) -> str:
        """A database made by rectrack's migrations, kept as the template that new pooled
        databases of that schema are copied from."""
        if self._schema_template is None:
            from rectrack.db import make_engine, migrate

            name = self.create()
            engine = make_engine(self.url(name))
            try:
                migrate(engine)
            finally:
                engine.dispose()
            self._schema_template = name
        return self._schema_template

    def schema_content(self) -> Content:
        """What rectrack's migrations make: the schema and the bundled bodies."""
        if "schema" not in self._contents:
            self._contents["schema"] = self._read(self._schema_database())
        return self._contents["schema"]

    def checkout(self, content: Content | None) -> str:
        """A database of the pool holding `content` (None: nothing, not even tables), the
        test's alone until `release`; its name."""
        wanted = content.fingerprint if content is not None else self._empty_fingerprint()
        free = [p for p in self._pool if not p.busy]
        chosen = next((p for p in free if p.fingerprint == wanted), None)
        if chosen is None and free:
            # A test changed the schema: empty the database out, or mend what tests take
            # away (search without its index), or, failing that, make another.
            chosen = free[0]
            if content is None:
                self._empty_out(chosen.name)
            elif not self._mend(chosen.name, wanted):
                self._pool.remove(chosen)
                self.drop(chosen.name)
                chosen = None
        if chosen is None:
            source = self._schema_database() if content is not None else None
            chosen = Pooled(self.create(source))
            self._pool.append(chosen)
        chosen.busy = True
        if content is not None:
            self._restore(chosen.name, content)
        return chosen.name

    def release(self, name: str) -> None:
        for pooled in self._pool:
            if pooled.name == name:
                pooled.busy = False
                pooled.fingerprint = self._fingerprint(name)

    def _mend(self, name: str, wanted: str) -> bool:
        """Put back the full-text index a test of search without it took away; whether the
        schema is then the one wanted."""
        from rectrack.models import SEARCH_GIN

        with self.connect(name) as conn:
            self._end_sessions(conn, name)
            if conn.execute("SELECT to_regclass('search_document') IS NOT NULL").fetchone()[0]:
                conn.execute(SEARCH_GIN)
        return self._fingerprint(name) == wanted

    def content(self, key: object, fill: Callable[[str], None], start_empty: bool) -> Content:
        """What `fill(url)` puts in a database (empty, or as the migrations make it), read
        once per session for each key."""
        if key not in self._contents:
            name = self.checkout(None if start_empty else self.schema_content())
            try:
                fill(self.url(name))
                made = self._read(name)
            finally:
                self.release(name)
            # Rows are put into databases of rectrack's schema: a fill may not change it.
            assert made.fingerprint == self.schema_content().fingerprint, key
            self._contents[key] = made
        return self._contents[key]

    def _read(self, name: str) -> Content:
        with self.connect(name) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            rows = []
            for table in tables:
                with conn.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                if data:
                    rows.append((table, data))
            sequences = conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
            fingerprint = conn.execute(FINGERPRINT).fetchone()
        assert fingerprint is not None
        return Content(str(fingerprint[0]), tuple(rows), tuple((s, v) for s, v in sequences))

    def _end_sessions(self, conn: Any, name: str) -> None:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )

    def _restore(self, name: str, content: Content) -> None:
        """Put `content` in a database of its schema: its rows in place of the ones there
        (no trigger runs: the change log and the search queue are part of the content)."""
        with self.connect(name) as conn:
            self._end_sessions(conn, name)
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                tables = conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
                conn.execute("".join(f'DELETE FROM "{t}";' for (t,) in tables))
                cursor = conn.cursor()
                for table, data in content.tables:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(data)
                for sequence, value in content.sequences:
                    if value is None:
                        conn.execute("SELECT setval(%s, 1, false)", (sequence,))
                    else:
                        conn.execute("SELECT setval(%s, %s, true)", (sequence, value))

    def _empty_out(self, name: str) -> None:
        """Take everything out of a database: schemas, tables, functions."""
        with self.connect(name) as conn:
            self._end_sessions(conn, name)
            schemas = conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                "AND nspname NOT IN ('information_schema', 'public')"
            ).fetchall()
            with conn.transaction():
                for (schema,) in schemas:
                    conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
                conn.execute(
                    "DROP SCHEMA public CASCADE; CREATE SCHEMA public AUTHORIZATION "
                    "pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC"
                )

    def close(self) -> None:
        names = [p.name for p in self._pool]
        if self._schema_template is not None:
            names.append(self._schema_template)
        for name in names:
            self.drop(name)
        for future in self._dropping:
            future.result()
        self._dropper.shutdown()
        self.admin.dispose()


@dataclass
class Target:
    """A database a test works on, on either engine; read and written here with SQL of its
    own, as another program would, outside rectrack."""

    engine_name: str
    url: str
    path: Path | None = None  # the file, for SQLite

    def _engine(self) -> Engine:
        return create_engine(self.url, poolclass=NullPool)

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        engine = self._engine()
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(text(sql), params)]
        finally:
            engine.dispose()

    def scalar(self, sql: str, **params: Any) -> Any:
        (row,) = self.rows(sql, **params)
        return row[0]

    def execute(self, *statements: str, **params: Any) -> None:
        """Run statements in one transaction, committed (foreign keys as the engine has
        them: off for a plain SQLite connection)."""
        engine = self._engine()
        try:
            with engine.begin() as conn:
                for sql in statements:
                    conn.execute(text(sql), params)
        finally:
            engine.dispose()

    def tables(self) -> set[str]:
        engine = self._engine()
        try:
            return set(inspect(engine).get_table_names())
        finally:
            engine.dispose()

    def state(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows, sorted: what `unchanged` compares."""
        engine = self._engine()
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
                names = sorted(inspect(engine).get_table_names())
            with engine.connect() as conn:
                return {
                    name: sorted(
                        (tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{name}"')),
                        key=repr,
                    )
                    for name in names
                }
        finally:
            engine.dispose()


# --- fixtures (conftest.py hands them out) --------------------------------------------------


def pg_server_fixture() -> Iterator[PgServer]:
    url = server_url()
    if url is None:
        pytest.skip(MISSING)
    server = PgServer(url)
    yield server
    server.close()


def server_session(url: str) -> Iterator[Session]:
    """A session on a server database as rectrack opens one (rectrack.db.open_database and
    Database.session): who records is the role rectrack logs in as. Closed, and the role
    forgotten, when the test ends."""
    from rectrack.db import Database, make_engine
    from rectrack.settings import DatabaseLocation, set_server_role

    engine = make_engine(url)
    with engine.connect() as conn:
        set_server_role(conn.exec_driver_sql("SELECT session_user").scalar())
    session = Database(DatabaseLocation(url, "tests", None), engine).session()
    try:
        yield session
    finally:
        session.close()
        engine.dispose()
        set_server_role(None)
