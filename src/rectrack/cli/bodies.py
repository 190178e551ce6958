"""body list, body add."""

from __future__ import annotations

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, session
from rectrack.cli.root import app

body_app = typer.Typer(help="The bodies that make recommendations.", no_args_is_help=True)
app.add_typer(body_app, name="body")


@body_app.command("list")
def body_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the bodies, with how many recommendations each has."""
    from rectrack.render import Column, emit_rows, resolve_format
    from rectrack.services.bodies import list_bodies

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        rows = list_bodies(s)
    emit_rows(
        rows,
        [
            Column("code", "Code", no_wrap=True, style="bold"),
            Column("name", "Name"),
            Column("kind", "Kind", no_wrap=True),
            Column("recommendations", "Recs", justify="right"),
        ],
        fmt,
        empty="No bodies.",
    )


@body_app.command("add")
def body_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. GREVIO.")],
    name: Annotated[str, typer.Option("--name", "-n", help="Full name.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="treaty_body, regional_monitoring, peer_review, bilateral, eu or other."
        ),
    ],
) -> None:
    """Add a body."""
    from rectrack.render import say
    from rectrack.services.bodies import add_body

    with session(ctx) as s:
        added = add_body(s, code, name, kind)
    say(f"added body {added}")
