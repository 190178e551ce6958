"""rectrack list (filters, formats) and rectrack show."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from helpers import keys_of

CEDAW_DOC = "CEDAW/C/SRB/CO/4"
FIELDS = {
    "key",
    "body",
    "document",
    "paragraph",
    "date",
    "country",
    "text",
    "summary",
    "themes",
    "institutions",
    "priority",
    "response",
    "due",
    "recommending",
    "affected",
    "sdgs",
    "category",
    "source_id",
    "clusters",
}
ALL = ["CEDAW-2019-24b", "GRETA-2023-0001", "UPR-2023-0001"]


@pytest.fixture
def three(run, empty) -> None:
    """Three recommendations from three bodies, two countries."""
    run.add(
        "-b",
        "CEDAW",
        "-d",
        CEDAW_DOC,
        "-p",
        "24(b)",
        "--date",
        "2019-03-14",
        "-c",
        "Serbia",
        "--theme",
        "Violence against women",
        "-i",
        "Ministry of Justice",
        "--priority",
        "high",
        "--response",
        "supported",
        "--due",
        "2025",
        "-t",
        "Fund the shelters run by the network Mreža žene protiv nasilja.",
    )
    run.add(
        "-b",
        "GRETA",
        "-d",
        "GRETA(2023)10",
        "--date",
        "2023-06",
        "-c",
        "Serbia",
        "--theme",
        "Legal aid",
        "-i",
        "Ministry of Justice",
        "--priority",
        "medium",
        "-t",
        "Train the lawyers who represent victims.",
        "-s",
        "Train victims' lawyers",
    )
    run.add(
        "-b",
        "UPR",
        "--date",
        "2023",
        "-c",
        "Montenegro",
        "--theme",
        "Violence against women",
        "-i",
        "Parliament",
        "--priority",
        "low",
        "-t",
        "Ratify the convention.",
        "-s",
        "Ratify ISTANBUL convention",
    )


# --- filters ----------------------------------------------------------------------------


def test_without_filters_everything_is_listed_by_body_then_key(run, three) -> None:
    assert run.keys() == ALL


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--body", "CEDAW"], ["CEDAW-2019-24b"]),
        (["--body", "cedaw", "-b", "upr"], ["CEDAW-2019-24b", "UPR-2023-0001"]),
        (["--country", "serbia"], ["CEDAW-2019-24b", "GRETA-2023-0001"]),
        (["--country", "Montenegro"], ["UPR-2023-0001"]),
        (["--document", CEDAW_DOC.lower()], ["CEDAW-2019-24b"]),
        (["--theme", "violence AGAINST women"], ["CEDAW-2019-24b", "UPR-2023-0001"]),
        (["--institution", "ministry of justice"], ["CEDAW-2019-24b", "GRETA-2023-0001"]),
        (["-i", "Parliament"], ["UPR-2023-0001"]),
        (["--priority", "high"], ["CEDAW-2019-24b"]),
        (["--priority", "LOW"], ["UPR-2023-0001"]),
        (["--text", "LAWYERS"], ["GRETA-2023-0001"]),
        (["--text", "istanbul"], ["UPR-2023-0001"]),  # matches the summary
        (["--text", "Žene"], ["CEDAW-2019-24b"]),
        (["--text", "MREŽA ŽENE"], ["CEDAW-2019-24b"]),
        (["--text", "the"], ALL),
        (["--theme", "Violence against women", "--country", "Serbia"], ["CEDAW-2019-24b"]),
        (["--body", "GRETA", "--priority", "high"], []),
    ],
)
def test_filters(run, three, filters: list[str], expected: list[str]) -> None:
    assert run.keys(*filters) == expected


def test_text_filter_takes_percent_and_underscore_literally(run) -> None:
    run.add("-b", "UPR", "-t", "Raise it by 50% by 2030.")
    run.add("-b", "UPR", "-t", "Raise it by 500 by 2030.")
    assert run.keys("--text", "50%") == ["UPR-0001"]
    assert run.keys("--text", "5_0") == []


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            ["--theme", "Violence agains women"],
            "no theme 'Violence agains women'; did you mean: Violence against women",
        ),
        (
            ["--document", "CEDAW/C/SRB/CO/3"],
            f"no document 'CEDAW/C/SRB/CO/3'; did you mean: {CEDAW_DOC}",
        ),
        (["--body", "CEDAV"], "'CEDAV' is not a known body (did you mean 'CEDAW'?)"),
        (
            ["--institution", "Ministry of Justise"],
            "no institution 'Ministry of Justise'; did you mean: Ministry of Justice",
        ),
        (["--priority", "urgent"], "'urgent' is not a priority"),
    ],
)
def test_unknown_filter_values_are_refused_with_a_suggestion(run, three, filters, message) -> None:
    result = run("list", *filters)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


# --- formats ----------------------------------------------------------------------------


def test_piped_output_is_tsv_with_a_header(run, three) -> None:
    result = run("list")
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:5] == ["key", "body", "document", "paragraph", "date"]
    assert set(lines[0].split("\t")) == FIELDS
    first = dict(zip(lines[0].split("\t"), lines[1].split("\t"), strict=True))
    assert first["key"] == "CEDAW-2019-24b"
    assert first["document"] == CEDAW_DOC
    assert first["themes"] == "Violence against women"
    assert len(lines) == 4


def test_csv(run, three) -> None:
    result = run("list", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["key"] for r in rows] == ALL
    assert set(rows[0]) == FIELDS
    assert rows[1]["summary"] == "Train victims' lawyers"
    assert rows[0]["text"] == "Fund the shelters run by the network Mreža žene protiv nasilja."


def test_json(run, three) -> None:
    result = run("list", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    assert [r["key"] for r in rows] == ALL
    assert all(FIELDS <= set(r) for r in rows)
    assert {k: rows[0][k] for k in FIELDS} == {
        "key": "CEDAW-2019-24b",
        "body": "CEDAW",
        "document": CEDAW_DOC,
        "paragraph": "24(b)",
        "date": "2019-03-14",
        "country": "Serbia",
        "text": "Fund the shelters run by the network Mreža žene protiv nasilja.",
        "summary": None,
        "themes": ["Violence against women"],
        "institutions": ["Ministry of Justice"],
        "priority": "high",
        "response": "supported",
        "due": "2025",
        "recommending": [],
        "affected": [],
        "sdgs": [],
        "category": None,
        "source_id": None,
        "clusters": [],
    }


def test_jsonl(run, three) -> None:
    result = run("list", "-f", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["key"] for r in rows] == ALL
    assert all(FIELDS <= set(r) for r in rows)
    assert rows[2]["themes"] == ["Violence against women"]


def test_table_on_request(run, three) -> None:
    result = run("list", "--format", "table")
    assert result.exit_code == 0
    assert "Key" in result.stdout
    assert "Summary" in result.stdout
    assert "3 recommendations" in result.stdout
    for key in ALL:
        assert key in result.stdout
    assert "Train victims' lawyers" in result.stdout


def test_table_by_default_on_a_terminal(run, three, terminal) -> None:
    result = run("list")
    assert result.exit_code == 0
    assert "Key" in result.stdout
    assert "Summary" in result.stdout
    assert "\t" not in result.stdout
    assert "GRETA-2023-0001" in result.stdout


def test_a_bad_format_is_refused(run, three) -> None:
    result = run("list", "--format", "xml")
    assert result.exit_code == 2
    assert (
        "'xml' is not an output format; valid values: table, tsv, csv, json, jsonl" in result.stderr
    )


def test_text_that_looks_like_markup_prints_literally_in_a_table(run) -> None:
    text = "See [/A/HRC/52/10] and [bold]x[/bold]."
    run.add("-b", "UPR", "-t", text)
    result = run("list", "--format", "table")
    assert result.exit_code == 0, result.output
    assert text in result.stdout
    shown = run("show", "UPR-0001", "--format", "table")
    assert shown.exit_code == 0, shown.output
    assert text in shown.stdout


@pytest.mark.parametrize(("fmt", "expected"), [("json", "[]\n"), ("jsonl", "")])
def test_empty_result_as_json(run, three, fmt: str, expected: str) -> None:
    result = run("list", "--body", "CAT", "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout == expected


def test_empty_result_as_tsv_is_only_the_header(run, three) -> None:
    result = run("list", "--body", "CAT")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("key\tbody\t")
    assert keys_of(result.stdout) == []


def test_empty_register_as_a_table_says_how_to_begin(run) -> None:
    result = run("list", "--format", "table")
    assert result.exit_code == 0
    assert result.stderr == (
        "No recommendations recorded yet: add one with `rectrack add`, or load the "
        "demonstration set with `rectrack init --sample`.\n"
    )
    assert result.stdout == ""


def test_empty_result_as_a_table_says_so(run, three) -> None:
    result = run("list", "--body", "CAT", "--format", "table")
    assert result.exit_code == 0
    assert result.stderr == "No recommendations match.\n"
    assert result.stdout == ""


# --- show -------------------------------------------------------------------------------


def test_show_as_a_table(run, three) -> None:
    result = run("show", "cedaw-2019-24b", "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.stdout
    for label, value in [
        ("Key", "CEDAW-2019-24b"),
        ("Body", "CEDAW"),
        ("Document", CEDAW_DOC),
        ("Paragraph", "24(b)"),
        ("Date", "2019-03-14"),
        ("Country", "Serbia"),
        ("Text", "Fund the shelters run by the network Mreža žene protiv nasilja."),
        ("Themes", "Violence against women"),
        ("Institutions", "Ministry of Justice"),
        ("Priority", "high"),
        ("Response", "supported"),
        ("Follow-up due", "2025"),
    ]:
        assert re.search(rf"^{re.escape(label)} +{re.escape(value)}", lines, re.M), label
    assert "UN Committee on the Elimination of Discrimination against Women" in lines


def test_show_is_a_table_on_a_terminal(run, three, terminal) -> None:
    result = run("show", "UPR-2023-0001")
    assert result.exit_code == 0, result.output
    assert re.search(r"^Summary +Ratify ISTANBUL convention", result.stdout, re.M)


def test_show_as_json(run, three) -> None:
    result = run("show", "GRETA-2023-0001", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert FIELDS <= set(record)
    assert record["key"] == "GRETA-2023-0001"
    assert record["document"] == "GRETA(2023)10"
    assert record["date"] == "2023-06"
    assert record["themes"] == ["Legal aid"]
    assert record["summary"] == "Train victims' lawyers"


def test_show_an_unknown_key(run, three) -> None:
    result = run("show", "CEDAW-2019-24")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no recommendation CEDAW-2019-24; closest keys: CEDAW-2019-24b" in result.stderr


def test_show_an_unknown_key_in_an_empty_register(run) -> None:
    result = run("show", "X-1")
    assert result.exit_code == 1
    assert "no recommendation X-1" in result.stderr
