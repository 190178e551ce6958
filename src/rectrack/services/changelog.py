"""The change log: every add, change and removal of a recommendation, document, action,
evidence, assessment, link or cluster, with who made it, when, and the values before and
after. Triggers write it in the same transaction as the change (models.LOGGED); this
module reads it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from rectrack import domain
from rectrack.dates import parse_date
from rectrack.errors import BadValue
from rectrack.models import ChangeLog, table_of
from rectrack.shapes import ChangeRow

C = table_of(ChangeLog)
# What each table is called in the log, and what names one of its rows.
WHAT = {
    "recommendation": "recommendation",
    "document": "document",
    "action": "action",
    "evidence": "evidence",
    "assessment": "assessment",
    "assessment_withdrawal": "withdrawal",
    "recommendation_link": "link",
    "cluster": "cluster",
    "cluster_member": "cluster member",
    "action_recommendation": "action link",
    "evidence_recommendation": "evidence link",
    "recommendation_theme": "theme",
    "recommendation_institution": "institution",
}
# Fields a change of which says nothing to a reader (they follow from others).
QUIET = {"updated_at", "text_folded", "id"}


def _name(table: str, values: dict[str, Any]) -> str:
    """A row as a reader knows it: `A12 Law on ...`, `Partial (ngo, 2025-06)`."""
    if table == "recommendation":
        return str(values.get("summary") or domain.shorten(str(values.get("text") or ""), 60))
    if table == "assessment":
        status = domain.STATUS_LABELS.get(str(values.get("status")), values.get("status"))
        return f"{status} ({values.get('perspective')}, {values.get('date')})"
    if table == "action":
        return f"A{values.get('id')} {values.get('title')}"
    if table == "evidence":
        return f"E{values.get('id')} {values.get('title')}"
    if table == "document":
        return str(values.get("symbol"))
    if table == "cluster":
        return str(values.get("name"))
    if table == "recommendation_link":
        return f"{values.get('kind')}"
    if table == "assessment_withdrawal":
        return f"S{values.get('assessment_id')}: {values.get('note')}"
    if table in ("action_recommendation", "evidence_recommendation"):
        item = "A" if table == "action_recommendation" else "E"
        return f"{item}{values.get('action_id') or values.get('evidence_id')}"
    return ", ".join(f"{k} {v}" for k, v in values.items() if k != "recommendation_id")


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    return domain.shorten(str(value), 50)


def describe(
    table: str, action: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> str:
    """What a change did, in a line: `added: ...`, `priority: high -> low`, `removed`."""
    if action == "add":
        return f"added {_name(table, new or {})}"
    if action == "remove":
        return f"deleted {_name(table, old or {})}"
    old, new = old or {}, new or {}
    if table == "recommendation" and old.get("deleted_at") != new.get("deleted_at"):
        return "removed (rm)" if new.get("deleted_at") else "restored"
    changed = [k for k in new if k not in QUIET and old.get(k) != new.get(k)]
    return "; ".join(f"{k}: {_shown(old.get(k))} -> {_shown(new.get(k))}" for k in changed)


def change_rows(
    session: Session,
    since: str | None = None,
    key: str | None = None,
    by: str | None = None,
    limit: int | None = 100,
) -> list[ChangeRow]:
    """The changes asked for, the latest first: since a day (UTC), of one recommendation
    (and what belongs to it), by one person; at most `limit` (None: all)."""
    if limit is not None and limit < 1:
        raise BadValue("--limit must be 1 or more")
    query = select(C)
    if since:
        query = query.where(C.c.at >= parse_date(since).first_day.isoformat())
    if key:
        query = query.where(func.lower(C.c.rec_key) == key.strip().lower())
    if by:
        query = query.where(func.lower(C.c.actor) == by.strip().lower())
    query = query.order_by(C.c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    out: list[ChangeRow] = []
    for row in session.connection().execute(query):
        old = json.loads(row.old) if row.old else None
        new = json.loads(row.new) if row.new else None
        out.append(
            {
                "at": row.at,
                "by": row.actor,
                "action": row.action,
                "what": WHAT.get(row.table_name, row.table_name),
                "key": row.rec_key,
                "change": describe(row.table_name, row.action, old, new),
                "old": old,
                "new": new,
            }
        )
    return out
