"""One way to print rows: a Rich table on a terminal, tab-separated rows when piped,
or csv, json and jsonl on request.

Rows are plain dicts, as the services return them. User text is always printed as
`rich.text.Text`, never parsed as markup.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rectrack.domain import plural  # noqa: F401  (commands take it from here)
from rectrack.errors import BadValue

FORMATS = ("table", "tsv", "csv", "json", "jsonl")
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    """A column of a table: which field, its header, and how it looks on a terminal."""

    key: str
    header: str
    max_width: int | None = None
    no_wrap: bool = False
    justify: str = "left"
    ratio: int | None = None  # share of the spare width; the others take what they need
    min_width: int | None = None
    min_terminal: int = 0  # left out of tables on terminals narrower than this
    style: Callable[[Mapping[str, Any]], str | None] | str | None = None
    text: Callable[[Mapping[str, Any]], str] | None = None  # what a table cell shows

    def cell(self, row: Mapping[str, Any]) -> Text:
        value = self.text(row) if self.text else plain(row.get(self.key))
        style = self.style(row) if callable(self.style) else self.style
        return Text(value, style=style or "")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def resolve_format(fmt: str | None) -> str:
    if fmt is None:
        return "table" if stdout_is_terminal() else "tsv"
    folded = fmt.strip().lower()
    if folded not in FORMATS:
        raise BadValue(f"'{fmt}' is not an output format; valid values: {', '.join(FORMATS)}")
    return folded


def console(*, stderr: bool = False) -> Console:
    # Made on each call: the streams may be replaced (tests, redirection).
    return Console(file=sys.stderr if stderr else sys.stdout, highlight=False, soft_wrap=False)


def terminal_width() -> int:
    return console().width


def plain(value: Any) -> str:
    """A value as text in a table cell or a TSV/CSV field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(plain(v) for v in value)
    return str(value)


def _tsv_field(value: Any) -> str:
    return " ".join(plain(value).replace("\t", " ").splitlines())


def json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: str | None = None,
    *,
    fields: Sequence[str] | None = None,
    title: str | None = None,
    empty: str = "nothing to show",
    sections: str | None = None,
) -> None:
    """Print rows. `columns` is the terminal table; `fields` the columns of tsv and csv
    (default: the table's columns); json and jsonl give whole rows. `sections` names a
    true/false field that ends a section of the table (a rule under the row)."""
    fmt = resolve_format(fmt)
    out = sys.stdout
    if fmt == "json":
        out.write(json.dumps(json_ready(list(rows)), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(json_ready(row), ensure_ascii=False) + "\n")
    elif fmt in ("tsv", "csv"):
        keys = list(fields) if fields else [c.key for c in columns]
        if fmt == "tsv":
            out.write("\t".join(keys) + "\n")
            for row in rows:
                out.write("\t".join(_tsv_field(row.get(k)) for k in keys) + "\n")
        else:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(keys)
            for row in rows:
                writer.writerow([plain(row.get(k)) for k in keys])
    else:
        if not rows:
            console(stderr=True).print(Text(empty, style="dim"))
            return
        term = console()
        columns = [c for c in columns if term.width >= c.min_terminal]
        flexible = any(c.ratio for c in columns)
        table = Table(
            title=title,
            title_justify="left",
            title_style="bold",
            header_style="bold",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            show_lines=False,
            padding=(0, 1, 0, 0),
            expand=flexible and term.width < 160,
        )
        for c in columns:
            table.add_column(
                c.header,
                max_width=c.max_width,
                min_width=c.min_width,
                no_wrap=c.no_wrap,
                ratio=c.ratio,
                justify=c.justify,
                overflow="fold",
            )  # type: ignore[arg-type]
        for row in rows:
            table.add_row(
                *(c.cell(row) for c in columns), end_section=bool(sections and row.get(sections))
            )
        term.print(table)


def emit_record(
    record: Mapping[str, Any], labels: Sequence[tuple[str, str]], fmt: str | None = None
) -> None:
    """Print one record: field and value lines on a terminal, or the whole record."""
    fmt = resolve_format(fmt)
    out = sys.stdout
    if fmt in ("json", "jsonl"):
        indent = 2 if fmt == "json" else None
        out.write(json.dumps(json_ready(dict(record)), ensure_ascii=False, indent=indent) + "\n")
    elif fmt in ("tsv", "csv"):
        if fmt == "tsv":
            out.write("field\tvalue\n")
            for key, _ in labels:
                out.write(f"{key}\t{_tsv_field(record.get(key))}\n")
        else:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["field", "value"])
            for key, _ in labels:
                writer.writerow([key, plain(record.get(key))])
    else:
        table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for key, label in labels:
            value = record.get(key)
            if value in (None, "", []):
                continue
            table.add_row(Text(label), Text(plain(value)))
        console().print(table)


def say(message: str | Text, *, err: bool = False, style: str | None = None) -> None:
    """A short message to the user; user text inside stays literal."""
    text = message if isinstance(message, Text) else Text(message, style=style or "")
    console(stderr=err).print(text, soft_wrap=True)


# ---------------------------------------------------------------------------------------
# Statuses: one label and one colour each, everywhere


def status_style(status: str | None) -> str:
    from rectrack.domain import STATUS_COLOURS, UNKNOWN

    return f"bold #{STATUS_COLOURS.get(status or UNKNOWN, STATUS_COLOURS[UNKNOWN])}"


def status_text(status: str | None) -> Text:
    from rectrack.domain import STATUS_LABELS, UNKNOWN

    status = status or UNKNOWN
    return Text(STATUS_LABELS.get(status, status), style=status_style(status))


def status_column(key: str, header: str, **options: Any) -> Column:
    """A table column showing the status in field `key` by its label, in its colour."""
    from rectrack.domain import STATUS_LABELS, UNKNOWN

    return Column(
        key,
        header,
        no_wrap=True,
        style=lambda r: status_style(r[key]),
        text=lambda r: STATUS_LABELS[r[key] or UNKNOWN],
        **options,
    )


def emit_status_summary(counts: Mapping[str, int], title: str, bar_width: int = 40) -> None:
    """Count and share of each status, with a proportional coloured bar."""
    from rectrack.domain import STATUS_DISPLAY_ORDER, STATUS_LABELS

    total = sum(counts.values())
    out = console()
    out.print(Text(title, style="bold"))
    table = Table(show_header=False, box=None, padding=(0, 1, 0, 0))
    table.add_column()
    table.add_column(justify="right")
    table.add_column(justify="right")
    table.add_column()
    for status in STATUS_DISPLAY_ORDER:
        n = counts.get(status, 0)
        share = n / total if total else 0.0
        bar = "█" * round(share * bar_width) if n else ""
        if n and not bar:
            bar = "▏"
        table.add_row(
            Text(STATUS_LABELS[status], style=status_style(status)),
            str(n),
            f"{share:.0%}",
            Text(bar, style=status_style(status)),
        )
    table.add_row(Text("Total", style="bold"), str(total), "", "")
    out.print(table)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(json_ready(data), ensure_ascii=False, indent=2) + "\n")
