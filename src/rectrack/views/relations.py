"""What `search`, `similar`, `cluster` and `link` print."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rectrack import domain, words
from rectrack.render import Column, emit_rows, say, say_lines, status_style

if TYPE_CHECKING:
    from rich.text import Text

    from rectrack.shapes import ClusterRow, ClusterStory, StoryRow

plural = domain.plural


def highlighted(text: str, terms: Sequence[str], style: str = "bold yellow") -> Text:
    """The text with each word that matches a search term (as the start of its stem)
    in `style`."""
    from rich.text import Text

    shown = Text(text)
    for start, end, stem in words.spans(text):
        if any(stem.startswith(t) for t in terms):
            shown.stylize(style, start, end)
    return shown


def _status_column(key: str = "status", header: str = "Status") -> Column:
    return Column(
        key,
        header,
        no_wrap=True,
        text=lambda r: domain.STATUS_LABELS[r[key]],
        style=lambda r: status_style(r[key]),
    )


def search_results(
    query: str, rows: Sequence[dict[str, Any]], terms: Sequence[str], fmt: str
) -> None:
    """Recommendations found, best first, the matching words highlighted on a terminal."""
    columns = [
        Column("key", "Key", no_wrap=True, style="bold"),
        Column("body", "Body", no_wrap=True),
        Column("score", "Score", justify="right", text=lambda r: f"{r['score']:.2f}"),
        _status_column(),
        Column(
            "text",
            "Text",
            ratio=1,
            min_width=30,
            rich=lambda r: highlighted(r["summary_text"], terms),
        ),
    ]
    emit_rows(
        rows,
        columns,
        fmt,
        fields=["key", "body", "score", "status", "text"],
        title=f"{plural(len(rows), 'match', 'matches')} for '{query}'",
        empty="Nothing found.",
    )


def similar_results(key: str, rows: Sequence[dict[str, Any]], fmt: str) -> None:
    columns = [
        Column("key", "Key", no_wrap=True, style="bold"),
        Column("body", "Body", no_wrap=True),
        Column("date", "Date", no_wrap=True),
        Column("score", "Score", justify="right", text=lambda r: f"{r['score']:.2f}"),
        _status_column(),
        Column("summary_text", "Recommendation", ratio=1, min_width=30),
    ]
    emit_rows(
        rows,
        columns,
        fmt,
        fields=["key", "body", "date", "score", "status", "text"],
        title=f"Most alike {key}",
        empty=f"Nothing alike {key}.",
    )


# ---------------------------------------------------------------------------------------
# Clusters


def cluster_added(name: str, created: bool, keys: Sequence[str]) -> None:
    if created:
        say(f"cluster '{name}' recorded with {plural(len(keys), 'recommendation')}")
    elif keys:
        say(f"cluster '{name}': {plural(len(keys), 'recommendation')} added ({', '.join(keys)})")
    else:
        say(f"cluster '{name}': nothing to add, all are in it already")


def cluster_list(rows: Sequence[ClusterRow], fmt: str) -> None:
    columns = [
        Column("name", "Cluster", ratio=2, min_width=20, style="bold"),
        Column("bodies", "Bodies", ratio=1, text=lambda r: ", ".join(r["bodies"])),
        Column(
            "years",
            "Years",
            no_wrap=True,
            text=lambda r: "-".join(
                dict.fromkeys(y for y in (r["first_year"], r["latest_year"]) if y)
            ),
        ),
        Column("recommendations", "Recs", justify="right"),
        _status_column("worst_status", "Worst status"),
    ]
    emit_rows(
        rows,
        columns,
        fmt,
        fields=[
            "name",
            "bodies",
            "first_year",
            "latest_year",
            "recommendations",
            "worst_status",
            "note",
        ],
        title=plural(len(rows), "cluster"),
        empty="No clusters yet: `rectrack cluster suggest` proposes some.",
    )


def _story_lines(row: StoryRow) -> list[str]:
    lines = []
    for who, label in (("ngo", "NGO"), ("state", "State"), ("body", "Body")):
        status = row[f"{who}_status"]  # type: ignore[literal-required]
        if status == domain.UNKNOWN and who != "ngo":
            continue
        date = row[f"{who}_date"]  # type: ignore[literal-required]
        lines.append(f"{label}: {domain.STATUS_LABELS[status]}" + (f" ({date})" if date else ""))
    for action in row["linked_actions"]:
        details = "; ".join(x for x in (action["date"], action["reference"]) if x)
        lines.append(f"{action['id']} {action['title']}" + (f" ({details})" if details else ""))
    for item in row["linked_evidence"]:
        lines.append(
            f"{item['id']} {item['title']}" + (f" ({item['date']})" if item["date"] else "")
        )
    lines += [link["text"] for link in row["links"]]
    return lines


def cluster_story(story: ClusterStory, fmt: str) -> None:
    """`cluster show`: on a terminal the story of the demand, recommendation by
    recommendation in time order; else its rows."""
    if fmt != "table":
        emit_rows(
            story["recommendations"],
            [],
            fmt,
            fields=["key", "body", "date", "ngo_status", "state_status", "body_status", "text"],
        )
        return
    recs = story["recommendations"]
    years = sorted({r["date"][:4] for r in recs if r["date"]})
    span = f", {years[0]}-{years[-1]}" if len(years) > 1 else (f", {years[0]}" if years else "")
    say(story["name"], style="bold")
    say(
        f"{plural(len(recs), 'recommendation')} of {', '.join(story['bodies'])}{span}; "
        f"worst status: {domain.STATUS_LABELS[story['worst_status']]}",
        style=status_style(story["worst_status"]),
    )
    if story["note"]:
        say(story["note"], style="italic")
    for row in recs:
        say("")
        where = ", ".join(x for x in (row["document"], _paragraph(row["paragraph"])) if x)
        say(f"{row['date'] or 'undated'}  {row['key']}  {where}", style="bold")
        say(f"  {row['summary']}")
        say_lines(_story_lines(row), indent="    ")


def _paragraph(paragraph: str | None) -> str | None:
    return f"para. {paragraph}" if paragraph else None


def suggestions(rows: Sequence[dict[str, Any]], fmt: str) -> None:
    if fmt != "table":
        emit_rows(rows, [], fmt, fields=["number", "score", "bodies", "keys"])
        return
    if not rows:
        say("No groups to suggest: try a lower --min-score.", err=True, style="dim")
        return
    for row in rows:
        count = plural(len(row["keys"]), "recommendation")
        bodies = ", ".join(row["bodies"])
        say(f"{row['number']}. score {row['score']:.2f}: {count} of {bodies}", style="bold")
        for item in row["items"]:
            summary = domain.shorten(item["summary"], 70)
            say(f"   {item['key']:<18} {item['date'] or '':<10} {summary}")
    say("")
    say("Accept one with: rectrack cluster add NAME --suggestion N", style="dim")


def cluster_removed(name: str, count: int) -> None:
    say(f"cluster '{name}' removed ({plural(count, 'recommendation')} stay recorded)")


def cluster_taken_out(name: str, keys: Sequence[str]) -> None:
    say(f"cluster '{name}': {', '.join(keys)} taken out")


def cluster_renamed(old: str, new: str) -> None:
    say(f"cluster '{old}' renamed '{new}'")


# ---------------------------------------------------------------------------------------
# Links


def linked(sentence: str) -> None:
    say(sentence)


def unlinked(key: str, other: str, count: int) -> None:
    say(f"{key} and {other}: {plural(count, 'link')} removed")
