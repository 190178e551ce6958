"""Full-text search over recommendations: their text, summary, key, document, themes and
other names, assessment notes and the titles of the actions linked to them.

Each recommendation has a search document (`search_document`): the stems of those words,
folded (`rectrack.words`), so that `cac` finds `Čačak` and Cyrillic and Latin meet.
Triggers queue a recommendation whenever something it is made of changes; the queue is
worked off before each search. On SQLite the documents are indexed by FTS5 and ranked by
BM25; on PostgreSQL its full-text index (GIN over `to_tsvector('simple', content)`) finds
the matches and BM25 is computed in Python as FTS5 computes it; where neither index is
there the documents are scanned and ranked the same way.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, delete, func, select
from sqlmodel import Session

from rectrack import words
from rectrack.errors import BadValue
from rectrack.models import (
    SEARCH_FTS,
    SEARCH_GIN_NAME,
    Action,
    ActionRecommendation,
    Assessment,
    Document,
    Recommendation,
    SearchDocument,
    SearchQueue,
    table_of,
)
from rectrack.services.bulk import insert_many
from rectrack.services.filters import filtered_ids
from rectrack.services.lookup import IdSelect
from rectrack.services.rows import names_by_rec
from rectrack.shapes import RecFilter

BATCH = 2000
R = table_of(Recommendation)
S = table_of(SearchDocument)
Q = table_of(SearchQueue)


# ---------------------------------------------------------------------------------------
# Keeping the search documents up to date


def _sources(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """The texts each recommendation is found by."""
    conn = session.connection()
    out: dict[int, list[str]] = defaultdict(list)
    d = table_of(Document)
    query = (
        select(R.c.id, R.c.key, R.c.text, R.c.summary, d.c.symbol)
        .outerjoin(d, d.c.id == R.c.document_id)
        .where(R.c.id.in_(ids))
    )
    for rec_id, key, text, summary, symbol in conn.execute(query):
        out[rec_id] += [key, text, summary or "", symbol or ""]
    for by_rec in names_by_rec(session, select(R.c.id).where(R.c.id.in_(ids))).values():
        for rec_id, names in by_rec.items():
            out[rec_id] += names
    a = table_of(Assessment)
    notes = select(a.c.recommendation_id, a.c.note).where(
        a.c.recommendation_id.in_(ids), a.c.note.is_not(None)
    )
    for rec_id, note in conn.execute(notes):
        out[rec_id].append(note)
    ar, act = table_of(ActionRecommendation), table_of(Action)
    actions = (
        select(ar.c.recommendation_id, act.c.title, act.c.reference)
        .join(act, act.c.id == ar.c.action_id)
        .where(ar.c.recommendation_id.in_(ids))
    )
    for rec_id, title, reference in conn.execute(actions):
        out[rec_id] += [title, reference or ""]
    return out


REBUILD_FROM = 5000  # queued documents from which the index is rebuilt whole


def refresh(session: Session) -> int:
    """Make the search documents of every queued recommendation again; how many. Many
    at once (after a large import) go faster with the full-text index rebuilt whole than
    kept in step one document at a time."""
    conn = session.connection()
    queued = conn.execute(select(func.count()).select_from(Q)).scalar_one()
    if queued >= REBUILD_FROM and index_of(conn) == "fts5":
        for name in _FTS_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        done = _refresh(session)
        conn.exec_driver_sql("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")
        for ddl in SEARCH_FTS:
            if ddl.startswith("CREATE TRIGGER"):
                conn.exec_driver_sql(ddl)
        return done
    return _refresh(session)


_FTS_TRIGGERS = ("search_fts_inserted", "search_fts_deleted", "search_fts_updated")


def _refresh(session: Session) -> int:
    conn = session.connection()
    done = 0
    while True:
        ids = [i for (i,) in conn.execute(select(Q.c.rec_id).limit(BATCH))]
        if not ids:
            return done
        sources = _sources(session, ids)
        conn.execute(delete(S).where(S.c.rec_id.in_(ids)))
        rows = [
            {"rec_id": rec_id, "content": " ".join(words.terms(" \n".join(texts)))}
            for rec_id, texts in sources.items()
        ]
        insert_many(conn, S, rows)
        conn.execute(delete(Q).where(Q.c.rec_id.in_(ids)))
        done += len(ids)


def index_of(conn: Connection) -> str | None:
    """The full-text index this database has: "fts5" (SQLite), "tsvector" (PostgreSQL), or
    None (documents are scanned)."""
    if conn.dialect.name == "sqlite":
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'"
        return "fts5" if conn.exec_driver_sql(query).first() else None
    if conn.dialect.name == "postgresql":
        query = (
            "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() "
            f"AND indexname = '{SEARCH_GIN_NAME}'"
        )
        return "tsvector" if conn.exec_driver_sql(query).first() else None
    return None


def has_index(conn: Connection) -> bool:
    """Whether this database has a full-text index (else documents are scanned)."""
    return index_of(conn) is not None


# ---------------------------------------------------------------------------------------
# Searching


@dataclass
class Hit:
    rec_id: int
    score: float  # higher is better


def query_terms(query: str) -> list[str]:
    """The stems a query looks for, each once; BadValue when it has none."""
    found = list(dict.fromkeys(words.terms(query)))
    if not found:
        raise BadValue(
            f"nothing to search for in '{query}': give words that carry meaning "
            "(common words such as 'the' or 'of' are left out)"
        )
    return found


def _fts_query(terms: Iterable[str], joiner: str = " AND ") -> str:
    return joiner.join(f'"{t}"*' for t in terms)


_FTS = sa.table("search_fts", sa.column("rowid"))
_FTS_ITSELF: sa.ColumnClause[Any] = sa.literal_column("search_fts")


def _indexed(conn: Connection, terms: list[str], ids: IdSelect | None, limit: int) -> list[Hit]:
    """Search through the FTS5 index, ranked by its BM25. The matches are found first (a
    materialized CTE), then narrowed to the filters: asked together, SQLite would run the
    full-text query once for every recommendation the filters let through."""
    rank = sa.func.bm25(_FTS_ITSELF).label("rank")
    matches = (
        sa.select(_FTS.c.rowid.label("id"), rank)
        .where(_FTS_ITSELF.op("MATCH")(_fts_query(terms)))
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )
    query = sa.select(matches.c.id, matches.c.rank)
    if ids is not None:
        query = query.where(matches.c.id.in_(ids))
    query = query.order_by(matches.c.rank, matches.c.id).limit(limit)
    return [Hit(rowid, -value) for rowid, value in conn.execute(query)]


def bm25(
    documents: dict[int, list[str]],
    terms: list[str],
    df: dict[str, int],
    total: int,
    average: float,
) -> list[Hit]:
    """Okapi BM25 of documents (their stems) for the terms (each a prefix of a stem), as
    SQLite's FTS5 computes it: k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) / (n + 0.5))
    but never under 1e-6, and `average` the length of all documents."""
    hits = []
    for rec_id, stems in documents.items():
        counts = Counter(stems)
        score = 0.0
        for term in terms:
            tf = sum(n for s, n in counts.items() if s.startswith(term))
            if not tf:
                continue
            idf = max(math.log((total - df[term] + 0.5) / (df[term] + 0.5)), 1e-6)
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(stems) / (average or 1.0)))
        hits.append(Hit(rec_id, score))
    return hits


def tsquery(terms: Iterable[str], prefix: bool = True, joiner: str = " & ") -> str:
    """A PostgreSQL text-search query for the terms (each the start of a word, `prefix`),
    every one (" & ") or any (" | ")."""
    star = ":*" if prefix else ""
    return joiner.join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" + star for t in terms)


def ts_match(query: str) -> sa.ColumnElement[bool]:
    """Search documents matching a text-search query, through PostgreSQL's full-text index
    (the expression is the index's own)."""
    simple: sa.ColumnClause[Any] = sa.literal_column("'simple'")
    return sa.func.to_tsvector(simple, S.c.content).op("@@")(sa.func.to_tsquery(simple, query))


def _holding(terms: list[str], indexed: bool) -> sa.ColumnElement[bool]:
    """Search documents holding every term as the start of a word: found through
    PostgreSQL's index, or by scanning."""
    if indexed:
        return ts_match(tsquery(terms))
    padded = sa.literal(" ") + S.c.content
    return sa.and_(*(padded.like(f"% {term}%") for term in terms))


def _scanned(
    conn: Connection, terms: list[str], ids: IdSelect, limit: int, indexed: bool = False
) -> list[Hit]:
    """Search without FTS5: documents holding every term (as the start of a word), found
    through PostgreSQL's full-text index (`indexed`) or by scanning, ranked by BM25
    computed here as FTS5 computes it."""
    query = select(S.c.rec_id, S.c.content).where(S.c.rec_id.in_(ids), _holding(terms, indexed))
    documents = {rec_id: content.split() for rec_id, content in conn.execute(query)}
    words = sa.func.length(S.c.content) - sa.func.length(sa.func.replace(S.c.content, " ", "")) + 1
    total, average = conn.execute(select(sa.func.count(), sa.func.avg(words))).one()
    df = {
        t: conn.execute(
            select(sa.func.count()).select_from(S).where(_holding([t], indexed))
        ).scalar_one()
        for t in terms
    }
    hits = bm25(documents, terms, df, total, float(average or 1.0))
    hits.sort(key=lambda h: (-h.score, h.rec_id))
    return hits[:limit]


def search(session: Session, query: str, filters: RecFilter, limit: int = 20) -> list[Hit]:
    """The recommendations the filters select whose words match every word of the query
    (each as the start of a word), best first."""
    if limit < 1:
        raise BadValue("--limit must be 1 or more")
    terms = query_terms(query)
    refresh(session)
    ids = filtered_ids(session, filters)
    conn = session.connection()
    index = index_of(conn)
    if index == "fts5":
        return _indexed(conn, terms, ids, limit)
    return _scanned(conn, terms, ids, limit, indexed=index == "tsvector")


def found_rows(session: Session, scored: Sequence[tuple[int, float]]) -> list[dict[str, Any]]:
    """Rows of scored recommendations, in the order given: key, body, date, score, status
    today (NGO), text, and `summary_text` (the summary, else the text)."""
    import datetime as dt

    from rectrack.services.status import rows_at

    ids = [rec_id for rec_id, _ in scored]
    query = select(R.c.id, R.c.key).where(R.c.id.in_(ids))
    key_of = {rec_id: key for rec_id, key in session.connection().execute(query)}
    by_key = {
        row["key"]: row
        for row in rows_at(session, select(R.c.id).where(R.c.id.in_(ids)), dt.date.today(), "ngo")
    }
    out = []
    for rec_id, score in scored:
        row = by_key[key_of[rec_id]]
        out.append(
            {
                "key": row["key"],
                "body": row["body"],
                "date": row["date"],
                "score": round(score, 3),
                "status": row["status"],
                "text": row["text"],
                "summary_text": row["text"] if len(row["text"]) <= 200 else row["summary"],
            }
        )
    return out
