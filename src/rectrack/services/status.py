"""How far recommendations are implemented, at a date and from a perspective.

The status of a recommendation is its latest assessment on or before the date, the latest
recorded winning a tie; it is chosen in SQL with a window function, for every
recommendation at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, union_all
from sqlalchemy.sql import Subquery
from sqlmodel import Session, select

from rectrack import domain
from rectrack.dates import PartialDate, format_timestamp, parse_date
from rectrack.db import fetch
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    AssessmentEvidence,
    Body,
    Document,
    Evidence,
    EvidenceAction,
    EvidenceRecommendation,
    Institution,
    Recommendation,
    RecommendationInstitution,
    RecommendationTheme,
    Theme,
)
from rectrack.services.recommendations import (
    RecFilter,
    filtered_ids,
    get_recommendation,
    names_by_rec,
    natural_key,
    recommendation_rows,
)
from rectrack.services.tracking import action_id, evidence_id


def as_of_date(text: str | None) -> dt.date:
    """The day a status is wanted for: the end of the period given ("2023" = 31 Dec 2023)."""
    return parse_date(text).last_day if text else dt.date.today()


def latest_by_perspective(perspective: str, as_of: dt.date) -> Subquery:
    """One row per assessed recommendation: the latest assessment on or before `as_of` from
    `perspective` (status, status_date, grade, note), and the latest statuses of the state
    and the NGO beside it, from a single pass of the window function."""
    ranked = (
        select(
            Assessment.recommendation_id.label("rec_id"),
            Assessment.perspective,
            Assessment.status,
            Assessment.date,
            Assessment.grade,
            Assessment.note,
            func.row_number()
            .over(
                partition_by=(Assessment.recommendation_id, Assessment.perspective),
                order_by=(
                    Assessment.date.desc(),
                    Assessment.recorded_at.desc(),
                    Assessment.id.desc(),
                ),
            )
            .label("rank"),
        )
        .where(Assessment.date <= as_of.isoformat())
        .subquery()
    )

    def of(who: str, column: Any, label: str) -> Any:
        return func.max(case((ranked.c.perspective == who, column))).label(label)

    return (
        select(
            ranked.c.rec_id,
            of(perspective, ranked.c.status, "status"),
            of(perspective, ranked.c.date, "status_date"),
            of(perspective, ranked.c.grade, "grade"),
            of(perspective, ranked.c.note, "note"),
            of("state", ranked.c.status, "state_status"),
            of("state", ranked.c.date, "state_date"),
            of("ngo", ranked.c.status, "ngo_status"),
            of("ngo", ranked.c.date, "ngo_date"),
        )
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.rec_id)
        .subquery()
    )


def _dated_on_or_before(column: Any, as_of: dt.date) -> Any:
    return or_(column.is_(None), column <= as_of.isoformat())


def _count_by_rec(link: Any, item: Any, item_fk: Any, as_of: dt.date) -> Subquery:
    return (
        select(link.recommendation_id.label("rec_id"), func.count().label("n"))
        .join(item, item.id == item_fk)
        .where(_dated_on_or_before(item.date, as_of))
        .group_by(link.recommendation_id)
        .subquery()
    )


@dataclass
class StatusQuery:
    filters: RecFilter = field(default_factory=RecFilter)
    as_of: str | None = None
    perspective: str = "ngo"


def _prepare(session: Session, q: StatusQuery) -> tuple[Select, dt.date, str]:
    perspective = domain.choice(q.perspective, domain.PERSPECTIVES, "perspective")
    return filtered_ids(session, q.filters), as_of_date(q.as_of), perspective


def status_rows(session: Session, q: StatusQuery) -> list[dict[str, Any]]:
    """One row per recommendation with its status at the date, in natural key order."""
    return _status_rows(session, *_prepare(session, q))


def _status_rows(
    session: Session, ids: Select, as_of: dt.date, perspective: str
) -> list[dict[str, Any]]:
    latest = latest_by_perspective(perspective, as_of)
    actions = _count_by_rec(ActionRecommendation, Action, ActionRecommendation.action_id, as_of)
    evidence = _count_by_rec(
        EvidenceRecommendation, Evidence, EvidenceRecommendation.evidence_id, as_of
    )
    rows = fetch(
        session,
        select(
            Recommendation.id,
            Recommendation.key,
            Body.code,
            Document.symbol,
            Recommendation.paragraph,
            Recommendation.date,
            Recommendation.country,
            Recommendation.text,
            Recommendation.summary,
            Recommendation.due,
            Recommendation.priority,
            Recommendation.response,
            latest.c.status,
            latest.c.status_date,
            latest.c.grade,
            latest.c.note,
            latest.c.state_status,
            latest.c.state_date,
            latest.c.ngo_status,
            latest.c.ngo_date,
            func.coalesce(actions.c.n, 0),
            func.coalesce(evidence.c.n, 0),
        )
        .join(Body, Body.id == Recommendation.body_id)
        .outerjoin(Document, Document.id == Recommendation.document_id)
        .outerjoin(latest, latest.c.rec_id == Recommendation.id)
        .outerjoin(actions, actions.c.rec_id == Recommendation.id)
        .outerjoin(evidence, evidence.c.rec_id == Recommendation.id)
        .where(Recommendation.id.in_(ids)),
    )
    themes = names_by_rec(session, ids, RecommendationTheme, Theme, RecommendationTheme.theme_id)
    insts = names_by_rec(
        session,
        ids,
        RecommendationInstitution,
        Institution,
        RecommendationInstitution.institution_id,
    )
    out = []
    for (
        rec_id,
        key,
        body,
        document,
        paragraph,
        date,
        country,
        text,
        summary,
        due,
        priority,
        response,
        status,
        status_date,
        grade,
        note,
        state_status,
        state_date,
        ngo_status,
        ngo_date,
        n_actions,
        n_evidence,
    ) in rows:
        status = status or domain.UNKNOWN
        out.append(
            {
                "key": key,
                "body": body,
                "document": document,
                "paragraph": paragraph,
                "date": date,
                "country": country,
                "text": text,
                "summary": summary or domain.shorten(text, 90),
                "themes": themes.get(rec_id, []),
                "institutions": insts.get(rec_id, []),
                "response": response,
                "status": status,
                "status_label": domain.STATUS_LABELS[status],
                "status_date": status_date,
                "grade": grade,
                "note": note,
                "actions": n_actions,
                "evidence": n_evidence,
                "due": due,
                "overdue": is_overdue(due, ngo_status, as_of),
                "priority": priority,
                "state_status": state_status or domain.UNKNOWN,
                "state_date": state_date,
                "ngo_status": ngo_status or domain.UNKNOWN,
                "ngo_date": ngo_date,
                "state_claims_more": domain.claims_more(state_status, ngo_status),
            }
        )
    out.sort(key=lambda r: (r["body"], natural_key(r["key"])))
    return out


def is_overdue(due: str | None, status: str, today: dt.date) -> bool:
    """A follow-up is overdue once its due period has ended and it is not implemented."""
    return bool(due) and status != "implemented" and _last_day(due) < today


@functools.lru_cache(maxsize=4096)
def _last_day(iso: str) -> dt.date:
    return PartialDate.from_iso(iso).last_day


def _group_column(group_by: str) -> tuple[Any, list[tuple[Any, Any]]]:
    """The column to group by and the outer joins it needs."""
    if group_by == "body":
        return Body.code, [(Body, Body.id == Recommendation.body_id)]
    if group_by == "document":
        return Document.symbol, [(Document, Document.id == Recommendation.document_id)]
    if group_by == "country":
        return Recommendation.country, []
    if group_by == "theme":
        return Theme.name, [
            (RecommendationTheme, RecommendationTheme.recommendation_id == Recommendation.id),
            (Theme, Theme.id == RecommendationTheme.theme_id),
        ]
    return Institution.name, [
        (
            RecommendationInstitution,
            RecommendationInstitution.recommendation_id == Recommendation.id,
        ),
        (Institution, Institution.id == RecommendationInstitution.institution_id),
    ]


def _status_counts(
    session: Session, ids: Select, as_of: dt.date, perspective: str, group_by: str
) -> dict[str | None, dict[str, int]]:
    """Counts of each status per group (None: recommendations in no group), in SQL."""
    latest = latest_by_perspective(perspective, as_of)
    status = func.coalesce(latest.c.status, domain.UNKNOWN)
    group, joins = _group_column(domain.choice(group_by, domain.GROUP_BY, "grouping"))
    query = select(group, status, func.count(func.distinct(Recommendation.id)))
    query = query.select_from(Recommendation)
    for target, on in joins:
        query = query.outerjoin(target, on)
    query = (
        query.outerjoin(latest, latest.c.rec_id == Recommendation.id)
        .where(Recommendation.id.in_(ids))
        .group_by(group, status)
    )
    out: dict[str | None, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(domain.ALL_STATUSES, 0)
    )
    for name, st, n in session.exec(query):
        out[name][st] = n
    return dict(out)


def status_report(session: Session, q: StatusQuery, group_by: str | None = None) -> dict[str, Any]:
    """Everything `rectrack status` shows: the date, perspective, counts, groups and rows."""
    ids, as_of, perspective = _prepare(session, q)
    rows = _status_rows(session, ids, as_of, perspective)
    counts = dict.fromkeys(domain.ALL_STATUSES, 0)
    for row in rows:
        counts[row["status"]] += 1
    groups = []
    if group_by:
        by_group = _status_counts(session, ids, as_of, perspective, group_by)
        none_label = f"(no {group_by})"
        for name in sorted(by_group, key=lambda n: (n is None, natural_key(n or ""))):
            c = by_group[name]
            groups.append(
                {
                    "group": name if name is not None else none_label,
                    "counts": c,
                    "total": sum(c.values()),
                }
            )
    return {
        "as_of": as_of.isoformat(),
        "perspective": perspective,
        "group_by": group_by,
        "total": len(rows),
        "counts": counts,
        "groups": groups,
        "recommendations": rows,
    }


# ---------------------------------------------------------------------------------------
# Due follow-ups


def due_rows(
    session: Session,
    within: str | None = None,
    overdue_only: bool = False,
    filters: RecFilter | None = None,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Recommendations whose follow-up is due within the window (default 90 days) or
    overdue, soonest first. Implemented ones (NGO assessment) are left out."""
    from rectrack.dates import parse_duration

    today = today or dt.date.today()
    horizon = parse_duration(within or "90d").after(today)
    rows = status_rows(
        session, StatusQuery(filters=filters or RecFilter(), as_of=today.isoformat())
    )
    out = []
    for row in rows:
        if not row["due"] or row["status"] == "implemented":
            continue
        due_day = _last_day(row["due"])
        if (overdue_only and not row["overdue"]) or (not row["overdue"] and due_day > horizon):
            continue
        out.append({**row, "due_day": due_day.isoformat(), "days": (due_day - today).days})
    out.sort(key=lambda r: (r["due_day"], natural_key(r["key"])))
    return out


# ---------------------------------------------------------------------------------------
# History and changes


def _timeline(
    session: Session, rec_ids: Select | list[int], since: str | None = None
) -> list[dict[str, Any]]:
    """Assessments, actions and evidence of recommendations as one dated list."""
    items: list[dict[str, Any]] = []
    key_of = dict(
        session.exec(
            select(Recommendation.id, Recommendation.key).where(Recommendation.id.in_(rec_ids))
        ).all()
    )

    assessments = session.exec(
        select(Assessment).where(
            Assessment.recommendation_id.in_(rec_ids),
            _since(Assessment.date, Assessment.recorded_at, since),
        )
    ).all()
    ev_by_assessment: dict[int, list[str]] = defaultdict(list)
    if assessments:
        for a_id, e_id in session.exec(
            select(AssessmentEvidence.assessment_id, AssessmentEvidence.evidence_id).where(
                AssessmentEvidence.assessment_id.in_([a.id for a in assessments])
            )
        ):
            ev_by_assessment[a_id].append(evidence_id(e_id))
    for a in assessments:
        what = f"{domain.STATUS_LABELS[a.status]} ({a.perspective})"
        if a.grade:
            what += f", grade {a.grade}"
        items.append(
            {
                "key": key_of[a.recommendation_id],
                "date": a.date,
                "type": "assessment",
                "id": None,
                "status": a.status,
                "perspective": a.perspective,
                "what": what,
                "detail": a.note,
                "evidence": ev_by_assessment.get(a.id, []),
                "by": a.recorded_by,
                "recorded": format_timestamp(a.recorded_at),
                "_order": (a.recorded_at.replace(tzinfo=None), a.id),
            }
        )

    actions = session.exec(
        select(ActionRecommendation.recommendation_id, Action, ActionRecommendation.note)
        .join(Action, Action.id == ActionRecommendation.action_id)
        .where(ActionRecommendation.recommendation_id.in_(rec_ids))
        .where(_since(Action.date, Action.created_at, since))
    ).all()
    for rec_id, a, note in actions:
        detail = "; ".join(x for x in (a.reference, note) if x) or None
        items.append(
            {
                "key": key_of[rec_id],
                "date": a.date,
                "type": "action",
                "id": action_id(a.id),
                "status": None,
                "perspective": None,
                "what": f"{a.title} [{a.kind}]",
                "detail": detail,
                "evidence": [],
                "by": None,
                "recorded": format_timestamp(a.created_at),
                "_order": (a.created_at.replace(tzinfo=None), a.id),
            }
        )

    # Evidence linked to the recommendation, to one of its assessments or to its actions.
    via_rec = select(
        EvidenceRecommendation.recommendation_id.label("rec_id"),
        EvidenceRecommendation.evidence_id.label("ev_id"),
    ).where(EvidenceRecommendation.recommendation_id.in_(rec_ids))
    via_assessment = (
        select(Assessment.recommendation_id, AssessmentEvidence.evidence_id)
        .join(Assessment, Assessment.id == AssessmentEvidence.assessment_id)
        .where(Assessment.recommendation_id.in_(rec_ids))
    )
    via_action = (
        select(ActionRecommendation.recommendation_id, EvidenceAction.evidence_id)
        .join(ActionRecommendation, ActionRecommendation.action_id == EvidenceAction.action_id)
        .where(ActionRecommendation.recommendation_id.in_(rec_ids))
    )
    pairs = union_all(via_rec, via_assessment, via_action).subquery()
    evidence = session.exec(
        select(pairs.c.rec_id, Evidence)
        .distinct()
        .join(Evidence, Evidence.id == pairs.c.ev_id)
        .where(_since(Evidence.date, Evidence.created_at, since))
    ).all()
    for rec_id, e in evidence:
        where = e.url or e.file_path
        items.append(
            {
                "key": key_of[rec_id],
                "date": e.date,
                "type": "evidence",
                "id": evidence_id(e.id),
                "status": None,
                "perspective": None,
                "what": f"{e.title} [{e.kind}]",
                "detail": "; ".join(x for x in (e.source, where) if x) or None,
                "evidence": [],
                "by": None,
                "recorded": format_timestamp(e.created_at),
                "_order": (e.created_at.replace(tzinfo=None), e.id),
            }
        )

    kinds = {"action": 0, "evidence": 1, "assessment": 2}
    items.sort(key=lambda i: (i["date"] or i["recorded"][:10], kinds[i["type"]], i["_order"]))
    for item in items:
        del item["_order"]
    return items


def _since(date_column: Any, created_column: Any, since: str | None) -> Any:
    """Dated on or after `since` (a full ISO date); an undated item by when it was recorded.
    A partial date counts when its period reaches `since`: "2024-03" is since 2024-03-15."""
    if not since:
        return literal(True)
    start = dt.datetime.combine(dt.date.fromisoformat(since), dt.time(), tzinfo=dt.UTC)
    # A month or a year is "since" a day within it: "2024-03" counts for 2024-03-15.
    return or_(
        date_column >= since,
        date_column == since[:7],
        date_column == since[:4],
        and_(date_column.is_(None), created_column >= start),
    )


def recommendation_overview(session: Session, key: str) -> dict[str, Any]:
    """Everything recorded about one recommendation, with where it stands today."""
    from rectrack.services.recommendations import recommendation_detail

    detail = recommendation_detail(session, key)
    ids = select(Recommendation.id).where(Recommendation.key == detail["key"])
    (row,) = _status_rows(session, ids, dt.date.today(), "ngo")
    detail.update(
        {
            "status": row["status"],
            "status_date": row["status_date"],
            "grade": row["grade"],
            "note": row["note"],
            "state_status": row["state_status"],
            "state_date": row["state_date"],
            "actions": row["actions"],
            "evidence": row["evidence"],
            "overdue": row["overdue"],
        }
    )
    return detail


def history(session: Session, key: str) -> dict[str, Any]:
    rec = get_recommendation(session, key)
    row = recommendation_rows(
        session, select(Recommendation.id).where(Recommendation.id == rec.id)
    )[0]
    return {
        "key": rec.key,
        "summary": row["summary"] or domain.shorten(rec.text, 90),
        "events": _timeline(session, [rec.id]),
    }


def changes(session: Session, since: str, filters: RecFilter | None = None) -> list[dict[str, Any]]:
    """What was assessed, acted on or evidenced since a date, grouped by recommendation."""
    start = parse_date(since).first_day.isoformat()
    ids = filtered_ids(session, filters or RecFilter())
    events = _timeline(session, ids, since=start)
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        by_key[e["key"]].append(e)
    summaries = (
        dict(
            session.exec(
                select(
                    Recommendation.key, func.coalesce(Recommendation.summary, Recommendation.text)
                ).where(Recommendation.key.in_(list(by_key)))
            ).all()
        )
        if by_key
        else {}
    )
    return [
        {"key": k, "summary": domain.shorten(summaries.get(k, ""), 90), "events": by_key[k]}
        for k in sorted(by_key, key=natural_key)
    ]
