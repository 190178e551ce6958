"""rectrack cluster: recurring demands named by a person (add, rm, rename), listed with their
span and worst status, told as a story (show), proposed by `cluster suggest`; and the
--cluster filter and --group-by cluster of list, status and export."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func
from sqlmodel import Session, select

import relations_data as rd
from helpers import heading_rows, rec_filter, rows_by_key, sheet_name
from rectrack.errors import BadValue, Conflict, NotFound
from rectrack.models import Cluster, ClusterMember, Recommendation
from rectrack.services.clusters import (
    add_to_cluster,
    cluster_story,
    list_clusters,
    remove_cluster,
    remove_from_cluster,
    rename_cluster,
)
from rectrack.services.similarity import suggest, suggested_keys, suggestion_rows
from rectrack.shapes import RecFilter

FUND = ["GRETA-2014-0001", "EU-2015-0004", "EU-2018-0002", "CEDAW-2019-0004", "GRETA-2023-0005"]
NAME = "Victim compensation fund"


def clusters_in(session: Session) -> dict[str, list[str]]:
    """Each cluster's keys, read from the tables."""
    keys = rd.key_of(session)
    out: dict[str, list[str]] = {}
    for name, rec_id in session.exec(
        select(Cluster.name, ClusterMember.recommendation_id).join(
            ClusterMember, ClusterMember.cluster_id == Cluster.id, isouter=True
        )
    ):
        out.setdefault(name, [])
        if rec_id is not None:
            out[name].append(keys[rec_id])
    return {name: sorted(k) for name, k in out.items()}


def listed(session: Session, perspective: str = "ngo") -> dict[str, dict]:
    return {row["name"]: dict(row) for row in list_clusters(session, perspective)}


# --- add ---------------------------------------------------------------------------------------


def test_a_new_cluster_is_recorded_with_its_recommendations(sample_db: Session) -> None:
    name, created, added = add_to_cluster(sample_db, f"  {NAME} ", FUND, note="Since 2014")
    assert (name, created) == (NAME, True)
    assert sorted(added) == sorted(FUND)
    assert clusters_in(sample_db) == {NAME: sorted(FUND)}
    assert listed(sample_db)[NAME]["note"] == "Since 2014"


def test_adding_to_a_cluster_adds_only_what_it_lacks(sample_db: Session) -> None:
    add_to_cluster(sample_db, NAME, FUND[:2])
    name, created, added = add_to_cluster(
        sample_db, "victim  COMPENSATION fund", FUND[1:3], note="A State fund"
    )
    assert (name, created, added) == (NAME, False, [FUND[2]])
    assert clusters_in(sample_db) == {NAME: sorted(FUND[:3])}
    assert listed(sample_db)[NAME]["note"] == "A State fund"
    assert add_to_cluster(sample_db, NAME, FUND[:3]) == (NAME, False, [])


def test_a_name_like_one_on_record_is_refused_unless_new(sample_db: Session) -> None:
    add_to_cluster(sample_db, NAME, FUND)
    with pytest.raises(BadValue, match=f"did you mean '{NAME}'.*--new"):
        add_to_cluster(sample_db, "Victim compensaton fund", ["GRETA-2023-0004"])
    assert list(clusters_in(sample_db)) == [NAME]
    add_to_cluster(sample_db, "Victim compensaton fund", ["GRETA-2023-0004"], new=True)
    assert sorted(clusters_in(sample_db)) == [NAME, "Victim compensaton fund"]


def test_a_new_cluster_needs_recommendations(sample_db: Session) -> None:
    with pytest.raises(BadValue, match="name the recommendations"):
        add_to_cluster(sample_db, "Rapporteur", [])
    with pytest.raises(BadValue, match="needs a name"):
        add_to_cluster(sample_db, "   ", FUND)
    assert clusters_in(sample_db) == {}


def test_an_unknown_key_is_refused_and_nothing_is_written(sample_db: Session) -> None:
    with pytest.raises(NotFound, match="GRETA-2023-0050"):
        add_to_cluster(sample_db, NAME, [*FUND, "GRETA-2023-0050"])
    assert clusters_in(sample_db) == {}
    add_to_cluster(sample_db, NAME, FUND[:1])
    with pytest.raises(NotFound):
        add_to_cluster(sample_db, NAME, ["EU-2018-0002", "NOPE-1"], note="changed")
    assert clusters_in(sample_db) == {NAME: FUND[:1]}
    assert listed(sample_db)[NAME]["note"] is None


# --- rm and rename -----------------------------------------------------------------------------


def test_keys_are_taken_out_and_the_cluster_removed(sample_db: Session) -> None:
    add_to_cluster(sample_db, NAME, FUND)
    assert remove_from_cluster(sample_db, NAME.upper(), ["eu-2015-0004"]) == ["EU-2015-0004"]
    assert "EU-2015-0004" not in clusters_in(sample_db)[NAME]
    with pytest.raises(NotFound, match="not in cluster .*EU-2015-0004"):
        remove_from_cluster(sample_db, NAME, ["EU-2015-0004", "EU-2018-0002"])
    assert len(clusters_in(sample_db)[NAME]) == 4
    assert remove_cluster(sample_db, NAME) == (NAME, 4)
    assert clusters_in(sample_db) == {}
    members = sample_db.exec(select(func.count()).select_from(ClusterMember)).one()
    assert members == 0
    assert len(rd.key_of(sample_db)) == 38  # the recommendations stay


def test_an_unknown_cluster_is_refused_with_the_names_on_record(sample_db: Session) -> None:
    add_to_cluster(sample_db, NAME, FUND)
    with pytest.raises(NotFound, match=f"did you mean: {NAME}"):
        remove_cluster(sample_db, "Victim compensation")
    with pytest.raises(NotFound, match=f"clusters: {NAME}"):
        rename_cluster(sample_db, "Rapporteur", "National rapporteur")


def test_rename(sample_db: Session) -> None:
    add_to_cluster(sample_db, NAME, FUND)
    add_to_cluster(sample_db, "Rapporteur", ["EU-2015-0001"])
    assert rename_cluster(sample_db, "rapporteur", "National  rapporteur") == (
        "Rapporteur",
        "National rapporteur",
    )
    with pytest.raises(Conflict, match=f"there is a cluster '{NAME}' already"):
        rename_cluster(sample_db, "National rapporteur", NAME.lower())
    assert rename_cluster(sample_db, NAME, NAME.upper()) == (NAME, NAME.upper())
    assert clusters_in(sample_db) == {
        "National rapporteur": ["EU-2015-0001"],
        NAME.upper(): sorted(FUND),
    }


# --- list and show -----------------------------------------------------------------------------


def test_list_gives_bodies_years_size_and_worst_status(sample_db: Session) -> None:
    add_to_cluster(sample_db, NAME, FUND)
    add_to_cluster(sample_db, "Shelters", ["EU-2015-0003", "GRETA-2014-0004", "CEDAW-2019-0003"])
    add_to_cluster(sample_db, "Privacy", ["TIP-2021-0004"])
    rows = listed(sample_db)
    assert list(rows) == ["Privacy", "Shelters", NAME]
    fund = rows[NAME]
    assert fund["bodies"] == ["CEDAW", "EU", "GRETA"]
    assert (fund["first_year"], fund["latest_year"]) == ("2014", "2023")
    assert fund["recommendations"] == 5
    assert fund["worst_status"] == "not_implemented"  # CEDAW's unknown does not count
    assert rows["Shelters"]["worst_status"] == "regressed"
    assert rows["Privacy"]["first_year"] == rows["Privacy"]["latest_year"] == "2021"


def test_list_takes_the_perspective(sample_db: Session) -> None:
    add_to_cluster(sample_db, NAME, FUND)
    add_to_cluster(sample_db, "Shelters", ["EU-2015-0003", "GRETA-2014-0004"])
    state = listed(sample_db, "state")
    assert state[NAME]["worst_status"] == "in_progress"  # GRETA-2023-0005, by the state
    assert state["Shelters"]["worst_status"] == "implemented"
    assert listed(sample_db, "body")[NAME]["worst_status"] == "unknown"


def test_show_tells_the_story_in_time_order_undated_last(db_with: Callable) -> None:
    story = cluster_story(db_with(rd.build_story), "victim compensation FUND")
    assert story["name"] == NAME
    assert story["note"] == "A State fund, asked for since 2019"
    assert story["bodies"] == ["CAT", "CEDAW", "GRETA"]
    assert [r["key"] for r in story["recommendations"]] == [
        rd.FUND_CEDAW,  # 2019-03-14
        rd.FUND_GRETA,  # 2023-06-16
        rd.UNDATED,
    ]
    cedaw, greta, undated = story["recommendations"]
    assert (greta["ngo_status"], greta["ngo_date"]) == ("not_implemented", "2024-01")
    assert (greta["state_status"], greta["state_date"]) == ("implemented", "2024-03")
    assert greta["body_status"] == "unknown"
    assert (cedaw["ngo_status"], cedaw["ngo_date"]) == ("in_progress", "2024-02")
    assert story["worst_status"] == "not_implemented"
    programme = [a for a in greta["linked_actions"] if a["title"].startswith("Programme")]
    assert programme and programme[0]["reference"] == "Službeni glasnik RS 25/2024"
    assert [e["title"] for e in greta["linked_evidence"]] == ["Round table on the third round"]
    assert [e["title"] for e in undated["linked_evidence"]] == ["Shadow report 2018"]
    assert [link["text"] for link in greta["links"]] == [f"repeats {rd.FUND_CEDAW}"]
    assert [link["text"] for link in cedaw["links"]] == [f"is repeated by {rd.FUND_GRETA}"]


def test_show_of_an_unknown_cluster_is_refused(sample_db: Session) -> None:
    with pytest.raises(NotFound, match="none yet"):
        cluster_story(sample_db, NAME)


# --- suggest -------------------------------------------------------------------------------


def test_suggestions_are_numbered_and_scored(sample_db: Session) -> None:
    found = suggest(sample_db, RecFilter(), min_score=0.3)
    assert [s.number for s in found] == list(range(1, len(found) + 1))
    assert len(found) >= 3
    assert all(0.3 <= s.score <= 1 for s in found)
    keys = rd.key_of(sample_db)
    groups = [sorted(keys[i] for i in s.rec_ids) for s in found]
    assert sorted(FUND) in groups
    # each one is kept for `cluster add --suggestion N`
    for s, group in zip(found, groups, strict=True):
        assert sorted(suggested_keys(sample_db, s.number)) == group


def test_suggestions_span_documents(sample_db: Session) -> None:
    rows = suggestion_rows(sample_db, suggest(sample_db, RecFilter()))
    documents = {
        key: document
        for key, document in sample_db.exec(select(Recommendation.key, Recommendation.document_id))
    }
    for row in rows:
        assert len(row["keys"]) >= 2
        assert len({documents[k] for k in row["keys"]}) >= 2, row
        assert row["bodies"] == sorted({k.split("-")[0] for k in row["keys"]})
        assert [item["key"] for item in row["items"]] == row["keys"]


def test_a_lower_min_score_groups_more(sample_db: Session) -> None:
    def grouped(score: float) -> tuple[set[int], list[float]]:
        found = suggest(sample_db, RecFilter(), min_score=score, limit=100)
        return {i for s in found for i in s.rec_ids}, [s.score for s in found]

    loose, loose_scores = grouped(0.2)
    tight, tight_scores = grouped(0.45)
    assert tight and tight < loose
    assert min(tight_scores) >= 0.45 and min(loose_scores) >= 0.2
    assert suggest(sample_db, RecFilter(), min_score=1) == []


@pytest.mark.parametrize("score", [0, -0.1, 1.01, 3])
def test_min_score_out_of_bounds_is_refused(sample_db: Session, score: float) -> None:
    with pytest.raises(BadValue, match="--min-score must be more than 0 and at most 1"):
        suggest(sample_db, RecFilter(), min_score=score)


def test_suggest_takes_the_filters(sample_db: Session) -> None:
    keys = rd.key_of(sample_db)
    found = suggest(sample_db, rec_filter(bodies=("GRETA",)), min_score=0.2)
    assert found
    for s in found:
        assert all(keys[i].startswith("GRETA-") for i in s.rec_ids)
    bodies = ("CEDAW", "EU", "GRETA")
    chosen = suggest(sample_db, rec_filter(bodies=bodies), limit=100)
    assert chosen
    assert {keys[i].split("-")[0] for s in chosen for i in s.rec_ids} <= set(bodies)
    assert sorted(FUND) in [sorted(keys[i] for i in s.rec_ids) for s in chosen]


def test_a_recorded_cluster_is_left_out_but_a_larger_group_is_not(sample_db: Session) -> None:
    keys = rd.key_of(sample_db)

    def groups() -> list[set[str]]:
        return [{keys[i] for i in s.rec_ids} for s in suggest(sample_db, RecFilter())]

    add_to_cluster(sample_db, NAME, FUND[:3])
    assert set(FUND) in groups()  # the cluster holds only part of it
    add_to_cluster(sample_db, NAME, FUND)
    assert set(FUND) not in groups()


# --- the commands ------------------------------------------------------------------------------


def test_a_suggestion_is_accepted_by_its_number(cli, sample: Path) -> None:
    rows = cli.json("cluster", "suggest")
    (number,) = [r["number"] for r in rows if sorted(r["keys"]) == sorted(FUND)]
    out = cli.ok("cluster", "add", NAME, "--suggestion", str(number), "--note", "A State fund")
    assert out == f"cluster '{NAME}' recorded with 5 recommendations\n"
    assert sorted(r["key"] for r in cli.json("cluster", "show", NAME)) == sorted(FUND)
    assert sorted(FUND) not in [sorted(r["keys"]) for r in cli.json("cluster", "suggest")]
    (row,) = cli.json("cluster", "list")
    assert row["note"] == "A State fund"


def test_keys_and_a_suggestion_together(cli, sample: Path) -> None:
    rows = cli.json("cluster", "suggest")
    (number,) = [r["number"] for r in rows if sorted(r["keys"]) == sorted(FUND)]
    cli.ok("cluster", "add", NAME, "GRETA-2023-0004", "-s", str(number))
    assert sorted(r["key"] for r in cli.json("cluster", "show", NAME)) == sorted(
        [*FUND, "GRETA-2023-0004"]
    )


def test_suggest_on_a_terminal(cli, sample: Path, terminal) -> None:
    first = cli.json("cluster", "suggest")[0]
    out = cli.ok("cluster", "suggest")
    lines = out.splitlines()
    bodies = ", ".join(first["bodies"])
    assert lines[0] == (
        f"1. score {first['score']:.2f}: {len(first['keys'])} recommendations of {bodies}"
    )
    items = lines[1 : 1 + len(first["keys"])]
    assert [line.split()[0] for line in items] == first["keys"]
    assert all(line.startswith("   ") for line in items)
    assert re.match(r"^2\. score 0\.\d\d: \d+ recommendations of [A-Z]+", lines[len(items) + 1])
    assert lines[-1] == "Accept one with: rectrack cluster add NAME --suggestion N"


def test_nothing_to_suggest_says_so(cli, sample: Path, terminal) -> None:
    result = cli("cluster", "suggest", "--min-score", "1")
    assert result.exit_code == 0
    assert "No groups to suggest" in result.stderr


def test_add_to_an_existing_cluster_and_nothing_new(cli, sample: Path) -> None:
    cli.ok("cluster", "add", NAME, *FUND)
    out = cli.ok("cluster", "add", NAME.lower(), "GRETA-2023-0004", "GRETA-2023-0005")
    assert out == f"cluster '{NAME}': 1 recommendation added (GRETA-2023-0004)\n"
    out = cli.ok("cluster", "add", NAME, "GRETA-2023-0004")
    assert "nothing to add" in out


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["cluster", "add", "Victim compensaton fund", "GRETA-2023-0004"], 2, ["--new", NAME]),
        (["cluster", "add", "Rapporteur"], 2, ["name the recommendations"]),
        (["cluster", "add", "Rapporteur", "EU-2015-0001", "EU-2099-1"], 1, ["EU-2099-1"]),
        (["cluster", "add", NAME, "EU-2099-1", "--note", "x"], 1, ["EU-2099-1"]),
        (["cluster", "add", "Rapporteur", "--suggestion", "1"], 2, ["cluster suggest"]),
        (["cluster", "rm", NAME, "TIP-2021-0001"], 1, ["not in cluster", "TIP-2021-0001"]),
        (["cluster", "rm", "Victim compensation"], 1, [f"did you mean: {NAME}"]),
        (["cluster", "rm", NAME], 2, ["add --yes", "no terminal"]),
        (["cluster", "rename", NAME, "Shelters"], 1, ["there is a cluster 'Shelters'"]),
        (["cluster", "show", "Nope"], 1, ["no cluster 'Nope'"]),
        (["cluster", "suggest", "--min-score", "0"], 2, ["--min-score"]),
        (["cluster", "suggest", "--min-score", "1.5"], 2, ["--min-score"]),
        (["cluster", "suggest", "--limit", "0"], 2, ["--limit"]),
        (["list", "--cluster", "Nope"], 2, ["no cluster 'Nope'"]),
    ],
)
def test_refused(cli, sample: Path, args: list[str], code: int, fragments: list[str]) -> None:
    cli.ok("cluster", "add", NAME, *FUND)
    cli.ok("cluster", "add", "Shelters", "EU-2015-0003")
    cli.refused(args, code, *fragments)


def test_new_starts_a_cluster_whose_name_looks_like_one(cli, sample: Path) -> None:
    cli.ok("cluster", "add", NAME, *FUND)
    out = cli.ok("cluster", "add", "Victim compensation funds", "GRETA-2023-0004", "--new")
    assert out == "cluster 'Victim compensation funds' recorded with 1 recommendation\n"
    assert [r["name"] for r in cli.json("cluster", "list")] == [NAME, "Victim compensation funds"]


def test_rm_asks_on_a_terminal(cli, sample: Path, terminal) -> None:
    cli.ok("cluster", "add", NAME, *FUND)
    before = cli.state()
    result = cli("cluster", "rm", NAME, input="n\n")
    assert result.exit_code == 1
    assert f"Remove the cluster '{NAME}'?" in result.output
    assert cli.state() == before
    result = cli("cluster", "rm", NAME.lower(), input="y\n")
    assert result.exit_code == 0
    assert f"cluster '{NAME}' removed (5 recommendations stay recorded)" in result.output
    assert cli.json("cluster", "list") == []
    assert len(cli.json("list")) == 38


def test_rm_keys_and_yes(cli, sample: Path) -> None:
    cli.ok("cluster", "add", NAME, *FUND)
    out = cli.ok("cluster", "rm", NAME, "EU-2015-0004", "EU-2018-0002")
    assert out == f"cluster '{NAME}': EU-2015-0004, EU-2018-0002 taken out\n"
    assert cli.json("cluster", "list")[0]["recommendations"] == 3
    cli.ok("cluster", "rm", NAME, "--yes")
    assert cli.json("cluster", "list") == []


def test_rename_and_list(cli, sample: Path) -> None:
    cli.ok("cluster", "add", NAME, *FUND)
    cli.ok("cluster", "add", "Privacy", "TIP-2021-0004")
    assert cli.ok("cluster", "rename", NAME, "State compensation fund") == (
        f"cluster '{NAME}' renamed 'State compensation fund'\n"
    )
    lines = cli.ok("cluster", "list").splitlines()
    assert lines[0].split("\t") == [
        "name",
        "bodies",
        "first_year",
        "latest_year",
        "recommendations",
        "worst_status",
        "note",
    ]
    assert lines[1].split("\t") == ["Privacy", "TIP", "2021", "2021", "1", "not_implemented", ""]
    assert lines[2].split("\t")[:6] == [
        "State compensation fund",
        "CEDAW; EU; GRETA",
        "2014",
        "2023",
        "5",
        "not_implemented",
    ]
    by_state = {r["name"]: r["worst_status"] for r in cli.json("cluster", "list", "--by", "state")}
    assert by_state == {"Privacy": "unknown", "State compensation fund": "in_progress"}


def test_list_on_a_terminal(cli, sample: Path, terminal) -> None:
    result = cli("cluster", "list")
    assert "No clusters yet" in result.stderr
    cli.ok("cluster", "add", NAME, *FUND)
    out = cli.ok("cluster", "list")
    assert NAME in out and "2014-2023" in out and "Not implemented" in out


def test_show_on_a_terminal_tells_the_story(cli, sample: Path, terminal) -> None:
    undated = cli.add("-b", "cat", "-t", "Compensate victims of torture.")
    cli.ok("cluster", "add", NAME, *FUND, undated, "--note", "Asked for since 2014")
    cli.ok("link", "GRETA-2023-0005", "GRETA-2014-0001", "--as", "repeats")
    out = cli.ok("cluster", "show", NAME)
    lines = out.splitlines()
    assert lines[0] == NAME
    assert lines[1].startswith("6 recommendations of CAT, CEDAW, EU, GRETA, 2014-2023")
    assert "worst status: Not implemented" in lines[1]
    assert lines[2] == "Asked for since 2014"
    heads = [line.split()[:2] for line in lines if line and not line.startswith(" ")][3:]
    assert heads == [
        ["2014-01", "GRETA-2014-0001"],
        ["2015-11-10", "EU-2015-0004"],
        ["2018-04-17", "EU-2018-0002"],
        ["2019", "CEDAW-2019-0004"],
        ["2023-06-16", "GRETA-2023-0005"],
        ["undated", undated],
    ]
    blocks = {block.split()[1]: block for block in out.split("\n\n")[1:]}
    story = blocks["GRETA-2023-0005"]
    assert "NGO: Not implemented (2025-04-10)" in story
    assert "State: In progress (2024-03)" in story
    assert "Službeni glasnik RS 25/2024" in story  # the action
    assert "Round table on implementing GRETA's third-round recommendations" in story
    assert "repeats GRETA-2014-0001" in story
    assert "is repeated by GRETA-2023-0005" in blocks["GRETA-2014-0001"]
    assert "CAT" not in blocks["GRETA-2014-0001"]


def test_show_piped_gives_rows_in_time_order(cli, sample: Path) -> None:
    cli.ok("cluster", "add", NAME, *FUND)
    lines = cli.ok("cluster", "show", NAME).splitlines()
    assert lines[0].split("\t") == [
        "key",
        "body",
        "date",
        "ngo_status",
        "state_status",
        "body_status",
        "text",
    ]
    assert [line.split("\t")[0] for line in lines[1:]] == FUND


# --- --cluster and --group-by cluster in list, status and export ----------------------------


@pytest.fixture
def two_clusters(cli, sample: Path) -> Path:
    cli.ok("cluster", "add", NAME, *FUND)
    cli.ok("cluster", "add", "Shelters", "EU-2015-0003", "GRETA-2014-0004", "GRETA-2023-0005")
    return sample


def test_list_filters_and_groups_by_cluster(cli, two_clusters: Path) -> None:
    assert sorted(cli.keys("--cluster", NAME.lower())) == sorted(FUND)
    assert len(cli.keys("--cluster", NAME, "--cluster", "shelters")) == 7
    assert cli.keys("--cluster", NAME, "--body", "eu") == ["EU-2015-0004", "EU-2018-0002"]
    rows = cli.json("list", "--group-by", "cluster")
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row["group"], []).append(row["key"])
    assert sorted(groups[NAME]) == sorted(FUND)
    assert sorted(groups["Shelters"]) == ["EU-2015-0003", "GRETA-2014-0004", "GRETA-2023-0005"]
    assert len(groups["(no cluster)"]) == 38 - 7
    shown = {r["key"]: r["clusters"] for r in cli.json("list", "--cluster", "Shelters")}
    assert shown["GRETA-2023-0005"] == ["Shelters", NAME]


def test_status_filters_and_groups_by_cluster(cli, two_clusters: Path) -> None:
    report = cli.json("status", "--cluster", NAME)
    assert sorted(r["key"] for r in report["recommendations"]) == sorted(FUND)
    assert report["counts"]["not_implemented"] == 4 and report["counts"]["unknown"] == 1
    summary = cli.json("status", "--group-by", "cluster", "--summary")
    groups = {g["group"]: g for g in summary["groups"]}
    assert groups[NAME]["total"] == 5
    assert groups[NAME]["counts"]["not_implemented"] == 4
    assert groups["Shelters"]["counts"]["regressed"] == 1
    assert groups["(no cluster)"]["total"] == 31
    lines = cli.ok("status", "--group-by", "cluster", "--summary").splitlines()
    assert lines[0].split("\t")[0] == "group"
    assert {line.split("\t")[0] for line in lines[1:]} == {NAME, "Shelters", "(no cluster)"}


def test_export_selects_by_cluster(cli, two_clusters: Path, tmp_path: Path) -> None:
    path = tmp_path / "fund.xlsx"
    cli.ok("export", path, "--cluster", NAME)
    wb = load_workbook(path)
    rows = rows_by_key(wb[sheet_name("Recommendations")])
    assert sorted(rows) == sorted(FUND)


def test_export_groups_the_meeting_sheet_by_cluster(
    cli, two_clusters: Path, tmp_path: Path
) -> None:
    path = tmp_path / "meeting.xlsx"
    cli.ok("export", path, "--group-by", "cluster")
    ws = load_workbook(path)[sheet_name("Meeting")]
    headings = [ws.cell(row, 1).value for row in heading_rows(ws)]
    assert set(headings) == {NAME, "Shelters", "(none)"}  # as the Summary sheet says it
