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
from rectrack.errors import BadValue, NearName, RectrackError
from rectrack.shapes import NewNames

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
        "--as-of",
        metavar="DATE",
        help="Statuses at this date (default: today; 2023 means the end of 2023).",
    ),
]
ByOption = Annotated[
    str, typer.Option("--by", metavar="WHO", help="Whose assessments: ngo, state or body.")
]


@contextmanager
def open_db(ctx: typer.Context, create: bool = False) -> Iterator[Database]:
    """The database in use, its schema brought up to date; `create` makes a missing file."""
    from rectrack.db import open_database
    from rectrack.settings import database_location

    database = open_database(database_location(_app.state(ctx).db), create)
    if database.upgraded:
        from rectrack.views.exchange import upgraded

        upgraded(database.upgraded, database.upgrade_copy)
    try:
        yield database
    finally:
        database.engine.dispose()


@contextmanager
def session(ctx: typer.Context, commit: bool = True, write: bool = True) -> Iterator[Session]:
    """A session on the database in use; committed when the block ends without error
    (unless `commit` is false: a dry run). The themes and institutions it recorded are
    reported afterwards, so that a new name never slips in unnoticed."""
    from rectrack.db import session_scope
    from rectrack.services.lookup import created_names

    with open_db(ctx) as database, session_scope(database, commit, write) as s:
        yield s
        created = list(created_names(s))
    if created:
        from rectrack.views.register import new_names

        new_names(created, written=commit)


NewThemeOption = Annotated[
    bool,
    typer.Option("--new-theme", help="Record a new theme even if it looks like one on record."),
]
NewInstitutionOption = Annotated[
    bool,
    typer.Option(
        "--new-institution",
        help="Record a new institution even if it looks like one on record.",
    ),
]


def with_new_names(attempt: Callable[[NewNames], T], themes: bool, institutions: bool) -> T:
    """Run `attempt` (which opens its own session). A new theme or institution that looks
    like one on record is refused; on a terminal the user is asked whether it is really new,
    and if so `attempt` runs again, allowing it."""
    confirmed: set[str] = set()
    while True:
        try:
            return attempt(NewNames(themes, institutions, frozenset(confirmed)))
        except NearName as e:
            folded = " ".join(e.name.split()).casefold()
            if not can_prompt() or folded in confirmed:
                raise
            question = (
                f"'{e.name}' looks like the {e.what} '{e.near}'. "
                f"Record '{e.name}' as a new {e.what}?"
            )
            if not typer.confirm(question, default=False):
                raise
            confirmed.add(folded)


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
    with session(ctx, write=False) as s:
        show(read(s), fmt)  # inside the session: rows may stream from the database


def can_prompt() -> bool:
    return _app.stdin_is_terminal()


def refuse_missing(values: dict[str, str | None]) -> None:
    """Without a terminal to ask on, refuse naming every missing option (option ->
    value)."""
    missing = [name for name, value in values.items() if value is None or not value.strip()]
    if missing and not can_prompt():
        raise BadValue(f"missing {', '.join(missing)} (no terminal to ask on)")


def ask(
    label: str,
    check: Callable[[str], T],
    default: str | None = None,
    optional: bool = False,
) -> T | None:
    """Ask on the terminal until the answer passes `check` (which raises a RectrackError
    saying what is wrong); an empty answer to an optional question is None. What was
    already answered is never asked again."""
    from rectrack import render

    while True:
        answer = typer.prompt(
            label + (" (Enter to skip)" if optional and default is None else ""),
            default=default if default is not None else ("" if optional else None),
            show_default=default is not None,
        )
        if optional and not answer.strip():
            return None
        if not answer.strip():
            continue
        try:
            return check(answer)
        except RectrackError as e:
            render.error(str(e))


def confirm(question: str, yes: bool) -> bool:
    """True when the user confirmed with --yes or at the terminal."""
    if yes:
        return True
    if not can_prompt():
        asked = " ".join(question.split())
        raise BadValue(f"this needs confirmation: add --yes (no terminal to ask on). {asked}")
    return typer.confirm(question, default=False)


# ---------------------------------------------------------------------------------------
# The filters of every command that selects recommendations, declared once.


def _repeatable(name: str, short: str | None, metavar: str, help: str) -> Any:
    flags = (f"--{name}", short) if short else (f"--{name}",)
    return Annotated[list[str] | None, typer.Option(*flags, metavar=metavar, help=help)]


# Option name -> (the RecFilter field it fills, its declaration).
_FILTERS: dict[str, tuple[str, Any]] = {
    "body": ("bodies", _repeatable("body", "-b", "CODE", "Only this body (repeatable).")),
    "country": (
        "countries",
        _repeatable("country", "-c", "COUNTRY", "Only this country (repeatable)."),
    ),
    "document": (
        "documents",
        _repeatable("document", "-d", "SYMBOL", "Only this document, by its symbol (repeatable)."),
    ),
    "theme": ("themes", _repeatable("theme", None, "THEME", "Only this theme (repeatable).")),
    "institution": (
        "institutions",
        _repeatable("institution", "-i", "NAME", "Only this institution (repeatable)."),
    ),
    "priority": (
        "priorities",
        _repeatable(
            "priority", None, "LEVEL", "Only this priority: high, medium or low (repeatable)."
        ),
    ),
    "recommending": (
        "recommending",
        _repeatable("recommending", None, "STATE", "Only those this state made, UPR (repeatable)."),
    ),
    "affected": (
        "affected",
        _repeatable(
            "affected",
            None,
            "GROUP",
            "Only those about this group: women, migrants... (repeatable).",
        ),
    ),
    "sdg": ("sdgs", _repeatable("sdg", None, "TARGET", "Only this SDG target: 5.2 (repeatable).")),
    "cluster": (
        "clusters",
        _repeatable("cluster", None, "NAME", "Only this recurring demand (repeatable)."),
    ),
    "text": (
        "text",
        Annotated[
            str | None,
            typer.Option(
                "--text",
                "-t",
                metavar="TEXT",
                help="Only those whose text or summary contains this.",
            ),
        ],
    ),
}
ALL_FILTERS = (
    "body",
    "country",
    "document",
    "theme",
    "institution",
    "priority",
    "recommending",
    "affected",
    "sdg",
    "cluster",
)


def filtered(*names: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the named filter options (default: all but --text), declared once
    here, and hand them to it as one `filters` argument (a RecFilter). Each but --text may
    be repeated: its values are alternatives."""
    chosen = names or ALL_FILTERS

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "filters"]
        # The filters come after the arguments, before the command's other options.
        at = next((i for i, p in enumerate(own) if p.default is not p.empty), len(own))
        added = [
            inspect.Parameter(
                n, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=_FILTERS[n][1]
            )
            for n in chosen
        ]
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]
        params[at:at] = added

        @functools.wraps(command)
        def run(**kwargs: Any) -> None:
            from rectrack.shapes import RecFilter

            values: dict[str, Any] = {}
            for name in chosen:
                given = kwargs.pop(name)
                values[_FILTERS[name][0]] = tuple(given or ()) if name != "text" else given
            command(filters=RecFilter(**values), **kwargs)

        del run.__wrapped__  # Typer must read the new signature, not the command's
        run.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        return run

    return decorate
