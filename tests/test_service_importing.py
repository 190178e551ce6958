"""rectrack.services.importing.plan_import on hand-built sheets (rectrack.io.sheet.SheetData):
what a partner's edits would change, and every mistake listed with its cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from rectrack.errors import BadValue, Problems
from rectrack.io.sheet import MEETING_COLUMNS, RECOMMENDATION_COLUMNS, SheetData, SheetRow
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.importing import apply_import, plan_import
from rectrack.services.recommendations import (
    NameEdit,
    RecInput,
    add_recommendation,
    list_recommendations,
)
from rectrack.services.timeline import history
from rectrack.shapes import Change, NewNames, RecFilter

LAW, TIP = "CEDAW-2019-1", "TIP-2021-0001"
# The Recommendations sheet as an export lays it out: the letter of each column, by id.
LETTERS = {c.id: get_column_letter(i + 1) for i, c in enumerate(RECOMMENDATION_COLUMNS)}
SHEET = "Recommendations"
LABELS = "Regressed, Not implemented, In progress, Partial, Implemented, Not applicable"


def build_register(db: Session) -> None:
    add_recommendation(
        db,
        RecInput(
            "CEDAW",
            "Adopt a law.",
            paragraph="1",
            date="2019",
            themes=["Courts", "Police"],
            priority="low",
        ),
    )
    add_recommendation(db, RecInput("TIP", "Prosecute traffickers.", date="2021"))
    assess(db, [TIP], AssessmentInput("partial", date="2023-01-10", note="seen", recorded_by="t"))


@pytest.fixture
def register(db_with: Callable[..., Session]) -> Session:
    return db_with(build_register)


def row(number: int, key: str | None, letters: bool = True, **cells: Any) -> SheetRow:
    """A row as a workbook (or, without letters, a CSV file) gives it: cells by column id,
    named here as their headers (New_status for the column new_status)."""
    values = {"key": key, **{name.lower(): v for name, v in cells.items()}}
    return SheetRow(number, values, SHEET if letters else "edits.csv", LETTERS if letters else None)


def meeting_row(number: int, key: str, **cells: Any) -> SheetRow:
    """A row of the Meeting sheet where partners filled something in, by column id."""
    values = {"key": key, **{name.lower(): v for name, v in cells.items()}}
    letters = {c.id: get_column_letter(i + 1) for i, c in enumerate(MEETING_COLUMNS)}
    return SheetRow(number, values, "Meeting", letters)


def sheet(*rows: SheetRow, **values: Any) -> SheetData:
    return SheetData(source="edits.xlsx", rows=list(rows), **values)


def problems(db: Session, data: SheetData, **options: Any) -> Problems:
    with pytest.raises(Problems) as e:
        plan_import(db, data, **options)
    return e.value


# --- what would change --------------------------------------------------------------------------


def test_an_untouched_sheet_changes_nothing(register: Session) -> None:
    plan = plan_import(
        register,
        sheet(
            row(2, LAW, Themes="Courts; Police", Priority="low", Due=None, Text="Adopt a law."),
            row(3, TIP, Themes=None, Institutions="", Priority=None),
        ),
    )
    assert (plan.recommendations, plan.warnings, plan.edits, plan.assessments) == ([], [], 0, 0)


def test_edits_to_the_imported_columns(register: Session) -> None:
    plan = plan_import(
        register,
        sheet(
            row(
                2,
                LAW.lower(),
                Themes="police\nBudget",
                Institutions="Ministry of Justice",
                Priority="HIGH",
                Due=dt.date(2025, 6, 30),
            )
        ),
    )
    (rec,) = plan.recommendations
    assert rec.key == LAW
    assert rec.edits == [
        Change("themes", ["Courts", "Police"], ["police", "Budget"]),
        Change("institutions", [], ["Ministry of Justice"]),
        Change("priority", "low", "high"),
        Change("due", None, "2025-06-30"),
    ]
    assert rec.changes.fields == {"priority": "high", "due": "2025-06-30"}
    assert rec.changes.themes == NameEdit(replace=["police", "Budget"], new_names=NewNames())
    assert rec.assessment is None
    assert plan.edits == 4


def test_emptied_cells_clear(register: Session) -> None:
    plan = plan_import(register, sheet(row(2, LAW, Themes="", Priority=" ")))
    (rec,) = plan.recommendations
    assert rec.edits == [
        Change("themes", ["Courts", "Police"], []),
        Change("priority", "low", None),
    ]
    assert rec.changes.fields == {"priority": "none"}
    assert rec.changes.themes == NameEdit(replace=["none"], new_names=NewNames())


def test_a_new_status_is_an_assessment_dated_by_the_export_or_the_cell(register: Session) -> None:
    plan = plan_import(
        register,
        sheet(
            row(2, LAW, New_status="In progress", Assessment_note=" a plan "),
            row(3, TIP, New_status="implemented", New_status_date="March 2024"),
            export_date="2024-01-31",
        ),
        assessor=" Ana ",
    )
    assert [r.assessment for r in plan.recommendations] == [
        # The note is kept as written, spaces at its ends included.
        AssessmentInput("in_progress", date="2024-01-31", perspective="ngo", note=" a plan "),
        AssessmentInput("implemented", date="2024-03", perspective="ngo", note=None),
    ]
    assert (plan.assessments, plan.assessor, plan.perspective) == (2, "Ana", "ngo")


def test_the_perspective_from_the_option_else_the_sheet(register: Session) -> None:
    data = sheet(row(2, LAW, New_status="partial", New_status_date="2023"), perspective="state")
    assert plan_import(register, data).perspective == "state"
    assert plan_import(register, data, perspective="Body").perspective == "body"
    with pytest.raises(BadValue, match="^'ngos' is not a perspective"):
        plan_import(register, data, perspective="ngos")


def test_a_new_status_on_the_meeting_sheet_is_taken_once(register: Session) -> None:
    plan = plan_import(
        register,
        sheet(
            row(2, LAW, New_status="partial"),
            meeting=[
                meeting_row(3, LAW, New_status="Partial"),  # the same: counted once
                meeting_row(4, TIP, New_status="Implemented", New_status_date="2024-01"),
            ],
            export_date="2024-01-31",
        ),
    )
    assert [(r.key, r.assessment) for r in plan.recommendations] == [
        (LAW, AssessmentInput("partial", date="2024-01-31", perspective="ngo")),
        (TIP, AssessmentInput("implemented", date="2024-01", perspective="ngo")),
    ]


def test_two_new_statuses_on_the_meeting_sheet_that_disagree_name_both_cells(
    register: Session,
) -> None:
    found = problems(
        register,
        sheet(
            row(2, TIP),
            meeting=[
                meeting_row(3, LAW, New_status="partial"),
                meeting_row(5, LAW, New_status="implemented"),
            ],
            export_date="2024-01-31",
        ),
    )
    assert found.problems == [f"Meeting!F5: {LAW} has another new status at Meeting!F3"]


def test_a_meeting_status_that_disagrees_with_the_sheet_names_both_cells(
    register: Session,
) -> None:
    found = problems(
        register,
        sheet(
            row(2, LAW, New_status="partial"),
            meeting=[meeting_row(3, LAW, New_status="implemented")],
            export_date="2024-01-31",
        ),
    )
    assert found.problems == [f"Meeting!F3: {LAW} has another new status at {SHEET}!X2"]


def test_an_assessment_already_recorded_is_not_planned_again(register: Session) -> None:
    again = row(3, TIP, New_status="Partial", New_status_date="2023-01-10", Assessment_note="seen")
    assert plan_import(register, sheet(again)).recommendations == []
    other_note = row(3, TIP, New_status="partial", New_status_date="2023-01-10")
    assert plan_import(register, sheet(other_note)).assessments == 1
    as_state = plan_import(register, sheet(again), perspective="state")
    assert as_state.assessments == 1


def test_only_what_the_partner_changed_since_the_export_is_taken(register: Session) -> None:
    """The database moved on after the export (priority low -> medium is in the file as
    exported); the partner changed only the Due cell and the Status cell."""
    originals = {
        LAW.casefold(): {"key": LAW, "priority": "medium", "due": None, "status": "Unknown"}
    }
    plan = plan_import(
        register,
        sheet(
            row(2, LAW, Priority="medium", Due="2025", Status="Implemented"),
            originals=originals,
            export_date="2024-01-31",
        ),
    )
    (rec,) = plan.recommendations
    assert rec.edits == [Change("due", None, "2025")]
    assert rec.assessment == AssessmentInput("implemented", date="2024-01-31", perspective="ngo")


def test_edits_to_columns_not_imported_are_warnings(register: Session) -> None:
    plan = plan_import(
        register,
        sheet(row(2, LAW, Text="Adopt two laws.", Body="CEDAW", Country="Serbia", Priority="high")),
    )
    assert plan.warnings == [
        f"{SHEET}!F2: a change to Country is not imported (use `rectrack edit`)",
        f"{SHEET}!H2: a change to Text is not imported (use `rectrack edit`)",
    ]
    assert plan.edits == 1


def test_empty_rows_are_passed_over(register: Session) -> None:
    plan = plan_import(register, sheet(row(2, None, Priority=None, Themes=" "), row(3, "  ")))
    assert plan.recommendations == []


# --- mistakes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (row(4, None, Priority="high"), f"{SHEET}!A4: the row has no key"),
        (
            row(4, "CEDAW-2019-2"),
            f"{SHEET}!A4: no recommendation CEDAW-2019-2 in this database "
            "(an import never adds recommendations)",
        ),
        (row(4, LAW.lower()), f"{SHEET}!A4: {LAW} is already on row 2"),
        (
            row(4, TIP, Priority="urgent"),
            f"{SHEET}!K4: 'urgent' is not a priority; valid values: high, medium, low",
        ),
        (row(4, TIP, Due="04/03/2025"), f"{SHEET}!M4: '04/03/2025' is not a date I can read"),
        (
            row(4, TIP, Themes="none; Courts"),
            f"{SHEET}!I4: 'none' clears the themes: give it alone, or leave the cell empty",
        ),
        (
            row(4, TIP, New_status="done"),
            f"{SHEET}!X4: 'done' is not a status; valid values: {LABELS}",
        ),
        (
            row(4, TIP, New_status="Unknown"),
            f"{SHEET}!X4: 'Unknown' cannot be assessed: it is what no assessment means; "
            f"valid values: {LABELS}",
        ),
        (
            row(4, TIP, New_status="partial", New_status_date="someday"),
            f"{SHEET}!Y4: 'someday' is not a date I can read",
        ),
        (
            row(4, TIP, New_status_date="2023"),
            f"{SHEET}!X4: a new status date or note needs a New status",
        ),
        (
            row(4, TIP, Assessment_note="seen again"),
            f"{SHEET}!X4: a new status date or note needs a New status",
        ),
        (row(4, TIP, letters=False, Due="soon"), "edits.csv:4 (Due): 'soon' is not a date"),
    ],
)
def test_each_mistake_is_named_with_its_place(
    register: Session, bad: SheetRow, problem: str
) -> None:
    found = problems(register, sheet(row(2, LAW), bad))
    assert len(found.problems) == 1
    assert found.problems[0].startswith(problem)
    assert found.summary == "1 problem: nothing imported"


def test_every_mistake_is_listed_with_the_warnings_found_on_the_way(register: Session) -> None:
    found = problems(
        register,
        sheet(
            row(2, LAW, Priority="urgent", Due="soon", Text="Changed."),
            row(3, TIP, New_status="done", New_status_date="someday"),
            row(4, "NOPE"),
            problems=[f"{SHEET}!Q9: a problem the reader found"],
        ),
    )
    assert [p.split(":")[0] for p in found.problems] == [
        f"{SHEET}!Q9",
        f"{SHEET}!K2",
        f"{SHEET}!M2",
        f"{SHEET}!X3",
        f"{SHEET}!Y3",
        f"{SHEET}!A4",
    ]
    assert found.summary == "6 problems: nothing imported"
    assert found.warnings == [f"{SHEET}!H2: a change to Text is not imported (use `rectrack edit`)"]


# --- applying -------------------------------------------------------------------------------------


def test_apply_makes_the_edits_and_records_the_assessments_by_the_assessor(
    register: Session,
) -> None:
    plan = plan_import(
        register,
        sheet(
            row(2, LAW, Themes="Budget", Priority="high", New_status="partial"),
            export_date="2024-01-31",
        ),
        perspective="state",
        assessor="Ana",
    )
    apply_import(register, plan)
    (law,) = [r for r in list_recommendations(register, RecFilter()) if r["key"] == LAW]
    assert (law["themes"], law["priority"]) == (["Budget"], "high")
    (event,) = history(register, LAW)["events"]
    assert (event["date"], event["status"], event["perspective"], event["by"]) == (
        "2024-01-31",
        "partial",
        "state",
        "Ana",
    )
