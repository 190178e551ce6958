"""export and import: workbooks and CSV files for coalition meetings, and data sets."""

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
    from rectrack.services.datasets import dataset_rows
    from rectrack.services.export import export_rows
    from rectrack.shapes import StatusQuery
    from rectrack.views import exchange as views

    fmt = formats.export_format(file, file_format)
    language = i18n.language(lang)
    formats.check_target(file, force)
    if fmt == "toml":  # read as it is written, within one read transaction
        with session(ctx, write=False) as s:
            counts = formats.write_dataset_file(file, dataset_rows(s, filters))
        views.dataset_written(file, counts)
        return
    query = StatusQuery(filters, as_of, by)
    with open_db(ctx) as database, session_scope(database, write=False) as s:
        where, version = database.location.name(), database.schema_version()
        summary = fmt == "xlsx"  # a CSV file has no Summary or Meeting sheet
        data = export_rows(s, query, group_by, where, version, title, language, summary)
        formats.write_export(file, fmt, data, bom=bom, warn=views.export_warning)  # as read
    views.export_written(file, data)


@app.command(
    "import",
    short_help="Load recommendations from UPR Info, UHRI or any table; take partners' edits back.",
)
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A UPR Info or UHRI export, a table of your own (with --map), a workbook or "
            "CSV file from `rectrack export`, or a TOML data set.",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what would change; write nothing.")
    ] = False,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="upr-info, uhri, table, xlsx, csv or toml (default: recognised from the file).",
        ),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FIELD=COLUMN",
            help="For a table: the column of a field (key, body, document, paragraph, date, "
            "country, text, summary, themes, institutions, priority, response, due, "
            "recommending, affected, sdgs, status, status_date, note). Repeat it.",
        ),
    ] = None,
    map_file: Annotated[
        str | None,
        typer.Option(
            "--map-file",
            metavar="FILE|NAME",
            help="A mapping kept as TOML, or the name of one saved with --save-map.",
        ),
    ] = None,
    save_map: Annotated[
        str | None,
        typer.Option("--save-map", metavar="NAME", help="Save this mapping under a name."),
    ] = None,
    body: Annotated[
        str | None,
        typer.Option("--body", metavar="CODE", help="For a table without a body column: the body."),
    ] = None,
    split_on: Annotated[
        str | None,
        typer.Option(
            "--split-on",
            metavar="TEXT",
            help="What separates several values in a cell (default: one a line).",
        ),
    ] = None,
    status_map: Annotated[
        list[str] | None,
        typer.Option(
            "--status-map",
            metavar="VALUE=STATUS",
            help='What a value of the status column means: "Pending=in_progress", '
            '"N/A=skip". Repeat it.',
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="WHO",
            help="Whose view the statuses are: ngo, state or body (default: the export's, "
            "else ngo).",
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
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="STATE",
            help="Import only the rows about this state (its name or ISO code: SRB).",
        ),
    ] = None,
    merge_duplicates: Annotated[
        bool,
        typer.Option(
            "--merge-duplicates",
            help="Merge a row whose text repeats one of the same document into that "
            "recommendation (its recommending states are added), instead of keeping both.",
        ),
    ] = False,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad",
            help="Import the good rows; write the bad ones, with why, to FILE.rejected.csv.",
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="The encoding of a CSV file (default: recognised: UTF-8, UTF-16, "
            "Windows-1252, Windows-1250, Mac Roman).",
        ),
    ] = None,
    new_theme: NewThemeOption = False,
    new_institution: NewInstitutionOption = False,
) -> None:
    """Load recommendations from UPR Info or the Universal Human Rights Index, or from any
    table you keep (CSV, XLSX, JSON) through --map; take partners' edits back from a
    workbook; or load a data set. A file is imported whole or not at all: every problem is
    listed and nothing is written unless the file is right (or --skip-bad).

    Examples: rectrack import upr-info.csv --country Serbia; rectrack import uhri.xlsx
    --dry-run; rectrack import ours.xlsx --map text=Recommendation --map body=Committee;
    rectrack import meeting.xlsx --by state; rectrack import serbia.toml
    """
    from rectrack.render import progress_bar
    from rectrack.services.bulk import BulkReport
    from rectrack.services.importing import ImportPlan, import_file
    from rectrack.services.sources import SourceOptions, write_rejects
    from rectrack.shapes import NewNames
    from rectrack.views import exchange as views

    new = NewNames(new_theme, new_institution)
    with progress_bar(f"importing {file.name}") as progress:
        source = SourceOptions(
            maps=maps or (),
            map_file=map_file,
            save_map=save_map,
            body=body,
            split_on=split_on,
            status_map=status_map or (),
            country=country,
            merge_duplicates=merge_duplicates,
            skip_bad=skip_bad,
            encoding=encoding,
            progress=progress,
        )
        with session(ctx, commit=not dry_run) as s:
            outcome = import_file(s, file, file_format, by, assessor, new, source)
    if isinstance(outcome, ImportPlan):
        views.sheet_imported(outcome, dry_run)
    elif isinstance(outcome, BulkReport):
        rejects = None if dry_run else write_rejects(file, outcome)
        views.source_imported(outcome, dry_run, rejects)
    else:
        views.dataset_loaded(outcome, dry_run)
