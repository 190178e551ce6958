"""document list, show, edit: the reports that recommendations come from."""

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, read_and_show, session
from rectrack.cli.root import app

document_app = typer.Typer(
    help="The documents recommendations come from: one report of a body to a state.",
    no_args_is_help=True,
)
app.add_typer(document_app, name="document")

SymbolArg = Annotated[
    str, typer.Argument(metavar="SYMBOL", help="The document's symbol, e.g. CEDAW/C/SRB/CO/4.")
]


@document_app.command("list")
def document_list(
    ctx: typer.Context,
    body: Annotated[
        list[str] | None,
        typer.Option("--body", "-b", metavar="CODE", help="Only this body (repeatable)."),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """List the documents, by body and date, with how many recommendations each holds.

    Example: rectrack document list --body greta
    """
    from rectrack.services.documents import list_documents
    from rectrack.views import register as views

    read_and_show(ctx, fmt, lambda s: list_documents(s, body or ()), views.document_list)


@document_app.command("show")
def document_show(ctx: typer.Context, symbol: SymbolArg, fmt: FormatOption = None) -> None:
    """Show one document and the keys of its recommendations.

    Example: rectrack document show CEDAW/C/SRB/CO/4
    """
    from rectrack.services.documents import document_detail
    from rectrack.views import register as views

    read_and_show(ctx, fmt, lambda s: document_detail(s, symbol), views.document)


@document_app.command("edit")
def document_edit(
    ctx: typer.Context,
    symbol: SymbolArg,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="Its title.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Its date: 2019-03-14, 2019.")
    ] = None,
    cycle: Annotated[
        str | None,
        typer.Option(
            "--cycle", metavar="TEXT", help="Its cycle or round: 4th UPR cycle, third round..."
        ),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", metavar="COUNTRY", help="The state it is about.")
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", metavar="URL", help="Where to read it.")
    ] = None,
    new_symbol: Annotated[
        str | None, typer.Option("--symbol", metavar="SYMBOL", help="Correct its symbol.")
    ] = None,
) -> None:
    """Change a document. Give `none` to clear a value (--url none).

    Example: rectrack document edit CEDAW/C/SRB/CO/4 --date 2019-03-14 --url https://...
    """
    from rectrack.services.documents import edit_document
    from rectrack.views import register as views

    typed = dict(title=title, date=date, cycle=cycle, country=country, url=url)
    fields = {name: value for name, value in typed.items() if value is not None}
    with session(ctx) as s:
        final, changes = edit_document(s, symbol, fields, new_symbol)
    views.edited(final, changes)
