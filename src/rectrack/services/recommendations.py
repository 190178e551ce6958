"""The recommendation register: add, find, list, edit and remove recommendations.

Every function takes a session and plain values as the user typed them, validates them,
and returns plain rows (dicts) or keys. Nothing here prints.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, insert
from sqlmodel import Session, select

from rectrack import domain
from rectrack.dates import (
    PartialDate,
    format_timestamp,
    parse_date,
    parse_optional_date,
)
from rectrack.db import fetch
from rectrack.errors import BadValue, Conflict, Duplicate, NotFound
from rectrack.models import (
    Body,
    Document,
    Institution,
    Recommendation,
    RecommendationInstitution,
    RecommendationTheme,
    Theme,
    utcnow,
)
from rectrack.services.bodies import resolve_body

# ---------------------------------------------------------------------------------------
# Looking things up


_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=1 << 18)
def natural_key(text: str) -> tuple[Any, ...]:
    """Sort `CEDAW-2019-9` before `CEDAW-2019-10`."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(text))


def find_recommendation(session: Session, key: str) -> Recommendation | None:
    wanted = key.strip().lower()
    return session.exec(
        select(Recommendation).where(func.lower(Recommendation.key) == wanted)
    ).first()


def get_recommendation(session: Session, key: str) -> Recommendation:
    """The recommendation with this key (case-insensitive), or NotFound with close keys."""
    if not key.strip():
        raise BadValue("give a recommendation key, such as CEDAW-2019-24b")
    rec = find_recommendation(session, key)
    if rec is None:
        raise NotFound(f"no recommendation {key}{_did_you_mean(session, key)}")
    return rec


def _did_you_mean(session: Session, key: str) -> str:
    keys = session.exec(select(Recommendation.key)).all()
    near = domain.closest(key, keys, n=3, cutoff=0.5)
    return f"; closest keys: {', '.join(near)}" if near else ""


def get_recommendations(session: Session, keys: Iterable[str]) -> list[Recommendation]:
    """All the named recommendations, or NotFound naming every unknown key."""
    found, missing = [], []
    for key in keys:
        rec = find_recommendation(session, key)
        if rec is None:
            missing.append(key)
        elif rec not in found:
            found.append(rec)
    if len(missing) == 1:
        raise NotFound(f"no recommendation {missing[0]}{_did_you_mean(session, missing[0])}")
    if missing:
        raise NotFound(f"no recommendations {', '.join(missing)}")
    return found


def find_document(session: Session, symbol: str) -> Document | None:
    wanted = symbol.strip().lower()
    return session.exec(select(Document).where(func.lower(Document.symbol) == wanted)).first()


def _named_ids(
    session: Session, model: type[Theme] | type[Institution], names: Iterable[str], create: bool
) -> list[int]:
    """Ids of themes or institutions by name (case-insensitive), creating missing ones."""
    ids: list[int] = []
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        row = session.exec(select(model).where(func.lower(model.name) == name.lower())).first()
        if row is None:
            if not create:
                continue
            row = model(name=name)
            session.add(row)
            session.flush()
        if row.id not in ids:
            ids.append(row.id)
    return ids


# ---------------------------------------------------------------------------------------
# Filters and listing


@dataclass(frozen=True)
class RecFilter:
    """The filters shared by every command that lists recommendations."""

    bodies: tuple[str, ...] = ()
    country: str | None = None
    document: str | None = None
    theme: str | None = None
    institution: str | None = None
    priority: str | None = None
    text: str | None = None


def _name_filter(
    session: Session, model: type[Theme] | type[Institution], name: str, what: str
) -> int:
    row = session.exec(select(model).where(func.lower(model.name) == name.strip().lower())).first()
    if row is None:
        names = session.exec(select(model.name)).all()
        near = domain.closest(name, names, n=3, cutoff=0.6)
        hint = f"; did you mean: {', '.join(near)}" if near else ""
        raise BadValue(f"no {what} '{name}'{hint}")
    return row.id


def filtered_ids(session: Session, f: RecFilter) -> Select:
    """A SELECT of the ids of the recommendations that pass the filter."""
    q = select(Recommendation.id)
    if f.bodies:
        body_ids = [resolve_body(session, b).id for b in f.bodies]
        q = q.where(Recommendation.body_id.in_(body_ids))
    if f.country:
        q = q.where(func.lower(Recommendation.country) == f.country.strip().lower())
    if f.document:
        doc = find_document(session, f.document)
        if doc is None:
            symbols = session.exec(select(Document.symbol)).all()
            near = domain.closest(f.document, symbols, n=3, cutoff=0.4)
            hint = f"; did you mean: {', '.join(near)}" if near else ""
            raise BadValue(f"no document '{f.document}'{hint}")
        q = q.where(Recommendation.document_id == doc.id)
    if f.theme:
        theme_id = _name_filter(session, Theme, f.theme, "theme")
        q = q.where(
            Recommendation.id.in_(
                select(RecommendationTheme.recommendation_id).where(
                    RecommendationTheme.theme_id == theme_id
                )
            )
        )
    if f.institution:
        inst_id = _name_filter(session, Institution, f.institution, "institution")
        q = q.where(
            Recommendation.id.in_(
                select(RecommendationInstitution.recommendation_id).where(
                    RecommendationInstitution.institution_id == inst_id
                )
            )
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


def names_by_rec(
    session: Session, ids: Select, link: Any, model: Any, fk: Any
) -> dict[int, list[str]]:
    """Theme or institution names of each recommendation, sorted without regard to case."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = fetch(
        session,
        select(link.recommendation_id, model.name)
        .join(model, model.id == fk)
        .where(link.recommendation_id.in_(ids)),
    )
    for rec_id, name in rows:
        out[rec_id].append(name)
    for names in out.values():
        if len(names) > 1:
            names.sort(key=str.casefold)
    return out


def recommendation_rows(session: Session, ids: Select) -> list[dict[str, Any]]:
    """Plain rows for the recommendations whose ids the SELECT gives, in natural key order."""
    themes = names_by_rec(session, ids, RecommendationTheme, Theme, RecommendationTheme.theme_id)
    insts = names_by_rec(
        session,
        ids,
        RecommendationInstitution,
        Institution,
        RecommendationInstitution.institution_id,
    )
    r = Recommendation
    rows = fetch(
        session,
        select(
            r.id,
            r.key,
            Body.code,
            Document.symbol,
            r.paragraph,
            r.date,
            r.country,
            r.text,
            r.summary,
            r.priority,
            r.response,
            r.due,
        )
        .join(Body, Body.id == r.body_id)
        .outerjoin(Document, Document.id == r.document_id)
        .where(r.id.in_(ids)),
    )
    out = [
        {
            "key": key,
            "body": code,
            "document": symbol,
            "paragraph": paragraph,
            "date": date,
            "country": country,
            "text": text,
            "summary": summary,
            "themes": themes.get(rec_id, []),
            "institutions": insts.get(rec_id, []),
            "priority": priority,
            "response": response,
            "due": due,
        }
        for (
            rec_id,
            key,
            code,
            symbol,
            paragraph,
            date,
            country,
            text,
            summary,
            priority,
            response,
            due,
        ) in rows
    ]
    out.sort(key=lambda r: (r["body"], natural_key(r["key"])))
    return out


def list_recommendations(session: Session, f: RecFilter) -> list[dict[str, Any]]:
    return recommendation_rows(session, filtered_ids(session, f))


def recommendation_detail(session: Session, key: str) -> dict[str, Any]:
    """Everything recorded about one recommendation."""
    rec = get_recommendation(session, key)
    row = recommendation_rows(
        session, select(Recommendation.id).where(Recommendation.id == rec.id)
    )[0]
    body = session.get(Body, rec.body_id)
    doc = session.get(Document, rec.document_id) if rec.document_id else None
    row["body_name"] = body.name if body else None
    row["document_title"] = doc.title if doc else None
    row["document_date"] = doc.date if doc else None
    row["document_url"] = doc.url if doc else None
    row["created_at"] = format_timestamp(rec.created_at)
    row["updated_at"] = format_timestamp(rec.updated_at)
    return row


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


def _year(date: str | None) -> int | None:
    return PartialDate.from_iso(date).year if date else None


def _key_taken(session: Session, key: str) -> bool:
    return find_recommendation(session, key) is not None


def make_key(session: Session, body_code: str, date: str | None, paragraph: str | None) -> str:
    """A new unique key: body-year-paragraph, or body-year-counter without a paragraph."""
    year = _year(date)
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
    taken = session.exec(
        select(Recommendation.key).where(
            func.lower(Recommendation.key).like(prefix.lower() + "-%"),
            Recommendation.paragraph.is_(None),
        )
    ).all()
    key = domain.counter_key(prefix, taken)
    while _key_taken(session, key):
        key = domain.counter_key(prefix, [*taken, key])
        taken = [*taken, key]
    return key


def find_duplicate(
    session: Session,
    body_id: int,
    document_id: int | None,
    paragraph: str | None,
    text: str,
    exclude_id: int | None = None,
) -> tuple[str, str] | None:
    """(key, reason) of a recommendation that this one would repeat, or None."""
    if document_id is not None and paragraph:
        slug = domain.paragraph_slug(paragraph)
        rows = session.exec(
            select(Recommendation.id, Recommendation.key, Recommendation.paragraph).where(
                Recommendation.document_id == document_id,
                Recommendation.paragraph.is_not(None),
            )
        )
        for rec_id, key, para in rows:
            if rec_id != exclude_id and domain.paragraph_slug(para) == slug:
                return key, "same document and paragraph"
    rows = session.exec(
        select(Recommendation.id, Recommendation.key, Recommendation.text).where(
            Recommendation.body_id == body_id
        )
    )
    for rec_id, key, other in rows:
        if rec_id != exclude_id and domain.same_text(other, text):
            return key, "same body and text"
    return None


def _document_for(
    session: Session, symbol: str | None, body: Body, date: str | None, country: str | None
) -> Document | None:
    if not symbol:
        return None
    doc = find_document(session, symbol)
    if doc is None:
        doc = Document(body_id=body.id, symbol=symbol.strip(), date=date, country=country)
        session.add(doc)
        session.flush()
    elif doc.body_id != body.id:
        owner = session.get(Body, doc.body_id)
        raise BadValue(
            f"document {doc.symbol} belongs to {owner.code if owner else '?'}, not {body.code}"
        )
    return doc


def add_recommendation(session: Session, given: RecInput, *, allow_duplicate: bool = False) -> str:
    """Validate and record one recommendation; return its key."""
    body = resolve_body(session, given.body)
    text = domain.clean_text(given.text or "")
    if not text:
        raise BadValue("a recommendation needs a text (--text)")
    date = parse_optional_date(given.date)
    due = parse_optional_date(given.due)
    priority = domain.optional_choice(given.priority, domain.PRIORITIES, "priority")
    response = domain.optional_choice(given.response, domain.RESPONSES, "response")
    key = domain.check_key(given.key) if domain.blank(given.key) else None
    paragraph = domain.blank(given.paragraph)
    country = domain.blank(given.country)

    if key is not None and _key_taken(session, key):
        raise Conflict(f"key {find_recommendation(session, key).key} is already taken")
    doc = _document_for(
        session, domain.blank(given.document), body, date.iso if date else None, country
    )
    date_iso = date.iso if date else (doc.date if doc else None)
    country = country or (doc.country if doc else None)

    if not allow_duplicate:
        dup = find_duplicate(session, body.id, doc.id if doc else None, paragraph, text)
        if dup is not None:
            raise Duplicate(*dup)

    key = key or make_key(session, body.code, date_iso, paragraph)
    rec = Recommendation(
        key=key,
        body_id=body.id,
        document_id=doc.id if doc else None,
        paragraph=paragraph,
        text=text,
        summary=domain.blank(given.summary),
        date=date_iso,
        country=country,
        priority=priority,
        response=response,
        due=due.iso if due else None,
    )
    session.add(rec)
    session.flush()
    _link_names(
        session,
        rec.id,
        RecommendationTheme,
        "theme_id",
        _named_ids(session, Theme, given.themes, create=True),
    )
    _link_names(
        session,
        rec.id,
        RecommendationInstitution,
        "institution_id",
        _named_ids(session, Institution, given.institutions, create=True),
    )
    return key


def _link_names(session: Session, rec_id: int, link: Any, column: str, ids: Sequence[int]) -> None:
    if ids:
        session.exec(insert(link).values([{"recommendation_id": rec_id, column: i} for i in ids]))


# ---------------------------------------------------------------------------------------
# Editing and removing


@dataclass
class RecChanges:
    """What `edit` was asked to change; None leaves a field as it is."""

    body: str | None = None
    text: str | None = None
    document: str | None = None
    paragraph: str | None = None
    date: str | None = None
    country: str | None = None
    themes: Sequence[str] | None = None
    institutions: Sequence[str] | None = None
    add_themes: Sequence[str] = ()
    remove_themes: Sequence[str] = ()
    add_institutions: Sequence[str] = ()
    remove_institutions: Sequence[str] = ()
    priority: str | None = None
    response: str | None = None
    due: str | None = None
    key: str | None = None
    summary: str | None = None


def _current_names(session: Session, rec_id: int, link: Any, model: Any, column: str) -> list[str]:
    return list(
        session.exec(
            select(model.name)
            .join(link, getattr(link, column) == model.id)
            .where(link.recommendation_id == rec_id)
            .order_by(func.lower(model.name))
        )
    )


def _edit_names(
    session: Session,
    rec_id: int,
    link: Any,
    model: Any,
    column: str,
    replace: Sequence[str] | None,
    add: Sequence[str],
    remove: Sequence[str],
    what: str,
) -> tuple[list[str], list[str]]:
    before = _current_names(session, rec_id, link, model, column)
    if replace is None and not add and not remove:
        return before, before
    if replace is not None and any(domain.is_clear(name) for name in replace):
        if len(replace) > 1:
            raise BadValue(f"'none' clears the {what}s: give it alone")
        replace = []
    current_ids = [
        i
        for i in session.exec(select(getattr(link, column)).where(link.recommendation_id == rec_id))
    ]
    wanted = list(current_ids) if replace is None else _named_ids(session, model, replace, True)
    # Removals first, so that a name both added and removed is refused, not created.
    for name in remove:
        ids = _named_ids(session, model, [name], create=False)
        if not ids or ids[0] not in wanted:
            raise BadValue(
                f"{what} '{name}' is not on this recommendation; it has: "
                f"{', '.join(before) or 'none'}"
            )
        wanted.remove(ids[0])
    for i in _named_ids(session, model, add, create=True):
        if i not in wanted:
            wanted.append(i)
    session.exec(delete(link).where(link.recommendation_id == rec_id))
    _link_names(session, rec_id, link, column, wanted)
    return before, _current_names(session, rec_id, link, model, column)


def edit_recommendation(session: Session, key: str, ch: RecChanges) -> tuple[str, list[str]]:
    """Apply the changes; return the (possibly new) key and one line per changed field."""
    rec = get_recommendation(session, key)
    changes: list[str] = []

    def note(field: str, old: object, new: object) -> None:
        if old != new:
            changes.append(f"{field}: {_show(old)} -> {_show(new)}")

    body = session.get(Body, rec.body_id)
    if ch.body is not None:
        new_body = resolve_body(session, ch.body)
        note("body", body.code, new_body.code)
        body = new_body
        rec.body_id = body.id
    if ch.text is not None:
        text = domain.clean_text(ch.text)
        if not text:
            raise BadValue("the text cannot be empty")
        note("text", rec.text, text)
        rec.text = text
    if ch.date is not None:
        new = None if domain.is_clear(ch.date) else parse_date(ch.date).iso
        note("date", rec.date, new)
        rec.date = new
    if ch.country is not None:
        new = None if domain.is_clear(ch.country) else domain.blank(ch.country)
        note("country", rec.country, new)
        rec.country = new
    if ch.document is not None:
        old_doc = session.get(Document, rec.document_id) if rec.document_id else None
        doc = (
            None
            if domain.is_clear(ch.document)
            else _document_for(session, ch.document, body, rec.date, rec.country)
        )
        note("document", old_doc.symbol if old_doc else None, doc.symbol if doc else None)
        rec.document_id = doc.id if doc else None
    elif ch.body is not None and rec.document_id is not None:
        doc = session.get(Document, rec.document_id)
        if doc.body_id != body.id:
            raise BadValue(
                f"document {doc.symbol} belongs to another body; "
                "change --document too, or clear it with --document none"
            )
    if ch.paragraph is not None:
        new = None if domain.is_clear(ch.paragraph) else domain.blank(ch.paragraph)
        note("paragraph", rec.paragraph, new)
        rec.paragraph = new
    if ch.summary is not None:
        new = None if domain.is_clear(ch.summary) else domain.blank(ch.summary)
        note("summary", rec.summary, new)
        rec.summary = new
    if ch.priority is not None:
        new = (
            None
            if domain.is_clear(ch.priority)
            else domain.choice(ch.priority, domain.PRIORITIES, "priority")
        )
        note("priority", rec.priority, new)
        rec.priority = new
    if ch.response is not None:
        new = (
            None
            if domain.is_clear(ch.response)
            else domain.choice(ch.response, domain.RESPONSES, "response")
        )
        note("response", rec.response, new)
        rec.response = new
    if ch.due is not None:
        new = None if domain.is_clear(ch.due) else parse_date(ch.due).iso
        note("due", rec.due, new)
        rec.due = new
    if ch.key is not None:
        new_key = domain.check_key(ch.key)
        other = find_recommendation(session, new_key)
        if other is not None and other.id != rec.id:
            raise Conflict(f"key {other.key} is already taken")
        note("key", rec.key, new_key)
        rec.key = new_key

    before, after = _edit_names(
        session,
        rec.id,
        RecommendationTheme,
        Theme,
        "theme_id",
        ch.themes,
        ch.add_themes,
        ch.remove_themes,
        "theme",
    )
    note("themes", before, after)
    before, after = _edit_names(
        session,
        rec.id,
        RecommendationInstitution,
        Institution,
        "institution_id",
        ch.institutions,
        ch.add_institutions,
        ch.remove_institutions,
        "institution",
    )
    note("institutions", before, after)

    if any(v is not None for v in (ch.text, ch.paragraph, ch.document, ch.body)):
        dup = find_duplicate(
            session, rec.body_id, rec.document_id, rec.paragraph, rec.text, exclude_id=rec.id
        )
        if dup is not None:
            raise Conflict(f"the edit would repeat {dup[0]} ({dup[1]})")
    if changes:
        rec.updated_at = utcnow()
        session.add(rec)
    return rec.key, changes


def _show(value: object) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return domain.shorten(str(value), 60)


def assessments_of(session: Session, keys: Sequence[str]) -> int:
    """How many assessments the named recommendations have (they go with them)."""
    from rectrack.models import Assessment

    ids = [r.id for r in get_recommendations(session, keys)]
    return session.exec(
        select(func.count()).select_from(Assessment).where(Assessment.recommendation_id.in_(ids))
    ).one()


def remove_recommendations(session: Session, keys: Sequence[str]) -> list[str]:
    """Delete the named recommendations (all or none); return their keys."""
    recs = get_recommendations(session, keys)
    ids = [r.id for r in recs]
    session.exec(delete(Recommendation).where(Recommendation.id.in_(ids)))
    return [r.key for r in recs]


def ensure_document(
    session: Session,
    *,
    body: str,
    symbol: str,
    title: str | None = None,
    date: str | None = None,
    cycle: str | None = None,
    country: str | None = None,
    url: str | None = None,
) -> tuple[Document, bool]:
    """The document with this symbol, recorded if new; (document, whether it was added)."""
    owner = resolve_body(session, body)
    symbol = symbol.strip()
    if not symbol:
        raise BadValue("a document needs a symbol")
    doc = find_document(session, symbol)
    if doc is not None:
        if doc.body_id != owner.id:
            raise BadValue(f"document {doc.symbol} is already recorded for another body")
        return doc, False
    parsed = parse_optional_date(date)
    doc = Document(
        body_id=owner.id,
        symbol=symbol,
        title=domain.blank(title),
        date=parsed.iso if parsed else None,
        cycle=domain.blank(cycle),
        country=domain.blank(country),
        url=domain.blank(url),
    )
    session.add(doc)
    session.flush()
    return doc, True
