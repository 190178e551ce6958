"""status, due, changes: where things stand, what is due, what moved since a meeting."""

from __future__ import annotations

from typing import Annotated

import typer

from rectrack.cli._common import (
    AsOfOption,
    BodiesFilter,
    ByOption,
    CountryFilter,
    DocumentFilter,
    FormatOption,
    InstitutionFilter,
    PriorityFilter,
    ThemeFilter,
    rec_filter,
    session,
)
from rectrack.cli.root import app


def _due_text(row: dict) -> str:
    return (row["due"] or "") + ("!" if row["overdue"] else "")


@app.command("status")
def status(
    ctx: typer.Context,
    body: BodiesFilter = None,
    country: CountryFilter = None,
    document: DocumentFilter = None,
    theme: ThemeFilter = None,
    institution: InstitutionFilter = None,
    priority: PriorityFilter = None,
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
    """How far recommendations are implemented: a summary, then one row each."""
    from rectrack import domain
    from rectrack.render import (
        Column,
        emit_json,
        emit_rows,
        emit_status_summary,
        plural,
        resolve_format,
        say,
        status_column,
        status_style,
        terminal_width,
    )
    from rectrack.services.status import StatusQuery, status_report

    fmt = resolve_format(fmt)
    if group_by is not None:
        group_by = domain.choice(group_by, domain.GROUP_BY, "grouping")
    with session(ctx) as s:
        report = status_report(
            s,
            StatusQuery(
                rec_filter(body, country, document, theme, institution, priority), as_of, by
            ),
            group_by,
        )
    rows = report["recommendations"]
    if summary:
        report.pop("recommendations")

    if fmt == "json":
        emit_json(report)
        return
    total = report["total"]
    narrow = fmt == "table" and terminal_width() < 110
    labels = domain.STATUS_SHORT_LABELS if narrow else domain.STATUS_LABELS
    longest_word = max(
        (len(w) for g in report["groups"] for w in str(g["group"]).split()), default=5
    )
    matrix_columns = [
        Column(
            "group", (group_by or "").capitalize(), style="bold", min_width=min(longest_word, 20)
        ),
        *(
            Column(
                st,
                labels[st],
                justify="right",
                style=status_style(st),
                min_width=max(map(len, labels[st].split())),
            )
            for st in domain.STATUS_DISPLAY_ORDER
        ),
        Column("total", "Total", justify="right", style="bold"),
    ]
    matrix = [{"group": g["group"], **g["counts"], "total": g["total"]} for g in report["groups"]]
    if fmt != "table":
        if group_by:
            emit_rows(matrix, matrix_columns, fmt)
        elif summary:
            emit_rows(
                [
                    {
                        "status": st,
                        "label": domain.STATUS_LABELS[st],
                        "count": report["counts"][st],
                        "share": round(report["counts"][st] / total, 4) if total else 0,
                    }
                    for st in domain.STATUS_DISPLAY_ORDER
                ],
                [
                    Column("status", ""),
                    Column("label", ""),
                    Column("count", ""),
                    Column("share", ""),
                ],
                fmt,
            )
        else:
            fields = [
                "key",
                "body",
                "paragraph",
                "summary",
                "status",
                "status_date",
                "grade",
                "actions",
                "evidence",
                "due",
                "overdue",
            ]
            if compare:
                fields = [
                    "key",
                    "body",
                    "summary",
                    "ngo_status",
                    "ngo_date",
                    "state_status",
                    "state_date",
                    "state_claims_more",
                ]
            emit_rows(rows, [], fmt, fields=fields)
        return

    who = domain.PERSPECTIVE_LABELS[report["perspective"]]
    if total == 0 and not any((body, country, document, theme, institution, priority)):
        say(
            "No recommendations recorded yet: add one with `rectrack add`, or load the "
            "demonstration set with `rectrack init --sample`.",
            err=True,
        )
        raise typer.Exit(0)
    emit_status_summary(
        report["counts"], f"Status on {report['as_of']}, {who}: {plural(total, 'recommendation')}"
    )
    if group_by:
        typer.echo()
        emit_rows(matrix, matrix_columns, fmt, title=f"By {group_by}")
    if summary:
        return
    typer.echo()
    if compare:
        claims = sum(r["state_claims_more"] for r in rows)
        emit_rows(
            rows,
            [
                Column("key", "Key", no_wrap=True, style="bold"),
                Column("summary", "Summary", ratio=1, min_width=20),
                status_column("ngo_status", "NGO"),
                Column("ngo_date", "since", no_wrap=True, min_terminal=110),
                status_column("state_status", "State claims"),
                Column("state_date", "since", no_wrap=True, min_terminal=110),
                Column(
                    "state_claims_more",
                    "Gap",
                    no_wrap=True,
                    style="bold red",
                    text=lambda r: "▲ more" if r["state_claims_more"] else "",
                ),
            ],
            fmt,
            title=f"State's claims against the NGO assessment: {claims} "
            f"{'recommendation' if claims == 1 else 'recommendations'} where the state claims more",
        )
        return
    emit_rows(
        rows,
        [
            Column("key", "Key", no_wrap=True, style="bold"),
            Column("paragraph", "Para", no_wrap=True, min_terminal=110),
            Column("summary", "Summary", ratio=1, min_width=20),
            Column(
                "status",
                "Status",
                no_wrap=True,
                style=lambda r: status_style(r["status"]),
                text=lambda r: r["status_label"] + (f" ({r['grade']})" if r["grade"] else ""),
            ),
            Column("status_date", "Since", no_wrap=True, min_terminal=100),
            Column("actions", "Act.", justify="right", min_terminal=100),
            Column("evidence", "Evid.", justify="right", min_terminal=100),
            Column(
                "due",
                "Due",
                no_wrap=True,
                text=_due_text,
                style=lambda r: "bold red" if r["overdue"] else None,
            ),
        ],
        fmt,
        empty="No recommendations match.",
    )


@app.command("due")
def due(
    ctx: typer.Context,
    within: Annotated[
        str, typer.Option("--within", help="How far ahead to look: 30d, 6w, 6m, 1y.")
    ] = "90d",
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue ones.")] = False,
    body: BodiesFilter = None,
    fmt: FormatOption = None,
) -> None:
    """Recommendations whose follow-up is due, soonest first; overdue ones marked.
    Those the NGO assessed as implemented are left out."""
    from rectrack.render import Column, emit_rows, plural, resolve_format, status_column
    from rectrack.services.status import due_rows

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        rows = due_rows(s, within, overdue, rec_filter(body))

    def when(r: dict) -> str:
        d = r["days"]
        if d < 0:
            return f"overdue {plural(-d, 'day')}"
        return "today" if d == 0 else f"in {plural(d, 'day')}"

    for r in rows:
        r["when"] = when(r)
    emit_rows(
        rows,
        [
            Column("due", "Due", no_wrap=True),
            Column(
                "when",
                "When",
                no_wrap=True,
                style=lambda r: "bold red" if r["overdue"] else "yellow",
            ),
            Column("key", "Key", no_wrap=True, style="bold"),
            Column("summary", "Summary", ratio=1, min_width=20),
            status_column("status", "Status (NGO)"),
        ],
        fmt,
        fields=["due", "when", "overdue", "key", "body", "summary", "status"],
        title=f"{plural(len(rows), 'follow-up')} "
        + ("overdue" if overdue else f"overdue or due within {within}"),
        empty="Nothing overdue." if overdue else f"Nothing overdue or due within {within}.",
    )


@app.command("changes")
def changes(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", help="A date, e.g. the last meeting's.")],
    body: BodiesFilter = None,
    fmt: FormatOption = None,
) -> None:
    """What was assessed, acted on or evidenced since a date, by recommendation."""
    from rectrack.render import (
        Column,
        emit_json,
        emit_rows,
        plural,
        resolve_format,
        status_style,
    )
    from rectrack.services.status import changes as load

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        groups = load(s, since, rec_filter(body))
    if fmt == "json":
        emit_json(groups)
        return
    flat = []
    for g in groups:
        for i, e in enumerate(g["events"]):
            flat.append(
                {**e, "summary": g["summary"], "first": i == 0, "last": i == len(g["events"]) - 1}
            )
    emit_rows(
        flat,
        [
            Column(
                "key",
                "Key",
                no_wrap=True,
                style="bold",
                text=lambda r: r["key"] if r["first"] else "",
            ),
            Column("date", "Date", no_wrap=True),
            Column("type", "Type", no_wrap=True),
            Column(
                "what",
                "What",
                ratio=2,
                min_width=24,
                style=lambda r: status_style(r["status"]) if r["status"] else None,
            ),
            Column("detail", "Detail", ratio=2, min_width=16, min_terminal=110),
        ],
        fmt,
        fields=["key", "date", "type", "id", "what", "detail", "by"],
        title=f"Since {since}: {plural(len(groups), 'recommendation')} with news",
        empty=f"Nothing new since {since}.",
        sections="last",
    )
