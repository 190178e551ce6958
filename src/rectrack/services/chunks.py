"""Reading a large selection a chunk at a time: the exports (workbook, CSV, data set) of a
register of 100,000 recommendations and more never hold it whole.

What is held is the ids of the selected recommendations in the register's order
(`rows.ordered_ids`), and the ids of the actions and evidence linked to them: each pass
reads their rows a chunk of ids at a time, a few queries a chunk. `Rows` is such a pass,
made again each time it is iterated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import or_
from sqlmodel import Session, col, select

from rectrack.models import (
    Action,
    ActionRecommendation,
    Evidence,
    Recommendation,
    table_of,
)
from rectrack.services.lookup import IdSelect, natural_key
from rectrack.services.rows import (
    action_rows,
    assessment_rows,
    evidence_linked_to,
    evidence_rows,
)
from rectrack.services.status import CHUNK
from rectrack.shapes import ActionRow, AssessmentRow, EvidenceRow

__all__ = [
    "CHUNK",
    "Rows",
    "action_rows_of",
    "assessments_in_order",
    "by_then",
    "chunks",
    "evidence_rows_of",
    "forget_keys",
    "keys_of",
    "linked_action_ids",
    "linked_evidence_ids",
]

T = TypeVar("T")


class Rows(Generic[T]):
    """Rows read afresh from the database each time they are iterated (within the session
    they were made in), a chunk at a time."""

    def __init__(self, read: Callable[[], Iterator[T]]):
        self._read = read

    def __iter__(self) -> Iterator[T]:
        return self._read()


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def keys_of(session: Session, chunk: Sequence[int]) -> dict[int, str]:
    """The key of each of these recommendations, by id."""
    r = Recommendation
    found = session.connection().execute(
        sa.select(col(r.id), col(r.key)).where(col(r.id).in_(chunk))
    )
    return {int(rec_id or 0): key for rec_id, key in found}


def forget_keys() -> None:
    """Let go of the natural sort keys the row readers cached: an export sorts each key
    once, and 100,000 cached keys would hold about 40 MB."""
    natural_key.cache_clear()


def by_then(column: Any, day: str) -> Any:
    """What an export as of a date shows: nothing dated after it (or undated)."""
    return or_(col(column).is_(None), col(column) <= day)


def _in_order(query: Any, model: Any, day: str | None, by_date: bool) -> Any:
    """Actions or evidence none dated after `day` (if given), in id order or with `by_date`
    in the order of their sheets (see `in_date_order`)."""
    if day is not None:
        query = query.where(by_then(model.date, day))
    if by_date:
        return query.order_by(col(model.date).is_(None), col(model.date), col(model.id))
    return query.order_by(col(model.id))


def linked_action_ids(
    session: Session, ids: IdSelect, day: str | None = None, by_date: bool = False
) -> list[int]:
    """The ids of the actions linked to the recommendations (see `_in_order`)."""
    linked = select(ActionRecommendation.action_id).where(
        col(ActionRecommendation.recommendation_id).in_(ids)
    )
    query = _in_order(
        sa.select(col(Action.id)).where(col(Action.id).in_(linked)), Action, day, by_date
    )
    return [number for (number,) in session.connection().execute(query)]


def linked_evidence_ids(
    session: Session, ids: IdSelect, day: str | None = None, by_date: bool = False
) -> list[int]:
    """The ids of the evidence linked to the recommendations, to their actions or cited by
    their assessments (see `_in_order`)."""
    linked = evidence_linked_to(ids).subquery()
    number = col(Evidence.id)
    query = _in_order(
        sa.select(number).where(number.in_(sa.select(linked.c[0]))), Evidence, day, by_date
    )
    return [n for (n,) in session.connection().execute(query)]


def action_rows_of(session: Session, numbers: Sequence[int]) -> Iterator[ActionRow]:
    """Rows of the actions with these ids, in this order, a chunk at a time."""
    table = table_of(Action)
    for chunk in chunks(numbers):
        query = sa.select(*table.c).where(table.c.id.in_(chunk))
        # Rows of the table's columns, read by name as the model's attributes would be.
        found: dict[int, Any] = {a.id: a for a in session.connection().execute(query)}
        yield from action_rows(session, [found[n] for n in chunk])
        forget_keys()


def evidence_rows_of(session: Session, numbers: Sequence[int]) -> Iterator[EvidenceRow]:
    """Rows of the evidence with these ids, in this order, a chunk at a time."""
    table = table_of(Evidence)
    for chunk in chunks(numbers):
        query = sa.select(*table.c).where(table.c.id.in_(chunk))
        found: dict[int, Any] = {e.id: e for e in session.connection().execute(query)}
        yield from evidence_rows(session, [found[n] for n in chunk])
        forget_keys()


def assessments_in_order(session: Session, order: Sequence[int]) -> Iterator[AssessmentRow]:
    """Every assessment of the recommendations with these ids, in this order, then by date
    and by when it was recorded, a chunk at a time."""
    for chunk in chunks(order):
        key_of = keys_of(session, chunk)
        yield from assessment_rows(session, chunk, {key_of[n]: i for i, n in enumerate(chunk)})
