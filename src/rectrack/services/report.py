"""A draft report for a shadow report or a coalition meeting: the recommendations the
filters select, by group, each with its reference, its words, its status from every
perspective, what the state claims against what the NGO found, the actions and the
evidence (as numbered notes); then the overdue follow-ups and what changed since a date.
The files are written by `rectrack.io.report`."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from rectrack import __version__, domain, i18n
from rectrack.dates import format_timestamp
from rectrack.io.report.data import Group, Item, Note, ReportData, Step, View
from rectrack.models import Recommendation, table_of, utcnow
from rectrack.services.clusters import by_key
from rectrack.services.export import describe_filters
from rectrack.services.links import links_of
from rectrack.services.recommendations import in_groups
from rectrack.services.rows import linked_actions, linked_evidence
from rectrack.services.status import due_rows, selected, status_report
from rectrack.services.timeline import changes
from rectrack.shapes import EvidenceRow, StatusQuery, StatusRow

REPORT_GROUPS = ("theme", "cluster", "body", "document", "institution", "country")
WORDS = 600  # characters of a body's words a report quotes


def reference(row: StatusRow) -> str:
    """`CEDAW/C/SRB/CO/4, para. 24(b)`, or the body and date without a document."""
    where = row["document"] or row["body"]
    return f"{where}, para. {row['paragraph']}" if row["paragraph"] else where


def _views(row: StatusRow) -> list[View]:
    values: Any = row
    return [
        View(
            who,
            values[f"{who}_status"],
            values[f"{who}_date"],
            values[f"{who}_grade"],
            values[f"{who}_note"],
        )
        for who in domain.PERSPECTIVES
    ]


class _Notes:
    """Evidence numbered in the order the report first cites it."""

    def __init__(self) -> None:
        self.by_id: dict[str, Note] = {}

    def cite(self, item: EvidenceRow) -> int:
        note = self.by_id.get(item["id"])
        if note is None:
            note = Note(
                len(self.by_id) + 1,
                item["id"],
                item["title"],
                item["kind"],
                item["date"],
                item["source"],
                item["url"],
                item["file"],
            )
            self.by_id[item["id"]] = note
        return note.number


def report_data(
    session: Session,
    query: StatusQuery,
    group_by: str = "theme",
    since: str | None = None,
    title: str | None = None,
    lang: str = "en",
) -> ReportData:
    """Everything a report says, for the recommendations the query selects."""
    group_by = domain.choice(group_by, domain.GROUP_BY, "grouping")
    lang = i18n.language(lang)
    status = status_report(session, query, group_by)
    ids, as_of, perspective = selected(session, query)
    rows = {r["key"]: r for r in status["recommendations"]}
    actions = by_key(linked_actions(session, ids))
    evidence = by_key(linked_evidence(session, ids))
    r = table_of(Recommendation)
    keys_and_ids = r.select().with_only_columns(r.c.key, r.c.id).where(r.c.id.in_(ids))
    rec_ids = {key: rec_id for key, rec_id in session.connection().execute(keys_and_ids)}
    links = links_of(session, list(rec_ids.values()))
    notes = _Notes()

    def item(row: StatusRow) -> Item:
        key = row["key"]
        text = row["text"].strip()
        return Item(
            key=key,
            body=row["body"],
            reference=reference(row),
            date=row["date"],
            summary=row["summary"] or domain.shorten(text, 90),
            words=domain.shorten(" ".join(text.split()), WORDS),
            status=row["status"],
            views=_views(row),
            state_claims_more=row["state_claims_more"],
            due=row["due"],
            overdue=row["overdue"],
            steps=[
                Step(
                    a["id"],
                    a["title"],
                    a["kind"],
                    a["date"],
                    a["reference"],
                    a["institution"],
                    a["url"],
                )
                for a in actions.get(key, [])
            ],
            notes=[notes.cite(e) for e in evidence.get(key, [])],
            links=[
                i18n.text(f"link.{link['kind']}.{link['direction']}", lang).format(key=link["key"])
                for link in links.get(rec_ids[key], [])
            ],
        )

    members: dict[str, list[StatusRow]] = {}
    for row in in_groups(list(rows.values()), group_by):
        members.setdefault(row["group"], []).append(rows[row["key"]])
    groups = []
    for g in status["groups"]:
        ordered = sorted(
            members.get(g["group"], []),
            key=lambda x: (x["date"] is None, x["date"] or "", x["key"]),
        )
        groups.append(Group(g["group"], g["counts"], g["total"], [item(x) for x in ordered]))
    overdue = [
        item(rows[d["key"]])
        for d in due_rows(session, overdue_only=True, filters=query.filters)
        if d["key"] in rows
    ]
    found = changes(session, since, query.filters) if since else None
    return ReportData(
        title=title or i18n.text("report.title", lang),
        lang=lang,
        perspective=perspective,
        group_by=group_by,
        as_of=as_of.isoformat(),
        made_at=format_timestamp(utcnow()),
        filters=describe_filters(query.filters, lang),
        version=__version__,
        counts=status["counts"],
        total=status["total"],
        groups=groups,
        overdue=overdue,
        since=since,
        changes=found,
        notes=sorted(notes.by_id.values(), key=lambda n: n.number),
    )
