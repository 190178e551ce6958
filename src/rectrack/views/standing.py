"""Where things stand: `status`, `due`, `changes`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rectrack import domain
from rectrack.render import (
    Column,
    Row,
    blank_line,
    emit_json,
    emit_rows,
    emit_status_summary,
    event_style,
    say,
    status_column,
    status_style,
    terminal_width,
)
from rectrack.shapes import Changes, DueRow, StatusReport, Transition
from rectrack.views.register import EMPTY_REGISTER

plural = domain.plural


@dataclass(frozen=True)
class StatusView:
    """How `status` was asked to show its report."""

    group_by: str | None = None
    compare: bool = False
    summary: bool = False
    filtered: bool = False  # some filter was given


def status(report: StatusReport, fmt: str, view: StatusView) -> None:
    """The status report: JSON whole, a terminal summary with tables, or rows for scripts."""
    if fmt == "json":
        shown: Any = dict(report)
        if view.summary:
            shown.pop("recommendations")
        emit_json(shown)
    elif fmt == "table":
        _status_on_terminal(report, view)
    else:
        _status_for_machines(report, fmt, view)


def _matrix(report: StatusReport) -> list[dict[str, Any]]:
    return [{"group": g["group"], **g["counts"], "total": g["total"]} for g in report["groups"]]


def _matrix_columns(report: StatusReport, group_by: str, narrow: bool) -> list[Column]:
    labels = domain.STATUS_SHORT_LABELS if narrow else domain.STATUS_LABELS
    longest_word = max(
        (len(w) for g in report["groups"] for w in str(g["group"]).split()), default=5
    )
    return [
        Column("group", group_by.capitalize(), style="bold", min_width=min(longest_word, 20)),
        *(
            Column(
                st,
                labels[st],
                justify="right",
                style=status_style(st),
                min_width=max(map(len, labels[st].split())),
            )
            for st in domain.STATUS_DISPLAY_ORDER
        ),
        Column("total", "Total", justify="right", style="bold"),
    ]


STATUS_FIELDS = [
    "key",
    "body",
    "paragraph",
    "summary",
    "status",
    "since",
    "status_date",
    "grade",
    "actions",
    "evidence",
    "due",
    "overdue",
]
COMPARE_FIELDS = [
    "key",
    "body",
    "summary",
    "ngo_status",
    "ngo_date",
    "state_status",
    "state_date",
    "state_claims_more",
]


def _status_for_machines(report: StatusReport, fmt: str, view: StatusView) -> None:
    if view.group_by:
        emit_rows(_matrix(report), _matrix_columns(report, view.group_by, False), fmt)
    elif view.summary:
        counts = report["counts"]
        shares = domain.shares(counts)
        rows = [
            {
                "status": st,
                "label": domain.STATUS_LABELS[st],
                "count": counts[st],
                "share": None if shares[st] is None else round(shares[st] or 0, 4),
            }
            for st in domain.STATUS_DISPLAY_ORDER
        ]
        emit_rows(rows, [], fmt, fields=["status", "label", "count", "share"])
    else:
        fields = COMPARE_FIELDS if view.compare else STATUS_FIELDS
        emit_rows(report["recommendations"], [], fmt, fields=fields)


def _due_text(row: Row) -> str:
    return (row["due"] or "") + ("!" if row["overdue"] else "")


def _overdue_style(row: Row) -> str | None:
    return "bold red" if row["overdue"] else None


STATUS_COLUMNS = [
    Column("key", "Key", no_wrap=True, style="bold"),
    Column("paragraph", "Para", no_wrap=True, min_terminal=110),
    Column("summary", "Summary", ratio=1, min_width=20),
    Column(
        "status",
        "Status",
        no_wrap=True,
        style=lambda r: status_style(r["status"]),
        text=lambda r: r["status_label"] + (f" ({r['grade']})" if r["grade"] else ""),
    ),
    Column("since", "Since", no_wrap=True, min_terminal=100),
    Column("actions", "Act.", justify="right", min_terminal=100),
    Column("evidence", "Evid.", justify="right", min_terminal=100),
    Column("due", "Due", no_wrap=True, text=_due_text, style=_overdue_style),
]
COMPARE_COLUMNS = [
    Column("key", "Key", no_wrap=True, style="bold"),
    Column("summary", "Summary", ratio=1, min_width=20),
    status_column("ngo_status", "NGO"),
    Column("ngo_since", "since", no_wrap=True, min_terminal=110),
    status_column("state_status", "State claims"),
    Column("state_since", "since", no_wrap=True, min_terminal=110),
    Column(
        "state_claims_more",
        "Gap",
        no_wrap=True,
        style="bold red",
        text=lambda r: "▲ more" if r["state_claims_more"] else "",
    ),
]


def _status_on_terminal(report: StatusReport, view: StatusView) -> None:
    total = report["total"]
    if total == 0 and not view.filtered:
        say(EMPTY_REGISTER, err=True)
        return
    who = domain.PERSPECTIVE_LABELS[report["perspective"]]
    title = f"Status on {report['as_of']}, {who}: {plural(total, 'recommendation')}"
    emit_status_summary(report["counts"], title)
    if view.group_by:
        blank_line()
        narrow = terminal_width() < 110
        columns = _matrix_columns(report, view.group_by, narrow)
        emit_rows(_matrix(report), columns, "table", title=f"By {view.group_by}")
    if view.summary:
        return
    blank_line()
    rows = list(report["recommendations"])
    if view.compare:
        claims = sum(r["state_claims_more"] for r in rows)
        title = (
            f"State's claims against the NGO assessment: {claims} "
            f"{'recommendation' if claims == 1 else 'recommendations'} where the state claims more"
        )
        emit_rows(rows, COMPARE_COLUMNS, "table", title=title)
    else:
        emit_rows(rows, STATUS_COLUMNS, "table", empty="No recommendations match.")


def _when(row: Row) -> str:
    d = row["days"]
    if d < 0:
        return f"overdue {plural(-d, 'day')}"
    return "today" if d == 0 else f"in {plural(d, 'day')}"


DUE_COLUMNS = [
    Column("due", "Due", no_wrap=True),
    Column(
        "when",
        "When",
        no_wrap=True,
        style=lambda r: "bold red" if r["overdue"] else "yellow",
    ),
    Column("key", "Key", no_wrap=True, style="bold"),
    Column("summary", "Summary", ratio=1, min_width=20),
    status_column("status", "Status (NGO)"),
]
DUE_FIELDS = ["due", "when", "overdue", "key", "body", "summary", "status"]


def due(rows: Iterable[DueRow], fmt: str, within: str, overdue_only: bool) -> None:
    """The follow-ups due: a table laid out whole on a terminal, rows streamed for scripts."""
    shown: Iterable[Row] = ({**r, "when": _when(r)} for r in rows)
    window = "overdue" if overdue_only else f"overdue or due within {within}"
    title = None
    if fmt == "table":
        shown = list(shown)
        title = f"{plural(len(shown), 'follow-up')} {window}"
    emit_rows(
        shown,
        DUE_COLUMNS,
        fmt,
        fields=DUE_FIELDS,
        title=title,
        empty="Nothing overdue." if overdue_only else f"Nothing overdue or due within {within}.",
    )


def _undated(row: Row) -> str:
    return row["date"] or "undated"


CHANGES_COLUMNS = [
    Column(
        "key",
        "Key",
        no_wrap=True,
        style="bold",
        text=lambda r: r["key"] if r["first"] else "",
    ),
    Column("date", "Date", no_wrap=True, text=_undated),
    Column("type", "Type", no_wrap=True),
    Column("what", "What", ratio=2, min_width=24, style=event_style),
    Column("detail", "Detail", ratio=2, min_width=16, min_terminal=110),
]
CHANGES_FIELDS = ["key", "date", "type", "id", "what", "detail", "by", "recorded"]


def transition_text(t: Transition) -> str:
    """`In progress -> Partial (ngo, 2025-10)`."""
    labels = domain.STATUS_LABELS
    when = f", {t['date']}" if t["date"] else ""
    return f"{labels[t['before']]} -> {labels[t['after']]} ({t['perspective']}{when})"


TRANSITION_COLUMNS = [
    Column("key", "Key", no_wrap=True, style="bold"),
    Column("what", "Status", ratio=2, min_width=24, style=lambda r: status_style(r["after"])),
    Column("summary", "Summary", ratio=2, min_width=16, min_terminal=100),
]


def changes(found: Changes, fmt: str) -> None:
    """What moved since a date: first the statuses that moved, then each recommendation's
    new actions, evidence and assessments, one section each."""
    if fmt == "json":
        emit_json(found)
        return
    groups = found["recommendations"]
    summaries = {g["key"]: g["summary"] for g in groups}
    moved = [
        {**t, "what": transition_text(t), "summary": summaries.get(t["key"], "")}
        for t in found["transitions"]
    ]
    flat = [
        {**e, "summary": g["summary"], "first": i == 0, "last": i == len(g["events"]) - 1}
        for g in groups
        for i, e in enumerate(g["events"])
    ]
    since = found["since"]
    how = "recorded" if found["selected_by"] == "recorded" else "dated"
    if fmt != "table":
        status_rows = [{"key": t["key"], "date": t["date"], "type": "status", **t} for t in moved]
        emit_rows([*status_rows, *flat], [], fmt, fields=CHANGES_FIELDS)
        return
    if not flat:
        say(f"Nothing {how} since {since}.", err=True, style="dim")
        return
    if moved:
        title = f"Statuses that moved since {since}: {plural(len(moved), 'change')}"
        emit_rows(moved, TRANSITION_COLUMNS, fmt, title=title)
        blank_line()
    emit_rows(
        flat,
        CHANGES_COLUMNS,
        fmt,
        title=f"{how.capitalize()} since {since}: {plural(len(groups), 'recommendation')}",
        sections="last",
    )
