"""Plain rows of recommendations, actions, evidence and assessments, read in bulk: a few
set-based queries for any number of rows. Listing, status, export and data sets share them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from rectrack.dates import format_timestamp
from rectrack.db import fetch
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    AssessmentEvidence,
    AssessmentWithdrawal,
    Body,
    Document,
    Evidence,
    EvidenceAction,
    EvidenceRecommendation,
    Institution,
    Recommendation,
)
from rectrack.services.lookup import (
    ALL_NAMES,
    CLUSTERS,
    IdSelect,
    action_id,
    evidence_id,
    get_recommendation,
    grouped,
    keys_by_owner,
    linked,
    natural_key,
)
from rectrack.shapes import ActionRow, AssessmentRow, EvidenceRow, RecDetail, RecRow


def names_by_rec(
    session: Session, ids: IdSelect | Sequence[int]
) -> dict[str, dict[int, list[str]]]:
    """By list (themes, institutions, recommending, affected, sdgs, clusters): the names of each
    recommendation, each list sorted without regard to case."""
    return {
        names.field: grouped(
            session,
            select(names.link.recommendation_id, names.model.name)
            .join(names.model, col(names.model.id) == names.fk_column)
            .where(col(names.link.recommendation_id).in_(ids)),
            sort=str.casefold,
        )
        for names in (*ALL_NAMES, CLUSTERS)
    }


def with_names(row: Any, rec_id: int, names: dict[str, dict[int, list[str]]]) -> None:
    """Put each list of names (themes...) of a recommendation into its row."""
    for field, by_rec in names.items():
        row[field] = by_rec.get(rec_id, [])


def recommendation_columns() -> tuple[Any, ...]:
    """The columns of a recommendation row, labelled by their field names (the query must
    join Body and outer-join Document)."""
    r = Recommendation
    return (
        col(r.id).label("id"),
        col(r.key).label("key"),
        col(Body.code).label("body"),
        col(Document.symbol).label("document"),
        col(r.paragraph).label("paragraph"),
        col(r.date).label("date"),
        col(r.country).label("country"),
        col(r.text).label("text"),
        col(r.summary).label("summary"),
        col(r.priority).label("priority"),
        col(r.response).label("response"),
        col(r.due).label("due"),
        col(r.category).label("category"),
        col(r.source_id).label("source_id"),
        col(r.source_file).label("source_file"),
        col(r.source_row).label("source_row"),
    )


def recommendation_rows(session: Session, ids: IdSelect | Sequence[int]) -> list[RecRow]:
    """Rows of the recommendations whose ids the SELECT gives, in natural key order."""
    names = names_by_rec(session, ids)
    found = fetch(
        session,
        sa.select(*recommendation_columns())
        .join(Body, col(Body.id) == Recommendation.body_id)
        .outerjoin(Document, col(Document.id) == Recommendation.document_id)
        .where(col(Recommendation.id).in_(ids)),
    )
    out: list[RecRow] = []
    for m in found:
        row: Any = {k: v for k, v in m.items() if k != "id"}
        with_names(row, m["id"], names)
        out.append(row)
    out.sort(key=lambda r: (r["body"], natural_key(r["key"])))
    return out


def ordered_ids(session: Session, ids: IdSelect) -> list[int]:
    """The ids of the SELECT in the order rows are shown: by body, then natural key."""
    query = (
        sa.select(col(Recommendation.id), col(Body.code), col(Recommendation.key))
        .join(Body, col(Body.id) == Recommendation.body_id)
        .where(col(Recommendation.id).in_(ids))
    )
    found: list[tuple[int, str, str]] = [
        (int(rec_id or 0), code, key) for rec_id, code, key in session.connection().execute(query)
    ]
    found.sort(key=lambda r: (r[1], natural_key(r[2])))
    return [r[0] for r in found]


def iter_recommendation_rows(
    session: Session, ids: IdSelect, chunk: int = 2000
) -> Iterator[RecRow]:
    """The rows of recommendation_rows, read a chunk at a time in the same order, so that
    a large register streams to its output instead of being held whole."""
    order = ordered_ids(session, ids)
    for start in range(0, len(order), chunk):
        yield from recommendation_rows(session, order[start : start + chunk])


def recommendation_detail(session: Session, key: str) -> RecDetail:
    """Everything recorded about one recommendation."""
    rec = get_recommendation(session, key)
    (row,) = recommendation_rows(
        session, select(col(Recommendation.id)).where(Recommendation.id == rec.id)
    )
    body = session.get(Body, rec.body_id)
    doc = session.get(Document, rec.document_id) if rec.document_id else None
    return {
        **row,
        "body_name": body.name if body else None,
        "document_title": doc.title if doc else None,
        "document_date": doc.date if doc else None,
        "document_url": doc.url if doc else None,
        "created_at": format_timestamp(rec.created_at),
        "updated_at": format_timestamp(rec.updated_at),
    }


def action_rows(session: Session, actions: Sequence[Action]) -> list[ActionRow]:
    """Rows of actions, with the keys and evidence they are linked to."""
    ids = [a.id for a in actions]
    link = ActionRecommendation
    keys = keys_by_owner(session, link.action_id, link.recommendation_id, ids)
    evidence = linked(
        session, EvidenceAction.action_id, EvidenceAction.evidence_id, ids, evidence_id
    )
    names = dict(session.exec(select(Institution.id, Institution.name)).all()) if ids else {}
    return [
        {
            "id": action_id(a.id or 0),
            "title": a.title,
            "kind": a.kind,
            "date": a.date,
            "institution": names.get(a.institution_id),
            "reference": a.reference,
            "url": a.url,
            "description": a.description,
            "recommendations": keys.get(a.id or 0, []),
            "evidence": evidence.get(a.id or 0, []),
            "recorded_at": format_timestamp(a.created_at),
        }
        for a in actions
    ]


def evidence_rows(session: Session, items: Sequence[Evidence]) -> list[EvidenceRow]:
    """Rows of evidence, with the keys and actions they are linked to."""
    ids = [e.id for e in items]
    link = EvidenceRecommendation
    keys = keys_by_owner(session, link.evidence_id, link.recommendation_id, ids)
    ea = EvidenceAction
    actions = linked(session, ea.evidence_id, ea.action_id, ids, action_id)
    return [
        {
            "id": evidence_id(e.id or 0),
            "title": e.title,
            "kind": e.kind,
            "date": e.date,
            "source": e.source,
            "url": e.url,
            "file": e.file_path,
            "size": e.file_size,
            "sha256": e.file_sha256,
            "note": e.note,
            "recommendations": keys.get(e.id or 0, []),
            "actions": actions.get(e.id or 0, []),
            "recorded_at": format_timestamp(e.created_at),
        }
        for e in items
    ]


def linked_actions(session: Session, ids: IdSelect) -> list[ActionRow]:
    """Rows of the actions linked to the recommendations, in id order."""
    linked = select(ActionRecommendation.action_id).where(
        col(ActionRecommendation.recommendation_id).in_(ids)
    )
    found = session.exec(select(Action).where(col(Action.id).in_(linked)).order_by(col(Action.id)))
    return action_rows(session, found.all())


def evidence_linked_to(ids: IdSelect) -> Any:
    """A SELECT of the ids of the evidence linked to the recommendations, to their actions
    or cited by their assessments."""
    direct = select(EvidenceRecommendation.evidence_id).where(
        col(EvidenceRecommendation.recommendation_id).in_(ids)
    )
    via_actions = (
        select(EvidenceAction.evidence_id)
        .join(
            ActionRecommendation,
            col(ActionRecommendation.action_id) == EvidenceAction.action_id,
        )
        .where(col(ActionRecommendation.recommendation_id).in_(ids))
    )
    cited = (
        select(AssessmentEvidence.evidence_id)
        .join(Assessment, col(Assessment.id) == AssessmentEvidence.assessment_id)
        .where(col(Assessment.recommendation_id).in_(ids))
    )
    return sa.union(direct, via_actions, cited)


def linked_evidence(session: Session, ids: IdSelect) -> list[EvidenceRow]:
    """Rows of the evidence linked to the recommendations, to their actions or cited by
    their assessments, in id order."""
    linked = evidence_linked_to(ids).subquery()
    number = col(Evidence.id)
    found = session.exec(
        select(Evidence).where(number.in_(sa.select(linked.c[0]))).order_by(number)
    )
    return evidence_rows(session, found.all())


def assessment_rows(
    session: Session, ids: IdSelect | Sequence[int], order: dict[str, int]
) -> list[AssessmentRow]:
    """Every assessment of the recommendations, in the order of `order` (key -> position),
    then by date and by when it was recorded."""
    a, w = Assessment, AssessmentWithdrawal
    evidence = grouped(
        session,
        select(AssessmentEvidence.assessment_id, AssessmentEvidence.evidence_id)
        .join(a, col(a.id) == AssessmentEvidence.assessment_id)
        .where(col(a.recommendation_id).in_(ids)),
        label=evidence_id,
    )
    found = fetch(
        session,
        sa.select(
            col(Recommendation.key).label("key"),
            col(a.id).label("id"),
            col(a.date).label("date"),
            col(a.status).label("status"),
            col(a.perspective).label("perspective"),
            col(a.grade).label("grade"),
            col(a.note).label("note"),
            col(a.recorded_by).label("recorded_by"),
            col(a.recorded_at).label("recorded_at"),
            col(w.note).label("withdrawn"),
            col(w.recorded_by).label("withdrawn_by"),
            col(w.recorded_at).label("withdrawn_at"),
        )
        .join(Recommendation, col(Recommendation.id) == a.recommendation_id)
        .outerjoin(w, col(w.assessment_id) == a.id)
        .where(col(a.recommendation_id).in_(ids))
        .order_by(col(a.date), col(a.recorded_at), col(a.id)),
    )
    out: list[AssessmentRow] = [
        {
            "key": m["key"],
            "date": m["date"],
            "status": m["status"],
            "perspective": m["perspective"],
            "grade": m["grade"],
            "note": m["note"],
            "evidence": evidence.get(m["id"], []),
            "recorded_by": m["recorded_by"],
            "recorded_at": format_timestamp(m["recorded_at"]),
            "withdrawn": m["withdrawn"],
            "withdrawn_by": m["withdrawn_by"],
            "withdrawn_at": format_timestamp(m["withdrawn_at"]) if m["withdrawn_at"] else None,
        }
        for m in found
    ]
    out.sort(key=lambda r: order[r["key"]])  # stable: dates stay in order within a key
    return out
