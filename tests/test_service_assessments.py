"""rectrack.services.assessments on an in-memory database: statuses as given or read from a
body's grading scale, dates, perspectives, and all-or-nothing over several keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, func, select

from rectrack.errors import BadValue, NotFound
from rectrack.models import Assessment, AssessmentEvidence
from rectrack.services.assessments import (
    AssessmentInput,
    assess,
    assessment_date,
    current_user,
)
from rectrack.services.evidence import EvidenceInput, add_evidence
from rectrack.services.recommendations import RecInput, add_recommendation

CEDAW, TIP, EU, UPR = "CEDAW-2019-1", "TIP-2021-0001", "EU-2020-0001", "UPR-2020-0001"
STATUSES = "regressed, not_implemented, in_progress, partial, implemented, not_applicable"


def build_recs(db: Session) -> None:
    for body, text, paragraph, date in (
        ("CEDAW", "Adopt a law.", "1", "2019"),
        ("TIP", "Prosecute traffickers.", None, "2021"),
        ("EU", "Align with the acquis.", None, "2020"),
        ("UPR", "Ratify the convention.", None, "2020"),
    ):
        add_recommendation(db, RecInput(body, text, paragraph=paragraph, date=date))


@pytest.fixture
def recs(db_with: Callable[..., Session]) -> Session:
    return db_with(build_recs)


def recorded(db: Session) -> list[tuple]:
    return [
        (a.recommendation_id, a.date, a.status, a.perspective, a.grade, a.note, a.recorded_by)
        for a in db.exec(select(Assessment).order_by(Assessment.id))
    ]


def given(status: str | None = None, **values: Any) -> AssessmentInput:
    return AssessmentInput(status, recorded_by="Ana", **values)


def test_one_assessment_per_key_as_given(recs: Session) -> None:
    out = assess(
        recs,
        [TIP.lower(), EU],
        given("Partial", date="March 2023", perspective="State", note=" claimed ", grade=" x "),
    )
    common = {"status": "partial", "date": "2023-03", "perspective": "state", "grade": "x"}
    assert out == [{"id": "S1", "key": TIP, **common}, {"id": "S2", "key": EU, **common}]
    # The note is kept as written, spaces at its ends included.
    assert recorded(recs) == [
        (2, "2023-03", "partial", "state", "x", " claimed ", "Ana"),
        (3, "2023-03", "partial", "state", "x", " claimed ", "Ana"),
    ]


def test_a_note_of_spaces_only_is_none(recs: Session) -> None:
    assess(recs, [CEDAW], given("partial", date="2023", note="   "))
    assert recorded(recs)[0][5] is None


def test_not_applicable_can_be_assessed(recs: Session) -> None:
    (out,) = assess(recs, [UPR], given("Not applicable", date="2023"))
    assert out["status"] == "not_applicable"


def test_by_default_the_ngo_today(recs: Session) -> None:
    (out,) = assess(recs, [UPR], given("in progress"))
    assert (out["perspective"], out["date"]) == ("ngo", dt.date.today().isoformat())


@pytest.mark.parametrize(
    ("key", "grade", "status"),
    [
        (CEDAW, " b ", "partial"),
        (CEDAW, "E", "regressed"),
        (CEDAW, "D", "unknown"),
        (TIP, "tier 2 watch list", "in_progress"),
        (EU, "Good Progress", "partial"),
    ],
)
def test_a_grade_on_the_bodys_scale_gives_the_status(
    recs: Session, key: str, grade: str, status: str
) -> None:
    (out,) = assess(recs, [key], given(grade=grade, date="2023"))
    assert (out["status"], out["grade"]) == (status, grade.strip())


def test_a_status_given_with_a_grade_wins(recs: Session) -> None:
    (out,) = assess(recs, [CEDAW], given("implemented", grade="C", date="2023"))
    assert (out["status"], out["grade"]) == ("implemented", "C")


@pytest.mark.parametrize(
    ("keys", "assessment", "message"),
    [
        ([], given("partial"), "name at least one recommendation key"),
        ([CEDAW], given(), f"missing --status; valid values: {STATUSES}"),
        ([CEDAW], given("done"), f"'done' is not a status; valid values: {STATUSES}"),
        ([CEDAW], given("unknown"), f"'unknown' is not a status; valid values: {STATUSES}"),
        (
            [CEDAW],
            given("partial", perspective="ngos"),
            "'ngos' is not a perspective (did you mean 'ngo'?); valid values: ngo, state, body",
        ),
        (
            [CEDAW],
            given(grade="F"),
            "'F' is not a grade of the treaty-body follow-up grades (A, B, C, D, E); "
            "give --status as well to record it anyway",
        ),
        (
            [UPR],
            given(grade="B"),
            f"UPR has no grading scale to read 'B' from: give --status ({STATUSES})",
        ),
        ([CEDAW], given("partial", date="04/03/2019"), "'04/03/2019' is not a date I can read"),
    ],
)
def test_refusals(
    recs: Session, keys: list[str], assessment: AssessmentInput, message: str
) -> None:
    with pytest.raises(BadValue) as e:
        assess(recs, keys, assessment)
    assert str(e.value).startswith(message)
    assert recorded(recs) == []


def test_a_grade_one_of_the_keys_cannot_read_records_nothing(recs: Session) -> None:
    with pytest.raises(BadValue, match="^UPR has no grading scale"):
        assess(recs, [CEDAW, UPR], given(grade="B", date="2023"))
    with pytest.raises(BadValue, match="^'Tier 2' is not a grade of the EU country report"):
        assess(recs, [TIP, EU], given(grade="Tier 2", date="2023"))
    assert recorded(recs) == []


@pytest.mark.parametrize(
    ("keys", "evidence", "message"),
    [
        ([CEDAW, "CEDAW-2019-2"], [], "no recommendation CEDAW-2019-2"),
        ([CEDAW, "X", "Y"], [], "no recommendations X, Y"),
        ([CEDAW], ["E1", "E2"], "no evidence E2"),
    ],
)
def test_an_unknown_key_or_evidence_records_nothing(
    recs: Session, keys: list[str], evidence: list[str], message: str
) -> None:
    add_evidence(recs, EvidenceInput("Page", "web", url="https://example.org"))
    with pytest.raises(NotFound) as e:
        assess(recs, keys, given("partial", date="2023", evidence=evidence))
    assert str(e.value).startswith(message)
    assert recorded(recs) == []


def test_evidence_is_cited_by_each_assessment(recs: Session) -> None:
    add_evidence(recs, EvidenceInput("Page", "web", url="https://example.org"))
    add_evidence(recs, EvidenceInput("Data", "statistics", url="https://example.org/data"))
    assess(recs, [CEDAW, TIP], given("partial", date="2023", evidence=["e2", "E1", "2"]))
    cited = recs.exec(select(AssessmentEvidence.assessment_id, AssessmentEvidence.evidence_id))
    assert sorted(cited) == [(1, 1), (1, 2), (2, 1), (2, 2)]


def test_assessments_are_only_ever_added(recs: Session) -> None:
    for status in ("partial", "implemented", "partial"):
        assess(recs, [CEDAW], given(status, date="2023"))
    assert recs.exec(select(func.count()).select_from(Assessment)).one() == 3


# --- dates ------------------------------------------------------------------------------------


def test_a_date_in_the_future_is_refused(recs: Session) -> None:
    today = dt.date.today()
    for future in ((today + dt.timedelta(days=1)).isoformat(), str(today.year + 1)):
        with pytest.raises(BadValue) as e:
            assess(recs, [CEDAW], given("partial", date=future))
        message = f"'{future}' is in the future: an assessment is of a situation that has been seen"
        assert str(e.value) == message
    assert recorded(recs) == []


def test_the_current_month_and_year_are_not_in_the_future() -> None:
    today = dt.date.today()
    for text in ("today", today.strftime("%Y-%m"), str(today.year)):
        assert assessment_date(text).first_day <= today
    assert assessment_date(None).iso == today.isoformat()


# --- who records -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "user"),
    [
        ({"user": {"name": "  Ana Petrović "}}, "Ana Petrović"),
        ({"user": {"name": "  "}}, None),
        ({"user": "Ana"}, None),
        ({}, None),
    ],
)
def test_current_user_from_config_else_the_login_name(
    config: dict, user: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "login")
    assert current_user(config) == (user or "login")


def test_recorded_by_defaults_to_the_current_user(
    recs: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "login")
    assess(recs, [CEDAW], AssessmentInput("partial", date="2023"))
    # On a shared PostgreSQL server, who records is the role rectrack logs in as.
    if recs.get_bind().dialect.name == "sqlite":
        assert recorded(recs)[0][-1] == "login"
    else:
        role = recs.connection().exec_driver_sql("SELECT session_user").scalar()
        assert recorded(recs)[0][-1] == role
