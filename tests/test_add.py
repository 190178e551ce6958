"""rectrack add: keys, duplicates, documents, dates, validation and prompts."""

from __future__ import annotations

import json

import pytest

CEDAW_DOC = "CEDAW/C/SRB/CO/4"


def records(run, *filters: str) -> dict[str, dict]:
    result = run("list", *filters, "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["key"]: row for row in json.loads(result.stdout)}


# --- keys -------------------------------------------------------------------------------


def test_add_prints_the_new_key_and_only_the_key(run) -> None:
    result = run(
        "add",
        "--body",
        "CEDAW",
        "--text",
        "Adopt a law.",
        "--para",
        "24(b)",
        "--date",
        "March 2019",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "CEDAW-2019-24b\n"
    assert run.keys("--format", "tsv") == ["CEDAW-2019-24b"]


def test_without_a_paragraph_the_key_is_a_counter(run) -> None:
    assert run.add("-b", "UPR", "-t", "First.", "--date", "2013") == "UPR-2013-0001"
    assert run.add("-b", "UPR", "-t", "Second.", "--date", "2013") == "UPR-2013-0002"
    assert run.keys("--format", "tsv") == ["UPR-2013-0001", "UPR-2013-0002"]


def test_counter_continues_after_the_highest_key_whatever_its_case(run) -> None:
    run.add("-b", "UPR", "-t", "Hand keyed.", "--date", "2013", "--key", "upr-2013-0007")
    assert run.add("-b", "UPR", "-t", "Next.", "--date", "2013") == "UPR-2013-0008"


def test_same_document_and_paragraph_allowed_as_duplicate_gets_a_suffix(run) -> None:
    common = ["-b", "CEDAW", "-d", CEDAW_DOC, "-p", "24(b)", "--date", "2019-03"]
    assert run.add(*common, "-t", "First text.") == "CEDAW-2019-24b"
    assert run.add(*common, "-t", "Second text.", "--allow-duplicate") == "CEDAW-2019-24b-2"
    assert run.add(*common, "-t", "Third text.", "--allow-duplicate") == "CEDAW-2019-24b-3"


def test_key_by_hand(run) -> None:
    assert run.add("-b", "CEDAW", "-t", "Text.", "--key", "MY-KEY-1") == "MY-KEY-1"
    assert run.keys("--format", "tsv") == ["MY-KEY-1"]


def test_a_taken_key_is_refused_case_insensitively(run) -> None:
    run.add("-b", "CEDAW", "-t", "Text.", "-p", "24(b)", "--date", "2019")
    run.refused(
        ["add", "-b", "CEDAW", "-t", "Other text.", "--key", "cedaw-2019-24B"],
        1,
        "key CEDAW-2019-24b is already taken",
    )


def test_an_invalid_hand_key_is_refused(run, empty) -> None:
    run.refused(
        ["add", "-b", "CEDAW", "-t", "Text.", "--key", "my key"], 2, "'my key' is not a valid key"
    )


def test_keys_are_matched_case_insensitively_by_show(run) -> None:
    run.add("-b", "CEDAW", "-t", "Adopt a law.", "-p", "24(b)", "--date", "March 2019")
    result = run("show", "cedaw-2019-24B", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["key"] == "CEDAW-2019-24b"


def test_body_codes_are_case_insensitive(run) -> None:
    key = run.add("--body", "cedaw", "--text", "Text.", "--para", "3", "--date", "2019")
    assert key == "CEDAW-2019-3"
    assert records(run)[key]["body"] == "CEDAW"


# --- duplicates -------------------------------------------------------------------------


def test_same_document_and_paragraph_is_refused_naming_the_existing_key(run) -> None:
    run.add("-b", "CEDAW", "-d", CEDAW_DOC, "-p", "24(b)", "--date", "2019", "-t", "Adopt a law.")
    stderr = run.refused(
        ["add", "-b", "CEDAW", "-d", CEDAW_DOC.lower(), "-p", "24 (b)", "-t", "A different text."],
        1,
        "already recorded as CEDAW-2019-24b",
        "same document and paragraph",
        "--allow-duplicate",
    ).stderr
    assert stderr.startswith("Error: ")


def test_same_body_and_text_differing_in_case_and_space_is_refused(run) -> None:
    key = run.add("-b", "UPR", "-t", "Adopt a law on gender equality.")
    run.refused(
        ["add", "-b", "upr", "-t", "  adopt A  LAW on\tgender equality. "],
        1,
        f"already recorded as {key}",
        "same body and text",
    )


def test_same_text_from_another_body_is_not_a_duplicate(run) -> None:
    run.add("-b", "UPR", "-t", "Adopt a law.")
    assert run.add("-b", "CEDAW", "-t", "Adopt a law.") == "CEDAW-0001"


def test_allow_duplicate_adds_the_same_text_again(run) -> None:
    first = run.add("-b", "UPR", "-t", "Adopt a law.")
    second = run.add("-b", "UPR", "-t", "adopt a LAW.", "--allow-duplicate")
    assert first != second
    assert run.keys("--format", "tsv") == [first, second]


# --- documents --------------------------------------------------------------------------


def test_a_new_document_is_created_and_then_reused(run) -> None:
    run.add(
        "-b",
        "CEDAW",
        "-d",
        CEDAW_DOC,
        "-p",
        "10",
        "--date",
        "2019-03-14",
        "-c",
        "Serbia",
        "-t",
        "First.",
    )
    second = run.add("-b", "CEDAW", "-d", CEDAW_DOC.lower(), "-p", "11", "-t", "Second.")
    # The second takes the document's symbol, date and country.
    assert second == "CEDAW-2019-11"
    rows = records(run, "--document", CEDAW_DOC)
    assert sorted(rows) == ["CEDAW-2019-10", "CEDAW-2019-11"]
    assert {(r["document"], r["date"], r["country"]) for r in rows.values()} == {
        (CEDAW_DOC, "2019-03-14", "Serbia")
    }


def test_a_document_of_another_body_is_refused(run) -> None:
    run.add("-b", "CEDAW", "-d", CEDAW_DOC, "-t", "First.")
    run.refused(
        ["add", "-b", "GRETA", "-d", CEDAW_DOC, "-t", "Other."],
        2,
        f"document {CEDAW_DOC} belongs to CEDAW, not GRETA",
    )


def test_a_refused_add_does_not_leave_its_new_document_behind(run) -> None:
    run.add("-b", "UPR", "-d", "A/HRC/OLD/1", "-p", "5", "-t", "Adopt a law.")
    run.refused(
        ["add", "-b", "UPR", "-d", "A/HRC/NEW/1", "-t", "Adopt a law.", "--key", "UPR-5"],
        1,
        "already taken",
    )
    result = run("list", "--document", "A/HRC/NEW/1")
    assert result.exit_code == 2
    assert "no document 'A/HRC/NEW/1'" in result.stderr


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2019-03-14", "2019-03-14"),
        ("2019-03", "2019-03"),
        ("2019", "2019"),
        ("14 March 2019", "2019-03-14"),
        ("March 2019", "2019-03"),
    ],
)
def test_dates_are_stored_with_their_precision(run, given: str, stored: str) -> None:
    key = run.add("-b", "CEDAW", "-t", "Text.", "--date", given, "--due", given)
    assert key == "CEDAW-2019-0001"
    row = records(run)[key]
    assert (row["date"], row["due"]) == (stored, stored)


@pytest.mark.parametrize("option", ["--date", "--due"])
def test_an_ambiguous_numeric_date_is_refused_listing_the_accepted_forms(
    run, empty, option
) -> None:
    stderr = run.refused(
        ["add", "-b", "CEDAW", "-t", "Text.", option, "04/03/2019"], 2, "'04/03/2019' is not a date"
    ).stderr
    assert "accepted forms: 2019-03-14, 2019-03, 2019, 14 March 2019, March 2019" in stderr


def test_an_impossible_date_is_refused(run, empty) -> None:
    run.refused(
        ["add", "-b", "CEDAW", "-t", "Text.", "--date", "2019-02-30"],
        2,
        "'2019-02-30' is not a date",
    )


# --- bad values -------------------------------------------------------------------------


def test_an_unknown_body_is_refused_listing_the_known_ones(run, empty) -> None:
    stderr = run.refused(
        ["add", "-b", "CEDAV", "-t", "Text."],
        2,
        "'CEDAV' is not a known body",
        "did you mean 'CEDAW'?",
    ).stderr
    for code in ("CEDAW", "GRETA", "TIP", "EU", "UPR"):
        assert code in stderr.split("known bodies:")[1]


def test_a_bad_priority_is_refused_listing_the_valid_ones(run, empty) -> None:
    run.refused(
        ["add", "-b", "CEDAW", "-t", "Text.", "--priority", "urgent"],
        2,
        "'urgent' is not a priority",
        "valid values: high, medium, low",
    )


def test_a_bad_response_is_refused_listing_the_valid_ones(run, empty) -> None:
    run.refused(
        ["add", "-b", "CEDAW", "-t", "Text.", "--response", "maybe"],
        2,
        "'maybe' is not a response",
        "valid values: supported, partially_supported, noted, accepted, rejected",
    )


def test_priority_and_response_are_case_insensitive(run) -> None:
    key = run.add("-b", "CEDAW", "-t", "Text.", "--priority", "HIGH", "--response", "Supported")
    row = records(run)[key]
    assert (row["priority"], row["response"]) == ("high", "supported")


# --- missing values and prompts -----------------------------------------------------------


def test_without_a_terminal_missing_body_and_text_are_named(run, empty) -> None:
    run.refused(["add"], 2, "missing --body, --text (no terminal to ask on)")


def test_without_a_terminal_missing_text_is_named(run, empty) -> None:
    stderr = run.refused(["add", "-b", "CEDAW"], 2, "missing --text").stderr
    assert "--body" not in stderr


def test_without_a_terminal_missing_body_is_named(run, empty) -> None:
    stderr = run.refused(["add", "-t", "Text."], 2, "missing --body").stderr
    assert "--text" not in stderr


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_text_is_refused(run, empty, text: str) -> None:
    run.refused(["add", "-b", "CEDAW", "-t", text], 2, "--text")


def test_on_a_terminal_missing_values_are_asked_for(run, terminal) -> None:
    # Body and text, then the optional document, paragraph, date and country, skipped.
    result = run("add", input="CEDAW\nSome text\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    # The prompts, each followed by the answer as the test runner echoes it.
    assert result.stdout.splitlines() == [
        "Body (CEDAW, GRETA, TIP, EU, UPR...): CEDAW",
        "Text: Some text",
        "Document symbol, e.g. CEDAW/C/SRB/CO/4 (Enter to skip): ",
        "Paragraph, e.g. 24(b) (Enter to skip): ",
        "Date, e.g. 2019-03-14, March 2019 or 2019 (Enter to skip): ",
        "Country (Enter to skip): ",
        "CEDAW-0001",
    ]
    row = records(run)["CEDAW-0001"]
    assert (row["body"], row["text"]) == ("CEDAW", "Some text")
    assert (row["document"], row["paragraph"], row["date"], row["country"]) == (None,) * 4


def test_on_a_terminal_only_the_missing_value_is_asked_for(run, terminal) -> None:
    result = run("add", "--body", "UPR", input="Asked text\n")
    assert result.exit_code == 0, result.output
    assert "Body" not in result.stdout
    assert "Document" not in result.stdout
    assert "Text:" in result.stdout
    assert records(run)["UPR-0001"]["text"] == "Asked text"


def test_themes_and_institutions_are_recorded(run) -> None:
    key = run.add(
        "-b",
        "CEDAW",
        "-t",
        "Text.",
        "--theme",
        "Violence",
        "--theme",
        "Gender equality",
        "-i",
        "Ministry of Justice",
        "-s",
        "Short",
    )
    row = records(run)[key]
    assert row["themes"] == ["Gender equality", "Violence"]
    assert row["institutions"] == ["Ministry of Justice"]
    assert row["summary"] == "Short"


def test_a_generated_key_obeys_the_key_rule_of_at_most_60_characters(run) -> None:
    # Keys typed by hand are refused above 60 characters (and the column is 60 wide), so a
    # key made from a long paragraph must stay within 60 too: else `edit KEY --key KEY`
    # refuses the key the recommendation already has.
    key = run.add("-b", "CEDAW", "-t", "Text.", "--date", "2019", "-p", "a" * 70)
    assert len(key) <= 60, key
    result = run("edit", key, "--key", key)
    assert result.exit_code == 0, result.output
