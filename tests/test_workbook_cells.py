"""The cells of a workbook's data rows, written as XML text by rectrack.io.xlsx (not as
openpyxl's cell objects): for any values, openpyxl reads back what a cell of openpyxl's own
would hold (text made safe, never a formula; numbers, dates, links), and each row is as tall
as its wrapped text measured with textwrap."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from rectrack.io.xlsx.cells import (
    CHARS_PER_UNIT,
    REFUSED,
    Col,
    RowWriter,
    lines_of,
    row_height,
    safe_text,
)
from rectrack.io.xlsx.stream import create_sheet, save

EXAMPLES = int(os.environ.get("RECTRACK_EXAMPLES", "25"))
FEW = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Letters, digits and what text cells meet: spaces of every kind, hyphens and dashes, line
# breaks, tabs, markup, formula starts, characters a cell refuses, Cyrillic.
PIECES = st.sampled_from(
    [
        "a", "bc", "é", "ћи", "7", "2016-03", "well-known", "--", "-", " ", "  ", "\u00a0",
        "\n", "\t", "\r\n", "<b>", "&", '"', "=", "+", "@", "'", "#N/A", "\x01", "\ufffe",
        "x" * 40, "Službeni glasnik RS 6/2016",
    ]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=30).map("".join)


def reference_lines(text: str, width: int) -> int:
    """How many lines textwrap wraps a text into, in a column `width` units wide."""
    per_line = max(int(width * CHARS_PER_UNIT) - 1, 4)
    return sum(
        len(textwrap.wrap(part, per_line, break_long_words=True)) or 1 for part in text.split("\n")
    )


@FEW
@given(TEXTS, st.sampled_from([4, 8, 10, 15, 17, 30, 36, 60]))
def test_lines_are_counted_as_textwrap_counts_them(text: str, width: int) -> None:
    assert lines_of(text, width) == reference_lines(text, width)


COLUMNS = [Col(10, wrap=True), Col(20, wrap=True), Col(8), Col(24, wrap=True, link=True)]
VALUES = st.one_of(
    st.none(),
    TEXTS,
    st.lists(TEXTS, max_size=3),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
)
ROW = st.tuples(VALUES, VALUES, VALUES, st.one_of(st.none(), TEXTS))  # links are texts
ROWS = st.lists(ROW.map(list), max_size=4)


def _shown(value: Any) -> Any:
    """What a cell of openpyxl's own would hold of a value, read back."""
    if isinstance(value, list):
        value = "; ".join(value) or None
    if isinstance(value, str):
        value = safe_text(value, lambda: "", lambda message: None)
        return str(value) or None
    return value


@FEW
@given(ROWS)
def test_cells_read_back_as_openpyxls_own(tmp_path: Path, rows: list[list[Any]]) -> None:
    wb = Workbook(write_only=True)
    ws = create_sheet(wb, "Cells")
    writer = RowWriter(ws, COLUMNS, lambda message: None)
    for number, values in enumerate(rows, start=1):
        writer.append(number, list(values))
    path = tmp_path / "cells.xlsx"
    save(wb, path)
    back = load_workbook(path)["Cells"]
    for number, values in enumerate(rows, start=1):
        lines = 1
        for column, (col, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = back.cell(number, column)
            shown = _shown(value)
            got = cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value
            if isinstance(shown, float):
                assert got == float(f"{shown:.16g}")
            else:
                assert got == shown, (number, column, value)
            assert cell.data_type != "f"  # a text is never a formula
            if isinstance(shown, str):
                assert not REFUSED.search(shown)
                if col.link and not shown.startswith(("=", "+", "-", "@")):
                    assert cell.hyperlink is not None and cell.hyperlink.target == shown
                if col.wrap and (len(shown) > col.width or "\n" in shown):
                    lines = max(lines, reference_lines(shown, col.width))
        height = back.row_dimensions[number].height
        assert height == (row_height(lines) if lines > 1 else None), (number, values)
