"""`rectrack import` of UPR Info, UHRI and an organisation's own tables as a user runs it: the
summary line on stderr, --dry-run, refusals that change nothing, --skip-bad's file of
rejects, formats recognised, options that mean nothing refused, saved mappings, and what
`show` and `status` give right after."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bulk_files import (
    UPR_COLUMNS,
    listed,
    uhri,
    uhri_xlsx,
    upr,
    upr_csv,
    write_csv,
    write_json,
    write_xlsx,
)
from helpers import Cli

ROWS = [
    upr("Ratify the Istanbul Convention.", From="France"),
    upr("Ratify the Istanbul Convention.", From="Germany", Response="Noted"),
    upr("Ratify the Istanbul Convention.", From="Germany", Response="Noted"),  # repeated
    upr("Adopt a law\r\non trafficking.", From="Chile", Session=15),
    upr("Protect journalists.", To="Croatia", From="Norway", Session=9),
]


@pytest.fixture
def upr_file(tmp_path: Path) -> Path:
    return upr_csv(tmp_path / "upr.csv", *ROWS)


def stderr_lines(cli: Cli, *args: object) -> list[str]:
    result = cli(*map(str, args))
    assert result.exit_code == 0, result.output
    return result.stderr.splitlines()


# --- the summary line ------------------------------------------------------------------------


def test_one_summary_line_on_stderr(cli: Cli, empty: Path, upr_file: Path) -> None:
    assert stderr_lines(cli, "import", upr_file) == [
        "upr.csv: 4 added, 0 updated, 0 unchanged, 1 duplicate skipped, 0 rejected "
        "(1 possible duplicate kept; 3 documents added)"
    ]
    assert cli.keys("--body", "upr") == [
        "UPR1-HRV-0001",
        "UPR2-SRB-0001",
        "UPR3-SRB-0001",
        "UPR3-SRB-0002",
    ]


def test_importing_again_changes_nothing_in_the_database(
    cli: Cli, empty: Path, upr_file: Path
) -> None:
    cli.ok("import", upr_file)
    before = cli.state()
    assert stderr_lines(cli, "import", upr_file) == [
        "upr.csv: 0 added, 0 updated, 4 unchanged, 1 duplicate skipped, 0 rejected"
    ]
    assert cli.state() == before


def test_a_newer_export_counts_what_it_adds_and_updates(
    cli: Cli, empty: Path, upr_file: Path, tmp_path: Path
) -> None:
    cli.ok("import", upr_file)
    newer = [
        upr("Ratify the Istanbul Convention.", From="France"),
        upr("Ratify the Istanbul Convention.", From="Germany", Response="Supported"),
        upr("Train judges.", From="Sweden", Session=43),
    ]
    (line,) = stderr_lines(cli, "import", upr_csv(tmp_path / "newer.csv", *newer))
    assert line.startswith("newer.csv: 1 added, 1 updated, 1 unchanged, 0 duplicates skipped")


def test_show_says_where_a_recommendation_came_from(
    cli: Cli, empty: Path, upr_file: Path, tmp_path: Path
) -> None:
    cli.ok("import", upr_file)
    shown = cli.json("show", "UPR2-SRB-0001")
    assert shown["text"] == "Adopt a law\r\non trafficking."
    assert shown["recommending"] == ["Chile"]
    assert "source\tupr.csv, row 5" in cli.ok("show", "UPR2-SRB-0001")
    cli.ok("import", uhri_xlsx(tmp_path / "uhri.xlsx", uhri("Adopt a law.", "3f2a-0001")))
    assert "source\tuhri.xlsx, row 2; id 3f2a-0001" in cli.ok("show", "CEDAW-SRB-2019-0001")


# --- --dry-run --------------------------------------------------------------------------------


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(
    cli: Cli, empty: Path, upr_file: Path
) -> None:
    before = cli.state()
    result = cli("import", str(upr_file), "--dry-run")
    assert result.exit_code == 0, result.output
    assert cli.state() == before
    assert "would add: UPR1-HRV-0001, UPR2-SRB-0001, UPR3-SRB-0001, UPR3-SRB-0002" in result.stdout
    assert (
        "possible duplicate: UPR3-SRB-0002 has the same text as UPR3-SRB-0001 (same document)"
        in result.stdout
    )
    assert result.stderr.splitlines() == [
        "upr.csv: would be 4 added, 0 updated, 0 unchanged, 1 duplicate skipped, 0 rejected "
        "(1 possible duplicate kept; 3 documents added) (dry run: nothing written)"
    ]


def test_a_dry_run_lists_what_a_newer_export_changes(
    cli: Cli, empty: Path, upr_file: Path, tmp_path: Path
) -> None:
    cli.ok("import", upr_file)
    before = cli.state()
    newer = upr_csv(tmp_path / "newer.csv", upr("Ratify the Istanbul Convention.", From="Germany"))
    out = cli.ok("import", newer, "--dry-run")
    assert "UPR3-SRB-0002" in out
    assert "response: noted -> supported" in out
    assert cli.state() == before


def test_a_dry_run_does_not_say_it_recorded_anything(cli: Cli, empty: Path, upr_file: Path) -> None:
    out = cli.ok("import", upr_file, "--dry-run")
    assert not [line for line in out.splitlines() if line.endswith("recorded")], out


def test_a_dry_run_writes_no_file_of_rejects(cli: Cli, empty: Path, tmp_path: Path) -> None:
    path = upr_csv(tmp_path / "upr.csv", upr("Fine."), upr("Bad.", Session="XX"))
    before = cli.state()
    result = cli("import", str(path), "--skip-bad", "--dry-run")
    assert result.exit_code == 0, result.output
    assert cli.state() == before
    assert not (tmp_path / "upr.rejected.csv").exists()
    assert "1 rejected" in result.stderr


# --- refusals ---------------------------------------------------------------------------------


def test_a_bad_file_is_refused_whole(cli: Cli, empty: Path, tmp_path: Path) -> None:
    rows = [upr("Fine."), upr("Bad session.", Session="XX"), upr("Bad.", Response="Maybe")]
    path = upr_csv(tmp_path / "upr.csv", *rows)
    result = cli.refused(
        ["import", str(path)],
        1,
        "upr.csv:3: Session: 'XX' is not a session number",
        "upr.csv:4: Response: 'Maybe' is not Accepted, Supported or Noted",
        "2 problems in upr.csv: nothing imported",
    )
    assert "Traceback" not in result.stderr


def test_a_long_list_of_problems_is_capped(cli: Cli, empty: Path, tmp_path: Path) -> None:
    rows = [upr(f"Recommendation {i}.", Action="7") for i in range(60)]
    result = cli.refused(
        ["import", str(upr_csv(tmp_path / "upr.csv", *rows))],
        1,
        "upr.csv:51: Action: '7' is not an action category (1 to 5)",
        "... and 10 more problems",
        "60 problems in upr.csv",
    )
    assert "upr.csv:52:" not in result.stderr
    assert sum(1 for line in result.stderr.splitlines() if line.startswith("upr.csv:")) == 50


def test_skip_bad_imports_the_good_rows_and_writes_the_bad(
    cli: Cli, empty: Path, tmp_path: Path
) -> None:
    rows = [upr("Fine."), upr("Bad session.", Session="XX"), None, upr("Also fine.", From="Chile")]
    path = upr_csv(tmp_path / "upr.csv", *rows)
    result = cli("import", str(path), "--skip-bad")
    assert result.exit_code == 0, result.output
    rejects = tmp_path / "upr.rejected.csv"
    assert f"rows left out, with why: {rejects}" in result.stdout
    assert "upr.csv:3: left out: Session: 'XX' is not a session number" in result.stderr
    assert result.stderr.splitlines()[-1].startswith(
        "upr.csv: 2 added, 0 updated, 0 unchanged, 0 duplicates skipped, 1 rejected"
    )
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        (row,) = csv.DictReader(f)
    assert (row["Line"], row["Text"], row["Session"]) == ("3", "Bad session.", "XX")
    assert row["Problems"] == "Session: 'XX' is not a session number"
    assert len(cli.keys()) == 2


@pytest.mark.parametrize("content", ["", "\r\n\r\n"])
def test_an_empty_file_is_refused(cli: Cli, empty: Path, tmp_path: Path, content: str) -> None:
    path = tmp_path / "upr.csv"
    path.write_text(content)
    cli.refused(["import", str(path)], 1, "upr.csv is empty")


def test_a_file_that_is_no_csv_is_refused(cli: Cli, empty: Path, tmp_path: Path) -> None:
    path = tmp_path / "upr.csv"
    path.write_text(",".join(UPR_COLUMNS) + '\nSerbia,,,"Adopt a law.,France,,,Noted,4,,29\n')
    cli.refused(["import", str(path)], 1, "upr.csv:2: a quoted field is never closed")


# --- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["upr-info csv", "upr-info xlsx", "uhri xlsx", "uhri csv"])
def test_the_format_is_recognised_from_the_columns(
    cli: Cli, empty: Path, tmp_path: Path, kind: str
) -> None:
    fmt, suffix = kind.split()
    if fmt == "upr-info":
        rows = [upr("Adopt a law.")]
        write = write_xlsx if suffix == "xlsx" else write_csv
        path = write(tmp_path / f"export.{suffix}", UPR_COLUMNS, rows)
        key = "UPR3-SRB-0001"
    else:
        row = uhri("Adopt a law.", "a1", Document_Publication_Date="2019-03-14")
        if suffix == "xlsx":
            path = uhri_xlsx(tmp_path / "export.xlsx", row)
        else:
            from bulk_files import UHRI_COLUMNS

            path = write_csv(tmp_path / "export.csv", UHRI_COLUMNS, [row])
        key = "CEDAW-SRB-2019-0001"
    cli.ok("import", path)
    assert cli.keys() == [key]


def test_a_table_is_recognised_by_its_mapping(cli: Cli, empty: Path, tmp_path: Path) -> None:
    path = write_json(tmp_path / "ours.json", [{"Recommendation": "Adopt a law.", "Body": "GRETA"}])
    cli.ok("import", path, "--map", "text=Recommendation", "--map", "body=Body")
    assert cli.keys() == ["GRETA-0001"]


def test_an_unrecognised_file_is_refused_with_what_each_format_expects(
    cli: Cli, empty: Path, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "ours.csv", ["Recommendation", "Committee"], [{"Recommendation": "A."}]
    )
    cli.refused(
        ["import", str(path)],
        2,
        "cannot tell what ours.csv holds (its columns: Recommendation, Committee)",
        "--format upr-info: To, Text, From",
        "--format uhri: Text, Reccomending Body, Document Symbol, OHCHR Annotation Id",
        "--map FIELD=COLUMN",
    )


def test_a_file_named_as_another_format_is_refused(cli: Cli, empty: Path, upr_file: Path) -> None:
    cli.refused(
        ["import", str(upr_file), "--format", "uhri"],
        1,
        "upr.csv is not a uhri export: it lacks the columns Reccomending Body, Document Symbol",
    )


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["--map", "text=Text"], "--map is for tables"),
        (["--body", "CEDAW"], "--body is for tables"),
        (["--split-on", ";"], "--split-on is for tables"),
        (["--status-map", "Pending=in_progress"], "--status-map is for tables"),
        (["--save-map", "ours"], "--save-map is for tables"),
    ],
)
def test_options_for_tables_are_refused_for_an_export(
    cli: Cli, empty: Path, upr_file: Path, options: list[str], fragment: str
) -> None:
    cli.refused(["import", str(upr_file), "--format", "upr-info", *options], 2, fragment)


@pytest.mark.parametrize(
    "options",
    [["--country", "SRB"], ["--merge-duplicates"], ["--skip-bad"], ["--encoding", "cp1250"]],
)
def test_options_for_outside_files_are_refused_for_a_data_set(
    cli: Cli, empty: Path, tmp_path: Path, options: list[str]
) -> None:
    path = tmp_path / "set.toml"
    path.write_text('[[recommendations]]\nbody = "CEDAW"\ntext = "Adopt a law."\n')
    cli.refused(["import", str(path), *options], 2, f"{options[0]} is for files from outside")


@pytest.mark.parametrize(
    ("file", "options"),
    [
        ("set.toml", ["--save-map", "ours"]),
        ("upr.csv", ["--by", "state"]),
        ("upr.csv", ["--assessor", "Ana"]),
        ("upr.xlsx", ["--encoding", "cp1250"]),
    ],
)
def test_options_that_mean_nothing_for_the_file_are_refused(
    cli: Cli, empty: Path, tmp_path: Path, file: str, options: list[str]
) -> None:
    path = tmp_path / file
    if file == "set.toml":
        path.write_text('[[recommendations]]\nbody = "CEDAW"\ntext = "Adopt a law."\n')
    elif file == "upr.csv":
        upr_csv(path, upr("Adopt a law."))
    else:
        write_xlsx(path, UPR_COLUMNS, [upr("Adopt a law.")])
    cli.refused(["import", str(path), *options], 2, options[0])


# --- mappings ---------------------------------------------------------------------------------

COLUMNS = ["Committee", "Recommendation", "Topics", "Status", "As of"]


def test_a_saved_mapping_is_used_again_by_name(cli: Cli, empty: Path, tmp_path: Path) -> None:
    first = [
        {
            "Committee": "CEDAW",
            "Recommendation": "Adopt a law.",
            "Topics": "Trafficking; Women",
            "Status": "Pending",
            "As of": "2024-05-01",
        },
        {
            "Committee": "GRETA",
            "Recommendation": "Set up a fund.",
            "Topics": "Compensation",
            "Status": "N/A",
        },
    ]
    options = [
        "--map", "body=Committee", "--map", "text=Recommendation", "--map", "themes=Topics",
        "--map", "status=Status", "--map", "status_date=As of", "--split-on", ";",
        "--status-map", "Pending=in_progress", "--status-map", "N/A=skip",
        "--status-map", "Done=implemented",
    ]  # fmt: skip
    cli.ok(
        "import", write_csv(tmp_path / "2024.csv", COLUMNS, first), *options, "--save-map", "ours"
    )
    assert (cli.database().parent / "maps" / "ours.toml").is_file()
    assert cli.json("show", "CEDAW-0001")["themes"] == ["Trafficking", "Women"]
    newer = [{**first[0], "Status": "Done", "As of": "2025-02-01"}, first[1]]
    path = write_xlsx(tmp_path / "2025.xlsx", COLUMNS, newer)
    (line,) = stderr_lines(cli, "import", path, "--map-file", "ours")
    assert line == (
        "2025.xlsx: 0 added, 0 updated, 2 unchanged, 0 duplicates skipped, 0 rejected "
        "(1 new assessment)"
    )
    assert cli.json("show", "CEDAW-0001")["ngo_status"] == "implemented"


def test_a_mapping_file_given_by_path(cli: Cli, empty: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "ours.toml"
    mapping.write_text('body = "CEDAW"\n[columns]\ntext = "Recommendation"\n')
    path = write_csv(tmp_path / "ours.csv", COLUMNS, [{"Recommendation": "Adopt a law."}])
    cli.ok("import", path, "--map-file", mapping)
    assert cli.keys() == ["CEDAW-0001"]


def test_a_mapping_not_saved_is_refused(cli: Cli, empty: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ours.csv", COLUMNS, [{"Recommendation": "Adopt a law."}])
    cli.refused(["import", str(path), "--map-file", "nosuch"], 1, "no map file", "nosuch.toml")


def test_new_themes_are_taken_with_new_theme(cli: Cli, sample: Path, tmp_path: Path) -> None:
    path = upr_csv(tmp_path / "upr.csv", upr("Adopt a law.", Issue="Migrations"))
    cli.refused(["import", str(path)], 1, "'Migrations' looks like the recorded theme 'migration'")
    cli.ok("import", path, "--new-theme")
    assert cli.json("show", "UPR3-SRB-0001")["themes"] == ["Migrations"]


# --- --country --------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["Serbia", "SRB"])
def test_only_one_state(cli: Cli, empty: Path, upr_file: Path, country: str) -> None:
    (line,) = stderr_lines(cli, "import", upr_file, "--country", country)
    assert line.startswith("upr.csv: 3 added")
    assert "1 row about other states passed over" in line
    assert {r["country"] for r in cli.json("list")} == {"Serbia"}
    assert len(cli.keys()) == 3


# --- right after an import: status ------------------------------------------------------------


def test_status_of_one_state_under_review(cli: Cli, empty: Path, upr_file: Path) -> None:
    cli.ok("import", upr_file)
    report = cli.json("status", "--body", "upr", "--country", "Serbia")
    assert report["total"] == 3
    assert report["counts"]["unknown"] == 3
    assert sorted(r["key"] for r in report["recommendations"]) == [
        "UPR2-SRB-0001",
        "UPR3-SRB-0001",
        "UPR3-SRB-0002",
    ]


def test_status_by_recommending_state(cli: Cli, empty: Path, upr_file: Path) -> None:
    cli.ok("import", upr_file)
    report = cli.json("status", "--group-by", "recommending")
    groups = {g["group"]: g["counts"]["unknown"] for g in report["groups"]}
    assert groups == {"Chile": 1, "France": 1, "Germany": 1, "Norway": 1}
    table = cli.ok("status", "--group-by", "recommending", "--summary")
    assert [line.split("\t")[0] for line in table.splitlines()[1:]] == [
        "Chile",
        "France",
        "Germany",
        "Norway",
    ]


def test_merged_states_are_each_a_group(cli: Cli, empty: Path, upr_file: Path) -> None:
    cli.ok("import", upr_file, "--merge-duplicates")
    assert len(cli.keys()) == 3
    groups = {
        g["group"]: g["total"] for g in cli.json("status", "--group-by", "recommending")["groups"]
    }
    assert groups == {"Chile": 1, "France": 1, "Germany": 1, "Norway": 1}
    assert cli.json("show", "UPR3-SRB-0001")["recommending"] == ["France", "Germany"]


def test_uhri_lists_are_filterable(cli: Cli, empty: Path, tmp_path: Path) -> None:
    rows = [
        uhri("Adopt a law.", "a1", Affected_Persons=listed("Women"), Sdgs=listed("5.2")),
        uhri("Train judges.", "a2", Affected_Persons=listed("Children"), Sdgs=listed("16.3")),
    ]
    cli.ok("import", uhri_xlsx(tmp_path / "uhri.xlsx", *rows))
    assert cli.keys("--affected", "Women") == ["CEDAW-SRB-2019-0001"]
    assert cli.keys("--sdg", "16.3") == ["CEDAW-SRB-2019-0002"]


# --- data sets go the same way ----------------------------------------------------------------


def test_a_data_set_loaded_again_is_unchanged(cli: Cli, sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "serbia.toml"
    cli.ok("export", path)
    before = cli.state()
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert "0 recommendations added, 38 already present" in result.output
    assert cli.state() == before


def test_a_data_set_of_imported_texts_loads_back_unchanged(
    cli: Cli, empty: Path, upr_file: Path, tmp_path: Path
) -> None:
    cli.ok("import", upr_file)
    path = tmp_path / "serbia.toml"
    cli.ok("export", path)
    before = cli.state()
    cli.ok("import", path)
    assert cli.json("show", "UPR2-SRB-0001")["text"] == "Adopt a law\r\non trafficking."
    assert cli.state() == before


def test_init_sample_loads_38_recommendations(cli: Cli) -> None:
    cli.ok("init", "--sample")
    assert len(cli.keys()) == 38
