"""db path: which database is in use."""

from __future__ import annotations

import typer

from rectrack.cli.root import app, state

db_app = typer.Typer(help="The database in use.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print the database in use: a file path, or a URL with its password hidden.

    Example: rectrack --db coalition.db db path
    """
    from rectrack.settings import database_location
    from rectrack.views.exchange import database_path

    database_path(database_location(state(ctx).db).describe())
