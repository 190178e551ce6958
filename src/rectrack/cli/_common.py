"""What the command modules share: opening the database, the filter and output options,
prompts."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from rectrack.cli import root as _app
from rectrack.errors import BadValue

if TYPE_CHECKING:
    from sqlmodel import Session

    from rectrack.db import Database

T = TypeVar("T")

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table, tsv, csv, json or jsonl (default: table on a terminal, tsv when piped).",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Statuses at this date (default: today; 2023 means the end of 2023)."
    ),
]
ByOption = Annotated[str, typer.Option("--by", help="Whose assessments: ngo, state or body.")]


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


def read_and_show(
    ctx: typer.Context,
    fmt: str | None,
    read: Callable[[Session], T],
    show: Callable[[T, str], None],
) -> None:
    """What a command that only reads does: check the output format, read from the
    database, print what was read."""
    from rectrack.render import resolve_format

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        found = read(s)
    show(found, fmt)


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


# ---------------------------------------------------------------------------------------
# The filters of every command that selects recommendations, declared once.

_FILTERS: dict[str, Any] = {
    "body": Annotated[
        list[str] | None, typer.Option("--body", "-b", help="Only this body (repeatable).")
    ],
    "country": Annotated[str | None, typer.Option("--country", "-c", help="Only this country.")],
    "document": Annotated[
        str | None, typer.Option("--document", "-d", help="Only this document (its symbol).")
    ],
    "theme": Annotated[str | None, typer.Option("--theme", help="Only this theme.")],
    "institution": Annotated[
        str | None, typer.Option("--institution", "-i", help="Only this institution.")
    ],
    "priority": Annotated[
        str | None, typer.Option("--priority", help="Only this priority: high, medium or low.")
    ],
    "text": Annotated[
        str | None,
        typer.Option("--text", "-t", help="Only those whose text or summary contains this."),
    ],
}
ALL_FILTERS = ("body", "country", "document", "theme", "institution", "priority")


def filtered(*names: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the named filter options (default: all but --text), declared once
    here, and hand them to it as one `filters` argument (a RecFilter)."""
    chosen = names or ALL_FILTERS

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "filters"]
        # The filters come after the arguments, before the command's other options.
        at = next((i for i, p in enumerate(own) if p.default is not p.empty), len(own))
        added = [
            inspect.Parameter(
                n, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=_FILTERS[n]
            )
            for n in chosen
        ]
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]
        params[at:at] = added

        @functools.wraps(command)
        def run(**kwargs: Any) -> None:
            from rectrack.shapes import RecFilter

            values = {n: kwargs.pop(n) for n in chosen}
            bodies = tuple(values.pop("body", None) or ())
            command(filters=RecFilter(bodies=bodies, **values), **kwargs)

        del run.__wrapped__  # Typer must read the new signature, not the command's
        run.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        return run

    return decorate
