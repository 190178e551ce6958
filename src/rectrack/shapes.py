"""The plain values that cross layers: what a command asks for (filters, a status query)
and the rows the services give back. Standard library only, so that the command line and
the output side can name them without loading the database libraries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypedDict


@dataclass(frozen=True)
class RecFilter:
    """The filters shared by every command that selects recommendations. The values of one
    filter are alternatives (any of them); different filters narrow (all of them)."""

    bodies: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    recommending: tuple[str, ...] = ()
    affected: tuple[str, ...] = ()
    sdgs: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    text: str | None = None

    def is_empty(self) -> bool:
        return not (self.text or any(values for _, values in self.named()))

    def named(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each list filter by the name of its option, as an export records them."""
        return (
            ("body", self.bodies),
            ("country", self.countries),
            ("document", self.documents),
            ("theme", self.themes),
            ("institution", self.institutions),
            ("priority", self.priorities),
            ("recommending", self.recommending),
            ("affected", self.affected),
            ("sdg", self.sdgs),
            ("cluster", self.clusters),
        )


@dataclass(frozen=True)
class NewNames:
    """Which new themes and institutions may be recorded although they look like ones on
    record (`--new-theme`, `--new-institution`, or a name confirmed at the terminal)."""

    themes: bool = False
    institutions: bool = False
    confirmed: frozenset[str] = frozenset()

    def allows(self, what: str, name: str) -> bool:
        if (what == "theme" and self.themes) or (what == "institution" and self.institutions):
            return True
        return " ".join(name.split()).casefold() in self.confirmed


@dataclass(frozen=True)
class StatusQuery:
    """Which recommendations, at which date (None: today), from whose perspective; only
    those with one of `statuses` there, when given. A recommendation counts from the day it
    was issued (an undated one always)."""

    filters: RecFilter = field(default_factory=RecFilter)
    as_of: str | None = None
    perspective: str = "ngo"
    statuses: tuple[str, ...] = ()
    gaps: bool = False  # only where the state claims more than the NGO found


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
    recommending: list[str]  # the states that made it (UPR)
    affected: list[str]  # who it is about: women, children, migrants...
    sdgs: list[str]  # SDG targets: 5.2, 16.2
    clusters: list[str]  # the recurring demands it belongs to (`rectrack cluster`)
    category: int | None  # the UPR action category, 1 to 5
    source_id: str | None  # the source's own id (an UHRI annotation id)
    source_file: str | None
    source_row: int | None


class RecDetail(RecRow):
    """A recommendation with its body, document and when it was recorded (`show`)."""

    body_name: str | None
    document_title: str | None
    document_date: str | None
    document_url: str | None
    created_at: str
    updated_at: str


class Standing(TypedDict):
    """The latest assessment of each perspective: its status (`unknown` without one), its
    date, the day the unbroken run of that status began, the grade and the note."""

    ngo_status: str
    ngo_date: str | None
    ngo_since: str | None
    ngo_grade: str | None
    ngo_note: str | None
    state_status: str
    state_date: str | None
    state_since: str | None
    state_grade: str | None
    state_note: str | None
    body_status: str
    body_date: str | None
    body_since: str | None
    body_grade: str | None
    body_note: str | None


class StatusRow(RecRow, Standing):
    """A recommendation with where it stands at a date, from the perspective asked for
    (`status`, `since`...) and from each (`ngo_status`...). `summary` is never empty here:
    the start of the text stands in for a missing one. `counterpart` is the other side
    shown beside the status: the state's claim, or for the state's own view the NGO's."""

    status: str
    status_label: str
    status_date: str | None
    since: str | None
    grade: str | None
    note: str | None
    counterpart: str
    counterpart_status: str
    counterpart_date: str | None
    actions: int
    evidence: int
    overdue: bool
    state_claims_more: bool


class ExportRow(TypedDict):
    """A recommendation as a workbook or CSV export shows it: where it stands at a date
    from the perspective asked for (as in a status row), the other side beside it (the
    `counterpart`: the state's claim, or for the state's own view the NGO's), each action
    and piece of evidence linked to it as a line `A3 Law on Free Legal Aid` (`actions` and
    `evidence` count them), and the latest action. `summary` is never empty: the start of
    the text stands in for a missing one."""

    key: str
    body: str
    document: str | None
    paragraph: str | None
    date: str | None
    country: str | None
    text: str
    summary: str
    themes: list[str]
    institutions: list[str]
    priority: str | None
    response: str | None
    due: str | None
    overdue: bool
    status: str
    status_date: str | None
    since: str | None
    grade: str | None
    note: str | None
    counterpart: str
    counterpart_status: str
    counterpart_since: str | None
    actions: int
    evidence: int
    action_lines: list[str]
    latest_action: str | None
    evidence_lines: list[str]


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


class LinkRow(TypedDict):
    """A link of a recommendation to another, read from its end."""

    kind: str  # repeats, follows_up, same_issue
    direction: int  # 0: this one repeats the other; 1: the other repeats this one
    key: str  # the other's
    text: str  # `repeats CEDAW-2019-0004`, `is repeated by GRETA-2023-0005`
    note: str | None
    recorded_by: str
    recorded_at: str


class Overview(RecDetail, Standing):
    """`show`: a recommendation, where it stands today and what is linked to it."""

    status: str
    status_date: str | None
    since: str | None
    grade: str | None
    note: str | None
    actions: int
    evidence: int
    overdue: bool
    links: list[LinkRow]  # to other recommendations, read from this one


class ClusterRow(TypedDict):
    """A recurring demand as `cluster list` shows it."""

    name: str
    bodies: list[str]
    first_year: str | None
    latest_year: str | None
    recommendations: int
    worst_status: str
    note: str | None


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


class FileCheck(TypedDict):
    """An evidence file read again: what it is now against what was recorded."""

    id: str
    title: str
    file: str
    state: str  # unchanged, changed, missing or unreadable
    recorded_size: int | None
    size: int | None
    recorded_sha256: str | None
    sha256: str | None


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
    withdrawn: str | None  # why, when it was withdrawn
    withdrawn_by: str | None
    withdrawn_at: str | None


class Recorded(TypedDict):
    """What `assess` recorded for one recommendation."""

    id: str
    key: str
    status: str
    date: str
    perspective: str
    grade: str | None


class Event(TypedDict):
    """One dated item in a recommendation's history: an assessment, action or evidence.
    `withdrawn` says when, by whom and why an assessment was withdrawn."""

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
    withdrawn: str | None
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


class Transition(TypedDict):
    """A status that moved: `In progress -> Partial (ngo, 2025-10)`."""

    key: str
    perspective: str
    before: str
    after: str
    date: str | None


class Changes(TypedDict):
    """`changes`: what moved since a date, selected by when it was recorded or dated."""

    since: str
    selected_by: str
    transitions: list[Transition]
    recommendations: list[ChangeGroup]


class DocumentRow(TypedDict):
    symbol: str
    body: str
    title: str | None
    date: str | None
    cycle: str | None
    country: str | None
    url: str | None
    recommendations: int


class DocumentDetail(DocumentRow):
    keys: list[str]


class NameRow(TypedDict):
    """A theme or an institution, with how often it is used."""

    name: str
    recommendations: int
    actions: int


class BodyRow(TypedDict):
    code: str
    name: str
    kind: str
    recommendations: int


class StoryRow(StatusRow):
    """A recommendation of a cluster's story: where it stands from each perspective, with
    what the state did, what shows it and how it is linked to others."""

    linked_actions: list[ActionRow]
    linked_evidence: list[EvidenceRow]
    links: list[LinkRow]


class ClusterStory(TypedDict):
    """`cluster show`: a recurring demand told in time order."""

    name: str
    note: str | None
    bodies: list[str]
    worst_status: str
    recommendations: list[StoryRow]


class ChangeRow(TypedDict):
    """One entry of the change log (`rectrack log`)."""

    at: str  # UTC, ISO 8601
    by: str | None
    action: str  # add, change, remove
    what: str  # recommendation, assessment, action...
    key: str | None  # the recommendation it belongs to
    change: str  # in a line: `priority: high -> low`
    old: dict[str, Any] | None
    new: dict[str, Any] | None
