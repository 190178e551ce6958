"""rectrack assess and rectrack status: recording assessments, and the status at a date."""

from __future__ import annotations

import datetime as dt
import re

import pytest

STATUSES = [
    "regressed",
    "not_implemented",
    "in_progress",
    "partial",
    "implemented",
    "not_applicable",
    "unknown",
]
TODAY = dt.date.today().isoformat()


def assess(run, *args: str) -> str:
    return run.ok("assess", *args)


def report(run, *args: str) -> dict:
    return run.json("status", *args)


def statuses(run, *args: str) -> dict[str, str]:
    return {r["key"]: r["status"] for r in report(run, *args)["recommendations"]}


def row(run, key: str, *args: str) -> dict:
    return next(r for r in report(run, *args)["recommendations"] if r["key"] == key)


def history_len(run, key: str) -> int:
    return len(run.json("history", key)["events"])


@pytest.fixture
def keys(run, recs) -> list[str]:
    """The shared two (CEDAW-2019-10, TIP-2021-0001) and EU-2015-0001."""
    return [*recs, run.add("-b", "EU", "-t", "Fund shelters.", "--date", "2015")]


# --- assess -----------------------------------------------------------------------------


def test_assess_prints_a_line_per_key_with_today_and_ngo_by_default(run, keys) -> None:
    out = assess(run, keys[0], keys[1], "--status", "partial")
    assert out.splitlines() == [
        f"{keys[0]}: Partial (ngo, {TODAY})",
        f"{keys[1]}: Partial (ngo, {TODAY})",
    ]
    assert statuses(run) == {keys[0]: "partial", keys[1]: "partial", keys[2]: "unknown"}
    assert row(run, keys[0])["status_date"] == TODAY


def test_assess_with_date_and_perspective(run, keys) -> None:
    out = assess(
        run,
        keys[0],
        "--status",
        "in-progress",
        "--date",
        "March 2024",
        "--by",
        "state",
        "--note",
        "Bill drafted",
    )
    assert out == f"{keys[0]}: In progress (state, 2024-03)\n"
    assert statuses(run, "--by", "state")[keys[0]] == "in_progress"
    assert statuses(run)[keys[0]] == "unknown"


def test_one_unknown_key_records_nothing(run, keys) -> None:
    run.refused(
        ["assess", keys[0], "CEDAW-2019-11", "--status", "partial"],
        1,
        "no recommendation CEDAW-2019-11",
    )
    assert statuses(run)[keys[0]] == "unknown"
    assert history_len(run, keys[0]) == 0


def test_unknown_status_is_refused_with_a_suggestion(run, keys) -> None:
    run.refused(
        ["assess", keys[0], "--status", "partal"],
        2,
        "'partal' is not a status",
        "did you mean 'partial'?",
    )


def test_status_unknown_needs_a_grade(run, keys) -> None:
    run.refused(["assess", keys[0], "--status", "unknown"], 2, "'unknown' is not a status")


def test_bad_perspective_is_refused(run, keys) -> None:
    run.refused(
        ["assess", keys[0], "--status", "partial", "--by", "government"],
        2,
        "'government' is not a perspective",
        "ngo, state, body",
    )


def test_missing_status_is_refused(run, keys) -> None:
    run.refused(["assess", keys[0]], 2, "missing --status")


def test_bad_date_is_refused(run, keys) -> None:
    run.refused(
        ["assess", keys[0], "--status", "partial", "--date", "31/12/2023"], 2, "is not a date"
    )


def test_unknown_evidence_records_nothing(run, keys) -> None:
    run.refused(["assess", keys[0], "--status", "partial", "--evidence", "E3"], 1, "no evidence E3")


def test_evidence_is_cited_by_the_assessment(run, keys) -> None:
    run.ok("evidence", "add", "--title", "Report", "--kind", "web", "--url", "u")
    assess(run, keys[0], keys[1], "--status", "partial", "-e", "E1")
    assert run.json("evidence", "show", "E1")["assessments"] == 2
    events = run.json("history", keys[0])["events"]
    assert [e["evidence"] for e in events if e["type"] == "assessment"] == [["E1"]]


def test_treaty_body_grade_maps_to_a_status_and_is_kept_as_given(run, keys) -> None:
    out = assess(run, keys[0], "--grade", "B", "--by", "body", "--date", "2021")
    assert out == f"{keys[0]}: Partial (body, 2021, grade B)\n"
    got = row(run, keys[0], "--by", "body")
    assert (got["status"], got["grade"]) == ("partial", "B")
    assert statuses(run)[keys[0]] == "unknown"  # the body's grade is not the NGO's view


@pytest.mark.parametrize(
    ("grade", "status"),
    [("A", "implemented"), ("C", "not_implemented"), ("D", "unknown"), ("E", "regressed")],
)
def test_other_treaty_body_grades(run, keys, grade, status) -> None:
    assess(run, keys[0], "--grade", grade, "--by", "body")
    assert row(run, keys[0], "--by", "body")["status"] == status


def test_tip_tier_and_eu_progress_words(run, keys) -> None:
    assess(run, keys[1], "--grade", "Tier 2 Watch List", "--by", "body")
    assess(run, keys[2], "--grade", "some progress", "--by", "body")
    got = report(run, "--by", "body")["recommendations"]
    assert {r["key"]: (r["status"], r["grade"]) for r in got} == {
        keys[0]: ("unknown", None),
        keys[1]: ("in_progress", "Tier 2 Watch List"),
        keys[2]: ("in_progress", "some progress"),
    }


def test_a_grade_off_the_scale_needs_a_status(run, keys) -> None:
    run.refused(
        ["assess", keys[0], "--grade", "F", "--by", "body"],
        2,
        "'F' is not a grade of the treaty-body follow-up grades",
        "A, B, C, D, E",
        "--status",
    )
    assess(run, keys[0], "--grade", "F", "--status", "not_implemented", "--by", "body")
    got = row(run, keys[0], "--by", "body")
    assert (got["status"], got["grade"]) == ("not_implemented", "F")


def test_a_grade_one_key_cannot_read_records_nothing(run, keys) -> None:
    upr = run.add("-b", "UPR", "-t", "No grading scale.")
    run.refused(
        ["assess", keys[0], upr, "--grade", "B", "--by", "body"],
        2,
        "UPR has no grading scale to read 'B' from",
    )
    assert row(run, keys[0], "--by", "body")["status"] == "unknown"


def test_recorded_by_comes_from_config(run, keys, home) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[user]\nname = "Jelena Petrović"\n', encoding="utf-8")
    assess(run, keys[0], "--status", "partial")
    (event,) = run.json("history", keys[0])["events"]
    assert event["by"] == "Jelena Petrović"


def test_recorded_by_is_the_login_name_without_config(run, keys, monkeypatch) -> None:
    monkeypatch.setenv("LOGNAME", "mira")
    assess(run, keys[0], "--status", "partial")
    (event,) = run.json("history", keys[0])["events"]
    assert event["by"] == "mira"


def test_assessments_are_never_overwritten(run, keys) -> None:
    assess(run, keys[0], "--status", "partial", "--date", "2023-05-01", "--note", "First")
    assess(run, keys[0], "--status", "implemented", "--date", "2023-05-01", "--note", "Second")
    events = run.json("history", keys[0])["events"]
    assert [(e["status"], e["detail"]) for e in events] == [
        ("partial", "First"),
        ("implemented", "Second"),
    ]


# --- status at a date -------------------------------------------------------------------


@pytest.fixture
def timeline(run, keys) -> str:
    """keys[0] assessed by the NGO on three dates, recorded out of date order."""
    assess(run, keys[0], "--status", "partial", "--date", "2022-06-01")
    assess(run, keys[0], "--status", "implemented", "--date", "2024-03-15")
    assess(run, keys[0], "--status", "not_implemented", "--date", "2020-01-10")
    return keys[0]


@pytest.mark.parametrize(
    ("as_of", "status", "since"),
    [
        ("2020-01-09", "unknown", None),
        ("2020-01-10", "not_implemented", "2020-01-10"),
        ("2022-05-31", "not_implemented", "2020-01-10"),
        ("2022-06-01", "partial", "2022-06-01"),
        ("2023", "partial", "2022-06-01"),
        ("today", "implemented", "2024-03-15"),
    ],
)
def test_status_as_of(run, timeline, as_of, status, since) -> None:
    got = row(run, timeline, "--as-of", as_of)
    assert (got["status"], got["status_date"]) == (status, since)


def test_as_of_a_year_is_its_last_day_and_default_is_today(run, timeline) -> None:
    assert report(run, "--as-of", "2023")["as_of"] == "2023-12-31"
    assert report(run, "--as-of", "March 2022")["as_of"] == "2022-03-31"
    assert report(run)["as_of"] == TODAY
    assert row(run, timeline)["status"] == "implemented"


def test_same_date_the_later_recorded_wins(run, keys) -> None:
    assess(run, keys[0], "--status", "implemented", "--date", "2021-05-05")
    assess(run, keys[0], "--status", "not_implemented", "--date", "2021-05-05")
    assess(run, keys[1], "--status", "not_implemented", "--date", "2021-05-05")
    assess(run, keys[1], "--status", "implemented", "--date", "2021-05-05")
    got = statuses(run, "--as-of", "2021-05-05")
    assert (got[keys[0]], got[keys[1]]) == ("not_implemented", "implemented")


def test_perspectives_are_separate(run, timeline) -> None:
    assess(run, timeline, "--status", "regressed", "--date", "2023-01-01", "--by", "state")
    assert statuses(run, "--as-of", "2023")[timeline] == "partial"
    got = report(run, "--as-of", "2023", "--by", "state")
    assert got["perspective"] == "state"
    assert {r["key"]: r["status"] for r in got["recommendations"]}[timeline] == "regressed"


def test_json_report_shape_and_counts(run, keys, timeline) -> None:
    assess(run, keys[1], "--status", "regressed", "--date", "2021")  # the year it was made
    got = report(run, "--as-of", "2022-12-31")
    assert (got["as_of"], got["perspective"]) == ("2022-12-31", "ngo")
    assert got["counts"] == {
        "regressed": 1,
        "not_implemented": 0,
        "in_progress": 0,
        "partial": 1,
        "implemented": 0,
        "not_applicable": 0,
        "unknown": 1,
    }
    assert got["groups"] == []
    assert sorted(r["key"] for r in got["recommendations"]) == sorted(keys)
    for r in got["recommendations"]:
        assert {"key", "status", "status_date", "grade", "actions", "evidence", "due"} <= set(r)
    assert {r["key"]: r["status"] for r in got["recommendations"]}[keys[2]] == "unknown"


def test_action_and_evidence_counts_respect_as_of(run, keys) -> None:
    run.ok(
        "action",
        "add",
        "--title",
        "Old law",
        "--kind",
        "law",
        "--date",
        "2020-02-01",
        "--rec",
        keys[0],
    )
    run.ok(
        "action",
        "add",
        "--title",
        "New law",
        "--kind",
        "law",
        "--date",
        "2023-01-01",
        "--rec",
        keys[0],
    )
    run.ok(
        "evidence",
        "add",
        "--title",
        "Report",
        "--kind",
        "web",
        "--url",
        "u",
        "--date",
        "2023-06",
        "--rec",
        keys[0],
    )
    early = row(run, keys[0], "--as-of", "2022")
    assert (early["actions"], early["evidence"]) == (1, 0)
    late = row(run, keys[0], "--as-of", "2023")
    assert (late["actions"], late["evidence"]) == (2, 1)


def test_summary_json_has_counts_without_recommendations(run, timeline) -> None:
    got = report(run, "--summary")
    assert "recommendations" not in got
    assert got["counts"] == dict.fromkeys(STATUSES, 0) | {"implemented": 1, "unknown": 2}


def test_group_by_body(run, keys, timeline) -> None:
    run.add("-b", "CEDAW", "-t", "Second CEDAW one.", "-p", "11", "--date", "2019")
    groups = report(run, "--group-by", "body")["groups"]
    by_group = {g["group"]: (g["counts"], g["total"]) for g in groups}
    assert by_group == {
        "CEDAW": (dict.fromkeys(STATUSES, 0) | {"implemented": 1, "unknown": 1}, 2),
        "EU": (dict.fromkeys(STATUSES, 0) | {"unknown": 1}, 1),
        "TIP": (dict.fromkeys(STATUSES, 0) | {"unknown": 1}, 1),
    }


def test_group_by_theme_counts_each_theme_and_no_theme(run) -> None:
    a = run.add("-b", "UPR", "-t", "One.", "--theme", "shelters", "--theme", "children")
    b = run.add("-b", "UPR", "-t", "Two.", "--theme", "shelters")
    run.add("-b", "UPR", "-t", "Three.")
    assess(run, a, b, "--status", "partial")
    groups = {g["group"]: g for g in report(run, "--group-by", "theme")["groups"]}
    assert set(groups) == {"shelters", "children", "(no theme)"}
    assert (groups["shelters"]["counts"]["partial"], groups["shelters"]["total"]) == (2, 2)
    assert (groups["children"]["counts"]["partial"], groups["children"]["total"]) == (1, 1)
    assert (groups["(no theme)"]["counts"]["unknown"], groups["(no theme)"]["total"]) == (1, 1)


def test_bad_group_by_is_refused(run, keys) -> None:
    result = run("status", "--group-by", "colour")
    assert result.exit_code == 2
    assert "'colour' is not a grouping" in result.stderr
    assert "body, document, theme, institution, country" in result.stderr


def test_bad_perspective_for_status_is_refused(run, keys) -> None:
    result = run("status", "--by", "government")
    assert result.exit_code == 2
    assert "'government' is not a perspective" in result.stderr


def test_bad_as_of_is_refused(run, keys) -> None:
    result = run("status", "--as-of", "31/12/2023")
    assert result.exit_code == 2
    assert "'31/12/2023' is not a date" in result.stderr
    assert result.stdout == ""


def test_compare_flags_only_where_the_state_claims_more(run) -> None:
    pairs = {  # key text: (ngo, state)
        "more": ("partial", "implemented"),
        "same": ("partial", "partial"),
        "less": ("partial", "not_implemented"),
        "above regressed": ("regressed", "not_implemented"),
        "ngo unknown": (None, "implemented"),
        "state unknown": ("not_implemented", None),
    }
    key_of = {}
    for text, (ngo, state) in pairs.items():
        key_of[text] = run.add("-b", "UPR", "-t", f"About {text}.")
        if ngo:
            assess(run, key_of[text], "--status", ngo, "--date", "2022")
        if state:
            assess(run, key_of[text], "--status", state, "--date", "2023", "--by", "state")
    rows = {r["key"]: r for r in report(run, "--compare")["recommendations"]}
    flagged = {text for text, key in key_of.items() if rows[key]["state_claims_more"]}
    assert flagged == {"more", "above regressed"}
    more = rows[key_of["more"]]
    assert (more["ngo_status"], more["state_status"]) == ("partial", "implemented")

    tsv = run.ok("status", "--compare", "--format", "tsv").splitlines()
    header = tsv[0].split("\t")
    assert "state_claims_more" in header and "ngo_status" in header
    cells = {
        line.split("\t")[0]: dict(zip(header, line.split("\t"), strict=True)) for line in tsv[1:]
    }
    assert cells[key_of["more"]]["state_claims_more"] == "yes"
    assert cells[key_of["ngo unknown"]]["state_claims_more"] == "no"
    assert cells[key_of["ngo unknown"]]["ngo_status"] == "unknown"


def test_table_shows_labelled_counts_and_marks_overdue(run) -> None:
    late = run.add("-b", "UPR", "-t", "Late one.", "--due", "2020-06-30")
    done = run.add("-b", "UPR", "-t", "Done one.", "--due", "2020-06-30")
    run.add("-b", "UPR", "-t", "Future one.", "--due", "2049-01-01")
    assess(run, late, "--status", "not_implemented")
    assess(run, done, "--status", "implemented")
    out = run.ok("status", "--format", "table")
    assert f"Status on {TODAY}, NGO assessment: 3 recommendations" in out
    assert re.search(r"^Not implemented\s+1\b", out, re.MULTILINE)
    assert re.search(r"^Implemented\s+1\b", out, re.MULTILINE)
    assert re.search(r"^Unknown\s+1\b", out, re.MULTILINE)
    assert re.search(r"^Total\s+3\b", out, re.MULTILINE)
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("UPR-")}
    assert "2020-06-30!" in lines[late]
    assert "2020-06-30!" not in lines[done]  # implemented is never overdue
    assert "2049-01-01!" not in out


def test_on_a_terminal_status_is_a_table(run, keys, terminal) -> None:
    assess(run, keys[0], "--status", "partial")
    out = run.ok("status")
    assert re.search(r"^Partial\s+1\b", out, re.MULTILINE)
    assert re.search(r"^Unknown\s+2\b", out, re.MULTILINE)
    assert keys[0] in out


def test_filters(run) -> None:
    a = run.add("-b", "CEDAW", "-t", "One.", "--theme", "shelters", "--priority", "high")
    b = run.add("-b", "TIP", "-t", "Two.", "--theme", "shelters", "--priority", "low")
    c = run.add("-b", "TIP", "-t", "Three.", "--theme", "courts", "--priority", "high")
    assess(run, a, b, c, "--status", "partial")
    assert list(statuses(run, "--body", "TIP")) == [b, c]
    assert list(statuses(run, "--theme", "shelters")) == [a, b]
    assert list(statuses(run, "--priority", "high")) == [a, c]
    got = report(run, "--body", "TIP", "--priority", "high")
    assert [r["key"] for r in got["recommendations"]] == [c]
    assert got["counts"]["partial"] == 1
