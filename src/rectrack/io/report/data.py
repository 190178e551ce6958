"""What a report holds, as the service gathers it and every format writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Note:
    """A piece of evidence, cited by its number wherever it supports a recommendation."""

    number: int
    id: str  # E7
    title: str
    kind: str
    date: str | None
    source: str | None
    url: str | None
    file: str | None


@dataclass
class Step:
    """An action of the state, with its official reference."""

    id: str  # A12
    title: str
    kind: str
    date: str | None
    reference: str | None
    institution: str | None
    url: str | None


@dataclass
class View:
    """Where a recommendation stands from one perspective."""

    perspective: str  # ngo, state, body
    status: str
    date: str | None
    grade: str | None
    note: str | None


@dataclass
class Item:
    """One recommendation in a report."""

    key: str
    body: str
    reference: str  # `CEDAW/C/SRB/CO/4, para. 24(b)`
    date: str | None
    summary: str
    words: str  # the body's words, in short
    status: str  # from the report's perspective
    views: list[View]
    state_claims_more: bool
    due: str | None
    overdue: bool
    steps: list[Step] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)  # numbers of the evidence cited
    links: list[str] = field(default_factory=list)


@dataclass
class Group:
    name: str
    counts: dict[str, int]
    total: int
    items: list[Item]


@dataclass
class ReportData:
    """A draft report: the recommendations by group, then overdue follow-ups and what
    changed since a date, and the evidence as numbered notes."""

    title: str
    lang: str
    perspective: str
    group_by: str
    as_of: str
    made_at: str  # date and time, UTC
    filters: str
    version: str
    counts: dict[str, int]
    total: int
    groups: list[Group]
    overdue: list[Item]
    since: str | None
    changes: Any  # shapes.Changes, or None without --since
    notes: list[Note]
