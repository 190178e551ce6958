"""Taking partners' edits back from a workbook or CSV file: each New status becomes an
assessment, and edits to the importable columns are applied as `edit` applies them.

The whole file is checked in one pass; every problem is listed with its cell, and nothing
is written unless there are none. Labels are read in any language of the export, codes as
well. A TOML data set is loaded instead (`services.datasets`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from rectrack import domain, i18n
from rectrack.dates import not_before, not_in_future, parse_date
from rectrack.errors import BadValue, NearName, Problems, RectrackError
from rectrack.io import formats
from rectrack.io.sheet import (
    CONTROL_CHARACTERS,
    CUT_MARKER,
    INPUT_IDS,
    LIST_SEPARATOR,
    REGISTER_IDS,
    SheetData,
    SheetRow,
    column,
    split_list,
    text_of,
)
from rectrack.models import Assessment, Body, Document, Recommendation
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.bulk import BulkReport
from rectrack.services.datasets import LoadReport, load_files
from rectrack.services.fields import IMPORTED, SEEN_AFTER, check_due
from rectrack.services.lookup import INSTITUTIONS, THEMES, ids_of_keys, near_name
from rectrack.services.recommendations import NameEdit, RecChanges, edit_recommendation
from rectrack.services.rows import recommendation_columns
from rectrack.services.sources import SourceOptions, import_source
from rectrack.services.status import rows_at
from rectrack.settings import current_user
from rectrack.shapes import Change, NewNames

PROBLEMS_SHOWN = 50  # problems of a file listed before "and N more"

# Register columns an import leaves alone, with a warning when they were edited; only
# Themes, Institutions, Priority, Due and the assessment columns are taken.
NOT_IMPORTED = REGISTER_IDS
NO_ORIGINAL = (
    "{source} has no Original sheet (it was deleted, or the file was rebuilt): only New "
    "status, New status date and Assessment note are imported, because without it an edit "
    "could not be told from a change made in the database since the export; Themes, "
    "Institutions, Priority, Due and the Status drop-down are left alone"
)


@dataclass
class RecPlan:
    """What an import changes in one recommendation; `before` is its status from the
    import's perspective, for the dry run to show beside the new one."""

    key: str
    changes: RecChanges = field(default_factory=RecChanges)
    edits: list[Change] = field(default_factory=list)
    assessment: AssessmentInput | None = None
    before: str = domain.UNKNOWN


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


@dataclass(frozen=True)
class _Stated:
    """An assessment a file gives for a key, and the cell that gives it: a second one for
    the same key must say the same."""

    assessment: AssessmentInput
    where: str

    def agrees(self, other: AssessmentInput) -> bool:
        first = self.assessment
        return (first.status, first.date, first.note) == (other.status, other.date, other.note)


@dataclass
class _RowOutcome:
    plan: RecPlan | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stated: _Stated | None = None  # the assessment the row gives, recorded already or not


def import_file(
    session: Session,
    path: Path,
    fmt: str | None = None,
    perspective: str | None = None,
    assessor: str | None = None,
    new_names: NewNames | None = None,
    source: SourceOptions | None = None,
) -> ImportPlan | LoadReport | BulkReport:
    """Import a file of any format rectrack reads (detected unless `fmt` names it): a data
    set is loaded (LoadReport); an export of UPR Info or UHRI, or a mapped table, is loaded
    (BulkReport); a workbook or CSV file of rectrack's is compared with the database and
    its changes applied (ImportPlan). Raises Problems listing every mistake of the file."""
    source = source or SourceOptions()
    fmt = formats.import_format(path, fmt, source.mapped, source.encoding)
    if fmt in formats.OUTSIDE_FORMATS:
        source.perspective = perspective
        source.assessor = assessor
        source.new_names = new_names
        return import_source(session, path, fmt, source)
    _refuse_source_options(fmt, source)
    if fmt == "toml":
        if perspective or assessor:
            raise BadValue(
                "--by and --assessor are for workbooks and CSV files: a data set "
                "names the perspective and the assessor of each assessment"
            )
        return load_files(session, [path], new_names)
    sheet = formats.read_sheet(path, fmt)
    plan = plan_import(session, sheet, perspective, assessor, new_names or NewNames())
    apply_import(session, plan)
    return plan


def _refuse_source_options(fmt: str, source: SourceOptions) -> None:
    """The options of outside sources mean nothing for rectrack's own files: refused."""
    given = [
        name
        for name, value in (
            ("--map", source.maps),
            ("--map-file", source.map_file),
            ("--body", source.body),
            ("--split-on", source.split_on),
            ("--status-map", source.status_map),
            ("--save-map", source.save_map),
            ("--country", source.country),
            ("--merge-duplicates", source.merge_duplicates),
            ("--skip-bad", source.skip_bad),
            ("--encoding", source.encoding),
        )
        if value
    ]
    if given:
        what = "a data set" if fmt == "toml" else "a workbook or CSV file from `rectrack export`"
        raise BadValue(
            f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} for files from outside "
            f"(--format upr-info, uhri or table), not for {what}"
        )


@dataclass
class _Context:
    """What every row of a file is read against."""

    perspective: str
    default_date: str
    vocabulary: Vocabulary
    edits_allowed: bool  # False for a workbook of rectrack's that lost its Original sheet
    lang: str = "en"  # the file's language, which a message lists statuses in


def plan_import(
    session: Session,
    sheet: SheetData,
    perspective: str | None = None,
    assessor: str | None = None,
    new_names: NewNames | None = None,
) -> ImportPlan:
    """Compare the file with the database: what would change. Raises Problems listing
    every mistake of the file (with the warnings found on the way). The sheet's rows are
    read once, as they come, and the sheet is closed at the end."""
    try:
        return _plan_import(session, sheet, perspective, assessor, new_names)
    finally:
        sheet.close()


def _plan_import(
    session: Session,
    sheet: SheetData,
    perspective: str | None,
    assessor: str | None,
    new_names: NewNames | None,
) -> ImportPlan:
    perspective = domain.choice(
        perspective or sheet.perspective or "ngo", domain.PERSPECTIVES, "perspective"
    )
    edits_allowed = not (sheet.from_rectrack and sheet.originals is None)
    context = _Context(
        perspective,
        sheet.export_date or dt.date.today().isoformat(),
        Vocabulary(session, new_names or NewNames()),
        edits_allowed,
        sheet.lang,
    )
    planner = _Planner(session, sheet.originals or {}, context)
    planner.problems += sheet.problems
    planner.warnings += sheet.warnings
    if not edits_allowed:
        planner.warnings.append(NO_ORIGINAL.format(source=sheet.source))
    planner.plan_rows(sheet.rows)
    planner.plan_meeting(sheet.meeting)
    problems, warnings = planner.problems, planner.warnings
    if problems:
        summary = f"{domain.plural(len(problems), 'problem')}: nothing imported"
        raise Problems(_capped(problems), summary, _capped(warnings, "warning"))
    who = (assessor or "").strip() or current_user()
    return ImportPlan(list(planner.plans.values()), warnings, perspective, who)


# Rows are read in chunks: the keys of a chunk are looked up in one query (SQLite took at
# most 999 values in one statement before 3.32), and only the rows that may say something
# (an edit, a new status, a mistake) are compared with their recommendation in full, a
# batch at a time (a status query names each id four times: 4 x 200 values).
KEYS_AT_ONCE = 900
IDS_AT_ONCE = 200
# The columns whose edits an import takes, as the Original sheet remembers them.
_TAKEN = ("themes", "institutions", *(s.header for s in IMPORTED if s.header), "status")


@dataclass
class _Planner:
    """Plans an import as the rows of a file come. A row is first looked at cheaply: a new
    status or note typed, a cell an import takes no longer as the Original sheet remembers
    it, or a cell it leaves alone no longer as on record; a row with none of these changes
    nothing and is passed over. The others are compared with their recommendations in
    full, a batch at a time, so that only they are read from the database whole."""

    session: Session
    originals: Mapping[str, Mapping[str, Any]]
    context: _Context
    plans: dict[str, RecPlan] = field(default_factory=dict)
    stated: dict[str, _Stated] = field(default_factory=dict)
    # The row that first names each recommendation on record, by folded key: a later row
    # that names it again is a mistake.
    first: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def plan_rows(self, rows: Iterable[SheetRow]) -> None:
        """The rows of the Recommendations sheet (or of a CSV file)."""
        pending: list[tuple[SheetRow, str]] = []
        for chunk in _chunks(rows, KEYS_AT_ONCE):
            pending += self._saying_something(chunk)
            if len(pending) >= IDS_AT_ONCE:
                self._plan_rows(pending)
                pending = []
        self._plan_rows(pending)

    def _saying_something(self, chunk: list[SheetRow]) -> list[tuple[SheetRow, str]]:
        """The rows of a chunk (each with its key) that may change something or hold a
        mistake; the others change nothing, as comparing them in full would find."""
        keyed = [(row, text_of(row.cells.get("key"))) for row in chunk]
        on_record = _register_cells(self.session, [k for _, k in keyed if k])
        out = []
        for row, key in keyed:
            folded = key.casefold()
            cells = on_record.get(folded)
            if cells is None:  # no key (an empty row, or a mistake), or none on record
                out.append((row, key))
            elif self.first.setdefault(folded, row.number) != row.number:
                out.append((row, key))  # named again
            elif self._changed(row, cells):
                out.append((row, key))
        return out

    def _changed(self, row: SheetRow, on_record: Mapping[str, Any]) -> bool:
        """Whether a row of a recommendation on record may change something, or is to be
        warned about."""
        cells = row.cells
        if any(text_of(cells.get(c)) for c in INPUT_IDS):
            return True
        if self.context.edits_allowed:
            original = self.originals.get(on_record["key"].casefold())
            if original is None:  # compared with the database instead
                return True
            for c in _TAKEN:
                if c in cells and not _same(c, cells[c], original.get(c)):
                    return True
        return bool(_not_imported(row, on_record))

    def _plan_rows(self, pending: list[tuple[SheetRow, str]]) -> None:
        if not pending:
            return
        known = _current(self.session, [k for _, k in pending if k], self.context.perspective)
        for row, key in pending:
            current = known.get(key.casefold())
            mistake = _row_identity_problem(row, key, current, self.first)
            if mistake is not None:
                if mistake:
                    self.problems.append(mistake)
                continue
            assert current is not None
            original = self.originals.get(current["key"].casefold())
            outcome = _plan_row(row, current, original, self.context)
            self.problems += outcome.problems
            self.warnings += outcome.warnings
            if outcome.plan is not None:
                self.plans[current["key"]] = outcome.plan
            if outcome.stated is not None:
                self.stated[current["key"]] = outcome.stated

    def plan_meeting(self, rows: Iterable[SheetRow]) -> None:
        """The rows of the Meeting sheet (see `_plan_meeting`), after the Recommendations
        sheet's; a row with no new status whose Due shows what was exported is passed
        over."""
        pending: list[SheetRow] = []
        for row in rows:
            if self._meeting_row_changed(row):
                pending.append(row)
                if len(pending) >= IDS_AT_ONCE:
                    self._plan_meeting(pending)
                    pending = []
        self._plan_meeting(pending)

    def _meeting_row_changed(self, row: SheetRow) -> bool:
        cells = row.cells
        if any(text_of(cells.get(c)) for c in INPUT_IDS):
            return True
        if "due" not in cells:
            return False
        original = self.originals.get(cells["key"].casefold())
        if original is None:  # compared with the database instead
            return True
        return _shown_due(cells["due"]) != text_of(original.get("due"))

    def _plan_meeting(self, rows: list[SheetRow]) -> None:
        if not rows:
            return
        known = _current(self.session, [r.cells["key"] for r in rows], self.context.perspective)
        meeting = _plan_meeting(rows, self.originals, known, self.plans, self.stated, self.context)
        self.problems += meeting.problems
        self.warnings += meeting.warnings


def _chunks(rows: Iterable[SheetRow], size: int) -> Iterator[list[SheetRow]]:
    chunk: list[SheetRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parts(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _capped(lines: list[str], what: str = "problem") -> list[str]:
    """The first PROBLEMS_SHOWN lines, and how many more there are: a file with a million
    mistakes is not a million lines on the screen."""
    if len(lines) <= PROBLEMS_SHOWN:
        return lines
    more = len(lines) - PROBLEMS_SHOWN
    return [*lines[:PROBLEMS_SHOWN], f"... and {domain.plural(more, f'more {what}')}"]


def _row_identity_problem(
    row: SheetRow, key: str, current: dict[str, Any] | None, first: dict[str, int]
) -> str | None:
    """Why a row cannot be imported as a recommendation: "" for a row to pass over quietly
    (empty), a message for a mistake, None when the row names one recommendation once
    (`first`: the row that first names each recommendation on record)."""
    if not key:
        if any(text_of(v) for v in row.cells.values()):
            return f"{row.where('key')}: the row has no key"
        return ""
    if current is None:
        return (
            f"{row.where('key')}: no recommendation {key} in this database "
            "(an import never adds recommendations)"
        )
    earlier = first.get(key.casefold(), row.number)
    if earlier != row.number:
        return f"{row.where('key')}: {current['key']} is already on row {earlier}"
    return None


def _register_cells(session: Session, keys: Sequence[str]) -> dict[str, Any]:
    """The key and the cells an import leaves alone (NOT_IMPORTED) of the named
    recommendations on record (not removed), by folded key: one query."""
    folded = sorted({k.strip().lower() for k in keys})
    if not folded:
        return {}
    wanted = {"key", *(name for _, name in _NOT_IMPORTED_FIELDS)}
    query = (
        sa.select(*(c for c in recommendation_columns() if c.name in wanted))
        .join(Body, col(Body.id) == Recommendation.body_id)
        .outerjoin(Document, col(Document.id) == Recommendation.document_id)
        .where(
            func.lower(Recommendation.key).in_(folded),
            col(Recommendation.deleted_at).is_(None),
        )
    )
    found = session.connection().execute(query).mappings()
    return {m["key"].casefold(): m for m in found}


def _current(session: Session, keys: list[str], perspective: str) -> dict[str, dict[str, Any]]:
    """The editable fields, status (from `perspective`) and assessments of the named
    recommendations, by folded key; a few queries for each IDS_AT_ONCE of them."""
    folded = sorted({k.strip().lower() for k in keys})
    ids: list[int] = []
    for part in _parts(folded, KEYS_AT_ONCE):
        dialect = session.get_bind().dialect.name
        ids += [i for i in session.execute(ids_of_keys(part, dialect)).scalars() if i is not None]
    today = dt.date.today()
    rows: dict[str, dict[str, Any]] = {}
    for chunk in _parts(ids, IDS_AT_ONCE):
        found: dict[str, dict[str, Any]] = {
            r["key"]: {**r, "assessments": []} for r in rows_at(session, chunk, today, perspective)
        }
        assessments = session.exec(
            select(Assessment, Recommendation.key)
            .join(Recommendation, col(Recommendation.id) == Assessment.recommendation_id)
            .where(col(Assessment.recommendation_id).in_(chunk))
        )
        for assessment, key in assessments:
            found[key]["assessments"].append(assessment)
        rows.update(found)
    return {key.casefold(): row for key, row in rows.items()}


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


@functools.cache
def _codes(prefix: str) -> dict[str, str]:
    """i18n.reader, read once (the dict is shared: never changed)."""
    return i18n.reader(prefix)


def _code(value: Any, prefix: str) -> str:
    """What a cell says, as a code: a label in any language (`U toku`) read as its code
    (`in_progress`); anything else as it stands."""
    text = text_of(value)
    return _codes(prefix).get(" ".join(text.casefold().split()), text)


def _same(column_id: str, a: Any, b: Any) -> bool:
    """Whether two cells of a column say the same (labels and codes alike)."""
    if column_id in ("themes", "institutions"):
        return split_list(a) == split_list(b)
    if column_id in ("priority", "status"):
        return _code(a, f"{column_id}.") == _code(b, f"{column_id}.")
    return text_of(a) == text_of(b)


def _plan_row(
    row: SheetRow,
    current: dict[str, Any],
    original: Mapping[str, Any] | None,
    context: _Context,
) -> _RowOutcome:
    def edited(column_id: str) -> bool:
        """Changed by the partner: against what was exported, else against the database."""
        if column_id not in row.cells or not context.edits_allowed:
            return False
        return original is None or not _same(
            column_id, row.cells[column_id], original.get(column_id)
        )

    outcome = _RowOutcome(warnings=_not_imported(row, current))
    plan = RecPlan(current["key"], before=current["status"])
    for what in ("themes", "institutions"):
        if edited(what):
            _plan_names(row, what, current[what], plan, outcome, context.vocabulary)
    for spec in IMPORTED:
        assert spec.header is not None
        if edited(spec.header):
            _plan_field(row, spec, current, plan, outcome)
    status_column = "new_status"
    if not text_of(row.cells.get(status_column)) and original is not None and edited("status"):
        status_column = "status"
    given = _read_assessment(row, status_column, context, outcome)
    given = _after_issue(row, given, current, outcome)
    if given is not None:
        outcome.stated = _Stated(given, row.where(status_column))
        if not _recorded(given, current):
            plan.assessment = given
    if not outcome.problems and (plan.edits or plan.assessment is not None):
        outcome.plan = plan
    return outcome


def _plan_field(
    row: SheetRow, spec: Any, current: dict[str, Any], plan: RecPlan, outcome: _RowOutcome
) -> None:
    raw = row.cells[spec.header]
    try:
        text = _code(raw, "priority.") if spec.name == "priority" else text_of(raw)
        new = spec.value(text, clearing=False)
        if spec.name == "due":
            check_due(current["date"], new)
    except RectrackError as e:
        outcome.problems.append(f"{row.where(spec.header)}: {e}")
        return
    if new != current[spec.name]:
        plan.changes.fields[spec.name] = new or "none"
        plan.edits.append(Change(spec.name, current[spec.name], new))


def _plan_names(
    row: SheetRow,
    what: str,
    before: list[str],
    plan: RecPlan,
    outcome: _RowOutcome,
    vocabulary: Vocabulary,
) -> None:
    new = split_list(row.cells[what])
    found = [vocabulary.problem(what.rstrip("s"), name) for name in new]
    if any(found):
        outcome.problems += [f"{row.where(what)}: {p}" for p in found if p]
        return
    if any(domain.is_clear(name) for name in new):
        if len(new) > 1:
            outcome.problems.append(
                f"{row.where(what)}: 'none' clears the {what}: give it alone, or leave "
                "the cell empty"
            )
            return
        new = []
    if sorted(x.casefold() for x in new) != sorted(x.casefold() for x in before):
        allowed = NameEdit(replace=new or ["none"], new_names=vocabulary.new_names)
        setattr(plan.changes, what, allowed)
        plan.edits.append(Change(what, before, new))


def _status_value(value: Any, lang: str = "en") -> str:
    """The status a cell names, by its label in any language or its code; a mistake lists
    the statuses a partner may choose, in the file's language `lang`."""
    code = _code(value, "status.")
    offered = [i18n.text(f"status.{s}", lang) for s in domain.ASSESSABLE]
    labels = ", ".join(offered)
    if code == domain.UNKNOWN:
        raise BadValue(
            f"'{text_of(value)}' cannot be assessed: it is what no assessment means; "
            f"valid values: {labels}"
        )
    if code not in domain.ASSESSABLE:
        english = [i18n.text(f"status.{s}") for s in domain.ASSESSABLE]
        near = domain.closest(text_of(value), [*offered, *english, *domain.ASSESSABLE], n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        raise BadValue(f"'{text_of(value)}' is not a status{hint}; valid values: {labels}")
    return code


def _new_status_date(value: Any, default: str) -> str:
    date = parse_date(text_of(value) or default)
    return not_in_future(date, "an assessment is of a situation that has been seen").iso


def _read_assessment(
    row: SheetRow, status_column: str, context: _Context, outcome: _RowOutcome
) -> AssessmentInput | None:
    """The assessment a row gives, if it gives one; its mistakes go to `outcome`."""
    status_cell = row.cells.get(status_column)
    raw_note = row.cells.get("assessment_note")
    if not text_of(status_cell):
        if text_of(row.cells.get("new_status_date")) or text_of(raw_note):
            outcome.problems.append(
                f"{row.where('new_status')}: a new status date or note needs a New status"
            )
        return None
    status = date = None
    try:
        status = _status_value(status_cell, context.lang)
    except RectrackError as e:
        outcome.problems.append(f"{row.where(status_column)}: {e}")
    try:
        date = _new_status_date(row.cells.get("new_status_date"), context.default_date)
    except RectrackError as e:
        outcome.problems.append(f"{row.where('new_status_date')}: {e}")
    # A note is kept as written, spaces at its ends included; one of spaces only is none.
    note = str(raw_note) if raw_note is not None and str(raw_note).strip() else None
    if status is None or date is None:
        return None
    return AssessmentInput(status=status, date=date, perspective=context.perspective, note=note)


def _after_issue(
    row: SheetRow, given: AssessmentInput | None, current: dict[str, Any], outcome: _RowOutcome
) -> AssessmentInput | None:
    """The assessment, unless it is dated before the recommendation was made."""
    issued = current.get("date")
    if given is None or not given.date or not issued:
        return given
    try:
        not_before(parse_date(given.date), issued, SEEN_AFTER.replace("{key}", current["key"]))
    except RectrackError as e:
        outcome.problems.append(f"{row.where('new_status_date')}: {e}")
        return None
    return given


def _recorded(given: AssessmentInput, current: dict[str, Any]) -> bool:
    """Whether the database holds the assessment already (the file was imported before)."""
    return any(
        a.date == given.date
        and a.perspective == given.perspective
        and a.status == given.status
        and (a.note or None) == given.note
        for a in current["assessments"]
    )


@dataclass
class _MeetingOutcome:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _plan_meeting(
    rows: Iterable[SheetRow],
    originals: Mapping[str, Mapping[str, Any]],
    known: dict[str, dict[str, Any]],
    plans: dict[str, RecPlan],
    stated: dict[str, _Stated],
    context: _Context,
) -> _MeetingOutcome:
    """New statuses filled in on the Meeting sheet: one that repeats the Recommendations
    sheet (or another Meeting row of the same key) counts once; two that differ are a
    problem, both cells named. An edit to Due there, which shows the due date but is not
    read, is warned about."""
    out = _MeetingOutcome()
    for row in rows:
        filled = any(text_of(row.cells.get(c)) for c in INPUT_IDS)
        current = known.get(row.cells["key"].casefold())
        if current is None:
            if filled:
                out.problems.append(
                    f"{row.where('key')}: no recommendation {row.cells['key']} in this database"
                )
            continue
        key = current["key"]
        original = originals.get(key.casefold())
        warning = _meeting_due_edit(row, current, original, plans.get(key), context.lang)
        if warning:
            out.warnings.append(warning)
        if not filled:
            continue
        outcome = _RowOutcome()
        given = _read_assessment(row, "new_status", context, outcome)
        given = _after_issue(row, given, current, outcome)
        out.problems += outcome.problems
        if given is None or outcome.problems:
            continue
        if key in stated:
            if not stated[key].agrees(given):
                out.problems.append(
                    f"{row.where('new_status')}: {key} has another new status at "
                    f"{stated[key].where}"
                )
            continue
        stated[key] = _Stated(given, row.where("new_status"))
        if not _recorded(given, current):
            plan = plans.setdefault(key, RecPlan(key, before=current["status"]))
            plan.assessment = given
    return out


def _meeting_due_edit(
    row: SheetRow,
    current: dict[str, Any],
    original: Mapping[str, Any] | None,
    plan: RecPlan | None,
    lang: str,
) -> str | None:
    """A warning when the Meeting sheet's Due (the due date, and under it `overdue`) no
    longer shows the due date exported (or, without the Original sheet, the one on record),
    unless the Recommendations sheet changes Due to the same."""
    if "due" not in row.cells:
        return None
    shown = _shown_due(row.cells["due"])
    exported = text_of(original.get("due") if original is not None else current["due"])
    taken = plan.changes.fields.get("due") if plan is not None else None
    if shown == exported or (taken is not None and taken == (shown or "none")):
        return None
    header = row.headers.get("due") or i18n.text("col.due", lang)
    register = i18n.text("sheet.recommendations", lang)
    return (
        f"{row.where('due')}: a change to {header} on this sheet is not imported (change it "
        f"on the {register} sheet, or use `rectrack edit`)"
    )


def _shown_due(cell: Any) -> str:
    """The due date a Meeting row shows (`overdue` may stand under it)."""
    return text_of(cell).split("\n", 1)[0].strip()


# The columns an import leaves alone, each with the field of the register it shows.
_NOT_IMPORTED_FIELDS = tuple((c, column(c).key or "") for c in NOT_IMPORTED)


def _not_imported(row: SheetRow, current: Mapping[str, Any]) -> list[str]:
    """Warnings for edits to the columns an import leaves alone."""
    warnings = []
    for column_id, field_name in _NOT_IMPORTED_FIELDS:
        if column_id in row.cells:
            value = current.get(field_name)
            if column_id == "response":
                shown = _code(row.cells[column_id], "response.")
            else:
                shown = row.cells[column_id]
            stored = LIST_SEPARATOR.join(value) if isinstance(value, list) else value
            if not _same_cell_text(shown, stored):
                header = row.headers.get(column_id) or i18n.text(f"col.{column_id}")
                warnings.append(
                    f"{row.where(column_id)}: a change to {header} is not imported "
                    "(use `rectrack edit`)"
                )
    return warnings


def _same_cell_text(cell: Any, value: Any) -> bool:
    """Whether a cell still shows a value as an export wrote it (control characters
    removed, a long text cut with a marker)."""
    shown, stored = text_of(cell), CONTROL_CHARACTERS.sub("", text_of(value))
    # A workbook's XML reads every line break as LF: a CR LF stored is no edit.
    shown, stored = _lines(shown), _lines(stored)
    if CUT_MARKER in shown:
        return stored.startswith(shown.split(CUT_MARKER, 1)[0])
    return shown == stored


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def apply_import(session: Session, plan: ImportPlan) -> None:
    """Carry out a plan (the caller's transaction makes it all or nothing)."""
    for rec in plan.recommendations:
        if rec.edits:
            edit_recommendation(session, rec.key, rec.changes)
        if rec.assessment is not None:
            rec.assessment.recorded_by = plan.assessor
            assess(session, [rec.key], rec.assessment)
