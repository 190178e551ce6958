"""What the command modules share: opening the database, options, prompts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

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
def open_db(ctx: typer.Context, create: bool = False) -> Iterator[Database]:
    """The database in use, its schema brought up to date; `create` makes a missing file."""
    from rectrack.db import open_database
    from rectrack.settings import database_location

    database = open_database(database_location(_app.state(ctx).db), create)
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


# The filters of every command that selects recommendations, declared once.
BodiesFilter = Annotated[
    list[str] | None, typer.Option("--body", "-b", help="Only this body (repeatable).")
]
CountryFilter = Annotated[str | None, typer.Option("--country", "-c", help="Only this country.")]
DocumentFilter = Annotated[
    str | None, typer.Option("--document", "-d", help="Only this document (its symbol).")
]
ThemeFilter = Annotated[str | None, typer.Option("--theme", help="Only this theme.")]
InstitutionFilter = Annotated[
    str | None, typer.Option("--institution", "-i", help="Only this institution.")
]
PriorityFilter = Annotated[
    str | None, typer.Option("--priority", help="Only this priority: high, medium or low.")
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Statuses at this date (default: today; 2023 means the end of 2023)."
    ),
]
ByOption = Annotated[str, typer.Option("--by", help="Whose assessments: ngo, state or body.")]


def rec_filter(
    body: list[str] | None = None,
    country: str | None = None,
    document: str | None = None,
    theme: str | None = None,
    institution: str | None = None,
    priority: str | None = None,
    text: str | None = None,
) -> Any:
    """The RecFilter of the filter options (imported here, when a command runs)."""
    from rectrack.services.recommendations import RecFilter

    return RecFilter(
        bodies=tuple(body or ()),
        country=country,
        document=document,
        theme=theme,
        institution=institution,
        priority=priority,
        text=text,
    )
