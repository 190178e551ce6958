"""Finding things by what people type: recommendations by key, documents by symbol, actions
and evidence by short id (`A12`, `E7`), themes and institutions by name; and reading the
values linked to many owners at once. Shared by the use cases, which never import each
other's private names.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, Text, any_, bindparam, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import Executable
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.errors import BadValue, NearName, NotFound
from rectrack.models import (
    Action,
    AffectedGroup,
    Cluster,
    ClusterMember,
    Document,
    Evidence,
    Institution,
    Recommendation,
    RecommendationAffected,
    RecommendationInstitution,
    RecommendationRecommending,
    RecommendationSdg,
    RecommendationTheme,
    RecommendingState,
    SdgTarget,
    Theme,
)
from rectrack.shapes import NewNames

T = TypeVar("T")
M = TypeVar("M", Action, Evidence)
# A SELECT of recommendation ids, the way filters and look-ups hand a set of them around.
IdSelect = Select[Any]

_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=1 << 18)
def natural_key(text: str) -> tuple[Any, ...]:
    """Sort `CEDAW-2019-9` before `CEDAW-2019-10`."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(text))


# ---------------------------------------------------------------------------------------
# Recommendations and documents


def find_recommendation(session: Session, key: str, removed: bool = False) -> Recommendation | None:
    """The recommendation with this key, compared without regard to case, or None; one
    removed by `rm` only with `removed` (its key stays taken)."""
    wanted = key.strip().lower()
    query = select(Recommendation).where(func.lower(Recommendation.key) == wanted)
    if not removed:
        query = query.where(col(Recommendation.deleted_at).is_(None))
    return session.exec(query).first()


def _closest_keys(session: Session, key: str) -> str:
    keys = session.exec(
        select(Recommendation.key).where(col(Recommendation.deleted_at).is_(None))
    ).all()
    near = domain.closest(key, keys, n=3, cutoff=0.5)
    return f"; closest keys: {', '.join(near)}" if near else ""


def _missing(session: Session, key: str) -> str:
    """Why there is no recommendation `key`: removed (and how to bring it back), or none
    such (and the closest keys)."""
    removed = find_recommendation(session, key, removed=True)
    if removed is not None and removed.deleted_at is not None:
        when = removed.deleted_at.strftime("%Y-%m-%d")
        by = f" by {removed.deleted_by}" if removed.deleted_by else ""
        return (
            f"{removed.key} was removed on {when}{by} (`rectrack restore {removed.key}` "
            "brings it back)"
        )
    return f"no recommendation {key}{_closest_keys(session, key)}"


def get_recommendation(session: Session, key: str) -> Recommendation:
    """The recommendation with this key (case-insensitive), or NotFound with close keys."""
    if not key.strip():
        raise BadValue("give a recommendation key, such as CEDAW-2019-24b")
    rec = find_recommendation(session, key)
    if rec is None:
        raise NotFound(_missing(session, key))
    return rec


def get_recommendations(session: Session, keys: Iterable[str]) -> list[Recommendation]:
    """All the named recommendations, each once, or NotFound naming every unknown key."""
    found: list[Recommendation] = []
    missing: list[str] = []
    for key in keys:
        rec = find_recommendation(session, key)
        if rec is None:
            missing.append(key)
        elif rec not in found:
            found.append(rec)
    if len(missing) == 1:
        raise NotFound(_missing(session, missing[0]))
    if missing:
        raise NotFound(f"no recommendations {', '.join(missing)}")
    return found


class RecFacts(NamedTuple):
    """What the rules about a recommendation need of it, without loading it whole."""

    id: int
    key: str
    date: str | None
    body_id: int


KEYS_AT_ONCE = 500  # keys looked up in one statement, well under any driver's limit


def recommendation_facts(session: Session, keys: Iterable[str]) -> dict[str, RecFacts]:
    """The recommendations with these keys (not removed), by folded key, read a few
    hundred keys to a statement."""
    folded = sorted({k.strip().lower() for k in keys})
    found: dict[str, RecFacts] = {}
    rec = Recommendation
    for start in range(0, len(folded), KEYS_AT_ONCE):
        part = folded[start : start + KEYS_AT_ONCE]
        query = select(rec.id, rec.key, rec.date, rec.body_id).where(
            func.lower(rec.key).in_(part), col(rec.deleted_at).is_(None)
        )
        for row in session.exec(query):
            facts = RecFacts(*row)
            found[facts.key.lower()] = facts
    return found


def ids_of_keys(keys: Iterable[str], dialect: str = "sqlite") -> IdSelect:
    """A SELECT of the ids of the recommendations with these keys (any case). On
    PostgreSQL (`dialect`) the keys go as one array: thousands of parameters, one a key,
    cost its driver more than the query."""
    folded = sorted({k.strip().lower() for k in keys})
    lowered = func.lower(Recommendation.key)
    if dialect == "postgresql":
        found = lowered == any_(bindparam("keys", folded, type_=ARRAY(Text)))
    else:
        found = lowered.in_(folded)
    return select(col(Recommendation.id)).where(found, col(Recommendation.deleted_at).is_(None))


def find_document(session: Session, symbol: str) -> Document | None:
    """The document with this symbol, compared without regard to case, or None."""
    wanted = symbol.strip().lower()
    return session.exec(select(Document).where(func.lower(Document.symbol) == wanted)).first()


def get_document(session: Session, symbol: str) -> Document:
    """The document with this symbol, or BadValue with the closest symbols."""
    doc = find_document(session, symbol)
    if doc is None:
        symbols = session.exec(select(Document.symbol)).all()
        near = domain.closest(symbol, symbols, n=3, cutoff=0.4)
        hint = f"; did you mean: {', '.join(near)}" if near else ""
        raise BadValue(f"no document '{symbol}'{hint}")
    return doc


# ---------------------------------------------------------------------------------------
# Actions and evidence by short id


def action_id(number: int) -> str:
    """`A12` for action 12."""
    return domain.short_id("A", number)


def assessment_id(number: int) -> str:
    """`S12` for assessment 12 (S for status)."""
    return domain.short_id("S", number)


def evidence_id(number: int) -> str:
    """`E7` for evidence 7."""
    return domain.short_id("E", number)


def _by_short_id(session: Session, model: type[M], ident: str, prefix: str, what: str) -> M:
    number = domain.parse_short_id(ident, prefix, what)
    found = session.get(model, number)
    if found is None:
        raise NotFound(f"no {what} {domain.short_id(prefix, number)}")
    return found


def tracked(
    session: Session,
    model: type[M],
    link_item: Any,
    link_rec: Any,
    recs: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> list[M]:
    """Actions or evidence, the oldest first (undated ones first of all); only those linked
    to one of the recommendations `recs` through the link table, or of one of `kinds`, when
    given."""
    q = select(model)
    if recs:
        rec_ids = [r.id for r in get_recommendations(session, recs)]
        q = q.where(col(model.id).in_(select(link_item).where(link_rec.in_(rec_ids))))
    if kinds:
        valid, what = (
            (domain.ACTION_KINDS, "kind of action")
            if model is Action
            else (domain.EVIDENCE_KINDS, "kind of evidence")
        )
        q = q.where(col(model.kind).in_([domain.choice(k, valid, what) for k in kinds]))
    undated_last = col(model.date).is_(None)
    return list(session.exec(q.order_by(undated_last, col(model.date), col(model.id))))


def get_action(session: Session, ident: str) -> Action:
    """The action with this id (`A12`, `a12` or `12`), or NotFound."""
    return _by_short_id(session, Action, ident, "A", "action")


def get_evidence(session: Session, ident: str) -> Evidence:
    """The evidence with this id (`E7`, `e7` or `7`), or NotFound."""
    return _by_short_id(session, Evidence, ident, "E", "evidence")


# ---------------------------------------------------------------------------------------
# Themes and institutions by name

Named = (
    type[Theme]
    | type[Cluster]
    | type[Institution]
    | type[AffectedGroup]
    | type[SdgTarget]
    | type[RecommendingState]
)


@dataclass(frozen=True)
class Names:
    """Named things linked to recommendations many to many: themes, institutions, affected
    persons, SDG targets, recommending states. `field` is their list in a row."""

    what: str  # "theme"
    model: Any
    link: Any
    fk: str  # the link table's column naming the theme or institution
    field: str  # "themes"

    @property
    def fk_column(self) -> Any:
        return getattr(self.link, self.fk)


THEMES = Names("theme", Theme, RecommendationTheme, "theme_id", "themes")
INSTITUTIONS = Names(
    "institution", Institution, RecommendationInstitution, "institution_id", "institutions"
)
AFFECTED = Names(
    "affected group", AffectedGroup, RecommendationAffected, "affected_group_id", "affected"
)
SDGS = Names("SDG target", SdgTarget, RecommendationSdg, "sdg_target_id", "sdgs")
RECOMMENDING = Names(
    "recommending state",
    RecommendingState,
    RecommendationRecommending,
    "recommending_state_id",
    "recommending",
)
ALL_NAMES = (THEMES, INSTITUTIONS, RECOMMENDING, AFFECTED, SDGS)
# Clusters are named and linked alike, but made by people (`rectrack cluster`), never by a
# recommendation's own fields: they are not among ALL_NAMES.
CLUSTERS = Names("cluster", Cluster, ClusterMember, "cluster_id", "clusters")


def find_named(session: Session, model: Named, name: str) -> Any:
    """The theme, institution, recommending state, affected group or SDG target with this
    name, compared without regard to case."""
    wanted = " ".join(name.split()).lower()
    return session.exec(select(model).where(func.lower(model.name) == wanted)).first()


def near_name(name: str, recorded: Iterable[str]) -> str | None:
    """A recorded name that `name` is likely a misspelling of."""
    by_folded = {r.casefold(): r for r in recorded}
    found = difflib.get_close_matches(name.casefold(), list(by_folded), n=1, cutoff=0.8)
    return by_folded[found[0]] if found else None


def named_ids(
    session: Session,
    names: Names,
    values: Iterable[str],
    create: bool,
    new: NewNames | None = None,
) -> list[int]:
    """Ids of themes or institutions by name (case-insensitive), each once. A missing one is
    left out, or with `create` recorded (and noted, see `created_names`) unless it looks
    like one on record: that is refused with NearName, unless `new` allows it."""
    ids: list[int] = []
    for raw in values:
        name = " ".join(raw.split())
        if not name:
            continue
        row = find_named(session, names.model, name)
        if row is None:
            if not create:
                continue
            allowed = new is not None and new.allows(names.what, name)
            near = None if allowed else near_name(name, session.exec(select(names.model.name)))
            if near is not None:
                raise NearName(names.what, name, near)
            row = names.model(name=name)
            session.add(row)
            session.flush()
            session.info.setdefault(CREATED, []).append((names.what, name))
        assert row.id is not None
        if row.id not in ids:
            ids.append(row.id)
    return ids


# Where a session keeps the themes and institutions it recorded, for the command to report.
CREATED = "rectrack.created_names"


def created_names(session: Session) -> list[tuple[str, str]]:
    """(kind, name) of each theme and institution this session recorded: `("theme",
    "labour inspection")`."""
    created: list[tuple[str, str]] = session.info.get(CREATED, [])
    return created


def get_named_id(session: Session, model: Named, name: str, what: str) -> int:
    """The id of the theme or institution with this name, or BadValue with close names."""
    row = find_named(session, model, name)
    if row is None or row.id is None:
        names = session.exec(select(model.name)).all()
        near = domain.closest(name, names, n=3, cutoff=0.6)
        hint = f"; did you mean: {', '.join(near)}" if near else ""
        raise BadValue(f"no {what} '{name}'{hint}")
    return row.id


# ---------------------------------------------------------------------------------------
# Linked values by owner


def grouped(
    session: Session,
    statement: Executable,
    label: Callable[[Any], T] = lambda v: v,
    sort: Callable[[T], Any] | None = None,
) -> dict[Any, list[T]]:
    """The values of a SELECT of (owner, value) pairs, as lists by owner: the themes of each
    recommendation, the keys each action is linked to. `label` turns a value into what is
    shown (an id into `A12`); `sort` orders each list (else the SELECT's order stands)."""
    out: dict[Any, list[T]] = defaultdict(list)
    seen: dict[Any, T] = {}  # each value labelled, and held, once
    for owner, value in session.connection().execute(statement).fetchall():
        shown = seen.get(value)
        if shown is None:
            shown = seen[value] = label(value)
        out[owner].append(shown)
    if sort is not None:
        for values in out.values():
            if len(values) > 1:
                values.sort(key=sort)
    return out


def linked(
    session: Session,
    owner: Any,
    other: Any,
    owners: IdSelect | Sequence[int | None],
    label: Callable[[Any], T] = lambda v: v,
) -> dict[Any, list[T]]:
    """Through one link table: the `other` ids linked to each owner, in their order (the
    evidence of each action: `linked(s, EvidenceAction.action_id, EvidenceAction.evidence_id,
    ids, evidence_id)`)."""
    statement = select(owner, other).where(col(owner).in_(owners)).order_by(col(other))
    return grouped(session, statement, label=label)


def keys_by_owner(
    session: Session, owner: Any, link_rec: Any, owners: Sequence[int | None]
) -> dict[int, list[str]]:
    """The recommendation keys linked to each owner (an action, a piece of evidence) through
    a link table, in natural key order; `link_rec` is its recommendation column."""
    return grouped(
        session,
        select(owner, Recommendation.key)
        .join(Recommendation, col(Recommendation.id) == link_rec)
        .where(col(owner).in_(owners)),
        sort=natural_key,
    )
