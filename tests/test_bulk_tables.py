"""An organisation's own tables (CSV with commas, semicolons or tabs; XLSX; JSON; JSON lines)
loaded through a mapping of their columns (`--map FIELD=COLUMN`), on in-memory databases:
what each row gives, lists split, statuses become assessments only where they changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from bulk_files import load, recs, write_csv, write_json, write_jsonl, write_xlsx
from rectrack.errors import BadValue, Problems
from rectrack.models import Assessment, Recommendation

COLUMNS = [
    "Ref",
    "Committee",
    "Symbol",
    "Para",
    "Issued",
    "State",
    "Recommendation",
    "Topics",
    "Who",
    "Status",
    "As of",
    "Comment",
]
ROWS: list[dict[str, Any] | None] = [
    {
        "Committee": "CEDAW",
        "Symbol": "CEDAW/C/SRB/CO/4",
        "Para": "24(b)",
        "Issued": "2019-03-14",
        "State": "Serbia ",
        "Recommendation": "Adopt a law on trafficking. ",
        "Topics": "Trafficking; Gender equality ;",
        "Who": "Ministry of Justice",
        "Status": "Pending",
        "As of": "2024-05-01",
        "Comment": "Draft in parliament",
    },
    {
        "Committee": "greta",
        "Issued": "March 2023",
        "State": "Serbia",
        "Recommendation": "Set up a compensation fund.",
        "Topics": "Compensation",
        "Status": "N/A",
    },
    None,
    {
        "Ref": "TIP-2021-0001",
        "Committee": "TIP",
        "Issued": "2021",
        "State": "Serbia",
        "Recommendation": "Prosecute traffickers.",
        "Status": "Done",
        "As of": "2025-01-10",
    },
]
MAPS = [
    "key=Ref",
    "body=Committee",
    "document=Symbol",
    "paragraph=Para",
    "date=Issued",
    "country=State",
    "text=Recommendation",
    "themes=Topics",
    "institutions=Who",
    "status=Status",
    "status_date=As of",
    "note=Comment",
]
STATUS_MAP = ["Pending=in_progress", "N/A=skip", "Done=implemented"]
OPTIONS: dict[str, Any] = {"maps": MAPS, "split_on": ";", "status_map": STATUS_MAP}

Writer = Callable[[Path, list[dict[str, Any] | None]], Path]
WRITERS: dict[str, tuple[str, Writer]] = {
    "comma": ("ours.csv", lambda p, rows: write_csv(p, COLUMNS, rows)),
    "semicolon": ("ours.csv", lambda p, rows: write_csv(p, COLUMNS, rows, delimiter=";")),
    "tab": ("ours.tsv", lambda p, rows: write_csv(p, COLUMNS, rows, "utf-16", "\t")),
    "xlsx": ("ours.xlsx", lambda p, rows: write_xlsx(p, COLUMNS, rows)),
    "json": ("ours.json", lambda p, rows: write_json(p, [r for r in rows if r])),
    "jsonl": ("ours.jsonl", write_jsonl),
}


def assessments(session: Session) -> list[tuple[str, str, str, str, str | None, str]]:
    """(key, date, status, perspective, note, recorded_by) of every assessment."""
    query = select(
        Recommendation.key,
        Assessment.date,
        Assessment.status,
        Assessment.perspective,
        Assessment.note,
        Assessment.recorded_by,
    ).join(Recommendation, Recommendation.id == Assessment.recommendation_id)
    return sorted(tuple(row) for row in session.exec(query))  # type: ignore[misc]


@pytest.mark.parametrize("kind", list(WRITERS))
def test_each_kind_of_table_holds_what_the_file_says(
    db: Session, tmp_path: Path, kind: str
) -> None:
    name, write = WRITERS[kind]
    report = load(db, write(tmp_path / name, ROWS), "table", assessor="Ana", **OPTIONS)
    assert report.added == 3
    got = recs(db)
    assert sorted(got) == ["CEDAW-SRB-2019-24b", "GRETA-SRB-2023-0001", "TIP-2021-0001"]
    law = got["CEDAW-SRB-2019-24b"]
    assert law["text"] == "Adopt a law on trafficking. "
    assert (law["document"], law["paragraph"], law["date"]) == (
        "CEDAW/C/SRB/CO/4",
        "24(b)",
        "2019-03-14",
    )
    assert law["country"] == "Serbia"
    assert law["themes"] == ["Gender equality", "Trafficking"]
    assert law["institutions"] == ["Ministry of Justice"]
    assert law["source_file"] == name
    assert got["GRETA-SRB-2023-0001"]["date"] == "2023-03"
    assert assessments(db) == [
        ("CEDAW-SRB-2019-24b", "2024-05-01", "in_progress", "ngo", "Draft in parliament", "Ana"),
        ("TIP-2021-0001", "2025-01-10", "implemented", "ngo", None, "Ana"),
    ]
    again = load(db, write(tmp_path / name, ROWS), "table", **OPTIONS)
    assert (again.added, again.updated, again.unchanged, again.assessments) == (0, 0, 3, 0)


def test_rows_are_numbered_by_their_place_in_the_file(db: Session, tmp_path: Path) -> None:
    load(db, write_csv(tmp_path / "ours.csv", COLUMNS, ROWS), "table", **OPTIONS)
    assert {k: r["source_row"] for k, r in recs(db).items()} == {
        "CEDAW-SRB-2019-24b": 2,
        "GRETA-SRB-2023-0001": 3,
        "TIP-2021-0001": 5,  # after an empty row
    }


def test_json_items_are_numbered_from_one(db: Session, tmp_path: Path) -> None:
    load(db, write_json(tmp_path / "ours.json", [r for r in ROWS if r]), "table", **OPTIONS)
    assert recs(db)["TIP-2021-0001"]["source_row"] == 3


def test_one_body_for_a_file_without_a_body_column(db: Session, tmp_path: Path) -> None:
    rows = [
        {"Recommendation": "Adopt a law.", "Issued": "2019"},
        {"Recommendation": "Train judges."},
    ]
    path = write_csv(tmp_path / "cedaw.csv", ["Recommendation", "Issued"], rows)
    load(db, path, "table", maps=["text=Recommendation", "date=Issued"], body="CEDAW")
    assert {r["body"] for r in recs(db).values()} == {"CEDAW"}
    assert sorted(recs(db)) == ["CEDAW-0001", "CEDAW-2019-0001"]


def test_lists_are_one_a_line_unless_told(db: Session, tmp_path: Path) -> None:
    rows = [{"Text": "Adopt a law.", "Topics": "- Trafficking\r\n- Gender equality\r\n"}]
    path = write_csv(tmp_path / "ours.csv", ["Text", "Topics"], rows)
    load(db, path, "table", maps=["text=Text", "themes=Topics"], body="CEDAW")
    (rec,) = recs(db).values()
    assert rec["themes"] == ["Gender equality", "Trafficking"]


def test_every_list_field(db: Session, tmp_path: Path) -> None:
    columns = ["Text", "States", "Groups", "SDG", "Bodies"]
    rows = [
        {
            "Text": "Ratify the convention.",
            "States": "France|Chile",
            "Groups": "Women| Migrants",
            "SDG": "5.2|16.2",
            "Bodies": "UPR",
        }
    ]
    maps = ["text=Text", "recommending=States", "affected=Groups", "sdgs=SDG", "body=Bodies"]
    load(db, write_csv(tmp_path / "ours.csv", columns, rows), "table", maps=maps, split_on="|")
    (rec,) = recs(db).values()
    assert (rec["recommending"], rec["affected"], rec["sdgs"]) == (
        ["Chile", "France"],
        ["Migrants", "Women"],
        ["16.2", "5.2"],
    )


def test_a_json_array_is_a_list_whatever_the_separator(db: Session, tmp_path: Path) -> None:
    records = [{"text": "Adopt a law.", "themes": ["Trafficking", "Gender equality"]}]
    path = write_json(tmp_path / "ours.json", records)
    load(db, path, "table", maps=["text=text", "themes=themes"], body="CEDAW", split_on=";")
    (rec,) = recs(db).values()
    assert rec["themes"] == ["Gender equality", "Trafficking"]


def test_a_json_array_is_a_list(db: Session, tmp_path: Path) -> None:
    records = [{"text": "Adopt a law.", "themes": ["Trafficking", "Gender equality"]}]
    path = write_jsonl(tmp_path / "ours.jsonl", records)
    load(db, path, "table", maps=["text=text", "themes=themes"], body="CEDAW")
    (rec,) = recs(db).values()
    assert rec["themes"] == ["Gender equality", "Trafficking"]


def test_rows_without_ids_are_known_again_by_their_content(db: Session, tmp_path: Path) -> None:
    """No key column: a row with a document and paragraph is that paragraph; one without is
    its body, country and text."""
    rows = [
        {
            "Committee": "CEDAW",
            "Symbol": "CEDAW/C/SRB/CO/4",
            "Para": "24(b)",
            "Recommendation": "Adopt a law.",
        },
        {"Committee": "GRETA", "State": "Serbia", "Recommendation": "Set up a compensation fund."},
        {"Committee": "GRETA", "State": "Croatia", "Recommendation": "Set up a compensation fund."},
    ]
    maps = [
        "body=Committee",
        "document=Symbol",
        "paragraph=Para",
        "country=State",
        "text=Recommendation",
    ]
    load(db, write_csv(tmp_path / "ours.csv", COLUMNS, rows), "table", maps=maps)
    assert len(recs(db)) == 3
    reworded = [{**rows[0], "Recommendation": "Adopt a comprehensive law."}, *rows[1:]]
    report = load(db, write_csv(tmp_path / "ours.csv", COLUMNS, reworded), "table", maps=maps)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    (law,) = [r for r in recs(db).values() if r["paragraph"] == "24(b)"]
    assert law["text"] == "Adopt a comprehensive law."


# --- statuses ---------------------------------------------------------------------------------

STATUS_COLUMNS = ["Key", "Body", "Text", "Status", "Date"]
STATUS_MAPS = ["key=Key", "body=Body", "text=Text", "status=Status", "status_date=Date"]


def tracking(*statuses: tuple[str, str]) -> list[dict[str, Any] | None]:
    texts = ["Adopt a law.", "Train judges.", "Fund shelters."]
    return [
        {
            "Key": f"CEDAW-2019-{10 + i}",
            "Body": "CEDAW",
            "Text": text,
            "Status": status,
            "Date": date,
        }
        for i, (text, (status, date)) in enumerate(zip(texts, statuses, strict=True))
    ]


def test_a_newer_table_records_an_assessment_only_where_the_status_changed(
    db: Session, tmp_path: Path
) -> None:
    first = tracking(("in progress", "2024-01-10"), ("Not implemented", "2024-01-10"), ("", ""))
    load(db, write_csv(tmp_path / "2024.csv", STATUS_COLUMNS, first), "table", maps=STATUS_MAPS)
    assert len(assessments(db)) == 2
    newer = tracking(
        ("Partial", "2025-02-01"), ("not implemented", "2025-02-01"), ("Implemented", "2025-03-01")
    )
    report = load(
        db, write_csv(tmp_path / "2025.csv", STATUS_COLUMNS, newer), "table", maps=STATUS_MAPS
    )
    assert (report.updated, report.unchanged, report.assessments) == (0, 3, 2)
    assert [(k, d, s) for k, d, s, *_ in assessments(db)] == [
        ("CEDAW-2019-10", "2024-01-10", "in_progress"),
        ("CEDAW-2019-10", "2025-02-01", "partial"),
        ("CEDAW-2019-11", "2024-01-10", "not_implemented"),
        ("CEDAW-2019-12", "2025-03-01", "implemented"),
    ]
    again = load(
        db, write_csv(tmp_path / "2025.csv", STATUS_COLUMNS, newer), "table", maps=STATUS_MAPS
    )
    assert again.assessments == 0


def test_a_status_without_a_date_is_of_today_and_not_repeated(db: Session, tmp_path: Path) -> None:
    import datetime as dt

    rows = tracking(("partial", ""), ("", ""), ("", ""))
    path = write_csv(tmp_path / "ours.csv", STATUS_COLUMNS, rows)
    load(db, path, "table", maps=STATUS_MAPS)
    assert [(k, d, s) for k, d, s, *_ in assessments(db)] == [
        ("CEDAW-2019-10", dt.date.today().isoformat(), "partial")
    ]
    assert load(db, path, "table", maps=STATUS_MAPS).assessments == 0


def test_statuses_are_of_the_perspective_asked_for(db: Session, tmp_path: Path) -> None:
    rows = tracking(("partial", "2024-01-10"), ("", ""), ("", ""))
    path = write_csv(tmp_path / "ours.csv", STATUS_COLUMNS, rows)
    load(db, path, "table", maps=STATUS_MAPS)
    report = load(db, path, "table", maps=STATUS_MAPS, perspective="state", assessor="Ministry")
    assert report.assessments == 1
    assert [(p, who) for *_, p, _note, who in assessments(db)][1] == ("state", "Ministry")


def test_statuses_of_recommendations_on_record(sample_db: Session, tmp_path: Path) -> None:
    """An NGO's tracking sheet keyed by rectrack's keys: CEDAW-2019-0002 is Not implemented
    in the sample data set, CEDAW-2019-0001 has no assessment yet."""
    before = dict(recs(sample_db))
    rows = [
        {
            "Key": "CEDAW-2019-0002",
            "Text": before["CEDAW-2019-0002"]["text"],
            "Status": "Not implemented",
            "Date": "2025-01-01",
        },
        {
            "Key": "cedaw-2019-0001",
            "Text": before["CEDAW-2019-0001"]["text"],
            "Status": "Partial",
            "Date": "2025-01-01",
        },
    ]
    path = write_csv(tmp_path / "ours.csv", STATUS_COLUMNS, rows)
    report = load(sample_db, path, "table", maps=STATUS_MAPS, body="CEDAW")
    assert (report.added, report.updated, report.unchanged, report.assessments) == (0, 0, 2, 1)
    assert recs(sample_db) == before


# --- what a table cannot give -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("maps", "body", "fragments"),
    [
        (["text=Recommendation", "body=Comittee"], None, ["body=Comittee", "Committee"]),
        (["body=Committee"], None, ["--map text=COLUMN"]),
        (["text=Recommendation"], None, ["--body CODE"]),
        (["txt=Recommendation"], "CEDAW", ["'txt' is not a field", "did you mean 'text'"]),
        (["text"], "CEDAW", ["'text' is not a mapping"]),
    ],
)
def test_a_mapping_the_file_cannot_give_is_refused(
    db: Session, tmp_path: Path, maps: list[str], body: str | None, fragments: list[str]
) -> None:
    path = write_csv(tmp_path / "ours.csv", COLUMNS, ROWS)
    with pytest.raises(BadValue) as raised:
        load(db, path, "table", maps=maps, body=body, commit=False)
    for fragment in fragments:
        assert fragment in str(raised.value)
    assert recs(db) == {}


def test_a_header_with_spaces_around_is_found(db: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ours.csv",
        [" Recommendation ", "Committee  "],
        [{" Recommendation ": "Adopt a law.", "Committee  ": "CEDAW"}],
    )
    load(db, path, "table", maps=["text=Recommendation", "body=Committee"])
    assert [r["text"] for r in recs(db).values()] == ["Adopt a law."]


def test_every_bad_value_is_a_problem_of_its_row_and_column(db: Session, tmp_path: Path) -> None:
    columns = ["Body", "Text", "Date", "Due", "Status", "When"]
    rows = [
        {"Body": "Ombudsman", "Text": "A.", "Date": "2019"},
        {"Body": "CEDAW", "Text": "B.", "Date": "2099-05-01"},
        {"Body": "CEDAW", "Text": "C.", "Due": "2049"},  # a due date may be ahead
        {"Body": "CEDAW", "Text": "D.", "Status": "Pending"},
        {"Body": "CEDAW", "Text": "E.", "Status": "partial", "When": "2099-01-01"},
        {"Body": "CEDAW", "Text": "F.", "Date": "04/03/2019"},
    ]
    maps = ["body=Body", "text=Text", "date=Date", "due=Due", "status=Status", "status_date=When"]
    with pytest.raises(Problems) as raised:
        load(db, write_csv(tmp_path / "ours.csv", columns, rows), "table", maps=maps, commit=False)
    problems = raised.value.problems
    assert [p.split(": ", 2)[:2] for p in problems] == [
        ["ours.csv:2", "Body"],
        ["ours.csv:3", "Date"],
        ["ours.csv:5", "Status"],
        ["ours.csv:6", "When"],
        ["ours.csv:7", "Date"],
    ]
    assert "'Ombudsman' is not a known body" in problems[0]
    assert "CEDAW" in problems[0]  # the known bodies are listed
    assert "future" in problems[1]
    assert '--status-map "Pending=STATUS"' in problems[2]
    assert "future" in problems[3]
    assert "04/03/2019" in problems[4]
