"""Recommendations alike in substance: `similar` and the groups `cluster suggest` proposes.

Each recommendation is a vector of its stems and themes weighted by TF-IDF (a word that few
recommendations use weighs more), and two are alike by the cosine of their vectors. Offline,
with no model to download; English and Serbian alike, as `rectrack.words` folds both.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import select
from sqlmodel import Session

from rectrack import domain, words
from rectrack.errors import BadValue
from rectrack.models import (
    ClusterMember,
    ClusterSuggestion,
    Recommendation,
    SearchDocument,
    table_of,
    utcnow,
)
from rectrack.services.bulk import insert_many
from rectrack.services.filters import filtered_ids
from rectrack.services.lookup import THEMES, get_recommendation, natural_key
from rectrack.services.search import index_of, refresh, ts_match, tsquery
from rectrack.shapes import RecFilter

R = table_of(Recommendation)
S = table_of(SearchDocument)
Vector = dict[str, float]
CANDIDATES = 400  # recommendations compared in full with one, found through the index
QUERY_TERMS = 30  # of a recommendation's words, the rarest asked of the index


@dataclass
class Doc:
    rec_id: int
    body_id: int
    document_id: int | None
    features: list[str]  # stems, and "#theme" for each theme


@dataclass
class Similar:
    rec_id: int
    score: float


def _docs(session: Session, ids: sa.Select | Sequence[int]) -> dict[int, Doc]:
    """Recommendations as what they are about: the stems of their text and summary, and
    their themes (not their keys, documents, notes or clusters, which say where and by
    whom rather than what)."""
    conn = session.connection()
    query = select(R.c.id, R.c.body_id, R.c.document_id, R.c.text, R.c.summary).where(
        R.c.id.in_(ids), R.c.deleted_at.is_(None)
    )
    docs = {
        rec_id: Doc(rec_id, body_id, document_id, words.terms(f"{text}\n{summary or ''}"))
        for rec_id, body_id, document_id, text, summary in conn.execute(query)
    }
    link, theme = table_of(THEMES.link), table_of(THEMES.model)
    themes = (
        select(link.c.recommendation_id, theme.c.name)
        .join(theme, theme.c.id == link.c[THEMES.fk])
        .where(link.c.recommendation_id.in_(ids))
    )
    for rec_id, name in conn.execute(themes):
        if rec_id in docs:
            docs[rec_id].features.append("#" + words.fold(name))
    return docs


def _idf(df: int, total: int) -> float:
    return math.log((1 + total) / (1 + df)) + 1.0


THEME_WEIGHT = 2.0  # a theme, chosen by a person, says more than a word of the text


def vector(features: Iterable[str], df: dict[str, int], total: int) -> Vector:
    """The TF-IDF vector of a recommendation's features, of length one."""
    counts = Counter(features)
    weights = {
        f: (1 + math.log(n)) * _idf(df.get(f, 0), total) * (THEME_WEIGHT if f[0] == "#" else 1)
        for f, n in counts.items()
    }
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {f: w / norm for f, w in weights.items()}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(f, 0.0) for f, w in a.items())


def _frequencies(docs: Iterable[Doc]) -> Counter[str]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc.features))
    return df


# ---------------------------------------------------------------------------------------
# similar


def _candidates(session: Session, target: Doc, df: dict[str, int]) -> list[int] | None:
    """The recommendations sharing the target's rarest words, through the index (None
    without one: then every recommendation is a candidate). FTS5 gives the best of them
    by BM25, PostgreSQL every one."""
    conn = session.connection()
    index = index_of(conn)
    if index is None:
        return None
    stems = sorted(
        {f for f in target.features if not f.startswith("#")}, key=lambda f: (df.get(f, 0), f)
    )[:QUERY_TERMS]
    if not stems:
        return []
    if index == "tsvector":
        query = select(S.c.rec_id).where(ts_match(tsquery(stems, prefix=False, joiner=" | ")))
        return list(conn.execute(query).scalars())
    match = " OR ".join(f'"{s}"' for s in stems)
    rows = conn.exec_driver_sql(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(search_fts) LIMIT ?",
        (match, CANDIDATES),
    )
    return [rowid for (rowid,) in rows]


def _document_frequencies(session: Session, features: Iterable[str]) -> tuple[dict[str, int], int]:
    """How many recommendations' search documents hold each feature (a theme: how many
    have it), and how many there are: the same counts with or without the full-text
    index (whose vocabulary has them ready)."""
    conn = session.connection()
    total = conn.execute(select(sa.func.count()).select_from(S)).scalar_one()
    features = set(features)
    stems = [f for f in features if not f.startswith("#")]
    df: dict[str, int] = {}
    if index_of(conn) == "fts5":
        for start in range(0, len(stems), 500):
            batch = stems[start : start + 500]
            marks = ", ".join("?" * len(batch))
            rows = conn.exec_driver_sql(
                f"SELECT term, doc FROM search_vocab WHERE term IN ({marks})", tuple(batch)
            )
            df.update({term: n for term, n in rows})
    else:
        wanted = set(stems)
        for (content,) in conn.execute(select(S.c.content)):
            for stem in set(content.split()) & wanted:
                df[stem] = df.get(stem, 0) + 1
    link, theme = table_of(THEMES.link), table_of(THEMES.model)
    counts = (
        select(theme.c.name, sa.func.count())
        .join(link, link.c[THEMES.fk] == theme.c.id)
        .group_by(theme.c.name)
    )
    for name, n in conn.execute(counts):
        df["#" + words.fold(name)] = df.get("#" + words.fold(name), 0) + n
    return df, total


def _sharing_a_theme(session: Session, rec_id: int) -> list[int]:
    """The recommendations that share a theme with this one (alike by their themes even
    when their words differ)."""
    link = table_of(THEMES.link)
    mine = select(link.c[THEMES.fk]).where(link.c.recommendation_id == rec_id)
    query = select(link.c.recommendation_id).where(link.c[THEMES.fk].in_(mine)).distinct()
    return list(session.connection().execute(query).scalars())


def similar(
    session: Session, key: str, limit: int = 10, other_bodies: bool = False
) -> tuple[int, list[Similar]]:
    """The recommendations most alike the one with this key, best first, with their
    cosine (0 to 1); `other_bodies`: only those of other bodies. Returns the key's id too."""
    if limit < 1:
        raise BadValue("--limit must be 1 or more")
    rec = get_recommendation(session, key)
    assert rec.id is not None
    refresh(session)
    target = _docs(session, [rec.id])[rec.id]
    df, _ = _document_frequencies(session, target.features)
    candidates = _candidates(session, target, df)
    if candidates is not None:
        candidates += _sharing_a_theme(session, rec.id)
    others = _docs(session, candidates if candidates is not None else select(R.c.id))
    df, total = _document_frequencies(
        session, {f for d in (target, *others.values()) for f in d.features}
    )
    mine = vector(target.features, df, total)
    found = []
    for doc in others.values():
        if doc.rec_id == rec.id or (other_bodies and doc.body_id == rec.body_id):
            continue
        score = cosine(mine, vector(doc.features, df, total))
        if score > 0:
            found.append(Similar(doc.rec_id, score))
    found.sort(key=lambda s: (-s.score, s.rec_id))
    return rec.id, found[:limit]


# ---------------------------------------------------------------------------------------
# cluster suggest


@dataclass
class Suggestion:
    number: int
    score: float
    rec_ids: list[int]


def _pairs(
    docs: dict[int, Doc], min_score: float, df: dict[str, int], total: int
) -> dict[tuple[int, int], float]:
    """The pairs of recommendations of different documents (different bodies, or cycles
    of one body) whose cosine reaches `min_score`, through an inverted index of their
    features, weighted by how rare each is in the whole register (`df`, `total`).
    Features that most of these recommendations share say little and are left out of the
    index (they still count in each cosine)."""
    here = _frequencies(docs.values())
    vectors = {i: vector(d.features, df, total) for i, d in docs.items()}
    cap = max(12, int(len(docs) * 0.02))
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for rec_id, vec in vectors.items():
        for feature, weight in vec.items():
            if here[feature] <= cap:
                postings[feature].append((rec_id, weight))
    partial: dict[tuple[int, int], float] = defaultdict(float)
    for entries in postings.values():
        if len(entries) < 2:
            continue
        for i, (a, wa) in enumerate(entries):
            for b, wb in entries[i + 1 :]:
                partial[(a, b) if a < b else (b, a)] += wa * wb
    pairs = {}
    for (a, b), part in partial.items():
        da, db = docs[a], docs[b]
        if da.document_id == db.document_id and da.body_id == db.body_id:
            continue  # the same report: not a demand coming back
        if part < min_score / 3:
            continue
        score = cosine(vectors[a], vectors[b])
        if score >= min_score:
            pairs[(a, b)] = score
    return pairs


def _groups(pairs: dict[tuple[int, int], float], min_score: float) -> list[tuple[float, set[int]]]:
    """Groups joined from the closest pairs down, two groups only when on average their
    members are alike enough (average linkage)."""
    group_of: dict[int, int] = {}
    members: dict[int, set[int]] = {}
    for (a, b), _ in sorted(pairs.items(), key=lambda p: (-p[1], p[0])):
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is not None and ga == gb:
            continue
        left = members[ga] if ga is not None else {a}
        right = members[gb] if gb is not None else {b}
        average = sum(pairs.get((x, y) if x < y else (y, x), 0.0) for x in left for y in right)
        if average / (len(left) * len(right)) < min_score:
            continue
        merged = left | right
        number = min(merged)
        for g in (ga, gb):
            if g is not None:
                members.pop(g, None)
        members[number] = merged
        for rec_id in merged:
            group_of[rec_id] = number
    out = []
    for group in members.values():
        ids = sorted(group)
        links = [pairs.get((x, y), 0.0) for i, x in enumerate(ids) for y in ids[i + 1 :]]
        out.append((sum(links) / len(links), group))
    return out


def suggest(
    session: Session, filters: RecFilter, min_score: float = 0.3, limit: int = 20
) -> list[Suggestion]:
    """Groups of alike recommendations across documents (bodies and cycles), best first,
    for a person to accept; groups already recorded as a cluster are left out. The
    suggestions are kept, numbered, for `cluster add NAME --suggestion N`."""
    if not 0 < min_score <= 1:
        raise BadValue("--min-score must be more than 0 and at most 1")
    if limit < 1:
        raise BadValue("--limit must be 1 or more")
    refresh(session)
    docs = _docs(session, filtered_ids(session, filters))
    df, total = _document_frequencies(session, {f for d in docs.values() for f in d.features})
    groups = _groups(_pairs(docs, min_score, df, total), min_score)
    conn = session.connection()
    cm = table_of(ClusterMember)
    clustered: dict[int, set[int]] = defaultdict(set)
    for cluster_id, rec_id in conn.execute(select(cm.c.cluster_id, cm.c.recommendation_id)):
        clustered[cluster_id].add(rec_id)
    fresh = [
        (score, group)
        for score, group in groups
        if not any(group <= members for members in clustered.values())
    ]
    fresh.sort(key=lambda g: (-len({docs[i].body_id for i in g[1]}), -g[0], min(g[1])))
    keys = dict(conn.execute(select(R.c.id, R.c.key).where(R.c.id.in_(list(docs)))).all())
    suggestions = [
        Suggestion(n, score, sorted(group, key=lambda i: natural_key(keys[i])))
        for n, (score, group) in enumerate(fresh[:limit], start=1)
    ]
    table = table_of(ClusterSuggestion)
    conn.execute(sa.delete(table))
    now = utcnow()
    insert_many(
        conn,
        table,
        [
            {
                "number": s.number,
                "score": s.score,
                "keys": "\n".join(keys[i] for i in s.rec_ids),
                "made_at": now,
            }
            for s in suggestions
        ],
    )
    return suggestions


def suggested_keys(session: Session, number: int) -> list[str]:
    """The keys of suggestion `number` of the last `cluster suggest`."""
    row = session.get(ClusterSuggestion, number)
    if row is None:
        count_query = sa.select(sa.func.count()).select_from(table_of(ClusterSuggestion))
        count = session.connection().execute(count_query).scalar_one()
        hint = (
            f"the last `cluster suggest` made {domain.plural(count, 'suggestion')}"
            if count
            else "run `rectrack cluster suggest` first"
        )
        raise BadValue(f"no suggestion {number}: {hint}")
    return row.keys.splitlines()


def suggestion_rows(session: Session, found: Sequence[Suggestion]) -> list[dict[str, object]]:
    """The suggestions as `cluster suggest` shows them: number, score, bodies, keys, and
    each recommendation's key, date and summary."""
    from rectrack.models import Body

    ids = [i for s in found for i in s.rec_ids]
    b = table_of(Body)
    query = (
        select(R.c.id, R.c.key, R.c.date, R.c.summary, R.c.text, b.c.code)
        .join(b, b.c.id == R.c.body_id)
        .where(R.c.id.in_(ids))
    )
    recs = {row.id: row for row in session.connection().execute(query)}
    out: list[dict[str, object]] = []
    for s in found:
        items = [
            {
                "key": recs[i].key,
                "date": recs[i].date,
                "summary": recs[i].summary or recs[i].text,
            }
            for i in s.rec_ids
        ]
        out.append(
            {
                "number": s.number,
                "score": round(s.score, 3),
                "bodies": sorted({recs[i].code for i in s.rec_ids}),
                "keys": [item["key"] for item in items],
                "items": items,
            }
        )
    return out


def pairs_of(
    groups: Iterable[Iterable[str]], document_of: dict[str, str | None]
) -> set[frozenset[str]]:
    """The pairs of keys grouped together whose documents differ (the pairs that make a
    demand recurring)."""
    pairs = set()
    for group in groups:
        keys = sorted(set(group))
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if document_of.get(a) != document_of.get(b) or document_of.get(a) is None:
                    pairs.add(frozenset((a, b)))
    return pairs


def precision_recall(
    found: Iterable[Iterable[str]],
    gold: Iterable[Iterable[str]],
    document_of: dict[str, str | None],
) -> tuple[float, float]:
    """How good suggested groups are against groups made by hand: the share of suggested
    pairs that are right (precision) and of right pairs that were suggested (recall)."""
    mine, right = pairs_of(found, document_of), pairs_of(gold, document_of)
    hits = len(mine & right)
    return (hits / len(mine) if mine else 0.0), (hits / len(right) if right else 0.0)
