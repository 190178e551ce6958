"""Assessments: dated judgements of how far a recommendation is implemented, from one
perspective (the NGO's, the state's claim, the body's own grade). Only ever added, never
changed: a correction is a new assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert
from sqlmodel import Session

from rectrack import domain, resources
from rectrack.dates import PartialDate, not_in_future, parse_date
from rectrack.errors import BadValue, Conflict, NotFound
from rectrack.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentWithdrawal,
    Body,
    Recommendation,
    utcnow,
)
from rectrack.services.lookup import assessment_id, get_evidence, get_recommendations
from rectrack.settings import current_user
from rectrack.shapes import Recorded


@dataclass
class AssessmentInput:
    """An assessment as the user gave it, before validation. `status` may be left out when
    `grade` is on the body's own scale."""

    status: str | None
    date: str | None = None
    perspective: str | None = None
    grade: str | None = None
    note: str | None = None
    evidence: Sequence[str] = ()
    recorded_by: str | None = None
    recorded_at: dt.datetime | None = None


def status_for(body: Body, status: str | None, grade: str | None) -> str:
    """The status an assessment records: as given, else what the grade means on the
    body's scale. Raises BadValue when neither gives one."""
    if status is not None and status.strip():
        return domain.choice(status, domain.ASSESSABLE, "status")
    scale = domain.scale_for(body.code, body.kind, resources.scales())
    if grade and scale is not None:
        meant = domain.grade_status(scale, grade)
        if meant is not None:
            return meant
        grades = ", ".join(g.grade for g in scale.grades)
        raise BadValue(
            f"'{grade}' is not a grade of the {scale.name} ({grades}); "
            "give --status as well to record it anyway"
        )
    if grade:
        raise BadValue(
            f"{body.code} has no grading scale to read '{grade}' from: "
            f"give --status ({', '.join(domain.ASSESSABLE)})"
        )
    raise BadValue(f"missing --status; valid values: {', '.join(domain.ASSESSABLE)}")


def _statuses(
    session: Session, recs: Sequence[Recommendation], given: AssessmentInput
) -> list[str]:
    bodies: dict[int, Body] = {}
    out = []
    for rec in recs:
        body = bodies.get(rec.body_id) or session.get(Body, rec.body_id)
        assert body is not None
        bodies[rec.body_id] = body
        out.append(status_for(body, given.status, given.grade))
    return out


def assessment_date(text: str | None) -> PartialDate:
    """The date of the situation assessed (default: today); never in the future."""
    date = parse_date(text) if text else PartialDate.from_date(dt.date.today())
    return not_in_future(date, "an assessment is of a situation that has been seen")


def _recorded(row: Assessment, key: str) -> Recorded:
    return {
        "id": assessment_id(row.id or 0),
        "key": key,
        "status": row.status,
        "date": row.date,
        "perspective": row.perspective,
        "grade": row.grade,
    }


@dataclass(frozen=True)
class Common:
    """What an assessment records for every recommendation it names, checked."""

    perspective: str
    date: PartialDate
    grade: str | None
    note: str | None
    recorded_by: str
    recorded_at: dt.datetime


def common_values(given: AssessmentInput) -> Common:
    """The perspective, date, grade, note and recorder of an assessment, checked."""
    perspective = domain.choice(given.perspective or "ngo", domain.PERSPECTIVES, "perspective")
    date = assessment_date(given.date)
    # A note is kept as written (spaces at its ends included); one of spaces only is none.
    return Common(
        perspective=perspective,
        date=date,
        grade=domain.optional_text(given.grade),
        note=given.note if given.note and given.note.strip() else None,
        recorded_by=given.recorded_by or current_user(),
        recorded_at=given.recorded_at or utcnow(),
    )


def check_after_made(key: str, made: str | None, date: PartialDate) -> None:
    """Refuse an assessment dated wholly before its recommendation was made."""
    if made and date.last_day < PartialDate.from_iso(made).first_day:
        raise BadValue(
            f"{key}: the assessment's date {date.iso} is before the recommendation "
            f"was made ({made}): an assessment is of what followed it"
        )


def assessment_row(rec_id: int, status: str, common: Common) -> dict[str, object]:
    """The values of the assessment row recorded for one recommendation."""
    return {
        "recommendation_id": rec_id,
        "date": common.date.iso,
        "status": status,
        "perspective": common.perspective,
        "grade": common.grade,
        "note": common.note,
        "recorded_by": common.recorded_by,
        "recorded_at": common.recorded_at,
    }


def assess(session: Session, keys: Sequence[str], given: AssessmentInput) -> list[Recorded]:
    """Record one assessment for each key (all or none); return what was recorded."""
    if not keys:
        raise BadValue("name at least one recommendation key")
    recs = get_recommendations(session, keys)
    common = common_values(given)
    evidence = {e.id: e for e in (get_evidence(session, i) for i in given.evidence)}
    statuses = _statuses(session, recs, given)
    for rec in recs:
        check_after_made(rec.key, rec.date, common.date)
    out: list[Recorded] = []
    for rec, status in zip(recs, statuses, strict=True):
        assert rec.id is not None
        row = Assessment(**assessment_row(rec.id, status, common))  # type: ignore[arg-type]
        session.add(row)
        session.flush()
        if evidence:
            session.exec(
                insert(AssessmentEvidence).values(
                    [{"assessment_id": row.id, "evidence_id": e} for e in evidence]
                )
            )
        out.append(_recorded(row, rec.key))
    return out


def withdraw_assessment(
    session: Session,
    ident: str,
    note: str | None,
    by: str | None = None,
    at: dt.datetime | None = None,
) -> Recorded:
    """Withdraw a mistaken assessment (`S12`): it stays on record, marked, and no longer
    counts for any status. `note` says why; it is required."""
    number = domain.parse_short_id(ident, "S", "assessment")
    found = session.get(Assessment, number)
    if found is None:
        raise NotFound(f"no assessment {assessment_id(number)}")
    why = domain.optional_text(note)
    if not why:
        raise BadValue('say why the assessment is withdrawn: --note "..."')
    if session.get(AssessmentWithdrawal, number) is not None:
        raise Conflict(f"{assessment_id(number)} is already withdrawn")
    session.add(
        AssessmentWithdrawal(
            assessment_id=number,
            note=why,
            recorded_by=by or current_user(),
            recorded_at=at or utcnow(),
        )
    )
    rec = session.get(Recommendation, found.recommendation_id)
    return _recorded(found, rec.key if rec else "?")
