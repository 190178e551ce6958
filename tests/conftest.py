"""Every test runs with its own home folder, so it has its own config and database.

The fixtures here are the tests' shared vocabulary; what they hand out lives in helpers.py.

- home: the test's RECTRACK_HOME (autouse); RECTRACK_DB and NO_COLOR unset, COLUMNS=200.
- cli: rectrack in-process (helpers.Cli): cli(*args), cli.ok, cli.json, cli.add, cli.keys,
  cli.refused, cli.state, cli.database. run is the same object, for the older tests.
- terminal: stdin and stdout behave as a terminal (prompts, confirmations, tables).
- empty: an initialised database (bundled bodies, no recommendations); its path.
- sample: the bundled sample data set (Serbia), as `init --sample` loads it; its path.
- recs: CEDAW-2019-10 and TIP-2021-0001 added to an initialised database; their keys.
- sample_export: `sample_export("meeting.xlsx", *options)`, the file `rectrack export` writes
  of the sample data set, made once per session for each name and options; read it only.

Without the command line, for calling rectrack's services directly (each test gets its own
in-memory database, a copy of one made once per session; see helpers.copy_database):
- db: a Session on an in-memory database with the schema and the bundled bodies.
- sample_db: a Session on an in-memory database with the sample data set loaded.
- empty_memory, sample_memory: the session's templates (Engines) those are copied from.
- db_with(build): a session on the test's copy of a database holding what build(session)
  records, made once per session (memory_template) for a module's shared data.
db, sample_db and db_with run each test on SQLite and, when RECTRACK_TEST_PG names a
server, on PostgreSQL (a database of its own, holding what one filled once per session held).

On both engines (see engines.py): engine_name, pg_server, target, on_empty, on_sample; and
pg_database(CONTENT), a database of the server's pool holding what a test starts from.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

pytest.register_assert_rewrite("helpers")

import typer.testing  # noqa: E402

import engines  # noqa: E402
import helpers  # noqa: E402
from engines import ENGINES, Content, PgServer, Target  # noqa: E402
from helpers import Cli  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _command_built_once() -> Iterator[None]:
    """CliRunner.invoke takes rectrack's click command from the cache in helpers."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", helpers.get_command_once)
        yield


def set_environment(patch: pytest.MonkeyPatch, home: Path) -> None:
    patch.setenv("RECTRACK_HOME", str(home))
    patch.delenv("RECTRACK_DB", raising=False)
    patch.delenv("NO_COLOR", raising=False)
    patch.setenv("COLUMNS", "200")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's home folder (RECTRACK_HOME). It does not exist until rectrack, or a fixture
    that puts a database in it, makes it."""
    folder = tmp_path / "home"
    set_environment(monkeypatch, folder)
    return folder


@pytest.fixture
def cli() -> Cli:
    """Invoke rectrack like a user would: see helpers.Cli."""
    return Cli()


@pytest.fixture
def run(cli: Cli) -> Cli:
    """The same object as `cli`, by the name older tests use: `run(*args, input=, env=)`,
    `run.ok(...)` and so on."""
    return cli


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as if stdin and stdout were a terminal (prompts, confirmation, tables)."""
    monkeypatch.setattr("rectrack.cli.root.stdin_is_terminal", lambda: True)
    monkeypatch.setattr("rectrack.render.stdout_is_terminal", lambda: True)


def made_once(factory: pytest.TempPathFactory, *args: str) -> Path:
    """The database file `rectrack ARGS` makes in a new home folder of its own, under the
    environment the `home` fixture gives every test."""
    folder = factory.mktemp("made-once") / "home"
    with pytest.MonkeyPatch.context() as patch:
        set_environment(patch, folder)
        cli = Cli()
        cli.ok(*args)
        return cli.database()


def copy_into_home(made: Path, cli: Cli) -> Path:
    """A copy of a database file where rectrack looks for the test's database."""
    path = cli.database()
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(made, path)
    return path


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `rectrack init --sample` makes (0.6 s a time), made once per session: copy it,
    never change it. Tests of `init --sample` itself run the command."""
    return made_once(tmp_path_factory, "init", "--sample")


@pytest.fixture
def sample(cli: Cli, sample_database: Path) -> Path:
    """The bundled sample data set (Serbia) in the home folder's database: a copy of the
    one `rectrack init --sample` made for the session. Its path."""
    return copy_into_home(sample_database, cli)


@pytest.fixture(scope="session")
def sample_export(
    tmp_path_factory: pytest.TempPathFactory, sample_database: Path
) -> Callable[..., Path]:
    """`sample_export(NAME, *OPTIONS)`: the file `rectrack export NAME OPTIONS` writes of the
    sample data set, made once per session for each name and options (an export takes some
    0.2 s, and many tests only read one). Read it, never change it: `fill_workbook` writes
    its copy beside it, so give that copy a name of the test's own, or export afresh."""
    made: dict[tuple[str, ...], Path] = {}

    def export(name: str, *options: str) -> Path:
        if (name, *options) not in made:
            folder = tmp_path_factory.mktemp("exported")
            with pytest.MonkeyPatch.context() as patch:
                set_environment(patch, folder / "home")
                cli = Cli()
                copy_into_home(sample_database, cli)
                cli.ok("export", folder / name, *options)
            made[(name, *options)] = folder / name
        return made[(name, *options)]

    return export


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `rectrack init` makes, made once per session: copy it, never change it."""
    return made_once(tmp_path_factory, "init")


@pytest.fixture
def empty(cli: Cli, empty_database: Path) -> Path:
    """An initialised database in the home folder, the bundled bodies and no recommendations:
    a copy of the one `rectrack init` made for the session (making one takes some 15 ms).
    Its path. Tests of creating a database run the command instead."""
    return copy_into_home(empty_database, cli)


# The common couple of recommendations, added as a user adds them.
RECS = (
    ("-b", "CEDAW", "-t", "Adopt a law.", "-p", "10", "--date", "2019"),  # CEDAW-2019-10
    ("-b", "TIP", "-t", "Prosecute traffickers.", "--date", "2021"),  # TIP-2021-0001
)


@pytest.fixture
def recs(cli: Cli, empty: Path) -> list[str]:
    """Two recommendations, CEDAW-2019-10 and TIP-2021-0001, in an initialised database:
    their keys."""
    return [cli.add(*args) for args in RECS]


# --- in-memory databases, for the services' own tests --------------------------------------


@pytest.fixture(scope="session")
def empty_memory() -> Iterator[Engine]:
    """An in-memory database as rectrack's migrations make it (schema and bundled bodies),
    made once per session: copy it (helpers.copy_database), never change it."""
    engine = helpers.memory_database()
    yield engine
    engine.dispose()


Build = Callable[[Session], object]


@pytest.fixture(scope="session")
def memory_template(
    empty_memory: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[Build], Engine]]:
    """memory_template(build): an in-memory database holding what `build(session)` records
    in a copy of empty_memory, committed, under the environment the `home` fixture gives
    every test; made once per session for each build function: copy it, never change it.
    Tests take their copy through `db_with`."""
    made: dict[Build, Engine] = {}

    def template(build: Build) -> Engine:
        if build not in made:
            engine = helpers.copy_database(empty_memory)
            with pytest.MonkeyPatch.context() as patch, Session(engine) as session:
                set_environment(patch, tmp_path_factory.mktemp("memory") / "home")
                build(session)
                session.commit()
            made[build] = engine
        return made[build]

    yield template
    for engine in made.values():
        engine.dispose()


@pytest.fixture(scope="session")
def sample_memory(memory_template: Callable[[Build], Engine]) -> Engine:
    """An in-memory database with the sample data set loaded by
    rectrack.services.datasets.load_sample (some 0.2 s), made once per session: copy it,
    never change it."""
    from rectrack.services.datasets import load_sample

    return memory_template(load_sample)


@pytest.fixture
def db(engine_name: str, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session on the test's own in-memory database: rectrack's schema and the bundled
    bodies, nothing else. Commit or not, as the test needs; the database goes at its end.
    (On PostgreSQL: a database of the test's own.)"""
    if engine_name == "postgresql":
        yield from request.getfixturevalue("pg_memory")(None)
        return
    empty_memory = request.getfixturevalue("empty_memory")
    yield from helpers.memory_session(helpers.copy_database(empty_memory))


@pytest.fixture
def sample_db(engine_name: str, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session on the test's own in-memory database holding the sample data set (Serbia):
    what `rectrack init --sample` records."""
    from rectrack.services.datasets import load_sample

    if engine_name == "postgresql":
        yield from request.getfixturevalue("pg_memory")(load_sample)
        return
    sample_memory = request.getfixturevalue("sample_memory")
    yield from helpers.memory_session(helpers.copy_database(sample_memory))


@pytest.fixture
def db_with(
    engine_name: str, request: pytest.FixtureRequest
) -> Iterator[Callable[[Build], Session]]:
    """db_with(build): a session like `db`'s on the test's own copy of a database holding
    what `build(session)` records; build runs once per session (a module's shared data:
    `def register(db_with): return db_with(build_register)`)."""
    sessions: list[Generator[Session, None, None]] = []
    # Asked for now, so that their databases outlive the sessions closed below.
    pg_memory = request.getfixturevalue("pg_memory") if engine_name == "postgresql" else None

    def copy(build: Build) -> Session:
        if pg_memory is not None:
            session = pg_memory(build)
        else:
            memory_template = request.getfixturevalue("memory_template")
            session = helpers.memory_session(helpers.copy_database(memory_template(build)))
        sessions.append(session)
        return next(session)

    yield copy
    for session in sessions:
        session.close()


# --- both engines: SQLite, and PostgreSQL when RECTRACK_TEST_PG names a server -------------


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    """ "sqlite", and "postgresql" (marked `pg`): a test that asks for it runs on each."""
    return str(request.param)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The PostgreSQL server RECTRACK_TEST_PG names (the test is skipped without one)."""
    yield from engines.pg_server_fixture()


def command_content(server: PgServer, factory: pytest.TempPathFactory, *args: str) -> Content:
    """What `rectrack ARGS` makes in a new home folder on an empty PostgreSQL database, as
    made_once makes a file; read once per session."""

    def fill(url: str) -> None:
        with pytest.MonkeyPatch.context() as patch:
            set_environment(patch, factory.mktemp("made-once") / "home")
            patch.setenv("RECTRACK_DB", url)
            Cli().ok(*args)

    return server.content(args, fill, start_empty=True)


def build_content(
    server: PgServer, factory: pytest.TempPathFactory, build: Build | None
) -> Content:
    """What rectrack's migrations and then `build(session)` make, as memory_template makes
    in-memory databases; read once per session."""
    if build is None:
        return server.schema_content()

    def fill(url: str) -> None:
        from rectrack.db import make_engine

        engine = make_engine(url)
        with pytest.MonkeyPatch.context() as patch, Session(engine) as session:
            set_environment(patch, factory.mktemp("memory") / "home")
            build(session)
            session.commit()
        engine.dispose()

    return server.content(build, fill, start_empty=False)


@pytest.fixture
def pg_database(pg_server: PgServer) -> Iterator[Callable[[Content | None], str]]:
    """pg_database(CONTENT): the URL of a database of the server's pool holding CONTENT
    (None: nothing at all), the test's own until it ends."""
    taken: list[str] = []

    def database(content: Content | None) -> str:
        taken.append(pg_server.checkout(content))
        return pg_server.url(taken[-1])

    yield database
    for name in taken:
        pg_server.release(name)


@pytest.fixture
def pg_memory(
    pg_server: PgServer,
    pg_database: Callable[[Content | None], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[Build | None], Generator[Session, None, None]]:
    """pg_memory(build): sessions as `db`, `sample_db` and `db_with` give, on a PostgreSQL
    database of the test's own holding what the migrations and `build` make."""

    def sessions(build: Build | None) -> Generator[Session, None, None]:
        url = pg_database(build_content(pg_server, tmp_path_factory, build))
        yield from engines.server_session(url)

    return sessions


@pytest.fixture
def target(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest) -> Target:
    """The test's database on its engine, not made yet: a file to come (SQLite), an empty
    database (PostgreSQL)."""
    if engine_name == "sqlite":
        path = tmp_path / "target.db"
        return Target("sqlite", f"sqlite:///{path}", path)
    return Target("postgresql", request.getfixturevalue("pg_database")(None))


def _on(args: tuple[str, ...], fixture: str, request: pytest.FixtureRequest) -> Target:
    if request.getfixturevalue("engine_name") == "sqlite":
        path = request.getfixturevalue(fixture)
        return Target("sqlite", f"sqlite:///{path}", path)
    server: PgServer = request.getfixturevalue("pg_server")
    factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
    url = request.getfixturevalue("pg_database")(command_content(server, factory, *args))
    request.getfixturevalue("monkeypatch").setenv("RECTRACK_DB", url)
    request.getfixturevalue("home").mkdir(parents=True, exist_ok=True)  # as `empty` makes it
    return Target("postgresql", url)


@pytest.fixture
def on_empty(engine_name: str, request: pytest.FixtureRequest) -> Target:
    """What `empty` holds, on the test's engine, in use by `cli` (RECTRACK_DB names the
    PostgreSQL database)."""
    return _on(("init",), "empty", request)


@pytest.fixture
def on_sample(engine_name: str, request: pytest.FixtureRequest) -> Target:
    """What `sample` holds, on the test's engine, in use by `cli`."""
    return _on(("init", "--sample"), "sample", request)


os.environ.setdefault("TERM", "dumb")
