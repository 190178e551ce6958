"""CSV files: the Recommendations columns of a workbook, for spreadsheets and scripts.

The headers are in the export's language and read back in any; statuses, priorities and
responses are written as their codes (`not_implemented`), dates as ISO text, and Overdue as
the workbook shows it (`overdue` in the export's language, or nothing). A value that a
spreadsheet would take for a formula (starting with `=`, `+`, `-` or `@`) is written with a
leading `'`, which reading removes again.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rectrack.errors import RectrackError
from rectrack.io.sheet import (
    CONTROL_CHARACTERS,
    FORMULA_STARTS,
    LIST_SEPARATOR,
    RECOMMENDATION_COLUMNS,
    SheetData,
    SheetRow,
    cell_value,
    column_ids,
    header_language,
)

# A value that starts as a formula would, after any apostrophes: one more apostrophe is
# written before it, and taken away on reading (so that `'=x` itself reads back as `'=x`).
_GUARDED = re.compile("^'*[" + re.escape("".join(FORMULA_STARTS)) + "]")


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = CONTROL_CHARACTERS.sub("", str(value))  # as in a workbook, so both read back alike
    return "'" + text if _GUARDED.match(text) else text


def _unfield(text: str) -> str:
    if text.startswith("'") and _GUARDED.match(text[1:]):
        return text[1:]
    return text


# A row is written as it is when no text holds a character cells refuse and none starts
# with an apostrophe or as a formula would (else each value goes through `_field`).
_GUARDED_STARTS = frozenset("'" + "".join(FORMULA_STARTS))


def write_csv(
    path: Path,
    rows: Iterable[Mapping[str, Any]],
    *,
    perspective: str,
    lang: str,
    bom: bool = False,
) -> None:
    """Write the Recommendations columns of the rows as a CSV file (UTF-8, a BOM if asked),
    its headers in `lang`, and the other side's column named from `perspective`."""
    columns = RECOMMENDATION_COLUMNS
    keys = [c.key or "" for c in columns]  # "": a column partners fill in, empty here
    overdue = next(i for i, c in enumerate(columns) if c.kind == "overdue")
    overdue_label = cell_value(columns[overdue], {columns[overdue].key: True}, lang)
    separator = LIST_SEPARATOR
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([c.header(lang, perspective) for c in columns])
        for row in rows:
            values = [row.get(key) for key in keys]
            values[overdue] = overdue_label if values[overdue] else None
            try:
                fields = [
                    v
                    if v.__class__ is str
                    else ""
                    if v is None
                    else separator.join(v)
                    if v.__class__ is list
                    else _field(v)
                    for v in values
                ]
            except TypeError:  # a list of other than texts
                fields = [_field(v) for v in values]
            if CONTROL_CHARACTERS.search("".join(fields)) or not _GUARDED_STARTS.isdisjoint(
                [f[:1] for f in fields]
            ):
                fields = [_field(v) for v in values]
            writer.writerow(fields)


def read_csv(path: Path) -> SheetData:
    """The rows of a CSV file of the Recommendations columns, each with the line it starts on."""
    from rectrack.io.limits import check_file_size
    from rectrack.io.tables import (
        FIELD_LIMIT,
        check_csv_rows,
        check_row,
        count_lines,
        csv_error,
    )

    check_file_size(path)
    number = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            check_csv_rows(path.name, f, ",", count_lines(path))
            f.seek(0)
            csv.field_size_limit(FIELD_LIMIT)
            reader = csv.reader(f, strict=True)
            header = next(reader, None)
            if not header:
                raise RectrackError(f"{path.name} is empty")
            positions = column_ids(header)
            if "key" not in positions:
                first = ", ".join(c.header() for c in RECOMMENDATION_COLUMNS[:3])
                raise RectrackError(
                    f"{path.name} has no Key column (its first line should be "
                    f"the headers: {first}, ...)"
                )
            written = {c: header[i].strip() for c, i in positions.items()}
            rows = []
            while True:
                number = reader.line_num + 1  # the line the row starts on
                values = next(reader, None)
                if values is None:
                    break
                check_row(path.name, number, values, len(header))
                if not any(v.strip() for v in values):
                    continue
                cells = {
                    h: _unfield(values[i]) if i < len(values) else "" for h, i in positions.items()
                }
                rows.append(SheetRow(number, cells, path.name, headers=written))
    except UnicodeDecodeError:
        raise RectrackError(
            f"{path.name}: not UTF-8 text (the encoding of rectrack's CSV files); save it as "
            "CSV UTF-8"
        ) from None
    except csv.Error as e:
        raise csv_error(path.name, number, e) from None
    return SheetData(source=path.name, rows=rows, lang=header_language(header))
