"""What every importer of outside data gives the bulk loader: one plain record per
recommendation, with where it stands in its file and what was wrong with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class SourceRow:
    """A recommendation as a file gives it. Text is kept exactly as given; `problems`
    holds (column, reason) pairs found while reading it."""

    line: int
    text: str
    body: str | None = None
    source_id: str | None = None
    key: str | None = None
    document: str | None = None
    document_title: str | None = None
    document_date: str | None = None
    cycle: str | None = None
    country: str | None = None
    countries: list[str] = field(default_factory=list)  # all it concerns, when several
    paragraph: str | None = None
    date: str | None = None
    summary: str | None = None
    themes: list[str] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)
    recommending: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    priority: str | None = None
    response: str | None = None
    due: str | None = None
    category: int | None = None
    status: str | None = None  # a code, as mapped
    status_date: str | None = None
    note: str | None = None
    # Where a data set says the recommendation first came from (else: this file and line).
    origin_file: str | None = None
    origin_row: int | None = None
    raw: list[Any] = field(default_factory=list)  # the row's cells, for a file of rejects
    problems: list[tuple[str, str]] = field(default_factory=list)

    def refuse(self, column: str, reason: str) -> None:
        self.problems.append((column, reason))


def cell_text(value: Any) -> str:
    """A cell as text: nothing for an empty one, several values (a JSON list) one a line."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(cell_text(v) for v in value)
    return str(value)


def check_width(row: SourceRow, values: list[Any], width: int) -> None:
    """Refuse a row with more filled cells than the header has columns: its values have
    likely shifted (a stray separator), and would land in the wrong fields."""
    extra = [cell_text(v).strip() for v in values[width:]]
    if any(extra):
        shown = ", ".join(repr(v) for v in extra if v)
        row.refuse(
            "(row)",
            f"{len(values)} cells where the header has {width} columns ({shown} beyond "
            "them): a separator too many?",
        )


def split_values(value: Any, separator: str | None = None) -> list[str]:
    """The values of a cell that holds several: a list (JSON), or text one a line (UHRI
    writes `- ` before each) or separated by `separator`. Spaces around each value are
    dropped, as are empty ones."""
    if not value:
        return []
    if isinstance(value, list):
        parts = [cell_text(v) for v in value]
    else:
        text = str(value)
        parts = text.split(separator) if separator else text.splitlines()
    out = []
    for part in parts:
        item = part.strip()
        if item.startswith("- "):
            item = item[2:].strip()
        if item and item != "-":
            out.append(item)
    return out
