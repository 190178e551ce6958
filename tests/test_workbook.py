"""The coalition-meeting workbook as a partner prints it: the print setup of every sheet,
the Summary and its chart, the title, properties and footers, and how cells look. Each file
is read back with openpyxl.

What the sheets hold is in test_workbook_sheets.py, importing a workbook back in
test_workbook_import.py, languages in test_workbook_lang.py.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from helpers import (
    about_fields,
    cells_by_key,
    column_widths,
    headers_of,
    heading_rows,
    printed_width,
)
from rectrack import __version__, domain, i18n

SHEETS = ["Summary", "Meeting", "Recommendations", "Actions", "Evidence", "History", "About"]
TABLES = ["Meeting", "Recommendations", "Actions", "Evidence", "History"]  # header on row 1
ORDER = domain.STATUS_DISPLAY_ORDER  # the Summary's columns and the chart's series
LABELS = [i18n.text(f"status.{s}") for s in ORDER]
SAMPLE_TITLE = "Implementation of recommendations: Serbia (CEDAW, EU, GRETA, TIP, UPR)"
PAGE_UNITS = 130  # width units a landscape page holds at a readable size
HEADER = 8  # the Summary table's header row


# --- reading a workbook -----------------------------------------------------------------


def workbook(path: Path) -> Any:
    return load_workbook(path)


def refs(value: str | None) -> str | None:
    """A print-titles range without its `$` marks (`$1:$1` -> `1:1`)."""
    return value.replace("$", "") if value else value


def luminance(rgb: str) -> float:
    """How light a colour prints in black and white (0 black, 255 white)."""
    rgb = rgb[-6:]
    r, g, b = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


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
    for row in ws.iter_rows(min_row=2, max_col=len(headers_of(ws))):
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
    assert about_fields(tmp_path / "m.xlsx")["title"] == title
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


def test_a_title_like_a_formula_is_text(cli, recs, tmp_path) -> None:
    title = "=SUM(1,2) coalition"
    wb = workbook(export(cli, tmp_path / "m.xlsx", "--title", title))
    about = next(r for r in wb["About"].iter_rows(min_row=2) if r[2].value == "title")
    assert (about[1].data_type, about[1].value) == ("s", title)
    assert (wb["Summary"]["A1"].data_type, wb["Summary"]["A1"].value) == ("s", title)


def test_footers_give_the_page_and_the_export_date_and_rectrack_made_it(sample_export) -> None:
    path = sample_export("meeting.xlsx")
    wb = workbook(path)
    day = about_fields(path)["export_date"]
    assert dt.date.fromisoformat(day)
    for name in SHEETS:
        footer = wb[name].oddFooter
        assert footer.center.text == "Page &P of &N", name
        assert footer.right.text == f"Exported {day}", name
    assert wb.properties.creator == f"rectrack {__version__}"


# --- 9. how cells look and what they hold -----------------------------------------------


def status_rules(ws: Any, column: str) -> list[Any]:
    letter = get_column_letter(headers_of(ws).index(column) + 1)
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


@pytest.mark.parametrize(
    "sheet, column",
    [
        ("Recommendations", "Status"),
        ("Recommendations", "State claims"),
        ("Recommendations", "New status"),
        ("Meeting", "New status"),
        ("History", "Status"),
    ],
)
def test_each_status_colour_rule_is_given_once(sample_export, sheet, column) -> None:
    rules = status_rules(workbook(sample_export("meeting.xlsx"))[sheet], column)
    formulas = [" ".join(rule.formula) for rule in rules]
    assert len(formulas) == len(set(formulas)) == len(LABELS)


@pytest.mark.parametrize("name", TABLES)
def test_banding_comes_after_every_other_colour_rule(sample_export, name) -> None:
    # LibreOffice applies only the first rule that holds where rules meet: banding first
    # would take the status colours off every other row.
    ws = workbook(sample_export("meeting.xlsx"))[name]
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    banding = [r.priority for r in rules if r.formula == ["MOD(ROW(),2)=0"]]
    others = [r.priority for r in rules if r.formula != ["MOD(ROW(),2)=0"]]
    assert banding
    assert min(banding) > max(others, default=0)


@pytest.mark.parametrize("lang", ["en", "sr-Latn", "sr-Cyrl"])
def test_no_header_breaks_inside_a_word(sample_export, lang) -> None:
    # A bold letter is about one width unit; a word one unit narrower breaks ("Perspecti/ve").
    wb = workbook(sample_export(f"{lang}.xlsx", "--lang", lang))
    for ws in wb.worksheets[1:6]:
        widths = column_widths(ws)
        for cell in ws[1]:
            for word in str(cell.value).split():
                assert len(word) + 1 <= widths[cell.column][0], (ws.title, cell.value)


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
    letter = get_column_letter(headers_of(ws).index("Priority") + 1)
    (dv,) = [
        dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:")
    ]
    assert dv.type == "list"
    assert dv.formula1 == '"high,medium,low"'
    assert dv.showErrorMessage and dv.error and dv.errorTitle


@pytest.mark.parametrize("column", ["Due", "New status date"])
def test_date_columns_prompt_how_to_write_a_date(sample_export, column) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Recommendations"]
    letter = get_column_letter(headers_of(ws).index(column) + 1)
    prompts = [
        dv
        for dv in ws.data_validations.dataValidation
        if str(dv.sqref) == f"{letter}2:{letter}{ws.max_row}"
    ]
    assert len(prompts) == 1
    assert prompts[0].showInputMessage
    assert "2025-03-14" in prompts[0].prompt and prompts[0].promptTitle == "Dates"


def date_prompt(ws: Any, column: str) -> str | None:
    letter = get_column_letter(headers_of(ws).index(column) + 1)
    for dv in ws.data_validations.dataValidation:
        if str(dv.sqref).startswith(f"{letter}2:") and dv.showInputMessage:
            return dv.prompt
    return None


def test_an_empty_new_status_date_is_said_to_mean_the_export_date(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Recommendations"]
    assert "export date" in date_prompt(ws, "New status date")


def test_the_due_prompt_does_not_promise_the_export_date(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Recommendations"]
    assert "export date" not in date_prompt(ws, "Due")


def test_the_meeting_sheet_prompts_only_where_partners_type(sample_export) -> None:
    ws = workbook(sample_export("meeting.xlsx"))["Meeting"]
    assert date_prompt(ws, "New status date")
    assert date_prompt(ws, "Due") is None
