"""Cells of a write-only sheet: styles, safe text, and rows written fast.

A StreamSheet (see `stream`) writes each row as text as soon as it is given, so each column
needs its style only once: every cell gets its column's style (top-aligned, wrapped where
the column wraps, dates as dates) for little more than the cost of its value.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import textwrap
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from rectrack.io.sheet import CUT_MARKER, FORMULA_STARTS, LIST_SEPARATOR, MAX_CELL
from rectrack.io.xlsx.stream import escape

FONT_NAME = "Calibri"
BODY_SIZE = 11
LINE_HEIGHT = 15  # points, for an 11-point font
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(name=FONT_NAME, size=BODY_SIZE, bold=True, color="FFFFFF")
INPUT_FILL = PatternFill("solid", fgColor="FFE8A3")  # the columns partners fill in
INPUT_FONT = Font(name=FONT_NAME, size=BODY_SIZE, bold=True, color="3D2E00")
GROUP_FILL = PatternFill("solid", fgColor="DCE6F1")
BAND_FILL = PatternFill("solid", fgColor="F3F6FA")
HAIRLINE = Side(style="thin", color="C8C8C8")
GRID = Border(left=HAIRLINE, right=HAIRLINE, top=HAIRLINE, bottom=HAIRLINE)
TOP = Alignment(vertical="top")
TOP_LEFT = Alignment(vertical="top", horizontal="left")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"

# Characters a cell refuses: control characters, and those XML has no place for.
REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# A row needs the careful path when a text holds a character cells refuse, or starts like
# a formula; everything else is written as it is.
_FORMULA_STARTS = frozenset("".join(FORMULA_STARTS))


class _Text(str):
    """Text that starts like a formula: written as text."""


def safe_text(value: str, where: Callable[[], str], warn: Callable[[str], None]) -> str:
    """A text as a cell can hold it: refused characters removed, cut to Excel's limit with a
    visible marker and a warning, marked when it starts like a formula."""
    text = REFUSED.sub("", value)
    if len(text) > MAX_CELL:
        keep = MAX_CELL - 60
        text = text[:keep] + f"{CUT_MARKER}{len(text) - keep:,} more characters]"
        warn(f"{where()}: text longer than Excel's {MAX_CELL:,} characters was cut")
    return _Text(text) if text.startswith(FORMULA_STARTS) else text


# How many characters of ordinary text a column holds per unit of its width: a unit is the
# width of a digit, and most letters are narrower (measured on LibreOffice's PDF).
CHARS_PER_UNIT = 1.25


def lines_of(text: str, width: int, bold: bool = False) -> int:
    """How many lines a text takes, word-wrapped in a column `width` units wide (as
    `textwrap.wrap` wraps it, a line for each line break)."""
    per_line = max(int(width * (1.0 if bold else CHARS_PER_UNIT)) - 1, 4)
    if len(text) <= per_line and "\t" not in text:  # no line of it is too long
        return text.count("\n") + 1
    return sum(_wrapped(part, per_line) for part in text.split("\n"))


# A line that `_wrapped` can count without textwrap: words between single spaces, no other
# white space, and no hyphen where textwrap may break a word (after a letter, as in
# `well-known`, or two of them, a dash; or in a word too long for a line): `2016-03` and
# `-5` are words like any other.
_NOT_PLAIN = re.compile(r"[^\S ]|[^\d\W]-|--|  |^ | $")


@functools.lru_cache(maxsize=64)
def _wrapper(width: int) -> textwrap.TextWrapper:
    return textwrap.TextWrapper(width=width, break_long_words=True)


def _wrapped(line: str, width: int) -> int:
    """How many lines `textwrap.wrap(line, width)` gives (at least one). A line of words
    between single spaces is counted by jumping from space to space, as textwrap breaks
    it: a word too long for any line fills the rest of the line it starts on."""
    end = len(line)
    if end <= width and "\t" not in line:
        return 1
    if _NOT_PLAIN.search(line) or ("-" in line and max(map(len, line.split(" "))) > width):
        return len(_wrapper(width).wrap(line)) or 1
    lines, start = 1, 0
    while start + width < end:
        limit = start + width
        lines += 1
        if line[limit] == " ":
            start = limit + 1
            continue
        space = line.rfind(" ", start, limit)
        if space < 0:
            start = limit  # a word longer than a line, cut
            continue
        after = line.find(" ", space + 1)
        word = (after if after >= 0 else end) - space - 1
        start = limit if word > width else space + 1
    return lines


def row_height(lines: int) -> int:
    """The height in points of a row of `lines` lines of wrapped text."""
    return min(lines * LINE_HEIGHT + 2, 409)


def set_row_height(ws: Any, number: int, lines: int) -> None:
    """Give a row the height its wrapped text needs: not every spreadsheet fits rows to
    wrapped text when it opens a file. The write-only writer reads a row's attributes with
    `row_dimensions.get(n)`; a plain mapping of them costs a tenth of a RowDimension."""
    height = row_height(lines)
    dict.__setitem__(ws.row_dimensions, number, {"ht": str(height), "customHeight": "1"})


def styled(ws: Any, value: Any = None, **style: Any) -> Any:
    """A write-only cell with a value and style attributes (font, fill, alignment...)."""
    cell: Any = WriteOnlyCell(ws, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def text_cell(ws: Any, text: str, where: str, warn: Callable[[str], None], **style: Any) -> Any:
    """A styled write-only cell of user text (a title, a group's name) at `where`
    (`Summary!A1`), made safe as `safe_text` makes it: one that starts like a formula stays
    text."""
    value = safe_text(text, lambda: where, warn)
    cell = styled(ws, value, **style)
    if value.__class__ is _Text:
        cell.data_type = "s"  # text, never a formula
    return cell


@dataclass(frozen=True)
class Col:
    """How a sheet column is written: its width, whether it wraps, and whether its values
    are links (a URL becomes a hyperlink)."""

    width: int
    wrap: bool = False
    link: bool = False


def header_row(
    ws: Any, headers: Sequence[str], inputs: Sequence[int] = (), widths: Sequence[int] = ()
) -> None:
    """The header row (the sheet's first): bold, wrapped, top-aligned, as tall as its
    longest header needs in its column's width; the partners' columns (by position) on a
    light fill, every other on dark."""
    if widths:
        lines = max(lines_of(h, w, bold=True) for h, w in zip(headers, widths, strict=True))
        set_row_height(ws, 1, lines)
    cells = []
    for i, text in enumerate(headers):
        is_input = i in inputs
        cells.append(
            styled(
                ws,
                text,
                font=INPUT_FONT if is_input else HEADER_FONT,
                fill=INPUT_FILL if is_input else HEADER_FILL,
                alignment=TOP_WRAP,
                border=GRID,
            )
        )
    ws.append(cells)


LINK_FONT = Font(name=FONT_NAME, size=BODY_SIZE, color="1F4E9E", underline="single")


class RowWriter:
    """Writes data rows: every cell in its column's style and with a light grid; values made
    safe (see `safe_text`); rows as tall as their wrapped text; links as hyperlinks. The
    rows go to a StreamSheet as text, each cell with its column's style id (see
    `StreamSheet.cell`); a text, the most common cell, is written here directly."""

    def __init__(self, ws: Any, columns: Sequence[Col], warn: Callable[[str], None]):
        self.ws = ws
        self.columns = list(columns)
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        self.warn = warn
        self.templates = [self._template(c, None) for c in columns]
        self.date_templates = [self._template(c, DATE_FORMAT) for c in columns]
        self.links = {i for i, c in enumerate(columns) if c.link}
        # The most characters a line of each wrapped column holds (0: it does not wrap).
        self.per_line = [
            max(int(c.width * CHARS_PER_UNIT) - 1, 4) if c.wrap else 0 for c in columns
        ]
        # Style ids by column, found when first written (openpyxl numbers styles so).
        self._styles: dict[tuple[str, int], int] = {}
        self._plain: list[str | None] = [None] * len(columns)  # ` s="N"` of each column

    def _template(self, column: Col, number_format: str | None) -> Any:
        cell = styled(
            self.ws,
            alignment=TOP_WRAP if column.wrap else TOP_LEFT if number_format else TOP,
            border=GRID,
            font=Font(name=FONT_NAME, size=BODY_SIZE),
        )
        if number_format:
            cell.number_format = number_format
        return cell

    def _style(self, kind: str, index: int) -> int:
        """The style id of column `index`'s cells: `plain`, `date` or `link`."""
        found = self._styles.get((kind, index))
        if found is None:
            template = (self.date_templates if kind == "date" else self.templates)[index]
            if kind == "link":  # a link is the column's style in the link font
                template = styled(self.ws)
                template._style = copy(self.templates[index]._style)
                template.font = LINK_FONT
            found = self._styles[(kind, index)] = template.style_id
        return found

    def _wraps(self, text: str, index: int) -> bool:
        """Whether a text may take more than one line of its (wrapped) column: longer than
        a line, or broken; a tab widens it too, beyond the column's width."""
        return (
            len(text) > self.per_line[index]
            or "\n" in text
            or ("\t" in text and len(text) > self.columns[index].width)
        )

    def _place(self, index: int, number: int) -> Callable[[], str]:
        return lambda: f"{self.ws.title}!{self.letters[index]}{number}"

    def append(self, number: int, values: list[Any], plain: Sequence[Any] = ()) -> None:
        """Write row `number` (1-based, as the sheet counts) with these values, then the
        `plain` ones as they are, unstyled."""
        ws = self.ws
        if number != ws.row + 1:
            raise ValueError(f"{ws.title}: row {number} comes after row {ws.row}")
        values = [(LIST_SEPARATOR.join(v) or None) if v.__class__ is list else v for v in values]
        texts = [v for v in values if v.__class__ is str]
        joined = "".join(texts)
        careful = (
            len(joined) > MAX_CELL
            or REFUSED.search(joined) is not None
            or not _FORMULA_STARTS.isdisjoint([v[:1] for v in texts])
        )
        lines = 1
        row = str(number)
        cells: list[str] = []
        add = cells.append
        per_line, letters, styles = self.per_line, self.letters, self._plain
        for i, value in enumerate(values):
            kind = value.__class__
            if kind is str and careful:
                value = safe_text(value, self._place(i, number), self.warn)
                kind = value.__class__
            if kind is str and value and i not in self.links and value not in ERROR_CODES:
                if per_line[i] and self._wraps(value, i):
                    lines = max(lines, lines_of(value, self.columns[i].width))
                style = styles[i]
                if style is None:
                    style = styles[i] = f' s="{self._style("plain", i)}"'
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                if "&" in value or "<" in value or ">" in value or "\r" in value:
                    value = escape(value)
                add(f'<c r="{letters[i]}{row}"{style} t="inlineStr"><is><t{space}>')
                add(f"{value}</t></is></c>")
                continue
            if (kind is str or kind is _Text) and per_line[i] and self._wraps(value, i):
                lines = max(lines, lines_of(value, self.columns[i].width))
            ref = letters[i] + row
            if kind is dt.date:
                add(ws.cell(ref, value, self._style("date", i), "d"))
            elif kind is _Text:  # text, never a formula
                add(ws.cell(ref, value, self._style("plain", i), "s"))
            elif value and i in self.links:
                add(ws.cell(ref, value, self._style("link", i)))
                ws.link(ref, value)
            else:
                add(ws.cell(ref, value if value != "" else None, self._style("plain", i)))
        for j, value in enumerate(plain, start=len(values) + 1):
            if value is not None:
                add(ws.cell(f"{get_column_letter(j)}{row}", value, None))
        ws.write_row("".join(cells), row_height(lines) if lines > 1 else None)
