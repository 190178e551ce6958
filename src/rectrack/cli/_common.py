"""What the command modules share: opening the database, options, prompts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from rectrack.cli import root as _app
from rectrack.errors import BadValue

if TYPE_CHECKING:
    from sqlmodel import Session

    from rectrack.db import Database

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table, tsv, csv, json or jsonl (default: table on a terminal, tsv when piped).",
    ),
]


@contextmanager
def open_db(ctx: typer.Context) -> Iterator[Database]:
    from rectrack.db import open_database
    from rectrack.settings import database_location

    database = open_database(database_location(_app.state(ctx).db))
    try:
        yield database
    finally:
        database.engine.dispose()


@contextmanager
def session(ctx: typer.Context, commit: bool = True) -> Iterator[Session]:
    """A session on the database in use; committed when the block ends without error
    (unless `commit` is false: a dry run)."""
    from rectrack.db import session_scope

    with open_db(ctx) as database, session_scope(database, commit) as s:
        yield s


def can_prompt() -> bool:
    return _app.stdin_is_terminal()


def require(values: dict[str, str | None]) -> dict[str, str]:
    """Ask on a terminal for each missing value (option name -> value); without a
    terminal, refuse naming every missing option."""
    missing = [name for name, value in values.items() if value is None or not value.strip()]
    if missing and not can_prompt():
        raise BadValue(f"missing {', '.join(missing)} (no terminal to ask on)")
    out: dict[str, str] = {}
    for name, value in values.items():
        while value is None or not value.strip():
            value = typer.prompt(name.lstrip("-").capitalize())
        out[name] = value
    return out


def confirm(question: str, yes: bool) -> bool:
    """True when the user confirmed with --yes or at the terminal."""
    if yes:
        return True
    if not can_prompt():
        raise BadValue("this needs confirmation: add --yes (no terminal to ask on)")
    return typer.confirm(question, default=False)
