"""Bad files and bad rows, through rectrack.services.sources on in-memory databases: a file is
loaded whole or not at all, every problem named as FILE:LINE: column: reason (the first 50,
then how many in all); with skip_bad the good rows load and the bad ones are written, with
why, to FILE.rejected.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlmodel import Session

from bulk_files import UPR_COLUMNS, load, recs, uhri, uhri_xlsx, upr, upr_csv, write_csv, write_xlsx
from rectrack.errors import Problems, RectrackError
from rectrack.services import bulk
from rectrack.services.sources import rejected_path, write_rejects

BAD = [
    upr("Adopt a law.", From="France"),
    upr("Train judges.", Session="XX"),
    upr("Fund shelters.", Response="Maybe"),
    upr("Ratify the convention.", Action="9"),
    upr("Protect journalists.", To="  "),
    upr("Protect defenders.", From="Chile"),
]


def test_every_problem_is_listed_with_its_line_and_column(db: Session, tmp_path: Path) -> None:
    with pytest.raises(Problems) as raised:
        load(db, upr_csv(tmp_path / "upr.csv", *BAD), "upr-info", commit=False)
    assert raised.value.problems == [
        "upr.csv:3: Session: 'XX' is not a session number",
        "upr.csv:4: Response: 'Maybe' is not Accepted, Supported or Noted",
        "upr.csv:5: Action: '9' is not an action category (1 to 5)",
        "upr.csv:6: To: the row names no state under review",
    ]
    assert "4 problems in upr.csv: nothing imported" in str(raised.value)
    assert "--skip-bad" in str(raised.value)


def test_nothing_is_written_when_a_late_row_is_bad(
    db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are written a chunk at a time; a bad row in the last chunk still leaves nothing
    once the caller rolls back, as `rectrack import` does."""
    monkeypatch.setattr(bulk, "CHUNK", 2)
    rows = [upr(f"Recommendation {i}.", From=f"State {i}") for i in range(5)]
    path = upr_csv(tmp_path / "upr.csv", *rows, upr("Late.", Response="Maybe"))
    with pytest.raises(Problems) as raised:
        load(db, path, "upr-info", commit=False)
    assert raised.value.problems == [
        "upr.csv:7: Response: 'Maybe' is not Accepted, Supported or Noted"
    ]
    db.rollback()
    assert recs(db) == {}


def test_problems_are_capped_at_50_with_the_total(db: Session, tmp_path: Path) -> None:
    rows = [upr(f"Recommendation {i}.", Session="XX") for i in range(70)]
    with pytest.raises(Problems) as raised:
        load(db, upr_csv(tmp_path / "upr.csv", *rows), "upr-info", commit=False)
    problems = raised.value.problems
    assert len(problems) == 51
    assert problems[0] == "upr.csv:2: Session: 'XX' is not a session number"
    assert problems[49] == "upr.csv:51: Session: 'XX' is not a session number"
    assert problems[50] == "... and 20 more problems"
    assert str(raised.value).startswith("70 problems in upr.csv")


@pytest.mark.parametrize("fmt", ["upr-info", "uhri", "table"])
def test_a_row_without_text_is_one_problem(db: Session, tmp_path: Path, fmt: str) -> None:
    options: dict[str, object] = {}
    if fmt == "upr-info":
        path = upr_csv(tmp_path / "f.csv", upr("Adopt a law."), upr("  \r\n "))
    elif fmt == "uhri":
        path = uhri_xlsx(tmp_path / "f.xlsx", uhri("Adopt a law.", "a1"), uhri(" ", "a2"))
    else:
        rows = [{"Text": "Adopt a law.", "Para": "1"}, {"Text": " ", "Para": "2"}]
        path = write_csv(tmp_path / "f.csv", ["Text", "Para"], rows)
        options = {"maps": ["text=Text", "paragraph=Para"], "body": "CEDAW"}
    with pytest.raises(Problems) as raised:
        load(db, path, fmt, commit=False, **options)
    assert raised.value.problems == [f"{path.name}:3: Text: the row has no text"]


def test_a_row_without_text_is_refused(db: Session, tmp_path: Path) -> None:
    with pytest.raises(Problems) as raised:
        load(
            db, upr_csv(tmp_path / "f.csv", upr("Adopt a law."), upr(" ")), "upr-info", commit=False
        )
    assert set(raised.value.problems) == {"f.csv:3: Text: the row has no text"}


# --- files that are not what they say ---------------------------------------------------------


def test_an_unbalanced_quote_refuses_the_file_at_its_line(db: Session, tmp_path: Path) -> None:
    path = tmp_path / "upr.csv"
    path.write_text(
        ",".join(UPR_COLUMNS) + "\r\n"
        "Serbia,EEG,,Adopt a law.,France,WEOG,,Supported,5,Trafficking,29\r\n"
        'Serbia,EEG,,"Train judges.,Chile,GRULAC,,Noted,4,Justice,29\r\n'
        "Serbia,EEG,,Fund shelters.,Brazil,GRULAC,,Noted,4,Justice,29\r\n",
        encoding="utf-8",
    )
    with pytest.raises(RectrackError) as raised:
        load(db, path, "upr-info", commit=False)
    assert str(raised.value).startswith("upr.csv:3: a quoted field is never closed")
    db.rollback()
    assert recs(db) == {}


def test_a_file_of_another_format_is_refused_with_the_columns_it_lacks(
    db: Session, tmp_path: Path
) -> None:
    path = uhri_xlsx(tmp_path / "uhri.xlsx", uhri("Adopt a law.", "a1"))
    with pytest.raises(RectrackError) as raised:
        load(db, path, "upr-info", commit=False)
    message = str(raised.value)
    assert "uhri.xlsx is not a upr-info export" in message
    assert "To, From, Session" in message
    assert "OHCHR Annotation Id" in message  # what it has


def test_a_file_that_is_no_workbook(db: Session, tmp_path: Path) -> None:
    path = tmp_path / "upr.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip file")
    with pytest.raises(RectrackError):
        load(db, path, "upr-info", commit=False)


def test_a_file_with_a_header_only_has_no_recommendations(db: Session, tmp_path: Path) -> None:
    with pytest.raises(RectrackError) as raised:
        load(db, upr_csv(tmp_path / "upr.csv", None, None), "upr-info", commit=False)
    assert "upr.csv has no recommendations" in str(raised.value)


def test_a_text_that_is_not_in_the_encoding_named(db: Session, tmp_path: Path) -> None:
    path = upr_csv(tmp_path / "upr.csv", upr("Zaštititi žrtve."), encoding="utf-16")
    with pytest.raises(RectrackError) as raised:
        load(db, path, "upr-info", encoding="utf-8", commit=False)
    assert "upr.csv" in str(raised.value)
    assert "--encoding" in str(raised.value)


# --- skip_bad: the good rows, and the bad ones in FILE.rejected.csv --------------------------


def rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_skip_bad_loads_the_good_rows_and_keeps_the_bad_with_why(
    db: Session, tmp_path: Path
) -> None:
    path = upr_csv(tmp_path / "upr.csv", *BAD)
    report = load(db, path, "upr-info", skip_bad=True)
    assert report.added == 2
    assert sorted(r["text"] for r in recs(db).values()) == ["Adopt a law.", "Protect defenders."]
    assert [r.line for r in report.rejected] == [3, 4, 5, 6]
    written = write_rejects(path, report)
    assert written == tmp_path / "upr.rejected.csv" == rejected_path(path)
    rows = rejects(written)
    assert list(rows[0]) == ["Line", *UPR_COLUMNS, "Problems"]
    assert [(r["Line"], r["Text"]) for r in rows] == [
        ("3", "Train judges."),
        ("4", "Fund shelters."),
        ("5", "Ratify the convention."),
        ("6", "Protect journalists."),
    ]
    assert rows[0]["Session"] == "XX"
    assert rows[0]["Problems"] == "Session: 'XX' is not a session number"
    assert rows[1]["Response"] == "Maybe"
    assert "'Maybe' is not Accepted, Supported or Noted" in rows[1]["Problems"]
    assert rows[3]["To"] == "  "


def test_a_rejected_row_keeps_its_text_exactly(db: Session, tmp_path: Path) -> None:
    text = ' Adopt a law\r\n"on trafficking"; now. '
    path = upr_csv(
        tmp_path / "upr.csv", upr("Fine."), upr(text, Response="Maybe"), encoding="utf-16"
    )
    report = load(db, path, "upr-info", skip_bad=True)
    (row,) = rejects(write_rejects(path, report))
    assert row["Text"] == text


def test_rejects_of_a_workbook(db: Session, tmp_path: Path) -> None:
    rows = [upr("Fine.", Session=29), None, upr("Bad.", Session=29, Action=7)]
    path = write_xlsx(tmp_path / "upr.xlsx", UPR_COLUMNS, rows)
    report = load(db, path, "upr-info", skip_bad=True)
    written = write_rejects(path, report)
    assert written == tmp_path / "upr.rejected.csv"
    (row,) = rejects(written)
    assert (row["Line"], row["Text"], row["Action"], row["Session"]) == ("4", "Bad.", "7", "29")


def test_no_file_of_rejects_when_every_row_is_good(db: Session, tmp_path: Path) -> None:
    path = upr_csv(tmp_path / "upr.csv", upr("Fine."))
    report = load(db, path, "upr-info", skip_bad=True)
    assert write_rejects(path, report) is None
    assert not rejected_path(path).exists()


def test_skip_bad_when_every_row_is_bad(db: Session, tmp_path: Path) -> None:
    path = upr_csv(tmp_path / "upr.csv", *BAD[1:5])
    report = load(db, path, "upr-info", skip_bad=True)
    assert (report.added, len(report.rejected)) == (0, 4)
    assert recs(db) == {}


def test_the_reasons_stay_in_their_column_for_a_row_with_an_extra_cell(
    db: Session, tmp_path: Path
) -> None:
    path = tmp_path / "upr.csv"
    path.write_text(
        ",".join(UPR_COLUMNS) + "\r\n"
        "Serbia,EEG,,Adopt a law.,France,WEOG,,Supported,5,Trafficking,29\r\n"
        "Serbia,EEG,,Train judges.,France,WEOG,,Maybe,5,Trafficking,29,\r\n",
        encoding="utf-8",
    )
    report = load(db, path, "upr-info", skip_bad=True)
    (row,) = rejects(write_rejects(path, report))
    assert row["Problems"] == "Response: 'Maybe' is not Accepted, Supported or Noted"
