"""Files in and out, and the database itself: `export`, `import`, `init`, `db path`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectrack import domain
from rectrack.render import out, say, say_lines, warning
from rectrack.views.register import change_text

if TYPE_CHECKING:
    from rectrack.io.sheet import ExportData
    from rectrack.services.assessments import AssessmentInput
    from rectrack.services.datasets import LoadReport
    from rectrack.services.importing import ImportPlan

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


def dataset_written(path: Path, tables: dict[str, list[Any]]) -> None:
    say(
        f"wrote {path} ({plural(len(tables['recommendations']), 'recommendation')}, "
        f"{plural(len(tables['actions']), 'action')}, "
        f"{plural(len(tables['evidence']), 'piece')} of evidence, "
        f"{plural(len(tables['assessments']), 'assessment')})"
    )


def export_warning(message: str) -> None:
    warning(message)


def export_written(path: Path, data: ExportData) -> None:
    say(
        f"wrote {path} ({plural(len(data.recommendations), 'recommendation')}, status on "
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
