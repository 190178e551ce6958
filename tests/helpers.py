"""What the tests share. Fixtures in conftest.py hand these out; import the plain functions
(`from helpers import keys_of`) where a test needs one. `pythonpath` in pyproject.toml
makes this module importable under any `--import-mode`."""

from __future__ import annotations

import functools
from typing import Any

from typer.main import get_command

from rectrack.cli import app


@functools.cache
def rectrack_command() -> Any:
    """rectrack's click command, built once. typer.testing.CliRunner.invoke rebuilds it from
    the Typer app on every call (about 20 ms, more than most commands take to run)."""
    return get_command(app)


def get_command_once(typer_app: Any) -> Any:
    """A stand-in for typer.testing's `_get_command` that reuses rectrack's command."""
    return rectrack_command() if typer_app is app else get_command(typer_app)


def keys_of(tsv: str) -> list[str]:
    """The first column of TSV output, without its header."""
    lines = [line for line in tsv.splitlines() if line]
    return [line.split("\t")[0] for line in lines[1:]]
