"""What the tests of search, similar, clusters, links and reports share: a small register
of their own (English and Serbian, Latin and Cyrillic), a way to take the FTS5 index out of a
test database so that search scans, and reading a search's or a list's keys.

The register is recorded through rectrack's services, as `rectrack add`, `action add`,
`evidence add` and `assess` record it; tests take their own copy through `db_with`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html.parser import HTMLParser

from sqlalchemy import text
from sqlmodel import Session, select

from rectrack.models import Recommendation
from rectrack.services.actions import ActionInput, add_action
from rectrack.services.assessments import AssessmentInput, assess
from rectrack.services.clusters import add_to_cluster
from rectrack.services.evidence import EvidenceInput, add_evidence
from rectrack.services.links import link
from rectrack.services.recommendations import RecInput, add_recommendation
from rectrack.services.search import Hit

# The register's keys, by what they are about.
FUND_GRETA = "GRETA-2023-85"  # compensation scheme; "compensated", "compensation"
FUND_CEDAW = "CEDAW-2019-24b"  # compensation fund for women
NAKNADA_LATIN = "GRETA-2020-0001"  # Serbian, Latin script: naknadu, žrtvama, Čačak
NAKNADA_CYRILLIC = "EU-2021-0001"  # Serbian, Cyrillic script: накнаде, жртве
PROSECUTE = "TIP-2021-0001"  # a note says "lenient"
FEMICIDE = "UPR-2023-0001"  # theme "gender-based violence"; an action says "femicide"
RAPPORTEUR_LONG = "EU-2015-0001"  # says "rapporteur" once, among many words
RAPPORTEUR = "CEDAW-2016-0001"  # says "rapporteur" often, in few words
UNDATED = "CAT-0001"  # no date, no document

DUE_PAST = "2024-03"
CAT_TEXT = "Provide redress, including compensation, to victims of torture."


def build_register(session: Session) -> None:
    """The register the tests of search, clusters, links and reports read."""
    add = add_recommendation
    add(
        session,
        RecInput(
            "GRETA",
            "Stop postponing the State compensation scheme, so that victims of trafficking "
            "are compensated.",
            document="GRETA(2023)10",
            paragraph="85",
            date="2023-06-16",
            summary="State compensation scheme",
            themes=["compensation"],
            institutions=["Ministry of Justice"],
            due=DUE_PAST,
        ),
    )
    add(
        session,
        RecInput(
            "CEDAW",
            "Create a fund from which women victims of trafficking can receive compensation.",
            document="CEDAW/C/SRB/CO/4",
            paragraph="24(b)",
            date="2019-03-14",
            summary="Compensation fund for women",
            themes=["compensation", "funding"],
        ),
    )
    add(
        session,
        RecInput(
            "GRETA",
            "Obezbediti naknadu štete žrtvama trgovine ljudima iz grada Čačak.",
            date="2020",
            themes=["naknada"],
        ),
    )
    add(session, RecInput("EU", "Обезбедити накнаде за жртве трговине људима.", date="2021"))
    add(
        session,
        RecInput(
            "TIP",
            "Prosecute traffickers and convict complicit officials.",
            date="2021",
            themes=["criminal justice"],
        ),
    )
    add(
        session,
        RecInput(
            "UPR",
            "Adopt an action plan on violence against women.",
            date="2023",
            themes=["gender-based violence"],
        ),
    )
    add(
        session,
        RecInput(
            "EU",
            "Improve the coordination of institutions, the collection of data, the training "
            "of police officers, prosecutors and judges, the protection of witnesses and "
            "the independence of the rapporteur.",
            date="2015",
        ),
    )
    add(
        session,
        RecInput(
            "CEDAW",
            "Appoint a rapporteur; give the rapporteur staff.",
            date="2016",
            themes=["national rapporteur"],
        ),
    )
    add(session, RecInput("CAT", CAT_TEXT, themes=["compensation"]))
    assess(
        session,
        [PROSECUTE],
        AssessmentInput(
            "not_implemented", date="2024-06", note="Court monitoring found lenient sentences."
        ),
    )
    assess(session, [FUND_GRETA], AssessmentInput("not_implemented", date="2024-01"))
    assess(
        session, [FUND_GRETA], AssessmentInput("implemented", date="2024-03", perspective="state")
    )
    add_action(
        session,
        ActionInput(
            "Femicide register established",
            "institution",
            date="2024-05",
            reference="Službeni glasnik RS 12/2024",
        ),
        [FEMICIDE],
    )


def build_story(session: Session) -> None:
    """The register, with what a report and `cluster show` tell: actions with their official
    references, evidence with links (one a script), a cluster and links."""
    build_register(session)
    action = add_action(
        session,
        ActionInput(
            "Programme for combating trafficking 2024-2029",
            "strategy",
            date="2024",
            reference="Službeni glasnik RS 25/2024",
            url="https://example.org/programme",
        ),
        [FUND_GRETA, FUND_CEDAW],
    )
    add_evidence(
        session,
        EvidenceInput(
            "Round table on the third round",
            "meeting",
            date="2025-04-10",
            source="Council of Europe",
            url="https://example.org/round-table",
        ),
        [FUND_GRETA],
        [action],
    )
    add_evidence(
        session,
        EvidenceInput("A link that is a script", "web", url="https://example.org/script"),
        [FUND_CEDAW],
    )
    # rectrack refuses such a link now; a database written before it did may hold one.
    put_url(session, "A link that is a script", "javascript:alert(1)")
    add_evidence(
        session,
        EvidenceInput(
            "Shadow report 2018", "shadow_report", date="2018", url="https://example.org/s"
        ),
        [UNDATED],
    )
    assess(session, [FUND_CEDAW], AssessmentInput("in_progress", date="2024-02"))
    add_to_cluster(
        session,
        "Victim compensation fund",
        [FUND_GRETA, FUND_CEDAW, UNDATED],
        note="A State fund, asked for since 2019",
    )
    link(session, FUND_GRETA, FUND_CEDAW, "repeats", "Same fund")


# --- the search index ----------------------------------------------------------------------


def drop_fts(session: Session) -> None:
    """Take the FTS5 index and the triggers that feed it out of a test database, as on a
    SQLite without FTS5 (on PostgreSQL, its full-text index): search then scans the search
    documents."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP INDEX ix_search_document_fts"))
        session.commit()
        return
    triggers = conn.execute(
        text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_fts%'")
    ).scalars()
    for name in list(triggers):
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    conn.execute(text("DROP TABLE IF EXISTS search_vocab"))
    conn.execute(text("DROP TABLE search_fts"))
    session.commit()


def keys_of_hits(session: Session, hits: Sequence[Hit]) -> list[str]:
    """The keys of search hits, in their order."""
    keys = dict(session.connection().execute(text("SELECT id, key FROM recommendation")).all())
    return [keys[h.rec_id] for h in hits]


def key_of(session: Session) -> dict[int, str]:
    """Every recommendation's key by its id."""
    rows = session.exec(select(Recommendation.id, Recommendation.key)).all()
    return {number: key for number, key in rows if number is not None}


def tomorrow() -> str:
    return (dt.date.today() + dt.timedelta(days=1)).isoformat()


# --- HTML, read back ----------------------------------------------------------------------


class Parsed(HTMLParser):
    """Every start tag with its attributes, the style and script text, and ids."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def values(self, tag: str, attr: str) -> list[str]:
        return [a[attr] or "" for t, a in self.tags if t == tag and attr in a]

    def ids(self) -> list[str]:
        return [a["id"] or "" for _, a in self.tags if "id" in a]


def put_url(session: Session, title: str, url: str) -> None:
    """Record `url` as the link of the actions and evidence titled `title`, unchecked, as a
    database written by an earlier rectrack (or another program) may hold it."""
    from sqlalchemy import update

    from rectrack.models import Action, Evidence

    for model in (Action, Evidence):
        session.execute(update(model).where(model.title == title).values(url=url))  # type: ignore[arg-type]
    session.flush()
