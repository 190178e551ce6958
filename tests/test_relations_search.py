"""rectrack search: every word of the query (or a word starting with it), ranked, whatever
the case, diacritics, script or form of a word; kept in step with the register by triggers;
the same without FTS5; highlighted on a terminal, plain when piped."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

import helpers
import relations_data as rd
from engines import SQLITE_ONLY
from helpers import keys_of, rec_filter
from rectrack.errors import BadValue
from rectrack.services.actions import ActionChanges, ActionInput, add_action, edit_action
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.lookup import THEMES
from rectrack.services.names import rename
from rectrack.services.recommendations import (
    RecChanges,
    RecInput,
    add_recommendation,
    edit_recommendation,
    remove_recommendations,
)
from rectrack.services.search import has_index, search
from rectrack.settings import database_location
from rectrack.shapes import RecFilter


@pytest.fixture(params=["fts5", "scan"])
def register(request: pytest.FixtureRequest, db_with: Callable[..., Session]) -> Session:
    """The register of relations_data, searched through FTS5 and, without it, by scanning."""
    session = db_with(rd.build_register)
    if request.param == "scan":
        rd.drop_fts(session)
    assert has_index(session.connection()) is (request.param == "fts5")
    return session


def found(session: Session, query: str, **filters: tuple[str, ...]) -> list[str]:
    return rd.keys_of_hits(session, search(session, query, rec_filter(**filters)))


# --- what is found ---------------------------------------------------------------------------


def test_the_recommendation_that_says_it_most_ranks_first(register: Session) -> None:
    # RAPPORTEUR says "rapporteur" three times in a few words and was recorded after
    # RAPPORTEUR_LONG, which says it once among many: rank, not the order of recording.
    assert found(register, "rapporteur") == [rd.RAPPORTEUR, rd.RAPPORTEUR_LONG]


def test_scores_go_down(register: Session) -> None:
    hits = search(register, "compensation", RecFilter())
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_every_word_of_the_query_must_be_there(register: Session) -> None:
    assert set(found(register, "compensation")) == {rd.FUND_GRETA, rd.FUND_CEDAW, rd.UNDATED}
    assert found(register, "compensation women") == [rd.FUND_CEDAW]
    assert found(register, "compensation torture trafficking") == []


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("compens", {rd.FUND_GRETA, rd.FUND_CEDAW, rd.UNDATED}),
        ("rapport", {rd.RAPPORTEUR, rd.RAPPORTEUR_LONG}),
        ("Prosec", {rd.PROSECUTE, rd.RAPPORTEUR_LONG}),  # prosecute, prosecutors
        ("femi", {rd.FEMICIDE}),
    ],
)
def test_a_word_is_found_by_its_start(register: Session, query: str, keys: set[str]) -> None:
    assert set(found(register, query)) == keys


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        # the text says "compensation" only; the query another form of the word
        ("compensated women", {rd.FUND_CEDAW}),
        ("compensating women", {rd.FUND_CEDAW}),
        # naknadu (Latin) and накнаде (Cyrillic) are forms of naknada
        ("naknade", {rd.NAKNADA_LATIN, rd.NAKNADA_CYRILLIC}),
        ("naknadu", {rd.NAKNADA_LATIN, rd.NAKNADA_CYRILLIC}),
        ("naknadom", {rd.NAKNADA_LATIN, rd.NAKNADA_CYRILLIC}),
    ],
)
def test_the_forms_of_a_word_meet(register: Session, query: str, keys: set[str]) -> None:
    assert set(found(register, query)) == keys


def test_the_plural_finds_the_singular(db: Session) -> None:
    key = add_recommendation(db, RecInput("CAT", "Protect every victim of torture.", date="2020"))
    assert found(db, "victims") == [key]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("cac", rd.NAKNADA_LATIN),  # Čačak, diacritics folded
        ("CAČAK", rd.NAKNADA_LATIN),  # case
        ("чачак", rd.NAKNADA_LATIN),  # Cyrillic finds Latin
        ("stete", rd.NAKNADA_LATIN),  # štete
        ("trgovina obezbediti grad", rd.NAKNADA_LATIN),
        ("COMPENSATION WOMEN", rd.FUND_CEDAW),
        ("Compensation Women", rd.FUND_CEDAW),
    ],
)
def test_case_diacritics_and_script_do_not_matter(register: Session, query: str, key: str) -> None:
    assert found(register, query) == [key]


@pytest.mark.parametrize("query", ["жртве", "zrtve", "žrtve", "ŽRTVE", "ЖРТВАМА"])
def test_cyrillic_and_latin_find_each_other(register: Session, query: str) -> None:
    assert set(found(register, query)) == {rd.NAKNADA_LATIN, rd.NAKNADA_CYRILLIC}


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("gender", rd.FEMICIDE),  # only in a theme
        ("lenient", rd.PROSECUTE),  # only in an assessment's note
        ("femicide register", rd.FEMICIDE),  # only in a linked action's title
        ("glasnik 12", rd.FEMICIDE),  # only in a linked action's official reference
        ("justice compensation", rd.FUND_GRETA),  # an institution and the text
        ("GRETA(2023)10", rd.FUND_GRETA),  # the document's symbol
        ("CEDAW-2019-24b", rd.FUND_CEDAW),  # the key
    ],
)
def test_themes_notes_actions_and_names_are_searched(
    register: Session, query: str, key: str
) -> None:
    assert found(register, query) == [key]


def test_the_filters_of_list_narrow_the_search(register: Session) -> None:
    assert set(found(register, "trafficking")) == {rd.FUND_GRETA, rd.FUND_CEDAW, rd.PROSECUTE}
    assert found(register, "trafficking", bodies=("GRETA",)) == [rd.FUND_GRETA]
    assert set(found(register, "trafficking", bodies=("GRETA", "TIP"))) == {
        rd.FUND_GRETA,
        rd.PROSECUTE,
    }
    assert found(register, "trafficking", themes=("funding",)) == [rd.FUND_CEDAW]
    assert found(register, "trafficking", bodies=("CAT",)) == []


def test_limit_keeps_the_best(register: Session) -> None:
    best = found(register, "compensation")
    hits = search(register, "compensation", RecFilter(), limit=2)
    assert rd.keys_of_hits(register, hits) == best[:2]


@pytest.mark.parametrize("query", ["the of", "and, or: with", "a", "   ", "i u na za"])
def test_a_query_of_only_common_words_is_refused(register: Session, query: str) -> None:
    with pytest.raises(BadValue, match="nothing to search for"):
        search(register, query, RecFilter())


@pytest.mark.parametrize("limit", [0, -1])
def test_limit_below_one_is_refused(register: Session, limit: int) -> None:
    with pytest.raises(BadValue, match="--limit"):
        search(register, "compensation", RecFilter(), limit=limit)


# --- kept in step with the register ----------------------------------------------------------


def test_a_new_recommendation_is_found_at_once(register: Session) -> None:
    assert found(register, "statelessness") == []
    key = add_recommendation(
        register, RecInput("CRC", "Prevent statelessness of children.", date="2022")
    )
    assert found(register, "statelessness") == [key]


def test_an_edited_text_is_found_by_its_new_words_only(register: Session) -> None:
    edit_recommendation(
        register, rd.PROSECUTE, RecChanges(fields={"text": "Protect witnesses in court."})
    )
    assert found(register, "witnesses court") == [rd.PROSECUTE]
    assert found(register, "complicit") == []


def test_an_edited_key_and_summary_are_found(register: Session) -> None:
    new_key, _ = edit_recommendation(
        register, rd.PROSECUTE, RecChanges(fields={"summary": "Convictions"}, key="TIP-2021-99")
    )
    assert found(register, "convictions") == [new_key]
    assert found(register, "TIP-2021-99") == [new_key]


def test_a_removed_recommendation_is_no_longer_found(register: Session) -> None:
    assert found(register, "rapporteur") == [rd.RAPPORTEUR, rd.RAPPORTEUR_LONG]
    remove_recommendations(register, [rd.RAPPORTEUR])
    assert found(register, "rapporteur") == [rd.RAPPORTEUR_LONG]


def test_an_assessments_note_is_found_once_recorded(register: Session) -> None:
    assert found(register, "stalled") == []
    assess(
        register,
        [rd.FEMICIDE],
        AssessmentInput("in_progress", date="2025-01", note="The plan has stalled."),
    )
    assert found(register, "stalled") == [rd.FEMICIDE]


def test_a_renamed_theme_is_found_by_its_new_name(register: Session) -> None:
    rename(register, THEMES, "gender-based violence", "domestic abuse")
    register.commit()  # as `rectrack theme rename` does
    assert found(register, "domestic abuse") == [rd.FEMICIDE]
    assert found(register, "gender") == []


def test_a_theme_merged_into_another_is_found_by_the_other(register: Session) -> None:
    rename(register, THEMES, "naknada", "compensation")
    register.commit()
    assert set(found(register, "compensation")) == {
        rd.FUND_GRETA,
        rd.FUND_CEDAW,
        rd.UNDATED,
        rd.NAKNADA_LATIN,
    }


def test_an_edited_action_title_is_found_by_its_new_words_only(register: Session) -> None:
    edit_action(register, "A1", ActionChanges(fields={"title": "Observatory of killings"}))
    register.commit()  # as `rectrack action edit` does
    assert found(register, "observatory") == [rd.FEMICIDE]
    assert found(register, "femicide") == []


def test_an_action_linked_later_is_found(register: Session) -> None:
    add_action(register, ActionInput("Anti-trafficking taskforce", "institution"), [rd.PROSECUTE])
    assert found(register, "taskforce") == [rd.PROSECUTE]


def test_the_commands_that_change_the_register_keep_search_in_step(cli, sample: Path) -> None:
    def search(query: str) -> list[str]:
        return keys_of(cli.ok("search", query))

    assert search("Observatory") == []
    cli.ok("theme", "rename", "victim privacy", "personal data")
    assert search("personal data") == ["TIP-2021-0004"]
    cli.ok("action", "edit", "A9", "--title", "Observatory of killings")  # TIP-2021-0002, -0004
    assert set(search("observatory")) == {"TIP-2021-0002", "TIP-2021-0004"}
    assert search("identification procedures appeal") == []
    cli.ok("assess", "UPR-2023-0001", "--status", "partial", "--note", "Hate-crime unit set up")
    assert search("hate crime unit") == ["UPR-2023-0001"]
    cli.ok("edit", "UPR-2023-0001", "--text", "Investigate attacks on journalists.")
    assert search("journalists") == ["UPR-2023-0001"]
    assert search("responsible brought") == []  # words of the old text only
    cli.ok("rm", "UPR-2023-0001", "--yes")
    assert search("journalists") == []
    key = cli.add("-b", "crc", "-t", "Register every birth.", "--date", "2022")
    assert search("births") == [key]


# --- without FTS5 ----------------------------------------------------------------------------


@pytest.fixture
def scanned(db_with: Callable[..., Session]) -> Iterator[tuple[Session, Session]]:
    """The register twice: searched through FTS5, and by scanning."""
    indexed, plain = db_with(rd.build_register), db_with(rd.build_register)
    rd.drop_fts(plain)
    yield indexed, plain


QUERIES = [
    "compensation",
    "trafficking",
    "rapporteur",
    "naknade",
    "жртве",
    "cac",
    "traffick victim",
    "glasnik",
    "2021",
    "ministry",
]


@pytest.mark.parametrize("query", QUERIES)
def test_without_fts5_the_same_recommendations_are_found_in_the_same_order(
    scanned: tuple[Session, Session], query: str
) -> None:
    indexed, plain = scanned
    assert not has_index(plain.connection())
    assert found(plain, query) == found(indexed, query)
    assert found(indexed, query)


def test_without_fts5_equal_scores_are_in_the_order_recorded(db: Session) -> None:
    # Three recommendations that say the same in as many words score alike: they come in
    # the order they were recorded, with the index and without it.
    keys = [
        add_recommendation(db, RecInput(body, "Register femicides.", date="2021"))
        for body in ("UPR", "CAT", "TIP")
    ]
    with_index = found(db, "femicides")
    rd.drop_fts(db)
    assert with_index == keys
    assert found(db, "femicides") == keys


def test_without_fts5_the_search_stays_in_step(db_with: Callable[..., Session]) -> None:
    session = db_with(rd.build_register)
    rd.drop_fts(session)
    key = add_recommendation(session, RecInput("CRC", "Prevent statelessness.", date="2022"))
    assert found(session, "statelessness") == [key]
    remove_recommendations(session, [key])
    assert found(session, "statelessness") == []


@pytest.mark.parametrize("query", ["compens", "identification victims", "victims"])
def test_without_fts5_the_ranking_and_scores_are_the_same(
    sample_db: Session, sample_memory: Engine, query: str
) -> None:
    sessions = helpers.memory_session(helpers.copy_database(sample_memory))
    plain = next(sessions)
    try:
        rd.drop_fts(plain)
        ranked = [
            [(h.rec_id, round(h.score, 3)) for h in search(s, query, RecFilter(), limit=50)]
            for s in (sample_db, plain)
        ]
    finally:
        sessions.close()
    assert ranked[0] == ranked[1]


# --- the command -------------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")
HIGHLIGHT = re.compile(r"\x1b\[1;33m(.*?)\x1b\[0m")
COLOUR = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "200"}


def test_search_prints_tab_separated_rows_best_first(cli, sample: Path) -> None:
    out = cli.ok("search", "compensation fund")
    lines = out.splitlines()
    assert lines[0] == "key\tbody\tscore\tstatus\ttext"
    assert not ANSI.search(out)
    rows = [line.split("\t") for line in lines[1:]]
    assert {r[0] for r in rows} >= {"GRETA-2014-0001", "GRETA-2023-0005", "CEDAW-2019-0004"}
    scores = [float(r[2]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    for key, body, _score, status, _text in rows:
        assert key.startswith(body + "-")
        assert status in {"unknown", "not_implemented", "in_progress", "partial"}
    by_key = {r[0]: r[4] for r in rows}
    assert by_key["CEDAW-2019-0004"] == (
        "Create a fund from which women victims of trafficking and violence can receive "
        "compensation."
    )


def test_search_as_json(cli, sample: Path) -> None:
    rows = cli.json("search", "compensation fund", "--body", "greta")
    # GRETA-2023-0004 says "compensating"; "fund" is in a note of its assessment.
    assert {r["key"] for r in rows} == {"GRETA-2014-0001", "GRETA-2023-0005", "GRETA-2023-0004"}
    assert all(r["body"] == "GRETA" for r in rows)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1]
    assert rows[0]["status"] == "not_implemented"
    assert "compensation" in rows[0]["text"]


def test_search_takes_the_filters_of_list_and_limit(cli, sample: Path) -> None:
    every = keys_of(cli.ok("search", "trafficking"))
    greta = keys_of(cli.ok("search", "trafficking", "--body", "greta", "--limit", "3"))
    assert len(greta) == 3
    assert greta == [k for k in every if k.startswith("GRETA-")][:3]
    themed = keys_of(cli.ok("search", "victims", "--theme", "compensation", "-b", "eu"))
    assert themed and all(k.startswith("EU-") for k in themed)
    assert set(themed) <= set(cli.keys("--theme", "compensation", "--body", "eu"))


def test_search_finds_by_cluster_filter(cli, sample: Path) -> None:
    cli.ok("cluster", "add", "Fund", "GRETA-2014-0001", "EU-2018-0002")
    assert set(keys_of(cli.ok("search", "fund", "--cluster", "fund"))) == {
        "GRETA-2014-0001",
        "EU-2018-0002",
    }


def test_a_terminal_shows_the_matched_words_highlighted(cli, sample: Path, terminal) -> None:
    out = cli.ok("search", "compensated funds", env=COLOUR)
    marked = {m.lower() for m in HIGHLIGHT.findall(out)}
    assert marked, out
    # Each marked word is a form of a word of the query, and nothing else is marked.
    assert marked <= {"compensation", "compensating", "fund", "funds", "funding", "funded"}
    assert "compensation" in marked and "fund" in marked
    plain = ANSI.sub("", out)
    assert "matches for 'compensated funds'" in plain
    assert "GRETA-2014-0001" in plain


def test_a_terminal_shows_a_table_with_scores(cli, sample: Path, terminal) -> None:
    out = cli.ok("search", "rapporteur")
    assert "Key" in out and "Score" in out and "Status" in out
    assert "EU-2015-0001" in out
    assert "\t" not in out


def test_nothing_found_says_so(cli, sample: Path, terminal) -> None:
    result = cli("search", "zzyzx")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Nothing found" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["search", "the of"], "nothing to search for in 'the of'"),
        (["search", "fund", "--limit", "0"], "--limit must be 1 or more"),
        (["search", "fund", "-n", "-3"], "--limit must be 1 or more"),
        (["search", "fund", "--theme", "nosuchtheme"], "nosuchtheme"),
    ],
)
def test_refused_searches_change_nothing(cli, sample: Path, args, fragment: str) -> None:
    # The sample's recommendations wait in the search queue: a search that runs indexes
    # them; one refused must leave the database as it was.
    cli.refused(args, 2, fragment)


# --- a database of schema 5 --------------------------------------------------------------------


def test_a_schema_5_database_is_indexed_on_its_first_search(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rectrack.db as db

    path = tmp_path / "v5.db"
    on = ("--db", str(path))
    monkeypatch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:5])
    db.open_database(database_location(str(path)), create=True).engine.dispose()
    text = "Set up a compensation fund in Čačak."
    old = cli.ok(*on, "add", "-b", "greta", "-t", text, "--date", "2014", "--theme", "victims")
    old = old.strip()
    monkeypatch.undo()
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "search_document" not in tables
        assert max(v for (v,) in conn.execute("SELECT version FROM schema_migration")) == 5
    assert keys_of(cli.ok(*on, "search", "cac victims")) == [old]
    with sqlite3.connect(path) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_migration")]
        queued = conn.execute("SELECT count(*) FROM search_queue").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM search_document").fetchone()[0]
    assert versions == [m.version for m in db.MIGRATIONS]
    assert (queued, indexed) == (0, 1)
    # and from then on it stays in step
    new = cli.ok(*on, "add", "-b", "cedaw", "-t", "Pay victims.", "--date", "2019").strip()
    assert set(keys_of(cli.ok(*on, "search", "victims"))) == {old, new}


@SQLITE_ONLY  # FTS5's own rebuild
def test_many_queued_documents_are_indexed_by_a_whole_rebuild_that_stays_in_step(
    sample_db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rectrack.services.search as search_service

    expected = found(sample_db, "compensation")
    sample_db.exec(text("DELETE FROM search_document"))
    sample_db.exec(text("INSERT INTO search_fts (search_fts) VALUES ('rebuild')"))
    sample_db.exec(text("INSERT INTO search_queue (rec_id) SELECT id FROM recommendation"))
    monkeypatch.setattr(search_service, "REBUILD_FROM", 1)
    assert found(sample_db, "compensation") == expected
    monkeypatch.setattr(search_service, "REBUILD_FROM", 10**9)
    key = add_recommendation(sample_db, RecInput("CAT", "Compensation for torture.", date="2020"))
    assert key in found(sample_db, "compensation")
