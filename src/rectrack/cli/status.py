"""status, due, changes: where things stand, what is due, what moved since a meeting."""

from __future__ import annotations

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
            help="A matrix of groups by status: body, document, theme, institution or country.",
        ),
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="The state's and the NGO's statuses side by side.")
    ] = False,
    summary: Annotated[bool, typer.Option("--summary", help="Only the summary.")] = False,
    fmt: FormatOption = None,
) -> None:
    """How far recommendations are implemented: a summary, then one row each.

    Examples: rectrack status --body cedaw; rectrack status --group-by theme --summary;
    rectrack status --as-of 2022 --compare
    """
    from rectrack import domain
    from rectrack.services.status import status_report
    from rectrack.shapes import StatusQuery
    from rectrack.views.standing import StatusView
    from rectrack.views.standing import status as show

    grouping = domain.choice(group_by, domain.GROUP_BY, "grouping") if group_by else None
    view = StatusView(grouping, compare, summary, not filters.is_empty())
    read_and_show(
        ctx,
        fmt,
        lambda s: status_report(s, StatusQuery(filters, as_of, by), grouping),
        lambda report, fmt: show(report, fmt, view),
    )


@app.command("due")
@filtered("body")
def due(
    ctx: typer.Context,
    filters: RecFilter,
    within: Annotated[
        str, typer.Option("--within", help="How far ahead to look: 30d, 6w, 6m, 1y.")
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


@app.command("changes")
@filtered("body")
def changes(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", help="A date, e.g. the last meeting's.")],
    filters: RecFilter,
    fmt: FormatOption = None,
) -> None:
    """What was assessed, acted on or evidenced since a date, by recommendation.

    Example: rectrack changes --since 2025-03-01
    """
    from rectrack.services.timeline import changes as load
    from rectrack.views.standing import changes as show

    read_and_show(
        ctx, fmt, lambda s: load(s, since, filters), lambda found, fmt: show(found, fmt, since)
    )
