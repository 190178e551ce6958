"""The shape of the tables that the spreadsheet formats (xlsx, csv) share: the columns of
the Recommendations and Meeting sheets, how a value is shown in a cell, how a cell reads
back, and the limits of a cell.

Not a format of its own: `rectrack.io.xlsx` and `rectrack.io.csv` write and read these
rows, `rectrack.services.export` fills them and `rectrack.services.importing` interprets
them. Headers and labels come from `rectrack.i18n`, in the language of the export; a file
in any of the languages reads back alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rectrack import i18n
from rectrack.shapes import ActionRow, AssessmentRow, EvidenceRow, ExportRow, GroupCounts

WORKBOOK_MARKER = "rectrack workbook"
WORKBOOK_FORMAT = 2
ORIGINAL_SHEET = "Original"  # very hidden; named alike in every language


@dataclass(frozen=True)
class SheetColumn:
    """A column of the Recommendations or Meeting sheet (and of the CSV export): its id
    (its header is `col.<id>` in the catalogue), the row field it shows, its width, and what
    it holds: `text`, `list`, `date`, `status`, `priority`, `lines` or `input` (a column
    partners fill in)."""

    id: str
    key: str | None
    width: int = 14
    kind: str = "text"
    wrap: bool = False
    editable: bool = False  # an edit to it is imported

    def header(self, lang: str = "en", perspective: str = "ngo") -> str:
        """The header in `lang`; beside the status, the other side's view: the state's
        claim, or for the state's own view, the NGO's assessment."""
        if self.id == "counterpart":
            other = "col.ngo_assessment" if perspective == "state" else "col.state_claims"
            return i18n.text(other, lang)
        return i18n.text(f"col.{self.id}", lang)


# The columns of the Recommendations sheet, and of the CSV export, in order.
RECOMMENDATION_COLUMNS = (
    SheetColumn("key", "key", 18),
    SheetColumn("body", "body", 8),
    SheetColumn("document", "document", 22, wrap=True),
    SheetColumn("paragraph", "paragraph", 10),
    SheetColumn("date", "date", 12, "date"),
    SheetColumn("country", "country", 11),
    SheetColumn("summary", "summary", 26, wrap=True),
    SheetColumn("text", "text", 60, wrap=True),
    SheetColumn("themes", "themes", 22, "list", wrap=True, editable=True),
    SheetColumn("institutions", "institutions", 24, "list", wrap=True, editable=True),
    SheetColumn("priority", "priority", 11, "priority", editable=True),
    SheetColumn("response", "response", 13, "response"),
    SheetColumn("due", "due", 12, "date", editable=True),
    SheetColumn("overdue", "overdue", 10, "overdue"),
    SheetColumn("status", "status", 18, "status"),
    SheetColumn("since", "since", 12, "date"),
    SheetColumn("status_date", "status_date", 12, "date"),
    SheetColumn("grade", "grade", 18),
    SheetColumn("counterpart", "counterpart_status", 18, "status"),
    SheetColumn("actions", "action_lines", 36, "lines", wrap=True),
    SheetColumn("latest_action", "latest_action", 36, wrap=True),
    SheetColumn("evidence", "evidence_lines", 36, "lines", wrap=True),
    SheetColumn("latest_note", "note", 40, wrap=True),
    SheetColumn("new_status", None, 18, "input"),
    SheetColumn("new_status_date", None, 14, "input"),
    SheetColumn("assessment_note", None, 40, "input", wrap=True),
)
# The Meeting sheet: only what a meeting discusses, narrow enough to print one page wide at
# a readable size (see `xlsx.writer.PAGE_UNITS`: 130 width units).
MEETING_COLUMNS = (
    SheetColumn("key", "reference", 17, wrap=True),
    SheetColumn("recommendation", "recommendation", 40, wrap=True),
    SheetColumn("status", "status_line", 15, wrap=True),
    SheetColumn("counterpart", "counterpart_line", 15, wrap=True),
    SheetColumn("due", "due_line", 10, wrap=True),
    SheetColumn("new_status", None, 12, "input", wrap=True),
    SheetColumn("new_status_date", None, 10, "input", wrap=True),
    SheetColumn("assessment_note", None, 11, "input", wrap=True),
)
INPUT_IDS = ("new_status", "new_status_date", "assessment_note")
# The register's columns an import leaves alone, warning of an edit to them.
REGISTER_IDS = ("body", "document", "paragraph", "date", "country", "text", "response")
# What an import reads of a row of the Recommendations sheet and of the Meeting sheet; the
# other columns (the status history, actions and evidence the export showed) only of a row
# without a key, or a Meeting row without a due date or a new status (a group heading?).
IMPORT_IDS = (
    "key",
    *REGISTER_IDS,
    *(c.id for c in RECOMMENDATION_COLUMNS if c.editable),
    "status",
    *INPUT_IDS,
)
MEETING_IMPORT_IDS = ("key", "due", *INPUT_IDS)
# What an export remembers of each row (by column id), so that an import applies only what
# partners changed.
ORIGINAL_IDS = ("key", *(c.id for c in RECOMMENDATION_COLUMNS if c.editable), "status")
LIST_SEPARATOR = "; "
MAX_CELL = 32_767  # the most characters a spreadsheet cell keeps
CUT_MARKER = " [… cut by rectrack: "  # ends a text cut to fit a cell
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # cells refuse them
FORMULA_STARTS = ("=", "+", "-", "@")  # a text starting so is taken for a formula


def in_date_order(item: Mapping[str, Any]) -> tuple[bool, str, int]:
    """The order of actions and evidence (`A12`, `E7`) on their sheets and in a
    recommendation's cells: oldest first and undated last, as `history` and `action list`
    have them; by id within a date."""
    return item["date"] is None, item["date"] or "", int(item["id"][1:])


def label(prefix: str, code: str | None, lang: str = "en") -> str:
    """A code (`in_progress`, `high`, `action_plan`) as people read it in `lang`."""
    return i18n.text(f"{prefix}{code}", lang) if code else ""


def status_cell(status: str | None, lang: str = "en") -> str:
    """A status as a workbook shows it: its label."""
    return label("status.", status or "unknown", lang)


def date_cell(iso: str | None) -> Any:
    """A full date as a real date (so that date filters work); a partial one as text."""
    if iso and len(iso) == 10:
        return dt.date.fromisoformat(iso)
    return iso


def cell_value(column: SheetColumn, row: Any, lang: str) -> Any:
    """What a Recommendations column shows of a row, in `lang`."""
    if column.key is None:
        return None
    value = row.get(column.key)
    if column.kind == "status":
        return status_cell(value, lang)
    if column.kind == "priority":
        return label("priority.", value, lang)
    if column.kind == "response":
        return label("response.", value, lang) if value else None
    if column.kind == "date":
        return date_cell(value)
    if column.kind == "overdue":
        return i18n.text("meeting.overdue", lang) if value else None
    if column.kind in ("list", "lines"):
        return (LIST_SEPARATOR if column.kind == "list" else "\n").join(value or ()) or None
    return value


class CellValues:
    """What the columns show of a row (see `cell_value`), row after row: a code's label or
    a date is made once for each value met, texts and lists are read as they are."""

    def __init__(self, columns: Sequence[SheetColumn], lang: str):
        self.columns = list(columns)
        self.lang = lang
        self._made: dict[tuple[int, Any], Any] = {}

    def __call__(self, row: Mapping[str, Any]) -> list[Any]:
        out: list[Any] = []
        made = self._made
        for i, column in enumerate(self.columns):
            kind, key = column.kind, column.key
            if key is None:
                out.append(None)
            elif kind == "text":
                out.append(row.get(key))
            elif kind in ("list", "lines"):
                out.append(cell_value(column, row, self.lang))
            else:  # a code or a date: a few values, met again and again
                value = row.get(key)
                found = made.get((i, value), made)
                if found is made:
                    found = made[(i, value)] = cell_value(column, row, self.lang)
                out.append(found)
        return out


@dataclass
class ExportData:
    """What an export writes: its metadata, the Summary's counts, and the rows of each sheet.

    The rows are lists, or collections read afresh from the database at each pass (a large
    register is written a chunk at a time, never held whole): `recommendations` in the
    register's order, `meeting` (group, row) in the Meeting sheet's order (None: the group
    of those in none), `actions` and `evidence` in id order, and in the order of their
    sheets in `actions_by_date` and `evidence_by_date` when those are given."""

    meta: dict[str, Any]
    group_by: str
    groups: list[GroupCounts]
    counts: dict[str, int]
    recommendations: Iterable[ExportRow]
    actions: Iterable[ActionRow]
    evidence: Iterable[EvidenceRow]
    history: Iterable[AssessmentRow]
    lang: str = "en"
    meeting: Iterable[tuple[str | None, ExportRow]] = ()
    meeting_in_order: bool = False  # the Meeting sheet's rows are `recommendations`, in order
    actions_by_date: Iterable[ActionRow] | None = None
    evidence_by_date: Iterable[EvidenceRow] | None = None

    def dated_actions(self) -> Iterable[ActionRow]:
        """The actions in the order of their sheet (see `in_date_order`)."""
        if self.actions_by_date is not None:
            return self.actions_by_date
        return sorted(self.actions, key=in_date_order)

    def dated_evidence(self) -> Iterable[EvidenceRow]:
        """The evidence in the order of its sheet (see `in_date_order`)."""
        if self.evidence_by_date is not None:
            return self.evidence_by_date
        return sorted(self.evidence, key=in_date_order)


@dataclass
class SheetRow:
    """One row read from a file: its cells by column id, and where it stands: a sheet and
    the letters of its columns (`Recommendations!M14`), or a CSV file (`edits.csv:14
    (Due)`)."""

    number: int
    cells: dict[str, Any]
    source: str
    letters: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)  # column id -> header as written

    def where(self, column_id: str) -> str:
        """The place of the row's cell in column `column_id`, as the user finds it."""
        if self.letters is not None:
            return f"{self.source}!{self.letters.get(column_id, '?')}{self.number}"
        header = self.headers.get(column_id) or i18n.text(f"col.{column_id}")
        return f"{self.source}:{self.number} ({header})"


@dataclass
class SheetData:
    """What an outside file gave: its rows, the rows of its Meeting sheet, and what its
    export remembered.

    A workbook's rows and Meeting rows are read as they are iterated (once, in that order),
    so that a large one is never held whole; `close` lets the file go."""

    source: str
    rows: Iterable[SheetRow]
    meeting: Iterable[SheetRow] = field(default_factory=list)
    export_date: str | None = None
    perspective: str | None = None
    # folded key -> ORIGINAL_IDS as exported
    originals: Mapping[str, Mapping[str, Any]] | None = None
    lang: str = "en"  # the language it was exported in: what a message lists labels in
    from_rectrack: bool = False  # a workbook of rectrack's (its Original may be missing)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    closer: Callable[[], None] | None = None  # closes the file the rows are read from

    def close(self) -> None:
        """Let the file go (the rows not yet read are not read)."""
        if self.closer is not None:
            closer, self.closer = self.closer, None
            closer()


def column_ids(headers: Iterable[Any]) -> dict[str, int]:
    """The position of each known column among a header row written in any language (an
    unknown header is left out)."""
    known = i18n.reader("col.")
    for other in ("col.state_claims", "col.ngo_assessment"):
        known |= {h.casefold(): "counterpart" for h in i18n.forms(other)}
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        folded = " ".join(str(header or "").casefold().split())
        column_id = known.get(folded)
        if column_id and column_id not in found:
            found[column_id] = position
    return found


def header_language(headers: Iterable[Any]) -> str:
    """The language a header row is written in: the one most of its headers are in
    (English when as many are in another, as `Status` is in Serbian in Latin script)."""
    written = {" ".join(str(h or "").casefold().split()) for h in headers}

    def matches(lang: str) -> int:
        known = {
            c.header(lang, perspective).casefold()
            for c in RECOMMENDATION_COLUMNS
            for perspective in ("ngo", "state")
        }
        return len(written & known)

    return max(i18n.LANGUAGES, key=lambda lang: (matches(lang), lang == "en"))


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
    """The items of a list cell (Themes, Institutions), separated by `;` or line breaks."""
    text = text_of(value)
    items = [" ".join(p.split()) for p in text.replace("\n", ";").split(";")]
    return [i for i in items if i]


def column(column_id: str) -> SheetColumn:
    """The Recommendations column with this id."""
    return next(c for c in RECOMMENDATION_COLUMNS if c.id == column_id)
