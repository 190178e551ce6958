"""Actions: what the state did or announced (a law, strategy, budget line, institution...),
linked to the recommendations it answers. Ids are shown as `A12`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.dates import not_too_far, parse_optional_date
from rectrack.errors import BadValue
from rectrack.models import Action, ActionRecommendation, Institution, Recommendation
from rectrack.services.fields import ACTION_FIELDS, apply_fields
from rectrack.services.lookup import (
    INSTITUTIONS,
    action_id,
    get_action,
    get_recommendations,
    named_ids,
    tracked,
)
from rectrack.services.rows import action_rows
from rectrack.shapes import ActionDetail, ActionRow, Change, NewNames


@dataclass
class ActionInput:
    """An action as the user gave it, before validation."""

    title: str
    kind: str
    date: str | None = None
    institution: str | None = None
    reference: str | None = None
    url: str | None = None
    description: str | None = None


def action_fields(given: ActionInput) -> dict[str, Any]:
    """The columns of a new action but its institution, checked."""
    title = domain.optional_text(given.title)
    if not title:
        raise BadValue("an action needs a title (--title)")
    kind = domain.choice(given.kind, domain.ACTION_KINDS, "kind of action")
    date = parse_optional_date(given.date)
    if date is not None:
        not_too_far(date, "an action")
    url = domain.optional_text(given.url)
    if url:
        domain.check_url(url)
    return {
        "title": title,
        "kind": kind,
        "date": date.iso if date else None,
        "reference": domain.optional_text(given.reference),
        "url": url,
        "description": domain.optional_text(given.description),
    }


def institution_of(session: Session, given: ActionInput, new: NewNames | None = None) -> int | None:
    """The id of the action's institution (recorded now if new), or None."""
    institution_ids = named_ids(session, INSTITUTIONS, [given.institution or ""], True, new)
    return institution_ids[0] if institution_ids else None


def add_action(
    session: Session,
    given: ActionInput,
    recs: Sequence[str] = (),
    note: str | None = None,
    new: NewNames | None = None,
) -> str:
    """Record an action linked to the named recommendations; return its id (`A12`). A new
    institution that looks like one on record is refused unless `new` allows it."""
    fields = action_fields(given)
    linked = get_recommendations(session, recs)
    action = Action(**fields, institution_id=institution_of(session, given, new))
    session.add(action)
    session.flush()
    assert action.id is not None
    _link(session, action.id, [r.id for r in linked if r.id is not None], note)
    return action_id(action.id)


def _linked_ids(session: Session, number: int) -> set[int]:
    return set(
        session.exec(
            select(ActionRecommendation.recommendation_id).where(
                ActionRecommendation.action_id == number
            )
        )
    )


def _link(session: Session, number: int, rec_ids: Sequence[int], note: str | None) -> list[int]:
    """Link an action to recommendations it is not linked to yet; return their ids."""
    existing = _linked_ids(session, number)
    new = [i for i in dict.fromkeys(rec_ids) if i not in existing]
    if new:
        note = domain.optional_text(note)
        session.exec(
            insert(ActionRecommendation).values(
                [{"action_id": number, "recommendation_id": i, "note": note} for i in new]
            )
        )
    return new


def link_action(
    session: Session, ident: str, keys: Sequence[str], note: str | None = None
) -> tuple[str, list[str], list[str]]:
    """Link an action to recommendations: (action id, newly linked keys, already linked).
    A note given for a link that exists replaces its note."""
    action = get_action(session, ident)
    assert action.id is not None
    recs = get_recommendations(session, keys)
    new = set(_link(session, action.id, [r.id for r in recs if r.id is not None], note))
    old = [r for r in recs if r.id not in new]
    if old and domain.optional_text(note):
        session.exec(
            update(ActionRecommendation)
            .where(
                col(ActionRecommendation.action_id) == action.id,
                col(ActionRecommendation.recommendation_id).in_([r.id for r in old]),
            )
            .values(note=domain.optional_text(note))
        )
    return action_id(action.id), [r.key for r in recs if r.id in new], [r.key for r in old]


def unlink_action(session: Session, ident: str, keys: Sequence[str]) -> tuple[str, list[str]]:
    """Remove links between an action and recommendations: (action id, unlinked keys). A key
    not linked to it is refused."""
    action = get_action(session, ident)
    assert action.id is not None
    recs = get_recommendations(session, keys)
    linked = _linked_ids(session, action.id)
    not_linked = [r.key for r in recs if r.id not in linked]
    if not_linked:
        raise BadValue(f"{action_id(action.id)} is not linked to {', '.join(not_linked)}")
    session.exec(
        delete(ActionRecommendation).where(
            col(ActionRecommendation.action_id) == action.id,
            col(ActionRecommendation.recommendation_id).in_([r.id for r in recs]),
        )
    )
    return action_id(action.id), [r.key for r in recs]


def list_actions(
    session: Session, recs: Sequence[str] = (), kinds: Sequence[str] = ()
) -> list[ActionRow]:
    """The actions, oldest first; only those linked to one of `recs`, or of one of `kinds`."""
    link = ActionRecommendation
    found = tracked(session, Action, link.action_id, link.recommendation_id, recs, kinds)
    return action_rows(session, found)


def action_detail(session: Session, ident: str) -> ActionDetail:
    """One action with what it is linked to and the notes on its links."""
    action = get_action(session, ident)
    (row,) = action_rows(session, [action])
    notes = session.exec(
        select(Recommendation.key, ActionRecommendation.note)
        .join(Recommendation, col(Recommendation.id) == ActionRecommendation.recommendation_id)
        .where(
            ActionRecommendation.action_id == action.id,
            col(ActionRecommendation.note).is_not(None),
        )
    ).all()
    return {**row, "link_notes": [f"{key}: {note}" for key, note in notes]}


@dataclass
class ActionChanges:
    """What `action edit` was asked to change: the fields of `ACTION_FIELDS` as typed
    (`none` clears an optional one), and the institution."""

    fields: dict[str, str]
    institution: str | None = None
    new_names: NewNames | None = None


def _institution_name(session: Session, number: int | None) -> str | None:
    found = session.get(Institution, number) if number else None
    return found.name if found else None


def _edit_institution(
    session: Session, action: Action, given: str, new: NewNames | None
) -> list[Change]:
    old = _institution_name(session, action.institution_id)
    ids = [] if domain.is_clear(given) else named_ids(session, INSTITUTIONS, [given], True, new)
    action.institution_id = ids[0] if ids else None
    now = _institution_name(session, action.institution_id)
    return [Change("institution", old, now)] if now != old else []


def edit_action(session: Session, ident: str, ch: ActionChanges) -> tuple[str, list[Change]]:
    """Change an action; return its id and each field that changed."""
    action = get_action(session, ident)
    assert action.id is not None
    changes = apply_fields(action, ACTION_FIELDS, ch.fields)
    if ch.institution is not None:
        changes += _edit_institution(session, action, ch.institution, ch.new_names)
    if changes:
        session.add(action)
    return action_id(action.id), changes


def action_links(session: Session, ident: str) -> tuple[str, list[str], list[str]]:
    """What removing an action would unlink: (its id, recommendation keys, evidence ids)."""
    action = get_action(session, ident)
    (row,) = action_rows(session, [action])
    return row["id"], row["recommendations"], row["evidence"]


def remove_action(session: Session, ident: str) -> str:
    """Delete an action and its links (the recommendations and evidence stay); its id."""
    action = get_action(session, ident)
    session.delete(action)
    session.flush()
    return action_id(action.id or 0)
