"""Small, messy files in the shapes the bulk import reads, written by the tests themselves:
UPR Info exports, Universal Human Rights Index (UHRI) exports and an organisation's own
tables, as CSV in any encoding, XLSX, JSON and JSON lines.

Rows are given as {column: value}; a column a row leaves out is written empty. Everything
is written exactly as given (spaces at the ends, line breaks inside cells), as the sources
themselves write it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session

from rectrack.services.bulk import BulkReport
from rectrack.services.recommendations import list_recommendations
from rectrack.services.sources import SourceOptions, import_source
from rectrack.shapes import RecFilter, RecRow

# --- UPR Info ---------------------------------------------------------------------------------

UPR_COLUMNS = (
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)


def upr(text: str, **given: Any) -> dict[str, Any]:
    """A UPR Info row: Serbia reviewed at session 29 (cycle 3), France recommending, the
    rest as given by column name (`From="Chile"`, `Session=15`; `To_Rgrp` for `To-Rgrp`)."""
    row: dict[str, Any] = {
        "To": "Serbia",
        "To-Rgrp": "EEG",
        "To-Org": "OSCE",
        "Text": text,
        "From": "France",
        "From-Rgrp": "WEOG",
        "From-Org": "EU",
        "Response": "Supported",
        "Action": 5,
        "Issue": "Trafficking",
        "Session": 29,
    }
    row.update({name.replace("_", "-"): value for name, value in given.items()})
    return row


# --- UHRI -------------------------------------------------------------------------------------

UHRI_COLUMNS = (
    "Text",
    "Countries Concerned",
    "Reccomending Body",
    "Document Symbol",
    "Themes",
    "Affected Persons",
    "Sdgs",
    "Document Publication Date",
    "UPR Reccomending States",
    "UPR Position",
    "Type",
    "OHCHR Annotation Id",
    "UPR Session",
    "Regions Concerned",
    "Recommending Regions",
    "Date of publication on UHRI",
)


def listed(*values: str) -> str:
    """A UHRI cell of several values: one a line, each after `- `."""
    return "\n".join(f"- {v}" for v in values)


def uhri(text: str, annotation: str, **given: Any) -> dict[str, Any]:
    """A UHRI row: a CEDAW concluding observation on Serbia of 14 March 2019 (Excel serial
    43538), the rest as given by column name with `_` for spaces (`UPR_Position=...`)."""
    row: dict[str, Any] = {
        "Text": text,
        "Countries Concerned": listed("Serbia"),
        "Reccomending Body": "CEDAW",
        "Document Symbol": "CEDAW/C/SRB/CO/4",
        "Themes": listed("Trafficking in persons"),
        "Affected Persons": listed("Women", "Girls"),
        "Sdgs": listed("5.2", "16.2"),
        "Document Publication Date": 43538,
        "UPR Reccomending States": "",
        "UPR Position": "",
        "Type": "Recommendation",
        "OHCHR Annotation Id": annotation,
        "UPR Session": "",
        "Regions Concerned": listed("Eastern European States"),
        "Recommending Regions": "",
        "Date of publication on UHRI": "2019-05-02",
    }
    row.update({name.replace("_", " "): value for name, value in given.items()})
    return row


# --- writing ----------------------------------------------------------------------------------


def _cells(columns: Sequence[str], rows: Sequence[dict[str, Any] | None]) -> Iterator[list[Any]]:
    """Each row's values in the columns' order; None is an empty row."""
    for row in rows:
        if row is None:
            yield ["" for _ in columns]
        else:
            yield [row.get(c, "") for c in columns]


def csv_text(
    columns: Sequence[str], rows: Sequence[dict[str, Any] | None], delimiter: str = ","
) -> str:
    """A CSV file's text as spreadsheets write it: lines end in \\r\\n, a cell with a line
    break, quote or delimiter in quotes."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for values in _cells(columns, rows):
        writer.writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def write_csv(
    path: Path,
    columns: Sequence[str],
    rows: Sequence[dict[str, Any] | None],
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """A CSV file in `encoding` (`utf-8-sig` starts with a byte-order mark, `utf-16` too,
    `utf-16-le` has none)."""
    path.write_bytes(csv_text(columns, rows, delimiter).encode(encoding))
    return path


def write_xlsx(
    path: Path,
    columns: Sequence[str],
    rows: Sequence[dict[str, Any] | None],
    blank_rows_above: int = 0,
) -> Path:
    """A workbook of one sheet: the header (below some empty rows, as some exports have),
    then the rows; an empty row stays empty."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Export"
    for _ in range(blank_rows_above):
        ws.append([])
    ws.append(list(columns))
    for values in _cells(columns, rows):
        ws.append([None if v == "" else v for v in values])
    wb.save(path)
    return path


def write_json(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(list(records), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_jsonl(path: Path, records: Sequence[dict[str, Any] | None]) -> Path:
    """JSON lines; None is an empty line."""
    lines = ["" if r is None else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def upr_csv(path: Path, *rows: dict[str, Any] | None, encoding: str = "utf-8") -> Path:
    return write_csv(path, UPR_COLUMNS, rows, encoding)


def uhri_xlsx(path: Path, *rows: dict[str, Any] | None) -> Path:
    return write_xlsx(path, UHRI_COLUMNS, rows)


# --- loading and reading back, through the services -------------------------------------------


def load(session: Session, path: Path, fmt: str, commit: bool = True, **options: Any) -> BulkReport:
    """import_source as `rectrack import` calls it (committed unless told not to)."""
    report = import_source(session, path, fmt, SourceOptions(**options))
    if commit:
        session.commit()
    return report


def recs(session: Session, **filters: Any) -> dict[str, RecRow]:
    """The recommendations on record, by key."""
    return {r["key"]: r for r in list_recommendations(session, RecFilter(**filters))}


def by_content(session: Session) -> dict[tuple[str | None, str, tuple[str, ...]], str]:
    """The key of each recommendation by what the file said of it: (document, text,
    recommending states)."""
    return {
        (r["document"], r["text"], tuple(r["recommending"])): k for k, r in recs(session).items()
    }
