"""status, due, changes: where things stand, what is due, what moved since a meeting."""

from typing import Annotated

import typer

from rectrack.cli._common import AsOfOption, ByOption, FormatOption, filtered, read_and_show
from rectrack.cli.root import app
from rectrack.shapes import RecFilter


@app.command("status")
@filtered()
def status(
    ctx: typer.Context,
    filters: RecFilter,
    as_of: AsOfOption = None,
    by: ByOption = "ngo",
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            "-g",
            metavar="GROUPING",
            help="A matrix of groups by status: body, document, theme, institution or country.",
        ),
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="The state's and the NGO's statuses side by side.")
    ] = False,
    gaps: Annotated[
        bool,
        typer.Option(
            "--gaps", help="Only where the state claims more than the NGO found (with --compare)."
        ),
    ] = False,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help="Only those with this status at the date (repeatable): not_implemented, "
            "in_progress, partial, implemented, regressed or unknown.",
        ),
    ] = None,
    summary: Annotated[bool, typer.Option("--summary", help="Only the summary.")] = False,
    fmt: FormatOption = None,
) -> None:
    """How far recommendations are implemented: a summary, then one row each. Only
    recommendations issued by the date count (an undated one always does).

    Examples: rectrack status --body cedaw; rectrack status --group-by theme --summary;
    rectrack status --as-of 2022 --compare --gaps; rectrack status -s not_implemented -s regressed
    """
    from rectrack import domain
    from rectrack.services.status import status_report
    from rectrack.shapes import StatusQuery
    from rectrack.views.standing import StatusView
    from rectrack.views.standing import status as show

    grouping = domain.choice(group_by, domain.GROUP_BY, "grouping") if group_by else None
    query = StatusQuery(filters, as_of, by, tuple(status or ()), gaps)
    filtered = not filters.is_empty() or bool(status) or gaps
    view = StatusView(grouping, compare or gaps, summary, filtered)
    read_and_show(
        ctx,
        fmt,
        lambda s: status_report(s, query, grouping, summary, stream=not summary),
        lambda report, fmt: show(report, fmt, view),
    )


@app.command("due")
@filtered()
def due(
    ctx: typer.Context,
    filters: RecFilter,
    within: Annotated[
        str,
        typer.Option(
            "--within", metavar="DURATION", help="How far ahead to look: 30d, 6w, 6m, 1y."
        ),
    ] = "90d",
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue ones.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Recommendations whose follow-up is due, soonest first; overdue ones marked.
    Those the NGO assessed as implemented are left out.

    Examples: rectrack due; rectrack due --within 6m; rectrack due --overdue
    """
    from rectrack.services.status import due_rows
    from rectrack.views.standing import due as show

    read_and_show(
        ctx,
        fmt,
        lambda s: due_rows(s, within, overdue, filters),
        lambda rows, fmt: show(rows, fmt, within, overdue),
    )


@app.command(
    "changes",
    short_help="What was recorded since a date: the statuses that moved, then the new items.",
)
@filtered()
def changes(
    ctx: typer.Context,
    since: Annotated[
        str,
        typer.Option("--since", metavar="DATE", help="A date, e.g. the last meeting's."),
    ],
    filters: RecFilter,
    dated: Annotated[
        bool,
        typer.Option(
            "--dated",
            help="Select by the items' own dates (a year counts from 1 January), not by "
            "when they were recorded.",
        ),
    ] = False,
    fmt: FormatOption = None,
) -> None:
    """What was recorded since a date (the last meeting): the statuses that moved, then the
    new actions, evidence and assessments of each recommendation, with their own dates.

    Examples: rectrack changes --since 2025-03-01; rectrack changes --since 2025 --dated
    """
    from rectrack.services.timeline import changes as load
    from rectrack.views.standing import changes as show

    read_and_show(ctx, fmt, lambda s: load(s, since, filters, dated), show)
