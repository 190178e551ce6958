"""How far recommendations are implemented, at a date and from a perspective; and which
follow-ups are due.

The status of a recommendation is its latest assessment on or before the date, the latest
recorded winning a tie; it is chosen in SQL with a window function, for every
recommendation at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy import case, func, or_
from sqlalchemy.sql import Subquery
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.dates import PartialDate, parse_date, parse_duration
from rectrack.db import fetch
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    Body,
    Document,
    Evidence,
    EvidenceRecommendation,
    Recommendation,
)
from rectrack.services.filters import filtered_ids
from rectrack.services.lookup import INSTITUTIONS, THEMES, IdSelect, natural_key
from rectrack.services.rows import names_by_rec, recommendation_columns, recommendation_detail
from rectrack.shapes import (
    DueRow,
    GroupCounts,
    Overview,
    RecFilter,
    StatusQuery,
    StatusReport,
    StatusRow,
)


def as_of_date(text: str | None) -> dt.date:
    """The day a status is wanted for: the end of the period given ("2023" = 31 Dec 2023)."""
    return parse_date(text).last_day if text else dt.date.today()


def latest_by_perspective(perspective: str, as_of: dt.date) -> Subquery:
    """One row per assessed recommendation: the latest assessment on or before `as_of` from
    `perspective` (status, status_date, grade, note), and the latest statuses of the state
    and the NGO beside it, from a single pass of the window function."""
    a = Assessment
    ranked = (
        sa.select(
            col(a.recommendation_id).label("rec_id"),
            col(a.perspective),
            col(a.status),
            col(a.date),
            col(a.grade),
            col(a.note),
            func.row_number()
            .over(
                partition_by=(col(a.recommendation_id), col(a.perspective)),
                order_by=(col(a.date).desc(), col(a.recorded_at).desc(), col(a.id).desc()),
            )
            .label("rank"),
        )
        .where(col(a.date) <= as_of.isoformat())
        .subquery()
    )

    def of(who: str, column: Any, label: str) -> Any:
        return func.max(case((ranked.c.perspective == who, column))).label(label)

    return (
        sa.select(
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


def _count_by_rec(link: Any, item: Any, item_fk: Any, as_of: dt.date) -> Subquery:
    """How many actions or pieces of evidence dated on or before `as_of` (or undated) each
    recommendation has."""
    return (
        select(link.recommendation_id.label("rec_id"), func.count().label("n"))
        .join(item, item.id == item_fk)
        .where(or_(col(item.date).is_(None), item.date <= as_of.isoformat()))
        .group_by(link.recommendation_id)
        .subquery()
    )


def _prepare(session: Session, q: StatusQuery) -> tuple[IdSelect, dt.date, str]:
    perspective = domain.choice(q.perspective, domain.PERSPECTIVES, "perspective")
    return filtered_ids(session, q.filters), as_of_date(q.as_of), perspective


def status_rows(session: Session, q: StatusQuery) -> list[StatusRow]:
    """One row per recommendation with its status at the date, in natural key order."""
    return rows_at(session, *_prepare(session, q))


def rows_at(session: Session, ids: IdSelect, as_of: dt.date, perspective: str) -> list[StatusRow]:
    """Status rows of the recommendations whose ids the SELECT gives, at `as_of`."""
    latest = latest_by_perspective(perspective, as_of)
    actions = _count_by_rec(ActionRecommendation, Action, ActionRecommendation.action_id, as_of)
    evidence = _count_by_rec(
        EvidenceRecommendation, Evidence, EvidenceRecommendation.evidence_id, as_of
    )
    rec_id = col(Recommendation.id)
    found = fetch(
        session,
        sa.select(
            *recommendation_columns(),
            *(latest.c[name] for name in latest.c.keys() if name != "rec_id"),
            func.coalesce(actions.c.n, 0).label("actions"),
            func.coalesce(evidence.c.n, 0).label("evidence"),
        )
        .join(Body, col(Body.id) == Recommendation.body_id)
        .outerjoin(Document, col(Document.id) == Recommendation.document_id)
        .outerjoin(latest, latest.c.rec_id == rec_id)
        .outerjoin(actions, actions.c.rec_id == rec_id)
        .outerjoin(evidence, evidence.c.rec_id == rec_id)
        .where(rec_id.in_(ids)),
    )
    themes, insts = names_by_rec(session, ids)
    out = [_status_row(m, themes, insts, as_of) for m in found]
    out.sort(key=lambda r: (r["body"], natural_key(r["key"])))
    return out


def _status_row(
    m: Any, themes: dict[int, list[str]], insts: dict[int, list[str]], as_of: dt.date
) -> StatusRow:
    row: Any = {k: v for k, v in m.items() if k != "id"}
    status = m["status"] or domain.UNKNOWN
    row.update(
        summary=m["summary"] or domain.shorten(m["text"], 90),
        themes=themes.get(m["id"], []),
        institutions=insts.get(m["id"], []),
        status=status,
        status_label=domain.STATUS_LABELS[status],
        overdue=is_overdue(m["due"], m["ngo_status"], as_of),
        state_status=m["state_status"] or domain.UNKNOWN,
        ngo_status=m["ngo_status"] or domain.UNKNOWN,
        state_claims_more=domain.claims_more(m["state_status"], m["ngo_status"]),
    )
    return row


def is_overdue(due: str | None, status: str | None, today: dt.date) -> bool:
    """A follow-up is overdue once its due period has ended and it is not implemented."""
    return bool(due) and status != "implemented" and last_day(due or "") < today


@functools.lru_cache(maxsize=4096)
def last_day(iso: str) -> dt.date:
    """The last day of the period a stored (partial) date names."""
    return PartialDate.from_iso(iso).last_day


def _group_column(group_by: str) -> tuple[Any, list[tuple[Any, Any]]]:
    """The column to group by and the outer joins it needs."""
    r = Recommendation
    if group_by == "body":
        return Body.code, [(Body, col(Body.id) == r.body_id)]
    if group_by == "document":
        return Document.symbol, [(Document, col(Document.id) == r.document_id)]
    if group_by == "country":
        return r.country, []
    names = THEMES if group_by == "theme" else INSTITUTIONS
    return names.model.name, [
        (names.link, col(names.link.recommendation_id) == r.id),
        (names.model, col(names.model.id) == names.fk_column),
    ]


def _status_counts(
    session: Session, ids: IdSelect, as_of: dt.date, perspective: str, group_by: str
) -> dict[str | None, dict[str, int]]:
    """Counts of each status per group (None: recommendations in no group), in SQL."""
    latest = latest_by_perspective(perspective, as_of)
    status = func.coalesce(latest.c.status, domain.UNKNOWN)
    group, joins = _group_column(domain.choice(group_by, domain.GROUP_BY, "grouping"))
    rec_id = col(Recommendation.id)
    query = select(group, status, func.count(func.distinct(rec_id))).select_from(Recommendation)
    for target, on in joins:
        query = query.outerjoin(target, on)
    query = (
        query.outerjoin(latest, latest.c.rec_id == rec_id)
        .where(rec_id.in_(ids))
        .group_by(group, status)
    )
    out: dict[str | None, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(domain.ALL_STATUSES, 0)
    )
    for name, st, n in session.exec(query):
        out[name][st] = n
    return dict(out)


def _groups(
    session: Session, ids: IdSelect, as_of: dt.date, perspective: str, group_by: str
) -> list[GroupCounts]:
    by_group = _status_counts(session, ids, as_of, perspective, group_by)
    none_label = f"(no {group_by})"
    return [
        {
            "group": name if name is not None else none_label,
            "counts": by_group[name],
            "total": sum(by_group[name].values()),
        }
        for name in sorted(by_group, key=lambda n: (n is None, natural_key(n or "")))
    ]


def status_report(session: Session, q: StatusQuery, group_by: str | None = None) -> StatusReport:
    """Everything `rectrack status` shows: the date, perspective, counts, groups and rows."""
    ids, as_of, perspective = _prepare(session, q)
    rows = rows_at(session, ids, as_of, perspective)
    counts = dict.fromkeys(domain.ALL_STATUSES, 0)
    for row in rows:
        counts[row["status"]] += 1
    return {
        "as_of": as_of.isoformat(),
        "perspective": perspective,
        "group_by": group_by,
        "total": len(rows),
        "counts": counts,
        "groups": _groups(session, ids, as_of, perspective, group_by) if group_by else [],
        "recommendations": rows,
    }


def due_rows(
    session: Session,
    within: str | None = None,
    overdue_only: bool = False,
    filters: RecFilter | None = None,
    today: dt.date | None = None,
) -> list[DueRow]:
    """Recommendations whose follow-up is due within the window (default 90 days) or
    overdue, soonest first. Implemented ones (NGO assessment) are left out."""
    today = today or dt.date.today()
    horizon = parse_duration(within or "90d").after(today)
    rows = status_rows(session, StatusQuery(filters or RecFilter(), today.isoformat()))
    out: list[DueRow] = []
    for row in rows:
        if not row["due"] or row["status"] == "implemented":
            continue
        due_day = last_day(row["due"])
        if (overdue_only and not row["overdue"]) or (not row["overdue"] and due_day > horizon):
            continue
        out.append({**row, "due_day": due_day.isoformat(), "days": (due_day - today).days})
    out.sort(key=lambda r: (r["due_day"], natural_key(r["key"])))
    return out


def recommendation_overview(session: Session, key: str) -> Overview:
    """Everything recorded about one recommendation, with where it stands today."""
    detail = recommendation_detail(session, key)
    ids = select(col(Recommendation.id)).where(Recommendation.key == detail["key"])
    (row,) = rows_at(session, ids, dt.date.today(), "ngo")
    return {
        **detail,
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
