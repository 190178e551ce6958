"""export and import: workbooks and CSV files for coalition meetings, and data sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rectrack.cli._common import (
    AsOfOption,
    BodiesFilter,
    ByOption,
    CountryFilter,
    DocumentFilter,
    InstitutionFilter,
    PriorityFilter,
    ThemeFilter,
    open_db,
    rec_filter,
    session,
)
from rectrack.cli.root import app


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="The file to write: FILE.xlsx, FILE.csv or FILE.toml.")
    ],
    body: BodiesFilter = None,
    country: CountryFilter = None,
    document: DocumentFilter = None,
    theme: ThemeFilter = None,
    institution: InstitutionFilter = None,
    priority: PriorityFilter = None,
    as_of: AsOfOption = None,
    by: ByOption = "ngo",
    group_by: Annotated[
        str,
        typer.Option(
            "--group-by",
            "-g",
            help="Rows of the Summary sheet: body, document, theme, institution or country.",
        ),
    ] = "body",
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file if it exists.")
    ] = False,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom", help="CSV: start with a byte-order mark, which Excel needs to read UTF-8."
        ),
    ] = False,
    file_format: Annotated[
        str | None,
        typer.Option("--format", help="xlsx, csv or toml (default: from the file's name)."),
    ] = None,
) -> None:
    """Write a workbook (Summary, Recommendations, Actions, Evidence, History, About) or a
    CSV file of the recommendations, for a coalition meeting; or a TOML data set of them
    with their documents, actions, evidence and assessments, to keep as text or share."""
    from rectrack.db import session_scope
    from rectrack.render import plural, say
    from rectrack.services.exchange import export_data
    from rectrack.services.files import check_target, export_format, write_export
    from rectrack.services.status import StatusQuery

    fmt = export_format(file, file_format)
    check_target(file, force)
    if fmt == "toml":
        from rectrack.services.datasets import dataset_tables
        from rectrack.services.files import write_dataset_file

        with session(ctx) as s:
            tables = dataset_tables(
                s, rec_filter(body, country, document, theme, institution, priority)
            )
        write_dataset_file(file, tables)
        say(
            f"wrote {file} ({plural(len(tables['recommendations']), 'recommendation')}, "
            f"{plural(len(tables['actions']), 'action')}, "
            f"{plural(len(tables['evidence']), 'piece')} of evidence, "
            f"{plural(len(tables['assessments']), 'assessment')})"
        )
        return
    query = StatusQuery(
        rec_filter(body, country, document, theme, institution, priority), as_of, by
    )
    with open_db(ctx) as database:
        with session_scope(database) as s:
            data = export_data(
                s, query, group_by, database.location.describe(), database.schema_version()
            )
    write_export(file, fmt, data, bom=bom, warn=lambda m: say(f"Warning: {m}", err=True))
    say(
        f"wrote {file} ({plural(len(data.recommendations), 'recommendation')}, status on "
        f"{data.meta['as_of']}, {data.meta['perspective']} view)"
    )


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A workbook from `rectrack export`, a CSV file of its columns, or a TOML data set."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show the changes; write nothing.")
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Whose view the new statuses are: ngo, state or body (default: the export's).",
        ),
    ] = None,
    assessor: Annotated[
        str | None,
        typer.Option(
            "--assessor",
            help="Who made the new assessments (default: config user.name, else your login name).",
        ),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option("--format", help="xlsx, csv or toml (default: detected from the file)."),
    ] = None,
) -> None:
    """Take partners' edits back: each New status becomes an assessment, and edits to
    Priority, Due, Themes and Institutions are applied. Every problem is listed and
    nothing is written unless the whole file is right."""
    from rectrack.errors import BadValue
    from rectrack.render import plural, say
    from rectrack.services.datasets import load_files
    from rectrack.services.exchange import apply_import
    from rectrack.services.files import import_format, plan_file

    fmt = import_format(file, file_format)
    if fmt == "toml":
        if by or assessor:
            raise BadValue(
                "--by and --assessor are for workbooks and CSV files: a data set "
                "names the perspective and the assessor of each assessment"
            )
        with session(ctx, commit=not dry_run) as s:
            report = load_files(s, [file])
        say(
            ("would load: " if dry_run else "loaded: ")
            + report.describe()
            + (" (dry run: nothing written)" if dry_run else "")
        )
        return
    with session(ctx, commit=not dry_run) as s:
        plan = plan_file(s, file, fmt, by, assessor)
        for warning in plan.warnings:
            typer.echo(f"Warning: {warning}", err=True)
        if plan.problems:
            for problem in plan.problems:
                typer.echo(problem, err=True)
            typer.echo(f"{plural(len(plan.problems), 'problem')}: nothing imported", err=True)
            raise typer.Exit(1)
        for rec in plan.recommendations:
            say(rec.key, style="bold")
            for line in rec.lines + ([rec.assessment_line] if rec.assessment_line else []):
                say(f"  {line}")
        apply_import(s, plan)
    verb = "would change" if dry_run else "changed"
    summary = (
        f"{plural(len(plan.recommendations), 'recommendation')} {verb}: "
        f"{plural(plan.edits, 'field edit')}, {plural(plan.assessments, 'new assessment')}"
    )
    if not plan.recommendations:
        summary = "nothing to import: the file matches the database"
    say(summary + (" (dry run: nothing written)" if dry_run and plan.recommendations else ""))
