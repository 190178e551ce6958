"""body list, body add."""

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, read_and_show, session
from rectrack.cli.root import app

body_app = typer.Typer(help="The bodies that make recommendations.", no_args_is_help=True)
app.add_typer(body_app, name="body")


@body_app.command("list")
def body_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the bodies, with how many recommendations each has."""
    from rectrack.services.bodies import list_bodies
    from rectrack.views import register as views

    read_and_show(ctx, fmt, list_bodies, views.body_list)


@body_app.command("add")
def body_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="CODE", help="Short code, e.g. GREVIO.")],
    name: Annotated[str, typer.Option("--name", "-n", metavar="NAME", help="Full name.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="treaty_body, regional_monitoring, peer_review, bilateral, eu or other.",
        ),
    ],
) -> None:
    """Add a body.

    Example: rectrack body add OSCE --name "OSCE Office for Democratic Institutions and
    Human Rights" --kind regional_monitoring
    """
    from rectrack.services.bodies import add_body
    from rectrack.views import register as views

    with session(ctx) as s:
        added = add_body(s, code, name, kind)
    views.body_added(added)
