"""The root Typer app, its global options, and the one place user errors become messages."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from rectrack import __version__
from rectrack.errors import Problems, RectrackError


@dataclass
class State:
    """What the global options chose, kept on the root context."""

    db: str | None = None


def _is_database_error(error: BaseException) -> bool:
    """An error the database driver raised (SQLAlchemy's DBAPIError and its kinds: locked,
    gone away, a constraint broken by someone else's change at the same moment...).
    Found by name, not imported: importing SQLAlchemy here would slow every command."""
    return type(error).__module__.startswith("sqlalchemy") and any(
        cls.__name__ == "DBAPIError" for cls in type(error).__mro__
    )


class RectrackGroup(TyperGroup):
    """Turns a user's mistake (RectrackError) into `Error: ...` on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        from rectrack import render

        try:
            return super().invoke(ctx)
        except Problems as e:
            render.problems(e.problems, e.summary, e.warnings)
            raise typer.Exit(e.exit_code) from None
        except RectrackError as e:
            render.error(str(e))
            raise typer.Exit(e.exit_code) from None
        except Exception as e:
            if _is_database_error(e):
                detail = getattr(e, "orig", None) or e
                render.error(f"the database refused the change: {detail}")
                raise typer.Exit(1) from None
            raise


app = typer.Typer(
    name="rectrack",
    cls=RectrackGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help=(
        "Track how far a state implements the recommendations of international bodies: "
        "record recommendations, the state's actions and evidence, assess them over the "
        "years, and print status tables for coalition meetings."
    ),
    epilog="Exit codes: 0 success, 1 error (unknown key, conflict), 2 bad usage or value.",
)


def _show_version(value: bool) -> None:
    if value:
        from rectrack.render import out

        out(f"rectrack {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH|URL",
            help="Database to use: a SQLite file or a SQLAlchemy URL "
            "(default: RECTRACK_DB, else rectrack.db in the home folder).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = State(db=db)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
