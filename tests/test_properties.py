"""Property-based tests (hypothesis): for any input, date and duration parsing, key parsing
and every importer either succeed or refuse cleanly (RectrackError), never another
exception. Few examples each, so that the suite stays quick; hypothesis keeps the failing
ones it finds in its database and tries them first next time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

import helpers
from rectrack import dates, domain
from rectrack.errors import RectrackError
from rectrack.io import formats
from rectrack.io.sheet import RECOMMENDATION_COLUMNS
from rectrack.services.datasets import load_files
from rectrack.services.importing import plan_import
from rectrack.services.sources import SourceOptions, import_source
from rectrack.shapes import NewNames

# More examples for a deeper search: RECTRACK_EXAMPLES=500 python -m pytest tests/test_properties.py
EXAMPLES = int(os.environ.get("RECTRACK_EXAMPLES", "25"))
FEW = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as files hold it: letters of several scripts, digits, punctuation that matters to
# CSV and dates, white space of every kind, control characters, a NUL now and then.
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("abcXYZ019 ,;\t\n\r\"'=+-@/.:()[]{}#\\"),
        st.sampled_from("čćđšžЖжé€“”\x00\x1b\x9b\u2028\ufeff"),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)
DATE_LIKE = st.one_of(
    ANY_TEXT,
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.isoformat()),
    st.builds(
        lambda y, m, d, sep: sep.join(str(x) for x in (y, m, d)),
        st.integers(-5, 12000),
        st.integers(-1, 14),
        st.integers(-1, 40),
        st.sampled_from(["-", "/", ".", " "]),
    ),
    st.builds(
        lambda d, m, y: f"{d} {m} {y}",
        st.integers(0, 40),
        st.sampled_from(["March", "Mar", "mart", "Sept", "de", "December"]),
        st.integers(0, 99999),
    ),
)


def refused_cleanly(run: Callable[[], Any]) -> Any:
    """What `run` returns, or None when it refuses with a RectrackError; any other
    exception fails the test."""
    try:
        return run()
    except RectrackError as e:
        assert str(e).strip(), "an empty message"
        return None


# --- dates, durations, keys ----------------------------------------------------------------


@FEW
@given(DATE_LIKE)
def test_any_date_is_read_or_refused(text: str) -> None:
    date = refused_cleanly(lambda: dates.parse_date(text))
    if date is not None:
        assert dates.parse_date(date.iso) == date
        assert date.first_day <= date.last_day
        refused_cleanly(lambda: dates.not_too_far(date, "a due date"))
        refused_cleanly(lambda: dates.not_in_future(date, "a date"))


@FEW
@given(st.builds(dates.PartialDate, st.integers(1, 9999), st.none() | st.integers(1, 12)))
def test_every_partial_date_reads_back(date: dates.PartialDate) -> None:
    assert dates.parse_date(date.iso) == date


@FEW
@given(st.one_of(ANY_TEXT, st.from_regex(r"\s*[0-9]{1,12}\s*[dwmyDWMYx]\s*", fullmatch=True)))
def test_any_duration_is_read_or_refused(text: str) -> None:
    duration = refused_cleanly(lambda: dates.parse_duration(text))
    if duration is not None:
        assert duration.after(dt.date(2000, 1, 31)) >= dt.date(2000, 1, 31)


@FEW
@given(
    st.one_of(ANY_TEXT, st.from_regex(r"[A-Za-z]{1,8}-[0-9]{4}-[0-9a-z()]{1,8}", fullmatch=True))
)
def test_any_key_is_taken_or_refused(text: str) -> None:
    key = refused_cleanly(lambda: domain.check_key(text))
    if key is not None:
        assert domain.check_key(key) == key


@FEW
@given(ANY_TEXT, st.sampled_from(["A", "E", "S"]))
def test_any_short_id_is_read_or_refused(text: str, prefix: str) -> None:
    number = refused_cleanly(lambda: domain.parse_short_id(text, prefix, "thing"))
    if number is not None:
        assert domain.parse_short_id(domain.short_id(prefix, number), prefix, "thing") == number


@FEW
@given(ANY_TEXT)
def test_any_link_is_kept_or_refused(text: str) -> None:
    url = refused_cleanly(lambda: domain.check_url(text))
    assert url in (None, text)


# --- importers -----------------------------------------------------------------------------


@pytest.fixture
def fresh(empty_memory: Any) -> Iterator[Callable[[], Session]]:
    """fresh(): a session on a new copy of the empty database, for one example."""
    made: list[Any] = []  # the generators, kept so that their databases stay

    def make() -> Session:
        made.append(helpers.memory_session(helpers.copy_database(empty_memory)))
        return next(made[-1])

    yield make
    for session in made:
        session.close()


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8", "surrogatepass"))
    return path


CELL = st.one_of(
    ANY_TEXT,
    st.sampled_from(["", "Serbia", "France", "SRB", "CEDAW", "29", "1", "Supported", "Noted"]),
    st.integers(-10, 100).map(str),
    DATE_LIKE,
)
UPR_COLUMNS = ["To", "Text", "From", "Response", "Action", "Issue", "Session"]
UHRI_COLUMNS = [
    "Text",
    "Countries Concerned",
    "Reccomending Body",
    "Document Symbol",
    "Themes",
    "Document Publication Date",
    "UPR Position",
    "OHCHR Annotation Id",
    "UPR Session",
]


def rows_of(width: int) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.lists(CELL, min_size=0, max_size=width + 1), min_size=0, max_size=4)


def load_outside(session: Session, path: Path, fmt: str, **options: Any) -> Any:
    def run() -> Any:
        with session.begin_nested():
            return import_source(session, path, fmt, SourceOptions(**options))

    try:
        return refused_cleanly(run)
    finally:
        session.rollback()


@FEW
@given(rows=rows_of(len(UPR_COLUMNS)), delimiter=st.sampled_from([",", ";", "\t"]))
def test_any_upr_info_file_is_imported_or_refused(fresh, tmp_path, rows, delimiter) -> None:
    path = write(tmp_path, "upr.csv", csv_text([UPR_COLUMNS, *rows], delimiter))
    load_outside(fresh(), path, "upr-info")


@FEW
@given(rows=rows_of(len(UHRI_COLUMNS)))
def test_any_uhri_file_is_imported_or_refused(fresh, tmp_path, rows) -> None:
    path = write(tmp_path, "uhri.csv", csv_text([UHRI_COLUMNS, *rows]))
    load_outside(fresh(), path, "uhri")


MAPPED = ["Text", "Body", "Date", "Due", "Status", "Since", "Themes", "Priority", "Key"]
MAPS = [
    "text=Text",
    "body=Body",
    "date=Date",
    "due=Due",
    "status=Status",
    "status_date=Since",
    "themes=Themes",
    "priority=Priority",
    "key=Key",
]


@FEW
@given(rows=rows_of(len(MAPPED)), as_json=st.booleans())
def test_any_table_is_imported_or_refused(fresh, tmp_path, rows, as_json) -> None:
    if as_json:
        records = [dict(zip(MAPPED, row, strict=False)) for row in rows]
        path = write(tmp_path, "ours.json", json.dumps([{"Text": "x"}, *records]))
    else:
        path = write(tmp_path, "ours.csv", csv_text([MAPPED, *rows]))
    load_outside(fresh(), path, "table", maps=MAPS, new_names=NewNames(True, True))


@FEW
@given(st.binary(max_size=300), st.sampled_from(["upr-info", "uhri", "table"]))
def test_any_bytes_are_imported_or_refused(fresh, tmp_path, content, fmt) -> None:
    path = write(tmp_path, "noise.csv", b"To,Text,From,Session\n" + content)
    options = {"maps": ["text=Text", "body=To"]} if fmt == "table" else {}
    load_outside(fresh(), path, fmt, **options)


# --- data sets -----------------------------------------------------------------------------

SCALARS = st.one_of(
    ANY_TEXT,
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False),
    st.dates(),
    st.lists(ANY_TEXT, max_size=3),
    st.lists(st.integers(), max_size=2),
)
FIELD_NAMES = st.sampled_from(
    [
        "key",
        "text",
        "body",
        "document",
        "date",
        "due",
        "themes",
        "category",
        "size",
        "sha256",
        "file",
        "url",
        "title",
        "kind",
        "symbol",
        "code",
        "name",
        "status",
        "by",
        "grade",
        "recommendations",
        "evidence",
        "actions",
        "from",
        "to",
        "ref",
        "recorded_at",
        "withdrawn",
        "source_row",
        "what",
    ]
)
ENTRY = st.dictionaries(FIELD_NAMES, SCALARS, max_size=6)
TABLES = st.sampled_from(
    [
        "bodies",
        "documents",
        "recommendations",
        "actions",
        "evidence",
        "assessments",
        "clusters",
        "links",
        "other",
    ]
)


def load_dataset(session: Session, path: Path) -> Any:
    try:
        return refused_cleanly(lambda: load_files(session, [path], NewNames(True, True)))
    finally:
        session.rollback()


@FEW
@given(st.dictionaries(TABLES, st.lists(ENTRY, max_size=3), max_size=4))
def test_any_data_set_is_loaded_or_refused(fresh, tmp_path, data) -> None:
    path = write(tmp_path, "set.toml", tomli_w.dumps(data))
    load_dataset(fresh(), path)


GOOD_SET = (
    '[[recommendations]]\nkey = "CEDAW-2019-1"\nbody = "CEDAW"\ntext = "Adopt a law."\n'
    'date = "2019"\n\n[[assessments]]\nrecommendations = ["CEDAW-2019-1"]\ndate = "2020"\n'
    'status = "partial"\n'
)


@FEW
@given(st.integers(0, len(GOOD_SET)), ANY_TEXT)
def test_any_damaged_data_set_is_loaded_or_refused(fresh, tmp_path, at, inserted) -> None:
    path = write(tmp_path, "set.toml", GOOD_SET[:at] + inserted + GOOD_SET[at:])
    load_dataset(fresh(), path)


# --- rectrack's own workbooks and CSV files ------------------------------------------------

HEADERS = [c.header() for c in RECOMMENDATION_COLUMNS]
SAMPLE_KEYS = ["CEDAW-2019-0001", "GRETA-2023-0005", "TIP-2022-0001"]
OWN_CELL = st.one_of(
    CELL,
    st.sampled_from(
        [*SAMPLE_KEYS, "partial", "Implemented", "implmented", "high", "none", "2024-05"]
    ),
)


def plan(session: Session, path: Path, fmt: str) -> Any:
    def run() -> Any:
        return plan_import(session, formats.read_sheet(path, fmt))

    try:
        return refused_cleanly(run)
    finally:
        session.rollback()


@FEW
@given(
    st.lists(
        st.dictionaries(st.integers(0, len(HEADERS) - 1), OWN_CELL, max_size=6),
        max_size=4,
    )
)
def test_any_csv_file_of_rectracks_is_imported_or_refused(sample_db, tmp_path, edits) -> None:
    rows = []
    for i, edit in enumerate(edits):
        row = [""] * len(HEADERS)
        row[0] = SAMPLE_KEYS[i % len(SAMPLE_KEYS)]
        for column, value in edit.items():
            row[column] = value
        rows.append(row)
    path = write(tmp_path, "edits.csv", csv_text([HEADERS, *rows]))
    plan(sample_db, path, "csv")


@settings(
    max_examples=max(1, EXAMPLES // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(st.integers(1, 6), st.integers(1, len(HEADERS)), OWN_CELL),
        max_size=6,
    )
)
def test_any_workbook_of_rectracks_is_imported_or_refused(
    sample_db, sample_export, tmp_path, edits
) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = load_workbook(sample_export("meeting.xlsx"))
    ws = wb["Recommendations"]
    for row, column, value in edits:
        try:
            ws.cell(row=row, column=column).value = value[:200] if value else None
        except IllegalCharacterError:  # a character a cell cannot hold: not in a workbook
            continue
    path = tmp_path / "edits.xlsx"
    wb.save(path)
    plan(sample_db, path, "xlsx")
