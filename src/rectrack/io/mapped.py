"""Tables an organisation keeps (CSV, XLSX, JSON, JSON lines), read through a mapping of
rectrack's fields to the file's columns: `--map text=Recommendation --map body=Committee`.
A mapping can be saved under a name and used again (`--save-map`, `--map-file`)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectrack import domain, i18n
from rectrack.errors import BadValue, RectrackError
from rectrack.io.records import SourceRow, cell_text, check_width, split_values
from rectrack.io.tables import Table
from rectrack.io.uhri import date_of

NAME = "table"
FIELDS = (
    "key",
    "body",
    "document",
    "paragraph",
    "date",
    "country",
    "text",
    "summary",
    "themes",
    "institutions",
    "priority",
    "response",
    "due",
    "recommending",
    "affected",
    "sdgs",
    "status",
    "status_date",
    "note",
)
LISTS = ("themes", "institutions", "recommending", "affected", "sdgs")
DATES = ("date", "due", "status_date")
SKIP = "skip"


@dataclass
class Mapping:
    """Which column holds each field, and how values are read: the body when the file has
    no body column, the separator of lists, what each status value of the file means
    (`skip`: no assessment), and whose view the statuses are."""

    columns: dict[str, str]
    body: str | None = None
    split_on: str | None = None
    status_map: dict[str, str] = field(default_factory=dict)
    by: str | None = None

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"columns": self.columns}
        for name in ("body", "split_on", "by"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.status_map:
            data["status_map"] = self.status_map
        return data


def parse_pairs(items: Sequence[str], what: str) -> dict[str, str]:
    """`NAME=VALUE` pairs as typed (`--map text=Recommendation`)."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise BadValue(f"'{item}' is not {what} (write NAME=VALUE)")
        out[name.strip()] = value.strip()
    return out


def mapping_of(
    pairs: Sequence[str],
    body: str | None = None,
    split_on: str | None = None,
    status_map: Sequence[str] = (),
    by: str | None = None,
    base: Mapping | None = None,
) -> Mapping:
    """A mapping from the options given, over a saved one (`base`) if any."""
    columns = dict(base.columns) if base else {}
    for name, column in parse_pairs(pairs, "a mapping of a field to a column").items():
        field_name = name.casefold()
        if field_name not in FIELDS:
            near = domain.closest(name, FIELDS, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise BadValue(f"'{name}' is not a field{hint}; fields: {', '.join(FIELDS)}")
        columns[field_name] = column
    statuses = dict(base.status_map) if base else {}
    for value, status in parse_pairs(status_map, "a status mapping").items():
        code = SKIP if status.casefold() == SKIP else _status_code(status)
        if code is None:
            raise BadValue(
                f"'{status}' is not a status; valid values: {', '.join(domain.ASSESSABLE)}, skip"
            )
        statuses[" ".join(value.casefold().split())] = code
    return Mapping(
        columns,
        body or (base.body if base else None),
        split_on or (base.split_on if base else None),
        statuses,
        by or (base.by if base else None),
    )


def read_map_file(path: Path) -> Mapping:
    """A mapping saved as TOML (`columns`, `body`, `split_on`, `status_map`, `by`)."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise RectrackError(f"no map file {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as e:
        raise RectrackError(f"cannot read {path}: {e}") from None
    except RecursionError:
        raise RectrackError(f"{path}: not a mapping: its tables are nested too deeply") from None
    columns = data.get("columns")
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise RectrackError(f"{path}: 'columns' should be a table of field = \"column\"")
    pairs = [f"{k}={v}" for k, v in columns.items()]
    status_map = data.get("status_map", {})
    if not isinstance(status_map, dict):
        raise RectrackError(f"{path}: 'status_map' should be a table of value = \"status\"")
    statuses = [f"{k}={v}" for k, v in status_map.items()]
    options = {name: data.get(name) for name in ("body", "split_on", "by")}
    for name, value in options.items():
        if value is not None and not isinstance(value, str):
            raise RectrackError(f"{path}: '{name}' should be text in quotes")
    return mapping_of(pairs, status_map=statuses, **options)


def write_map_file(path: Path, mapping: Mapping) -> None:
    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(mapping.to_toml()), encoding="utf-8")


def _status_code(value: str) -> str | None:
    code = i18n.reader("status.").get(" ".join(value.casefold().split()))
    return code if code in domain.ASSESSABLE else None


def check(mapping: Mapping, table: Table) -> None:
    """Refuse a mapping the file cannot give: a column it lacks, or no text, or no body."""
    missing = [f"{f}={c}" for f, c in mapping.columns.items() if c not in table.columns]
    if missing:
        raise BadValue(
            f"{table.name} has no column for {', '.join(missing)}; its columns: "
            f"{', '.join(table.columns)}"
        )
    if "text" not in mapping.columns:
        raise BadValue("map the column of the recommendations' text: --map text=COLUMN")
    if "body" not in mapping.columns and not mapping.body:
        raise BadValue("name the body: --map body=COLUMN, or --body CODE for every row")


def _status(row: SourceRow, column: str, value: str, mapping: Mapping) -> None:
    folded = " ".join(value.casefold().split())
    code = mapping.status_map.get(folded) or _status_code(value)
    if code is None:
        row.refuse(column, f"'{value}' is not a status (map it: --status-map \"{value}=STATUS\")")
    elif code != SKIP:
        row.status = code


def records(table: Table, mapping: Mapping) -> Iterator[SourceRow]:
    """The recommendations of a mapped table, a row each."""
    at = {f: table.columns.index(c) for f, c in mapping.columns.items()}
    for number, values in table.rows:

        def cell(name: str, values: list[Any] = values) -> Any:
            i = at.get(name)
            return values[i] if i is not None and i < len(values) else None

        text = cell_text(cell("text"))
        row = SourceRow(line=number, text=text, body=mapping.body, raw=values)
        check_width(row, values, len(table.columns))
        for name in FIELDS:
            value = cell(name)
            if name == "text" or value is None or (isinstance(value, str) and not value.strip()):
                continue
            column = mapping.columns[name]
            if name in LISTS:
                setattr(row, name, split_values(value, mapping.split_on))
            elif name in DATES:
                try:
                    setattr(row, name, date_of(value))
                except RectrackError as e:
                    row.refuse(column, str(e))
            elif name == "status":
                _status(row, column, cell_text(value), mapping)
            else:
                shown = cell_text(value)
                setattr(row, name, shown.strip() if name != "note" else shown)
        yield row
