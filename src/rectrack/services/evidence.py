"""Evidence: what shows what the state did (a document, web page, statistic, court
decision, shadow report, meeting notes...). Ids are shown as `E7`.

A local file is kept by path, size and SHA-256, never copied, so that a change to it is
noticed (`evidence check`) and, once a person has looked at it, accepted (`evidence
accept`). A file inside the database's folder is kept by a path relative to that folder, so
that a shared folder works from every machine. Evidence may also have neither a URL nor a
file: meeting notes, a phone call with a ministry, a hearing.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from rectrack import domain
from rectrack.dates import parse_optional_date
from rectrack.db import database_folder
from rectrack.errors import BadValue, Conflict, NotFound, RectrackError
from rectrack.models import (
    AssessmentEvidence,
    Evidence,
    EvidenceAcceptance,
    EvidenceAction,
    EvidenceRecommendation,
    utcnow,
)
from rectrack.services.fields import EVIDENCE_FIELDS, apply_fields
from rectrack.services.lookup import (
    evidence_id,
    get_action,
    get_evidence,
    get_recommendations,
    tracked,
)
from rectrack.services.rows import evidence_rows
from rectrack.settings import current_user
from rectrack.shapes import Change, EvidenceDetail, EvidenceRow, FileCheck


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


def on_disk(session: Session, stored: str) -> Path:
    """Where a stored evidence path is: a relative one is in the database's folder."""
    path = Path(stored)
    folder = database_folder(session)
    return folder / path if folder is not None and not path.is_absolute() else path


def _stored_path(session: Session, path: Path) -> str:
    """How a file's path is kept: relative to the database's folder when inside it."""
    resolved = path.resolve()
    folder = database_folder(session)
    if folder is not None and resolved.is_relative_to(folder):
        return resolved.relative_to(folder).as_posix()
    return str(resolved)


# Folders whose files are the system's, not documents: /proc/self/environ reads as a
# regular file and holds the environment's secrets.
SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))


def _document_on_disk(path: Path) -> bool:
    """Whether a path is a regular file outside the system's folders (not a device, a
    pipe, a socket or a file of /proc), which can be read to its end."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    resolved = path.resolve()
    return stat.S_ISREG(mode) and not any(resolved.is_relative_to(f) for f in SYSTEM_FOLDERS)


def _read_file(session: Session, file: str) -> tuple[str, int, str]:
    """(path as kept, size, SHA-256) of a local file, read now."""
    p = Path(file).expanduser()
    if not p.exists():
        raise NotFound(
            f"no file {file}" + (" (a symbolic link to nothing)" if p.is_symlink() else "")
        )
    if p.is_dir():
        raise NotFound(f"no file {file} (it is a folder)")
    if not _document_on_disk(p):
        resolved = p.resolve()
        what = (
            f"a file of the system ({resolved})"
            if any(resolved.is_relative_to(f) for f in SYSTEM_FOLDERS)
            else "not a regular file (a device, a pipe or a socket)"
        )
        raise BadValue(f"{file} is {what}: evidence is a document on disk")
    try:
        size, sha = file_fingerprint(p)
    except OSError as e:
        raise RectrackError(f"cannot read {file}: {e.strerror}") from None
    return _stored_path(session, p), size, sha


def path_notice(session: Session, file: str) -> str | None:
    """What to tell about how a file's path is kept, when it is not as given: a symbolic
    link, or a path that leads out of a folder with `..`, is kept as the file it leads to."""
    given = Path(file).expanduser()
    linked = any(p.is_symlink() for p in (given, *given.parents) if str(p) not in ("", "."))
    if not linked and ".." not in given.parts:
        return None
    why = "a symbolic link" if linked else "a path that leads out of its folder with '..'"
    kept = _stored_path(session, given)
    return f"{file} is {why}: the file is recorded as {kept}, the one it leads to"


def _file_record(session: Session, given: EvidenceInput, file: str) -> tuple[str, int | None, str]:
    """(path, size, SHA-256) of the evidence's file: as a data set recorded it, or read."""
    if given.sha256:
        sha = given.sha256.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise BadValue(f"'{given.sha256}' is not a SHA-256 (64 hexadecimal digits)")
        return file, given.size, sha
    return _read_file(session, file)


def evidence_fields(session: Session, given: EvidenceInput) -> dict[str, Any]:
    """The columns of new evidence, checked (its file read, unless recorded already)."""
    title = domain.optional_text(given.title)
    if not title:
        raise BadValue("evidence needs a title (--title)")
    kind = domain.choice(given.kind, domain.EVIDENCE_KINDS, "kind of evidence")
    url, file = domain.optional_text(given.url), domain.optional_text(given.file)
    if url:
        domain.check_url(url)
    date = parse_optional_date(given.date)
    return {
        "title": title,
        "kind": kind,
        "date": date.iso if date else None,
        "source": domain.optional_text(given.source),
        "url": url,
        "file": file,  # read by add_evidence, after its links are checked
        "note": domain.optional_text(given.note),
    }


def file_fields(session: Session, given: EvidenceInput, file: str | None) -> dict[str, Any]:
    """The file columns of new evidence: as a data set recorded them, or read now."""
    path, size, sha = _file_record(session, given, file) if file else (None, None, None)
    return {"file_path": path, "file_size": size, "file_sha256": sha}


def add_evidence(
    session: Session, given: EvidenceInput, recs: Sequence[str] = (), actions: Sequence[str] = ()
) -> str:
    """Record evidence (with a URL, a file, both or neither) linked to recommendations and
    actions; return its id (`E7`)."""
    fields = evidence_fields(session, given)
    file = fields.pop("file")
    linked_recs = get_recommendations(session, recs)
    linked_actions = [get_action(session, a) for a in actions]
    evidence = Evidence(**fields, **file_fields(session, given, file))
    session.add(evidence)
    session.flush()
    assert evidence.id is not None
    _link(session, evidence.id, [r.id for r in linked_recs], [a.id for a in linked_actions])
    return evidence_id(evidence.id)


_LINKS: tuple[tuple[type[EvidenceRecommendation] | type[EvidenceAction], str], ...] = (
    (EvidenceRecommendation, "recommendation_id"),
    (EvidenceAction, "action_id"),
)


def _link(
    session: Session,
    number: int,
    rec_ids: Sequence[int | None],
    action_ids: Sequence[int | None],
) -> int:
    """Link evidence to recommendations and actions it is not linked to yet; return how
    many links are new."""
    added = 0
    for (link, column), ids in zip(_LINKS, (rec_ids, action_ids), strict=True):
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


def unlink_evidence(
    session: Session, ident: str, recs: Sequence[str], actions: Sequence[str]
) -> tuple[str, list[str]]:
    """Remove links of evidence to recommendations and actions: (its id, what was
    unlinked). A link that does not exist is refused."""
    if not recs and not actions:
        raise BadValue("name what to unlink: --rec KEY or --action ID (repeatable)")
    evidence = get_evidence(session, ident)
    ident = evidence_id(evidence.id or 0)
    targets = (
        [(r.id, r.key) for r in get_recommendations(session, recs)],
        [(a.id, f"A{a.id}") for a in (get_action(session, x) for x in actions)],
    )
    unlinked: list[str] = []
    for (link, column), pairs in zip(_LINKS, targets, strict=True):
        other = getattr(link, column)
        linked = set(session.exec(select(other).where(link.evidence_id == evidence.id)))
        missing = [name for number, name in pairs if number not in linked]
        if missing:
            raise BadValue(f"{ident} is not linked to {', '.join(missing)}")
        if pairs:
            numbers = [number for number, _ in pairs]
            session.exec(
                delete(link).where(col(link.evidence_id) == evidence.id, col(other).in_(numbers))
            )
            unlinked += [name for _, name in pairs]
    return ident, unlinked


@dataclass
class EvidenceChanges:
    """What `evidence edit` was asked to change: the fields of `EVIDENCE_FIELDS` as typed
    (`none` clears an optional one), and the file (read again; `none` forgets it)."""

    fields: dict[str, str]
    file: str | None = None


def edit_evidence(session: Session, ident: str, ch: EvidenceChanges) -> tuple[str, list[Change]]:
    """Change evidence; return its id and each field that changed."""
    evidence = get_evidence(session, ident)
    changes = apply_fields(evidence, EVIDENCE_FIELDS, ch.fields)
    if ch.file is not None:
        old = evidence.file_path
        if domain.is_clear(ch.file):
            evidence.file_path = evidence.file_size = evidence.file_sha256 = None
        else:
            path, size, sha = _read_file(session, ch.file)
            evidence.file_path, evidence.file_size, evidence.file_sha256 = path, size, sha
        if evidence.file_path != old:
            changes.append(Change("file", old, evidence.file_path))
    if changes:
        session.add(evidence)
    return evidence_id(evidence.id or 0), changes


def evidence_links(session: Session, ident: str) -> tuple[str, list[str], list[str], int]:
    """What removing evidence would unlink: (its id, recommendation keys, action ids, how
    many assessments cite it)."""
    evidence = get_evidence(session, ident)
    (row,) = evidence_rows(session, [evidence])
    return row["id"], row["recommendations"], row["actions"], _citing(session, evidence)


def remove_evidence(session: Session, ident: str) -> str:
    """Delete evidence and its links (what it was linked to stays); its id."""
    evidence = get_evidence(session, ident)
    session.delete(evidence)
    session.flush()
    return evidence_id(evidence.id or 0)


def file_state(session: Session, evidence: Evidence) -> str | None:
    """Whether a referenced file is still as recorded: unchanged, changed, missing or
    unreadable; None without a file."""
    return _check(session, evidence)[0] if evidence.file_path else None


def _check(session: Session, evidence: Evidence) -> tuple[str, int | None, str | None]:
    """(state, size now, SHA-256 now) of an evidence file."""
    path = on_disk(session, evidence.file_path or "")
    if not path.exists() or path.is_dir():
        return "missing", None, None
    if not _document_on_disk(path):
        return "unreadable", None, None
    try:
        size, sha = file_fingerprint(path)
    except OSError:
        return "unreadable", None, None
    same = (size, sha) == (evidence.file_size, evidence.file_sha256)
    return ("unchanged" if same else "changed"), size, sha


def check_files(session: Session) -> tuple[int, list[FileCheck]]:
    """Every evidence file read again: (how many files there are, those that changed, went
    missing or cannot be read)."""
    found = session.exec(
        select(Evidence).where(col(Evidence.file_path).is_not(None)).order_by(col(Evidence.id))
    ).all()
    problems: list[FileCheck] = []
    for e in found:
        state, size, sha = _check(session, e)
        if state != "unchanged":
            problems.append(
                {
                    "id": evidence_id(e.id or 0),
                    "title": e.title,
                    "file": e.file_path or "",
                    "state": state,
                    "recorded_size": e.file_size,
                    "size": size,
                    "recorded_sha256": e.file_sha256,
                    "sha256": sha,
                }
            )
    return len(found), problems


def accept_file(session: Session, ident: str, by: str | None = None) -> FileCheck:
    """Record the size and SHA-256 an evidence file has now, after a person looked at the
    change; the acceptance stays on record (and in history). Returns the check accepted."""
    evidence = get_evidence(session, ident)
    ident = evidence_id(evidence.id or 0)
    if not evidence.file_path:
        raise BadValue(f"{ident} has no file to accept")
    state, size, sha = _check(session, evidence)
    if state in ("missing", "unreadable"):
        raise NotFound(f"{ident}: the file {evidence.file_path} is {state}")
    if state == "unchanged" or size is None or sha is None:
        raise Conflict(f"{ident}: the file is as recorded; there is nothing to accept")
    accepted: FileCheck = {
        "id": ident,
        "title": evidence.title,
        "file": evidence.file_path,
        "state": state,
        "recorded_size": evidence.file_size,
        "size": size,
        "recorded_sha256": evidence.file_sha256,
        "sha256": sha,
    }
    session.add(
        EvidenceAcceptance(
            evidence_id=evidence.id or 0,
            old_size=evidence.file_size,
            old_sha256=evidence.file_sha256,
            new_size=size,
            new_sha256=sha,
            recorded_by=by or current_user(),
            recorded_at=utcnow(),
        )
    )
    evidence.file_size, evidence.file_sha256 = size, sha
    session.add(evidence)
    return accepted


def list_evidence(
    session: Session, recs: Sequence[str] = (), kinds: Sequence[str] = ()
) -> list[EvidenceRow]:
    """The evidence, oldest first; only that linked to one of `recs`, or of one of `kinds`."""
    link = EvidenceRecommendation
    found = tracked(session, Evidence, link.evidence_id, link.recommendation_id, recs, kinds)
    return evidence_rows(session, found)


def _citing(session: Session, evidence: Evidence) -> int:
    return session.exec(
        select(func.count()).where(AssessmentEvidence.evidence_id == evidence.id)
    ).one()


def evidence_detail(session: Session, ident: str) -> EvidenceDetail:
    """One piece of evidence with its links; a local file is checked against its SHA-256."""
    evidence = get_evidence(session, ident)
    (row,) = evidence_rows(session, [evidence])
    return {
        **row,
        "file_state": file_state(session, evidence),
        "assessments": _citing(session, evidence),
    }
