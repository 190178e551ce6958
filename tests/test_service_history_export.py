"""rectrack.services.timeline.history and rectrack.services.export.export_data on an
in-memory database: one recommendation's story in date order, and what an export holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlmodel import Session

from helpers import rec_filter
from rectrack import __version__
from rectrack.errors import BadValue, NotFound
from rectrack.services.actions import ActionInput, add_action
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.evidence import EvidenceInput, add_evidence
from rectrack.services.export import export_data
from rectrack.services.recommendations import RecInput, add_recommendation
from rectrack.services.timeline import history
from rectrack.shapes import StatusQuery

LAW, TIP = "CEDAW-2019-1", "TIP-2019-0001"
LONG = "Adopt a comprehensive law on gender equality, " + "with measures " * 8 + "and budget."


def at(day: int) -> dt.datetime:
    return dt.datetime(2021, 6, day, 12, tzinfo=dt.UTC)


def build_story(db: Session) -> None:
    """LAW with two actions, evidence reached every way, and assessments; TIP beside it."""
    add_recommendation(db, RecInput("CEDAW", LONG, paragraph="1", date="2019"))
    add_recommendation(db, RecInput("TIP", "Prosecute traffickers.", date="2019"))
    add_action(
        db, ActionInput("Law", "law", date="2021-05", reference="RS 1/21"), [LAW], "in force"
    )
    add_action(db, ActionInput("Plan", "action_plan", date="2020-03"), [LAW, TIP])
    add_evidence(
        db, EvidenceInput("Report", "shadow_report", date="2021-05", source="NGO", url="u1"), [LAW]
    )
    add_evidence(db, EvidenceInput("Gazette", "document", date="2021-05-20", url="u2"), [], ["A1"])
    add_evidence(db, EvidenceInput("Everywhere", "media", date="2021-05", url="u3"), [LAW], ["A1"])
    for status, date, day, evidence in (
        ("partial", "2021-05", 2, ["E3"]),
        ("in_progress", "2020-06", 1, []),
        ("implemented", "2021-05", 3, []),
    ):
        assess(
            db,
            [LAW],
            AssessmentInput(
                status,
                date=date,
                grade="B" if status == "partial" else None,
                note=f"{status} note",
                evidence=evidence,
                recorded_by="Ana",
                recorded_at=at(day),
            ),
        )
    assess(
        db, [TIP], AssessmentInput("regressed", date="2021", recorded_by="Ana", recorded_at=at(4))
    )


@pytest.fixture
def story(db_with: Callable[..., Session]) -> Session:
    return db_with(build_story)


def test_history_in_date_order_actions_then_evidence_then_assessments(story: Session) -> None:
    found = history(story, LAW.lower())
    assert (found["key"], found["summary"]) == (LAW, LONG[:89].rstrip() + "…")
    assert [(e["date"], e["type"], e["id"] or e["status"], e["what"]) for e in found["events"]] == [
        ("2020-03", "action", "A2", "Plan [action_plan]"),
        ("2020-06", "assessment", "S2", "In progress (ngo)"),
        ("2021-05", "action", "A1", "Law [law]"),
        ("2021-05", "evidence", "E1", "Report [shadow_report]"),
        ("2021-05", "evidence", "E3", "Everywhere [media]"),  # reached three ways, listed once
        ("2021-05", "assessment", "S1", "Partial (ngo), grade B"),
        ("2021-05", "assessment", "S3", "Implemented (ngo)"),  # recorded later
        ("2021-05-20", "evidence", "E2", "Gazette [document]"),  # through action A1
    ]


def test_history_events_carry_their_details(story: Session) -> None:
    events = {e["id"] or e["status"]: e for e in history(story, LAW)["events"]}
    assert events["A1"]["detail"] == "RS 1/21; in force"
    assert events["E1"]["detail"] == "NGO; u1"
    assert events["S1"] == {
        "key": LAW,
        "date": "2021-05",
        "type": "assessment",
        "id": "S1",
        "status": "partial",
        "perspective": "ngo",
        "what": "Partial (ngo), grade B",
        "detail": "partial note",
        "evidence": ["E3"],
        "by": "Ana",
        "recorded": "2021-06-02T12:00:00Z",
        "withdrawn": None,
    }


def test_history_of_a_recommendation_with_nothing_yet(db: Session) -> None:
    add_recommendation(db, RecInput("UPR", "Ratify.", summary="Ratification"))
    assert history(db, "upr-0001") == {"key": "UPR-0001", "summary": "Ratification", "events": []}


def test_history_of_an_unknown_key(story: Session) -> None:
    with pytest.raises(NotFound, match=f"^no recommendation CEDAW-2019-2; closest keys: {LAW}"):
        history(story, "CEDAW-2019-2")


# --- export -------------------------------------------------------------------------------------


def test_export_rows_carry_status_and_linked_actions_and_evidence(story: Session) -> None:
    data = export_data(story, StatusQuery(as_of="2021-05-31"), group_by="Body")
    rows = {r["key"]: r for r in data.recommendations}
    assert list(rows) == [LAW, TIP]
    law = rows[LAW]
    # Actions and evidence linked to the recommendation itself, by date, with their titles.
    assert (law["status"], law["status_date"], law["action_lines"], law["evidence_lines"]) == (
        "implemented",
        "2021-05",
        ["A2 Plan", "A1 Law"],
        ["E1 Report", "E3 Everywhere"],
    )
    assert (law["actions"], law["evidence"]) == (2, 2)
    assert law["latest_action"] == "A1 Law (2021-05; RS 1/21)"
    tip = rows[TIP]
    assert (tip["status"], tip["action_lines"], tip["evidence_lines"]) == (
        "regressed",
        ["A2 Plan"],
        [],
    )
    assert data.group_by == "body"
    assert [(g["group"], g["total"]) for g in data.groups] == [("CEDAW", 1), ("TIP", 1)]
    assert data.counts["implemented"] == data.counts["regressed"] == 1


def test_export_metadata(story: Session) -> None:
    query = StatusQuery(rec_filter(bodies=["cedaw"]), "2021", "state")
    meta = export_data(story, query, "theme", database="memory", schema_version=3).meta
    assert {k: v for k, v in meta.items() if k not in ("exported_at", "export_date")} == {
        "title": "Implementation of recommendations: CEDAW",
        "language": "en",
        "tool_version": __version__,
        "schema_version": 3,
        "as_of": "2021-12-31",
        "perspective": "state",
        "group_by": "theme",
        "filters": "body: cedaw",
        "database": "memory",
        "recommendations": 1,
    }
    assert meta["exported_at"].startswith(meta["export_date"])


def test_export_holds_what_the_selected_recommendations_link_to(story: Session) -> None:
    data = export_data(story, StatusQuery(rec_filter(bodies=["TIP"])))
    assert [r["key"] for r in data.recommendations] == [TIP]
    assert [a["id"] for a in data.actions] == ["A2"]
    assert data.evidence == []
    assert [(h["key"], h["status"], h["date"]) for h in data.history] == [
        (TIP, "regressed", "2021")
    ]


def test_export_history_by_recommendation_then_date_then_recorded(story: Session) -> None:
    data = export_data(story, StatusQuery())
    assert [a["id"] for a in data.actions] == ["A1", "A2"]
    assert [e["id"] for e in data.evidence] == ["E1", "E2", "E3"]
    assert [(h["key"], h["date"], h["status"], h["evidence"]) for h in data.history] == [
        (LAW, "2020-06", "in_progress", []),
        (LAW, "2021-05", "partial", ["E3"]),
        (LAW, "2021-05", "implemented", []),
        (TIP, "2021", "regressed", []),
    ]


def test_an_export_as_of_a_date_leaves_out_what_is_dated_after_it(story: Session) -> None:
    data = export_data(story, StatusQuery(as_of="2020-12-31"))
    assert [(r["key"], r["status"], r["action_lines"]) for r in data.recommendations] == [
        (LAW, "in_progress", ["A2 Plan"]),
        (TIP, "unknown", ["A2 Plan"]),
    ]
    assert ([a["id"] for a in data.actions], data.evidence) == (["A2"], [])
    assert [(h["key"], h["status"]) for h in data.history] == [(LAW, "in_progress")]


def test_undated_actions_and_evidence_come_last_in_an_export_row(story: Session) -> None:
    add_action(story, ActionInput("Undated", "other"), [LAW])
    add_evidence(story, EvidenceInput("Notes", "other"), [LAW])
    (law, _) = export_data(story, StatusQuery()).recommendations
    assert law["action_lines"] == ["A2 Plan", "A1 Law", "A3 Undated"]
    assert law["evidence_lines"] == ["E1 Report", "E3 Everywhere", "E4 Notes"]
    assert [e["id"] for e in history(story, LAW)["events"] if e["type"] != "assessment"][-2:] == [
        "A3",
        "E4",
    ]


def test_export_refuses_a_bad_grouping(story: Session) -> None:
    with pytest.raises(BadValue, match="^'year' is not a grouping; valid values: body, document"):
        export_data(story, StatusQuery(), group_by="year")
