"""How rectrack grows with the register: start-up loads nothing it does not need, the
commands that read a register run as many SQL statements for 2,000 recommendations as for
200, and streaming output keeps memory flat on a register of 20,000.

bench/run.py measures the speed itself; these check the structure that keeps it."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import textwrap
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session

from rectrack.db import Database, open_database
from rectrack.io import formats
from rectrack.services.datasets import dataset_rows
from rectrack.services.export import export_rows
from rectrack.services.recommendations import list_recommendations
from rectrack.services.status import due_rows, recommendation_overview, status_report
from rectrack.settings import database_location
from rectrack.shapes import RecFilter, StatusQuery
from rectrack.views import standing
from rectrack.views.register import recommendation_list
from synthetic import fill

# What a command line does not need before it opens a database: none of these may be
# imported by `rectrack --help` or `rectrack --version`.
HEAVY = (
    "sqlmodel",
    "sqlalchemy",
    "openpyxl",
    "docx",
    "tomli_w",
    "dateutil",
    "psycopg",
    "defusedxml",
    "rectrack.models",
    "rectrack.db",
    "rectrack.services",
    "rectrack.io",
)

LOADED = textwrap.dedent(
    """
    import sys
    from rectrack.launch import main
    sys.argv = ["rectrack", *sys.argv[1:]]
    try:
        main()
    except SystemExit:
        pass
    heavy = {HEAVY!r}
    print(" ".join(sorted(m for m in sys.modules if m.startswith(heavy))), file=sys.stderr)
    """
).replace("{HEAVY!r}", repr(HEAVY))


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["status", "--help"]])
def test_help_and_version_load_nothing_heavy(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *args], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip(), "the command printed nothing"
    assert done.stderr.strip() == "", f"{' '.join(args)} imported: {done.stderr}"


def test_version_does_not_load_the_commands() -> None:
    code = LOADED.replace("heavy = ", "heavy = ('rectrack.cli', 'typer', 'rich') or ")
    done = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("rectrack ")
    assert done.stderr.strip() == ""


# --- statements --------------------------------------------------------------------------


def _register(tmp_path_factory: pytest.TempPathFactory, n: int) -> Database:
    path = tmp_path_factory.mktemp(f"register-{n}") / "rectrack.db"
    database = open_database(database_location(str(path)), create=True)
    fill(database, n)
    return database


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = _register(tmp_path_factory, 200)
    yield database
    database.engine.dispose()


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = _register(tmp_path_factory, 2000)
    yield database
    database.engine.dispose()


def _consume(result: Any) -> None:
    rows = result.get("recommendations", []) if isinstance(result, dict) else result
    for _ in rows:
        pass


def _export(session: Session, fmt: str, **options: Any) -> list[Any]:
    """`rectrack export x.FMT`, into a folder of its own; no rows to consume."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"x.{fmt}"
        if fmt == "toml":
            formats.write_dataset_file(path, dataset_rows(session, RecFilter()))
        else:
            data = export_rows(session, StatusQuery(), summary=fmt == "xlsx", **options)
            formats.write_export(path, fmt, data, warn=lambda message: None)
    return []


READS: dict[str, Callable[[Session], Any]] = {
    "list": lambda s: list_recommendations(s, RecFilter(), stream=True),
    "list --body": lambda s: list_recommendations(s, RecFilter(bodies=("GRETA",)), stream=True),
    "status": lambda s: status_report(s, StatusQuery(), stream=True),
    "status (table)": lambda s: status_report(s, StatusQuery()),
    "status --summary": lambda s: status_report(s, StatusQuery(), summary=True),
    "status --group-by body --summary": lambda s: status_report(
        s, StatusQuery(), group_by="body", summary=True
    ),
    "status --as-of 2022": lambda s: status_report(s, StatusQuery(as_of="2022"), stream=True),
    "due": lambda s: due_rows(s),
    "show": lambda s: recommendation_overview(s, "CEDAW-SRB-2005-1"),
    "export x.xlsx": lambda s: _export(s, "xlsx"),
    "export x.xlsx --group-by theme": lambda s: _export(s, "xlsx", group_by="theme"),
    "export x.csv": lambda s: _export(s, "csv"),
    "export x.toml": lambda s: _export(s, "toml"),
}


def _statements(database: Database, read: Callable[[Session], Any]) -> int:
    count = 0

    def counted(*_: Any) -> None:
        nonlocal count
        count += 1

    event.listen(database.engine, "before_cursor_execute", counted)
    try:
        with database.session() as session:
            _consume(read(session))
    finally:
        event.remove(database.engine, "before_cursor_execute", counted)
    return count


@pytest.mark.parametrize("name", READS)
def test_no_query_per_row(name: str, small: Database, large: Database) -> None:
    """Ten times the rows may read a few more chunks, never a statement per row."""
    few = _statements(small, READS[name])
    many = _statements(large, READS[name])
    assert few > 0
    assert many <= few + 4, f"{name}: {few} statements for 200 rows, {many} for 2,000"


# --- memory ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def register_20k(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = _register(tmp_path_factory, 20_000)
    yield database
    database.engine.dispose()


class _Sink(io.TextIOBase):
    """Standard output that counts what is written and keeps none of it."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, text: str) -> int:
        self.written += len(text)
        return len(text)


def _peak_mb(run: Callable[[], None], monkeypatch: pytest.MonkeyPatch) -> tuple[float, int]:
    sink = _Sink()
    monkeypatch.setattr(sys, "stdout", sink)
    tracemalloc.start()
    try:
        run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / 2**20, sink.written


def test_list_and_status_stream_a_large_register(
    register_20k: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped, `list` and `status` print 20,000 rows (several MB of TSV) holding a few
    chunks of them at a time (about 7 and 10 MB; a table of them all takes 45 and 78)."""

    def listing() -> None:
        with register_20k.session() as session:
            rows = list_recommendations(session, RecFilter(), stream=True)
            recommendation_list(rows, "tsv")

    def status() -> None:
        with register_20k.session() as session:
            report = status_report(session, StatusQuery(), stream=True)
            standing.status(report, "tsv", standing.StatusView())

    for run in (listing, status):
        peak, written = _peak_mb(run, monkeypatch)
        assert written > 20_000 * 50, "fewer rows were written than the register holds"
        assert peak < 20, f"{run.__name__}: {peak:.1f} MB at its peak"


def test_an_export_streams_a_large_register(
    register_20k: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A CSV export of 20,000 recommendations (some 12 MB) holds a chunk of rows at a time:
    about 12 MB at its peak, where all its rows read first took some 220 MB. (A workbook
    and a data set read their rows the same way; they take longer to write.)"""
    path = tmp_path / "register.csv"

    def export() -> None:
        with register_20k.session(write=False) as session:
            data = export_rows(session, StatusQuery(), summary=False)
            formats.write_export(path, "csv", data, warn=lambda message: None)

    peak, _ = _peak_mb(export, monkeypatch)
    assert path.stat().st_size > 20_000 * 400, "fewer rows were written than the register holds"
    assert peak < 30, f"{peak:.1f} MB at its peak"


def test_synthetic_registers_hold_what_they_say(register_20k: Database) -> None:
    with register_20k.session() as session:
        report = status_report(session, StatusQuery(), summary=True)
    assert report["total"] == 20_000
