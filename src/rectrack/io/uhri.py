"""Exports of OHCHR's Universal Human Rights Index (XLSX or CSV), with the columns `Text,
Countries Concerned, Reccomending Body, Document Symbol, Themes, Affected Persons, Sdgs,
Document Publication Date, UPR Reccomending States, UPR Position, Type, OHCHR Annotation Id,
UPR Session, Regions Concerned, Recommending Regions, Date of publication on UHRI`
(OHCHR's own spelling). A cell with several values holds one a line, each after `- `;
dates may be Excel serial numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from rectrack.dates import parse_date
from rectrack.errors import RectrackError
from rectrack.io.records import SourceRow, cell_text, check_width, split_values
from rectrack.io.tables import Table
from rectrack.io.upr_info import cycle_of

NAME = "uhri"
REQUIRED = ("Text", "Reccomending Body", "Document Symbol", "OHCHR Annotation Id")
COLUMNS = (
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
    "OHCHR Annotation Id",
    "UPR Session",
)
POSITIONS = {
    "supported": "supported",
    "accepted": "supported",
    "noted": "noted",
    "partially supported": "partially_supported",
}


def matches(columns: list[str]) -> bool:
    folded = {c.casefold() for c in columns}
    return {c.casefold() for c in REQUIRED} <= folded


_text = cell_text


def date_of(value: Any) -> str | None:
    """A date cell as ISO text: a date, an Excel serial number, or ISO text (a time after
    it is left out); None for nothing. Raises RectrackError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        value = float(text)  # an Excel serial number written as text (a CSV file)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value <= 2_958_465:
            raise RectrackError(f"{value} is not a date")
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]
    return parse_date(text).iso


def records(table: Table) -> Iterator[SourceRow]:
    """The recommendations of a UHRI export, a row each."""
    at = {c.casefold(): i for i, c in enumerate(table.columns)}

    def cell(values: list[Any], name: str) -> Any:
        i = at.get(name.casefold())
        return values[i] if i is not None and i < len(values) else None

    for number, values in table.rows:
        text = _text(cell(values, "Text"))
        row = SourceRow(line=number, text=text, raw=values)
        check_width(row, values, len(table.columns))
        row.source_id = _text(cell(values, "OHCHR Annotation Id")).strip() or None
        row.body = _text(cell(values, "Reccomending Body")).strip() or None
        if row.body is None:
            row.refuse("Reccomending Body", "the row names no recommending body")
        row.document = _text(cell(values, "Document Symbol")).strip() or None
        countries = split_values(cell(values, "Countries Concerned"))
        row.country = countries[0] if countries else None
        row.countries = countries
        row.themes = split_values(cell(values, "Themes"))
        row.affected = split_values(cell(values, "Affected Persons"))
        row.sdgs = split_values(cell(values, "Sdgs"))
        row.recommending = split_values(cell(values, "UPR Reccomending States"))
        position = " ".join(_text(cell(values, "UPR Position")).casefold().split())
        row.response = POSITIONS.get(position)
        try:
            row.document_date = date_of(cell(values, "Document Publication Date"))
        except RectrackError as e:
            row.refuse("Document Publication Date", str(e))
        session = _text(cell(values, "UPR Session")).strip()
        if session.isdigit():
            row.cycle = str(cycle_of(int(session)))
        yield row
