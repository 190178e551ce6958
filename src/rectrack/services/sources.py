"""Importing recommendations from outside sources: exports of UPR Info and of the Universal
Human Rights Index, and any table an organisation keeps (through a mapping of its
columns). The files are read by `rectrack.io`; the rows are loaded by `services.bulk`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from rectrack import domain
from rectrack.errors import BadValue, RectrackError
from rectrack.io import mapped, uhri, upr_info
from rectrack.io.records import SourceRow
from rectrack.io.tables import Table, read_table, write_rejected
from rectrack.services.bulk import BulkOptions, BulkReport, load_rows
from rectrack.settings import home
from rectrack.shapes import NewNames

Progress = Callable[[int, int], None]  # told (done, total) as a file is read


@dataclass
class SourceOptions:
    """How to read and load a file from outside (the options of `rectrack import`)."""

    maps: Sequence[str] = ()  # FIELD=COLUMN
    map_file: str | None = None  # a TOML file, or the name of a saved mapping
    save_map: str | None = None
    body: str | None = None
    split_on: str | None = None
    status_map: Sequence[str] = ()
    perspective: str | None = None
    assessor: str | None = None
    country: str | None = None
    merge_duplicates: bool = False
    skip_bad: bool = False
    encoding: str | None = None
    new_names: NewNames | None = None
    progress: Progress | None = None

    @property
    def mapped(self) -> bool:
        return bool(self.maps or self.map_file)


def maps_folder() -> Path:
    """Where saved mappings are kept (`--save-map NAME`)."""
    return home() / "maps"


def _map_path(name: str) -> Path:
    """The file of a mapping: a path as given, else the saved mapping of that name."""
    given = Path(name).expanduser()
    if given.is_file() or given.suffix.lower() == ".toml" or len(given.parts) > 1:
        return given
    return maps_folder() / f"{name}.toml"


def _save_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or not all(c.isalnum() or c in "-_." for c in cleaned) or cleaned[0] == ".":
        raise BadValue(
            f"'{name}' is not a name for a mapping: use letters, digits, '-', '_' and '.'"
        )
    return cleaned


def mapping_for(table: Table, options: SourceOptions) -> mapped.Mapping:
    """The mapping of a table's columns the options give (a saved one, then the options
    over it), checked against the table."""
    base = mapped.read_map_file(_map_path(options.map_file)) if options.map_file else None
    mapping = mapped.mapping_of(
        options.maps,
        body=options.body,
        split_on=options.split_on,
        status_map=options.status_map,
        by=options.perspective,
        base=base,
    )
    mapped.check(mapping, table)
    return mapping


def _perspective(given: str | None, mapping: mapped.Mapping | None) -> str:
    chosen = given or (mapping.by if mapping else None) or "ngo"
    return domain.choice(chosen, domain.PERSPECTIVES, "perspective")


def _rows(fmt: str, table: Table, mapping: mapped.Mapping | None) -> Iterator[SourceRow]:
    if fmt == "upr-info":
        return upr_info.records(table)
    if fmt == "uhri":
        return uhri.records(table)
    assert mapping is not None
    return mapped.records(table, mapping)


def _columns(fmt: str, mapping: mapped.Mapping | None) -> dict[str, str]:
    """The file's column of each field, for messages."""
    if mapping is not None:
        return dict(mapping.columns)
    if fmt == "upr-info":
        return {"text": "Text", "country": "To", "response": "Response", "themes": "Issue"}
    return {
        "text": "Text",
        "body": "Reccomending Body",
        "document": "Document Symbol",
        "date": "Document Publication Date",
        "document_date": "Document Publication Date",
        "themes": "Themes",
    }


def _refuse_options(fmt: str, options: SourceOptions) -> None:
    """Options that mean nothing for a format are refused, not ignored: a mapping for the
    exports whose columns are known, and whose view (--by) and assessor for those that
    carry no statuses."""
    if fmt == "table":
        return
    given = [
        name
        for name, value in (
            ("--map", options.maps),
            ("--map-file", options.map_file),
            ("--save-map", options.save_map),
            ("--body", options.body),
            ("--split-on", options.split_on),
            ("--status-map", options.status_map),
        )
        if value
    ]
    no_statuses = [
        name
        for name, value in (("--by", options.perspective), ("--assessor", options.assessor))
        if value
    ]
    if no_statuses:
        raise BadValue(
            f"{', '.join(no_statuses)} {'is' if len(no_statuses) == 1 else 'are'} for files "
            f"with statuses (a table with a status column), and {fmt} exports have none"
        )
    if given:
        raise BadValue(
            f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} for tables "
            f"(--format table), not for {fmt} files, whose columns are known"
        )


def import_source(session: Session, path: Path, fmt: str, options: SourceOptions) -> BulkReport:
    """Load the recommendations of a UPR Info or UHRI export, or of a mapped table (all
    or none; bad rows left out with `skip_bad`)."""
    _refuse_options(fmt, options)
    table = read_table(path, options.encoding)
    if options.encoding and table.kind != "csv":
        table.close()
        raise BadValue(f"--encoding is for CSV files; {path.name} is read as {table.kind.upper()}")
    try:
        mapping = None
        if fmt == "table":
            mapping = mapping_for(table, options)
        else:
            module = upr_info if fmt == "upr-info" else uhri
            if not module.matches(table.columns):
                missing = [c for c in module.REQUIRED if c not in table.columns]
                raise RectrackError(
                    f"{path.name} is not a {fmt} export: it lacks the columns "
                    f"{', '.join(missing)} (its columns: {', '.join(table.columns)})"
                )
        if options.save_map and mapping is not None:
            name = _save_name(options.save_map)
            mapped.write_map_file(maps_folder() / f"{name}.toml", mapping)
        position = table.position
        progress = options.progress

        def tick(_: int) -> None:
            if progress is not None and position is not None:
                progress(*position())

        bulk = BulkOptions(
            source=path.name,
            columns=_columns(fmt, mapping),
            country=options.country,
            merge_duplicates=options.merge_duplicates,
            skip_bad=options.skip_bad,
            create_bodies=fmt == "uhri",
            perspective=_perspective(options.perspective, mapping),
            assessor=options.assessor,
            new_names=options.new_names or NewNames(),
            on_chunk=tick,
        )
        report = load_rows(session, _rows(fmt, table, mapping), bulk)
    finally:
        table.close()
    report.columns = list(table.columns)
    if not (report.added or report.updated or report.unchanged or report.repeated):
        if not (report.merged or report.outside or report.rejected):
            raise RectrackError(f"{path.name} has no recommendations")
    return report


def rejected_path(path: Path) -> Path:
    """Where the rows an import left out are written: `upr.csv` -> `upr.rejected.csv`."""
    return path.with_name(f"{path.stem}.rejected.csv")


def write_rejects(path: Path, report: BulkReport) -> Path | None:
    """Write the rows left out (`--skip-bad`) beside the imported file; its path, or None
    when no row was left out."""
    if not report.rejected:
        return None
    from rectrack.io.formats import write_safely

    target = rejected_path(path)
    rows = [(r.line, r.raw, r.reasons) for r in report.rejected]
    write_safely(target, lambda t: write_rejected(t, report.columns, rows))
    return target
