"""The scalar fields of a recommendation, declared once with their parsers.

`add`, `edit` and the spreadsheet import read a field's value through this table; fields
with rules that span several fields (body and document, key, themes and institutions) are
handled by the recommendation service itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rectrack import domain
from rectrack.dates import parse_date
from rectrack.errors import BadValue


@dataclass(frozen=True)
class FieldSpec:
    """A scalar field: its name (the model's attribute), how a typed value becomes the stored
    one, whether it may be cleared, and the sheet column whose edits an import applies."""

    name: str
    parse: Callable[[str], str]
    required: bool = False
    header: str | None = None

    def value(self, raw: str | None, clearing: bool = True) -> str | None:
        """The stored value of what the user gave; None for an empty value, and with
        `clearing` (an edit) for `none` too, unless the field is required. Raises BadValue."""
        cleared = clearing and domain.is_clear(raw) and not self.required
        if raw is None or not raw.strip() or cleared:
            if self.required:
                raise BadValue(f"the {self.name} cannot be empty")
            return None
        return self.parse(raw)


def _iso_date(raw: str) -> str:
    return parse_date(raw).iso


def _stripped(raw: str) -> str:
    return raw.strip()


def _priority(raw: str) -> str:
    return domain.choice(raw, domain.PRIORITIES, "priority")


def _response(raw: str) -> str:
    return domain.choice(raw, domain.RESPONSES, "response")


# In the order `edit` reports its changes.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("text", domain.clean_text, required=True),
    FieldSpec("date", _iso_date),
    FieldSpec("country", _stripped),
    FieldSpec("paragraph", _stripped),
    FieldSpec("summary", _stripped),
    FieldSpec("priority", _priority, header="Priority"),
    FieldSpec("response", _response),
    FieldSpec("due", _iso_date, header="Due"),
)
BY_NAME = {f.name: f for f in FIELDS}
# The fields whose edits in a workbook or CSV file are imported.
IMPORTED = tuple(f for f in FIELDS if f.header)
