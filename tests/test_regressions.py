"""Regression tests: one behaviour each that was wrong and has been fixed.

Each test checks what the user sees (output and exit code) and, when a command is refused,
that the database file holds the same afterwards.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import assessments, fill_workbook, place

THEMES_KEY = "EU-2018-0004"  # sample: themes "shelters and services"
SAMPLE_KEY = "CEDAW-2019-0001"  # sample: no NGO assessment of its own in the way


# --- helpers ----------------------------------------------------------------------------


def exported(run, tmp_path: Path, name: str = "meeting.xlsx", *args: str) -> Path:
    path = tmp_path / name
    run.ok("export", str(path), *args)
    return path


def has_control_character(text: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text)


# --- 1. repeated evidence ---------------------------------------------------------------


def test_evidence_given_twice_in_different_case_is_cited_once(run, sample) -> None:
    before = len(assessments(run, SAMPLE_KEY))
    out = run.ok(
        "assess", SAMPLE_KEY, "--status", "partial", "--evidence", "E1", "--evidence", "e1"
    )
    assert out.startswith(f"{SAMPLE_KEY}: Partial (ngo, ")
    events = assessments(run, SAMPLE_KEY)
    assert len(events) == before + 1
    new = [e for e in events if e["status"] == "partial" and e["evidence"]]
    assert [e["evidence"] for e in new] == [["E1"]]


# --- 2. "none" in a Themes cell ---------------------------------------------------------


def test_none_with_other_themes_is_refused_in_an_import_and_a_dry_run(
    run, sample, tmp_path
) -> None:
    path = fill_workbook(
        exported(run, tmp_path), {THEMES_KEY: {"Themes": "none; extra"}}, "none-and-more.xlsx"
    )
    problem = f"{place(path, THEMES_KEY, 'Themes')}: 'none' clears the themes: give it alone"
    for extra in ([], ["--dry-run"]):
        result = run.refused(["import", str(path), *extra], 1, problem)
        assert result.stdout == ""
    assert run.json("show", THEMES_KEY)["themes"] == ["shelters and services"]


def test_none_alone_in_a_themes_cell_clears_the_themes(run, sample, tmp_path) -> None:
    path = fill_workbook(exported(run, tmp_path), {THEMES_KEY: {"Themes": "none"}}, "none.xlsx")
    dry = run("import", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"{THEMES_KEY}\n  themes: shelters and services -> (none)\n" in dry.stdout
    assert run.json("show", THEMES_KEY)["themes"] == ["shelters and services"]
    run.ok("import", str(path))
    assert run.json("show", THEMES_KEY)["themes"] == []


# --- 3. ids that are not ids ------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "given", "message"),
    [
        ("action", "A²", "is not an action id"),
        ("action", "A99999999999999999999999", "is not an action id"),
        ("evidence", "E²", "is not an evidence id"),
    ],
)
def test_an_id_with_odd_digits_is_a_usage_error(run, sample, group, given, message) -> None:
    result = run.refused([group, "show", given], 2, message)
    assert f"'{given}' {message}" in result.stderr
    assert result.stdout == ""


# --- 4. durations too long --------------------------------------------------------------


@pytest.mark.parametrize("within", ["100000y", "99999999999999999d"])
def test_a_huge_duration_is_refused(run, sample, within) -> None:
    result = run.refused(["due", "--within", within], 2, "too long a duration")
    assert f"'{within}' is too long a duration" in result.stderr
    assert result.stdout == ""


# --- 5. control characters in a filter --------------------------------------------------


def test_a_control_character_in_a_filter_does_not_reach_the_workbook(run, sample, tmp_path) -> None:
    # A country that names nothing recorded is refused before anything is written.
    path = tmp_path / "filtered.xlsx"
    run.refused(
        ["export", str(path), "--country", "\x01bad"],
        2,
        "bad'; known countries: Serbia",
    )
    assert not path.exists()
    assert list(tmp_path.iterdir()) == [sample.parent]  # no partial or temporary file


# --- 6. a file that is not in the format named ------------------------------------------


def test_a_text_file_named_xlsx_is_not_a_workbook(run, sample, tmp_path) -> None:
    path = tmp_path / "text.xlsx"
    path.write_text("just some text\n", encoding="utf-8")
    result = run.refused(["import", str(path), "--format", "xlsx"], 1)
    assert result.stderr.startswith("Error: text.xlsx: not a workbook"), result.stderr


def test_a_workbook_read_as_toml_is_not_a_toml_file(run, sample, tmp_path) -> None:
    path = exported(run, tmp_path, "real.xlsx")
    run.refused(["import", str(path), "--format", "toml"], 1, "not a TOML text file")


# --- 7. a data set written with capitals, loaded twice ----------------------------------


DATA_SET = """\
[[recommendations]]
key = "CEDAW-2019-0900"
body = "CEDAW"
date = "2019"
text = "A recommendation of the regression data set."

[[assessments]]
recommendations = ["CEDAW-2019-0900"]
date = "2024-05-01"
status = "Implemented"
by = "NGO"
note = "Written with capitals."
"""


def test_a_data_set_assessment_with_capitals_is_added_once(run, empty, tmp_path) -> None:
    path = tmp_path / "capitals.toml"
    path.write_text(DATA_SET, encoding="utf-8")
    first = run.ok("import", str(path))
    assert "1 assessment added" in first, first
    events = assessments(run, "CEDAW-2019-0900")
    assert [(e["date"], e["status"], e["perspective"]) for e in events] == [
        ("2024-05-01", "implemented", "ngo")
    ]

    second = run.ok("import", str(path))
    assert "0 assessments added" in second or "assessment" not in second, second
    assert len(assessments(run, "CEDAW-2019-0900")) == 1


# --- 8. status unknown ------------------------------------------------------------------


@pytest.mark.parametrize("extra", [["--grade", "X"], []], ids=["with-grade", "alone"])
def test_status_unknown_is_refused(run, sample, extra) -> None:
    before = len(assessments(run, SAMPLE_KEY))
    result = run.refused(
        ["assess", SAMPLE_KEY, "--status", "unknown", *extra],
        2,
        "'unknown' is not a status",
    )
    assert result.stdout == ""
    assert len(assessments(run, SAMPLE_KEY)) == before


# --- 9. a body code with an underscore --------------------------------------------------


def test_a_body_with_an_underscore_makes_keys_that_edit_accepts(run, empty) -> None:
    assert run.ok("body", "add", "NEW_ONE", "--name", "New", "--kind", "other")
    key = run.add("--body", "new_one", "--para", "1", "--date", "2020", "-t", "x")
    assert key == "NEW_ONE-2020-1"
    result = run("edit", key, "--key", key)
    assert result.exit_code == 0, result.output
    assert run.json("show", key)["key"] == key


# --- 10. a numeric paragraph and the counter --------------------------------------------


def test_a_paragraph_key_does_not_move_the_counter(run, empty) -> None:
    assert (
        run.add("-b", "cedaw", "-t", "a", "--date", "2019", "--para", "1234") == "CEDAW-2019-1234"
    )
    assert run.add("-b", "cedaw", "-t", "b", "--date", "2019") == "CEDAW-2019-0001"


# --- 11. the database named in config.toml ----------------------------------------------


def test_a_relative_database_in_config_is_in_the_home_folder(
    run, home, tmp_path, monkeypatch
) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('database = "rel.db"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run.ok("db", "path").strip() == str(home / "rel.db")


def test_a_database_that_is_not_text_in_config_is_an_error(run, home) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("database = 5\n", encoding="utf-8")
    result = run("db", "path")
    assert result.exit_code == 1, result.output
    assert "config.toml" in result.stderr
    assert result.stdout == ""


# --- 12. overdue from the state's view --------------------------------------------------


def test_overdue_in_the_states_view_agrees_with_due(run, empty) -> None:
    key = run.add("-b", "cedaw", "-t", "Due long ago.", "--due", "2020")
    run.ok("assess", key, "--status", "implemented", "--by", "state", "--date", "2021")
    run.ok("assess", key, "--status", "not_implemented", "--date", "2021")
    (row,) = [r for r in run.json("status", "--by", "state")["recommendations"] if r["key"] == key]
    assert (row["status"], row["overdue"]) == ("implemented", True)
    (due,) = [r for r in run.json("due") if r["key"] == key]
    assert due["overdue"] is True
    assert due["when"].startswith("overdue")
    assert [r["key"] for r in run.json("due", "--overdue")] == [key]


# --- 13. adding and removing the same theme ---------------------------------------------


def test_adding_and_removing_one_theme_creates_no_theme(run, sample) -> None:
    run.refused(
        ["edit", SAMPLE_KEY, "--add-theme", "Zzz", "--remove-theme", "zzz"],
        2,
    )
    result = run("list", "--theme", "zzz")
    assert result.exit_code == 2, result.output
    assert "no theme 'zzz'" in result.stderr


# --- 14. rm says what goes with a recommendation ----------------------------------------


@pytest.fixture
def assessed_twice(run, empty) -> str:
    key = run.add("-b", "cedaw", "-t", "Assessed twice.", "--date", "2019")
    run.ok("assess", key, "--status", "not_implemented", "--date", "2020")
    run.ok("assess", key, "--status", "partial", "--date", "2021")
    return key


def test_rm_purge_counts_the_assessments(run, assessed_twice) -> None:
    key = assessed_twice
    assert run.ok("rm", key, "--purge", "--yes") == (
        f"deleted for good: {key} (2 assessments with them)\n"
    )
    assert run("show", key).exit_code == 1


def test_rm_purge_question_mentions_the_assessments(run, assessed_twice, terminal) -> None:
    key = assessed_twice
    before = run.state()
    result = run("rm", key, "--purge", input="n\n")
    assert result.exit_code == 1, result.output
    assert "and their 2 assessments for good? This cannot be undone." in result.stdout
    assert "nothing removed" in result.output
    assert run.state() == before
    assert run.json("show", key)["key"] == key


# --- 15. an assessment in the future ----------------------------------------------------


def test_an_assessment_dated_in_the_future_is_refused(run, sample) -> None:
    result = run.refused(
        ["assess", SAMPLE_KEY, "--status", "partial", "--date", "2099"],
        2,
        "'2099' is in the future",
    )
    assert result.stdout == ""


# --- 16. an empty key -------------------------------------------------------------------


def test_show_with_an_empty_key(run, sample) -> None:
    result = run.refused(["show", ""], 2, "give a recommendation key")
    assert result.stdout == ""


# --- 17. control characters and CSV -----------------------------------------------------


def test_a_csv_export_drops_control_characters_and_imports_back_quietly(
    run, empty, tmp_path
) -> None:
    key = run.add("-b", "cedaw", "-t", "A \x07bell in the text.")
    path = exported(run, tmp_path, "meeting.csv")
    raw = path.read_text(encoding="utf-8")
    assert "\x07" not in raw
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["Key"] for r in rows] == [key]
    assert "bell in the text." in rows[0]["Text"]
    before = run.state()
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "nothing to import: the file matches the database\n"
    assert "Warning" not in result.stderr
    assert run.state() == before


# --- 18. --by on a data set -------------------------------------------------------------


def test_by_is_refused_for_a_data_set(run, empty, tmp_path) -> None:
    path = tmp_path / "set.toml"
    path.write_text(DATA_SET, encoding="utf-8")
    result = run.refused(
        ["import", str(path), "--by", "state"],
        2,
        "--by and --assessor are for workbooks and CSV files",
    )
    assert result.stdout == ""
    assert run("show", "CEDAW-2019-0900").exit_code == 1


# --- 19. a database that is not there ---------------------------------------------------


def test_a_missing_database_is_not_created(run, tmp_path) -> None:
    missing = tmp_path / "missing.db"
    result = run("--db", str(missing), "list")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: no database at {missing}"), result.stderr
    assert f"create it with `rectrack --db {missing} init`" in result.stderr
    assert result.stdout == ""
    assert not missing.exists()


# --- 20. a workbook with no assessments -------------------------------------------------


def test_a_workbook_with_nothing_assessed(run, empty, tmp_path) -> None:
    run.add("-b", "cedaw", "-t", "Never assessed.")
    path = tmp_path / "x.xlsx"
    result = run("export", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {path} (1 recommendation")
    ws = load_workbook(path)["History"]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 1
    assert any(rows[0])
