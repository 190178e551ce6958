"""action add, list, show, edit, link, unlink, rm: what the state did or announced."""

from typing import Annotated

import typer

from rectrack.cli._common import (
    FormatOption,
    NewInstitutionOption,
    confirm,
    read_and_show,
    session,
    with_new_names,
)
from rectrack.cli.root import app
from rectrack.shapes import Change, NewNames

action_app = typer.Typer(
    help="What the state did or announced: laws, strategies, budgets...", no_args_is_help=True
)
app.add_typer(action_app, name="action")

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The action's id, e.g. A12.")]
KeysArg = Annotated[list[str], typer.Argument(metavar="KEY...", help="Recommendation keys.")]
RecsOpt = Annotated[
    list[str] | None,
    typer.Option("--rec", "-r", metavar="KEY", help="Link to this recommendation (repeatable)."),
]
TitleOpt = Annotated[
    str, typer.Option("--title", metavar="TEXT", help="What was done: 'Law on Free Legal Aid'.")
]
KindOpt = Annotated[
    str,
    typer.Option(
        "--kind",
        metavar="KIND",
        help="law, bylaw, strategy, action_plan, budget, institution, training, practice or other.",
    ),
]
DateOpt = Annotated[
    str | None, typer.Option("--date", metavar="DATE", help="When: 2024-03-14, March 2024, 2024.")
]
InstitutionOpt = Annotated[
    str | None, typer.Option("--institution", "-i", metavar="NAME", help="Who did it.")
]
ReferenceOpt = Annotated[
    str | None,
    typer.Option(
        "--reference",
        metavar="TEXT",
        help="An Official Gazette number, an action-plan activity id...",
    ),
]
UrlOpt = Annotated[str | None, typer.Option("--url", metavar="URL", help="Where to read it.")]
DescriptionOpt = Annotated[
    str | None, typer.Option("--description", metavar="TEXT", help="What it does.")
]


@action_app.command("add")
def action_add(
    ctx: typer.Context,
    title: TitleOpt,
    kind: KindOpt,
    date: DateOpt = None,
    institution: InstitutionOpt = None,
    reference: ReferenceOpt = None,
    url: UrlOpt = None,
    description: DescriptionOpt = None,
    rec: RecsOpt = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A note on the links.")
    ] = None,
    new_institution: NewInstitutionOption = False,
) -> None:
    """Record an action of the state and print its id (A12).

    Example: rectrack action add --title "Law on Free Legal Aid" --kind law --date 2018-11
    --reference "Official Gazette 87/2018" --rec CEDAW-2019-24b
    """
    from rectrack.services.actions import ActionInput, add_action
    from rectrack.views import tracking as views

    given = ActionInput(title, kind, date, institution, reference, url, description)

    def attempt(new: NewNames) -> str:
        with session(ctx) as s:
            return add_action(s, given, rec or [], note, new)

    views.new_id(with_new_names(attempt, False, new_institution))


@action_app.command("list")
def action_list(
    ctx: typer.Context,
    rec: Annotated[
        list[str] | None,
        typer.Option(
            "--rec",
            "-r",
            metavar="KEY",
            help="Only those linked to this recommendation (repeatable).",
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", metavar="KIND", help="Only this kind (repeatable)."),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """List the state's actions, oldest first.

    Example: rectrack action list --rec CEDAW-2019-24b --kind law --kind bylaw
    """
    from rectrack.services.actions import list_actions
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: list_actions(s, rec or (), kind or ()), views.action_list)


@action_app.command("show")
def action_show(ctx: typer.Context, ident: IdArg, fmt: FormatOption = None) -> None:
    """Show one action with what it is linked to.

    Example: rectrack action show A3
    """
    from rectrack.services.actions import action_detail
    from rectrack.views import tracking as views

    read_and_show(ctx, fmt, lambda s: action_detail(s, ident), views.action)


@action_app.command("edit")
def action_edit(
    ctx: typer.Context,
    ident: IdArg,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="What was done.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND", help="Its kind.")] = None,
    date: DateOpt = None,
    institution: InstitutionOpt = None,
    reference: ReferenceOpt = None,
    url: UrlOpt = None,
    description: DescriptionOpt = None,
    new_institution: NewInstitutionOption = False,
) -> None:
    """Change an action. Give `none` to clear an optional value (--url none).

    Example: rectrack action edit A3 --date 2018-11-23 --reference "Sl. glasnik RS 87/2018"
    """
    from rectrack.services.actions import ActionChanges, edit_action
    from rectrack.views import register as views

    typed = dict(title=title, kind=kind, date=date, reference=reference, url=url)
    typed["description"] = description
    fields = {name: value for name, value in typed.items() if value is not None}

    def attempt(new: NewNames) -> tuple[str, list[Change]]:
        with session(ctx) as s:
            return edit_action(s, ident, ActionChanges(fields, institution, new))

    views.edited(*with_new_names(attempt, False, new_institution))


@action_app.command("link")
def action_link(
    ctx: typer.Context,
    ident: IdArg,
    keys: KeysArg,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A note on these links.")
    ] = None,
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
def action_unlink(ctx: typer.Context, ident: IdArg, keys: KeysArg) -> None:
    """Remove links between an action and recommendations.

    Example: rectrack action unlink A3 TIP-2022-0002
    """
    from rectrack.services.actions import unlink_action
    from rectrack.views import tracking as views

    with session(ctx) as s:
        aid, removed = unlink_action(s, ident, keys)
    views.action_unlinked(aid, removed)


@action_app.command("rm")
def action_rm(
    ctx: typer.Context,
    ident: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an action. One still linked to recommendations or evidence is deleted only
    after confirmation (on a terminal, or --yes), which says what it unlinks.

    Example: rectrack action rm A3 --yes
    """
    from rectrack.services.actions import action_links, remove_action
    from rectrack.views import tracking as views

    with session(ctx) as s:
        aid, keys, evidence = action_links(s, ident)
        if (keys or evidence) and not confirm(views.unlink_question(aid, keys + evidence), yes):
            views.nothing_removed()
            raise typer.Exit(1)
        remove_action(s, ident)
    views.removed_item(aid, keys + evidence)
