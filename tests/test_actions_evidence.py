"""rectrack action and evidence: ids, options, links, files, filters and refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from helpers import keys_of

K1 = "CEDAW-2019-10"
K2 = "TIP-2021-0001"


def add_action(run, title: str = "Law on Free Legal Aid", *extra: str) -> str:
    return run.ok("action", "add", "--title", title, "--kind", "law", *extra).strip()


def add_web(run, title: str = "Report", *extra: str) -> str:
    return run.ok(
        "evidence",
        "add",
        "--title",
        title,
        "--kind",
        "web",
        "--url",
        "https://example.org/r",
        *extra,
    ).strip()


# --- actions ----------------------------------------------------------------------------


def test_action_add_prints_a1_then_a2(run, recs) -> None:
    result = run("action", "add", "--title", "First", "--kind", "law")
    assert result.exit_code == 0, result.output
    assert result.stdout == "A1\n"
    assert add_action(run, "Second") == "A2"
    assert keys_of(run.ok("action", "list")) == ["A1", "A2"]


def test_every_option_is_stored_and_shown(run, recs) -> None:
    ident = add_action(
        run,
        "Law on Free Legal Aid",
        "--date",
        "14 March 2024",
        "--institution",
        "Ministry of Justice",
        "--reference",
        "SG 87/2018",
        "--url",
        "https://example.org/law",
        "--description",
        "Covers victims.",
        "--rec",
        K1,
        "--rec",
        K2,
        "--note",
        "Welcomed by GRETA",
    )
    shown = run.json("action", "show", ident)
    assert shown["id"] == "A1"
    assert (shown["title"], shown["kind"], shown["date"]) == (
        "Law on Free Legal Aid",
        "law",
        "2024-03-14",
    )
    assert (shown["institution"], shown["reference"], shown["url"], shown["description"]) == (
        "Ministry of Justice",
        "SG 87/2018",
        "https://example.org/law",
        "Covers victims.",
    )
    assert shown["recommendations"] == [K1, K2]
    assert shown["link_notes"] == [f"{K1}: Welcomed by GRETA", f"{K2}: Welcomed by GRETA"]

    table = run.ok("action", "show", ident, "--format", "table")
    for text in (
        "Law on Free Legal Aid",
        "2024-03-14",
        "Ministry of Justice",
        "SG 87/2018",
        "https://example.org/law",
        "Covers victims.",
        K1,
        K2,
        "Welcomed by GRETA",
    ):
        assert text in table
    assert "Institution" in table and "Notes on links" in table


def test_action_list_filters_and_formats(run, recs) -> None:
    add_action(run, "Law", "--rec", K1, "--date", "2020")
    run.ok(
        "action",
        "add",
        "--title",
        "Strategy",
        "--kind",
        "strategy",
        "--rec",
        K2,
        "--date",
        "2019",
    )
    run.ok(
        "action",
        "add",
        "--title",
        "Training",
        "--kind",
        "training",
        "--rec",
        K1,
        "--date",
        "2021",
    )
    piped = run.ok("action", "list")
    assert piped.splitlines()[0].startswith("id\tdate\tkind\ttitle")
    assert keys_of(piped) == ["A2", "A1", "A3"]  # oldest first
    assert keys_of(run.ok("action", "list", "--rec", K1)) == ["A1", "A3"]
    assert keys_of(run.ok("action", "list", "--kind", "strategy")) == ["A2"]
    assert keys_of(run.ok("action", "list", "--rec", K1, "--kind", "training")) == ["A3"]
    rows = run.json("action", "list", "--rec", K2)
    assert [(r["id"], r["title"], r["recommendations"]) for r in rows] == [("A2", "Strategy", [K2])]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--rec", "CEDAW-2019-11"], 1, "no recommendation CEDAW-2019-11"),
        (["--kind", "lw"], 2, "did you mean 'law'?"),
    ],
)
def test_action_list_with_a_bad_filter_is_refused(run, recs, args, code, message) -> None:
    add_action(run, "Law", "--rec", K1)
    run.refused(["action", "list", *args], code, message)


def test_action_link_with_note_and_twice(run, recs) -> None:
    ident = add_action(run)
    result = run("action", "link", ident, K1, "--note", "Partly answers it")
    assert result.exit_code == 0, result.output
    assert "A1 linked to CEDAW-2019-10" in result.stdout
    shown = run.json("action", "show", ident)
    assert shown["recommendations"] == [K1]
    assert shown["link_notes"] == [f"{K1}: Partly answers it"]

    again = run("action", "link", ident, K1, K2)
    assert again.exit_code == 0, again.output
    assert "A1 linked to TIP-2021-0001" in again.stdout
    assert "A1 was already linked to CEDAW-2019-10" in again.stdout
    assert run.json("action", "show", ident)["recommendations"] == [K1, K2]


def test_action_unlink(run, recs) -> None:
    ident = add_action(run, "Law", "--rec", K1, "--rec", K2)
    result = run("action", "unlink", ident, K1)
    assert result.exit_code == 0, result.output
    assert "A1 no longer linked to CEDAW-2019-10" in result.stdout
    assert run.json("action", "show", ident)["recommendations"] == [K2]
    assert keys_of(run.ok("action", "list", "--rec", K1)) == []


def test_unlink_of_a_key_not_linked_is_refused_and_unlinks_nothing(run, recs) -> None:
    add_action(run, "Law", "--rec", K1)
    run.refused(["action", "unlink", "A1", K1, K2], 2, "A1 is not linked to TIP-2021-0001")
    assert run.json("action", "show", "A1")["recommendations"] == [K1]


def test_a_bad_kind_is_refused_listing_the_kinds(run, recs) -> None:
    stderr = run.refused(
        ["action", "add", "--title", "Law", "--kind", "lw"],
        2,
        "'lw' is not a kind of action",
        "did you mean 'law'?",
    ).stderr
    assert (
        "law, bylaw, strategy, action_plan, budget, institution, training, practice, other"
    ) in stderr


def test_an_unknown_recommendation_records_no_action(run, recs) -> None:
    run.refused(
        ["action", "add", "--title", "Law", "--kind", "law", "--rec", K1, "--rec", "CEDAW-2019-11"],
        1,
        "no recommendation CEDAW-2019-11",
    )
    assert keys_of(run.ok("action", "list")) == []


def test_linking_to_an_unknown_key_links_nothing(run, recs) -> None:
    add_action(run)
    run.refused(
        ["action", "link", "A1", K1, "CEDAW-2019-11"],
        1,
        "no recommendation CEDAW-2019-11",
        "closest keys: CEDAW-2019-10",
    )
    assert run.json("action", "show", "A1")["recommendations"] == []


@pytest.mark.parametrize(
    "args",
    [
        ["action", "show", "A9"],
        ["action", "link", "A9", K1],
        ["action", "unlink", "A9", K1],
    ],
)
def test_an_unknown_action_id_is_refused(run, recs, args) -> None:
    add_action(run)
    run.refused(args, 1, "no action A9")


@pytest.mark.parametrize("given", ["A3", "a3", "3"])
def test_action_ids_are_read_with_or_without_the_letter(run, recs, given) -> None:
    for title in ("One", "Two", "Three"):
        add_action(run, title)
    assert run.json("action", "show", given)["title"] == "Three"
    result = run("action", "link", given, K1)
    assert result.exit_code == 0, result.output
    assert "A3 linked to CEDAW-2019-10" in result.stdout


# --- evidence ---------------------------------------------------------------------------


def test_evidence_with_a_url(run, recs) -> None:
    ident = run.ok(
        "evidence",
        "add",
        "--title",
        "GRETA report",
        "--kind",
        "document",
        "--url",
        "https://example.org/greta",
        "--date",
        "2023-06-16",
        "--source",
        "Council of Europe",
        "--note",
        "No compensation fund.",
    ).strip()
    assert ident == "E1"
    shown = run.json("evidence", "show", ident)
    assert (shown["title"], shown["kind"], shown["date"], shown["source"], shown["note"]) == (
        "GRETA report",
        "document",
        "2023-06-16",
        "Council of Europe",
        "No compensation fund.",
    )
    assert shown["url"] == "https://example.org/greta"
    assert (shown["file"], shown["sha256"], shown["file_state"]) == (None, None, None)
    assert add_web(run, "Second") == "E2"


def test_evidence_file_is_fingerprinted_then_checked(
    run, recs, tmp_path: Path, monkeypatch
) -> None:
    content = b"%PDF-1.4 statistics of 2023\n" * 100
    (tmp_path / "stats.pdf").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    ident = run.ok(
        "evidence",
        "add",
        "--title",
        "Statistics",
        "--kind",
        "statistics",
        "--file",
        "stats.pdf",
    ).strip()
    shown = run.json("evidence", "show", ident)
    assert shown["file"] == str((tmp_path / "stats.pdf").resolve())
    assert shown["size"] == len(content)
    assert shown["sha256"] == hashlib.sha256(content).hexdigest()
    assert shown["file_state"] == "unchanged"

    (tmp_path / "stats.pdf").write_bytes(content.replace(b"2023", b"2024"))  # same size
    assert run.json("evidence", "show", ident)["file_state"] == "changed"
    (tmp_path / "stats.pdf").unlink()
    assert run.json("evidence", "show", ident)["file_state"] == "missing"
    assert "missing" in run.ok("evidence", "show", ident, "--format", "table")


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("https://example.org/r", "x.pdf"),
        ("https://example.org/r", None),
        (None, "x.pdf"),
        (None, None),
    ],
    ids=["url-and-file", "url", "file", "neither"],
)
def test_evidence_may_have_a_url_a_file_both_or_neither(
    run, recs, tmp_path: Path, url: str | None, file: str | None
) -> None:
    """Meeting notes have neither; a report kept online and on disk has both."""
    content = b"notes of the meeting\n"
    (tmp_path / "x.pdf").write_bytes(content)
    where = ["--url", url] if url else []
    where += ["--file", str(tmp_path / file)] if file else []
    ident = run.ok("evidence", "add", "--title", "T", "--kind", "meeting", *where).strip()
    assert ident == "E1"
    shown = run.json("evidence", "show", ident)
    assert shown["url"] == url
    if file:
        assert shown["file"] == str((tmp_path / file).resolve())
        assert shown["sha256"] == hashlib.sha256(content).hexdigest()
        assert (shown["size"], shown["file_state"]) == (len(content), "unchanged")
    else:
        assert (shown["file"], shown["size"], shown["sha256"]) == (None, None, None)
        assert shown["file_state"] is None


def test_a_missing_file_or_a_folder_is_refused(run, recs, tmp_path) -> None:
    missing = str(tmp_path / "nowhere.pdf")
    run.refused(
        ["evidence", "add", "--title", "T", "--kind", "document", "--file", missing],
        1,
        f"no file {missing}",
    )
    run.refused(
        ["evidence", "add", "--title", "T", "--kind", "document", "--file", str(tmp_path)],
        1,
        "it is a folder",
    )


def test_evidence_links_at_creation(run, recs) -> None:
    add_action(run)
    ident = add_web(run, "Report", "--rec", K1, "--action", "A1")
    shown = run.json("evidence", "show", ident)
    assert (shown["recommendations"], shown["actions"]) == ([K1], ["A1"])
    assert run.json("action", "show", "A1")["evidence"] == ["E1"]


def test_evidence_link(run, recs) -> None:
    add_action(run)
    ident = add_web(run)
    result = run("evidence", "link", ident, "--rec", K2, "--action", "A1")
    assert result.exit_code == 0, result.output
    assert "E1: 2 new links" in result.stdout
    shown = run.json("evidence", "show", ident)
    assert (shown["recommendations"], shown["actions"]) == ([K2], ["A1"])
    again = run("evidence", "link", ident, "--rec", K2)
    assert "E1: 0 new links" in again.stdout


def test_evidence_link_with_nothing_to_link_is_refused(run, recs) -> None:
    add_web(run)
    run.refused(["evidence", "link", "E1"], 2, "name what to link")


@pytest.mark.parametrize(
    "args",
    [
        ["evidence", "add", "--title", "T", "--kind", "web", "--url", "u", "--rec", "NOPE-1"],
        ["evidence", "add", "--title", "T", "--kind", "web", "--url", "u", "--action", "A7"],
        ["evidence", "link", "E1", "--rec", K1, "--rec", "NOPE-1"],
        ["evidence", "link", "E1", "--rec", K1, "--action", "A7"],
    ],
)
def test_evidence_naming_something_unknown_records_nothing(run, recs, args) -> None:
    add_web(run)
    run.refused(args, 1)
    assert run.json("evidence", "show", "E1")["recommendations"] == []


def test_evidence_bad_kind_is_refused(run, recs) -> None:
    run.refused(
        ["evidence", "add", "--title", "T", "--kind", "paper", "--url", "u"],
        2,
        "'paper' is not a kind of evidence",
        "court_decision",
    )


def test_evidence_list_filters(run, recs) -> None:
    add_web(run, "Web page", "--rec", K1, "--date", "2022")
    run.ok(
        "evidence",
        "add",
        "--title",
        "Ruling",
        "--kind",
        "court_decision",
        "--url",
        "u",
        "--rec",
        K1,
        "--rec",
        K2,
        "--date",
        "2021",
    )
    add_web(run, "Unlinked", "--date", "2023")
    assert keys_of(run.ok("evidence", "list")) == ["E2", "E1", "E3"]
    assert keys_of(run.ok("evidence", "list", "--rec", K1)) == ["E2", "E1"]
    assert keys_of(run.ok("evidence", "list", "--rec", K2)) == ["E2"]
    assert keys_of(run.ok("evidence", "list", "--kind", "web")) == ["E1", "E3"]
    assert [
        r["title"] for r in run.json("evidence", "list", "--rec", K1, "--kind", "court_decision")
    ] == ["Ruling"]


@pytest.mark.parametrize(
    "args", [["evidence", "show", "E4"], ["evidence", "link", "e4", "--rec", K1]]
)
def test_an_unknown_evidence_id_is_refused(run, recs, args) -> None:
    add_web(run)
    run.refused(args, 1, "no evidence E4")
