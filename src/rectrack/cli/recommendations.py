"""add, list, show, edit, rm: the recommendation register."""

from __future__ import annotations

from typing import Annotated

import typer

from rectrack.cli._common import (
    FormatOption,
    confirm,
    filtered,
    read_and_show,
    require,
    session,
)
from rectrack.cli.root import app
from rectrack.shapes import RecFilter

# Options shared by add and edit, written once.
BodyOpt = Annotated[str | None, typer.Option("--body", "-b", help="Body code, e.g. CEDAW.")]
TextOpt = Annotated[str | None, typer.Option("--text", "-t", help="The recommendation's text.")]
DocumentOpt = Annotated[
    str | None, typer.Option("--document", "-d", help="Document symbol, e.g. CEDAW/C/SRB/CO/4.")
]
ParaOpt = Annotated[str | None, typer.Option("--para", "-p", help="Paragraph, e.g. 24(b).")]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Date of the recommendation: 2019-03-14, 2019-03, 2019, "
        "14 March 2019 or March 2019 (default: the document's).",
    ),
]
CountryOpt = Annotated[str | None, typer.Option("--country", "-c", help="Country, e.g. Serbia.")]
PriorityOpt = Annotated[str | None, typer.Option("--priority", help="high, medium or low.")]
ResponseOpt = Annotated[
    str | None, typer.Option("--response", help="The state's response: supported or noted.")
]
DueOpt = Annotated[str | None, typer.Option("--due", help="Follow-up due date.")]
SummaryOpt = Annotated[str | None, typer.Option("--summary", "-s", help="A short summary.")]
ThemesReplace = Annotated[
    list[str] | None,
    typer.Option("--theme", help="Replace the themes (repeatable); none clears them."),
]
InstitutionsReplace = Annotated[
    list[str] | None,
    typer.Option(
        "--institution", "-i", help="Replace the institutions (repeatable); none clears them."
    ),
]
KeyArg = Annotated[str, typer.Argument(help="The recommendation's key, e.g. CEDAW-2019-24b.")]


@app.command("add")
def add(
    ctx: typer.Context,
    body: BodyOpt = None,
    text: TextOpt = None,
    document: DocumentOpt = None,
    para: ParaOpt = None,
    date: DateOpt = None,
    country: CountryOpt = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", help="Theme (repeatable).")] = None,
    institution: Annotated[
        list[str] | None,
        typer.Option("--institution", "-i", help="Responsible institution (repeatable)."),
    ] = None,
    priority: PriorityOpt = None,
    response: ResponseOpt = None,
    due: DueOpt = None,
    key: Annotated[str | None, typer.Option("--key", "-k", help="Set the key by hand.")] = None,
    summary: SummaryOpt = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add it even if it repeats one on record.")
    ] = False,
) -> None:
    """Record a new recommendation and print its key.

    On a terminal, a missing --body or --text is asked for.

    Example: rectrack add -b cedaw -d CEDAW/C/SRB/CO/4 -p "24(b)" --date "March 2019"
    -t "Establish a state fund..." --theme compensation
    """
    given = require({"--body": body, "--text": text})
    from rectrack.services.recommendations import RecInput, add_recommendation
    from rectrack.views import register as views

    rec = RecInput(
        body=given["--body"],
        text=given["--text"],
        document=document,
        paragraph=para,
        date=date,
        country=country,
        themes=theme or [],
        institutions=institution or [],
        priority=priority,
        response=response,
        due=due,
        key=key,
        summary=summary,
    )
    with session(ctx) as s:
        new_key = add_recommendation(s, rec, allow_duplicate=allow_duplicate)
    views.new_key(new_key)


@app.command("list")
@filtered("body", "country", "document", "theme", "institution", "priority", "text")
def list_(ctx: typer.Context, filters: RecFilter, fmt: FormatOption = None) -> None:
    """List recommendations, filtered.

    Examples: rectrack list --body greta --theme compensation; rectrack list -f json
    """
    from rectrack.services.recommendations import list_recommendations
    from rectrack.views import register as views

    read_and_show(ctx, fmt, lambda s: list_recommendations(s, filters), views.recommendation_list)


@app.command("show")
def show(ctx: typer.Context, key: KeyArg, fmt: FormatOption = None) -> None:
    """Show everything about one recommendation.

    Example: rectrack show CEDAW-2019-24b
    """
    from rectrack.services.status import recommendation_overview
    from rectrack.views import register as views

    read_and_show(ctx, fmt, lambda s: recommendation_overview(s, key), views.recommendation)


@app.command("edit")
def edit(
    ctx: typer.Context,
    key: KeyArg,
    body: BodyOpt = None,
    text: TextOpt = None,
    document: DocumentOpt = None,
    para: ParaOpt = None,
    date: DateOpt = None,
    country: CountryOpt = None,
    theme: ThemesReplace = None,
    institution: InstitutionsReplace = None,
    add_theme: Annotated[list[str] | None, typer.Option("--add-theme", help="Add a theme.")] = None,
    remove_theme: Annotated[
        list[str] | None, typer.Option("--remove-theme", help="Remove a theme.")
    ] = None,
    add_institution: Annotated[
        list[str] | None, typer.Option("--add-institution", help="Add an institution.")
    ] = None,
    remove_institution: Annotated[
        list[str] | None, typer.Option("--remove-institution", help="Remove an institution.")
    ] = None,
    priority: PriorityOpt = None,
    response: ResponseOpt = None,
    due: DueOpt = None,
    new_key: Annotated[str | None, typer.Option("--key", "-k", help="Change the key.")] = None,
    summary: SummaryOpt = None,
) -> None:
    """Change a recommendation. Give `none` to clear an optional value (--priority none).

    Examples: rectrack edit CEDAW-2019-24b --priority high --add-theme funding;
    rectrack edit CEDAW-2019-24b --due none
    """
    from rectrack.services.recommendations import NameEdit, RecChanges, edit_recommendation
    from rectrack.views import register as views

    typed = dict(text=text, date=date, country=country, paragraph=para, summary=summary)
    typed |= dict(priority=priority, response=response, due=due)
    changes = RecChanges(
        fields={name: value for name, value in typed.items() if value is not None},
        body=body,
        document=document,
        key=new_key,
        themes=NameEdit(theme, add_theme or (), remove_theme or ()),
        institutions=NameEdit(institution, add_institution or (), remove_institution or ()),
    )
    with session(ctx) as s:
        final_key, changed = edit_recommendation(s, key, changes)
    views.edited(final_key, changed)


@app.command("rm")
def rm(
    ctx: typer.Context,
    keys: Annotated[list[str], typer.Argument(help="Keys of the recommendations to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete recommendations. Asks first on a terminal; without one, needs --yes.

    Example: rectrack rm UPR-2023-0042 --yes
    """
    from rectrack.services.recommendations import removal_preview, remove_recommendations
    from rectrack.views import register as views

    with session(ctx) as s:
        found, assessed = removal_preview(s, keys)
        if not confirm(views.removal_question(found, assessed), yes):
            views.nothing_removed()
            raise typer.Exit(1)
        removed = remove_recommendations(s, found)
    views.removed(removed, assessed)
