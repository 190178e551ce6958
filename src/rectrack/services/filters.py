"""The filters of every command that selects recommendations, as one SELECT of their ids.

The values of one filter are alternatives (`--theme a --theme b`: either theme); different
filters narrow (`--theme a --body greta`: both). A value that names nothing recorded is
refused with the closest known names, so that a typo never passes for "none match".
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from rectrack import domain, resources
from rectrack.errors import BadValue
from rectrack.models import Recommendation
from rectrack.services.bodies import resolve_body
from rectrack.services.lookup import (
    AFFECTED,
    CLUSTERS,
    INSTITUTIONS,
    RECOMMENDING,
    SDGS,
    THEMES,
    IdSelect,
    get_document,
    get_named_id,
)
from rectrack.shapes import RecFilter


def _countries(session: Session, given: tuple[str, ...]) -> list[str]:
    """The given countries, folded, each checked against those recorded."""
    known = {
        c.casefold(): c
        for c in session.exec(select(Recommendation.country).distinct())
        if c is not None
    }
    folded = []
    codes = resources.country_codes()
    for country in given:
        wanted = " ".join(country.split()).casefold()
        code = country.strip().upper()
        by_code = [name for f, name in known.items() if codes.get(f) == code]
        if wanted not in known and by_code:
            folded += [name.lower() for name in by_code]  # an ISO code: SRB
            continue
        if wanted not in known:
            names = sorted(known.values(), key=str.casefold)
            near = domain.closest(country, names, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            listed = ", ".join(names) if names else "none yet"
            raise BadValue(f"no country '{country}'{hint}; known countries: {listed}")
        folded.append(known[wanted].lower())
    return folded


def filtered_ids(session: Session, f: RecFilter) -> IdSelect:
    """A SELECT of the ids of the recommendations that pass the filter."""
    rec_id = col(Recommendation.id)
    q = select(rec_id).where(col(Recommendation.deleted_at).is_(None))
    if f.bodies:
        body_ids = [resolve_body(session, b).id for b in f.bodies]
        q = q.where(col(Recommendation.body_id).in_(body_ids))
    if f.countries:
        q = q.where(func.lower(Recommendation.country).in_(_countries(session, f.countries)))
    if f.documents:
        doc_ids = [get_document(session, d).id for d in f.documents]
        q = q.where(col(Recommendation.document_id).in_(doc_ids))
    lists = (
        (THEMES, f.themes),
        (INSTITUTIONS, f.institutions),
        (RECOMMENDING, f.recommending),
        (AFFECTED, f.affected),
        (SDGS, f.sdgs),
        (CLUSTERS, f.clusters),
    )
    for names, given in lists:
        if given:
            named = [get_named_id(session, names.model, name, names.what) for name in given]
            linked = select(names.link.recommendation_id).where(names.fk_column.in_(named))
            q = q.where(rec_id.in_(linked))
    if f.priorities:
        wanted = [domain.choice(p, domain.PRIORITIES, "priority") for p in f.priorities]
        q = q.where(col(Recommendation.priority).in_(wanted))
    if f.text:
        needle = f.text.strip().lower()
        q = q.where(
            func.lower(Recommendation.text).contains(needle, autoescape=True)
            | func.lower(func.coalesce(Recommendation.summary, "")).contains(
                needle, autoescape=True
            )
        )
    return q
