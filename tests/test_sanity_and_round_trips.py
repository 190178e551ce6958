"""Values that make no sense are refused with a clear message, exports read back exactly,
and large files fail well.

- Dates: a due date before the recommendation's date, a due date or an action more than
  30 years ahead (9999-12-31), an assessment dated before the recommendation was made.
- Evidence: a --file that is not a regular file (/proc/self/environ, a device, a FIFO); a
  symbolic link or a path out of its folder with `..`, kept as the file it leads to (said);
  negative sizes in a data set.
- Links: `javascript:` and other schemes that are not http, https, mailto, ftp or file are
  refused for evidence, actions and documents; paths are fine.
- Round trips: `'=` keeps its apostrophe through CSV; CR LF in a text is no false
  "a change to Text is not imported" from a workbook; a text over 131,072 characters read
  back from CSV.
- Large files: more than 250,000 distinct keys in a workbook import (no `too many SQL
  variables`), and a list of problems capped with its total.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlmodel import Session

from rectrack import domain
from rectrack.errors import BadValue, Problems
from rectrack.io.csv import read_csv
from rectrack.io.sheet import SheetData, SheetRow
from rectrack.services.importing import plan_import

FAR = dt.date.today().year + 30


# --- dates -----------------------------------------------------------------------------------


def test_a_due_date_before_the_recommendations_date_is_refused(cli, empty) -> None:
    cli.refused(
        ["add", "-b", "CEDAW", "-t", "Adopt a law.", "--date", "2019-03", "--due", "2018"],
        2,
        "the due date 2018 is before 2019-03, the recommendation's date: a follow-up falls due "
        "after the recommendation is made",
    )
    key = cli.add("-b", "CEDAW", "-t", "Adopt a law.", "--date", "2019-03", "--due", "2019")
    cli.refused(
        ["edit", key, "--due", "2019-02-28"], 2, "the due date 2019-02-28 is before 2019-03"
    )
    cli.refused(["edit", key, "--date", "2020"], 2, "the due date 2019 is before 2020")
    cli.ok("edit", key, "--due", "2019-03-31")


def test_a_due_date_from_a_document_is_checked_too(cli, empty) -> None:
    cli.ok("add", "-b", "CEDAW", "-t", "First.", "--document", "CEDAW/C/X/1", "--date", "2019")
    cli.refused(
        ["add", "-b", "CEDAW", "-t", "Second.", "--document", "CEDAW/C/X/1", "--due", "2017"],
        2,
        "the due date 2017 is before 2019,",
    )


@pytest.mark.parametrize("due", ["9999-12-31", f"{FAR + 1}"])
def test_a_due_date_far_ahead_is_refused(cli, empty, due) -> None:
    cli.refused(
        ["add", "-b", "CEDAW", "-t", "Adopt a law.", "--due", due],
        2,
        f"'{due}' is too far ahead: a due date can be at most 30 years from now (until the "
        f"end of {FAR})",
    )


def test_a_due_date_within_30_years_is_taken(cli, empty) -> None:
    key = cli.add("-b", "CEDAW", "-t", "Adopt a law.", "--due", f"{FAR}-12")
    assert cli.json("show", key)["due"] == f"{FAR}-12"


def test_an_action_far_ahead_is_refused(cli, recs) -> None:
    cli.refused(
        ["action", "add", "--title", "Law", "--kind", "law", "--date", "9999-12-31"],
        2,
        "'9999-12-31' is too far ahead: an action can be at most 30 years from now",
    )
    ident = cli.ok("action", "add", "--title", "Law", "--kind", "law", "--date", "2024").strip()
    cli.refused(["action", "edit", ident, "--date", "9999"], 2, "'9999' is too far ahead")


def test_an_assessment_before_the_recommendation_is_refused(cli, recs) -> None:
    cli.refused(
        ["assess", recs[0], "--status", "in_progress", "--date", "1900"],
        2,
        f"{recs[0]}: the assessment's date 1900 is before the recommendation was made (2019): "
        "an assessment is of what followed it",
    )
    cli.ok("assess", recs[0], "--status", "in_progress", "--date", "2019-12")


def test_a_workbook_status_before_the_recommendation_names_its_cell(sample_db: Session) -> None:
    key = "CEDAW-2019-0001"
    data = SheetData(
        source="edits.xlsx",
        rows=[
            SheetRow(
                2,
                {"key": key, "new_status": "partial", "new_status_date": "1900", "due": "1990"},
                "Recommendations",
                {"key": "A", "new_status": "X", "new_status_date": "Y", "due": "M"},
            )
        ],
    )
    with pytest.raises(Problems) as raised:
        plan_import(sample_db, data)
    assert raised.value.problems == [
        "Recommendations!M2: the due date 1990 is before 2019, the recommendation's date: a "
        "follow-up falls due after the recommendation is made",
        f"Recommendations!Y2: the date 1900 is before 2019, when {key} was made: an assessment "
        "is of what followed it",
    ]


def test_bulk_rows_with_dates_that_make_no_sense_are_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "ours.csv"
    path.write_text(
        "Text,Body,Date,Due,Status,Since\n"
        "Adopt a law.,CEDAW,2019,2018,,\n"
        "Train judges.,CEDAW,2019,9999-12-31,,\n"
        "Fund shelters.,CEDAW,2019,,partial,1900\n"
    )
    maps = ["--map", "text=Text", "--map", "body=Body", "--map", "date=Date", "--map", "due=Due"]
    maps += ["--map", "status=Status", "--map", "status_date=Since"]
    result = cli.refused(["import", str(path), *maps], 1)
    assert (
        "ours.csv:2: Due: the due date 2018 is before 2019, the recommendation's" in result.stderr
    )
    assert "ours.csv:3: Due: '9999-12-31' is too far ahead" in result.stderr
    assert "ours.csv:4: Since: the date 1900 is before 2019, when the recommendation was" in (
        result.stderr
    )


# --- evidence files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("/proc/self/environ", "/proc/self/environ is a file of the system (/proc/"),
        ("/dev/null", "/dev/null is a file of the system (/dev/null)"),
    ],
)
def test_a_file_that_is_no_document_is_refused(cli, recs, given, message) -> None:
    if not Path(given).exists():
        pytest.skip(f"no {given} here")
    cli.refused(
        ["evidence", "add", "--title", "x", "--kind", "document", "--file", given], 2, message
    )


def test_a_fifo_is_refused_without_waiting_for_it(cli, recs, tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    cli.refused(
        ["evidence", "add", "--title", "x", "--kind", "document", "--file", str(fifo)],
        2,
        "is not a regular file",
    )


def test_a_symbolic_link_is_kept_as_the_file_it_leads_to(cli, recs, tmp_path) -> None:
    real = tmp_path / "real" / "report.pdf"
    real.parent.mkdir()
    real.write_bytes(b"%PDF report")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    result = cli("evidence", "add", "--title", "x", "--kind", "document", "--file", str(link))
    assert result.exit_code == 0, result.output
    ident = result.stdout.strip()
    assert result.stderr == (
        f"note: {link} is a symbolic link: the file is recorded as {real}, the one it leads to\n"
    )
    assert cli.json("evidence", "show", ident)["file"] == str(real)


def test_a_path_out_of_its_folder_is_kept_resolved(cli, recs, tmp_path, monkeypatch) -> None:
    (tmp_path / "inside").mkdir()
    target = tmp_path / "secret.txt"
    target.write_text("x")
    monkeypatch.chdir(tmp_path / "inside")
    result = cli("evidence", "add", "--title", "x", "--kind", "document", "--file", "../secret.txt")
    assert result.exit_code == 0, result.output
    assert "note: ../secret.txt is a path that leads out of its folder with '..': the file is " in (
        result.stderr
    )
    assert cli.json("evidence", "show", result.stdout.strip())["file"] == str(target)


def test_evidence_check_does_not_read_a_file_that_became_a_fifo(cli, recs, tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("notes")
    cli.ok("evidence", "add", "--title", "x", "--kind", "document", "--file", str(path))
    path.unlink()
    os.mkfifo(path)
    result = cli("evidence", "check")
    assert result.exit_code == 1
    assert "unreadable" in result.stdout


# --- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x"],
)
def test_a_link_that_runs_code_is_refused(cli, recs, url) -> None:
    scheme = "data" if url.startswith("data") else "javascript"
    message = f"is not a link rectrack keeps: a {scheme}: address could run code or hide one"
    cli.refused(["evidence", "add", "--title", "x", "--kind", "web", "--url", url], 2, message)
    cli.refused(["action", "add", "--title", "x", "--kind", "law", "--url", url], 2, message)
    cli.refused(["document", "edit", "CEDAW-2019-10", "--url", url], 2)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c",
        "http://example.org",
        "mailto:office@example.org",
        "ftp://example.org/file.pdf",
        "file:///home/ana/report.pdf",
        "/home/ana/report.pdf",
        "C:\\Users\\ana\\report.pdf",
        "reports/2024.pdf",
        "//example.org/x",
    ],
)
def test_web_links_and_paths_are_kept(url) -> None:
    assert domain.check_url(url) == url


def test_a_data_set_with_a_javascript_link_is_refused(cli, empty, tmp_path) -> None:
    path = tmp_path / "links.toml"
    path.write_text(
        '[[documents]]\nbody = "CEDAW"\nsymbol = "CEDAW/C/X/1"\nurl = "javascript:alert(1)"\n'
    )
    cli.refused(["import", str(path)], 1, "links.toml: documents[1]: 'javascript:alert(1)'")
    path.write_text(
        '[[evidence]]\ntitle = "x"\nkind = "web"\nurl = "javascript:alert(2)"\n'
        '[[actions]]\ntitle = "x"\nkind = "law"\nurl = "javascript:alert(3)"\n'
    )
    cli.refused(["import", str(path)], 1, "javascript:alert(2)", "javascript:alert(3)")


# --- round trips -------------------------------------------------------------------------------


def _csv_export(cli, tmp_path: Path) -> Path:
    path = tmp_path / "out.csv"
    cli.ok("export", path)
    return path


def test_a_value_that_starts_with_an_apostrophe_and_a_formula_reads_back(cli, empty, tmp_path):
    texts = ["'=SUM(A1)", "''+1", "=1+1", "-dash", "'quoted'", "plain"]
    keys = [cli.add("-b", "CEDAW", "-t", t, "--theme", f"t{i}") for i, t in enumerate(texts)]
    path = _csv_export(cli, tmp_path)
    read = {r.cells["key"]: r.cells["text"] for r in read_csv(path).rows}
    assert [read[k] for k in keys] == texts
    result = cli("import", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "not imported" not in result.output, result.output


def test_an_apostrophe_in_a_theme_is_not_an_edit(cli, empty, tmp_path) -> None:
    cli.add("-b", "CEDAW", "-t", "Adopt a law.", "--theme", "'=odd theme", "--new-theme")
    path = _csv_export(cli, tmp_path)
    assert "nothing to import" in cli("import", path, "--dry-run").output


def test_crlf_in_a_text_is_no_change_in_a_workbook(cli, empty, tmp_path) -> None:
    cli.add("-b", "CEDAW", "-t", "First line.\r\nSecond line.\r\n\r\nThird.", "--date", "2019")
    path = tmp_path / "out.xlsx"
    cli.ok("export", path)
    result = cli("import", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "not imported" not in result.output, result.output


def test_a_text_over_131072_characters_reads_back_from_csv(cli, empty, tmp_path) -> None:
    text = "The State party should ensure that victims are compensated. " * 3000
    assert len(text) > 131_072
    cli.add("-b", "CEDAW", "-t", text.strip())
    path = _csv_export(cli, tmp_path)
    result = cli("import", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "nothing to import" in result.output, result.output


# --- large files -------------------------------------------------------------------------------


def test_more_than_250000_keys_are_looked_up_in_chunks(sample_db: Session) -> None:
    """250,001 distinct keys (the most variables SQLite takes in one statement is 250,000
    here, 32,766 in many builds): each unknown key is a problem, listed up to 50, with the
    total."""
    letters = {"key": "A"}
    rows = [
        SheetRow(n + 2, {"key": f"NO-SUCH-{n}"}, "Recommendations", letters) for n in range(250_001)
    ]
    rows.append(SheetRow(250_003, {"key": "CEDAW-2019-0001"}, "Recommendations", letters))
    with pytest.raises(Problems) as raised:
        plan_import(sample_db, SheetData(source="big.xlsx", rows=rows))
    problems = raised.value.problems
    assert len(problems) == 51
    assert problems[0] == (
        "Recommendations!A2: no recommendation NO-SUCH-0 in this database (an import never "
        "adds recommendations)"
    )
    assert problems[-1] == "... and 249951 more problems"
    assert raised.value.summary == "250001 problems: nothing imported"


def test_a_repeated_key_on_many_rows_prints_a_capped_list(cli, sample, tmp_path) -> None:
    path = tmp_path / "repeated.csv"
    lines = read_csv_header(cli, tmp_path)
    key = "CEDAW-2019-0001"
    path.write_text(lines + "".join(f"{key}\n" for _ in range(5000)), encoding="utf-8")
    result = cli("import", path, "--format", "csv")
    assert result.exit_code == 1
    err = [line for line in result.stderr.splitlines() if not line.startswith("Warning:")]
    assert len(err) == 52, err[:5]
    assert err[0] == f"repeated.csv:3 (Key): {key} is already on row 2"
    assert err[-2] == "... and 4949 more problems"
    assert err[-1] == "4999 problems: nothing imported"


def read_csv_header(cli, tmp_path: Path) -> str:
    path = tmp_path / "header.csv"
    cli.ok("export", path)
    return path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n"


def test_a_data_set_with_many_problems_lists_50(cli, empty, tmp_path) -> None:
    path = tmp_path / "many.toml"
    path.write_text("".join(f'[[recommendations]]\ntext = "t"\nwhat{i} = 1\n' for i in range(80)))
    result = cli.refused(["import", str(path)], 1, "80 problems in the data set")
    assert "... and 30 more problems" in result.stderr
    assert len(result.stderr.splitlines()) == 52


def test_check_url_keeps_what_it_is_given() -> None:
    with pytest.raises(BadValue):
        domain.check_url("vbscript:msgbox")
