"""What the tests share: running rectrack in-process, reading its database directly, and
in-memory databases for calling the services without the command line.

conftest.py hands these out as fixtures (`cli`, and `run` for the same object; `db`,
`sample_db` and `db_with` for sessions on in-memory databases); import the plain functions
(`from helpers import keys_of`, `rec_filter`) where a test needs one. `pythonpath` in
pyproject.toml makes this module importable under any `--import-mode`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine
from sqlalchemy.pool import SingletonThreadPool
from sqlmodel import Session
from typer.main import get_command
from typer.testing import CliRunner, Result

from rectrack import i18n
from rectrack.cli import app
from rectrack.db import Database, make_engine, migrate
from rectrack.settings import DatabaseLocation, database_location
from rectrack.shapes import RecFilter

# --- running rectrack -----------------------------------------------------------------------


@functools.cache
def rectrack_command() -> Any:
    """rectrack's click command, built once. typer.testing.CliRunner.invoke rebuilds it from
    the Typer app on every call (about 20 ms, more than most commands take to run)."""
    return get_command(app)


def get_command_once(typer_app: Any) -> Any:
    """A stand-in for typer.testing's `_get_command` that reuses rectrack's command."""
    return rectrack_command() if typer_app is app else get_command(typer_app)


Env = Mapping[str, str | None] | None


class Cli:
    """rectrack as a user runs it, in-process.

    `cli(*args)` is the Result, whatever the exit code; `cli.ok(*args)` is stdout after
    checking the command succeeded; `cli.json(*args)` parses `--format json`; `cli.add(*args)`
    is the key `rectrack add` printed; `cli.refused(args, code, *fragments)` checks a
    refusal changed nothing. `input` answers prompts; `env` sets variables for one command.
    """

    def __call__(
        self, *args: str | os.PathLike[str], input: str | None = None, env: Env = None
    ) -> Result:
        """The Result of `rectrack ARGS`, whatever the exit code. An exception other than an
        exit is raised here; a traceback in the output fails the test."""
        result = CliRunner().invoke(app, [os.fspath(a) for a in args], input=input, env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert "Traceback" not in result.output, result.output
        return result

    def ok(self, *args: str | os.PathLike[str], input: str | None = None, env: Env = None) -> str:
        """stdout of a command that must succeed."""
        result = self(*args, input=input, env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    def json(self, *args: str | os.PathLike[str], env: Env = None) -> Any:
        """The parsed output of `rectrack ARGS --format json`, which must succeed."""
        return json.loads(self.ok(*args, "--format", "json", env=env))

    def add(self, *args: str) -> str:
        """The key of the recommendation `rectrack add ARGS` added."""
        return self.ok("add", *args).strip()

    def keys(self, *args: str) -> list[str]:
        """The keys `rectrack list ARGS` prints (TSV when piped, as tests are)."""
        return keys_of(self.ok("list", *args))

    def location(self, args: tuple[str, ...] | list[str] = (), env: Env = None) -> DatabaseLocation:
        """The database a command with these arguments uses, found as rectrack finds it:
        `--db`, then RECTRACK_DB, then config.toml, then the home folder."""
        option = None
        if args and args[0] == "--db":
            option = args[1]
        elif args and args[0].startswith("--db="):
            option = args[0].removeprefix("--db=")
        with environment(env):
            return database_location(option)

    def database(self, args: tuple[str, ...] | list[str] = (), env: Env = None) -> Path:
        """The SQLite file a command with these arguments uses (see `location`)."""
        location = self.location(args, env)
        assert location.path is not None, f"{location.url} is not a SQLite file"
        return location.path

    def state(self, db: str | os.PathLike[str] | None = None, env: Env = None) -> object:
        """Everything in the database in use (or in `db`): see `database_state`; a server
        database's rows (engines.Target.state)."""
        return self._state(db, (), env)

    def _state(
        self, db: str | os.PathLike[str] | None, args: list[str] | tuple[str, ...], env: Env
    ) -> object:
        if db is not None:
            return database_state(Path(db))
        location = self.location(args, env)
        if location.path is None:
            from engines import Target

            return Target("postgresql", location.url).state()
        return database_state(location.path)

    def refused(
        self,
        args: list[str],
        code: int,
        *fragments: str,
        db: str | os.PathLike[str] | None = None,
        input: str | None = None,
        env: Env = None,
    ) -> Result:
        """Run a command that must be refused: it exits with `code`, names each fragment on
        stderr, prints nothing on stdout and no traceback, and leaves the database (`db`, else
        the one the command uses) as it was, a missing file included."""
        before = self._state(db, args, env)
        result = self(*args, input=input, env=env)
        assert result.exit_code == code, result.output
        for fragment in fragments:
            assert fragment in result.stderr, result.stderr
        assert result.stdout == "", result.stdout
        after = self._state(db, args, env)
        assert after == before, f"the refused command changed {changes(before, after)}"
        return result


@contextlib.contextmanager
def environment(env: Env) -> Iterator[None]:
    """os.environ with `env` applied (None removes a variable), as CliRunner does."""
    saved = {name: os.environ.get(name) for name in env or {}}
    try:
        for name, value in (env or {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# --- the database, read directly --------------------------------------------------------------

MISSING = "(no file)"


def database_state(path: Path) -> object:
    """The database file's schema and every table's rows (sorted), read with sqlite3 alone;
    MISSING when there is no file, and the bytes of a file SQLite cannot read."""
    if not path.exists():
        return MISSING
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
            state: dict[str, list] = {"sqlite_master": sorted(schema, key=repr)}
            for kind, name, _table, _sql in schema:
                if kind == "table":
                    rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
                    state[name] = sorted(rows, key=repr)
            return state
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return path.read_bytes()


def changes(before: object, after: object) -> str:
    """Which tables differ between two database states, for an assertion message."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return f"the file: {_kind(before)} -> {_kind(after)}"
    names = sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
    return "tables " + ", ".join(names)


def _kind(state: object) -> str:
    if state == MISSING:
        return "no file"
    return "a database" if isinstance(state, dict) else "a file SQLite cannot read"


# --- in-memory databases, for the services' own tests ----------------------------------------

MEMORY = DatabaseLocation("sqlite://", "tests", None)


def memory_engine() -> Engine:
    """An engine on a new, empty in-memory SQLite database, made by rectrack's make_engine
    (foreign keys on, Unicode lower()). `sqlite://` is one private database per connection:
    SQLAlchemy gives it a SingletonThreadPool, one connection per thread, kept until
    dispose(), so every statement of the test (run in one thread) sees the same database."""
    engine = make_engine(MEMORY.url)
    assert isinstance(engine.pool, SingletonThreadPool), type(engine.pool)
    return engine


def memory_database() -> Engine:
    """A new in-memory database with rectrack's schema and the bundled bodies, made by
    rectrack's own migrations (some 10 ms)."""
    engine = memory_engine()
    migrate(engine)
    return engine


def copy_database(template: Engine) -> Engine:
    """A new in-memory database holding what `template` holds, copied with SQLite's backup
    API (under 1 ms for the sample data set): a test changes its copy, never the template."""
    engine = memory_engine()
    with template.connect() as source, engine.connect() as target:
        source.connection.driver_connection.backup(target.connection.driver_connection)
    return engine


def memory_session(engine: Engine) -> Generator[Session, None, None]:
    """A session on the engine as rectrack opens one (rectrack.db.Database.session); the
    session is closed and the in-memory database dropped when the test ends."""
    session = Database(MEMORY, engine).session()
    try:
        yield session
    finally:
        session.close()
        engine.dispose()


# --- filters ----------------------------------------------------------------------------------

# The filters a RecFilter is moving to take as tuples of alternatives, and the names of the
# single values they replace.
SINGULAR = {
    "countries": "country",
    "documents": "document",
    "themes": "theme",
    "institutions": "institution",
    "priorities": "priority",
}
# The filters this rectrack's RecFilter takes several values of.
REPEATABLE = tuple(
    name for name in ("bodies", *SINGULAR) if isinstance(getattr(RecFilter(), name, None), tuple)
)


def rec_filter(**given: Any) -> RecFilter:
    """A RecFilter from tuples by the plural names (bodies=("CEDAW",), countries=("Serbia",),
    themes=..., priorities=..., recommending=..., affected=..., sdgs=...; text= as it is),
    built the way this rectrack's RecFilter takes them: a filter that still takes one value
    (country=) gets the tuple's only value. Tests name filters through here so that they
    outlive that change."""
    values: dict[str, Any] = {}
    for name, value in given.items():
        if name in REPEATABLE or name not in SINGULAR:
            values[name] = value if name == "text" else tuple(value)
            continue
        if len(value) > 1:
            raise TypeError(f"this RecFilter takes one {SINGULAR[name]}, not {value!r}")
        values[SINGULAR[name]] = value[0] if value else None
    return RecFilter(**values)


# --- output and files ---------------------------------------------------------------------


def keys_of(tsv: str) -> list[str]:
    """The first column of TSV output, without its header."""
    lines = [line for line in tsv.splitlines() if line]
    return [line.split("\t")[0] for line in lines[1:]]


def assessments(cli: Cli, key: str) -> list[dict]:
    """The assessments in a recommendation's history."""
    return [e for e in cli.json("history", key)["events"] if e["type"] == "assessment"]


def sheet_name(english: str, lang: str = "en") -> str:
    """A sheet's name in `lang`, from its English name (`Meeting` -> `Sastanak`); Original is
    named alike in every language."""
    code = i18n.reader("sheet.").get(english.casefold())
    return i18n.text(f"sheet.{code}", lang) if code else english


def header_in(english: str, lang: str = "en") -> str:
    """A column's header in `lang`, from its English header (`New status` -> `Novi status`)."""
    code = i18n.reader("col.").get(english.casefold())
    return i18n.text(f"col.{code}", lang) if code else english


def _sheet_rows(ws: Any) -> tuple[list[Any], dict[str, tuple[Any, ...]]]:
    """A sheet's header and its rows by key: the first line of the first cell (on the
    Meeting sheet the reference is under the key), the first row of a key that stands under
    several group headings."""
    header = [c.value for c in ws[1]]
    rows: dict[str, tuple[Any, ...]] = {}
    for row in ws.iter_rows(min_row=2):
        if isinstance(row[0].value, str):
            rows.setdefault(row[0].value.split("\n", 1)[0], row)
    return header, rows


def _column(header: list[Any], column: str, lang: str) -> int:
    """The position of a column named as the sheet writes it, or by its English header."""
    return header.index(column if column in header else header_in(column, lang))


def fill_workbook(
    src: Path,
    edits: dict[str, dict],
    name: str = "filled.xlsx",
    extra_rows: list[list] = (),
    sheet: str = "Recommendations",
    lang: str = "en",
) -> Path:
    """A copy of an exported workbook, named `name` beside it, with the cells of the rows
    named by key typed over ({key: {column header: value}}) and `extra_rows` appended, on
    the sheet with this English name (Recommendations, Meeting) in a workbook exported in
    `lang`; columns are named as the sheet writes them or by their English headers."""
    wb = load_workbook(src)
    ws = wb[sheet_name(sheet, lang)]
    header, rows = _sheet_rows(ws)
    for key, cells in edits.items():
        for column, value in cells.items():
            rows[key][_column(header, column, lang)].value = value
    for values in extra_rows:
        ws.append(values)
    dst = src.with_name(name)
    wb.save(dst)
    return dst


def place(
    path: Path, key: str, column: str, sheet: str = "Recommendations", lang: str = "en"
) -> str:
    """Where a key's cell of a workbook's sheet is, as `Recommendations!S5` (the sheet by
    its English name, the column as for `fill_workbook`)."""
    ws = load_workbook(path)[sheet_name(sheet, lang)]
    header, rows = _sheet_rows(ws)
    number = rows[key][0].row
    return f"{ws.title}!{get_column_letter(_column(header, column, lang) + 1)}{number}"


# --- workbooks, read back -------------------------------------------------------------------


def headers_of(ws: Any) -> list[Any]:
    """The first row of a sheet: its headers."""
    return [c.value for c in ws[1]]


def rows_by_key(ws: Any) -> dict[str, dict[str, Any]]:
    """A table sheet's rows as {header: value}, by the value of their first cell."""
    head = headers_of(ws)
    return {
        row[0]: dict(zip(head, row, strict=False))
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[0] is not None
    }


def cells_by_key(ws: Any) -> dict[str, dict[str, Any]]:
    """A table sheet's cells as {header: cell}, by the value of their first cell."""
    head = headers_of(ws)
    return {
        row[0].value: dict(zip(head, row, strict=False))
        for row in ws.iter_rows(min_row=2)
        if row[0].value is not None
    }


def column_widths(ws: Any) -> dict[int, tuple[float, bool]]:
    """(width, hidden) of each column given a width, by number (a <col> may span several)."""
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min and dim.max:
            for number in range(dim.min, dim.max + 1):
                out[number] = (dim.width, bool(dim.hidden))
    return out


def printed_width(ws: Any) -> float:
    """What a sheet's columns add up to on paper: the columns it shows (hidden ones do not
    print)."""
    return sum(width for width, hidden in column_widths(ws).values() if not hidden)


def about_fields(path: Path) -> dict[str, Any]:
    """A rectrack workbook's About sheet (in any language: its A1 says what the file is), its
    values by the field name in its hidden column C."""
    wb = load_workbook(path)
    (ws,) = [ws for ws in wb.worksheets if ws["A1"].value == "rectrack workbook"]
    return {row[2]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}


def heading_rows(ws: Any) -> list[int]:
    """The rows whose cells are merged across the whole table: the Meeting sheet's group
    headings."""
    return sorted(
        r.min_row
        for r in ws.merged_cells.ranges
        if r.min_col == 1 and r.max_col == ws.max_column and r.min_row == r.max_row
    )
