"""show tells where a recommendation stands, beside what is recorded about it."""

from __future__ import annotations

import json


def test_show_gives_the_status_the_state_claim_and_the_links(run, sample) -> None:
    result = run("show", "GRETA-2023-0005", "--format", "table")
    assert result.exit_code == 0, result.output
    lines = {line.split("  ")[0]: line for line in result.stdout.splitlines()}
    # "since": the first of the unbroken run of the status (not implemented in 2023 and
    # again in 2025); the latest assessment is given when later.
    assert lines["Status (NGO)"].split() == (
        "Status (NGO) Not implemented, since 2023-06-16 (last assessed 2025-04-10)".split()
    )
    assert lines["State claims"].split() == "State claims In progress, since 2024-03".split()
    assert lines["Body's grade"].split() == ["Body's", "grade", "Unknown"]
    assert (
        "1 action, 2 pieces of evidence (see `rectrack history GRETA-2023-0005`)"
        in lines["Actions, evidence"]
    )
    assert "2025-06-16 (overdue)" in lines["Follow-up due"]


def test_show_json_has_the_status_fields(run, sample) -> None:
    data = json.loads(run("show", "EU-2015-0003", "--format", "json").stdout)
    assert (data["status"], data["status_date"], data["state_status"]) == (
        "regressed",
        "2024-06-24",
        "implemented",
    )
    assert data["due"] is None and data["overdue"] is False


def test_show_of_a_recommendation_never_assessed_says_unknown(run) -> None:
    assert run("add", "-b", "cedaw", "-t", "Ratify the protocol.").exit_code == 0
    result = run("show", "CEDAW-0001", "--format", "table")
    assert "Status (NGO)       Unknown" in result.stdout
    assert "0 actions, 0 pieces of evidence" in result.stdout


def test_status_of_an_empty_register_says_how_to_begin(run, terminal) -> None:
    result = run("status")
    assert result.exit_code == 0
    assert "No recommendations recorded yet" in result.stderr
    assert "rectrack init --sample" in result.stderr
