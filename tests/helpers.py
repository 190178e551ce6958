"""What the tests share. Fixtures in conftest.py hand these out; import the plain functions
(`from helpers import keys_of`) where a test needs one. `pythonpath` in pyproject.toml
makes this module importable under any `--import-mode`."""

from __future__ import annotations


def keys_of(tsv: str) -> list[str]:
    """The first column of TSV output, without its header."""
    lines = [line for line in tsv.splitlines() if line]
    return [line.split("\t")[0] for line in lines[1:]]
