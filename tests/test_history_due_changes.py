"""rectrack history, due and changes; and the tracking part of the sample data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers import keys_of

TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def action(run, title: str, *extra: str) -> str:
    return run.ok("action", "add", "--title", title, "--kind", "law", *extra).strip()


def evidence(run, title: str, *extra: str) -> str:
    return run.ok(
        "evidence",
        "add",
        "--title",
        title,
        "--kind",
        "web",
        "--url",
        f"https://example.org/{title.replace(' ', '-')}",
        *extra,
    ).strip()


# --- history ----------------------------------------------------------------------------


@pytest.fixture
def story(run) -> str:
    """One recommendation with assessments, an action and evidence reached three ways."""
    key = run.add("-b", "GRETA", "-t", "Set up a compensation fund.", "--date", "2018")
    other = run.add("-b", "GRETA", "-t", "Train judges.", "--date", "2018")
    run.ok("assess", key, "--status", "partial", "--date", "2023-06-01", "--note", "Some")
    run.ok("assess", key, "--status", "not_implemented", "--date", "2019-05-05")
    action(run, "Compensation law", "--date", "2021-01-01", "--rec", key)  # A1
    action(run, "Unrelated law", "--date", "2021-02-02", "--rec", other)  # A2
    evidence(run, "Direct", "--date", "2020-01-01", "--rec", key)  # E1
    evidence(run, "Via action", "--date", "2022-01-01", "--action", "A1")  # E2
    evidence(run, "Cited", "--date", "2023-01-01")  # E3
    evidence(run, "Elsewhere", "--date", "2022-06-06", "--rec", other, "--action", "A2")  # E4
    run.ok("assess", key, "--status", "in_progress", "--date", "2024-02-02", "-e", "E3")
    return key


def test_history_lists_everything_linked_in_date_order(run, story) -> None:
    action(run, "Undated decree", "--rec", story)  # A3, recorded last but undated
    tsv = run.ok("history", story)
    lines = tsv.splitlines()
    assert lines[0].split("\t") == [
        "date",
        "type",
        "id",
        "what",
        "detail",
        "evidence",
        "by",
        "withdrawn",
    ]
    got = [line.split("\t")[:3] for line in lines[1:]]
    # Assessments carry their ids (S1 was recorded first, dated 2023); undated items last.
    assert got == [
        ["2019-05-05", "assessment", "S2"],
        ["2020-01-01", "evidence", "E1"],
        ["2021-01-01", "action", "A1"],
        ["2022-01-01", "evidence", "E2"],
        ["2023-01-01", "evidence", "E3"],
        ["2023-06-01", "assessment", "S1"],
        ["2024-02-02", "assessment", "S3"],
        ["", "action", "A3"],
    ]
    assert "Not implemented (ngo)" in lines[1]
    assert "Compensation law [law]" in lines[3]
    assert [line.split("\t")[7] for line in lines[1:]] == [""] * 8  # nothing withdrawn


def test_history_json(run, story) -> None:
    data = run.json("history", story.lower())
    assert (data["key"], data["summary"]) == (story, "Set up a compensation fund.")
    events = data["events"]
    assert [(e["date"], e["type"]) for e in events][:2] == [
        ("2019-05-05", "assessment"),
        ("2020-01-01", "evidence"),
    ]
    assert [e["id"] for e in events if e["type"] != "assessment"] == ["E1", "A1", "E2", "E3"]
    assert [e["id"] for e in events if e["type"] == "assessment"] == ["S2", "S1", "S3"]
    assert [e["withdrawn"] for e in events] == [None] * len(events)
    assert [
        (e["status"], e["detail"], e["evidence"]) for e in events if e["type"] == "assessment"
    ] == [("not_implemented", None, []), ("partial", "Some", []), ("in_progress", None, ["E3"])]


def test_evidence_reached_several_ways_is_listed_once(run, story) -> None:
    run.ok("evidence", "link", "E2", "--rec", story)
    run.ok("assess", story, "--status", "partial", "--date", "2024-09-09", "-e", "E1", "-e", "E2")
    ids = [e["id"] for e in run.json("history", story)["events"] if e["type"] == "evidence"]
    assert ids == ["E1", "E2", "E3"]


def test_history_of_an_unknown_key(run, story) -> None:
    result = run("history", "GRETA-2018-001")
    assert result.exit_code == 1
    assert "no recommendation GRETA-2018-001" in result.stderr
    assert "closest keys: GRETA-2018-0001" in result.stderr


def test_history_of_a_recommendation_with_nothing_yet(run) -> None:
    key = run.add("-b", "UPR", "-t", "Nothing yet.")
    assert run.json("history", key)["events"] == []
    assert keys_of(run.ok("history", key)) == []


# --- due --------------------------------------------------------------------------------


@pytest.fixture
def follow_ups(run) -> dict[str, str]:
    keys = {
        "late": run.add("-b", "UPR", "-t", "Late.", "--due", day(-1)),
        "soon": run.add("-b", "UPR", "-t", "Soon.", "--due", day(10)),
        "far": run.add("-b", "UPR", "-t", "Far.", "--due", day(200)),
        "never": run.add("-b", "UPR", "-t", "No due date."),
        "done": run.add("-b", "UPR", "-t", "Done.", "--due", day(5)),
        "claimed": run.add("-b", "CEDAW", "-t", "Claimed.", "--due", day(20)),
    }
    run.ok("assess", keys["done"], "--status", "implemented")
    run.ok("assess", keys["claimed"], "--status", "implemented", "--by", "state")
    return keys


def due_keys(run, *args: str) -> list[str]:
    return [r["key"] for r in run.json("due", *args)]


def test_due_by_default_within_90_days_soonest_first(run, follow_ups) -> None:
    k = follow_ups
    assert due_keys(run) == [k["late"], k["soon"], k["claimed"]]
    tsv = run.ok("due")
    lines = {line.split("\t")[3]: line.split("\t") for line in tsv.splitlines()[1:]}
    assert lines[k["late"]][:3] == [day(-1), "overdue 1 day", "yes"]
    assert lines[k["soon"]][:3] == [day(10), "in 10 days", "no"]


def test_due_within_a_year(run, follow_ups) -> None:
    k = follow_ups
    assert due_keys(run, "--within", "1y") == [k["late"], k["soon"], k["claimed"], k["far"]]


def test_due_overdue_only(run, follow_ups) -> None:
    assert due_keys(run, "--overdue") == [follow_ups["late"]]


def test_due_by_body(run, follow_ups) -> None:
    assert due_keys(run, "--body", "CEDAW") == [follow_ups["claimed"]]


def test_due_bad_within(run, follow_ups) -> None:
    result = run("due", "--within", "3 months")
    assert result.exit_code == 2
    assert "'3 months' is not a duration" in result.stderr
    assert "30d, 6w, 6m, 1y" in result.stderr


# --- changes ----------------------------------------------------------------------------


@pytest.fixture
def news(run) -> dict[str, str]:
    k = {
        name: run.add("-b", "GRETA", "-t", f"{name.capitalize()} one.", "--date", "2018")
        for name in ("first", "second", "quiet")
    }
    run.ok("assess", k["first"], "--status", "not_implemented", "--date", "2023-01-01")
    run.ok("assess", k["first"], "--status", "partial", "--date", "2024-05-01")
    action(run, "New law", "--date", "2024-04-01", "--rec", k["first"])
    action(run, "Old law", "--date", "2022", "--rec", k["second"])
    evidence(run, "March report", "--date", "2024-03", "--rec", k["second"])
    evidence(run, "February report", "--date", "2024-02", "--rec", k["quiet"])
    run.ok("assess", k["quiet"], "--status", "partial", "--date", "2024-03-14")
    return k


def test_changes_since_a_date_grouped_by_recommendation(run, news) -> None:
    # Everything in `news` was recorded today: --dated selects by the items' own dates.
    found = run.json("changes", "--since", "2024-03-01", "--dated")
    assert (found["since"], found["selected_by"]) == ("2024-03-01", "date")
    groups = found["recommendations"]
    assert [g["key"] for g in groups] == [news["first"], news["second"], news["quiet"]]
    assert groups[0]["summary"] == "First one."
    assert [(e["date"], e["type"]) for e in groups[0]["events"]] == [
        ("2024-04-01", "action"),
        ("2024-05-01", "assessment"),
    ]
    # "2024-03" is read as 1 March: dated since 1 March, not since 15 March.
    assert [(e["date"], e["type"], e["what"]) for e in groups[1]["events"]] == [
        ("2024-03", "evidence", "March report [web]")
    ]
    assert [(e["date"], e["type"]) for e in groups[2]["events"]] == [("2024-03-14", "assessment")]
    assert found["transitions"] == [
        {
            "key": news["first"],
            "perspective": "ngo",
            "before": "not_implemented",
            "after": "partial",
            "date": "2024-05-01",
        },
        {
            "key": news["quiet"],
            "perspective": "ngo",
            "before": "unknown",
            "after": "partial",
            "date": "2024-03-14",
        },
    ]
    later = run.json("changes", "--since", "2024-03-15", "--dated")["recommendations"]
    assert [g["key"] for g in later] == [news["first"]]

    tsv = run.ok("changes", "--since", "2024-03-15", "--dated")
    assert keys_of(tsv) == [news["first"], news["first"], news["first"]]
    assert [line.split("\t")[2] for line in tsv.splitlines()[1:]] == [
        "status",
        "action",
        "assessment",
    ]


def test_changes_by_body(run, news) -> None:
    run.add("-b", "UPR", "-t", "Other body.")
    other = keys_of(run.ok("list"))[-1]
    run.ok("assess", other, "--status", "partial", "--date", "2024-06-01")

    def changed(*filters: str) -> list[str]:
        found = run.json("changes", "--since", "2024-03-01", "--dated", *filters)
        return [g["key"] for g in found["recommendations"]]

    assert changed() == [news["first"], news["second"], news["quiet"], other]
    assert changed("--body", "UPR") == [other]


def test_an_undated_item_counts_by_when_it_was_recorded(run, news) -> None:
    action(run, "Undated law", "--rec", news["quiet"])
    groups = run.json("changes", "--since", day(-1), "--dated")["recommendations"]
    assert [(g["key"], [e["what"] for e in g["events"]]) for g in groups] == [
        (news["quiet"], ["Undated law [law]"])
    ]
    assert run.json("changes", "--since", day(2), "--dated")["recommendations"] == []


def test_nothing_new_is_an_empty_result(run, news) -> None:
    result = run("changes", "--since", day(1), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "since": day(1),
        "selected_by": "recorded",
        "transitions": [],
        "recommendations": [],
    }
    table = run("changes", "--since", day(1), "--format", "table")
    assert table.exit_code == 0
    assert table.stdout == ""
    assert table.stderr == f"Nothing recorded since {day(1)}.\n"
    dated = run("changes", "--since", "2030-01-01", "--dated", "--format", "table")
    assert dated.stderr == "Nothing dated since 2030-01-01.\n"


def test_changes_bad_since(run, news) -> None:
    result = run("changes", "--since", "15/03/2024")
    assert result.exit_code == 2
    assert "'15/03/2024' is not a date" in result.stderr


# --- the sample data --------------------------------------------------------------------


def test_sample_tracking_data_and_loading_it_twice(run, sample) -> None:
    compare = run.json("status", "--compare")["recommendations"]
    assert any(r["state_claims_more"] for r in compare)

    history = run.json("history", "EU-2015-0003")["events"]
    perspectives = {e["perspective"] for e in history if e["type"] == "assessment"}
    assert {"ngo", "state"} <= perspectives

    # The sample's assessments were recorded in the past; the latest are dated 2025.
    dated = run.json("changes", "--since", "2025-01-01", "--dated")
    assert dated["recommendations"] != []
    assert dated["transitions"] != []

    reports = {by: run.json("status", "--by", by) for by in ("ngo", "state", "body")}
    keys = [r["key"] for r in reports["ngo"]["recommendations"]]
    lengths = {k: len(run.json("history", k)["events"]) for k in keys}
    assert sum(lengths.values()) > 0

    again = run("init", "--sample")
    assert again.exit_code == 0, again.output
    assert {by: run.json("status", "--by", by) for by in ("ngo", "state", "body")} == reports
    assert {k: len(run.json("history", k)["events"]) for k in keys} == lengths
