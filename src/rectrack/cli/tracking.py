"""assess, history: how far recommendations are implemented, and what happened to one."""

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, read_and_show, session
from rectrack.cli.root import app


@app.command("assess")
def assess(
    ctx: typer.Context,
    keys: Annotated[
        list[str] | None,
        typer.Argument(metavar="KEY...", help="Keys of the recommendations assessed."),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help="not_implemented, in_progress, partial, implemented or "
            "regressed (may be left out when --grade is on the body's scale).",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="DATE", help="Date of the situation assessed (default: today)."
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="WHO", help="Whose view: ngo (default), state or body."),
    ] = None,
    grade: Annotated[
        str | None,
        typer.Option(
            "--grade", metavar="GRADE", help="The body's own grade, kept as given (A-E, Tier 2...)."
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT", help="Why.")] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence", "-e", metavar="ID", help="Evidence for it (repeatable), e.g. E7."
        ),
    ] = None,
    withdraw: Annotated[
        str | None,
        typer.Option(
            "--withdraw",
            metavar="ID",
            help="Withdraw a mistaken assessment (its id, e.g. S12, from `history`); give "
            "--note to say why.",
        ),
    ] = None,
) -> None:
    """Record how far recommendations are implemented: one assessment for each key.
    Assessments are never overwritten; a correction is a new assessment.

    A mistaken one is withdrawn: it stays in history, struck through, and no longer counts.

    Examples: rectrack assess CEDAW-2019-24b --status partial --note "Fund set up, not
    paying" -e E7; rectrack assess CEDAW-2019-24b --by body --grade B --date 2023-03;
    rectrack assess --withdraw S12 --note "wrong date"
    """
    from rectrack.errors import BadValue
    from rectrack.services.assessments import AssessmentInput, withdraw_assessment
    from rectrack.services.assessments import assess as record
    from rectrack.views import tracking as views

    if withdraw is not None:
        if keys or status or date or by or grade or evidence:
            raise BadValue("--withdraw takes only the assessment's id and a --note")
        with session(ctx) as s:
            withdrawn = withdraw_assessment(s, withdraw, note)
        views.withdrawn(withdraw, withdrawn)
        return
    with session(ctx) as s:
        rows = record(
            s,
            keys or [],
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


@app.command("history", short_help="Everything that happened to one recommendation, in date order.")
def history(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", help="The recommendation's key.")],
    fmt: FormatOption = None,
) -> None:
    """Every assessment (with its id, S12), action and evidence of one recommendation, in
    date order; withdrawn assessments struck through, undated items last.

    Example: rectrack history GRETA-2023-0005
    """
    from rectrack.services.timeline import history as load
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: load(s, key), views.history)
