"""rectrack report as a user runs it on the sample data set: Markdown on the screen or in a
file, HTML and DOCX files, the filters, --group-by, --since, --lang and --title, and the
refusals that leave files and database as they were."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from docx import Document

from relations_data import Parsed

FUND = ["GRETA-2014-0001", "EU-2015-0004", "EU-2018-0002", "CEDAW-2019-0004", "GRETA-2023-0005"]


def test_markdown_on_the_screen(cli, sample: Path) -> None:
    out = cli.ok("report", "--theme", "compensation")
    assert out.startswith("# Implementation of recommendations\n")
    assert "*Selection: theme: compensation.*" in out
    assert "\n## compensation\n" in out
    assert "\n### GRETA-2023-0005: Set up a state compensation fund\n" in out
    assert "- The state claims: In progress (2024-03)" in out
    assert "Službeni glasnik RS 25/2024" in out
    assert "\n## Overdue follow-ups\n" in out
    assert "- **GRETA-2023-0005** Set up a state compensation fund" in out
    assert "\n## Notes\n" in out
    assert "\n## What changed" not in out
    assert "### TIP-2021-0001" not in out  # not about compensation


def test_markdown_to_a_file(cli, sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "compensation.md"
    out = cli.ok("report", "--theme", "compensation", "-o", path)
    assert out == f"wrote {path} (8 recommendations in 4 groups, 2 notes)\n"
    assert path.read_text(encoding="utf-8") == cli.ok("report", "--theme", "compensation")


def test_a_cluster_report_in_html(cli, sample: Path, tmp_path: Path) -> None:
    cli.ok("cluster", "add", "Victim compensation fund", *FUND)
    path = tmp_path / "fund.html"
    out = cli.ok("report", "--cluster", "victim compensation fund", "-g", "cluster", "-o", path)
    assert out == f"wrote {path} (5 recommendations in 1 group, 2 notes)\n"
    page = path.read_text(encoding="utf-8")
    parsed = Parsed(page)
    assert sorted(parsed.values("article", "id")) == sorted(FUND)
    assert "<h2>Victim compensation fund</h2>" in page
    assert "<svg" in page and "<script" not in page.lower()
    assert [i for i in parsed.ids() if i.startswith("note-")] == ["note-1", "note-2"]


def test_every_recommendation_of_the_sample_in_html(cli, sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "all.html"
    cli.ok("report", "--group-by", "body", "-o", path, "--title", "Serbia: where things stand")
    page = path.read_text(encoding="utf-8")
    articles = Parsed(page).values("article", "id")
    assert sorted(articles) == sorted(r["key"] for r in cli.json("list"))
    assert "<title>Serbia: where things stand</title>" in page
    assert [h for h in re.findall(r"<h2>([^<]*)</h2>", page)][:7] == [
        "Where things stand",
        "CEDAW",
        "EU",
        "GRETA",
        "TIP",
        "UPR",
        "Overdue follow-ups",
    ]


def test_a_body_report_in_word(cli, sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "greta.docx"
    out = cli.ok("report", "--body", "greta", "--group-by", "document", "-o", path)
    assert out.startswith(f"wrote {path} (14 recommendations in 3 groups")
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Where things stand"
    assert "GRETA third evaluation round report on Serbia (2023)" in headings
    keys = [p.text.split(":")[0] for p in document.paragraphs if p.style.name == "Heading 3"]
    assert sorted(keys) == sorted(k for k in cli.keys("--body", "greta"))
    assert len(document.tables) == 2


def test_the_format_option_wins_over_the_name(cli, sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    cli.ok("report", "--body", "tip", "--format", "md", "-o", path)
    assert path.read_text(encoding="utf-8").startswith("# Implementation of recommendations")


def test_force_overwrites(cli, sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("old draft", encoding="utf-8")
    cli.ok("report", "--body", "tip", "-o", path, "--force")
    assert path.read_text(encoding="utf-8").startswith("# Implementation")


def test_since_with_and_without_changes(cli, sample: Path) -> None:
    today = dt.date.today().isoformat()
    cli.ok("assess", "GRETA-2023-0003", "--status", "in_progress", "--date", "2025-09")
    out = cli.ok("report", "--body", "greta", "--since", today)
    changed = out.split(f"\n## What changed since {today}\n", 1)[1]
    assert "### Statuses that moved" in changed
    assert "- GRETA-2023-0003: Our assessment: Unknown → In progress (2025-09)" in changed
    later = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    out = cli.ok("report", "--body", "greta", "--since", later)
    assert f"## What changed since {later}\n\nNothing was recorded since {later}." in out


def test_overdue_follow_ups(cli, sample: Path) -> None:
    out = cli.ok("report", "--body", "greta")
    overdue = out.split("\n## Overdue follow-ups\n", 1)[1].split("\n## ", 1)[0]
    keys = re.findall(r"^- \*\*(\S+)\*\*", overdue, re.M)
    assert keys == [f"GRETA-2023-000{n}" for n in range(1, 9)]
    cli.ok("assess", "GRETA-2023-0001", "--status", "implemented", "--date", "2025-10")
    out = cli.ok("report", "--body", "greta")
    overdue = out.split("\n## Overdue follow-ups\n", 1)[1].split("\n## ", 1)[0]
    assert "GRETA-2023-0001" not in overdue
    assert "No follow-up is overdue." in cli.ok("report", "--body", "cedaw")


def test_by_state_and_as_of(cli, sample: Path) -> None:
    out = cli.ok("report", "--body", "greta", "--by", "state", "--as-of", "2024-12-31")
    assert "status on 2024-12-31, State's claim." in out.splitlines()[2]
    summary = out.split("\n## Where things stand\n", 1)[1].split("\n### ", 1)[0]
    # GRETA-2023-0005, by the state in 2024-03; GRETA-2023-0002's claim came in 2025
    assert "| In progress | 1 | 7% |" in summary
    assert "| Unknown | 13 | 93% |" in summary


@pytest.mark.parametrize(
    ("lang", "title", "summary", "status"),
    [
        ("sr-Latn", "# Sprovođenje preporuka", "## Stanje", "Nije sprovedeno"),
        ("sr-Cyrl", "# Спровођење препорука", "## Стање", "Није спроведено"),
        ("en", "# Implementation of recommendations", "## Where things stand", "Not implemented"),
    ],
)
def test_the_language(cli, sample: Path, lang: str, title: str, summary: str, status: str) -> None:
    out = cli.ok("report", "--body", "greta", "--lang", lang)
    assert out.startswith(title + "\n")
    assert f"\n{summary}\n" in out
    assert f"| {status} |" in out


def test_the_language_of_an_html_and_a_word_report(cli, sample: Path, tmp_path: Path) -> None:
    page = tmp_path / "sastanak.html"
    cli.ok("report", "--since", "2025-01-01", "-o", page, "--lang", "sr-Latn")
    text = page.read_text(encoding="utf-8")
    assert '<html lang="sr-Latn">' in text
    assert "<h2>Šta se promenilo od 2025-01-01</h2>" in text
    assert "<h2>Istekli rokovi za praćenje</h2>" in text
    word = tmp_path / "izvestaj.docx"
    cli.ok("report", "-o", word, "--lang", "sr-Cyrl")
    headings = [p.text for p in Document(str(word)).paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Стање"
    assert headings[-1] == "Истекли рокови за праћење"  # the notes are footnotes


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["report", "--format", "pdf"], 2, ["'pdf' is not a report format", "md, html, docx"]),
        (["report", "-o", "{tmp}/r.pdf"], 2, ["cannot tell the format of r.pdf"]),
        (["report", "--format", "docx"], 2, ["a DOCX report needs a file"]),
        (["report", "--format", "html"], 2, ["needs a file"]),
        (["report", "-o", "{tmp}/draft.md"], 1, ["already exists", "--force"]),
        (["report", "-o", "{tmp}/draft.docx"], 1, ["already exists"]),
        (["report", "-o", "{tmp}/missing/r.md"], 1, ["does not exist"]),
        (["report", "--group-by", "colour"], 2, ["grouping", "cluster"]),
        (["report", "--lang", "fr"], 2, ["fr"]),
        (["report", "--since", "04/03/2025"], 2, ["04/03/2025"]),
        (["report", "--body", "nope"], 2, ["nope"]),
        (["report", "--cluster", "nope"], 2, ["no cluster 'nope'"]),
    ],
)
def test_refused(
    cli, sample: Path, tmp_path: Path, args: list[str], code: int, fragments: list[str]
) -> None:
    for name in ("draft.md", "draft.docx"):
        (tmp_path / name).write_text("my own words", encoding="utf-8")
    given = [a.replace("{tmp}", str(tmp_path)) for a in args]
    cli.refused(given, code, *fragments)
    assert (tmp_path / "draft.md").read_text(encoding="utf-8") == "my own words"
    assert (tmp_path / "draft.docx").read_text(encoding="utf-8") == "my own words"
    assert not (tmp_path / "r.pdf").exists() and not (tmp_path / "r.md").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
