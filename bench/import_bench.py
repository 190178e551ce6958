"""How long `rectrack import` takes on a large UPR Info export, beside its floor.

Writes a CSV file shaped like an export of the UPR Info database: N rows (default
100,000), one per recommendation and recommending state, about 190 states under review
and recommending, 50 themes, texts of realistic length, a few rows repeated. Then times,
alternately and several times over:

- rectrack: the command `rectrack --db DB import FILE.csv` into a fresh database, start-up
  included (the database is made beforehand, untimed);
- floor: a minimal script that reads the same CSV with the `csv` module and inserts the
  rows unchanged into one SQLite table with `executemany`, in one transaction;
- data set: `rectrack import FILE.toml` of the same recommendations as a TOML data set
  (written by `rectrack export` beforehand, untimed), into a fresh database.

Goals: the import takes at most 3 times the floor, with a peak memory (resident set) under
200 MB; the data set loads within 5 times the floor. Prints the medians, the ratios and the
peak, and exits 1 when a goal is missed.

    python bench/import_bench.py [--n 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 3.0
DATASET_GOAL = 5.0
MEMORY_GOAL_MB = 200
COLUMNS = [
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
]
GROUPS = ["African Group", "Asia-Pacific Group", "EEG", "GRULAC", "WEOG"]
WORDS = (
    "ensure adopt strengthen continue take measures effective implementation national "
    "action plan combat trafficking persons women children victims protection access "
    "justice investigate prosecute perpetrators guarantee rights freedom expression "
    "assembly association journalists human rights defenders ratify optional protocol "
    "convention against torture establish independent institution accordance Paris "
    "Principles allocate sufficient resources training law enforcement officials judges "
    "prosecutors violence domestic gender-based discrimination minorities Roma persons "
    "disabilities education health care rural areas poverty reduction social inclusion "
    "migrants refugees asylum seekers detention conditions prisons"
).split()


def state_names() -> list[str]:
    """The names of the states rectrack knows (about 190)."""
    from rectrack.resources import data_file

    lines = data_file("countries.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[1] for line in lines if line.strip() and not line.startswith("#")]


def write_upr_csv(path: Path, n: int) -> None:
    """A UPR-Info-shaped export: texts of 60 to 600 characters (most near 200), 1 to 3 of
    50 themes, Supported or Noted, action categories 1 to 5, a session a cycle for each
    state under review (four cycles), and about one row in a hundred repeated as exports
    repeat them."""
    rng = random.Random(2026)
    states = state_names()
    themes = [f"Theme {i:02d} {rng.choice(WORDS)}" for i in range(50)]
    rows: list[list[str]] = []
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i in range(n):
            if rows and rng.random() < 0.01:
                writer.writerow(rng.choice(rows))
                continue
            words = max(8, int(rng.lognormvariate(3.4, 0.5)))
            text = " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."
            s = i % len(states)
            to = states[s]
            # Each state is reviewed once a cycle, so has one session in each.
            session = rng.choice([1 + s % 12, 13 + s % 14, 27 + s % 14, 41 + s % 6])
            row = [
                to,
                rng.choice(GROUPS),
                "",
                text,
                rng.choice(states),
                rng.choice(GROUPS),
                "",
                rng.choice(["Supported", "Noted", "Supported", "Accepted"]),
                str(rng.randint(1, 5)),
                ", ".join(rng.sample(themes, rng.randint(1, 3))),
                str(session),
            ]
            writer.writerow(row)
            if len(rows) < 1000:
                rows.append(row)


def floor(csv_path: Path, db: Path) -> None:
    """Read the CSV with the csv module and insert the rows unchanged into one table."""
    conn = sqlite3.connect(db)
    conn.execute(f"CREATE TABLE upr ({', '.join(f'c{i} TEXT' for i in range(len(COLUMNS)))})")
    with csv_path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        marks = ", ".join("?" * len(COLUMNS))
        with conn:
            conn.executemany(f"INSERT INTO upr VALUES ({marks})", reader)
    conn.close()


def rectrack(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "rectrack", *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def peak_mb(env: dict[str, str], *args: str) -> float:
    """The peak resident memory of one rectrack command, in MB (measured by a process of
    its own that runs only it)."""
    script = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, sys.executable, "-m", "rectrack", *args],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return int(done.stdout.strip()) / 1024


def timed(run: object, *args: object) -> float:
    t = time.perf_counter()
    run(*args)  # type: ignore[operator]
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "upr-info.csv"
        write_upr_csv(source, args.n)
        print(f"wrote {args.n:,} rows ({source.stat().st_size / 1e6:.1f} MB)", flush=True)
        env = {**os.environ, "RECTRACK_HOME": str(folder / "home")}
        dataset = folder / "upr.toml"
        ours, floors, datasets = [], [], []
        for i in range(args.rounds):
            db = folder / f"rectrack-{i}.db"
            rectrack(env, "--db", str(db), "init")
            ours.append(timed(rectrack, env, "--db", str(db), "import", str(source)))
            floors.append(timed(floor, source, folder / f"floor-{i}.db"))
            if i == 0:
                rectrack(env, "--db", str(db), "export", str(dataset))
            fresh = folder / f"dataset-{i}.db"
            rectrack(env, "--db", str(fresh), "init")
            datasets.append(timed(rectrack, env, "--db", str(fresh), "import", str(dataset)))
            print(
                f"round {i + 1}: rectrack {ours[-1]:.2f} s, floor {floors[-1]:.2f} s, "
                f"data set {datasets[-1]:.2f} s",
                flush=True,
            )
        db = folder / "peak.db"
        rectrack(env, "--db", str(db), "init")
        peak = peak_mb(env, "--db", str(db), "import", str(source))
        a, b, c = (statistics.median(x) for x in (ours, floors, datasets))
        print(
            f"median: rectrack import {a:.2f} s, csv + executemany floor {b:.2f} s, ratio "
            f"{a / b:.2f} (goal: at most {GOAL}); data set {c:.2f} s, ratio {c / b:.2f} "
            f"(goal: at most {DATASET_GOAL}); peak memory of the import {peak:.0f} MB "
            f"(goal: under {MEMORY_GOAL_MB})"
        )
        met = a / b <= GOAL and c / b <= DATASET_GOAL and peak < MEMORY_GOAL_MB
        return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
