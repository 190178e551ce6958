"""db path, backup, copy, check, migrate: the database itself; log: who changed what."""

from pathlib import Path
from typing import Annotated

import typer

from rectrack.cli._common import FormatOption
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


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a consistent copy of the database, even while others use it. Keep copies
    somewhere else than the database (another disk, a cloud folder).

    Example: rectrack db backup ~/backups/rectrack-2026-11-29.db
    """
    from rectrack.cli._common import open_db
    from rectrack.services.maintenance import backup
    from rectrack.views.exchange import backed_up

    with open_db(ctx) as database:
        done = backup(database, file, force)
    backed_up(done)


@db_app.command("copy")
def db_copy(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="PATH|URL",
            help="The empty database to copy into: a new SQLite file, or the URL of a "
            "PostgreSQL database with no tables.",
        ),
    ],
) -> None:
    """Copy the whole database in use (recommendations, documents, actions, evidence,
    assessments, links, clusters and the change log) into an empty one: a local file onto
    a coalition's PostgreSQL server, or a server database into a file. A target that holds
    anything is refused and left as it was.

    Example: rectrack db copy --to postgresql+psycopg://ana@db.example.org/coalition
    """
    from rectrack.cli._common import open_db
    from rectrack.services.copying import copy_database
    from rectrack.settings import location_of
    from rectrack.views.exchange import copied

    target = location_of(to, "--to")
    with open_db(ctx) as database:
        report = copy_database(database, target)
    copied(report.target, report.counts)


@db_app.command("check")
def db_check(ctx: typer.Context) -> None:
    """Check the database: the file's integrity and links, the search index, evidence
    files gone or changed, keys that break the rules. One finding a line; exit 1 if any.

    Example: rectrack db check
    """
    from rectrack.cli._common import session
    from rectrack.services.maintenance import check
    from rectrack.views.exchange import checked

    with session(ctx, write=False) as s:
        findings = check(s)
    checked(findings)
    if findings:
        raise typer.Exit(1)


@db_app.command("migrate")
def db_migrate(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what it lacks; change nothing.")
    ] = False,
) -> None:
    """Show the database's schema version and apply the migrations it lacks (a database
    that holds data is copied beside itself first). Every command does this when it
    opens an older database; this does it on purpose, and says what it did.

    Example: rectrack db migrate --dry-run
    """
    from rectrack.db import SCHEMA_VERSION, make_engine, migrate, open_database, pending
    from rectrack.settings import database_location
    from rectrack.views.exchange import migrated

    location = database_location(state(ctx).db)
    open_database(location, upgrade=False).engine.dispose()  # checks it exists, is ours
    engine = make_engine(location.url)
    try:
        version, missing, _ = pending(engine)
        if dry_run or not missing:
            migrated(version, SCHEMA_VERSION, [(m.version, m.name) for m in missing], None, dry_run)
            return
        applied, copy = migrate(engine, location.path)
    finally:
        engine.dispose()
    migrated(version, SCHEMA_VERSION, [(m.version, m.name) for m in applied], copy, False)


@app.command("log", short_help="Who changed what, and when: the change log.")
def log(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only changes since this day.")
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", "-k", metavar="KEY", help="Only this recommendation and its own."),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="WHO", help="Only changes made by WHO.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", help="At most this many (default: 100).")
    ] = 100,
    fmt: FormatOption = None,
) -> None:
    """The change log, latest first: every add, change and removal of a recommendation,
    document, action, evidence, assessment, link or cluster, with who made it, when, and
    the values before and after (in JSON output).

    Examples: rectrack log --since 2025-01-01; rectrack log --key GRETA-2023-0005
    """
    from rectrack.cli._common import read_and_show
    from rectrack.services.changelog import change_rows
    from rectrack.views.exchange import change_log

    read_and_show(ctx, fmt, lambda s: change_rows(s, since, key, by, limit), change_log)
