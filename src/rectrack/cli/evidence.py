"""evidence add, list, show, edit, link, unlink, rm, check, accept: what shows it."""

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, confirm, read_and_show, session
from rectrack.cli.root import app

evidence_app = typer.Typer(
    help="What shows it: documents, statistics, court decisions, meeting notes...",
    no_args_is_help=True,
)
app.add_typer(evidence_app, name="evidence")

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The evidence id, e.g. E7.")]
RecsOpt = Annotated[
    list[str] | None,
    typer.Option("--rec", "-r", metavar="KEY", help="A recommendation (repeatable)."),
]
ActionsOpt = Annotated[
    list[str] | None,
    typer.Option("--action", "-a", metavar="ID", help="An action, e.g. A3 (repeatable)."),
]
KindHelp = "document, web, statistics, court_decision, shadow_report, media, meeting or other."
DateOpt = Annotated[
    str | None, typer.Option("--date", metavar="DATE", help="When: 2024-03-14, March 2024, 2024.")
]
SourceOpt = Annotated[
    str | None, typer.Option("--source", metavar="NAME", help="Who published it.")
]
UrlOpt = Annotated[str | None, typer.Option("--url", metavar="URL", help="Where it is online.")]
FileOpt = Annotated[
    str | None,
    typer.Option(
        "--file",
        metavar="FILE",
        help="A local file: its path, size and SHA-256 are kept, not the file (a file in the "
        "database's folder by a path relative to it).",
    ),
]
NoteOpt = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="A note.")]


@evidence_app.command("add")
def evidence_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="What it is.")],
    kind: Annotated[str, typer.Option("--kind", metavar="KIND", help=KindHelp)],
    date: DateOpt = None,
    source: SourceOpt = None,
    url: UrlOpt = None,
    file: FileOpt = None,
    note: NoteOpt = None,
    rec: RecsOpt = None,
    action: ActionsOpt = None,
) -> None:
    """Record evidence and print its id (E7). It may have a URL, a local file, both, or
    neither (meeting notes, a phone call: the title, date and source are the record).

    Examples: rectrack evidence add --title "Ombudsman annual report 2023" --kind document
    --url https://example.org/report.pdf --rec GRETA-2023-0005; rectrack evidence add
    --title "Call with the Ministry of Justice" --kind meeting --date 2025-03-04
    """
    from rectrack.services.evidence import EvidenceInput, add_evidence, path_notice
    from rectrack.views import tracking as views

    given = EvidenceInput(title, kind, date, source, url, file, note)
    with session(ctx) as s:
        new = add_evidence(s, given, rec or [], action or [])
        notice = path_notice(s, file) if file and file.strip() else None
    views.new_id(new)
    views.file_notice(notice)


@evidence_app.command("list")
def evidence_list(
    ctx: typer.Context,
    rec: Annotated[
        list[str] | None,
        typer.Option(
            "--rec",
            "-r",
            metavar="KEY",
            help="Only evidence linked to this recommendation (repeatable).",
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", metavar="KIND", help="Only this kind (repeatable)."),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """List evidence, oldest first.

    Example: rectrack evidence list --kind court_decision --kind statistics
    """
    from rectrack.services.evidence import list_evidence
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: list_evidence(s, rec or (), kind or ()), views.evidence_list)


@evidence_app.command("show")
def evidence_show(ctx: typer.Context, ident: IdArg, fmt: FormatOption = None) -> None:
    """Show one piece of evidence; a local file is checked against its recorded SHA-256.

    Example: rectrack evidence show E7
    """
    from rectrack.services.evidence import evidence_detail
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: evidence_detail(s, ident), views.evidence)


@evidence_app.command("edit")
def evidence_edit(
    ctx: typer.Context,
    ident: IdArg,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="What it is.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND", help=KindHelp)] = None,
    date: DateOpt = None,
    source: SourceOpt = None,
    url: UrlOpt = None,
    file: FileOpt = None,
    note: NoteOpt = None,
) -> None:
    """Change evidence. Give `none` to clear an optional value (--url none); a new --file
    is read again.

    Example: rectrack evidence edit E7 --date 2024-06 --source "Ombudsman of Serbia"
    """
    from rectrack.services.evidence import EvidenceChanges, edit_evidence, path_notice
    from rectrack.views import register as views
    from rectrack.views.tracking import file_notice

    typed = dict(title=title, kind=kind, date=date, source=source, url=url, note=note)
    fields = {name: value for name, value in typed.items() if value is not None}
    with session(ctx) as s:
        eid, changes = edit_evidence(s, ident, EvidenceChanges(fields, file))
        clearing = file is None or not file.strip() or file.strip().casefold() == "none"
        notice = None if clearing else path_notice(s, file or "")
    views.edited(eid, changes)
    file_notice(notice)


@evidence_app.command("link")
def evidence_link(
    ctx: typer.Context, ident: IdArg, rec: RecsOpt = None, action: ActionsOpt = None
) -> None:
    """Link evidence to recommendations and actions.

    Example: rectrack evidence link E7 --rec CEDAW-2019-24b --action A3
    """
    from rectrack.services.evidence import link_evidence
    from rectrack.views import tracking as views

    with session(ctx) as s:
        eid, added = link_evidence(s, ident, rec or [], action or [])
    views.evidence_linked(eid, added)


@evidence_app.command("unlink")
def evidence_unlink(
    ctx: typer.Context, ident: IdArg, rec: RecsOpt = None, action: ActionsOpt = None
) -> None:
    """Remove links of evidence to recommendations and actions.

    Example: rectrack evidence unlink E7 --rec CEDAW-2019-24b
    """
    from rectrack.services.evidence import unlink_evidence
    from rectrack.views import tracking as views

    with session(ctx) as s:
        eid, removed = unlink_evidence(s, ident, rec or [], action or [])
    views.evidence_unlinked(eid, removed)


@evidence_app.command("rm")
def evidence_rm(
    ctx: typer.Context,
    ident: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete evidence. Evidence still linked, or cited by an assessment, is deleted only
    after confirmation (on a terminal, or --yes), which says what it unlinks.

    Example: rectrack evidence rm E7 --yes
    """
    from rectrack.services.evidence import evidence_links, remove_evidence
    from rectrack.views import tracking as views

    with session(ctx) as s:
        eid, keys, actions, citing = evidence_links(s, ident)
        linked = keys + actions + ([views.citing_assessments(citing)] if citing else [])
        if linked and not confirm(views.unlink_question(eid, linked), yes):
            views.nothing_removed()
            raise typer.Exit(1)
        remove_evidence(s, ident)
    views.removed_item(eid, linked)


@evidence_app.command("check")
def evidence_check(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Read every evidence file again and list those that changed or went missing since
    they were recorded (exit 1 if any).

    Example: rectrack evidence check
    """
    from rectrack.render import resolve_format
    from rectrack.services.evidence import check_files
    from rectrack.views import tracking as views

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        checked, problems = check_files(s)
    views.files_checked(checked, problems, fmt)
    if problems:
        raise typer.Exit(1)


@evidence_app.command("accept")
def evidence_accept(ctx: typer.Context, ident: IdArg) -> None:
    """Accept the change to an evidence file after looking at it: its new size and SHA-256
    are recorded, and history shows the acceptance.

    Example: rectrack evidence accept E7
    """
    from rectrack.services.evidence import accept_file
    from rectrack.views import tracking as views

    with session(ctx) as s:
        accepted = accept_file(s, ident)
    views.file_accepted(accepted)
