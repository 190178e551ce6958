"""A week of monitoring work: setting up and exchanging. Interactive add, config.toml,
help, dates as people write them, exported files (mode, the state's view), and the
messages of rm, an empty register, init --sample twice and history.

The numbers in the comments are the points of the issue these tests come from; see also
test_everyday.py (reporting) and test_everyday_editing.py (correcting the register).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.main import get_command

from helpers import keys_of
from rectrack.cli import app

K1, K2 = "CEDAW-2019-10", "TIP-2021-0001"  # the `recs` fixture
TODAY = dt.date.today().isoformat()


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


# --- 10. interactive add -----------------------------------------------------------------

BODY_PROMPT = "Body (CEDAW, GRETA, TIP, EU, UPR...): "
DATE_PROMPT = "Date, e.g. 2019-03-14, March 2019 or 2019 (Enter to skip): "


def test_interactive_add_asks_again_for_a_mistyped_body_and_a_bad_date(
    cli, empty, terminal
) -> None:
    answers = ["CEDAX", "CEDAW", "Some text", "CEDAW/C/SRB/CO/4", "24(b)"]
    answers += ["31/12/2019", "2099", "March 2019", "Serbia"]
    result = cli("add", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        BODY_PROMPT + "CEDAX",
        BODY_PROMPT + "CEDAW",
        "Text: Some text",  # asked once
        "Document symbol, e.g. CEDAW/C/SRB/CO/4 (Enter to skip): CEDAW/C/SRB/CO/4",
        "Paragraph, e.g. 24(b) (Enter to skip): 24(b)",
        DATE_PROMPT + "31/12/2019",
        DATE_PROMPT + "2099",
        DATE_PROMPT + "March 2019",
        "Country (Enter to skip): Serbia",
        "CEDAW-2019-24b",  # the key has the year
    ]
    errors = result.stderr.splitlines()
    assert errors[0].startswith("Error: 'CEDAX' is not a known body (did you mean 'CEDAW'?)")
    assert "known bodies: CAT, CCPR, CEDAW," in errors[0]
    assert "write it 2019-12-31" in errors[1]
    assert errors[2] == "Error: '2099' is in the future: a recommendation is dated when it was made"
    (row,) = cli.json("list")
    assert (row["document"], row["paragraph"], row["date"], row["country"]) == (
        "CEDAW/C/SRB/CO/4",
        "24(b)",
        "2019-03",
        "Serbia",
    )


def test_the_country_of_config_toml_is_the_default(cli, empty, home: Path, terminal) -> None:
    (home / "config.toml").write_text('country = "Serbia"\n', encoding="utf-8")
    key = cli.add("-b", "TIP", "-t", "Given on the command line.")
    other = cli.add("-b", "TIP", "-t", "Elsewhere.", "--country", "Montenegro")
    result = cli("add", input="GRETA\nAsked for.\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    assert "Country [Serbia]: " in result.stdout
    asked = result.stdout.splitlines()[-1]
    countries = {r["key"]: r["country"] for r in cli.json("list")}
    assert countries == {key: "Serbia", other: "Montenegro", asked: "Serbia"}


# --- 11. a misspelt setting in config.toml ----------------------------------------------

# One way to run each command; a new command must be added here.
EVERY_COMMAND = {
    "add": ["add", "-b", "CEDAW", "-t", "x"],
    "list": ["list"],
    "show": ["show", K1],
    "edit": ["edit", K1, "--priority", "high"],
    "rm": ["rm", K1, "--yes"],
    "init": ["init"],
    "status": ["status"],
    "due": ["due"],
    "changes": ["changes", "--since", "2020"],
    "assess": ["assess", K1, "--status", "partial"],
    "history": ["history", K1],
    "export": ["export", "out.csv"],
    "import": ["import", "in.csv"],
    "action add": ["action", "add", "--title", "T", "--kind", "law"],
    "action list": ["action", "list"],
    "action show": ["action", "show", "A1"],
    "action edit": ["action", "edit", "A1", "--title", "X"],
    "action link": ["action", "link", "A1", K1],
    "action unlink": ["action", "unlink", "A1", K1],
    "action rm": ["action", "rm", "A1", "--yes"],
    "body list": ["body", "list"],
    "body add": ["body", "add", "ABC", "--name", "A body", "--kind", "other"],
    "db path": ["db", "path"],
    "document list": ["document", "list"],
    "document show": ["document", "show", "X"],
    "document edit": ["document", "edit", "X", "--title", "Y"],
    "evidence add": ["evidence", "add", "--title", "T", "--kind", "web"],
    "evidence list": ["evidence", "list"],
    "evidence show": ["evidence", "show", "E1"],
    "evidence edit": ["evidence", "edit", "E1", "--title", "X"],
    "evidence link": ["evidence", "link", "E1", "-r", K1],
    "evidence unlink": ["evidence", "unlink", "E1", "-r", K1],
    "evidence rm": ["evidence", "rm", "E1", "--yes"],
    "evidence check": ["evidence", "check"],
    "evidence accept": ["evidence", "accept", "E1"],
    "theme list": ["theme", "list"],
    "theme rename": ["theme", "rename", "a", "b"],
    "institution list": ["institution", "list"],
    "institution rename": ["institution", "rename", "a", "b"],
    "search": ["search", "fund"],
    "similar": ["similar", K1],
    "cluster add": ["cluster", "add", "Fund", K1],
    "cluster rm": ["cluster", "rm", "Fund", "--yes"],
    "cluster rename": ["cluster", "rename", "a", "b"],
    "cluster list": ["cluster", "list"],
    "cluster show": ["cluster", "show", "Fund"],
    "cluster suggest": ["cluster", "suggest"],
    "link": ["link", K1, K1, "--as", "repeats"],
    "unlink": ["unlink", K1, K1],
    "report": ["report"],
    "restore": ["restore", K1],
    "log": ["log"],
    "db backup": ["db", "backup", "copy.db"],
    "db check": ["db", "check"],
    "db copy": ["db", "copy", "--to", "copy.db"],
    "db migrate": ["db", "migrate"],
}


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_every_command_is_tried_with_a_misspelt_setting() -> None:
    leaves = {
        " ".join(p) for p, c in _commands(get_command(app)) if p and not hasattr(c, "commands")
    }
    assert leaves == set(EVERY_COMMAND)


@pytest.mark.parametrize("name", sorted(EVERY_COMMAND))
def test_a_misspelt_setting_is_refused_by_every_command(
    cli, recs, home: Path, tmp_path: Path, monkeypatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    config = home / "config.toml"
    config.write_text('databse = "x"\n', encoding="utf-8")
    result = cli.refused(EVERY_COMMAND[name], 1, db=home / "rectrack.db")
    assert result.stderr == (
        f"Error: {config}: unknown setting 'databse' (did you mean 'database'?); "
        "known: database, country, user, sqlite, limits\n"
    )
    assert list(tmp_path.iterdir()) == [home]  # no export written


def test_a_misspelt_setting_in_a_table_is_named_with_it(cli, recs, home: Path) -> None:
    (home / "config.toml").write_text('[user]\nnme = "Ana"\n', encoding="utf-8")
    result = cli.refused(["assess", K1, "--status", "partial"], 1, db=home / "rectrack.db")
    assert "unknown setting 'user.nme' (did you mean 'user.name'?)" in result.stderr


# --- 12. help --------------------------------------------------------------------------


def test_no_help_shows_a_python_type_or_a_brace(cli) -> None:
    for path, _ in _commands(get_command(app)):
        result = cli(*path, "--help")
        assert result.exit_code == 0, path
        for placeholder in ("<str>", "<list[str]>", "<path>", "<int>", "{"):
            assert placeholder not in result.stdout, (path, placeholder, result.stdout)


def test_the_main_help_groups_the_commands_with_whole_descriptions(cli) -> None:
    root = get_command(app)
    result = cli("--help")
    lines = result.stdout.splitlines()
    headings = [
        "The register:",
        "Tracking:",
        "Where things stand:",
        "Recurring demands:",
        "Exchange:",
        "Setup and your data:",
    ]
    assert [line for line in lines if line in headings] == headings
    assert "Other:" not in lines
    # Each command's description, its wrapped lines joined, is its whole first sentence.
    shown: dict[str, str] = {}
    name = None
    for line in lines[lines.index(headings[0]) :]:
        m = re.match(r"^  (\S+)\s+(.*)$", line)
        if m and m.group(1) in root.commands:
            name = m.group(1)
            shown[name] = m.group(2)
        elif name and line.startswith("    ") and line.strip():
            shown[name] += " " + line.strip()
        else:
            name = None
    assert set(shown) == set(root.commands)
    for command_name, text in shown.items():
        command = root.commands[command_name]
        # Not cut short with "...": the whole of it (which may end with "..." itself).
        assert text == command.get_short_help_str(limit=1000), command_name


# --- 14. dates as people write them --------------------------------------------------------


def test_a_day_first_date_is_refused_with_the_iso_form(cli, empty) -> None:
    result = cli.refused(["add", "-b", "CEDAW", "-t", "x", "--date", "31/12/2024"], 2)
    assert result.stderr.startswith(
        "Error: '31/12/2024' is not a date I can read (write it 2024-12-31: "
    )


def test_an_ambiguous_date_is_refused_without_a_suggestion(cli, empty) -> None:
    result = cli.refused(["add", "-b", "CEDAW", "-t", "x", "--date", "04/03/2024"], 2)
    assert "ambiguous: 04/03 may be 4 March or April 3" in result.stderr
    assert "write it" not in result.stderr
    assert "2024-03-04" not in result.stderr and "2024-04-03" not in result.stderr


@pytest.mark.parametrize("date", ["2099", "2099-01-01", f"{int(TODAY[:4]) + 1}"])
def test_a_recommendation_dated_in_the_future_is_refused(cli, recs, date: str) -> None:
    message = f"Error: '{date}' is in the future: a recommendation is dated when it was made\n"
    result = cli.refused(["add", "-b", "CEDAW", "-t", "x", "--date", date], 2)
    assert result.stderr == message
    result = cli.refused(["edit", K1, "--date", date], 2)
    assert result.stderr == message
    assert cli.add("-b", "CEDAW", "-t", "Dated today.", "--date", "today").startswith(
        f"CEDAW-{TODAY[:4]}-"
    )


# --- 13. exported files follow the umask ---------------------------------------------


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize("name", ["meeting.xlsx", "meeting.csv", "register.toml"])
def test_an_exported_file_gets_the_mode_the_umask_allows(
    cli, recs, tmp_path: Path, umask_022, name: str
) -> None:
    path = tmp_path / name
    cli.ok("export", path)
    assert path.stat().st_mode & 0o777 == 0o644
    cli.ok("export", path, "--force")  # overwriting too
    assert path.stat().st_mode & 0o777 == 0o644


# --- 15. an export from the state's view shows the NGO's assessment beside it ---------


def test_export_by_state_shows_the_ngo_assessment_beside_the_status(
    cli, sample, tmp_path: Path
) -> None:
    key = "EU-2015-0003"  # ngo: regressed; state: implemented
    shown = cli.json("show", key)
    assert (shown["ngo_status"], shown["state_status"]) == ("regressed", "implemented")

    def statuses(rows: list, other: str) -> tuple[str, str]:
        """The status of the row of `key`, and what the column headed `other` says."""
        header, *rest = rows
        assert {"State claims", "NGO assessment"} & set(header) == {other}
        (row,) = [r for r in rest if r[0] == key]
        return row[header.index("Status")], row[header.index(other)]

    cli.ok("export", tmp_path / "state.xlsx", "--by", "state")
    state = sheet_rows(tmp_path / "state.xlsx", "Recommendations")
    assert statuses(state, "NGO assessment") == ("Implemented", "Regressed")
    cli.ok("export", tmp_path / "ngo.xlsx")
    ngo = sheet_rows(tmp_path / "ngo.xlsx", "Recommendations")
    assert statuses(ngo, "State claims") == ("Regressed", "Implemented")

    for by, other, values in (
        ("state", "NGO assessment", ("implemented", "regressed")),
        ("ngo", "State claims", ("regressed", "implemented")),
    ):
        path = tmp_path / f"{by}.csv"
        cli.ok("export", path, "--by", by)
        with path.open(encoding="utf-8", newline="") as f:
            assert statuses(list(csv.reader(f)), other) == values


# --- 16. rm asks with summaries; an empty register; init --sample twice; undated last --


def test_rm_on_a_terminal_asks_with_each_keys_summary(cli, recs, terminal) -> None:
    cli.ok("edit", K2, "--summary", "Prosecute traffickers")
    result = cli("rm", K1, K2, input="n\n")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"Remove 2 recommendations ({K1}, {K2})?\n  {K1}  Adopt a law.\n"
        f"  {K2}  Prosecute traffickers\n"
    )
    assert "nothing removed" in result.stdout
    assert cli.keys("--format", "tsv") == [K1, K2]


def test_list_of_an_empty_register_says_how_to_begin(cli, empty) -> None:
    result = cli("list", "--format", "table")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("No recommendations recorded yet")
    assert "rectrack add" in result.stderr and "rectrack init --sample" in result.stderr


def test_init_sample_twice_reports_everything_already_present(cli) -> None:
    first = cli.ok("init", "--sample").splitlines()[-1]
    added = [int(n) for n in re.findall(r"(\d+) [a-z ]+? added", first)]
    assert len(added) == 5 and all(added), first
    second = cli.ok("init", "--sample").splitlines()[-1]
    r, d, a, e, s = added
    assert second == (
        f"sample data: 0 recommendations added, {r} already present; "
        f"0 documents added, {d} already present; 0 actions added, {a} already present; "
        f"0 pieces of evidence added, {e} already present; "
        f"0 assessments added, {s} already present"
    )
    assert (r, d, a, e, s) == (38, 9, 11, 9, 36)


def test_history_lists_undated_items_last(cli, recs) -> None:
    cli.ok("action", "add", "--title", "Undated decree", "--kind", "bylaw", "-r", K1)
    cli.ok("action", "add", "--title", "Dated law", "--kind", "law", "--date", "2020", "-r", K1)
    cli.ok("assess", K1, "--status", "in_progress", "--date", "2021")
    events = cli.json("history", K1)["events"]
    assert [(e["date"], e["what"]) for e in events] == [
        ("2020", "Dated law [law]"),
        ("2021", "In progress (ngo)"),
        (None, "Undated decree [bylaw]"),
    ]
    assert keys_of(cli.ok("history", K1)) == ["2020", "2021", ""]
    table = cli.ok("history", K1, "--format", "table")
    lines = [" ".join(x.split()) for x in table.splitlines() if "Undated decree" in x]
    assert lines == ["undated action A1 Undated decree [bylaw]"]
