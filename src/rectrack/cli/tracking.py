"""action, evidence, assess, history: what the state did, what shows it, how far it went."""

from __future__ import annotations

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, session
from rectrack.cli.root import app

action_app = typer.Typer(
    help="What the state did or announced: laws, strategies, budgets...", no_args_is_help=True
)
evidence_app = typer.Typer(
    help="What shows it: documents, statistics, court decisions...", no_args_is_help=True
)
app.add_typer(action_app, name="action")
app.add_typer(evidence_app, name="evidence")

RecsOpt = Annotated[
    list[str] | None, typer.Option("--rec", "-r", help="Link to this recommendation (repeatable).")
]
DateOpt = Annotated[str | None, typer.Option("--date", help="When, e.g. 2024-03-14 or March 2024.")]


@action_app.command("add")
def action_add(
    ctx: typer.Context,
    title: Annotated[
        str, typer.Option("--title", help="What was done, e.g. 'Law on Free Legal Aid'.")
    ],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="law, bylaw, strategy, action_plan, budget, "
            "institution, training, practice or other.",
        ),
    ],
    date: DateOpt = None,
    institution: Annotated[
        str | None, typer.Option("--institution", "-i", help="Who did it.")
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference", help="An Official Gazette number, an action-plan activity id..."
        ),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where to read it.")] = None,
    description: Annotated[str | None, typer.Option("--description", help="What it does.")] = None,
    rec: RecsOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the links.")] = None,
) -> None:
    """Record an action of the state and print its id (A12)."""
    from rectrack.services.tracking import ActionInput, add_action

    with session(ctx) as s:
        new = add_action(
            s,
            ActionInput(
                title=title,
                kind=kind,
                date=date,
                institution=institution,
                reference=reference,
                url=url,
                description=description,
            ),
            rec or [],
            note,
        )
    typer.echo(new)


ACTION_FIELDS = [
    "id",
    "date",
    "kind",
    "title",
    "institution",
    "reference",
    "url",
    "recommendations",
    "evidence",
]


@action_app.command("list")
def action_list(
    ctx: typer.Context,
    rec: Annotated[
        str | None, typer.Option("--rec", "-r", help="Only those linked to this recommendation.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    fmt: FormatOption = None,
) -> None:
    """List the state's actions, oldest first."""
    from rectrack.render import Column, emit_rows, plural, resolve_format
    from rectrack.services.tracking import list_actions

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        rows = list_actions(s, rec, kind)
    emit_rows(
        rows,
        [
            Column("id", "Id", no_wrap=True, style="bold"),
            Column("date", "Date", no_wrap=True),
            Column("kind", "Kind", no_wrap=True),
            Column("title", "Title", ratio=3, min_width=24),
            Column("institution", "Institution", ratio=1, min_terminal=110),
            Column("reference", "Reference", max_width=24, min_terminal=130),
            Column(
                "recommendations",
                "Recommendations",
                ratio=1,
                min_width=16,
                text=lambda r: "\n".join(r["recommendations"]),
            ),
        ],
        fmt,
        fields=ACTION_FIELDS,
        title=plural(len(rows), "action"),
        empty="No actions.",
    )


ACTION_LABELS = [
    ("id", "Action"),
    ("title", "Title"),
    ("kind", "Kind"),
    ("date", "Date"),
    ("institution", "Institution"),
    ("reference", "Reference"),
    ("url", "Link"),
    ("description", "Description"),
    ("recommendations", "Recommendations"),
    ("link_notes", "Notes on links"),
    ("evidence", "Evidence"),
    ("recorded_at", "Recorded"),
]


@action_app.command("show")
def action_show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The action's id, e.g. A12.")],
    fmt: FormatOption = None,
) -> None:
    """Show one action with what it is linked to."""
    from rectrack.render import emit_record, resolve_format
    from rectrack.services.tracking import action_detail

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        record = action_detail(s, ident)
    emit_record(record, ACTION_LABELS, fmt)


@action_app.command("link")
def action_link(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The action's id, e.g. A12.")],
    keys: Annotated[list[str], typer.Argument(help="Recommendation keys.")],
    note: Annotated[str | None, typer.Option("--note", help="A note on these links.")] = None,
) -> None:
    """Link an action to recommendations."""
    from rectrack.render import say
    from rectrack.services.tracking import link_action

    with session(ctx) as s:
        aid, new, old = link_action(s, ident, keys, note)
    if new:
        say(f"{aid} linked to {', '.join(new)}")
    if old:
        say(
            f"{aid} was already linked to {', '.join(old)}"
            + ("; its note on the link is updated" if note else "")
        )


@action_app.command("unlink")
def action_unlink(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The action's id, e.g. A12.")],
    keys: Annotated[list[str], typer.Argument(help="Recommendation keys.")],
) -> None:
    """Remove links between an action and recommendations."""
    from rectrack.render import say
    from rectrack.services.tracking import unlink_action

    with session(ctx) as s:
        aid, removed = unlink_action(s, ident, keys)
    say(f"{aid} no longer linked to {', '.join(removed)}")


@evidence_app.command("add")
def evidence_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", help="What it is.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="document, web, statistics, court_decision, "
            "shadow_report, media, meeting or other.",
        ),
    ],
    date: DateOpt = None,
    source: Annotated[str | None, typer.Option("--source", help="Who published it.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it is online.")] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file", help="A local file: its path, size and SHA-256 are kept, not the file."
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note.")] = None,
    rec: RecsOpt = None,
    action: Annotated[
        list[str] | None, typer.Option("--action", "-a", help="Link to this action (repeatable).")
    ] = None,
) -> None:
    """Record evidence (give --url or --file) and print its id (E7)."""
    from rectrack.services.tracking import EvidenceInput, add_evidence

    with session(ctx) as s:
        new = add_evidence(
            s,
            EvidenceInput(
                title=title, kind=kind, date=date, source=source, url=url, file=file, note=note
            ),
            rec or [],
            action or [],
        )
    typer.echo(new)


EVIDENCE_FIELDS = [
    "id",
    "date",
    "kind",
    "title",
    "source",
    "url",
    "file",
    "sha256",
    "recommendations",
    "actions",
]


@evidence_app.command("list")
def evidence_list(
    ctx: typer.Context,
    rec: Annotated[
        str | None, typer.Option("--rec", "-r", help="Only evidence linked to this recommendation.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    fmt: FormatOption = None,
) -> None:
    """List evidence, oldest first."""
    from rectrack.render import Column, emit_rows, plural, resolve_format
    from rectrack.services.tracking import list_evidence

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        rows = list_evidence(s, rec, kind)
    emit_rows(
        rows,
        [
            Column("id", "Id", no_wrap=True, style="bold"),
            Column("date", "Date", no_wrap=True),
            Column("kind", "Kind", no_wrap=True),
            Column("title", "Title", ratio=3, min_width=24),
            Column("source", "Source", ratio=1, min_terminal=110),
            Column(
                "recommendations",
                "Linked to",
                ratio=1,
                min_width=16,
                text=lambda r: "\n".join(r["recommendations"] + r["actions"]),
            ),
        ],
        fmt,
        fields=EVIDENCE_FIELDS,
        title=plural(len(rows), "piece") + " of evidence",
        empty="No evidence.",
    )


EVIDENCE_LABELS = [
    ("id", "Evidence"),
    ("title", "Title"),
    ("kind", "Kind"),
    ("date", "Date"),
    ("source", "Source"),
    ("url", "Link"),
    ("file", "File"),
    ("size", "Size"),
    ("sha256", "SHA-256"),
    ("file_state", "File now"),
    ("note", "Note"),
    ("recommendations", "Recommendations"),
    ("actions", "Actions"),
    ("assessments", "Assessments citing it"),
    ("recorded_at", "Recorded"),
]


@evidence_app.command("show")
def evidence_show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The evidence id, e.g. E7.")],
    fmt: FormatOption = None,
) -> None:
    """Show one piece of evidence; a local file is checked against its recorded SHA-256."""
    from rectrack.render import emit_record, resolve_format
    from rectrack.services.tracking import evidence_detail

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        record = evidence_detail(s, ident)
    emit_record(record, EVIDENCE_LABELS, fmt)


@evidence_app.command("link")
def evidence_link(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The evidence id, e.g. E7.")],
    rec: RecsOpt = None,
    action: Annotated[
        list[str] | None, typer.Option("--action", "-a", help="Link to this action (repeatable).")
    ] = None,
) -> None:
    """Link evidence to recommendations and actions."""
    from rectrack.render import plural, say
    from rectrack.services.tracking import link_evidence

    with session(ctx) as s:
        eid, added = link_evidence(s, ident, rec or [], action or [])
    say(f"{eid}: {plural(added, 'new link')}")


@app.command("assess")
def assess(
    ctx: typer.Context,
    keys: Annotated[list[str], typer.Argument(help="Keys of the recommendations assessed.")],
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            help="not_implemented, in_progress, partial, implemented or "
            "regressed (may be left out when --grade is on the body's scale).",
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Date of the situation assessed (default: today).")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Whose view: ngo (default), state or body.")
    ] = None,
    grade: Annotated[
        str | None,
        typer.Option("--grade", help="The body's own grade, kept as given (A-E, Tier 2...)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="Why.")] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", "-e", help="Evidence for it (repeatable), e.g. E7."),
    ] = None,
) -> None:
    """Record how far recommendations are implemented: one assessment for each key.
    Assessments are never overwritten; a correction is a new assessment."""
    from rectrack.render import say, status_text
    from rectrack.services.tracking import AssessmentInput
    from rectrack.services.tracking import assess as record

    with session(ctx) as s:
        rows = record(
            s,
            keys,
            AssessmentInput(
                status=status,
                date=date,
                perspective=by,
                grade=grade,
                note=note,
                evidence=evidence or [],
            ),
        )
    from rich.text import Text

    for row in rows:
        line = Text(f"{row['key']}: ")
        line.append_text(status_text(row["status"]))
        line.append(
            f" ({row['perspective']}, {row['date']}"
            + (f", grade {row['grade']}" if row["grade"] else "")
            + ")"
        )
        say(line)


def _detail_text(row: dict) -> str:
    evidence = f"(evidence: {', '.join(row['evidence'])})" if row["evidence"] else ""
    return " ".join(x for x in (row["detail"], evidence) if x)


HISTORY_FIELDS = ["date", "type", "id", "what", "detail", "evidence", "by"]


@app.command("history")
def history(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The recommendation's key.")],
    fmt: FormatOption = None,
) -> None:
    """Every assessment, action and evidence of one recommendation, in date order."""
    from rectrack.render import Column, emit_rows, resolve_format, status_style
    from rectrack.services.status import history as load

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        data = load(s, key)
    if fmt == "json":
        from rectrack.render import emit_json

        emit_json(data)
        return
    emit_rows(
        data["events"],
        [
            Column("date", "Date", no_wrap=True),
            Column("type", "Type", no_wrap=True),
            Column("id", "Id", no_wrap=True),
            Column(
                "what",
                "What",
                ratio=2,
                min_width=24,
                style=lambda r: status_style(r["status"]) if r["status"] else None,
            ),
            Column("detail", "Detail", ratio=3, min_width=20, text=_detail_text),
            Column("by", "By", no_wrap=True, min_terminal=120),
        ],
        fmt,
        fields=HISTORY_FIELDS,
        title=f"{data['key']}: {data['summary']}",
        empty=f"{data['key']}: nothing assessed, acted on or evidenced yet.",
    )
