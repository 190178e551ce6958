"""The shape of the Recommendations table that the spreadsheet formats (xlsx, csv) share:
its columns, what a row read back looks like, and the limits of a cell.

Not a format of its own: `rectrack.io.xlsx` and `rectrack.io.csv` write and read these
rows, `rectrack.services.export` fills them and `rectrack.services.importing` interprets
them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from rectrack import domain
from rectrack.shapes import ActionRow, AssessmentRow, EvidenceRow, ExportRow, GroupCounts

WORKBOOK_MARKER = "rectrack workbook"
WORKBOOK_FORMAT = 1


@dataclass(frozen=True)
class SheetColumn:
    """A column of the Recommendations sheet and of the CSV export."""

    header: str
    key: str | None  # the row field it shows; None for the columns partners fill in
    width: int = 14
    wrap: bool = False
    editable: bool = False  # an edit to it is imported


# The columns of the Recommendations sheet, and of the CSV export, in order.
RECOMMENDATION_COLUMNS = (
    SheetColumn("Key", "key", 17),
    SheetColumn("Body", "body", 8),
    SheetColumn("Document", "document", 22, wrap=True),
    SheetColumn("Paragraph", "paragraph", 10),
    SheetColumn("Date", "date", 11),
    SheetColumn("Country", "country", 10),
    SheetColumn("Text", "text", 60, wrap=True),
    SheetColumn("Themes", "themes", 22, wrap=True, editable=True),
    SheetColumn("Institutions", "institutions", 24, wrap=True, editable=True),
    SheetColumn("Priority", "priority", 9, editable=True),
    SheetColumn("Response", "response", 10),
    SheetColumn("Due", "due", 11, editable=True),
    SheetColumn("Status", "status", 16),
    SheetColumn("Status date", "status_date", 11),
    SheetColumn("State claims", "counterpart_status", 16),
    SheetColumn("Actions", "action_ids", 12, wrap=True),
    SheetColumn("Evidence", "evidence_ids", 12, wrap=True),
    SheetColumn("Latest note", "note", 40, wrap=True),
    SheetColumn("New status", None, 16),
    SheetColumn("New status date", None, 14),
    SheetColumn("Assessment note", None, 40, wrap=True),
)
HEADERS = tuple(c.header for c in RECOMMENDATION_COLUMNS)
# The header of the column beside the status: the other side's view of it.
COUNTERPART_HEADERS = {"state": "State claims", "ngo": "NGO assessment"}


def headers(perspective: str) -> tuple[str, ...]:
    """The headers of an export from `perspective`: beside the status, the state's claim, or
    for the state's own view, the NGO's assessment."""
    if perspective != "state":
        return HEADERS
    return tuple(COUNTERPART_HEADERS["ngo"] if h == "State claims" else h for h in HEADERS)


# What an export remembers of each row, so that an import applies only what partners changed.
ORIGINAL_FIELDS = (
    "Key",
    *(c.header for c in RECOMMENDATION_COLUMNS if c.editable),
    "Status",
)
LIST_SEPARATOR = "; "
MAX_CELL = 32_767  # the most characters a spreadsheet cell keeps
CUT_MARKER = " [… cut by rectrack: "  # ends a text cut to fit a cell
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # cells refuse them
FORMULA_STARTS = ("=", "+", "-", "@")  # a text starting so is taken for a formula


def status_cell(status: str | None) -> str:
    """A status as a workbook shows it: its label."""
    return domain.STATUS_LABELS[status or domain.UNKNOWN]


@dataclass
class ExportData:
    """What an export writes: its metadata, the Summary's counts, and the rows of each sheet."""

    meta: dict[str, Any]
    group_by: str
    groups: list[GroupCounts]
    counts: dict[str, int]
    recommendations: list[ExportRow]
    actions: list[ActionRow]
    evidence: list[EvidenceRow]
    history: list[AssessmentRow]


@dataclass
class SheetRow:
    """One row read from a file: its cells by header, and where it stands: a sheet and the
    letters of its columns (`Recommendations!M14`), or a CSV file (`edits.csv:14 (Due)`)."""

    number: int
    cells: dict[str, Any]
    source: str
    letters: dict[str, str] | None = None

    def where(self, header: str) -> str:
        """The place of the row's cell under `header`, as the user finds it."""
        if self.letters is not None:
            return f"{self.source}!{self.letters.get(header, '?')}{self.number}"
        return f"{self.source}:{self.number} ({header})"


@dataclass
class SheetData:
    """What an outside file gave: its rows, and what its export remembered."""

    source: str
    rows: list[SheetRow]
    export_date: str | None = None
    perspective: str | None = None
    originals: dict[str, dict[str, Any]] | None = None  # key -> ORIGINAL_FIELDS as exported
    problems: list[str] = field(default_factory=list)


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


def column(header: str) -> SheetColumn:
    """The Recommendations column with this header."""
    return next(c for c in RECOMMENDATION_COLUMNS if c.header == header)
