"""Exports of the Universal Human Rights Index (UHRI), XLSX and CSV, loaded through
rectrack.services.sources on in-memory databases: lists one a line after "- ", dates as Excel
serial numbers or text, the annotation id as the key to the recommendation, bodies found
or recorded, and documents that must agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from bulk_files import UHRI_COLUMNS, listed, load, recs, uhri, uhri_xlsx, write_csv
from rectrack.errors import Problems

ROWS = [
    uhri(
        "Adopt a comprehensive law on trafficking.\nEnsure that victims are identified. ",
        "3f2a-0001",
        Affected_Persons=listed("Women", "Victims of trafficking"),
    ),
    uhri(
        "Train judges and prosecutors.",
        "3f2a-0002",
        Themes=listed("Justice", "Trafficking in persons"),
        Sdgs=listed("16.3"),
        Affected_Persons="",
    ),
    None,
    uhri(
        "Consider ratifying the Convention on migrant workers.",
        "7e11-0100",
        Reccomending_Body="UPR",
        Document_Symbol="A/HRC/40/12",
        Document_Publication_Date="2018-12-20",
        UPR_Reccomending_States=listed("France", "Chile"),
        UPR_Position="Supported",
        UPR_Session="29",
        Themes=listed("Migrants"),
        Affected_Persons=listed("Migrants"),
        Sdgs="",
    ),
    uhri(
        "Ensure that journalists can work freely.",
        "7e11-0101",
        Reccomending_Body="UPR",
        Document_Symbol="A/HRC/40/12",
        Document_Publication_Date="2018-12-20 00:00:00",
        UPR_Reccomending_States=listed("Norway"),
        UPR_Position="Noted",
        UPR_Session="29",
        Themes=listed("Freedom of expression"),
    ),
]


def by_id(session: Session) -> dict[str, dict]:
    return {r["source_id"]: r for r in recs(session).values()}


def test_each_row_holds_what_the_file_says(db: Session, tmp_path: Path) -> None:
    report = load(db, uhri_xlsx(tmp_path / "uhri.xlsx", *ROWS), "uhri")
    assert report.added == 4
    assert report.documents_added == 2
    got = by_id(db)
    law = got["3f2a-0001"]
    assert (
        law["text"]
        == "Adopt a comprehensive law on trafficking.\nEnsure that victims are identified. "
    )
    assert law["body"] == "CEDAW"
    assert law["document"] == "CEDAW/C/SRB/CO/4"
    assert law["date"] == "2019-03-14"  # Excel's serial number 43538
    assert law["country"] == "Serbia"
    assert law["themes"] == ["Trafficking in persons"]
    assert sorted(law["affected"]) == ["Victims of trafficking", "Women"]
    assert sorted(law["sdgs"]) == ["16.2", "5.2"]
    assert law["recommending"] == []
    assert law["response"] is None
    assert (law["source_file"], law["source_row"]) == ("uhri.xlsx", 2)
    judges = got["3f2a-0002"]
    assert sorted(judges["themes"]) == ["Justice", "Trafficking in persons"]
    assert judges["affected"] == []
    assert judges["sdgs"] == ["16.3"]
    ratify = got["7e11-0100"]
    assert ratify["body"] == "UPR"
    assert ratify["recommending"] == ["Chile", "France"]
    assert ratify["response"] == "supported"
    assert ratify["date"] == "2018-12-20"
    assert ratify["source_row"] == 5  # after the empty row
    assert got["7e11-0101"]["response"] == "noted"
    assert got["7e11-0101"]["date"] == "2018-12-20"


def test_keys(db: Session, tmp_path: Path) -> None:
    load(db, uhri_xlsx(tmp_path / "uhri.xlsx", *ROWS), "uhri")
    keys = sorted(recs(db))
    # UPR session 29 is the third cycle; a treaty body's key carries state and year.
    assert keys == ["CEDAW-SRB-2019-0001", "CEDAW-SRB-2019-0002", "UPR3-SRB-0001", "UPR3-SRB-0002"]


def test_a_csv_export_holds_the_same(db: Session, tmp_path: Path) -> None:
    rows = [
        {
            **row,
            "Text": row["Text"].replace("\n", "\r\n"),
            "Document Publication Date": "2019-03-14",
        }
        for row in ROWS[:2]
    ]
    load(db, write_csv(tmp_path / "uhri.csv", UHRI_COLUMNS, rows), "uhri")
    got = by_id(db)
    law = got["3f2a-0001"]
    assert (
        law["text"]
        == "Adopt a comprehensive law on trafficking.\r\nEnsure that victims are identified. "
    )
    assert sorted(law["affected"]) == ["Victims of trafficking", "Women"]
    assert law["date"] == "2019-03-14"
    # the line breaks inside the first row's cells move the second row down
    assert got["3f2a-0002"]["source_row"] == 6


def test_serial_dates_in_a_csv_export(db: Session, tmp_path: Path) -> None:
    load(db, write_csv(tmp_path / "uhri.csv", UHRI_COLUMNS, ROWS[:2]), "uhri")
    assert {r["date"] for r in recs(db).values()} == {"2019-03-14"}


@pytest.mark.parametrize(
    "date", [43538, 43538.0, "2019-03-14", "2019-03-14T00:00:00", "14 March 2019"]
)
def test_date_forms(db: Session, tmp_path: Path, date: object) -> None:
    row = uhri("Adopt a law.", "a1", Document_Publication_Date=date)
    load(db, uhri_xlsx(tmp_path / "uhri.xlsx", row), "uhri")
    (rec,) = recs(db).values()
    assert rec["date"] == "2019-03-14"


def test_the_same_file_again_adds_and_changes_nothing(db: Session, tmp_path: Path) -> None:
    path = uhri_xlsx(tmp_path / "uhri.xlsx", *ROWS)
    load(db, path, "uhri")
    before = recs(db)
    again = load(db, path, "uhri")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert (again.documents_added, again.bodies_added, again.names_added) == (0, [], {})
    assert recs(db) == before


def test_a_corrected_text_updates_the_recommendation_of_that_id(
    db: Session, tmp_path: Path
) -> None:
    load(db, uhri_xlsx(tmp_path / "uhri.xlsx", *ROWS), "uhri")
    before = by_id(db)
    corrected = [
        {**ROWS[0], "Text": "Adopt a comprehensive law on trafficking in human beings. "},
        *ROWS[1:],
        uhri("Set up a compensation fund.", "3f2a-0003"),
    ]
    report = load(db, uhri_xlsx(tmp_path / "newer.xlsx", *corrected), "uhri")
    assert (report.added, report.updated, report.unchanged) == (1, 1, 3)
    after = by_id(db)
    assert after["3f2a-0001"]["key"] == before["3f2a-0001"]["key"]
    assert (
        after["3f2a-0001"]["text"] == "Adopt a comprehensive law on trafficking in human beings. "
    )
    assert after["3f2a-0003"]["key"] == "CEDAW-SRB-2019-0003"


def test_a_repeated_annotation_id_is_one_recommendation(db: Session, tmp_path: Path) -> None:
    report = load(db, uhri_xlsx(tmp_path / "uhri.xlsx", ROWS[0], ROWS[1], ROWS[0]), "uhri")
    assert (report.added, report.repeated) == (2, 1)


def test_without_an_annotation_id_document_states_and_text_decide(
    db: Session, tmp_path: Path
) -> None:
    rows = [
        uhri("Adopt a law.", ""),
        uhri(
            "Ratify the convention.",
            " ",
            Reccomending_Body="UPR",
            Document_Symbol="A/HRC/40/12",
            UPR_Reccomending_States=listed("France"),
        ),
        uhri(
            "Ratify the convention.",
            "",
            Reccomending_Body="UPR",
            Document_Symbol="A/HRC/40/12",
            UPR_Reccomending_States=listed("Chile"),
        ),
    ]
    path = uhri_xlsx(tmp_path / "uhri.xlsx", *rows)
    report = load(db, path, "uhri")
    assert report.added == 3
    assert len(report.duplicates) == 1
    again = load(db, path, "uhri")
    assert (again.added, again.unchanged) == (0, 3)


def test_bodies_are_found_by_code_or_name(db: Session, tmp_path: Path) -> None:
    names = ["CEDAW", "Committee on the Rights of the Child", "Human Rights Committee", "cat"]
    rows = [
        uhri(f"Recommendation {i}.", f"id-{i}", Reccomending_Body=name, Document_Symbol=f"DOC/{i}")
        for i, name in enumerate(names)
    ]
    report = load(db, uhri_xlsx(tmp_path / "uhri.xlsx", *rows), "uhri")
    assert report.bodies_added == []
    assert sorted(r["body"] for r in recs(db).values()) == ["CAT", "CCPR", "CEDAW", "CRC"]


def test_an_unknown_body_is_recorded_and_reported(db: Session, tmp_path: Path) -> None:
    row = uhri(
        "Investigate attacks on journalists.",
        "9c1e-77",
        Reccomending_Body="Special Rapporteur on freedom of expression",
        Document_Symbol="A/HRC/50/38/Add.1",
        Document_Publication_Date="2022-06-01",
    )
    path = uhri_xlsx(tmp_path / "uhri.xlsx", row)
    report = load(db, path, "uhri")
    assert len(report.bodies_added) == 1
    code, name = report.bodies_added[0]
    assert name == "Special Rapporteur on freedom of expression"
    (rec,) = recs(db).values()
    assert rec["body"] == code
    again = load(db, path, "uhri")
    assert again.bodies_added == []
    assert again.unchanged == 1


def test_only_the_rows_about_one_state(db: Session, tmp_path: Path) -> None:
    rows = [
        *ROWS[:2],
        uhri(
            "Protect journalists.",
            "hr-1",
            Countries_Concerned=listed("Croatia"),
            Document_Symbol="CEDAW/C/HRV/CO/4",
        ),
    ]
    report = load(db, uhri_xlsx(tmp_path / "uhri.xlsx", *rows), "uhri", country="SRB")
    assert (report.added, report.outside) == (2, 1)


def test_two_dates_for_one_symbol_are_refused_naming_both(db: Session, tmp_path: Path) -> None:
    rows = [
        uhri("Adopt a law.", "a1"),
        uhri("Train judges.", "a2", Document_Publication_Date="2019-04-02"),
    ]
    with pytest.raises(Problems) as raised:
        load(db, uhri_xlsx(tmp_path / "uhri.xlsx", *rows), "uhri", commit=False)
    (problem,) = raised.value.problems
    assert problem.startswith("uhri.xlsx:3: ")
    assert "CEDAW/C/SRB/CO/4" in problem
    assert "2019-03-14" in problem and "2019-04-02" in problem


def test_a_symbol_on_record_with_another_date_is_refused(
    sample_db: Session, tmp_path: Path
) -> None:
    """The sample data set has CEDAW/C/SRB/CO/4 of 2019: a UHRI row of 2018 under that
    symbol is another document; one of March 2019 is the same."""
    same = uhri("Adopt a law on trafficking.", "a1", Document_Publication_Date="2019-03-14")
    load(sample_db, uhri_xlsx(tmp_path / "same.xlsx", same), "uhri")
    other = uhri("Adopt a law on asylum.", "a2", Document_Publication_Date="2018-03-14")
    with pytest.raises(Problems) as raised:
        load(sample_db, uhri_xlsx(tmp_path / "other.xlsx", other), "uhri", commit=False)
    (problem,) = raised.value.problems
    assert "CEDAW/C/SRB/CO/4" in problem and "2019" in problem and "2018-03-14" in problem


def test_a_date_in_the_future_is_one_problem_in_its_column(db: Session, tmp_path: Path) -> None:
    row = uhri("Adopt a law.", "a1", Document_Publication_Date="2099-01-01")
    with pytest.raises(Problems) as raised:
        load(db, uhri_xlsx(tmp_path / "uhri.xlsx", row), "uhri", commit=False)
    (problem,) = raised.value.problems
    assert problem.startswith("uhri.xlsx:2: Document Publication Date: '2099-01-01' is in the")


def test_a_date_in_the_future_is_refused(db: Session, tmp_path: Path) -> None:
    row = uhri("Adopt a law.", "a1", Document_Publication_Date=73051)  # 2100-01-01
    with pytest.raises(Problems) as raised:
        load(db, uhri_xlsx(tmp_path / "uhri.xlsx", row), "uhri", commit=False)
    assert raised.value.problems
    assert all(p.startswith("uhri.xlsx:2: ") for p in raised.value.problems)
    assert any("2100-01-01" in p and "future" in p for p in raised.value.problems)
