"""Files in and out, and the database itself: `export`, `import`, `init`, `db path`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rectrack import domain
from rectrack.render import out, say, say_lines, warning
from rectrack.views.register import change_text

if TYPE_CHECKING:
    from rectrack.io.report.data import ReportData
    from rectrack.io.sheet import ExportData
    from rectrack.services.assessments import AssessmentInput
    from rectrack.services.bulk import BulkReport
    from rectrack.services.datasets import LoadReport
    from rectrack.services.importing import ImportPlan
    from rectrack.shapes import ChangeRow

plural = domain.plural


def database_ready(where: str, version: int) -> None:
    say(f"database ready: {where} (schema version {version})")


def database_path(where: str) -> None:
    out(where)


def load_summary(report: LoadReport) -> str:
    """What loading a data set did, in a line: what it added of each kind, and what it
    skipped as already recorded."""
    kinds = (
        ("recommendation", "recommendations", None),
        ("document", "documents", None),
        ("action", "actions", None),
        ("piece", "evidence", "pieces of evidence"),
        ("assessment", "assessments", None),
    )
    parts = []
    for word, field, many in kinds:
        added, present = getattr(report, f"{field}_added"), getattr(report, f"{field}_present")
        if not (added or present) and field not in ("recommendations", "documents"):
            continue
        text = plural(added, word, many)
        if word == "piece":
            text = f"{text} of evidence" if added == 1 else text
        text += " added"
        if present or field == "recommendations":
            text += f", {present} already present"
        parts.append(text)
    return "; ".join(parts)


def sample_loaded(report: LoadReport) -> None:
    say(f"sample data: {load_summary(report)}")


def dataset_written(path: Path, counts: Mapping[str, int]) -> None:
    """What a data set file holds: `counts` of the entries of each table."""
    say(
        f"wrote {path} ({plural(counts['recommendations'], 'recommendation')}, "
        f"{plural(counts['actions'], 'action')}, "
        f"{plural(counts['evidence'], 'piece')} of evidence, "
        f"{plural(counts['assessments'], 'assessment')})"
    )


def export_warning(message: str) -> None:
    warning(message)


def export_written(path: Path, data: ExportData) -> None:
    say(
        f"wrote {path} ({plural(data.meta['recommendations'], 'recommendation')}, status on "
        f"{data.meta['as_of']}, {data.meta['perspective']} view)"
    )


def dataset_loaded(report: LoadReport, dry_run: bool) -> None:
    say(
        ("would load: " if dry_run else "loaded: ")
        + load_summary(report)
        + (" (dry run: nothing written)" if dry_run else "")
    )


def _assessment_line(before: str, given: AssessmentInput) -> str:
    """`new assessment: In progress -> Partial (ngo, 2025-05-20): note`."""
    labels = domain.STATUS_LABELS
    change = f"{labels[before]} -> {labels[given.status or domain.UNKNOWN]}"
    line = f"new assessment: {change} ({given.perspective}, {given.date})"
    return line + (f": {given.note}" if given.note else "")


def sheet_imported(plan: ImportPlan, dry_run: bool) -> None:
    """What an import of a workbook or CSV file changed (or would change), key by key."""
    for w in plan.warnings:
        warning(w)
    for rec in plan.recommendations:
        say(rec.key, style="bold")
        lines = [change_text(c, separator="; ") for c in rec.edits]
        if rec.assessment is not None:
            lines.append(_assessment_line(rec.before, rec.assessment))
        say_lines(lines)
    if not plan.recommendations:
        say("nothing to import: the file matches the database")
        return
    verb = "would change" if dry_run else "changed"
    say(
        f"{plural(len(plan.recommendations), 'recommendation')} {verb}: "
        f"{plural(plan.edits, 'field edit')}, {plural(plan.assessments, 'new assessment')}"
        + (" (dry run: nothing written)" if dry_run else "")
    )


def _bulk_summary(report: BulkReport, dry_run: bool) -> str:
    """The one line that ends a bulk import: added, updated, unchanged, duplicates skipped,
    rejected, then what else there is to know."""
    skipped = report.repeated + report.merged
    counts = (
        f"{report.added:,} added, {report.updated:,} updated, {report.unchanged:,} unchanged, "
        f"{skipped:,} {'duplicate' if skipped == 1 else 'duplicates'} skipped, "
        f"{len(report.rejected):,} rejected"
    )
    more = []
    if report.duplicates:
        more.append(f"{plural(len(report.duplicates), 'possible duplicate')} kept")
    if report.assessments:
        more.append(f"{plural(report.assessments, 'new assessment')}")
    if report.documents_added:
        more.append(f"{plural(report.documents_added, 'document')} added")
    if report.outside:
        more.append(f"{plural(report.outside, 'row')} about other states passed over")
    if report.removed:
        more.append(
            f"{plural(report.removed, 'row')} of removed recommendations left alone "
            "(`rectrack restore KEY` brings one back)"
        )
    line = f"{report.source}: {'would be ' if dry_run else ''}{counts}"
    if more:
        line += f" ({'; '.join(more)})"
    return line + (" (dry run: nothing written)" if dry_run else "")


def source_imported(report: BulkReport, dry_run: bool, rejects: Path | None) -> None:
    """What a bulk import did: the bodies and names it recorded, in a dry run what it
    would add, change and skip, and a summary line on stderr."""
    for code, name in report.bodies_added:
        say(f"{'would record ' if dry_run else ''}new body {code}: {name}")
    for what, n in report.names_added.items():
        many = "recommending states" if what == "recommending state" else None
        names = plural(n, f"new {what}", f"new {many or what + 's'}")
        say(f"would record {names}" if dry_run else f"{names} recorded")
    if report.outside and not (report.added or report.updated or report.unchanged):
        seen = ", ".join(sorted(report.other_countries)[:10]) or "none named"
        warning(
            f"no row of {report.source} is about the state asked for (--country); the file "
            f"names: {seen}"
        )
    if dry_run:
        shown = report.keys
        if shown:
            rest = report.added - len(shown)
            say(f"would add: {', '.join(shown)}" + (f", ... ({rest:,} more)" if rest else ""))
        for key, changes in report.changes:
            say(key, style="bold")
            say_lines(change_text(c, separator="; ") for c in changes)
        for new, old in report.duplicates:
            say(f"possible duplicate: {new} has the same text as {old} (same document)")
    elif report.duplicates:
        n = len(report.duplicates)
        say(
            f"{plural(n, 'recommendation')} {'repeats' if n == 1 else 'repeat'} the text of "
            "another in the same document: see them with --dry-run, or merge them with "
            "--merge-duplicates"
        )
    for rejected in report.rejected[:10]:
        warning(f"{report.source}:{rejected.line}: left out: {'; '.join(rejected.reasons)}")
    if len(report.rejected) > 10:
        warning(f"... and {plural(len(report.rejected) - 10, 'more row')} left out")
    if rejects is not None:
        say(f"rows left out, with why: {rejects}")
    say(_bulk_summary(report, dry_run), err=True)


def report_written(path: Path, data: ReportData) -> None:
    count = len({item.key for group in data.groups for item in group.items})
    say(
        f"wrote {path} ({plural(count, 'recommendation')} in "
        f"{plural(len(data.groups), 'group')}, {plural(len(data.notes), 'note')})"
    )


# ---------------------------------------------------------------------------------------
# The database itself


def backed_up(path: Path) -> None:
    say(f"wrote {path} (a copy of the database; keep it somewhere else too)")


def copied(target: str, counts: dict[str, int]) -> None:
    """What `db copy` wrote: the main records by name, then every row."""
    shown = (
        ("recommendation", "recommendation", None),
        ("action", "action", None),
        ("evidence", "piece of evidence", "pieces of evidence"),
        ("assessment", "assessment", None),
        ("cluster", "cluster", None),
        ("recommendation_link", "link", None),
        ("change_log", "change", None),
    )
    parts = [plural(counts.get(table, 0), one, many) for table, one, many in shown]
    say(f"copied into {target}: {', '.join(parts)} ({plural(sum(counts.values()), 'row')})")


def upgraded(versions: list[int], copy: Path | None) -> None:
    """Said on stderr when a command upgraded the database it opened."""
    if not versions:
        return
    first, last = min(versions), max(versions)
    steps = f"schema {first}" if first == last else f"schema {first} to {last}"
    kept = f"; the database as it was is kept in {copy}" if copy else ""
    say(f"upgraded the database to {steps}{kept}", err=True)


def checked(findings: list[str]) -> None:
    if not findings:
        say("no problems found")
        return
    for finding in findings:
        out(finding)
    say(f"{plural(len(findings), 'problem')} found", err=True)


def migrated(
    version: int, latest: int, steps: list[tuple[int, str]], copy: Path | None, dry_run: bool
) -> None:
    say(f"schema version {version}; this rectrack knows {latest}")
    if not steps:
        say("nothing to migrate")
        return
    verb = "would apply" if dry_run else "applied"
    for number, name in steps:
        say(f"  {verb} {number}: {name}")
    if copy is not None:
        say(f"the database as it was is kept in {copy}")


def change_log(rows: Sequence[ChangeRow], fmt: str) -> None:
    from rectrack.render import Column, emit_rows

    columns = [
        Column("at", "When (UTC)", no_wrap=True, text=lambda r: r["at"][:19].replace("T", " ")),
        Column("by", "Who", no_wrap=True),
        Column("what", "What", no_wrap=True),
        Column("key", "Key", no_wrap=True, style="bold"),
        Column("change", "Change", ratio=1, min_width=30),
    ]
    emit_rows(
        rows,
        columns,
        fmt,
        fields=["at", "by", "action", "what", "key", "change"],
        title=plural(len(rows), "change"),
        empty="No changes recorded.",
    )
