"""Reading a workbook of rectrack's back: the Recommendations rows, the rows of the Meeting
sheet, and what the About and Original sheets remember of the export. The sheets and
columns are found by their names in any language of the export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from rectrack import i18n
from rectrack.errors import RectrackError
from rectrack.io.limits import Package, load_workbook, sheet_rows, sheet_stream, workbook_error
from rectrack.io.sheet import (
    IMPORT_IDS,
    INPUT_IDS,
    MEETING_IMPORT_IDS,
    ORIGINAL_SHEET,
    WORKBOOK_MARKER,
    SheetData,
    SheetRow,
    column_ids,
    text_of,
)

# The About labels of the first workbooks, which had no column of field names.
_OLD_ABOUT = {
    "Export date": "export_date",
    "Perspective": "perspective",
    "Format version": "format",
}


def is_workbook(path: Path) -> bool:
    """Whether the file is an Office Open XML package (a zip file), as workbooks are; a
    damaged one is refused (RectrackError)."""
    from rectrack.io.tables import is_package

    return is_package(path)


def _about_sheet(wb: Any) -> Any | None:
    """The sheet whose first cell says the workbook is rectrack's, whatever its name."""
    for name in wb.sheetnames:
        ws = wb[name]
        if getattr(ws, "sheet_state", "visible") == "visible" or name in i18n.forms("sheet.about"):
            if ws["A1"].value == WORKBOOK_MARKER:
                return ws
    return None


def is_rectrack_workbook(path: Path) -> bool:
    """Whether the workbook was written by `rectrack export` (its About sheet says so). A
    workbook over the limits, or broken, is refused (RectrackError)."""
    wb, _ = load_workbook(path)
    try:
        return _about_sheet(wb) is not None
    except (RectrackError, MemoryError, RecursionError):
        raise
    except Exception as e:
        raise workbook_error(path.name, e) from None
    finally:
        wb.close()


def _sheet(wb: Any, msg_id: str) -> Any | None:
    for name in i18n.forms(msg_id):
        if name in wb.sheetnames:
            return wb[name]
    return None


def read_workbook(path: Path) -> SheetData:
    """The Recommendations rows of a rectrack workbook, the rows of its Meeting sheet, and
    what its Original and About sheets remember of the export (and its language).

    The About and Original sheets and the headers are read at once (a workbook without
    them is refused here); the rows are read as they are iterated, a row at a time, so
    that a large workbook is never held whole. `SheetData.close` closes the workbook."""
    wb, package = load_workbook(path)
    reading = _Reading(path.name, package)
    try:
        about_ws = _about_sheet(wb)
        if about_ws is None:
            raise RectrackError(
                f"{path.name} is not a rectrack workbook (it has no About "
                "sheet from `rectrack export`)"
            )
        about = _about(reading, about_ws)
        recommendations = _sheet(wb, "sheet.recommendations")
        if recommendations is None:
            raise RectrackError(f"{path.name} has no Recommendations sheet")
        rows = _read_rows(reading, recommendations, IMPORT_IDS, _without_key)
        sheet = SheetData(source=path.name, rows=rows)
        sheet.closer = wb.close
        sheet.from_rectrack = True
        sheet.export_date = _date_text(about.get("export_date"))
        sheet.perspective = about.get("perspective")
        sheet.lang = _language(about.get("language"))
        meeting = _sheet(wb, "sheet.meeting")
        if meeting is not None:
            meeting_rows = _read_rows(reading, meeting, MEETING_IMPORT_IDS, _maybe_heading)
            sheet.meeting = _meeting_rows(meeting_rows)
        if ORIGINAL_SHEET in wb.sheetnames:
            sheet.originals = _originals(reading, wb[ORIGINAL_SHEET])
        return sheet
    except (RectrackError, MemoryError, RecursionError):
        wb.close()
        raise
    except Exception as e:  # a broken sheet, a value of the wrong kind...
        wb.close()
        raise workbook_error(path.name, e) from None


@dataclass(frozen=True)
class _Reading:
    """The workbook being read: its file's name and what the scan of its package found."""

    name: str
    package: Package

    def rows(self, ws: Any, first: int) -> Generator[tuple[Any, ...], None, None]:
        return sheet_rows(self.name, ws, self.package, first)

    def stream(self, ws: Any, first: int, columns: Iterable[int]) -> Any:
        return sheet_stream(self.name, ws, self.package, first, columns)


def _about(reading: _Reading, ws: Any) -> dict[str, Any]:
    about: dict[str, Any] = {}
    for row in reading.rows(ws, 2):
        if len(row) < 2:
            continue
        label, value, *rest = row
        key = rest[0] if rest and rest[0] else _OLD_ABOUT.get(str(label))
        if key:
            about[str(key)] = value
    return about


class Originals(Mapping[str, Mapping[str, Any]]):
    """What the Original sheet remembers of each row (by folded key): each cell as its
    text, which is all an import compares (`text_of`); a row is held as a tuple, and a text
    that many rows repeat (a status, a priority, a list of themes) is held once, so that
    the rows of a large workbook take little room."""

    def __init__(self, fields: Sequence[str]):
        self.fields = tuple(fields)
        self._rows: dict[str, tuple[str, ...]] = {}
        self._texts: dict[str, str] = {}

    def add(self, key: str, values: Sequence[Any]) -> None:
        texts = self._texts
        row = []
        for field, value in zip(self.fields, values, strict=False):
            text = text_of(value)
            row.append(text if field == "key" else texts.setdefault(text, text))
        self._rows[key] = tuple(row)

    def __getitem__(self, key: str) -> dict[str, str]:
        return dict(zip(self.fields, self._rows[key], strict=False))

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows


def _originals(reading: _Reading, ws: Any) -> Originals:
    rows = reading.rows(ws, 1)
    out = Originals([str(h or "").casefold() for h in next(rows, ())])
    at = out.fields.index("key") if "key" in out.fields else None
    if at is None:
        return out
    for values in rows:
        key = values[at] if at < len(values) else None
        if key:
            out.add(str(key).casefold(), values)
    return out


def _language(value: Any) -> str:
    """The language the workbook was exported in (English for one that does not say)."""
    try:
        return i18n.language(str(value)) if value else "en"
    except RectrackError:
        return "en"


def _date_text(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value else None


def _read_rows(
    reading: _Reading, ws: Any, read: Sequence[str], whole: Callable[[dict[str, Any]], bool]
) -> Iterator[SheetRow]:
    """The rows of a sheet under its header row, read as they are iterated; the header is
    read at once (an empty sheet, or one without a Key column, is refused here). Rows with
    nothing in them are passed over. Of each row only the columns `read` are read, unless
    `whole` says of them that the row is to be read whole."""
    name = reading.name
    header_rows = reading.rows(ws, 1)
    header_row = next(header_rows, None)
    header_rows.close()
    if header_row is None:
        raise RectrackError(f"{name}: the {ws.title} sheet is empty")
    positions = column_ids(header_row)
    if "key" not in positions:
        raise RectrackError(f"{name}: the {ws.title} sheet has no Key column")
    letters = {c: get_column_letter(i + 1) for c, i in positions.items()}
    headers = {c: " ".join(str(header_row[i]).split()) for c, i in positions.items()}
    taken = {c: i for c, i in positions.items() if c in read}
    stream = reading.stream(ws, 2, taken.values())
    return _sheet_rows(stream, positions, taken, whole, ws.title, letters, headers)


def _sheet_rows(
    stream: Iterator[tuple[int, tuple[Any, ...], Callable[[], tuple[Any, ...]]]],
    positions: dict[str, int],
    taken: dict[str, int],
    whole: Callable[[dict[str, Any]], bool],
    title: str,
    letters: dict[str, str],
    headers: dict[str, str],
) -> Iterator[SheetRow]:
    every = list(positions.items())
    some = list(taken.items())
    for number, values, read_whole in stream:
        width = len(values)
        cells = {c: values[i] if i < width else None for c, i in some}
        if whole(cells):
            values = read_whole()
            width = len(values)
            if values.count(None) == width:
                continue
            cells = {c: values[i] if i < width else None for c, i in every}
        yield SheetRow(number, cells, title, letters, headers)


def _without_key(cells: dict[str, Any]) -> bool:
    """A Recommendations row without a key is read whole: is it empty, or a mistake?"""
    return not text_of(cells.get("key"))


def _maybe_heading(cells: dict[str, Any]) -> bool:
    """A Meeting row with nothing in Due and the columns partners fill in is read whole:
    is it a group heading?"""
    return not any(text_of(cells.get(c)) for c in ("due", *INPUT_IDS))


def _meeting_rows(rows: Iterator[SheetRow]) -> Iterator[SheetRow]:
    """The rows of the Meeting sheet, keyed by the first line of the Key column (the key;
    the reference is under it). Group headings (a name in the first cell, nothing else) are
    passed over unless partners typed into one."""
    for row in rows:
        filled = any(text_of(row.cells.get(c)) for c in INPUT_IDS)
        if not filled and not any(text_of(v) for c, v in row.cells.items() if c != "key"):
            continue
        row.cells["key"] = text_of(row.cells.get("key")).split("\n", 1)[0].strip()
        yield row
