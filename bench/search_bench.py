"""How fast `rectrack search` answers on 100,000 recommendations and `rectrack cluster
suggest` works through 10,000, and how good the suggestions are on the sample data.

- search: a database of N recommendations (default 100,000) loaded from a UPR-Info-shaped
  export (see import_bench.py); after a first search, which indexes them all, the median
  time of `rectrack --db DB search WORDS` against the start-up floor, the median time of
  `rectrack --db DB body list` (the same start-up and database opening, with nothing to
  look up). Goal: at most 1.5 times the floor.
- cluster suggest: a database of M recommendations (default 10,000) of 12 bodies over 8
  cycles, written as variations of 400 demands that come back from body to body; the time
  of `rectrack --db DB cluster suggest`. Goal: under 60 s on a 2-core machine.
- quality: the groups `cluster suggest` proposes on the sample data set against the groups
  made by hand in tests/data/gold-clusters.toml, as precision and recall of pairs.

    python bench/search_bench.py [--n 100000] [--m 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from import_bench import WORDS, write_upr_csv  # noqa: E402

SEARCH_GOAL = 1.5
SUGGEST_GOAL_S = 60.0
GOLD = Path(__file__).parent.parent / "tests" / "data" / "gold-clusters.toml"
BODIES = ["CEDAW", "CRC", "CAT", "CCPR", "CESCR", "CERD", "CRPD", "GRETA", "GREVIO", "TIP"]
BODIES += ["EU", "UPR"]
TOPICS = (
    "compensation fund victims trafficking state scheme shelters children migrants asylum "
    "identification prosecution officials corruption judges training police labour "
    "inspection domestic violence protection orders femicide database rapporteur "
    "independent monitoring budget allocation legal aid interpreters reintegration housing "
    "employment roma minorities disability access education health care prisons detention "
    "torture investigation journalists media freedom assembly association elections"
).split()


def rectrack(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "rectrack", *args],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.stdout


def timed(env: dict[str, str], *args: str) -> float:
    t = time.perf_counter()
    rectrack(env, *args)
    return time.perf_counter() - t


def write_demands_csv(path: Path, m: int) -> None:
    """M recommendations: 400 demands, each made again by several bodies over the cycles,
    in words that vary from one body to the next, as real ones do."""
    rng = random.Random(11)

    def word() -> str:
        return "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4))

    # Each demand has words of its own (as "compensation fund" or "national rapporteur" are)
    # and words it shares with many others.
    demands = [[word(), word(), word(), *rng.sample(TOPICS, 3)] for _ in range(400)]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Body", "Document", "Year", "Text"])
        for i in range(m):
            core = demands[i % len(demands)]
            body = rng.choice(BODIES)
            year = 2008 + rng.randint(0, 16)
            words = rng.sample(core, 4) + [rng.choice(WORDS) for _ in range(rng.randint(8, 25))]
            words += rng.sample(TOPICS, 2)
            rng.shuffle(words)
            text = " ".join(words).capitalize() + "."
            writer.writerow([body, f"{body}/SRB/{year}", str(year), text])


def search_figures(folder: Path, env: dict[str, str], n: int, rounds: int) -> tuple[float, float]:
    source = folder / "upr-info.csv"
    write_upr_csv(source, n)
    db = str(folder / "search.db")
    rectrack(env, "--db", db, "init")
    rectrack(env, "--db", db, "import", str(source))
    t = time.perf_counter()
    rectrack(env, "--db", db, "search", "victims compensation")
    print(f"first search (indexes {n:,} recommendations): {time.perf_counter() - t:.2f} s")
    ours, floor = [], []
    queries = ["victims compensation", "national rapporteur", "prosecute officials", "roma"]
    for i in range(rounds):
        ours.append(timed(env, "--db", db, "search", queries[i % len(queries)], "-n", "20"))
        floor.append(timed(env, "--db", db, "body", "list"))
    return statistics.median(ours), statistics.median(floor)


def suggest_figure(folder: Path, env: dict[str, str], m: int) -> float:
    source = folder / "demands.csv"
    write_demands_csv(source, m)
    db = str(folder / "suggest.db")
    rectrack(env, "--db", db, "init")
    rectrack(
        env,
        "--db",
        db,
        "import",
        str(source),
        "--map",
        "body=Body",
        "--map",
        "document=Document",
        "--map",
        "date=Year",
        "--map",
        "text=Text",
    )
    rectrack(env, "--db", db, "search", "victims")  # index first, as any earlier search would
    return timed(env, "--db", db, "cluster", "suggest", "--limit", "50")


def quality() -> tuple[float, float, int]:
    """Precision and recall of the pairs `cluster suggest` groups on the sample data."""
    from sqlmodel import select

    from rectrack.db import open_database, session_scope
    from rectrack.models import Recommendation
    from rectrack.services.datasets import load_sample
    from rectrack.services.similarity import precision_recall, suggest
    from rectrack.settings import database_location
    from rectrack.shapes import RecFilter

    gold = [g["keys"] for g in tomllib.loads(GOLD.read_text(encoding="utf-8"))["groups"]]
    database = open_database(database_location("sqlite:///:memory:"), create=True)
    with session_scope(database, commit=False) as s:
        load_sample(s)
        keys = dict(s.exec(select(Recommendation.id, Recommendation.key)).all())
        documents = {
            k: str(d) for k, d in s.exec(select(Recommendation.key, Recommendation.document_id))
        }
        found = suggest(s, RecFilter(), limit=100)
        groups = [[keys[i] for i in g.rec_ids] for g in found]
        precision, recall = precision_recall(groups, gold, documents)  # type: ignore[arg-type]
    return precision, recall, len(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--m", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    precision, recall, count = quality()
    print(
        f"suggestions on the sample: {count} groups, precision {precision:.2f}, recall "
        f"{recall:.2f} of pairs against tests/data/gold-clusters.toml"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "RECTRACK_HOME": str(folder / "home")}
        seconds = suggest_figure(folder, env, args.m)
        print(
            f"cluster suggest on {args.m:,} recommendations: {seconds:.1f} s "
            f"(goal: under {SUGGEST_GOAL_S:.0f} s)",
            flush=True,
        )
        ours, floor = search_figures(folder, env, args.n, args.rounds)
        print(
            f"search on {args.n:,}: median {ours:.2f} s, start-up floor (body list) "
            f"{floor:.2f} s, ratio {ours / floor:.2f} (goal: at most {SEARCH_GOAL})"
        )
    met = seconds < SUGGEST_GOAL_S and ours / floor <= SEARCH_GOAL
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
