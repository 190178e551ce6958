"""Recurring demands: clusters of recommendations of several bodies and cycles that ask for
the same thing, recorded by a person (`rectrack cluster add`), listed with their span and
worst status, and told as a story (`cluster show`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlmodel import Session

from rectrack import domain
from rectrack.errors import BadValue, Conflict, NotFound
from rectrack.models import Body, Cluster, ClusterMember, Recommendation, table_of
from rectrack.services.links import links_of
from rectrack.services.lookup import get_recommendations, natural_key
from rectrack.services.rows import linked_actions, linked_evidence
from rectrack.services.status import rows_at
from rectrack.shapes import ActionRow, ClusterRow, ClusterStory, EvidenceRow, StoryRow

C = table_of(Cluster)
M = table_of(ClusterMember)
R = table_of(Recommendation)


def _find(session: Session, name: str) -> tuple[int, str] | None:
    wanted = " ".join(name.split()).lower()
    row = (
        session.connection()
        .execute(select(C.c.id, C.c.name).where(func.lower(C.c.name) == wanted))
        .first()
    )
    return (row.id, row.name) if row is not None else None


def _names(session: Session) -> list[str]:
    return list(session.connection().execute(select(C.c.name).order_by(C.c.name)).scalars())


def get_cluster(session: Session, name: str) -> tuple[int, str]:
    """(id, name) of the cluster with this name (case-insensitive), or NotFound with the
    closest names."""
    found = _find(session, name)
    if found is None:
        names = _names(session)
        near = domain.closest(name, names, n=3)
        hint = f"; did you mean: {', '.join(near)}" if near else ""
        known = "" if near else f"; clusters: {', '.join(names)}" if names else "; none yet"
        raise NotFound(f"no cluster '{name}'{hint}{known}")
    return found


def add_to_cluster(
    session: Session, name: str, keys: Sequence[str], note: str | None = None, new: bool = False
) -> tuple[str, bool, list[str]]:
    """Put recommendations in a cluster, recorded if new; (its name, whether it was new,
    the keys added). A new name that looks like a recorded one is refused (a typo would
    start a second cluster) unless `new`."""
    clean = " ".join(name.split())
    if not clean:
        raise BadValue("a cluster needs a name")
    recs = get_recommendations(session, keys) if keys else []
    conn = session.connection()
    found = _find(session, clean)
    created = found is None
    if found is None:
        near = domain.closest(clean, _names(session), n=1, cutoff=0.8)
        if near and not new:
            raise BadValue(
                f"'{clean}' is not a cluster on record; did you mean '{near[0]}'? "
                f"(add --new to start '{clean}' as a new cluster)"
            )
        if not recs:
            raise BadValue("name the recommendations of the new cluster (KEY...)")
        cluster_id = conn.execute(
            insert(C)
            .values(name=clean, note=note if note and note.strip() else None)
            .returning(C.c.id)
        ).scalar_one()
        found = (cluster_id, clean)
    elif note is not None:
        conn.execute(C.update().where(C.c.id == found[0]).values(note=note.strip() or None))
    cluster_id, stored = found
    present = set(
        conn.execute(select(M.c.recommendation_id).where(M.c.cluster_id == cluster_id)).scalars()
    )
    added = [r for r in recs if r.id not in present]
    if added:
        conn.execute(
            insert(M), [{"cluster_id": cluster_id, "recommendation_id": r.id} for r in added]
        )
    return stored, created, [r.key for r in added]


def remove_from_cluster(session: Session, name: str, keys: Sequence[str]) -> list[str]:
    """Take recommendations out of a cluster; the keys taken out (NotFound for one that
    is not in it)."""
    cluster_id, stored = get_cluster(session, name)
    recs = get_recommendations(session, keys)
    conn = session.connection()
    present = set(
        conn.execute(select(M.c.recommendation_id).where(M.c.cluster_id == cluster_id)).scalars()
    )
    missing = [r.key for r in recs if r.id not in present]
    if missing:
        raise NotFound(f"not in cluster '{stored}': {', '.join(missing)}")
    conn.execute(
        delete(M).where(
            M.c.cluster_id == cluster_id, M.c.recommendation_id.in_([r.id for r in recs])
        )
    )
    return [r.key for r in recs]


def remove_cluster(session: Session, name: str) -> tuple[str, int]:
    """Remove a cluster (the recommendations stay); its name and how many it held."""
    cluster_id, stored = get_cluster(session, name)
    conn = session.connection()
    count = conn.execute(
        select(func.count()).select_from(M).where(M.c.cluster_id == cluster_id)
    ).scalar_one()
    conn.execute(delete(C).where(C.c.id == cluster_id))
    return stored, count


def rename_cluster(session: Session, old: str, new: str) -> tuple[str, str]:
    cluster_id, stored = get_cluster(session, old)
    clean = " ".join(new.split())
    if not clean:
        raise BadValue("a cluster needs a name")
    taken = _find(session, clean)
    if taken is not None and taken[0] != cluster_id:
        raise Conflict(f"there is a cluster '{taken[1]}' already")
    session.connection().execute(C.update().where(C.c.id == cluster_id).values(name=clean))
    return stored, clean


def by_key(items: Sequence[ActionRow] | Sequence[EvidenceRow]) -> dict[str, list[Any]]:
    """The actions (or evidence) of each recommendation key, oldest first, undated last."""
    out: dict[str, list[Any]] = {}
    ordered = sorted(items, key=lambda i: (i["date"] is None, i["date"] or "", int(i["id"][1:])))
    for item in ordered:
        for key in item["recommendations"]:
            out.setdefault(key, []).append(item)
    return out


def worst(statuses: Sequence[str]) -> str:
    """The status that speaks for a group: its worst known one (unknown if none is)."""
    for status in domain.WORST_FIRST:
        if status in statuses:
            return status
    if domain.NOT_APPLICABLE in statuses:
        return domain.NOT_APPLICABLE
    return domain.UNKNOWN


def list_clusters(session: Session, perspective: str = "ngo") -> list[ClusterRow]:
    """Every cluster with its bodies, first and latest year, size and worst status today."""
    perspective = domain.choice(perspective, domain.PERSPECTIVES, "perspective")
    conn = session.connection()
    b = table_of(Body)
    members = conn.execute(
        select(M.c.cluster_id, R.c.id, R.c.date, b.c.code)
        .join(R, R.c.id == M.c.recommendation_id)
        .join(b, b.c.id == R.c.body_id)
        .where(R.c.deleted_at.is_(None))
    ).all()
    ids = [m.id for m in members]
    status = {
        row["key"]: row["status"]
        for row in rows_at(
            session, select(R.c.id).where(R.c.id.in_(ids)), dt.date.today(), perspective
        )
    }
    key_of = dict(conn.execute(select(R.c.id, R.c.key).where(R.c.id.in_(ids))).all())
    out: list[ClusterRow] = []
    for cluster_id, name, note in conn.execute(select(C.c.id, C.c.name, C.c.note)):
        mine = [m for m in members if m.cluster_id == cluster_id]
        years = sorted(m.date[:4] for m in mine if m.date)
        out.append(
            {
                "name": name,
                "bodies": sorted({m.code for m in mine}),
                "first_year": years[0] if years else None,
                "latest_year": years[-1] if years else None,
                "recommendations": len(mine),
                "worst_status": worst([status[key_of[m.id]] for m in mine]),
                "note": note,
            }
        )
    out.sort(key=lambda r: r["name"].casefold())
    return out


def cluster_story(session: Session, name: str) -> ClusterStory:
    """A cluster's recommendations in time order (undated last), each with its status from
    every perspective, its actions and evidence: the story of the demand."""
    cluster_id, stored = get_cluster(session, name)
    conn = session.connection()
    note = conn.execute(select(C.c.note).where(C.c.id == cluster_id)).scalar_one()
    ids = (
        select(M.c.recommendation_id)
        .join(R, R.c.id == M.c.recommendation_id)
        .where(M.c.cluster_id == cluster_id, R.c.deleted_at.is_(None))
    )
    rows = rows_at(session, ids, dt.date.today(), "ngo")
    rec_ids = dict(conn.execute(select(R.c.key, R.c.id).where(R.c.id.in_(ids))).all())
    actions = by_key(linked_actions(session, ids))
    evidence = by_key(linked_evidence(session, ids))
    links = links_of(session, list(rec_ids.values()))
    story: list[StoryRow] = []
    for row in rows:
        key = row["key"]
        story.append(
            {
                **row,
                "linked_actions": actions.get(key, []),
                "linked_evidence": evidence.get(key, []),
                "links": links.get(rec_ids[key], []),
            }
        )
    story.sort(key=lambda r: (r["date"] is None, r["date"] or "", natural_key(r["key"])))
    statuses = [r["ngo_status"] for r in story]
    return {
        "name": stored,
        "note": note,
        "bodies": sorted({r["body"] for r in story}),
        "worst_status": worst(statuses),
        "recommendations": story,
    }
