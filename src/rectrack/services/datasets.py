"""Loading data sets (documents, recommendations, actions, evidence, assessments)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from rectrack import domain
from rectrack.dates import parse_date
from rectrack.errors import Duplicate, RectrackError
from rectrack.io.toml import DataSet, DataSetError, read_dataset
from rectrack.models import Action, Assessment, Evidence
from rectrack.services.bodies import add_body, find_body
from rectrack.services.exchange import assessment_rows, linked_actions, linked_evidence
from rectrack.services.recommendations import (
    RecFilter,
    RecInput,
    add_recommendation,
    ensure_document,
    filtered_ids,
    find_document,
    find_recommendation,
    recommendation_rows,
)
from rectrack.services.tracking import (
    ActionInput,
    AssessmentInput,
    EvidenceInput,
    action_id,
    add_action,
    add_evidence,
    assess,
    evidence_id,
    link_action,
    link_evidence,
)
from rectrack.settings import data_path


@dataclass
class LoadReport:
    documents_added: int = 0
    recommendations_added: int = 0
    recommendations_present: int = 0
    actions_added: int = 0
    evidence_added: int = 0
    assessments_added: int = 0

    def describe(self) -> str:
        p = domain.plural
        text = (
            f"{p(self.recommendations_added, 'recommendation')} added, "
            f"{self.recommendations_present} already present; "
            f"{p(self.documents_added, 'document')} added"
        )
        if self.actions_added or self.evidence_added or self.assessments_added:
            text += (
                f"; {p(self.actions_added, 'action')}, "
                f"{p(self.evidence_added, 'piece')} of evidence and "
                f"{p(self.assessments_added, 'assessment')} added"
            )
        return text


def load_dataset(session: Session, dataset: DataSet) -> LoadReport:
    """Record what the data set has and the database lacks. Either every entry is valid and
    the whole set is recorded, or DataSetError lists every problem (the caller rolls back)."""
    report = LoadReport()
    problems: list[str] = []
    for entry in dataset.bodies:
        v = entry.values
        try:
            existing = find_body(session, v["code"])
            if existing is None:
                add_body(session, v["code"], v["name"], v["kind"])
                session.flush()
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    for entry in dataset.documents:
        try:
            _, added = ensure_document(session, **entry.values)
            report.documents_added += added
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    for entry in dataset.recommendations:
        v = dict(entry.values)
        if v.get("key") and find_recommendation(session, v["key"]) is not None:
            report.recommendations_present += 1
            continue
        body = v.pop("body", None)
        if body is None and v.get("document"):
            doc = find_document(session, v["document"])
            if doc is not None:
                body = _body_code(session, doc.body_id)
        if body is None:
            problems.append(f"{entry.where}: needs 'body' or the symbol of a recorded document")
            continue
        try:
            add_recommendation(session, RecInput(body=body, **v))
            report.recommendations_added += 1
        except Duplicate:
            report.recommendations_present += 1
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    if not problems:
        _load_tracking(session, dataset, report, problems)
    if problems:
        raise DataSetError(problems)
    return report


def _load_tracking(
    session: Session, dataset: DataSet, report: LoadReport, problems: list[str]
) -> None:
    """Actions, evidence and assessments; an entry already recorded is skipped."""
    action_refs: dict[str, int] = {}
    for entry in dataset.actions:
        v = dict(entry.values)
        ref, keys = v.pop("ref", None), v.pop("recommendations", [])
        try:
            recorded_at = _recorded_at(v.pop("recorded_at", None))
            existing = session.exec(
                select(Action).where(
                    Action.title == v["title"].strip(),
                    Action.date == (parse_date(v["date"]).iso if v.get("date") else None),
                )
            ).first()
            if existing is None:
                number = domain.parse_short_id(
                    add_action(session, ActionInput(**v), keys), "A", "action"
                )
                if recorded_at:
                    session.get(Action, number).created_at = recorded_at
                report.actions_added += 1
            else:
                number = existing.id
                link_action(session, action_id(number), keys)
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
            continue
        if ref:
            action_refs[ref] = number

    evidence_refs: dict[str, int] = {}
    for entry in dataset.evidence:
        v = dict(entry.values)
        ref, keys = v.pop("ref", None), v.pop("recommendations", [])
        try:
            recorded_at = _recorded_at(v.pop("recorded_at", None))
            actions = [
                action_id(action_refs[a]) if a in action_refs else a for a in v.pop("actions", [])
            ]
            existing = session.exec(
                select(Evidence).where(
                    Evidence.title == v["title"].strip(),
                    Evidence.date == (parse_date(v["date"]).iso if v.get("date") else None),
                )
            ).first()
            if existing is None:
                number = domain.parse_short_id(
                    add_evidence(session, EvidenceInput(**v), keys, actions), "E", "evidence"
                )
                if recorded_at:
                    session.get(Evidence, number).created_at = recorded_at
                report.evidence_added += 1
            else:
                number = existing.id
                if keys or actions:
                    link_evidence(session, evidence_id(number), keys, actions)
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
            continue
        if ref:
            evidence_refs[ref] = number

    for entry in dataset.assessments:
        v = dict(entry.values)
        try:
            recorded_at = _recorded_at(v.get("recorded_at"))
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
                recorded_at=recorded_at,
            )
            fresh = [k for k in v["recommendations"] if not _assessed(session, k, given)]
            if fresh:
                report.assessments_added += len(assess(session, fresh, given))
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")


def _recorded_at(text: str | None) -> dt.datetime | None:
    """When a data set says an entry was recorded (noon UTC of that day)."""
    if not text:
        return None
    return dt.datetime.combine(parse_date(text).first_day, dt.time(12), tzinfo=dt.UTC)


def _assessed(session: Session, key: str, given: AssessmentInput) -> bool:
    """Whether this very assessment (same date, perspective, status and grade) is recorded."""
    rec = find_recommendation(session, key)
    if rec is None:
        return False
    perspective = domain.choice(given.perspective or "ngo", domain.PERSPECTIVES, "perspective")
    status = domain.choice(given.status, domain.STATUSES, "status") if given.status else None
    grade = " ".join(given.grade.split()) if given.grade else None
    query = select(Assessment).where(
        Assessment.recommendation_id == rec.id,
        Assessment.date == parse_date(given.date).iso,
        Assessment.perspective == perspective,
    )
    for row in session.exec(query):
        same_grade = (row.grade or "").casefold() == (grade or "").casefold()
        if same_grade and (status is None or row.status == status):
            return True
    return False


def _body_code(session: Session, body_id: int) -> str:
    from rectrack.models import Body

    body = session.get(Body, body_id)
    return body.code if body else ""


def sample_files() -> list[Path]:
    return sorted(data_path("sample").glob("*.toml"))


def load_files(session: Session, paths: list[Path]) -> LoadReport:
    dataset = DataSet()
    for path in paths:
        dataset.extend(read_dataset(path))
    return load_dataset(session, dataset)


def load_sample(session: Session) -> LoadReport:
    return load_files(session, sample_files())


def dataset_tables(session: Session, filters: RecFilter) -> dict[str, list[dict[str, Any]]]:
    """The recommendations the filters select, with their documents, actions, evidence and
    assessments, as the tables of a data set (what `load_dataset` reads back)."""
    from rectrack.models import Body, Document, Recommendation

    ids = filtered_ids(session, filters)
    recs = recommendation_rows(session, ids)
    body_of = dict(session.exec(select(Body.id, Body.code)).all())
    used = {r["body"] for r in recs}
    bodies = [
        {"code": b.code, "name": b.name, "kind": b.kind}
        for b in session.exec(select(Body).order_by(Body.code))
        if b.code in used
    ]
    documents = [
        {
            "body": body_of[d.body_id],
            "symbol": d.symbol,
            "title": d.title,
            "date": d.date,
            "cycle": d.cycle,
            "country": d.country,
            "url": d.url,
        }
        for d in session.exec(
            select(Document)
            .where(
                Document.id.in_(
                    select(Recommendation.document_id).where(Recommendation.id.in_(ids))
                )
            )
            .order_by(Document.id)
        )
    ]
    recommendations = [
        {
            "key": r["key"],
            "document": r["document"],
            "body": None if r["document"] else r["body"],
            "paragraph": r["paragraph"],
            "date": r["date"],
            "country": r["country"],
            "text": r["text"],
            "summary": r["summary"],
            "themes": r["themes"],
            "institutions": r["institutions"],
            "priority": r["priority"],
            "response": r["response"],
            "due": r["due"],
        }
        for r in recs
    ]
    exported = {r["key"] for r in recs}
    actions = [
        {
            "ref": a["id"],
            "title": a["title"],
            "kind": a["kind"],
            "date": a["date"],
            "institution": a["institution"],
            "reference": a["reference"],
            "url": a["url"],
            "description": a["description"],
            "recommendations": [k for k in a["recommendations"] if k in exported],
            "recorded_at": a["recorded_at"][:10],
        }
        for a in linked_actions(session, ids)
    ]
    action_refs = {a["ref"] for a in actions}
    evidence = [
        {
            "ref": e["id"],
            "title": e["title"],
            "kind": e["kind"],
            "date": e["date"],
            "source": e["source"],
            "url": e["url"],
            "file": e["file"],
            "size": e["size"],
            "sha256": e["sha256"],
            "note": e["note"],
            "recommendations": [k for k in e["recommendations"] if k in exported],
            "actions": [a for a in e["actions"] if a in action_refs],
            "recorded_at": e["recorded_at"][:10],
        }
        for e in linked_evidence(session, ids)
    ]
    evidence_refs = {e["ref"] for e in evidence}
    assessments = [
        {
            "recommendations": [h["key"]],
            "date": h["date"],
            "status": h["status"],
            "by": h["perspective"],
            "grade": h["grade"],
            "note": h["note"],
            "evidence": [e for e in h["evidence"] if e in evidence_refs],
            "recorded_by": h["recorded_by"],
            "recorded_at": h["recorded_at"][:10],
        }
        for h in assessment_rows(session, ids, {r["key"]: i for i, r in enumerate(recs)})
    ]
    return {
        "bodies": bodies,
        "documents": documents,
        "recommendations": recommendations,
        "actions": actions,
        "evidence": evidence,
        "assessments": assessments,
    }
