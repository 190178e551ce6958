"""What happened to recommendations over time: one recommendation's history, what changed
since a date, and `show`'s overview of where one stands today."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, func, literal, or_, union_all
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.dates import format_timestamp, parse_date
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    AssessmentEvidence,
    Evidence,
    EvidenceAction,
    EvidenceRecommendation,
    Recommendation,
)
from rectrack.services.filters import filtered_ids
from rectrack.services.lookup import (
    IdSelect,
    action_id,
    evidence_id,
    get_recommendation,
    grouped,
    natural_key,
)
from rectrack.shapes import ChangeGroup, Event, History, RecFilter

RecIds = IdSelect | list[int]
# Same date: actions first, then evidence, then the assessments that weigh them.
_KIND_ORDER = {"action": 0, "evidence": 1, "assessment": 2}


def _since(date_column: Any, created_column: Any, since: str | None) -> Any:
    """Dated on or after `since` (a full ISO date); an undated item by when it was recorded.
    A partial date counts when its period reaches `since`: "2024-03" is since 2024-03-15."""
    if not since:
        return literal(True)
    start = dt.datetime.combine(dt.date.fromisoformat(since), dt.time(), tzinfo=dt.UTC)
    return or_(
        date_column >= since,
        date_column == since[:7],
        date_column == since[:4],
        and_(date_column.is_(None), created_column >= start),
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
        **values,
        "recorded": format_timestamp(moment),
    }
    return (moment.replace(tzinfo=None), number), event


def _assessment_events(
    session: Session, rec_ids: RecIds, key_of: dict[int, str], since: str | None
) -> list[Dated]:
    found = session.exec(
        select(Assessment).where(
            col(Assessment.recommendation_id).in_(rec_ids),
            _since(Assessment.date, Assessment.recorded_at, since),
        )
    ).all()
    cited = grouped(
        session,
        select(AssessmentEvidence.assessment_id, AssessmentEvidence.evidence_id).where(
            col(AssessmentEvidence.assessment_id).in_([a.id for a in found])
        ),
        label=evidence_id,
    )
    out = []
    for a in found:
        what = f"{domain.STATUS_LABELS[a.status]} ({a.perspective})"
        if a.grade:
            what += f", grade {a.grade}"
        out.append(
            _event(
                key_of[a.recommendation_id],
                "assessment",
                a.recorded_at,
                a.id or 0,
                date=a.date,
                status=a.status,
                perspective=a.perspective,
                what=what,
                detail=a.note,
                evidence=cited.get(a.id, []),
                by=a.recorded_by,
            )
        )
    return out


def _action_events(
    session: Session, rec_ids: RecIds, key_of: dict[int, str], since: str | None
) -> list[Dated]:
    found = session.exec(
        select(ActionRecommendation.recommendation_id, Action, ActionRecommendation.note)
        .join(Action, col(Action.id) == ActionRecommendation.action_id)
        .where(col(ActionRecommendation.recommendation_id).in_(rec_ids))
        .where(_since(Action.date, Action.created_at, since))
    ).all()
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
        for rec_id, a, note in found
    ]


def _evidence_events(
    session: Session, rec_ids: RecIds, key_of: dict[int, str], since: str | None
) -> list[Dated]:
    """Evidence linked to the recommendation, to one of its assessments or to its actions."""
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
    pairs = union_all(via_rec, via_assessment, via_action).subquery()
    found = session.exec(
        select(pairs.c.rec_id, Evidence)
        .distinct()
        .join(Evidence, col(Evidence.id) == pairs.c.ev_id)
        .where(_since(Evidence.date, Evidence.created_at, since))
    ).all()
    return [
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


def _timeline(session: Session, rec_ids: RecIds, since: str | None = None) -> list[Event]:
    """Assessments, actions and evidence of recommendations as one dated list."""
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
    ]

    def order(item: Dated) -> tuple[str, int, tuple[dt.datetime, int]]:
        recorded, event = item
        return event["date"] or event["recorded"][:10], _KIND_ORDER[event["type"]], recorded

    return [event for _, event in sorted(items, key=order)]


def history(session: Session, key: str) -> History:
    """Every assessment, action and evidence of one recommendation, in date order."""
    rec = get_recommendation(session, key)
    assert rec.id is not None
    return {
        "key": rec.key,
        "summary": rec.summary or domain.shorten(rec.text, 90),
        "events": _timeline(session, [rec.id]),
    }


def changes(session: Session, since: str, filters: RecFilter | None = None) -> list[ChangeGroup]:
    """What was assessed, acted on or evidenced since a date, grouped by recommendation."""
    start = parse_date(since).first_day.isoformat()
    events = _timeline(session, filtered_ids(session, filters or RecFilter()), since=start)
    by_key: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        by_key[e["key"]].append(e)
    summaries = dict(
        session.exec(
            select(
                Recommendation.key, func.coalesce(Recommendation.summary, Recommendation.text)
            ).where(col(Recommendation.key).in_(list(by_key)))
        ).all()
    )
    return [
        {"key": k, "summary": domain.shorten(summaries.get(k, ""), 90), "events": by_key[k]}
        for k in sorted(by_key, key=natural_key)
    ]
