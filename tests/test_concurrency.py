"""Many processes writing to one database at once: every write lands, keys stay unique,
nobody sees an error. Real processes, a real SQLite file (and PostgreSQL when
RECTRACK_TEST_PG names a server)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engines import Target
from helpers import Cli

ADDERS = 30
PER_WORKER = 200
SERVER_ADDERS = 12  # processes writing to one PostgreSQL database at once
ON_SERVER = pytest.mark.parametrize(
    "engine_name", [pytest.param("postgresql", marks=pytest.mark.pg)]
)

WORKER = textwrap.dedent(
    """
    import sys
    from rectrack.db import open_database, session_scope
    from rectrack.services.assessments import AssessmentInput, assess
    from rectrack.services.recommendations import RecInput, add_recommendation
    from rectrack.settings import database_location

    url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    database = open_database(database_location(url))
    for i in range(count):
        with session_scope(database) as s:  # one transaction each, as one command is
            key = add_recommendation(
                s, RecInput(body="CEDAW", text=f"{name} recommendation {i}", date="2019")
            )
        with session_scope(database) as s:
            assess(s, [key], AssessmentInput(status="in_progress", date="2024"))
    database.engine.dispose()
    """
)


def run_at_once(
    commands: list[list[str]], env: dict[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    started = [
        subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    done = []
    for p in started:
        out, err = p.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


@pytest.fixture
def environment(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "RECTRACK_HOME": str(home)}


def test_thirty_processes_add_at_once(cli: Cli, home: Path, environment: dict[str, str]) -> None:
    db = home / "shared.db"
    cli.ok("--db", db, "init")
    commands = [
        [
            sys.executable,
            "-m",
            "rectrack",
            "--db",
            str(db),
            "add",
            "-b",
            "GRETA",
            "--date",
            "2023",
            "-t",
            f"Recommendation made at once, number {i}",
        ]
        for i in range(ADDERS)
    ]
    done = run_at_once(commands, environment)
    failed = [(d.returncode, d.stderr) for d in done if d.returncode != 0]
    assert failed == []
    keys = [d.stdout.strip() for d in done]
    assert len(set(keys)) == ADDERS
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT key FROM recommendation").fetchall()
        assert sorted(k for (k,) in rows) == sorted(keys)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_two_processes_each_add_and_assess_two_hundred(
    cli: Cli, home: Path, environment: dict[str, str], tmp_path: Path
) -> None:
    db = home / "shared.db"
    cli.ok("--db", db, "init")
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER, encoding="utf-8")
    done = run_at_once(
        [[sys.executable, str(worker), str(db), name, str(PER_WORKER)] for name in ("A", "B")],
        environment,
    )
    assert [(d.returncode, d.stderr) for d in done] == [(0, ""), (0, "")]
    with sqlite3.connect(db) as conn:
        recs = conn.execute("SELECT count(*), count(DISTINCT key) FROM recommendation").fetchone()
        assessed = conn.execute("SELECT count(DISTINCT recommendation_id) FROM assessment")
        assert recs == (2 * PER_WORKER, 2 * PER_WORKER)
        assert assessed.fetchone() == (2 * PER_WORKER,)


def add_command(i: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rectrack",
        "add",
        "-b",
        "GRETA",
        "--date",
        "2023",
        "-t",
        f"Recommendation made at once, number {i}",
    ]


@ON_SERVER
def test_processes_add_at_once_on_a_server(
    on_empty: Target, environment: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    environment["RECTRACK_DB"] = on_empty.url
    done = run_at_once([add_command(i) for i in range(SERVER_ADDERS)], environment)
    errors = [(d.returncode, d.stderr) for d in done if d.returncode != 0 or d.stderr]
    keys = [d.stdout.strip() for d in done]
    found = [k for (k,) in on_empty.rows("SELECT key FROM recommendation")]
    with capsys.disabled():
        print(
            f"\n{SERVER_ADDERS} processes, {len(keys)} rows written, {len(found)} found, "
            f"{len(set(found))} distinct keys, {len(errors)} errors"
        )
    assert errors == []
    assert len(set(keys)) == SERVER_ADDERS
    assert sorted(found) == sorted(keys)
    role = on_empty.scalar("SELECT current_user")
    logged = on_empty.rows(
        "SELECT actor, rec_key FROM change_log WHERE table_name = 'recommendation'"
    )
    assert sorted(logged) == sorted((role, key) for key in keys)


@ON_SERVER
def test_two_processes_each_add_and_assess_two_hundred_on_a_server(
    on_empty: Target, environment: dict[str, str], tmp_path: Path
) -> None:
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER, encoding="utf-8")
    done = run_at_once(
        [[sys.executable, str(worker), on_empty.url, name, str(PER_WORKER)] for name in "AB"],
        environment,
    )
    assert [(d.returncode, d.stderr) for d in done] == [(0, ""), (0, "")]
    recs = on_empty.rows("SELECT count(*), count(DISTINCT key) FROM recommendation")
    assert recs == [(2 * PER_WORKER, 2 * PER_WORKER)]
    assessed = on_empty.scalar("SELECT count(DISTINCT recommendation_id) FROM assessment")
    assert assessed == 2 * PER_WORKER


def test_wal_can_be_turned_off_for_a_network_share(cli: Cli, home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text("[sqlite]\nwal = false\n", encoding="utf-8")
    db = home / "share.db"
    cli.ok("--db", db, "init")
    cli.ok("--db", db, "add", "-b", "CEDAW", "-t", "On a share.")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_a_setting_of_the_wrong_type_is_refused(cli: Cli, home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text('[sqlite]\nwal = "no"\n', encoding="utf-8")
    result = cli("init")
    assert result.exit_code == 1
    assert "'sqlite.wal' should be true or false" in result.stderr
