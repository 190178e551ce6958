"""A report as Markdown: plain text that reads as it is, and diffs well (one line per
fact, no tables wider than they need be)."""

from __future__ import annotations

import re
from pathlib import Path

from rectrack import domain
from rectrack.io.report import (
    event_line,
    heading,
    made_line,
    place,
    safe_url,
    shown_views,
    status,
    step_line,
    t,
    view_line,
)
from rectrack.io.report.data import Item, ReportData

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """User text as Markdown shows it: characters Markdown would read as markup escaped,
    line breaks as spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _summary(data: ReportData) -> list[str]:
    order = [s for s in domain.STATUS_DISPLAY_ORDER if data.counts.get(s)]
    lines = [
        f"## {t(data, 'report.summary')}",
        "",
        f"| {t(data, 'report.status')} | {t(data, 'report.number')} | {t(data, 'report.share')} |",
        "|---|---:|---:|",
    ]
    shares = domain.shares(data.counts)
    for s in order:
        share = shares.get(s)
        shown = f"{share:.0%}" if share is not None else ""
        lines.append(f"| {status(data, s)} | {data.counts[s]} | {shown} |")
    lines.append(f"| **{t(data, 'report.total')}** | **{data.total}** | |")
    if data.groups:
        group = t(data, f"group.{data.group_by}")
        lines += ["", f"### {t(data, 'report.by', what=group.lower())}", ""]
        header = [group, *(status(data, s) for s in order), t(data, "report.total")]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|---" + "|---:" * (len(header) - 1) + "|")
        for g in data.groups:
            cells = [md(g.name), *(str(g.counts.get(s, 0)) for s in order), str(g.total)]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def _item(data: ReportData, item: Item, level: str = "###") -> list[str]:
    lines = [f"{level} {md(heading(item))}", "", f"*{md(place(data, item))}*", ""]
    lines += [f"> {md(item.words)}", ""]
    for view in shown_views(item):
        note = f": {md(view.note)}" if view.note and view.perspective == "ngo" else ""
        lines.append(f"- {md(view_line(data, view))}{note}")
    if item.state_claims_more:
        lines.append(f"- **{t(data, 'report.gap')}**")
    if item.due:
        overdue = " ⚠" if item.overdue else ""
        lines.append(f"- {t(data, 'report.due', due=item.due)}{overdue}")
    if item.steps:
        lines.append(f"- {t(data, 'report.steps')}:")
        lines += [f"  - {step.id} {md(step_line(step))}" for step in item.steps]
    else:
        lines.append(f"- {t(data, 'report.steps')}: {t(data, 'report.no_steps')}")
    if item.notes:
        refs = ", ".join(f"[{n}]" for n in item.notes)
        lines.append(f"- {t(data, 'report.evidence')}: {refs}")
    if item.links:
        lines.append(f"- {t(data, 'report.linked')}: {md('; '.join(item.links))}")
    return [*lines, ""]


def _changes(data: ReportData) -> list[str]:
    if data.since is None:
        return []
    found = data.changes
    lines = [f"## {t(data, 'report.changes', since=data.since)}", ""]
    if not (found["transitions"] or found["recommendations"]):
        return [*lines, t(data, "report.no_changes", since=data.since), ""]
    if found["transitions"]:
        lines += [f"### {t(data, 'report.moved')}", ""]
        for move in found["transitions"]:
            who = t(data, f"report.view.{move['perspective']}")
            change = f"{status(data, move['before'])} → {status(data, move['after'])}"
            lines.append(f"- {move['key']}: {who}: {change} ({move['date'] or ''})")
        lines.append("")
    for group in found["recommendations"]:
        lines.append(f"- **{group['key']}** {md(group['summary'])}")
        for event in group["events"]:
            lines.append(f"  - {md(event_line(data, event))}")
    return [*lines, ""]


def markdown(data: ReportData) -> str:
    lines = [f"# {md(data.title)}", "", f"*{md(made_line(data))}*", ""]
    lines += [f"*{md(t(data, 'report.selection', filters=data.filters))}*", ""]
    lines += [*_summary(data), ""]
    if not data.groups:
        lines += [t(data, "report.empty"), ""]
    for group in data.groups:
        lines += [f"## {md(group.name)}", ""]
        for item in group.items:
            lines += _item(data, item)
    lines += [f"## {t(data, 'report.overdue')}", ""]
    if data.overdue:
        for item in data.overdue:
            due = t(data, "report.due", due=item.due)
            where = md(item.reference)
            lines.append(
                f"- **{item.key}** {md(item.summary)} ({where}): {due}; {status(data, item.status)}"
            )
    else:
        lines.append(t(data, "report.no_overdue"))
    lines += ["", *_changes(data)]
    if data.notes:
        lines += [f"## {t(data, 'report.notes')}", ""]
        for note in data.notes:
            parts = [md(note.title), note.kind.replace("_", " "), md(note.source or "")]
            parts.append(note.date or "")
            text = ", ".join(p for p in parts if p)
            given = note.url or note.file
            link = safe_url(given)
            if link:
                shown = " <" + link.replace(" ", "%20").replace(">", "%3E") + ">"
            else:
                shown = f" ({md(given)})" if given else ""
            lines.append(f"{note.number}. {text}{shown}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(path: Path, data: ReportData) -> None:
    path.write_text(markdown(data), encoding="utf-8")
