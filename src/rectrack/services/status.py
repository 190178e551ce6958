"""How far recommendations are implemented, at a date and from a perspective; and which
follow-ups are due.

The status of a recommendation is its latest assessment on or before the date, the latest
recorded winning a tie; it is chosen in SQL with a window function, for every
recommendation at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
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
    AssessmentWithdrawal,
    Body,
    Document,
    Evidence,
    EvidenceRecommendation,
    Recommendation,
)
from rectrack.services.filters import filtered_ids
from rectrack.services.links import links_of
from rectrack.services.lookup import (
    AFFECTED,
    CLUSTERS,
    INSTITUTIONS,
    RECOMMENDING,
    SDGS,
    THEMES,
    IdSelect,
    natural_key,
)
from rectrack.services.rows import (
    names_by_rec,
    ordered_ids,
    recommendation_columns,
    recommendation_detail,
    with_names,
)
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


# What the latest assessment of each perspective gives a status row: `ngo_status`,
# `ngo_date` (of that assessment), `ngo_since` (when its unbroken run of the same status
# began), `ngo_grade`, `ngo_note`; likewise `state_...` and `body_...`.
LATEST_FIELDS = ("status", "date", "since", "grade", "note")


def counted_assessments(recorded_before: dt.datetime | None = None) -> Any:
    """The condition an assessment meets to count for a status: not withdrawn; with
    `recorded_before`, as things stood then: recorded before it, not withdrawn by then."""
    withdrawn = select(AssessmentWithdrawal.assessment_id)
    if recorded_before is None:
        return col(Assessment.id).not_in(withdrawn)
    withdrawn = withdrawn.where(col(AssessmentWithdrawal.recorded_at) < recorded_before)
    return col(Assessment.id).not_in(withdrawn) & (col(Assessment.recorded_at) < recorded_before)


def latest_assessments(
    ids: IdSelect | Sequence[int], as_of: dt.date, recorded_before: dt.datetime | None = None
) -> Subquery:
    """One row per assessed recommendation among `ids`: for each perspective, its latest
    assessment on or before `as_of` (the latest recorded winning a tie), and the day the
    run of that same status began. Window functions over the assessments, pivoted.
    With `recorded_before`, only what was on record at that moment counts."""
    a = Assessment
    partition = (col(a.recommendation_id), col(a.perspective))
    oldest_first = (col(a.date), col(a.recorded_at), col(a.id))
    ranked = (
        sa.select(
            col(a.recommendation_id).label("rec_id"),
            col(a.perspective).label("perspective"),
            col(a.status).label("status"),
            col(a.date).label("date"),
            col(a.grade).label("grade"),
            col(a.note).label("note"),
            func.row_number()
            .over(partition_by=partition, order_by=[c.desc() for c in oldest_first])
            .label("rank"),
            func.lag(a.status).over(partition_by=partition, order_by=oldest_first).label("before"),
        )
        .where(
            col(a.date) <= as_of.isoformat(),
            col(a.recommendation_id).in_(ids),
            counted_assessments(recorded_before),
        )
        .subquery()
    )
    # The day the run of the latest status began: the latest day the status changed,
    # over each whole partition (a window, not a join: a join of the two grew as the
    # square of the assessments on SQLite).
    changed = case(
        (or_(ranked.c.before.is_(None), ranked.c.before != ranked.c.status), ranked.c.date)
    )
    runs = sa.select(
        ranked,
        func.max(changed).over(partition_by=(ranked.c.rec_id, ranked.c.perspective)).label("since"),
    ).subquery()
    latest = sa.select(runs).where(runs.c.rank == 1).subquery()
    return (
        sa.select(
            latest.c.rec_id,
            *(
                func.max(case((latest.c.perspective == who, latest.c[field]))).label(
                    f"{who}_{field}"
                )
                for who in domain.PERSPECTIVES
                for field in LATEST_FIELDS
            ),
        )
        .group_by(latest.c.rec_id)
        .subquery()
    )


def latest_status(ids: IdSelect, as_of: dt.date, perspective: str, dialect: str = "") -> Any:
    """(rec_id, status) of the latest assessment on or before `as_of` of each assessed
    recommendation among `ids`, from one perspective: what counts need, from the covering
    index ix_assessment_latest. A materialized CTE: joined as a subquery, SQLite would run
    it again for every recommendation. On SQLite the latest is the row of the greatest
    (date, recorded_at, id), which it finds while reading the index in order (a bare column
    beside max(), as SQLite documents it): twice as fast as numbering the rows."""
    a = Assessment
    if dialect == "sqlite":
        newest: Any = (
            col(a.date)
            + " "
            + func.coalesce(sa.cast(a.recorded_at, sa.Text), "")
            + " "
            + func.printf("%012d", a.id)
        )
        latest: Any = (
            sa.select(
                col(a.recommendation_id).label("rec_id"),
                col(a.status).label("status"),
                func.max(newest).label("latest"),
            )
            .where(
                col(a.perspective) == perspective,
                col(a.date) <= as_of.isoformat(),
                col(a.recommendation_id).in_(ids),
                counted_assessments(),
            )
            .group_by(col(a.recommendation_id))
        )
        return latest.cte().prefix_with("MATERIALIZED")
    order = (col(a.date).desc(), col(a.recorded_at).desc(), col(a.id).desc())
    ranked = (
        sa.select(
            col(a.recommendation_id).label("rec_id"),
            col(a.status).label("status"),
            func.row_number()
            .over(partition_by=col(a.recommendation_id), order_by=order)
            .label("rank"),
        )
        .where(
            col(a.perspective) == perspective,
            col(a.date) <= as_of.isoformat(),
            col(a.recommendation_id).in_(ids),
            counted_assessments(),
        )
        .subquery()
    )
    return (
        sa.select(ranked.c.rec_id, ranked.c.status)
        .where(ranked.c.rank == 1)
        .cte()
        .prefix_with("MATERIALIZED")
    )


def issued_by(as_of: dt.date) -> Any:
    """The condition a recommendation meets to count at `as_of`: issued on or before it (a
    partial date counts from its first day), or undated."""
    return or_(col(Recommendation.date).is_(None), col(Recommendation.date) <= as_of.isoformat())


def _count_by_rec(
    link: Any, item: Any, item_fk: Any, as_of: dt.date, ids: IdSelect | Sequence[int]
) -> Subquery:
    """How many actions or pieces of evidence dated on or before `as_of` (or undated) each
    of the recommendations has."""
    return (
        select(link.recommendation_id.label("rec_id"), func.count().label("n"))
        .join(item, item.id == item_fk)
        .where(
            or_(col(item.date).is_(None), item.date <= as_of.isoformat()),
            col(link.recommendation_id).in_(ids),
        )
        .group_by(link.recommendation_id)
        .subquery()
    )


def selected(session: Session, q: StatusQuery) -> tuple[IdSelect, dt.date, str]:
    """The ids the query selects at its date, the date, and the perspective."""
    perspective = domain.choice(q.perspective, domain.PERSPECTIVES, "perspective")
    as_of = as_of_date(q.as_of)
    ids = filtered_ids(session, q.filters).where(issued_by(as_of))
    if not (q.statuses or q.gaps):
        return ids, as_of, perspective
    latest = latest_assessments(ids, as_of)
    rec_id = col(Recommendation.id)
    narrowed = select(rec_id).outerjoin(latest, latest.c.rec_id == rec_id).where(rec_id.in_(ids))
    if q.statuses:
        wanted = [domain.choice(st, domain.ALL_STATUSES, "status") for st in q.statuses]
        status = func.coalesce(latest.c[f"{perspective}_status"], domain.UNKNOWN)
        narrowed = narrowed.where(status.in_(wanted))
    if q.gaps:
        narrowed = narrowed.where(_rank(latest.c.state_status) > _rank(latest.c.ngo_status))
    return narrowed, as_of, perspective


def _rank(status: Any) -> Any:
    """How far implemented a status column says, as in `domain.status_rank`; NULL when
    unknown, so that a comparison with it is never true."""
    return case({st: i for i, st in enumerate(domain.STATUSES)}, value=status, else_=None)


def status_rows(session: Session, q: StatusQuery) -> list[StatusRow]:
    """One row per recommendation with its status at the date, in natural key order."""
    return rows_at(session, *selected(session, q))


def rows_at(
    session: Session, ids: IdSelect | Sequence[int], as_of: dt.date, perspective: str
) -> list[StatusRow]:
    """Status rows of the recommendations whose ids the SELECT (or list) gives, at
    `as_of`, in natural key order."""
    latest = latest_assessments(ids, as_of)
    actions = _count_by_rec(
        ActionRecommendation, Action, ActionRecommendation.action_id, as_of, ids
    )
    evidence = _count_by_rec(
        EvidenceRecommendation, Evidence, EvidenceRecommendation.evidence_id, as_of, ids
    )
    rec_id = col(Recommendation.id)
    found = fetch(
        session,
        sa.select(
            *recommendation_columns(),
            *(c for c in latest.c if c.name != "rec_id"),
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
    names = names_by_rec(session, ids)
    out = [_status_row(m, names, as_of, perspective) for m in found]
    out.sort(key=lambda r: (r["body"], natural_key(r["key"])))
    return out


CHUNK = 2000  # recommendations read together when rows are streamed


def iter_rows_at(
    session: Session, ids: IdSelect, as_of: dt.date, perspective: str
) -> Iterator[StatusRow]:
    """The rows of rows_at, read a chunk at a time in natural key order, so that a large
    register streams to its output instead of being held whole."""
    order = ordered_ids(session, ids)
    for start in range(0, len(order), CHUNK):
        yield from rows_at(session, order[start : start + CHUNK], as_of, perspective)


def _status_row(
    m: Any, names: dict[str, dict[int, list[str]]], as_of: dt.date, perspective: str
) -> StatusRow:
    row: Any = {k: v for k, v in m.items() if k != "id"}
    with_names(row, m["id"], names)
    for who in domain.PERSPECTIVES:
        row[f"{who}_status"] = m[f"{who}_status"] or domain.UNKNOWN
    status = row[f"{perspective}_status"]
    # Beside a perspective's status, the other side's: the state's claim, or for the state's
    # own view, what the NGO found.
    counterpart = "ngo" if perspective == "state" else "state"
    row.update(
        summary=m["summary"] or domain.shorten(m["text"], 90),
        status=status,
        status_label=domain.STATUS_LABELS[status],
        status_date=m[f"{perspective}_date"],
        since=m[f"{perspective}_since"],
        grade=m[f"{perspective}_grade"],
        note=m[f"{perspective}_note"],
        counterpart=counterpart,
        counterpart_status=row[f"{counterpart}_status"],
        counterpart_date=m[f"{counterpart}_date"],
        overdue=is_overdue(m["due"], m["ngo_status"], as_of),
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
    names = {
        "theme": THEMES,
        "institution": INSTITUTIONS,
        "recommending": RECOMMENDING,
        "affected": AFFECTED,
        "sdg": SDGS,
        "cluster": CLUSTERS,
    }[group_by]
    return names.model.name, [
        (names.link, col(names.link.recommendation_id) == r.id),
        (names.model, col(names.model.id) == names.fk_column),
    ]


def _counted(
    session: Session,
    ids: IdSelect,
    as_of: dt.date,
    perspective: str,
    group: Any,
    joins: list[tuple[Any, Any]],
) -> dict[Any, dict[str, int]]:
    """Counts of each status per group, in two linear queries: the latest statuses joined
    to their recommendations (by primary key), and how many recommendations each group
    has; the rest of a group is unknown. (Joined the other way round, SQLite scanned the
    latest statuses once for every recommendation.)"""
    conn = session.connection()
    latest = latest_status(ids, as_of, perspective, conn.dialect.name)
    rec_id = col(Recommendation.id)
    assessed = (
        sa.select(group, latest.c.status, func.count(func.distinct(rec_id)))
        .select_from(latest)
        .join(Recommendation, rec_id == latest.c.rec_id)
    )
    totals = sa.select(group, func.count(func.distinct(rec_id))).select_from(Recommendation)
    for target, on in joins:
        assessed = assessed.outerjoin(target, on)
        totals = totals.outerjoin(target, on)
    assessed = assessed.group_by(group, latest.c.status)
    totals = totals.where(rec_id.in_(ids)).group_by(group)
    out: dict[Any, dict[str, int]] = {}
    for name, n in conn.execute(totals):
        out[name] = dict.fromkeys(domain.ALL_STATUSES, 0) | {domain.UNKNOWN: n}
    for name, st, n in conn.execute(assessed):
        counts = out.setdefault(name, dict.fromkeys(domain.ALL_STATUSES, 0))
        counts[st] += n
        counts[domain.UNKNOWN] -= n
    return out


def _status_counts(
    session: Session, ids: IdSelect, as_of: dt.date, perspective: str, group_by: str
) -> dict[str | None, dict[str, int]]:
    """Counts of each status per group (None: recommendations in no group), in SQL."""
    group, joins = _group_column(domain.choice(group_by, domain.GROUP_BY, "grouping"))
    return _counted(session, ids, as_of, perspective, group, joins)


def _groups(
    session: Session, ids: IdSelect, as_of: dt.date, perspective: str, group_by: str
) -> list[GroupCounts]:
    by_group = _status_counts(session, ids, as_of, perspective, group_by)
    what = {"recommending": "recommending state", "affected": "affected group", "sdg": "SDG target"}
    what["cluster"] = "cluster"
    none_label = f"(no {what.get(group_by, group_by)})"
    return [
        {
            "group": name if name is not None else none_label,
            "counts": by_group[name],
            "total": sum(by_group[name].values()),
        }
        for name in sorted(by_group, key=lambda n: (n is None, natural_key(n or "")))
    ]


def _counts(session: Session, ids: IdSelect, as_of: dt.date, perspective: str) -> dict[str, int]:
    """How many recommendations are in each status, counted by the database."""
    by_group = _counted(session, ids, as_of, perspective, sa.literal(1), [])
    return by_group.get(1, dict.fromkeys(domain.ALL_STATUSES, 0))


def status_report(
    session: Session,
    q: StatusQuery,
    group_by: str | None = None,
    summary: bool = False,
    stream: bool = False,
) -> StatusReport:
    """Everything `rectrack status` shows: the date, perspective, counts, groups and rows
    (none with `summary`: then the database counts, and no row is read; with `stream`
    the rows are an iterator to consume while the session is open)."""
    ids, as_of, perspective = selected(session, q)
    if group_by:
        group_by = domain.choice(group_by, domain.GROUP_BY, "grouping")
    if summary or stream:
        rows: Any = iter_rows_at(session, ids, as_of, perspective) if stream else []
        counts = _counts(session, ids, as_of, perspective)
    else:
        rows = rows_at(session, ids, as_of, perspective)
        counts = dict.fromkeys(domain.ALL_STATUSES, 0)
        for row in rows:
            counts[row["status"]] += 1
    return {
        "as_of": as_of.isoformat(),
        "perspective": perspective,
        "group_by": group_by,
        "total": sum(counts.values()),
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
) -> Iterator[DueRow]:
    """Recommendations whose follow-up is due within the window (default 90 days) or
    overdue, soonest first. Implemented ones (NGO assessment) are left out. The rows are
    read a chunk at a time as they are consumed (inside the session)."""
    today = today or dt.date.today()
    horizon = parse_duration(within or "90d").after(today)
    last = today - dt.timedelta(days=1) if overdue_only else horizon
    ids, as_of, perspective = selected(
        session, StatusQuery(filters or RecFilter(), today.isoformat())
    )
    due = col(Recommendation.due)
    # A superset of those due by `last` (a month or a year is due on its last day): the
    # exact test is made below, on far fewer rows.
    query = sa.select(col(Recommendation.id), due, col(Recommendation.key)).where(
        col(Recommendation.id).in_(ids),
        due.is_not(None),
        func.substr(due, 1, 7) <= last.isoformat()[:7],
    )
    order: list[tuple[dt.date, Any, str, int]] = []
    for rec_id, due_text, key in session.connection().execute(query):
        day = last_day(due_text)
        if day <= last:
            order.append((day, natural_key(key), key, int(rec_id or 0)))
    order.sort()
    return _due_rows(session, order, as_of, perspective, today, overdue_only)


def _due_rows(
    session: Session,
    order: list[tuple[dt.date, Any, str, int]],
    as_of: dt.date,
    perspective: str,
    today: dt.date,
    overdue_only: bool,
) -> Iterator[DueRow]:
    for start in range(0, len(order), CHUNK):
        part = order[start : start + CHUNK]
        ids = [rec_id for _, _, _, rec_id in part]
        by_key = {row["key"]: row for row in rows_at(session, ids, as_of, perspective)}
        for day, _, key, _ in part:
            row = by_key.get(key)
            if row is None or row["status"] == "implemented":
                continue
            if overdue_only and not row["overdue"]:
                continue
            yield {**row, "due_day": day.isoformat(), "days": (day - today).days}


def recommendation_overview(session: Session, key: str) -> Overview:
    """Everything recorded about one recommendation, with where it stands today from each
    perspective."""
    detail = recommendation_detail(session, key)
    ids = select(col(Recommendation.id)).where(Recommendation.key == detail["key"])
    detail_id: int = session.exec(ids).one()  # type: ignore[assignment]
    (row,) = rows_at(session, ids, dt.date.today(), "ngo")
    latest = {
        f"{who}_{field}": row[f"{who}_{field}"]  # type: ignore[literal-required]
        for who in domain.PERSPECTIVES
        for field in LATEST_FIELDS
    }
    overview: Any = {
        **detail,
        **latest,
        "status": row["status"],
        "status_date": row["status_date"],
        "since": row["since"],
        "grade": row["grade"],
        "note": row["note"],
        "actions": row["actions"],
        "evidence": row["evidence"],
        "overdue": row["overdue"],
        "links": links_of(session, [detail_id])[detail_id],
    }
    return overview
