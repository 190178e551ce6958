"""Links between single recommendations: one repeats, follows up or is on the same issue as
another (`rectrack link A B --as repeats`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from rectrack import domain
from rectrack.dates import format_timestamp
from rectrack.errors import BadValue, Conflict, NotFound
from rectrack.models import Recommendation, RecommendationLink, table_of
from rectrack.services.lookup import get_recommendation, natural_key
from rectrack.settings import current_user
from rectrack.shapes import LinkRow

L = table_of(RecommendationLink)
R = table_of(Recommendation)


def link_kind(given: str) -> str:
    return domain.choice(given, domain.LINK_KINDS, "kind of link")


def link(session: Session, key: str, other: str, kind: str, note: str | None = None) -> str:
    """Record that `key` repeats (follows up, is on the same issue as) `other`; the link as
    a sentence."""
    kind = link_kind(kind)
    a, b = get_recommendation(session, key), get_recommendation(session, other)
    if a.id == b.id:
        raise BadValue(f"a recommendation cannot be linked to itself ({a.key})")
    conn = session.connection()
    pairs = [(a.id, b.id), (b.id, a.id)] if kind == "same_issue" else [(a.id, b.id)]
    for x, y in pairs:
        found = conn.execute(
            select(L.c.id).where(L.c.from_id == x, L.c.to_id == y, L.c.kind == kind)
        ).first()
        if found is not None:
            raise Conflict(f"{a.key} {domain.LINK_WORDS[kind][0]} {b.key} already")
    conn.execute(
        L.insert().values(
            from_id=a.id,
            to_id=b.id,
            kind=kind,
            note=note if note and note.strip() else None,
            recorded_by=current_user(),
        )
    )
    return f"{a.key} {domain.LINK_WORDS[kind][0]} {b.key}"


def unlink(session: Session, key: str, other: str, kind: str | None = None) -> int:
    """Remove the links between two recommendations (of one kind, if given), in either
    direction; how many. NotFound when there is none."""
    a, b = get_recommendation(session, key), get_recommendation(session, other)
    condition = or_(
        (L.c.from_id == a.id) & (L.c.to_id == b.id), (L.c.from_id == b.id) & (L.c.to_id == a.id)
    )
    if kind is not None:
        condition = condition & (L.c.kind == link_kind(kind))
    removed = session.connection().execute(delete(L).where(condition)).rowcount
    if not removed:
        raise NotFound(f"{a.key} and {b.key} are not linked" + (f" as {kind}" if kind else ""))
    return removed


def links_of(session: Session, rec_ids: Sequence[int]) -> dict[int, list[LinkRow]]:
    """The links of each recommendation, read from its end (`repeats CEDAW-2019-0004`,
    `is repeated by GRETA-2023-0005`), by the other's key."""
    other = R.alias("other")
    out: dict[int, list[LinkRow]] = {i: [] for i in rec_ids}
    for mine, theirs, words in (
        (L.c.from_id, L.c.to_id, 0),
        (L.c.to_id, L.c.from_id, 1),
    ):
        query = (
            select(mine, other.c.key, L.c.kind, L.c.note, L.c.recorded_by, L.c.created_at)
            .join(other, other.c.id == theirs)
            .where(mine.in_(rec_ids))
        )
        for rec_id, key, kind, note, by, at in session.connection().execute(query):
            out[rec_id].append(
                {
                    "kind": kind,
                    "direction": words,
                    "key": key,
                    "text": f"{domain.LINK_WORDS[kind][words]} {key}",
                    "note": note,
                    "recorded_by": by,
                    "recorded_at": format_timestamp(at),
                }
            )
    for rows in out.values():
        rows.sort(key=lambda r: (natural_key(r["key"]), r["kind"]))
    return out
