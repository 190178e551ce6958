"""cluster (recurring demands) and link/unlink (one recommendation to another)."""

from typing import Annotated

import typer

from rectrack.cli._common import ByOption, FormatOption, confirm, filtered, read_and_show, session
from rectrack.cli.root import app
from rectrack.shapes import RecFilter

cluster_app = typer.Typer(
    help="Recurring demands: recommendations of several bodies and cycles asking for the "
    "same thing.",
    no_args_is_help=True,
)
app.add_typer(cluster_app, name="cluster")

NameArg = Annotated[str, typer.Argument(metavar="NAME", help="The cluster's name.")]
KindOption = Annotated[
    str | None,
    typer.Option(
        "--as", metavar="KIND", help="How they belong together: repeats, follows-up, same-issue."
    ),
]


@cluster_app.command("add")
def cluster_add(
    ctx: typer.Context,
    name: NameArg,
    keys: Annotated[
        list[str] | None,
        typer.Argument(metavar="[KEY]...", help="The recommendations to put in it."),
    ] = None,
    suggestion: Annotated[
        int | None,
        typer.Option(
            "--suggestion", "-s", metavar="N", help="Take the recommendations of suggestion N."
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What the demand is.")
    ] = None,
    new: Annotated[
        bool, typer.Option("--new", help="Start a new cluster even if its name looks like one.")
    ] = False,
) -> None:
    """Put recommendations in a cluster (recorded if new): a demand that comes back from
    several bodies and cycles. The keys may come from `cluster suggest` (--suggestion N).

    Examples: rectrack cluster add "Victim compensation fund" GRETA-2014-0001
    GRETA-2023-0005 CEDAW-2019-0004; rectrack cluster add "National rapporteur" -s 3
    """
    from rectrack.services.clusters import add_to_cluster
    from rectrack.services.similarity import suggested_keys
    from rectrack.views import relations as views

    with session(ctx) as s:
        wanted = list(keys or [])
        if suggestion is not None:
            wanted += [k for k in suggested_keys(s, suggestion) if k not in wanted]
        done = add_to_cluster(s, name, wanted, note, new)
    views.cluster_added(*done)


@cluster_app.command("rm")
def cluster_rm(
    ctx: typer.Context,
    name: NameArg,
    keys: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[KEY]...", help="Take only these out (default: remove the cluster)."
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Take recommendations out of a cluster, or remove the cluster itself (its
    recommendations stay recorded).

    Examples: rectrack cluster rm "Victim compensation fund" EU-2018-0002; rectrack cluster
    rm "Victim compensation fund" --yes
    """
    from rectrack.services.clusters import get_cluster, remove_cluster, remove_from_cluster
    from rectrack.views import relations as views

    with session(ctx) as s:
        if keys:
            views.cluster_taken_out(name, remove_from_cluster(s, name, keys))
            return
        _, stored = get_cluster(s, name)
        if not confirm(f"Remove the cluster '{stored}'?", yes):
            raise typer.Exit(1)
        done = remove_cluster(s, name)
    views.cluster_removed(*done)


@cluster_app.command("rename")
def cluster_rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD")],
    new: Annotated[str, typer.Argument(metavar="NEW")],
) -> None:
    """Rename a cluster.

    Example: rectrack cluster rename "Compensation" "Victim compensation fund"
    """
    from rectrack.services.clusters import rename_cluster
    from rectrack.views import relations as views

    with session(ctx) as s:
        done = rename_cluster(s, old, new)
    views.cluster_renamed(*done)


@cluster_app.command("list")
def cluster_list(ctx: typer.Context, by: ByOption = "ngo", fmt: FormatOption = None) -> None:
    """Every cluster with its bodies, first and latest year, number of recommendations
    and worst status today.

    Example: rectrack cluster list
    """
    from rectrack.services.clusters import list_clusters
    from rectrack.views import relations as views

    read_and_show(ctx, fmt, lambda s: list_clusters(s, by), views.cluster_list)


@cluster_app.command("show")
def cluster_show(ctx: typer.Context, name: NameArg, fmt: FormatOption = None) -> None:
    """The story of a demand: its recommendations in time order, each with its status from
    every perspective, the actions and the evidence.

    Example: rectrack cluster show "Victim compensation fund"
    """
    from rectrack.services.clusters import cluster_story
    from rectrack.views import relations as views

    read_and_show(ctx, fmt, lambda s: cluster_story(s, name), views.cluster_story)


@cluster_app.command("suggest")
@filtered()
def cluster_suggest(
    ctx: typer.Context,
    filters: RecFilter,
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score",
            metavar="X",
            help="How alike (0 to 1) recommendations must be to be grouped (default: 0.3).",
        ),
    ] = 0.3,
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", help="At most this many (default: 20).")
    ] = 20,
    fmt: FormatOption = None,
) -> None:
    """Propose groups of alike recommendations across bodies and cycles, numbered, with
    their scores, for you to accept with `cluster add NAME --suggestion N`. Groups already
    recorded as a cluster are left out.

    Examples: rectrack cluster suggest; rectrack cluster suggest --body greta --body cedaw
    --min-score 0.4
    """
    from rectrack.render import resolve_format
    from rectrack.services.similarity import suggest, suggestion_rows
    from rectrack.views import relations as views

    fmt = resolve_format(fmt)
    with session(ctx) as s:
        rows = suggestion_rows(s, suggest(s, filters, min_score, limit))
    views.suggestions(rows, fmt)


@app.command("link", short_help="Link two recommendations: one repeats or follows up another.")
def link(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY")],
    other: Annotated[str, typer.Argument(metavar="OTHER")],
    kind: KindOption = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="Why.")] = None,
) -> None:
    """Record that KEY repeats OTHER (an earlier recommendation), follows it up, or is on
    the same issue. `show` and `history` show the link from both ends.

    Examples: rectrack link GRETA-2023-0005 GRETA-2014-0001 --as repeats; rectrack link
    TIP-2022-0001 TIP-2021-0001 --as follows-up
    """
    from rectrack.errors import BadValue
    from rectrack.services.links import link as record
    from rectrack.views import relations as views

    if kind is None:
        raise BadValue("say how they belong together: --as repeats|follows-up|same-issue")
    with session(ctx) as s:
        done = record(s, key, other, kind, note)
    views.linked(done)


@app.command("unlink", short_help="Remove the link between two recommendations.")
def unlink(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY")],
    other: Annotated[str, typer.Argument(metavar="OTHER")],
    kind: KindOption = None,
) -> None:
    """Remove the links between KEY and OTHER (in either direction; only of one kind with
    --as).

    Example: rectrack unlink GRETA-2023-0005 GRETA-2014-0001
    """
    from rectrack.services.links import unlink as remove
    from rectrack.views import relations as views

    with session(ctx) as s:
        count = remove(s, key, other, kind)
    views.unlinked(key, other, count)
