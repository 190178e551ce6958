"""A report as one self-contained HTML file: no script, no font or image fetched from
anywhere, a chart of statuses by group drawn as inline SVG; made to read on a screen and
to print on A4 (each recommendation kept on one page where it fits)."""

from __future__ import annotations

from html import escape
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

STYLE = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --gap: #b42318; }
* { box-sizing: border-box; }
body { font: 11pt/1.5 "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); max-width: 52rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem;
  margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .2rem; }
.meta { color: var(--muted); margin: .1rem 0; }
table { border-collapse: collapse; margin: .6rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .6rem; text-align: left;
  vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
article { border-left: 4px solid var(--rule); padding: .2rem 0 .2rem .9rem; margin: 1.2rem 0;
  break-inside: avoid; page-break-inside: avoid; }
.place { color: var(--muted); font-size: .95em; }
blockquote { margin: .4rem 0; padding: .3rem .8rem; background: #f6f8fa; border-radius: 4px; }
ul { margin: .3rem 0; padding-left: 1.2rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .7rem; color: #fff;
  font-size: .85em; font-weight: 600; white-space: nowrap; }
.gap { color: var(--gap); font-weight: 600; }
sup a { text-decoration: none; }
.notes li { margin: .2rem 0; word-break: break-word; }
.chart text { font: 12px "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; }
  .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _badge(data: ReportData, code: str) -> str:
    colour = domain.STATUS_COLOURS[code]
    return f'<span class="badge" style="background:#{colour}">{escape(status(data, code))}</span>'


def _chart(data: ReportData) -> str:
    """A stacked bar of statuses for each group, with a legend: inline SVG."""
    order = [s for s in domain.STATUS_DISPLAY_ORDER if any(g.counts.get(s) for g in data.groups)]
    if not data.groups or not order:
        return ""
    label_width, bar_width, row = 220, 400, 24
    width = label_width + bar_width + 50
    # The legend, wrapped onto as many lines as the chart's width needs.
    legend: list[tuple[float, int, str]] = []
    x, line = float(label_width), 0
    for s in order:
        room = 24 + 7 * len(status(data, s))
        if x + room > width and x > label_width:
            x, line = float(label_width), line + 1
        legend.append((x, line, s))
        x += room
    height = row * len(data.groups) + 24 + 18 * (line + 1)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(t(data, "report.chart"))}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, group in enumerate(data.groups):
        y = i * row + 4
        name = group.name if len(group.name) <= 32 else group.name[:31] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end">{escape(name)}</text>'
        )
        x = float(label_width)
        for s in order:
            n = group.counts.get(s, 0)
            if not n or not group.total:
                continue
            w = bar_width * n / group.total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" '
                f'fill="#{domain.STATUS_COLOURS[s]}"><title>{escape(status(data, s))}: {n}'
                "</title></rect>"
            )
            if w > 14:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 13}" text-anchor="middle" '
                    f'fill="#fff">{n}</text>'
                )
            x += w
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 13}">{group.total}</text>')
    for x, line, s in legend:
        y = row * len(data.groups) + 18 + 18 * line
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10}" width="10" height="10" '
            f'fill="#{domain.STATUS_COLOURS[s]}"/>'
        )
        parts.append(f'<text x="{x + 14:.1f}" y="{y}">{escape(status(data, s))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _summary(data: ReportData) -> list[str]:
    order = [s for s in domain.STATUS_DISPLAY_ORDER if data.counts.get(s)]
    shares = domain.shares(data.counts)
    rows = "".join(
        f"<tr><td>{_badge(data, s)}</td><td class=n>{data.counts[s]}</td>"
        f"<td class=n>{(f'{shares[s]:.0%}' if shares.get(s) is not None else '')}</td></tr>"
        for s in order
    )
    out = [
        f"<h2>{escape(t(data, 'report.summary'))}</h2>",
        f"<table><thead><tr><th>{escape(t(data, 'report.status'))}</th>"
        f"<th class=n>{escape(t(data, 'report.number'))}</th>"
        f"<th class=n>{escape(t(data, 'report.share'))}</th></tr></thead><tbody>{rows}"
        f"<tr><th>{escape(t(data, 'report.total'))}</th><th class=n>{data.total}</th><th></th>"
        "</tr></tbody></table>",
    ]
    if data.groups:
        group = t(data, f"group.{data.group_by}")
        out.append(f"<h3>{escape(t(data, 'report.by', what=group.lower()))}</h3>")
        out.append(_chart(data))
    return out


def _item(data: ReportData, item: Item, anchored: set[str]) -> str:
    """A recommendation; the first time it appears it is the target of links to it (a
    recommendation in several groups appears in each)."""
    anchor = f' id="{escape(item.key)}"' if item.key not in anchored else ""
    anchored.add(item.key)
    parts = [
        f"<article{anchor}>",
        f"<h3>{escape(heading(item))}</h3>",
        f'<div class="place">{escape(place(data, item))}</div>',
        f"<blockquote>{escape(item.words)}</blockquote>",
        "<ul>",
    ]
    for view in shown_views(item):
        note = f": {escape(view.note)}" if view.note and view.perspective == "ngo" else ""
        label = f"{t(data, f'report.view.{view.perspective}')}: "
        rest = view_line(data, view)[len(label) + len(status(data, view.status)) :]
        parts.append(f"<li>{escape(label)}{_badge(data, view.status)}{escape(rest)}{note}</li>")
    if item.state_claims_more:
        parts.append(f'<li class="gap">{escape(t(data, "report.gap"))}</li>')
    if item.due:
        warn = " ⚠" if item.overdue else ""
        parts.append(f"<li>{escape(t(data, 'report.due', due=item.due))}{warn}</li>")
    if item.steps:
        steps = "".join(
            f"<li>{escape(step.id)} "
            + (
                f'<a href="{escape(url)}">{escape(step_line(step))}</a>'
                if (url := safe_url(step.url))
                else escape(step_line(step))
            )
            + "</li>"
            for step in item.steps
        )
        parts.append(f"<li>{escape(t(data, 'report.steps'))}:<ul>{steps}</ul></li>")
    else:
        parts.append(
            f"<li>{escape(t(data, 'report.steps'))}: {escape(t(data, 'report.no_steps'))}</li>"
        )
    if item.notes:
        refs = ", ".join(f'<sup><a href="#note-{n}">{n}</a></sup>' for n in item.notes)
        parts.append(f"<li>{escape(t(data, 'report.evidence'))}: {refs}</li>")
    if item.links:
        parts.append(
            f"<li>{escape(t(data, 'report.linked'))}: {escape('; '.join(item.links))}</li>"
        )
    parts.append("</ul></article>")
    return "".join(parts)


def _changes(data: ReportData) -> list[str]:
    if data.since is None:
        return []
    found = data.changes
    out = [f"<h2>{escape(t(data, 'report.changes', since=data.since))}</h2>"]
    if not (found["transitions"] or found["recommendations"]):
        return [*out, f"<p>{escape(t(data, 'report.no_changes', since=data.since))}</p>"]
    if found["transitions"]:
        out.append(f"<h3>{escape(t(data, 'report.moved'))}</h3><ul>")
        for move in found["transitions"]:
            who = t(data, f"report.view.{move['perspective']}")
            out.append(
                f"<li>{escape(move['key'])}: {escape(who)}: {_badge(data, move['before'])} → "
                f"{_badge(data, move['after'])} ({escape(move['date'] or '')})</li>"
            )
        out.append("</ul>")
    out.append("<ul>")
    for group in found["recommendations"]:
        events = "".join(f"<li>{escape(event_line(data, e))}</li>" for e in group["events"])
        out.append(
            f"<li><b>{escape(group['key'])}</b> {escape(group['summary'])}<ul>{events}</ul></li>"
        )
    out.append("</ul>")
    return out


def html(data: ReportData) -> str:
    lang = {"sr-Cyrl": "sr-Cyrl", "sr-Latn": "sr-Latn"}.get(data.lang, "en")
    body = [
        f"<h1>{escape(data.title)}</h1>",
        f'<p class="meta">{escape(made_line(data))}</p>',
        f'<p class="meta">{escape(t(data, "report.selection", filters=data.filters))}</p>',
        *_summary(data),
    ]
    if not data.groups:
        body.append(f"<p>{escape(t(data, 'report.empty'))}</p>")
    anchored: set[str] = set()
    for group in data.groups:
        body.append(f"<h2>{escape(group.name)}</h2>")
        body += [_item(data, item, anchored) for item in group.items]
    body.append(f"<h2>{escape(t(data, 'report.overdue'))}</h2>")
    if data.overdue:
        body.append("<ul>")
        for item in data.overdue:
            due = t(data, "report.due", due=item.due)
            body.append(
                f'<li><a href="#{escape(item.key)}">{escape(item.key)}</a> '
                f"{escape(item.summary)} ({escape(item.reference)}): {escape(due)}; "
                f"{_badge(data, item.status)}</li>"
            )
        body.append("</ul>")
    else:
        body.append(f"<p>{escape(t(data, 'report.no_overdue'))}</p>")
    body += _changes(data)
    if data.notes:
        body.append(f'<h2>{escape(t(data, "report.notes"))}</h2><ol class="notes">')
        for note in data.notes:
            parts = [note.title, note.kind.replace("_", " "), note.source or "", note.date or ""]
            text = escape(", ".join(p for p in parts if p))
            link = note.url or note.file
            target = safe_url(link)
            shown = f' <a href="{escape(target)}">{escape(target)}</a>' if target else ""
            if link and not target:
                shown = f" {escape(link)}"
            body.append(f'<li id="note-{note.number}">{text}.{shown}</li>')
        body.append("</ol>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="rectrack {escape(data.version)}">\n'
        f"<title>{escape(data.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_html(path: Path, data: ReportData) -> None:
    path.write_text(html(data), encoding="utf-8")
