"""rectrack similar KEY: the recommendations most alike one in substance, best first, with a
score from 0 to 1; never the recommendation itself; only other bodies' with --other-bodies.
(How good the answers are on the sample is measured in test_similarity_quality.py.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import helpers
import relations_data as rd
from rectrack.errors import BadValue, NotFound
from rectrack.services.recommendations import RecInput, add_recommendation
from rectrack.services.similarity import similar

FUND = {"CEDAW-2019-0004", "EU-2015-0004", "EU-2018-0002", "GRETA-2014-0001", "GRETA-2023-0005"}
SAMPLE_KEYS = ["GRETA-2023-0005", "CEDAW-2019-0004", "TIP-2021-0001", "UPR-2023-0003"]


def alike(session: Session, key: str, **options: object) -> list[tuple[str, float]]:
    keys = rd.key_of(session)
    _, found = similar(session, key, **options)  # type: ignore[arg-type]
    return [(keys[f.rec_id], f.score) for f in found]


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_scores_are_from_0_to_1_best_first_without_the_key_itself(
    sample_db: Session, key: str
) -> None:
    found = alike(sample_db, key, limit=100)
    assert len(found) > 5
    scores = [score for _, score in found]
    assert all(0 < s <= 1 for s in scores), scores
    assert scores == sorted(scores, reverse=True)
    assert key not in [k for k, _ in found]
    assert len({k for k, _ in found}) == len(found)


def test_the_key_is_found_whatever_its_case(sample_db: Session) -> None:
    assert alike(sample_db, "greta-2023-0005") == alike(sample_db, "GRETA-2023-0005")


def test_limit(sample_db: Session) -> None:
    every = alike(sample_db, "GRETA-2023-0005", limit=100)
    assert alike(sample_db, "GRETA-2023-0005", limit=3) == every[:3]
    assert len(alike(sample_db, "GRETA-2023-0005", limit=1)) == 1


@pytest.mark.parametrize("limit", [0, -2])
def test_a_limit_below_one_is_refused(sample_db: Session, limit: int) -> None:
    with pytest.raises(BadValue, match="--limit"):
        similar(sample_db, "GRETA-2023-0005", limit=limit)


def test_other_bodies_leaves_out_the_keys_own_body(sample_db: Session) -> None:
    every = alike(sample_db, "GRETA-2023-0005", limit=100)
    others = alike(sample_db, "GRETA-2023-0005", limit=100, other_bodies=True)
    assert any(k.startswith("GRETA-") for k, _ in every)
    assert others == [(k, s) for k, s in every if not k.startswith("GRETA-")]
    assert {k for k, _ in others[:3]} <= FUND | {"TIP-2022-0001"}
    assert len({k for k, _ in others[:3]} & FUND) >= 2


def test_an_unknown_key_is_refused_with_the_closest_keys(sample_db: Session) -> None:
    with pytest.raises(NotFound, match="GRETA-2023-000"):
        similar(sample_db, "GRETA-2023-0050")


def test_serbian_in_either_script_meets(db_with: Callable[..., Session]) -> None:
    register = db_with(rd.build_register)
    latin = alike(register, rd.NAKNADA_LATIN)
    cyrillic = alike(register, rd.NAKNADA_CYRILLIC)
    assert latin[0][0] == rd.NAKNADA_CYRILLIC
    assert cyrillic[0][0] == rd.NAKNADA_LATIN
    assert len(latin) == 1 or latin[0][1] > 2 * latin[1][1]


def test_english_forms_of_a_word_meet(db_with: Callable[..., Session]) -> None:
    register = db_with(rd.build_register)
    # FUND_GRETA says "compensated" and "compensation"; CEDAW's fund "compensation".
    # the two others about compensation come first, well ahead of the rest
    found = alike(register, rd.FUND_GRETA)
    assert {k for k, _ in found[:2]} == {rd.FUND_CEDAW, rd.UNDATED}
    assert found[1][1] > 2 * found[2][1]


def test_the_same_words_and_themes_score_1_and_a_shared_document_counts_for_nothing(
    db: Session,
) -> None:
    text = "Designate an independent national rapporteur on trafficking in human beings."
    theme = ["national rapporteur"]
    first = add_recommendation(db, RecInput("EU", text, document="SWD(2015) 211", themes=theme))
    again = add_recommendation(db, RecInput("GRETA", text, document="GRETA(2017)37", themes=theme))
    other = add_recommendation(
        db, RecInput("EU", "Open shelters for children.", document="SWD(2015) 211")
    )
    found = dict(alike(db, first))
    assert found[again] == pytest.approx(1.0)
    assert other not in found


@pytest.fixture
def without_index(sample_memory: Engine) -> Iterator[Session]:
    """The sample data set with its FTS5 index taken out: similar compares with every
    recommendation."""
    sessions = helpers.memory_session(helpers.copy_database(sample_memory))
    session = next(sessions)
    rd.drop_fts(session)
    yield session
    sessions.close()


@pytest.mark.parametrize("key", ["CEDAW-2019-0004", "TIP-2021-0001"])
def test_the_scores_are_the_same_without_fts5(
    sample_db: Session, without_index: Session, key: str
) -> None:
    def rounded(session: Session) -> list[tuple[str, float]]:
        return [(k, round(s, 3)) for k, s in alike(session, key, limit=5)]

    assert rounded(sample_db) == rounded(without_index)


def test_without_fts5_similar_still_answers(without_index: Session) -> None:
    found = alike(without_index, "GRETA-2023-0005", other_bodies=True, limit=3)
    assert len({k for k, _ in found} & FUND) >= 2
    assert all(0 < s <= 1 for _, s in found)


# --- the command ---------------------------------------------------------------------------


def test_similar_lists_keys_bodies_dates_scores(cli, sample: Path) -> None:
    out = cli.ok("similar", "GRETA-2023-0005", "--other-bodies", "--limit", "4")
    lines = out.splitlines()
    assert lines[0] == "key\tbody\tdate\tscore\tstatus\ttext"
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == 4
    assert all(not r[0].startswith("GRETA") and r[0].startswith(r[1] + "-") for r in rows)
    assert len({r[0] for r in rows[:3]} & FUND) >= 2
    scores = [float(r[3]) for r in rows]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)


def test_similar_as_json(cli, sample: Path) -> None:
    rows = cli.json("similar", "cedaw-2019-0004", "-n", "3")
    assert len(rows) == 3
    assert "CEDAW-2019-0004" not in [r["key"] for r in rows]
    assert set(rows[0]) >= {"key", "body", "date", "score", "status", "text"}
    assert rows[0]["key"] == "EU-2018-0002"
    assert rows[0]["text"] == "Create a fund from which trafficking victims can receive support."


def test_similar_on_a_terminal_names_the_key(cli, sample: Path, terminal) -> None:
    out = cli.ok("similar", "greta-2023-0005", "-n", "2")
    assert "Most alike GRETA-2023-0005" in out
    assert "Score" in out


def test_nothing_alike_says_so(cli, recs: list[str], terminal) -> None:
    # "Adopt a law." and "Prosecute traffickers.": not a word in common
    result = cli("similar", recs[0])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"Nothing alike {recs[0]}" in result.stderr


def test_nothing_alike_piped_is_the_header_alone(cli, recs: list[str]) -> None:
    assert cli.ok("similar", recs[1]) == "key\tbody\tdate\tscore\tstatus\ttext\n"


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["similar", "GRETA-2023-0050"], 1, ["no recommendation GRETA-2023-0050", "closest keys"]),
        (["similar", "GRETA-2023-0005", "--limit", "0"], 2, ["--limit must be 1 or more"]),
        (["similar"], 2, ["KEY"]),
    ],
)
def test_refused(cli, sample: Path, args: list[str], code: int, fragments: list[str]) -> None:
    cli.refused(args, code, *fragments)
