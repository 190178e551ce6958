"""Limits on what an import reads, so that a hostile or broken file is refused before it
costs the machine its memory: the size of the file, the unpacked size of a workbook (a
ZIP bomb is refused by what its members declare and by what they really unpack to, before
any XML is parsed), and the rows of a table.

The limits are set in config.toml, under `[limits]` (`file_mb`, `unpacked_mb`, `rows`);
the defaults let a register of 100,000 recommendations through.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from rectrack.errors import RectrackError

MB = 1 << 20
DEFAULT_FILE_MB = 250
DEFAULT_UNPACKED_MB = 1000
DEFAULT_ROWS = 200_000
CHUNK = 1 << 20  # what a member is unpacked by, to measure it

# The start of a row element (`<row ...>`, or `<x:row>` with a namespace prefix).
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,20}:)?row[\s>/]")
_ROW_LONGEST = 28
# What no workbook holds: a document type declaration (the way to entity expansion attacks).
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DOCTYPE_LONGEST = 9
# How a worksheet's XML ends: its last tag (`</worksheet>`, `</x:worksheet>`), or a comment
# or processing instruction after it.
_WHOLE_ENDS = (b"worksheet>", b"-->", b"?>")
_END_LONGEST = 16


@dataclass(frozen=True)
class Limits:
    file_mb: int = DEFAULT_FILE_MB
    unpacked_mb: int = DEFAULT_UNPACKED_MB
    rows: int = DEFAULT_ROWS


def limits() -> Limits:
    """The limits in force: `[limits]` of config.toml over the defaults."""
    from rectrack.settings import config_path, load_config

    given = load_config().get("limits", {})
    for name, value in given.items():
        if value < 1:
            raise RectrackError(f"{config_path()}: 'limits.{name}' should be 1 or more")
    return Limits(**given)


def _raise_hint(name: str) -> str:
    from rectrack.settings import config_path

    return f"if the file is genuine, raise [limits] {name} in {config_path()}"


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size:,} bytes"


def check_file_size(path: Path, limit: Limits | None = None) -> None:
    """Refuse a file larger than the limit (`file_mb`)."""
    limit = limit or limits()
    try:
        size = path.stat().st_size
    except OSError as e:
        raise RectrackError(f"cannot read {path}: {e.strerror or e}") from None
    if size > limit.file_mb * MB:
        raise RectrackError(
            f"{path.name}: {_mb(size)}, more than the {limit.file_mb:,} MB an import reads "
            f"({_raise_hint('file_mb')})"
        )


def too_many_rows(name: str, limit: Limits, rows: int | None = None) -> RectrackError:
    """The error for a table with more rows than the limit (`rows` counted, if known)."""
    if rows is None:
        counted = f"more than {limit.rows:,} rows, the most an import reads"
    else:
        counted = f"{rows:,} rows, more than the {limit.rows:,} an import reads"
    return RectrackError(f"{name}: {counted} ({_raise_hint('rows')})")


@dataclass
class Package:
    """What the scan of a workbook's package found: the rows of each worksheet, by the
    member's name (`xl/worksheets/sheet1.xml`)."""

    rows: dict[str, int] = field(default_factory=dict)
    # The worksheets whose XML ends before their last tag (cut short), by member's name.
    cut: set[str] = field(default_factory=set)

    def check_rows(self, name: str, sheet: Any, limit: Limits) -> None:
        """Refuse a sheet (openpyxl's read-only worksheet) with too many rows."""
        member = str(getattr(sheet, "_worksheet_path", "") or "").lstrip("/")
        rows = self.rows.get(member)
        if rows is not None and rows > limit.rows:
            raise too_many_rows(f"{name}!{sheet.title}", limit, rows)

    def check_whole(self, name: str, wb: Any) -> None:
        """Refuse a workbook with a sheet cut short, whether it is read or not (a reader
        parses only the sheets it reads)."""
        for sheet in wb.worksheets:
            member = str(getattr(sheet, "_worksheet_path", "") or "").lstrip("/")
            if member in self.cut:
                raise RectrackError(
                    f"{name}!{sheet.title}: not a readable workbook: broken XML (it ends "
                    "before its last tag: cut short?)"
                )


_scanned: dict[tuple[str, int, int, Limits], Package] = {}


def check_package(path: Path, limit: Limits | None = None) -> Package:
    """Scan a workbook (a ZIP package) before it is parsed: its size, what each member
    declares it unpacks to, what each really unpacks to (read in chunks, stopping at the
    limit), no document type declaration in any XML member, and the rows of each
    worksheet. Raises RectrackError naming the file and the member."""
    limit = limit or limits()
    check_file_size(path, limit)
    if not zipfile.is_zipfile(path):
        with path.open("rb") as f:
            damaged = f.read(4) == b"PK\x03\x04"
        raise RectrackError(
            f"{path.name}: a damaged workbook (its ZIP directory is missing: truncated?)"
            if damaged
            else f"{path.name}: not a workbook (a workbook is a ZIP package; this file is not)"
        )
    stat = path.stat()
    cache_key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, limit)
    if cache_key in _scanned:
        return _scanned[cache_key]
    budget = limit.unpacked_mb * MB
    too_big = (
        f"more than the {limit.unpacked_mb:,} MB a workbook may unpack to (a ZIP bomb? "
        f"{_raise_hint('unpacked_mb')})"
    )
    package = Package()
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            declared = sum(m.file_size for m in members)
            if declared > budget:
                biggest = max(members, key=lambda m: m.file_size)
                raise RectrackError(
                    f"{path.name}:{biggest.filename}: declares {_mb(biggest.file_size)} "
                    f"unpacked ({_mb(declared)} in all), {too_big}"
                )
            unpacked = 0
            for member in members:
                if member.is_dir():
                    continue
                unpacked = _scan_member(z, member, path.name, budget, unpacked, too_big, package)
    except (RectrackError, MemoryError, RecursionError):
        raise
    except Exception as e:  # BadZipFile, zlib.error, EOFError, an unknown compression...
        raise RectrackError(f"{path.name}: a damaged workbook ({_reason(e)})") from None
    if len(_scanned) > 16:
        _scanned.clear()
    _scanned[cache_key] = package
    return package


def _scan_member(
    z: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    name: str,
    budget: int,
    unpacked: int,
    too_big: str,
    package: Package,
) -> int:
    """Unpack one member in chunks: count it against the budget, look for a DTD in an XML
    member and count the rows of a worksheet. The total unpacked so far."""
    xml = member.filename.endswith((".xml", ".rels", ".vml"))
    worksheet = member.filename.startswith("xl/worksheets/sheet") and xml
    rows = 0
    tail = b""
    last = b""  # the last bytes of the member that are not white space
    size = 0
    with z.open(member) as f:
        while chunk := f.read(CHUNK):
            size += len(chunk)
            unpacked += len(chunk)
            if unpacked > budget:
                raise RectrackError(
                    f"{name}:{member.filename}: unpacks to {_mb(size)} or more (it declares "
                    f"{_mb(member.file_size)}), {too_big}"
                )
            if not xml:
                continue
            buffer = tail + chunk
            found = _DOCTYPE.search(buffer)
            if found:
                raise RectrackError(
                    f"{name}:{member.filename}: holds a document type declaration "
                    f"({found.group().decode()}), which no workbook has: refused as an XML "
                    "entity attack"
                )
            if worksheet:
                rows += sum(1 for m in _ROW.finditer(buffer) if m.end() > len(tail))
                if stripped := chunk.rstrip():
                    last = (last + stripped)[-_END_LONGEST:]
            tail = buffer[-max(_ROW_LONGEST, _DOCTYPE_LONGEST) :]
    if worksheet:
        package.rows[member.filename] = rows
        if not last.endswith(_WHOLE_ENDS):
            package.cut.add(member.filename)
    return unpacked


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    if isinstance(error, EOFError) or not text:
        text = text or "it ends too early: truncated?"
    return " ".join(text.split())[:200]


def workbook_error(name: str, error: BaseException) -> RectrackError:
    """A workbook that a parser could not read (broken XML, a missing part, a value of the
    wrong kind), as a one-line error."""
    from xml.etree.ElementTree import ParseError

    kind = type(error).__name__
    if isinstance(error, (ParseError, SyntaxError)) or kind.endswith("SyntaxError"):
        what = f"broken XML ({_reason(error)})"
    elif kind in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"):
        what = f"XML with entities or a DTD, refused as an attack ({_reason(error)})"
    elif isinstance(error, KeyError):
        what = f"a part is missing ({_reason(error)})"
    else:
        what = _reason(error) or kind
    return RectrackError(f"{name}: not a readable workbook: {what}")


def load_workbook(path: Path) -> tuple[Any, Package]:
    """A workbook opened read-only (values, not formulas) after its package passed the
    scan; a file that is no workbook or a broken one is refused in one line.

    Opened as openpyxl's `load_workbook(read_only=True, data_only=True)` opens it, less the
    relationships of each sheet, which a read-only workbook reads and then drops: a sheet
    of 100,000 links (Evidence) made them 180 MB."""
    package = check_package(path)
    handle = path.open("rb")
    try:
        # Opened as a file, so that a workbook saved under another name (.csv) still opens.
        reader = _reader_class()(handle, read_only=True, data_only=True)
        reader.read()
        wb = reader.wb
    except (MemoryError, RecursionError):
        handle.close()
        raise
    except Exception as e:
        handle.close()
        raise workbook_error(path.name, e) from None
    original_close = wb.close

    def close() -> None:
        original_close()
        handle.close()

    wb.close = close  # the file goes with the workbook
    try:
        package.check_whole(path.name, wb)
    except RectrackError:
        wb.close()
        raise
    return wb, package


@functools.cache
def _reader_class() -> type:
    """openpyxl's ExcelReader, its sheets read as a read-only workbook has them (each a
    ReadOnlyWorksheet, a chart sheet as a chart sheet) without parsing their relationships,
    which only a workbook opened for editing keeps, nor their dimensions: a sheet that does
    not declare them (openpyxl's write-only mode, which `export` uses, does not) is parsed
    whole to find them, and every reader here reads a sheet as after `reset_dimensions()`,
    without them."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            pass

    class Reader(ExcelReader):
        def read_worksheets(self) -> None:
            if not self.read_only:
                super().read_worksheets()
                return
            reader: Any = self  # openpyxl's own names, as its read_worksheets uses them
            for sheet, rel in reader.parser.find_sheets():
                if rel.target not in reader.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    reader.read_chartsheet(sheet, rel)
                    continue
                ws = Sheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
                ws.sheet_state = sheet.state
                reader.wb._sheets.append(ws)

    return Reader


def sheet_rows(
    name: str, ws: Any, package: Package, first: int = 1
) -> Generator[tuple[Any, ...], None, None]:
    """The rows of a sheet as value tuples, from row `first`, read in a stream: refused
    when the sheet has more rows than the limit (counted before it is read), and a broken
    sheet refused in one line. The values are those of openpyxl's `iter_rows(values_only=
    True)` on the read-only worksheet (a missing row is an empty tuple)."""
    for _, values, _ in sheet_stream(name, ws, package, first):
        yield values


def sheet_stream(
    name: str, ws: Any, package: Package, first: int = 1, columns: Iterable[int] | None = None
) -> Iterator[tuple[int, tuple[Any, ...], Callable[[], tuple[Any, ...]]]]:
    """The rows of a sheet as `sheet_rows` gives them, each with its number and, with
    `columns` (positions from 0), only the cells of those columns read (the others are
    None), and a function that reads the whole row, for as long as the row is the current
    one: a reader that takes a few columns of most rows and all of some."""
    limit = limits()
    package.check_rows(name, ws, limit)
    try:
        ws.reset_dimensions()
        for number, values, whole in _values(ws, first, columns):
            if number > limit.rows:
                raise too_many_rows(f"{name}!{ws.title}", limit)
            yield number, values, whole
    except (RectrackError, MemoryError, RecursionError):
        raise
    except Exception as e:
        raise workbook_error(f"{name}!{ws.title}", e) from None


def _no_row() -> tuple[Any, ...]:
    return ()


def _values(
    ws: Any, first: int, columns: Iterable[int] | None
) -> Iterator[tuple[int, tuple[Any, ...], Callable[[], tuple[Any, ...]]]]:
    """Each row of a read-only worksheet from row `first`, numbered, as openpyxl's
    `iter_rows(min_row=first, values_only=True)` gives it after `reset_dimensions()`: a
    missing row empty, a row as wide as its last cell, a row that does not come after the
    one before passed over. Only the cells of `columns` are read (all without it), with
    a function that reads the whole row while it is the current one."""
    from openpyxl.worksheet._reader import ROW_TAG
    from openpyxl.xml.functions import iterparse

    wanted = None if columns is None else frozenset(columns)
    with ws._get_source() as source:
        cells = _Cells(ws, source)
        expected = first  # the number of the next row to give
        number = 0
        for _, element in iterparse(source):
            if element.tag != ROW_TAG:
                continue
            r = element.get("r")
            number = _row_number(r) if r is not None else number + 1
            if number >= expected:
                while expected < number:
                    yield expected, (), _no_row
                    expected += 1
                expected += 1
                cells.parser.row_counter = number
                whole = functools.partial(cells.values, element, None)
                yield number, cells.values(element, wanted), whole
            element.clear()


class _Cells:
    """The values of a row element of a worksheet, each read by openpyxl's own parser of
    cells, except an inline string of plain text (no formatting runs), taken as its text
    at once."""

    def __init__(self, ws: Any, source: Any):
        from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
        from openpyxl.xml.constants import SHEET_MAIN_NS

        wb = ws.parent
        self.parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        self.inline = INLINE_STRING
        self.plain = f"{{{SHEET_MAIN_NS}}}t"
        self.positions: dict[str, int] = {}  # column letters -> position from 0

    def values(self, element: Any, wanted: frozenset[int] | None) -> tuple[Any, ...]:
        from openpyxl.cell.text import Text

        parse_cell = self.parser.parse_cell
        positions = self.positions
        width = 0
        found: dict[int, Any] = {}
        column = -1
        for cell in element:
            reference = cell.get("r")
            if reference:
                letters = reference.rstrip("0123456789")
                at = positions.get(letters)
                if at is None or len(letters) == len(reference):
                    at = positions[letters] = _position(reference)
                column = at
            else:
                column += 1
            width = column + 1
            if wanted is not None and column not in wanted:
                continue
            if cell.get("t") == "inlineStr":
                text = cell.find(self.inline)
                if text is None:
                    value = None
                elif len(text) == 1 and text[0].tag == self.plain and not len(text[0]):
                    value = text[0].text or ""
                else:
                    value = cast(Any, Text.from_tree(text)).content
            else:
                self.parser.col_counter = column
                value = parse_cell(cell)["value"]
            found[column] = value
        if not found:
            return (None,) * width
        return tuple(found.get(i) for i in range(width))


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(value)


def _position(reference: str) -> int:
    """The column of a cell reference (`AB12`), from 0, as openpyxl reads it (a reference
    it cannot read raises as it does)."""
    from openpyxl.utils import coordinate_to_tuple

    return int(coordinate_to_tuple(reference)[1]) - 1
