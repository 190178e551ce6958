"""Taking partners' edits back from a workbook or CSV file: each New status becomes an
assessment, and edits to the importable columns are applied as `edit` applies them.

The whole file is checked first; every problem is listed with its cell, and nothing is
written unless there are none. A TOML data set is loaded instead (`services.datasets`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.dates import parse_date
from rectrack.errors import BadValue, NearName, Problems, RectrackError
from rectrack.io import formats
from rectrack.io.sheet import (
    CONTROL_CHARACTERS,
    CUT_MARKER,
    LIST_SEPARATOR,
    SheetData,
    SheetRow,
    column,
    split_list,
    text_of,
)
from rectrack.models import Assessment, Recommendation
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.datasets import LoadReport, load_files
from rectrack.services.fields import IMPORTED
from rectrack.services.lookup import INSTITUTIONS, THEMES, ids_of_keys, near_name
from rectrack.services.recommendations import NameEdit, RecChanges, edit_recommendation
from rectrack.services.rows import recommendation_rows
from rectrack.settings import current_user
from rectrack.shapes import Change, NewNames

# Register columns an import shows as unchanged when edited; only Themes, Institutions,
# Priority, Due and the assessment columns are taken.
NOT_IMPORTED = ("Body", "Document", "Paragraph", "Date", "Country", "Text", "Response")


@dataclass
class RecPlan:
    """What an import changes in one recommendation."""

    key: str
    changes: RecChanges = field(default_factory=RecChanges)
    edits: list[Change] = field(default_factory=list)
    assessment: AssessmentInput | None = None


@dataclass
class ImportPlan:
    """What a whole file changes, and the warnings about what it leaves alone."""

    recommendations: list[RecPlan]
    warnings: list[str]
    perspective: str
    assessor: str

    @property
    def assessments(self) -> int:
        return sum(1 for r in self.recommendations if r.assessment is not None)

    @property
    def edits(self) -> int:
        return sum(len(r.edits) for r in self.recommendations)


@dataclass
class _RowOutcome:
    plan: RecPlan | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_file(
    session: Session,
    path: Path,
    fmt: str | None = None,
    perspective: str | None = None,
    assessor: str | None = None,
    new_names: NewNames | None = None,
) -> ImportPlan | LoadReport:
    """Import a file of any format rectrack reads (detected unless `fmt` names it): a data
    set is loaded (LoadReport); a workbook or CSV file is compared with the database and
    its changes applied (ImportPlan). Raises Problems listing every mistake of the file."""
    fmt = formats.import_format(path, fmt)
    if fmt == "toml":
        if perspective or assessor:
            raise BadValue(
                "--by and --assessor are for workbooks and CSV files: a data set "
                "names the perspective and the assessor of each assessment"
            )
        return load_files(session, [path])
    sheet = formats.read_sheet(path, fmt)
    plan = plan_import(session, sheet, perspective, assessor, new_names or NewNames())
    apply_import(session, plan)
    return plan


def plan_import(
    session: Session,
    sheet: SheetData,
    perspective: str | None = None,
    assessor: str | None = None,
    new_names: NewNames | None = None,
) -> ImportPlan:
    """Compare the file with the database: what would change. Raises Problems listing
    every mistake of the file (with the warnings found on the way)."""
    perspective = domain.choice(
        perspective or sheet.perspective or "ngo", domain.PERSPECTIVES, "perspective"
    )
    problems = list(sheet.problems)
    warnings: list[str] = []
    default_date = sheet.export_date or dt.date.today().isoformat()
    vocabulary = Vocabulary(session, new_names or NewNames())
    keys = [text_of(r.cells.get("Key")) for r in sheet.rows]
    known = {k.casefold(): r for k, r in _current(session, [k for k in keys if k]).items()}
    plans: list[RecPlan] = []
    seen: dict[str, int] = {}
    for row, key in zip(sheet.rows, keys, strict=True):
        current = known.get(key.casefold())
        mistake = _row_identity_problem(row, key, current, seen)
        if mistake is not None:
            problems += [mistake] if mistake else []
            continue
        assert current is not None
        seen[key.casefold()] = row.number
        original = (sheet.originals or {}).get(current["key"].casefold())
        outcome = _plan_row(row, current, original, perspective, default_date, vocabulary)
        problems += outcome.problems
        warnings += outcome.warnings
        if outcome.plan is not None:
            plans.append(outcome.plan)
    if problems:
        summary = f"{domain.plural(len(problems), 'problem')}: nothing imported"
        raise Problems(problems, summary, warnings)
    return ImportPlan(plans, warnings, perspective, (assessor or "").strip() or current_user())


def _row_identity_problem(
    row: SheetRow, key: str, current: dict[str, Any] | None, seen: dict[str, int]
) -> str | None:
    """Why a row cannot be imported as a recommendation: "" for a row to pass over quietly
    (empty), a message for a mistake, None when the row names one recommendation once."""
    if not key:
        if any(text_of(v) for v in row.cells.values()):
            return f"{row.where('Key')}: the row has no key"
        return ""
    if current is None:
        return (
            f"{row.where('Key')}: no recommendation {key} in this database "
            "(an import never adds recommendations)"
        )
    if key.casefold() in seen:
        return f"{row.where('Key')}: {current['key']} is already on row {seen[key.casefold()]}"
    return None


def _current(session: Session, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The editable fields and assessments of the named recommendations, by key."""
    if not keys:
        return {}
    ids = ids_of_keys(keys)
    rows: dict[str, dict[str, Any]] = {
        r["key"]: {**r, "assessments": []} for r in recommendation_rows(session, ids)
    }
    found = session.exec(
        select(Assessment, Recommendation.key)
        .join(Recommendation, col(Recommendation.id) == Assessment.recommendation_id)
        .where(col(Assessment.recommendation_id).in_(ids))
    )
    for assessment, key in found:
        rows[key]["assessments"].append(assessment)
    return rows


@dataclass
class Vocabulary:
    """The themes and institutions on record, to catch a misspelt new one in a file."""

    recorded: dict[str, list[str]]
    new_names: NewNames

    def __init__(self, session: Session, new_names: NewNames):
        self.new_names = new_names
        self.recorded = {
            names.what: list(session.exec(select(names.model.name)))
            for names in (THEMES, INSTITUTIONS)
        }

    def problem(self, what: str, name: str) -> str | None:
        """Why a name in the file cannot be taken as it stands, if it cannot."""
        recorded = self.recorded[what]
        if name.casefold() in {r.casefold() for r in recorded}:
            return None
        near = None if self.new_names.allows(what, name) else near_name(name, recorded)
        return str(NearName(what, name, near)) if near else None


def _plan_row(
    row: SheetRow,
    current: dict[str, Any],
    original: dict[str, Any] | None,
    perspective: str,
    default_date: str,
    vocabulary: Vocabulary,
) -> _RowOutcome:
    def edited(header: str) -> bool:
        """Changed by the partner: against what was exported, else against the database."""
        if header not in row.cells:
            return False
        return original is None or text_of(row.cells[header]) != text_of(original.get(header))

    outcome = _RowOutcome(warnings=_not_imported(row, current))
    plan = RecPlan(current["key"])
    for header, what in (("Themes", "themes"), ("Institutions", "institutions")):
        if edited(header):
            _plan_names(row, header, what, current[what], plan, outcome, vocabulary)
    for spec in IMPORTED:
        assert spec.header is not None
        if edited(spec.header):
            try:
                new = spec.value(text_of(row.cells[spec.header]), clearing=False)
            except RectrackError as e:
                outcome.problems.append(f"{row.where(spec.header)}: {e}")
                continue
            if new != current[spec.name]:
                plan.changes.fields[spec.name] = new or "none"
                plan.edits.append(Change(spec.name, current[spec.name], new))
    status_header = "New status"
    if not text_of(row.cells.get(status_header)) and original is not None and edited("Status"):
        status_header = "Status"
    plan.assessment = _plan_assessment(
        row, status_header, current, perspective, default_date, outcome
    )
    if not outcome.problems and (plan.edits or plan.assessment is not None):
        outcome.plan = plan
    return outcome


def _plan_names(
    row: SheetRow,
    header: str,
    what: str,
    before: list[str],
    plan: RecPlan,
    outcome: _RowOutcome,
    vocabulary: Vocabulary,
) -> None:
    new = split_list(row.cells[header])
    found = [vocabulary.problem(what.rstrip("s"), name) for name in new]
    if any(found):
        outcome.problems += [f"{row.where(header)}: {p}" for p in found if p]
        return
    if any(domain.is_clear(name) for name in new):
        if len(new) > 1:
            outcome.problems.append(
                f"{row.where(header)}: 'none' clears the {what}: give it alone, or leave "
                "the cell empty"
            )
            return
        new = []
    if sorted(x.casefold() for x in new) != sorted(x.casefold() for x in before):
        allowed = NameEdit(replace=new or ["none"], new_names=vocabulary.new_names)
        setattr(plan.changes, what, allowed)
        plan.edits.append(Change(what, before, new))


def _status_value(text: str) -> str:
    if domain.choice(text, domain.ALL_STATUSES, "status") == domain.UNKNOWN:
        raise BadValue(
            f"'{domain.UNKNOWN}' cannot be assessed: it is what no assessment means; "
            f"valid values: {', '.join(domain.STATUSES)}"
        )
    return domain.choice(text, domain.STATUSES, "status")


def _plan_assessment(
    row: SheetRow,
    status_header: str,
    current: dict[str, Any],
    perspective: str,
    default_date: str,
    outcome: _RowOutcome,
) -> AssessmentInput | None:
    status_text = text_of(row.cells.get(status_header))
    if not status_text:
        if text_of(row.cells.get("New status date")) or text_of(row.cells.get("Assessment note")):
            outcome.problems.append(
                f"{row.where('New status')}: a new status date or note needs a New status"
            )
        return None
    status = date = None
    try:
        status = _status_value(status_text)
    except RectrackError as e:
        outcome.problems.append(f"{row.where(status_header)}: {e}")
    try:
        date = parse_date(text_of(row.cells.get("New status date")) or default_date).iso
    except RectrackError as e:
        outcome.problems.append(f"{row.where('New status date')}: {e}")
    note = text_of(row.cells.get("Assessment note")) or None
    if status is None or date is None:
        return None
    if any(
        a.date == date
        and a.perspective == perspective
        and a.status == status
        and (a.note or None) == note
        for a in current["assessments"]
    ):
        return None
    return AssessmentInput(status=status, date=date, perspective=perspective, note=note)


def _not_imported(row: SheetRow, current: dict[str, Any]) -> list[str]:
    """Warnings for edits to the columns an import leaves alone."""
    warnings = []
    for header in NOT_IMPORTED:
        if header in row.cells:
            value = current.get(column(header).key or "")
            stored = LIST_SEPARATOR.join(value) if isinstance(value, list) else value
            if not _same_cell_text(row.cells[header], stored):
                warnings.append(
                    f"{row.where(header)}: a change to {header} is not imported "
                    "(use `rectrack edit`)"
                )
    return warnings


def _same_cell_text(cell: Any, value: Any) -> bool:
    """Whether a cell still shows a value as an export wrote it (control characters
    removed, a long text cut with a marker)."""
    shown, stored = text_of(cell), CONTROL_CHARACTERS.sub("", text_of(value))
    if CUT_MARKER in shown:
        return stored.startswith(shown.split(CUT_MARKER, 1)[0])
    return shown == stored


def apply_import(session: Session, plan: ImportPlan) -> None:
    """Carry out a plan (the caller's transaction makes it all or nothing)."""
    for rec in plan.recommendations:
        if rec.edits:
            edit_recommendation(session, rec.key, rec.changes)
        if rec.assessment is not None:
            rec.assessment.recorded_by = plan.assessor
            assess(session, [rec.key], rec.assessment)
