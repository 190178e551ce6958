"""Workbooks and CSV files for coalition meetings: what an export holds, and how a
partner's edits come back.

The outside formats live in `rectrack.io.xlsx` and `rectrack.io.csv`; this module gathers
the rows they write and turns the rows they read into a plan of changes, checked whole
before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, select

from rectrack import __version__, domain
from rectrack.dates import format_timestamp, parse_date
from rectrack.db import fetch
from rectrack.errors import RectrackError
from rectrack.io.sheet import (
    CONTROL_CHARACTERS,
    CUT_MARKER,
    LIST_SEPARATOR,
    RECOMMENDATION_COLUMNS,
    ExportData,
    SheetData,
    SheetRow,
)
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    AssessmentEvidence,
    Evidence,
    EvidenceAction,
    EvidenceRecommendation,
    Recommendation,
    utcnow,
)
from rectrack.services.recommendations import (
    RecChanges,
    edit_recommendation,
    filtered_ids,
    recommendation_rows,
)
from rectrack.services.status import StatusQuery, status_report
from rectrack.services.tracking import (
    AssessmentInput,
    action_id,
    action_rows,
    assess,
    current_user,
    evidence_id,
    evidence_rows,
)


def _ids_for(
    session: Session, link: Any, owner: Any, other: Any, ids: Select, label: Callable[[int], str]
) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for rec_id, item in fetch(session, select(owner, other).where(owner.in_(ids)).order_by(other)):
        out[rec_id].append(label(item))
    return out


def describe_filters(filters: dict[str, Any]) -> str:
    parts = []
    for name, value in filters.items():
        if value in (None, (), [], ""):
            continue
        shown = ", ".join(value) if isinstance(value, (list, tuple)) else str(value)
        parts.append(f"{name}: {shown}")
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
    ids = filtered_ids(session, query.filters)
    id_of = dict(
        fetch(
            session, select(Recommendation.key, Recommendation.id).where(Recommendation.id.in_(ids))
        )
    )
    actions = _ids_for(
        session,
        ActionRecommendation,
        ActionRecommendation.recommendation_id,
        ActionRecommendation.action_id,
        ids,
        action_id,
    )
    evidence = _ids_for(
        session,
        EvidenceRecommendation,
        EvidenceRecommendation.recommendation_id,
        EvidenceRecommendation.evidence_id,
        ids,
        evidence_id,
    )
    rows = []
    for row in report["recommendations"]:
        rec_id = id_of[row["key"]]
        row["action_ids"] = actions.get(rec_id, [])
        row["evidence_ids"] = evidence.get(rec_id, [])
        rows.append(row)
    now = utcnow()
    f = query.filters
    filters = {
        "body": f.bodies,
        "country": f.country,
        "document": f.document,
        "theme": f.theme,
        "institution": f.institution,
        "priority": f.priority,
    }
    meta = {
        "tool_version": __version__,
        "schema_version": schema_version,
        "exported_at": format_timestamp(now),
        "export_date": now.date().isoformat(),
        "as_of": report["as_of"],
        "perspective": report["perspective"],
        "group_by": group_by,
        "filters": describe_filters(filters),
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


def linked_actions(session: Session, ids: Select) -> list[dict[str, Any]]:
    """The actions linked to the recommendations."""
    linked = select(ActionRecommendation.action_id).where(
        ActionRecommendation.recommendation_id.in_(ids)
    )
    return action_rows(
        session, session.exec(select(Action).where(Action.id.in_(linked)).order_by(Action.id)).all()
    )


def linked_evidence(session: Session, ids: Select) -> list[dict[str, Any]]:
    """The evidence linked to the recommendations or to their actions."""
    direct = select(EvidenceRecommendation.evidence_id).where(
        EvidenceRecommendation.recommendation_id.in_(ids)
    )
    via_actions = (
        select(EvidenceAction.evidence_id)
        .join(ActionRecommendation, ActionRecommendation.action_id == EvidenceAction.action_id)
        .where(ActionRecommendation.recommendation_id.in_(ids))
    )
    return evidence_rows(
        session,
        session.exec(
            select(Evidence)
            .where(Evidence.id.in_(direct) | Evidence.id.in_(via_actions))
            .order_by(Evidence.id)
        ).all(),
    )


def assessment_rows(session: Session, ids: Select, order: dict[str, int]) -> list[dict[str, Any]]:
    """Every assessment of the recommendations, in the order of `order` (key -> position),
    then by date and by when it was recorded."""
    evidence: dict[int, list[str]] = defaultdict(list)
    for a_id, e_id in fetch(
        session,
        select(AssessmentEvidence.assessment_id, AssessmentEvidence.evidence_id)
        .join(Assessment, Assessment.id == AssessmentEvidence.assessment_id)
        .where(Assessment.recommendation_id.in_(ids)),
    ):
        evidence[a_id].append(evidence_id(e_id))
    a = Assessment
    rows = fetch(
        session,
        select(
            Recommendation.key,
            a.id,
            a.date,
            a.status,
            a.perspective,
            a.grade,
            a.note,
            a.recorded_by,
            a.recorded_at,
        )
        .join(Recommendation, Recommendation.id == a.recommendation_id)
        .where(a.recommendation_id.in_(ids))
        .order_by(a.date, a.recorded_at, a.id),
    )
    out = [
        {
            "key": key,
            "date": date,
            "status": status,
            "perspective": perspective,
            "grade": grade,
            "note": note,
            "evidence": evidence.get(a_id, []),
            "recorded_by": by,
            "recorded_at": format_timestamp(at),
        }
        for key, a_id, date, status, perspective, grade, note, by, at in rows
    ]
    out.sort(key=lambda r: order[r["key"]])  # stable: dates stay in order within a key
    return out


# ---------------------------------------------------------------------------------------
# Import


@dataclass
class RecPlan:
    key: str
    changes: RecChanges
    lines: list[str]
    assessment: AssessmentInput | None = None
    assessment_line: str | None = None


@dataclass
class ImportPlan:
    recommendations: list[RecPlan]
    problems: list[str]
    warnings: list[str]
    perspective: str
    assessor: str

    @property
    def assessments(self) -> int:
        return sum(1 for r in self.recommendations if r.assessment is not None)

    @property
    def edits(self) -> int:
        return sum(len(r.lines) for r in self.recommendations)


def text_of(value: Any) -> str:
    """A cell as text: dates typed in a spreadsheet come back as dates, numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def split_list(value: Any) -> list[str]:
    text = text_of(value)
    items = [" ".join(p.split()) for p in text.replace("\n", ";").split(";")]
    return [i for i in items if i]


def _same_names(a: Sequence[str], b: Sequence[str]) -> bool:
    return sorted(x.casefold() for x in a) == sorted(x.casefold() for x in b)


def _status_value(value: Any) -> str | None:
    text = text_of(value)
    if not text:
        return None
    if domain.choice(text, domain.ALL_STATUSES, "status") == domain.UNKNOWN:
        raise RectrackError(
            f"'{domain.UNKNOWN}' cannot be assessed: it is what no assessment means; "
            f"valid values: {', '.join(domain.STATUSES)}"
        )
    return domain.choice(text, domain.STATUSES, "status")


def plan_import(
    session: Session, sheet: SheetData, perspective: str | None = None, assessor: str | None = None
) -> ImportPlan:
    """Compare the file with the database: what would change, and every problem."""
    perspective = domain.choice(
        perspective or sheet.perspective or "ngo", domain.PERSPECTIVES, "perspective"
    )
    assessor = (assessor or "").strip() or current_user()
    problems = list(sheet.problems)
    warnings: list[str] = []
    default_date = sheet.export_date or dt.date.today().isoformat()
    keys = [text_of(r.cells.get("Key")) for r in sheet.rows]
    known = {k.casefold(): r for k, r in _current(session, [k for k in keys if k]).items()}
    plans: list[RecPlan] = []
    seen: dict[str, int] = {}
    for row, key in zip(sheet.rows, keys, strict=True):
        if not key:
            if any(text_of(v) for v in row.cells.values()):
                problems.append(f"{row.where('Key')}: the row has no key")
            continue
        current = known.get(key.casefold())
        if current is None:
            problems.append(
                f"{row.where('Key')}: no recommendation {key} in this database "
                "(an import never adds recommendations)"
            )
            continue
        if key.casefold() in seen:
            problems.append(
                f"{row.where('Key')}: {current['key']} is already on row {seen[key.casefold()]}"
            )
            continue
        seen[key.casefold()] = row.number
        original = (sheet.originals or {}).get(current["key"].casefold())
        plan = _plan_row(row, current, original, perspective, default_date, problems, warnings)
        if plan is not None:
            plans.append(plan)
    return ImportPlan(plans, problems, warnings, perspective, assessor)


def _current(session: Session, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The editable fields and latest assessments of the named recommendations."""
    if not keys:
        return {}
    from sqlalchemy import func

    folded = {k.casefold() for k in keys}
    ids = select(Recommendation.id).where(
        func.lower(Recommendation.key).in_([k.lower() for k in folded])
    )
    rows = {r["key"]: r for r in recommendation_rows(session, ids)}
    for a in session.exec(
        select(Assessment, Recommendation.key)
        .join(Recommendation, Recommendation.id == Assessment.recommendation_id)
        .where(Assessment.recommendation_id.in_(ids))
    ):
        assessment, key = a
        rows[key].setdefault("assessments", []).append(assessment)
    return rows


def _plan_row(
    row: SheetRow,
    current: dict[str, Any],
    original: dict[str, Any] | None,
    perspective: str,
    default_date: str,
    problems: list[str],
    warnings: list[str],
) -> RecPlan | None:
    key = current["key"]
    changes = RecChanges()
    lines: list[str] = []
    before = len(problems)

    def edited(header: str) -> bool:
        """Changed by the partner: against what was exported, else against the database."""
        if header not in row.cells:
            return False
        if original is None:
            return True
        return text_of(row.cells[header]) != text_of(original.get(header))

    for header, attr in (("Themes", "themes"), ("Institutions", "institutions")):
        if edited(header):
            new = split_list(row.cells[header])
            if any(domain.is_clear(name) for name in new):
                if len(new) > 1:
                    problems.append(
                        f"{row.where(header)}: 'none' clears the {attr}: give it "
                        "alone, or leave the cell empty"
                    )
                    continue
                new = []
            if not _same_names(new, current[attr]):
                setattr(changes, attr, new if new else ["none"])
                lines.append(
                    f"{attr}: {'; '.join(current[attr]) or '(none)'} -> "
                    f"{'; '.join(new) or '(none)'}"
                )
    if edited("Priority"):
        text = text_of(row.cells["Priority"])
        try:
            new = domain.choice(text, domain.PRIORITIES, "priority") if text else None
        except RectrackError as e:
            problems.append(f"{row.where('Priority')}: {e}")
        else:
            if new != current["priority"]:
                changes.priority = new or "none"
                lines.append(f"priority: {current['priority'] or '(none)'} -> {new or '(none)'}")
    if edited("Due"):
        text = text_of(row.cells["Due"])
        try:
            new = parse_date(text).iso if text else None
        except RectrackError as e:
            problems.append(f"{row.where('Due')}: {e}")
        else:
            if new != current["due"]:
                changes.due = new or "none"
                lines.append(f"due: {current['due'] or '(none)'} -> {new or '(none)'}")

    status_text = text_of(row.cells.get("New status"))
    status_header = "New status"
    if not status_text and original is not None and edited("Status"):
        status_text, status_header = text_of(row.cells.get("Status")), "Status"
    assessment = line = None
    if status_text:
        try:
            status = _status_value(status_text)
        except RectrackError as e:
            problems.append(f"{row.where(status_header)}: {e}")
            status = None
        date_text = text_of(row.cells.get("New status date")) or default_date
        try:
            date = parse_date(date_text).iso
        except RectrackError as e:
            problems.append(f"{row.where('New status date')}: {e}")
            date = None
        note = text_of(row.cells.get("Assessment note")) or None
        if status and date and not _already_assessed(current, date, perspective, status, note):
            assessment = AssessmentInput(
                status=status, date=date, perspective=perspective, note=note
            )
            line = f"new assessment: {status} ({perspective}, {date})" + (
                f": {note}" if note else ""
            )
    elif text_of(row.cells.get("New status date")) or text_of(row.cells.get("Assessment note")):
        where = row.where("New status")
        problems.append(f"{where}: a new status date or note needs a New status")

    for header in NOT_IMPORTED:
        if header in row.cells:
            column = next(c for c in RECOMMENDATION_COLUMNS if c.header == header)
            if not _same_cell_text(row.cells[header], _joined(current.get(column.key))):
                warnings.append(
                    f"{row.where(header)}: a change to {header} is not imported "
                    "(use `rectrack edit`)"
                )
    if len(problems) > before or (not lines and assessment is None):
        return None
    return RecPlan(key, changes, lines, assessment, line)


# Register columns an import shows as unchanged when edited; only Themes, Institutions,
# Priority, Due and the assessment columns are taken.
NOT_IMPORTED = ("Body", "Document", "Paragraph", "Date", "Country", "Text", "Response")


def _same_cell_text(cell: Any, value: Any) -> bool:
    """Whether a cell still shows a value as an export wrote it (control characters
    removed, a long text cut with a marker)."""
    shown, stored = text_of(cell), CONTROL_CHARACTERS.sub("", text_of(value))
    if CUT_MARKER in shown:
        kept = shown.split(CUT_MARKER, 1)[0]
        return stored.startswith(kept)
    return shown == stored


def _joined(value: Any) -> Any:
    return LIST_SEPARATOR.join(value) if isinstance(value, list) else value


def _already_assessed(
    current: dict[str, Any], date: str, perspective: str, status: str, note: str | None
) -> bool:
    return any(
        a.date == date
        and a.perspective == perspective
        and a.status == status
        and (a.note or None) == note
        for a in current.get("assessments", [])
    )


def apply_import(session: Session, plan: ImportPlan) -> None:
    """Carry out a plan without problems (the caller's transaction makes it all or nothing)."""
    if plan.problems:
        raise RectrackError("the file has problems; nothing was imported")
    for rec in plan.recommendations:
        if rec.lines:
            edit_recommendation(session, rec.key, rec.changes)
        if rec.assessment is not None:
            rec.assessment.recorded_by = plan.assessor
            assess(session, [rec.key], rec.assessment)
