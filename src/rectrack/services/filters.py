"""The filters of every command that selects recommendations, as one SELECT of their ids."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.models import (
    Recommendation,
)
from rectrack.services.bodies import resolve_body
from rectrack.services.lookup import INSTITUTIONS, THEMES, IdSelect, get_document, get_named_id
from rectrack.shapes import RecFilter


def filtered_ids(session: Session, f: RecFilter) -> IdSelect:
    """A SELECT of the ids of the recommendations that pass the filter. A value that names
    nothing recorded (a body, document, theme or institution) is refused with the closest
    known names."""
    rec_id = col(Recommendation.id)
    q = select(rec_id)
    if f.bodies:
        body_ids = [resolve_body(session, b).id for b in f.bodies]
        q = q.where(col(Recommendation.body_id).in_(body_ids))
    if f.country:
        q = q.where(func.lower(Recommendation.country) == f.country.strip().lower())
    if f.document:
        q = q.where(Recommendation.document_id == get_document(session, f.document).id)
    for names, name in ((THEMES, f.theme), (INSTITUTIONS, f.institution)):
        if name:
            named = get_named_id(session, names.model, name, names.what)
            q = q.where(
                rec_id.in_(select(names.link.recommendation_id).where(names.fk_column == named))
            )
    if f.priority:
        q = q.where(
            Recommendation.priority == domain.choice(f.priority, domain.PRIORITIES, "priority")
        )
    if f.text:
        needle = f.text.strip().lower()
        q = q.where(
            func.lower(Recommendation.text).contains(needle, autoescape=True)
            | func.lower(func.coalesce(Recommendation.summary, "")).contains(
                needle, autoescape=True
            )
        )
    return q
