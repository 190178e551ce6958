"""rectrack edit and rectrack rm."""

from __future__ import annotations

import pytest

KEY = "CEDAW-2019-24b"
CEDAW_DOC = "CEDAW/C/SRB/CO/4"


@pytest.fixture
def rec(run, empty) -> str:
    """One recommendation with every field set."""
    return run.add(
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
        "Violence",
        "--theme",
        "Roma women",
        "-i",
        "Ministry of Justice",
        "--priority",
        "high",
        "--response",
        "supported",
        "--due",
        "2025-06",
        "-s",
        "Adopt a law",
        "-t",
        "Adopt a comprehensive law.",
    )


# --- edit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "field", "stored", "line"),
    [
        ("--priority", "low", "priority", "low", "priority: high -> low"),
        ("--response", "noted", "response", "noted", "response: supported -> noted"),
        ("--date", "March 2020", "date", "2020-03", "date: 2019-03-14 -> 2020-03"),
        ("--due", "2026", "due", "2026", "due: 2025-06 -> 2026"),
        ("--country", "Montenegro", "country", "Montenegro", "country: Serbia -> Montenegro"),
        ("--para", "25", "paragraph", "25", "paragraph: 24(b) -> 25"),
        ("--summary", "A law", "summary", "A law", "summary: Adopt a law -> A law"),
        (
            "--text",
            "Adopt a law now.",
            "text",
            "Adopt a law now.",
            "text: Adopt a comprehensive law. -> Adopt a law now.",
        ),
        (
            "--document",
            "CEDAW/C/SRB/CO/5",
            "document",
            "CEDAW/C/SRB/CO/5",
            f"document: {CEDAW_DOC} -> CEDAW/C/SRB/CO/5",
        ),
        (
            "--theme",
            "Education",
            "themes",
            ["Education"],
            "themes: Roma women, Violence -> Education",
        ),
        (
            "--institution",
            "Parliament",
            "institutions",
            ["Parliament"],
            "institutions: Ministry of Justice -> Parliament",
        ),
    ],
)
def test_edit_changes_a_field_and_prints_the_change(
    run, rec, option, value, field, stored, line
) -> None:
    result = run("edit", rec.lower(), option, value)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{KEY} updated:", f"  {line}"]
    assert run.json("show", KEY)[field] == stored


@pytest.mark.parametrize(
    ("option", "field", "line"),
    [
        ("--priority", "priority", "priority: high -> (none)"),
        ("--response", "response", "response: supported -> (none)"),
        ("--due", "due", "due: 2025-06 -> (none)"),
        ("--date", "date", "date: 2019-03-14 -> (none)"),
        ("--country", "country", "country: Serbia -> (none)"),
        ("--summary", "summary", "summary: Adopt a law -> (none)"),
        ("--para", "paragraph", "paragraph: 24(b) -> (none)"),
        ("--document", "document", f"document: {CEDAW_DOC} -> (none)"),
    ],
)
def test_none_clears_an_optional_value(run, rec, option, field, line) -> None:
    result = run("edit", rec, option, "none")
    assert result.exit_code == 0, result.output
    assert f"  {line}" in result.stdout.splitlines()
    assert run.json("show", KEY)[field] is None


def test_several_changes_print_one_line_each(run, rec) -> None:
    result = run("edit", rec, "--priority", "medium", "--country", "Montenegro")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{KEY} updated:",
        "  country: Serbia -> Montenegro",
        "  priority: high -> medium",
    ]


def test_add_and_remove_themes(run, rec) -> None:
    result = run("edit", rec, "--add-theme", "Education", "--remove-theme", "violence")
    assert result.exit_code == 0, result.output
    assert "  themes: Roma women, Violence -> Education, Roma women" in result.stdout.splitlines()
    assert run.json("show", KEY)["themes"] == ["Education", "Roma women"]
    assert run.keys("--theme", "Education") == [KEY]
    assert run.keys("--theme", "Violence") == []


def test_add_and_remove_institutions(run, rec) -> None:
    result = run(
        "edit", rec, "--add-institution", "Ombudsman", "--remove-institution", "Ministry of Justice"
    )
    assert result.exit_code == 0, result.output
    assert "  institutions: Ministry of Justice -> Ombudsman" in result.stdout.splitlines()
    assert run.json("show", KEY)["institutions"] == ["Ombudsman"]


def test_removing_a_theme_that_is_not_there_changes_nothing(run, rec) -> None:
    run.add("-b", "UPR", "-t", "Other.", "--theme", "Education")
    run.refused(
        ["edit", rec, "--priority", "low", "--add-theme", "Health", "--remove-theme", "Education"],
        2,
        "theme 'Education' is not on this recommendation; it has: Roma women, Violence",
    )
    assert run("list", "--theme", "Health").exit_code == 2  # not even created


def test_removing_an_institution_that_is_not_there_is_refused(run, rec) -> None:
    run.refused(
        ["edit", rec, "--remove-institution", "Parliament"],
        2,
        "institution 'Parliament' is not on this recommendation",
    )


def test_key_renames_and_the_old_key_no_longer_resolves(run, rec) -> None:
    result = run("edit", rec, "--key", "CEDAW-2019-24x")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "CEDAW-2019-24x updated:",
        f"  key: {KEY} -> CEDAW-2019-24x",
    ]
    assert run.json("show", "CEDAW-2019-24x")["text"] == "Adopt a comprehensive law."
    old = run("show", KEY)
    assert old.exit_code == 1
    assert f"no recommendation {KEY}" in old.stderr
    assert run.keys() == ["CEDAW-2019-24x"]


def test_renaming_to_a_taken_key_is_refused(run, rec) -> None:
    other = run.add("-b", "CEDAW", "-t", "Other.", "--date", "2019")
    run.refused(["edit", rec, "--key", other.lower()], 1, f"key {other} is already taken")


def test_edit_an_unknown_key(run, rec) -> None:
    result = run("edit", "CEDAW-2019-24", "--priority", "low")
    assert result.exit_code == 1
    assert "no recommendation CEDAW-2019-24; closest keys: CEDAW-2019-24b" in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--date", "04/03/2019", "'04/03/2019' is not a date"),
        ("--due", "someday", "'someday' is not a date"),
        ("--priority", "urgent", "'urgent' is not a priority; valid values: high, medium, low"),
        ("--response", "maybe", "'maybe' is not a response"),
        ("--body", "CEDAV", "'CEDAV' is not a known body"),
        ("--key", "bad key", "'bad key' is not a valid key"),
        ("--text", "  ", "the text cannot be empty"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(run, rec, option, value, message) -> None:
    run.refused(["edit", rec, "--country", "Montenegro", option, value], 2, message)


def test_an_edit_that_would_repeat_another_recommendation_is_refused(run, rec) -> None:
    other = run.add("-b", "CEDAW", "-d", CEDAW_DOC, "-t", "Other text.")
    run.refused(
        ["edit", other, "--text", "adopt a COMPREHENSIVE law."], 1, f"the edit would repeat {KEY}"
    )


def test_changing_the_body_so_that_it_repeats_another_is_refused(run) -> None:
    # `add` refuses the same text twice for one body; `edit --body` must not get round it.
    upr = run.add("-b", "UPR", "-t", "Ratify the convention.")
    cedaw = run.add("-b", "CEDAW", "-t", "Ratify the convention.")
    run.refused(["edit", cedaw, "--body", "UPR"], 1, f"the edit would repeat {upr}")


@pytest.mark.parametrize(
    ("option", "field"), [("--theme", "themes"), ("--institution", "institutions")]
)
def test_none_clears_the_themes_or_institutions(run, rec, option, field) -> None:
    result = run("edit", rec, option, "none")
    assert result.exit_code == 0, result.output
    assert run.json("show", KEY)[field] == []


def test_edit_to_a_document_of_another_body_is_refused(run, rec) -> None:
    run.add("-b", "GRETA", "-d", "GRETA(2023)10", "-t", "Other.")
    run.refused(
        ["edit", rec, "--document", "GRETA(2023)10"],
        2,
        "document GRETA(2023)10 belongs to GRETA, not CEDAW",
    )


def test_no_option_changes_nothing(run, rec) -> None:
    before = run.state()
    result = run("edit", rec)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{KEY}: nothing changed"
    assert run.state() == before


def test_the_same_value_changes_nothing(run, rec) -> None:
    result = run("edit", rec, "--priority", "HIGH", "--theme", "roma women", "--theme", "Violence")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{KEY}: nothing changed"


# --- rm ---------------------------------------------------------------------------------


def test_rm_with_yes_removes_it_from_every_listing_and_restore_brings_it_back(run, rec) -> None:
    other = run.add("-b", "UPR", "-t", "Other.", "--theme", "Education")
    result = run("rm", rec.lower(), "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"removed {KEY} (kept with its history: `rectrack restore {KEY}` brings it back)"
    )
    assert run.keys() == [other]
    assert run.keys("--theme", "Violence") == []
    assert run.keys("--institution", "Ministry of Justice") == []
    shown = run("show", KEY)
    assert shown.exit_code == 1
    assert f"{KEY} was removed on " in shown.stderr
    assert f"`rectrack restore {KEY}` brings it back" in shown.stderr
    assert run.ok("restore", KEY).strip() == f"restored {KEY}"
    assert run.keys() == [KEY, other]
    assert run.keys("--theme", "Violence") == [KEY]


def test_rm_purge_deletes_for_good_and_its_theme_links_go_with_it(run, rec) -> None:
    other = run.add("-b", "UPR", "-t", "Other.", "--theme", "Education")
    result = run("rm", rec, "--purge", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"deleted for good: {KEY}"
    assert run.keys() == [other]
    assert run("show", KEY).stderr.startswith(f"Error: no recommendation {KEY}")
    assert run("restore", KEY).exit_code == 1


def test_a_removed_recommendation_can_be_purged_and_its_key_stays_taken_until_then(
    run, rec
) -> None:
    run.ok("rm", rec, "--yes")
    taken = run("add", "-b", "CEDAW", "-t", "Another.", "--key", KEY)
    assert taken.exit_code == 1
    assert "taken by a removed recommendation" in taken.stderr
    run.ok("rm", rec, "--purge", "--yes")
    assert run.add("-b", "CEDAW", "-t", "Another.", "--key", KEY) == KEY


def test_rm_several(run, rec) -> None:
    other = run.add("-b", "UPR", "-t", "Other.")
    third = run.add("-b", "UPR", "-t", "Third.")
    result = run("rm", rec, other, "-y")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith(f"removed {KEY}, {other} (kept with their history")
    assert run.keys() == [third]


def test_rm_the_same_key_twice_deletes_and_reports_it_once(run, rec, terminal) -> None:
    result = run("rm", rec, rec.lower(), input="y\n")
    assert result.exit_code == 0, result.output
    assert f"Remove 1 recommendation ({KEY})?" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(f"removed {KEY} (")
    assert run.keys("--format", "tsv") == []


def test_rm_without_yes_and_no_terminal_deletes_nothing(run, rec) -> None:
    result = run("rm", rec)
    assert result.exit_code == 2
    assert "add --yes" in result.stderr
    assert run.keys() == [KEY]


def test_rm_on_a_terminal_answering_no_deletes_nothing(run, rec, terminal) -> None:
    result = run("rm", rec, input="n\n")
    assert f"Remove 1 recommendation ({KEY})?" in result.stdout
    assert "nothing removed" in result.stdout
    assert "removed CEDAW" not in result.stdout
    assert run.keys("--format", "tsv") == [KEY]


def test_rm_on_a_terminal_answering_yes_deletes(run, rec, terminal) -> None:
    result = run("rm", rec, input="y\n")
    assert result.exit_code == 0, result.output
    assert f"Remove 1 recommendation ({KEY})?" in result.stdout
    assert f"removed {KEY} (" in result.stdout
    assert run.keys("--format", "tsv") == []


def test_rm_an_unknown_key_among_several_deletes_none(run, rec) -> None:
    other = run.add("-b", "UPR", "-t", "Other.")
    result = run("rm", rec, "UPR-9999", other, "--yes")
    assert result.exit_code == 1
    assert "no recommendation UPR-9999" in result.stderr
    assert run.keys() == [KEY, other]


def test_rm_several_unknown_keys_names_them_all(run, rec) -> None:
    result = run("rm", rec, "X-1", "X-2", "--yes")
    assert result.exit_code == 1
    assert "no recommendations X-1, X-2" in result.stderr
    assert run.keys() == [KEY]
