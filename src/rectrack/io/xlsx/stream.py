"""Worksheets written straight to their XML, a row at a time.

openpyxl's write-only worksheets make a cell object for every value, bind its type and
serialise it through lxml: most of an export's time. A `StreamSheet` is a write-only
worksheet whose rows are written as text instead, cell for cell as openpyxl writes them
(`openpyxl.cell._writer.lxml_write_cell`): the same types, styles (by openpyxl's style ids),
inline strings and hyperlinks. Everything around the rows (column widths, panes, merged
cells, conditional formats, drop-downs, print setup, footers, charts) is openpyxl's own.

A hyperlink costs a line in a temporary file, not objects held until the sheet is saved:
the sheet's relationships are added by `save` once openpyxl has written the workbook.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.packaging.relationship import RelationshipList, get_rels_path
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet import _writer
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import tostring

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK = f"{REL_NS}/hyperlink"
PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_TEXT = 32_767  # openpyxl cuts a longer text to this


def escape(text: str) -> str:
    """Text as an element holds it (as lxml writes it: a carriage return as a reference,
    so that it is not read back as a line break)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attribute(text: str) -> str:
    text = escape(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    for char, reference in (("\n", "&#10;"), ("\t", "&#9;")):
        if char in text:
            text = text.replace(char, reference)
    return text


def data_type(value: Any) -> str:
    """The type openpyxl gives a value (`Cell._bind_value`): `s` text, `f` formula, `e`
    error, `n` number (or nothing), `b` boolean, `d` date."""
    kind = value.__class__
    if kind is str:
        if len(value) > 1 and value[0] == "=":
            return "f"
        return "e" if value in ERROR_CODES else "s"
    if value is None or kind is int or kind is float:
        return "n"
    if kind is bool:
        return "b"
    if kind is dt.date:
        return "d"
    raise TypeError(f"a sheet cell cannot hold {value!r}")


def _number(value: Any) -> str:
    if math.isnan(value) or math.isinf(value):
        return ""
    return f"{value:.16g}"


class StreamSheet(WriteOnlyWorksheet):
    """A write-only worksheet whose rows are written as XML text (see the module). Rows go
    through `append` (openpyxl cells and plain values, for a few styled rows) or through
    `write_row` (cells made with `cell`, for many)."""

    def __init__(self, parent: Workbook, title: str):
        super().__init__(parent, title)
        self.row = 0  # the last row written
        self._done = False
        self._file: IO[bytes] | None = None
        self._links: IO[str] | None = None  # "ref\ttarget" lines
        self._dates: dict[dt.date, str] = {}

    @property
    def closed(self) -> bool:
        return self._done

    # -- cells -----------------------------------------------------------------------

    def cell(self, ref: str, value: Any, style: int | None, kind: str | None = None) -> str:
        """The XML of a cell at `ref` (`B7`) with this value and style id (None: no style),
        as openpyxl writes it; `kind` is its type (see `data_type`) when known. An empty
        cell without a style is nothing."""
        if kind is None:
            kind = data_type(value)
        s = "" if style is None else f' s="{style}"'
        if value is None or value == "":
            if style is None and value is None:
                return ""
            t = "inlineStr" if kind == "s" else kind
            return f'<c r="{ref}"{s} t="{t}"></c>'
        if kind == "s":
            if len(value) > MAX_TEXT:
                value = value[:MAX_TEXT]
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
        if kind == "n":
            return f'<c r="{ref}"{s} t="n"><v>{_number(value)}</v></c>'
        if kind == "d":
            serial = self._dates.get(value)
            if serial is None:
                wb: Any = self.parent
                serial = self._dates[value] = _number(to_excel(value, wb.epoch))
            return f'<c r="{ref}"{s} t="n"><v>{serial}</v></c>'
        if kind == "b":
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if kind == "f":
            return f'<c r="{ref}"{s}><f>{escape(value[1:])}</f><v></v></c>'
        if kind == "e":
            return f'<c r="{ref}"{s} t="e"><v>{escape(value)}</v></c>'
        raise TypeError(f"a sheet cell cannot hold {value!r}")

    def link(self, ref: str, target: str) -> None:
        """Make the cell at `ref` a hyperlink to `target`."""
        if self._links is None:
            self._links = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
        self._links.write(f"{ref}\t{escape_attribute(target)}\n")

    def _row_xml(self, values: Iterable[Any]) -> str:
        """openpyxl cells (`WriteOnlyCell`) and plain values, from column A."""
        parts = []
        for number, value in enumerate(values, start=1):
            ref = f"{get_column_letter(number)}{self.row + 1}"
            if isinstance(value, Cell):
                style = value.style_id if value.has_style else None
                kind = "s" if value.data_type == "s" else value.data_type
                parts.append(self.cell(ref, value._value, style, kind))  # type: ignore[attr-defined]
                if value.hyperlink is not None and value.hyperlink.target:
                    self.link(ref, value.hyperlink.target)
            elif value is not None:
                parts.append(self.cell(ref, value, None))
        return "".join(parts)

    # -- rows ------------------------------------------------------------------------

    def append(self, row: Sequence[Any]) -> None:
        """Write the next row: openpyxl cells and plain values; its height is the one
        `row_dimensions` gives it, if any."""
        self.write_row(self._row_xml(row))

    def write_row(self, cells: str, height: int | None = None) -> None:
        """Write the next row of cells (see `cell`), `height` points tall if given."""
        if self._file is None:
            self._open()
        assert self._file is not None
        self.row += 1
        attrs = ""
        sheet: Any = self
        extra = dict.pop(sheet.row_dimensions, self.row, None)
        if extra:
            attrs = "".join(f' {k}="{escape_attribute(str(v))}"' for k, v in dict(extra).items())
        if height is not None:
            attrs = f' ht="{height}" customHeight="1"'
        self._file.write(f'<row r="{self.row}"{attrs}>{cells}</row>'.encode())

    def _open(self) -> None:
        writer = _SheetWriter(self)
        self._writer = writer
        self._file = writer.file
        writer.write_top()
        self._file.write(b"<sheetData>")

    def close(self) -> None:
        if self._done:
            raise ValueError(f"sheet {self.title} is already saved")
        if self._file is None:
            self._open()
        assert self._file is not None and self._writer is not None
        self._file.write(b"</sheetData>")
        self._writer.write_tail()
        self._writer.close()
        self._done = True

    def _write_hyperlinks(self, out: IO[bytes]) -> None:
        if self._links is None:
            return
        self._links.seek(0)
        out.write(b"<hyperlinks>")
        for number, line in enumerate(self._links, start=1):
            ref = line.split("\t", 1)[0]
            out.write(f'<hyperlink xmlns:r="{REL_NS}" ref="{ref}" r:id="rId{number}"/>'.encode())
        out.write(b"</hyperlinks>")

    def _write_relationships(self, archive: ZipFile) -> None:
        """The sheet's relationships (its hyperlinks), once the workbook is written."""
        if self._links is None:
            return
        self._links.seek(0)
        entry = ZipInfo(get_rels_path(self.path)[1:], date_time=time.localtime()[:6])
        entry.compress_type = ZIP_DEFLATED
        with archive.open(entry, "w", force_zip64=True) as out:
            out.write(f'<Relationships xmlns="{PACKAGE_RELS_NS}">'.encode())
            for number, line in enumerate(self._links, start=1):
                target = line.rstrip("\n").split("\t", 1)[1]
                out.write(
                    f'<Relationship Type="{HYPERLINK}" Target="{target}" '
                    f'TargetMode="External" Id="rId{number}"/>'.encode()
                )
            out.write(b"</Relationships>")
        self._links.close()
        self._links = None


class _Elements:
    """What openpyxl's worksheet writer sends its elements to: here, the sheet's file."""

    def __init__(self, file: IO[bytes]):
        self.file = file

    def send(self, element: Any) -> None:
        if element is not None:
            self.file.write(tostring(element))

    def close(self) -> None:
        pass


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer for everything around the rows, writing to a file."""

    def __init__(self, ws: StreamSheet):
        self.ws = ws
        sheet: Any = ws
        sheet._hyperlinks = []
        sheet._comments = []
        # Looked up when called: `formats.openpyxl_temporary_files` decides where they go.
        self.out = _writer.create_temporary_file()
        self._rels = RelationshipList()
        self.file: IO[bytes] = open(self.out, "wb")  # noqa: SIM115 - closed by close()
        self.file.write(f'<worksheet xmlns="{SHEET_MAIN_NS}">'.encode())
        self.xf = _Elements(self.file)  # type: ignore[assignment]

    def write_hyperlinks(self) -> None:
        if self._rels:
            raise ValueError("a sheet with hyperlinks has no other relationships")
        ws: Any = self.ws
        ws._write_hyperlinks(self.file)
        if ws._links is not None:
            self._rels = _Linked()

    def close(self) -> None:
        if not self.file.closed:
            self.file.write(b"</worksheet>")
            self.file.close()


class _Linked(RelationshipList):
    """The relationships of a sheet with hyperlinks: written by `save`, not by openpyxl
    (which would hold an object for each)."""

    def __bool__(self) -> bool:
        return False

    def append(self, value: Any) -> None:
        raise ValueError("a sheet with hyperlinks has no other relationships")


def create_sheet(wb: Workbook, title: str) -> StreamSheet:
    """A new StreamSheet, after the workbook's other sheets."""
    ws = StreamSheet(wb, title)
    wb._add_sheet(ws)  # type: ignore[attr-defined]
    return ws


def save(wb: Workbook, path: Path) -> None:
    """Write the workbook as openpyxl does, and then add the relationships of its sheets'
    hyperlinks to it (openpyxl would build an element for each in memory, some 1 KB)."""
    wb.save(path)
    with ZipFile(path, "a", ZIP_DEFLATED, allowZip64=True) as archive:
        for ws in wb.worksheets:
            if isinstance(ws, StreamSheet):
                ws._write_relationships(archive)
