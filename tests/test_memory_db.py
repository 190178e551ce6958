"""The in-memory database fixtures (`db`, `sample_db`): what they hold, and that each test's
copy is its own and behaves as rectrack's databases do."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import helpers
from rectrack import resources
from rectrack.db import SCHEMA_VERSION, applied_versions
from rectrack.models import Action, Assessment, Body, Document, Evidence, Recommendation


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_db_has_the_schema_and_the_bundled_bodies_only(db: Session) -> None:
    assert max(applied_versions(db.connection())) == SCHEMA_VERSION
    codes = sorted(db.exec(select(Body.code)))
    assert codes == sorted(b["code"] for b in resources.bundled_bodies())
    assert [count(db, m) for m in (Recommendation, Document, Action, Evidence)] == [0, 0, 0, 0]


def test_sample_db_holds_the_sample_data_set(sample_db: Session) -> None:
    counted = [count(sample_db, m) for m in (Document, Recommendation, Action, Evidence)]
    assert counted == [9, 38, 11, 9]
    assert count(sample_db, Assessment) == 36


def test_what_a_session_commits_every_connection_of_the_engine_sees(db: Session) -> None:
    db.add(Body(code="OSCE", name="OSCE", kind="other"))
    db.commit()
    engine = db.get_bind()
    with Session(engine) as other:
        assert other.exec(select(Body.name).where(Body.code == "OSCE")).one() == "OSCE"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM body WHERE code = 'OSCE'")).scalar() == 1


def test_copies_are_independent_of_each_other_and_of_the_template(
    empty_memory: Engine,
) -> None:
    first, second = helpers.copy_database(empty_memory), helpers.copy_database(empty_memory)
    try:
        with Session(first) as session:
            session.add(Body(code="OSCE", name="OSCE", kind="other"))
            session.commit()
        for engine, expected in ((first, 1), (second, 0), (empty_memory, 0)):
            with Session(engine) as session:
                found = session.exec(select(Body).where(Body.code == "OSCE")).all()
                assert len(found) == expected
    finally:
        first.dispose()
        second.dispose()


def test_a_copy_has_rectracks_connection_settings(db: Session) -> None:
    """Foreign keys and the Unicode lower() are set per connection, not copied."""
    assert db.connection().execute(text("SELECT lower('ŽENE')")).scalar() == "žene"
    db.add(Recommendation(key="X-1", body_id=9999, text="Orphan."))
    with pytest.raises(IntegrityError, match="(?i)FOREIGN KEY"):
        db.flush()
