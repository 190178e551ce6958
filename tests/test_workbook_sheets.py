"""What the workbook's sheets hold: labels where people read, links, the columns of the
Recommendations sheet, the Meeting sheet, and the About sheet, which keeps no folder of the
user's. Each file is read back with openpyxl.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from helpers import (
    about_fields,
    cells_by_key,
    column_widths,
    headers_of,
    heading_rows,
    printed_width,
    rows_by_key,
)
from rectrack import domain, i18n

ORDER = domain.STATUS_DISPLAY_ORDER  # every status, in the order the workbook lists them
LABELS = [i18n.text(f"status.{s}") for s in ORDER]
PAGE_UNITS = 130  # width units a landscape page holds at a readable size
SINCE_2024 = "CEDAW-2019-0002"  # ngo: not implemented since 2022-12; state: partial since 2024
OVERDUE = "GRETA-2023-0005"  # due 2025-06-16, not implemented
WITH_LAW = "CEDAW-2019-0002"  # A11, a law of 2016 with its Official Gazette numbers


# --- reading a workbook -----------------------------------------------------------------


def workbook(path: Path) -> Any:
    return load_workbook(path)


def refs(value: str | None) -> str | None:
    """A print-titles range without its `$` marks (`$1:$1` -> `1:1`)."""
    return value.replace("$", "") if value else value


def meeting_groups(ws: Any) -> dict[str, list[str]]:
    """The keys under each group heading of the Meeting sheet, in order."""
    headings = set(heading_rows(ws))
    groups: dict[str, list[str]] = {}
    current = None
    for row in ws.iter_rows(min_row=2):
        if row[0].row in headings:
            current = row[0].value
            groups[current] = []
        elif row[0].value:
            assert current is not None, f"row {row[0].row} stands under no heading"
            groups[current].append(row[0].value.split("\n")[0])
    return groups


def export(cli, path: Path, *args: str) -> Path:
    cli.ok("export", path, *args)
    return path


# --- 6. labels where people read --------------------------------------------------------


def test_kinds_and_perspectives_are_written_as_words(cli, sample, sample_export) -> None:
    wb = workbook(sample_export("meeting.xlsx"))
    kinds = {r["Kind"] for r in rows_by_key(wb["Actions"]).values()}
    assert "Action plan" in kinds
    assert kinds <= {i18n.text(f"action.{k}") for k in domain.ACTION_KINDS}
    evidence = {r["Kind"] for r in rows_by_key(wb["Evidence"]).values()}
    assert "Web page" in evidence
    assert evidence <= {i18n.text(f"evidence.{k}") for k in domain.EVIDENCE_KINDS}
    history = wb["History"]
    perspective = headers_of(history).index("Perspective")
    shown = {r[perspective] for r in history.iter_rows(min_row=2, values_only=True)}
    assert shown == {"NGO", "State", "Body"}


@pytest.mark.parametrize(
    "sheet, column", [("Recommendations", "Status"), ("Meeting", "New status")]
)
def test_the_status_drop_down_offers_no_unknown(sample_export, sheet, column) -> None:
    ws = workbook(sample_export("meeting.xlsx"))[sheet]
    letter = get_column_letter(headers_of(ws).index(column) + 1)
    lists = [
        dv
        for dv in ws.data_validations.dataValidation
        if dv.type == "list" and any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges)
    ]
    assert len(lists) == 1
    offered = lists[0].formula1.strip('"').split(",")
    assert offered == [
        label for code, label in zip(ORDER, LABELS, strict=True) if code != "unknown"
    ]
    assert lists[0].showErrorMessage


# --- 7 and 11. links and the columns of the Recommendations sheet -----------------------


def test_urls_of_actions_and_evidence_are_hyperlinks(cli, sample, tmp_path) -> None:
    url = "https://www.paragraf.rs/propisi/zakon-o-besplatnoj-pravnoj-pomoci.html"
    action = cli.ok(
        "action", "add", "--title", "Law on Free Legal Aid", "--kind", "law", "--url", url,
        "-r", OVERDUE,
    ).strip()  # fmt: skip
    wb = workbook(export(cli, tmp_path / "m.xlsx"))
    link = cells_by_key(wb["Actions"])[action]["URL"]
    assert (link.value, link.hyperlink.target) == (url, url)
    linked = 0
    for name in ("Actions", "Evidence"):
        for cells in cells_by_key(wb[name]).values():
            cell = cells["URL"]
            if cell.value:
                assert cell.hyperlink is not None and cell.hyperlink.target == cell.value
                assert cell.font.u == "single"
                linked += 1
            else:
                assert cell.hyperlink is None
    assert linked > 2


def test_the_key_column_is_wide_enough_and_does_not_wrap(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Recommendations"]
    assert headers_of(ws)[0] == "Key"
    assert column_widths(ws)[1][0] >= 17
    keys = [row[0] for row in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    assert max(len(c.value) for c in keys) + 2 <= column_widths(ws)[1][0]
    assert not any(c.alignment.wrap_text for c in keys)


def test_the_history_key_column_is_as_wide_as_the_recommendations_one(sample_export) -> None:
    wb = workbook(sample_export("meeting.xlsx"))
    assert headers_of(wb["History"])[0] == "Key"
    assert column_widths(wb["History"])[1][0] >= 17


def test_actions_and_evidence_cells_list_id_and_title_per_line(sample_export) -> None:
    wb = workbook(sample_export("meeting.xlsx"))
    recs = rows_by_key(wb["Recommendations"])
    for sheet, column in (("Actions", "Actions"), ("Evidence", "Evidence")):
        expected: dict[str, list[str]] = {key: [] for key in recs}
        for item_id, item in rows_by_key(wb[sheet]).items():
            for key in (item["Recommendations"] or "").split("; "):
                if key:
                    expected[key].append(f"{item_id} {item['Title']}")
        shown = {key: (r[column] or "").split("\n") if r[column] else [] for key, r in recs.items()}
        assert {k: sorted(v) for k, v in shown.items()} == {
            k: sorted(v) for k, v in expected.items()
        }
        assert any(len(v) > 1 for v in shown.values()), "a recommendation with several lines"


def test_the_latest_action_is_the_latest_by_date_with_its_reference(cli, recs, tmp_path) -> None:
    key = recs[0]

    def action(title: str, date: str, reference: str | None) -> str:
        args = ["action", "add", "--title", title, "--kind", "law", "--date", date, "-r", key]
        return cli.ok(*args, *(["--reference", reference] if reference else [])).strip()

    first = action("Law on Gender Equality", "2021-05-20", "Službeni glasnik RS 52/2021")
    latest = action("Amendments to the Criminal Code", "2024-03", "Službeni glasnik RS 94/2024")
    middle = action("Bylaw on shelters", "2022", None)
    wb = workbook(export(cli, tmp_path / "m.xlsx"))
    row = rows_by_key(wb["Recommendations"])[key]
    assert row["Latest action"] == (
        f"{latest} Amendments to the Criminal Code (2024-03; Službeni glasnik RS 94/2024)"
    )
    assert row["Actions"].split("\n") == [
        f"{first} Law on Gender Equality",
        f"{middle} Bylaw on shelters",
        f"{latest} Amendments to the Criminal Code",
    ]
    assert rows_by_key(wb["Recommendations"])[recs[1]]["Latest action"] is None


def test_undated_actions_and_evidence_come_last_as_in_history(cli, recs, tmp_path) -> None:
    key = recs[0]
    undated = cli.ok("action", "add", "--title", "Plan", "--kind", "action_plan", "-r", key)
    dated = cli.ok("action", "add", "--title", "Law", "--kind", "law", "--date", "2020", "-r", key)
    note = cli.ok("evidence", "add", "--title", "Call", "--kind", "meeting", "-r", key)
    report = cli.ok(
        "evidence", "add", "--title", "Report", "--kind", "document", "--date", "2021", "-r", key
    )
    history = [e["id"] for e in cli.json("history", key)["events"]]
    assert history.index(undated.strip()) > history.index(dated.strip())  # the convention
    wb = workbook(export(cli, tmp_path / "m.xlsx"))
    row = rows_by_key(wb["Recommendations"])[key]
    assert row["Actions"] == f"{dated.strip()} Law\n{undated.strip()} Plan"
    assert row["Evidence"] == f"{report.strip()} Report\n{note.strip()} Call"
    assert list(rows_by_key(wb["Actions"])) == [dated.strip(), undated.strip()]
    assert list(rows_by_key(wb["Evidence"])) == [report.strip(), note.strip()]


def test_the_sample_law_is_the_latest_action_with_its_gazette(sample_export) -> None:
    row = rows_by_key(workbook(sample_export("meeting.xlsx"))["Recommendations"])[WITH_LAW]
    assert row["Latest action"].startswith("A11 Law on Public Order and Peace")
    assert row["Latest action"].endswith("(2016; Službeni glasnik RS 6/2016, 24/2018)")


def test_summary_paragraph_overdue_since_and_grade_columns(cli, sample, tmp_path) -> None:
    key = cli.add(
        "-b",
        "cedaw",
        "-d",
        "CEDAW/C/SRB/CO/4",
        "-p",
        "24(b)",
        "-s",
        "A fund",
        "-t",
        "Set up a fund.",
    )
    cli.ok("assess", key, "--by", "body", "--grade", "B", "--status", "partial", "--date", "2024")
    wb = workbook(export(cli, tmp_path / "m.xlsx", "--by", "body"))
    rows = rows_by_key(wb["Recommendations"])
    assert (rows[key]["Summary"], rows[key]["Paragraph"], rows[key]["Grade"]) == (
        "A fund",
        "24(b)",
        "B",
    )
    assert (rows[key]["Status"], rows[key]["Since"]) == ("Partial", "2024")
    report = {r["key"]: r for r in cli.json("status", "--by", "body")["recommendations"]}
    assert {k: r["Overdue"] for k, r in rows.items()} == {
        k: "overdue" if r["overdue"] else None for k, r in report.items()
    }
    assert rows[OVERDUE]["Overdue"] == "overdue"


# --- 8. the About sheet, and no folder of the user's -------------------------------------


def every_text(wb: Any) -> list[tuple[str, str]]:
    """Every text a workbook holds: (where, text) of each cell of every sheet, hidden ones
    included, its footers and its document properties."""
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    out.append((f"{ws.title}!{cell.coordinate}", cell.value))
                if cell.hyperlink is not None and cell.hyperlink.target:
                    out.append((f"{ws.title}!{cell.coordinate} link", cell.hyperlink.target))
        for part in ("left", "center", "right"):
            out.append((f"{ws.title} footer", getattr(ws.oddFooter, part).text or ""))
    props = wb.properties
    for name in ("title", "subject", "creator", "description", "keywords", "lastModifiedBy"):
        out.append((f"property {name}", getattr(props, name) or ""))
    return out


def test_no_folder_of_the_users_travels_with_the_workbook(cli, sample, tmp_path, home) -> None:
    elsewhere = tmp_path / "private" / "reports"
    elsewhere.mkdir(parents=True)
    (elsewhere / "shelter visit.pdf").write_bytes(b"%PDF-1.4 notes\n")
    (home / "files").mkdir()
    (home / "files" / "minutes.pdf").write_bytes(b"%PDF-1.4 minutes\n")
    outside = cli.ok(
        "evidence", "add", "--title", "Visit", "--kind", "document",
        "--file", elsewhere / "shelter visit.pdf", "-r", OVERDUE,
    ).strip()  # fmt: skip
    inside = cli.ok(
        "evidence", "add", "--title", "Minutes", "--kind", "meeting",
        "--file", home / "files" / "minutes.pdf", "-r", OVERDUE,
    ).strip()  # fmt: skip
    wb = workbook(export(cli, tmp_path / "m.xlsx"))
    files = {k: r["File"] for k, r in rows_by_key(wb["Evidence"]).items()}
    assert files[outside] == "shelter visit.pdf"  # by name only
    assert files[inside] == "files/minutes.pdf"  # as kept, beside the database
    assert about_fields(tmp_path / "m.xlsx")["database"] == "rectrack.db"
    folders = {str(tmp_path), str(home), str(tmp_path.resolve()), tmp_path.as_uri()}
    for where, text in every_text(wb):
        assert not any(folder in text for folder in folders), (where, text)


def test_about_names_a_database_given_by_path_by_its_name(cli, sample, tmp_path) -> None:
    other = tmp_path / "coalition" / "astra.db"
    other.parent.mkdir()
    other.write_bytes(sample.read_bytes())
    cli.ok("--db", other, "export", tmp_path / "m.xlsx")
    assert about_fields(tmp_path / "m.xlsx")["database"] == "astra.db"


def test_about_prints_on_one_page(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["About"]
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert column_widths(ws)[3][1], "the field names' column is hidden"
    assert about_fields(sample_export("meeting.xlsx"))["format"] == "2"


# --- 10. the Meeting sheet --------------------------------------------------------------

MEETING_HEADERS = [
    "Key",
    "Recommendation",
    "Status",
    "State claims",
    "Due",
    "New status",
    "New status date",
    "Assessment note",
]


def test_the_meeting_sheet_comes_first_after_the_summary_and_prints_one_page_wide(
    sample_export,
) -> None:
    wb = workbook(sample_export("meeting.xlsx"))
    assert wb.sheetnames[:2] == ["Summary", "Meeting"]
    ws = wb["Meeting"]
    assert headers_of(ws) == MEETING_HEADERS
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert printed_width(ws) <= PAGE_UNITS
    assert refs(ws.print_title_rows) == "1:1"
    assert ws.freeze_panes == "A2"


def test_the_meeting_sheet_has_each_recommendation_under_its_bodys_heading(
    cli, sample, sample_export
) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Meeting"]
    groups = meeting_groups(ws)
    report = cli.json("status", "--summary", "--group-by", "body")
    assert list(groups) == [g["group"] for g in report["groups"]]
    listed = {r["key"]: r["body"] for r in cli.json("list")}
    assert sorted(k for keys in groups.values() for k in keys) == sorted(listed)
    for body, keys in groups.items():
        assert {listed[k] for k in keys} == {body}
    for number in heading_rows(ws):
        assert ws[f"A{number}"].font.b
        assert ws[f"A{number}"].fill.fgColor.rgb.endswith("DCE6F1")
        assert isinstance(ws[f"B{number}"], MergedCell)


def test_banding_leaves_the_meeting_sheets_group_headings_their_colour(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Meeting"]
    even = [n for n in heading_rows(ws) if n % 2 == 0]
    assert even, "a heading on an even row"
    for cf in ws.conditional_formatting:
        covers = [n for n in even if any(r.min_row <= n <= r.max_row for r in cf.sqref.ranges)]
        for rule in cf.rules:
            if covers and rule.formula == ["MOD(ROW(),2)=0"]:
                raise AssertionError(f"the banding of {cf.sqref} covers headings on {covers}")


def test_banding_still_covers_every_recommendation_row_of_the_meeting_sheet(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Meeting"]
    banded = {
        n
        for cf in ws.conditional_formatting
        if any(rule.formula == ["MOD(ROW(),2)=0"] for rule in cf.rules)
        for r in cf.sqref.ranges
        if r.min_col == 1 and r.max_col == ws.max_column
        for n in range(r.min_row, r.max_row + 1)
    }
    assert banded == set(range(2, ws.max_row + 1)) - set(heading_rows(ws))


def test_grouped_by_theme_a_recommendation_stands_under_each_of_its_themes(
    cli, sample, sample_export
) -> None:
    ws = workbook(sample_export("themes.xlsx", "--group-by", "theme"))["Meeting"]
    groups = meeting_groups(ws)
    themes = {r["key"]: r["themes"] for r in cli.json("list")}
    two = next(k for k, t in themes.items() if len(t) == 2)
    assert [g for g, keys in groups.items() if two in keys] == sorted(themes[two])
    for key, names in themes.items():
        under = sorted(g for g, keys in groups.items() if key in keys)
        assert under == (sorted(names) if names else ["(none)"]), key


def test_a_meeting_row_gives_key_reference_text_status_and_due(cli, sample, tmp_path) -> None:
    key = cli.add(
        "-b", "cedaw", "-d", "CEDAW/C/SRB/CO/4", "-p", "24(b)",
        "-s", "State compensation fund", "-t", "Establish a state fund for compensation.",
        "--due", "2025-01-31",
    )  # fmt: skip
    cli.ok("assess", key, "--status", "partial", "--date", "2024")
    ws = workbook(export(cli, tmp_path / "m.xlsx"))["Meeting"]
    rows = {r[0].split("\n")[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows[key][:5] == (
        f"{key}\nCEDAW/C/SRB/CO/4, para. 24(b)",
        "State compensation fund\n\nEstablish a state fund for compensation.",
        "Partial\nsince 2024",
        "Unknown",
        "2025-01-31\noverdue",
    )
    assert rows[key][5:] == (None, None, None)
    assert rows[SINCE_2024][2:4] == ("Not implemented\nsince 2022-12", "Partial\nsince 2024")


def test_the_meeting_sheet_of_the_states_view_sets_the_ngo_beside_it(sample_export) -> None:
    ws = workbook(sample_export("state.xlsx", "--by", "state"))["Meeting"]
    assert headers_of(ws)[2:4] == ["Status", "NGO assessment"]
    rows = {r[0].split("\n")[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows[SINCE_2024][2:4] == ("Partial\nsince 2024", "Not implemented\nsince 2022-12")


# --- text that looks like a formula stays text -------------------------------------------


@pytest.mark.parametrize(
    "sheet, cell",
    [
        ("Summary", "A9"),
        ("Meeting", "A2"),
    ],
)
def test_a_theme_like_a_formula_is_text_where_it_names_a_group(
    cli, empty, tmp_path, sheet, cell
) -> None:
    cli.add("-b", "cedaw", "-t", "Fund the shelters.", "--theme", "=1+2")
    wb = workbook(export(cli, tmp_path / "m.xlsx", "--group-by", "theme"))
    assert (wb[sheet][cell].data_type, wb[sheet][cell].value) == ("s", "=1+2")
