"""The database: location, migrations, per-connection settings."""

from __future__ import annotations

import os
import sqlite3
import warnings
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from engines import Target
from rectrack.db import MIGRATIONS, SCHEMA_VERSION, make_engine, open_database
from rectrack.settings import database_location


def describe_schema(url: str) -> dict:
    """Tables, columns, keys and indexes as the database reports them; indexes on
    expressions, which SQLAlchemy cannot reflect, by the SQL SQLite keeps for them."""
    engine = create_engine(url)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        return _describe(engine)


def _describe(engine) -> dict:
    insp = inspect(engine)
    with engine.connect() as conn:
        index_sql = sorted(
            (row[0], " ".join(row[1].split()))
            for row in conn.execute(
                text(
                    "SELECT tbl_name, sql FROM sqlite_master "
                    "WHERE type = 'index' AND sql IS NOT NULL"
                )
            )
        )
    out = {"index sql": index_sql}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)
            ],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    (fk.get("options") or {}).get("ondelete"),
                )
                for fk in insp.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)
            ),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        }
    return out


def test_migrated_schema_equals_models(tmp_path: Path) -> None:
    migrated = f"sqlite:///{tmp_path / 'migrated.db'}"
    open_database(database_location(migrated), create=True).engine.dispose()
    from_models = f"sqlite:///{tmp_path / 'models.db'}"
    SQLModel.metadata.create_all(create_engine(from_models))
    assert describe_schema(migrated) == describe_schema(from_models)


def test_migrations_are_recorded_once_in_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for _ in range(2):
        open_database(database_location(url), create=True).engine.dispose()
    with sqlite3.connect(tmp_path / "x.db") as conn:
        rows = conn.execute(
            "SELECT version, name FROM schema_migration ORDER BY version"
        ).fetchall()
    assert rows == [(m.version, m.name) for m in MIGRATIONS]
    assert rows[-1][0] == SCHEMA_VERSION


def test_foreign_keys_are_enforced_on_every_connection(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fk.db'}"
    open_database(database_location(url), create=True).engine.dispose()
    engine = make_engine(url)
    for _ in range(3):  # new connections, not only the first
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with pytest.raises(Exception, match="FOREIGN KEY"), engine.begin() as conn:
        conn.execute(text("INSERT INTO document (body_id, symbol) VALUES (999, 'X')"))


def test_bodies_are_seeded_when_the_database_is_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    open_database(database_location(url), create=True).engine.dispose()
    with sqlite3.connect(tmp_path / "b.db") as conn:
        codes = {row[0] for row in conn.execute("SELECT code FROM body")}
    assert {
        "CEDAW",
        "GRETA",
        "TIP",
        "EU",
        "UPR",
        "CRC",
        "CAT",
        "CCPR",
        "CESCR",
        "CERD",
        "CRPD",
    } <= codes


def test_a_newer_schema_is_refused(tmp_path: Path, run) -> None:
    db = tmp_path / "new.db"
    open_database(database_location(str(db)), create=True).engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO schema_migration (version, name, applied_at) "
            "VALUES (999, 'future', '2030-01-01')"
        )
    result = run("--db", str(db), "list")
    assert result.exit_code == 1
    assert "newer than this rectrack knows" in result.stderr


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path, run) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n" * 100)
    result = run("--db", str(bad), "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot open database")
    assert "Traceback" not in result.output


def test_db_path_default_is_in_the_home_folder(run, home: Path) -> None:
    result = run("db", "path")
    assert result.exit_code == 0
    assert result.stdout.strip() == str(home / "rectrack.db")


def test_db_option_and_variable(run, tmp_path: Path) -> None:
    result = run("db", "path", env={"RECTRACK_DB": str(tmp_path / "env.db")})
    assert result.stdout.strip() == str(tmp_path / "env.db")
    result = run(
        "--db",
        str(tmp_path / "opt.db"),
        "db",
        "path",
        env={"RECTRACK_DB": str(tmp_path / "env.db")},
    )
    assert result.stdout.strip() == str(tmp_path / "opt.db")


def test_db_path_hides_a_password(run) -> None:
    result = run("--db", "postgresql://ngo:s3cret@db.example/rectrack", "db", "path")
    assert result.stdout.strip() == "postgresql://ngo:***@db.example/rectrack"


def test_db_url_in_variable_is_used(run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'viaurl.db'}"
    assert run("init", env={"RECTRACK_DB": url}).exit_code == 0
    result = run("add", "-b", "cedaw", "-t", "Text", env={"RECTRACK_DB": url})
    assert result.exit_code == 0, result.output
    assert run("--db", str(tmp_path / "viaurl.db"), "list").stdout.count("CEDAW-0001") == 1


def test_a_missing_database_file_is_created_only_by_init(run, tmp_path: Path) -> None:
    typo = tmp_path / "coalitoin.db"
    result = run("--db", str(typo), "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no database at {typo} (from --db): create it with `rectrack --db {typo} init`\n"
    )
    assert not typo.exists()
    assert run("--db", str(typo), "init").exit_code == 0
    assert run("--db", str(typo), "list").exit_code == 0


def test_another_programs_database_is_refused_and_left_alone(run, tmp_path: Path) -> None:
    other = tmp_path / "places.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE places (name TEXT)")
    before = other.read_bytes()
    result = run("--db", str(other), "init")
    assert result.exit_code == 1
    assert result.stderr == "Error: this is not a rectrack database: it has other tables (places)\n"
    assert other.read_bytes() == before


def test_a_password_in_a_database_url_is_never_shown(run) -> None:
    result = run("--db", "nosuchdriver://ngo:s3cret@db.example/rectrack", "list")
    assert result.exit_code == 1
    assert "s3cret" not in result.output
    assert "ngo:***@db.example" in result.stderr


def test_config_file_names_the_database(run, home: Path, tmp_path: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text(f'database = "{tmp_path / "cfg.db"}"\n')
    assert run("db", "path").stdout.strip() == str(tmp_path / "cfg.db")


def test_a_broken_config_file_is_a_clear_error(run, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text("database = \n")
    result = run("db", "path")
    assert result.exit_code == 1
    assert "config.toml" in result.stderr


def test_a_database_of_an_older_schema_is_upgraded_in_place(
    tmp_path: Path, monkeypatch, run
) -> None:
    import rectrack.db as db

    path = tmp_path / "old.db"
    monkeypatch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:1])
    open_database(database_location(str(path)), create=True).engine.dispose()
    monkeypatch.undo()
    with sqlite3.connect(path) as conn:
        assert "assessment" not in {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    assert run("--db", str(path), "add", "-b", "cedaw", "-t", "Old text").exit_code == 0
    result = run("--db", str(path), "assess", "CEDAW-0001", "--status", "partial")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migration")]
    assert versions == [m.version for m in MIGRATIONS]
    migrated = describe_schema(f"sqlite:///{path}")
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    SQLModel.metadata.create_all(create_engine(fresh))
    assert migrated == describe_schema(fresh)


def test_a_failing_migration_leaves_no_trace(tmp_path: Path, monkeypatch) -> None:
    import rectrack.db as db

    def broken(conn) -> None:
        raise RuntimeError("boom")

    bad = db.Migration(2, "broken", create_tables=("action",), data=broken)
    monkeypatch.setattr(db, "MIGRATIONS", (db.MIGRATIONS[0], bad))
    path = tmp_path / "m.db"
    with pytest.raises(RuntimeError):
        open_database(database_location(str(path)), create=True)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migration")]
    assert "action" not in tables  # the DDL was rolled back with the step
    assert versions == [1]


def test_keys_differing_only_in_case_are_refused_by_the_database(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    open_database(database_location(str(path)), create=True).engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO recommendation (key, body_id, text, created_at, updated_at) "
            "VALUES ('CEDAW-2019-24b', 1, 'a', '2026-01-01', '2026-01-01')"
        )
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                "INSERT INTO recommendation (key, body_id, text, created_at, updated_at) "
                "VALUES ('cedaw-2019-24B', 1, 'b', '2026-01-01', '2026-01-01')"
            )


def test_a_database_made_before_the_key_index_gets_it(tmp_path: Path, monkeypatch, run) -> None:
    import rectrack.db as db

    path = tmp_path / "v2.db"
    monkeypatch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:2])
    open_database(database_location(str(path)), create=True).engine.dispose()
    monkeypatch.undo()
    with sqlite3.connect(path) as conn:  # as a database of schema 2 was made: no such index
        conn.execute("DROP INDEX ux_recommendation_key_folded")
    assert run("--db", str(path), "add", "-b", "cedaw", "-t", "Text").exit_code == 0
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migration")]
    assert "ux_recommendation_key_folded" in names
    assert versions == [m.version for m in MIGRATIONS]


def test_a_missing_postgresql_driver_says_how_to_install_it(run, monkeypatch) -> None:
    import rectrack.db as db

    def no_driver(url: str, **options: object):
        raise ModuleNotFoundError("No module named 'psycopg'")

    monkeypatch.setattr(db, "create_engine", no_driver)
    result = run("--db", "postgresql://ngo:s3cret@db.example/rectrack", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot use database postgresql://ngo:***@db.example/rectrack: No module named "
        "'psycopg' (install the driver: pip install 'rectrack[postgresql]')\n"
    )


# --- on either engine: SQLite, and PostgreSQL when RECTRACK_TEST_PG names a server ----------


def describe_any(url: str) -> dict:
    """Tables, columns, keys and indexes as the database reports them, and the triggers
    it has; on PostgreSQL, indexes on expressions by the definition it keeps."""
    engine = create_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            described = describe_schema(url)
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
                warnings.filterwarnings("ignore", message="Predicate of partial index")
                described = _describe_tables(engine)
            with engine.connect() as conn:
                described["index sql"] = sorted(
                    conn.exec_driver_sql(
                        "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
                    ).all()
                )
            query = (
                "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND NOT t.tgisinternal"
            )
        with engine.connect() as conn:
            described["triggers"] = sorted(r[0] for r in conn.exec_driver_sql(query))
        return described
    finally:
        engine.dispose()


def _describe_tables(engine) -> dict:
    insp = inspect(engine)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)
            ],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    (fk.get("options") or {}).get("ondelete"),
                )
                for fk in insp.get_foreign_keys(table)
            ),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        }
        for table in sorted(insp.get_table_names())
    }


@pytest.fixture
def another(target: Target, tmp_path: Path, request: pytest.FixtureRequest) -> Target:
    """A second empty database on the test's engine."""
    if target.engine_name == "sqlite":
        path = tmp_path / "another.db"
        return Target("sqlite", f"sqlite:///{path}", path)
    return Target("postgresql", request.getfixturevalue("pg_database")(None))


def test_the_migrations_make_what_the_models_describe_on_either_engine(
    target: Target, another: Target
) -> None:
    open_database(database_location(target.url), create=True).engine.dispose()
    engine = make_engine(another.url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    migrated, modelled = describe_any(target.url), describe_any(another.url)
    assert migrated == modelled
    assert len(migrated["triggers"]) > 30  # the change log's and the search queue's


def test_migrations_are_recorded_once_in_order_on_either_engine(target: Target) -> None:
    for _ in range(2):
        open_database(database_location(target.url), create=True).engine.dispose()
    rows = target.rows("SELECT version, name FROM schema_migration ORDER BY version")
    assert rows == [(m.version, m.name) for m in MIGRATIONS]


def test_a_failing_migration_leaves_no_trace_on_either_engine(
    target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rectrack.db as db

    def broken(conn) -> None:
        raise RuntimeError("boom")

    bad = db.Migration(2, "broken", create_tables=("action",), data=broken)
    monkeypatch.setattr(db, "MIGRATIONS", (db.MIGRATIONS[0], bad))
    with pytest.raises(RuntimeError):
        open_database(database_location(target.url), create=True)
    assert "action" not in target.tables()  # the DDL was rolled back with the step
    assert target.rows("SELECT version FROM schema_migration") == [(1,)]


def test_keys_differing_only_in_case_are_refused_on_either_engine(target: Target) -> None:
    open_database(database_location(target.url), create=True).engine.dispose()
    insert = (
        "INSERT INTO recommendation (key, body_id, text, created_at, updated_at) "
        "VALUES (:key, 1, 'a', '2026-01-01', '2026-01-01')"
    )
    target.execute(insert, key="CEDAW-2019-24b")
    with pytest.raises(IntegrityError):
        target.execute(insert, key="cedaw-2019-24B")


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql+psycopg://nobody@127.0.0.1:1/rectrack", "Is the server running"),
        ("postgresql://nobody@127.0.0.1:port/rectrack", "invalid literal for int()"),
        ("postgres://nobody@127.0.0.1:1/rectrack", "Connection refused"),
        ("oracle://nobody@127.0.0.1/rectrack", "works with SQLite files and PostgreSQL"),
    ],
)
def test_a_server_that_cannot_be_used_is_one_line(run, url: str, said: str) -> None:
    result = run("--db", url, "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert said in result.stderr


@pytest.mark.pg
@pytest.mark.parametrize(
    ("options", "said"),
    [
        ("ENCODING 'SQL_ASCII' LOCALE 'C'", "its encoding is SQL_ASCII"),
        ("ENCODING 'UTF8' LOCALE 'C'", "its LC_CTYPE is C"),
    ],
)
def test_a_server_database_that_cannot_hold_every_script_is_refused(
    run, pg_server, options: str, said: str
) -> None:
    name = f"rectrack_test_{os.getpid()}_{'ascii' if 'SQL_ASCII' in options else 'c'}"
    with pg_server.admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0 {options}')
    try:
        result = run("--db", pg_server.url(name), "init")
        assert result.exit_code == 1
        assert said in result.stderr and "LOCALE 'C.UTF-8'" in result.stderr
        with pg_server.connect(name) as conn:
            assert conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone() == (0,)
    finally:
        pg_server.drop(name, wait=True)
