"""rectrack link / unlink: one recommendation repeats, follows up or is on the same issue as
another; shown from both ends in `show` and `history`; and clusters and links carried by a
data set from one database to another."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from helpers import keys_of
from rectrack.errors import BadValue, Conflict, NotFound
from rectrack.models import RecommendationLink
from rectrack.services.links import link, links_of, unlink

NEW, OLD = "GRETA-2023-0005", "GRETA-2014-0001"
TIP_2022, TIP_2021 = "TIP-2022-0001", "TIP-2021-0001"


def link_rows(session: Session) -> list[tuple[str, str, str, str | None]]:
    from relations_data import key_of

    keys = key_of(session)
    rows = session.exec(select(RecommendationLink)).all()
    return sorted((keys[r.from_id], keys[r.to_id], r.kind, r.note) for r in rows)


def texts_of(session: Session, key: str) -> list[str]:
    from rectrack.services.lookup import get_recommendation

    rec_id = get_recommendation(session, key).id
    assert rec_id is not None
    return [row["text"] for row in links_of(session, [rec_id])[rec_id]]


# --- the service -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "stored", "sentence"),
    [
        ("repeats", "repeats", f"{NEW} repeats {OLD}"),
        ("follows-up", "follows_up", f"{NEW} follows up {OLD}"),
        ("follows_up", "follows_up", f"{NEW} follows up {OLD}"),
        ("Same-Issue", "same_issue", f"{NEW} is on the same issue as {OLD}"),
        ("same issue", "same_issue", f"{NEW} is on the same issue as {OLD}"),
    ],
)
def test_the_kinds_of_link(sample_db: Session, kind: str, stored: str, sentence: str) -> None:
    assert link(sample_db, NEW.lower(), OLD, kind, note="  ") == sentence
    assert link_rows(sample_db) == [(NEW, OLD, stored, None)]


def test_an_unknown_kind_is_refused_with_the_valid_ones(sample_db: Session) -> None:
    with pytest.raises(BadValue, match="repeats.*follows_up.*same_issue"):
        link(sample_db, NEW, OLD, "duplicates")
    assert link_rows(sample_db) == []


def test_a_recommendation_cannot_be_linked_to_itself(sample_db: Session) -> None:
    with pytest.raises(BadValue, match=f"cannot be linked to itself \\({NEW}\\)"):
        link(sample_db, NEW, NEW.lower(), "repeats")
    assert link_rows(sample_db) == []


def test_the_same_link_twice_is_refused(sample_db: Session) -> None:
    link(sample_db, NEW, OLD, "repeats", note="Third round, same fund")
    with pytest.raises(Conflict, match=f"{NEW} repeats {OLD} already"):
        link(sample_db, NEW, OLD, "repeats", note="again")
    link(sample_db, NEW, OLD, "follows-up")  # another kind is another link
    assert link_rows(sample_db) == [
        (NEW, OLD, "follows_up", None),
        (NEW, OLD, "repeats", "Third round, same fund"),
    ]


def test_same_issue_goes_both_ways(sample_db: Session) -> None:
    link(sample_db, "EU-2018-0002", "CEDAW-2019-0004", "same-issue")
    with pytest.raises(Conflict, match="already"):
        link(sample_db, "CEDAW-2019-0004", "EU-2018-0002", "same-issue")
    assert len(link_rows(sample_db)) == 1


def test_unknown_keys_are_refused(sample_db: Session) -> None:
    with pytest.raises(NotFound, match="GRETA-2023-0050"):
        link(sample_db, "GRETA-2023-0050", OLD, "repeats")
    with pytest.raises(NotFound, match="GRETA-2014-0010"):
        unlink(sample_db, NEW, "GRETA-2014-0010")
    assert link_rows(sample_db) == []


def test_a_link_reads_from_both_ends(sample_db: Session) -> None:
    link(sample_db, NEW, OLD, "repeats")
    link(sample_db, TIP_2022, TIP_2021, "follows-up")
    link(sample_db, "EU-2018-0002", "CEDAW-2019-0004", "same-issue")
    link(sample_db, NEW, "EU-2018-0002", "same-issue")
    assert texts_of(sample_db, NEW) == [
        "is on the same issue as EU-2018-0002",
        f"repeats {OLD}",
    ]
    assert texts_of(sample_db, OLD) == [f"is repeated by {NEW}"]
    assert texts_of(sample_db, TIP_2021) == [f"is followed up by {TIP_2022}"]
    assert texts_of(sample_db, TIP_2022) == [f"follows up {TIP_2021}"]
    assert texts_of(sample_db, "EU-2018-0002") == [
        "is on the same issue as CEDAW-2019-0004",
        f"is on the same issue as {NEW}",
    ]
    assert texts_of(sample_db, "CEDAW-2019-0004") == ["is on the same issue as EU-2018-0002"]


def test_unlink_from_either_end_and_by_kind(sample_db: Session) -> None:
    link(sample_db, NEW, OLD, "repeats")
    link(sample_db, NEW, OLD, "follows-up")
    link(sample_db, TIP_2022, TIP_2021, "follows-up")
    with pytest.raises(NotFound, match="not linked as same-issue"):
        unlink(sample_db, OLD, NEW, "same-issue")
    assert unlink(sample_db, OLD, NEW, "follows-up") == 1
    assert link_rows(sample_db) == [
        (NEW, OLD, "repeats", None),
        (TIP_2022, TIP_2021, "follows_up", None),
    ]
    assert unlink(sample_db, TIP_2021, TIP_2022) == 1
    assert unlink(sample_db, NEW, OLD) == 1
    assert link_rows(sample_db) == []
    with pytest.raises(NotFound, match=f"{NEW} and {OLD} are not linked"):
        unlink(sample_db, NEW, OLD)


def test_purging_a_recommendation_removes_its_links(sample_db: Session) -> None:
    from rectrack.services.recommendations import remove_recommendations

    link(sample_db, NEW, OLD, "repeats")
    remove_recommendations(sample_db, [OLD])  # removed, kept: its links stay
    assert len(link_rows(sample_db)) == 1
    remove_recommendations(sample_db, [OLD], purge=True)
    assert link_rows(sample_db) == []
    assert texts_of(sample_db, NEW) == []


# --- the commands ------------------------------------------------------------------------------


def test_link_and_unlink_say_what_they_did(cli, sample: Path) -> None:
    out = cli.ok("link", NEW, OLD, "--as", "repeats", "--note", "Third round, same fund")
    assert out == f"{NEW} repeats {OLD}\n"
    assert cli.ok("link", TIP_2022, TIP_2021, "--as", "follows-up") == (
        f"{TIP_2022} follows up {TIP_2021}\n"
    )
    assert cli.ok("unlink", OLD, NEW) == f"{OLD} and {NEW}: 1 link removed\n"
    assert cli.ok("unlink", TIP_2022, TIP_2021, "--as", "follows-up") == (
        f"{TIP_2022} and {TIP_2021}: 1 link removed\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["link", NEW, OLD], 2, ["--as repeats|follows-up|same-issue"]),
        (["link", NEW, OLD, "--as", "copies"], 2, ["kind of link", "repeats"]),
        (["link", NEW, NEW, "--as", "repeats"], 2, ["cannot be linked to itself"]),
        (["link", NEW, OLD, "--as", "repeats"], 1, [f"{NEW} repeats {OLD} already"]),
        (["link", NEW, "GRETA-2014-0010", "--as", "repeats"], 1, ["GRETA-2014-0010"]),
        (["unlink", TIP_2022, TIP_2021], 1, ["are not linked"]),
        (["unlink", NEW, OLD, "--as", "follows-up"], 1, ["not linked as follows-up"]),
    ],
)
def test_refused(cli, sample: Path, args: list[str], code: int, fragments: list[str]) -> None:
    cli.ok("link", NEW, OLD, "--as", "repeats")
    cli.refused(args, code, *fragments)


def test_show_gives_the_link_from_both_ends(cli, sample: Path) -> None:
    cli.ok("link", NEW, OLD, "--as", "repeats", "--note", "Third round, same fund")
    cli.ok("link", "EU-2018-0002", OLD, "--as", "same-issue")

    def linked(key: str) -> str:
        rows = dict(line.split("\t", 1) for line in cli.ok("show", key).splitlines()[1:])
        return rows["link_lines"]

    assert linked(NEW) == f"repeats {OLD} (Third round, same fund)"
    assert linked(OLD) == (
        f"is on the same issue as EU-2018-0002; is repeated by {NEW} (Third round, same fund)"
    )
    record = cli.json("show", OLD)
    assert [(x["kind"], x["key"], x["text"], x["note"]) for x in record["links"]] == [
        ("same_issue", "EU-2018-0002", "is on the same issue as EU-2018-0002", None),
        ("repeats", NEW, f"is repeated by {NEW}", "Third round, same fund"),
    ]
    assert cli.json("show", "EU-2018-0002")["links"][0]["text"] == (
        f"is on the same issue as {OLD}"
    )


def test_show_on_a_terminal_has_a_linked_line(cli, sample: Path, terminal) -> None:
    cli.ok("link", NEW, OLD, "--as", "repeats")
    out = cli.ok("show", OLD)
    (line,) = [line for line in out.splitlines() if line.startswith("Linked")]
    assert line.split(None, 1)[1].strip() == f"is repeated by {NEW}"
    assert "Linked" not in cli.ok("show", "TIP-2021-0001")


def test_history_gives_the_link_from_both_ends(cli, sample: Path) -> None:
    cli.ok("link", NEW, OLD, "--as", "repeats", "--note", "Third round, same fund")

    def links(key: str) -> list[tuple]:
        events = cli.json("history", key)["events"]
        return [(e["what"], e["detail"]) for e in events if e["type"] == "link"]

    assert links(NEW) == [(f"repeats {OLD}", "Third round, same fund")]
    assert links(OLD) == [(f"is repeated by {NEW}", "Third round, same fund")]
    tsv = cli.ok("history", OLD).splitlines()
    assert any(f"\tlink\t\tis repeated by {NEW}\t" in line for line in tsv)
    cli.ok("unlink", OLD, NEW)
    assert links(NEW) == links(OLD) == []


# --- data sets ---------------------------------------------------------------------------------


def test_a_data_set_carries_clusters_and_links(cli, sample: Path, tmp_path: Path) -> None:
    fund = ["GRETA-2014-0001", "EU-2018-0002", "CEDAW-2019-0004", "GRETA-2023-0005"]
    cli.ok("cluster", "add", "Victim compensation fund", *fund, "--note", "Since 2014")
    cli.ok("cluster", "add", "Privacy", "TIP-2021-0004")
    cli.ok("link", NEW, OLD, "--as", "repeats", "--note", "Third round")
    cli.ok("link", "EU-2018-0002", "CEDAW-2019-0004", "--as", "same-issue")
    cli.ok("link", TIP_2022, TIP_2021, "--as", "follows-up")
    path = tmp_path / "set.toml"
    cli.ok("export", path)
    text = path.read_text(encoding="utf-8")
    assert text.count("[[clusters]]") == 2 and text.count("[[links]]") == 3

    other = ("--db", str(tmp_path / "other.db"))
    cli.ok(*other, "init")
    cli.ok(*other, "import", path)
    assert cli.json(*other, "cluster", "list") == cli.json("cluster", "list")
    for key in (NEW, OLD, "EU-2018-0002", "CEDAW-2019-0004", TIP_2022, TIP_2021):
        mine = [(x["text"], x["note"]) for x in cli.json("show", key)["links"]]
        theirs = [(x["text"], x["note"]) for x in cli.json(*other, "show", key)["links"]]
        assert theirs == mine, key
    # loading it again adds nothing
    before = cli.state(tmp_path / "other.db")
    cli.ok(*other, "import", path)
    after = cli.state(tmp_path / "other.db")
    assert isinstance(before, dict) and isinstance(after, dict)
    for table in ("cluster", "cluster_member", "recommendation_link", "recommendation"):
        assert after[table] == before[table], table


def test_a_data_set_of_a_cluster_keeps_only_the_links_within(
    cli, sample: Path, tmp_path: Path
) -> None:
    cli.ok("cluster", "add", "Fund", NEW, OLD)
    cli.ok("link", NEW, OLD, "--as", "repeats")
    cli.ok("link", TIP_2022, NEW, "--as", "same-issue")
    path = tmp_path / "fund.toml"
    cli.ok("export", path, "--cluster", "fund")
    other = ("--db", str(tmp_path / "other.db"))
    cli.ok(*other, "init")
    cli.ok(*other, "import", path)
    assert sorted(keys_of(cli.ok(*other, "list"))) == [OLD, NEW]
    assert [x["text"] for x in cli.json(*other, "show", NEW)["links"]] == [f"repeats {OLD}"]
    (row,) = cli.json(*other, "cluster", "list")
    assert (row["name"], row["recommendations"]) == ("Fund", 2)
