"""Bodies: who recommends."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from rectrack import db, domain
from rectrack.errors import BadValue, Conflict
from rectrack.models import Body, Recommendation
from rectrack.shapes import BodyRow


def seed_bodies(session: Session) -> int:
    """Add the bundled bodies this database lacks; return how many were added."""
    return db.seed_bodies(session.connection())


def find_body(session: Session, code: str) -> Body | None:
    """The body with this code, compared without regard to case, or None."""
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


def list_bodies(session: Session) -> list[BodyRow]:
    """Every body, by code, with how many recommendations it made."""
    counts = dict(
        session.exec(
            select(Recommendation.body_id, func.count()).group_by(col(Recommendation.body_id))
        ).all()
    )
    return [
        {
            "code": b.code,
            "name": b.name,
            "kind": b.kind,
            "recommendations": counts.get(b.id or 0, 0),
        }
        for b in session.exec(select(Body).order_by(Body.code))
    ]


def add_body(session: Session, code: str, name: str, kind: str) -> str:
    """Record a new body; return its code as stored (upper case)."""
    code = domain.normalize_body_code(code)
    kind = domain.choice(kind, domain.BODY_KINDS, "body kind")
    if not name.strip():
        raise BadValue("a body needs a name (--name)")
    existing = find_body(session, code)
    if existing is not None:
        raise Conflict(f"body {existing.code} already exists ({existing.name})")
    session.add(Body(code=code, name=name.strip(), kind=kind))
    return code
