"""The coalition-meeting workbook: Summary, Meeting, Recommendations, Actions, Evidence,
History and About sheets, and the very hidden Original sheet an import compares against.

Written in write-only mode, row by row as the rows are read (see `stream`), so that a large
register costs little more than its cell values and is never held whole: the Meeting,
Recommendations and Original sheets are written side by side in one pass over the register
when the Meeting sheet has its rows in the register's order (grouped by body). Colours,
banding and drop-downs are set once per sheet (conditional formatting and data validation),
not per cell. Every sheet says what it is in its footer (the title, the page and the export
date) and prints at a readable size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from rectrack import domain, i18n
from rectrack.io.sheet import (
    INPUT_IDS,
    MEETING_COLUMNS,
    ORIGINAL_IDS,
    ORIGINAL_SHEET,
    RECOMMENDATION_COLUMNS,
    WORKBOOK_FORMAT,
    WORKBOOK_MARKER,
    CellValues,
    ExportData,
    date_cell,
    label,
    status_cell,
)
from rectrack.io.xlsx.cells import (
    BAND_FILL,
    FONT_NAME,
    GRID,
    GROUP_FILL,
    HEADER_FILL,
    HEADER_FONT,
    TOP_WRAP,
    Col,
    RowWriter,
    header_row,
    lines_of,
    set_row_height,
    styled,
    text_cell,
)
from rectrack.io.xlsx.stream import create_sheet, save
from rectrack.shapes import ExportRow

Warn = Callable[[str], None]

# Light fills with dark text (readable, and legible in black and white): one per status.
STATUS_FILLS = {
    "implemented": ("C8E6C9", "1B5E20"),
    "partial": ("BBDEFB", "0D47A1"),
    "in_progress": ("FFECB3", "5D4300"),
    "not_implemented": ("FFCDD2", "B71C1C"),
    "regressed": ("E1BEE7", "4A148C"),
    "not_applicable": ("E7DED9", "4E342E"),
    "unknown": ("EEEEEE", "424242"),
}
# The chart's colours, each of a different grey when printed in black and white, so that
# neighbouring bars never look alike: (fill, colour of the count written on it).
CHART_COLOURS = {
    "implemented": ("0B4F1F", "FFFFFF"),  # grey 53 of 255
    "partial": ("5DA9F0", "000000"),  # 154
    "in_progress": ("FFD54F", "000000"),  # 210
    "not_implemented": ("D32F2F", "FFFFFF"),  # 96
    "regressed": ("1A0033", "FFFFFF"),  # 14
    "not_applicable": ("8C8C8C", "FFFFFF"),  # 140, beside 14 and 255
    "unknown": ("FFFFFF", "000000"),  # 255, outlined
}


def write_workbook(path: Path, data: ExportData, warn: Warn) -> None:
    """Write the coalition-meeting workbook for the export data."""
    wb = Workbook(write_only=True)
    summary = _new_sheet(wb, data, "sheet.summary")
    meeting = _MeetingSheet(_new_sheet(wb, data, "sheet.meeting"), data, warn)
    register = _RegisterSheet(_new_sheet(wb, data, "sheet.recommendations"), data, warn)
    actions, evidence, history, about = (
        _new_sheet(wb, data, msg_id)
        for msg_id in ("sheet.actions", "sheet.evidence", "sheet.history", "sheet.about")
    )
    original = _OriginalSheet(create_sheet(wb, ORIGINAL_SHEET))
    _summary_sheet(summary, data, warn)
    if data.meeting_in_order:  # one pass over the register for the three sheets
        for group, row in data.meeting:
            meeting.add(group, row)
            register.add(row)
            original.add(row)
    else:
        for group, row in data.meeting:
            meeting.add(group, row)
        for row in data.recommendations:
            register.add(row)
            original.add(row)
    meeting.end()
    register.end()
    _actions_sheet(actions, data, warn)
    _evidence_sheet(evidence, data, warn)
    _history_sheet(history, data, warn)
    _about_sheet(about, data)
    meta = data.meta
    wb.properties.title = meta["title"]
    wb.properties.subject = f"{i18n.text('summary.status_on', data.lang)} {meta['as_of']}"
    wb.properties.creator = wb.properties.lastModifiedBy = f"rectrack {meta['tool_version']}"
    wb.properties.description = meta["filters"]
    save(wb, path)


# ---------------------------------------------------------------------------------------
# What every sheet shares


def _t(data: ExportData, msg_id: str) -> str:
    return i18n.text(msg_id, data.lang)


def _new_sheet(wb: Workbook, data: ExportData, msg_id: str) -> Any:
    ws: Any = create_sheet(wb, _t(data, msg_id))
    footer = ws.oddFooter
    footer.left.text = data.meta["title"].replace("&", "&&")
    footer.left.size = footer.center.size = footer.right.size = 8
    footer.center.text = _t(data, "footer.page")
    footer.right.text = _t(data, "footer.exported").format(date=data.meta["export_date"])
    ws.page_setup.paperSize = 9  # A4
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    return ws


# How many width units a landscape A4 page holds with the text at 9 points or more (an 11
# point font at 86 %), measured on LibreOffice's PDF; portrait holds two thirds of it.
PAGE_UNITS = 130
READABLE_SCALE = 86


def _print_setup(
    ws: Any, widths: Sequence[int], *, landscape: bool = True, title_rows: str | None = "1:1"
) -> None:
    """How a sheet prints, always at a readable size: fitted to one page wide when its
    columns were chosen to allow it, else at READABLE_SCALE over several pages, the header
    row and the first column repeated on each."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    room = PAGE_UNITS if landscape else PAGE_UNITS * 2 // 3
    if sum(widths) <= room:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:
        ws.page_setup.scale = READABLE_SCALE
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = "A:A"
    if title_rows:
        ws.print_title_rows = title_rows


def _widths(ws: Any, widths: Iterable[int]) -> list[str]:
    letters = []
    for i, width in enumerate(widths, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = width
        letters.append(letter)
    return letters


def _status_colours(ws: Any, ref: str, lang: str, words: bool = False) -> None:
    """Each status in its colours: a cell that holds the status (or, with `words`, one that
    begins with it, as `Partial, since 2024` does)."""
    first = ref.split(":")[0]
    for status, (fill, text) in STATUS_FILLS.items():
        name = status_cell(status, lang)
        style = {
            "fill": PatternFill(start_color=fill, end_color=fill, fill_type="solid"),
            "font": Font(color=text, bold=True),
            "stopIfTrue": True,
        }
        if words:
            rule = FormulaRule(formula=[f'LEFT({first},{len(name)})="{name}"'], **style)
        else:
            rule = CellIsRule(operator="equal", formula=[f'"{name}"'], **style)
        ws.conditional_formatting.add(ref, rule)


def _banded(ws: Any, ref: str) -> None:
    """Every other row on a light fill, so that rows do not run together. Added after a
    sheet's other rules, so that it comes last: where rules meet, LibreOffice applies only
    the first that holds, and a status would lose its colours on every other row."""
    ws.conditional_formatting.add(ref, FormulaRule(formula=["MOD(ROW(),2)=0"], fill=BAND_FILL))


def _list_validation(ws: Any, ref: str, choices: Sequence[str], title: str, error: str) -> None:
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
    )
    validation.add(ref)
    ws.data_validations.append(validation)


def _input_message(ws: Any, ref: str, title: str, prompt: str) -> None:
    validation = DataValidation(
        allow_blank=True, showInputMessage=True, promptTitle=title, prompt=prompt
    )
    validation.add(ref)
    ws.data_validations.append(validation)


def _entry_rules(ws: Any, data: ExportData, columns: Sequence[Any], last: int) -> None:
    """Drop-downs, error alerts and input messages where partners type (the partners'
    columns, and on the Recommendations sheet the columns an import takes edits of); the
    status colours of the Recommendations sheet's status columns."""
    letter = {c.id: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    typed = {c.id for c in columns if c.kind == "input" or c.editable}
    register = columns is RECOMMENDATION_COLUMNS

    def ref(column_id: str) -> str:
        return f"{letter[column_id]}2:{letter[column_id]}{last}"

    assessed = [status_cell(s, data.lang) for s in domain.STATUS_DISPLAY_ORDER if s != "unknown"]
    for column_id in ("status", "new_status"):
        if column_id in letter and (column_id == "new_status" or register):
            _list_validation(
                ws,
                ref(column_id),
                assessed,
                _t(data, "entry.status_title"),
                _t(data, "entry.status"),
            )
    if "priority" in typed:
        priorities = [label("priority.", p, data.lang) for p in domain.PRIORITIES]
        _list_validation(
            ws,
            ref("priority"),
            priorities,
            _t(data, "entry.priority_title"),
            _t(data, "entry.priority"),
        )
    dates = _t(data, "entry.dates")
    if "new_status_date" in typed:
        _input_message(ws, ref("new_status_date"), _t(data, "entry.dates_title"), dates)
    if "due" in typed:
        _input_message(ws, ref("due"), _t(data, "entry.dates_title"), _t(data, "entry.due"))
    for column_id in ("status", "counterpart") if register else ():
        _status_colours(ws, ref(column_id), data.lang)
    if "new_status" in letter:
        _status_colours(ws, ref("new_status"), data.lang)


# ---------------------------------------------------------------------------------------
# Summary


def _summary_sheet(ws: Any, data: ExportData, warn: Warn) -> None:
    """What the export shows and the count of each status by group, with a bar chart; on
    one page."""
    order = domain.STATUS_DISPLAY_ORDER
    widths = [22, *([12] * len(order)), 9]
    _widths(ws, widths)
    for i in range(CHART_COLUMN, CHART_COLUMN + len(order)):  # the chart's copy (see below)
        ws.column_dimensions[get_column_letter(i)].hidden = True
    _print_setup(ws, widths, title_rows=None)
    meta = data.meta
    title_font = Font(name=FONT_NAME, bold=True, size=14)
    ws.append([text_cell(ws, meta["title"], f"{ws.title}!A1", warn, font=title_font)])
    bold = Font(name=FONT_NAME, bold=True)
    writer = RowWriter(ws, [Col(22), Col(12)], warn)
    for n in range(2, 7):
        ws.merged_cells.add(f"B{n}:E{n}")  # room for the longer values
    for n, (msg_id, value) in enumerate(
        (
            ("summary.status_on", date_cell(meta["as_of"])),
            ("summary.whose", i18n.text(f"perspective.{meta['perspective']}", data.lang)),
            ("summary.filters", meta["filters"]),
            ("summary.exported", meta["exported_at"]),
            ("summary.recommendations", meta["recommendations"]),
        ),
        start=2,
    ):
        writer.append(n, [_t(data, msg_id), value])
    ws.append([])
    _summary_table(ws, data, bold, warn)
    if data.groups:
        _summary_chart(ws, data, header_row=8)


CHART_COLUMN = 12  # where the chart's own copy of the counts starts (L), hidden from print


def _chart_copy(counts: Sequence[Any], table_width: int) -> list[Any]:
    """The counts again, from CHART_COLUMN on, with blanks for zeros: a chart draws no bar,
    and writes no count, for a blank."""
    return [None] * (CHART_COLUMN - 1 - table_width) + [c or None for c in counts]


def _summary_table(ws: Any, data: ExportData, bold: Font, warn: Warn) -> None:
    """The groups by status, then all of them, then the share of each status."""
    order = domain.STATUS_DISPLAY_ORDER
    width = len(order) + 2
    right = Alignment(horizontal="right", vertical="top", wrap_text=True)
    head = {"font": HEADER_FONT, "fill": HEADER_FILL, "border": GRID}
    set_row_height(ws, 8, 2)
    labels = [status_cell(s, data.lang) for s in order]
    heads = [
        styled(ws, _t(data, f"group.{data.group_by}"), alignment=TOP_WRAP, **head),
        *(styled(ws, text, alignment=right, **head) for text in labels),
        styled(ws, _t(data, "col.total"), alignment=right, **head),
    ]
    ws.append(heads + _chart_copy(labels, width))
    writer = RowWriter(ws, [Col(22, wrap=True), *[Col(12)] * (len(order) + 1)], warn)
    none = _t(data, "group.none")
    for n, g in enumerate(data.groups, start=9):
        name = g["group"] if not g["group"].startswith("(no ") else none
        counts = [g["counts"][s] for s in order]
        writer.append(n, [name, *counts, g["total"]], _chart_copy(counts, width))
    total = sum(data.counts.values())
    ws.append(
        [
            styled(ws, _t(data, "summary.all"), font=bold, border=GRID),
            *(styled(ws, data.counts[s], font=bold, border=GRID) for s in order),
            styled(ws, total, font=bold, border=GRID),
        ]
    )
    shares = [styled(ws, _t(data, "summary.share"), border=GRID)]
    of_each = domain.shares(data.counts)
    for s in (*order, None):
        share = of_each[s] if s else (1 if total else 0)
        shares.append(styled(ws, share, number_format="0%", border=GRID))
    ws.append(shares)
    if data.group_by in ("theme", "institution"):
        italic = Font(name=FONT_NAME, italic=True)
        ws.append([styled(ws, _t(data, "summary.counted_in_each"), font=italic)])


def _label_text(colour: str) -> RichText:
    return RichText(
        p=[
            Paragraph(
                pPr=ParagraphProperties(
                    defRPr=CharacterProperties(sz=900, b=True, solidFill=colour)
                ),
                endParaRPr=CharacterProperties(),
            )
        ]
    )


def _summary_chart(ws: Any, data: ExportData, header_row: int) -> None:
    """A stacked bar per group, in the order of the table, counts written on the bars, and
    colours that stay apart in black and white."""
    order = domain.STATUS_DISPLAY_ORDER
    last = header_row + len(data.groups)
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    group_name = _t(data, f"group.{data.group_by}").lower()
    chart.title = _t(data, "summary.chart").format(group=group_name, date=data.meta["as_of"])
    chart.y_axis.title = _t(data, "summary.axis")
    chart.y_axis.majorUnit = max(1, -(-max((g["total"] for g in data.groups), default=1) // 8))
    chart.y_axis.number_format = "0"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # the first group at the top, as in the table
    chart.y_axis.crosses = "max"
    chart.legend.position = "b"
    chart.visible_cells_only = False  # its data is the hidden copy
    rows = len(data.groups)
    chart.height = min(4 + 0.8 * rows, 12)
    chart.width = 24  # within the table's width, so that the page need not shrink
    first = CHART_COLUMN
    values = Reference(
        ws, min_col=first, max_col=first + len(order) - 1, min_row=header_row, max_row=last
    )
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last))
    for series, status in zip(chart.series, order, strict=True):
        fill, text = CHART_COLOURS[status]
        series.graphicalProperties.solidFill = fill
        series.graphicalProperties.line.solidFill = "404040"
        series.dLbls = DataLabelList(
            showVal=True, showSerName=False, showCatName=False, showLegendKey=False
        )
        series.dLbls.txPr = _label_text(text)
    anchor_row = last + 4 + (1 if data.group_by in ("theme", "institution") else 0)
    if rows > 6:  # the chart would not fit under the table: it goes on a page of its own
        ws.row_breaks.append(Break(id=anchor_row - 2))
    ws.add_chart(chart, f"A{anchor_row}")


# ---------------------------------------------------------------------------------------
# Meeting


def _reference(row: Mapping[str, Any], lang: str) -> str:
    """`CEDAW-2019-24b` over `CEDAW/C/SRB/CO/4, para. 24(b)`."""
    where = row["document"] or row["body"]
    if row["paragraph"]:
        where += f", {i18n.text('meeting.para', lang)} {row['paragraph']}"
    return f"{row['key']}\n{where}"


def _standing(status: str, since: str | None, grade: str | None, lang: str) -> str:
    line = status_cell(status, lang) + (f" ({grade})" if grade else "")
    return line + (f"\n{i18n.text('meeting.since', lang)} {since}" if since else "")


def _meeting_values(row: Mapping[str, Any], lang: str) -> list[Any]:
    summary = row["summary"] or ""
    text = row["text"]
    recommendation = text if summary.strip() == text.strip() else f"{summary}\n\n{text}"
    due = row["due"] or ""
    if due and row["overdue"]:
        due += f"\n{i18n.text('meeting.overdue', lang)}"
    return [
        _reference(row, lang),
        recommendation,
        _standing(row["status"], row["since"], row["grade"], lang),
        _standing(row["counterpart_status"], row["counterpart_since"], None, lang),
        due or None,
        None,
        None,
        None,
    ]


class _MeetingSheet:
    """Only what a meeting discusses, grouped, made for print: landscape, one page wide at
    a readable size, the header on every page. The recommendations come under each group
    heading in the Summary's order; one in several groups (themes) stands under each."""

    def __init__(self, ws: Any, data: ExportData, warn: Warn):
        self.ws, self.data, self.warn = ws, data, warn
        columns = MEETING_COLUMNS
        widths = [c.width for c in columns]
        self.letters = _widths(ws, widths)
        ws.freeze_panes = "A2"
        _print_setup(ws, widths)
        perspective = data.meta["perspective"]
        inputs = [i for i, c in enumerate(columns) if c.id in INPUT_IDS]
        header_row(ws, [c.header(data.lang, perspective) for c in columns], inputs, widths)
        self.writer = RowWriter(ws, [Col(c.width, wrap=True) for c in columns], warn)
        self.n = 1
        self.heading_style = {
            "font": Font(name=FONT_NAME, bold=True, size=12),
            "fill": GROUP_FILL,
            "border": GRID,
        }
        self.bands: list[str] = []  # the rows of each group, banded; headings keep their fill
        self.group: str | None = None
        self.first = 0  # the first row of the group's recommendations

    def _close_group(self) -> None:
        if self.first:
            self.bands.append(f"A{self.first}:{self.letters[-1]}{self.n}")

    def add(self, group: str | None, row: ExportRow) -> None:
        ws = self.ws
        if not self.first or group != self.group:
            self._close_group()
            self.n += 1
            name = group if group is not None else _t(self.data, "group.none")
            heading = text_cell(ws, name, f"{ws.title}!A{self.n}", self.warn, **self.heading_style)
            ws.append(
                [heading]
                + [styled(ws, None, fill=GROUP_FILL, border=GRID) for _ in MEETING_COLUMNS[1:]]
            )
            ws.merged_cells.add(f"A{self.n}:{self.letters[-1]}{self.n}")
            self.group, self.first = group, self.n + 1
        self.n += 1
        self.writer.append(self.n, _meeting_values(row, self.data.lang))

    def end(self) -> None:
        self._close_group()
        last = max(self.n, 2)
        for letter in self.letters[2:4]:
            _status_colours(self.ws, f"{letter}2:{letter}{last}", self.data.lang, words=True)
        _entry_rules(self.ws, self.data, MEETING_COLUMNS, last)
        if self.bands:
            _banded(self.ws, " ".join(self.bands))


# ---------------------------------------------------------------------------------------
# Recommendations


class _RegisterSheet:
    """One row per recommendation with every column, and the three partners fill in."""

    def __init__(self, ws: Any, data: ExportData, warn: Warn):
        self.ws, self.data = ws, data
        columns = RECOMMENDATION_COLUMNS
        widths = [c.width for c in columns]
        self.letters = _widths(ws, widths)
        ws.freeze_panes = "B2"
        _print_setup(ws, widths)
        perspective = data.meta["perspective"]
        inputs = [i for i, c in enumerate(columns) if c.id in INPUT_IDS]
        header_row(ws, [c.header(data.lang, perspective) for c in columns], inputs, widths)
        self.writer = RowWriter(ws, [Col(c.width, wrap=c.wrap) for c in columns], warn)
        self.values = CellValues(columns, data.lang)
        self.n = 1

    def add(self, row: ExportRow) -> None:
        self.n += 1
        self.writer.append(self.n, self.values(row))

    def end(self) -> None:
        last = max(self.n, 2)
        self.ws.auto_filter.ref = f"A1:{self.letters[-1]}{last}"
        _entry_rules(self.ws, self.data, RECOMMENDATION_COLUMNS, last)
        _banded(self.ws, f"A2:{self.letters[-1]}{last}")


# ---------------------------------------------------------------------------------------
# Actions, Evidence, History


def _table_sheet(
    ws: Any,
    data: ExportData,
    columns: Sequence[tuple[str, int, bool, bool]],
    rows: Iterable[Sequence[Any]],
    warn: Warn,
    status_column: int | None = None,
) -> None:
    """A sheet of rows: (header id, width, wraps, is a link) per column; a frozen header,
    an autofilter, the status colours in the column at `status_column` (by position),
    banding; landscape at a readable size."""
    widths = [width for _, width, _, _ in columns]
    letters = _widths(ws, widths)
    ws.freeze_panes = "A2"
    _print_setup(ws, widths)
    header_row(ws, [_t(data, head) for head, _, _, _ in columns], widths=widths)
    writer = RowWriter(ws, [Col(width, wrap, link) for _, width, wrap, link in columns], warn)
    n = 1
    for n, values in enumerate(rows, start=2):
        writer.append(n, list(values))
    last = max(n, 2)
    ws.auto_filter.ref = f"A1:{letters[-1]}{last}"
    if status_column is not None:
        letter = letters[status_column]
        _status_colours(ws, f"{letter}2:{letter}{last}", data.lang)
    _banded(ws, f"A2:{letters[-1]}{last}")


def _actions_sheet(ws: Any, data: ExportData, warn: Warn) -> None:
    rows = (
        [
            a["id"],
            date_cell(a["date"]),
            label("action.", a["kind"], data.lang),
            a["title"],
            a["institution"],
            a["reference"],
            a["recommendations"],
            a["url"],
            a["description"],
        ]
        for a in data.dated_actions()
    )
    columns = (
        ("col.id", 7, False, False),  # Serbian Oznaka
        ("col.date", 10, False, False),
        ("col.kind", 11, True, False),
        ("col.title", 32, True, False),
        ("col.institution", 18, True, False),
        ("col.official_reference", 15, True, False),
        ("col.recommendations", 17, True, False),
        ("col.url", 24, True, True),
        ("col.description", 30, True, False),
    )
    _table_sheet(ws, data, columns, rows, warn)


def _evidence_sheet(ws: Any, data: ExportData, warn: Warn) -> None:
    rows = (
        [
            e["id"],
            date_cell(e["date"]),
            label("evidence.", e["kind"], data.lang),
            e["title"],
            e["source"],
            e["recommendations"],
            e["actions"],
            e["url"],
            e["file"],
            e["note"],
        ]
        for e in data.dated_evidence()
    )
    columns = (
        ("col.id", 7, False, False),  # Serbian Oznaka
        ("col.date", 10, False, False),
        ("col.kind", 12, True, False),
        ("col.title", 32, True, False),
        ("col.source", 18, True, False),
        ("col.recommendations", 17, True, False),  # as on the Actions sheet
        ("col.actions", 8, True, False),
        ("col.url", 26, True, True),
        ("col.file", 16, True, False),
        ("col.note", 24, True, False),
    )
    _table_sheet(ws, data, columns, rows, warn)


def _with_withdrawal(h: Mapping[str, Any], lang: str) -> str | None:
    """An assessment's note, and when it was withdrawn, by whom and why."""
    if not h["withdrawn"]:
        return h["note"]
    on = (h["withdrawn_at"] or "")[:10]
    mark = f"[{i18n.text('history.withdrawn', lang)} {on}, {h['withdrawn_by']}: {h['withdrawn']}]"
    return f"{h['note']}\n{mark}" if h["note"] else mark


def _history_sheet(ws: Any, data: ExportData, warn: Warn) -> None:
    lang = data.lang
    rows = (
        [
            h["key"],
            date_cell(h["date"]),
            status_cell(h["status"], lang),
            i18n.text(f"who.{h['perspective']}", lang),
            h["grade"],
            _with_withdrawal(h, lang),
            h["evidence"],
            h["recorded_by"],
            h["recorded_at"],
        ]
        for h in data.history
    )
    columns = (
        ("col.key", 17, False, False),  # as on the Meeting sheet: GRETA-2023-0005 fits
        ("col.date", 10, False, False),
        ("col.status", 15, True, False),
        ("col.perspective", 12, True, False),  # Perspective unbroken, in every language
        ("col.grade", 8, True, False),
        ("col.note", 30, True, False),
        ("col.evidence", 9, True, False),
        ("col.recorded_by", 12, True, False),
        ("col.recorded_at", 17, True, False),
    )
    _table_sheet(ws, data, columns, rows, warn, status_column=2)


# ---------------------------------------------------------------------------------------
# About and Original

ABOUT_FIELDS = (
    "title",
    "format",
    "tool_version",
    "schema_version",
    "exported_at",
    "export_date",
    "as_of",
    "perspective",
    "group_by",
    "filters",
    "database",
    "recommendations",
    "language",
)


def _about_sheet(ws: Any, data: ExportData) -> None:
    """What the file is, on one page; column C (hidden) names each field for `import`."""
    _widths(ws, [24, 60, 16])
    ws.column_dimensions["C"].hidden = True
    _print_setup(ws, [24, 60], landscape=False, title_rows=None)
    ws.page_setup.fitToHeight = 1
    wrap = Alignment(vertical="top", wrap_text=True)
    intro = _t(data, "about.intro")
    set_row_height(ws, 1, lines_of(intro, 60))
    ws.append([WORKBOOK_MARKER, styled(ws, intro, alignment=wrap)])
    meta = {**data.meta, "format": WORKBOOK_FORMAT}
    writer = RowWriter(ws, [Col(24), Col(60, wrap=True), Col(16)], lambda message: None)
    for n, key in enumerate(ABOUT_FIELDS, start=2):
        value = meta.get(key)
        writer.append(n, [_t(data, f"about.{key}"), None if value is None else str(value), key])


class _OriginalSheet:
    """What the export said in the columns an import takes (as codes), so that an import
    applies only what partners changed. Very hidden: a partner cannot show or delete it."""

    def __init__(self, ws: Any):
        ws.sheet_state = "veryHidden"
        ws.append(list(ORIGINAL_IDS))
        # No warnings: the Recommendations sheet has warned of the same texts.
        self.writer = RowWriter(ws, [Col(10)] * len(ORIGINAL_IDS), lambda message: None)
        self.n = 1

    def add(self, row: ExportRow) -> None:
        self.n += 1
        values: Mapping[str, Any] = row
        self.writer.append(self.n, [values.get(key) for key in ORIGINAL_IDS])
