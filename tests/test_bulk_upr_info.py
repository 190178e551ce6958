"""UPR Info exports loaded through rectrack.services.sources on in-memory databases: what each
recommendation holds, cycles and keys, encodings, and what importing again or a newer export
does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import helpers
from bulk_files import (
    UPR_COLUMNS,
    by_content,
    load,
    recs,
    upr,
    upr_csv,
    write_csv,
    write_xlsx,
)
from rectrack.services import bulk

# Serbia's third-cycle review (session 29) and second (session 15), and Croatia's first.
ROWS = [
    upr(
        " Ratify the Convention on the Protection of the Rights of All Migrant Workers.  ",
        From="France",
        Response="Accepted",
        Action=4,
        Issue="Migrants, International instruments",
    ),
    upr(
        "Adopt a comprehensive law\r\non trafficking in human beings.",
        From="Chile",
        Response="Noted",
        Action=3,
        Issue="Trafficking",
        Session=15,
    ),
    upr("Protect journalists from attacks.", To="Croatia", From="Norway", Session=9, Action=2),
    upr("Fund shelters for victims of violence.", From="Brazil", Response="Supported", Action=5),
]


def test_each_row_holds_what_the_file_says(db: Session, tmp_path: Path) -> None:
    load(db, upr_csv(tmp_path / "upr.csv", *ROWS), "upr-info")
    got = {r["text"]: r for r in recs(db).values()}
    assert len(got) == 4
    ratify = got[" Ratify the Convention on the Protection of the Rights of All Migrant Workers.  "]
    assert ratify["body"] == "UPR"
    assert ratify["country"] == "Serbia"
    assert ratify["recommending"] == ["France"]
    assert sorted(ratify["themes"]) == ["International instruments", "Migrants"]
    assert ratify["category"] == 4
    assert ratify["response"] == "supported"  # Accepted
    assert ratify["source_file"] == "upr.csv"
    assert ratify["source_row"] == 2
    law = got["Adopt a comprehensive law\r\non trafficking in human beings."]
    assert law["response"] == "noted"
    assert law["recommending"] == ["Chile"]
    assert law["category"] == 3
    assert law["themes"] == ["Trafficking"]
    assert law["source_row"] == 3
    # The line break inside the cell above moves the next row one line down.
    assert got["Protect journalists from attacks."]["source_row"] == 5
    assert got["Protect journalists from attacks."]["country"] == "Croatia"
    assert got["Fund shelters for victims of violence."]["response"] == "supported"


def test_rows_for_one_state_and_session_share_one_document(db: Session, tmp_path: Path) -> None:
    report = load(db, upr_csv(tmp_path / "upr.csv", *ROWS), "upr-info")
    assert report.documents_added == 3
    documents = {r["document"] for r in recs(db).values()}
    assert len(documents) == 3
    serbia_29 = {
        r["document"] for r in recs(db).values() if r["recommending"][0] in ("France", "Brazil")
    }
    assert len(serbia_29) == 1


@pytest.mark.parametrize(
    ("session", "cycle"),
    [(1, 1), (12, 1), (13, 2), (26, 2), (27, 3), (40, 3), (41, 4), (47, 4)],
)
def test_the_cycle_follows_from_the_session(
    db: Session, tmp_path: Path, session: int, cycle: int
) -> None:
    load(db, upr_csv(tmp_path / "upr.csv", upr("Adopt a law.", Session=session)), "upr-info")
    assert list(recs(db)) == [f"UPR{cycle}-SRB-0001"]


def test_keys_carry_cycle_and_state_and_count_within_them(db: Session, tmp_path: Path) -> None:
    report = load(db, upr_csv(tmp_path / "upr.csv", *ROWS), "upr-info")
    assert sorted(recs(db)) == ["UPR1-HRV-0001", "UPR2-SRB-0001", "UPR3-SRB-0001", "UPR3-SRB-0002"]
    assert sorted(report.keys) == sorted(recs(db))


def test_keys_do_not_depend_on_the_order_of_the_rows(
    empty_memory: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same rows in other orders, into fresh databases, read a few at a time (so that
    rows meet in different chunks), give the same keys."""
    monkeypatch.setattr(bulk, "CHUNK", 3)
    rows = [
        *ROWS,
        upr("Ratify the Istanbul Convention.", From="Germany"),
        upr("Ratify the Istanbul Convention.", From="Austria"),
        upr("Train judges.", From="Germany", Session=15),
        upr("Train judges.", From="Germany", Session=15),  # repeated
        upr("Train judges.", To="Croatia", From="Germany", Session=9),
    ]
    seen = []
    for seed in range(4):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        for session in helpers.memory_session(helpers.copy_database(empty_memory)):
            load(session, upr_csv(tmp_path / f"upr-{seed}.csv", *shuffled), "upr-info")
            seen.append(by_content(session))
    assert len(seen[0]) == 8
    assert all(keys == seen[0] for keys in seen[1:])


def test_the_same_file_again_adds_and_changes_nothing(db: Session, tmp_path: Path) -> None:
    path = upr_csv(
        tmp_path / "upr.csv", *ROWS, upr("Fund shelters for victims of violence.", From="Brazil")
    )
    first = load(db, path, "upr-info")
    before = recs(db)
    again = load(db, path, "upr-info")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert again.repeated == 1
    assert again.documents_added == 0
    assert again.names_added == {}
    assert again.duplicates == []
    assert recs(db) == before
    assert first.added == 4


def test_a_newer_export_adds_what_is_new_and_updates_what_changed(
    db: Session, tmp_path: Path
) -> None:
    load(db, upr_csv(tmp_path / "2019.csv", *ROWS), "upr-info")
    before = recs(db)
    newer = [
        *ROWS[:3],
        upr("Fund shelters for victims of violence.", From="Brazil", Issue="Trafficking, Women"),
        upr("Ratify the Istanbul Convention.", From="Sweden", Session=43),
    ]
    report = load(db, upr_csv(tmp_path / "2024.csv", *newer), "upr-info")
    assert (report.added, report.updated, report.unchanged) == (1, 1, 3)
    after = recs(db)
    assert set(after) - set(before) == {"UPR4-SRB-0001"}
    assert after["UPR4-SRB-0001"]["recommending"] == ["Sweden"]
    shelters = next(k for k, r in after.items() if r["text"].startswith("Fund shelters"))
    assert sorted(after[shelters]["themes"]) == ["Trafficking", "Women"]
    assert [key for key, _ in report.changes] == [shelters]


def test_a_changed_response_is_an_update(db: Session, tmp_path: Path) -> None:
    load(db, upr_csv(tmp_path / "a.csv", upr("Adopt a law.", Response="Noted")), "upr-info")
    report = load(
        db, upr_csv(tmp_path / "b.csv", upr("Adopt a law.", Response="Supported")), "upr-info"
    )
    assert (report.added, report.updated) == (0, 1)
    (rec,) = recs(db).values()
    assert rec["response"] == "supported"
    assert report.changes[0][1][0].field == "response"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Accepted", "supported"),
        ("Supported", "supported"),
        ("supported ", "supported"),
        ("Noted", "noted"),
        ("NOTED", "noted"),
        ("Partially accepted", "partially_supported"),
        ("", None),
    ],
)
def test_responses(db: Session, tmp_path: Path, given: str, stored: str | None) -> None:
    load(db, upr_csv(tmp_path / "upr.csv", upr("Adopt a law.", Response=given)), "upr-info")
    (rec,) = recs(db).values()
    assert rec["response"] == stored


def test_a_row_repeated_in_the_file_is_one_recommendation(db: Session, tmp_path: Path) -> None:
    row = upr("Adopt a law.", From="Chile")
    report = load(
        db,
        upr_csv(
            tmp_path / "upr.csv",
            row,
            None,
            row,
            upr("Adopt a law.", From="Chile", Text="adopt  a LAW."),
        ),
        "upr-info",
    )
    assert (report.added, report.repeated) == (1, 2)
    assert report.duplicates == []
    (rec,) = recs(db).values()
    assert rec["text"] == "Adopt a law."


def test_two_states_making_the_same_recommendation_make_two(db: Session, tmp_path: Path) -> None:
    rows = [upr("Ratify the Istanbul Convention.", From=state) for state in ("France", "Chile")]
    report = load(db, upr_csv(tmp_path / "upr.csv", *rows), "upr-info")
    assert report.added == 2
    assert report.repeated == 0
    got = recs(db)
    assert sorted(r["recommending"][0] for r in got.values()) == ["Chile", "France"]
    # reported as a possible duplicate, with both keys
    assert len(report.duplicates) == 1
    assert set(report.duplicates[0]) == set(got)


def test_the_same_text_in_another_state_or_session_is_no_duplicate(
    db: Session, tmp_path: Path
) -> None:
    rows = [
        upr("Ratify the Istanbul Convention."),
        upr("Ratify the Istanbul Convention.", To="Croatia"),
        upr("Ratify the Istanbul Convention.", Session=43),
    ]
    report = load(db, upr_csv(tmp_path / "upr.csv", *rows), "upr-info")
    assert report.added == 3
    assert report.duplicates == []


def test_merge_duplicates_attaches_the_states_to_one(db: Session, tmp_path: Path) -> None:
    rows = [
        upr("Ratify the Istanbul Convention.", From="France", Issue="Women"),
        upr("Ratify the  istanbul Convention.", From="Chile", Issue="Violence"),
        upr("Train judges.", From="Chile"),
    ]
    report = load(db, upr_csv(tmp_path / "upr.csv", *rows), "upr-info", merge_duplicates=True)
    assert (report.added, report.merged) == (2, 1)
    assert report.duplicates == []
    ratify = next(r for r in recs(db).values() if r["text"].startswith("Ratify"))
    assert ratify["recommending"] == ["Chile", "France"]
    assert ratify["themes"] == ["Violence", "Women"]
    assert ratify["text"] == "Ratify the Istanbul Convention."
    again = load(db, upr_csv(tmp_path / "upr.csv", *rows), "upr-info", merge_duplicates=True)
    assert (again.added, again.updated) == (0, 0)
    assert len(recs(db)) == 2


def test_merge_duplicates_into_one_on_record(db: Session, tmp_path: Path) -> None:
    first = upr("Ratify the Istanbul Convention.", From="France")
    load(db, upr_csv(tmp_path / "a.csv", first), "upr-info")
    (key,) = recs(db)
    later = upr("Ratify the Istanbul Convention.", From="Chile")
    report = load(db, upr_csv(tmp_path / "b.csv", first, later), "upr-info", merge_duplicates=True)
    assert report.added == 0
    assert report.merged == 1
    assert recs(db)[key]["recommending"] == ["Chile", "France"]


@pytest.mark.parametrize("country", ["Serbia", "serbia", "SRB", "srb", " Serbia "])
def test_only_the_rows_about_one_state(db: Session, tmp_path: Path, country: str) -> None:
    report = load(db, upr_csv(tmp_path / "upr.csv", *ROWS), "upr-info", country=country)
    assert (report.added, report.outside) == (3, 1)
    assert {r["country"] for r in recs(db).values()} == {"Serbia"}


def test_bad_rows_about_other_states_are_passed_over(db: Session, tmp_path: Path) -> None:
    bad = upr("", To="Croatia", Session="XX")
    report = load(db, upr_csv(tmp_path / "upr.csv", ROWS[0], bad), "upr-info", country="SRB")
    assert (report.added, report.outside, report.rejected) == (1, 1, [])


# --- encodings --------------------------------------------------------------------------------

UNICODE = [
    upr("Ensure that women’s shelters are funded – in every region", From="Côte d'Ivoire"),
    upr("Zaštititi žrtve: čćđšž ČĆĐŠŽ; Ђорђе", From="Türkiye"),
]
WESTERN = [
    upr("Ensure that women’s shelters are funded – in every region", From="Côte d'Ivoire"),
    upr("Adopt the “zero tolerance” strategy on violence against children", From="Türkiye"),
    upr("Protect human rights defenders", From="Norway"),
]
CENTRAL = [
    upr("Obezbediti besplatnu pravnu pomoć žrtvama trgovine ljudima", From="Croatia"),
    upr("Usvojiti zakon o rodnoj ravnopravnosti i zaštiti od diskriminacije", From="Slovenia"),
    upr("Osnovati fond za naknadu štete žrtvama (Đorđević, Čačak)", From="Montenegro"),
]
MAC = [
    upr("Protéger les réfugiés et les défenseurs des droits", From="Côte d'Ivoire"),
    upr("Ensure that women’s shelters are funded", From="Norway"),
]
TEXTS = {"unicode": UNICODE, "western": WESTERN, "central": CENTRAL, "mac": MAC}


@pytest.mark.parametrize(
    ("encoding", "delimiter", "texts"),
    [
        ("utf-8", ",", "unicode"),
        ("utf-8-sig", ",", "unicode"),
        ("utf-16", "\t", "unicode"),  # with a byte-order mark: Excel's "Unicode text"
        ("utf-16-le", ",", "unicode"),  # without one
        ("utf-16-be", ";", "unicode"),
        ("cp1252", ",", "western"),
        ("cp1250", ";", "central"),
        ("mac_roman", ",", "mac"),
    ],
)
def test_every_encoding_is_read_as_written(
    db: Session, tmp_path: Path, encoding: str, delimiter: str, texts: str
) -> None:
    rows = TEXTS[texts]
    path = write_csv(tmp_path / "upr.csv", UPR_COLUMNS, rows, encoding, delimiter)
    load(db, path, "upr-info")
    got = sorted((r["text"], r["recommending"][0]) for r in recs(db).values())
    assert got == sorted((r["Text"], r["From"]) for r in rows)


def test_an_encoding_named_is_used(db: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "upr.csv", UPR_COLUMNS, WESTERN, "cp1252")
    load(db, path, "upr-info", encoding="cp1252")
    assert {r["text"] for r in recs(db).values()} == {r["Text"] for r in WESTERN}


def test_the_same_rows_in_another_encoding_are_the_same(db: Session, tmp_path: Path) -> None:
    load(db, write_csv(tmp_path / "a.csv", UPR_COLUMNS, UNICODE, "utf-8"), "upr-info")
    report = load(db, write_csv(tmp_path / "b.csv", UPR_COLUMNS, UNICODE, "utf-16"), "upr-info")
    assert (report.added, report.unchanged) == (0, 2)


# --- XLSX -------------------------------------------------------------------------------------


def test_a_workbook_export(db: Session, tmp_path: Path) -> None:
    """UPR Info as XLSX: numbers as numbers, a line break in a cell, the header below empty
    rows, an empty row between: rows are numbered as the sheet numbers them."""
    rows = [
        upr("Adopt a law\non trafficking. ", Session=29.0, Action=4.0),
        None,
        upr("Train judges.", From="Chile", Response="Noted", Session=15, Action=None),
    ]
    path = write_xlsx(tmp_path / "upr.xlsx", UPR_COLUMNS, rows, blank_rows_above=2)
    report = load(db, path, "upr-info")
    assert report.added == 2
    got = {r["text"]: r for r in recs(db).values()}
    law = got["Adopt a law\non trafficking. "]
    assert (law["key"], law["category"], law["source_row"]) == ("UPR3-SRB-0001", 4, 4)
    judges = got["Train judges."]
    assert (judges["key"], judges["category"], judges["response"]) == (
        "UPR2-SRB-0001",
        None,
        "noted",
    )
    assert (judges["source_file"], judges["source_row"]) == ("upr.xlsx", 6)


def test_a_workbook_and_a_csv_file_of_the_same_rows_are_the_same(
    db: Session, tmp_path: Path
) -> None:
    rows = [upr("Adopt a law.", Action=4), upr("Train judges.", From="Chile", Session=15)]
    load(db, write_xlsx(tmp_path / "upr.xlsx", UPR_COLUMNS, rows), "upr-info")
    report = load(db, upr_csv(tmp_path / "upr.csv", *rows), "upr-info")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 2)


# --- themes like recorded ones ------------------------------------------------------------------


def test_a_theme_like_a_recorded_one_is_refused_unless_new(
    sample_db: Session, tmp_path: Path
) -> None:
    """The sample data set has the themes 'migration' and 'compensation'."""
    from rectrack.errors import Problems
    from rectrack.shapes import NewNames

    rows = [
        upr("Adopt a law.", Issue="Migrations, Trafficking"),
        upr("Train judges.", From="Chile", Issue="compensation"),
    ]
    path = upr_csv(tmp_path / "upr.csv", *rows)
    with pytest.raises(Problems) as raised:
        load(sample_db, path, "upr-info", commit=False)
    assert raised.value.problems == [
        "upr.csv:2: Issue: 'Migrations' looks like the recorded theme 'migration' (correct it, "
        "or add --new-theme to record it as new)"
    ]
    sample_db.rollback()
    load(sample_db, path, "upr-info", new_names=NewNames(True, False))
    got = {r["text"]: r["themes"] for r in recs(sample_db, bodies=("UPR",)).values()}
    assert got["Adopt a law."] == ["Migrations", "Trafficking"]
    assert got["Train judges."] == ["compensation"]
