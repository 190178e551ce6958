"""The database tables. This module is the one place the schema is written.

Dates of documents and recommendations are partial ISO 8601 text ("2019", "2019-03",
"2019-03-14", see `rectrack.dates`). Timestamps are UTC (SQLite gives them back without a
zone). Migrations (`rectrack.db`) build their DDL from these tables, so a change here goes
with a migration there.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.exc import OperationalError
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
    # Removed by `rm` (kept, with its history, until `rm --purge`; `restore` brings it back).
    deleted_at: dt.datetime | None = Field(default=None, index=True)
    deleted_by: str | None = None


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


# The latest assessment of each recommendation and perspective, found from the index alone
# (status and the order of assessments within it).
Index(
    "ix_assessment_latest",
    table_of(Assessment).c.recommendation_id,
    table_of(Assessment).c.perspective,
    table_of(Assessment).c.date,
    table_of(Assessment).c.recorded_at,
    table_of(Assessment).c.id,
    table_of(Assessment).c.status,
)


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


class Cluster(SQLModel, table=True):
    """A recurring demand: recommendations of several bodies and cycles that ask for the
    same thing (a victim compensation fund), grouped by a person."""

    __tablename__ = "cluster"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    note: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow)


class ClusterMember(SQLModel, table=True):
    __tablename__ = "cluster_member"

    cluster_id: int = Field(sa_column=_link("cluster"))
    recommendation_id: int = Field(sa_column=_link("recommendation"))
    added_at: dt.datetime = Field(default_factory=utcnow)


class ClusterSuggestion(SQLModel, table=True):
    """A group `cluster suggest` proposed, by its number, until the next suggestions: a
    person accepts one with `cluster add NAME --suggestion N`."""

    __tablename__ = "cluster_suggestion"

    number: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    score: float
    keys: str = Field(sa_type=Text)  # the keys, one a line
    made_at: dt.datetime = Field(default_factory=utcnow)


class RecommendationLink(SQLModel, table=True):
    """Two recommendations said to belong together: one repeats, follows up or is on the
    same issue as the other."""

    __tablename__ = "recommendation_link"
    __table_args__ = (UniqueConstraint("from_id", "to_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    from_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("recommendation.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    to_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("recommendation.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str = Field(max_length=20)  # repeats, follows_up, same_issue
    note: str | None = Field(default=None, sa_type=Text)
    recorded_by: str
    created_at: dt.datetime = Field(default_factory=utcnow)


class SearchDocument(SQLModel, table=True):
    """What search finds a recommendation by: the stems of its text, summary, key, document,
    names, assessment notes and action titles (`rectrack.words`), kept up to date from
    `search_queue`. On SQLite an FTS5 index (`search_fts`) is kept over it by triggers."""

    __tablename__ = "search_document"

    rec_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True
        )
    )
    content: str = Field(sa_type=Text)


class SearchQueue(SQLModel, table=True):
    """Recommendations whose search document is out of date: filled by triggers on the
    tables it is made from, emptied when search next runs."""

    __tablename__ = "search_queue"

    rec_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


# What changes a recommendation's search document: (table, the event, how the table names
# the recommendation, or a table and column to find the recommendations through).
SEARCH_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("recommendation", "INSERT", "NEW.id"),
    ("recommendation", "UPDATE OF text, summary, key, document_id", "NEW.id"),
    *(
        (link, event, f"{row}.recommendation_id")
        for link in (
            "recommendation_theme",
            "recommendation_institution",
            "recommendation_recommending",
            "recommendation_affected",
            "recommendation_sdg",
            "action_recommendation",
        )
        for event, row in (("INSERT", "NEW"), ("DELETE", "OLD"))
    ),
    ("assessment", "INSERT", "NEW.recommendation_id"),
    ("assessment", "UPDATE OF note", "NEW.recommendation_id"),
)
# Renaming a name or an action touches every recommendation linked to it.
SEARCH_RENAMES: tuple[tuple[str, str, str, str], ...] = (
    ("theme", "name", "recommendation_theme", "theme_id"),
    ("institution", "name", "recommendation_institution", "institution_id"),
    ("recommending_state", "name", "recommendation_recommending", "recommending_state_id"),
    ("affected_group", "name", "recommendation_affected", "affected_group_id"),
    ("sdg_target", "name", "recommendation_sdg", "sdg_target_id"),
    ("action", "title, reference", "action_recommendation", "action_id"),
    ("document", "symbol", "recommendation", "document_id"),
)


def search_triggers(dialect: str) -> list[str]:
    """The DDL of the triggers that queue recommendations for their search documents to be
    made again, for SQLite or PostgreSQL."""
    ddl = []
    if dialect == "sqlite":
        for i, (table, event, rec) in enumerate(SEARCH_SOURCES):
            ddl.append(
                f"CREATE TRIGGER IF NOT EXISTS search_queue_{table}_{i} AFTER {event} ON "
                f"{table} BEGIN INSERT OR IGNORE INTO search_queue (rec_id) VALUES ({rec}); END"
            )
        for table, columns, link, fk in SEARCH_RENAMES:
            rec = "id" if link == "recommendation" else "recommendation_id"
            ddl.append(
                f"CREATE TRIGGER IF NOT EXISTS search_queue_{table}_renamed AFTER UPDATE OF "
                f"{columns} ON {table} BEGIN INSERT OR IGNORE INTO search_queue (rec_id) "
                f"SELECT {rec} FROM {link} WHERE {fk} = NEW.id; END"
            )
        return ddl
    ddl.append(
        "CREATE OR REPLACE FUNCTION rectrack_search_queue() RETURNS trigger AS $$ "
        "DECLARE rec integer; BEGIN "
        "IF TG_OP = 'DELETE' THEN EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO rec USING OLD; "
        "ELSE EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO rec USING NEW; END IF; "
        "INSERT INTO search_queue (rec_id) VALUES (rec) ON CONFLICT DO NOTHING; "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    ddl.append(
        "CREATE OR REPLACE FUNCTION rectrack_search_queue_linked() RETURNS trigger AS $$ "
        "BEGIN EXECUTE format('INSERT INTO search_queue (rec_id) SELECT %I FROM %I WHERE %I = $1 "
        "ON CONFLICT DO NOTHING', TG_ARGV[2], TG_ARGV[0], TG_ARGV[1]) USING NEW.id; "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    for i, (table, event, rec) in enumerate(SEARCH_SOURCES):
        column = rec.split(".", 1)[1]
        ddl.append(
            f"CREATE TRIGGER search_queue_{table}_{i} AFTER {event} ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION rectrack_search_queue('{column}')"
        )
    for table, columns, link, fk in SEARCH_RENAMES:
        rec = "id" if link == "recommendation" else "recommendation_id"
        ddl.append(
            f"CREATE TRIGGER search_queue_{table}_renamed AFTER UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION rectrack_search_queue_linked('{link}', '{fk}', '{rec}')"
        )
    return ddl


def has_fts5(conn: Connection) -> bool:
    """Whether this SQLite has the FTS5 full-text index (most builds do)."""
    if conn.dialect.name != "sqlite":
        return False
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.rectrack_fts5_probe USING fts5(x)")
            conn.exec_driver_sql("DROP TABLE temp.rectrack_fts5_probe")
    except OperationalError:
        return False
    return True


def run_ddl(conn: Connection, ddl: str) -> None:
    """Run DDL written for the database (PostgreSQL's driver reads `%` as a placeholder)."""
    conn.exec_driver_sql(ddl.replace("%", "%%") if conn.dialect.name == "postgresql" else ddl)


def create_search(conn: Connection) -> None:
    """The triggers that keep search documents in step with the tables they are made of,
    and the full-text index (SQLite's FTS5 where it has it, PostgreSQL's own): made with
    the tables (create_all) and by the migration that brought search (db.MIGRATIONS)."""
    for ddl in search_triggers(conn.dialect.name):
        run_ddl(conn, ddl)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(SEARCH_GIN)
    if has_fts5(conn):
        for ddl in SEARCH_FTS:
            conn.exec_driver_sql(ddl)


# PostgreSQL's full-text index over the search documents: their words as the `simple`
# configuration reads them (the documents are stems already, folded, one space apart), so
# that search finds a document's words as FTS5 does on SQLite (services.search).
SEARCH_GIN_NAME = "ix_search_document_fts"
SEARCH_GIN = (
    f"CREATE INDEX IF NOT EXISTS {SEARCH_GIN_NAME} ON search_document "
    "USING gin (to_tsvector('simple', content))"
)


# The full-text index of SQLite (FTS5) over the search documents, and the triggers that
# keep it in step with them.
SEARCH_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(content, "
    "content='search_document', content_rowid='rec_id', tokenize='unicode61')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_vocab USING fts5vocab(search_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS search_fts_inserted AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts (rowid, content) VALUES (NEW.rec_id, NEW.content); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_deleted AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, content) VALUES "
    "('delete', OLD.rec_id, OLD.content); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_updated AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, content) VALUES "
    "('delete', OLD.rec_id, OLD.content); "
    "INSERT INTO search_fts (rowid, content) VALUES (NEW.rec_id, NEW.content); END",
)


class ChangeLog(SQLModel, table=True):
    """One change to the record: who, when, what, the old and new values (JSON). Written
    by triggers in the same transaction as the change (`LOGGED`), never changed after."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(max_length=30, index=True)  # UTC, ISO 8601: 2026-11-29T19:01:53.208Z
    actor: str | None = None
    table_name: str = Field(max_length=40)
    row_id: int | None = None
    action: str = Field(max_length=10)  # add, change, remove
    rec_key: str | None = Field(default=None, index=True)
    old: str | None = Field(default=None, sa_type=Text)
    new: str | None = Field(default=None, sa_type=Text)


class ChangeActor(SQLModel, table=True):
    """Who makes the changes of the transaction under way (SQLite: one row, set as each
    write transaction begins; on PostgreSQL the log names the role logged in instead)."""

    __tablename__ = "change_actor"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str | None = None


# What the change log records: each table, the expression that names its recommendation
# (for `rectrack log --key`), and columns left out (derived from others).
LOGGED: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "recommendation": ("{row}.key", ("text_folded", "updated_at")),
    "document": (None, ()),
    "action": (None, ()),
    "evidence": (None, ()),
    "assessment": ("(SELECT key FROM recommendation WHERE id = {row}.recommendation_id)", ()),
    "assessment_withdrawal": (
        "(SELECT r.key FROM assessment a JOIN recommendation r ON r.id = a.recommendation_id "
        "WHERE a.id = {row}.assessment_id)",
        (),
    ),
    "recommendation_link": ("(SELECT key FROM recommendation WHERE id = {row}.from_id)", ()),
    "cluster": (None, ()),
    "cluster_member": (
        "(SELECT key FROM recommendation WHERE id = {row}.recommendation_id)",
        (),
    ),
    "action_recommendation": (
        "(SELECT key FROM recommendation WHERE id = {row}.recommendation_id)",
        (),
    ),
    "evidence_recommendation": (
        "(SELECT key FROM recommendation WHERE id = {row}.recommendation_id)",
        (),
    ),
    "recommendation_theme": (
        "(SELECT key FROM recommendation WHERE id = {row}.recommendation_id)",
        (),
    ),
    "recommendation_institution": (
        "(SELECT key FROM recommendation WHERE id = {row}.recommendation_id)",
        (),
    ),
}
# A key a bulk load gives a recommendation until its final one (services.bulk): such rows
# are logged when they get their final key, as added.
PROVISIONAL_LIKE = "~%"


def _sqlite_table_log_triggers(
    table_name: str, rec_key: str | None, left_out: tuple[str, ...]
) -> list[str]:
    """The SQLite triggers that log one table's changes."""
    table = SQLModel.metadata.tables[table_name]
    columns = [c.name for c in table.c if c.name not in left_out]
    pk = [c.name for c in table.primary_key.columns]
    row_id = pk[0] if len(pk) == 1 else None
    now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    actor = "(SELECT name FROM change_actor WHERE id = 1)"

    def values(row: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in columns) + ")"

    def key(row: str) -> str:
        return rec_key.format(row=row) if rec_key else "NULL"

    def log(action: str, old: str, new: str, row: str) -> str:
        rid = f"{row}.{row_id}" if row_id else "NULL"
        return (
            "INSERT INTO change_log (at, actor, table_name, row_id, action, rec_key, old, "
            f"new) VALUES ({now}, {actor}, '{table_name}', {rid}, '{action}', {key(row)}, "
            f"{old}, {new});"
        )

    def final(row: str) -> str:
        return f"{key(row)} NOT LIKE '{PROVISIONAL_LIKE}'" if rec_key else "1"

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    ddl = [
        f"CREATE TRIGGER IF NOT EXISTS log_{table_name}_add AFTER INSERT ON {table_name} "
        f"WHEN {final('NEW')} BEGIN {log('add', 'NULL', values('NEW'), 'NEW')} END"
    ]
    if table_name == "recommendation":
        # A bulk load's provisional key becoming final: the recommendation is added.
        ddl.append(
            "CREATE TRIGGER IF NOT EXISTS log_recommendation_keyed AFTER UPDATE OF key ON "
            f"recommendation WHEN OLD.key LIKE '{PROVISIONAL_LIKE}' AND NEW.key NOT LIKE "
            f"'{PROVISIONAL_LIKE}' BEGIN {log('add', 'NULL', values('NEW'), 'NEW')} END"
        )
        changed = f"OLD.key NOT LIKE '{PROVISIONAL_LIKE}' AND ({changed})"
    ddl.append(
        f"CREATE TRIGGER IF NOT EXISTS log_{table_name}_change AFTER UPDATE ON {table_name} "
        f"WHEN {changed} BEGIN {log('change', values('OLD'), values('NEW'), 'NEW')} END"
    )
    ddl.append(
        f"CREATE TRIGGER IF NOT EXISTS log_{table_name}_remove AFTER DELETE ON {table_name} "
        f"WHEN {final('OLD')} BEGIN {log('remove', values('OLD'), 'NULL', 'OLD')} END"
    )
    return ddl


def _sqlite_log_triggers() -> list[str]:
    return [
        ddl
        for table_name, (rec_key, left_out) in LOGGED.items()
        for ddl in _sqlite_table_log_triggers(table_name, rec_key, left_out)
    ]


def _postgresql_log_triggers(schema: str) -> list[str]:
    """The PostgreSQL trigger function that logs a table's changes, and its triggers. It
    runs with the rights of the role that made the schema (SECURITY DEFINER, its search
    path fixed to the schema), so that members of a coalition need no right to write the
    log themselves: they cannot add to it, change it or take from it but through a change
    to the record. Who made the change is the role they logged in as (`session_user`).
    The values are JSON objects with the columns in the table's order, as on SQLite."""
    values = (
        "SELECT json_object_agg(c.key, c.value ORDER BY c.n) INTO {var} FROM "
        "json_each(to_json({row})) WITH ORDINALITY AS c(key, value, n) "
        "WHERE c.key <> ALL (TG_ARGV[1]::text[]); "
    )
    ddl = [
        "CREATE OR REPLACE FUNCTION rectrack_log() RETURNS trigger LANGUAGE plpgsql "
        f'SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$ '
        "DECLARE o json; n json; k text; rid bigint; act text; "
        "BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {values.format(var='o', row='OLD')}END IF; "
        f"IF TG_OP <> 'DELETE' THEN {values.format(var='n', row='NEW')}END IF; "
        "IF TG_OP = 'UPDATE' AND o::jsonb = n::jsonb THEN RETURN NULL; END IF; "
        "IF TG_ARGV[0] <> '' THEN "
        "IF TG_OP = 'DELETE' THEN EXECUTE 'SELECT ' || TG_ARGV[0] INTO k USING OLD; "
        "ELSE EXECUTE 'SELECT ' || TG_ARGV[0] INTO k USING NEW; END IF; "
        f"IF k LIKE '{PROVISIONAL_LIKE}' THEN RETURN NULL; END IF; END IF; "
        "act := CASE TG_OP WHEN 'INSERT' THEN 'add' WHEN 'DELETE' THEN 'remove' "
        "ELSE 'change' END; "
        f"IF TG_OP = 'UPDATE' AND o ->> 'key' LIKE '{PROVISIONAL_LIKE}' THEN "
        "act := 'add'; o := NULL; END IF; "
        "IF TG_ARGV[2] <> '' THEN rid := (coalesce(n, o) ->> TG_ARGV[2])::bigint; END IF; "
        "INSERT INTO change_log (at, actor, table_name, row_id, action, rec_key, old, new) "
        "VALUES (to_char(clock_timestamp() AT TIME ZONE 'UTC', "
        '\'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\'), session_user, '
        "TG_TABLE_NAME, rid, act, k, o::text, n::text); "
        "RETURN NULL; END $$"
    ]
    for table_name, (rec_key, left_out) in LOGGED.items():
        # The recommendation's key, asked of the row ($1) by a query of its own.
        query = (rec_key or "").replace("{row}", "($1)").replace("'", "''")
        skipped = "{" + ",".join(left_out) + "}"
        pk = [c.name for c in SQLModel.metadata.tables[table_name].primary_key.columns]
        row_id = pk[0] if len(pk) == 1 else ""
        ddl.append(
            f"CREATE TRIGGER log_{table_name} AFTER INSERT OR UPDATE OR DELETE ON {table_name} "
            f"FOR EACH ROW EXECUTE FUNCTION rectrack_log('{query}', '{skipped}', '{row_id}')"
        )
    return ddl


def log_triggers(dialect: str, schema: str = "public") -> list[str]:
    """The DDL of the triggers that write the change log, for SQLite or PostgreSQL (in
    this schema)."""
    return _sqlite_log_triggers() if dialect == "sqlite" else _postgresql_log_triggers(schema)


def create_change_log(conn: Connection) -> None:
    """The change log's triggers and the row that names who is changing things."""
    schema = "main"
    if conn.dialect.name == "postgresql":
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    for ddl in log_triggers(conn.dialect.name, schema):
        run_ddl(conn, ddl)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT OR IGNORE INTO change_actor (id, name) VALUES (1, NULL)")


@event.listens_for(SQLModel.metadata, "after_create")
def _after_create(target: object, connection: Connection, **kw: object) -> None:
    """What create_all makes beside the tables, as the migrations make it."""
    create_search(connection)
    create_change_log(connection)
