"""The README's tour runs as written, in order, on a new home folder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

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


def test_the_tour_runs_as_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "2025-03-hearing.pdf").write_bytes(b"%PDF-1.4 hearing notes\n")
    for line in tour_commands():
        args = shlex.split(line, comments=True)[1:]
        result = cli(*args)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        promised = re.search(r"prints (?:the new (?:key|id): )?([A-Z]+[-0-9a-z]*)\b", line)
        if promised:
            assert result.stdout.strip() == promised.group(1), line
