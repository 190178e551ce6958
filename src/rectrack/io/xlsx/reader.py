"""Reading a workbook of rectrack's back: the Recommendations rows, the rows of the Meeting
sheet, and what the About and Original sheets remember of the export. The sheets and
columns are found by their names in any language of the export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from rectrack import i18n
from rectrack.errors import RectrackError
from rectrack.io.limits import Package, load_workbook, sheet_rows, workbook_error
from rectrack.io.sheet import (
    INPUT_IDS,
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
    what its Original and About sheets remember of the export (and its language)."""
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
        sheet = SheetData(source=path.name, rows=_read_rows(reading, recommendations))
        sheet.from_rectrack = True
        sheet.export_date = _date_text(about.get("export_date"))
        sheet.perspective = about.get("perspective")
        sheet.lang = _language(about.get("language"))
        meeting = _sheet(wb, "sheet.meeting")
        if meeting is not None:
            sheet.meeting = _meeting_rows(reading, meeting)
        if ORIGINAL_SHEET in wb.sheetnames:
            sheet.originals = _originals(reading, wb[ORIGINAL_SHEET])
        return sheet
    except (RectrackError, MemoryError, RecursionError):
        raise
    except Exception as e:  # a broken sheet, a value of the wrong kind...
        raise workbook_error(path.name, e) from None
    finally:
        wb.close()


@dataclass(frozen=True)
class _Reading:
    """The workbook being read: its file's name and what the scan of its package found."""

    name: str
    package: Package

    def rows(self, ws: Any, first: int) -> Iterator[tuple[Any, ...]]:
        return sheet_rows(self.name, ws, self.package, first)


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


def _originals(reading: _Reading, ws: Any) -> dict[str, dict[str, Any]]:
    rows = reading.rows(ws, 1)
    header = [str(h or "").casefold() for h in next(rows, ())]
    out: dict[str, dict[str, Any]] = {}
    for values in rows:
        record = dict(zip(header, values, strict=False))
        if record.get("key"):
            out[str(record["key"]).casefold()] = record
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


def _read_rows(reading: _Reading, ws: Any) -> list[SheetRow]:
    name = reading.name
    rows = reading.rows(ws, 1)
    header_row = next(rows, None)
    if header_row is None:
        raise RectrackError(f"{name}: the {ws.title} sheet is empty")
    positions = column_ids(header_row)
    if "key" not in positions:
        raise RectrackError(f"{name}: the {ws.title} sheet has no Key column")
    letters = {c: get_column_letter(i + 1) for c, i in positions.items()}
    headers = {c: " ".join(str(header_row[i]).split()) for c, i in positions.items()}
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None for v in values):
            continue
        cells = {c: values[i] if i < len(values) else None for c, i in positions.items()}
        out.append(SheetRow(number, cells, ws.title, letters, headers))
    return out


def _meeting_rows(reading: _Reading, ws: Any) -> list[SheetRow]:
    """The rows of the Meeting sheet, keyed by the first line of the Key column (the key;
    the reference is under it). Group headings (a name in the first cell, nothing else) are
    passed over unless partners typed into one."""
    out = []
    for row in _read_rows(reading, ws):
        filled = any(text_of(row.cells.get(c)) for c in INPUT_IDS)
        if not filled and not any(text_of(v) for c, v in row.cells.items() if c != "key"):
            continue
        row.cells["key"] = text_of(row.cells.get("key")).split("\n", 1)[0].strip()
        out.append(row)
    return out
