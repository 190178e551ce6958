"""Exports of the UPR Info database of Universal Periodic Review recommendations (CSV or
XLSX): one row per recommendation and recommending state, with the columns `To, To-Rgrp,
To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session`.

`To` is the state under review; `Issue` holds comma-separated themes; `Response` is
Accepted/Supported or Noted; `Action` the action category (1 to 5); `Session` the Working
Group session, from which the cycle follows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rectrack.io.records import SourceRow, cell_text, check_width, split_values
from rectrack.io.tables import Table

NAME = "upr-info"
COLUMNS = ("To", "Text", "From", "Response", "Action", "Issue", "Session")
REQUIRED = ("To", "Text", "From", "Session")
RESPONSES = {
    "accepted": "supported",
    "supported": "supported",
    "noted": "noted",
    "partially accepted": "partially_supported",
    "partially supported": "partially_supported",
}
NO_RESPONSE = ("", "-", "pending", "no response", "pending response")


def cycle_of(session: int) -> int:
    """The UPR cycle of a Working Group session: 1-12 the first, 13-26 the second, 27-40 the
    third, 41 on the fourth."""
    return 1 if session <= 12 else 2 if session <= 26 else 3 if session <= 40 else 4


def matches(columns: list[str]) -> bool:
    return set(REQUIRED) <= set(columns)


_text = cell_text


def _session(row: SourceRow, value: Any) -> int | None:
    text = _text(value).strip()
    if not text:
        row.refuse("Session", "the row has no session")
        return None
    try:
        number = int(float(text))
    except ValueError:
        row.refuse("Session", f"'{text}' is not a session number")
        return None
    if not 1 <= number <= 200:
        row.refuse("Session", f"'{text}' is not a session number")
        return None
    return number


def _response(row: SourceRow, value: Any) -> str | None:
    text = " ".join(_text(value).casefold().split())
    if text in NO_RESPONSE:
        return None
    if text in RESPONSES:
        return RESPONSES[text]
    row.refuse("Response", f"'{_text(value)}' is not Accepted, Supported or Noted")
    return None


def _category(row: SourceRow, value: Any) -> int | None:
    text = _text(value).strip()
    if not text:
        return None
    try:
        number = int(float(text))
    except ValueError:
        number = 0
    if not 1 <= number <= 5:
        row.refuse("Action", f"'{text}' is not an action category (1 to 5)")
        return None
    return number


def records(table: Table) -> Iterator[SourceRow]:
    """The recommendations of a UPR Info export, a row each."""
    at = {name: table.columns.index(name) for name in COLUMNS if name in table.columns}

    def cell(values: list[Any], name: str) -> Any:
        i = at.get(name)
        return values[i] if i is not None and i < len(values) else None

    for number, values in table.rows:
        text = _text(cell(values, "Text"))
        state = _text(cell(values, "To")).strip()
        row = SourceRow(line=number, text=text, body="UPR", country=state or None, raw=values)
        check_width(row, values, len(table.columns))
        if not state:
            row.refuse("To", "the row names no state under review")
        session = _session(row, cell(values, "Session"))
        recommending = _text(cell(values, "From")).strip()
        row.recommending = [recommending] if recommending else []
        row.response = _response(row, cell(values, "Response"))
        row.category = _category(row, cell(values, "Action"))
        row.themes = split_values(_text(cell(values, "Issue")), ",")
        if session is not None and state:
            cycle = cycle_of(session)
            row.cycle = str(cycle)
            row.document = f"UPR session {session}: {state}"
            row.document_title = (
                f"Universal Periodic Review of {state}, Working Group session {session} "
                f"(cycle {cycle})"
            )
        yield row
