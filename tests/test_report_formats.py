"""What a draft report says, and how each format says it: Markdown (plain, diff-friendly),
HTML (one self-contained file: no script, nothing fetched, an inline SVG chart) and DOCX
(real Word headings, tables and footnotes). Built from relations_data's register, through
rectrack's services and writers; the command itself is in test_report_cli.py."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree
from sqlmodel import Session

import relations_data as rd
from rectrack.errors import BadValue
from rectrack.io.report import report_format
from rectrack.io.report.data import ReportData
from rectrack.io.report.docx import write_docx
from rectrack.io.report.html import html
from rectrack.io.report.markdown import markdown
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.recommendations import RecInput, add_recommendation
from rectrack.services.report import report_data
from rectrack.shapes import RecFilter, StatusQuery
from relations_data import Parsed

NAME = "Victim compensation fund"
ALL_KEYS = {
    rd.FUND_GRETA,
    rd.FUND_CEDAW,
    rd.NAKNADA_LATIN,
    rd.NAKNADA_CYRILLIC,
    rd.PROSECUTE,
    rd.FEMICIDE,
    rd.RAPPORTEUR_LONG,
    rd.RAPPORTEUR,
    rd.UNDATED,
}


@pytest.fixture
def story(db_with: Callable[..., Session]) -> Session:
    return db_with(rd.build_story)


def data_of(
    session: Session,
    group_by: str = "theme",
    since: str | None = None,
    title: str | None = None,
    lang: str = "en",
    **filters: tuple[str, ...],
) -> ReportData:
    from helpers import rec_filter

    query = StatusQuery(rec_filter(**filters) if filters else RecFilter())
    return report_data(session, query, group_by, since, title, lang)


def section(text: str, heading: str) -> str:
    """The Markdown under a `## heading`, up to the next `## `."""
    after = text.split(f"\n## {heading}\n", 1)[1]
    return after.split("\n## ", 1)[0]


def item_block(text: str, key: str) -> str:
    """The Markdown of one recommendation: from its `### KEY:` heading to the next."""
    after = text.split(f"\n### {key}: ", 1)[1]
    return re.split(r"\n#{2,3} ", after, maxsplit=1)[0]


# --- what a report says (Markdown) ----------------------------------------------------------


def test_each_recommendation_with_its_reference_words_and_status(story: Session) -> None:
    text = markdown(data_of(story, "cluster"))
    block = item_block(text, rd.FUND_CEDAW)
    assert block.startswith("Compensation fund for women\n")
    assert "*CEDAW/C/SRB/CO/4, para. 24(b), 2019-03-14*" in block
    assert (
        "> Create a fund from which women victims of trafficking can receive compensation." in block
    )
    assert "- Our assessment: In progress (2024-02)" in block
    assert "*GRETA(2023)10, para. 85, 2023-06-16*" in item_block(text, rd.FUND_GRETA)
    assert "*CAT, undated*" in item_block(text, rd.UNDATED)


def test_every_perspective_and_the_gap_are_shown(story: Session) -> None:
    block = item_block(markdown(data_of(story)), rd.FUND_GRETA)
    lines = block.splitlines()
    assert "- Our assessment: Not implemented (2024-01)" in lines
    assert "- The state claims: Implemented (2024-03)" in lines
    assert "- **The state claims more than we found.**" in lines
    assert "The body's assessment" not in block  # it has said nothing
    assert "more than we found" not in item_block(markdown(data_of(story)), rd.FUND_CEDAW)


def test_the_ngos_note_is_given_with_its_assessment(story: Session) -> None:
    block = item_block(markdown(data_of(story)), rd.PROSECUTE)
    assert "- Our assessment: Not implemented (2024-06): Court monitoring found lenient" in block


def test_actions_come_with_their_official_references(story: Session) -> None:
    text = markdown(data_of(story))
    block = item_block(text, rd.FUND_GRETA)
    assert "- What the state did:" in block
    assert (
        "  - A2 Programme for combating trafficking 2024-2029 (2024; Službeni glasnik RS 25/2024)"
        in block
    )
    femicide = item_block(text, rd.FEMICIDE)
    assert "  - A1 Femicide register established (2024-05; Službeni glasnik RS 12/2024)" in femicide
    assert "- What the state did: No action recorded." in item_block(text, rd.RAPPORTEUR)


def test_evidence_is_numbered_notes_with_their_links(story: Session) -> None:
    data = data_of(story, "cluster")
    text = markdown(data)
    cited = {}
    for key in (rd.FUND_CEDAW, rd.FUND_GRETA, rd.UNDATED):
        (line,) = [x for x in item_block(text, key).splitlines() if x.startswith("- Evidence:")]
        cited[key] = re.findall(r"\[(\d+)\]", line)
    # numbered in the order the report first cites them
    assert cited == {rd.FUND_CEDAW: ["1"], rd.FUND_GRETA: ["2"], rd.UNDATED: ["3"]}
    notes = section(text, "Notes").strip().splitlines()
    assert notes[1] == (
        "2. Round table on the third round, meeting, Council of Europe, 2025-04-10 "
        "<https://example.org/round-table>"
    )
    assert notes[2].startswith("3. Shadow report 2018") and notes[2].endswith(
        "<https://example.org/s>"
    )
    assert [n.number for n in data.notes] == [1, 2, 3]


def test_a_piece_of_evidence_cited_twice_is_one_note(story: Session) -> None:
    from rectrack.services.evidence import link_evidence

    link_evidence(story, "E1", [rd.FUND_CEDAW, rd.PROSECUTE], [])
    data = data_of(story, "cluster")
    assert len(data.notes) == 3
    items = {i.key: i for g in data.groups for i in g.items}
    number = items[rd.FUND_GRETA].notes[0]
    assert number in items[rd.FUND_CEDAW].notes and items[rd.PROSECUTE].notes == [number]


def test_links_are_shown_from_both_ends(story: Session) -> None:
    text = markdown(data_of(story))
    assert f"- Linked: repeats {rd.FUND_CEDAW}" in item_block(text, rd.FUND_GRETA)
    assert f"- Linked: is repeated by {rd.FUND_GRETA}" in item_block(text, rd.FUND_CEDAW)


def test_overdue_follow_ups(story: Session) -> None:
    due_later = add_recommendation(
        story, RecInput("CRC", "Register every birth.", date="2022", due="2049-01")
    )
    done = add_recommendation(
        story, RecInput("CRC", "Ratify the protocol.", date="2022", due="2022-12")
    )
    assess(story, [done], AssessmentInput("implemented", date="2023"))
    text = markdown(data_of(story))
    assert "- Follow-up due 2024-03 ⚠" in item_block(text, rd.FUND_GRETA)
    assert "- Follow-up due 2049-01" in item_block(text, due_later)
    assert "⚠" not in item_block(text, due_later)
    overdue = section(text, "Overdue follow-ups").strip().splitlines()
    assert overdue == [
        f"- **{rd.FUND_GRETA}** State compensation scheme (GRETA(2023)10, para. 85): "
        "Follow-up due 2024-03; Not implemented"
    ]


def test_no_overdue_follow_up_says_so(story: Session) -> None:
    text = markdown(data_of(story, bodies=("CEDAW",)))
    assert section(text, "Overdue follow-ups").strip() == "No follow-up is overdue."


def test_what_changed_since_a_date(story: Session) -> None:
    today = dt.date.today().isoformat()
    text = markdown(data_of(story, since=today))
    changed = section(text, f"What changed since {today}")
    assert "### Statuses that moved" in changed
    assert f"- {rd.FUND_GRETA}: Our assessment: Unknown → Not implemented (2024-01)" in changed
    assert f"- {rd.FUND_GRETA}: The state claims: Unknown → Implemented (2024-03)" in changed
    assert f"- **{rd.FEMICIDE}** Adopt an action plan on violence against women." in changed
    assert "  - 2024-05 Femicide register established \\[institution\\]" in changed


def test_nothing_changed_since_a_date(story: Session) -> None:
    later = rd.tomorrow()
    text = markdown(data_of(story, since=later))
    assert section(text, f"What changed since {later}").strip() == (
        f"Nothing was recorded since {later}."
    )
    assert "What changed" not in markdown(data_of(story))


@pytest.mark.parametrize(
    ("group_by", "headings"),
    [
        ("cluster", [NAME, "(no cluster)"]),
        ("body", ["CAT", "CEDAW", "EU", "GRETA", "TIP", "UPR"]),
        (
            "theme",
            [
                "compensation",
                "criminal justice",
                "funding",
                "gender-based violence",
                "naknada",
                "national rapporteur",
                "(no theme)",
            ],
        ),
    ],
)
def test_groups(story: Session, group_by: str, headings: list[str]) -> None:
    data = data_of(story, group_by)
    text = markdown(data)
    found = [g.name for g in data.groups]
    assert found == headings
    for name in found:
        assert f"\n## {name}\n" in text
    keys = {i.key for g in data.groups for i in g.items}
    assert keys == ALL_KEYS
    if group_by != "theme":  # a recommendation stands in one group only
        assert sum(len(g.items) for g in data.groups) == len(ALL_KEYS)


def test_group_by_cluster_lists_each_cluster_in_time_order(story: Session) -> None:
    data = data_of(story, "cluster")
    (fund,) = [g for g in data.groups if g.name == NAME]
    assert [i.key for i in fund.items] == [rd.FUND_CEDAW, rd.FUND_GRETA, rd.UNDATED]
    assert fund.total == 3
    assert fund.counts["not_implemented"] == 1 and fund.counts["in_progress"] == 1


def test_the_summary_counts_the_statuses(story: Session) -> None:
    text = markdown(data_of(story, "body"))
    summary = section(text, "Where things stand")
    assert "| Not implemented | 2 | 22% |" in summary
    assert "| In progress | 1 | 11% |" in summary
    assert "| **Total** | **9** | |" in summary
    assert "| GRETA | 0 | 1 | 1 | 2 |" in summary


def test_an_unknown_grouping_is_refused(story: Session) -> None:
    with pytest.raises(BadValue, match="grouping"):
        data_of(story, "colour")


def test_filters_select_and_are_named(story: Session) -> None:
    data = data_of(story, bodies=("GRETA",))
    assert {i.key for g in data.groups for i in g.items} == {rd.FUND_GRETA, rd.NAKNADA_LATIN}
    assert "*Selection: body: GRETA.*" in markdown(data)


def test_the_title(story: Session) -> None:
    assert markdown(data_of(story)).startswith("# Implementation of recommendations\n")
    own = markdown(data_of(story, title="Shadow report to GRETA, 2026"))
    assert own.startswith("# Shadow report to GRETA, 2026\n")


def test_markdown_keeps_user_text_from_becoming_markup(db: Session) -> None:
    key = add_recommendation(
        db,
        RecInput(
            "CEDAW",
            "Adopt *all* of [this](https://evil.example) <b>now</b> | # at once",
            summary="A [link](javascript:alert(1)) in a summary",
            date="2019",
        ),
    )
    text = markdown(data_of(db))
    block = item_block(text, key)
    assert "](" not in block.replace("\\](", "")
    assert "<b>" not in text
    assert (
        "> Adopt \\*all\\* of \\[this\\](https://evil.example) \\<b\\>now\\</b\\> \\| \\#" in block
    )


def test_markdown_never_makes_a_link_of_a_script(story: Session) -> None:
    text = markdown(data_of(story))
    assert "javascript:alert(1)" in text  # shown, so the reader sees what was recorded
    assert "<javascript:" not in text.lower()


def test_an_empty_selection_says_so(story: Session) -> None:
    text = markdown(data_of(story, bodies=("CRC",)))
    assert "No recommendation matches." in text
    assert "| **Total** | **0** | |" in text


def test_markdown_is_plain_and_ends_in_one_newline(story: Session) -> None:
    text = markdown(data_of(story))
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "<" not in text.replace("<https://", "").replace("<javascript:", "")
    assert "\t" not in text and "\r" not in text


# --- languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words", "english"),
    [
        (
            "sr-Latn",
            [
                "# Sprovođenje preporuka",
                "## Stanje",
                "- Naša procena: Nije sprovedeno (2024-01)",
                "- Država tvrdi: Sprovedeno (2024-03)",
                "- Rok za praćenje 2024-03 ⚠",
                "## Istekli rokovi za praćenje",
                "## Napomene",
                "Šta je država preduzela",
            ],
            ["Where things stand", "Our assessment", "Overdue", "Notes", "Not implemented"],
        ),
        (
            "sr-Cyrl",
            [
                "# Спровођење препорука",
                "## Стање",
                "- Наша процена: Није спроведено (2024-01)",
                "## Напомене",
            ],
            ["Where things stand", "Our assessment", "Overdue", "Notes", "Stanje", "Napomene"],
        ),
    ],
)
def test_the_report_speaks_the_language_asked(
    story: Session, lang: str, words: list[str], english: list[str]
) -> None:
    text = markdown(data_of(story, lang=lang))
    for phrase in words:
        assert phrase in text
    for phrase in english:
        assert phrase not in text
    # what the user recorded stays as recorded
    assert "Programme for combating trafficking 2024-2029" in text
    assert "Обезбедити накнаде за жртве трговине људима." in text


def test_the_changes_speak_the_language_asked(story: Session) -> None:
    later = rd.tomorrow()
    text = markdown(data_of(story, since=later, lang="sr-Latn"))
    assert f"## Šta se promenilo od {later}" in text
    assert "What changed" not in text


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_links_speak_the_language_asked(story: Session, lang: str) -> None:
    text = markdown(data_of(story, lang=lang))
    block = item_block(text, rd.FUND_CEDAW)
    (line,) = [x for x in block.splitlines() if rd.FUND_GRETA in x]
    assert "is repeated by" not in line and "repeats" not in line


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl"])
def test_the_changed_items_speak_the_language_asked(story: Session, lang: str) -> None:
    today = dt.date.today().isoformat()
    text = markdown(data_of(story, since=today, lang=lang))
    assert "2024-02" in text.split("\n## ")[-2]  # CEDAW's assessment, among what changed
    assert "(ngo)" not in text and "In progress" not in text
    assert "\\[institution\\]" not in text


# --- HTML ------------------------------------------------------------------------------------


@pytest.fixture
def page(story: Session) -> str:
    return html(data_of(story, "cluster"))


def test_html_is_one_file_that_loads_nothing(page: str) -> None:
    parsed = Parsed(page)
    names = {tag for tag, _ in parsed.tags}
    assert names.isdisjoint({"script", "link", "img", "iframe", "object", "embed", "base"})
    assert "<script" not in page.lower()
    for tag, attrs in parsed.tags:
        for attr, value in attrs.items():
            assert not attr.startswith("on"), (tag, attr)  # no event handlers
            if value and re.search(r"(https?:)?//", value):
                # a link to follow is fine; nothing may be fetched
                assert (tag, attr) in {("a", "href"), ("svg", "xmlns")}, (tag, attr, value)
    assert parsed.values("meta", "charset") == ["utf-8"]
    style = "".join(parsed.styles)
    assert style and "url(" not in style and "@import" not in style


def test_html_has_an_inline_svg_chart_of_the_groups(page: str) -> None:
    parsed = Parsed(page)
    (svg,) = [a for t, a in parsed.tags if t == "svg"]
    assert svg["role"] == "img"
    chart = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert f">{NAME}</text>" in chart and ">(no cluster)</text>" in chart
    assert "<title>Not implemented: 1</title>" in chart
    assert "<title>In progress: 1</title>" in chart
    assert len(parsed.values("rect", "fill")) >= 5


def test_html_has_every_recommendation(page: str) -> None:
    articles = Parsed(page).values("article", "id")
    assert sorted(articles) == sorted(ALL_KEYS)
    assert f"<h3>{rd.FUND_CEDAW}: Compensation fund for women</h3>" in page
    assert "CEDAW/C/SRB/CO/4, para. 24(b), 2019-03-14" in page
    assert "Službeni glasnik RS 25/2024" in page
    assert 'class="gap"' in page.split(f'id="{rd.FUND_GRETA}"')[1].split("</article>")[0]


def test_html_notes_are_numbered_with_anchors(page: str) -> None:
    parsed = Parsed(page)
    notes = [i for i in parsed.ids() if i.startswith("note-")]
    assert notes == ["note-1", "note-2", "note-3"]
    refs = [h for h in parsed.values("a", "href") if h.startswith("#note-")]
    assert sorted(set(refs)) == ["#note-1", "#note-2", "#note-3"]
    assert {r[1:] for r in refs} <= set(parsed.ids())
    ordered = page.split('<ol class="notes">', 1)[1]
    assert ordered.index('id="note-1"') < ordered.index('id="note-2"') < ordered.index('"note-3"')
    assert '<a href="https://example.org/round-table">' in ordered


def test_html_overdue_follow_ups_link_to_their_recommendation(page: str) -> None:
    overdue = page.split("<h2>Overdue follow-ups</h2>", 1)[1].split("<h2>", 1)[0]
    assert f'<a href="#{rd.FUND_GRETA}">{rd.FUND_GRETA}</a>' in overdue
    assert rd.FUND_CEDAW not in overdue


def test_html_never_makes_a_link_of_a_script(page: str) -> None:
    hrefs = Parsed(page).values("a", "href")
    assert hrefs and not any(h.strip().lower().startswith("javascript:") for h in hrefs)
    assert "javascript:alert(1)" in page  # shown as text


@pytest.mark.parametrize("url", ["JavaScript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"])
def test_html_makes_no_link_of_any_script_url(db: Session, url: str) -> None:
    from rectrack.services.actions import ActionInput, add_action
    from rectrack.services.evidence import EvidenceInput, add_evidence

    key = add_recommendation(db, RecInput("CEDAW", "Adopt a law.", date="2019"))
    add_action(db, ActionInput("A law", "law", url="https://example.org/law"), [key])
    add_evidence(db, EvidenceInput("A page", "web", url="https://example.org/page"), [key])
    rd.put_url(db, "A law", url)
    rd.put_url(db, "A page", url)
    page = html(data_of(db))
    hrefs = Parsed(page).values("a", "href")
    assert all(h.startswith("#") for h in hrefs), hrefs
    assert url.split(":")[0] in page  # shown as text


def test_html_escapes_what_the_user_wrote(db: Session) -> None:
    add_recommendation(
        db,
        RecInput(
            "CEDAW",
            "Adopt <script>alert(1)</script> a law & more",
            summary='"><img src=x onerror=alert(1)>',
            date="2019",
        ),
    )
    page = html(data_of(db, title="<i>Draft</i>"))
    names = {tag for tag, _ in Parsed(page).tags}
    assert names.isdisjoint({"script", "img", "i"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a law &amp; more" in page
    assert "<title>&lt;i&gt;Draft&lt;/i&gt;</title>" in page


def test_html_is_in_the_language_asked(story: Session) -> None:
    page = html(data_of(story, lang="sr-Cyrl"))
    assert page.startswith('<!DOCTYPE html>\n<html lang="sr-Cyrl">')
    assert "<h2>Стање</h2>" in page
    assert html(data_of(story, lang="sr-Latn")).startswith('<!DOCTYPE html>\n<html lang="sr-Latn">')


def test_html_prints_on_a4(page: str) -> None:
    style = "".join(Parsed(page).styles)
    assert "@page { size: A4" in style
    assert "@media print" in style


def test_html_ids_are_unique(story: Session) -> None:
    ids = Parsed(html(data_of(story, "theme"))).ids()
    assert len(ids) == len(set(ids))


# --- DOCX ---------------------------------------------------------------------------------------


@pytest.fixture
def docx_file(story: Session, tmp_path: Path) -> Path:
    path = tmp_path / "report.docx"
    write_docx(path, data_of(story, "cluster", since=dt.date.today().isoformat()))
    return path


def footnotes_of(path: Path) -> dict[str, str]:
    """The text of each footnote the document holds (not the separators), by id."""
    document = Document(str(path))
    (part,) = [r.target_part for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES]
    root = etree.fromstring(part.blob)
    out = {}
    for note in root.iter(qn("w:footnote")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
            continue
        out[note.get(qn("w:id"))] = "".join(t.text or "" for t in note.iter(qn("w:t")))
    return out


def test_docx_has_word_headings(docx_file: Path) -> None:
    document = Document(str(docx_file))
    by_style: dict[str, list[str]] = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == ["Implementation of recommendations"]
    assert by_style["Heading 1"][:3] == ["Where things stand", NAME, "(no cluster)"]
    assert "Overdue follow-ups" in by_style["Heading 1"]
    assert f"What changed since {dt.date.today().isoformat()}" in by_style["Heading 1"]
    assert by_style["Heading 2"][0] == "By recurring demand"
    assert sorted(h.split(":")[0] for h in by_style["Heading 3"]) == sorted(ALL_KEYS)
    assert f"{rd.FUND_CEDAW}: Compensation fund for women" in by_style["Heading 3"]
    assert "Quote" in by_style and "List Bullet" in by_style


def test_docx_has_tables_of_the_statuses(docx_file: Path) -> None:
    document = Document(str(docx_file))
    assert len(document.tables) == 2
    summary, groups = ([[c.text for c in row.cells] for row in t.rows] for t in document.tables)
    assert summary[0] == ["Status", "Number", "Share"]
    assert ["Not implemented", "2", "22%"] in summary
    assert summary[-1] == ["Total", "9", ""]
    assert groups[0] == ["Recurring demand", "In progress", "Not implemented", "Unknown", "Total"]
    assert groups[1] == [NAME, "1", "1", "1", "3"]


def test_docx_evidence_is_real_footnotes_referenced_from_the_text(docx_file: Path) -> None:
    with zipfile.ZipFile(docx_file) as z:
        types = z.read("[Content_Types].xml").decode()
        body = z.read("word/document.xml").decode()
        assert "word/footnotes.xml" in z.namelist()
    assert (
        'PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"'
    ) in types
    notes = footnotes_of(docx_file)
    refs = re.findall(r'<w:footnoteReference w:id="(-?\d+)"/>', body)
    assert refs and sorted(refs, key=int) == sorted(notes, key=int)
    assert len(refs) == len(set(refs))
    texts = sorted(notes.values())
    assert any(
        "Round table on the third round, meeting, Council of Europe, 2025-04-10." in t
        and "https://example.org/round-table" in t
        for t in texts
    )
    assert any(t.strip().startswith("Shadow report 2018") for t in texts)


def test_docx_a_footnote_stands_where_the_evidence_is_cited(docx_file: Path) -> None:
    document = Document(str(docx_file))
    notes = footnotes_of(docx_file)
    where: dict[str, str] = {}
    heading = ""
    for p in document.paragraphs:
        if p.style.name == "Heading 3":
            heading = p.text.split(":")[0]
        for ref in p._p.iter(qn("w:footnoteReference")):
            where[notes[ref.get(qn("w:id"))].strip().split(",")[0]] = heading
    assert where["Round table on the third round"] == rd.FUND_GRETA
    assert where["Shadow report 2018"] == rd.UNDATED


def test_docx_makes_no_link_of_a_script(docx_file: Path) -> None:
    with zipfile.ZipFile(docx_file) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "javascript:" not in rels.lower()


def test_docx_in_the_language_asked(story: Session, tmp_path: Path) -> None:
    path = tmp_path / "izvestaj.docx"
    write_docx(path, data_of(story, lang="sr-Cyrl"))
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Стање"
    assert document.core_properties.language == "sr-Cyrl"
    assert document.tables[0].rows[0].cells[0].text == "Статус"


# --- the format -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "given", "chosen"),
    [
        (None, None, "md"),
        ("r.md", None, "md"),
        ("r.markdown", None, "md"),
        ("R.HTML", None, "html"),
        ("r.htm", None, "html"),
        ("r.docx", None, "docx"),
        ("notes.txt", "md", "md"),
        ("r.md", "HTML", "html"),
    ],
)
def test_the_format_follows_the_name_or_format(
    name: str | None, given: str | None, chosen: str
) -> None:
    assert report_format(Path(name) if name else None, given) == chosen


@pytest.mark.parametrize(
    ("name", "given", "message"),
    [
        (None, "pdf", "'pdf' is not a report format; valid values: md, html, docx"),
        ("r.pdf", None, "cannot tell the format of r.pdf"),
        ("report", None, "cannot tell the format of report"),
        (None, "docx", "a DOCX report needs a file: give -o FILE.docx"),
        (None, "html", "a HTML report needs a file"),
    ],
)
def test_a_format_that_cannot_be_written_is_refused(
    name: str | None, given: str | None, message: str
) -> None:
    with pytest.raises(BadValue, match=re.escape(message)):
        report_format(Path(name) if name else None, given)
