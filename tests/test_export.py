"""rectrack export: the coalition-meeting workbook and CSV file, filters, safe text, safe files."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rectrack import domain, i18n

COLUMNS = [
    "Key",
    "Body",
    "Document",
    "Paragraph",
    "Date",
    "Country",
    "Summary",
    "Text",
    "Themes",
    "Institutions",
    "Priority",
    "Response",
    "Due",
    "Overdue",
    "Status",
    "Since",
    "Status date",
    "Grade",
    "State claims",
    "Actions",
    "Latest action",
    "Evidence",
    "Latest note",
    "New status",
    "New status date",
    "Assessment note",
]
LAST = get_column_letter(len(COLUMNS))  # Z
# The visible sheets in order, then the one an import compares against, very hidden.
SHEETS = ["Summary", "Meeting", "Recommendations", "Actions", "Evidence", "History", "About"]
# Every status, as the workbook writes it (English labels), in the Summary's order.
LABELS = {code: i18n.text(f"status.{code}") for code in domain.STATUS_DISPLAY_ORDER}


# --- helpers ----------------------------------------------------------------------------


def export(run, path: Path, *args: str):
    result = run("export", str(path), *args)
    assert result.exit_code == 0, result.output
    return result


def letter(header: str) -> str:
    return get_column_letter(COLUMNS.index(header) + 1)


def sheet_rows(ws) -> list[dict]:
    """The rows of a table sheet as dicts by header."""
    values = list(ws.iter_rows(values_only=True))
    header = list(values[0])
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def cell_text(value) -> str | None:
    """A cell as the register writes the value: a date cell as its ISO date."""
    return value.date().isoformat() if isinstance(value, dt.datetime) else value


def rec_rows(path: Path) -> dict[str, dict]:
    return {r["Key"]: r for r in sheet_rows(load_workbook(path)["Recommendations"])}


def rec_cell(path: Path, key: str, header: str):
    """The cell of `header` on the row of `key`, and its row number."""
    ws = load_workbook(path)["Recommendations"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == key:
            return row[COLUMNS.index(header)], row[0].row
    raise AssertionError(f"no row {key}")


SUMMARY_HEADER = 8  # the Summary table's header row, under the title and five rows of meta


def summary_table(path: Path) -> tuple[str, dict[str, dict[str, int]]]:
    """The Summary table (header on row 8: the group label, each status, Total): its first
    header, and counts by status code for each group, down to the All row."""
    ws = load_workbook(path)["Summary"]
    width = len(LABELS) + 2
    rows = [r[:width] for r in ws.iter_rows(min_row=SUMMARY_HEADER, values_only=True)]
    header = rows[0]
    assert list(header[1:]) == [*LABELS.values(), "Total"]
    codes = {label: code for code, label in LABELS.items()}
    groups = {}
    for row in rows[1:]:
        if row[0] == "All":
            break
        groups[row[0]] = {codes[h]: v for h, v in zip(header[1:-1], row[1:-1], strict=True)}
        groups[row[0]]["total"] = row[-1]
    else:
        raise AssertionError("the Summary table has no All row")
    return header[0], groups


def expected_groups(run, *args: str) -> dict[str, dict[str, int]]:
    report = run.json("status", "--summary", *args)
    return {g["group"]: {**g["counts"], "total": g["total"]} for g in report["groups"]}


def about(path: Path) -> dict:
    """The About sheet's values by the field name in its hidden column C."""
    ws = load_workbook(path)["About"]
    return {row[2]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def csv_rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


# --- the workbook -----------------------------------------------------------------------


def test_export_says_what_it_wrote_and_leaves_only_the_file(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    today = run.json("status")["as_of"]
    result = export(run, path)
    assert result.stdout == f"wrote {path} (38 recommendations, status on {today}, ngo view)\n"
    assert result.stderr == ""
    assert files_in(tmp_path) == ["home", "meeting.xlsx"]


def test_sheets_in_order_with_original_hidden(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    wb = load_workbook(path)
    assert wb.sheetnames == [*SHEETS, "Original"]
    states = {name: wb[name].sheet_state for name in wb.sheetnames}
    assert states == {**{name: "visible" for name in SHEETS}, "Original": "veryHidden"}


def test_recommendations_sheet_has_one_row_per_recommendation(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    ws = load_workbook(path)["Recommendations"]
    assert [c.value for c in ws[1]] == COLUMNS
    rows = sheet_rows(ws)
    recs = run.json("list")
    assert [r["Key"] for r in rows] == [r["key"] for r in recs]
    for row, rec in zip(rows, recs, strict=True):
        assert row["Body"] == rec["body"]
        assert row["Text"] == rec["text"]
        assert row["Themes"] == ("; ".join(rec["themes"]) or None)
        assert row["Institutions"] == ("; ".join(rec["institutions"]) or None)
        assert row["Priority"] == rec["priority"]  # the English labels are the codes
        assert cell_text(row["Due"]) == rec["due"]
        assert cell_text(row["Date"]) == rec["date"]
        assert (row["New status"], row["New status date"], row["Assessment note"]) == (
            None,
            None,
            None,
        )


def test_status_columns_show_labels_of_the_current_status(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    rows = rec_rows(path)
    report = run.json("status")
    assert {k: r["Status"] for k, r in rows.items()} == {
        r["key"]: LABELS[r["status"]] for r in report["recommendations"]
    }


def test_header_frozen_and_autofilter_over_the_data(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    ws = load_workbook(path)["Recommendations"]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{LAST}39"


def test_status_drop_downs_list_the_status_labels(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    ws = load_workbook(path)["Recommendations"]
    lists = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            for ref in str(dv.sqref).split():
                lists[ref] = sorted(dv.formula1.strip('"').split(","))
    # Typing a status is an assessment: "Unknown" is what no assessment means.
    assessable = sorted(v for v in LABELS.values() if v != "Unknown")
    for column in ("Status", "New status"):
        ref = f"{letter(column)}2:{letter(column)}39"
        assert lists[ref] == assessable, column


def test_status_column_is_coloured_by_conditional_formatting(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    ws = load_workbook(path)["Recommendations"]
    for column in ("Status", "State claims", "New status"):
        ref = f"{letter(column)}2:{letter(column)}39"
        rules = [
            rule for cf in ws.conditional_formatting if ref in str(cf.sqref) for rule in cf.rules
        ]
        labels = {rule.formula[0] for rule in rules}
        assert labels >= {f'"{label}"' for label in LABELS.values() if label != "Unknown"}, column
        assert labels <= {f'"{label}"' for label in LABELS.values()}, column
        assert all(rule.type == "cellIs" and rule.operator == "equal" for rule in rules)
        assert all(rule.dxf.fill is not None and rule.dxf.font.color for rule in rules)


def test_summary_has_a_stacked_bar_chart(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "barChart" in chart
    assert 'grouping val="stacked"' in chart
    charts = load_workbook(path)["Summary"]._charts
    assert len(charts) == 1
    assert charts[0].grouping == "stacked"


def test_summary_counts_by_body_match_status(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    first, groups = summary_table(path)
    assert first == "Body"
    assert groups == expected_groups(run, "--group-by", "body")
    assert list(groups) == ["CEDAW", "EU", "GRETA", "TIP", "UPR"]


def test_about_sheet_names_version_schema_time_and_filters(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    ws = load_workbook(path)["About"]
    assert ws["A1"].value == "rectrack workbook"
    assert ws.column_dimensions["C"].hidden
    labels = {row[2]: row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert list(labels) == [
        "title",
        "format",
        "tool_version",
        "schema_version",
        "exported_at",
        "export_date",
        "as_of",
        "perspective",
        "group_by",
        "filters",
        "database",
        "recommendations",
        "language",
    ]
    assert labels["tool_version"] == "rectrack version"
    info = about(path)
    assert all(isinstance(v, str) for v in info.values()), info  # values are text
    version = run("--version").stdout.split()[-1]
    schema = re.search(r"schema version (\d+)", run("init").stdout).group(1)
    assert info["tool_version"] == version
    assert info["schema_version"] == schema
    assert info["format"] == "2"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info["exported_at"])
    assert info["export_date"] == info["exported_at"][:10]
    assert info["filters"] == "none"
    assert (info["perspective"], info["group_by"], info["language"]) == ("ngo", "body", "en")
    assert info["recommendations"] == "38"
    # The database by its name only: no folder of the user's travels with the file.
    assert info["database"] == Path(run("db", "path").stdout.strip()).name == "rectrack.db"


# --- filters ----------------------------------------------------------------------------


def test_body_filter_exports_only_that_body(run, sample, tmp_path) -> None:
    path = tmp_path / "greta.xlsx"
    result = export(run, path, "--body", "greta")
    assert "(14 recommendations" in result.stdout
    rows = rec_rows(path)
    assert list(rows) == [r["key"] for r in run.json("list", "--body", "GRETA")]
    assert {r["Body"] for r in rows.values()} == {"GRETA"}
    assert list(summary_table(path)[1]) == ["GRETA"]
    assert about(path)["filters"].casefold() == "body: greta"
    history_keys = {r["Key"] for r in sheet_rows(load_workbook(path)["History"])}
    assert history_keys and history_keys <= set(rows)


def test_as_of_gives_the_statuses_of_then(run, sample, tmp_path) -> None:
    path = tmp_path / "2020.xlsx"
    result = export(run, path, "--as-of", "2020")
    then = run.json("status", "--as-of", "2020")
    assert f"status on {then['as_of']}" in result.stdout
    shown = {k: r["Status"] for k, r in rec_rows(path).items()}
    assert shown == {r["key"]: LABELS[r["status"]] for r in then["recommendations"]}
    today = {r["key"]: LABELS[r["status"]] for r in run.json("status")["recommendations"]}
    assert shown != today
    assert about(path)["as_of"] == then["as_of"]


def test_by_state_shows_the_states_claims(run, sample, tmp_path) -> None:
    path = tmp_path / "state.xlsx"
    result = export(run, path, "--by", "state")
    assert "state view" in result.stdout
    claims = run.json("status", "--by", "state")
    shown = {k: r["Status"] for k, r in rec_rows(path).items()}
    assert shown == {r["key"]: LABELS[r["status"]] for r in claims["recommendations"]}
    assert "Implemented" in shown.values()
    assert about(path)["perspective"] == "state"
    assert load_workbook(path)["Recommendations"][f"{letter('State claims')}1"].value == (
        "NGO assessment"
    )


def test_group_by_theme_changes_the_summary_rows(run, sample, tmp_path) -> None:
    path = tmp_path / "themes.xlsx"
    export(run, path, "--group-by", "theme")
    first, groups = summary_table(path)
    assert first == "Theme"
    assert groups == expected_groups(run, "--group-by", "theme")
    assert "compensation" in groups
    assert "GRETA" not in groups


# --- text is text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "=1+1 is not a formula",
        "+381 11 123 456 is a phone number",
        "-5% in the budget",
        "@everyone should read this",
    ],
)
def test_text_that_looks_like_a_formula_stays_text(run, sample, tmp_path, text) -> None:
    key = run.add("-b", "cedaw", "-t", text)
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    cell, _ = rec_cell(path, key, "Text")
    assert cell.data_type == "s"
    assert cell.value == text


def test_control_characters_are_left_out(run, sample, tmp_path) -> None:
    key = run.add("-b", "cedaw", "-t", "\x07bell\x00 rings")
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    assert rec_cell(path, key, "Text")[0].value == "bell rings"


def test_a_text_over_excels_limit_is_cut_with_a_marker_and_a_warning(run, sample, tmp_path) -> None:
    text = "Long. " + "x" * 39_994
    key = run.add("-b", "cedaw", "-t", text)
    path = tmp_path / "meeting.xlsx"
    result = export(run, path)
    cell, row = rec_cell(path, key, "Text")
    assert len(cell.value) <= 32_767
    assert cell.value.startswith("Long. xxx")
    assert "cut by rectrack" in cell.value
    assert f"Recommendations!{letter('Text')}{row}" in result.stderr
    assert "32,767" in result.stderr


def test_a_theme_that_looks_like_a_formula_is_text_in_every_sheet(run, sample, tmp_path) -> None:
    key = run.add("-b", "cedaw", "-t", "Fund the shelters.", "--theme", "=1+2")
    path = tmp_path / "meeting.xlsx"
    export(run, path)
    wb = load_workbook(path)
    for name, header in (("Recommendations", "Themes"), ("Original", "themes")):
        ws = wb[name]
        themes = [c.value for c in ws[1]].index(header)
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == key)
        assert (name, row[themes].data_type, row[themes].value) == (name, "s", "=1+2")


# --- what gets exported when little is recorded -------------------------------------------


def test_export_of_recommendations_without_any_assessment(run, tmp_path) -> None:
    assert run("init").exit_code == 0
    key = run.add("-b", "cedaw", "-t", "Adopt a law.")
    path = tmp_path / "meeting.xlsx"
    result = run("export", str(path))
    assert result.exit_code == 0, result.output
    assert list(rec_rows(path)) == [key]
    assert sheet_rows(load_workbook(path)["History"]) == []


def test_export_of_a_filter_that_selects_nothing(run, sample, tmp_path) -> None:
    path = tmp_path / "cat.xlsx"
    result = run("export", str(path), "--body", "cat")
    assert result.exit_code == 0, result.output
    assert "(0 recommendations" in result.stdout
    assert rec_rows(path) == {}


# --- files ------------------------------------------------------------------------------


def test_an_existing_file_is_refused_and_left_as_it_was(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path, "--body", "greta")
    before = path.read_bytes()
    result = run("export", str(path))
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert result.stdout == ""
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["home", "meeting.xlsx"]


def test_force_overwrites(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.xlsx"
    export(run, path, "--body", "greta")
    result = export(run, path, "--force")
    assert "(38 recommendations" in result.stdout
    assert len(rec_rows(path)) == 38
    assert files_in(tmp_path) == ["home", "meeting.xlsx"]


def test_a_missing_folder_is_refused(run, sample, tmp_path) -> None:
    result = run("export", str(tmp_path / "nowhere" / "meeting.xlsx"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert files_in(tmp_path) == ["home"]


@pytest.mark.parametrize("args", [["meeting.pdf"], ["meeting.xlsx", "--format", "pdf"]])
def test_an_unknown_format_is_a_usage_error(run, sample, tmp_path, args) -> None:
    result = run("export", str(tmp_path / args[0]), *args[1:])
    assert result.exit_code == 2
    assert "xlsx" in result.stderr and "csv" in result.stderr
    assert files_in(tmp_path) == ["home"]


@pytest.mark.parametrize(
    "option, value, fragment",
    [
        ("--by", "partners", "not a perspective"),
        ("--group-by", "colour", "not a grouping"),
        ("--as-of", "someday", "not a date"),
        ("--priority", "urgent", "not a priority"),
        ("--body", "nosuch", "not a known body"),
    ],
)
def test_bad_filter_values_create_no_file(run, sample, tmp_path, option, value, fragment) -> None:
    result = run("export", str(tmp_path / "meeting.xlsx"), option, value)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert files_in(tmp_path) == ["home"]


def test_a_long_but_valid_file_name_is_written(run, sample, tmp_path) -> None:
    name = "m" * 245 + ".xlsx"  # 250 characters
    (tmp_path / name).touch()  # the file system takes the name
    (tmp_path / name).unlink()
    result = run("export", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path) == ["home", name]
    assert len(rec_rows(tmp_path / name)) == 38


# --- CSV --------------------------------------------------------------------------------


def test_csv_has_the_same_columns_and_one_row_each(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.csv"
    result = export(run, path)
    assert result.stdout.startswith(f"wrote {path} (38 recommendations")
    rows = csv_rows(path)
    assert rows[0] == COLUMNS
    assert [r[0] for r in rows[1:]] == [r["key"] for r in run.json("list")]
    assert all(len(r) == len(COLUMNS) for r in rows)
    assert files_in(tmp_path) == ["home", "meeting.csv"]


def test_csv_statuses_are_codes(run, sample, tmp_path) -> None:
    path = tmp_path / "meeting.csv"
    export(run, path)
    rows = csv_rows(path)
    status, claims = COLUMNS.index("Status"), COLUMNS.index("State claims")
    report = run.json("status")
    assert {r[0]: r[status] for r in rows[1:]} == {
        r["key"]: r["status"] for r in report["recommendations"]
    }
    assert "not_implemented" in {r[status] for r in rows[1:]}
    state = run.json("status", "--by", "state")
    assert {r[0]: r[claims] for r in rows[1:]} == {
        r["key"]: r["status"] for r in state["recommendations"]
    }


def test_csv_priorities_and_responses_are_codes(run, sample, tmp_path) -> None:
    key = run.add("-b", "upr", "-t", "Ratify the protocol.", "--response", "noted")
    path = tmp_path / "meeting.csv"
    export(run, path)
    rows = {r[0]: r for r in csv_rows(path)[1:]}
    priority, response = COLUMNS.index("Priority"), COLUMNS.index("Response")
    assert rows[key][response] == "noted"
    assert {r[priority] for r in rows.values()} <= {"high", "medium", "low", ""}
    # A Serbian CSV file still writes codes where the workbook writes labels.
    serbian = tmp_path / "sastanak.csv"
    export(run, serbian, "--lang", "sr-Latn")
    assert {r[0]: r[priority] for r in csv_rows(serbian)[1:]} == {
        k: r[priority] for k, r in rows.items()
    }


def test_csv_bom_only_when_asked(run, sample, tmp_path) -> None:
    plain, bom = tmp_path / "plain.csv", tmp_path / "bom.csv"
    export(run, plain)
    export(run, bom, "--bom")
    assert bom.read_bytes().startswith(b"\xef\xbb\xbfKey,Body,")
    assert plain.read_bytes().startswith(b"Key,Body,")
    assert csv_rows(bom, "utf-8-sig") == csv_rows(plain)


@pytest.mark.parametrize(
    "text", ["=1+1 is not a formula", "+381 11 123 456", "-5% budget", "@everyone"]
)
def test_csv_text_that_looks_like_a_formula_gets_an_apostrophe(run, sample, tmp_path, text) -> None:
    key = run.add("-b", "cedaw", "-t", text)
    path = tmp_path / "meeting.csv"
    export(run, path)
    row = next(r for r in csv_rows(path) if r[0] == key)
    assert row[COLUMNS.index("Text")] == "'" + text


def test_csv_filters_apply(run, sample, tmp_path) -> None:
    path = tmp_path / "greta.csv"
    export(run, path, "--body", "greta")
    rows = csv_rows(path)
    assert [r[0] for r in rows[1:]] == [r["key"] for r in run.json("list", "--body", "greta")]
