"""Reading a workbook of rectrack's back: the Recommendations rows, the rows of the Meeting
sheet, and what the About and Original sheets remember of the export. The sheets and
columns are found by their names in any language of the export."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from rectrack import i18n
from rectrack.errors import RectrackError
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
    """Whether the file is an Office Open XML package (a zip file), as workbooks are."""
    return zipfile.is_zipfile(path)


def _about_sheet(wb: Any) -> Any | None:
    """The sheet whose first cell says the workbook is rectrack's, whatever its name."""
    for name in wb.sheetnames:
        ws = wb[name]
        if getattr(ws, "sheet_state", "visible") == "visible" or name in i18n.forms("sheet.about"):
            if ws["A1"].value == WORKBOOK_MARKER:
                return ws
    return None


def is_rectrack_workbook(path: Path) -> bool:
    """Whether the workbook was written by `rectrack export` (its About sheet says so)."""
    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # not a workbook at all
        return False
    try:
        return _about_sheet(wb) is not None
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
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise RectrackError(f"cannot read {path.name} as a workbook: {e}") from None
    try:
        about_ws = _about_sheet(wb)
        if about_ws is None:
            raise RectrackError(
                f"{path.name} is not a rectrack workbook (it has no About "
                "sheet from `rectrack export`)"
            )
        about = _about(about_ws)
        recommendations = _sheet(wb, "sheet.recommendations")
        if recommendations is None:
            raise RectrackError(f"{path.name} has no Recommendations sheet")
        sheet = SheetData(source=path.name, rows=_read_rows(recommendations, path.name))
        sheet.from_rectrack = True
        sheet.export_date = _date_text(about.get("export_date"))
        sheet.perspective = about.get("perspective")
        sheet.lang = _language(about.get("language"))
        meeting = _sheet(wb, "sheet.meeting")
        if meeting is not None:
            sheet.meeting = _meeting_rows(meeting, path.name)
        if ORIGINAL_SHEET in wb.sheetnames:
            sheet.originals = _originals(wb[ORIGINAL_SHEET])
        return sheet
    finally:
        wb.close()


def _about(ws: Any) -> dict[str, Any]:
    about: dict[str, Any] = {}
    for label, value, *rest in _rows(ws, 2):
        key = rest[0] if rest and rest[0] else _OLD_ABOUT.get(str(label))
        if key:
            about[str(key)] = value
    return about


def _originals(ws: Any) -> dict[str, dict[str, Any]]:
    rows = _rows(ws, 1)
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


def _rows(ws: Any, first: int) -> Iterator[tuple[Any, ...]]:
    ws.reset_dimensions()
    yield from ws.iter_rows(min_row=first, values_only=True)


def _read_rows(ws: Any, name: str) -> list[SheetRow]:
    rows = _rows(ws, 1)
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


def _meeting_rows(ws: Any, name: str) -> list[SheetRow]:
    """The rows of the Meeting sheet, keyed by the first line of the Key column (the key;
    the reference is under it). Group headings (a name in the first cell, nothing else) are
    passed over unless partners typed into one."""
    out = []
    for row in _read_rows(ws, name):
        filled = any(text_of(row.cells.get(c)) for c in INPUT_IDS)
        if not filled and not any(text_of(v) for c, v in row.cells.items() if c != "key"):
            continue
        row.cells["key"] = text_of(row.cells.get("key")).split("\n", 1)[0].strip()
        out.append(row)
    return out
