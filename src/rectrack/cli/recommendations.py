"""add, list, show, edit, rm: the recommendation register."""

from typing import Annotated

import typer

from rectrack.cli._common import (
    ALL_FILTERS,
    FormatOption,
    NewInstitutionOption,
    NewThemeOption,
    ask,
    confirm,
    filtered,
    read_and_show,
    refuse_missing,
    session,
    with_new_names,
)
from rectrack.cli.root import app
from rectrack.shapes import Change, NewNames, RecFilter

# Options shared by add and edit, written once.
BodyOpt = Annotated[
    str | None, typer.Option("--body", "-b", metavar="CODE", help="Body code, e.g. CEDAW.")
]
TextOpt = Annotated[
    str | None, typer.Option("--text", "-t", metavar="TEXT", help="The recommendation's text.")
]
DocumentOpt = Annotated[
    str | None,
    typer.Option(
        "--document", "-d", metavar="SYMBOL", help="Document symbol, e.g. CEDAW/C/SRB/CO/4."
    ),
]
ParaOpt = Annotated[
    str | None, typer.Option("--para", "-p", metavar="PARA", help="Paragraph, e.g. 24(b).")
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="DATE",
        help="Date of the recommendation: 2019-03-14, 2019-03, 2019, "
        "14 March 2019 or March 2019 (default: the document's).",
    ),
]
CountryOpt = Annotated[
    str | None, typer.Option("--country", "-c", metavar="COUNTRY", help="Country, e.g. Serbia.")
]
PriorityOpt = Annotated[
    str | None, typer.Option("--priority", metavar="LEVEL", help="high, medium or low.")
]
ResponseOpt = Annotated[
    str | None,
    typer.Option(
        "--response", metavar="RESPONSE", help="The state's response: supported or noted."
    ),
]
DueOpt = Annotated[str | None, typer.Option("--due", metavar="DATE", help="Follow-up due date.")]
SummaryOpt = Annotated[
    str | None, typer.Option("--summary", "-s", metavar="TEXT", help="A short summary.")
]
ThemesReplace = Annotated[
    list[str] | None,
    typer.Option(
        "--theme", metavar="THEME", help="Replace the themes (repeatable); none clears them."
    ),
]
InstitutionsReplace = Annotated[
    list[str] | None,
    typer.Option(
        "--institution",
        "-i",
        metavar="NAME",
        help="Replace the institutions (repeatable); none clears them.",
    ),
]
KeyArg = Annotated[
    str, typer.Argument(metavar="KEY", help="The recommendation's key, e.g. CEDAW-2019-24b.")
]


@app.command("add")
def add(
    ctx: typer.Context,
    body: BodyOpt = None,
    text: TextOpt = None,
    document: DocumentOpt = None,
    para: ParaOpt = None,
    date: DateOpt = None,
    country: CountryOpt = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", metavar="THEME", help="Theme (repeatable).")
    ] = None,
    institution: Annotated[
        list[str] | None,
        typer.Option(
            "--institution", "-i", metavar="NAME", help="Responsible institution (repeatable)."
        ),
    ] = None,
    priority: PriorityOpt = None,
    response: ResponseOpt = None,
    due: DueOpt = None,
    key: Annotated[
        str | None, typer.Option("--key", "-k", metavar="KEY", help="Set the key by hand.")
    ] = None,
    summary: SummaryOpt = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add it even if it repeats one on record.")
    ] = False,
    new_theme: NewThemeOption = False,
    new_institution: NewInstitutionOption = False,
) -> None:
    """Record a new recommendation and print its key.

    On a terminal, `rectrack add` alone asks for the body, text, document, paragraph, date
    and country, checking each answer; a missing --body or --text is asked for. A new
    theme or institution that looks like one on record is refused unless confirmed.
    `country` in config.toml is the default country.

    Example: rectrack add -b cedaw -d CEDAW/C/SRB/CO/4 -p "24(b)" --date "March 2019"
    -t "Establish a state fund..." --theme compensation
    """
    from dataclasses import replace

    from rectrack.services.recommendations import RecInput, add_recommendation
    from rectrack.settings import default_country
    from rectrack.views import register as views

    refuse_missing({"--body": body, "--text": text})
    options = (document, para, date, country, key, summary, priority, response, due)
    if body is None and text is None and not (theme or institution) and options == (None,) * 9:
        body, text, document, para, date, country = _ask_recommendation(ctx)
    body = body if body and body.strip() else _ask_body(ctx)
    text = text if text and text.strip() else ask("Text", str.strip)
    rec = RecInput(
        body=body,
        text=text or "",
        document=document,
        paragraph=para,
        date=date,
        country=country or default_country(),
        themes=theme or [],
        institutions=institution or [],
        priority=priority,
        response=response,
        due=due,
        key=key,
        summary=summary,
    )

    def attempt(new: NewNames) -> str:
        with session(ctx) as s:
            return add_recommendation(
                s, replace(rec, new_names=new), allow_duplicate=allow_duplicate
            )

    views.new_key(with_new_names(attempt, new_theme, new_institution))


def _ask_body(ctx: typer.Context) -> str:
    """Ask for a body until it is one on record (the error lists them)."""
    from rectrack.services.bodies import resolve_body

    def known(code: str) -> str:
        with session(ctx) as s:
            return resolve_body(s, code).code

    return ask("Body (CEDAW, GRETA, TIP, EU, UPR...)", known) or ""


def _ask_recommendation(
    ctx: typer.Context,
) -> tuple[str, str, str | None, str | None, str | None, str | None]:
    """Body, text, document, paragraph, date and country, asked in turn, each checked as
    it is typed, so that the key made from them has its year."""
    from rectrack.services.fields import BY_NAME
    from rectrack.settings import default_country

    body = _ask_body(ctx)
    text = ask("Text", str.strip) or ""
    document = ask("Document symbol, e.g. CEDAW/C/SRB/CO/4", str.strip, optional=True)
    para = ask("Paragraph, e.g. 24(b)", str.strip, optional=True)
    date = ask("Date, e.g. 2019-03-14, March 2019 or 2019", BY_NAME["date"].value, optional=True)
    country = ask("Country", str.strip, default=default_country(), optional=True)
    return body, text, document, para, date, country


@app.command("list")
@filtered(*ALL_FILTERS, "text")
def list_(
    ctx: typer.Context,
    filters: RecFilter,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            "-g",
            metavar="GROUPING",
            help="List them by body, document, theme, institution, country, recommending, "
            "affected, sdg or cluster.",
        ),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """List recommendations, filtered.

    Examples: rectrack list --body greta --theme compensation; rectrack list --group-by
    cluster; rectrack list -f json
    """
    from rectrack.services.recommendations import list_recommendations
    from rectrack.views import register as views

    read_and_show(
        ctx,
        fmt,
        lambda s: list_recommendations(s, filters, group_by, stream=True),
        lambda rows, fmt: views.recommendation_list(
            rows, fmt, not filters.is_empty(), grouped=group_by is not None
        ),
    )


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
    add_theme: Annotated[
        list[str] | None, typer.Option("--add-theme", metavar="THEME", help="Add a theme.")
    ] = None,
    remove_theme: Annotated[
        list[str] | None, typer.Option("--remove-theme", metavar="THEME", help="Remove a theme.")
    ] = None,
    add_institution: Annotated[
        list[str] | None,
        typer.Option("--add-institution", metavar="NAME", help="Add an institution."),
    ] = None,
    remove_institution: Annotated[
        list[str] | None,
        typer.Option("--remove-institution", metavar="NAME", help="Remove an institution."),
    ] = None,
    priority: PriorityOpt = None,
    response: ResponseOpt = None,
    due: DueOpt = None,
    new_key: Annotated[
        str | None, typer.Option("--key", "-k", metavar="KEY", help="Change the key.")
    ] = None,
    summary: SummaryOpt = None,
    new_theme: NewThemeOption = False,
    new_institution: NewInstitutionOption = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help="Change it even if it then repeats another."),
    ] = False,
) -> None:
    """Change a recommendation. Give `none` to clear an optional value (--priority none).

    Examples: rectrack edit CEDAW-2019-24b --priority high --add-theme funding;
    rectrack edit CEDAW-2019-24b --due none
    """
    from rectrack.services.recommendations import NameEdit, RecChanges, edit_recommendation
    from rectrack.views import register as views

    typed = dict(text=text, date=date, country=country, paragraph=para, summary=summary)
    typed |= dict(priority=priority, response=response, due=due)
    fields = {name: value for name, value in typed.items() if value is not None}

    def attempt(new: NewNames) -> tuple[str, list[Change]]:
        changes = RecChanges(
            fields=fields,
            body=body,
            document=document,
            key=new_key,
            themes=NameEdit(theme, add_theme or (), remove_theme or (), new),
            institutions=NameEdit(
                institution, add_institution or (), remove_institution or (), new
            ),
            allow_duplicate=allow_duplicate,
        )
        with session(ctx) as s:
            return edit_recommendation(s, key, changes)

    views.edited(*with_new_names(attempt, new_theme, new_institution))


@app.command("rm")
def rm(
    ctx: typer.Context,
    keys: Annotated[
        list[str], typer.Argument(metavar="KEY...", help="Keys of the recommendations to remove.")
    ],
    purge: Annotated[
        bool,
        typer.Option("--purge", help="Delete them for good, with their assessments and links."),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove recommendations from every listing; they are kept, with their history, and
    `rectrack restore KEY` brings them back. --purge deletes them for good. Asks first on a
    terminal; without one, needs --yes.

    Examples: rectrack rm UPR-2023-0042 --yes; rectrack rm UPR-2023-0042 --purge
    """
    from rectrack.services.recommendations import removal_preview, remove_recommendations
    from rectrack.views import register as views

    with session(ctx) as s:
        found, assessed = removal_preview(s, keys, purge)
        if not confirm(views.removal_question(found, assessed, purge), yes):
            views.nothing_removed()
            raise typer.Exit(1)
        removed = remove_recommendations(s, [key for key, _ in found], purge)
    views.removed(removed, assessed, purge)


@app.command("restore")
def restore(
    ctx: typer.Context,
    keys: Annotated[
        list[str], typer.Argument(metavar="KEY...", help="Keys of removed recommendations.")
    ],
) -> None:
    """Bring back recommendations removed with `rm`, with everything linked to them.

    Example: rectrack restore UPR-2023-0042
    """
    from rectrack.services.recommendations import restore_recommendations
    from rectrack.views import register as views

    with session(ctx) as s:
        restored = restore_recommendations(s, keys)
    views.restored(restored)
