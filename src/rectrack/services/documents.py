"""Documents: one report of a body to one state, found by its symbol."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.dates import not_in_future, parse_optional_date
from rectrack.errors import BadValue, Conflict
from rectrack.models import Body, Document, Recommendation
from rectrack.services.bodies import resolve_body
from rectrack.services.fields import DOCUMENT_FIELDS, PUBLISHED, apply_fields
from rectrack.services.lookup import find_document, get_document, natural_key
from rectrack.shapes import Change, DocumentDetail, DocumentRow


def _record(session: Session, body: Body, symbol: str, **values: str | None) -> Document:
    assert body.id is not None
    doc = Document.model_validate({"body_id": body.id, "symbol": symbol.strip(), **values})
    session.add(doc)
    session.flush()
    return doc


def document_for(
    session: Session, symbol: str, body: Body, date: str | None, country: str | None
) -> Document:
    """The document a recommendation of `body` cites: the recorded one with this symbol, or
    a new one dated and placed as the recommendation is. A document of another body is
    refused."""
    doc = find_document(session, symbol)
    if doc is None:
        return _record(session, body, symbol, date=date, country=country)
    if doc.body_id != body.id:
        owner = session.get(Body, doc.body_id)
        raise BadValue(
            f"document {doc.symbol} belongs to {owner.code if owner else '?'}, not {body.code}"
        )
    return doc


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
    if not symbol.strip():
        raise BadValue("a document needs a symbol")
    doc = find_document(session, symbol)
    if doc is not None:
        if doc.body_id != owner.id:
            raise BadValue(f"document {doc.symbol} is already recorded for another body")
        return doc, False
    parsed = parse_optional_date(date)
    if parsed is not None:
        not_in_future(parsed, PUBLISHED)
    doc = _record(
        session,
        owner,
        symbol,
        title=domain.optional_text(title),
        date=parsed.iso if parsed else None,
        cycle=domain.optional_text(cycle),
        country=domain.optional_text(country),
        url=_link(url),
    )
    return doc, True


def _link(url: str | None) -> str | None:
    given = domain.optional_text(url)
    return domain.check_url(given) if given else None


def _document_rows(session: Session, docs: Sequence[Document]) -> list[DocumentRow]:
    counts = dict(
        session.exec(
            select(Recommendation.document_id, func.count())
            .where(col(Recommendation.document_id).in_([d.id for d in docs]))
            .group_by(col(Recommendation.document_id))
        ).all()
    )
    code_of = dict(session.exec(select(Body.id, Body.code)).all())
    return [
        {
            "symbol": d.symbol,
            "body": code_of.get(d.body_id, "?"),
            "title": d.title,
            "date": d.date,
            "cycle": d.cycle,
            "country": d.country,
            "url": d.url,
            "recommendations": counts.get(d.id, 0),
        }
        for d in docs
    ]


def list_documents(session: Session, bodies: Sequence[str] = ()) -> list[DocumentRow]:
    """The documents, by body and date, with how many recommendations each holds."""
    q = select(Document)
    if bodies:
        q = q.where(col(Document.body_id).in_([resolve_body(session, b).id for b in bodies]))
    docs = session.exec(q).all()
    rows = _document_rows(session, docs)
    rows.sort(key=lambda r: (r["body"], r["date"] or "", natural_key(r["symbol"])))
    return rows


def document_detail(session: Session, symbol: str) -> DocumentDetail:
    """One document with the keys of its recommendations."""
    doc = get_document(session, symbol)
    (row,) = _document_rows(session, [doc])
    keys = session.exec(select(Recommendation.key).where(Recommendation.document_id == doc.id))
    return {**row, "keys": sorted(keys, key=natural_key)}


def edit_document(
    session: Session, symbol: str, fields: dict[str, str], new_symbol: str | None = None
) -> tuple[str, list[Change]]:
    """Change a document (title, date, cycle, country, URL, or its symbol); return its
    symbol and each field that changed."""
    doc = get_document(session, symbol)
    changes = apply_fields(doc, DOCUMENT_FIELDS, fields)
    if new_symbol is not None:
        wanted = new_symbol.strip()
        if not wanted:
            raise BadValue("a document needs a symbol")
        other = find_document(session, wanted)
        if other is not None and other.id != doc.id:
            raise Conflict(f"document {other.symbol} is already recorded")
        if wanted != doc.symbol:
            changes.append(Change("symbol", doc.symbol, wanted))
            doc.symbol = wanted
    if changes:
        session.add(doc)
    return doc.symbol, changes
