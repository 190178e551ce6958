"""Actions, evidence and assessments: what the state did, what shows it, how far it went.

Functions take a session and plain values as the user typed them, validate them, and return
plain rows or short ids (`A12`, `E7`). Assessments are only ever added, never changed.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlmodel import Session, select

from rectrack import domain
from rectrack.dates import (
    PartialDate,
    format_timestamp,
    parse_date,
    parse_optional_date,
)
from rectrack.errors import BadValue, NotFound, RectrackError
from rectrack.models import (
    Action,
    ActionRecommendation,
    Assessment,
    AssessmentEvidence,
    Body,
    Evidence,
    EvidenceAction,
    EvidenceRecommendation,
    Institution,
    Recommendation,
    utcnow,
)
from rectrack.services.recommendations import (
    _named_ids,
    get_recommendations,
    natural_key,
)


def action_id(number: int) -> str:
    return domain.short_id("A", number)


def evidence_id(number: int) -> str:
    return domain.short_id("E", number)


def _iso(value: str | None) -> str | None:
    parsed = parse_optional_date(value)
    return parsed.iso if parsed else None


def get_action(session: Session, ident: str) -> Action:
    number = domain.parse_short_id(ident, "A", "action")
    action = session.get(Action, number)
    if action is None:
        raise NotFound(f"no action {action_id(number)}")
    return action


def get_evidence(session: Session, ident: str) -> Evidence:
    number = domain.parse_short_id(ident, "E", "evidence")
    evidence = session.get(Evidence, number)
    if evidence is None:
        raise NotFound(f"no evidence {evidence_id(number)}")
    return evidence


def _keys_by(
    session: Session, link: Any, owner_column: Any, owner_ids: Sequence[int]
) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    if not owner_ids:
        return out
    rows = session.exec(
        select(owner_column, Recommendation.key)
        .join(Recommendation, Recommendation.id == link.recommendation_id)
        .where(owner_column.in_(owner_ids))
    )
    for owner, key in rows:
        out[owner].append(key)
    for keys in out.values():
        keys.sort(key=natural_key)
    return out


# ---------------------------------------------------------------------------------------
# Actions


@dataclass
class ActionInput:
    title: str
    kind: str
    date: str | None = None
    institution: str | None = None
    reference: str | None = None
    url: str | None = None
    description: str | None = None


def add_action(
    session: Session, given: ActionInput, recs: Sequence[str] = (), note: str | None = None
) -> str:
    title = domain.blank(given.title)
    if not title:
        raise BadValue("an action needs a title (--title)")
    kind = domain.choice(given.kind, domain.ACTION_KINDS, "kind of action")
    date = _iso(given.date)
    linked = get_recommendations(session, recs)
    institution_ids = _named_ids(session, Institution, [given.institution or ""], create=True)
    action = Action(
        title=title,
        kind=kind,
        date=date,
        institution_id=institution_ids[0] if institution_ids else None,
        reference=domain.blank(given.reference),
        url=domain.blank(given.url),
        description=domain.blank(given.description),
    )
    session.add(action)
    session.flush()
    _link_action(session, action.id, [r.id for r in linked], note)
    return action_id(action.id)


def _link_action(
    session: Session, number: int, rec_ids: Sequence[int], note: str | None
) -> list[int]:
    existing = set(
        session.exec(
            select(ActionRecommendation.recommendation_id).where(
                ActionRecommendation.action_id == number
            )
        )
    )
    new = [i for i in dict.fromkeys(rec_ids) if i not in existing]
    if new:
        session.exec(
            insert(ActionRecommendation).values(
                [
                    {"action_id": number, "recommendation_id": i, "note": domain.blank(note)}
                    for i in new
                ]
            )
        )
    return new


def link_action(
    session: Session, ident: str, keys: Sequence[str], note: str | None = None
) -> tuple[str, list[str], list[str]]:
    """Link an action to recommendations: (action id, newly linked keys, already linked)."""
    action = get_action(session, ident)
    recs = get_recommendations(session, keys)
    new = set(_link_action(session, action.id, [r.id for r in recs], note))
    old = [r for r in recs if r.id not in new]
    if old and domain.blank(note):
        session.exec(
            update(ActionRecommendation)
            .where(
                ActionRecommendation.action_id == action.id,
                ActionRecommendation.recommendation_id.in_([r.id for r in old]),
            )
            .values(note=domain.blank(note))
        )
    return (action_id(action.id), [r.key for r in recs if r.id in new], [r.key for r in old])


def unlink_action(session: Session, ident: str, keys: Sequence[str]) -> tuple[str, list[str]]:
    action = get_action(session, ident)
    recs = get_recommendations(session, keys)
    linked = set(
        session.exec(
            select(ActionRecommendation.recommendation_id).where(
                ActionRecommendation.action_id == action.id
            )
        )
    )
    not_linked = [r.key for r in recs if r.id not in linked]
    if not_linked:
        raise BadValue(f"{action_id(action.id)} is not linked to {', '.join(not_linked)}")
    session.exec(
        delete(ActionRecommendation).where(
            ActionRecommendation.action_id == action.id,
            ActionRecommendation.recommendation_id.in_([r.id for r in recs]),
        )
    )
    return action_id(action.id), [r.key for r in recs]


def action_rows(session: Session, actions: Sequence[Action]) -> list[dict[str, Any]]:
    """Plain rows of actions, with the keys and evidence they are linked to."""
    ids = [a.id for a in actions]
    keys = _keys_by(session, ActionRecommendation, ActionRecommendation.action_id, ids)
    evidence = _ids_by(session, EvidenceAction.action_id, EvidenceAction.evidence_id, ids)
    names = dict(session.exec(select(Institution.id, Institution.name)).all()) if ids else {}
    return [
        {
            "id": action_id(a.id),
            "title": a.title,
            "kind": a.kind,
            "date": a.date,
            "institution": names.get(a.institution_id),
            "reference": a.reference,
            "url": a.url,
            "description": a.description,
            "recommendations": keys.get(a.id, []),
            "evidence": [evidence_id(e) for e in evidence.get(a.id, [])],
            "recorded_at": format_timestamp(a.created_at),
        }
        for a in actions
    ]


def _ids_by(
    session: Session, owner: Any, other: Any, owner_ids: Sequence[int]
) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    if owner_ids:
        for o, i in session.exec(select(owner, other).where(owner.in_(owner_ids)).order_by(other)):
            out[o].append(i)
    return out


def list_actions(
    session: Session, rec: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    q = select(Action)
    if rec:
        (r,) = get_recommendations(session, [rec])
        q = q.where(
            Action.id.in_(
                select(ActionRecommendation.action_id).where(
                    ActionRecommendation.recommendation_id == r.id
                )
            )
        )
    if kind:
        q = q.where(Action.kind == domain.choice(kind, domain.ACTION_KINDS, "kind of action"))
    actions = session.exec(q.order_by(func.coalesce(Action.date, ""), Action.id)).all()
    return action_rows(session, actions)


def action_detail(session: Session, ident: str) -> dict[str, Any]:
    action = get_action(session, ident)
    row = action_rows(session, [action])[0]
    notes = session.exec(
        select(Recommendation.key, ActionRecommendation.note)
        .join(Recommendation, Recommendation.id == ActionRecommendation.recommendation_id)
        .where(ActionRecommendation.action_id == action.id, ActionRecommendation.note.is_not(None))
    ).all()
    row["link_notes"] = [f"{key}: {note}" for key, note in notes]
    return row


# ---------------------------------------------------------------------------------------
# Evidence


@dataclass
class EvidenceInput:
    title: str
    kind: str
    date: str | None = None
    source: str | None = None
    url: str | None = None
    file: str | None = None
    note: str | None = None
    size: int | None = None  # with sha256: the file as recorded elsewhere, not read here
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


def add_evidence(
    session: Session, given: EvidenceInput, recs: Sequence[str] = (), actions: Sequence[str] = ()
) -> str:
    title = domain.blank(given.title)
    if not title:
        raise BadValue("evidence needs a title (--title)")
    kind = domain.choice(given.kind, domain.EVIDENCE_KINDS, "kind of evidence")
    url, file = domain.blank(given.url), domain.blank(given.file)
    if bool(url) == bool(file):
        raise BadValue("give either --url or --file (one of them)")
    date = _iso(given.date)
    linked_recs = get_recommendations(session, recs)
    linked_actions = [get_action(session, a) for a in actions]
    path = size = sha = None
    if file and given.sha256:
        if not re.fullmatch(r"[0-9a-f]{64}", given.sha256.strip().lower()):
            raise BadValue(f"'{given.sha256}' is not a SHA-256 (64 hexadecimal digits)")
        path, size, sha = file, given.size, given.sha256.strip().lower()
    elif file:
        p = Path(file).expanduser()
        if not p.is_file():
            raise RectrackError(f"no file {file}" + (" (it is a folder)" if p.is_dir() else ""))
        try:
            size, sha = file_fingerprint(p)
        except OSError as e:
            raise RectrackError(f"cannot read {file}: {e.strerror}") from None
        path = str(p.resolve())
    evidence = Evidence(
        title=title,
        kind=kind,
        date=date,
        source=domain.blank(given.source),
        url=url,
        file_path=path,
        file_size=size,
        file_sha256=sha,
        note=domain.blank(given.note),
    )
    session.add(evidence)
    session.flush()
    _link_evidence(
        session, evidence.id, [r.id for r in linked_recs], [a.id for a in linked_actions]
    )
    return evidence_id(evidence.id)


def _link_evidence(
    session: Session, number: int, rec_ids: Sequence[int], action_ids: Sequence[int]
) -> int:
    added = 0
    for link, column, ids in (
        (EvidenceRecommendation, "recommendation_id", rec_ids),
        (EvidenceAction, "action_id", action_ids),
    ):
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
    if not recs and not actions:
        raise BadValue("name what to link: --rec KEY or --action ID (repeatable)")
    evidence = get_evidence(session, ident)
    linked_recs = get_recommendations(session, recs)
    linked_actions = [get_action(session, a) for a in actions]
    added = _link_evidence(
        session, evidence.id, [r.id for r in linked_recs], [a.id for a in linked_actions]
    )
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


def evidence_rows(session: Session, items: Sequence[Evidence]) -> list[dict[str, Any]]:
    """Plain rows of evidence, with the keys and actions they are linked to."""
    ids = [e.id for e in items]
    keys = _keys_by(session, EvidenceRecommendation, EvidenceRecommendation.evidence_id, ids)
    acts = _ids_by(session, EvidenceAction.evidence_id, EvidenceAction.action_id, ids)
    return [
        {
            "id": evidence_id(e.id),
            "title": e.title,
            "kind": e.kind,
            "date": e.date,
            "source": e.source,
            "url": e.url,
            "file": e.file_path,
            "size": e.file_size,
            "sha256": e.file_sha256,
            "note": e.note,
            "recommendations": keys.get(e.id, []),
            "actions": [action_id(a) for a in acts.get(e.id, [])],
            "recorded_at": format_timestamp(e.created_at),
        }
        for e in items
    ]


def list_evidence(
    session: Session, rec: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    q = select(Evidence)
    if rec:
        (r,) = get_recommendations(session, [rec])
        q = q.where(
            Evidence.id.in_(
                select(EvidenceRecommendation.evidence_id).where(
                    EvidenceRecommendation.recommendation_id == r.id
                )
            )
        )
    if kind:
        q = q.where(Evidence.kind == domain.choice(kind, domain.EVIDENCE_KINDS, "kind of evidence"))
    return evidence_rows(
        session, session.exec(q.order_by(func.coalesce(Evidence.date, ""), Evidence.id)).all()
    )


def evidence_detail(session: Session, ident: str) -> dict[str, Any]:
    evidence = get_evidence(session, ident)
    row = evidence_rows(session, [evidence])[0]
    row["file_state"] = file_state(evidence)
    row["assessments"] = len(
        session.exec(
            select(AssessmentEvidence.assessment_id).where(
                AssessmentEvidence.evidence_id == evidence.id
            )
        ).all()
    )
    return row


# ---------------------------------------------------------------------------------------
# Assessments


def current_user(config: dict[str, Any] | None = None) -> str:
    """Who records: `user.name` in config.toml, else the login name."""
    if config is None:
        from rectrack.settings import load_config

        config = load_config()
    user = config.get("user")
    name = user.get("name") if isinstance(user, dict) else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


@dataclass
class AssessmentInput:
    status: str | None
    date: str | None = None
    perspective: str | None = None
    grade: str | None = None
    note: str | None = None
    evidence: Sequence[str] = ()
    recorded_by: str | None = None
    recorded_at: dt.datetime | None = None


def _status_for(
    session: Session, rec: Recommendation, given: AssessmentInput, scales: list[dict]
) -> str:
    if given.status is not None and given.status.strip():
        return domain.choice(given.status, domain.STATUSES, "status")
    body = session.get(Body, rec.body_id)
    scale = domain.scale_for(body.code, body.kind, scales)
    if given.grade and scale is not None:
        status = domain.grade_status(scale, given.grade)
        if status is not None:
            return status
        grades = ", ".join(g["grade"] for g in scale["grades"])
        raise BadValue(
            f"'{given.grade}' is not a grade of the {scale['name']} ({grades}); "
            "give --status as well to record it anyway"
        )
    if given.grade:
        raise BadValue(
            f"{body.code} has no grading scale to read '{given.grade}' from: "
            f"give --status ({', '.join(domain.STATUSES)})"
        )
    raise BadValue(f"missing --status; valid values: {', '.join(domain.STATUSES)}")


def assess(session: Session, keys: Sequence[str], given: AssessmentInput) -> list[dict[str, Any]]:
    """Record one assessment for each key (all or none); return what was recorded."""
    if not keys:
        raise BadValue("name at least one recommendation key")
    recs = get_recommendations(session, keys)
    perspective = domain.choice(given.perspective or "ngo", domain.PERSPECTIVES, "perspective")
    date = parse_date(given.date) if given.date else PartialDate.from_date(dt.date.today())
    if date.first_day > dt.date.today():
        raise BadValue(
            f"'{date.iso}' is in the future: an assessment is of a situation that has been seen"
        )
    evidence = list({e.id: e for e in (get_evidence(session, i) for i in given.evidence)}.values())
    scales = domain.load_scales()
    statuses = [_status_for(session, r, given, scales) for r in recs]
    by = given.recorded_by or current_user()
    at = given.recorded_at or utcnow()
    out = []
    for rec, status in zip(recs, statuses, strict=True):
        row = Assessment(
            recommendation_id=rec.id,
            date=date.iso,
            status=status,
            perspective=perspective,
            grade=domain.blank(given.grade),
            note=domain.blank(given.note),
            recorded_by=by,
            recorded_at=at,
        )
        session.add(row)
        session.flush()
        if evidence:
            session.exec(
                insert(AssessmentEvidence).values(
                    [{"assessment_id": row.id, "evidence_id": e.id} for e in evidence]
                )
            )
        out.append(
            {
                "key": rec.key,
                "status": status,
                "date": date.iso,
                "perspective": perspective,
                "grade": row.grade,
            }
        )
    return out
