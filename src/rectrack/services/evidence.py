"""Evidence: what shows what the state did (a document, web page, statistic, court
decision, shadow report...). A local file is kept by path, size and SHA-256, never copied,
so that a change to it is noticed. Ids are shown as `E7`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, insert
from sqlmodel import Session, select

from rectrack import domain
from rectrack.dates import parse_optional_date
from rectrack.errors import BadValue, NotFound, RectrackError
from rectrack.models import AssessmentEvidence, Evidence, EvidenceAction, EvidenceRecommendation
from rectrack.services.lookup import (
    evidence_id,
    get_action,
    get_evidence,
    get_recommendations,
    tracked,
)
from rectrack.services.rows import evidence_rows
from rectrack.shapes import EvidenceDetail, EvidenceRow


@dataclass
class EvidenceInput:
    """Evidence as the user gave it, before validation. `size` with `sha256`: a file as
    recorded elsewhere (a data set), not read here."""

    title: str
    kind: str
    date: str | None = None
    source: str | None = None
    url: str | None = None
    file: str | None = None
    note: str | None = None
    size: int | None = None
    sha256: str | None = None


def file_fingerprint(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _file_record(given: EvidenceInput, file: str) -> tuple[str, int | None, str]:
    """(path, size, SHA-256) of the evidence's file: as a data set recorded it, or read."""
    if given.sha256:
        sha = given.sha256.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise BadValue(f"'{given.sha256}' is not a SHA-256 (64 hexadecimal digits)")
        return file, given.size, sha
    p = Path(file).expanduser()
    if not p.is_file():
        raise NotFound(f"no file {file}" + (" (it is a folder)" if p.is_dir() else ""))
    try:
        size, sha = file_fingerprint(p)
    except OSError as e:
        raise RectrackError(f"cannot read {file}: {e.strerror}") from None
    return str(p.resolve()), size, sha


def add_evidence(
    session: Session, given: EvidenceInput, recs: Sequence[str] = (), actions: Sequence[str] = ()
) -> str:
    """Record evidence (with a URL or a file) linked to recommendations and actions; return
    its id (`E7`)."""
    title = domain.optional_text(given.title)
    if not title:
        raise BadValue("evidence needs a title (--title)")
    kind = domain.choice(given.kind, domain.EVIDENCE_KINDS, "kind of evidence")
    url, file = domain.optional_text(given.url), domain.optional_text(given.file)
    if bool(url) == bool(file):
        raise BadValue("give either --url or --file (one of them)")
    date = parse_optional_date(given.date)
    linked_recs = get_recommendations(session, recs)
    linked_actions = [get_action(session, a) for a in actions]
    path, size, sha = _file_record(given, file) if file else (None, None, None)
    evidence = Evidence(
        title=title,
        kind=kind,
        date=date.iso if date else None,
        source=domain.optional_text(given.source),
        url=url,
        file_path=path,
        file_size=size,
        file_sha256=sha,
        note=domain.optional_text(given.note),
    )
    session.add(evidence)
    session.flush()
    assert evidence.id is not None
    _link(session, evidence.id, [r.id for r in linked_recs], [a.id for a in linked_actions])
    return evidence_id(evidence.id)


def _link(
    session: Session,
    number: int,
    rec_ids: Sequence[int | None],
    action_ids: Sequence[int | None],
) -> int:
    """Link evidence to recommendations and actions it is not linked to yet; return how
    many links are new."""
    added = 0
    links: tuple[
        tuple[type[EvidenceRecommendation] | type[EvidenceAction], str, Sequence[int | None]], ...
    ] = (
        (EvidenceRecommendation, "recommendation_id", rec_ids),
        (EvidenceAction, "action_id", action_ids),
    )
    for link, column, ids in links:
        existing = set(
            session.exec(select(getattr(link, column)).where(link.evidence_id == number))
        )
        new = [i for i in dict.fromkeys(ids) if i not in existing]
        if new:
            session.exec(insert(link).values([{"evidence_id": number, column: i} for i in new]))
            added += len(new)
    return added


def link_evidence(
    session: Session, ident: str, recs: Sequence[str], actions: Sequence[str]
) -> tuple[str, int]:
    """Link evidence to recommendations and actions: (evidence id, how many links are new)."""
    if not recs and not actions:
        raise BadValue("name what to link: --rec KEY or --action ID (repeatable)")
    evidence = get_evidence(session, ident)
    assert evidence.id is not None
    linked_recs = get_recommendations(session, recs)
    linked_actions = [get_action(session, a) for a in actions]
    added = _link(session, evidence.id, [r.id for r in linked_recs], [a.id for a in linked_actions])
    return evidence_id(evidence.id), added


def file_state(evidence: Evidence) -> str | None:
    """Whether a referenced file is still as recorded: unchanged, changed or missing."""
    if not evidence.file_path:
        return None
    path = Path(evidence.file_path)
    if not path.is_file():
        return "missing"
    try:
        size, sha = file_fingerprint(path)
    except OSError:
        return "unreadable"
    return "unchanged" if (size, sha) == (evidence.file_size, evidence.file_sha256) else "changed"


def list_evidence(
    session: Session, rec: str | None = None, kind: str | None = None
) -> list[EvidenceRow]:
    """The evidence, oldest first; only that linked to `rec`, or of `kind`, if given."""
    link = EvidenceRecommendation
    found = tracked(session, Evidence, link.evidence_id, link.recommendation_id, rec, kind)
    return evidence_rows(session, found)


def evidence_detail(session: Session, ident: str) -> EvidenceDetail:
    """One piece of evidence with its links; a local file is checked against its SHA-256."""
    evidence = get_evidence(session, ident)
    (row,) = evidence_rows(session, [evidence])
    citing = session.exec(
        select(func.count()).where(AssessmentEvidence.evidence_id == evidence.id)
    ).one()
    return {**row, "file_state": file_state(evidence), "assessments": citing}
