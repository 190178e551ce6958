"""rectrack.io.limits reads a workbook's cells as openpyxl's read-only mode does, value for
value (dates, numbers, text as written, empty cells, formulas' cached values, shared and
inline strings, rich text), whatever program wrote it; with a few columns asked for, it
reads those alone and can still read a whole row."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from rectrack.io.limits import load_workbook as lean_workbook
from rectrack.io.limits import sheet_rows, sheet_stream


def openpyxl_rows(path: Path, title: str | None = None) -> list[tuple[Any, ...]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[title] if title else wb.worksheets[0]
        ws.reset_dimensions()
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def our_rows(path: Path, title: str | None = None) -> list[tuple[Any, ...]]:
    wb, package = lean_workbook(path)
    try:
        ws = wb[title] if title else wb.worksheets[0]
        return list(sheet_rows(path.name, ws, package))
    finally:
        wb.close()


VALUES: list[Any] = [
    "plain",
    "  spaces at both ends  ",
    "two\nlines",
    "tab\there",
    "Ћирилица и latinica: čćžšđ",
    "=not a formula",  # written as text
    "",
    0,
    -17,
    3.25,
    1e-7,
    1.5e20,
    True,
    False,
    dt.date(2025, 6, 30),
    dt.datetime(2024, 2, 29, 13, 45, 10),
    dt.time(9, 30),
    dt.timedelta(days=2, hours=3),
    None,
]


def grid_workbook(path: Path, epoch: Any = None) -> None:
    """Every kind of value, a formula with no cached value, an error, rich text, a gap of
    rows, a row of styled empty cells and a cell far to the right."""
    wb = Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = "Values"
    ws.append(["Key", "Value", "Other"])
    for i, value in enumerate(VALUES, start=2):
        ws.append([f"K-{i}", value, i])
    n = len(VALUES) + 2
    ws.cell(n, 1, "formula")
    ws.cell(n, 2, "=1+1")
    ws.cell(n + 1, 1, "error")
    ws.cell(n + 1, 2, "#N/A")
    ws.cell(n + 2, 1, "rich")
    ws.cell(n + 2, 2, CellRichText("plain ", TextBlock(InlineFont(b=True), "bold"), " end"))
    ws.cell(n + 6, 1, "after a gap")
    ws.cell(n + 7, 2).number_format = "0.00"  # styled, no value
    ws.cell(n + 8, 30, "far right")
    wb.save(path)


@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904], ids=["1900", "1904"])
def test_every_kind_of_value_reads_as_openpyxl_reads_it(tmp_path: Path, epoch: Any) -> None:
    path = tmp_path / "values.xlsx"
    grid_workbook(path, epoch)
    expected = openpyxl_rows(path)
    assert len(expected) > len(VALUES)
    assert our_rows(path) == expected


def _package(path: Path, sheet: str, strings: str) -> None:
    """A workbook written by hand as Excel writes one: shared strings, a date style, cells
    and rows without references, a formula's cached text, an error, a boolean."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="'
            'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension='
            '"xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override '
            'PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3"'
            f' Type="{rel}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><fonts count="1"><font/>'
            '</fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="2">'
            '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles>"
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {ns}>{strings}</sst>',
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{sheet}'
            "</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)


def test_a_workbook_saved_by_a_spreadsheet_program_reads_as_openpyxl_reads_it(
    tmp_path: Path,
) -> None:
    strings = (
        '<si><t>Key</t></si><si><t xml:space="preserve"> padded </t></si>'
        "<si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r></si>"
        "<si><t>line&#10;break</t></si><si><t>x_x000D_y</t></si>"
    )
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>45838</v></c>'
        '<c r="C2" t="str"><f>A1&amp;B1</f><v>Key padded</v></c></row>'
        '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="e"><v>#DIV/0!</v></c>'
        '<c r="D4"><v>2.5E-3</v></c><c r="E4" t="s"><v>3</v></c></row>'
        '<row><c><v>7</v></c><c t="s"><v>4</v></c><c/><c t="inlineStr"><is><r><t>a</t>'
        '</r><r><t>b</t></r><rPh sb="0" eb="1"><t>phonetic</t></rPh></is></c></row>'
        '<row r="7" spans="1:3" ht="30" customHeight="1"/>'
        '<row r="8"><c r="C8" t="inlineStr"><is><t/></is></c><c r="B8" t="n"/></row>'
    )
    path = tmp_path / "saved.xlsx"
    _package(path, sheet, strings)
    expected = openpyxl_rows(path)
    assert expected[1][:2] == ("rich text", dt.datetime(2025, 6, 30))
    assert expected[3][0] is True and expected[4][3] == "ab"
    assert our_rows(path) == expected


def test_a_few_columns_are_read_alone_and_a_row_whole_on_demand(tmp_path: Path) -> None:
    path = tmp_path / "values.xlsx"
    grid_workbook(path)
    expected = openpyxl_rows(path)
    wb, package = lean_workbook(path)
    try:
        stream = sheet_stream(path.name, wb.worksheets[0], package, 2, columns=[0, 2])
        for number, values, whole in stream:
            full = expected[number - 1]
            assert whole() == full
            assert values == tuple(v if i in (0, 2) else None for i, v in enumerate(full))
    finally:
        wb.close()


CELLS = st.one_of(
    st.none(),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x7f"),
        max_size=20,
    ),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(dt.date(1901, 1, 1), dt.date(2199, 12, 31)),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2199, 12, 31)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.lists(CELLS, max_size=6), max_size=6))
def test_any_cells_read_as_openpyxl_reads_them(tmp_path: Path, rows: list[list[Any]]) -> None:
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("="):
                value = " " + value
            ws.cell(r, c, value)
    path = tmp_path / "any.xlsx"
    wb.save(path)
    assert our_rows(path) == openpyxl_rows(path)
