"""The database tables. This module is the one place the schema is written.

Dates of documents and recommendations are partial ISO 8601 text ("2019", "2019-03",
"2019-03-14", see `rectrack.dates`). Timestamps are UTC (SQLite gives them back without a
zone). Migrations (`rectrack.db`) build their DDL from these tables, so a change here goes
with a migration there.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Index, Integer, Table, Text, func
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table of a model (SQLModel does not declare `__table__` to type
    checkers)."""
    table: Table = getattr(model, "__table__")  # noqa: B009
    return table


class SchemaMigration(SQLModel, table=True):
    """One applied migration."""

    __tablename__ = "schema_migration"

    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str
    applied_at: dt.datetime = Field(default_factory=utcnow)


class Body(SQLModel, table=True):
    """Who recommends: a treaty body, a regional monitoring body, the UPR, a state, the EU."""

    __tablename__ = "body"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    name: str
    kind: str = Field(max_length=30)


class Document(SQLModel, table=True):
    """One report of a body to one state."""

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    symbol: str = Field(unique=True)
    title: str | None = None
    date: str | None = Field(default=None, max_length=10)
    cycle: str | None = None
    country: str | None = None
    url: str | None = None


class Recommendation(SQLModel, table=True):
    """One recommendation in a document; `key` is what people type and say."""

    __tablename__ = "recommendation"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=60)
    body_id: int = Field(foreign_key="body.id", index=True)
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    paragraph: str | None = None
    text: str = Field(sa_type=Text)
    summary: str | None = None
    date: str | None = Field(default=None, max_length=10)
    country: str | None = Field(default=None, index=True)
    priority: str | None = Field(default=None, max_length=10)
    response: str | None = Field(default=None, max_length=20)
    due: str | None = Field(default=None, max_length=10)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    # Where it came from: the source's own id (an UHRI annotation id), and the file and row.
    source_id: str | None = Field(default=None, index=True)
    source_file: str | None = None
    source_row: int | None = None
    category: int | None = None  # the UPR action category, 1 to 5
    # The text folded for comparison (case, spaces); the text itself is kept as given.
    text_folded: str | None = Field(default=None, sa_type=Text)


# Possible duplicates are found by folded text within a document.
Index(
    "ix_recommendation_document_text",
    table_of(Recommendation).c.document_id,
    table_of(Recommendation).c.text_folded,
)

# Keys are unique without regard to case, as people type them (`cedaw-2019-24b`), and are
# found through this index. Keys are ASCII, so every database folds them alike.
Index(
    "ux_recommendation_key_folded",
    func.lower(table_of(Recommendation).c.key),
    unique=True,
)


class Theme(SQLModel, table=True):
    __tablename__ = "theme"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class Institution(SQLModel, table=True):
    __tablename__ = "institution"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


def _link(target: str) -> Column:
    return Column(
        Integer, ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RecommendationTheme(SQLModel, table=True):
    __tablename__ = "recommendation_theme"

    recommendation_id: int = Field(sa_column=_link("recommendation"))
    theme_id: int = Field(sa_column=_link("theme"))


class RecommendationInstitution(SQLModel, table=True):
    __tablename__ = "recommendation_institution"

    recommendation_id: int = Field(sa_column=_link("recommendation"))
    institution_id: int = Field(sa_column=_link("institution"))


class AffectedGroup(SQLModel, table=True):
    """Who a recommendation is about: women, children, migrants, victims of trafficking."""

    __tablename__ = "affected_group"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class RecommendationAffected(SQLModel, table=True):
    __tablename__ = "recommendation_affected"

    recommendation_id: int = Field(sa_column=_link("recommendation"))
    affected_group_id: int = Field(sa_column=_link("affected_group"))


class SdgTarget(SQLModel, table=True):
    """A target of the Sustainable Development Goals: `5.2`, `16.2`."""

    __tablename__ = "sdg_target"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class RecommendationSdg(SQLModel, table=True):
    __tablename__ = "recommendation_sdg"

    recommendation_id: int = Field(sa_column=_link("recommendation"))
    sdg_target_id: int = Field(sa_column=_link("sdg_target"))


class RecommendingState(SQLModel, table=True):
    """A state that made a UPR recommendation."""

    __tablename__ = "recommending_state"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class RecommendationRecommending(SQLModel, table=True):
    __tablename__ = "recommendation_recommending"

    recommendation_id: int = Field(sa_column=_link("recommendation"))
    recommending_state_id: int = Field(sa_column=_link("recommending_state"))


class Action(SQLModel, table=True):
    """Something the state did or announced: a law, strategy, budget line, institution..."""

    __tablename__ = "action"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    kind: str = Field(max_length=20)
    date: str | None = Field(default=None, max_length=10, index=True)
    institution_id: int | None = Field(default=None, foreign_key="institution.id", index=True)
    reference: str | None = None  # an Official Gazette number, an action-plan activity id
    url: str | None = None
    description: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow)


class ActionRecommendation(SQLModel, table=True):
    __tablename__ = "action_recommendation"

    action_id: int = Field(sa_column=_link("action"))
    recommendation_id: int = Field(sa_column=_link("recommendation"))
    note: str | None = None


class Evidence(SQLModel, table=True):
    """What shows it: a document, web page, statistic, court decision, shadow report...
    A local file is referenced by path, size and SHA-256, never copied."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    kind: str = Field(max_length=20)
    date: str | None = Field(default=None, max_length=10, index=True)
    source: str | None = None
    url: str | None = None
    file_path: str | None = None
    file_size: int | None = None
    file_sha256: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow)


class EvidenceRecommendation(SQLModel, table=True):
    __tablename__ = "evidence_recommendation"

    evidence_id: int = Field(sa_column=_link("evidence"))
    recommendation_id: int = Field(sa_column=_link("recommendation"))


class EvidenceAction(SQLModel, table=True):
    __tablename__ = "evidence_action"

    evidence_id: int = Field(sa_column=_link("evidence"))
    action_id: int = Field(sa_column=_link("action"))


class Assessment(SQLModel, table=True):
    """A dated judgement of one recommendation's implementation from one perspective.
    Never updated: a correction is a new assessment."""

    __tablename__ = "assessment"

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("recommendation.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    date: str = Field(max_length=10, index=True)  # of the situation assessed
    status: str = Field(max_length=20)
    perspective: str = Field(max_length=10)
    grade: str | None = None  # the body's own grade, as given
    note: str | None = Field(default=None, sa_type=Text)
    recorded_by: str
    recorded_at: dt.datetime = Field(default_factory=utcnow)


class AssessmentEvidence(SQLModel, table=True):
    __tablename__ = "assessment_evidence"

    assessment_id: int = Field(sa_column=_link("assessment"))
    evidence_id: int = Field(sa_column=_link("evidence"))


class AssessmentWithdrawal(SQLModel, table=True):
    """A mistaken assessment taken back: it stays on record (and in history, struck
    through) but no longer counts for any status."""

    __tablename__ = "assessment_withdrawal"

    assessment_id: int = Field(
        sa_column=Column(Integer, ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    )
    note: str = Field(sa_type=Text)  # why
    recorded_by: str
    recorded_at: dt.datetime = Field(default_factory=utcnow)


class EvidenceAcceptance(SQLModel, table=True):
    """A change to an evidence file that a person looked at and accepted: the size and
    SHA-256 it had, and the ones it has since."""

    __tablename__ = "evidence_acceptance"

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("evidence.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    old_size: int | None = None
    old_sha256: str | None = Field(default=None, max_length=64)
    new_size: int
    new_sha256: str = Field(max_length=64)
    recorded_by: str
    recorded_at: dt.datetime = Field(default_factory=utcnow)
