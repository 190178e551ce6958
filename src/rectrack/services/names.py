"""Themes and institutions as vocabularies: listed with how often they are used, renamed,
and merged when two names mean the same (a misspelling that slipped in, two spellings of
one ministry)."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, literal, update
from sqlmodel import Session, col, select

from rectrack.errors import BadValue
from rectrack.models import Action
from rectrack.services.lookup import INSTITUTIONS, Names, find_named, get_named_id
from rectrack.shapes import NameRow


def list_names(session: Session, names: Names) -> list[NameRow]:
    """Every theme (or institution), by name, with how many recommendations (and, for an
    institution, actions) name it."""
    used = dict(session.exec(select(names.fk_column, func.count()).group_by(names.fk_column)).all())
    acting: dict[int, int] = {}
    if names is INSTITUTIONS:
        found_actions = session.exec(
            select(Action.institution_id, func.count()).group_by(col(Action.institution_id))
        )
        acting = {number: n for number, n in found_actions if number is not None}
    found = session.connection().execute(select(names.model.id, names.model.name))
    rows: list[NameRow] = [
        {"name": name, "recommendations": used.get(number, 0), "actions": acting.get(number, 0)}
        for number, name in found
    ]
    rows.sort(key=lambda r: r["name"].casefold())
    return rows


def rename(session: Session, names: Names, old: str, new: str) -> tuple[str, str, bool]:
    """Rename a theme (or institution); when the new name is already recorded, merge the
    old one into it: everything that named the old one names the new one. Returns the old
    name, the new one and whether they were merged."""
    old_id = get_named_id(session, names.model, old, names.what)
    wanted = " ".join(new.split())
    if not wanted:
        raise BadValue(f"give the new name of the {names.what}")
    source = find_named(session, names.model, old)
    assert source is not None
    old_name = source.name
    target = find_named(session, names.model, wanted)
    if target is None or target.id == old_id:
        source.name = wanted
        session.add(source)
        return old_name, wanted, False
    link, fk = names.link, names.fk_column
    already = select(link.recommendation_id).where(fk == target.id)
    moved = select(link.recommendation_id, literal(target.id)).where(
        fk == old_id, col(link.recommendation_id).not_in(already)
    )
    session.exec(insert(link).from_select(["recommendation_id", names.fk], moved))
    session.exec(delete(link).where(fk == old_id))
    if names is INSTITUTIONS:
        session.exec(
            update(Action)
            .where(col(Action.institution_id) == old_id)
            .values(institution_id=target.id)
        )
    session.delete(source)
    session.flush()
    return old_name, target.name, True
