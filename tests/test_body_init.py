"""rectrack body list, body add, init and init --sample."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from helpers import keys_of
from rectrack.db import SCHEMA_VERSION

KINDS = ("treaty_body", "regional_monitoring", "peer_review", "bilateral", "eu", "other")
BUNDLED = {
    "CEDAW": ("UN Committee on the Elimination of Discrimination against Women", "treaty_body"),
    "GRETA": (
        "Council of Europe Group of Experts on Action against Trafficking in Human Beings",
        "regional_monitoring",
    ),
    "TIP": ("US Department of State, Trafficking in Persons Report", "bilateral"),
    "EU": ("European Commission, annual country report", "eu"),
    "UPR": ("UN Human Rights Council, Universal Periodic Review", "peer_review"),
    "CRC": ("UN Committee on the Rights of the Child", "treaty_body"),
    "CAT": ("UN Committee against Torture", "treaty_body"),
    "CCPR": ("UN Human Rights Committee", "treaty_body"),
    "CESCR": ("UN Committee on Economic, Social and Cultural Rights", "treaty_body"),
    "CERD": ("UN Committee on the Elimination of Racial Discrimination", "treaty_body"),
    "CRPD": ("UN Committee on the Rights of Persons with Disabilities", "treaty_body"),
}
SAMPLE_BODIES = {"CEDAW", "GRETA", "TIP", "EU", "UPR"}


def bodies(run) -> dict[str, dict[str, str]]:
    """`body list` as piped (TSV), by code."""
    result = run("body", "list")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    return {row["code"]: row for row in rows}


# --- body list --------------------------------------------------------------------------


def test_body_list_has_the_bundled_bodies_with_names_and_kinds(run) -> None:
    listed = bodies(run)
    for code, (name, kind) in BUNDLED.items():
        assert code in listed, code
        assert (listed[code]["name"], listed[code]["kind"]) == (name, kind)
        assert listed[code]["recommendations"] == "0"


def test_body_list_counts_recommendations(run) -> None:
    run.add("-b", "CEDAW", "-t", "One.")
    run.add("-b", "CEDAW", "-t", "Two.")
    run.add("-b", "upr", "-t", "Three.")
    counts = {code: row["recommendations"] for code, row in bodies(run).items()}
    assert (counts["CEDAW"], counts["UPR"], counts["GRETA"]) == ("2", "1", "0")


def test_body_list_as_a_table(run) -> None:
    result = run("body", "list", "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.split()[:1] == ["Code"] and "Name" in line and "Kind" in line for line in lines)
    cedaw = [line for line in lines if line.split()[:1] == ["CEDAW"]]
    assert len(cedaw) == 1
    assert re.search(rf"{re.escape(BUNDLED['CEDAW'][0])}\W+treaty_body\W+0\W*$", cedaw[0])


def test_body_list_as_json(run) -> None:
    result = run("body", "list", "-f", "json")
    rows = {r["code"]: r for r in json.loads(result.stdout)}
    assert rows["UPR"] == {
        "code": "UPR",
        "name": BUNDLED["UPR"][0],
        "kind": "peer_review",
        "recommendations": 0,
    }


# --- body add ---------------------------------------------------------------------------


def test_body_add_uppercases_the_code_and_the_body_can_then_be_used(run) -> None:
    result = run(
        "body",
        "add",
        "ecri",
        "--name",
        "European Commission against Racism",
        "--kind",
        "regional_monitoring",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "added body ECRI"
    assert bodies(run)["ECRI"] == {
        "code": "ECRI",
        "name": "European Commission against Racism",
        "kind": "regional_monitoring",
        "recommendations": "0",
    }
    assert run.add("-b", "Ecri", "-t", "Text.", "--date", "2020") == "ECRI-2020-0001"
    assert bodies(run)["ECRI"]["recommendations"] == "1"


def test_body_add_an_existing_code_is_refused(run) -> None:
    result = run("body", "add", "cedaw", "--name", "Another", "--kind", "other")
    assert result.exit_code == 1
    assert "body CEDAW already exists" in result.stderr
    assert bodies(run)["CEDAW"]["name"] == BUNDLED["CEDAW"][0]


def test_body_add_a_bad_kind_is_refused_listing_the_kinds(run) -> None:
    result = run("body", "add", "ECRI", "--name", "ECRI", "--kind", "council")
    assert result.exit_code == 2
    assert "'council' is not a body kind" in result.stderr
    assert f"valid values: {', '.join(KINDS)}" in result.stderr
    assert "ECRI" not in bodies(run)


@pytest.mark.parametrize("code", ["1ECRI", "EC-RI", "EC RI", "A" * 21, ""])
def test_body_add_a_bad_code_is_refused(run, code: str) -> None:
    before = bodies(run)
    result = run("body", "add", code, "--name", "Some body", "--kind", "other")
    assert result.exit_code == 2
    assert "is not a valid body code" in result.stderr
    assert bodies(run) == before


def test_body_add_an_empty_name_is_refused(run) -> None:
    result = run("body", "add", "ECRI", "--name", " ", "--kind", "other")
    assert result.exit_code == 2
    assert "a body needs a name" in result.stderr
    assert "ECRI" not in bodies(run)


# --- init -------------------------------------------------------------------------------


def test_init_prints_the_database_path_and_schema_version(run, home) -> None:
    result = run("init")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"database ready: {home / 'rectrack.db'} (schema version {SCHEMA_VERSION})"
    )
    assert (home / "rectrack.db").is_file()


def test_init_twice_changes_nothing(run, home) -> None:
    first = run("init")
    key = run.add("-b", "CEDAW", "-t", "Kept.")
    before_bodies, before_recs = bodies(run), run.json("list")
    second = run("init")
    assert second.exit_code == 0, second.output
    assert second.stdout == first.stdout
    assert bodies(run) == before_bodies
    assert [r["key"] for r in run.json("list")] == [key]
    assert run.json("list") == before_recs


# --- init --sample ----------------------------------------------------------------------
# The sample data files in data/sample/ were being written while these tests were; they
# state the behaviour described for the sample, not the files' exact contents.


def test_sample_has_at_least_30_recommendations_of_five_bodies_about_serbia(run, sample) -> None:
    rows = run.json("list")
    assert len(rows) >= 30
    assert SAMPLE_BODIES <= {r["body"] for r in rows}
    assert {r["country"] for r in rows} == {"Serbia"}
    assert len({r["key"] for r in rows}) == len(rows)


def test_sample_cedaw_recommendations_cite_the_fourth_periodic_report(run, sample) -> None:
    cedaw = [r for r in run.json("list") if r["body"] == "CEDAW"]
    assert cedaw
    assert {r["document"] for r in cedaw} == {"CEDAW/C/SRB/CO/4"}
    result = run("list", "--document", "CEDAW/C/SRB/CO/4")
    assert result.exit_code == 0
    assert sorted(keys_of(result.stdout)) == sorted(r["key"] for r in cedaw)


def test_sample_counts_show_in_body_list(run, sample) -> None:
    rows = run.json("list")
    listed = bodies(run)
    for code in SAMPLE_BODIES:
        assert int(listed[code]["recommendations"]) == sum(r["body"] == code for r in rows)


def test_init_sample_twice_adds_no_duplicates(run) -> None:
    first = run("init", "--sample")
    assert first.exit_code == 0, first.output
    m = re.search(r"sample data: (\d+) recommendations added, 0 already present", first.stdout)
    assert m, first.stdout
    added = int(m.group(1))
    rows = run.json("list")
    assert len(rows) == added

    second = run("init", "--sample")
    assert second.exit_code == 0, second.output
    assert (
        f"sample data: 0 recommendations added, {added} already present; 0 documents added"
    ) in second.stdout
    assert run.json("list") == rows


def test_init_sample_keeps_what_the_user_added(run) -> None:
    key = run.add("-b", "CAT", "-t", "Mine.")
    result = run("init", "--sample")
    assert result.exit_code == 0, result.output
    assert key in [r["key"] for r in run.json("list")]
