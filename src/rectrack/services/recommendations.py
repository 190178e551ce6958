"""The recommendation register: add, list, show, edit and remove recommendations.

Every function takes a session and plain values as the user typed them, validates them,
and returns plain rows or keys. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.dates import PartialDate
from rectrack.errors import BadValue, Conflict, Duplicate
from rectrack.models import Assessment, Body, Document, Recommendation, utcnow
from rectrack.services import lookup
from rectrack.services.bodies import resolve_body
from rectrack.services.documents import document_for
from rectrack.services.fields import FIELDS, apply_fields
from rectrack.services.filters import filtered_ids
from rectrack.services.lookup import (
    INSTITUTIONS,
    THEMES,
    Names,
    find_recommendation,
    get_recommendation,
    get_recommendations,
    named_ids,
)
from rectrack.services.rows import iter_recommendation_rows, recommendation_rows
from rectrack.settings import current_user
from rectrack.shapes import Change, NewNames, RecFilter, RecRow

# ---------------------------------------------------------------------------------------
# Listing and reading


def list_recommendations(
    session: Session, f: RecFilter, group_by: str | None = None, stream: bool = False
) -> Iterable[RecRow]:
    """The recommendations that pass the filter, by body and key; with `group_by`, by
    group (a `group` field first), one in several groups (themes) under each. With
    `stream` (and no grouping), an iterator reading them a chunk at a time."""
    ids = filtered_ids(session, f)
    if stream and not group_by:
        return iter_recommendation_rows(session, ids)
    rows = recommendation_rows(session, ids)
    return in_groups(rows, group_by) if group_by else rows


# What each grouping reads from a row: one value, or a list of them.
GROUP_FIELDS = {
    "body": "body",
    "document": "document",
    "country": "country",
    "theme": "themes",
    "institution": "institutions",
    "recommending": "recommending",
    "affected": "affected",
    "sdg": "sdgs",
    "cluster": "clusters",
}
NO_GROUP = {"recommending": "recommending state", "affected": "affected group", "sdg": "SDG target"}


def in_groups(rows: Sequence[RecRow], group_by: str) -> list[Any]:
    """The rows under each group, groups in natural order and the rows in no group last
    (`(no theme)`); each row with its `group` first."""
    group_by = domain.choice(group_by, domain.GROUP_BY, "grouping")
    field = GROUP_FIELDS[group_by]
    none = f"(no {NO_GROUP.get(group_by, group_by)})"
    grouped: dict[str | None, list[RecRow]] = {}
    for row in rows:
        value: Any = row[field]  # type: ignore[literal-required]
        for name in (value if isinstance(value, list) else [value]) or [None]:
            grouped.setdefault(name, []).append(row)
    order = sorted(grouped, key=lambda g: (g is None, lookup.natural_key(g or "")))
    return [{"group": g if g is not None else none, **row} for g in order for row in grouped[g]]


# ---------------------------------------------------------------------------------------
# Keys and duplicates


def _key_taken(session: Session, key: str) -> bool:
    """A key in use, also by a recommendation removed with `rm` (it may be restored)."""
    return find_recommendation(session, key, removed=True) is not None


def _taken(rec: Recommendation) -> Conflict:
    removed = " by a removed recommendation (`rectrack restore` brings it back)"
    return Conflict(f"key {rec.key} is already taken{removed if rec.deleted_at else ''}")


def make_key(session: Session, body_code: str, date: str | None, paragraph: str | None) -> str:
    """A new unique key: body-year-paragraph, or body-year-counter without a paragraph."""
    year = PartialDate.from_iso(date).year if date else None
    key = domain.paragraph_key(body_code, year, paragraph)
    if key is not None:
        if not _key_taken(session, key):
            return key
        n = 2
        while _key_taken(session, f"{key}-{n}"):
            n += 1
        return f"{key}-{n}"
    prefix = domain.key_prefix(body_code, year)
    # Counters follow counters: a paragraph key such as CEDAW-2019-1234 does not move them.
    taken = list(
        session.exec(
            select(Recommendation.key).where(
                func.lower(Recommendation.key).like(prefix.lower() + "-%"),
                col(Recommendation.paragraph).is_(None),
            )
        )
    )
    key = domain.counter_key(prefix, taken)
    while _key_taken(session, key):
        taken.append(key)
        key = domain.counter_key(prefix, taken)
    return key


def find_duplicate(
    session: Session,
    body_id: int,
    document_id: int | None,
    paragraph: str | None,
    text: str,
    exclude_id: int | None = None,
    country: str | None = None,
) -> tuple[str, str] | None:
    """(key, reason) of a recommendation that this one would repeat, or None: the same
    document and paragraph, or the same folded text in the same document (without one: of
    the same body about the same country). Never the same text across documents."""
    r = Recommendation
    if document_id is not None and paragraph:
        slug = domain.paragraph_slug(paragraph)
        same_document = session.exec(
            select(r.id, r.key, r.paragraph).where(
                r.document_id == document_id, col(r.paragraph).is_not(None)
            )
        )
        for rec_id, key, para in same_document:
            if rec_id != exclude_id and para and domain.paragraph_slug(para) == slug:
                return key, "same document and paragraph"
    q = select(r.id, r.key).where(r.text_folded == domain.fold(text), r.body_id == body_id)
    if document_id is not None:
        q = q.where(r.document_id == document_id)
        reason = "same document and text"
    else:
        q = q.where(col(r.document_id).is_(None))
        folded_country = (country or "").strip().lower()
        q = q.where(func.lower(func.coalesce(r.country, "")) == folded_country)
        reason = "same body and text"
    for rec_id, key in session.exec(q):
        if rec_id != exclude_id:
            return key, reason
    return None


# ---------------------------------------------------------------------------------------
# Adding


@dataclass
class RecInput:
    """A recommendation as the user gave it, before validation."""

    body: str
    text: str
    document: str | None = None
    paragraph: str | None = None
    date: str | None = None
    country: str | None = None
    themes: Sequence[str] = ()
    institutions: Sequence[str] = ()
    priority: str | None = None
    response: str | None = None
    due: str | None = None
    key: str | None = None
    summary: str | None = None
    new_names: NewNames | None = None  # which new names that look like recorded ones to allow


def add_recommendation(session: Session, given: RecInput, *, allow_duplicate: bool = False) -> str:
    """Validate and record one recommendation; return its key. A recommendation that
    repeats one on record (same document and paragraph, or same body and text) is refused
    with Duplicate unless `allow_duplicate`."""
    body = resolve_body(session, given.body)
    assert body.id is not None
    if not (given.text or "").strip():
        raise BadValue("a recommendation needs a text (--text)")
    values: dict[str, Any] = {
        spec.name: spec.value(getattr(given, spec.name), clearing=False) for spec in FIELDS
    }
    key = domain.check_key(given.key) if given.key and given.key.strip() else None
    if key is not None:
        taken = find_recommendation(session, key, removed=True)
        if taken is not None:
            raise _taken(taken)
    symbol = domain.optional_text(given.document)
    doc = document_for(session, symbol, body, values["date"], values["country"]) if symbol else None
    if doc is not None:
        values["date"] = values["date"] or doc.date
        values["country"] = values["country"] or doc.country
    if not allow_duplicate:
        dup = find_duplicate(
            session,
            body.id,
            doc.id if doc else None,
            values["paragraph"],
            values["text"],
            country=values["country"],
        )
        if dup is not None:
            raise Duplicate(*dup)
    rec = Recommendation(
        key=key or make_key(session, body.code, values["date"], values["paragraph"]),
        body_id=body.id,
        document_id=doc.id if doc else None,
        text_folded=domain.fold(values["text"]),
        **values,
    )
    session.add(rec)
    session.flush()
    assert rec.id is not None
    for names, given_names in ((THEMES, given.themes), (INSTITUTIONS, given.institutions)):
        ids = named_ids(session, names, given_names, True, given.new_names)
        _link_names(session, rec.id, names, ids)
    return rec.key


# ---------------------------------------------------------------------------------------
# Themes and institutions of one recommendation


def _link_names(session: Session, rec_id: int, names: Names, ids: Sequence[int]) -> None:
    if ids:
        rows = [{"recommendation_id": rec_id, names.fk: i} for i in ids]
        session.exec(insert(names.link).values(rows))


def _linked(session: Session, rec_id: int, names: Names) -> list[tuple[int, str]]:
    """(id, name) of the themes or institutions of a recommendation, by name."""
    model, link = names.model, names.link
    return [
        (i, name)
        for i, name in session.exec(
            select(col(model.id), model.name)
            .join(link, names.fk_column == model.id)
            .where(link.recommendation_id == rec_id)
            .order_by(func.lower(model.name))
        )
        if i is not None
    ]


@dataclass
class NameEdit:
    """How `edit` changes themes or institutions: replace them all, or add and remove some."""

    replace: Sequence[str] | None = None
    add: Sequence[str] = ()
    remove: Sequence[str] = ()
    new_names: NewNames | None = None  # which new names that look like recorded ones to allow


def _edit_names(session: Session, rec_id: int, names: Names, edit: NameEdit) -> list[Change]:
    what = names.what
    current = _linked(session, rec_id, names)
    before = [name for _, name in current]
    if edit.replace is None and not edit.add and not edit.remove:
        return []
    replace = edit.replace
    if replace is not None and any(domain.is_clear(name) for name in replace):
        if len(replace) > 1:
            raise BadValue(f"'none' clears the {what}s: give it alone")
        replace = []
    wanted = (
        [i for i, _ in current]
        if replace is None
        else named_ids(session, names, replace, True, edit.new_names)
    )
    # Removals first, so that a name both added and removed is refused, not created.
    for name in edit.remove:
        ids = named_ids(session, names, [name], create=False)
        if not ids or ids[0] not in wanted:
            raise BadValue(
                f"{what} '{name}' is not on this recommendation; it has: "
                f"{', '.join(before) or 'none'}"
            )
        wanted.remove(ids[0])
    added = named_ids(session, names, edit.add, True, edit.new_names)
    wanted += [i for i in added if i not in wanted]
    session.exec(delete(names.link).where(col(names.link.recommendation_id) == rec_id))
    _link_names(session, rec_id, names, wanted)
    after = [name for _, name in _linked(session, rec_id, names)]
    return [Change(f"{what}s", before, after)] if after != before else []


# ---------------------------------------------------------------------------------------
# Editing and removing


@dataclass
class RecChanges:
    """What `edit` (or an import) was asked to change; what is not named stays as it is.
    `fields` holds the scalar fields of `rectrack.services.fields` as the user typed them
    (`none` clears an optional one)."""

    fields: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    document: str | None = None
    key: str | None = None
    themes: NameEdit = field(default_factory=NameEdit)
    institutions: NameEdit = field(default_factory=NameEdit)
    allow_duplicate: bool = False  # the edit may make it repeat another


def _edit_body(
    session: Session, rec: Recommendation, code: str | None
) -> tuple[Body, list[Change]]:
    body = session.get(Body, rec.body_id)
    assert body is not None
    if code is None:
        return body, []
    new = resolve_body(session, code)
    assert new.id is not None
    rec.body_id = new.id
    return new, [Change("body", body.code, new.code)] if new.code != body.code else []


def _edit_document(
    session: Session, rec: Recommendation, body: Body, symbol: str | None, body_changed: bool
) -> list[Change]:
    old = session.get(Document, rec.document_id) if rec.document_id else None
    if symbol is None:
        if body_changed and old is not None and old.body_id != body.id:
            raise BadValue(
                f"document {old.symbol} belongs to another body; "
                "change --document too, or clear it with --document none"
            )
        return []
    new = (
        None
        if domain.is_clear(symbol)
        else document_for(session, symbol, body, rec.date, rec.country)
    )
    rec.document_id = new.id if new else None
    old_symbol, new_symbol = (old.symbol if old else None), (new.symbol if new else None)
    return [Change("document", old_symbol, new_symbol)] if old_symbol != new_symbol else []


def _edit_key(session: Session, rec: Recommendation, key: str | None) -> list[Change]:
    if key is None:
        return []
    new_key = domain.check_key(key)
    other = find_recommendation(session, new_key, removed=True)
    if other is not None and other.id != rec.id:
        raise _taken(other)
    old, rec.key = rec.key, new_key
    return [Change("key", old, new_key)] if old != new_key else []


def edit_recommendation(session: Session, key: str, ch: RecChanges) -> tuple[str, list[Change]]:
    """Apply the changes; return the (possibly new) key and each field that changed. An
    edit that would make the recommendation repeat another is refused with Conflict."""
    rec = get_recommendation(session, key)
    assert rec.id is not None
    body, changes = _edit_body(session, rec, ch.body)
    changes += apply_fields(rec, FIELDS, ch.fields)
    rec.text_folded = domain.fold(rec.text)
    changes += _edit_document(session, rec, body, ch.document, ch.body is not None)
    changes += _edit_key(session, rec, ch.key)
    changes += _edit_names(session, rec.id, THEMES, ch.themes)
    changes += _edit_names(session, rec.id, INSTITUTIONS, ch.institutions)
    identity = ("text", "paragraph")
    touched = any(n in ch.fields for n in identity) or ch.document or ch.body
    if touched and not ch.allow_duplicate:
        dup = find_duplicate(
            session,
            rec.body_id,
            rec.document_id,
            rec.paragraph,
            rec.text,
            exclude_id=rec.id,
            country=rec.country,
        )
        if dup is not None:
            raise Conflict(f"the edit would repeat {dup[0]} ({dup[1]})")
    if changes:
        rec.updated_at = utcnow()
        session.add(rec)
    return rec.key, changes


def removal_preview(
    session: Session, keys: Sequence[str], purge: bool = False
) -> tuple[list[tuple[str, str]], int]:
    """The keys of the named recommendations as recorded, each with its summary (or the
    start of its text), and how many assessments they have. NotFound names every unknown
    key (with `purge`, removed ones are found too)."""
    recs = (
        [_removed_or_not(session, k) for k in keys] if purge else get_recommendations(session, keys)
    )
    assessed = session.exec(
        select(func.count())
        .select_from(Assessment)
        .where(col(Assessment.recommendation_id).in_([r.id for r in recs]))
    ).one()
    return [(r.key, r.summary or domain.shorten(r.text, 70)) for r in recs], assessed


def remove_recommendations(session: Session, keys: Sequence[str], purge: bool = False) -> list[str]:
    """Remove the named recommendations (all or none) from every listing, keeping them and
    their history (`restore` brings them back); with `purge`, delete them for good (a
    removed one may be purged too). Returns their keys."""
    if purge:
        recs = [_removed_or_not(session, key) for key in keys]
        ids = [r.id for r in recs]
        session.exec(delete(Recommendation).where(col(Recommendation.id).in_(ids)))
        return [r.key for r in recs]
    recs = get_recommendations(session, keys)
    for rec in recs:
        rec.deleted_at = utcnow()
        rec.deleted_by = current_user()
    session.flush()
    return [r.key for r in recs]


def _removed_or_not(session: Session, key: str) -> Recommendation:
    rec = find_recommendation(session, key, removed=True)
    if rec is None:
        get_recommendation(session, key)  # raises NotFound with the closest keys
        raise AssertionError  # not reached
    return rec


def restore_recommendations(session: Session, keys: Sequence[str]) -> list[str]:
    """Bring back recommendations removed with `rm` (all or none); their keys."""
    recs = []
    for key in keys:
        rec = find_recommendation(session, key, removed=True)
        if rec is None:
            get_recommendation(session, key)
            raise AssertionError  # not reached
        if rec.deleted_at is None:
            raise Conflict(f"{rec.key} is not removed")
        recs.append(rec)
    for rec in recs:
        rec.deleted_at = None
        rec.deleted_by = None
    session.flush()
    return [r.key for r in recs]
