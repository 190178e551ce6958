"""Importing the redesigned workbook: every mistake in one pass with its cell, a workbook
that lost its Original sheet, statuses typed as labels or codes, notes kept as written, and
new statuses typed on the Meeting sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from helpers import assessments, fill_workbook, place
from rectrack import domain, i18n

ASSESSED = "GRETA-2023-0005"  # ngo: not implemented since 2023-06-16
ASSESSED_TOO = "CEDAW-2019-0002"  # ngo: not implemented
BODY_GRADED = "TIP-2021-0001"  # no NGO assessment
PRIORITY = "CEDAW-2019-0001"  # medium, never assessed
THEMED = "EU-2018-0004"  # shelters and services
DUE = "UPR-2023-0002"  # no due date
TWO_THEMES = "CEDAW-2019-0004"  # compensation; funding


def exported(cli, tmp_path: Path, *args: str, name: str = "meeting.xlsx") -> Path:
    path = tmp_path / name
    cli.ok("export", path, *args)
    return path


def records(cli) -> dict[str, dict]:
    return {r["key"]: r for r in cli.json("list")}


def statuses(cli, by: str = "ngo") -> dict[str, str]:
    return {r["key"]: r["status"] for r in cli.json("status", "--by", by)["recommendations"]}


def new_assessments(cli, key: str, by: str) -> list[tuple]:
    """(date, status, perspective, note) of the assessments `by` recorded."""
    return [
        (e["date"], e["status"], e["perspective"], e["detail"])
        for e in assessments(cli, key)
        if e["by"] == by
    ]


# --- 2. every mistake, in one pass ------------------------------------------------------


def test_a_file_with_a_mistake_of_every_kind_is_refused_in_one_pass(cli, sample, tmp_path) -> None:
    src = exported(cli, tmp_path)
    path = fill_workbook(
        src,
        {
            ASSESSED: {"New status": "Partial", "New status date": "2099-01-01"},
            ASSESSED_TOO: {"New status": "Done"},
            BODY_GRADED: {"New status": "In progress", "New status date": "31/02/2025"},
            PRIORITY: {"Priority": "urgent"},
            DUE: {"New status date": "2025-05-01"},
            THEMED: {"Themes": "shelters and servces"},
        },
        extra_rows=[["CEDAW-2019-99", "CEDAW"], [PRIORITY, "CEDAW"]],
    )
    rows = load_workbook(path)["Recommendations"].max_row
    priority_row = int(place(path, PRIORITY, "Key").split("!A")[1])
    expected = [
        f"{place(path, ASSESSED, 'New status date')}: '2099-01-01' is in the future",
        f"{place(path, ASSESSED_TOO, 'New status')}: 'Done' is not a status",
        f"{place(path, BODY_GRADED, 'New status date')}: '31/02/2025' is not a date",
        f"{place(path, PRIORITY, 'Priority')}: 'urgent' is not a priority",
        f"{place(path, DUE, 'New status')}: a new status date or note needs a New status",
        f"{place(path, THEMED, 'Themes')}: 'shelters and servces' is not a theme on record; "
        "did you mean 'shelters and services'?",
        f"Recommendations!A{rows - 1}: no recommendation CEDAW-2019-99 in this database",
        f"Recommendations!A{rows}: {PRIORITY} is already on row {priority_row}",
    ]
    result = cli.refused(["import", path], 1, *expected)
    lines = result.stderr.splitlines()
    assert lines[-1] == "8 problems: nothing imported"
    assert len(lines) == 9
    for fragment in expected:
        assert sum(line.startswith(fragment) for line in lines) == 1, fragment


def test_a_refused_dry_run_lists_the_same_problems(cli, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(cli, tmp_path),
        {ASSESSED: {"New status": "Done"}, PRIORITY: {"Priority": "urgent"}},
    )
    real = cli.refused(["import", path], 1)
    dry = cli.refused(["import", path, "--dry-run"], 1)
    assert dry.stderr == real.stderr
    assert dry.stderr.endswith("2 problems: nothing imported\n")


# --- 3. the Original sheet --------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "sr-Cyrl"])
def test_the_original_sheet_is_very_hidden_and_holds_the_exported_codes(
    cli, sample, sample_export, lang
) -> None:
    ws = load_workbook(sample_export(f"{lang}.xlsx", "--lang", lang))["Original"]
    assert ws.sheet_state == "veryHidden"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("key", "themes", "institutions", "priority", "due", "status")
    shown = {r[0]: r[1:] for r in rows[1:]}
    status = statuses(cli)
    assert shown == {
        r["key"]: (
            "; ".join(r["themes"]) or None,
            "; ".join(r["institutions"]) or None,
            r["priority"],  # codes in every language
            r["due"],
            status[r["key"]],
        )
        for r in cli.json("list")
    }


def without_original(path: Path) -> Path:
    wb = load_workbook(path)
    del wb["Original"]
    wb.save(path)
    return path


def test_without_the_original_sheet_only_new_statuses_are_imported(cli, sample, tmp_path) -> None:
    path = without_original(
        fill_workbook(
            exported(cli, tmp_path),
            {
                ASSESSED: {"New status": "Partial", "New status date": "2025-05-20"},
                ASSESSED_TOO: {"Status": "Implemented"},
                PRIORITY: {"Priority": "high"},
                THEMED: {"Themes": "funding"},
                DUE: {"Due": "2026-06-30"},
            },
        )
    )
    before = records(cli)
    before_status = statuses(cli)
    result = cli("import", path, "--assessor", "Ana")
    assert result.exit_code == 0, result.output
    assert "filled.xlsx has no Original sheet" in result.stderr
    assert "Priority, Due" in result.stderr  # says what it left alone
    assert result.stdout == (
        f"{ASSESSED}\n"
        "  new assessment: Not implemented -> Partial (ngo, 2025-05-20)\n"
        "1 recommendation changed: 0 field edits, 1 new assessment\n"
    )
    assert records(cli) == before
    assert statuses(cli) == {**before_status, ASSESSED: "partial"}
    assert new_assessments(cli, ASSESSED_TOO, "Ana") == []


def test_a_workbook_with_its_original_sheet_says_nothing_of_it(cli, sample, tmp_path) -> None:
    path = fill_workbook(exported(cli, tmp_path), {PRIORITY: {"Priority": "high"}})
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    assert "Original" not in result.stderr
    assert records(cli)[PRIORITY]["priority"] == "high"


# --- 6. labels and codes ----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["in_progress", "In progress", "U toku", "У току", "IN PROGRESS"])
def test_a_status_reads_as_label_in_any_language_or_code(cli, sample, tmp_path, typed) -> None:
    path = fill_workbook(
        exported(cli, tmp_path),
        {PRIORITY: {"New status": typed, "New status date": "2025-05-20"}},
    )
    result = cli("import", path, "--assessor", "Ana")
    assert result.exit_code == 0, result.output
    assert "Unknown -> In progress (ngo, 2025-05-20)" in result.stdout
    assert new_assessments(cli, PRIORITY, "Ana") == [("2025-05-20", "in_progress", "ngo", None)]


def test_every_status_the_drop_down_offers_is_imported(cli, sample, tmp_path) -> None:
    src = exported(cli, tmp_path)
    ws = load_workbook(src)["Recommendations"]
    letter = get_column_letter([c.value for c in ws[1]].index("New status") + 1)
    (offered,) = [
        dv.formula1.strip('"').split(",")
        for dv in ws.data_validations.dataValidation
        if dv.type == "list" and str(dv.sqref).startswith(f"{letter}2:")
    ]
    keys = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)][: len(offered)]
    path = fill_workbook(
        src,
        {
            k: {"New status": s, "New status date": "2025-05-20"}
            for k, s in zip(keys, offered, strict=True)
        },
    )
    result = cli("import", path, "--assessor", "Ana")
    assert result.exit_code == 0, result.output
    code = {i18n.text(f"status.{s}"): s for s in domain.STATUS_DISPLAY_ORDER}
    for key, label in zip(keys, offered, strict=True):
        assert new_assessments(cli, key, "Ana") == [("2025-05-20", code[label], "ngo", None)]


@pytest.mark.parametrize("typed", ["high", "High", "visok", "висок"])
def test_a_priority_reads_as_label_in_any_language_or_code(cli, sample, tmp_path, typed) -> None:
    path = fill_workbook(exported(cli, tmp_path), {PRIORITY: {"Priority": typed}})
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    assert f"{PRIORITY}\n  priority: medium -> high\n" in result.stdout
    assert records(cli)[PRIORITY]["priority"] == "high"


# --- 9. the dry run in words, and notes as written --------------------------------------


def test_the_dry_run_shows_the_old_and_new_status_in_words(cli, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(cli, tmp_path),
        {
            ASSESSED: {
                "New status": "partial",
                "New status date": "2025-05-20",
                "Assessment note": "Fund law drafted",
            }
        },
    )
    before = cli.state()
    result = cli("import", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{ASSESSED}\n"
        "  new assessment: Not implemented -> Partial (ngo, 2025-05-20): Fund law drafted\n"
        "1 recommendation would change: 0 field edits, 1 new assessment "
        "(dry run: nothing written)\n"
    )
    assert cli.state() == before


def test_a_note_keeps_the_spaces_at_its_ends(cli, sample, tmp_path) -> None:
    note = "  Fund law drafted;\n not yet adopted  "
    path = fill_workbook(
        exported(cli, tmp_path),
        {ASSESSED: {"New status": "Partial", "Assessment note": note}},
    )
    cli.ok("import", path, "--assessor", "Ana")
    (assessment,) = new_assessments(cli, ASSESSED, "Ana")
    assert assessment[3] == note
    # Imported again, the same note is the same assessment: nothing new.
    assert cli.ok("import", path) == "nothing to import: the file matches the database\n"


def test_a_note_of_spaces_only_is_no_note(cli, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(cli, tmp_path),
        {ASSESSED: {"New status": "Partial", "Assessment note": "   "}},
    )
    cli.ok("import", path, "--assessor", "Ana")
    assert [a[3] for a in new_assessments(cli, ASSESSED, "Ana")] == [None]


def test_a_new_theme_is_reported_on_stderr(cli, sample, tmp_path) -> None:
    path = fill_workbook(exported(cli, tmp_path), {THEMED: {"Themes": "funding; forced begging"}})
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    assert result.stderr == "new theme: forced begging\n"
    assert "forced begging" in records(cli)[THEMED]["themes"]


# --- 10. new statuses typed on the Meeting sheet ----------------------------------------

FILLED = {"New status": "Partial", "New status date": "2025-05-20", "Assessment note": "Drafted"}


def test_a_new_status_typed_on_the_meeting_sheet_is_imported(cli, sample, tmp_path) -> None:
    path = fill_workbook(exported(cli, tmp_path), {ASSESSED: FILLED}, sheet="Meeting")
    result = cli("import", path, "--assessor", "Ana")
    assert result.exit_code == 0, result.output
    assert (
        f"{ASSESSED}\n  new assessment: Not implemented -> Partial (ngo, 2025-05-20): Drafted\n"
        in result.stdout
    )
    assert new_assessments(cli, ASSESSED, "Ana") == [("2025-05-20", "partial", "ngo", "Drafted")]


def test_the_same_new_status_on_both_sheets_counts_once(cli, sample, tmp_path) -> None:
    src = exported(cli, tmp_path)
    both = fill_workbook(
        fill_workbook(src, {ASSESSED: FILLED}, name="recs.xlsx"),
        {ASSESSED: FILLED},
        sheet="Meeting",
    )
    result = cli("import", both, "--assessor", "Ana")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("1 recommendation changed: 0 field edits, 1 new assessment\n")
    assert new_assessments(cli, ASSESSED, "Ana") == [("2025-05-20", "partial", "ngo", "Drafted")]


def test_two_different_new_statuses_for_one_key_name_both_cells(cli, sample, tmp_path) -> None:
    src = exported(cli, tmp_path)
    path = fill_workbook(
        fill_workbook(src, {ASSESSED: FILLED}, name="recs.xlsx"),
        {ASSESSED: {**FILLED, "New status": "In progress"}},
        sheet="Meeting",
    )
    meeting = place(path, ASSESSED, "New status", sheet="Meeting")
    recommendations = place(path, ASSESSED, "New status")
    result = cli.refused(["import", path], 1, "1 problem: nothing imported")
    (problem,) = [line for line in result.stderr.splitlines() if ASSESSED in line]
    assert meeting in problem and recommendations in problem


def test_two_different_new_statuses_for_one_key_are_refused(cli, sample, tmp_path) -> None:
    src = exported(cli, tmp_path)
    path = fill_workbook(
        fill_workbook(src, {ASSESSED: FILLED}, name="recs.xlsx"),
        {ASSESSED: {**FILLED, "New status": "In progress"}},
        sheet="Meeting",
    )
    meeting = place(path, ASSESSED, "New status", sheet="Meeting")
    cli.refused(
        ["import", path],
        1,
        f"{meeting}: {ASSESSED} has another new status",
        "1 problem: nothing imported",
    )


def test_a_new_status_imported_before_and_another_on_the_meeting_sheet_are_refused(
    cli, sample, tmp_path
) -> None:
    # The Recommendations sheet's new status is on record already (the file was imported
    # once); a different one typed on the Meeting sheet since still disagrees with it.
    recs = fill_workbook(exported(cli, tmp_path), {ASSESSED: FILLED}, name="recs.xlsx")
    assert cli("import", recs).exit_code == 0
    path = fill_workbook(recs, {ASSESSED: {"New status": "In progress"}}, sheet="Meeting")
    meeting = place(path, ASSESSED, "New status", sheet="Meeting")
    cli.refused(
        ["import", path],
        1,
        f"{meeting}: {ASSESSED} has another new status at {place(path, ASSESSED, 'New status')}",
        "1 problem: nothing imported",
    )


def meeting_cells(path: Path, key: str) -> list[tuple[int, str]]:
    """(row, New status letter) of each Meeting row of a key."""
    ws = load_workbook(path)["Meeting"]
    column = [c.value for c in ws[1]].index("New status")
    return [
        (row[0].row, row[column].column_letter)
        for row in ws.iter_rows(min_row=2)
        if isinstance(row[0].value, str) and row[0].value.split("\n")[0] == key
    ]


def type_on_meeting(path: Path, key: str, statuses: list[str]) -> Path:
    """The Meeting sheet with one status typed on each of a key's rows, in turn."""
    wb = load_workbook(path)
    for (number, letter), status in zip(meeting_cells(path, key), statuses, strict=True):
        wb["Meeting"][f"{letter}{number}"] = status
        wb["Meeting"][f"{chr(ord(letter) + 1)}{number}"] = "2025-05-20"
    dst = path.with_name("typed.xlsx")
    wb.save(dst)
    return dst


def test_a_key_under_two_themes_may_be_filled_in_under_either(cli, sample, tmp_path) -> None:
    src = exported(cli, tmp_path, "--group-by", "theme")
    assert len(meeting_cells(src, TWO_THEMES)) == 2
    same = type_on_meeting(src, TWO_THEMES, ["Partial", "Partial"])
    result = cli("import", same, "--assessor", "Ana")
    assert result.exit_code == 0, result.output
    assert new_assessments(cli, TWO_THEMES, "Ana") == [("2025-05-20", "partial", "ngo", None)]


def test_a_key_under_two_themes_with_two_statuses_is_refused_naming_both(
    cli, sample, tmp_path
) -> None:
    src = exported(cli, tmp_path, "--group-by", "theme")
    (first, letter), (second, _) = meeting_cells(src, TWO_THEMES)
    path = type_on_meeting(src, TWO_THEMES, ["Partial", "In progress"])
    cli.refused(
        ["import", path],
        1,
        f"Meeting!{letter}{second}: {TWO_THEMES} has another new status at Meeting!{letter}{first}",
    )


def test_an_edit_the_meeting_sheet_does_not_take_is_warned_about(cli, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(cli, tmp_path), {ASSESSED: {"Due": "2027-01-31"}}, sheet="Meeting"
    )
    before = records(cli)
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    assert records(cli) == before
    assert place(path, ASSESSED, "Due", sheet="Meeting") in result.stderr


def test_the_meeting_sheets_due_says_it_is_changed_on_the_recommendations_sheet(
    cli, sample, tmp_path
) -> None:
    path = fill_workbook(
        exported(cli, tmp_path), {ASSESSED: {"Due": "2027-01-31"}}, sheet="Meeting"
    )
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Warning: {place(path, ASSESSED, 'Due', sheet='Meeting')}: a change to Due on this "
        "sheet is not imported (change it on the Recommendations sheet, or use `rectrack "
        "edit`)\n"
    )


def test_a_due_changed_alike_on_both_sheets_is_imported_without_a_warning(
    cli, sample, tmp_path
) -> None:
    src = exported(cli, tmp_path, "--group-by", "theme")
    recs = fill_workbook(src, {ASSESSED: {"Due": "2027-01-31"}}, name="recs.xlsx")
    path = fill_workbook(recs, {ASSESSED: {"Due": "2027-01-31"}}, sheet="Meeting")
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert records(cli)[ASSESSED]["due"] == "2027-01-31"


@pytest.mark.parametrize("group_by", ["body", "theme", "institution"])
def test_an_untouched_meeting_sheet_warns_of_nothing(cli, sample, tmp_path, group_by) -> None:
    path = exported(cli, tmp_path, "--group-by", group_by)
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == (
        "nothing to import: the file matches the database\n",
        "",
    )


def test_a_mistake_on_the_meeting_sheet_names_its_cell(cli, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(cli, tmp_path),
        {ASSESSED: {"New status": "Done"}, PRIORITY: {"New status date": "2025-05-20"}},
        sheet="Meeting",
    )
    cli.refused(
        ["import", path],
        1,
        f"{place(path, ASSESSED, 'New status', sheet='Meeting')}: 'Done' is not a status",
        f"{place(path, PRIORITY, 'New status', sheet='Meeting')}: a new status date or note "
        "needs a New status",
        "2 problems: nothing imported",
    )
