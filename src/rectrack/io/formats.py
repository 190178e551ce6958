"""Files in and out: which format a file is, which module reads or writes it, and writing
it safely.

An export is written to a temporary name beside the target and renamed when it is
complete, so that a failure never leaves half a file. A temporary file's name holds the id
of the process writing it (`.rectrack-4242-x1y2.tmp`), openpyxl's temporary sheets go
beside it under such names too, and each write first removes the temporary files of
processes no longer running (killed halfway), so that nothing is left for long.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rectrack.errors import BadValue, Conflict, NotFound, RectrackError
from rectrack.io.sheet import ExportData, SheetData

EXPORT_FORMATS = ("xlsx", "csv", "toml")
IMPORT_FORMATS = ("xlsx", "csv", "toml", "upr-info", "uhri", "table")


def _named(fmt: str, valid: tuple[str, ...], what: str) -> str:
    folded = fmt.strip().lower()
    if folded not in valid:
        raise BadValue(f"'{fmt}' is not {what}; valid values: {', '.join(valid)}")
    return folded


def export_format(path: Path, fmt: str | None) -> str:
    """The format to export to: named, or read from the file's name."""
    if fmt:
        return _named(fmt, EXPORT_FORMATS, "an export format")
    suffix = path.suffix.lower().lstrip(".")
    if suffix in EXPORT_FORMATS:
        return suffix
    raise BadValue(
        f"cannot tell the format of {path.name} from its name: end it in .xlsx, "
        ".csv or .toml, or give --format xlsx|csv|toml"
    )


def check_target(path: Path, force: bool) -> None:
    """Refuse to write over a folder, or over a file without `force`, or into no folder."""
    if path.is_dir():
        raise Conflict(f"{path} is a folder")
    if path.exists() and not force:
        raise Conflict(f"{path} already exists: add --force to overwrite it")
    if not path.parent.is_dir():
        raise RectrackError(f"cannot write {path}: folder {path.parent} does not exist")


def write_export(
    path: Path, fmt: str, data: ExportData, *, bom: bool = False, warn: Callable[[str], None]
) -> None:
    """Write a workbook or CSV file of the export data, safely (see `write_safely`)."""
    if fmt == "xlsx":
        from rectrack.io.xlsx import write_workbook

        def write(target: Path) -> None:
            with openpyxl_temporary_files(target.parent):
                write_workbook(target, data, warn)

        write_safely(path, write)
    else:
        from rectrack.io.csv import write_csv

        write_safely(
            path,
            lambda target: write_csv(
                target,
                data.recommendations,
                perspective=data.meta["perspective"],
                lang=data.lang,
                bom=bom,
            ),
        )


def write_dataset_file(
    path: Path, tables: Mapping[str, Iterable[dict[str, Any]]]
) -> dict[str, int]:
    """Write a TOML data set, safely (see `write_safely`); how many entries of each table
    it holds."""
    from rectrack.io.toml import write_dataset

    counts: dict[str, int] = {}
    write_safely(path, lambda target: counts.update(write_dataset(target, tables)))
    return counts


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


TEMPORARY_PREFIX = ".rectrack-"
# `.rectrack-PID-RANDOM.tmp` (and `...sheet.xml.tmp` for openpyxl's); the first versions
# wrote `.rectrack-RANDOM.tmp`, with no process id.
_TEMPORARY = re.compile(r"^\.rectrack-(?:(\d+)-)?[A-Za-z0-9_]+(?:\.[\w.]+)?\.tmp$")
OLD_TEMPORARY_AGE = 24 * 3600  # seconds after which one with no process id is stale


def temporary_prefix() -> str:
    """The start of the name of a temporary file of this process."""
    return f"{TEMPORARY_PREFIX}{os.getpid()}-"


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no way to tell: leave its files alone
        return True
    return True


def remove_stale_temporary_files(folder: Path) -> list[Path]:
    """Remove the temporary files that writes killed halfway left in `folder`: those of
    processes no longer running (and, of the first versions' names, those older than a
    day). What was removed."""
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(TEMPORARY_PREFIX)]
    except OSError:
        return removed
    for name in names:
        found = _TEMPORARY.match(name)
        if not found:
            continue
        path = folder / name
        try:
            if found.group(1) is not None:
                stale = not _running(int(found.group(1)))
            else:
                stale = time.time() - path.lstat().st_mtime > OLD_TEMPORARY_AGE
            if stale and path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


@contextmanager
def openpyxl_temporary_files(folder: Path) -> Iterator[None]:
    """openpyxl writes each sheet to a temporary file first (in the system's temporary
    folder, where a killed export leaves it): while the block runs, they are made in
    `folder` under this process's temporary names, where the next write removes them."""
    from openpyxl.worksheet import _writer

    original = _writer.create_temporary_file

    def create(suffix: str = "") -> str:
        handle, name = tempfile.mkstemp(
            dir=folder, prefix=temporary_prefix(), suffix=f"{suffix}.sheet.tmp"
        )
        os.close(handle)
        _writer.ALL_TEMP_FILES.append(name)
        return name

    _writer.create_temporary_file = create
    try:
        yield
    finally:
        _writer.create_temporary_file = original


def write_safely(path: Path, write: Callable[[Path], None]) -> None:
    """Write the file under a temporary name beside it, then rename it into place: a
    failure never leaves half a file, nor touches one already there. The temporary files
    of writes killed earlier are removed first."""
    temporary: Path | None = None
    remove_stale_temporary_files(path.parent)
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(), suffix=".tmp")
        os.close(handle)
        temporary = Path(name)
        write(temporary)
        # mkstemp makes the file readable by its owner only; an export is an ordinary file.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as e:
        raise RectrackError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        if temporary is not None:
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass


OUTSIDE_FORMATS = ("upr-info", "uhri", "table")


def expected_columns() -> str:
    """What each format rectrack reads looks like, for a file it cannot tell."""
    from rectrack.io import uhri, upr_info
    from rectrack.io.sheet import RECOMMENDATION_COLUMNS

    ours = ", ".join(c.header() for c in RECOMMENDATION_COLUMNS[:3])
    return (
        f"a workbook or CSV file from `rectrack export` ({ours}, ...); "
        f"a UPR Info export (--format upr-info: {', '.join(upr_info.COLUMNS)}); "
        f"a Universal Human Rights Index export (--format uhri: {', '.join(uhri.REQUIRED)}, "
        "...); any other table (CSV, XLSX, JSON) with --map FIELD=COLUMN for its columns "
        "(--format table); a TOML data set (.toml)"
    )


def import_format(
    path: Path, fmt: str | None, mapped: bool = False, encoding: str | None = None
) -> str:
    """The format of a file to import: named, or recognised from its name, its sheets or
    its columns (`mapped`: the user gave a mapping of its columns, so it is a table)."""
    if not path.is_file():
        raise NotFound(f"no file {path}")
    if fmt:
        return _named(fmt, IMPORT_FORMATS, "an import format")
    if path.suffix.lower() == ".toml":
        return "toml"
    if mapped:
        return "table"
    from rectrack.io.xlsx import is_rectrack_workbook, is_workbook

    if is_workbook(path) and is_rectrack_workbook(path):
        return "xlsx"
    return _outside_format(path, encoding)


def _outside_format(path: Path, encoding: str | None) -> str:
    from rectrack.io import uhri, upr_info
    from rectrack.io.sheet import column_ids
    from rectrack.io.tables import read_table

    table = read_table(path, encoding)
    table.close()
    if upr_info.matches(table.columns):
        return "upr-info"
    if uhri.matches(table.columns):
        return "uhri"
    if "key" in column_ids(table.columns):
        if table.kind == "csv":
            return "csv"
        raise RectrackError(
            f"{path.name} is not a workbook written by `rectrack export` (it has no About "
            "sheet from it): export a fresh one, or give --map FIELD=COLUMN to load it as a "
            "table of your own"
        )
    shown = ", ".join(c for c in table.columns[:12] if c) or "none"
    more = ", ..." if len(table.columns) > 12 else ""
    raise BadValue(
        f"cannot tell what {path.name} holds (its columns: {shown}{more}); rectrack reads "
        + expected_columns()
    )


def read_sheet(path: Path, fmt: str) -> SheetData:
    """The rows of a workbook or CSV file, with what its export remembered."""
    if fmt == "xlsx":
        from rectrack.io.xlsx import read_workbook

        return read_workbook(path)
    from rectrack.io.csv import read_csv

    return read_csv(path)
