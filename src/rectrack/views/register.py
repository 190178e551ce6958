"""Bodies and recommendations: `body list/add`, `add`, `list`, `show`, `edit`, `rm`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rectrack import domain
from rectrack.render import Column, emit_record, emit_rows, out, say, say_lines, status_style
from rectrack.shapes import (
    BodyRow,
    Change,
    DocumentDetail,
    DocumentRow,
    NameRow,
    Overview,
)

BODY_COLUMNS = [
    Column("code", "Code", no_wrap=True, style="bold"),
    Column("name", "Name"),
    Column("kind", "Kind", no_wrap=True),
    Column("recommendations", "Recs", justify="right"),
]


def body_list(rows: Sequence[BodyRow], fmt: str) -> None:
    emit_rows(rows, BODY_COLUMNS, fmt, empty="No bodies.")


def body_added(code: str) -> None:
    say(f"added body {code}")


def new_key(key: str) -> None:
    out(key)


LIST_COLUMNS = [
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
# The fields of a recommendation in tsv and csv output.
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
    "recommending",
    "affected",
    "sdgs",
    "category",
    "source_id",
    "clusters",
]


EMPTY_REGISTER = (
    "No recommendations recorded yet: add one with `rectrack add`, or load the "
    "demonstration set with `rectrack init --sample`."
)


def recommendation_list(
    rows: Iterable[Any], fmt: str, filtered: bool = True, grouped: bool = False
) -> None:
    """`list`: the recommendations (under their groups, with `grouped`); on an empty
    register, how to begin. Rows for scripts stream; a table is laid out whole."""
    columns = LIST_COLUMNS
    fields = REC_FIELDS
    title = None
    sections = None
    if fmt == "table" or grouped:
        whole = list(rows)
        title = domain.plural(len({r["key"] for r in whole}), "recommendation")
        rows = whole
        if grouped:
            # On a terminal each group is named once, on its first row, and ends with a rule.
            columns = [
                Column("group_shown", "Group", min_width=14, max_width=20, style="bold"),
                *LIST_COLUMNS,
            ]
            fields = ["group", *REC_FIELDS]
            sections = "group_end"
            rows = [
                {
                    **row,
                    "group_shown": row["group"]
                    if i == 0 or whole[i - 1]["group"] != row["group"]
                    else "",
                    "group_end": i + 1 == len(whole) or whole[i + 1]["group"] != row["group"],
                }
                for i, row in enumerate(whole)
            ]
    emit_rows(
        rows,
        columns,
        fmt,
        fields=fields,
        title=title,
        empty="No recommendations match." if filtered else EMPTY_REGISTER,
        sections=sections,
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
    ("recommending", "Recommended by"),
    ("affected", "Affected persons"),
    ("sdgs", "SDG targets"),
    ("priority", "Priority"),
    ("response", "Response"),
    ("category", "UPR action category"),
    ("due", "Follow-up due"),
    ("ngo_line", "Status (NGO)"),
    ("ngo_note", "Latest note"),
    ("state_line", "State claims"),
    ("body_line", "Body's grade"),
    ("clusters", "Clusters"),
    ("link_lines", "Linked"),
    ("links", "Actions, evidence"),
    ("source", "Source"),
    ("created_at", "Recorded"),
    ("updated_at", "Last changed"),
]


def standing_line(record: Overview, who: str) -> str:
    """`Partial, grade B, since 2023-03 (last assessed 2025-04-10)`: the status of one
    perspective, with the day its run began and, when later, the latest assessment."""
    status: str = record[f"{who}_status"]  # type: ignore[literal-required]
    grade = record[f"{who}_grade"]  # type: ignore[literal-required]
    since = record[f"{who}_since"]  # type: ignore[literal-required]
    latest = record[f"{who}_date"]  # type: ignore[literal-required]
    line = domain.STATUS_LABELS[status] + (f", grade {grade}" if grade else "")
    if since:
        line += f", since {since}"
    if latest and latest != since:
        line += f" (last assessed {latest})"
    return line


def _source_line(record: Overview) -> str | None:
    """`upr-info.csv, row 1234; id 5f3e...`: where a recommendation was imported from."""
    where = record["source_file"]
    if where and record["source_row"]:
        where += f", row {record['source_row']}"
    parts = [p for p in (where, f"id {record['source_id']}" if record["source_id"] else None) if p]
    return "; ".join(parts) or None


def recommendation(record: Overview, fmt: str) -> None:
    """`show`: a record on a terminal (each perspective's status in words and in its
    colour), else the fields."""
    shown: dict[str, object] = dict(record)
    styles: dict[str, str] = {}
    if fmt in ("table", "tsv", "csv"):
        p = domain.plural
        for who in domain.PERSPECTIVES:
            shown[f"{who}_line"] = standing_line(record, who)
            styles[f"{who}_line"] = status_style(record[f"{who}_status"])  # type: ignore[literal-required]
        shown["links"] = (
            f"{p(record['actions'], 'action')}, {p(record['evidence'], 'piece')} of evidence "
            f"(see `rectrack history {record['key']}`)"
        )
        if record["overdue"]:
            shown["due"] = f"{record['due']} (overdue)"
        shown["source"] = _source_line(record)
        shown["link_lines"] = ("\n" if fmt == "table" else "; ").join(
            link["text"] + (f" ({link['note']})" if link["note"] else "")
            for link in record["links"]
        )
    emit_record(shown, SHOW_LABELS, fmt, styles)


def change_text(change: Change, separator: str = ", ") -> str:
    """`priority: high -> low`; lists joined with `separator`."""

    def shown(value: object) -> str:
        if value is None or value == []:
            return "(none)"
        if isinstance(value, list):
            return separator.join(str(v) for v in value)
        return domain.shorten(str(value), 60)

    return f"{change.field}: {shown(change.old)} -> {shown(change.new)}"


def edited(key: str, changes: Sequence[Change]) -> None:
    if not changes:
        say(f"{key}: nothing changed")
        return
    say(f"{key} updated:")
    say_lines(change_text(c) for c in changes)


def removal_question(
    found: Sequence[tuple[str, str]], assessments: int, purge: bool = False
) -> str:
    """The question `rm` asks: what it removes (or, with --purge, deletes for good), each
    key with its summary."""
    p = domain.plural
    keys = ", ".join(key for key, _ in found)
    listed = "".join(f"\n  {key}  {summary}" for key, summary in found)
    if purge:
        with_them = f" and their {p(assessments, 'assessment')}" if assessments else ""
        what = f"Delete {p(len(found), 'recommendation')} ({keys}){with_them} for good"
        return f"{what}? This cannot be undone.{listed}\n"
    return f"Remove {p(len(found), 'recommendation')} ({keys})?{listed}\n"


def nothing_removed() -> None:
    say("nothing removed")


def removed(keys: Sequence[str], assessments: int, purge: bool = False) -> None:
    if purge:
        with_them = (
            f" ({domain.plural(assessments, 'assessment')} with them)" if assessments else ""
        )
        say(f"deleted for good: {', '.join(keys)}{with_them}")
        return
    if len(keys) == 1:
        restore = f"`rectrack restore {keys[0]}`"
        say(f"removed {keys[0]} (kept with its history: {restore} brings it back)")
    else:
        listed = " ".join(keys)
        say(
            f"removed {', '.join(keys)} (kept with their history: `rectrack restore {listed}` "
            "brings them back)"
        )


def restored(keys: Sequence[str]) -> None:
    say(f"restored {', '.join(keys)}")


def new_names(created: Sequence[tuple[str, str]], written: bool = True) -> None:
    """`new theme: labour inspection`, for each theme and institution just recorded."""
    for what, name in created:
        say(f"{'new' if written else 'would add new'} {what}: {name}", err=True)


DOCUMENT_COLUMNS = [
    Column("symbol", "Symbol", ratio=2, min_width=16, style="bold"),
    Column("body", "Body", no_wrap=True),
    Column("date", "Date", no_wrap=True),
    Column("title", "Title", ratio=3, min_width=20, min_terminal=100),
    Column("recommendations", "Recs", justify="right"),
]
DOCUMENT_LABELS = [
    ("symbol", "Document"),
    ("body", "Body"),
    ("title", "Title"),
    ("date", "Date"),
    ("cycle", "Cycle"),
    ("country", "Country"),
    ("url", "Link"),
    ("recommendations", "Recommendations"),
    ("keys", "Keys"),
]


def document_list(rows: Sequence[DocumentRow], fmt: str) -> None:
    emit_rows(
        rows,
        DOCUMENT_COLUMNS,
        fmt,
        fields=["symbol", "body", "title", "date", "cycle", "country", "url", "recommendations"],
        title=domain.plural(len(rows), "document"),
        empty="No documents: `rectrack add --document SYMBOL` records one with a recommendation.",
    )


def document(record: DocumentDetail, fmt: str) -> None:
    emit_record(record, DOCUMENT_LABELS, fmt)


def name_list(rows: Sequence[NameRow], fmt: str, what: str) -> None:
    columns = [
        Column("name", what.capitalize(), ratio=3, min_width=20, style="bold"),
        Column("recommendations", "Recs", justify="right"),
    ]
    fields = ["name", "recommendations"]
    if what == "institution":
        columns.append(Column("actions", "Actions", justify="right"))
        fields.append("actions")
    emit_rows(
        rows,
        columns,
        fmt,
        fields=fields,
        title=domain.plural(len(rows), what),
        empty=f"No {what}s yet.",
    )


def renamed(what: str, old: str, new: str, merged: bool) -> None:
    if merged:
        say(f"{what} '{old}' merged into '{new}'")
    else:
        say(f"{what} '{old}' renamed '{new}'")
