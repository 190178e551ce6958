"""What a workbook or CSV export holds, gathered for the recommendations a query selects.
The files themselves are written by `rectrack.io.xlsx` and `rectrack.io.csv`.

A register can hold 100,000 recommendations and more: `export_rows` hands the writers
collections that read their rows from the database a chunk at a time, in the order of
their sheets, at each pass (see `chunks.Rows`), so that an export never holds the whole
register in memory. Only the ids of the selected recommendations, in the register's order,
are held. A chunk of rows is a few queries, each of exactly what the files show.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from rectrack import __version__, domain, i18n
from rectrack.dates import format_timestamp
from rectrack.io.sheet import ExportData
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    Body,
    Document,
    Evidence,
    EvidenceRecommendation,
    Recommendation,
    utcnow,
)
from rectrack.services.chunks import (
    CHUNK,
    Rows,
    action_rows_of,
    assessments_in_order,
    by_then,
    chunks,
    evidence_rows_of,
    forget_keys,
    linked_action_ids,
    linked_evidence_ids,
)
from rectrack.services.lookup import (
    AFFECTED,
    CLUSTERS,
    INSTITUTIONS,
    RECOMMENDING,
    SDGS,
    THEMES,
    IdSelect,
    Names,
    action_id,
    evidence_id,
)
from rectrack.services.rows import ordered_ids
from rectrack.services.status import counted_assessments, is_overdue, selected, status_report
from rectrack.shapes import AssessmentRow, EvidenceRow, ExportRow, RecFilter, StatusQuery


def describe_filters(filters: RecFilter, lang: str = "en") -> str:
    """The filters an export was made with, as its Summary and About sheets say them."""
    parts = []
    for name, values in filters.named():
        if values:
            parts.append(f"{i18n.text(f'group.{name}', lang).lower()}: {', '.join(values)}")
    return "; ".join(parts) or i18n.text("summary.none", lang)


def _shared_file(path: str | None) -> str | None:
    """An evidence file as an export shows it: relative to the database's folder as kept,
    and only its name when it lies elsewhere, so that no local folder travels with it."""
    if not path:
        return None
    return PurePath(path).name if PurePath(path).is_absolute() else path


def default_title(countries: Iterable[str], bodies: Iterable[str], lang: str) -> str:
    """`Implementation of recommendations: Serbia (CEDAW, GRETA, TIP)` from the countries
    and bodies an export holds."""
    countries, bodies = sorted(set(countries)), sorted(set(bodies))
    if not bodies:
        return i18n.text("title.default", lang)
    what = ", ".join(countries) + (f" ({', '.join(bodies)})" if countries else ", ".join(bodies))
    return i18n.text("title.of", lang).format(what=what)


def _distinct(session: Session, column: Any, ids: IdSelect, *joins: Any) -> list[str]:
    query = sa.select(column).distinct().select_from(Recommendation)
    for target, on in joins:
        query = query.join(target, on)
    found = session.connection().execute(query.where(col(Recommendation.id).in_(ids)))
    return [value for (value,) in found if value]


# ---------------------------------------------------------------------------------------
# The rows of the Recommendations, Meeting and Original sheets (and of a CSV file)


_CHUNK: Any = sa.bindparam("chunk", expanding=True)  # the ids of a chunk, given at each run


def _recommendations() -> Any:
    r = Recommendation
    columns = (r.id, r.key, r.body_id, r.document_id, r.paragraph, r.date, r.country, r.text)
    rest = (r.summary, r.priority, r.response, r.due)
    return sa.select(*(col(c) for c in (*columns, *rest))).where(col(r.id).in_(_CHUNK))


def _named(names: Names) -> Any:
    rec = col(names.link.recommendation_id)
    return sa.select(rec, col(names.fk_column)).where(rec.in_(_CHUNK))


def _assessed(perspectives: Sequence[str], day: str) -> Any:
    """The assessments that count at `day` from these perspectives, in the order of their
    runs (see `_RowReader._standing`): the index ix_assessment_latest holds them so."""
    a = Assessment
    return (
        sa.select(
            col(a.recommendation_id),
            col(a.perspective),
            col(a.date),
            col(a.status),
            col(a.grade),
            col(a.note),
        )
        .where(
            col(a.recommendation_id).in_(_CHUNK),
            col(a.perspective).in_(perspectives),
            col(a.date) <= day,
            counted_assessments(),
        )
        .order_by(
            col(a.recommendation_id), col(a.perspective), col(a.date), col(a.recorded_at), col(a.id)
        )
    )


def _linked(model: Any, link_rec: Any, link_item: Any, day: str) -> Any:
    """(recommendation, id, title, date, reference) of the actions or evidence linked to the
    recommendations, none dated after `day`."""
    rec = col(link_rec)
    reference = col(model.reference) if model is Action else sa.null()
    return (
        sa.select(rec, col(model.id), col(model.title), col(model.date), reference)
        .join(model, col(model.id) == link_item)
        .where(rec.in_(_CHUNK), by_then(model.date, day))
    )


class _RowReader:
    """Export rows of recommendations, a chunk of ids at a time: what `status` shows of
    each at `as_of` from `perspective` (the latest assessment on or before the date that
    is not withdrawn, the latest recorded winning a tie; since when its status holds) and
    the actions and evidence linked to it, none dated after the date. Six queries a
    chunk, whatever its size, each made once; the names of bodies, documents, themes and
    institutions are read once."""

    def __init__(self, session: Session, as_of: dt.date, perspective: str):
        conn = self.conn = session.connection()
        self.as_of, self.perspective = as_of, perspective
        day = as_of.isoformat()
        # Beside a perspective's status, the other side's: the state's claim, or for the
        # state's own view, what the NGO found. Overdue follows the NGO's status.
        self.counterpart = "ngo" if perspective == "state" else "state"
        self.bodies = dict(conn.execute(sa.select(col(Body.id), col(Body.code))).all())
        self.documents = dict(conn.execute(sa.select(col(Document.id), col(Document.symbol))).all())
        self.names = [(_named(n), self._names(n)) for n in (THEMES, INSTITUTIONS)]
        self.recommendations = _recommendations()
        self.assessed = _assessed(sorted({perspective, self.counterpart, "ngo"}), day)
        ar, er = ActionRecommendation, EvidenceRecommendation
        self.actions = _linked(Action, ar.recommendation_id, ar.action_id, day)
        self.evidence = _linked(Evidence, er.recommendation_id, er.evidence_id, day)

    def _names(self, names: Names) -> dict[int, str]:
        model = names.model
        return dict(self.conn.execute(sa.select(col(model.id), col(model.name))).all())

    def _run(self, query: Any, chunk: Sequence[int]) -> Sequence[Any]:
        return self.conn.execute(query, {"chunk": list(chunk)}).all()

    def rows(self, chunk: Sequence[int]) -> list[ExportRow]:
        """The rows of these recommendations, in this order."""
        recs = {row[0]: row for row in self._run(self.recommendations, chunk)}
        themes, institutions = (self._named(query, by_id, chunk) for query, by_id in self.names)
        standing = self._standing(chunk)
        own, theirs, ngo = standing[self.perspective], standing[self.counterpart], standing["ngo"]
        actions, latest = self._lines(self.actions, chunk, action_id)
        evidence, _ = self._lines(self.evidence, chunk, evidence_id)
        bodies, documents, as_of, other = self.bodies, self.documents, self.as_of, self.counterpart
        unknown: tuple[Any, ...] = (domain.UNKNOWN, None, None, None, None)
        empty: list[str] = []
        out: list[ExportRow] = []
        for rec_id in chunk:
            _, key, body, document, paragraph, date, country, text, summary, *rest = recs[rec_id]
            priority, response, due = rest
            status, status_date, since, grade, note = own.get(rec_id, unknown)
            counterpart = theirs.get(rec_id, unknown)
            action_lines = actions.get(rec_id, empty)
            evidence_lines = evidence.get(rec_id, empty)
            out.append(
                {
                    "key": key,
                    "body": bodies[body],
                    "document": documents.get(document),
                    "paragraph": paragraph,
                    "date": date,
                    "country": country,
                    "text": text,
                    "summary": summary or domain.shorten(text, 90),
                    "themes": themes.get(rec_id, empty),
                    "institutions": institutions.get(rec_id, empty),
                    "priority": priority,
                    "response": response,
                    "due": due,
                    "overdue": bool(due) and is_overdue(due, ngo.get(rec_id, unknown)[0], as_of),
                    "status": status,
                    "status_date": status_date,
                    "since": since,
                    "grade": grade,
                    "note": note,
                    "counterpart": other,
                    "counterpart_status": counterpart[0],
                    "counterpart_since": counterpart[2],
                    "actions": len(action_lines),
                    "evidence": len(evidence_lines),
                    "action_lines": action_lines,
                    "latest_action": latest.get(rec_id),
                    "evidence_lines": evidence_lines,
                }
            )
        return out

    def _named(
        self, query: Any, by_id: dict[int, str], chunk: Sequence[int]
    ) -> dict[int, list[str]]:
        """The names (themes, institutions) of each recommendation, sorted without regard to
        case."""
        out: dict[int, list[str]] = {}
        for rec_id, name_id in self._run(query, chunk):
            out.setdefault(rec_id, []).append(by_id[name_id])
        for values in out.values():
            if len(values) > 1:
                values.sort(key=str.casefold)
        return out

    def _standing(self, chunk: Sequence[int]) -> dict[str, dict[int, tuple[Any, ...]]]:
        """By perspective, by recommendation: (status, date, since, grade, note) of the latest
        assessment, as `status.latest_assessments` finds it: the last in order of date, then
        of recording; `since` the day the run of its status began."""
        out: dict[str, dict[int, tuple[Any, ...]]] = {who: {} for who in domain.PERSPECTIVES}
        for rec_id, who, date, status, grade, note in self._run(self.assessed, chunk):
            latest = out[who]
            before = latest.get(rec_id)
            since = before[2] if before is not None and before[0] == status else date
            latest[rec_id] = (status, date, since, grade, note)
        return out

    def _lines(
        self, query: Any, chunk: Sequence[int], short: Callable[[int], str]
    ) -> tuple[dict[int, list[str]], dict[int, str]]:
        """The line (`A12 Law on ...`) of each action or piece of evidence linked to each
        recommendation, oldest first and undated last (see `in_date_order`); and the
        latest action of each, with its date and official reference (None for evidence)."""
        found = sorted(
            self._run(query, chunk), key=lambda x: (x[0], x[3] is None, x[3] or "", x[1])
        )
        lines: dict[int, list[str]] = {}
        latest: dict[int, tuple[str, int, str]] = {}
        for rec_id, number, title, date, reference in found:
            line = f"{short(number)} {title}"
            lines.setdefault(rec_id, []).append(line)
            if short is action_id:
                details = "; ".join(x for x in (date, reference) if x)
                order = (date or "", number, line + (f" ({details})" if details else ""))
                if rec_id not in latest or order > latest[rec_id]:
                    latest[rec_id] = order
        return lines, {rec_id: order[2] for rec_id, order in latest.items()}


def _positions_rows(
    reader: _RowReader, order: Sequence[int], positions: Iterable[int]
) -> Iterator[ExportRow]:
    """The rows of the recommendations at these positions of `order`, a chunk at a time."""
    batch: list[int] = []
    for position in positions:
        batch.append(order[position])
        if len(batch) == CHUNK:
            yield from reader.rows(batch)
            batch = []
    if batch:
        yield from reader.rows(batch)


def _register_rows(
    session: Session, order: Sequence[int], as_of: dt.date, who: str
) -> Iterator[ExportRow]:
    reader = _RowReader(session, as_of, who)
    for chunk in chunks(order):
        yield from reader.rows(chunk)


_SINGLE: dict[str, Any] = {
    "body": Body.code,
    "document": Document.symbol,
    "country": Recommendation.country,
}
_LISTS = {
    "theme": THEMES,
    "institution": INSTITUTIONS,
    "recommending": RECOMMENDING,
    "affected": AFFECTED,
    "sdg": SDGS,
    "cluster": CLUSTERS,
}


def _members(session: Session, ids: IdSelect, group_by: str) -> Iterator[tuple[int, Any]]:
    """(recommendation id, name of a group it is in) for the Meeting sheet's grouping."""
    r = Recommendation
    if group_by in _SINGLE:
        query = sa.select(col(r.id), _SINGLE[group_by]).select_from(r)
        if group_by == "body":
            query = query.join(Body, col(Body.id) == r.body_id)
        elif group_by == "document":
            query = query.outerjoin(Document, col(Document.id) == r.document_id)
        yield from session.connection().execute(query.where(col(r.id).in_(ids)))
        return
    names = _LISTS[group_by]
    yield from session.connection().execute(
        sa.select(col(names.link.recommendation_id), col(names.model.name))
        .join(names.model, col(names.model.id) == names.fk_column)
        .where(col(names.link.recommendation_id).in_(ids))
    )


def meeting_groups(
    session: Session, ids: IdSelect, order: Sequence[int], group_by: str, ranked: Sequence[str]
) -> list[tuple[str | None, list[int]]]:
    """The Meeting sheet's groups and the positions (in `order`) of the recommendations
    under each: the groups in the Summary's order (`ranked`), those in none last (None);
    one in several groups (themes) stands under each, in the register's order."""
    position = {rec_id: i for i, rec_id in enumerate(order)}
    groups: dict[str | None, list[int]] = {}
    placed = bytearray(len(order))
    for rec_id, name in _members(session, ids, group_by):
        if rec_id in position and name:
            groups.setdefault(name, []).append(position[rec_id])
            placed[position[rec_id]] = 1
    del position
    unplaced = [i for i, done in enumerate(placed) if not done]
    if unplaced:
        groups[None] = unplaced
    rank = {name: i for i, name in enumerate(ranked)}
    for members in groups.values():
        members.sort()
    return sorted(
        groups.items(),
        key=lambda item: (item[0] is None, rank.get(item[0] or "", len(rank)), item[0] or ""),
    )


def _meeting_rows(
    session: Session,
    order: Sequence[int],
    groups: list[tuple[str | None, list[int]]],
    as_of: dt.date,
    who: str,
) -> Iterator[tuple[str | None, ExportRow]]:
    reader = _RowReader(session, as_of, who)
    for name, positions in groups:
        for row in _positions_rows(reader, order, positions):
            yield name, row


# ---------------------------------------------------------------------------------------
# The History sheet


def _history(session: Session, order: Sequence[int], day: str) -> Iterator[AssessmentRow]:
    """Every assessment of the recommendations, in the register's order, then by date and
    by when it was recorded; none dated after `day`."""
    for h in assessments_in_order(session, order):
        if h["date"] is None or h["date"] <= day:
            yield h


def _shared(rows: Iterable[EvidenceRow]) -> Iterator[EvidenceRow]:
    for e in rows:
        e["file"] = _shared_file(e["file"])
        yield e


# ---------------------------------------------------------------------------------------
# The export


def export_rows(
    session: Session,
    query: StatusQuery,
    group_by: str = "body",
    database: str = "",
    schema_version: int = 0,
    title: str | None = None,
    lang: str = "en",
    summary: bool = True,
) -> ExportData:
    """Everything a workbook or CSV export shows, for the recommendations the query selects,
    with its labels in `lang` (en, sr-Latn, sr-Cyrl) and its title (default: from the
    countries and bodies it holds). The rows are read from the session as they are written,
    a chunk at a time (see `Rows`); without `summary` (a CSV file), the Summary's counts
    and the Meeting sheet's groups are not made."""
    group_by = domain.choice(group_by, domain.GROUP_BY, "grouping")
    lang = i18n.language(lang)
    ids, as_of, perspective = selected(session, query)
    day = as_of.isoformat()
    order = ordered_ids(session, ids)
    forget_keys()  # each key is sorted once: 100,000 cached keys would hold some 40 MB
    counts: dict[str, int] = dict.fromkeys(domain.ALL_STATUSES, 0)
    groups: list[Any] = []
    meeting: list[tuple[str | None, list[int]]] = []
    if summary:
        report = status_report(session, query, group_by, summary=True)
        counts, groups = report["counts"], report["groups"]
        ranked = [g["group"] for g in groups]
        meeting = meeting_groups(session, ids, order, group_by, ranked)
    if not (title or "").strip():
        countries = _distinct(session, Recommendation.country, ids)
        bodies = _distinct(session, Body.code, ids, (Body, col(Body.id) == Recommendation.body_id))
        title = default_title(countries, bodies, lang)
    now = utcnow()
    meta = {
        "title": (title or "").strip(),
        "language": lang,
        "tool_version": __version__,
        "schema_version": schema_version,
        "exported_at": format_timestamp(now),
        "export_date": now.date().isoformat(),
        "as_of": day,
        "perspective": perspective,
        "group_by": group_by,
        "filters": describe_filters(query.filters, lang),
        "database": database,
        "recommendations": len(order),
    }
    every = range(len(order))
    # The Meeting sheet has its rows in the register's order (grouped by body, each in one
    # group): the workbook writes it beside the Recommendations sheet, in one pass.
    in_order = summary and all(
        a == b for a, b in itertools.zip_longest(itertools.chain(*(m for _, m in meeting)), every)
    )
    return ExportData(
        meta=meta,
        group_by=group_by,
        groups=groups,
        counts=counts,
        recommendations=Rows(lambda: _register_rows(session, order, as_of, perspective)),
        meeting=Rows(lambda: _meeting_rows(session, order, meeting, as_of, perspective)),
        meeting_in_order=in_order,
        actions=Rows(lambda: action_rows_of(session, linked_action_ids(session, ids, day))),
        evidence=Rows(
            lambda: _shared(evidence_rows_of(session, linked_evidence_ids(session, ids, day)))
        ),
        actions_by_date=Rows(
            lambda: action_rows_of(session, linked_action_ids(session, ids, day, by_date=True))
        ),
        evidence_by_date=Rows(
            lambda: _shared(
                evidence_rows_of(session, linked_evidence_ids(session, ids, day, by_date=True))
            )
        ),
        history=Rows(lambda: _history(session, order, day)),
        lang=lang,
    )


def export_data(
    session: Session,
    query: StatusQuery,
    group_by: str = "body",
    database: str = "",
    schema_version: int = 0,
    title: str | None = None,
    lang: str = "en",
) -> ExportData:
    """Everything a workbook or CSV export shows (see `export_rows`), read whole into lists:
    for a small selection, or to look at."""
    data = export_rows(session, query, group_by, database, schema_version, title, lang)
    return replace(
        data,
        recommendations=list(data.recommendations),
        meeting=list(data.meeting),
        actions=list(data.actions),
        evidence=list(data.evidence),
        actions_by_date=None,
        evidence_by_date=None,
        history=list(data.history),
    )
