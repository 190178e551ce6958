"""rectrack.services.datasets on in-memory databases: loading a data set (each thing once,
all or nothing) and gathering one that loads back as it was."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import helpers
from helpers import rec_filter
from rectrack.io.toml import DataSet, DataSetError, Entry, write_dataset
from rectrack.services.datasets import (
    LoadReport,
    dataset_tables,
    load_dataset,
    load_files,
    load_sample,
)
from rectrack.services.evidence import evidence_detail
from rectrack.services.timeline import history
from rectrack.shapes import RecFilter

SHA = "0123456789abcdef" * 4
# The key a data set's recommendation without one gets follows from its content: body,
# country and year of its document, and paragraph.
TRAIN = "CEDAW-SRB-2019-25"


def entries(table: str, *rows: dict[str, Any]) -> list[Entry]:
    return [Entry(f"set.toml: {table}[{i}]", row) for i, row in enumerate(rows, 1)]


def small_set() -> DataSet:
    return DataSet(
        bodies=entries("bodies", {"code": "osce", "name": "OSCE ODIHR", "kind": "other"}),
        documents=entries(
            "documents",
            {
                "body": "CEDAW",
                "symbol": "CEDAW/C/SRB/CO/4",
                "date": "March 2019",
                "country": "Serbia",
            },
        ),
        recommendations=entries(
            "recommendations",
            {"key": "CEDAW-2019-24b", "document": "CEDAW/C/SRB/CO/4", "text": "Adopt a law."},
            {"document": "CEDAW/C/SRB/CO/4", "paragraph": "25", "text": "Train judges."},
            {"body": "OSCE", "text": "Observe elections.", "themes": ["Elections"]},
        ),
        actions=entries(
            "actions",
            {
                "ref": "law",
                "title": "Law on gender equality",
                "kind": "law",
                "date": "2021-05",
                "recommendations": ["CEDAW-2019-24b"],
                "recorded_at": "2021-06-01",
            },
        ),
        evidence=entries(
            "evidence",
            {
                "ref": "gazette",
                "title": "Official Gazette 52/2021",
                "kind": "document",
                "date": "2021-05-20",
                "file": "/archive/gazette.pdf",
                "size": 1234,
                "sha256": SHA,
                "actions": ["law"],
                "recommendations": [TRAIN],
            },
        ),
        assessments=entries(
            "assessments",
            {
                "recommendations": ["CEDAW-2019-24b", TRAIN],
                "date": "2022",
                "grade": "B",
                "evidence": ["gazette"],
                "recorded_by": "Ana",
                "recorded_at": "2022-02-01",
            },
        ),
    )


LOADED = LoadReport(
    documents_added=1,
    recommendations_added=3,
    recommendations_present=0,
    actions_added=1,
    evidence_added=1,
    assessments_added=2,
)


def counted(report: LoadReport) -> LoadReport:
    """The report's counts, without what the bulk loader said of the recommendations."""
    return replace(report, bulk=None)


def test_a_data_set_is_recorded_with_its_links(db: Session) -> None:
    report = load_dataset(db, small_set())
    assert counted(report) == LOADED
    assert report.bulk is not None
    assert report.bulk.keys == ["CEDAW-2019-24b", TRAIN, "OSCE-0001"]
    assert report.bulk.names_added == {"theme": 1}
    events = history(db, TRAIN)["events"]
    assert [(e["type"], e["id"] or e["status"], e["date"]) for e in events] == [
        ("evidence", "E1", "2021-05-20"),
        ("assessment", "S2", "2022"),
    ]
    assert events[1]["status"] == "partial"
    assert (events[1]["by"], events[1]["evidence"], events[1]["recorded"]) == (
        "Ana",
        ["E1"],
        "2022-02-01T12:00:00Z",
    )
    gazette = evidence_detail(db, "E1")
    assert (gazette["actions"], gazette["size"], gazette["sha256"]) == (["A1"], 1234, SHA)


def test_loading_the_same_data_set_again_adds_nothing(db: Session) -> None:
    load_dataset(db, small_set())
    before = dataset_tables(db, RecFilter())
    report = load_dataset(db, small_set())
    assert counted(report) == LoadReport(
        documents_present=1,
        recommendations_present=3,
        actions_present=1,
        evidence_present=1,
        assessments_present=2,
    )
    assert report.bulk is not None
    assert (report.bulk.added, report.bulk.unchanged, report.bulk.keys) == (0, 3, [])
    assert dataset_tables(db, RecFilter()) == before


def test_loading_the_sample_again_adds_nothing(sample_db: Session) -> None:
    assert counted(load_sample(sample_db)) == LoadReport(
        documents_present=9,
        recommendations_present=38,
        actions_present=11,
        evidence_present=9,
        assessments_present=36,
    )


def test_the_sample_loads_whole_into_an_empty_database(db: Session) -> None:
    assert counted(load_sample(db)) == LoadReport(
        documents_added=9,
        recommendations_added=38,
        recommendations_present=0,
        actions_added=11,
        evidence_added=9,
        assessments_added=36,
    )


def test_text_is_kept_as_given_and_one_text_is_loaded_once_per_document(db: Session) -> None:
    dataset = DataSet(
        documents=small_set().documents,
        recommendations=entries(
            "recommendations",
            {"document": "CEDAW/C/SRB/CO/4", "text": "  Adopt  a law. "},
            {"document": "CEDAW/C/SRB/CO/4", "text": "adopt a LAW."},  # the same, folded
            {"body": "UPR", "country": "Serbia", "text": "adopt a LAW."},  # another body
        ),
    )
    report = load_dataset(db, dataset)
    assert report.bulk is not None
    assert (report.recommendations_added, report.bulk.repeated) == (2, 1)
    tables = dataset_tables(db, RecFilter())
    assert [(r["key"], r["text"]) for r in tables["recommendations"]] == [
        ("CEDAW-SRB-2019-0001", "  Adopt  a law. "),
        ("UPR-SRB-0001", "adopt a LAW."),
    ]


def test_every_problem_is_listed_with_its_place(db: Session) -> None:
    broken = small_set()
    broken.bodies += entries("bodies", {"code": "1x", "name": "Bad", "kind": "other"})
    broken.recommendations += [
        Entry("set.toml: recommendations[4]", {"text": "No body."}),
        Entry("set.toml: recommendations[5]", {"body": "UPR", "text": "x", "priority": "urgent"}),
    ]
    with pytest.raises(DataSetError) as e:
        load_dataset(db, broken)
    assert [p.split(": ", 2)[1] for p in e.value.problems] == [
        "bodies[1]",
        "recommendations[4]",
        "recommendations[5]",
    ]
    assert e.value.problems[1] == "set.toml: recommendations[4]: body: the row names no body"
    assert e.value.problems[2] == (
        "set.toml: recommendations[5]: priority: 'urgent' is not a priority; "
        "valid values: high, medium, low"
    )
    assert str(e.value).startswith("3 problems in the data set, nothing loaded:\n  set.toml: ")


def test_problems_in_tracking_are_listed_too(db: Session) -> None:
    broken = small_set()
    broken.actions[0].values["kind"] = "statute"
    broken.evidence[0].values["actions"] = []
    broken.assessments[0].values["status"] = "done"
    with pytest.raises(DataSetError) as e:
        load_dataset(db, broken)
    assert [p.split(": ")[1] for p in e.value.problems] == ["actions[1]", "assessments[1]"]


def plain_assessments(*rows: dict[str, Any]) -> DataSet:
    dataset = small_set()
    dataset.assessments = entries("assessments", *rows)
    return dataset


def test_assessments_without_evidence_are_recorded_once_each_in_the_files_order(
    db: Session,
) -> None:
    dataset = plain_assessments(
        {"recommendations": [TRAIN], "date": "2020", "status": "in_progress"},
        {
            "recommendations": [TRAIN, "cedaw-2019-24B"],
            "date": "2021",
            "status": "partial",
            "evidence": ["gazette"],
        },
        {"recommendations": [TRAIN], "date": "2020", "status": "in_progress"},  # the first
        {"recommendations": [TRAIN], "date": "2020", "status": "in_progress", "by": "state"},
        {
            "recommendations": ["OSCE-0001"],
            "date": "2023-04",
            "status": "implemented",
            "note": "  Seen at the election. ",
            "recorded_by": "Ana",
        },
    )
    report = load_dataset(db, dataset)
    assert (report.assessments_added, report.assessments_present) == (5, 1)
    events = [e for e in history(db, TRAIN)["events"] if e["type"] == "assessment"]
    assert [(e["id"], e["date"], e["status"], e["perspective"]) for e in events] == [
        ("S1", "2020", "in_progress", "ngo"),
        ("S4", "2020", "in_progress", "state"),
        ("S2", "2021", "partial", "ngo"),
    ]
    osce = [e for e in history(db, "OSCE-0001")["events"] if e["type"] == "assessment"]
    assert [(e["detail"], e["by"]) for e in osce] == [("  Seen at the election. ", "Ana")]
    again = load_dataset(db, dataset)
    assert (again.assessments_added, again.assessments_present) == (0, 6)


def test_assessments_without_evidence_are_checked_as_assess_checks_them(db: Session) -> None:
    dataset = plain_assessments(
        {"recommendations": [TRAIN], "date": "2018", "status": "partial"},
        {"recommendations": ["CEDAW-2019-99"], "date": "2020", "status": "partial"},
        {"recommendations": [TRAIN], "date": "2020", "status": "finished"},
        {"recommendations": [TRAIN], "date": "2020", "status": "partial", "by": "court"},
        {"recommendations": [TRAIN], "date": "2099", "status": "partial"},
        {"recommendations": [TRAIN], "date": "2020", "status": "partial"},  # fine
    )
    with pytest.raises(DataSetError) as e:
        load_dataset(db, dataset)
    problems = e.value.problems
    assert [p.split(": ")[1] for p in problems] == [f"assessments[{i}]" for i in range(1, 6)]
    assert "the assessment's date 2018 is before the recommendation was made" in problems[0]
    assert "no recommendation CEDAW-2019-99" in problems[1]
    assert "'finished' is not a status" in problems[2]
    assert "perspective" in problems[3]
    assert "2099" in problems[4]


# --- round trip ---------------------------------------------------------------------------------


@pytest.fixture
def second_db(empty_memory: Engine) -> Iterator[Session]:
    """Another empty in-memory database, beside the test's `db` or `sample_db`."""
    yield from helpers.memory_session(helpers.copy_database(empty_memory))


def test_the_sample_round_trips_into_a_second_database(
    sample_db: Session, second_db: Session, tmp_path: Path
) -> None:
    tables = dataset_tables(sample_db, RecFilter())
    assert [len(tables[t]) for t in tables] == [5, 9, 38, 11, 9, 36, 0, 0]
    write_dataset(tmp_path / "serbia.toml", tables)
    report = load_files(second_db, [tmp_path / "serbia.toml"])
    assert (report.recommendations_added, report.assessments_added) == (38, 36)
    assert dataset_tables(second_db, RecFilter()) == tables


def test_a_text_keeps_its_carriage_returns_through_a_data_set_file(
    db: Session, second_db: Session, tmp_path: Path
) -> None:
    windows = "Adopt a law:\r\n(a) on equality;\r\n(b) on violence."
    given = entries(
        "recommendations",
        {"body": "UPR", "text": windows, "summary": "A law\r\non two things"},
        {"body": "UPR", "text": "Line one.\nLine two.\n"},
    )
    load_dataset(db, DataSet(recommendations=given))
    tables = dataset_tables(db, RecFilter())
    write_dataset(tmp_path / "upr.toml", tables)
    load_files(second_db, [tmp_path / "upr.toml"])
    texts = sorted((r["text"], r["summary"]) for r in tables["recommendations"])
    assert texts == [
        (windows, "A law\r\non two things"),
        ("Line one.\nLine two.\n", None),
    ]
    assert dataset_tables(second_db, RecFilter()) == tables


def test_a_filtered_data_set_keeps_its_links_inside(
    db: Session, second_db: Session, tmp_path: Path
) -> None:
    load_dataset(db, small_set())
    tables = dataset_tables(db, rec_filter(bodies=["CEDAW"]))
    assert [r["key"] for r in tables["recommendations"]] == ["CEDAW-2019-24b", TRAIN]
    assert [b["code"] for b in tables["bodies"]] == ["CEDAW"]
    write_dataset(tmp_path / "cedaw.toml", tables)
    load_files(second_db, [tmp_path / "cedaw.toml"])
    assert dataset_tables(second_db, RecFilter()) == tables
    only_osce = dataset_tables(db, rec_filter(bodies=["OSCE"]))
    assert (only_osce["actions"], only_osce["evidence"], only_osce["assessments"]) == ([], [], [])
    assert only_osce["bodies"] == [{"code": "OSCE", "name": "OSCE ODIHR", "kind": "other"}]
