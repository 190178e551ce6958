"""Data sets kept as TOML text: bodies, documents, recommendations, actions, evidence and
assessments.

A data set file has `[[bodies]]`, `[[documents]]`, `[[recommendations]]`, `[[actions]]`,
`[[evidence]]` and `[[assessments]]` tables (see the README). Actions and evidence may
have a `ref`, a name by which other entries of the data set link to them.

Reading checks the shape of every entry and names the place of each problem; the values
themselves (bodies, dates, priorities) are checked by the services that record them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from rectrack.errors import RectrackError

BODY_FIELDS: dict[str, type] = {"code": str, "name": str, "kind": str}
DOCUMENT_FIELDS: dict[str, type] = {
    "body": str,
    "symbol": str,
    "title": str,
    "date": str,
    "cycle": str,
    "country": str,
    "url": str,
}
RECOMMENDATION_FIELDS: dict[str, type] = {
    "key": str,
    "body": str,
    "document": str,
    "paragraph": str,
    "date": str,
    "country": str,
    "text": str,
    "summary": str,
    "themes": list,
    "institutions": list,
    "priority": str,
    "response": str,
    "due": str,
    "recommending": list,
    "affected": list,
    "sdgs": list,
    "category": int,
    "source_id": str,
    "source_file": str,
    "source_row": int,
}
ACTION_FIELDS: dict[str, type] = {
    "ref": str,
    "title": str,
    "kind": str,
    "date": str,
    "institution": str,
    "reference": str,
    "url": str,
    "description": str,
    "recommendations": list,
    "recorded_at": str,
}
EVIDENCE_FIELDS: dict[str, type] = {
    "ref": str,
    "title": str,
    "kind": str,
    "date": str,
    "source": str,
    "url": str,
    "file": str,
    "size": int,
    "sha256": str,
    "note": str,
    "recommendations": list,
    "actions": list,
    "recorded_at": str,
}
ASSESSMENT_FIELDS: dict[str, type] = {
    "recommendations": list,
    "date": str,
    "status": str,
    "by": str,
    "grade": str,
    "note": str,
    "evidence": list,
    "recorded_by": str,
    "recorded_at": str,
    "withdrawn": str,
    "withdrawn_by": str,
    "withdrawn_at": str,
}
CLUSTER_FIELDS: dict[str, type] = {"name": str, "note": str, "recommendations": list}
LINK_FIELDS: dict[str, type] = {"from": str, "to": str, "kind": str, "note": str}
REQUIRED = {
    "bodies": ("code", "name", "kind"),
    "documents": ("body", "symbol"),
    "recommendations": ("text",),
    "actions": ("title", "kind"),
    "evidence": ("title", "kind"),
    "assessments": ("recommendations", "date"),
    "clusters": ("name", "recommendations"),
    "links": ("from", "to", "kind"),
}
TABLES: dict[str, dict[str, type]] = {
    "bodies": BODY_FIELDS,
    "documents": DOCUMENT_FIELDS,
    "recommendations": RECOMMENDATION_FIELDS,
    "actions": ACTION_FIELDS,
    "evidence": EVIDENCE_FIELDS,
    "assessments": ASSESSMENT_FIELDS,
    "clusters": CLUSTER_FIELDS,
    "links": LINK_FIELDS,
}


@dataclass
class Entry:
    """One entry of a data set table, and where it stands in its file."""

    where: str  # "cedaw.toml: recommendations[3]"
    values: dict[str, Any]


@dataclass
class DataSet:
    """The entries of one or more data set files, table by table."""

    bodies: list[Entry] = field(default_factory=list)
    documents: list[Entry] = field(default_factory=list)
    recommendations: list[Entry] = field(default_factory=list)
    actions: list[Entry] = field(default_factory=list)
    evidence: list[Entry] = field(default_factory=list)
    assessments: list[Entry] = field(default_factory=list)
    clusters: list[Entry] = field(default_factory=list)
    links: list[Entry] = field(default_factory=list)

    def extend(self, other: DataSet) -> None:
        for table in TABLES:
            getattr(self, table).extend(getattr(other, table))


class DataSetError(RectrackError):
    """A data set with problems, each named with its place; nothing was loaded."""

    SHOWN = 50  # problems listed before "and N more"

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = f"{len(problems):,} problem{'s' if len(problems) != 1 else ''}"
        listed = problems[: self.SHOWN]
        if len(problems) > self.SHOWN:
            more = len(problems) - self.SHOWN
            listed.append(f"... and {more:,} more problem{'s' if more != 1 else ''}")
        super().__init__(f"{count} in the data set, nothing loaded:\n  " + "\n  ".join(listed))


# Whole numbers a data set may give, and their range: (lowest, highest, what they are).
NUMBERS: dict[str, tuple[int, int, str]] = {
    "size": (0, 2**62, "a size in bytes, 0 or more"),
    "category": (1, 5, "an action category, 1 to 5"),
    "source_row": (1, 2**62, "a row number, 1 or more"),
}


def _wrong_type(value: Any, kind: type) -> bool:
    if isinstance(value, bool) or not isinstance(value, kind):
        return True
    return isinstance(value, list) and not all(isinstance(v, str) for v in value)


def _out_of_range(key: str, value: int) -> str | None:
    low, high, what = NUMBERS.get(key, (0, 2**62, "a whole number"))
    return None if low <= value <= high else f"'{key}' should be {what}, not {value}"


def _check(table: str, where: str, raw: Any) -> tuple[Entry | None, list[str]]:
    """An entry of a table, checked for its shape, and the problems found."""
    if not isinstance(raw, dict):
        return None, [f"{where}: expected a table"]
    spec = TABLES[table]
    problems = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        kind = spec.get(key)
        if kind is None:
            problems.append(f"{where}: unknown field '{key}' (known: {', '.join(spec)})")
        elif _wrong_type(value, kind):
            expected = {list: "a list of strings", int: "a whole number"}.get(kind, "a string")
            problems.append(f"{where}: '{key}' should be {expected}")
        elif kind is int and (wrong := _out_of_range(key, value)):
            problems.append(f"{where}: {wrong}")
        else:
            values[key] = value
    problems += [f"{where}: '{key}' is missing" for key in REQUIRED[table] if not values.get(key)]
    return Entry(where, values), problems


def read_dataset(path: Path | Traversable) -> DataSet:
    """Read one data set file; raise DataSetError listing every problem of shape."""
    if isinstance(path, Path):
        from rectrack.io.limits import check_file_size

        check_file_size(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise DataSetError([f"{path.name}: not valid TOML: {e}"]) from None
    except RecursionError:
        raise DataSetError(
            [f"{path.name}: not a data set: its arrays or tables are nested too deeply"]
        ) from None
    except UnicodeDecodeError:
        raise DataSetError([f"{path.name}: not a TOML text file (not UTF-8)"]) from None
    except OSError as e:
        raise RectrackError(f"cannot read {path}: {e.strerror}") from None
    problems: list[str] = []
    for key in sorted(set(data) - set(TABLES)):
        problems.append(f"{path.name}: unknown table '{key}' (known: {', '.join(TABLES)})")
    dataset = DataSet()
    for table in TABLES:
        target = getattr(dataset, table)
        entries = data.get(table, [])
        if not isinstance(entries, list):
            problems.append(f"{path.name}: '{table}' should be an array of tables ([[{table}]])")
            continue
        for i, raw in enumerate(entries):
            entry, found = _check(table, f"{path.name}: {table}[{i + 1}]", raw)
            problems += found
            if entry is not None:
                target.append(entry)
    if problems:
        raise DataSetError(problems)
    return dataset


def _has_carriage_return(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, list):
        return any(_has_carriage_return(v) for v in value)
    return False


def write_dataset(path: Path, tables: Mapping[str, Iterable[dict[str, Any]]]) -> dict[str, int]:
    """Write a data set: each table an array of tables, empty values left out; how many
    entries each table has. The entries are written as they come (a table may be read from
    the database as it is written). Texts with line breaks are written as multi-line
    strings, except where a text holds a carriage return: TOML's multi-line strings do not
    keep one, so that entry's texts are written on one line with escapes (`\\r\\n`) and
    read back exactly."""
    import tomli_w

    header = (
        "# A rectrack data set: load it with `rectrack import FILE.toml`.\n"
        "# Fields: see the section 'Data sets' of rectrack's README.\n\n"
    )
    counts = dict.fromkeys(tables, 0)
    with path.open("w", encoding="utf-8") as f:
        f.write(header)
        for name, rows in tables.items():
            for row in rows:
                entry = {k: v for k, v in row.items() if v not in (None, "", [])}
                multiline = not any(_has_carriage_return(v) for v in entry.values())
                f.write(f"[[{name}]]\n{tomli_w.dumps(entry, multiline_strings=multiline)}\n")
                counts[name] += 1
    return counts
