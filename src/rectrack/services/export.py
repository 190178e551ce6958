"""What a workbook or CSV export holds, gathered for the recommendations a query selects.
The files themselves are written by `rectrack.io.xlsx` and `rectrack.io.csv`."""

from __future__ import annotations

from sqlmodel import Session, col, select

from rectrack import __version__, domain
from rectrack.dates import format_timestamp
from rectrack.io.sheet import ExportData
from rectrack.models import (
    ActionRecommendation,
    EvidenceRecommendation,
    Recommendation,
    utcnow,
)
from rectrack.services.lookup import IdSelect, action_id, evidence_id, linked
from rectrack.services.rows import (
    assessment_rows,
    linked_actions,
    linked_evidence,
)
from rectrack.services.status import selected, status_report
from rectrack.shapes import ExportRow, RecFilter, StatusQuery


def describe_filters(filters: RecFilter) -> str:
    """The filters an export was made with, as its About sheet says them."""
    parts = []
    for name, values in filters.named():
        if values:
            parts.append(f"{name}: {', '.join(values)}")
    return "; ".join(parts) or "none"


def export_data(
    session: Session,
    query: StatusQuery,
    group_by: str = "body",
    database: str = "",
    schema_version: int = 0,
) -> ExportData:
    """Everything a workbook or CSV export shows, for the recommendations the query selects."""
    group_by = domain.choice(group_by, domain.GROUP_BY, "grouping")
    report = status_report(session, query, group_by)
    ids, _, _ = selected(session, query)
    a, e = ActionRecommendation, EvidenceRecommendation
    actions = linked(session, a.recommendation_id, a.action_id, ids, action_id)
    evidence = linked(session, e.recommendation_id, e.evidence_id, ids, evidence_id)
    id_of = _ids_by_key(session, ids)
    rows: list[ExportRow] = [
        {
            **row,
            "action_ids": actions.get(id_of[row["key"]], []),
            "evidence_ids": evidence.get(id_of[row["key"]], []),
        }
        for row in report["recommendations"]
    ]
    now = utcnow()
    meta = {
        "tool_version": __version__,
        "schema_version": schema_version,
        "exported_at": format_timestamp(now),
        "export_date": now.date().isoformat(),
        "as_of": report["as_of"],
        "perspective": report["perspective"],
        "group_by": group_by,
        "filters": describe_filters(query.filters),
        "database": database,
        "recommendations": len(rows),
    }
    return ExportData(
        meta=meta,
        group_by=group_by,
        groups=report["groups"],
        counts=report["counts"],
        recommendations=rows,
        actions=linked_actions(session, ids),
        evidence=linked_evidence(session, ids),
        history=assessment_rows(session, ids, {r["key"]: i for i, r in enumerate(rows)}),
    )


def _ids_by_key(session: Session, ids: IdSelect) -> dict[str, int]:
    rec_id = col(Recommendation.id)
    found = session.exec(select(Recommendation.key, rec_id).where(rec_id.in_(ids)))
    return {key: number for key, number in found if number is not None}
