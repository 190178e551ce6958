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

import helpers  # noqa: E402
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
def db(empty_memory: Engine) -> Iterator[Session]:
    """A session on the test's own in-memory database: rectrack's schema and the bundled
    bodies, nothing else. Commit or not, as the test needs; the database goes at its end."""
    yield from helpers.memory_session(helpers.copy_database(empty_memory))


@pytest.fixture
def sample_db(sample_memory: Engine) -> Iterator[Session]:
    """A session on the test's own in-memory database holding the sample data set (Serbia):
    what `rectrack init --sample` records."""
    yield from helpers.memory_session(helpers.copy_database(sample_memory))


@pytest.fixture
def db_with(memory_template: Callable[[Build], Engine]) -> Iterator[Callable[[Build], Session]]:
    """db_with(build): a session like `db`'s on the test's own copy of a database holding
    what `build(session)` records; build runs once per session (a module's shared data:
    `def register(db_with): return db_with(build_register)`)."""
    sessions: list[Generator[Session, None, None]] = []

    def copy(build: Build) -> Session:
        session = helpers.memory_session(helpers.copy_database(memory_template(build)))
        sessions.append(session)
        return next(session)

    yield copy
    for session in sessions:
        session.close()


os.environ.setdefault("TERM", "dumb")
