"""Data sets kept as text (TOML): loading one into the database, and gathering the tables
of one from it. The file format itself is `rectrack.io.toml`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from rectrack import domain, resources
from rectrack.dates import not_in_future, parse_date, parse_optional_date
from rectrack.errors import BadValue, Conflict, Problems, RectrackError
from rectrack.io.records import SourceRow
from rectrack.io.toml import DataSet, DataSetError, Entry, read_dataset
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    AssessmentWithdrawal,
    Body,
    Cluster,
    ClusterMember,
    Document,
    Evidence,
    EvidenceAction,
    EvidenceRecommendation,
    Recommendation,
    RecommendationLink,
    table_of,
    utcnow,
)
from rectrack.services.actions import ActionInput, action_fields, institution_of, link_action
from rectrack.services.assessments import (
    AssessmentInput,
    assess,
    assessment_row,
    check_after_made,
    common_values,
    status_for,
    withdraw_assessment,
)
from rectrack.services.bodies import add_body, find_body, resolve_body
from rectrack.services.bulk import BulkOptions, BulkReport, insert_many, load_rows
from rectrack.services.chunks import (
    Rows,
    action_rows_of,
    assessments_in_order,
    chunks,
    evidence_rows_of,
    forget_keys,
    linked_action_ids,
    linked_evidence_ids,
)
from rectrack.services.clusters import add_to_cluster
from rectrack.services.evidence import (
    EvidenceInput,
    evidence_fields,
    file_fields,
    link_evidence,
)
from rectrack.services.fields import PUBLISHED
from rectrack.services.filters import filtered_ids
from rectrack.services.links import link
from rectrack.services.lookup import (
    KEYS_AT_ONCE,
    IdSelect,
    RecFacts,
    action_id,
    assessment_id,
    evidence_id,
    find_recommendation,
    get_action,
    get_recommendations,
    recommendation_facts,
)
from rectrack.services.rows import ordered_ids, recommendation_rows
from rectrack.shapes import NewNames, RecFilter


@dataclass
class LoadReport:
    """What loading a data set added, and what it found already recorded."""

    documents_added: int = 0
    documents_present: int = 0
    recommendations_added: int = 0
    recommendations_present: int = 0
    actions_added: int = 0
    actions_present: int = 0
    evidence_added: int = 0
    evidence_present: int = 0
    assessments_added: int = 0
    assessments_present: int = 0
    bulk: BulkReport | None = None  # what loading the recommendations did
    clusters_added: int = 0
    links_added: int = 0


def load_dataset(
    session: Session, dataset: DataSet, new_names: NewNames | None = None
) -> LoadReport:
    """Record what the data set has and the database lacks. Either every entry is valid and
    the whole set is recorded, or DataSetError lists every problem (the caller rolls back)."""
    report = LoadReport()
    problems = _load_bodies(session, dataset.bodies)
    problems += _load_documents(session, dataset.documents, report)
    problems += _load_recommendations(session, dataset.recommendations, report, new_names)
    if not problems:
        facts = recommendation_facts(
            session,
            (
                k
                for entry in (*dataset.actions, *dataset.evidence)
                for k in entry.values.get("recommendations", [])
            ),
        )
        action_refs, found = _load_actions(session, list(dataset.actions), facts, report)
        evidence_refs, found_too = _load_evidence(
            session, list(dataset.evidence), action_refs, facts, report
        )
        problems = found + found_too
        problems += _load_assessments(session, dataset.assessments, evidence_refs, report)
        problems += _load_clusters(session, dataset.clusters, report)
        problems += _load_links(session, dataset.links, report)
    if problems:
        raise DataSetError(problems)
    return report


def _load_bodies(session: Session, entries: Iterable[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        v = entry.values
        try:
            if find_body(session, v["code"]) is None:
                add_body(session, v["code"], v["name"], v["kind"])
                session.flush()
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    return problems


def _load_documents(session: Session, entries: list[Entry], report: LoadReport) -> list[str]:
    """The documents the database lacks, recorded with one statement; one recorded already
    (by symbol) must be of the same body."""
    problems = []
    table = table_of(Document)
    recorded: dict[str, int] = {}
    symbols = list({str(e.values.get("symbol", "")).strip() for e in entries})
    for start in range(0, len(symbols), 500):
        query = select(table.c.symbol, table.c.body_id).where(
            table.c.symbol.in_(symbols[start : start + 500])
        )
        recorded.update(
            {symbol: body_id for symbol, body_id in session.connection().execute(query)}
        )
    bodies: dict[str, int] = {}
    new: list[dict[str, Any]] = []
    for entry in entries:
        v = entry.values
        try:
            code = v["body"].strip().upper()
            if code not in bodies:
                body_id = resolve_body(session, code).id
                assert body_id is not None
                bodies[code] = body_id
            symbol = v["symbol"].strip()
            if symbol in recorded:
                if recorded[symbol] != bodies[code]:
                    raise BadValue(f"document {symbol} is already recorded for another body")
                report.documents_present += 1
                continue
            parsed = parse_optional_date(v.get("date"))
            if parsed is not None:
                not_in_future(parsed, PUBLISHED)
            if v.get("url", "").strip():
                domain.check_url(v["url"].strip())
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
            continue
        recorded[symbol] = bodies[code]
        new.append(
            {
                "body_id": bodies[code],
                "symbol": symbol,
                **{
                    name: domain.optional_text(v.get(name))
                    for name in ("title", "cycle", "country", "url")
                },
                "date": parsed.iso if parsed else None,
            }
        )
    insert_many(session.connection(), table, new)
    report.documents_added += len(new)
    return problems


def _source_row(number: int, v: dict[str, Any]) -> SourceRow:
    """A data set entry as a row for the bulk loader."""
    return SourceRow(
        line=number,
        text=v.get("text", ""),
        body=v.get("body"),
        key=v.get("key"),
        document=v.get("document"),
        source_id=v.get("source_id"),
        country=v.get("country"),
        paragraph=v.get("paragraph"),
        date=v.get("date"),
        summary=v.get("summary"),
        themes=v.get("themes", []),
        institutions=v.get("institutions", []),
        recommending=v.get("recommending", []),
        affected=v.get("affected", []),
        sdgs=v.get("sdgs", []),
        priority=v.get("priority"),
        response=v.get("response"),
        due=v.get("due"),
        category=v.get("category"),
        origin_file=v.get("source_file"),
        origin_row=v.get("source_row"),
    )


def _load_recommendations(
    session: Session, entries: list[Entry], report: LoadReport, new_names: NewNames | None
) -> list[str]:
    """The recommendations, through the bulk loader: one already recorded under its key is
    brought up to date with the entry."""
    if not entries:
        return []
    options = BulkOptions(
        source=entries[0].where.split(":", 1)[0],
        record_source=False,
        where=lambda n: entries[n].where,
        new_names=new_names or NewNames(),
    )
    rows = (_source_row(n, entry.values) for n, entry in enumerate(entries))
    try:
        bulk = load_rows(session, rows, options)
    except Problems as e:
        return e.problems
    report.recommendations_added = bulk.added
    report.recommendations_present = bulk.updated + bulk.unchanged + bulk.repeated
    report.bulk = bulk
    return []


def _recorded_at(text: str | None) -> dt.datetime | None:
    """When a data set says an entry was recorded (noon UTC of that day)."""
    if not text:
        return None
    return dt.datetime.combine(parse_date(text).first_day, dt.time(12), tzinfo=dt.UTC)


def _title_and_date(v: dict[str, Any]) -> tuple[str, str | None]:
    return v["title"].strip(), parse_date(v["date"]).iso if v.get("date") else None


def _load_tracked(
    session: Session,
    entries: Iterable[Entry],
    model: type[Action] | type[Evidence],
    add: Callable[[dict[str, Any], dt.datetime], int],
    link: Callable[[int, dict[str, Any]], object],
) -> tuple[dict[str, int], list[str], tuple[int, int]]:
    """Actions or evidence, each once: one with the same title and date as one recorded is
    linked (`link`) rather than added (`add`, given when it was recorded). Returns their
    numbers by `ref`, the problems and how many were added and found already recorded."""
    refs: dict[str, int] = {}
    problems = []
    added = present = 0
    known: dict[tuple[str, str | None], int] = {}
    for number, title, date in session.connection().execute(
        sa.select(col(model.id), col(model.title), col(model.date))
    ):
        known.setdefault((title, date), number or 0)
    for entry in entries:
        v = dict(entry.values)
        ref = v.pop("ref", None)
        try:
            recorded_at = _recorded_at(v.pop("recorded_at", None)) or utcnow()
            same = _title_and_date(v)
            existing = known.get(same)
            if existing is None:
                number = add(v, recorded_at)
                known[same] = number
                added += 1
            else:
                number = existing
                present += 1
                link(number, v)
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
            continue
        if ref:
            refs[ref] = number
    return refs, problems, (added, present)


def _insert(session: Session, model: Any, values: dict[str, Any]) -> int:
    """Insert one row without the ORM's work for it; its id."""
    table = table_of(model)
    number = session.connection().execute(sa.insert(table).returning(table.c.id), values)
    return int(number.scalar_one())


def _rec_ids(session: Session, facts: dict[str, RecFacts], keys: list[str]) -> list[int]:
    """The ids of the named recommendations, each once; NotFound as `add` says it."""
    missing = [k for k in keys if k.strip().lower() not in facts]
    if missing:
        get_recommendations(session, missing)
    return list(dict.fromkeys(facts[k.strip().lower()].id for k in keys))


def _load_actions(
    session: Session, entries: list[Entry], facts: dict[str, RecFacts], report: LoadReport
) -> tuple[dict[str, int], list[str]]:
    def add(v: dict[str, Any], recorded_at: dt.datetime) -> int:
        keys = v.pop("recommendations", [])
        given = ActionInput(**v)
        fields = action_fields(given)
        rec_ids = _rec_ids(session, facts, keys)
        fields["institution_id"] = institution_of(session, given)
        number = _insert(session, Action, {**fields, "created_at": recorded_at})
        rows = [{"action_id": number, "recommendation_id": r, "note": None} for r in rec_ids]
        insert_many(session.connection(), table_of(ActionRecommendation), rows)
        return number

    def link(number: int, v: dict[str, Any]) -> None:
        link_action(session, action_id(number), v.get("recommendations", []))

    refs, problems, counts = _load_tracked(session, entries, Action, add, link)
    report.actions_added, report.actions_present = counts
    return refs, problems


def _load_evidence(
    session: Session,
    entries: list[Entry],
    action_refs: dict[str, int],
    facts: dict[str, RecFacts],
    report: LoadReport,
) -> tuple[dict[str, int], list[str]]:
    def links(v: dict[str, Any]) -> tuple[list[str], list[str]]:
        actions = [
            action_id(action_refs[a]) if a in action_refs else a for a in v.pop("actions", [])
        ]
        return v.pop("recommendations", []), actions

    def add(v: dict[str, Any], recorded_at: dt.datetime) -> int:
        keys, actions = links(v)
        given = EvidenceInput(**v)
        fields = evidence_fields(session, given)
        file = fields.pop("file")
        rec_ids = _rec_ids(session, facts, keys)
        action_ids = list(dict.fromkeys(get_action(session, a).id or 0 for a in actions))
        fields.update(file_fields(session, given, file), created_at=recorded_at)
        number = _insert(session, Evidence, fields)
        conn = session.connection()
        insert_many(
            conn,
            table_of(EvidenceRecommendation),
            [{"evidence_id": number, "recommendation_id": r} for r in rec_ids],
        )
        insert_many(
            conn,
            table_of(EvidenceAction),
            [{"evidence_id": number, "action_id": a} for a in action_ids],
        )
        return number

    def link(number: int, v: dict[str, Any]) -> None:
        keys, actions = links(v)
        if keys or actions:
            link_evidence(session, evidence_id(number), keys, actions)

    refs, problems, counts = _load_tracked(session, entries, Evidence, add, link)
    report.evidence_added, report.evidence_present = counts
    return refs, problems


def _load_assessments(
    session: Session, entries: Iterable[Entry], evidence_refs: dict[str, int], report: LoadReport
) -> list[str]:
    """Assessments; one already recorded (same date, perspective, status, grade) is skipped.
    The usual ones (no evidence, not withdrawn) are checked by the rules `assess` follows
    and written many at a time; the others one by one, through `assess`."""
    entries = list(entries)
    facts = recommendation_facts(
        session, (k for e in entries for k in e.values.get("recommendations", []))
    )
    bodies = {b.id: b for b in session.exec(select(Body))}
    recorded = _recorded_assessments(session, [f.id for f in facts.values()])
    problems: list[str] = []
    waiting: list[dict[str, Any]] = []
    for entry in entries:
        v = entry.values
        try:
            given = AssessmentInput(
                status=v.get("status"),
                date=v["date"],
                perspective=v.get("by"),
                grade=v.get("grade"),
                note=v.get("note"),
                evidence=[
                    evidence_id(evidence_refs[e]) if e in evidence_refs else e
                    for e in v.get("evidence", [])
                ],
                recorded_by=v.get("recorded_by"),
                recorded_at=_recorded_at(v.get("recorded_at")),
            )
            if given.evidence or v.get("withdrawn") or not v["recommendations"]:
                _write_assessments(session, waiting)  # in the order of the file
                _assess_one_by_one(session, v, given, report)
                continue
            common = common_values(given)
            keys = [k.strip().lower() for k in v["recommendations"]]
            missing = [k for k in v["recommendations"] if k.strip().lower() not in facts]
            if missing:
                get_recommendations(session, missing)  # says which, as `assess` would
            rows = []
            for key in dict.fromkeys(keys):
                rec = facts[key]
                status = status_for(bodies[rec.body_id], given.status, given.grade)
                check_after_made(rec.key, rec.date, common.date)
                same = (rec.id, common.date.iso, common.perspective)
                grade = (common.grade or "").casefold()
                if any(
                    g == grade and (given.status is None or st == status)
                    for st, g in recorded.get(same, ())
                ):
                    report.assessments_present += 1
                    continue
                rows.append(assessment_row(rec.id, status, common))
                recorded.setdefault(same, []).append((status, grade))
            waiting += rows
            report.assessments_added += len(rows)
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    _write_assessments(session, waiting)
    return problems


def _recorded_assessments(
    session: Session, rec_ids: list[int]
) -> dict[tuple[int, str, str], list[tuple[str, str]]]:
    """The assessments recorded for these recommendations: (status, folded grade) by
    recommendation, date and perspective."""
    found: dict[tuple[int, str, str], list[tuple[str, str]]] = {}
    a = Assessment
    for start in range(0, len(rec_ids), KEYS_AT_ONCE):
        part = rec_ids[start : start + KEYS_AT_ONCE]
        columns = [a.recommendation_id, a.date, a.perspective, a.status, a.grade]
        query = sa.select(*(col(c) for c in columns)).where(col(a.recommendation_id).in_(part))
        row: Any
        for row in session.connection().execute(query):
            rec_id, date, perspective, status, grade = row
            found.setdefault((rec_id, date, perspective), []).append(
                (status, (grade or "").casefold())
            )
    return found


def _write_assessments(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write the assessments gathered so far, and forget them."""
    if rows:
        session.flush()
        insert_many(session.connection(), table_of(Assessment), rows)
        rows.clear()


def _assess_one_by_one(
    session: Session, v: dict[str, Any], given: AssessmentInput, report: LoadReport
) -> None:
    """An assessment with evidence, or withdrawn: recorded through `assess`."""
    found = {k: _assessed(session, k, given) for k in v["recommendations"]}
    fresh = [k for k, row in found.items() if row is None]
    report.assessments_present += len(found) - len(fresh)
    recorded = [r["id"] for r in assess(session, fresh, given)] if fresh else []
    report.assessments_added += len(recorded)
    if v.get("withdrawn"):
        present = [assessment_id(row.id or 0) for row in found.values() if row is not None]
        _withdraw(session, recorded + present, v)


def _load_clusters(session: Session, entries: Iterable[Entry], report: LoadReport) -> list[str]:
    """Clusters: a new one is recorded, one on record gains the recommendations it lacks."""
    problems = []
    for entry in entries:
        v = entry.values
        try:
            _, created, _ = add_to_cluster(
                session, v["name"], v["recommendations"], v.get("note"), new=True
            )
            report.clusters_added += created
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    return problems


def _load_links(session: Session, entries: Iterable[Entry], report: LoadReport) -> list[str]:
    """Links between recommendations; one on record already is left as it is."""
    problems = []
    for entry in entries:
        v = entry.values
        try:
            link(session, v["from"], v["to"], v["kind"], v.get("note"))
            report.links_added += 1
        except Conflict:
            continue
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    return problems


def _withdraw(session: Session, idents: list[str], v: dict[str, Any]) -> None:
    """Withdraw the assessments a data set says were withdrawn (once)."""
    for ident in idents:
        number = domain.parse_short_id(ident, "S", "assessment")
        if session.get(AssessmentWithdrawal, number) is None:
            at = _recorded_at(v.get("withdrawn_at"))
            withdraw_assessment(session, ident, v["withdrawn"], v.get("withdrawn_by"), at)


def _assessed(session: Session, key: str, given: AssessmentInput) -> Assessment | None:
    """This very assessment (same date, perspective, status and grade), if recorded."""
    rec = find_recommendation(session, key)
    if rec is None or given.date is None:
        return None
    perspective = domain.choice(given.perspective or "ngo", domain.PERSPECTIVES, "perspective")
    status = domain.choice(given.status, domain.ASSESSABLE, "status") if given.status else None
    grade = " ".join(given.grade.split()) if given.grade else None
    query = select(Assessment).where(
        Assessment.recommendation_id == rec.id,
        Assessment.date == parse_date(given.date).iso,
        Assessment.perspective == perspective,
    )
    for row in session.exec(query):
        same_grade = (row.grade or "").casefold() == (grade or "").casefold()
        if same_grade and (status is None or row.status == status):
            return row
    return None


def load_files(
    session: Session, paths: Iterable[Path | Traversable], new_names: NewNames | None = None
) -> LoadReport:
    """Load data set files as one data set (all or nothing)."""
    dataset = DataSet()
    for path in paths:
        dataset.extend(read_dataset(path))
    return load_dataset(session, dataset, new_names)


def load_sample(session: Session) -> LoadReport:
    """Load the demonstration data set that ships with rectrack."""
    return load_files(session, resources.sample_files())


# ---------------------------------------------------------------------------------------
# Writing a data set
#
# Read as it is written: a table is a pass over the selection a chunk at a time (see
# `chunks`). Links reach only what the data set holds: what is held for that is the keys
# of the selected recommendations and the ids of their actions.


def _without(row: Any, *names: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in names}


def _bodies(session: Session, ids: IdSelect) -> list[dict[str, Any]]:
    used = select(Recommendation.body_id).where(col(Recommendation.id).in_(ids))
    return [
        {"code": b.code, "name": b.name, "kind": b.kind}
        for b in session.exec(select(Body).where(col(Body.id).in_(used)).order_by(Body.code))
    ]


def _documents(session: Session, ids: IdSelect) -> Iterator[dict[str, Any]]:
    """The documents of the recommendations, their fields in the order the README gives
    them (that of the table's columns)."""
    code_of = dict(session.exec(select(Body.id, Body.code)).all())
    cited = select(Recommendation.document_id).where(col(Recommendation.id).in_(ids))
    table = table_of(Document)
    fields = [c for c in table.c if c.name not in ("id", "body_id")]
    query = sa.select(table.c.body_id, *fields).where(table.c.id.in_(cited)).order_by(table.c.id)
    for body_id, *values in session.connection().execute(query).all():
        yield {"body": code_of[body_id], **{c.name: v for c, v in zip(fields, values, strict=True)}}


def _recommendations(session: Session, order: Sequence[int]) -> Iterator[dict[str, Any]]:
    for chunk in chunks(order):
        for r in recommendation_rows(session, chunk):  # in the register's order
            yield {
                "key": r["key"],
                "document": r["document"],
                "body": None if r["document"] else r["body"],
            } | _without(r, "key", "document", "body", "clusters")
        forget_keys()


def _actions(
    session: Session, numbers: Sequence[int], exported: set[str]
) -> Iterator[dict[str, Any]]:
    for a in action_rows_of(session, numbers):
        yield {
            "ref": a["id"],
            **_without(a, "id", "recommendations", "evidence", "recorded_at"),
            "recommendations": [k for k in a["recommendations"] if k in exported],
            "recorded_at": a["recorded_at"][:10],
        }


def _evidence(
    session: Session, numbers: Sequence[int], exported: set[str], actions: set[str]
) -> Iterator[dict[str, Any]]:
    for e in evidence_rows_of(session, numbers):
        yield {
            "ref": e["id"],
            **_without(e, "id", "recommendations", "actions", "recorded_at"),
            "recommendations": [k for k in e["recommendations"] if k in exported],
            "actions": [a for a in e["actions"] if a in actions],
            "recorded_at": e["recorded_at"][:10],
        }


def _assessments(session: Session, order: Sequence[int]) -> Iterator[dict[str, Any]]:
    """The assessments of the recommendations, in the register's order. The evidence they
    cite is in the data set: it holds the evidence the assessments cite."""
    for h in assessments_in_order(session, order):
        yield {
            "recommendations": [h["key"]],
            "date": h["date"],
            "status": h["status"],
            "by": h["perspective"],
            "grade": h["grade"],
            "note": h["note"],
            "evidence": h["evidence"],
            "recorded_by": h["recorded_by"],
            "recorded_at": h["recorded_at"][:10],
            "withdrawn": h["withdrawn"],
            "withdrawn_by": h["withdrawn_by"],
            "withdrawn_at": (h["withdrawn_at"] or "")[:10] or None,
        }


def _clusters(session: Session, ids: IdSelect, order: Sequence[int]) -> list[dict[str, Any]]:
    """The clusters of the recommendations, with those of their members the data set
    holds, in the register's order."""
    m = ClusterMember
    found = (
        session.connection()
        .execute(
            sa.select(col(Cluster.name), col(m.recommendation_id), col(Recommendation.key))
            .join(m, col(m.cluster_id) == Cluster.id)
            .join(Recommendation, col(Recommendation.id) == m.recommendation_id)
            .where(col(m.recommendation_id).in_(ids))
        )
        .all()
    )
    if not found:
        return []
    position = {rec_id: i for i, rec_id in enumerate(order)}
    members: dict[str, list[tuple[int, str]]] = {}
    for name, rec_id, key in found:
        members.setdefault(name, []).append((position[rec_id], key))
    notes = dict(session.exec(select(Cluster.name, Cluster.note)).all())
    return [
        {"name": name, "note": notes.get(name), "recommendations": [k for _, k in sorted(keys)]}
        for name, keys in sorted(members.items())
    ]


def _links(session: Session, ids: IdSelect) -> Iterator[dict[str, Any]]:
    """The links between two of the recommendations."""
    link = RecommendationLink
    ends = (aliased(Recommendation), aliased(Recommendation))
    found = session.connection().execute(
        sa.select(col(ends[0].key), col(ends[1].key), col(link.kind), col(link.note))
        .join(ends[0], col(ends[0].id) == link.from_id)
        .join(ends[1], col(ends[1].id) == link.to_id)
        .where(col(link.from_id).in_(ids), col(link.to_id).in_(ids))
        .order_by(col(link.id))
    )
    for source, target, kind, note in found:
        yield {"from": source, "to": target, "kind": kind, "note": note}


def dataset_rows(session: Session, filters: RecFilter) -> dict[str, Iterable[dict[str, Any]]]:
    """The recommendations the filters select, with their documents, actions, evidence and
    assessments, as the tables of a data set (what `load_dataset` reads back); each table
    read from the session as it is written, a chunk at a time (see `chunks.Rows`)."""
    ids = filtered_ids(session, filters)
    order = ordered_ids(session, ids)
    forget_keys()  # each key is sorted once: 100,000 cached keys would hold some 40 MB
    r = Recommendation
    exported = {
        key
        for (key,) in session.connection().execute(sa.select(col(r.key)).where(col(r.id).in_(ids)))
    }
    actions = linked_action_ids(session, ids)
    refs = {action_id(n) for n in actions}
    return {
        "bodies": Rows(lambda: iter(_bodies(session, ids))),
        "documents": Rows(lambda: _documents(session, ids)),
        "recommendations": Rows(lambda: _recommendations(session, order)),
        "actions": Rows(lambda: _actions(session, actions, exported)),
        "evidence": Rows(
            lambda: _evidence(session, linked_evidence_ids(session, ids), exported, refs)
        ),
        "assessments": Rows(lambda: _assessments(session, order)),
        "clusters": Rows(lambda: iter(_clusters(session, ids, order))),
        "links": Rows(lambda: _links(session, ids)),
    }


def dataset_tables(session: Session, filters: RecFilter) -> dict[str, list[dict[str, Any]]]:
    """The tables of a data set (see `dataset_rows`), read whole into lists."""
    return {name: list(rows) for name, rows in dataset_rows(session, filters).items()}
