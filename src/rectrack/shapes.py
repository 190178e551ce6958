"""The plain values that cross layers: what a command asks for (filters, a status query)
and the rows the services give back. Standard library only, so that the command line and
the output side can name them without loading the database libraries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, TypedDict


@dataclass(frozen=True)
class RecFilter:
    """The filters shared by every command that selects recommendations."""

    bodies: tuple[str, ...] = ()
    country: str | None = None
    document: str | None = None
    theme: str | None = None
    institution: str | None = None
    priority: str | None = None
    text: str | None = None

    def is_empty(self) -> bool:
        return not any(
            (self.bodies, self.country, self.document, self.theme, self.institution)
        ) and not (self.priority or self.text)

    def described(self) -> dict[str, str | tuple[str, ...] | None]:
        """The filters by the names of their options, as an export records them."""
        return {
            "body": self.bodies,
            "country": self.country,
            "document": self.document,
            "theme": self.theme,
            "institution": self.institution,
            "priority": self.priority,
        }


@dataclass(frozen=True)
class StatusQuery:
    """Which recommendations, at which date (None: today), from whose perspective."""

    filters: RecFilter = field(default_factory=RecFilter)
    as_of: str | None = None
    perspective: str = "ngo"


class Change(NamedTuple):
    """One field changed by `edit` or an import: its old and new values."""

    field: str
    old: str | list[str] | None
    new: str | list[str] | None


class RecRow(TypedDict):
    """A recommendation as it is listed and exported."""

    key: str
    body: str
    document: str | None
    paragraph: str | None
    date: str | None
    country: str | None
    text: str
    summary: str | None
    themes: list[str]
    institutions: list[str]
    priority: str | None
    response: str | None
    due: str | None


class RecDetail(RecRow):
    """A recommendation with its body, document and when it was recorded (`show`)."""

    body_name: str | None
    document_title: str | None
    document_date: str | None
    document_url: str | None
    created_at: str
    updated_at: str


class StatusRow(RecRow):
    """A recommendation with where it stands at a date. `summary` is never empty here: the
    start of the text stands in for a missing one."""

    status: str
    status_label: str
    status_date: str | None
    grade: str | None
    note: str | None
    actions: int
    evidence: int
    overdue: bool
    state_status: str
    state_date: str | None
    ngo_status: str
    ngo_date: str | None
    state_claims_more: bool


class ExportRow(StatusRow):
    """A status row with the ids of what is linked to it (workbooks and CSV files)."""

    action_ids: list[str]
    evidence_ids: list[str]


class DueRow(StatusRow):
    due_day: str
    days: int


class GroupCounts(TypedDict):
    group: str
    counts: dict[str, int]
    total: int


class StatusReport(TypedDict):
    """Everything `rectrack status` shows."""

    as_of: str
    perspective: str
    group_by: str | None
    total: int
    counts: dict[str, int]
    groups: list[GroupCounts]
    recommendations: list[StatusRow]


class Overview(RecDetail):
    """`show`: a recommendation, where it stands today and what is linked to it."""

    status: str
    status_date: str | None
    grade: str | None
    note: str | None
    state_status: str
    state_date: str | None
    actions: int
    evidence: int
    overdue: bool


class ActionRow(TypedDict):
    id: str
    title: str
    kind: str
    date: str | None
    institution: str | None
    reference: str | None
    url: str | None
    description: str | None
    recommendations: list[str]
    evidence: list[str]
    recorded_at: str


class ActionDetail(ActionRow):
    link_notes: list[str]


class EvidenceRow(TypedDict):
    id: str
    title: str
    kind: str
    date: str | None
    source: str | None
    url: str | None
    file: str | None
    size: int | None
    sha256: str | None
    note: str | None
    recommendations: list[str]
    actions: list[str]
    recorded_at: str


class EvidenceDetail(EvidenceRow):
    file_state: str | None
    assessments: int


class AssessmentRow(TypedDict):
    """One assessment as the History sheet and data sets hold it."""

    key: str
    date: str
    status: str
    perspective: str
    grade: str | None
    note: str | None
    evidence: list[str]
    recorded_by: str
    recorded_at: str


class Recorded(TypedDict):
    """What `assess` recorded for one recommendation."""

    key: str
    status: str
    date: str
    perspective: str
    grade: str | None


class Event(TypedDict):
    """One dated item in a recommendation's history: an assessment, action or evidence."""

    key: str
    date: str | None
    type: str
    id: str | None
    status: str | None
    perspective: str | None
    what: str
    detail: str | None
    evidence: list[str]
    by: str | None
    recorded: str


class History(TypedDict):
    key: str
    summary: str
    events: list[Event]


class ChangeGroup(TypedDict):
    """What changed for one recommendation since a date."""

    key: str
    summary: str
    events: list[Event]


class BodyRow(TypedDict):
    code: str
    name: str
    kind: str
    recommendations: int
