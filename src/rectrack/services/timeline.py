"""What happened to recommendations over time: one recommendation's history, and what
changed since a date (a coalition's last meeting)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.dates import format_timestamp, parse_date
from rectrack.db import fetch
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    AssessmentEvidence,
    AssessmentWithdrawal,
    Evidence,
    EvidenceAcceptance,
    EvidenceAction,
    EvidenceRecommendation,
    Recommendation,
    RecommendationLink,
)
from rectrack.services.filters import filtered_ids
from rectrack.services.lookup import (
    IdSelect,
    action_id,
    assessment_id,
    evidence_id,
    get_recommendation,
    grouped,
    natural_key,
)
from rectrack.services.status import latest_assessments
from rectrack.shapes import ChangeGroup, Changes, Event, History, RecFilter, Transition

RecIds = IdSelect | list[int]
# Same date: actions first, then evidence, then the assessments that weigh them.
_KIND_ORDER = {"action": 0, "evidence": 1, "assessment": 2, "link": 3}


@dataclass(frozen=True)
class Since:
    """Which items count as new: recorded on or after `day` (what partners entered since
    a meeting), or with `dated`, dated on or after it (an undated one by when it was
    recorded). A partial date is read as its first day, as `status` reads it."""

    day: dt.date
    dated: bool = False

    @property
    def start(self) -> dt.datetime:
        """The start of the day where the user is (recorded times are kept in UTC)."""
        return dt.datetime.combine(self.day, dt.time()).astimezone().astimezone(dt.UTC)

    def condition(self, date_column: Any, recorded_column: Any) -> Any:
        recorded = recorded_column >= self.start
        if not self.dated:
            return recorded
        return or_(
            first_day(date_column) >= self.day.isoformat(),
            and_(date_column.is_(None), recorded),
        )


def first_day(date_column: Any) -> Any:
    """A stored partial date as the ISO text of its first day ("2024" -> "2024-01-01"),
    for comparisons with a full date."""
    length = func.length(date_column)
    return case(
        (length == 4, date_column + "-01-01"),
        (length == 7, date_column + "-01"),
        else_=date_column,
    )


# An event with what orders it among those of the same date and kind: when it was recorded.
Dated = tuple[tuple[dt.datetime, int], Event]


def _event(key: str, kind: str, moment: dt.datetime, number: int, **values: Any) -> Dated:
    event: Any = {
        "key": key,
        "date": None,
        "type": kind,
        "id": None,
        "status": None,
        "perspective": None,
        "detail": None,
        "evidence": [],
        "by": None,
        "withdrawn": None,
        **values,
        "recorded": format_timestamp(moment),
    }
    return (moment.replace(tzinfo=None), number), event


def _assessment_events(
    session: Session, rec_ids: RecIds, key_of: dict[int, str], since: Since | None
) -> list[Dated]:
    a, w = Assessment, AssessmentWithdrawal
    query = (
        select(a, w)
        .outerjoin(w, col(w.assessment_id) == a.id)
        .where(col(a.recommendation_id).in_(rec_ids))
    )
    if since is not None:
        withdrawn_since = and_(col(w.recorded_at).is_not(None), col(w.recorded_at) >= since.start)
        query = query.where(or_(since.condition(a.date, a.recorded_at), withdrawn_since))
    found = session.exec(query).all()
    cited = grouped(
        session,
        select(AssessmentEvidence.assessment_id, AssessmentEvidence.evidence_id).where(
            col(AssessmentEvidence.assessment_id).in_([x.id for x, _ in found])
        ),
        label=evidence_id,
    )
    out = []
    for x, withdrawal in found:
        what = f"{domain.STATUS_LABELS[x.status]} ({x.perspective})"
        if x.grade:
            what += f", grade {x.grade}"
        withdrawn = None
        if withdrawal is not None:
            on = format_timestamp(withdrawal.recorded_at)[:10]
            withdrawn = f"withdrawn {on} by {withdrawal.recorded_by}: {withdrawal.note}"
        out.append(
            _event(
                key_of[x.recommendation_id],
                "assessment",
                x.recorded_at,
                x.id or 0,
                date=x.date,
                id=assessment_id(x.id or 0),
                status=x.status,
                perspective=x.perspective,
                what=what,
                detail=x.note,
                evidence=cited.get(x.id, []),
                by=x.recorded_by,
                withdrawn=withdrawn,
            )
        )
    return out


def _action_events(
    session: Session, rec_ids: RecIds, key_of: dict[int, str], since: Since | None
) -> list[Dated]:
    query = (
        select(ActionRecommendation.recommendation_id, Action, ActionRecommendation.note)
        .join(Action, col(Action.id) == ActionRecommendation.action_id)
        .where(col(ActionRecommendation.recommendation_id).in_(rec_ids))
    )
    if since is not None:
        query = query.where(since.condition(Action.date, Action.created_at))
    return [
        _event(
            key_of[rec_id],
            "action",
            a.created_at,
            a.id or 0,
            date=a.date,
            id=action_id(a.id or 0),
            what=f"{a.title} [{a.kind}]",
            detail="; ".join(x for x in (a.reference, note) if x) or None,
        )
        for rec_id, a, note in session.exec(query).all()
    ]


def _evidence_pairs(rec_ids: RecIds) -> Any:
    """(rec_id, ev_id) of evidence linked to a recommendation, to one of its assessments or
    to its actions."""
    via_rec: Any = select(
        col(EvidenceRecommendation.recommendation_id).label("rec_id"),
        col(EvidenceRecommendation.evidence_id).label("ev_id"),
    ).where(col(EvidenceRecommendation.recommendation_id).in_(rec_ids))
    via_assessment = (
        select(Assessment.recommendation_id, AssessmentEvidence.evidence_id)
        .join(Assessment, col(Assessment.id) == AssessmentEvidence.assessment_id)
        .where(col(Assessment.recommendation_id).in_(rec_ids))
    )
    via_action = (
        select(ActionRecommendation.recommendation_id, EvidenceAction.evidence_id)
        .join(
            ActionRecommendation,
            col(ActionRecommendation.action_id) == EvidenceAction.action_id,
        )
        .where(col(ActionRecommendation.recommendation_id).in_(rec_ids))
    )
    return union_all(via_rec, via_assessment, via_action).subquery()


def _evidence_events(
    session: Session, rec_ids: RecIds, key_of: dict[int, str], since: Since | None
) -> list[Dated]:
    pairs = _evidence_pairs(rec_ids)
    query = (
        select(pairs.c.rec_id, Evidence)
        .distinct()
        .join(Evidence, col(Evidence.id) == pairs.c.ev_id)
    )
    if since is not None:
        query = query.where(since.condition(Evidence.date, Evidence.created_at))
    found = session.exec(query).all()
    out = [
        _event(
            key_of[rec_id],
            "evidence",
            e.created_at,
            e.id or 0,
            date=e.date,
            id=evidence_id(e.id or 0),
            what=f"{e.title} [{e.kind}]",
            detail="; ".join(x for x in (e.source, e.url or e.file_path) if x) or None,
        )
        for rec_id, e in found
    ]
    return out + _acceptance_events(session, pairs, key_of, since)


def _acceptance_events(
    session: Session, pairs: Any, key_of: dict[int, str], since: Since | None
) -> list[Dated]:
    """Changes to evidence files that a person accepted (`evidence accept`)."""
    e = EvidenceAcceptance
    query = (
        select(pairs.c.rec_id, e, Evidence.title)
        .distinct()
        .join(e, col(e.evidence_id) == pairs.c.ev_id)
        .join(Evidence, col(Evidence.id) == e.evidence_id)
    )
    if since is not None:
        query = query.where(col(e.recorded_at) >= since.start)
    return [
        _event(
            key_of[rec_id],
            "evidence",
            accepted.recorded_at,
            accepted.id or 0,
            date=format_timestamp(accepted.recorded_at)[:10],
            id=evidence_id(accepted.evidence_id),
            what=f"{title} [file change accepted]",
            detail=f"now {accepted.new_size:,} bytes, SHA-256 {accepted.new_sha256[:12]}…",
            by=accepted.recorded_by,
        )
        for rec_id, accepted, title in session.exec(query).all()
    ]


def _link_events(
    session: Session, rec_ids: RecIds, key_of: dict[int, str], since: Since | None
) -> list[Dated]:
    """Links to other recommendations, dated when they were recorded, read from each end."""
    link = RecommendationLink
    other = aliased(Recommendation)
    out = []
    for mine, theirs, words in ((link.from_id, link.to_id, 0), (link.to_id, link.from_id, 1)):
        query = (
            select(mine, other.key, link)
            .join(other, col(other.id) == theirs)
            .where(col(mine).in_(rec_ids))
        )
        if since is not None:
            query = query.where(col(link.created_at) >= since.start)
        for rec_id, key, found in session.exec(query).all():
            out.append(
                _event(
                    key_of[rec_id],
                    "link",
                    found.created_at,
                    found.id or 0,
                    date=format_timestamp(found.created_at)[:10],
                    what=f"{domain.LINK_WORDS[found.kind][words]} {key}",
                    detail=found.note,
                    by=found.recorded_by,
                )
            )
    return out


def _timeline(session: Session, rec_ids: RecIds, since: Since | None = None) -> list[Event]:
    """Assessments, actions and evidence of recommendations as one list in date order;
    undated items last."""
    key_of = {
        number: key
        for number, key in session.exec(
            select(Recommendation.id, Recommendation.key).where(col(Recommendation.id).in_(rec_ids))
        )
        if number is not None
    }
    items = [
        *_assessment_events(session, rec_ids, key_of, since),
        *_action_events(session, rec_ids, key_of, since),
        *_evidence_events(session, rec_ids, key_of, since),
        *_link_events(session, rec_ids, key_of, since),
    ]

    def order(item: Dated) -> tuple[bool, str, int, tuple[dt.datetime, int]]:
        recorded, event = item
        date = event["date"]
        return date is None, date or "", _KIND_ORDER[event["type"]], recorded

    return [event for _, event in sorted(items, key=order)]


def history(session: Session, key: str) -> History:
    """Every assessment (withdrawn ones marked), action and evidence of one recommendation,
    in date order, undated items last."""
    rec = get_recommendation(session, key)
    assert rec.id is not None
    return {
        "key": rec.key,
        "summary": rec.summary or domain.shorten(rec.text, 90),
        "events": _timeline(session, [rec.id]),
    }


def _standing(
    session: Session, ids: list[int], as_of: dt.date, recorded_before: dt.datetime | None
) -> dict[tuple[int, str], tuple[str, str | None]]:
    """(status, date) of each perspective of each recommendation, as things stood."""
    rec_id = col(Recommendation.id)
    latest = latest_assessments(select(rec_id).where(rec_id.in_(ids)), as_of, recorded_before)
    out = {}
    for row in fetch(session, latest.select()):
        for who in domain.PERSPECTIVES:
            status = row[f"{who}_status"]
            if status is not None:
                out[(row["rec_id"], who)] = (status, row[f"{who}_date"])
    return out


def _transitions(
    session: Session, ids: list[int], key_of: dict[int, str], since: Since
) -> list[Transition]:
    """One line per recommendation and perspective whose status moved since the date."""
    today = dt.date.today()
    if since.dated:
        before = _standing(session, ids, since.day - dt.timedelta(days=1), None)
    else:
        before = _standing(session, ids, today, since.start)
    now = _standing(session, ids, today, None)
    out: list[Transition] = []
    for rec_id, who in sorted(set(before) | set(now)):
        old, _ = before.get((rec_id, who), (domain.UNKNOWN, None))
        new, date = now.get((rec_id, who), (domain.UNKNOWN, None))
        if old != new:
            change = {"before": old, "after": new, "date": date}
            out.append({"key": key_of[rec_id], "perspective": who, **change})  # type: ignore[typeddict-item]
    out.sort(key=lambda t: (natural_key(t["key"]), domain.PERSPECTIVES.index(t["perspective"])))
    return out


def changes(
    session: Session, since: str, filters: RecFilter | None = None, dated: bool = False
) -> Changes:
    """What partners recorded since a date (or, with `dated`, what is dated since it): the
    statuses that moved, then each recommendation's new actions, evidence and assessments."""
    window = Since(parse_date(since).first_day, dated)
    ids = filtered_ids(session, filters or RecFilter())
    events = _timeline(session, ids, window)
    by_key: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        by_key[e["key"]].append(e)
    found = session.exec(
        select(
            Recommendation.id,
            Recommendation.key,
            func.coalesce(Recommendation.summary, Recommendation.text),
        ).where(col(Recommendation.key).in_(list(by_key)))
    ).all()
    key_of = {number: key for number, key, _ in found if number is not None}
    summaries = {key: domain.shorten(text, 90) for _, key, text in found}
    groups: list[ChangeGroup] = [
        {"key": k, "summary": summaries.get(k, ""), "events": by_key[k]}
        for k in sorted(by_key, key=natural_key)
    ]
    return {
        "since": window.day.isoformat(),
        "selected_by": "date" if dated else "recorded",
        "transitions": _transitions(session, list(key_of), key_of, window),
        "recommendations": groups,
    }
