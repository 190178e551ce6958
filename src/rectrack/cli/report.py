"""report: a draft for a shadow report or a coalition meeting (Markdown, HTML, DOCX)."""

from pathlib import Path
from typing import Annotated

import typer

from rectrack.cli._common import AsOfOption, ByOption, filtered, session
from rectrack.cli.root import app
from rectrack.shapes import RecFilter


@app.command("report", short_help="Write a draft report: Markdown, HTML or Word (DOCX).")
@filtered()
def report(
    ctx: typer.Context,
    filters: RecFilter,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write: FILE.md, FILE.html or FILE.docx (default: Markdown on "
            "the screen).",
        ),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format", metavar="FORMAT", help="md, html or docx (default: from the file's name)."
        ),
    ] = None,
    group_by: Annotated[
        str,
        typer.Option(
            "--group-by",
            "-g",
            metavar="GROUPING",
            help="Sections by theme (default), cluster, body, document, institution or country.",
        ),
    ] = "theme",
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Add what changed since this date."),
    ] = None,
    as_of: AsOfOption = None,
    by: ByOption = "ngo",
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The report's title.")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="LANG", help="en, sr-Latn or sr-Cyrl (default: en)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a draft that you edit into a shadow report or bring to a meeting: for each
    group, each recommendation with its reference, its words, its status from every
    perspective (what the state claims against what you found), the actions with their
    official references and the evidence as numbered notes; then the overdue follow-ups
    and, with --since, what changed.

    Examples: rectrack report --body greta -o greta.docx --group-by cluster; rectrack
    report --since 2025-01-01 -o meeting.html --lang sr-Latn
    """
    from rectrack import i18n
    from rectrack.io import formats
    from rectrack.io.report import report_format, write_report
    from rectrack.render import out
    from rectrack.services.report import report_data
    from rectrack.shapes import StatusQuery
    from rectrack.views import exchange as views

    fmt = report_format(output, file_format)
    language = i18n.language(lang)
    if output is not None:
        formats.check_target(output, force)
    with session(ctx) as s:
        data = report_data(s, StatusQuery(filters, as_of, by), group_by, since, title, language)
    if output is None:
        from rectrack.io.report.markdown import markdown

        out(markdown(data).rstrip("\n"))
        return
    write_report(output, fmt, data)
    views.report_written(output, data)
