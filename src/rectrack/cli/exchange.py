"""export and import: workbooks and CSV files for coalition meetings, and data sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rectrack.cli._common import (
    AsOfOption,
    ByOption,
    NewInstitutionOption,
    NewThemeOption,
    filtered,
    open_db,
    session,
)
from rectrack.cli.root import app
from rectrack.shapes import RecFilter


@app.command("export", short_help="Write a workbook, CSV file or TOML data set of recommendations.")
@filtered()
def export(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="The file to write: FILE.xlsx, FILE.csv or FILE.toml."),
    ],
    filters: RecFilter,
    as_of: AsOfOption = None,
    by: ByOption = "ngo",
    group_by: Annotated[
        str,
        typer.Option(
            "--group-by",
            "-g",
            metavar="GROUPING",
            help="Rows of the Summary sheet and groups of the Meeting sheet: body, document, "
            "theme, institution or country.",
        ),
    ] = "body",
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TEXT",
            help="What the workbook is, e.g. 'prEUgovor coalition, March 2026' (default: "
            "from the countries and bodies it holds).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Language of sheet names, headers and labels: en (default), sr-Latn or sr-Cyrl.",
        ),
    ] = None,
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
        typer.Option(
            "--format", metavar="FORMAT", help="xlsx, csv or toml (default: from the file's name)."
        ),
    ] = None,
) -> None:
    """Write a workbook for a coalition meeting (Summary, Meeting, Recommendations, Actions,
    Evidence, History, About) or a CSV file of the recommendations; or a TOML data set of
    them with their documents, actions, evidence and assessments, to keep as text or share.

    Examples: rectrack export meeting.xlsx --body greta --title "Coalition, March 2026";
    rectrack export sastanak.xlsx --lang sr-Latn --group-by theme; rectrack export
    register.csv --bom; rectrack export serbia.toml
    """
    from rectrack import i18n
    from rectrack.db import session_scope
    from rectrack.io import formats
    from rectrack.services.datasets import dataset_tables
    from rectrack.services.export import export_data
    from rectrack.shapes import StatusQuery
    from rectrack.views import exchange as views

    fmt = formats.export_format(file, file_format)
    language = i18n.language(lang)
    formats.check_target(file, force)
    if fmt == "toml":
        with session(ctx) as s:
            tables = dataset_tables(s, filters)
        formats.write_dataset_file(file, tables)
        views.dataset_written(file, tables)
        return
    query = StatusQuery(filters, as_of, by)
    with open_db(ctx) as database, session_scope(database) as s:
        where, version = database.location.name(), database.schema_version()
        data = export_data(s, query, group_by, where, version, title, language)
    formats.write_export(file, fmt, data, bom=bom, warn=views.export_warning)
    views.export_written(file, data)


@app.command(
    "import",
    short_help="Take partners' edits back from a workbook or CSV file, or load a data set.",
)
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A workbook from `rectrack export`, a CSV file of its columns, or a TOML data "
            "set.",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show the changes; write nothing.")
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="WHO",
            help="Whose view the new statuses are: ngo, state or body (default: the export's).",
        ),
    ] = None,
    assessor: Annotated[
        str | None,
        typer.Option(
            "--assessor",
            metavar="NAME",
            help="Who made the new assessments (default: config user.name, else your login name).",
        ),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="xlsx, csv or toml (default: detected from the file).",
        ),
    ] = None,
    new_theme: NewThemeOption = False,
    new_institution: NewInstitutionOption = False,
) -> None:
    """Take partners' edits back: each New status becomes an assessment, and edits to
    Priority, Due, Themes and Institutions are applied. Every problem is listed and
    nothing is written unless the whole file is right.

    Examples: rectrack import meeting.xlsx --dry-run; rectrack import meeting.xlsx --by
    state; rectrack import serbia.toml
    """
    from rectrack.services.importing import ImportPlan, import_file
    from rectrack.shapes import NewNames
    from rectrack.views import exchange as views

    new = NewNames(new_theme, new_institution)
    with session(ctx, commit=not dry_run) as s:
        outcome = import_file(s, file, file_format, by, assessor, new)
    if isinstance(outcome, ImportPlan):
        views.sheet_imported(outcome, dry_run)
    else:
        views.dataset_loaded(outcome, dry_run)
