"""Bodies and recommendations: `body list/add`, `add`, `list`, `show`, `edit`, `rm`."""

from __future__ import annotations

from collections.abc import Sequence

from rectrack import domain
from rectrack.render import Column, emit_record, emit_rows, out, say, say_lines
from rectrack.shapes import BodyRow, Change, Overview, RecRow

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
]


def recommendation_list(rows: Sequence[RecRow], fmt: str) -> None:
    emit_rows(
        rows,
        LIST_COLUMNS,
        fmt,
        fields=REC_FIELDS,
        title=domain.plural(len(rows), "recommendation"),
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


def _status_line(status: str, date: str | None, grade: str | None = None) -> str:
    return (
        domain.STATUS_LABELS[status]
        + (f", grade {grade}" if grade else "")
        + (f", since {date}" if date else "")
    )


def recommendation(record: Overview, fmt: str) -> None:
    """`show`: a record on a terminal (with status lines in words), else the fields."""
    shown: dict[str, object] = dict(record)
    if fmt in ("table", "tsv", "csv"):
        p = domain.plural
        shown["status_line"] = _status_line(
            record["status"], record["status_date"], record["grade"]
        )
        shown["state_line"] = _status_line(record["state_status"], record["state_date"])
        shown["links"] = (
            f"{p(record['actions'], 'action')}, {p(record['evidence'], 'piece')} of evidence "
            f"(see `rectrack history {record['key']}`)"
        )
        if record["overdue"]:
            shown["due"] = f"{record['due']} (overdue)"
    emit_record(shown, SHOW_LABELS, fmt)


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


def removal_question(keys: Sequence[str], assessments: int) -> str:
    p = domain.plural
    with_them = f" and their {p(assessments, 'assessment')}" if assessments else ""
    return f"Delete {p(len(keys), 'recommendation')} ({', '.join(keys)}){with_them}?"


def nothing_removed() -> None:
    say("nothing deleted")


def removed(keys: Sequence[str], assessments: int) -> None:
    with_them = f" ({domain.plural(assessments, 'assessment')} with them)" if assessments else ""
    say(f"deleted {', '.join(keys)}{with_them}")
