"""Bodies: who recommends."""

from __future__ import annotations

import tomllib

from sqlalchemy import func
from sqlmodel import Session, select

from rectrack import domain
from rectrack.errors import BadValue, Conflict, RectrackError
from rectrack.models import Body, Recommendation
from rectrack.settings import data_path


def bundled_bodies() -> list[dict[str, str]]:
    """The bodies shipped in data/bodies.toml."""
    path = data_path("bodies.toml")
    with path.open("rb") as f:
        data = tomllib.load(f)
    bodies = data.get("body", [])
    for entry in bodies:
        if not {"code", "name", "kind"} <= entry.keys():
            raise RectrackError(f"{path}: each [[body]] needs code, name and kind")
    return bodies


def seed_bodies(session: Session) -> int:
    """Add the bundled bodies this database lacks; return how many were added."""
    known = {code.upper() for code in session.exec(select(Body.code))}
    added = 0
    for entry in bundled_bodies():
        code = domain.normalize_body_code(entry["code"])
        if code not in known:
            session.add(Body(code=code, name=entry["name"], kind=entry["kind"]))
            known.add(code)
            added += 1
    return added


def find_body(session: Session, code: str) -> Body | None:
    return session.exec(select(Body).where(func.upper(Body.code) == code.strip().upper())).first()


def resolve_body(session: Session, code: str) -> Body:
    """The body with this code (case-insensitive), or BadValue listing the known codes."""
    body = find_body(session, code)
    if body is None:
        codes = list(session.exec(select(Body.code).order_by(Body.code)))
        hint = domain.closest(code, codes, n=1)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise BadValue(
            f"'{code}' is not a known body{suggestion}; known bodies: {', '.join(codes)}"
            " (add one with `rectrack body add`)"
        )
    return body


def list_bodies(session: Session) -> list[dict[str, object]]:
    counts = dict(
        session.exec(
            select(Recommendation.body_id, func.count()).group_by(Recommendation.body_id)
        ).all()
    )
    return [
        {
            "code": b.code,
            "name": b.name,
            "kind": b.kind,
            "recommendations": counts.get(b.id, 0),
        }
        for b in session.exec(select(Body).order_by(Body.code))
    ]


def add_body(session: Session, code: str, name: str, kind: str) -> str:
    code = domain.normalize_body_code(code)
    kind = domain.choice(kind, domain.BODY_KINDS, "body kind")
    if not name.strip():
        raise BadValue("a body needs a name (--name)")
    existing = find_body(session, code)
    if existing is not None:
        raise Conflict(f"body {existing.code} already exists ({existing.name})")
    session.add(Body(code=code, name=name.strip(), kind=kind))
    return code
