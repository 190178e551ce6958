"""search and similar: finding recommendations by their words, and those alike."""

from typing import Annotated

import typer

from rectrack.cli._common import FormatOption, filtered, session
from rectrack.cli.root import app
from rectrack.shapes import RecFilter

LimitOption = Annotated[
    int, typer.Option("--limit", "-n", metavar="N", help="At most this many (default: 20).")
]


@app.command("search", short_help="Find recommendations by their words, best first.")
@filtered()
def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(metavar="QUERY", help="Words to look for: all must be there.")
    ],
    filters: RecFilter,
    limit: LimitOption = 20,
    fmt: FormatOption = None,
) -> None:
    """Find recommendations whose text, summary, themes, institutions, assessment notes or
    linked actions hold every word of QUERY (or a word starting with it), best first.
    Case, diacritics and script do not matter: `cac` finds Čačak, and Cyrillic finds Latin.

    Examples: rectrack search "compensation fund"; rectrack search naknad --body greta
    """
    from rectrack.render import resolve_format
    from rectrack.services.search import found_rows, query_terms
    from rectrack.services.search import search as find
    from rectrack.views import relations as views

    fmt = resolve_format(fmt)
    terms = query_terms(query)
    with session(ctx) as s:
        hits = find(s, query, filters, limit)
        rows = found_rows(s, [(h.rec_id, h.score) for h in hits])
    views.search_results(query, rows, terms, fmt)


@app.command("similar", short_help="The recommendations most alike one, with a score.")
def similar(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", help="The recommendation to compare.")],
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", help="At most this many (default: 10).")
    ] = 10,
    other_bodies: Annotated[
        bool, typer.Option("--other-bodies", help="Only recommendations of other bodies.")
    ] = False,
    fmt: FormatOption = None,
) -> None:
    """The recommendations most alike KEY in substance (their words and themes), best
    first, with a score from 0 to 1: where else the same demand was made.

    Examples: rectrack similar GRETA-2023-0005; rectrack similar GRETA-2023-0005
    --other-bodies --limit 5
    """
    from rectrack.render import resolve_format
    from rectrack.services.search import found_rows
    from rectrack.services.similarity import similar as alike
    from rectrack.views import relations as views

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        rec_id, found = alike(s, key, limit, other_bodies)
        rows = found_rows(s, [(f.rec_id, f.score) for f in found])
        shown = found_rows(s, [(rec_id, 1.0)])[0]["key"]
    views.similar_results(str(shown), rows, fmt)
