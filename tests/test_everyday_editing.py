"""A week of monitoring work, from the editing side: correcting actions, evidence and
documents, deleting what is linked, themes and institutions that look like others, and
evidence files kept beside the database.

The numbers in the comments are the points of the issue these tests come from; see also
test_everyday.py (reporting) and test_everyday_setup.py (prompts, settings, help, dates,
exported files, messages).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import assessments, place

K1, K2 = "CEDAW-2019-10", "TIP-2021-0001"  # the `recs` fixture
TODAY = dt.date.today().isoformat()


def action(cli, title: str = "Law on Free Legal Aid", *extra: str) -> str:
    return cli.ok("action", "add", "--title", title, "--kind", "law", *extra).strip()


def evidence(cli, title: str = "Notes", *extra: str) -> str:
    return cli.ok("evidence", "add", "--title", title, "--kind", "meeting", *extra).strip()


# --- 5. action edit and rm ---------------------------------------------------------------


@pytest.fixture
def law(cli, recs) -> str:
    """A1, every field set, linked to K1."""
    return action(
        cli,
        "Law",
        "--date",
        "2020",
        "-i",
        "Ministry of Justice",
        "--reference",
        "OG 1/2020",
        "--url",
        "https://example.org/law",
        "--description",
        "What it does.",
        "-r",
        K1,
    )


def test_action_edit_changes_each_field(cli, law) -> None:
    result = cli(
        "action",
        "edit",
        law,
        "--title",
        "Law on X",
        "--kind",
        "bylaw",
        "--date",
        "March 2021",
        "-i",
        "Ministry of Justice",  # unchanged: not reported
        "--reference",
        "OG 2/2021",
        "--url",
        "https://example.org/x",
        "--description",
        "New.",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "A1 updated:\n"
        "  title: Law -> Law on X\n"
        "  kind: law -> bylaw\n"
        "  date: 2020 -> 2021-03\n"
        "  reference: OG 1/2020 -> OG 2/2021\n"
        "  url: https://example.org/law -> https://example.org/x\n"
        "  description: What it does. -> New.\n"
    )
    shown = cli.json("action", "show", law)
    assert {k: shown[k] for k in ("title", "kind", "date", "reference", "url", "description")} == {
        "title": "Law on X",
        "kind": "bylaw",
        "date": "2021-03",
        "reference": "OG 2/2021",
        "url": "https://example.org/x",
        "description": "New.",
    }
    assert (shown["institution"], shown["recommendations"]) == ("Ministry of Justice", [K1])
    cli.ok("action", "edit", law, "-i", "Ministry of Interior", "--new-institution")
    assert cli.json("action", "show", law)["institution"] == "Ministry of Interior"


def test_action_edit_none_clears_the_optional_fields(cli, law) -> None:
    cleared = ("--date", "--institution", "--reference", "--url", "--description")
    out = cli.ok("action", "edit", law, *(x for option in cleared for x in (option, "none")))
    assert out.splitlines()[1:] == [
        "  date: 2020 -> (none)",
        "  reference: OG 1/2020 -> (none)",
        "  url: https://example.org/law -> (none)",
        "  description: What it does. -> (none)",
        "  institution: Ministry of Justice -> (none)",
    ]
    shown = cli.json("action", "show", law)
    assert [shown[k] for k in ("date", "institution", "reference", "url", "description")] == [
        None
    ] * 5
    assert cli.ok("action", "edit", law, "--url", "none") == "A1: nothing changed\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["A1", "--kind", "decree"], 2, "'decree' is not a kind of action; valid values: law,"),
        (["A1", "--kind", "none"], 2, "the kind cannot be cleared: it is required"),
        (["A1", "--date", "31/12/2020"], 2, "write it 2020-12-31"),
        (["A1", "--date", "soon"], 2, "'soon' is not a date I can read"),
        (["A1", "--title", " "], 2, "the title cannot be empty"),
        (["A9", "--title", "X"], 1, "no action A9"),
        (["9", "--title", "X"], 1, "no action"),
    ],
)
def test_action_edit_refuses_a_bad_value_or_an_unknown_id(cli, law, args, code, message) -> None:
    cli.refused(["action", "edit", *args], code, message)


def test_action_rm_of_an_unlinked_action_deletes_without_asking(cli, recs) -> None:
    lone = action(cli, "Lone strategy")
    result = cli("action", "rm", lone)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"deleted {lone}\n"
    assert cli.json("action", "list") == []


@pytest.fixture
def linked(cli, law) -> tuple[str, str]:
    """A1 linked to both recommendations and to E1."""
    cli.ok("action", "link", law, K2)
    return law, evidence(cli, "Gazette", "--action", law)


def test_action_rm_of_a_linked_action_needs_confirmation(cli, linked) -> None:
    law, _ = linked
    cli.refused(["action", "rm", law], 2, "add --yes (no terminal to ask on)")


def test_action_rm_refused_without_a_terminal_names_what_it_would_unlink(cli, linked) -> None:
    law, ev = linked
    cli.refused(["action", "rm", law], 2, K1, K2, ev)


def test_action_rm_on_a_terminal_asks_naming_the_links(cli, linked, terminal) -> None:
    law, ev = linked
    result = cli("action", "rm", law, input="n\n")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"Delete {law}? It is linked to {K1}, {K2}, {ev}, and those links go with it. [y/N]: "
    )
    assert "nothing deleted" in result.stdout
    assert [a["id"] for a in cli.json("action", "list")] == [law]


def test_action_rm_with_yes_deletes_it_and_its_links(cli, linked) -> None:
    law, ev = linked
    result = cli("action", "rm", law, "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"deleted {law} (unlinked from {K1}, {K2}, {ev})\n"
    assert cli.json("action", "list") == []
    assert cli.json("evidence", "show", ev)["actions"] == []
    assert [r["key"] for r in cli.json("list")] == [K1, K2]
    assert [e["type"] for e in cli.json("history", K1)["events"]] == []


# --- 5. evidence edit, unlink, rm ---------------------------------------------------------


def test_evidence_edit_changes_fields_and_reads_a_new_file(cli, recs, tmp_path: Path) -> None:
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    first.write_bytes(b"first\n")
    second.write_bytes(b"the second file\n")
    ev = cli.ok(
        "evidence", "add", "--title", "Report", "--kind", "web", "--url", "https://e.org/r",
        "--file", first, "-r", K1,
    ).strip()  # fmt: skip
    out = cli.ok(
        "evidence", "edit", ev, "--title", "Annual report", "--kind", "document", "--date",
        "2024-05", "--source", "Ombudsman", "--note", "Page 12.", "--file", second,
    )  # fmt: skip
    lines = out.splitlines()
    assert lines[:6] == [
        f"{ev} updated:",
        "  title: Report -> Annual report",
        "  kind: web -> document",
        "  date: (none) -> 2024-05",
        "  source: (none) -> Ombudsman",
        "  note: (none) -> Page 12.",
    ]
    assert lines[6].startswith("  file: /") and " -> /" in lines[6]  # long paths are cut
    assert len(lines) == 7
    shown = cli.json("evidence", "show", ev)
    assert (shown["title"], shown["kind"], shown["date"]) == (
        "Annual report",
        "document",
        "2024-05",
    )
    assert (shown["source"], shown["note"], shown["url"]) == (
        "Ombudsman",
        "Page 12.",
        "https://e.org/r",
    )
    assert shown["file"] == str(second.resolve())
    assert shown["sha256"] == hashlib.sha256(b"the second file\n").hexdigest()
    assert (shown["size"], shown["file_state"]) == (16, "unchanged")

    # The same file, changed since: --file reads it again.
    second.write_bytes(b"the second file, corrected\n")
    assert cli.json("evidence", "show", ev)["file_state"] == "changed"
    cli.ok("evidence", "edit", ev, "--file", second)
    shown = cli.json("evidence", "show", ev)
    assert shown["sha256"] == hashlib.sha256(b"the second file, corrected\n").hexdigest()
    assert shown["file_state"] == "unchanged"

    cli.ok("evidence", "edit", ev, "--url", "none")
    shown = cli.json("evidence", "show", ev)
    assert (shown["url"], shown["file"]) == (None, str(second.resolve()))
    cli.ok("evidence", "edit", ev, "--file", "none")
    shown = cli.json("evidence", "show", ev)
    assert (shown["file"], shown["size"], shown["sha256"], shown["file_state"]) == (None,) * 4


def test_evidence_edit_refuses_bad_values(cli, recs, tmp_path: Path) -> None:
    ev = evidence(cli)
    cli.refused(
        ["evidence", "edit", ev, "--kind", "rumour"], 2, "'rumour' is not a kind of evidence"
    )
    cli.refused(["evidence", "edit", ev, "--date", "04/03/2024"], 2, "ambiguous")
    missing = tmp_path / "nowhere.pdf"
    cli.refused(["evidence", "edit", ev, "--file", missing], 1, f"no file {missing}")
    cli.refused(["evidence", "edit", "E9", "--title", "X"], 1, "no evidence E9")


def test_evidence_unlink(cli, recs) -> None:
    law = action(cli)
    ev = evidence(cli, "Notes", "-r", K1, "-a", law)
    cli.refused(["evidence", "unlink", ev, "-r", K2], 2, f"{ev} is not linked to {K2}")
    cli.refused(["evidence", "unlink", ev, "-a", "A9"], 1, "no action A9")
    cli.refused(["evidence", "unlink", ev], 2, "name what to unlink: --rec KEY or --action ID")
    assert cli.ok("evidence", "unlink", ev, "-r", K1, "-a", law) == (
        f"{ev} no longer linked to {K1}, {law}\n"
    )
    shown = cli.json("evidence", "show", ev)
    assert (shown["recommendations"], shown["actions"]) == ([], [])


def test_evidence_rm_asks_only_when_linked_and_names_citing_assessments(cli, recs) -> None:
    lone = evidence(cli, "Lone")
    assert cli.ok("evidence", "rm", lone) == f"deleted {lone}\n"

    cited = evidence(cli, "Cited", "-r", K2)
    cli.ok("assess", K1, "--status", "partial", "--date", "2024", "-e", cited)
    cli.refused(["evidence", "rm", cited], 2, "add --yes")
    result = cli("evidence", "rm", cited, "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"deleted {cited} (unlinked from {K2}, 1 assessment citing it)\n"
    assert cli.json("evidence", "list") == []
    # The assessment stays, without its citation.
    assert [(a["status"], a["evidence"]) for a in assessments(cli, K1)] == [("partial", [])]


def test_evidence_rm_refused_without_a_terminal_names_what_it_would_unlink(cli, recs) -> None:
    cited = evidence(cli, "Cited", "-r", K2)
    cli.ok("assess", K1, "--status", "partial", "--date", "2024", "-e", cited)
    cli.refused(["evidence", "rm", cited], 2, K2, "1 assessment citing it")


def test_evidence_rm_on_a_terminal_names_the_citing_assessment(cli, recs, terminal) -> None:
    cited = evidence(cli, "Cited")
    cli.ok("assess", K1, "--status", "partial", "--date", "2024", "-e", cited)
    result = cli("evidence", "rm", cited, input="n\n")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"Delete {cited}? It is linked to 1 assessment citing it, and those links go with it."
    )
    assert cli.json("evidence", "show", cited)["assessments"] == 1


# --- 5. documents ---------------------------------------------------------------------

CEDAW_DOC, GRETA_DOC = "CEDAW/C/SRB/CO/4", "GRETA(2023)01"


@pytest.fixture
def documents(cli, empty) -> None:
    cli.add("-b", "CEDAW", "-t", "Adopt a law.", "-p", "10", "-d", CEDAW_DOC, "--date", "2019")
    cli.add("-b", "CEDAW", "-t", "Fund shelters.", "-p", "11", "-d", CEDAW_DOC)
    cli.add("-b", "GRETA", "-t", "Identify victims.", "-d", GRETA_DOC, "--date", "2023")


def test_document_list_counts_recommendations(cli, documents) -> None:
    rows = cli.json("document", "list")
    assert [(d["symbol"], d["body"], d["date"], d["recommendations"]) for d in rows] == [
        (CEDAW_DOC, "CEDAW", "2019", 2),
        (GRETA_DOC, "GRETA", "2023", 1),
    ]
    assert [d["symbol"] for d in cli.json("document", "list", "--body", "greta")] == [GRETA_DOC]


def test_document_show_lists_its_keys(cli, documents) -> None:
    shown = cli.json("document", "show", CEDAW_DOC.lower())
    assert (shown["symbol"], shown["recommendations"]) == (CEDAW_DOC, 2)
    assert shown["keys"] == ["CEDAW-2019-10", "CEDAW-2019-11"]
    lines = cli.ok("document", "show", CEDAW_DOC, "--format", "table").splitlines()
    assert "Keys             CEDAW-2019-10; CEDAW-2019-11" in [x.rstrip() for x in lines]


def test_document_edit_changes_each_field_and_renames(cli, documents) -> None:
    out = cli.ok(
        "document", "edit", CEDAW_DOC, "--title", "Concluding observations", "--url",
        "https://example.org/co4", "--country", "Serbia", "--date", "2019-03-14",
        "--cycle", "fourth periodic report",
    )  # fmt: skip
    assert out.splitlines() == [
        f"{CEDAW_DOC} updated:",
        "  title: (none) -> Concluding observations",
        "  date: 2019 -> 2019-03-14",
        "  cycle: (none) -> fourth periodic report",
        "  country: (none) -> Serbia",
        "  url: (none) -> https://example.org/co4",
    ]
    renamed = "CEDAW/C/SRB/CO/5"
    assert cli.ok("document", "edit", CEDAW_DOC, "--symbol", renamed, "--url", "none") == (
        f"{renamed} updated:\n  url: https://example.org/co4 -> (none)\n"
        f"  symbol: {CEDAW_DOC} -> {renamed}\n"
    )
    shown = cli.json("document", "show", renamed)
    assert (shown["title"], shown["date"], shown["cycle"], shown["country"], shown["url"]) == (
        "Concluding observations",
        "2019-03-14",
        "fourth periodic report",
        "Serbia",
        None,
    )
    assert [r["document"] for r in cli.json("list")] == [renamed, renamed, GRETA_DOC]
    cli.refused(["document", "show", CEDAW_DOC], 2, f"no document '{CEDAW_DOC}'")


def test_document_edit_to_a_taken_symbol_or_of_an_unknown_one_is_refused(cli, documents) -> None:
    cli.refused(
        ["document", "edit", CEDAW_DOC, "--symbol", GRETA_DOC, "--title", "X"],
        1,
        f"document {GRETA_DOC} is already recorded",
    )
    cli.refused(["document", "edit", "CEDAW/C/SRB/CO/9", "--title", "X"], 2, "no document")
    cli.refused(["document", "edit", CEDAW_DOC, "--date", "14/14/2019"], 2, "is not a date")


def test_no_recommendation_is_dated_in_the_future_through_its_document(cli, documents) -> None:
    cli("document", "edit", GRETA_DOC, "--date", "2099")
    cli("add", "-b", "GRETA", "-t", "A later one.", "-d", GRETA_DOC)
    dates = [r["date"] for r in cli.json("list") if r["date"]]
    assert all(d[:4] <= TODAY[:4] for d in dates), dates


# --- 7. themes and institutions that look like one on record -----------------------------


@pytest.fixture
def named(cli, empty) -> str:
    """One recommendation with the theme `compensation` and the Ministry of Justice."""
    return cli.add(
        "-b", "CEDAW", "-t", "First.", "--theme", "compensation", "-i", "Ministry of Justice"
    )


def test_a_misspelt_theme_is_refused_with_the_suggestion(cli, named) -> None:
    result = cli.refused(["add", "-b", "CEDAW", "-t", "Second.", "--theme", "compenstion"], 2)
    assert result.stderr == (
        "Error: 'compenstion' is not a theme on record; did you mean 'compensation'? "
        "(add --new-theme to record 'compenstion' as a new theme)\n"
    )
    result = cli("add", "-b", "CEDAW", "-t", "Second.", "--theme", "compenstion", "--new-theme")
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("CEDAW-0002\n", "new theme: compenstion\n")
    assert cli.json("list")[1]["themes"] == ["compenstion"]


def test_a_genuinely_new_theme_is_accepted_and_reported(cli, named) -> None:
    result = cli("add", "-b", "CEDAW", "-t", "Second.", "--theme", "labour inspection")
    assert result.exit_code == 0, result.output
    assert result.stderr == "new theme: labour inspection\n"
    result = cli("add", "-b", "CEDAW", "-t", "Third.", "--theme", "Labour inspection")
    assert (result.exit_code, result.stderr) == (0, "")  # on record now, in any case


def test_a_misspelt_institution_is_refused_with_the_suggestion(cli, named) -> None:
    args = ["add", "-b", "CEDAW", "-t", "Second.", "-i", "Ministry of Justic"]
    result = cli.refused(args, 2, "'Ministry of Justic' is not a", "'Ministry of Justice'?")
    assert "add --new-institution to record 'Ministry of Justic'" in result.stderr
    result = cli(*args, "--new-institution")
    assert (result.exit_code, result.stderr) == (0, "new institution: Ministry of Justic\n")


def test_the_refusal_of_an_institution_reads_an_institution(cli, named) -> None:
    args = ["add", "-b", "CEDAW", "-t", "Second.", "-i", "Ministry of Justic"]
    cli.refused(args, 2, "'Ministry of Justic' is not an institution on record")


def test_edit_add_theme_and_action_institution_are_checked_too(cli, named) -> None:
    cli.refused(["edit", named, "--add-theme", "compensaton"], 2, "did you mean 'compensation'?")
    cli.refused(["edit", named, "--theme", "compensaton"], 2, "add --new-theme")
    result = cli("edit", named, "--add-theme", "compensaton", "--new-theme")
    assert result.exit_code == 0, result.output
    assert result.stderr == "new theme: compensaton\n"
    cli.refused(
        ["action", "add", "--title", "T", "--kind", "law", "-i", "Ministry of Justce"],
        2,
        "did you mean 'Ministry of Justice'?",
    )
    cli.refused(["action", "edit", action(cli), "-i", "Ministry of Justce"], 2, "Justice'?")
    result = cli(
        "action", "add", "--title", "T", "--kind", "law", "-i", "Ministry of Justce",
        "--new-institution",
    )  # fmt: skip
    assert (result.stdout, result.stderr) == ("A2\n", "new institution: Ministry of Justce\n")


def test_on_a_terminal_the_user_is_asked_whether_a_theme_is_new(cli, named, terminal) -> None:
    question = (
        "'compenstion' looks like the theme 'compensation'. "
        "Record 'compenstion' as a new theme? [y/N]: "
    )
    args = ["add", "-b", "CEDAW", "-t", "Second.", "--theme", "compenstion"]
    before = cli.state()
    result = cli(*args, input="n\n")
    assert result.exit_code == 2
    assert result.stdout == question + "n\n"
    assert cli.state() == before
    result = cli(*args, input="y\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == question + "y\nCEDAW-0002\n"
    assert result.stderr == "new theme: compenstion\n"


def test_an_import_with_a_misspelt_theme_lists_it_with_its_cell(cli, named, tmp_path: Path) -> None:
    exported = tmp_path / "meeting.xlsx"
    cli.ok("export", exported)
    wb = load_workbook(exported)
    ws = wb["Recommendations"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Themes") + 1).value = "compensation; compensatoin"
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    cell = place(filled, named, "Themes")
    result = cli.refused(["import", filled], 1)
    assert result.stderr == (
        f"{cell}: 'compensatoin' is not a theme on record; did you mean 'compensation'? "
        "(add --new-theme to record 'compensatoin' as a new theme)\n"
        "1 problem: nothing imported\n"
    )
    result = cli("import", filled, "--new-theme")
    assert result.exit_code == 0, result.output
    assert result.stderr == "new theme: compensatoin\n"
    assert cli.json("list")[0]["themes"] == ["compensation", "compensatoin"]


def test_theme_list_and_institution_list_count_their_uses(cli, named) -> None:
    cli.add("-b", "UPR", "-t", "Other.", "--theme", "compensation", "--theme", "legal aid")
    action(cli, "Decree", "-i", "Ministry of Justice")
    action(cli, "Plan", "-i", "Government of Serbia")
    assert cli.json("theme", "list") == [
        {"name": "compensation", "recommendations": 2, "actions": 0},
        {"name": "legal aid", "recommendations": 1, "actions": 0},
    ]
    assert cli.ok("theme", "list") == "name\trecommendations\ncompensation\t2\nlegal aid\t1\n"
    assert cli.ok("institution", "list") == (
        "name\trecommendations\tactions\nGovernment of Serbia\t0\t1\nMinistry of Justice\t1\t1\n"
    )


def test_theme_rename_renames_and_merges(cli, named) -> None:
    both = cli.add(
        "-b", "UPR", "-t", "Both.", "--theme", "compensation", "--theme", "compenstion",
        "--new-theme",
    )  # fmt: skip
    one = cli.add("-b", "UPR", "-t", "One.", "--theme", "compenstion")
    assert cli.ok("theme", "rename", "compenstion", "compensation") == (
        "theme 'compenstion' merged into 'compensation'\n"
    )
    themes = {r["key"]: r["themes"] for r in cli.json("list")}
    assert themes == {named: ["compensation"], both: ["compensation"], one: ["compensation"]}
    assert cli.json("theme", "list") == [
        {"name": "compensation", "recommendations": 3, "actions": 0}
    ]
    assert cli.ok("theme", "rename", "Compensation", "State compensation") == (
        "theme 'compensation' renamed 'State compensation'\n"
    )
    assert {r["name"] for r in cli.json("theme", "list")} == {"State compensation"}
    cli.refused(["theme", "rename", "compensation", "x"], 2, "no theme 'compensation'")


def test_institution_rename_merges_and_moves_the_actions(cli, named) -> None:
    law = action(cli, "Law", "-i", "Ministry of Justce", "--new-institution")
    other = cli.add("-b", "UPR", "-t", "Other.", "-i", "Ministry of Justce")
    assert cli.ok("institution", "rename", "Ministry of Justce", "Ministry of Justice") == (
        "institution 'Ministry of Justce' merged into 'Ministry of Justice'\n"
    )
    assert cli.json("action", "show", law)["institution"] == "Ministry of Justice"
    assert {r["key"]: r["institutions"] for r in cli.json("list")} == {
        named: ["Ministry of Justice"],
        other: ["Ministry of Justice"],
    }
    assert cli.json("institution", "list") == [
        {"name": "Ministry of Justice", "recommendations": 2, "actions": 1}
    ]


# --- 8. evidence files: relative paths, check and accept ---------------------------------


@pytest.fixture
def files(cli, empty, home: Path) -> dict[str, Path]:
    """Two evidence files in the database's folder (E1, E2), and a meeting with neither
    (E3), each linked to one recommendation."""
    key = cli.add("-b", "CEDAW", "-t", "Adopt a law.", "--date", "2019")
    folder = home / "files"
    folder.mkdir()
    paths = {"E1": folder / "a.pdf", "E2": folder / "b.pdf"}
    for ident, path in paths.items():
        path.write_bytes(f"content of {ident}\n".encode())
        assert cli.ok("evidence", "add", "--title", ident, "--kind", "document", "--file",
                      path, "-r", key).strip() == ident  # fmt: skip
    assert evidence(cli, "Call with the ministry", "-r", key) == "E3"
    return paths


def test_a_file_in_the_database_folder_is_kept_by_a_relative_path(
    cli, files, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # elsewhere than the database's folder
    shown = cli.json("evidence", "show", "E1")
    assert shown["file"] == "files/a.pdf"
    assert shown["sha256"] == hashlib.sha256(b"content of E1\n").hexdigest()
    assert shown["file_state"] == "unchanged"
    meeting = cli.json("evidence", "show", "E3")
    assert (meeting["url"], meeting["file"], meeting["file_state"]) == (None, None, None)


def test_evidence_check_when_all_is_well(cli, files) -> None:
    result = cli("evidence", "check", "--format", "table")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "All 2 evidence files are as recorded.\n"


def test_evidence_check_of_one_file_reads_well(cli, recs, home: Path) -> None:
    home.joinpath("one.pdf").write_bytes(b"one\n")
    evidence(cli, "One", "--file", home / "one.pdf")
    result = cli("evidence", "check", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "as recorded" in result.stderr
    assert "file are" not in result.stderr


def test_evidence_check_lists_changed_and_missing_files(cli, files) -> None:
    files["E1"].write_bytes(b"content of E1, changed\n")
    files["E2"].unlink()
    result = cli("evidence", "check")
    assert result.exit_code == 1
    rows = [line.split("\t")[:4] for line in result.stdout.splitlines()]
    assert rows == [
        ["id", "state", "file", "title"],
        ["E1", "changed", "files/a.pdf", "E1"],
        ["E2", "missing", "files/b.pdf", "E2"],
    ]
    assert "`rectrack evidence accept ID`" in result.stderr
    as_json = cli("evidence", "check", "--format", "json")
    assert as_json.exit_code == 1
    found = json.loads(as_json.stdout)
    assert [(f["id"], f["size"], f["sha256"]) for f in found] == [
        ("E1", 23, hashlib.sha256(b"content of E1, changed\n").hexdigest()),
        ("E2", None, None),
    ]


def test_evidence_accept_records_the_new_fingerprint(cli, files, home: Path) -> None:
    (home / "config.toml").write_text('[user]\nname = "Ana"\n', encoding="utf-8")
    files["E1"].write_bytes(b"content of E1, changed\n")
    cli.refused(["evidence", "accept", "E2"], 1, "E2: the file is as recorded; there is nothing")
    cli.refused(["evidence", "accept", "E3"], 2, "E3 has no file to accept")
    result = cli("evidence", "accept", "E1")
    assert result.exit_code == 0, result.output
    assert result.stdout == "E1: the change to files/a.pdf is accepted (14 bytes -> 23 bytes)\n"
    assert cli("evidence", "check").exit_code == 0
    assert cli.json("evidence", "show", "E1")["file_state"] == "unchanged"
    accepted = [e for e in cli.json("history", "CEDAW-2019-0001")["events"] if e["id"] == "E1"]
    sha = hashlib.sha256(b"content of E1, changed\n").hexdigest()
    assert [(e["date"], e["type"], e["what"], e["detail"], e["by"]) for e in accepted] == [
        (
            TODAY,
            "evidence",
            "E1 [file change accepted]",
            f"now 23 bytes, SHA-256 {sha[:12]}…",
            "Ana",
        ),
        (None, "evidence", "E1 [document]", "files/a.pdf", None),
    ]
    cli.refused(["evidence", "accept", "E1"], 1, "nothing to accept")
    files["E2"].unlink()
    cli.refused(["evidence", "accept", "E2"], 1, "E2: the file files/b.pdf is missing")
