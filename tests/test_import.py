"""rectrack import: partners' edits from a workbook or CSV file, checked whole; data sets."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from helpers import assessments, fill_workbook, place
from rectrack import domain, i18n

ASSESSED = "GRETA-2023-0005"  # ngo: not implemented on 2025-04-10; state: in progress
ASSESSED_TOO = "CEDAW-2019-0002"  # ngo: not implemented on 2024-11-18
PRIORITY = "CEDAW-2019-0001"  # medium, never assessed
THEMES = "EU-2018-0004"  # shelters and services
DUE = "UPR-2023-0002"  # no due date

PARTNER_EDITS = {
    ASSESSED: {
        "New status": "Partial",
        "New status date": "2025-05-20",
        "Assessment note": "Fund law drafted",
    },
    ASSESSED_TOO: {
        "New status": "In progress",
        "New status date": "2025-06-01",
        "Assessment note": "Working group set up",
    },
    PRIORITY: {"Priority": "high"},
    THEMES: {"Themes": "funding; children"},
    DUE: {"Due": "2026-06-30"},
}


# --- helpers ----------------------------------------------------------------------------


def exported(run, tmp_path: Path, *args: str, name: str = "meeting.xlsx") -> Path:
    path = tmp_path / name
    result = run("export", str(path), *args)
    assert result.exit_code == 0, result.output
    return path


def export_date(path: Path) -> str:
    """The export date the About sheet gives (by the field name in its hidden column C)."""
    ws = load_workbook(path)["About"]
    return {row[2]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}["export_date"]


def imported(run, path: Path, *args: str):
    result = run("import", str(path), *args)
    assert result.exit_code == 0, result.output
    return result


def records(run) -> dict[str, dict]:
    return {r["key"]: r for r in run.json("list")}


def statuses(run, by: str = "ngo") -> dict[str, dict]:
    return {r["key"]: r for r in run.json("status", "--by", by)["recommendations"]}


def views(run, by: str = "ngo") -> dict[str, tuple]:
    """Each recommendation's status and its date, from one perspective."""
    return {k: (r["status"], r["status_date"]) for k, r in statuses(run, by).items()}


# --- the round trip ---------------------------------------------------------------------


def test_dry_run_shows_each_change_and_writes_nothing(run, sample, tmp_path) -> None:
    path = fill_workbook(exported(run, tmp_path), PARTNER_EDITS)
    before = run.state()
    result = imported(run, path, "--dry-run")
    out = result.stdout
    # The status before and after, in words, from the import's perspective.
    assert (
        f"{ASSESSED}\n  new assessment: Not implemented -> Partial (ngo, 2025-05-20): "
        "Fund law drafted\n"
    ) in out
    assert (
        f"{ASSESSED_TOO}\n  new assessment: Not implemented -> In progress (ngo, 2025-06-01): "
        "Working group set up\n"
    ) in out
    assert f"{PRIORITY}\n  priority: medium -> high\n" in out
    assert f"{THEMES}\n  themes: shelters and services -> funding; children\n" in out
    assert f"{DUE}\n  due: (none) -> 2026-06-30\n" in out
    assert out.endswith(
        "5 recommendations would change: 3 field edits, 2 new assessments "
        "(dry run: nothing written)\n"
    )
    # "children" is not a theme yet: the dry run says it would be added.
    assert result.stderr == "would add new theme: children\n"
    assert run.state() == before


def test_import_applies_exactly_the_partners_changes(run, sample, tmp_path) -> None:
    path = fill_workbook(exported(run, tmp_path), PARTNER_EDITS)
    before, states_before, ngo_before = records(run), views(run, "state"), views(run)
    counts = {key: len(assessments(run, key)) for key in PARTNER_EDITS}
    result = imported(run, path, "--assessor", "Ana (ASTRA)")
    assert result.stdout.endswith("5 recommendations changed: 3 field edits, 2 new assessments\n")
    assert result.stderr == "new theme: children\n"

    after = records(run)
    expected = {k: dict(v) for k, v in before.items()}
    expected[PRIORITY]["priority"] = "high"
    expected[THEMES]["themes"] = ["children", "funding"]
    expected[DUE]["due"] = "2026-06-30"
    after[THEMES]["themes"] = sorted(after[THEMES]["themes"])
    assert after == expected

    for key, status, date, note in (
        (ASSESSED, "partial", "2025-05-20", "Fund law drafted"),
        (ASSESSED_TOO, "in_progress", "2025-06-01", "Working group set up"),
    ):
        events = assessments(run, key)
        assert len(events) == counts[key] + 1
        new = [e for e in events if e["by"] == "Ana (ASTRA)"]
        assert [(e["date"], e["status"], e["perspective"], e["detail"]) for e in new] == [
            (date, status, "ngo", note)
        ]
        assert statuses(run)[key]["status"] == status
    for key in (PRIORITY, THEMES, DUE):
        assert len(assessments(run, key)) == counts[key]
    assert views(run) == {
        **ngo_before,
        ASSESSED: ("partial", "2025-05-20"),
        ASSESSED_TOO: ("in_progress", "2025-06-01"),
    }
    assert views(run, "state") == states_before


def test_without_a_new_status_date_the_export_date_is_used(run, sample, tmp_path) -> None:
    src = exported(run, tmp_path)
    path = fill_workbook(src, {ASSESSED: {"New status": "Partial"}})
    result = imported(run, path, "--assessor", "Ana")
    day = export_date(src)
    assert f"new assessment: Not implemented -> Partial (ngo, {day})" in result.stdout
    new = [e for e in assessments(run, ASSESSED) if e["by"] == "Ana"]
    assert [(e["date"], e["status"]) for e in new] == [(day, "partial")]


def test_by_state_records_the_states_claims(run, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(run, tmp_path),
        {ASSESSED: {"New status": "Implemented", "New status date": "2025-05-20"}},
    )
    ngo_before = views(run)
    result = imported(run, path, "--by", "state", "--assessor", "Ana")
    # Before and after are the state's claims, not the NGO's assessment.
    assert "new assessment: In progress -> Implemented (state, 2025-05-20)" in result.stdout
    new = [e for e in assessments(run, ASSESSED) if e["by"] == "Ana"]
    assert [(e["perspective"], e["status"]) for e in new] == [("state", "implemented")]
    assert statuses(run, "state")[ASSESSED]["status"] == "implemented"
    assert views(run) == ngo_before


def test_a_state_view_workbook_brings_back_state_claims(run, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(run, tmp_path, "--by", "state"),
        {ASSESSED: {"New status": "Partial", "New status date": "2025-05-20"}},
    )
    result = imported(run, path)
    assert "new assessment: In progress -> Partial (state, 2025-05-20)" in result.stdout
    assert statuses(run, "state")[ASSESSED]["status"] == "partial"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    run, sample, tmp_path
) -> None:
    path = fill_workbook(exported(run, tmp_path), PARTNER_EDITS)
    imported(run, path)
    before = run.state()
    again = imported(run, path)
    assert again.stdout == "nothing to import: the file matches the database\n"
    assert run.state() == before


def test_an_untouched_workbook_changes_nothing(run, sample, tmp_path) -> None:
    path = exported(run, tmp_path)
    before = run.state()
    result = imported(run, path)
    assert result.stdout == "nothing to import: the file matches the database\n"
    assert result.stderr == ""
    assert run.state() == before


# --- what a partner may type ------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Not implemented", "not_implemented", "in progress", "PARTIAL"])
def test_a_status_as_label_or_code(run, sample, tmp_path, typed) -> None:
    path = fill_workbook(
        exported(run, tmp_path), {PRIORITY: {"New status": typed, "New status date": "2025-05-20"}}
    )
    imported(run, path, "--assessor", "Ana")
    code = typed.casefold().replace(" ", "_")
    new = [e for e in assessments(run, PRIORITY) if e["by"] == "Ana"]
    assert [(e["date"], e["status"]) for e in new] == [("2025-05-20", code)]


def test_a_real_date_cell_is_accepted(run, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(run, tmp_path),
        {PRIORITY: {"New status": "Partial", "New status date": dt.datetime(2025, 5, 20)}},
    )
    result = imported(run, path, "--assessor", "Ana")
    assert "new assessment: Unknown -> Partial (ngo, 2025-05-20)" in result.stdout
    new = [e for e in assessments(run, PRIORITY) if e["by"] == "Ana"]
    assert [(e["date"], e["status"]) for e in new] == [("2025-05-20", "partial")]


def test_changing_the_status_cell_is_a_new_assessment(run, sample, tmp_path) -> None:
    src = exported(run, tmp_path)
    path = fill_workbook(src, {ASSESSED: {"Status": "Partial"}})
    result = imported(run, path, "--assessor", "Ana")
    assert (
        f"{ASSESSED}\n  new assessment: Not implemented -> Partial (ngo, {export_date(src)})"
        in result.stdout
    )
    assert statuses(run)[ASSESSED]["status"] == "partial"


def test_an_edit_to_text_is_reported_and_not_applied(run, sample, tmp_path) -> None:
    original = records(run)[ASSESSED]["text"]
    path = fill_workbook(exported(run, tmp_path), {ASSESSED: {"Text": "A text of our own."}})
    result = imported(run, path)
    assert f"{place(path, ASSESSED, 'Text')}: a change to Text is not imported" in result.stderr
    assert result.stdout == "nothing to import: the file matches the database\n"
    assert records(run)[ASSESSED]["text"] == original


@pytest.mark.parametrize(
    "text", ["Long. " + "x" * 39_994, "\x07bell\x00 rings"], ids=["cut", "control-characters"]
)
def test_a_text_the_export_had_to_clean_is_not_reported_as_an_edit(
    run, sample, tmp_path, text
) -> None:
    added = run("add", "-b", "cedaw", "-t", text)
    assert added.exit_code == 0, added.output
    path = exported(run, tmp_path)
    result = imported(run, path)
    assert result.stdout == "nothing to import: the file matches the database\n"
    assert "a change to Text" not in result.stderr


def test_emptied_cells_clear_and_institutions_are_taken(run, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(run, tmp_path),
        {
            ASSESSED: {"Due": None, "Priority": None, "Institutions": "Ministry of Finance"},
            THEMES: {"Themes": None},
        },
    )
    result = imported(run, path)
    assert f"{THEMES}\n  themes: shelters and services -> (none)\n" in result.stdout
    assert (
        "institutions: Government of Serbia; Ministry of Justice -> Ministry of Finance"
        in result.stdout
    )
    assert "priority: high -> (none)" in result.stdout
    assert "due: 2025-06-16 -> (none)" in result.stdout
    after = records(run)
    assert (
        after[ASSESSED]["due"],
        after[ASSESSED]["priority"],
        after[ASSESSED]["institutions"],
    ) == (None, None, ["Ministry of Finance"])
    assert after[THEMES]["themes"] == []


def test_a_formula_like_text_survives_a_partners_save(run, sample, tmp_path) -> None:
    added = run("add", "-b", "cedaw", "-t", "=1+1 is not a formula")
    assert added.exit_code == 0, added.output
    key = added.stdout.strip()
    path = fill_workbook(exported(run, tmp_path), {key: {"New status": "Partial"}})
    result = imported(run, path)
    assert f"{key}\n  new assessment: Unknown -> Partial" in result.stdout
    assert result.stderr == ""
    assert records(run)[key]["text"] == "=1+1 is not a formula"


def test_a_bad_perspective_is_a_usage_error(run, sample, tmp_path) -> None:
    path = fill_workbook(exported(run, tmp_path), {ASSESSED: {"New status": "Partial"}})
    run.refused(["import", str(path), "--by", "partners"], 2, "'partners' is not a perspective")


def test_only_what_partners_changed_is_applied(run, sample, tmp_path) -> None:
    path = exported(run, tmp_path)
    edited = run("edit", PRIORITY, "--priority", "low")
    assert edited.exit_code == 0, edited.output
    result = imported(run, path)
    assert result.stdout == "nothing to import: the file matches the database\n"
    assert records(run)[PRIORITY]["priority"] == "low"


# --- refused whole ----------------------------------------------------------------------


def test_a_file_with_mistakes_is_refused_whole(run, sample, tmp_path) -> None:
    src = exported(run, tmp_path)
    path = fill_workbook(
        src,
        {
            ASSESSED: {"New status": "implmented"},
            ASSESSED_TOO: {"New status": "Partial", "New status date": "04/03/2025"},
            PRIORITY: {"Priority": "high", "New status": "Partial"},
        },
        extra_rows=[["CEDAW-2019-99", "CEDAW"]],
    )
    result = run.refused(["import", str(path)], 1)
    lines = result.stderr.splitlines()
    rows = load_workbook(path)["Recommendations"].max_row
    assert any(
        line.startswith(
            f"{place(path, ASSESSED, 'New status')}: 'implmented' is not a "
            "status (did you mean 'Implemented'?); valid values: "
        )
        for line in lines
    )
    assert any(
        line.startswith(
            f"{place(path, ASSESSED_TOO, 'New status date')}: '04/03/2025' is not a date"
        )
        for line in lines
    )
    assert any(
        line.startswith(
            f"Recommendations!A{rows}: no recommendation CEDAW-2019-99 in this database"
        )
        for line in lines
    )
    assert lines[-1] == "3 problems: nothing imported"
    assert len(lines) == 4


def test_a_dated_note_without_a_status_is_a_mistake(run, sample, tmp_path) -> None:
    path = fill_workbook(
        exported(run, tmp_path), {ASSESSED: {"Assessment note": "Fund law drafted"}}
    )
    result = run("import", str(path))
    assert result.exit_code == 1
    assert (
        f"{place(path, ASSESSED, 'New status')}: a new status date or note needs a New "
        "status" in result.stderr
    )


def test_unknown_cannot_be_assessed(run, sample, tmp_path) -> None:
    path = fill_workbook(exported(run, tmp_path), {ASSESSED: {"New status": "Unknown"}})
    problem = f"{place(path, ASSESSED, 'New status')}: 'Unknown' cannot be assessed"
    run.refused(["import", str(path)], 1, problem)


def test_a_status_mistake_lists_the_statuses_in_words(run, sample, tmp_path) -> None:
    path = fill_workbook(exported(run, tmp_path), {ASSESSED: {"New status": "done"}})
    result = run.refused(["import", str(path)], 1, "'done' is not a status")
    problem = next(line for line in result.stderr.splitlines() if "'done'" in line)
    valid = problem.split("valid values: ", 1)[1].split(", ")
    labels = {i18n.text(f"status.{s}") for s in domain.STATUS_DISPLAY_ORDER}
    # Every status a partner may choose, as the drop-down offers it: not Unknown, no codes.
    assert set(valid) == labels - {"Unknown"}


# --- formats ----------------------------------------------------------------------------


def test_a_workbook_not_from_rectrack_is_refused(run, sample, tmp_path) -> None:
    wb = Workbook()
    wb.active.append(["Key", "New status"])
    wb.active.append([ASSESSED, "Partial"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    run.refused(["import", str(path)], 1, "About sheet")


def test_a_missing_file(run, sample, tmp_path) -> None:
    result = run("import", str(tmp_path / "missing.xlsx"))
    assert result.exit_code == 1
    assert "no file" in result.stderr


def test_a_bad_format_is_a_usage_error(run, sample, tmp_path) -> None:
    result = run("import", str(exported(run, tmp_path)), "--format", "ods")
    assert result.exit_code == 2
    assert "'ods' is not an import format" in result.stderr


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def fill_csv(src: Path, edits: dict[str, dict[str, str]], name: str = "filled.csv") -> Path:
    rows = read_csv(src)
    header = rows[0]
    for row in rows[1:]:
        for column, value in edits.get(row[0], {}).items():
            row[header.index(column)] = value
    dst = src.with_name(name)
    with dst.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return dst


def line_of(path: Path, key: str) -> int:
    return next(i for i, row in enumerate(read_csv(path), start=1) if row[0] == key)


def test_csv_round_trip(run, sample, tmp_path) -> None:
    src = exported(run, tmp_path, name="meeting.csv")
    path = fill_csv(
        src,
        {
            ASSESSED: {
                "New status": "partial",
                "New status date": "2025-05-20",
                "Assessment note": "Fund law drafted",
            },
            PRIORITY: {"Priority": "high"},
        },
    )
    before = run.state()
    dry = imported(run, path, "--dry-run")
    assert f"{PRIORITY}\n  priority: medium -> high\n" in dry.stdout
    assert run.state() == before

    result = imported(run, path, "--assessor", "Ana")
    assert (
        f"{ASSESSED}\n  new assessment: Not implemented -> Partial (ngo, 2025-05-20): "
        "Fund law drafted\n" in result.stdout
    )
    assert result.stdout.endswith("2 recommendations changed: 1 field edit, 1 new assessment\n")
    assert records(run)[PRIORITY]["priority"] == "high"
    assert statuses(run)[ASSESSED]["status"] == "partial"
    assert [e["by"] for e in assessments(run, ASSESSED)].count("Ana") == 1
    assert imported(run, path).stdout == "nothing to import: the file matches the database\n"


def test_csv_text_with_a_leading_apostrophe_comes_back_without_it(run, sample, tmp_path) -> None:
    added = run("add", "-b", "cedaw", "-t", "=1+1 is not a formula")
    assert added.exit_code == 0, added.output
    path = exported(run, tmp_path, name="meeting.csv")
    result = imported(run, path)
    assert result.stdout == "nothing to import: the file matches the database\n"
    assert "Text" not in result.stderr


def test_csv_problems_name_the_line_and_column(run, sample, tmp_path) -> None:
    src = exported(run, tmp_path, name="meeting.csv")
    path = fill_csv(src, {ASSESSED: {"New status": "implmented"}, PRIORITY: {"Priority": "urgent"}})
    run.refused(
        ["import", str(path)],
        1,
        f"filled.csv:{line_of(path, ASSESSED)} (New status): 'implmented' is not a status "
        "(did you mean 'Implemented'?)",
        f"filled.csv:{line_of(path, PRIORITY)} (Priority): 'urgent' is not a priority",
        "2 problems: nothing imported",
    )


def test_csv_problem_on_a_row_with_a_line_break_names_the_line_the_row_starts_on(
    run, sample, tmp_path
) -> None:
    key = run("add", "-b", "cedaw", "-t", "First paragraph.\nSecond paragraph.").stdout.strip()
    src = exported(run, tmp_path, name="meeting.csv")
    path = fill_csv(src, {key: {"New status": "implmented"}})
    start = 1 + next(
        i for i, line in enumerate(path.read_text().splitlines()) if line.startswith(key + ",")
    )
    result = run("import", str(path))
    assert result.exit_code == 1
    assert f"filled.csv:{start} (New status): 'implmented'" in result.stderr


# --- data sets --------------------------------------------------------------------------

DATASET = """\
[[documents]]
body = "CEDAW"
symbol = "CEDAW/C/SRB/CO/5"
title = "Concluding observations on the fifth periodic report of Serbia"
date = "2025"
country = "Serbia"

[[recommendations]]
key = "CEDAW-2025-0001"
document = "CEDAW/C/SRB/CO/5"
text = "Set up the compensation fund for victims of trafficking."
themes = ["compensation"]
priority = "high"
"""


def test_a_toml_data_set_is_loaded(run, tmp_path) -> None:
    assert run("init").exit_code == 0
    path = tmp_path / "more.toml"
    path.write_text(DATASET, encoding="utf-8")
    dry = imported(run, path, "--dry-run")
    assert dry.stdout == (
        "would load: 1 recommendation added, 0 already present; "
        "1 document added (dry run: nothing written)\n"
    )
    assert records(run) == {}

    result = imported(run, path)
    assert result.stdout.startswith("loaded: 1 recommendation added")
    rec = records(run)["CEDAW-2025-0001"]
    assert (rec["body"], rec["document"], rec["priority"], rec["themes"]) == (
        "CEDAW",
        "CEDAW/C/SRB/CO/5",
        "high",
        ["compensation"],
    )
    again = imported(run, path)
    assert again.stdout.startswith("loaded: 0 recommendations added, 1 already present")
