"""Documents: one report of a body to one state, found by its symbol."""

from __future__ import annotations

from sqlmodel import Session

from rectrack import domain
from rectrack.dates import parse_optional_date
from rectrack.errors import BadValue
from rectrack.models import Body, Document
from rectrack.services.bodies import resolve_body
from rectrack.services.lookup import find_document


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
    doc = _record(
        session,
        owner,
        symbol,
        title=domain.optional_text(title),
        date=parsed.iso if parsed else None,
        cycle=domain.optional_text(cycle),
        country=domain.optional_text(country),
        url=domain.optional_text(url),
    )
    return doc, True
