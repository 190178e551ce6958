"""add, list, show, edit, rm: the recommendation register."""

from __future__ import annotations

from typing import Annotated

import typer

from rectrack.cli._common import (
    BodiesFilter,
    CountryFilter,
    DocumentFilter,
    FormatOption,
    InstitutionFilter,
    PriorityFilter,
    ThemeFilter,
    confirm,
    rec_filter,
    require,
    session,
)
from rectrack.cli.root import app

# Options shared by add, edit and list, written once.
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
ThemesOpt = Annotated[list[str] | None, typer.Option("--theme", help="Theme (repeatable).")]
InstitutionsOpt = Annotated[
    list[str] | None,
    typer.Option("--institution", "-i", help="Responsible institution (repeatable)."),
]
PriorityOpt = Annotated[str | None, typer.Option("--priority", help="high, medium or low.")]
ResponseOpt = Annotated[
    str | None, typer.Option("--response", help="The state's response: supported or noted.")
]
DueOpt = Annotated[str | None, typer.Option("--due", help="Follow-up due date.")]
KeyOpt = Annotated[str | None, typer.Option("--key", "-k", help="Set the key by hand.")]
SummaryOpt = Annotated[str | None, typer.Option("--summary", "-s", help="A short summary.")]


def _list_columns() -> list:
    from rectrack import domain
    from rectrack.render import Column

    return [
        Column("key", "Key", no_wrap=True, style="bold"),
        Column("body", "Body", no_wrap=True),
        Column("document", "Document", max_width=18, min_terminal=110),
        Column("paragraph", "Para", no_wrap=True),
        Column("date", "Date", no_wrap=True),
        Column("priority", "Priority", no_wrap=True, min_terminal=100),
        Column(
            "summary",
            "Summary",
            ratio=3,
            min_width=20,
            text=lambda r: r["summary"] or domain.shorten(r["text"], 100),
        ),
        Column(
            "themes",
            "Themes",
            ratio=2,
            min_width=16,
            min_terminal=100,
            text=lambda r: "\n".join(r["themes"]),
        ),
    ]


REC_FIELDS = [
    "key",
    "body",
    "document",
    "paragraph",
    "date",
    "country",
    "text",
    "summary",
    "themes",
    "institutions",
    "priority",
    "response",
    "due",
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
    theme: ThemesOpt = None,
    institution: InstitutionsOpt = None,
    priority: PriorityOpt = None,
    response: ResponseOpt = None,
    due: DueOpt = None,
    key: KeyOpt = None,
    summary: SummaryOpt = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add it even if it repeats one on record.")
    ] = False,
) -> None:
    """Record a new recommendation and print its key.

    On a terminal, a missing --body or --text is asked for.
    """
    given = require({"--body": body, "--text": text})
    from rectrack.services.recommendations import RecInput, add_recommendation

    with session(ctx) as s:
        new_key = add_recommendation(
            s,
            RecInput(
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
            ),
            allow_duplicate=allow_duplicate,
        )
    typer.echo(new_key)


@app.command("list")
def list_(
    ctx: typer.Context,
    body: BodiesFilter = None,
    country: CountryFilter = None,
    document: DocumentFilter = None,
    theme: ThemeFilter = None,
    institution: InstitutionFilter = None,
    priority: PriorityFilter = None,
    text: Annotated[
        str | None,
        typer.Option("--text", "-t", help="Only those whose text or summary contains this."),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """List recommendations, filtered."""
    from rectrack.render import emit_rows, plural, resolve_format
    from rectrack.services.recommendations import list_recommendations

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        rows = list_recommendations(
            s, rec_filter(body, country, document, theme, institution, priority, text)
        )
    emit_rows(
        rows,
        _list_columns(),
        fmt,
        fields=REC_FIELDS,
        title=plural(len(rows), "recommendation"),
        empty="No recommendations match.",
    )


SHOW_LABELS = [
    ("key", "Key"),
    ("body", "Body"),
    ("body_name", ""),
    ("document", "Document"),
    ("document_title", ""),
    ("document_date", "Document date"),
    ("document_url", "Link"),
    ("paragraph", "Paragraph"),
    ("date", "Date"),
    ("country", "Country"),
    ("summary", "Summary"),
    ("text", "Text"),
    ("themes", "Themes"),
    ("institutions", "Institutions"),
    ("priority", "Priority"),
    ("response", "Response"),
    ("due", "Follow-up due"),
    ("status_line", "Status (NGO)"),
    ("note", "Latest note"),
    ("state_line", "State claims"),
    ("links", "Actions, evidence"),
    ("created_at", "Recorded"),
    ("updated_at", "Last changed"),
]


@app.command("show")
def show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The recommendation's key, e.g. CEDAW-2019-24b.")],
    fmt: FormatOption = None,
) -> None:
    """Show everything about one recommendation."""
    from rectrack import domain
    from rectrack.render import emit_record, plural, resolve_format
    from rectrack.services.status import recommendation_overview

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        record = recommendation_overview(s, key)
    if fmt in ("table", "tsv", "csv"):

        def line(status: str, date: str | None, grade: str | None = None) -> str:
            return (
                domain.STATUS_LABELS[status]
                + (f", grade {grade}" if grade else "")
                + (f", since {date}" if date else "")
            )

        record["status_line"] = line(record["status"], record["status_date"], record["grade"])
        record["state_line"] = line(record["state_status"], record["state_date"])
        record["links"] = (
            f"{plural(record['actions'], 'action')}, "
            f"{plural(record['evidence'], 'piece')} of evidence "
            f"(see `rectrack history {record['key']}`)"
        )
        if record["overdue"]:
            record["due"] = f"{record['due']} (overdue)"
    emit_record(record, SHOW_LABELS, fmt)


@app.command("edit")
def edit(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The recommendation's key.")],
    body: BodyOpt = None,
    text: TextOpt = None,
    document: DocumentOpt = None,
    para: ParaOpt = None,
    date: DateOpt = None,
    country: CountryOpt = None,
    theme: Annotated[
        list[str] | None,
        typer.Option("--theme", help="Replace the themes (repeatable); none clears them."),
    ] = None,
    institution: Annotated[
        list[str] | None,
        typer.Option(
            "--institution", "-i", help="Replace the institutions (repeatable); none clears them."
        ),
    ] = None,
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
    """Change a recommendation. Give `none` to clear an optional value (--priority none)."""
    from rectrack.render import say
    from rectrack.services.recommendations import RecChanges, edit_recommendation

    changes = RecChanges(
        body=body,
        text=text,
        document=document,
        paragraph=para,
        date=date,
        country=country,
        themes=theme,
        institutions=institution,
        add_themes=add_theme or [],
        remove_themes=remove_theme or [],
        add_institutions=add_institution or [],
        remove_institutions=remove_institution or [],
        priority=priority,
        response=response,
        due=due,
        key=new_key,
        summary=summary,
    )
    with session(ctx) as s:
        final_key, lines = edit_recommendation(s, key, changes)
    if not lines:
        say(f"{final_key}: nothing changed")
        return
    say(f"{final_key} updated:")
    for line in lines:
        say(f"  {line}")


@app.command("rm")
def rm(
    ctx: typer.Context,
    keys: Annotated[list[str], typer.Argument(help="Keys of the recommendations to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete recommendations. Asks first on a terminal; without one, needs --yes."""
    from rectrack.render import plural, say
    from rectrack.services.recommendations import (
        assessments_of,
        get_recommendations,
        remove_recommendations,
    )

    with session(ctx) as s:
        found = [r.key for r in get_recommendations(s, keys)]
        assessed = assessments_of(s, found)
        with_them = f" and their {plural(assessed, 'assessment')}" if assessed else ""
        question = f"Delete {plural(len(found), 'recommendation')} ({', '.join(found)}){with_them}?"
        if not confirm(question, yes):
            say("nothing deleted")
            raise typer.Exit(1)
        removed = remove_recommendations(s, found)
    say(
        f"deleted {', '.join(removed)}"
        + (f" ({plural(assessed, 'assessment')} with them)" if assessed else "")
    )
