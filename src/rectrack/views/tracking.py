"""Actions, evidence, assessments and histories: `action ...`, `evidence ...`, `assess`,
`history`."""

from __future__ import annotations

from collections.abc import Sequence

from rectrack import domain
from rectrack.render import (
    Column,
    Row,
    emit_json,
    emit_record,
    emit_rows,
    event_style,
    out,
    say,
    status_text,
)
from rectrack.shapes import (
    ActionDetail,
    ActionRow,
    EvidenceDetail,
    EvidenceRow,
    FileCheck,
    History,
    Recorded,
)


def new_id(ident: str) -> None:
    out(ident)


def file_notice(notice: str | None) -> None:
    """How an evidence file's path was kept, when not as given (on stderr)."""
    if notice:
        say(f"note: {notice}", err=True)


ACTION_COLUMNS = [
    Column("id", "Id", no_wrap=True, style="bold"),
    Column("date", "Date", no_wrap=True),
    Column("kind", "Kind", no_wrap=True),
    Column("title", "Title", ratio=3, min_width=24),
    Column("institution", "Institution", ratio=1, min_terminal=110),
    Column("reference", "Reference", max_width=24, min_terminal=130),
    Column(
        "recommendations",
        "Recommendations",
        ratio=1,
        min_width=16,
        text=lambda r: "\n".join(r["recommendations"]),
    ),
]
ACTION_FIELDS = [
    "id",
    "date",
    "kind",
    "title",
    "institution",
    "reference",
    "url",
    "recommendations",
    "evidence",
]
ACTION_LABELS = [
    ("id", "Action"),
    ("title", "Title"),
    ("kind", "Kind"),
    ("date", "Date"),
    ("institution", "Institution"),
    ("reference", "Reference"),
    ("url", "Link"),
    ("description", "Description"),
    ("recommendations", "Recommendations"),
    ("link_notes", "Notes on links"),
    ("evidence", "Evidence"),
    ("recorded_at", "Recorded"),
]


def action_list(rows: Sequence[ActionRow], fmt: str) -> None:
    emit_rows(
        rows,
        ACTION_COLUMNS,
        fmt,
        fields=ACTION_FIELDS,
        title=domain.plural(len(rows), "action"),
        empty="No actions.",
    )


def action(record: ActionDetail, fmt: str) -> None:
    emit_record(record, ACTION_LABELS, fmt)


def action_linked(ident: str, new: Sequence[str], old: Sequence[str], note: str | None) -> None:
    if new:
        say(f"{ident} linked to {', '.join(new)}")
    if old:
        updated = "; its note on the link is updated" if note else ""
        say(f"{ident} was already linked to {', '.join(old)}{updated}")


def action_unlinked(ident: str, keys: Sequence[str]) -> None:
    say(f"{ident} no longer linked to {', '.join(keys)}")


EVIDENCE_COLUMNS = [
    Column("id", "Id", no_wrap=True, style="bold"),
    Column("date", "Date", no_wrap=True),
    Column("kind", "Kind", no_wrap=True),
    Column("title", "Title", ratio=3, min_width=24),
    Column("source", "Source", ratio=1, min_terminal=110),
    Column(
        "recommendations",
        "Linked to",
        ratio=1,
        min_width=16,
        text=lambda r: "\n".join(r["recommendations"] + r["actions"]),
    ),
]
EVIDENCE_FIELDS = [
    "id",
    "date",
    "kind",
    "title",
    "source",
    "url",
    "file",
    "sha256",
    "recommendations",
    "actions",
]
EVIDENCE_LABELS = [
    ("id", "Evidence"),
    ("title", "Title"),
    ("kind", "Kind"),
    ("date", "Date"),
    ("source", "Source"),
    ("url", "Link"),
    ("file", "File"),
    ("size", "Size"),
    ("sha256", "SHA-256"),
    ("file_state", "File now"),
    ("note", "Note"),
    ("recommendations", "Recommendations"),
    ("actions", "Actions"),
    ("assessments", "Assessments citing it"),
    ("recorded_at", "Recorded"),
]


def evidence_list(rows: Sequence[EvidenceRow], fmt: str) -> None:
    emit_rows(
        rows,
        EVIDENCE_COLUMNS,
        fmt,
        fields=EVIDENCE_FIELDS,
        title=domain.plural(len(rows), "piece") + " of evidence",
        empty="No evidence.",
    )


def evidence(record: EvidenceDetail, fmt: str) -> None:
    emit_record(record, EVIDENCE_LABELS, fmt)


def evidence_linked(ident: str, added: int) -> None:
    say(f"{ident}: {domain.plural(added, 'new link')}")


def evidence_unlinked(ident: str, removed: Sequence[str]) -> None:
    say(f"{ident} no longer linked to {', '.join(removed)}")


def citing_assessments(n: int) -> str:
    return f"{domain.plural(n, 'assessment')} citing it"


def unlink_question(ident: str, linked: Sequence[str]) -> str:
    return f"Delete {ident}? It is linked to {', '.join(linked)}, and those links go with it."


def nothing_removed() -> None:
    say("nothing deleted")


def removed_item(ident: str, unlinked: Sequence[str]) -> None:
    say(f"deleted {ident}" + (f" (unlinked from {', '.join(unlinked)})" if unlinked else ""))


FILE_COLUMNS = [
    Column("id", "Id", no_wrap=True, style="bold"),
    Column("state", "File now", no_wrap=True, style="bold red"),
    Column("file", "File", ratio=2, min_width=20),
    Column("title", "Title", ratio=2, min_width=20, min_terminal=100),
]
FILE_FIELDS = [
    "id",
    "state",
    "file",
    "title",
    "recorded_size",
    "size",
    "recorded_sha256",
    "sha256",
]


def files_checked(checked: int, problems: Sequence[FileCheck], fmt: str) -> None:
    """The evidence files that changed or went missing, one a line; or that all are well."""
    if problems or fmt != "table":
        title = f"{domain.plural(len(problems), 'file')} of {checked} changed or missing"
        emit_rows(problems, FILE_COLUMNS, fmt, fields=FILE_FIELDS, title=title)
    if not problems:
        if checked == 1:
            say("The evidence file is as recorded.", err=True)
        else:
            say(f"All {checked} evidence files are as recorded.", err=True)
    else:
        say("Look at each; `rectrack evidence accept ID` records a change you accept.", err=True)


def file_accepted(accepted: FileCheck) -> None:
    before = f"{accepted['recorded_size']:,} bytes" if accepted["recorded_size"] else "unknown"
    now = f"{accepted['size']:,} bytes" if accepted["size"] is not None else "?"
    say(f"{accepted['id']}: the change to {accepted['file']} is accepted ({before} -> {now})")


def withdrawn(ident: str, row: Recorded) -> None:
    """`S12 withdrawn: Partial (ngo, 2025-04) of CEDAW-2019-24b no longer counts`."""
    from rich.text import Text

    line = Text(f"{ident.upper()} withdrawn: ")
    line.append_text(status_text(row["status"]))
    line.append(f" ({row['perspective']}, {row['date']}) of {row['key']} no longer counts")
    say(line)


def assessed(rows: Sequence[Recorded]) -> None:
    """One line per recommendation assessed, its status in colour."""
    from rich.text import Text

    for row in rows:
        line = Text(f"{row['key']}: ")
        line.append_text(status_text(row["status"]))
        grade = f", grade {row['grade']}" if row["grade"] else ""
        line.append(f" ({row['perspective']}, {row['date']}{grade})")
        say(line)


def _detail_text(row: Row) -> str:
    evidence = f"(evidence: {', '.join(row['evidence'])})" if row["evidence"] else ""
    withdrawn = f"[{row['withdrawn']}]" if row.get("withdrawn") else ""
    return " ".join(x for x in (row["detail"], evidence, withdrawn) if x)


HISTORY_COLUMNS = [
    Column("date", "Date", no_wrap=True, text=lambda r: r["date"] or "undated"),
    Column("type", "Type", no_wrap=True),
    Column("id", "Id", no_wrap=True),
    Column("what", "What", ratio=2, min_width=24, style=event_style),
    Column("detail", "Detail", ratio=3, min_width=20, text=_detail_text),
    Column("by", "By", no_wrap=True, min_terminal=120),
]
HISTORY_FIELDS = ["date", "type", "id", "what", "detail", "evidence", "by", "withdrawn"]


def history(data: History, fmt: str) -> None:
    if fmt == "json":
        emit_json(data)
        return
    emit_rows(
        data["events"],
        HISTORY_COLUMNS,
        fmt,
        fields=HISTORY_FIELDS,
        title=f"{data['key']}: {data['summary']}",
        empty=f"{data['key']}: nothing assessed, acted on or evidenced yet.",
    )
