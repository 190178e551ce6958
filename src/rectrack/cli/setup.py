"""init: create the database, optionally with the sample data set."""

from typing import Annotated

import typer

from rectrack.cli._common import open_db
from rectrack.cli.root import app


@app.command("init")
def init(
    ctx: typer.Context,
    sample: Annotated[
        bool, typer.Option("--sample", help="Load the bundled sample data set (Serbia).")
    ] = False,
) -> None:
    """Create the database, or bring it up to date; safe to run again.

    Examples: rectrack init; rectrack init --sample; rectrack --db coalition.db init
    """
    from rectrack.db import session_scope
    from rectrack.services.bodies import seed_bodies
    from rectrack.services.datasets import load_sample
    from rectrack.views import exchange as views

    with open_db(ctx, create=True) as database:
        with session_scope(database) as s:
            seed_bodies(s)
            report = load_sample(s) if sample else None
        views.database_ready(database.location.describe(), database.schema_version())
    if report is not None:
        views.sample_loaded(report)
