"""Nothing lost: the change log, removing and restoring, backups, the check of a database,
migrations that keep a copy, and every write all or nothing."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from engines import Target
from helpers import Cli
from rectrack.db import SCHEMA_VERSION, open_database
from rectrack.settings import database_location

KEY = "GRETA-2023-0005"


def log_rows(database: Target) -> list[tuple]:
    return database.rows(
        "SELECT actor, table_name, action, rec_key, old, new FROM change_log ORDER BY id"
    )


# --- the change log ------------------------------------------------------------------


def test_every_change_is_logged_with_who_and_the_values_before_and_after(
    cli: Cli, on_sample: Target, home: Path
) -> None:
    (home / "config.toml").write_text('[user]\nname = "Ana (ASTRA)"\n', encoding="utf-8")
    # On a server, who made a change is the role logged in, whatever config.toml says.
    who = "Ana (ASTRA)"
    if on_sample.engine_name == "postgresql":
        who = on_sample.scalar("SELECT current_user")
    before = len(log_rows(on_sample))
    cli.ok("edit", KEY, "--priority", "low")
    cli.ok("assess", KEY, "--status", "partial", "--date", "2025-06")
    cli.ok("rm", KEY, "--yes")
    cli.ok("restore", KEY)
    new = log_rows(on_sample)[before:]
    assert [(actor, table, action) for actor, table, action, *_ in new] == [
        (who, "recommendation", "change"),
        (who, "assessment", "add"),
        (who, "recommendation", "change"),
        (who, "recommendation", "change"),
    ]
    assert all(row[3] == KEY for row in new)
    edit_old, edit_new = json.loads(new[0][4]), json.loads(new[0][5])
    assert (edit_old["priority"], edit_new["priority"]) == ("high", "low")
    assert list(edit_old) == list(edit_new)  # the columns in the table's order, both times
    assert cli.json("history", KEY)["events"][-1]["by"] == who  # who recorded the assessment
    shown = cli.json("log", "--key", KEY.lower(), "--by", who.upper())
    assert [r["change"] for r in shown[:4]] == [
        "restored",
        "removed (rm)",
        "added Partial (ngo, 2025-06)",
        "priority: high -> low",
    ]


def test_the_log_on_a_terminal_and_its_filters(cli: Cli, on_sample: Target, terminal) -> None:
    cli.ok("edit", KEY, "--priority", "low")
    out = cli.ok("log", "--key", KEY, "--since", "2020", "--limit", "1")
    assert "1 change" in out and "priority: high -> low" in out
    assert cli.json("log", "--by", "nobody-at-all") == []
    assert cli("log", "--limit", "0").exit_code == 2


def test_a_bulk_import_logs_each_recommendation_with_its_final_key(
    cli: Cli, on_empty: Target, tmp_path: Path
) -> None:
    table = tmp_path / "ours.csv"
    table.write_text("Body,Text,Status\nCEDAW,One.,Pending\nCEDAW,Two.,Pending\n", "utf-8")
    cli.ok(
        "import",
        table,
        "--map",
        "body=Body",
        "--map",
        "text=Text",
        "--map",
        "status=Status",
        "--status-map",
        "Pending=in_progress",
    )
    rows = [r for r in log_rows(on_empty) if r[1] in ("recommendation", "assessment")]
    assert [(r[1], r[2]) for r in rows] == [
        ("recommendation", "add"),
        ("recommendation", "add"),
        ("assessment", "add"),
        ("assessment", "add"),
    ]
    assert {r[3] for r in rows} == {"CEDAW-0001", "CEDAW-0002"}
    assert not any(r[3].startswith("~") for r in rows)


# --- removing and restoring ------------------------------------------------------------


def test_a_removed_recommendation_is_out_of_every_listing_but_kept(
    cli: Cli, on_sample: Target
) -> None:
    cli.ok("rm", KEY, "--yes")
    assert KEY not in cli.keys()
    assert KEY not in {r["key"] for r in cli.json("status")["recommendations"]}
    assert cli.json("search", "compensation", "-n", "50") and KEY not in {
        r["key"] for r in cli.json("search", "compensation", "-n", "50")
    }
    refused = cli("assess", KEY, "--status", "implemented")
    assert refused.exit_code == 1 and "was removed on" in refused.stderr
    assessed = on_sample.scalar(
        "SELECT count(*) FROM assessment a JOIN recommendation r "
        "ON r.id = a.recommendation_id WHERE r.key = :key",
        key=KEY,
    )
    assert assessed > 0
    cli.ok("restore", KEY)
    assert KEY in cli.keys()
    assert cli("restore", KEY).stderr == f"Error: {KEY} is not removed\n"


# --- backups, checks, migrations -----------------------------------------------------------


def test_a_backup_is_a_whole_database_and_never_overwritten_without_force(
    cli: Cli, sample: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    assert cli.ok("db", "backup", copy).startswith(f"wrote {copy}")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM recommendation").fetchone() == (38,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    cli.refused(["db", "backup", copy], 1, "already exists: add --force")
    cli.ok("db", "backup", copy, "--force")
    cli.refused(["db", "backup", sample], 1, "is the database itself")


def test_check_finds_a_bad_key_and_a_missing_file_on_either_engine(
    cli: Cli, on_sample: Target
) -> None:
    assert cli.ok("db", "check") == "no problems found\n"
    on_sample.execute(
        "UPDATE recommendation SET key = 'bad key!' WHERE key = :key",
        "UPDATE evidence SET file_path = 'gone/notes.pdf' WHERE id = 1",
        key=KEY,
    )
    result = cli("db", "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any("key 'bad key!' breaks the key rules" in line for line in lines)
    assert any(line.startswith("evidence E1: file gone/notes.pdf missing") for line in lines)


def test_check_passes_the_sample_and_lists_each_damage(
    cli: Cli, sample: Path, tmp_path: Path
) -> None:
    assert cli.ok("db", "check") == "no problems found\n"
    damaged = tmp_path / "damaged.db"
    cli.ok("db", "backup", damaged)
    with sqlite3.connect(damaged) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE recommendation SET key = 'bad key!' WHERE key = ?", (KEY,))
        conn.execute("DELETE FROM body WHERE code = 'TIP'")
        conn.execute("UPDATE evidence SET file_path = 'gone/notes.pdf' WHERE id = 1")
    result = cli("--db", damaged, "db", "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any("key 'bad key!' breaks the key rules" in line for line in lines)
    assert any(line.startswith("recommendation row") and "body" in line for line in lines)
    assert any(line.startswith("evidence E1: file gone/notes.pdf missing") for line in lines)
    assert result.stderr.endswith("problems found\n")


def older_database(where: Path | str, monkeypatch: pytest.MonkeyPatch, upto: int) -> None:
    """A database (a file, or a URL) as an older rectrack, which knew `upto` migrations,
    made it."""
    import rectrack.db as db

    with monkeypatch.context() as patch:
        patch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:upto])
        open_database(database_location(str(where)), create=True).engine.dispose()


def test_migrate_shows_what_a_database_lacks_and_keeps_a_copy_of_one_with_data(
    cli: Cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    older_database(path, monkeypatch, upto=5)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO recommendation (key, body_id, text, created_at, updated_at) "
            "VALUES ('CEDAW-0001', 1, 'Old.', '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
        )
    dry = cli.ok("--db", path, "db", "migrate", "--dry-run")
    assert f"schema version 5; this rectrack knows {SCHEMA_VERSION}" in dry
    assert "would apply 6:" in dry and "would apply 7:" in dry
    done = cli.ok("--db", path, "db", "migrate")
    assert "applied 6:" in done and "the database as it was is kept in " in done
    copies = list(tmp_path.glob(f"old.before-schema-{SCHEMA_VERSION}.*.db"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as conn:
        assert max(v for (v,) in conn.execute("SELECT version FROM schema_migration")) == 5
    assert cli.ok("--db", path, "db", "migrate").endswith("nothing to migrate\n")


def test_a_command_that_upgrades_a_database_says_so_and_where_the_copy_is(
    cli: Cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    older_database(path, monkeypatch, upto=6)
    cli.ok("--db", path, "add", "-b", "CEDAW", "-t", "Before.")  # no data yet: no copy
    older = tmp_path / "older.db"
    older_database(older, monkeypatch, upto=6)
    with sqlite3.connect(older) as conn:
        conn.execute(
            "INSERT INTO recommendation (key, body_id, text, created_at, updated_at) "
            "VALUES ('CEDAW-0001', 1, 'Old.', '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
        )
    result = cli("--db", older, "list")
    assert result.exit_code == 0
    assert "the database as it was is kept in" in result.stderr


def test_a_database_of_a_newer_rectrack_is_refused_and_left_alone(
    cli: Cli, on_sample: Target
) -> None:
    on_sample.execute("INSERT INTO schema_migration VALUES (99, 'future', '2030-01-01')")
    for command in (["db", "migrate"], ["add", "-b", "CEDAW", "-t", "New."]):
        cli.refused(command, 1, "schema version 99, newer than this rectrack knows")
    if on_sample.path is not None:
        before = on_sample.path.read_bytes()
        cli("list")
        assert on_sample.path.read_bytes() == before


def test_an_older_database_is_brought_up_to_date_on_either_engine(
    cli: Cli, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    older_database(target.url, monkeypatch, upto=5)
    target.execute(
        "INSERT INTO recommendation (key, body_id, text, created_at, updated_at) "
        "VALUES ('CEDAW-0001', 1, 'Victims of trafficking.', '2020-01-01 00:00:00', "
        "'2020-01-01 00:00:00')"
    )
    dry = cli.ok("--db", target.url, "db", "migrate", "--dry-run")
    assert f"schema version 5; this rectrack knows {SCHEMA_VERSION}" in dry
    done = cli.ok("--db", target.url, "db", "migrate")
    assert f"applied {SCHEMA_VERSION}:" in done
    assert target.scalar("SELECT max(version) FROM schema_migration") == SCHEMA_VERSION
    found = cli.json("--db", target.url, "search", "victims")
    assert [r["key"] for r in found] == ["CEDAW-0001"]
    cli.ok("--db", target.url, "edit", "CEDAW-0001", "--priority", "high")
    assert cli.json("--db", target.url, "log")[0]["change"] == "priority: (none) -> high"


def test_a_new_database_file_is_for_its_owner_only(cli: Cli, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    cli.ok("--db", path, "init")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_empty_file_is_not_taken_for_a_database(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    result = cli("--db", path, "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path} is empty (0 bytes), not a rectrack database: "
        f"`rectrack --db {path} init` makes it one\n"
    )
    assert path.stat().st_size == 0


# --- all or nothing ------------------------------------------------------------------------


def test_an_import_that_fails_halfway_leaves_the_database_as_it_was(
    cli: Cli, on_empty: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rectrack.services.bulk as bulk

    monkeypatch.setattr(bulk, "CHUNK", 2)
    calls = []
    original = bulk._Loader._insert

    def fail_on_the_second_chunk(self, rows):  # type: ignore[no-untyped-def]
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("the disk went away")
        return original(self, rows)

    monkeypatch.setattr(bulk._Loader, "_insert", fail_on_the_second_chunk)
    table = tmp_path / "ours.csv"
    table.write_text("Body,Text\n" + "".join(f"CEDAW,Text {i}.\n" for i in range(6)), "utf-8")
    before = cli.state()
    with pytest.raises(RuntimeError):
        cli("--debug", "import", table, "--map", "body=Body", "--map", "text=Text")
    assert cli.state() == before


def test_an_assessment_of_several_keys_that_fails_halfway_records_none(
    cli: Cli, on_sample: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rectrack.services.assessments as assessments

    added = []
    original = assessments.Assessment

    def flaky(**values):  # type: ignore[no-untyped-def]
        added.append(values)
        if len(added) == 2:
            raise RuntimeError("power cut")
        return original(**values)

    monkeypatch.setattr(assessments, "Assessment", flaky)
    before = cli.state()
    with pytest.raises(RuntimeError):
        cli("--debug", "assess", KEY, "GRETA-2023-0004", "GRETA-2023-0003", "--status", "partial")
    assert cli.state() == before
