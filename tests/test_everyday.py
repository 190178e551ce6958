"""A week of monitoring work, from the reporting side: counts as of a date, repeatable
filters, what was recorded since a meeting, where each perspective stands and since when,
withdrawn assessments, status filters.

The numbers in the comments are the points of the issue these tests come from; see also
test_everyday_editing.py (correcting the register) and test_everyday_setup.py (prompts,
settings, help, dates, exported files, messages).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import assessments

TODAY = dt.date.today()
UNDATED = "UPR-0001"  # the recommendation the `undated` fixture adds to the sample
K1, K2 = "CEDAW-2019-10", "TIP-2021-0001"  # the `recs` fixture


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def tsv_rows(text: str) -> list[dict[str, str]]:
    """TSV output as rows by header."""
    header, *lines = text.splitlines()
    names = header.split("\t")
    return [dict(zip(names, line.split("\t"), strict=True)) for line in lines]


def record_lines(text: str) -> dict[str, str]:
    """`show` on a terminal: each label's value, its words separated by one space."""
    lines = {}
    for line in text.splitlines():
        label, _, value = line.partition("  ")
        if value.strip():
            lines[label] = " ".join(value.split())
    return lines


def csv_keys(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row["Key"] for row in csv.DictReader(f)]


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


# --- 1. status --as-of counts only what was issued by then --------------------------------


@pytest.fixture
def undated(cli, sample) -> list[dict]:
    """The sample and one undated recommendation: the rows of `list`."""
    assert cli.add("-b", "UPR", "-t", "An undated recommendation.") == UNDATED
    return cli.json("list")


def issued_by_2015(rows: list[dict]) -> list[str]:
    """What the register says was issued by the end of 2015, or is undated."""
    return sorted(r["key"] for r in rows if r["date"] is None or r["date"][:4] <= "2015")


def test_status_as_of_counts_only_recommendations_issued_by_then(cli, undated) -> None:
    expected = issued_by_2015(undated)
    assert UNDATED in expected and "GRETA-2014-0001" in expected and "EU-2015-0005" in expected
    assert 1 < len(expected) < len(undated)
    summary = cli.json("status", "--as-of", "2015", "--summary")
    assert summary["as_of"] == "2015-12-31"
    assert summary["total"] == len(expected)
    assert sum(summary["counts"].values()) == len(expected)
    assert "recommendations" not in summary
    rows = cli.json("status", "--as-of", "2015")["recommendations"]
    assert sorted(r["key"] for r in rows) == expected
    # Without --as-of (today) everything counts.
    assert cli.json("status", "--summary")["total"] == len(undated)


def test_status_as_of_in_groups_and_compare(cli, undated) -> None:
    expected = issued_by_2015(undated)
    bodies = {r["key"]: r["body"] for r in undated}
    wanted = {b: sum(bodies[k] == b for k in expected) for b in {bodies[k] for k in expected}}
    report = cli.json("status", "--as-of", "2015", "--group-by", "body", "--summary")
    assert {g["group"]: g["total"] for g in report["groups"]} == wanted
    assert report["total"] == len(expected)
    compared = cli.json("status", "--as-of", "2015", "--compare")["recommendations"]
    assert sorted(r["key"] for r in compared) == expected
    gaps = cli.json("status", "--as-of", "2015", "--compare", "--gaps")["recommendations"]
    assert {r["key"] for r in gaps} <= set(expected)


def test_export_as_of_counts_only_recommendations_issued_by_then(
    cli, undated, tmp_path: Path
) -> None:
    expected = issued_by_2015(undated)
    bodies = {r["key"]: r["body"] for r in undated}
    workbook = tmp_path / "as-of.xlsx"
    out = cli.ok("export", workbook, "--as-of", "2015")
    assert out == (
        f"wrote {workbook} ({len(expected)} recommendations, status on 2015-12-31, ngo view)\n"
    )
    summary = {row[0]: row for row in sheet_rows(workbook, "Summary") if row[0]}
    assert str(summary["Status on"][1])[:10] == "2015-12-31"  # text or a date cell
    assert summary["Recommendations"][1] == len(expected)
    assert summary["All"][7] == len(expected)
    for body in {bodies[k] for k in expected}:
        assert summary[body][7] == sum(bodies[k] == body for k in expected)
    assert "TIP" not in summary and "CEDAW" not in summary  # issued from 2019 on
    listed = [row[0] for row in sheet_rows(workbook, "Recommendations")[1:]]
    assert sorted(listed) == expected

    flat = tmp_path / "as-of.csv"
    cli.ok("export", flat, "--as-of", "2015")
    assert sorted(csv_keys(flat)) == expected


# --- 2. repeated values of a filter are alternatives; different filters narrow ----------


@pytest.fixture
def varied(cli, sample) -> list[dict]:
    """The sample, one recommendation about another country, and a few follow-ups due:
    the rows of `list`."""
    cli.add(
        "-b",
        "UPR",
        "-t",
        "Ratify the convention.",
        "--date",
        "2023",
        "--country",
        "Montenegro",
        "--theme",
        "compensation",
        "-i",
        "Ministry of Justice",
        "--priority",
        "low",
        "--due",
        day(30),
    )
    for key in ("CEDAW-2019-0001", "EU-2015-0004", "TIP-2021-0001", "UPR-2023-0002"):
        cli.ok("edit", key, "--due", day(30))
    return cli.json("list")


JUSTICE, OMBUDSMAN = "Ministry of Justice", "Protector of Citizens"
TIP_2021, EU_2015 = "TIP Report 2021: Serbia", "SWD(2015) 211 final"
# Filter arguments, and what a row of `list` must have to pass: for each field, one of the
# values. Two values of one filter: either; two filters: both.
FILTERS: list[tuple[tuple[str, ...], dict[str, set[str]]]] = [
    (
        ("--theme", "compensation", "--theme", "legal aid"),
        {"themes": {"compensation", "legal aid"}},
    ),
    (
        ("--theme", "compensation", "--body", "GRETA"),
        {"themes": {"compensation"}, "body": {"GRETA"}},
    ),
    (
        ("--country", "Serbia", "--country", "montenegro"),
        {"country": {"Serbia", "Montenegro"}},
    ),
    (
        ("--country", "Serbia", "--theme", "compensation"),
        {"country": {"Serbia"}, "themes": {"compensation"}},
    ),
    (("--priority", "high", "--priority", "low"), {"priority": {"high", "low"}}),
    (("--priority", "high", "--body", "TIP"), {"priority": {"high"}, "body": {"TIP"}}),
    (("--document", TIP_2021, "--document", EU_2015), {"document": {TIP_2021, EU_2015}}),
    (
        ("--document", EU_2015, "--priority", "high"),
        {"document": {EU_2015}, "priority": {"high"}},
    ),
    (
        ("--institution", JUSTICE, "--institution", OMBUDSMAN),
        {"institutions": {JUSTICE, OMBUDSMAN}},
    ),
    (
        ("-i", JUSTICE, "--theme", "compensation"),
        {"institutions": {JUSTICE}, "themes": {"compensation"}},
    ),
]


def matching(rows: list[dict], wanted: dict[str, set[str]]) -> list[str]:
    def passes(row: dict) -> bool:
        for field, values in wanted.items():
            has = row[field] if isinstance(row[field], list) else [row[field]]
            if not values & set(has):
                return False
        return True

    return sorted(r["key"] for r in rows if passes(r))


def test_the_filters_each_choose_a_different_set(varied) -> None:
    """What the test below relies on: each combination leaves out some recommendations
    (but for the two countries there are), and either of two values keeps more than each
    alone, both of two filters fewer than each alone."""
    for args, wanted in FILTERS:
        chosen = matching(varied, wanted)
        assert chosen, args
        assert len(chosen) < len(varied) or args[1] == "Serbia", args
        for field, values in wanted.items():
            for value in values:
                alone = matching(varied, {field: {value}})
                assert len(alone) != len(chosen) or value == "Serbia", (args, value)


def _list(cli, args, tmp_path):
    return cli.keys(*args)


def _status(cli, args, tmp_path):
    return [r["key"] for r in cli.json("status", *args)["recommendations"]]


def _due(cli, args, tmp_path):
    return [r["key"] for r in cli.json("due", "--within", "1y", *args)]


def _changes(cli, args, tmp_path):
    found = cli.json("changes", "--since", "1900", "--dated", *args)
    return [g["key"] for g in found["recommendations"]]


def _export(cli, args, tmp_path):
    path = tmp_path / f"export-{len(list(tmp_path.iterdir()))}.csv"
    cli.ok("export", path, *args)
    return csv_keys(path)


@pytest.mark.parametrize("command", [_list, _status, _due, _changes, _export])
def test_repeated_filters_are_alternatives_and_different_filters_narrow(
    cli, varied, tmp_path: Path, command
) -> None:
    everything = sorted(command(cli, (), tmp_path))
    assert everything  # each command has something to filter
    for args, tests in FILTERS:
        wanted = [k for k in matching(varied, tests) if k in everything]
        got = command(cli, args, tmp_path)
        assert sorted(got) == wanted, args  # each once, none missing, none extra


def test_an_unknown_country_is_refused_with_the_known_ones(cli, sample) -> None:
    result = cli.refused(["list", "--country", "montenegro"], 2)
    assert result.stderr == "Error: no country 'montenegro'; known countries: Serbia\n"
    cli.refused(["status", "--country", "Serbia", "--country", "Srbija"], 2, "no country 'Srbija'")


def test_action_list_filters_are_alternatives_and_narrow(cli, sample) -> None:
    actions = cli.json("action", "list")
    one, two = "GRETA-2023-0005", "EU-2015-0001"

    def ids(*args: str) -> list[str]:
        return [a["id"] for a in cli.json("action", "list", *args)]

    def wanted(test) -> list[str]:
        return [a["id"] for a in actions if test(a)]

    either = wanted(lambda a: {one, two} & set(a["recommendations"]))
    assert len(either) > max(len(ids("--rec", one)), len(ids("--rec", two)))
    assert ids("--rec", one, "--rec", two) == either
    kinds = wanted(lambda a: a["kind"] in ("law", "strategy"))
    assert 0 < len(kinds) < len(actions)
    assert ids("--kind", "law", "--kind", "strategy") == kinds
    both = wanted(lambda a: a["kind"] == "law" and {one, two} & set(a["recommendations"]))
    assert 0 < len(both) < len(either)
    assert ids("--rec", one, "--rec", two, "--kind", "law") == both


def test_evidence_list_filters_are_alternatives_and_narrow(cli, sample) -> None:
    evidence = cli.json("evidence", "list")
    one, two = "GRETA-2023-0005", "TIP-2022-0001"

    def ids(*args: str) -> list[str]:
        return [e["id"] for e in cli.json("evidence", "list", *args)]

    def wanted(test) -> list[str]:
        return [e["id"] for e in evidence if test(e)]

    either = wanted(lambda e: {one, two} & set(e["recommendations"]))
    assert len(either) > max(len(ids("-r", one)), len(ids("-r", two)))
    assert ids("-r", one, "-r", two) == either
    kinds = wanted(lambda e: e["kind"] in ("meeting", "media"))
    assert 0 < len(kinds) < len(evidence)
    assert ids("--kind", "meeting", "--kind", "media") == kinds
    both = wanted(lambda e: e["kind"] == "document" and {one, two} & set(e["recommendations"]))
    assert 0 < len(both) < len(either)
    assert ids("-r", one, "-r", two, "--kind", "document") == both


# --- 3. changes: what was recorded since a meeting, the moved statuses first ------------

MOVED = "GRETA-2023-0005"  # sample: not implemented (ngo), recorded in 2025
OLD_NEWS = "EU-2015-0002"  # sample: never assessed


@pytest.fixture
def meeting(cli, sample) -> None:
    """Since yesterday's meeting: a status that moved, and an assessment of an old date."""
    cli.ok("assess", MOVED, "--status", "partial", "--date", "2025-10")
    cli.ok("assess", OLD_NEWS, "--status", "in_progress", "--date", "2016")


def test_changes_since_lists_what_was_recorded_since_and_the_moves(cli, meeting) -> None:
    found = cli.json("changes", "--since", day(-1))
    assert (found["since"], found["selected_by"]) == (day(-1), "recorded")
    assert found["transitions"] == [
        {
            "key": OLD_NEWS,
            "perspective": "ngo",
            "before": "unknown",
            "after": "in_progress",
            "date": "2016",
        },
        {
            "key": MOVED,
            "perspective": "ngo",
            "before": "not_implemented",
            "after": "partial",
            "date": "2025-10",
        },
    ]
    groups = {g["key"]: g["events"] for g in found["recommendations"]}
    # The assessments recorded in the past (the sample's) are left out; the new ones, even
    # of an old date, are in.
    assert [(e["date"], e["status"]) for e in groups[MOVED] if e["type"] == "assessment"] == [
        ("2025-10", "partial")
    ]
    assert [(e["date"], e["type"], e["status"]) for e in groups[OLD_NEWS]] == [
        ("2016", "assessment", "in_progress")
    ]
    assert [e["id"] for e in groups[OLD_NEWS]] == [assessments(cli, OLD_NEWS)[-1]["id"]]
    assert cli.json("changes", "--since", day(1))["recommendations"] == []


def test_changes_dated_selects_by_the_items_own_dates(cli, meeting) -> None:
    found = cli.json("changes", "--since", day(-1), "--dated")
    assert (found["selected_by"], found["transitions"], found["recommendations"]) == (
        "date",
        [],
        [],
    )
    since_2016 = cli.json("changes", "--since", "2016-01-01", "--dated", "--body", "EU")
    events = {g["key"]: g["events"] for g in since_2016["recommendations"]}[OLD_NEWS]
    assert [(e["date"], e["type"]) for e in events] == [("2016", "assessment")]
    later = cli.json("changes", "--since", "2016-01-02", "--dated", "--body", "EU")
    assert later["recommendations"] != []  # the EU's others, dated later
    assert OLD_NEWS not in [g["key"] for g in later["recommendations"]]


def test_changes_table_puts_the_moved_statuses_first(cli, meeting) -> None:
    out = cli.ok("changes", "--since", day(-1), "--body", "GRETA", "--format", "table")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    moved = lines.index(f"Statuses that moved since {day(-1)}: 1 change")
    line = f"{MOVED} Not implemented -> Partial (ngo, 2025-10) Set up a state compensation fund"
    assert lines[moved + 3] == line
    recorded = next(i for i, x in enumerate(lines) if x.startswith(f"Recorded since {day(-1)}:"))
    assert moved < recorded


def test_changes_tsv_starts_with_one_status_row_per_move(cli, meeting) -> None:
    rows = tsv_rows(cli.ok("changes", "--since", day(-1)))
    assert list(rows[0]) == ["key", "date", "type", "id", "what", "detail", "by", "recorded"]
    assert [(r["key"], r["type"], r["date"], r["what"]) for r in rows[:2]] == [
        (OLD_NEWS, "status", "2016", "Unknown -> In progress (ngo, 2016)"),
        (MOVED, "status", "2025-10", "Not implemented -> Partial (ngo, 2025-10)"),
    ]
    assert all(r["type"] != "status" for r in rows[2:])
    assert (OLD_NEWS, "assessment", "2016") in [(r["key"], r["type"], r["date"]) for r in rows]


def test_a_year_counts_from_its_first_day_with_dated(cli, recs) -> None:
    cli.ok("action", "add", "--title", "Law of 2024", "--kind", "law", "--date", "2024", "-r", K1)

    def dated_since(since: str) -> list[str]:
        found = cli.json("changes", "--since", since, "--dated")["recommendations"]
        return [e["what"] for g in found for e in g["events"]]

    assert dated_since("2024-03-01") == []
    assert dated_since("2024-01-01") == ["Law of 2024 [law]"]
    # By when it was recorded (today), it is new since yesterday whatever its date.
    recorded = cli.json("changes", "--since", day(-1))["recommendations"]
    assert [(g["key"], [e["what"] for e in g["events"]]) for g in recorded] == [
        (K1, ["Law of 2024 [law]"])
    ]


# --- 4. show: three perspectives, grades, and since when ---------------------------------


@pytest.fixture
def assessed(cli, recs) -> str:
    """K1 assessed by each perspective; the NGO's status unbroken since 2024."""
    for status, date in (
        ("not_implemented", "2020"),
        ("not_implemented", "2022"),
        ("partial", "2024"),
        ("partial", "2025"),
    ):
        cli.ok("assess", K1, "--status", status, "--date", date)
    cli.ok("assess", K1, "--by", "body", "--grade", "B", "--date", "2023-03")
    cli.ok("assess", K1, "--by", "state", "--status", "implemented", "--date", "2024-05")
    return K1


def test_show_gives_the_three_perspectives_with_grades_and_since(cli, assessed) -> None:
    lines = record_lines(cli.ok("show", assessed, "--format", "table"))
    assert lines["Status (NGO)"] == "Partial, since 2024 (last assessed 2025)"
    assert lines["State claims"] == "Implemented, since 2024-05"
    assert lines["Body's grade"] == "Partial, grade B, since 2023-03"


def test_show_json_has_each_perspectives_since_and_grade(cli, assessed) -> None:
    shown = cli.json("show", assessed)
    got = {
        who: tuple(shown[f"{who}_{f}"] for f in ("status", "date", "since", "grade"))
        for who in ("ngo", "state", "body")
    }
    assert got == {
        "ngo": ("partial", "2025", "2024", None),
        "state": ("implemented", "2024-05", "2024-05", None),
        "body": ("partial", "2023-03", "2023-03", "B"),
    }


def test_status_since_is_the_start_of_the_unbroken_run(cli, assessed) -> None:
    (row,) = [r for r in cli.json("status")["recommendations"] if r["key"] == assessed]
    assert (row["status"], row["since"], row["status_date"]) == ("partial", "2024", "2025")
    table = cli.ok("status", "--format", "table")
    (line,) = [" ".join(x.split()) for x in table.splitlines() if x.startswith(assessed)]
    assert line == f"{assessed} 10 Adopt a law. Partial 2024 0 0"
    tsv = {r["key"]: r for r in tsv_rows(cli.ok("status"))}
    assert (tsv[assessed]["since"], tsv[assessed]["status_date"]) == ("2024", "2025")
    # As things stood in 2022, the run had begun in 2020.
    rows = cli.json("status", "--as-of", "2022")["recommendations"]
    (then,) = [r for r in rows if r["key"] == K1]
    assert (then["status"], then["since"], then["status_date"]) == (
        "not_implemented",
        "2020",
        "2022",
    )
    # A different status in between breaks the run.
    cli.ok("assess", assessed, "--status", "in_progress", "--date", "2026-01")
    cli.ok("assess", assessed, "--status", "partial", "--date", "2026-02")
    lines = record_lines(cli.ok("show", assessed, "--format", "table"))
    assert lines["Status (NGO)"] == "Partial, since 2026-02"


# --- 6. withdrawing a mistaken assessment ----------------------------------------------


@pytest.fixture
def mistaken(cli, recs, home: Path) -> str:
    """K1: not implemented in 2020, then a mistaken partial of 2024; its id."""
    (home / "config.toml").write_text('[user]\nname = "Ana"\n', encoding="utf-8")
    cli.ok("assess", K1, "--status", "not_implemented", "--date", "2020")
    cli.ok("assess", K1, "--status", "partial", "--date", "2024", "--note", "Fund set up")
    return assessments(cli, K1)[-1]["id"]


def test_a_withdrawn_assessment_stays_in_history_marked(cli, mistaken) -> None:
    assert re.fullmatch(r"S\d+", mistaken)
    result = cli("assess", "--withdraw", mistaken, "--note", "wrong date")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{mistaken} withdrawn: Partial (ngo, 2024) of {K1} no longer counts\n"
    events = assessments(cli, K1)
    assert [(e["id"], e["date"], e["status"], e["withdrawn"]) for e in events] == [
        (events[0]["id"], "2020", "not_implemented", None),
        (mistaken, "2024", "partial", f"withdrawn {TODAY.isoformat()} by Ana: wrong date"),
    ]
    rows = {r["id"]: r for r in tsv_rows(cli.ok("history", K1))}
    assert rows[mistaken]["withdrawn"] == f"withdrawn {TODAY.isoformat()} by Ana: wrong date"
    table = cli.ok("history", K1, "--format", "table")
    (line,) = [" ".join(x.split()) for x in table.splitlines() if f" {mistaken} " in x]
    assert line == (
        f"2024 assessment {mistaken} Partial (ngo) Fund set up "
        f"[withdrawn {TODAY.isoformat()} by Ana: wrong date] Ana"
    )


def test_a_withdrawn_assessment_no_longer_counts(cli, mistaken) -> None:
    assert cli.json("show", K1)["ngo_status"] == "partial"
    cli.ok("assess", "--withdraw", mistaken.lower(), "--note", "wrong date")
    (row,) = [r for r in cli.json("status")["recommendations"] if r["key"] == K1]
    assert (row["status"], row["since"], row["status_date"]) == ("not_implemented", "2020", "2020")
    assert cli.json("status", "--summary")["counts"]["partial"] == 0
    assert record_lines(cli.ok("show", K1, "--format", "table"))["Status (NGO)"] == (
        "Not implemented, since 2020"
    )
    # What was recorded since yesterday: the withdrawal moved the status back.
    moves = cli.json("changes", "--since", day(-1))["transitions"]
    assert [(t["key"], t["before"], t["after"]) for t in moves] == [
        (K1, "unknown", "not_implemented")
    ]


ONLY_ID = "--withdraw takes only the assessment's id and a --note"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--withdraw", "S99", "--note", "x"], 1, "Error: no assessment S99\n"),
        (["--withdraw", "{id}"], 2, 'Error: say why the assessment is withdrawn: --note "..."\n'),
        (["--withdraw", "{id}", "--note", "  "], 2, "say why the assessment is withdrawn"),
        (["--withdraw", "X4", "--note", "x"], 2, "'X4' is not an assessment id (they look like"),
        ([K1, "--withdraw", "{id}", "--note", "x"], 2, f"Error: {ONLY_ID}\n"),
        (["--withdraw", "{id}", "--note", "x", "--status", "partial"], 2, ONLY_ID),
        (["--withdraw", "{id}", "--note", "x", "--date", "2024"], 2, ONLY_ID),
    ],
)
def test_a_withdrawal_that_cannot_be_is_refused(cli, mistaken, args, code, message) -> None:
    args = [a.replace("{id}", mistaken) for a in args]
    result = cli.refused(["assess", *args], code, message)
    if message.startswith("Error"):
        assert result.stderr == message


def test_withdrawing_twice_is_refused(cli, mistaken) -> None:
    cli.ok("assess", "--withdraw", mistaken, "--note", "wrong date")
    result = cli.refused(["assess", "--withdraw", mistaken, "--note", "again"], 1)
    assert result.stderr == f"Error: {mistaken} is already withdrawn\n"


def test_a_withdrawal_travels_with_the_data_set(cli, mistaken, tmp_path: Path) -> None:
    cli.ok("assess", "--withdraw", mistaken, "--note", "wrong date")
    dataset, other = tmp_path / "register.toml", tmp_path / "other.db"
    cli.ok("export", dataset)
    cli.ok("--db", other, "init")
    cli.ok("--db", other, "import", dataset)
    statuses = {r["key"]: r["status"] for r in cli.json("--db", other, "status")["recommendations"]}
    assert statuses == {K1: "not_implemented", K2: "unknown"}


def test_the_workbooks_history_does_not_show_a_withdrawn_assessment_as_counting(
    cli, mistaken, tmp_path: Path
) -> None:
    cli.ok("assess", "--withdraw", mistaken, "--note", "wrong date")
    path = tmp_path / "meeting.xlsx"
    cli.ok("export", path)
    header, *rows = load_workbook(path)["History"].iter_rows(values_only=True)
    partial = [r for r in rows if r[header.index("Date")] == "2024"]
    assert all(any("withdrawn" in str(cell).lower() for cell in r) for r in partial), partial


# --- 9. status --status and --gaps -------------------------------------------------------


def test_status_filter_is_repeatable_and_narrows_rows_and_counts(cli, sample) -> None:
    everything = cli.json("status")["recommendations"]
    wanted = sorted(r["key"] for r in everything if r["status"] in ("not_implemented", "regressed"))
    assert 0 < len(wanted) < len(everything)
    report = cli.json("status", "--status", "not_implemented", "-s", "regressed")
    assert sorted(r["key"] for r in report["recommendations"]) == wanted
    counts = {st: n for st, n in report["counts"].items() if n}
    assert counts == {
        st: sum(r["status"] == st for r in everything) for st in ("not_implemented", "regressed")
    }
    assert report["total"] == len(wanted)
    only = cli.json("status", "-s", "regressed", "--summary")
    assert only["total"] == sum(r["status"] == "regressed" for r in everything) > 0
    state = cli.json("status", "--by", "state", "-s", "implemented")["recommendations"]
    assert state and all(r["state_status"] == "implemented" for r in state)
    cli.refused(["status", "-s", "done"], 2, "'done' is not a status")


def test_gaps_lists_only_where_the_state_claims_more(cli, sample) -> None:
    compared = cli.json("status", "--compare")["recommendations"]
    wanted = [r["key"] for r in compared if r["state_claims_more"]]
    assert 0 < len(wanted) < len(compared)
    gaps = cli.json("status", "--compare", "--gaps")
    assert [r["key"] for r in gaps["recommendations"]] == wanted
    assert gaps["total"] == len(wanted)
    rows = tsv_rows(cli.ok("status", "--compare", "--gaps"))
    assert [r["key"] for r in rows] == wanted
    assert {r["state_claims_more"] for r in rows} == {"yes"}
