"""action, evidence, assess, history: what the state did, what shows it, how far it went."""

from __future__ import annotations

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, read_and_show, session
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
    """Record an action of the state and print its id (A12).

    Example: rectrack action add --title "Law on Free Legal Aid" --kind law --date 2018-11
    --reference "Official Gazette 87/2018" --rec CEDAW-2019-24b
    """
    from rectrack.services.actions import ActionInput, add_action
    from rectrack.views import tracking as views

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
    views.new_id(new)


@action_app.command("list")
def action_list(
    ctx: typer.Context,
    rec: Annotated[
        str | None, typer.Option("--rec", "-r", help="Only those linked to this recommendation.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    fmt: FormatOption = None,
) -> None:
    """List the state's actions, oldest first.

    Example: rectrack action list --rec CEDAW-2019-24b
    """
    from rectrack.services.actions import list_actions
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: list_actions(s, rec, kind), views.action_list)


@action_app.command("show")
def action_show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The action's id, e.g. A12.")],
    fmt: FormatOption = None,
) -> None:
    """Show one action with what it is linked to.

    Example: rectrack action show A3
    """
    from rectrack.services.actions import action_detail
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: action_detail(s, ident), views.action)


@action_app.command("link")
def action_link(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The action's id, e.g. A12.")],
    keys: Annotated[list[str], typer.Argument(help="Recommendation keys.")],
    note: Annotated[str | None, typer.Option("--note", help="A note on these links.")] = None,
) -> None:
    """Link an action to recommendations.

    Example: rectrack action link A3 GRETA-2023-0005 TIP-2022-0002 --note "in part"
    """
    from rectrack.services.actions import link_action
    from rectrack.views import tracking as views

    with session(ctx) as s:
        aid, new, old = link_action(s, ident, keys, note)
    views.action_linked(aid, new, old, note)


@action_app.command("unlink")
def action_unlink(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The action's id, e.g. A12.")],
    keys: Annotated[list[str], typer.Argument(help="Recommendation keys.")],
) -> None:
    """Remove links between an action and recommendations.

    Example: rectrack action unlink A3 TIP-2022-0002
    """
    from rectrack.services.actions import unlink_action
    from rectrack.views import tracking as views

    with session(ctx) as s:
        aid, removed = unlink_action(s, ident, keys)
    views.action_unlinked(aid, removed)


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
    """Record evidence (give --url or --file) and print its id (E7).

    Example: rectrack evidence add --title "Ombudsman annual report 2023" --kind document
    --url https://example.org/report.pdf --rec GRETA-2023-0005
    """
    from rectrack.services.evidence import EvidenceInput, add_evidence
    from rectrack.views import tracking as views

    with session(ctx) as s:
        new = add_evidence(
            s,
            EvidenceInput(
                title=title, kind=kind, date=date, source=source, url=url, file=file, note=note
            ),
            rec or [],
            action or [],
        )
    views.new_id(new)


@evidence_app.command("list")
def evidence_list(
    ctx: typer.Context,
    rec: Annotated[
        str | None, typer.Option("--rec", "-r", help="Only evidence linked to this recommendation.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    fmt: FormatOption = None,
) -> None:
    """List evidence, oldest first.

    Example: rectrack evidence list --kind court_decision
    """
    from rectrack.services.evidence import list_evidence
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: list_evidence(s, rec, kind), views.evidence_list)


@evidence_app.command("show")
def evidence_show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The evidence id, e.g. E7.")],
    fmt: FormatOption = None,
) -> None:
    """Show one piece of evidence; a local file is checked against its recorded SHA-256.

    Example: rectrack evidence show E7
    """
    from rectrack.services.evidence import evidence_detail
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: evidence_detail(s, ident), views.evidence)


@evidence_app.command("link")
def evidence_link(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The evidence id, e.g. E7.")],
    rec: RecsOpt = None,
    action: Annotated[
        list[str] | None, typer.Option("--action", "-a", help="Link to this action (repeatable).")
    ] = None,
) -> None:
    """Link evidence to recommendations and actions.

    Example: rectrack evidence link E7 --rec CEDAW-2019-24b --action A3
    """
    from rectrack.services.evidence import link_evidence
    from rectrack.views import tracking as views

    with session(ctx) as s:
        eid, added = link_evidence(s, ident, rec or [], action or [])
    views.evidence_linked(eid, added)


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
    Assessments are never overwritten; a correction is a new assessment.

    Examples: rectrack assess CEDAW-2019-24b --status partial --note "Fund set up, not
    paying" -e E7; rectrack assess CEDAW-2019-24b --by body --grade B --date 2023-03
    """
    from rectrack.services.assessments import AssessmentInput
    from rectrack.services.assessments import assess as record
    from rectrack.views import tracking as views

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
    views.assessed(rows)


@app.command("history")
def history(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The recommendation's key.")],
    fmt: FormatOption = None,
) -> None:
    """Every assessment, action and evidence of one recommendation, in date order.

    Example: rectrack history GRETA-2023-0005
    """
    from rectrack.services.timeline import history as load
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: load(s, key), views.history)
