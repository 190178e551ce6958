"""The README's tour runs as written, in order, on a new home folder."""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

import pytest
from openpyxl import Workbook

from engines import Target
from helpers import Cli

ROOT = Path(__file__).parent.parent


def tour_commands() -> list[str]:
    """Every `rectrack ...` command of the tour's sh blocks, continuation lines joined and
    comments dropped; a line that sets a variable first (a PostgreSQL example) is left out,
    as it needs a server."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A tour", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)\n```", section, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "rectrack":
                commands.append(line)
    return commands


def test_the_tour_has_commands_of_every_section() -> None:
    commands = " ".join(tour_commands())
    for command in (
        "init --sample",
        "add",
        "edit",
        "action add",
        "evidence add",
        "assess",
        "status",
        "changes",
        "export",
        "import",
        "document",
        "theme",
    ):
        assert f"rectrack {command}" in commands


def write_outside_files(folder: Path) -> None:
    """The files the tour imports from outside: a UPR Info export, a UHRI export and an
    organisation's own table (this year's and next year's)."""
    upr = [
        ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org"]
        + ["Response", "Action", "Issue", "Session"],
        ["Serbia", "EEG", "", "Adopt a law on shelters.", "Chile", "GRULAC", "", "Supported"]
        + ["4", "Women's rights", "43"],
        ["Serbia", "EEG", "", "Adopt a law on shelters.", "Spain", "WEOG", "", "Supported"]
        + ["4", "Women's rights", "43"],
        ["Croatia", "EEG", "", "Train labour inspectors.", "Chile", "GRULAC", "", "Noted"]
        + ["3", "Labour", "44"],
    ]
    with (folder / "upr-info.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(upr)
    uhri = Workbook()
    uhri.active.append(
        ["Text", "Countries Concerned", "Reccomending Body", "Document Symbol"]
        + ["Document Publication Date", "OHCHR Annotation Id"]
    )
    uhri.active.append(
        ["Identify child victims early.", "- Serbia", "Committee on the Rights of the Child"]
        + ["CRC/C/SRB/CO/2-3", 42800, "tour-1"]
    )
    uhri.save(folder / "uhri-export.xlsx")
    for name, status in (("ours.xlsx", "Pending"), ("ours-2026.xlsx", "N/A")):
        ours = Workbook()
        ours.active.append(["Committee", "Para", "Recommendation", "Status"])
        ours.active.append(["GREVIO", "12", "Fund rape crisis centres.", status])
        ours.save(folder / name)


def test_the_tour_runs_as_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: Target
) -> None:
    """On a new home folder's database, and on an empty PostgreSQL database named by
    RECTRACK_DB (the lines that name a file with --db use that file)."""
    if target.engine_name == "postgresql":
        monkeypatch.setenv("RECTRACK_DB", target.url)
    monkeypatch.chdir(tmp_path)
    write_outside_files(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "2025-03-hearing.pdf").write_bytes(b"%PDF-1.4 hearing notes\n")
    for line in tour_commands():
        args = shlex.split(line, comments=True)[1:]
        result = cli(*args)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        promised = re.search(r"prints (?:the new (?:key|id): )?([A-Z]+[-0-9a-z]*)\b", line)
        if promised:
            assert result.stdout.strip() == promised.group(1), line
