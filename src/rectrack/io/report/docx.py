"""A report as a Word document (DOCX, python-docx): real headings (so the navigation pane
and a table of contents work), real tables, and each piece of evidence as a real footnote
where it is cited, so that it is edited as any report is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from rectrack import domain
from rectrack.io.report import (
    event_line,
    heading,
    made_line,
    place,
    shown_views,
    status,
    step_line,
    t,
    view_line,
)
from rectrack.io.report.data import Item, Note, ReportData

PAGE_WIDTH_CM = 16.0  # between the margins of python-docx's page (A4 or Letter)
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_EMPTY_FOOTNOTES = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


class _FootnotesPart(Part):
    """The footnotes of a document, written from their XML when the document is saved."""

    def __init__(self, element: Any, package: Any):
        super().__init__(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, b"", package)
        self.element = element

    @property
    def blob(self) -> bytes:
        from lxml import etree

        data: bytes = etree.tostring(
            self.element, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        return data


class Footnotes:
    """The footnotes part of a document (python-docx does not make one): each `add` puts a
    numbered note at the end of a paragraph, its text at the foot of the page."""

    def __init__(self, document: Any):
        self.element = parse_xml(_EMPTY_FOOTNOTES)
        part = _FootnotesPart(self.element, document.part.package)
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        self.next_id = 1

    def add(self, paragraph: Any, text: str, url: str | None = None) -> None:
        number = self.next_id
        self.next_id += 1
        run = paragraph.add_run()
        run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{number}"/>'))
        run.font.superscript = True
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:spacing w:after="0"/>'
            '</w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="18"/></w:rPr>'
            "<w:footnoteRef/></w:r></w:p></w:footnote>"
        )
        p = note.find(qn("w:p"))
        p.append(_text_run(" " + text + (f" {url}" if url else ""), size=18))
        self.element.append(note)


def _text_run(text: str, size: int | None = None) -> Any:
    run = parse_xml(f'<w:r {nsdecls("w")}><w:rPr/><w:t xml:space="preserve"/></w:r>')
    if size:
        run.find(qn("w:rPr")).append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{size}"/>'))
    run.find(qn("w:t")).text = _clean(text)
    return run


def _clean(text: str) -> str:
    """Text as XML may hold it: control characters Word would refuse dropped."""
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32)


def _note_text(note: Note) -> str:
    parts = [note.title, note.kind.replace("_", " "), note.source or "", note.date or ""]
    return ", ".join(p for p in parts if p) + "."


def _status_run(paragraph: Any, data: ReportData, code: str) -> None:
    run = paragraph.add_run(_clean(status(data, code)))
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(domain.STATUS_COLOURS[code])


def _shade(cell: Any, colour: str) -> None:
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{colour}"/>')
    )


def _table(
    document: Any, header: list[str], rows: list[list[str]], numeric_from: int, first: float
) -> Any:
    """A table with a header row (repeated on each page), the first column `first` cm wide
    and the others sharing the rest of the page's width."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.text = _clean(text)
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "E8EEF4")
    for values in rows:
        cells = table.add_row().cells
        for i, text in enumerate(values):
            cells[i].text = _clean(text)
            if i >= numeric_from:
                cells[i].paragraphs[0].alignment = 2  # right
    # The header row repeats on every page the table spans.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))
    rest = (PAGE_WIDTH_CM - first) / max(1, len(header) - 1)
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Cm(first if i == 0 else min(rest, 3.0))
    return table


def _summary(document: Any, data: ReportData) -> None:
    document.add_heading(_clean(t(data, "report.summary")), level=1)
    order = [s for s in domain.STATUS_DISPLAY_ORDER if data.counts.get(s)]
    shares = domain.shares(data.counts)
    rows = [
        [
            status(data, s),
            str(data.counts[s]),
            f"{shares[s]:.0%}" if shares.get(s) is not None else "",
        ]
        for s in order
    ]
    rows.append([t(data, "report.total"), str(data.total), ""])
    header = [t(data, "report.status"), t(data, "report.number"), t(data, "report.share")]
    _table(document, header, rows, numeric_from=1, first=5.0)
    if data.groups:
        group = t(data, f"group.{data.group_by}")
        document.add_heading(_clean(t(data, "report.by", what=group.lower())), level=2)
        header = [group, *(status(data, s) for s in order), t(data, "report.total")]
        rows = [
            [g.name, *(str(g.counts.get(s, 0)) for s in order), str(g.total)] for g in data.groups
        ]
        _table(document, header, rows, numeric_from=1, first=5.0)


def _item(
    document: Any, data: ReportData, item: Item, notes: dict[int, Note], feet: Footnotes
) -> None:
    document.add_heading(_clean(heading(item)), level=3)
    where = document.add_paragraph()
    where.add_run(_clean(place(data, item))).italic = True
    quote = document.add_paragraph(_clean(item.words), style="Quote")
    quote.paragraph_format.space_after = Pt(4)
    for view in shown_views(item):
        p = document.add_paragraph(style="List Bullet")
        label = f"{t(data, f'report.view.{view.perspective}')}: "
        p.add_run(_clean(label))
        _status_run(p, data, view.status)
        rest = view_line(data, view)[len(label) + len(status(data, view.status)) :]
        note = f": {view.note}" if view.note and view.perspective == "ngo" else ""
        p.add_run(_clean(rest + note))
    if item.state_claims_more:
        p = document.add_paragraph(style="List Bullet")
        run = p.add_run(_clean(t(data, "report.gap")))
        run.bold = True
        run.font.color.rgb = RGBColor(0xB4, 0x23, 0x18)
    if item.due:
        text = t(data, "report.due", due=item.due) + (" ⚠" if item.overdue else "")
        document.add_paragraph(_clean(text), style="List Bullet")
    steps = document.add_paragraph(style="List Bullet")
    if item.steps:
        steps.add_run(_clean(t(data, "report.steps")) + ":")
        for step in item.steps:
            document.add_paragraph(_clean(f"{step.id} {step_line(step)}"), style="List Bullet 2")
    else:
        steps.add_run(_clean(f"{t(data, 'report.steps')}: {t(data, 'report.no_steps')}"))
    if item.notes:
        p = document.add_paragraph(style="List Bullet")
        p.add_run(_clean(t(data, "report.evidence")) + ":")
        for i, number in enumerate(item.notes):
            if i:
                p.add_run(",").font.superscript = True
            cited = notes[number]
            feet.add(p, _clean(_note_text(cited)), cited.url or cited.file)
    if item.links:
        text = f"{t(data, 'report.linked')}: {'; '.join(item.links)}"
        document.add_paragraph(_clean(text), style="List Bullet")


def _changes(document: Any, data: ReportData) -> None:
    if data.since is None:
        return
    found = data.changes
    document.add_heading(_clean(t(data, "report.changes", since=data.since)), level=1)
    if not (found["transitions"] or found["recommendations"]):
        document.add_paragraph(_clean(t(data, "report.no_changes", since=data.since)))
        return
    if found["transitions"]:
        document.add_heading(_clean(t(data, "report.moved")), level=2)
        for move in found["transitions"]:
            p = document.add_paragraph(style="List Bullet")
            who = t(data, f"report.view.{move['perspective']}")
            p.add_run(_clean(f"{move['key']}: {who}: "))
            _status_run(p, data, move["before"])
            p.add_run(" → ")
            _status_run(p, data, move["after"])
            p.add_run(_clean(f" ({move['date'] or ''})"))
    for group in found["recommendations"]:
        p = document.add_paragraph(style="List Bullet")
        p.add_run(_clean(group["key"])).bold = True
        p.add_run(_clean(f" {group['summary']}"))
        for event in group["events"]:
            document.add_paragraph(_clean(event_line(data, event)), style="List Bullet 2")


def write_docx(path: Path, data: ReportData) -> None:
    document = Document()
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    core = document.core_properties
    core.title = _clean(data.title)
    core.author = f"rectrack {data.version}"
    core.language = data.lang
    feet = Footnotes(document)
    document.add_heading(_clean(data.title), level=0)
    for line in (made_line(data), t(data, "report.selection", filters=data.filters)):
        document.add_paragraph().add_run(_clean(line)).italic = True
    _summary(document, data)
    if not data.groups:
        document.add_paragraph(_clean(t(data, "report.empty")))
    notes = {n.number: n for n in data.notes}
    for group in data.groups:
        document.add_heading(_clean(group.name), level=1)
        for item in group.items:
            _item(document, data, item, notes, feet)
    document.add_heading(_clean(t(data, "report.overdue")), level=1)
    if data.overdue:
        for item in data.overdue:
            p = document.add_paragraph(style="List Bullet")
            p.add_run(_clean(item.key)).bold = True
            due = t(data, "report.due", due=item.due)
            p.add_run(_clean(f" {item.summary} ({item.reference}): {due}; "))
            _status_run(p, data, item.status)
    else:
        document.add_paragraph(_clean(t(data, "report.no_overdue")))
    _changes(document, data)
    document.save(str(path))
