"""The scalar fields of recommendations, actions, evidence and documents, declared once
with their parsers.

`add`, `edit`, the spreadsheet import and the `edit` commands of actions, evidence and
documents read a field's value through these tables; fields with rules that span several
fields (body and document, key, themes and institutions, an evidence file) are handled by
their services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rectrack import domain
from rectrack.dates import not_before, not_in_future, not_too_far, parse_date
from rectrack.errors import BadValue
from rectrack.shapes import Change


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
        if clearing and self.required and domain.is_clear(raw):
            raise BadValue(f"the {self.name} cannot be cleared: it is required")
        cleared = clearing and domain.is_clear(raw) and not self.required
        if raw is None or not raw.strip() or cleared:
            if self.required:
                raise BadValue(f"the {self.name} cannot be empty")
            return None
        return self.parse(raw)


def _iso_date(raw: str) -> str:
    return parse_date(raw).iso


ISSUED = "a recommendation is dated when it was made"
PUBLISHED = "a document is dated when it was published"


def _issued(raw: str) -> str:
    return not_in_future(parse_date(raw), ISSUED).iso


def _published(raw: str) -> str:
    return not_in_future(parse_date(raw), PUBLISHED).iso


DUE = "a due date"
ACTED = "an action"
DUE_AFTER = (
    "the due date {date} is before {start}, the recommendation's date: a follow-up falls due "
    "after the recommendation is made"
)
SEEN_AFTER = (
    "the date {date} is before {start}, when {key} was made: an assessment is of what followed it"
)


def _due(raw: str) -> str:
    return not_too_far(parse_date(raw), DUE).iso


def _acted(raw: str) -> str:
    return not_too_far(parse_date(raw), ACTED).iso


def check_due(date: str | None, due: str | None) -> None:
    """Refuse a due date that is wholly before the recommendation's date (BadValue)."""
    if date and due:
        not_before(parse_date(due), date, DUE_AFTER)


def _url(raw: str) -> str:
    return domain.check_url(raw.strip())


def _stripped(raw: str) -> str:
    return raw.strip()


def _priority(raw: str) -> str:
    return domain.choice(raw, domain.PRIORITIES, "priority")


def _response(raw: str) -> str:
    return domain.choice(raw, domain.RESPONSES, "response")


def _choice(valid: tuple[str, ...], what: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        return domain.choice(raw, valid, what)

    return parse


# In the order `edit` reports its changes.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("text", domain.clean_text, required=True),
    FieldSpec("date", _issued),
    FieldSpec("country", _stripped),
    FieldSpec("paragraph", _stripped),
    FieldSpec("summary", _stripped),
    FieldSpec("priority", _priority, header="priority"),
    FieldSpec("response", _response),
    FieldSpec("due", _due, header="due"),
)
BY_NAME = {f.name: f for f in FIELDS}
# The fields whose edits in a workbook or CSV file are imported.
IMPORTED = tuple(f for f in FIELDS if f.header)
ACTION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", _stripped, required=True),
    FieldSpec("kind", _choice(domain.ACTION_KINDS, "kind of action"), required=True),
    FieldSpec("date", _acted),
    FieldSpec("reference", _stripped),
    FieldSpec("url", _url),
    FieldSpec("description", _stripped),
)
EVIDENCE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", _stripped, required=True),
    FieldSpec("kind", _choice(domain.EVIDENCE_KINDS, "kind of evidence"), required=True),
    FieldSpec("date", _iso_date),
    FieldSpec("source", _stripped),
    FieldSpec("url", _url),
    FieldSpec("note", _stripped),
)
DOCUMENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", _stripped),
    FieldSpec("date", _published),
    FieldSpec("cycle", _stripped),
    FieldSpec("country", _stripped),
    FieldSpec("url", _url),
)


def apply_fields(
    record: Any, specs: tuple[FieldSpec, ...], given: Mapping[str, str]
) -> list[Change]:
    """Set the fields the user gave (`none` clears an optional one) on a record; return
    each that changed. Nothing is set unless every value is valid."""
    new = {spec.name: spec.value(given[spec.name]) for spec in specs if spec.name in given}
    if specs is FIELDS and ("date" in new or "due" in new):
        check_due(new.get("date", record.date), new.get("due", record.due))
    changes = []
    for name, value in new.items():
        old = getattr(record, name)
        if value != old:
            changes.append(Change(name, old, value))
            setattr(record, name, value)
    return changes


def _due_after_date(mapper: Any, connection: Any, target: Any) -> None:
    check_due(target.date, target.due)


def _watch_new_recommendations() -> None:
    """A recommendation added (by `add`) is checked as an edit is: its due date not
    before its date, which only the whole record knows (the document may give the date)."""
    from sqlalchemy import event

    from rectrack.models import Recommendation

    if not event.contains(Recommendation, "before_insert", _due_after_date):
        event.listen(Recommendation, "before_insert", _due_after_date)


_watch_new_recommendations()
