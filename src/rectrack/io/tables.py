"""Tables in files: CSV (in whatever encoding it was saved), XLSX, JSON and JSON lines, read
as a header and rows, each row with where it stands in its file. Rows are read one at a
time, so that a large file costs little memory."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from rectrack.errors import RectrackError

SAMPLE = 1 << 20  # how much of a file is read to tell its encoding
CANDIDATES = ("cp1252", "cp1250", "mac_roman")
# Letters each single-byte encoding is expected to give: a Western text in Windows-1252 or
# Mac Roman, a Central European (Serbian, Croatian, Czech, Polish...) one in Windows-1250.
# (æ and ð are left out: in a Central European text read as Western they stand for ć and
# đ, and Western texts seldom have them.)
_WESTERN = set("àáâãäåçèéêëìíîïñòóôõöøùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßœŒ")
_CENTRAL = set("čćđšžČĆĐŠŽąęłńśźżĄĘŁŃŚŹŻáéíóúýďěňřťůÁÉÍÓÚÝĎĚŇŘŤŮőűŐŰ")
_HOME = {"cp1252": _WESTERN, "mac_roman": _WESTERN, "cp1250": _CENTRAL}
_TYPOGRAPHY = set("“”‘’–—…•€°§©®«»·")


# The longest field a CSV file may have: a text of 131,072 characters and more reads back,
# a 10 MB cell (a quote that is never closed, a file that is no table) is refused.
FIELD_LIMIT = 1_000_000


def _nothing() -> None:
    return None


def csv_error(name: str, number: int, error: csv.Error) -> RectrackError:
    """A CSV file's parsing error, in one line with its place and what it likely means."""
    text = str(error)
    if "field larger than field limit" in text:
        what = (
            f"a field of more than {FIELD_LIMIT:,} characters, longer than any text: a "
            "quote that is never closed, or a file that is not a table?"
        )
    elif "NUL" in text:
        what = "holds a NUL byte: binary data, not text (or the wrong --encoding)"
    elif "unexpected end of data" in text:
        what = "a quoted field is never closed (a quote missing its closing quote?)"
    elif "expected after" in text:
        what = (
            f"a quote ends a field in the middle (a stray quote, or one missing its closing "
            f"quote further up?): {text}"
        )
    else:
        what = f"not valid CSV: {text}"
    return RectrackError(f"{name}:{number}: {what}")


def check_row(name: str, number: int, values: list[str], width: int, delimiter: str = ",") -> None:
    """Refuse a row of a CSV file that holds a NUL byte (binary data: Python's csv module
    reads it as a character), or whose quoted field runs over several lines holding what
    look like whole rows of the file (as many fields as the header): a quote left unclosed
    has swallowed the rows after it. Real multi-line texts seldom have a line split so."""
    if any("\x00" in v for v in values):
        raise RectrackError(
            f"{name}:{number}: holds a NUL byte: binary data, not text (or the wrong --encoding)"
        )
    if width < 3:
        return
    for value in values:
        if "\n" not in value and "\r" not in value:
            continue
        lines = value.splitlines()
        for offset, line in enumerate(lines[1:], start=1):
            if line.count(delimiter) < width - 1:
                continue
            fields = next(csv.reader([line], delimiter=delimiter), [])
            if len(fields) >= width:
                shown = line if len(line) <= 60 else line[:57] + "..."
                raise RectrackError(
                    f"{name}:{number}: a quoted field runs over {len(lines)} lines and holds "
                    f"what looks like a whole row ('{shown}', line {number + offset}): is a "
                    "closing quote missing? Nothing was imported"
                )


def check_csv_rows(name: str, handle: TextIO, delimiter: str, lines: int) -> None:
    """Refuse a CSV file with more rows than the limit, before any row is kept: counted in
    a stream, only when the file has more lines than the limit (a row has one line or
    more). `lines` is how many line breaks the file has; the handle is read to its end."""
    from rectrack.io.limits import limits, too_many_rows

    limit = limits()
    if lines <= limit.rows:
        return
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(handle, delimiter=delimiter)
    count = -1  # the header
    try:
        for _ in reader:
            count += 1
            if count > limit.rows:
                raise too_many_rows(name, limit)
    except csv.Error as e:
        raise csv_error(name, reader.line_num, e) from None


def count_lines(path: Path) -> int:
    """How many line breaks a file has, counted in chunks."""
    count = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            count += chunk.count(b"\n")
    return count


@dataclass
class Table:
    """A table read from a file: its header as written, and its rows as (number, values),
    the number being the line (CSV, JSON lines), row (XLSX) or item (JSON) where the row
    is. `position()` tells how far reading has come, as (done, total) in any unit;
    `close()` lets go of the file when the rows are not all read."""

    name: str
    kind: str  # csv, xlsx, json
    columns: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str | None = None
    position: Callable[[], tuple[int, int]] | None = None
    close: Callable[[], None] = _nothing


def _score(text: str, encoding: str) -> int:
    """How unlikely a decoding is: characters no text has count heavily, odd symbols and
    capitals inside a lower-case word a little, letters of the encoding's own languages
    and apostrophes inside a word (women’s) count in its favour."""
    score = 0
    home = _HOME[encoding]
    for i, ch in enumerate(text):
        if ch < "\x80":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch.isalpha():
            if ch.isupper() and before.islower():
                score += 3  # `ProtŽger`: a capital inside a word is a wrong reading
            elif ch in home:
                score -= 1
        elif ch in "’‘" and before.isalpha() and after.isalpha():
            score -= 1
        elif ch in _TYPOGRAPHY:
            continue
        elif ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn"):
            score += 10
        else:
            score += 2
    return score


def detect_encoding(head: bytes) -> str:
    """The encoding of a text file from its first bytes: a byte-order mark, UTF-16 without
    one (every other byte zero), UTF-8, else the likeliest of Windows-1252, Windows-1250
    and Mac Roman."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SAMPLE)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    scores = {e: _score(head.decode(e, errors="replace"), e) for e in CANDIDATES}
    return min(CANDIDATES, key=lambda e: (scores[e], CANDIDATES.index(e)))


def not_text(path: Path, encoding: str, error: UnicodeDecodeError) -> RectrackError:
    """A file that is not text in the encoding, with the line of the first byte that is
    not (for encodings that keep ASCII's line breaks)."""
    place = path.name
    if not encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        decoder = codecs.getincrementaldecoder(encoding)()
        line = 1
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as e:
                    line += chunk[: max(e.start, 0)].count(b"\n")
                    place = f"{path.name}:{line}"
                    break
                line += chunk.count(b"\n")
    return RectrackError(f"{place}: not {encoding} text ({error.reason}): give --encoding")


def _open_text(path: Path, encoding: str | None) -> tuple[TextIO, BinaryIO, str]:
    """The file as text (and the bytes beneath, whose position tells the progress)."""
    if encoding is None:
        with path.open("rb") as f:
            head = f.read(SAMPLE)
        encoding = detect_encoding(head)
        if b"\x00" in head and not encoding.startswith("utf-16"):
            raise RectrackError(f"{path.name}: not a text file (it holds binary data: a NUL byte)")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise RectrackError(f"'{encoding}' is not an encoding Python knows") from None
    raw = path.open("rb")
    return io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict"), raw, encoding


def read_csv_table(path: Path, encoding: str | None = None) -> Table:
    """A CSV file as a table: its encoding detected unless named, its delimiter (comma,
    semicolon or tab) sniffed, quotes parsed strictly (an unbalanced quote is an error,
    never a swallowed row)."""
    from rectrack.io.limits import check_file_size

    check_file_size(path)
    handle, raw, used = _open_text(path, encoding)
    size = path.stat().st_size
    try:
        sample = handle.read(64 * 1024)
    except UnicodeDecodeError as e:
        handle.close()
        raise not_text(path, used, e) from None
    handle.seek(0)
    delimiter = max((",", ";", "\t"), key=lambda d: sample.split("\n", 1)[0].count(d))
    try:
        check_csv_rows(path.name, handle, delimiter, count_lines(path))
    except UnicodeDecodeError as e:
        handle.close()
        raise not_text(path, used, e) from None
    except RectrackError:
        handle.close()
        raise
    handle.seek(0)
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(handle, delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        handle.close()
        raise csv_error(path.name, 1, e) from None
    except UnicodeDecodeError as e:
        handle.close()
        raise not_text(path, used, e) from None
    if not header:
        handle.close()
        raise RectrackError(f"{path.name} is empty")
    width = len(header)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with handle:
            while True:
                number = reader.line_num + 1  # the line the row starts on
                try:
                    values = next(reader, None)
                except csv.Error as e:
                    raise csv_error(path.name, number, e) from None
                except UnicodeDecodeError as e:
                    raise not_text(path, used, e) from None
                if values is None:
                    return
                check_row(path.name, number, values, width, delimiter)
                if any(v.strip() for v in values):
                    yield number, list(values)

    return Table(
        path.name,
        "csv",
        [h.strip() for h in header],
        rows(),
        used,
        lambda: (raw.tell(), size),
        handle.close,
    )


def is_package(path: Path) -> bool:
    """Whether the file is a ZIP package (a workbook); one that starts as a ZIP package,
    or is named as a workbook, but has no ZIP directory is refused as damaged."""
    if zipfile.is_zipfile(path):
        return True
    with path.open("rb") as f:
        start = f.read(4)
    if start == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        raise RectrackError(
            f"{path.name}: a damaged workbook (its ZIP directory is missing: truncated?)"
        )
    return False


def read_xlsx_table(path: Path) -> Table:
    """The first sheet of a workbook as a table, its first non-empty row the header."""
    from rectrack.io.limits import load_workbook, sheet_rows, workbook_error

    wb, package = load_workbook(path)
    try:
        ws = wb.worksheets[0]
        values = sheet_rows(path.name, ws, package)
        header: list[Any] = []
        first = 0
        for row in values:
            first += 1
            if any(v is not None and str(v).strip() for v in row):
                header = [str(v).strip() if v is not None else "" for v in row]
                break
        total = ws.max_row or 0
    except (RectrackError, MemoryError, RecursionError):
        wb.close()
        raise
    except Exception as e:  # a workbook with no sheet, a broken one
        wb.close()
        raise workbook_error(path.name, e) from None
    done = [first]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(values, start=first + 1):
                done[0] = number
                if any(v is not None and (not isinstance(v, str) or v.strip()) for v in row):
                    yield number, list(row)
        finally:
            wb.close()

    return Table(path.name, "xlsx", header, rows(), None, lambda: (done[0], total), wb.close)


def read_json_table(path: Path, lines: bool) -> Table:
    """A JSON array of objects, or JSON lines (one object a line), as a table whose columns
    are the objects' keys in the order first seen."""
    from rectrack.io.limits import check_file_size, limits, too_many_rows

    check_file_size(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RectrackError(f"{path.name} is not UTF-8 text, as JSON must be") from None
    records: list[tuple[int, Any]] = []
    try:
        if lines:
            records = [
                (n, json.loads(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()
            ]
        else:
            data = json.loads(text)
            if not isinstance(data, list):
                raise RectrackError(f"{path.name}: expected an array of objects")
            records = list(enumerate(data, start=1))
    except (json.JSONDecodeError, RecursionError) as e:
        raise RectrackError(f"{path.name}: not valid JSON: {e}") from None
    limit = limits()
    if len(records) > limit.rows:
        raise too_many_rows(path.name, limit, len(records))
    columns: dict[str, None] = {}
    for n, record in records:
        if not isinstance(record, dict):
            raise RectrackError(f"{path.name}:{n}: expected an object")
        columns.update(dict.fromkeys(str(k) for k in record))
    names = list(columns)

    done = [0]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for i, (n, record) in enumerate(records):
            done[0] = i
            yield n, [_json_cell(record.get(c)) for c in names]

    return Table(path.name, "json", names, rows(), "utf-8", lambda: (done[0], len(records)))


def _json_cell(value: Any) -> Any:
    """A JSON value as a cell: a list stays a list (of several values), an object is
    written back as JSON text."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Any tabular file rectrack reads, by its content and name."""
    if is_package(path):
        return read_xlsx_table(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_json_table(path, lines=False)
    if suffix in (".jsonl", ".ndjson"):
        return read_json_table(path, lines=True)
    return read_csv_table(path, encoding)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def write_rejected(
    path: Path, columns: list[str], rejected: Iterable[tuple[int, list[Any], list[str]]]
) -> None:
    """The rows an import left out, as CSV (UTF-8 with a byte-order mark, which Excel
    needs to read it right): where each was, its values as read, and why it was left out."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Line", *columns, "Problems"])
        for line, raw, reasons in rejected:
            values = [_plain(v) for v in raw[: len(columns)]]
            values += [""] * (len(columns) - len(values))
            writer.writerow([line, *values, "; ".join(reasons)])
