"""What a workbook or CSV export holds, gathered for the recommendations a query selects.
The files themselves are written by `rectrack.io.xlsx` and `rectrack.io.csv`."""

from __future__ import annotations

from pathlib import PurePath

from sqlmodel import Session

from rectrack import __version__, domain, i18n
from rectrack.dates import format_timestamp
from rectrack.io.sheet import ExportData, in_date_order
from rectrack.models import utcnow
from rectrack.services.rows import (
    assessment_rows,
    linked_actions,
    linked_evidence,
)
from rectrack.services.status import selected, status_report
from rectrack.shapes import ActionRow, EvidenceRow, ExportRow, RecFilter, StatusQuery


def describe_filters(filters: RecFilter, lang: str = "en") -> str:
    """The filters an export was made with, as its Summary and About sheets say them."""
    parts = []
    for name, values in filters.named():
        if values:
            parts.append(f"{i18n.text(f'group.{name}', lang).lower()}: {', '.join(values)}")
    return "; ".join(parts) or i18n.text("summary.none", lang)


def _linked_lines(rows: list[ActionRow] | list[EvidenceRow]) -> dict[str, list[str]]:
    """The line (`A12 Law on ...`) of each action or piece of evidence by the keys it is
    linked to, oldest first and undated last (see `in_date_order`)."""
    out: dict[str, list[str]] = {}
    for item in sorted(rows, key=in_date_order):
        for key in item["recommendations"]:
            out.setdefault(key, []).append(f"{item['id']} {item['title']}")
    return out


def _latest_action(actions: list[ActionRow]) -> dict[str, str]:
    """The latest action of each recommendation, with its date and official reference."""
    latest: dict[str, tuple[str, int, str]] = {}
    for a in actions:
        details = "; ".join(x for x in (a["date"], a["reference"]) if x)
        line = f"{a['id']} {a['title']}" + (f" ({details})" if details else "")
        order = (a["date"] or "", int(a["id"][1:]), line)
        for key in a["recommendations"]:
            if key not in latest or order > latest[key]:
                latest[key] = order
    return {key: order[2] for key, order in latest.items()}


def _shared_file(path: str | None) -> str | None:
    """An evidence file as an export shows it: relative to the database's folder as kept,
    and only its name when it lies elsewhere, so that no local folder travels with it."""
    if not path:
        return None
    return PurePath(path).name if PurePath(path).is_absolute() else path


def default_title(rows: list[ExportRow], lang: str) -> str:
    """`Implementation of recommendations: Serbia (CEDAW, GRETA, TIP)` from what the export
    holds."""
    countries = sorted({r["country"] for r in rows if r["country"]})
    bodies = sorted({r["body"] for r in rows})
    if not rows:
        return i18n.text("title.default", lang)
    what = ", ".join(countries) + (f" ({', '.join(bodies)})" if countries else ", ".join(bodies))
    return i18n.text("title.of", lang).format(what=what)


def export_data(
    session: Session,
    query: StatusQuery,
    group_by: str = "body",
    database: str = "",
    schema_version: int = 0,
    title: str | None = None,
    lang: str = "en",
) -> ExportData:
    """Everything a workbook or CSV export shows, for the recommendations the query selects,
    with its labels in `lang` (en, sr-Latn, sr-Cyrl) and its title (default: from the
    countries and bodies it holds)."""
    group_by = domain.choice(group_by, domain.GROUP_BY, "grouping")
    lang = i18n.language(lang)
    report = status_report(session, query, group_by)
    ids, as_of, _ = selected(session, query)
    day = as_of.isoformat()

    def by_then(date: str | None) -> bool:  # what an export as of a date shows: no later item
        return date is None or date <= day

    actions = [a for a in linked_actions(session, ids) if by_then(a["date"])]
    evidence = [e for e in linked_evidence(session, ids) if by_then(e["date"])]
    action_lines, evidence_lines = _linked_lines(actions), _linked_lines(evidence)
    latest = _latest_action(actions)
    rows: list[ExportRow] = [
        {
            **row,
            "action_lines": action_lines.get(row["key"], []),
            "latest_action": latest.get(row["key"]),
            "evidence_lines": evidence_lines.get(row["key"], []),
        }
        for row in report["recommendations"]
    ]
    for e in evidence:
        e["file"] = _shared_file(e["file"])
    now = utcnow()
    meta = {
        "title": (title or "").strip() or default_title(rows, lang),
        "language": lang,
        "tool_version": __version__,
        "schema_version": schema_version,
        "exported_at": format_timestamp(now),
        "export_date": now.date().isoformat(),
        "as_of": report["as_of"],
        "perspective": report["perspective"],
        "group_by": group_by,
        "filters": describe_filters(query.filters, lang),
        "database": database,
        "recommendations": len(rows),
    }
    return ExportData(
        meta=meta,
        group_by=group_by,
        groups=report["groups"],
        counts=report["counts"],
        recommendations=rows,
        actions=actions,
        evidence=evidence,
        history=[
            h
            for h in assessment_rows(session, ids, {r["key"]: i for i, r in enumerate(rows)})
            if by_then(h["date"])
        ],
        lang=lang,
    )
