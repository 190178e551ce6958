"""theme list/rename, institution list/rename: the vocabularies recommendations share."""

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, read_and_show, session
from rectrack.cli.root import app

theme_app = typer.Typer(help="Themes: what recommendations are about.", no_args_is_help=True)
institution_app = typer.Typer(
    help="Institutions: who is responsible for recommendations and actions.",
    no_args_is_help=True,
)
app.add_typer(theme_app, name="theme")
app.add_typer(institution_app, name="institution")

OldArg = Annotated[str, typer.Argument(metavar="OLD", help="The name as it is recorded.")]
NewArg = Annotated[
    str, typer.Argument(metavar="NEW", help="The right name; if it is recorded too, they merge.")
]


def _list(ctx: typer.Context, fmt: str | None, what: str) -> None:
    from rectrack.services.lookup import INSTITUTIONS, THEMES
    from rectrack.services.names import list_names
    from rectrack.views import register as views

    names = THEMES if what == "theme" else INSTITUTIONS
    read_and_show(
        ctx, fmt, lambda s: list_names(s, names), lambda rows, f: views.name_list(rows, f, what)
    )


def _rename(ctx: typer.Context, old: str, new: str, what: str) -> None:
    from rectrack.services.lookup import INSTITUTIONS, THEMES
    from rectrack.services.names import rename
    from rectrack.views import register as views

    with session(ctx) as s:
        done = rename(s, THEMES if what == "theme" else INSTITUTIONS, old, new)
    views.renamed(what, *done)


@theme_app.command("list")
def theme_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the themes, with how many recommendations each has.

    Example: rectrack theme list
    """
    _list(ctx, fmt, "theme")


@theme_app.command("rename")
def theme_rename(ctx: typer.Context, old: OldArg, new: NewArg) -> None:
    """Rename a theme; if the new name is a theme too, the two are merged.

    Example: rectrack theme rename compenstion compensation
    """
    _rename(ctx, old, new, "theme")


@institution_app.command("list")
def institution_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the institutions, with how many recommendations and actions name each.

    Example: rectrack institution list
    """
    _list(ctx, fmt, "institution")


@institution_app.command("rename")
def institution_rename(ctx: typer.Context, old: OldArg, new: NewArg) -> None:
    """Rename an institution; if the new name is one too, the two are merged.

    Example: rectrack institution rename "Ministry of Justic" "Ministry of Justice"
    """
    _rename(ctx, old, new, "institution")
