"""Excel workbooks (openpyxl): the coalition-meeting export, and reading partners' edits.

The export is written in write-only mode, row by row, so that a large register costs little
more than its cell values; colours come from conditional formatting and drop-downs from data
validation, both set once per sheet rather than per cell.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from rectrack import domain
from rectrack.errors import RectrackError
from rectrack.io.sheet import (
    CUT_MARKER,
    FORMULA_STARTS,
    LIST_SEPARATOR,
    MAX_CELL,
    ORIGINAL_FIELDS,
    RECOMMENDATION_COLUMNS,
    WORKBOOK_FORMAT,
    WORKBOOK_MARKER,
    ExportData,
    SheetData,
    SheetRow,
    column,
    headers,
    status_cell,
)

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
INPUT_FILL = PatternFill("solid", fgColor="B7791F")  # headers of the columns partners fill in
WRAP = Alignment(wrap_text=True)


# A row needs the careful path when a text holds a character cells refuse, or a line of it
# starts like a formula; everything else goes straight to openpyxl.
_NEEDS_CARE = re.compile(ILLEGAL_CHARACTERS_RE.pattern + r"|(?:^|\n)[=+\-@]")
LINE_HEIGHT = 15  # points, for the default 11-point font


class CellWriter:
    """Makes values safe for a sheet's cells: no control characters Excel refuses, no text
    over Excel's limit (cut with a visible marker and a warning), no text read as a
    formula; and wraps long texts, giving their row the height they need."""

    def __init__(self, ws: Any, title: str, widths: Sequence[int], warn: Callable[[str], None]):
        self.ws = ws
        self.title = title
        self.widths = list(widths)  # the width of each wrapped column; 0 for no wrapping
        self.letters = [get_column_letter(i) for i in range(1, len(self.widths) + 1)]
        self.warn = warn
        cell: Any = WriteOnlyCell(ws, "")  # its private _style: a style shared, not copied
        cell.alignment = WRAP
        self.wrap_style = cell._style
        # One styled cell per wrapped column, given each row's value in turn: a write-only
        # sheet writes a row out as soon as it is appended, so the cell is free again.
        self.wrapped = []
        for i, width in enumerate(self.widths):
            if width:
                cell = WriteOnlyCell(ws, "")
                cell._style = self.wrap_style
                self.wrapped.append((i, width, cell))

    def append(self, number: int, values: list[Any]) -> None:
        """Write row `number` (1-based, as the sheet counts) with these values."""
        values = [(LIST_SEPARATOR.join(v) or None) if v.__class__ is list else v for v in values]
        joined = "\n".join([v for v in values if v.__class__ is str])
        if len(joined) > MAX_CELL or _NEEDS_CARE.search(joined):
            self._append_carefully(number, values)
            return
        lines = 1
        for i, width, cell in self.wrapped:
            value = values[i]
            if value.__class__ is str and len(value) > width:
                lines = max(lines, _lines(value, width))
                cell.value = value
                values[i] = cell
        if lines > 1:
            _set_row_height(self.ws, number, lines)
        self.ws.append(values)

    def _append_carefully(self, number: int, values: list[Any]) -> None:
        lines = 1
        out = []
        for index, (value, width) in enumerate(zip(values, self.widths, strict=True)):
            if value.__class__ is str:
                value = self._careful(value, number, index)
                if value == "":
                    value = None
                elif value.__class__ is _Text or (width and len(value) > width):
                    cell: Any = WriteOnlyCell(self.ws, value)
                    if value.__class__ is _Text:
                        cell.data_type = "s"  # text, never a formula
                    if width and len(value) > width:
                        lines = max(lines, _lines(value, width))
                        cell._style = self.wrap_style
                    value = cell
            out.append(value)
        if lines > 1:
            _set_row_height(self.ws, number, lines)
        self.ws.append(out)

    def _careful(self, value: Any, number: int, index: int) -> Any:
        if value.__class__ is not str:
            return value
        return safe_text(value, lambda: f"{self.title}!{self.letters[index]}{number}", self.warn)


def _lines(text: str, width: int) -> int:
    """How many lines a text takes, wrapped in a column `width` characters wide."""
    per_line = max(width - 2, 4)
    return sum(-(-len(part) // per_line) or 1 for part in text.split("\n"))


def _set_row_height(ws: Any, number: int, lines: int) -> None:
    """Give a row the height its wrapped text needs: not every spreadsheet fits rows to
    wrapped text when it opens a file. The write-only writer reads a row's attributes with
    `row_dimensions.get(n)`; a plain mapping of them costs a tenth of a RowDimension."""
    height = min(lines * LINE_HEIGHT, 409)
    dict.__setitem__(ws.row_dimensions, number, {"ht": str(height), "customHeight": "1"})


class _Text(str):
    """Text that starts like a formula: written as text."""


def safe_text(value: str, where: Callable[[], str], warn: Callable[[str], None]) -> str:
    """A text as a cell can hold it: refused characters removed, cut to Excel's limit with a
    visible marker and a warning, marked when it starts like a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > MAX_CELL:
        keep = MAX_CELL - 60
        text = text[:keep] + f"{CUT_MARKER}{len(text) - keep:,} more characters]"
        warn(f"{where()}: text longer than Excel's {MAX_CELL:,} characters was cut")
    return _Text(text) if text.startswith(FORMULA_STARTS) else text


def _header(ws: Any, headers: Sequence[str], inputs: Sequence[str] = ()) -> None:
    cells = []
    for h in headers:
        c = WriteOnlyCell(ws, h)
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
        c.alignment = WRAP
        cells.append(c)
    for c in cells:
        if c.value in inputs:
            c.fill = INPUT_FILL
    ws.append(cells)


def _printable(ws: Any, title_rows: str | None = "1:1") -> None:
    """Landscape, as wide as one page, the header repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def _table_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[tuple[str, str, int, bool]],
    rows: Iterable[Mapping[str, Any]],
    warn: Callable[[str], None],
) -> int:
    """A sheet with a frozen header, an autofilter and set widths; returns its row count."""
    ws = wb.create_sheet(title)
    for i, (_, _, width, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    _printable(ws)
    _header(ws, [c[0] for c in columns])
    writer = CellWriter(ws, title, [width if wrap else 0 for _, _, width, wrap in columns], warn)
    keys = [key for _, key, _, _ in columns]
    n = 0
    for n, row in enumerate(rows, start=1):
        writer.append(n + 1, [row.get(key) for key in keys])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    return n


def _status_colours(ws: Any, ref: str, use_labels: bool = True) -> None:
    for status, colour in domain.STATUS_COLOURS.items():
        shown = domain.STATUS_LABELS[status] if use_labels else status
        ws.conditional_formatting.add(
            ref,
            CellIsRule(
                operator="equal",
                formula=[f'"{shown}"'],
                fill=PatternFill(start_color=colour, end_color=colour, fill_type="solid"),
                font=Font(color="FFFFFF", bold=True),
            ),
        )


# The columns of the Actions, Evidence and History sheets: header, field, width, wrapped.
ACTION_COLUMNS = (
    ("Id", "id", 6, False),
    ("Date", "date", 11, False),
    ("Kind", "kind", 12, False),
    ("Title", "title", 50, True),
    ("Institution", "institution", 26, True),
    ("Reference", "reference", 20, True),
    ("URL", "url", 30, False),
    ("Description", "description", 40, True),
    ("Recommendations", "recommendations", 30, True),
)
EVIDENCE_COLUMNS = (
    ("Id", "id", 6, False),
    ("Date", "date", 11, False),
    ("Kind", "kind", 14, False),
    ("Title", "title", 50, True),
    ("Source", "source", 26, True),
    ("URL", "url", 30, False),
    ("File", "file", 30, False),
    ("SHA-256", "sha256", 20, False),
    ("Note", "note", 30, True),
    ("Recommendations", "recommendations", 30, True),
    ("Actions", "actions", 12, True),
)
HISTORY_COLUMNS = (
    ("Key", "key", 17, False),
    ("Date", "date", 11, False),
    ("Status", "status", 16, False),
    ("Perspective", "perspective", 11, False),
    ("Grade", "grade", 12, False),
    ("Note", "note", 50, True),
    ("Evidence", "evidence", 12, True),
    ("Recorded by", "recorded_by", 16, False),
    ("Recorded at", "recorded_at", 21, False),
)


def write_workbook(path: Path, data: ExportData, warn: Callable[[str], None]) -> None:
    """Write the coalition-meeting workbook: Summary, Recommendations, Actions, Evidence,
    History, About, and the hidden Original sheet that an import compares against."""
    wb = Workbook(write_only=True)
    _summary_sheet(wb, data, warn)
    _recommendations_sheet(wb, data, warn)
    _table_sheet(wb, "Actions", ACTION_COLUMNS, data.actions, warn)
    _table_sheet(wb, "Evidence", EVIDENCE_COLUMNS, data.evidence, warn)
    history = ({**h, "status": status_cell(h["status"])} for h in data.history)
    n = _table_sheet(wb, "History", HISTORY_COLUMNS, history, warn)
    _status_colours(wb["History"], f"C2:C{max(n + 1, 2)}")
    _original_sheet(wb, data)
    _about_sheet(wb, data)
    wb.save(path)


def _text_cell(ws: Any, value: Any, warn: Callable[[str], None]) -> Any:
    """A value for a cell of the Summary: text made safe, never read as a formula."""
    if not isinstance(value, str):
        return value
    text = safe_text(value, lambda: ws.title, warn)
    if isinstance(text, _Text):
        c = WriteOnlyCell(ws, text)
        c.data_type = "s"  # text, never a formula
        return c
    return text


def _summary_sheet(wb: Workbook, data: ExportData, warn: Callable[[str], None]) -> None:
    """What the export shows and the count of each status by group, with a bar chart."""
    ws = wb.create_sheet("Summary")
    _printable(ws, None)
    ws.column_dimensions["A"].width = 26
    for i in range(2, len(domain.STATUS_DISPLAY_ORDER) + 3):
        ws.column_dimensions[get_column_letter(i)].width = 17
    meta = data.meta
    title = WriteOnlyCell(ws, "Implementation of recommendations")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    for label, value in (
        ("Status on", meta["as_of"]),
        ("Whose view", domain.PERSPECTIVE_LABELS[meta["perspective"]]),
        ("Filters", meta["filters"]),
        ("Exported", meta["exported_at"]),
        ("Recommendations", meta["recommendations"]),
    ):
        bold = WriteOnlyCell(ws, label)
        bold.font = Font(bold=True)
        ws.append([bold, _text_cell(ws, value, warn)])
    ws.append([])
    _summary_table(ws, data, warn)
    if data.groups:
        _summary_chart(ws, data, header_row=8)


def _summary_table(ws: Any, data: ExportData, warn: Callable[[str], None]) -> None:
    """The groups by status, then all of them, then the share of each status."""
    order = domain.STATUS_DISPLAY_ORDER
    _header(ws, [data.group_by.capitalize(), *(domain.STATUS_LABELS[s] for s in order), "Total"])
    for g in data.groups:
        ws.append([_text_cell(ws, g["group"], warn), *(g["counts"][s] for s in order), g["total"]])
    total = sum(data.counts.values())
    bold_font = Font(bold=True)
    cells = [
        WriteOnlyCell(ws, "All"),
        *(WriteOnlyCell(ws, data.counts[s]) for s in order),
        WriteOnlyCell(ws, total),
    ]
    for c in cells:
        c.font = bold_font
    ws.append(cells)
    shares: list[Any] = [WriteOnlyCell(ws, "Share")]
    for s in (*order, None):
        c = WriteOnlyCell(
            ws, (data.counts[s] / total if total else 0) if s else (1 if total else 0)
        )
        c.number_format = "0%"
        shares.append(c)
    ws.append(shares)


def _summary_chart(ws: Any, data: ExportData, header_row: int) -> None:
    """A stacked bar per group in the status colours, under the table."""
    order = domain.STATUS_DISPLAY_ORDER
    last = header_row + len(data.groups)
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = f"Status by {data.group_by}, {data.meta['as_of']}"
    chart.y_axis.title = "Recommendations"
    chart.height = 7 + 0.6 * len(data.groups)
    chart.width = 22
    values = Reference(ws, min_col=2, max_col=1 + len(order), min_row=header_row, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last))
    for series, status in zip(chart.series, order, strict=True):
        colour = domain.STATUS_COLOURS[status]
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    ws.add_chart(chart, f"A{last + 4}")


def _recommendations_sheet(wb: Workbook, data: ExportData, warn: Callable[[str], None]) -> None:
    ws = wb.create_sheet("Recommendations")
    columns = RECOMMENDATION_COLUMNS
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width
    ws.freeze_panes = "B2"
    _printable(ws)
    inputs = [c.header for c in columns if c.key is None]
    _header(ws, headers(data.meta["perspective"]), inputs)
    writer = CellWriter(ws, "Recommendations", [c.width if c.wrap else 0 for c in columns], warn)
    letters = writer.letters
    labels = domain.STATUS_LABELS
    getters = [
        (lambda r, k=c.key: labels[r[k]])
        if c.key in ("status", "counterpart_status")
        else (lambda r, k=c.key: r.get(k))
        if c.key
        else (lambda r: None)
        for c in columns
    ]
    n = 0
    for n, row in enumerate(data.recommendations, start=1):
        writer.append(n + 1, [get(row) for get in getters])
    last = max(n + 1, 2)
    ws.auto_filter.ref = f"A1:{letters[-1]}{last}"
    col = {c.header: letter for c, letter in zip(columns, letters, strict=True)}
    for header, statuses in (
        ("Status", domain.STATUS_DISPLAY_ORDER),
        ("New status", domain.STATUS_DISPLAY_ORDER[:-1]),
    ):  # not Unknown
        choices = ",".join(domain.STATUS_LABELS[s] for s in statuses)
        validation = DataValidation(
            type="list",
            formula1=f'"{choices}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a status",
            error="Choose a status from the list.",
        )
        validation.add(f"{col[header]}2:{col[header]}{last}")
        ws.data_validations.append(validation)
    priorities = DataValidation(
        type="list", formula1=f'"{",".join(domain.PRIORITIES)}"', allow_blank=True
    )
    priorities.add(f"{col['Priority']}2:{col['Priority']}{last}")
    ws.data_validations.append(priorities)
    for header in ("Status", "State claims", "New status"):
        _status_colours(ws, f"{col[header]}2:{col[header]}{last}")


def _original_sheet(wb: Workbook, data: ExportData) -> None:
    """What the export said in the columns an import takes, so that an import applies only
    what partners changed (hidden)."""
    ws = wb.create_sheet("Original")
    ws.sheet_state = "hidden"
    ws.append(list(ORIGINAL_FIELDS))
    # No wrapping, no warnings: the Recommendations sheet has warned of the same texts.
    writer = CellWriter(ws, "Original", [0] * len(ORIGINAL_FIELDS), lambda message: None)
    keys = [column(h).key or "" for h in ORIGINAL_FIELDS]
    for n, rec in enumerate(data.recommendations, start=2):
        row: Mapping[str, Any] = rec
        writer.append(n, [status_cell(row[k]) if k == "status" else row.get(k) for k in keys])


ABOUT_FIELDS = (
    ("format", "Format version"),
    ("tool_version", "rectrack version"),
    ("schema_version", "Schema version"),
    ("exported_at", "Exported at"),
    ("export_date", "Export date"),
    ("as_of", "Status on"),
    ("perspective", "Perspective"),
    ("group_by", "Summary grouped by"),
    ("filters", "Filters"),
    ("database", "Database"),
    ("recommendations", "Recommendations"),
)


def _about_sheet(wb: Workbook, data: ExportData) -> None:
    ws = wb.create_sheet("About")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 60
    ws.append(
        [
            WORKBOOK_MARKER,
            "Exported by rectrack. Fill in the columns New status, New "
            "status date and Assessment note (and edit Priority, Due, Themes or "
            "Institutions), then give the file to `rectrack import`.",
        ]
    )
    meta = {**data.meta, "format": WORKBOOK_FORMAT}
    writer = CellWriter(ws, "About", [0, 0], lambda message: None)
    for n, (key, label) in enumerate(ABOUT_FIELDS, start=2):
        writer.append(n, [label, meta.get(key)])


# ---------------------------------------------------------------------------------------
# Reading


def is_workbook(path: Path) -> bool:
    """Whether the file is an Office Open XML package (a zip file), as workbooks are."""
    return zipfile.is_zipfile(path)


def is_rectrack_workbook(path: Path) -> bool:
    """Whether the workbook was written by `rectrack export` (its About sheet says so)."""
    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # not a workbook at all
        return False
    try:
        return "About" in wb.sheetnames and wb["About"]["A1"].value == WORKBOOK_MARKER
    finally:
        wb.close()


def read_workbook(path: Path) -> SheetData:
    """The Recommendations rows of a rectrack workbook, with what its Original and About
    sheets remember of the export."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise RectrackError(f"cannot read {path.name} as a workbook: {e}") from None
    try:
        if "About" not in wb.sheetnames or wb["About"]["A1"].value != WORKBOOK_MARKER:
            raise RectrackError(
                f"{path.name} is not a rectrack workbook (it has no About "
                "sheet from `rectrack export`)"
            )
        about = {}
        labels = {label: key for key, label in ABOUT_FIELDS}
        for label, value, *_ in _rows(wb["About"], 2):
            if label in labels:
                about[labels[label]] = value
        if "Recommendations" not in wb.sheetnames:
            raise RectrackError(f"{path.name} has no Recommendations sheet")
        sheet = _read_rows(wb["Recommendations"], "Recommendations", path.name)
        sheet.export_date = _date_text(about.get("export_date"))
        sheet.perspective = about.get("perspective")
        if "Original" in wb.sheetnames:
            rows = list(_rows(wb["Original"], 1))
            if rows:
                header = [str(h) for h in rows[0]]
                sheet.originals = {}
                for values in rows[1:]:
                    record = dict(zip(header, values, strict=False))
                    if record.get("Key"):
                        sheet.originals[str(record["Key"]).casefold()] = record
        return sheet
    finally:
        wb.close()


def _date_text(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value else None


def _rows(ws: Any, first: int) -> Iterator[tuple[Any, ...]]:
    ws.reset_dimensions()
    yield from ws.iter_rows(min_row=first, values_only=True)


def _read_rows(ws: Any, title: str, name: str) -> SheetData:
    rows = _rows(ws, 1)
    header_row = next(rows, None)
    if header_row is None:
        raise RectrackError(f"{name}: the {title} sheet is empty")
    positions = {str(h).strip(): i for i, h in enumerate(header_row) if h is not None}
    if "Key" not in positions:
        raise RectrackError(f"{name}: the {title} sheet has no Key column")
    letters = {h: get_column_letter(i + 1) for h, i in positions.items()}
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None for v in values):
            continue
        cells = {h: values[i] if i < len(values) else None for h, i in positions.items()}
        out.append(SheetRow(number, cells, title, letters))
    return SheetData(source=name, rows=out)
