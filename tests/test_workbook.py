"""The coalition-meeting workbook as a partner opens and prints it: print setup, the Summary
and its chart, the title, labels, links, the Recommendations and Meeting sheets, and the
About sheet, which keeps no folder of the user's. Each file is read back with openpyxl.

Importing a workbook back is in test_workbook_import.py, languages in test_workbook_lang.py.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import column_index_from_string, get_column_letter

from rectrack import __version__, domain, i18n

SHEETS = ["Summary", "Meeting", "Recommendations", "Actions", "Evidence", "History", "About"]
TABLES = ["Meeting", "Recommendations", "Actions", "Evidence", "History"]  # header on row 1
ORDER = domain.STATUS_DISPLAY_ORDER  # the Summary's columns and the chart's series
LABELS = [i18n.text(f"status.{s}") for s in ORDER]
SAMPLE_TITLE = "Implementation of recommendations: Serbia (CEDAW, EU, GRETA, TIP, UPR)"
PAGE_UNITS = 130  # width units a landscape page holds at a readable size
HEADER = 8  # the Summary table's header row
SINCE_2024 = "CEDAW-2019-0002"  # ngo: not implemented since 2022-12; state: partial since 2024
OVERDUE = "GRETA-2023-0005"  # due 2025-06-16, not implemented
WITH_LAW = "CEDAW-2019-0002"  # A11, a law of 2016 with its Official Gazette numbers


# --- reading a workbook -----------------------------------------------------------------


def workbook(path: Path) -> Any:
    return load_workbook(path)


def headers(ws: Any) -> list[Any]:
    return [c.value for c in ws[1]]


def rows_by_key(ws: Any) -> dict[str, dict[str, Any]]:
    """A table sheet's rows as {header: value}, by the value of its first column."""
    head = headers(ws)
    return {
        row[0]: dict(zip(head, row, strict=False))
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[0] is not None
    }


def cells_by_key(ws: Any) -> dict[str, dict[str, Any]]:
    """A table sheet's cells as {header: cell}, by the value of its first column."""
    head = headers(ws)
    return {
        row[0].value: dict(zip(head, row, strict=False))
        for row in ws.iter_rows(min_row=2)
        if row[0].value is not None
    }


def column_widths(ws: Any) -> dict[int, tuple[float, bool]]:
    """(width, hidden) of each column that has a width, by number (a <col> may span several)."""
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min and dim.max:
            for number in range(dim.min, dim.max + 1):
                out[number] = (dim.width, bool(dim.hidden))
    return out


def printed_width(ws: Any) -> float:
    """What a sheet's columns add up to on paper: every column it shows (hidden ones are not
    printed)."""
    return sum(width for width, hidden in column_widths(ws).values() if not hidden)


def refs(value: str | None) -> str | None:
    """A print-titles range without its `$` marks (`$1:$1` -> `1:1`)."""
    return value.replace("$", "") if value else value


def luminance(rgb: str) -> float:
    """How light a colour prints in black and white (0 black, 255 white)."""
    rgb = rgb[-6:]
    r, g, b = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def about(path: Path) -> dict[str, Any]:
    ws = workbook(path)["About"]
    return {row[2]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}


def heading_rows(ws: Any) -> list[int]:
    """The rows of the Meeting sheet whose cells are merged across the whole table."""
    last = get_column_letter(ws.max_column)
    return sorted(
        r.min_row
        for r in ws.merged_cells.ranges
        if r.min_col == 1 and get_column_letter(r.max_col) == last and r.min_row == r.max_row
    )


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


# --- 1. print setup ---------------------------------------------------------------------


def test_every_sheet_prints_landscape_but_about(sample_export) -> None:
    wb = workbook(sample_export("meeting.xlsx"))
    orientation = {name: wb[name].page_setup.orientation for name in SHEETS}
    assert orientation == {**dict.fromkeys(SHEETS, "landscape"), "About": "portrait"}
    assert {wb[name].page_setup.paperSize for name in SHEETS} == {9}  # A4


@pytest.mark.parametrize("name", ["Summary", *TABLES])
def test_a_sheet_fits_one_page_wide_only_when_its_columns_are_readable_so(
    sample_export, name
) -> None:
    ws = workbook(sample_export("meeting.xlsx"))[name]
    setup = ws.page_setup
    if printed_width(ws) <= PAGE_UNITS:
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # as many pages down as needed
        assert setup.scale is None
    else:
        # Too wide to fit at a readable size: 86 %, the key column on every page.
        assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
        assert setup.scale == 86
        assert refs(ws.print_title_cols) == "A:A"


def test_the_meeting_sheet_fits_and_the_recommendations_sheet_does_not(sample_export) -> None:
    wb = workbook(sample_export("meeting.xlsx"))
    assert printed_width(wb["Meeting"]) <= PAGE_UNITS < printed_width(wb["Recommendations"])
    assert wb["Meeting"].page_setup.fitToWidth == 1
    assert wb["Recommendations"].page_setup.scale == 86


@pytest.mark.parametrize("name", TABLES)
def test_table_sheets_repeat_their_header_row_on_every_page(sample_export, name) -> None:
    ws = workbook(sample_export("meeting.xlsx"))[name]
    assert refs(ws.print_title_rows) == "1:1"


@pytest.mark.parametrize("name", TABLES)
def test_data_cells_are_top_aligned_with_a_border(sample_export, name) -> None:
    ws = workbook(sample_export("meeting.xlsx"))[name]
    headings = set(heading_rows(ws))
    assert ws.max_row > 2
    for row in ws.iter_rows(min_row=2, max_col=len(headers(ws))):
        if row[0].row in headings:
            continue
        for cell in row:
            assert cell.alignment.vertical == "top", cell.coordinate
            assert cell.border.left.style and cell.border.bottom.style, cell.coordinate


@pytest.mark.parametrize("name", TABLES)
def test_the_header_row_is_tall_enough_for_its_wrapped_headers(sample_export, name) -> None:
    ws = workbook(sample_export("meeting.xlsx"))[name]
    widths = column_widths(ws)
    height = ws.row_dimensions[1].height
    assert height and height > 15
    for number, cell in enumerate(ws[1], start=1):
        assert cell.alignment.wrap_text, cell.coordinate
        # A bold letter is about one width unit: the lines the header wraps to, 15 pt each.
        lines = len(textwrap.wrap(cell.value, max(int(widths[number][0]) - 1, 4)))
        assert height >= 15 * lines, (cell.value, widths[number][0], height)


def test_wrapped_headers_make_the_recommendations_header_two_lines_high(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Recommendations"]
    assert ws.row_dimensions[1].height >= 30  # "New status date" in a 14-wide column


# --- 4. the Summary and its chart -------------------------------------------------------


def summary_counts(ws: Any) -> list[tuple]:
    """The group rows of the Summary table (name, counts..., total), down to All."""
    out = []
    for row in ws.iter_rows(min_row=HEADER + 1, max_col=len(ORDER) + 2, values_only=True):
        if row[0] == "All":
            return out
        out.append(row)
    raise AssertionError("no All row")


def test_summary_title_meta_rows_and_table(cli, sample, sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Summary"]
    assert ws["A1"].value == SAMPLE_TITLE
    assert [ws[f"A{n}"].value for n in range(2, 7)] == [
        "Status on",
        "Whose view",
        "Filters",
        "Exported",
        "Recommendations",
    ]
    report = cli.json("status", "--summary", "--group-by", "body")
    assert ws["B2"].value == dt.datetime.fromisoformat(report["as_of"])
    assert (ws["B3"].value, ws["B4"].value, ws["B6"].value) == ("NGO assessment", "none", 38)
    assert ws["A7"].value is None
    assert [c.value for c in ws[HEADER]][: len(ORDER) + 2] == ["Body", *LABELS, "Total"]
    groups = summary_counts(ws)
    assert groups == [
        (g["group"], *(g["counts"][s] for s in ORDER), g["total"]) for g in report["groups"]
    ]
    all_row, share_row = HEADER + len(groups) + 1, HEADER + len(groups) + 2
    assert [c.value for c in ws[all_row]][: len(ORDER) + 2] == [
        "All",
        *(report["counts"][s] for s in ORDER),
        38,
    ]
    assert ws[f"A{share_row}"].value == "Share"
    assert ws[f"B{share_row}"].number_format == "0%"
    assert ws[f"{get_column_letter(len(ORDER) + 2)}{share_row}"].value == 1


def test_summary_numbers_are_right_aligned_under_right_aligned_headers(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Summary"]
    numeric = ws[HEADER][1 : len(ORDER) + 2]
    assert [c.alignment.horizontal for c in numeric] == ["right"] * (len(ORDER) + 1)
    assert ws[HEADER][0].alignment.horizontal in (None, "general", "left")
    # Numbers are numbers, which a spreadsheet puts on the right.
    first = ws[HEADER + 1][1 : len(ORDER) + 2]
    assert all(isinstance(c.value, int) for c in first)


def chart_of(path: Path) -> tuple[Any, Any]:
    ws = workbook(path)["Summary"]
    assert len(ws._charts) == 1
    return ws, ws._charts[0]


def test_the_chart_lists_groups_in_the_tables_order_with_counts_on_the_bars(
    sample_export,
) -> None:
    ws, chart = chart_of(sample_export("meeting.xlsx"))
    assert (chart.type, chart.grouping) == ("bar", "stacked")
    # Bars run from the top in the table's order, not bottom-up as a bar chart draws them.
    assert chart.x_axis.scaling.orientation == "maxMin"
    last = HEADER + len(summary_counts(ws))
    for series in chart.series:
        assert series.dLbls is not None and series.dLbls.showVal
        categories = series.cat.strRef or series.cat.numRef
        assert categories.f.replace("$", "") == f"'Summary'!A{HEADER + 1}:A{last}"
    unit = chart.y_axis.majorUnit
    assert unit >= 1 and float(unit).is_integer()


def test_the_charts_data_is_a_hidden_copy_with_zeros_left_blank(sample_export) -> None:
    ws, chart = chart_of(sample_export("meeting.xlsx"))
    groups = summary_counts(ws)
    widths = column_widths(ws)
    assert len(chart.series) == len(ORDER)
    for index, series in enumerate(chart.series):
        ref = series.val.numRef.f.replace("$", "").split("!")[1]
        first, last = ref.split(":")
        letter = first.rstrip("0123456789")
        number = column_index_from_string(letter)
        assert number > len(ORDER) + 2, "the chart draws on a copy beside the table"
        assert widths[number][1], f"column {letter} is hidden"
        assert ws[f"{letter}{HEADER}"].value == LABELS[index]
        assert series.tx.strRef.f.replace("$", "") == f"'Summary'!{letter}{HEADER}"
        copied = [ws[f"{letter}{n}"].value for n in range(HEADER + 1, HEADER + len(groups) + 1)]
        counts = [g[index + 1] for g in groups]
        # A blank draws no bar and writes no 0 on the chart.
        assert copied == [c or None for c in counts]
        assert last == f"{letter}{HEADER + len(groups)}"
    assert any(g[i + 1] == 0 for g in groups for i in range(len(ORDER))), "a zero to leave out"


def test_grouping_by_theme_says_a_recommendation_counts_in_each_row(sample_export) -> None:
    ws = workbook(sample_export("themes.xlsx", "--group-by", "theme"))["Summary"]
    share = HEADER + len(summary_counts(ws)) + 2
    assert ws[f"A{share}"].value == "Share"
    note = ws[f"A{share + 1}"]
    assert note.value == i18n.text("summary.counted_in_each")
    assert "counts in each row" in note.value
    assert note.font.i
    body = workbook(sample_export("meeting.xlsx"))["Summary"]
    body_share = HEADER + len(summary_counts(body)) + 2
    assert body[f"A{body_share + 1}"].value is None


def test_a_chart_of_more_than_six_groups_goes_on_a_page_of_its_own(sample_export) -> None:
    ws, chart = chart_of(sample_export("themes.xlsx", "--group-by", "theme"))
    groups = len(summary_counts(ws))
    assert groups > 6
    note = HEADER + groups + 3  # All, Share, then the note
    anchor = chart.anchor._from.row + 1  # 1-based
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) == 1
    assert note <= breaks[0] < anchor  # after the table and its note, before the chart
    ws, chart = chart_of(sample_export("meeting.xlsx"))
    assert len(summary_counts(ws)) <= 6
    assert ws.row_breaks.brk == []
    assert chart.anchor._from.row + 1 > HEADER + len(summary_counts(ws)) + 2


def test_the_chart_colours_are_greys_apart_in_black_and_white(sample_export) -> None:
    _, chart = chart_of(sample_export("meeting.xlsx"))
    greys = [luminance(s.graphicalProperties.solidFill.srgbClr) for s in chart.series]
    assert len(greys) == len(ORDER)
    assert len({round(g) for g in greys}) == len(greys)
    for index, (a, b) in enumerate(zip(greys, greys[1:], strict=False)):
        assert abs(a - b) >= 30, (ORDER[index], ORDER[index + 1], a, b)


# --- 5. title, properties and footers ---------------------------------------------------


def test_the_title_goes_to_the_summary_the_properties_and_every_footer(
    cli, sample, tmp_path
) -> None:
    title = "prEUgovor coalition, March 2026"
    wb = workbook(export(cli, tmp_path / "m.xlsx", "--title", title))
    assert wb["Summary"]["A1"].value == title
    assert wb.properties.title == title
    assert about(tmp_path / "m.xlsx")["title"] == title
    for name in SHEETS:
        assert wb[name].oddFooter.left.text == title, name


def test_the_default_title_names_the_countries_and_bodies(cli, sample, sample_export) -> None:
    wb = workbook(sample_export("meeting.xlsx"))
    assert wb["Summary"]["A1"].value == wb.properties.title == SAMPLE_TITLE
    greta = workbook(sample_export("greta.xlsx", "--body", "greta"))
    assert greta["Summary"]["A1"].value == "Implementation of recommendations: Serbia (GRETA)"


def test_without_a_country_the_default_title_names_the_bodies(cli, recs, tmp_path) -> None:
    wb = workbook(export(cli, tmp_path / "m.xlsx"))
    assert wb["Summary"]["A1"].value == "Implementation of recommendations: CEDAW, TIP"


def test_an_ampersand_in_the_title_is_not_taken_for_a_footer_code(cli, sample, tmp_path) -> None:
    title = "Roma & Sinti coalition"
    wb = workbook(export(cli, tmp_path / "m.xlsx", "--title", title))
    assert wb["Summary"]["A1"].value == wb.properties.title == title
    # `&S` would strike the rest through: a footer writes a single & as &&.
    assert wb["Summary"].oddFooter.left.text == "Roma && Sinti coalition"


def test_footers_give_the_page_and_the_export_date_and_rectrack_made_it(sample_export) -> None:
    path = sample_export("meeting.xlsx")
    wb = workbook(path)
    day = about(path)["export_date"]
    assert dt.date.fromisoformat(day)
    for name in SHEETS:
        footer = wb[name].oddFooter
        assert footer.center.text == "Page &P of &N", name
        assert footer.right.text == f"Exported {day}", name
    assert wb.properties.creator == f"rectrack {__version__}"


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
    perspective = headers(history).index("Perspective")
    shown = {r[perspective] for r in history.iter_rows(min_row=2, values_only=True)}
    assert shown == {"NGO", "State", "Body"}


@pytest.mark.parametrize(
    "sheet, column", [("Recommendations", "Status"), ("Meeting", "New status")]
)
def test_the_status_drop_down_offers_no_unknown(sample_export, sheet, column) -> None:
    ws = workbook(sample_export("meeting.xlsx"))[sheet]
    letter = get_column_letter(headers(ws).index(column) + 1)
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
    assert headers(ws)[0] == "Key"
    assert column_widths(ws)[1][0] >= 17
    keys = [row[0] for row in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    assert max(len(c.value) for c in keys) + 2 <= column_widths(ws)[1][0]
    assert not any(c.alignment.wrap_text for c in keys)


@pytest.mark.xfail(
    strict=True,
    reason="src bug: the History sheet's Key column is 16 wide, narrower than the 17 of the "
    "Recommendations sheet, which a 15-character key such as GRETA-2023-0005 needs",
)
def test_the_history_key_column_is_as_wide_as_the_recommendations_one(sample_export) -> None:
    wb = workbook(sample_export("meeting.xlsx"))
    assert headers(wb["History"])[0] == "Key"
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


@pytest.mark.xfail(
    strict=True,
    reason="src bug: the workbook lists undated actions and evidence first (on the Actions "
    "and Evidence sheets and in the Recommendations cells), where history and `action list` "
    "put them last",
)
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
    assert about(tmp_path / "m.xlsx")["database"] == "rectrack.db"
    folders = {str(tmp_path), str(home), str(tmp_path.resolve()), tmp_path.as_uri()}
    for where, text in every_text(wb):
        assert not any(folder in text for folder in folders), (where, text)


def test_about_names_a_database_given_by_path_by_its_name(cli, sample, tmp_path) -> None:
    other = tmp_path / "coalition" / "astra.db"
    other.parent.mkdir()
    other.write_bytes(sample.read_bytes())
    cli.ok("--db", other, "export", tmp_path / "m.xlsx")
    assert about(tmp_path / "m.xlsx")["database"] == "astra.db"


def test_about_prints_on_one_page(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["About"]
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert column_widths(ws)[3][1], "the field names' column is hidden"
    assert about(sample_export("meeting.xlsx"))["format"] == "2"


# --- 9. how cells look and what they hold -----------------------------------------------


STATUS_COLUMNS = {"Recommendations": ("Status", "State claims", "New status")}


def status_rules(ws: Any, column: str) -> list[Any]:
    letter = get_column_letter(headers(ws).index(column) + 1)
    return [
        rule
        for cf in ws.conditional_formatting
        if any(str(r).startswith(f"{letter}2:") for r in cf.sqref.ranges)
        for rule in cf.rules
    ]


@pytest.mark.parametrize(
    "sheet, column",
    [
        ("Recommendations", "Status"),
        ("Recommendations", "State claims"),
        ("Recommendations", "New status"),
        ("Meeting", "Status"),
        ("Meeting", "New status"),
        ("History", "Status"),
    ],
)
def test_status_colours_are_light_fills_with_dark_text(sample_export, sheet, column) -> None:
    rules = status_rules(workbook(sample_export("meeting.xlsx"))[sheet], column)
    named = " ".join(" ".join(rule.formula) for rule in rules)
    for label in LABELS:
        assert f'"{label}"' in named, label
    for rule in rules:
        fill = rule.dxf.fill.fgColor.rgb or rule.dxf.fill.bgColor.rgb
        text = rule.dxf.font.color.rgb
        assert luminance(fill) >= 180, (rule.formula, fill)
        assert luminance(text) <= 100, (rule.formula, text)


@pytest.mark.parametrize("name", TABLES)
def test_headers_and_data_share_a_font_family(sample_export, name) -> None:
    ws = workbook(sample_export("meeting.xlsx"))[name]
    families = {c.font.name for c in ws[1]} | {c.font.name for c in ws[ws.max_row]}
    assert len(families) == 1 and None not in families


def test_full_dates_are_date_cells_and_partial_dates_text(cli, sample, sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Recommendations"]
    stored = {r["key"]: r for r in cli.json("list")}
    seen = set()
    for key, cells in cells_by_key(ws).items():
        for column, field in (("Date", "date"), ("Due", "due")):
            value, cell = stored[key][field], cells[column]
            if value is None:
                assert cell.value is None
            elif len(value) == 10:
                assert cell.is_date and cell.value == dt.datetime.fromisoformat(value)
                assert cell.number_format == "yyyy-mm-dd"
                seen.add("full")
            else:
                assert (cell.data_type, cell.value) == ("s", value)
                seen.add("partial")
    assert seen == {"full", "partial"}


def test_priority_has_a_drop_down_with_an_error_alert(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Recommendations"]
    letter = get_column_letter(headers(ws).index("Priority") + 1)
    (dv,) = [
        dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:")
    ]
    assert dv.type == "list"
    assert dv.formula1 == '"high,medium,low"'
    assert dv.showErrorMessage and dv.error and dv.errorTitle


@pytest.mark.parametrize("column", ["Due", "New status date"])
def test_date_columns_prompt_how_to_write_a_date(sample_export, column) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Recommendations"]
    letter = get_column_letter(headers(ws).index(column) + 1)
    prompts = [
        dv
        for dv in ws.data_validations.dataValidation
        if str(dv.sqref) == f"{letter}2:{letter}{ws.max_row}"
    ]
    assert len(prompts) == 1
    assert prompts[0].showInputMessage
    assert "2025-03-14" in prompts[0].prompt and prompts[0].promptTitle == "Dates"


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
    assert headers(ws) == MEETING_HEADERS
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


@pytest.mark.xfail(
    strict=True,
    reason="src bug: the Meeting sheet's banding (conditional formatting, MOD(ROW(),2)=0) "
    "covers the group heading rows, and a conditional fill wins over a cell's own: a heading "
    "on an even row shows the band's near-white instead of its blue",
)
def test_banding_leaves_the_meeting_sheets_group_headings_their_colour(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Meeting"]
    even = [n for n in heading_rows(ws) if n % 2 == 0]
    assert even, "a heading on an even row"
    for cf in ws.conditional_formatting:
        covers = [n for n in even if any(r.min_row <= n <= r.max_row for r in cf.sqref.ranges)]
        for rule in cf.rules:
            if covers and rule.formula == ["MOD(ROW(),2)=0"]:
                raise AssertionError(f"the banding of {cf.sqref} covers headings on {covers}")


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
    assert headers(ws)[2:4] == ["Status", "NGO assessment"]
    rows = {r[0].split("\n")[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows[SINCE_2024][2:4] == ("Partial\nsince 2024", "Not implemented\nsince 2022-12")
