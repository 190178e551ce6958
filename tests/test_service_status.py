"""rectrack.services.status on an in-memory database: where recommendations stand at a date
and from a perspective, the counts by group, and which follow-ups are due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from helpers import rec_filter
from rectrack.errors import BadValue
from rectrack.services.actions import ActionInput, add_action
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.evidence import EvidenceInput, add_evidence
from rectrack.services.recommendations import RecInput, add_recommendation
from rectrack.services.status import due_rows, status_report, status_rows
from rectrack.shapes import StatusQuery

LAW, TIP, UPR = "CEDAW-2019-1", "TIP-2021-0001", "UPR-0001"
UTC = dt.UTC


def record(db: Session, key: str, status: str, date: str, by: str = "ngo", **values: Any) -> None:
    assess(db, [key], AssessmentInput(status, date=date, perspective=by, recorded_by="t", **values))


def build_timeline(db: Session) -> None:
    """LAW assessed by the NGO on three dates (recorded out of date order) and by the state
    once; TIP assessed twice on one date; UPR never."""
    add_recommendation(
        db, RecInput("CEDAW", "Adopt a law.", paragraph="1", date="2019", themes=["Courts"])
    )
    add_recommendation(
        db, RecInput("TIP", "Prosecute traffickers.", date="2021", themes=["Courts"])
    )
    add_recommendation(db, RecInput("UPR", "Ratify the convention.", summary="Ratify"))
    record(db, LAW, "in_progress", "2021-06", note="a plan")
    record(db, LAW, "not_implemented", "2020")
    record(db, LAW, "partial", "2022-03-15", grade="B")
    record(db, LAW, "implemented", "2021", by="state")
    # The same date: the one recorded later wins, whatever the order they were entered in.
    late, early = dt.datetime(2023, 1, 2, tzinfo=UTC), dt.datetime(2023, 1, 1, tzinfo=UTC)
    record(db, TIP, "implemented", "2022-01-10", recorded_at=late)
    record(db, TIP, "regressed", "2022-01-10", recorded_at=early)


@pytest.fixture
def timeline(db_with: Callable[..., Session]) -> Session:
    return db_with(build_timeline)


def at(db: Session, as_of: str | None, perspective: str = "ngo") -> dict[str, tuple]:
    rows = status_rows(db, StatusQuery(rec_filter(), as_of, perspective))
    return {r["key"]: (r["status"], r["status_date"]) for r in rows}


@pytest.mark.parametrize(
    ("as_of", "law"),
    [
        ("2019", ("unknown", None)),
        ("2020-12-30", ("not_implemented", "2020")),  # a year's assessment counts from its start
        ("2020", ("not_implemented", "2020")),
        ("2021-05-31", ("not_implemented", "2020")),
        ("2021-06-01", ("in_progress", "2021-06")),
        ("2022-03-14", ("in_progress", "2021-06")),
        ("2022-03-15", ("partial", "2022-03-15")),
        ("March 2022", ("partial", "2022-03-15")),  # the end of the month
        (None, ("partial", "2022-03-15")),  # today
    ],
)
def test_the_latest_assessment_on_or_before_the_date(
    timeline: Session, as_of: str | None, law: tuple
) -> None:
    assert at(timeline, as_of)[LAW] == law


def test_on_the_same_date_the_later_recorded_wins(timeline: Session) -> None:
    assert at(timeline, "2022-01-10")[TIP] == ("implemented", "2022-01-10")
    assert at(timeline, "2022-01-09")[TIP] == ("unknown", None)


def test_never_assessed_is_unknown_and_its_summary_stands(timeline: Session) -> None:
    (row,) = [r for r in status_rows(timeline, StatusQuery()) if r["key"] == UPR]
    assert (row["status"], row["status_label"], row["status_date"]) == ("unknown", "Unknown", None)
    assert (row["summary"], row["state_status"], row["ngo_status"]) == (
        "Ratify",
        "unknown",
        "unknown",
    )


def test_perspectives_are_separate(timeline: Session) -> None:
    assert at(timeline, "2021-12-31", "State") == {
        LAW: ("implemented", "2021"),
        TIP: ("unknown", None),
        UPR: ("unknown", None),
    }
    assert at(timeline, "2023", "body")[LAW] == ("unknown", None)


def test_a_row_carries_grade_note_and_both_sides(timeline: Session) -> None:
    rows = {r["key"]: r for r in status_rows(timeline, StatusQuery(as_of="2021-12-31"))}
    law = rows[LAW]
    assert {k: law[k] for k in ("status", "grade", "note", "summary")} == {
        "status": "in_progress",
        "grade": None,
        "note": "a plan",
        "summary": "Adopt a law.",
    }
    assert (law["state_status"], law["state_date"]) == ("implemented", "2021")
    assert (law["ngo_status"], law["ngo_date"]) == ("in_progress", "2021-06")
    assert law["state_claims_more"] is True
    rows = {r["key"]: r for r in status_rows(timeline, StatusQuery(as_of="2022-12-31"))}
    assert (rows[LAW]["grade"], rows[LAW]["note"], rows[LAW]["state_claims_more"]) == (
        "B",
        None,
        True,
    )


def test_rows_in_body_then_natural_key_order(db: Session) -> None:
    for paragraph in ("10", "9", "1"):
        add_recommendation(db, RecInput("CEDAW", f"Text {paragraph}.", paragraph=paragraph))
    add_recommendation(db, RecInput("CAT", "Text."))
    keys = [r["key"] for r in status_rows(db, StatusQuery())]
    assert keys == ["CAT-0001", "CEDAW-1", "CEDAW-9", "CEDAW-10"]


def test_actions_and_evidence_counted_up_to_the_date_undated_always(timeline: Session) -> None:
    add_action(timeline, ActionInput("Old law", "law", date="2020-02-01"), [LAW])
    add_action(timeline, ActionInput("New law", "law", date="2023-01-01"), [LAW])
    add_action(timeline, ActionInput("Undated", "other"), [LAW, TIP])
    add_evidence(timeline, EvidenceInput("Report", "web", date="2022-06", url="u"), [LAW])

    def counts(as_of: str) -> tuple:
        rows = {r["key"]: r for r in status_rows(timeline, StatusQuery(as_of=as_of))}
        return rows[LAW]["actions"], rows[LAW]["evidence"], rows[TIP]["actions"]

    assert counts("2021") == (2, 0, 1)
    assert counts("2022-06-01") == (2, 1, 1)
    assert counts("2023") == (3, 1, 1)
    # Before TIP was issued (2021) only LAW is counted.
    (law,) = status_rows(timeline, StatusQuery(rec_filter(bodies=["CEDAW"]), "2019"))
    assert (law["actions"], law["evidence"]) == (1, 0)
    (law,) = status_rows(timeline, StatusQuery(rec_filter(bodies=["CEDAW"]), "2020-02-01"))
    assert (law["actions"], law["evidence"]) == (2, 0)


@pytest.mark.parametrize(
    ("as_of", "keys"),
    [
        ("2018", [UPR]),  # undated: always
        ("2019-12-31", [LAW, UPR]),
        ("2020-12-31", [LAW, UPR]),
        ("2021-01-01", [LAW, TIP, UPR]),  # a year counts from its first day
        (None, [LAW, TIP, UPR]),
    ],
)
def test_only_recommendations_issued_by_the_date_are_counted(
    timeline: Session, as_of: str | None, keys: list[str]
) -> None:
    assert list(at(timeline, as_of)) == keys
    report = status_report(timeline, StatusQuery(as_of=as_of))
    assert report["total"] == len(keys)


def test_filters_choose_the_rows(timeline: Session) -> None:
    rows = status_rows(timeline, StatusQuery(rec_filter(bodies=["tip", "upr"]), "2023"))
    assert [r["key"] for r in rows] == [TIP, UPR]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (StatusQuery(perspective="ngos"), "'ngos' is not a perspective (did you mean 'ngo'?)"),
        (StatusQuery(as_of="04/03/2022"), "'04/03/2022' is not a date I can read"),
        (StatusQuery(rec_filter(bodies=["XYZ"])), "'XYZ' is not a known body"),
    ],
)
def test_bad_queries_are_refused(timeline: Session, query: StatusQuery, message: str) -> None:
    with pytest.raises(BadValue) as e:
        status_rows(timeline, query)
    assert str(e.value).startswith(message)


# --- the report ---------------------------------------------------------------------------------

NONE = dict.fromkeys(("regressed", "not_implemented", "in_progress", "partial", "implemented"), 0)


def counts(**found: int) -> dict[str, int]:
    return {**NONE, "not_applicable": 0, "unknown": 0, **found}


def test_status_report_counts_each_status(timeline: Session) -> None:
    report = status_report(timeline, StatusQuery(as_of="2022"))
    assert (report["as_of"], report["perspective"], report["group_by"]) == (
        "2022-12-31",
        "ngo",
        None,
    )
    assert report["total"] == 3
    assert report["counts"] == counts(partial=1, implemented=1, unknown=1)
    assert list(report["counts"]) == [*NONE, "not_applicable", "unknown"]
    assert report["groups"] == []
    assert [r["key"] for r in report["recommendations"]] == [LAW, TIP, UPR]


def test_not_applicable_is_counted_apart_from_unknown(timeline: Session) -> None:
    record(timeline, UPR, "not_applicable", "2022-02")
    report = status_report(timeline, StatusQuery(as_of="2022"), group_by="body")
    assert report["counts"] == counts(partial=1, implemented=1, not_applicable=1)
    assert report["groups"][-1] == {
        "group": "UPR",
        "counts": counts(not_applicable=1),
        "total": 1,
    }


def test_group_by_body(timeline: Session) -> None:
    report = status_report(timeline, StatusQuery(as_of="2021-12-31"), group_by="body")
    assert report["groups"] == [
        {"group": "CEDAW", "counts": counts(in_progress=1), "total": 1},
        {"group": "TIP", "counts": counts(unknown=1), "total": 1},
        {"group": "UPR", "counts": counts(unknown=1), "total": 1},
    ]


def test_group_by_theme_counts_a_recommendation_in_each_theme_and_none_last(
    timeline: Session,
) -> None:
    add_recommendation(timeline, RecInput("CAT", "Prevent torture.", themes=["Police", "Courts"]))
    report = status_report(timeline, StatusQuery(as_of="2022-12-31"), group_by="theme")
    assert report["groups"] == [
        {"group": "Courts", "counts": counts(partial=1, implemented=1, unknown=1), "total": 3},
        {"group": "Police", "counts": counts(unknown=1), "total": 1},
        {"group": "(no theme)", "counts": counts(unknown=1), "total": 1},
    ]
    assert report["total"] == 4


def test_group_by_a_state_perspective(timeline: Session) -> None:
    q = StatusQuery(as_of="2021-12-31", perspective="state")
    report = status_report(timeline, q, group_by="country")
    assert report["groups"] == [
        {"group": "(no country)", "counts": counts(implemented=1, unknown=2), "total": 3}
    ]


def test_a_bad_grouping_is_refused(timeline: Session) -> None:
    with pytest.raises(BadValue, match="^'year' is not a grouping; valid values: body, document"):
        status_report(timeline, StatusQuery(), group_by="year")


# --- follow-ups due -----------------------------------------------------------------------------

TODAY = dt.date(2024, 1, 1)


def build_follow_ups(db: Session) -> None:
    for text, due in (
        ("Soon.", "2024-01-15"),
        ("This summer.", "2024-06"),
        ("Last month.", "2023-12"),
        ("Done.", "2024-01-10"),
        ("Whenever.", None),
        ("Also soon.", "2024-01-15"),
    ):
        add_recommendation(db, RecInput("UPR", text, due=due, date="2020"))
    add_recommendation(db, RecInput("CEDAW", "Late too.", due="2023", date="2020"))
    record(db, "UPR-2020-0004", "implemented", "2023-11")
    record(db, "UPR-2020-0003", "implemented", "2024-02")  # after today: not yet


@pytest.fixture
def follow_ups(db_with: Callable[..., Session]) -> Session:
    return db_with(build_follow_ups)


def due(db: Session, **values: Any) -> list[tuple]:
    return [
        (r["key"], r["due_day"], r["days"], r["overdue"])
        for r in due_rows(db, today=TODAY, **values)
    ]


def test_due_within_90_days_and_overdue_soonest_first(follow_ups: Session) -> None:
    assert due(follow_ups) == [
        ("CEDAW-2020-0001", "2023-12-31", -1, True),
        ("UPR-2020-0003", "2023-12-31", -1, True),
        ("UPR-2020-0001", "2024-01-15", 14, False),
        ("UPR-2020-0006", "2024-01-15", 14, False),
    ]


def test_due_within_a_longer_window(follow_ups: Session) -> None:
    # "2024-06" is due by its last day, 30 June: five months on is 1 June, six is 1 July.
    soon = ["CEDAW-2020-0001", "UPR-2020-0003", "UPR-2020-0001", "UPR-2020-0006"]
    assert [k for k, *_ in due(follow_ups, within="5m")] == soon
    assert due(follow_ups, within="6m") == [
        *due(follow_ups, within="5m"),
        ("UPR-2020-0002", "2024-06-30", 181, False),
    ]
    assert [k for k, *_ in due(follow_ups, within="1y")] == [*soon, "UPR-2020-0002"]


def test_due_overdue_only_and_filtered(follow_ups: Session) -> None:
    assert [k for k, *_ in due(follow_ups, overdue_only=True)] == [
        "CEDAW-2020-0001",
        "UPR-2020-0003",
    ]
    assert [k for k, *_ in due(follow_ups, filters=rec_filter(bodies=["CEDAW"]))] == [
        "CEDAW-2020-0001"
    ]


def test_due_refuses_a_bad_window(follow_ups: Session) -> None:
    with pytest.raises(BadValue, match="^'soon' is not a duration"):
        due_rows(follow_ups, within="soon", today=TODAY)
