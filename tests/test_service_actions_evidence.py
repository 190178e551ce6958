"""rectrack.services.actions and .evidence on an in-memory database: recording, linking,
listing, and the fingerprint of an evidence file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session

from rectrack.errors import BadValue, NotFound
from rectrack.services.actions import (
    ActionInput,
    action_detail,
    add_action,
    link_action,
    list_actions,
    unlink_action,
)
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.evidence import (
    EvidenceInput,
    add_evidence,
    evidence_detail,
    file_state,
    link_evidence,
    list_evidence,
)
from rectrack.services.lookup import get_evidence
from rectrack.services.recommendations import RecInput, add_recommendation

LAW, TIP = "CEDAW-2019-10", "TIP-2021-0001"


def build_recs(db: Session) -> None:
    add_recommendation(db, RecInput("CEDAW", "Adopt a law.", paragraph="10", date="2019"))
    add_recommendation(db, RecInput("TIP", "Prosecute traffickers.", date="2021"))


@pytest.fixture
def recs(db_with: Callable[..., Session]) -> Session:
    """CEDAW-2019-10 and TIP-2021-0001."""
    return db_with(build_recs)


# --- actions ----------------------------------------------------------------------------------


def test_an_action_is_stored_as_normalised_and_linked(recs: Session) -> None:
    given = ActionInput(
        " Law on gender equality ",
        "LAW",
        date="May 2021",
        institution=" Ministry of  Justice ",
        reference=" RS 52/2021 ",
        url=" https://example.org/law ",
        description="  ",
    )
    assert add_action(recs, given, [LAW.lower(), LAW], note=" in force ") == "A1"
    row = action_detail(recs, "a1")
    assert {k: v for k, v in row.items() if k != "recorded_at"} == {
        "id": "A1",
        "title": "Law on gender equality",
        "kind": "law",
        "date": "2021-05",
        "institution": "Ministry of Justice",
        "reference": "RS 52/2021",
        "url": "https://example.org/law",
        "description": None,
        "recommendations": [LAW],
        "evidence": [],
        "link_notes": [f"{LAW}: in force"],
    }


def test_action_ids_count_up(recs: Session) -> None:
    ids = [add_action(recs, ActionInput(f"Action {n}", "other")) for n in range(3)]
    assert ids == ["A1", "A2", "A3"]


@pytest.mark.parametrize(
    ("given", "keys", "error", "message"),
    [
        (ActionInput(" ", "law"), [], BadValue, "an action needs a title (--title)"),
        (
            ActionInput("x", "statute"),
            [],
            BadValue,
            "'statute' is not a kind of action (did you mean 'strategy'?); valid values: law,",
        ),
        (ActionInput("x", "law", date="2019/03/04"), [], BadValue, "'2019/03/04' is not a date"),
        (
            ActionInput("x", "law"),
            [LAW, "CEDAW-2019-1"],
            NotFound,
            "no recommendation CEDAW-2019-1",
        ),
    ],
)
def test_a_bad_action_is_refused(
    recs: Session, given: ActionInput, keys: list[str], error: type, message: str
) -> None:
    with pytest.raises(error) as e:
        add_action(recs, given, keys)
    assert str(e.value).startswith(message)
    assert list_actions(recs) == []


def test_actions_are_listed_oldest_first_undated_last(recs: Session) -> None:
    add_action(recs, ActionInput("Later", "law", date="2021-05"), [LAW])
    add_action(recs, ActionInput("Earlier", "action plan", date="2020"), [LAW, TIP])
    add_action(recs, ActionInput("Undated", "other"), [TIP])
    assert [a["id"] for a in list_actions(recs)] == ["A2", "A1", "A3"]
    assert [a["id"] for a in list_actions(recs, recs=[LAW.lower()])] == ["A2", "A1"]
    assert [a["id"] for a in list_actions(recs, kinds=["Action-Plan"])] == ["A2"]
    assert [a["id"] for a in list_actions(recs, recs=[TIP], kinds=["other"])] == ["A3"]


def test_values_of_one_action_filter_are_alternatives(recs: Session) -> None:
    add_action(recs, ActionInput("Later", "law", date="2021-05"), [LAW])
    add_action(recs, ActionInput("Earlier", "action plan", date="2020"), [LAW, TIP])
    add_action(recs, ActionInput("Undated", "other"), [TIP])
    assert [a["id"] for a in list_actions(recs, kinds=["other", "law"])] == ["A1", "A3"]
    assert [a["id"] for a in list_actions(recs, recs=[LAW, TIP])] == ["A2", "A1", "A3"]
    with pytest.raises(BadValue, match="^'statute' is not a kind of action"):
        list_actions(recs, kinds=["law", "statute"])


def test_link_reports_new_and_existing_links_and_replaces_a_note(recs: Session) -> None:
    add_action(recs, ActionInput("Plan", "action_plan"), [LAW], note="first")
    assert link_action(recs, "A1", [TIP, LAW]) == ("A1", [TIP], [LAW])
    assert action_detail(recs, "A1")["link_notes"] == [f"{LAW}: first"]
    assert link_action(recs, "1", [LAW], note="second") == ("A1", [], [LAW])
    assert action_detail(recs, "A1")["link_notes"] == [f"{LAW}: second"]


def test_unlink(recs: Session) -> None:
    add_action(recs, ActionInput("Plan", "action_plan"), [LAW, TIP])
    assert unlink_action(recs, "a1", [LAW.lower()]) == ("A1", [LAW])
    assert action_detail(recs, "A1")["recommendations"] == [TIP]


def test_unlinking_a_key_not_linked_is_refused(recs: Session) -> None:
    add_action(recs, ActionInput("Plan", "action_plan"), [LAW])
    with pytest.raises(BadValue, match=f"^A1 is not linked to {TIP}$"):
        unlink_action(recs, "A1", [LAW, TIP])
    assert action_detail(recs, "A1")["recommendations"] == [LAW]


@pytest.mark.parametrize(
    ("ident", "error", "message"),
    [
        ("A9", NotFound, "no action A9"),
        ("9", NotFound, "no action A9"),
        ("E1", BadValue, "'E1' is not an action id (they look like A12)"),
    ],
)
def test_an_unknown_action(recs: Session, ident: str, error: type, message: str) -> None:
    add_action(recs, ActionInput("Plan", "action_plan"))
    for call in (lambda: action_detail(recs, ident), lambda: link_action(recs, ident, [LAW])):
        with pytest.raises(error) as e:
            call()
        assert str(e.value) == message


# --- evidence ---------------------------------------------------------------------------------


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF- shadow report")
    return path


def test_a_file_is_kept_by_path_size_and_sha256(recs: Session, report: Path) -> None:
    add_action(recs, ActionInput("Law", "law"))
    given = EvidenceInput("Shadow report", "Shadow Report", date="2022", file=str(report))
    assert add_evidence(recs, given, [LAW], ["a1"]) == "E1"
    row = evidence_detail(recs, "e1")
    assert (row["file"], row["size"], row["sha256"]) == (
        str(report.resolve()),
        19,
        hashlib.sha256(b"%PDF- shadow report").hexdigest(),
    )
    assert (row["kind"], row["date"], row["recommendations"], row["actions"]) == (
        "shadow_report",
        "2022",
        [LAW],
        ["A1"],
    )
    assert (row["file_state"], row["url"]) == ("unchanged", None)


def test_a_relative_file_is_kept_by_its_full_path(
    recs: Session, report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(report.parent)
    add_evidence(recs, EvidenceInput("Report", "document", file="report.pdf"))
    assert list_evidence(recs)[0]["file"] == str(report.resolve())


def test_file_state_notices_a_changed_or_missing_file(recs: Session, report: Path) -> None:
    add_evidence(recs, EvidenceInput("Report", "document", file=str(report)))
    evidence = get_evidence(recs, "E1")
    assert file_state(recs, evidence) == "unchanged"
    report.write_bytes(b"%PDF- shadow report, edited")
    assert file_state(recs, evidence) == "changed"
    report.write_bytes(b"%PDF- shadow report")
    assert file_state(recs, evidence) == "unchanged"
    report.unlink()
    assert file_state(recs, evidence) == "missing"
    assert evidence_detail(recs, "E1")["file_state"] == "missing"


def test_a_same_sized_change_is_noticed(recs: Session, report: Path) -> None:
    add_evidence(recs, EvidenceInput("Report", "document", file=str(report)))
    report.write_bytes(b"%PDF- shadow REPORT")
    assert file_state(recs, get_evidence(recs, "E1")) == "changed"


def test_a_web_page_has_no_file_state(recs: Session) -> None:
    add_evidence(recs, EvidenceInput("Page", "web", url=" https://example.org "), [TIP])
    row = evidence_detail(recs, "E1")
    assert (row["url"], row["file"], row["file_state"], row["assessments"]) == (
        "https://example.org",
        None,
        None,
        0,
    )


def test_a_fingerprint_given_by_a_data_set_is_kept_without_reading_the_file(
    recs: Session,
) -> None:
    sha = "AB" * 32
    given = EvidenceInput("Report", "document", file="/nowhere/report.pdf", size=7, sha256=sha)
    add_evidence(recs, given)
    row = evidence_detail(recs, "E1")
    assert (row["file"], row["size"], row["sha256"]) == ("/nowhere/report.pdf", 7, sha.lower())
    assert row["file_state"] == "missing"


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        (EvidenceInput(" ", "web", url="u"), BadValue, "evidence needs a title (--title)"),
        (EvidenceInput("x", "blog", url="u"), BadValue, "'blog' is not a kind of evidence; valid"),
        (
            EvidenceInput("x", "web", file="f", sha256="abc"),
            BadValue,
            "'abc' is not a SHA-256 (64 hexadecimal digits)",
        ),
    ],
)
def test_bad_evidence_is_refused(
    recs: Session, given: EvidenceInput, error: type, message: str
) -> None:
    with pytest.raises(error) as e:
        add_evidence(recs, given)
    assert str(e.value).startswith(message)
    assert list_evidence(recs) == []


def test_evidence_may_have_neither_url_nor_file(recs: Session) -> None:
    # Meeting notes, a phone call with a ministry, a hearing.
    assert add_evidence(recs, EvidenceInput("Call with the ministry", "other"), [LAW]) == "E1"
    row = evidence_detail(recs, "E1")
    assert (row["url"], row["file"], row["file_state"], row["recommendations"]) == (
        None,
        None,
        None,
        [LAW],
    )


def test_evidence_may_have_both_url_and_file(recs: Session, report: Path) -> None:
    given = EvidenceInput("Report", "shadow_report", url="https://example.org/r", file=str(report))
    add_evidence(recs, given)
    row = evidence_detail(recs, "E1")
    assert (row["url"], row["file"], row["file_state"]) == (
        "https://example.org/r",
        str(report.resolve()),
        "unchanged",
    )


def test_a_missing_file_or_a_folder_is_refused(recs: Session, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"^no file .*nope\.pdf$"):
        add_evidence(recs, EvidenceInput("x", "document", file=str(tmp_path / "nope.pdf")))
    with pytest.raises(NotFound, match=r"\(it is a folder\)$"):
        add_evidence(recs, EvidenceInput("x", "document", file=str(tmp_path)))


def test_link_evidence_counts_only_new_links(recs: Session) -> None:
    add_action(recs, ActionInput("Law", "law"))
    add_evidence(recs, EvidenceInput("Page", "web", url="https://example.org"), [LAW])
    assert link_evidence(recs, "E1", [LAW, TIP, TIP.lower()], ["A1"]) == ("E1", 2)
    assert link_evidence(recs, "1", [TIP], ["a1"]) == ("E1", 0)
    row = list_evidence(recs)[0]
    assert (row["recommendations"], row["actions"]) == ([LAW, TIP], ["A1"])


def test_link_evidence_needs_something_to_link(recs: Session) -> None:
    add_evidence(recs, EvidenceInput("Page", "web", url="https://example.org"))
    with pytest.raises(BadValue, match=r"^name what to link: --rec KEY or --action ID"):
        link_evidence(recs, "E1", [], [])


def test_evidence_detail_counts_the_assessments_citing_it(recs: Session) -> None:
    add_evidence(recs, EvidenceInput("Page", "web", url="https://example.org"))
    assess(recs, [LAW, TIP], AssessmentInput("partial", date="2022", evidence=["E1"]))
    assert evidence_detail(recs, "E1")["assessments"] == 2


def test_evidence_lists_by_date_recommendation_and_kind(recs: Session) -> None:
    add_evidence(recs, EvidenceInput("Later", "media", date="2023", url="u1"), [LAW])
    add_evidence(recs, EvidenceInput("Undated", "web", url="u2"), [TIP])
    add_evidence(recs, EvidenceInput("Earlier", "statistics", date="2022-12", url="u3"), [LAW])
    assert [e["id"] for e in list_evidence(recs)] == ["E3", "E1", "E2"]
    assert [e["id"] for e in list_evidence(recs, recs=[LAW])] == ["E3", "E1"]
    assert [e["id"] for e in list_evidence(recs, kinds=["Statistics"])] == ["E3"]
    assert [e["id"] for e in list_evidence(recs, kinds=["web", "media"])] == ["E1", "E2"]
    with pytest.raises(BadValue, match="^'blog' is not a kind of evidence"):
        list_evidence(recs, kinds=["blog"])
