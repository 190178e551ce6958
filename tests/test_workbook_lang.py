"""`export --lang`: the workbook and CSV file in English, Serbian in Latin script and Serbian
in Cyrillic script, and each of them filled in and imported back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from helpers import assessments, fill_workbook, header_in, place
from rectrack import domain, i18n
from rectrack.io.sheet import RECOMMENDATION_COLUMNS

LANGS = ["en", "sr-Latn", "sr-Cyrl"]
SHEETS = {
    "en": ["Summary", "Meeting", "Recommendations", "Actions", "Evidence", "History", "About"],
    "sr-Latn": ["Pregled", "Sastanak", "Preporuke", "Mere", "Dokazi", "Istorija", "O datoteci"],
    "sr-Cyrl": ["Преглед", "Састанак", "Препоруке", "Мере", "Докази", "Историја", "О датотеци"],
}
PARTIAL = {"en": "Partial", "sr-Latn": "Delimično sprovedeno", "sr-Cyrl": "Делимично спроведено"}
HIGH = {"en": "high", "sr-Latn": "visok", "sr-Cyrl": "висок"}
SINCE_2024 = "CEDAW-2019-0002"  # ngo: not implemented since 2022-12; state: partial since 2024
ASSESSED = "GRETA-2023-0005"  # ngo: not implemented
PRIORITY = "CEDAW-2019-0001"  # medium, never assessed
THEMED = "EU-2018-0004"  # shelters and services
DUE = "UPR-2023-0002"  # no due date


def workbook(sample_export, lang: str, *args: str):
    return load_workbook(sample_export(f"{lang}.xlsx", "--lang", lang, *args))


def labels(lang: str) -> dict[str, str]:
    return {s: i18n.text(f"status.{s}", lang) for s in domain.STATUS_DISPLAY_ORDER}


# --- what the workbook says, in each language -------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_names_follow_the_language(sample_export, lang) -> None:
    wb = workbook(sample_export, lang)
    assert wb.sheetnames == [*SHEETS[lang], "Original"]  # Original is alike in every language
    assert wb["Original"].sheet_state == "veryHidden"


@pytest.mark.parametrize("lang", LANGS)
def test_recommendations_headers_and_statuses_follow_the_language(
    cli, sample, sample_export, lang
) -> None:
    ws = workbook(sample_export, lang)[SHEETS[lang][2]]
    header = [c.value for c in ws[1]]
    assert header == [c.header(lang) for c in RECOMMENDATION_COLUMNS]
    first = {"en": "Key", "sr-Latn": "Ključ", "sr-Cyrl": "Кључ"}[lang]
    new = {"en": "New status", "sr-Latn": "Novi status", "sr-Cyrl": "Нови статус"}[lang]
    assert (header[0], header[-3]) == (first, new)
    rows = {
        r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    status, claims = header_in("Status", lang), header_in("State claims", lang)
    assert rows[SINCE_2024][claims] == PARTIAL[lang]
    expected = {r["key"]: labels(lang)[r["status"]] for r in cli.json("status")["recommendations"]}
    assert {k: r[status] for k, r in rows.items()} == expected
    assert rows["EU-2015-0004"][header_in("Priority", lang)] == HIGH[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_speaks_the_language(sample_export, lang) -> None:
    ws = workbook(sample_export, lang)[SHEETS[lang][0]]
    expected = {
        "en": ["Status on", "Whose view", "Filters", "Exported", "Recommendations"],
        "sr-Latn": ["Stanje na dan", "Čija procena", "Filteri", "Izvezeno", "Broj preporuka"],
        "sr-Cyrl": ["Стање на дан", "Чија процена", "Филтери", "Извезено", "Број препорука"],
    }[lang]
    assert [ws[f"A{n}"].value for n in range(2, 7)] == expected
    assert ws["A1"].value == i18n.text("title.of", lang).format(
        what="Serbia (CEDAW, EU, GRETA, TIP, UPR)"
    )
    assert ws["B3"].value == i18n.text("perspective.ngo", lang)
    width = len(domain.STATUS_DISPLAY_ORDER) + 2
    assert [c.value for c in ws[8]][:width] == [
        i18n.text("group.body", lang),
        *labels(lang).values(),
        i18n.text("col.total", lang),
    ]
    column_a = [ws[f"A{n}"].value for n in range(9, ws.max_row + 1)]
    assert i18n.text("summary.all", lang) in column_a
    assert i18n.text("summary.share", lang) in column_a
    footer = ws.oddFooter
    page = {"en": "Page &P of &N", "sr-Latn": "Strana &P od &N", "sr-Cyrl": "Страна &P од &N"}
    assert footer.center.text == page[lang]
    assert footer.right.text.startswith(i18n.text("footer.exported", lang).split("{")[0])


@pytest.mark.parametrize("lang", LANGS)
def test_drop_downs_kinds_and_perspectives_follow_the_language(sample_export, lang) -> None:
    wb = workbook(sample_export, lang)
    ws = wb[SHEETS[lang][2]]
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1.strip('"').split(",")
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    header = [c.value for c in ws[1]]

    def letter(english: str) -> str:
        return get_column_letter(header.index(header_in(english, lang)) + 1)

    assessable = [label for code, label in labels(lang).items() if code != "unknown"]
    assert lists[letter("Status")] == lists[letter("New status")] == assessable
    assert lists[letter("Priority")] == [
        i18n.text(f"priority.{p}", lang) for p in domain.PRIORITIES
    ]
    kinds = {r[2] for r in wb[SHEETS[lang][3]].iter_rows(min_row=2, values_only=True)}
    assert i18n.text("action.action_plan", lang) in kinds
    who = {r[3] for r in wb[SHEETS[lang][5]].iter_rows(min_row=2, values_only=True)}
    assert who == {i18n.text(f"who.{p}", lang) for p in ("ngo", "state", "body")}


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_the_meeting_sheet_and_about_speak_the_language(sample_export, lang) -> None:
    wb = workbook(sample_export, lang)
    meeting = wb[SHEETS[lang][1]]
    rows = {r[0].split("\n")[0]: r for r in meeting.iter_rows(min_row=2, values_only=True) if r[0]}
    since = i18n.text("meeting.since", lang)
    assert rows[SINCE_2024][3] == f"{PARTIAL[lang]}\n{since} 2024"
    assert rows[ASSESSED][4].endswith("\n" + i18n.text("meeting.overdue", lang))
    about = wb[SHEETS[lang][6]]
    assert about["A1"].value == "rectrack workbook"
    fields = {r[2]: (r[0], r[1]) for r in about.iter_rows(min_row=2, values_only=True)}
    assert fields["language"] == (i18n.text("about.language", lang), lang)
    assert fields["perspective"][1] == "ngo"  # values an import reads stay codes


def test_the_language_is_read_without_regard_to_case(cli, sample, tmp_path) -> None:
    cli.ok("export", tmp_path / "m.xlsx", "--lang", "SR-latn")
    assert load_workbook(tmp_path / "m.xlsx").sheetnames[0] == "Pregled"


@pytest.mark.parametrize("name", ["m.xlsx", "m.csv"])
def test_an_unknown_language_is_refused_and_writes_nothing(cli, sample, tmp_path, name) -> None:
    cli.refused(["export", tmp_path / name, "--lang", "xx"], 2, "'xx'", "en, sr-Latn, sr-Cyrl")
    assert not (tmp_path / name).exists()


# --- filled in and imported back --------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_an_untouched_workbook_in_any_language_changes_nothing(cli, sample, sample_export, lang):
    path = sample_export(f"{lang}.xlsx", "--lang", lang)
    before = cli.state()
    assert cli.ok("import", path) == "nothing to import: the file matches the database\n"
    assert cli.state() == before


@pytest.mark.parametrize("lang", LANGS)
def test_a_workbook_filled_in_in_its_language_imports_exactly(cli, sample, tmp_path, lang) -> None:
    src = tmp_path / "meeting.xlsx"
    cli.ok("export", src, "--lang", lang)
    path = fill_workbook(
        src,
        {
            ASSESSED: {
                "New status": PARTIAL[lang],
                "New status date": "2025-05-20",
                "Assessment note": "Nacrt zakona",
            },
            PRIORITY: {"Priority": HIGH[lang]},
            THEMED: {"Themes": "funding"},
            DUE: {"Due": "2026-06-30"},
        },
        lang=lang,
    )
    before = {r["key"]: r for r in cli.json("list")}
    result = cli("import", path, "--assessor", "Ana")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == (
        f"{PRIORITY}\n  priority: medium -> high\n"
        f"{THEMED}\n  themes: shelters and services -> funding\n"
        f"{ASSESSED}\n"
        "  new assessment: Not implemented -> Partial (ngo, 2025-05-20): Nacrt zakona\n"
        f"{DUE}\n  due: (none) -> 2026-06-30\n"
        "4 recommendations changed: 3 field edits, 1 new assessment\n"
    )
    after = {r["key"]: r for r in cli.json("list")}
    before[PRIORITY]["priority"] = "high"
    before[THEMED]["themes"] = ["funding"]
    before[DUE]["due"] = "2026-06-30"
    assert after == before
    new = [
        (e["date"], e["status"], e["perspective"], e["detail"])
        for e in assessments(cli, ASSESSED)
        if e["by"] == "Ana"
    ]
    assert new == [("2025-05-20", "partial", "ngo", "Nacrt zakona")]


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_a_meeting_sheet_in_serbian_is_imported(cli, sample, tmp_path, lang) -> None:
    src = tmp_path / "meeting.xlsx"
    cli.ok("export", src, "--lang", lang)
    path = fill_workbook(src, {ASSESSED: {"New status": PARTIAL[lang]}}, sheet="Meeting", lang=lang)
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    assert f"{ASSESSED}\n  new assessment: Not implemented -> Partial (ngo, " in result.stdout


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_a_mistake_in_a_serbian_workbook_names_the_serbian_sheet(cli, sample, tmp_path, lang):
    src = tmp_path / "meeting.xlsx"
    cli.ok("export", src, "--lang", lang)
    path = fill_workbook(src, {PRIORITY: {"Priority": "hitno"}}, lang=lang)
    result = cli.refused(["import", path], 1, "'hitno' is not a priority")
    assert result.stderr.startswith(f"{SHEETS[lang][2]}!")


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_a_status_mistake_in_a_serbian_workbook_lists_the_serbian_statuses(
    cli, sample, tmp_path, lang
) -> None:
    src = tmp_path / "meeting.xlsx"
    cli.ok("export", src, "--lang", lang)
    path = fill_workbook(src, {ASSESSED: {"New status": "gotovo"}}, lang=lang)
    result = cli.refused(["import", path], 1, "'gotovo' is not a status")
    offered = [i18n.text(f"status.{s}", lang) for s in domain.ASSESSABLE]
    assert result.stderr.splitlines()[0].endswith(f"valid values: {', '.join(offered)}")


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_warnings_of_a_serbian_workbook_name_its_columns_and_sheets(
    cli, sample, tmp_path, lang
) -> None:
    src = tmp_path / "meeting.xlsx"
    cli.ok("export", src, "--lang", lang)
    recs = fill_workbook(src, {ASSESSED: {"Text": "Changed."}}, name="recs.xlsx", lang=lang)
    path = fill_workbook(recs, {ASSESSED: {"Due": "2027-01-31"}}, sheet="Meeting", lang=lang)
    result = cli("import", path)
    assert result.exit_code == 0, result.output
    text, due = header_in("Text", lang), header_in("Due", lang)
    recommendations = SHEETS[lang][2]
    assert f"a change to {text} is not imported" in result.stderr
    assert (
        f"{place(path, ASSESSED, 'Due', sheet='Meeting', lang=lang)}: a change to {due} on "
        f"this sheet is not imported (change it on the {recommendations} sheet"
    ) in result.stderr


# --- CSV --------------------------------------------------------------------------------


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_csv_headers_follow_the_language(cli, sample, tmp_path, lang) -> None:
    path = tmp_path / "m.csv"
    cli.ok("export", path, "--lang", lang)
    assert csv_rows(path)[0] == [c.header(lang) for c in RECOMMENDATION_COLUMNS]


@pytest.mark.parametrize("lang", LANGS)
def test_csv_overdue_is_written_as_the_workbook_writes_it(cli, sample, tmp_path, lang) -> None:
    path = tmp_path / "m.csv"
    cli.ok("export", path, "--lang", lang)
    header, *rows = csv_rows(path)
    overdue = header.index(header_in("Overdue", lang))
    report = {r["key"]: r["overdue"] for r in cli.json("status")["recommendations"]}
    word = i18n.text("meeting.overdue", lang)
    assert {r[0]: r[overdue] for r in rows} == {k: word if o else "" for k, o in report.items()}
    assert word in {r[overdue] for r in rows}


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_a_status_mistake_in_a_serbian_csv_file_lists_the_serbian_statuses(
    cli, sample, tmp_path, lang
) -> None:
    src = tmp_path / "m.csv"
    cli.ok("export", src, "--lang", lang)
    rows = csv_rows(src)
    status = rows[0].index(header_in("New status", lang))
    for row in rows[1:]:
        if row[0] == ASSESSED:
            row[status] = "gotovo"
    path = tmp_path / "filled.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    result = cli.refused(["import", path], 1, "'gotovo' is not a status")
    offered = [i18n.text(f"status.{s}", lang) for s in domain.ASSESSABLE]
    assert result.stderr.splitlines()[0].endswith(f"valid values: {', '.join(offered)}")


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_a_csv_file_with_serbian_headers_and_labels_imports_back(
    cli, sample, tmp_path, lang
) -> None:
    src = tmp_path / "m.csv"
    cli.ok("export", src, "--lang", lang)
    rows = csv_rows(src)
    # The headers as a Serbian export writes them (whatever this one wrote).
    rows[0] = [c.header(lang) for c in RECOMMENDATION_COLUMNS]
    where = {c.id: i for i, c in enumerate(RECOMMENDATION_COLUMNS)}
    for row in rows[1:]:
        if row[0] == ASSESSED:
            row[where["new_status"]] = PARTIAL[lang]
            row[where["new_status_date"]] = "2025-05-20"
        if row[0] == PRIORITY:
            row[where["priority"]] = HIGH[lang]
    path = tmp_path / "filled.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    result = cli("import", path, "--assessor", "Ana")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{PRIORITY}\n  priority: medium -> high\n"
        f"{ASSESSED}\n  new assessment: Not implemented -> Partial (ngo, 2025-05-20)\n"
        "2 recommendations changed: 1 field edit, 1 new assessment\n"
    )
    assert cli.ok("import", path) == "nothing to import: the file matches the database\n"
