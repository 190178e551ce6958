"""Loading many recommendations at once: exports of UPR Info and the Universal Human Rights
Index, tables an organisation keeps, and data sets.

Rows stream in and are handled a chunk at a time: each chunk's bodies, documents, names and
recommendations already on record are found with a few set-based queries, and its new rows
are written with one statement per table. Everything happens in the caller's transaction:
when any row is bad (and bad rows are not to be skipped) the caller rolls back and nothing
is kept.

A row is the same recommendation as one on record only by its natural key: its key when it
gives one; else the source's own id; else (document, paragraph); else (document,
recommending states, text). Keys of new recommendations are given at the end, numbered in
an order that follows from the rows' content, so that the same rows in another order give
the same keys.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, text, update
from sqlmodel import Session

from rectrack import domain, resources
from rectrack.dates import PartialDate, not_before, not_in_future, not_too_far, parse_date
from rectrack.errors import BadValue
from rectrack.io.records import SourceRow
from rectrack.models import (
    Assessment,
    AssessmentWithdrawal,
    Body,
    Document,
    Recommendation,
    table_of,
    utcnow,
)
from rectrack.services.fields import DUE, DUE_AFTER, ISSUED, PUBLISHED, SEEN_AFTER
from rectrack.services.lookup import ALL_NAMES, INSTITUTIONS, THEMES, Names, natural_key, near_name
from rectrack.settings import current_user
from rectrack.shapes import Change, NewNames

CHUNK = 1000  # rows resolved and written together
IN_BATCH = 500  # values in one IN (...) list
PROBLEMS_SHOWN = 50  # problems listed before "and N more"
KEYS_KEPT = 20  # keys of added recommendations a report names
PROVISIONAL = "~"  # keys start with it until the final keys are given (never a valid key)

R = table_of(Recommendation)
D = table_of(Document)
B = table_of(Body)
A = table_of(Assessment)

# Scalar fields a row may give, compared with (and written over) a recommendation on record.
SCALARS = ("text", "summary", "paragraph", "date", "country", "priority", "response", "due")
SCALARS_AND_CATEGORY = (*SCALARS, "category")
SEEN = "a status is of a situation that has been seen"


@dataclass
class BulkOptions:
    """How to load: `source` names the file in messages and in each recommendation's
    origin; `columns` gives the file's column for each field, for messages."""

    source: str
    columns: Mapping[str, str] = field(default_factory=dict)
    country: str | None = None  # only rows about this state (a name or an ISO 3166 code)
    merge_duplicates: bool = False
    skip_bad: bool = False
    create_bodies: bool = False  # an unknown body is recorded (UHRI), not refused
    perspective: str = "ngo"  # of statuses
    assessor: str | None = None
    new_names: NewNames = field(default_factory=NewNames)
    status_date: str | None = None  # of a status without its own date (default: today)
    record_source: bool = True  # keep the file and row of each recommendation
    where: Callable[[int], str] | None = None  # the place of a row, if not FILE:LINE
    on_chunk: Callable[[int], None] | None = None  # told how many rows were read so far


@dataclass
class Rejected:
    """A row left out (`--skip-bad`): where it is, its values, and why."""

    line: int
    raw: list[Any]
    reasons: list[str]


@dataclass
class BulkReport:
    """What a bulk load did (or, in a dry run, would do)."""

    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    repeated: int = 0  # rows that repeat an earlier row of the file
    merged: int = 0  # possible duplicates merged into the recommendation they repeat
    outside: int = 0  # rows about other states (--country)
    removed: int = 0  # rows that are recommendations removed with `rm` (left alone)
    assessments: int = 0
    documents_added: int = 0
    bodies_added: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    names_added: dict[str, int] = field(default_factory=dict)  # by kind ("theme")
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (new key, key on record)
    changes: list[tuple[str, list[Change]]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the first KEYS_KEPT added, in order
    columns: list[str] = field(default_factory=list)  # of the file, for a file of rejects
    other_countries: set[str] = field(default_factory=set)  # seen, with --country (some)

    @property
    def possible_duplicates(self) -> int:
        return len(self.duplicates)


# ---------------------------------------------------------------------------------------
# Reading a row's values


def _now() -> dt.datetime:
    """The time of a write (UTC)."""
    return utcnow()


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> PartialDate:
    return parse_date(text)


@functools.lru_cache(maxsize=256)
def _choice(value: str, valid: tuple[str, ...], what: str) -> str:
    return domain.choice(value, valid, what)


# Names (themes, states...) repeat on many rows: folded once each.
_fold_name = functools.lru_cache(maxsize=65536)(domain.fold)


def _in_batches(values: Iterable[Any], size: int = IN_BATCH) -> Iterator[list[Any]]:
    it = iter(values)
    while batch := list(islice(it, size)):
        yield batch


def _digest(*parts: Any) -> int:
    """A fingerprint of a natural key, kept for every row of a file (so small): 64 bits,
    which two different keys among millions share with a chance of about one in 10^7."""
    return hash(parts)


@functools.lru_cache(maxsize=65536)
def _clean_name(name: str) -> str:
    return " ".join(name.split())


def insert_many(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys) with one executemany, past the work
    SQLAlchemy does for each row: each value is made ready for the driver by its column's
    own type, once."""
    if not rows:
        return
    keys = list(rows[0])
    processors = {
        k: table.c[k].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for k in keys
    }
    ready = {k: f for k, f in processors.items() if f is not None}
    if ready:
        rows = [{**r, **{k: f(r[k]) for k, f in ready.items()}} for r in rows]
    execute_many(conn, insert(table), rows, keys)


def execute_many(
    conn: Connection, statement: Any, rows: list[dict[str, Any]], keys: list[str] | None = None
) -> None:
    """Run a statement once for each row of plain values (already what the driver takes),
    as one executemany of the driver."""
    if not rows:
        return
    compiled = statement.compile(dialect=conn.dialect, column_keys=keys)
    order = compiled.positiontup
    params: Any = [tuple(r[k] for k in order) for r in rows] if order else rows
    conn.exec_driver_sql(compiled.string, params)


@dataclass
class _Row:
    """A row made ready to load: its values as stored, and what it resolves to."""

    source: SourceRow
    values: dict[str, Any]
    body_id: int = 0
    document_id: int | None = None
    folded: str = ""
    names: dict[str, list[str]] = field(default_factory=dict)  # by Names.field, cleaned
    problems: list[str] = field(default_factory=list)


def _parse_values(row: SourceRow, today: dt.date) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The scalar values of a row as stored, and its problems as (field, reason)."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {"text": row.text, "category": row.category}

    def read(name: str, raw: str | None, parse: Callable[[str], str]) -> str | None:
        if raw is None or not str(raw).strip():
            return None
        try:
            return parse(str(raw))
        except (BadValue, ValueError) as e:
            problems.append((name, str(e)))
            return None

    values["date"] = read("date", row.date, lambda t: not_in_future(_date(t), ISSUED, today).iso)
    values["due"] = read("due", row.due, lambda t: not_too_far(_date(t), DUE, today).iso)
    values["priority"] = read(
        "priority", row.priority, lambda t: _choice(t, domain.PRIORITIES, "priority")
    )
    values["response"] = read(
        "response", row.response, lambda t: _choice(t, domain.RESPONSES, "response")
    )
    for name in ("country", "paragraph", "summary"):
        values[name] = domain.optional_text(getattr(row, name))
    if row.key is not None and row.key.strip():
        values["key"] = read("key", row.key, domain.check_key)
    values["status_date"] = read(
        "status_date", row.status_date, lambda t: not_in_future(_date(t), SEEN, today).iso
    )
    issued = values["date"]
    if issued and values["due"]:
        read("due", values["due"], lambda t: not_before(_date(t), issued, DUE_AFTER).iso)
    if issued and values["status_date"]:
        after = SEEN_AFTER.replace("{key}", "the recommendation")
        read(
            "status_date", values["status_date"], lambda t: not_before(_date(t), issued, after).iso
        )
    if not row.text.strip():
        problems.append(("text", "the row has no text"))
    return values, problems


# ---------------------------------------------------------------------------------------
# Bodies


class _Bodies:
    """Bodies by code, name or a common longer form of the name; unknown ones recorded
    when the options allow it."""

    def __init__(self, conn: Connection, report: BulkReport, create: bool):
        self.conn, self.report, self.create = conn, report, create
        self.by_name: dict[str, int] = {}
        self.codes: dict[int, str] = {}
        for body_id, code, name in conn.execute(select(B.c.id, B.c.code, B.c.name)):
            self._remember(body_id, code, name)

    def _remember(self, body_id: int, code: str, name: str) -> None:
        self.codes[body_id] = code
        folded = _fold_name(name)
        parts = [p.strip() for p in folded.split(",")]  # `..., universal periodic review`
        aliases = (code, folded, folded.removeprefix("un "), _without_article(folded), *parts)
        for alias in aliases:
            if alias:
                self.by_name.setdefault(_fold_name(alias), body_id)

    def find(self, given: str) -> int | None:
        folded = _fold_name(given)
        found = self.by_name.get(folded) or self.by_name.get(_without_article(folded))
        if found is None and self.create:
            found = self._record(_clean_name(given))
        return found

    def known(self) -> str:
        return ", ".join(sorted(self.codes.values()))

    def _record(self, name: str) -> int:
        code = _code_for(name, {c.upper() for c in self.codes.values()})
        body_id = self.conn.execute(
            insert(B).values(code=code, name=name, kind="other").returning(B.c.id)
        ).scalar_one()
        self._remember(body_id, code, name)
        self.report.bodies_added.append((code, name))
        return body_id


def _without_article(folded: str) -> str:
    return folded.removeprefix("the ")


_SMALL_WORDS = {"on", "of", "the", "and", "for", "in", "to", "against", "with", "a", "an"}


def _code_for(name: str, taken: set[str]) -> str:
    """A code for a new body: the name itself when it is short and plain (`SPT`), else the
    initials of its words (`Special Rapporteur on trafficking in persons` -> `SRTP`)."""
    plain = re.sub(r"[^A-Za-z0-9_]", "", name)
    if name.strip() == plain and len(plain) <= 12 and plain[:1].isalpha():
        code = plain.upper()
    else:
        words = [
            w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", name) if w.lower() not in _SMALL_WORDS
        ]
        code = "".join(w[0] for w in words).upper()[:16] or "BODY"
    base, n = code, 2
    while code in taken:
        code = f"{base}{n}"
        n += 1
    return code


# ---------------------------------------------------------------------------------------
# Documents


@dataclass
class _Doc:
    id: int
    body_id: int
    symbol: str
    title: str | None
    date: str | None
    cycle: str | None
    country: str | None
    where: str  # "on record" or "on line N"


class _Documents:
    """Documents by symbol: found with one query a chunk, recorded when new."""

    def __init__(self, conn: Connection, report: BulkReport):
        self.conn, self.report = conn, report
        self.by_symbol: dict[str, _Doc] = {}
        self.created: set[int] = set()  # by this load

    def load(self, symbols: set[str]) -> None:
        wanted = [s for s in symbols if s not in self.by_symbol]
        for batch in _in_batches(wanted):
            query = select(
                D.c.id, D.c.body_id, D.c.symbol, D.c.title, D.c.date, D.c.cycle, D.c.country
            ).where(D.c.symbol.in_(batch))
            for row in self.conn.execute(query):
                self.by_symbol[row.symbol] = _Doc(*row, where="on record")

    def _given(
        self, row: _Row, today: dt.date, place: Callable[[_Row, str], str]
    ) -> tuple[str, str | None, str | None]:
        """The symbol, date and title of a row's document, as stored."""
        src = row.source
        date: str | None = None
        if src.document_date:
            try:
                date = not_in_future(_date(src.document_date), PUBLISHED, today).iso
            except BadValue as e:
                row.problems.append(f"{place(row, 'document_date')}: {e}")
        return (src.document or "").strip(), date, domain.optional_text(src.document_title)

    def resolve(
        self, rows: Sequence[_Row], today: dt.date, place: Callable[[_Row, str], str]
    ) -> None:
        """Find or record the documents of the rows (the new ones with one statement); a row
        whose document clashes with the one recorded (another body, date or title) gets a
        problem naming both."""
        given = [(row, *self._given(row, today, place)) for row in rows]
        new: dict[str, dict[str, Any]] = {}
        for row, symbol, date, title in given:
            if symbol and symbol not in self.by_symbol and symbol not in new and not row.problems:
                new[symbol] = {
                    "body_id": row.body_id,
                    "symbol": symbol,
                    "title": title,
                    "date": date,
                    "cycle": domain.optional_text(row.source.cycle),
                    "country": row.values["country"],
                    "url": None,
                    "line": row.source.line,
                }
        if new:
            lines = [values.pop("line") for values in new.values()]
            statement = insert(D).returning(D.c.id, sort_by_parameter_order=True)
            ids = [doc_id for (doc_id,) in self.conn.execute(statement, list(new.values()))]
            for doc_id, values, line in zip(ids, new.values(), lines, strict=True):
                fields = {
                    k: values[k] for k in ("body_id", "symbol", "title", "date", "cycle", "country")
                }
                self.by_symbol[values["symbol"]] = _Doc(doc_id, **fields, where=f"on line {line}")
                self.created.add(doc_id)
            self.report.documents_added += len(new)
        for row, symbol, date, title in given:
            if symbol and not row.problems:
                self._check(row, self.by_symbol[symbol], date, title, place(row, "document"))

    def _check(self, row: _Row, doc: _Doc, date: str | None, title: str | None, place: str) -> None:
        clash = []
        if doc.body_id != row.body_id:
            clash.append("another body")
        if date and doc.date and not (date.startswith(doc.date) or doc.date.startswith(date)):
            clash.append(f"the date {doc.date}, not {date}")
        if title and doc.title and _fold_name(title) != _fold_name(doc.title):
            clash.append(f"the title '{doc.title}', not '{title}'")
        if clash:
            row.problems.append(
                f"{place}: document {doc.symbol} is {doc.where} with {' and '.join(clash)}: two "
                "documents cannot share a symbol (give one another symbol)"
            )
            return
        row.document_id = doc.id
        row.values["date"] = row.values["date"] or doc.date
        row.values["country"] = row.values["country"] or doc.country


# ---------------------------------------------------------------------------------------
# Names (themes, institutions, recommending states, affected persons, SDG targets)


class _Names:
    """The ids of named things by folded name, for every kind; new ones recorded a chunk
    at a time. A new theme or institution that looks like one recorded before the load is
    a problem of its row, unless the options allow new ones."""

    def __init__(self, conn: Connection, report: BulkReport, allowed: NewNames):
        self.conn, self.report, self.allowed = conn, report, allowed
        self.ids: dict[str, dict[str, int]] = {}
        self.before: dict[str, list[str]] = {}
        self.near: dict[tuple[str, str], str | None] = {}
        for names in ALL_NAMES:
            table = table_of(names.model)
            rows = list(self.conn.execute(select(table.c.id, table.c.name)))
            self.ids[names.field] = {domain.fold(n): i for i, n in rows}
            self.before[names.field] = [n for _, n in rows]

    def check(self, row: _Row, place: Callable[[str], str]) -> None:
        """Problems of a row's new names that look like recorded ones."""
        for names in (THEMES, INSTITUTIONS):
            known = self.ids[names.field]
            for name in row.names.get(names.field, ()):
                folded = _fold_name(name)
                if folded in known or self.allowed.allows(names.what, name):
                    continue
                key = (names.field, folded)
                if key not in self.near:
                    self.near[key] = near_name(name, self.before[names.field])
                near = self.near[key]
                if near is not None:
                    row.problems.append(
                        f"{place(names.field)}: '{name}' looks like the recorded {names.what} "
                        f"'{near}' (correct it, or add --new-{names.what} to record it as new)"
                    )

    def record(self, rows: Sequence[_Row]) -> None:
        """Record the names of these rows that are not on record yet."""
        for names in ALL_NAMES:
            known = self.ids[names.field]
            new: dict[str, str] = {}
            for row in rows:
                for name in row.names.get(names.field, ()):
                    folded = _fold_name(name)
                    if folded not in known:
                        new.setdefault(folded, name)
            if not new:
                continue
            table = table_of(names.model)
            statement = insert(table).returning(
                table.c.id, table.c.name, sort_by_parameter_order=True
            )
            for name_id, name in self.conn.execute(statement, [{"name": n} for n in new.values()]):
                known[_fold_name(name)] = name_id
            self.report.names_added[names.what] = self.report.names_added.get(names.what, 0) + len(
                new
            )

    def ids_of(self, names: Names, values: Iterable[str]) -> list[int]:
        known = self.ids[names.field]
        out: list[int] = []
        for name in values:
            name_id = known[_fold_name(name)]
            if name_id not in out:
                out.append(name_id)
        return out


def _links_of(conn: Connection, names: Names, rec_ids: Sequence[int]) -> dict[int, set[int]]:
    link = table_of(names.link)
    out: dict[int, set[int]] = defaultdict(set)
    for batch in _in_batches(rec_ids):
        query = select(link.c.recommendation_id, link.c[names.fk]).where(
            link.c.recommendation_id.in_(batch)
        )
        for rec_id, name_id in conn.execute(query):
            out[rec_id].add(name_id)
    return out


def _recommending_names(conn: Connection, rec_ids: Sequence[int]) -> dict[int, set[str]]:
    """The folded names of the recommending states of each recommendation."""
    from rectrack.services.lookup import RECOMMENDING

    link, table = table_of(RECOMMENDING.link), table_of(RECOMMENDING.model)
    out: dict[int, set[str]] = defaultdict(set)
    for batch in _in_batches(rec_ids):
        query = (
            select(link.c.recommendation_id, table.c.name)
            .join(table, table.c.id == link.c[RECOMMENDING.fk])
            .where(link.c.recommendation_id.in_(batch))
        )
        for rec_id, name in conn.execute(query):
            out[rec_id].add(_fold_name(name))
    return out


# ---------------------------------------------------------------------------------------
# The load


@dataclass
class _Status:
    rec_id: int
    date: str
    status: str
    note: str | None


class _Loader:
    def __init__(self, session: Session, options: BulkOptions):
        self.session = session
        self.conn = session.connection()
        self.options = options
        self.report = BulkReport(options.source)
        self.today = dt.date.today()
        self.bodies = _Bodies(self.conn, self.report, options.create_bodies)
        self.documents = _Documents(self.conn, self.report)
        self.names = _Names(self.conn, self.report, options.new_names)
        self.seen: dict[int, int] = {}  # natural key -> recommendation id
        self.texts: dict[int, int] = {}  # (document or body and country, text) -> id
        # What is on record in the documents (and bodies) the rows cite, learnt once each.
        self.loaded_documents: set[int] = set()
        self.loaded_bodies: set[int] = set()
        self.state_sets: dict[frozenset[str], frozenset[str]] = {}
        self.paragraphs: dict[int, int] = {}  # (document, paragraph) -> id
        self.removed_ids: set[int] = set()  # of recommendations removed with `rm`
        self.recorded_texts: dict[int, list[tuple[int, frozenset[str]]]] = defaultdict(list)
        self.new_ids: list[int] = []
        self.given_keys: list[str] = []
        self.next_id: int | None = None
        self.problems: list[str] = []
        self.problem_count = 0
        self.statuses: list[_Status] = []
        self.provisional = 0
        self.duplicate_ids: list[tuple[int, int]] = []
        self.country = _country_matcher(options.country) if options.country else None
        self.status_date = self._status_date()
        self.read = 0

    def _status_date(self) -> str:
        text = self.options.status_date
        return not_in_future(_date(text), SEEN).iso if text else self.today.isoformat()

    # -- places and problems ------------------------------------------------------------

    def place(self, row: SourceRow, name: str) -> str:
        column = self.options.columns.get(name, name)
        if self.options.where is not None:
            return f"{self.options.where(row.line)}: {column}"
        return f"{self.options.source}:{row.line}: {column}"

    def _reject(self, row: _Row) -> None:
        if self.options.skip_bad:
            start = self.place(row.source, "")
            reasons = [p.removeprefix(start) for p in row.problems]
            self.report.rejected.append(Rejected(row.source.line, row.source.raw, reasons))
            return
        self.problem_count += len(row.problems)
        room = PROBLEMS_SHOWN - len(self.problems)
        if room > 0:
            self.problems += row.problems[:room]

    # -- the rows -----------------------------------------------------------------------

    def load(self, rows: Iterable[SourceRow]) -> BulkReport:
        iterator = iter(rows)
        while chunk := list(islice(iterator, CHUNK)):
            self.read += len(chunk)
            self._chunk(chunk)
            if self.options.on_chunk is not None:
                self.options.on_chunk(self.read)
        if self.problem_count:
            return self.report
        self._give_keys()  # first, so that the change log names each assessment's key
        self._record_statuses()
        return self.report

    def _prepare(self, src: SourceRow) -> _Row | None:
        values, problems = _parse_values(src, self.today)
        row = _Row(src, values)
        row.problems = [f"{self.place(src, c)}: {r}" for c, r in (*src.problems, *problems)]
        if self.country is not None:
            concerned = src.countries or [values["country"]]
            if not any(self.country(c) for c in concerned):
                # Rows about another state are passed over, even bad ones: not wanted.
                self.report.outside += 1
                for c in concerned:
                    if c and len(self.report.other_countries) < 50:
                        self.report.other_countries.add(c.strip())
                return None
        body = src.body
        if body:
            body_id = self.bodies.find(body)
            if body_id is None:
                row.problems.append(
                    f"{self.place(src, 'body')}: '{body}' is not a known body; known bodies: "
                    f"{self.bodies.known()} (add one with `rectrack body add`)"
                )
            else:
                row.body_id = body_id
        elif not src.document:
            row.problems.append(f"{self.place(src, 'body')}: the row names no body")
        row.folded = domain.fold(src.text)
        for names in ALL_NAMES:
            values_given = [_clean_name(n) for n in getattr(src, names.field)]
            row.names[names.field] = [n for n in values_given if n]
        self.names.check(row, lambda f: self.place(src, f))
        return row

    def _chunk(self, sources: list[SourceRow]) -> None:
        rows = [r for r in (self._prepare(s) for s in sources) if r is not None]
        self.documents.load({(r.source.document or "").strip() for r in rows} - {""})
        for row in rows:
            if not row.body_id and row.source.document:
                # A row may leave its body to its document (a data set does).
                doc = self.documents.by_symbol.get(row.source.document.strip())
                if doc is None:
                    row.problems.append(
                        f"{self.place(row.source, 'body')}: the row names no body, and its "
                        f"document {row.source.document.strip()} is not on record"
                    )
                    continue
                row.body_id = doc.body_id
        self.documents.resolve(rows, self.today, lambda r, f: self.place(r.source, f))
        good = []
        for row in rows:
            if row.problems:
                self._reject(row)
            else:
                good.append(row)
        if self.problem_count and not self.options.skip_bad:
            return  # nothing will be written: only look for more problems
        self.names.record(good)
        self._match(good)

    # -- matching rows with recommendations on record ------------------------------------

    def _identity(self, row: _Row) -> tuple[Any, ...]:
        v = row.values
        if v.get("key"):
            return ("key", v["key"].casefold())
        if row.source.source_id:
            return ("source", row.source.source_id.strip())
        if row.document_id is not None and v["paragraph"]:
            return ("paragraph", row.document_id, domain.paragraph_slug(v["paragraph"]))
        return ("text", *self._text_place(row), self._recommending(row), row.folded)

    def _text_place(self, row: _Row) -> tuple[Any, ...]:
        if row.document_id is not None:
            return ("document", row.document_id)
        return ("body", row.body_id, _fold_name(row.values["country"] or ""))

    def _recommending(self, row: _Row) -> frozenset[str]:
        return frozenset(_fold_name(n) for n in row.names.get("recommending", ()))

    def _match(self, rows: list[_Row]) -> None:
        """Sort the rows of a chunk into those that repeat a row before them, those that
        are recommendations on record, those to merge into one (--merge-duplicates), and
        new ones; then write each kind."""
        on_record = self._on_record(rows)
        fresh: list[_Row] = []
        merges: list[tuple[_Row, int]] = []
        updates: list[tuple[_Row, int]] = []
        # Rows of this chunk not written yet, by natural key and by text.
        waiting: dict[int, _Row] = {}
        waiting_texts: dict[int, _Row] = {}
        for row in rows:
            identity = _digest(*self._identity(row))
            rec_id = self.seen.get(identity)
            if rec_id is not None:
                self.report.repeated += 1
                self._note_status(row, rec_id)
                continue
            if identity in waiting:
                self.report.repeated += 1
                waiting[identity].values.setdefault("repeats", []).append(row)
                continue
            rec_id, twin = on_record(row)
            if rec_id is not None and abs(rec_id) in self.removed_ids:
                # Removed with `rm`: left alone (`restore` brings it back), not added again.
                self.seen[identity] = abs(rec_id)
                self.report.removed += 1
                continue
            if rec_id is not None and rec_id < 0:
                self.seen[identity] = -rec_id
                merges.append((row, -rec_id))
                continue
            if rec_id is not None:
                self.seen[identity] = rec_id
                updates.append((row, rec_id))
                continue
            text_key = _digest(*self._text_place(row), row.folded)
            twin_row = waiting_texts.get(text_key)
            twin = twin or self.texts.get(text_key)
            if self.options.merge_duplicates and (twin is not None or twin_row is not None):
                if twin is not None:
                    self.seen[identity] = twin
                    merges.append((row, twin))
                else:
                    assert twin_row is not None
                    waiting[identity] = twin_row
                    twin_row.values.setdefault("merged", []).append(row)
                    self.report.merged += 1
                continue
            row.values["twin"] = twin if twin is not None else twin_row
            row.values["identity"] = identity
            row.values["text_key"] = text_key
            waiting[identity] = row
            waiting_texts.setdefault(text_key, row)
            fresh.append(row)
        self._update(updates, merged=False)
        self._update(merges, merged=True)
        self._insert(fresh)

    def _load_places(self, rows: list[_Row]) -> None:
        """Learn the recommendations on record in the documents these rows cite (and, for
        rows without a document, of their bodies without one), once for each: their
        paragraphs, and their texts with their recommending states, as fingerprints."""
        docs = {r.document_id for r in rows if r.document_id is not None}
        docs -= self.loaded_documents
        docs -= self.documents.created
        self.loaded_documents |= docs
        bodies = {r.body_id for r in rows if r.document_id is None} - self.loaded_bodies
        self.loaded_bodies |= bodies
        queries = [
            select(
                R.c.id,
                R.c.document_id,
                R.c.body_id,
                R.c.country,
                R.c.paragraph,
                R.c.text_folded,
                R.c.deleted_at,
            )
            .where(R.c.document_id.in_(batch))
            .order_by(R.c.id)
            for batch in _in_batches(docs)
        ] + [
            select(
                R.c.id,
                R.c.document_id,
                R.c.body_id,
                R.c.country,
                R.c.paragraph,
                R.c.text_folded,
                R.c.deleted_at,
            )
            .where(R.c.document_id.is_(None), R.c.body_id.in_(batch))
            .order_by(R.c.id)
            for batch in _in_batches(bodies)
        ]
        for query in queries:
            found = self.conn.execute(query).all()
            recommending = _recommending_names(self.conn, [f.id for f in found])
            for f in found:
                if f.deleted_at is not None:
                    self.removed_ids.add(f.id)
                if f.document_id is not None:
                    place: tuple[Any, ...] = ("document", f.document_id)
                    if f.paragraph:
                        slug = domain.paragraph_slug(f.paragraph)
                        self.paragraphs.setdefault(_digest(f.document_id, slug), f.id)
                else:
                    place = ("body", f.body_id, _fold_name(f.country or ""))
                states = frozenset(recommending.get(f.id, ()))
                states = self.state_sets.setdefault(states, states)  # shared: they repeat
                self.recorded_texts[_digest(*place, f.text_folded)].append((f.id, states))

    def _on_record(self, rows: list[_Row]) -> Callable[[_Row], tuple[int | None, int | None]]:
        """A function giving, for a row, the recommendation on record it is (by natural
        key; negative: one it was merged into), and one it may repeat (same text in the
        same document)."""
        self._load_places(rows)
        by_key: dict[str, int] = {}
        keys = [r.values["key"].casefold() for r in rows if r.values.get("key")]
        for batch in _in_batches(keys):
            query = select(R.c.id, R.c.key, R.c.deleted_at).where(func.lower(R.c.key).in_(batch))
            for rec_id, key, deleted in self.conn.execute(query):
                by_key[key.casefold()] = rec_id
                if deleted is not None:
                    self.removed_ids.add(rec_id)
        by_source: dict[str, int] = {}
        sources = [r.source.source_id.strip() for r in rows if r.source.source_id]
        for batch in _in_batches(sources):
            query = select(R.c.id, R.c.source_id, R.c.deleted_at).where(R.c.source_id.in_(batch))
            for rec_id, source_id, deleted in self.conn.execute(query):
                by_source[source_id] = rec_id
                if deleted is not None:
                    self.removed_ids.add(rec_id)

        def find(row: _Row) -> tuple[int | None, int | None]:
            v = row.values
            same_text = self.recorded_texts.get(_digest(*self._text_place(row), row.folded), [])
            twin = same_text[0][0] if same_text else None
            if v.get("key"):
                return by_key.get(v["key"].casefold()), twin
            if row.source.source_id:
                return by_source.get(row.source.source_id.strip()), twin
            if row.document_id is not None and v["paragraph"]:
                slug = domain.paragraph_slug(v["paragraph"])
                return self.paragraphs.get(_digest(row.document_id, slug)), twin
            wanted = self._recommending(row)
            for rec_id, theirs in same_text:
                if wanted == theirs:
                    return rec_id, None
            for rec_id, theirs in same_text:
                if wanted and wanted < theirs:
                    # A row merged into a recommendation with other states' rows before.
                    return -rec_id, None
            return None, twin

        return find

    # -- writing ------------------------------------------------------------------------

    def _update(self, pairs: list[tuple[_Row, int]], merged: bool) -> None:
        """Bring recommendations on record up to date with their rows: the scalar values a
        row gives (a merged row gives only its names), and the names it adds."""
        if not pairs:
            return
        ids = [rec_id for _, rec_id in pairs]
        current: dict[int, Any] = {}
        for batch in _in_batches(ids):
            query = select(R.c.id, R.c.key, *(R.c[n] for n in SCALARS_AND_CATEGORY)).where(
                R.c.id.in_(batch)
            )
            current.update({row.id: row for row in self.conn.execute(query)})
        links = {names.field: _links_of(self.conn, names, ids) for names in ALL_NAMES}
        changed_ids: set[int] = set()
        new_links: dict[str, list[dict[str, int]]] = defaultdict(list)
        for row, rec_id in pairs:
            rec = current[rec_id]
            changes: list[Change] = []
            if not merged:
                values: dict[str, Any] = {}
                for name in SCALARS_AND_CATEGORY:
                    given = row.values.get(name)
                    if given is not None and given != getattr(rec, name):
                        values[name] = given
                        changes.append(Change(name, getattr(rec, name), given))
                if row.document_id is not None and row.values.get("key"):
                    values["document_id"] = row.document_id
                if changes:
                    if "text" in values:
                        values["text_folded"] = row.folded
                    values["updated_at"] = _now()
                    self.conn.execute(update(R).where(R.c.id == rec_id).values(values))
            for names in ALL_NAMES:
                have = links[names.field].setdefault(rec_id, set())
                for name_id, name in zip(
                    self.names.ids_of(names, row.names.get(names.field, ())),
                    row.names.get(names.field, ()),
                    strict=False,
                ):
                    if name_id not in have:
                        have.add(name_id)
                        new_links[names.field].append(
                            {"recommendation_id": rec_id, names.fk: name_id}
                        )
                        changes.append(Change(names.field, None, name))
            if changes and rec_id not in changed_ids:
                changed_ids.add(rec_id)
                self.report.changes.append((rec.key, changes))
            if merged and changes:
                self.report.merged += 1
            elif changes:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
            self._note_status(row, rec_id)
        self._write_links(new_links)

    def _write_links(self, links: Mapping[str, list[dict[str, int]]]) -> None:
        for names in ALL_NAMES:
            insert_many(self.conn, table_of(names.link), links.get(names.field, []))

    def _reserve_ids(self, n: int) -> list[int]:
        """Ids for n new recommendations: from the server's sequence (PostgreSQL), else
        after the highest on record (SQLite, where the load holds the only write lock)."""
        if self.conn.dialect.name == "postgresql":
            query = text(
                "SELECT nextval(pg_get_serial_sequence('recommendation', 'id')) "
                "FROM generate_series(1, :n)"
            )
            return [rec_id for (rec_id,) in self.conn.execute(query, {"n": n})]
        if self.next_id is None:
            highest = self.conn.execute(select(func.max(R.c.id))).scalar()
            self.next_id = (highest or 0) + 1
        ids = list(range(self.next_id, self.next_id + n))
        self.next_id += n
        return ids

    def _insert(self, rows: list[_Row]) -> None:
        if not rows:
            return
        now = _now()
        records = []
        for row in rows:
            v = row.values
            key = v.get("key")
            if key is None:
                self.provisional += 1
                key = f"{PROVISIONAL}{self.provisional}"
            else:
                self.given_keys.append(key)
            src = row.source
            records.append(
                {
                    "key": key,
                    "body_id": row.body_id,
                    "document_id": row.document_id,
                    **{name: v[name] for name in SCALARS_AND_CATEGORY},
                    "created_at": now,
                    "updated_at": now,
                    "source_id": domain.optional_text(src.source_id),
                    "source_file": src.origin_file
                    or (self.options.source if self.options.record_source else None),
                    "source_row": src.origin_row
                    or (src.line if self.options.record_source else None),
                    "text_folded": row.folded,
                }
            )
        ids = self._reserve_ids(len(records))
        for record, rec_id in zip(records, ids, strict=True):
            record["id"] = rec_id
        insert_many(self.conn, R, records)
        id_of = {id(row): rec_id for row, rec_id in zip(rows, ids, strict=True)}
        links: dict[str, list[dict[str, int]]] = defaultdict(list)
        for row, rec_id in zip(rows, ids, strict=True):
            v = row.values
            self.seen[v["identity"]] = rec_id
            self.texts.setdefault(v["text_key"], rec_id)
            twin = v["twin"]
            if twin is not None:
                self.duplicate_ids.append(
                    (rec_id, twin if isinstance(twin, int) else id_of[id(twin)])
                )
            merged: list[_Row] = v.get("merged", [])
            for other in merged:
                self.seen[_digest(*self._identity(other))] = rec_id
            for names in ALL_NAMES:
                given = [n for r in (row, *merged) for n in r.names.get(names.field, ())]
                for name_id in self.names.ids_of(names, given):
                    links[names.field].append({"recommendation_id": rec_id, names.fk: name_id})
            for other in (row, *v.get("repeats", []), *merged):
                self._note_status(other, rec_id)
        self._write_links(links)
        self.new_ids += ids
        self.report.added += len(ids)

    # -- statuses -----------------------------------------------------------------------

    def _note_status(self, row: _Row, rec_id: int) -> None:
        src = row.source
        if src.status is None:
            return
        date = row.values.get("status_date") or self.status_date
        self.statuses.append(_Status(rec_id, date, src.status, src.note))

    def _record_statuses(self) -> None:
        """An assessment for each status that differs from the recommendation's status at
        that date (from the load's perspective); the same status on the same date as one
        recorded is already there."""
        if not self.statuses:
            return
        perspective = self.options.perspective
        by_rec: dict[int, list[_Status]] = defaultdict(list)
        for s in self.statuses:
            by_rec[s.rec_id].append(s)
        recorded: dict[int, list[tuple[str, str]]] = defaultdict(list)
        withdrawn = select(table_of(AssessmentWithdrawal).c.assessment_id)
        for batch in _in_batches(by_rec):
            query = (
                select(A.c.recommendation_id, A.c.date, A.c.status)
                .where(
                    A.c.recommendation_id.in_(batch),
                    A.c.perspective == perspective,
                    A.c.id.not_in(withdrawn),
                )
                .order_by(A.c.date, A.c.recorded_at, A.c.id)
            )
            for rec_id, date, status in self.conn.execute(query):
                recorded[rec_id].append((date, status))
        who = (self.options.assessor or "").strip() or current_user()
        now = _now()
        new = []
        for rec_id, given in by_rec.items():
            history = list(recorded.get(rec_id, []))
            for s in sorted(given, key=lambda s: s.date):
                if (s.date, s.status) in history:
                    continue
                before = [status for date, status in history if date <= s.date]
                if before and before[-1] == s.status:
                    continue
                history.append((s.date, s.status))
                history.sort(key=lambda h: h[0])
                new.append(
                    {
                        "recommendation_id": rec_id,
                        "date": s.date,
                        "status": s.status,
                        "perspective": perspective,
                        "grade": None,
                        "note": s.note if s.note and s.note.strip() else None,
                        "recorded_by": who,
                        "recorded_at": now,
                    }
                )
        insert_many(self.conn, A, new)
        self.report.assessments = len(new)

    # -- keys ---------------------------------------------------------------------------

    def _give_keys(self) -> None:
        """Give each new recommendation its key, in an order that follows from content:
        by document, paragraph, source id, recommending state and text."""
        keys: list[str] = []
        if self.provisional:
            _give_keys(self.conn, keys)
        if self.duplicate_ids:
            key_of: dict[int, str] = {}
            ids = {i for pair in self.duplicate_ids for i in pair}
            for batch in _in_batches(ids):
                query = select(R.c.id, R.c.key).where(R.c.id.in_(batch))
                key_of.update({rec_id: key for rec_id, key in self.conn.execute(query)})
            self.report.duplicates = [(key_of[a], key_of[b]) for a, b in self.duplicate_ids]
        keys += self.given_keys
        self.report.keys = heapq.nsmallest(KEYS_KEPT, keys, key=natural_key)


def _country_matcher(given: str) -> Callable[[str | None], bool]:
    """Whether a row's country is the one asked for (by name, or by ISO 3166 code)."""
    codes = resources.country_codes()
    wanted = domain.fold(given)
    code = codes.get(wanted) or (
        given.strip().upper() if given.strip().upper() in codes.values() else None
    )

    @functools.lru_cache(maxsize=512)
    def matches(country: str | None) -> bool:
        if not country:
            return False
        folded = domain.fold(country)
        return folded == wanted or (code is not None and codes.get(folded) == code)

    return matches


# ---------------------------------------------------------------------------------------
# Keys


def _upr_cycle(cycle: str | None) -> str | None:
    return cycle.strip() if cycle and cycle.strip().isdigit() else None


def key_prefix(body: str, cycle: str | None, country: str | None, date: str | None) -> str:
    """The start of an imported key: `UPR3-SRB` for a UPR review of a known cycle, else the
    body, the state under review (its ISO 3166 code when known) and the year:
    `CEDAW-SRB-2019`."""
    code = _state_code(country)
    upr_cycle = _upr_cycle(cycle) if body.upper() == "UPR" else None
    if upr_cycle and code:
        return f"UPR{upr_cycle}-{code}"
    year = date[:4] if date else None
    return "-".join(p for p in (body.upper(), code, year) if p)


@functools.lru_cache(maxsize=1024)
def _state_code(country: str | None) -> str | None:
    if not country:
        return None
    code = resources.country_codes().get(domain.fold(country))
    if code:
        return code
    letters = re.sub(r"[^A-Za-z0-9]", "", country.title())
    return letters[:12].upper() or None


_COUNTER = re.compile(r"^(.*)-(\d{4,})$")


def _give_keys(conn: Connection, keys: list[str]) -> None:
    """Replace the provisional keys of a load with the final ones (added to `keys`)."""
    taken: set[str] = set()
    highest: dict[str, int] = defaultdict(int)
    for (key,) in conn.execute(select(R.c.key).where(~R.c.key.startswith(PROVISIONAL))):
        folded = key.casefold()
        taken.add(folded)
        m = _COUNTER.match(folded)
        if m:
            highest[m.group(1)] = max(highest[m.group(1)], int(m.group(2)))
    from rectrack.services.lookup import RECOMMENDING

    link, states = table_of(RECOMMENDING.link), table_of(RECOMMENDING.model)
    first_state = (
        select(func.min(states.c.name))
        .join(link, link.c[RECOMMENDING.fk] == states.c.id)
        .where(link.c.recommendation_id == R.c.id)
        .scalar_subquery()
    )
    query = (
        select(R.c.id, B.c.code, D.c.cycle, R.c.country, R.c.date, R.c.paragraph)
        .join(B, B.c.id == R.c.body_id)
        .outerjoin(D, D.c.id == R.c.document_id)
        .where(R.c.key.startswith(PROVISIONAL))
        .order_by(
            B.c.code,
            D.c.symbol,
            R.c.country,
            R.c.date,
            R.c.paragraph,
            R.c.source_id,
            first_state,
            R.c.text_folded,
            R.c.text,
        )
    )
    new: list[dict[str, Any]] = []
    statement = update(R).where(R.c.id == bindparam("rid")).values(key=bindparam("new_key"))
    for rec_id, body, cycle, country, date, paragraph in conn.execute(query).all():
        prefix = key_prefix(body, cycle, country, date)
        key = domain.paragraph_key(prefix, None, paragraph) if paragraph else None
        if key is not None:
            base, n = key, 2
            while key.casefold() in taken:
                key = f"{base}-{n}"
                n += 1
        else:
            folded_prefix = prefix.casefold()
            n = highest[folded_prefix] + 1
            while f"{folded_prefix}-{n:04d}" in taken:
                n += 1
            highest[folded_prefix] = n
            key = f"{prefix}-{n:04d}"
        taken.add(key.casefold())
        keys.append(key)
        new.append({"rid": rec_id, "new_key": key})
        if len(new) == 5000:
            execute_many(conn, statement, new)
            new = []
    execute_many(conn, statement, new)


# ---------------------------------------------------------------------------------------
# The entry point


def load_rows(session: Session, rows: Iterable[SourceRow], options: BulkOptions) -> BulkReport:
    """Load the rows (all or none). Raises Problems listing the bad rows (the first
    PROBLEMS_SHOWN, with the total), unless `options.skip_bad`: then they are left out and
    listed in the report."""
    from rectrack.errors import Problems

    loader = _Loader(session, options)
    report = loader.load(rows)
    if loader.problem_count:
        listed = list(loader.problems)
        more = loader.problem_count - len(listed)
        if more > 0:
            listed.append(f"... and {domain.plural(more, 'more problem')}")
        summary = (
            f"{domain.plural(loader.problem_count, 'problem')} in {options.source}: nothing "
            "imported (fix them, or add --skip-bad to import the good rows)"
        )
        raise Problems(listed, summary)
    session.expire_all()
    return report
