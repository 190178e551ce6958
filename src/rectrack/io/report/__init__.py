"""Draft reports: Markdown (plain, diff-friendly), HTML (one self-contained file with an
inline SVG chart, made to read and print well) and DOCX (Word headings, tables and
footnotes, to edit as any report). What they say is gathered by `services.report`; the
words around it are in the report's language (`rectrack.i18n`)."""

from __future__ import annotations

from pathlib import Path

from rectrack import domain, i18n
from rectrack.errors import BadValue
from rectrack.io.report.data import Item, ReportData, Step, View

FORMATS = ("md", "html", "docx")


def report_format(path: Path | None, fmt: str | None) -> str:
    """The format of a report: named, or read from the file's name (Markdown without a
    file). A DOCX or HTML report needs a file."""
    if fmt:
        chosen = fmt.strip().lower()
        if chosen not in FORMATS:
            raise BadValue(f"'{fmt}' is not a report format; valid values: {', '.join(FORMATS)}")
    elif path is None:
        chosen = "md"
    else:
        suffix = path.suffix.lower().lstrip(".")
        chosen = {"markdown": "md", "htm": "html"}.get(suffix, suffix)
        if chosen not in FORMATS:
            raise BadValue(
                f"cannot tell the format of {path.name} from its name: end it in .md, .html "
                "or .docx, or give --format md|html|docx"
            )
    if path is None and chosen != "md":
        raise BadValue(f"a {chosen.upper()} report needs a file: give -o FILE.{chosen}")
    return chosen


def t(data: ReportData, msg_id: str, **values: object) -> str:
    text = i18n.text(msg_id, data.lang)
    return text.format(**values) if values else text


def status(data: ReportData, code: str) -> str:
    return i18n.text(f"status.{code}", data.lang)


def made_line(data: ReportData) -> str:
    perspective = i18n.text(f"perspective.{data.perspective}", data.lang)
    return t(
        data,
        "report.made",
        version=data.version,
        made=data.made_at[:10],
        as_of=data.as_of,
        perspective=perspective,
    )


def view_line(data: ReportData, view: View) -> str:
    """`Our assessment: Not implemented (2025-04-10), grade B`."""
    line = f"{t(data, f'report.view.{view.perspective}')}: {status(data, view.status)}"
    extra = [
        x
        for x in (view.date, t(data, "report.grade", grade=view.grade) if view.grade else None)
        if x
    ]
    return line + (f" ({', '.join(extra)})" if extra else "")


def shown_views(item: Item) -> list[View]:
    """The perspectives worth a line: ours always, the others when they say something."""
    return [v for v in item.views if v.perspective == "ngo" or v.status != domain.UNKNOWN]


def step_line(step: Step) -> str:
    """`A8 Programme for combating trafficking (2024; Službeni glasnik RS 25/2024)`."""
    details = "; ".join(x for x in (step.date, step.reference) if x)
    return f"{step.title}" + (f" ({details})" if details else "")


def safe_url(url: str | None) -> str | None:
    """A link a report may make: web, mail or a relative file path; never a script."""
    if not url:
        return None
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return url if scheme in ("", "http", "https", "mailto", "ftp") else None


def event_text(data: ReportData, event: dict[str, object]) -> str:
    """An item of what changed, in the report's language: `Partial (NGO assessment)`, or
    an action's or evidence's title."""
    kind = event.get("type")
    if kind == "assessment" and event.get("status"):
        who = i18n.text(f"perspective.{event['perspective']}", data.lang)
        return f"{status(data, str(event['status']))} ({who})"
    what = str(event.get("what") or "")
    if data.lang != "en" and kind in ("action", "evidence") and what.endswith("]"):
        what = what[: what.rindex(" [")] if " [" in what else what  # the kind is English
    return what


def event_line(data: ReportData, event: dict[str, object]) -> str:
    return " ".join(x for x in (str(event.get("date") or ""), event_text(data, event)) if x)


def heading(item: Item) -> str:
    return f"{item.key}: {item.summary}"


def place(data: ReportData, item: Item) -> str:
    return ", ".join(x for x in (item.reference, item.date or t(data, "report.undated")) if x)


def write_report(path: Path, fmt: str, data: ReportData) -> None:
    """Write the report in the format (md, html or docx), safely."""
    from rectrack.io.formats import write_safely

    if fmt == "md":
        from rectrack.io.report.markdown import write_markdown

        write_safely(path, lambda target: write_markdown(target, data))
    elif fmt == "html":
        from rectrack.io.report.html import write_html

        write_safely(path, lambda target: write_html(target, data))
    else:
        from rectrack.io.report.docx import write_docx

        write_safely(path, lambda target: write_docx(target, data))
