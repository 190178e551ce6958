"""One way to print: rows as a Rich table on a terminal, tab-separated when piped, or csv,
json and jsonl on request; one record as field and value lines; short messages, warnings
and errors on their streams.

Rows are plain mappings, as the services return them. User text is always printed as
`rich.text.Text`, never parsed as markup. Rich is imported only when a table or a styled
message is printed, so that `rectrack --version` and error messages stay cheap.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rectrack import domain
from rectrack.errors import BadValue

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

FORMATS = ("table", "tsv", "csv", "json", "jsonl")
LIST_SEPARATOR = "; "

Row = Mapping[str, Any]


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
    style: Callable[[Row], str | None] | str | None = None
    text: Callable[[Row], str] | None = None  # what a table cell shows
    rich: Callable[[Row], Text] | None = None  # or, styled within: words highlighted

    def cell(self, row: Row) -> Text:
        from rich.text import Text

        if self.rich is not None:
            return visible_text(self.rich(row))
        value = visible(self.text(row)) if self.text else plain(row.get(self.key))
        style = self.style(row) if callable(self.style) else self.style
        return Text(value, style=style or "")


# Control characters a terminal would obey (ANSI and OSC escape sequences start with ESC,
# or with the C1 controls CSI and OSC): every C0 and C1 control but the tab and the line
# break (a carriage return only before a line feed), and DEL.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
_C1 = re.compile(r"[\x7f-\x9f]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def visible(text: str) -> str:
    """User text as it may be shown on a terminal or in a file: control characters
    written as escapes (`\\x1b[31m`), so that a text cannot move the cursor, recolour the
    terminal or set its title; tabs and line breaks stay. The text stored is not changed."""
    return _CONTROLS.sub(_escaped, text) if _CONTROLS.search(text) else text


def visible_text(text: Text) -> Text:
    """A styled text with its control characters escaped, its styles kept in place."""
    from rich.text import Span, Text

    source = text.plain
    if not _CONTROLS.search(source):
        return text
    at = [0] * (len(source) + 1)  # where each position of the source goes
    parts: list[str] = []
    done = shift = 0
    for match in _CONTROLS.finditer(source):
        for i in range(done, match.start() + 1):
            at[i] = i + shift
        parts.append(source[done : match.start()])
        escape = _escaped(match)
        parts.append(escape)
        shift += len(escape) - 1
        done = match.end()
    for i in range(done, len(source) + 1):
        at[i] = i + shift
    parts.append(source[done:])
    shown = Text("".join(parts), style=text.style, justify=text.justify, end=text.end)
    shown.spans = [Span(at[s.start], at[s.end], s.style) for s in text.spans]
    return shown


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def resolve_format(fmt: str | None) -> str:
    """The output format asked for, or the default: a table on a terminal, else TSV."""
    if fmt is None:
        return "table" if stdout_is_terminal() else "tsv"
    folded = fmt.strip().lower()
    if folded not in FORMATS:
        raise BadValue(f"'{fmt}' is not an output format; valid values: {', '.join(FORMATS)}")
    return folded


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

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
    return visible(str(value))


# What would break a TSV line (tabs and everything str.splitlines() splits on) or must be
# shown escaped: a text without any of these is written as it is.
_TSV_SPECIAL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _tsv_field(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str and not _TSV_SPECIAL.search(value):
        return value
    if type(value) is list and all(type(v) is str for v in value):
        joined = LIST_SEPARATOR.join(value)
        if not _TSV_SPECIAL.search(joined):
            return joined
    return " ".join(plain(value).replace("\t", " ").splitlines())


def json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def emit_json(data: Any, indent: int | None = 2) -> None:
    """JSON of the data; a list or iterator under a key of a mapping, or given whole, is
    written item by item (a large register is never held as one text). C1 control
    characters are escaped (`\\u009b`) as JSON escapes the others: the same strings to a
    program, nothing a terminal obeys."""
    if isinstance(data, Mapping):
        streamed = [
            k
            for k, v in data.items()
            if not isinstance(v, (list, dict, str)) and hasattr(v, "__next__")
        ]
        if streamed:
            _emit_json_mapping(data, streamed[0])
            return
    elif not isinstance(data, (list, tuple, dict, str)) and hasattr(data, "__iter__"):
        _emit_json_array(data, "")
        sys.stdout.write("\n")
        return
    sys.stdout.write(_dumps(data, indent) + "\n")


def _dumps(data: Any, indent: int | None = 2) -> str:
    text = json.dumps(json_ready(data), ensure_ascii=False, indent=indent)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _C1.search(text) else text


def _emit_json_array(items: Iterable[Any], margin: str) -> None:
    """A JSON array as json.dumps(indent=2) writes it, `margin` before each of its lines
    after the first, written item by item."""
    out = sys.stdout
    first = True
    for item in items:
        text = _dumps(item)
        out.write(
            ("[\n" if first else ",\n")
            + "\n".join(margin + "  " + line for line in text.split("\n"))
        )
        first = False
    out.write("[]" if first else f"\n{margin}]")


def _emit_json_mapping(data: Mapping[str, Any], key: str) -> None:
    """A JSON object whose `key` holds an iterator, written as json.dumps(indent=2)
    would write it whole."""
    whole = {k: (None if k == key else v) for k, v in data.items()}
    text = _dumps(whole)
    marker = f'  "{key}": null'
    before, after = text.split(marker, 1)
    sys.stdout.write(before + f'  "{key}": ')
    _emit_json_array(data[key], "  ")
    sys.stdout.write(after + "\n")


def _emit_delimited(rows: Iterable[Row], keys: Sequence[str], fmt: str) -> None:
    out = sys.stdout
    if fmt == "tsv":
        out.write("\t".join(keys) + "\n")
        special = _TSV_SPECIAL.search
        for row in rows:
            cells = [row.get(k) for k in keys]
            out.write(
                "\t".join(v if type(v) is str and not special(v) else _tsv_field(v) for v in cells)
                + "\n"
            )
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        for row in rows:
            writer.writerow([plain(row.get(k)) for k in keys])


def _emit_table(
    rows: Sequence[Row], columns: Sequence[Column], title: str | None, sections: str | None
) -> None:
    from rich import box
    from rich.table import Table

    term = console()
    columns = [c for c in columns if term.width >= c.min_terminal]
    flexible = any(c.ratio for c in columns)
    table = Table(
        title=visible(title) if title else None,
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
            justify=c.justify,  # type: ignore[arg-type]
            overflow="fold",
        )
    for row in rows:
        end = bool(sections and row.get(sections))
        table.add_row(*(c.cell(row) for c in columns), end_section=end)
    term.print(table)


def emit_rows(
    rows: Iterable[Row],
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
    if fmt == "json":
        _emit_json_array(rows, "")
        sys.stdout.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            emit_json(row, indent=None)
    elif fmt in ("tsv", "csv"):
        _emit_delimited(rows, list(fields) if fields else [c.key for c in columns], fmt)
    else:
        rows = list(rows)  # a table is laid out whole
        if rows:
            _emit_table(rows, columns, title, sections)
        else:
            say(empty, err=True, style="dim")


def emit_record(
    record: Row,
    labels: Sequence[tuple[str, str]],
    fmt: str | None = None,
    styles: Mapping[str, str] | None = None,
) -> None:
    """Print one record: field and value lines on a terminal (a value in its style from
    `styles`, by field), or the whole record."""
    fmt = resolve_format(fmt)
    if fmt in ("json", "jsonl"):
        emit_json(dict(record), indent=2 if fmt == "json" else None)
    elif fmt in ("tsv", "csv"):
        header = {"field": "field", "value": "value"}
        pairs = [{"field": key, "value": record.get(key)} for key, _ in labels]
        _emit_delimited(pairs, list(header), fmt)
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for key, label in labels:
            value = record.get(key)
            if value in (None, "", []):
                continue
            table.add_row(Text(label), Text(plain(value), style=(styles or {}).get(key, "")))
        console().print(table)


# ---------------------------------------------------------------------------------------
# Messages


def out(line: str) -> None:
    """A line of output that scripts read (a new key, an id): plain, on stdout."""
    sys.stdout.write(visible(line) + "\n")


def say(message: str | Text, *, err: bool = False, style: str | None = None) -> None:
    """A short message to the user; user text inside stays literal."""
    from rich.text import Text

    if isinstance(message, Text):
        text = visible_text(message)
    else:
        text = Text(visible(message), style=style or "")
    console(stderr=err).print(text, soft_wrap=True)


def say_lines(lines: Iterable[str], *, indent: str = "  ") -> None:
    for line in lines:
        say(f"{indent}{line}")


def warning(message: str) -> None:
    sys.stderr.write(f"Warning: {visible(message)}\n")


def error(message: str) -> None:
    """A user's mistake, one line on stderr."""
    sys.stderr.write(f"Error: {visible(message)}\n")


def problems(lines: Iterable[str], summary: str, warnings: Iterable[str] = ()) -> None:
    """Every mistake of a file, one a line with its place, then how many (on stderr)."""
    for w in warnings:
        warning(w)
    for line in lines:
        sys.stderr.write(visible(line) + "\n")
    sys.stderr.write(visible(summary) + "\n")


# ---------------------------------------------------------------------------------------
# Statuses: one label and one colour each, everywhere


def status_style(status: str | None) -> str:
    colours = domain.STATUS_COLOURS
    return f"bold #{colours.get(status or domain.UNKNOWN, colours[domain.UNKNOWN])}"


def status_text(status: str | None) -> Text:
    from rich.text import Text

    status = status or domain.UNKNOWN
    return Text(domain.STATUS_LABELS.get(status, status), style=status_style(status))


def event_style(row: Row) -> str | None:
    """How an event of a history looks: an assessment in its status colour, struck
    through when it was withdrawn."""
    if row.get("withdrawn"):
        return "strike dim"
    return status_style(row["status"]) if row["status"] else None


def status_column(key: str, header: str, **options: Any) -> Column:
    """A table column showing the status in field `key` by its label, in its colour."""
    return Column(
        key,
        header,
        no_wrap=True,
        style=lambda r: status_style(r[key]),
        text=lambda r: domain.STATUS_LABELS[r[key] or domain.UNKNOWN],
        **options,
    )


def emit_status_summary(counts: Mapping[str, int], title: str, bar_width: int = 40) -> None:
    """Count and share of each status, with a proportional coloured bar."""
    from rich.table import Table
    from rich.text import Text

    total = sum(counts.values())
    shares = domain.shares(dict(counts))
    term = console()
    term.print(Text(title, style="bold"))
    table = Table(show_header=False, box=None, padding=(0, 1, 0, 0))
    table.add_column()
    table.add_column(justify="right")
    table.add_column(justify="right")
    table.add_column()
    for status in domain.STATUS_DISPLAY_ORDER:
        n = counts.get(status, 0)
        share = shares.get(status)
        if status == domain.NOT_APPLICABLE and not n:
            continue  # shown only when something was found not applicable
        bar = "█" * round((share or 0) * bar_width) if n else ""
        if n and not bar:
            bar = "▏"
        table.add_row(
            Text(domain.STATUS_LABELS[status], style=status_style(status)),
            str(n),
            "" if share is None else f"{share:.0%}",
            Text(bar, style=status_style(status)),
        )
    table.add_row(Text("Total", style="bold"), str(total), "", "")
    term.print(table)


def blank_line() -> None:
    sys.stdout.write("\n")


# ---------------------------------------------------------------------------------------
# Progress


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for a long task, told (done, total) as it goes; shown only
    when stderr is a terminal and the task takes more than a moment. Yields None when no
    bar is shown."""
    if not sys.stderr.isatty():
        yield None
        return
    import time

    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    started = time.monotonic()
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        console=console(stderr=True),
        transient=True,
    )
    from rich.markup import escape

    task = bar.add_task(escape(visible(description)), total=None)
    shown = False

    def update(done: int, total: int) -> None:
        nonlocal shown
        if not shown and time.monotonic() - started > 0.5:
            bar.start()
            shown = True
        bar.update(task, completed=done, total=total or None)

    try:
        yield update
    finally:
        if shown:
            bar.stop()
