"""The root Typer app, its global options, and the one place user errors become messages."""

import sys
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup

from rectrack import __version__
from rectrack.errors import Problems, RectrackError


@dataclass
class State:
    """What the global options chose, kept on the root context."""

    db: str | None = None
    debug: bool = False  # a bug shows its traceback


ISSUES = "https://github.com/rectrack/rectrack/issues"
BUG_EXIT = 70  # EX_SOFTWARE: an internal error


def _bug_line(error: BaseException) -> str:
    """One line for an unexpected error (a bug): what it was, and how to report it."""
    detail = " ".join(str(error).split())
    if len(detail) > 100:
        detail = detail[:97] + "..."
    what = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    return (
        f"an unexpected error, a bug in rectrack ({what}); please report it at {ISSUES}, "
        "with the traceback that the same command prints with --debug (rectrack --debug ...)"
    )


def _system_error(error: OSError) -> str:
    """A file or the system refused (no permission, a full disk...): what and where."""
    what = error.strerror or str(error) or type(error).__name__
    where = error.filename if error.filename is not None else None
    return f"{where}: {what}" if where is not None else what


def _undecodable(arg: str) -> bool:
    """Whether a command-line value holds bytes that are not UTF-8 (read as surrogates)."""
    return any("\udc80" <= ch <= "\udcff" for ch in arg)


def _is_database_error(error: BaseException) -> bool:
    """An error the database driver raised (SQLAlchemy's DBAPIError and its kinds: locked,
    gone away, a constraint broken by someone else's change at the same moment...).
    Found by name, not imported: importing SQLAlchemy here would slow every command."""
    return type(error).__module__.startswith("sqlalchemy") and any(
        cls.__name__ == "DBAPIError" for cls in type(error).__mro__
    )


# The main help lists the commands in these groups, in this order.
COMMAND_GROUPS = (
    (
        "The register",
        ("add", "list", "show", "edit", "rm", "restore", "document", "theme", "institution"),
    ),
    ("Tracking", ("action", "evidence", "assess", "history")),
    ("Where things stand", ("status", "due", "changes")),
    ("Recurring demands", ("search", "similar", "cluster", "link", "unlink")),
    ("Exchange", ("export", "import", "report")),
    ("Setup and your data", ("init", "db", "log", "body")),
)


class PlainArgument(TyperArgument):
    """An argument shown in help as people read it: `KEY`, `[KEY]...`, with no `{KEY}` and
    no Python type (`<str>`) beside it."""

    def _usage_display_name(self) -> str:
        name = self.metavar or self.display_name_raw
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _plain_arguments(command: Any) -> None:
    for param in getattr(command, "params", []):
        if type(param) is TyperArgument:
            param.__class__ = PlainArgument
    for sub in getattr(command, "commands", {}).values():
        _plain_arguments(sub)


class RectrackGroup(TyperGroup):
    """Turns a user's mistake (RectrackError) into `Error: ...` on stderr and its exit code,
    and lists the commands in groups."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_arguments(self)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands by what they are for, each with its whole first sentence."""
        listed = {name for _, names in COMMAND_GROUPS for name in names}
        others = tuple(name for name in self.commands if name not in listed)
        for title, names in (*COMMAND_GROUPS, ("Other", others)):
            rows = [
                (name, self.commands[name].get_short_help_str(limit=400))
                for name in names
                if name in self.commands and not self.commands[name].hidden
            ]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Refuse a value that is not UTF-8 text before any command sees it."""
        for arg in args:
            if _undecodable(arg):
                from rectrack.render import visible

                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise typer.BadParameter(f"'{visible(shown)}' is not UTF-8 text", ctx=ctx)
        result: list[str] = super().parse_args(ctx, args)
        return result

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
            if type(e).__module__.split(".")[0] in ("typer", "click"):
                raise  # an exit, an abort, a usage error: the command line's own
            if _is_database_error(e):
                detail = getattr(e, "orig", None) or e
                render.error(f"the database refused the change: {detail}")
                raise typer.Exit(1) from None
            if isinstance(e, OSError):
                render.error(_system_error(e))
                raise typer.Exit(1) from None
            if isinstance(ctx.obj, State) and ctx.obj.debug:
                raise
            render.error(_bug_line(e))
            raise typer.Exit(BUG_EXIT) from None


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
    epilog="Exit codes: 0 success, 1 error (unknown key, conflict), 2 bad usage or value, "
    "70 a bug in rectrack (run the command again with --debug to see it).",
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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="On an unexpected error (a bug in rectrack), print the whole traceback, to "
            "put in a bug report.",
        ),
    ] = False,
) -> None:
    ctx.obj = State(db=db, debug=debug)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
