"""Files in and out: which format a file is, which module reads or writes it, and writing
it safely.

An export is written to a temporary name beside the target and renamed when it is
complete, so that a failure never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rectrack.errors import BadValue, Conflict, NotFound, RectrackError
from rectrack.io.sheet import ExportData, SheetData

EXPORT_FORMATS = ("xlsx", "csv", "toml")
IMPORT_FORMATS = ("xlsx", "csv", "toml")


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

        write_safely(path, lambda target: write_workbook(target, data, warn))
    else:
        from rectrack.io.csv import write_csv

        write_safely(
            path,
            lambda target: write_csv(
                target, data.recommendations, data.meta["perspective"], bom=bom
            ),
        )


def write_dataset_file(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Write a TOML data set, safely (see `write_safely`)."""
    from rectrack.io.toml import write_dataset

    write_safely(path, lambda target: write_dataset(target, tables))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_safely(path: Path, write: Callable[[Path], None]) -> None:
    """Write the file under a temporary name beside it, then rename it into place: a
    failure never leaves half a file, nor touches one already there."""
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".rectrack-", suffix=".tmp")
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


def import_format(path: Path, fmt: str | None) -> str:
    """The format of a file to import: named, or detected from its content and name."""
    if not path.is_file():
        raise NotFound(f"no file {path}")
    if fmt:
        return _named(fmt, IMPORT_FORMATS, "an import format")
    from rectrack.io.xlsx import is_rectrack_workbook, is_workbook

    if is_workbook(path):
        if is_rectrack_workbook(path):
            return "xlsx"
        raise RectrackError(
            f"{path.name} is not a workbook written by `rectrack export` (it "
            "has no About sheet from it)"
        )
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise BadValue(
        f"cannot tell the format of {path.name}: give --format {'|'.join(IMPORT_FORMATS)}"
    )


def read_sheet(path: Path, fmt: str) -> SheetData:
    """The rows of a workbook or CSV file, with what its export remembered."""
    if fmt == "xlsx":
        from rectrack.io.xlsx import read_workbook

        return read_workbook(path)
    from rectrack.io.csv import read_csv

    return read_csv(path)
