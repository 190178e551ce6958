"""Every speed and memory figure of rectrack, each beside its floor, in one run.

    python bench/run.py [--size 100000] [--quick] [--rounds 3] [--only NAME...]

Builds synthetic databases (the size asked for, and a tenth of it to see growth) of
recommendations across 10 bodies and 500 documents, each with about one action, one piece
of evidence and three assessments, written with the bulk path. Then times each command as a
user runs it (a whole process, start-up included) and its floor (the least any program
doing the same work would take, a whole process too), alternately, several times, and
prints the median of each, their ratio, the command's peak memory, and its goal. A figure
that grows faster than the database is flagged. Exits 1 when a goal is missed.

`--quick` is a small run (10,000 recommendations, one round) to see that it all works.
The figures of a full run go to bench/RESULTS.md by hand, with the machine they came from.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import build  # noqa: E402

PY = sys.executable
RECTRACK = [PY, "-m", "rectrack"]
MEMORY_GOAL_MB = 200
# A runner that times one command as a whole process and reports its peak memory.
MEASURE = textwrap.dedent(
    """
    import resource, subprocess, sys, time
    started = time.perf_counter()
    done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(done.stderr.decode(errors="replace")[-2000:])
    print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    """
)


@dataclass
class Figure:
    name: str
    goal: str
    ratio_goal: float | None  # ours / floor at most this (None: no floor)
    ours: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    seconds_goal: float | None = None  # for a figure without a floor

    @property
    def ratio(self) -> float | None:
        if not self.ours or not self.floor:
            return None
        return statistics.median(self.ours) / statistics.median(self.floor)

    def met(self) -> bool:
        ratio_ok = self.ratio_goal is None or (self.ratio or 0) <= self.ratio_goal
        seconds_ok = self.seconds_goal is None or statistics.median(self.ours) < self.seconds_goal
        return ratio_ok and seconds_ok and self.peak_mb < MEMORY_GOAL_MB


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak MB) of one whole-process run of the command."""
    done = subprocess.run(
        [PY, "-c", MEASURE, *command], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    seconds, peak = done.stdout.split()
    return float(seconds), float(peak)


# ---------------------------------------------------------------------------------------
# Floors


FLOOR_TSV = textwrap.dedent(
    """
    # The floor of `list` and `status` piped: the same rows read with sqlite3 and written
    # as TSV, with the names of each recommendation and its latest assessments.
    import sqlite3, sys
    db, what = sys.argv[1], sys.argv[2]
    conn = sqlite3.connect(db)
    names = {}
    for rec, name in conn.execute(
        "SELECT l.recommendation_id, t.name FROM recommendation_theme l "
        "JOIN theme t ON t.id = l.theme_id"
    ):
        names.setdefault(rec, []).append(name)
    latest = {}
    if what == "status":
        for rec, status, date in conn.execute(
            "SELECT recommendation_id, status, date FROM (SELECT recommendation_id, status, "
            "date, row_number() OVER (PARTITION BY recommendation_id, perspective "
            "ORDER BY date DESC) AS n FROM assessment WHERE perspective = 'ngo') WHERE n = 1"
        ):
            latest[rec] = (status, date)
    out = sys.stdout
    for row in conn.execute(
        "SELECT r.id, r.key, b.code, d.symbol, r.paragraph, r.date, r.country, r.text, r.summary, "
        "r.priority, r.response, r.due FROM recommendation r JOIN body b ON b.id = r.body_id "
        "LEFT JOIN document d ON d.id = r.document_id ORDER BY b.code, r.key"
    ):
        cells = [str(v) if v is not None else "" for v in row[1:]]
        cells.append("; ".join(names.get(row[0], [])))
        cells += [str(v) for v in latest.get(row[0], ("unknown", ""))]
        out.write("\\t".join(cells) + "\\n")
    """
)

FLOOR_IMPORT = textwrap.dedent(
    """
    # The floor of importing a workbook: openpyxl's read-only mode reading the values of
    # the sheets the import reads.
    import sys
    from openpyxl import load_workbook
    wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
    for ws in wb.worksheets:
        if ws.title in sys.argv[2:]:
            for row in ws.iter_rows(values_only=True):
                pass
    """
)

FLOOR_CSV = textwrap.dedent(
    """
    # The floor of `export x.csv`: the same rows written with the csv module.
    import csv, pickle, sys
    rows = pickle.load(open(sys.argv[1], "rb"))
    with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    """
)

FLOOR_TOML = textwrap.dedent(
    """
    # The floor of `export x.toml`: the same tables written with tomli_w.
    import pickle, sys, tomli_w
    tables = pickle.load(open(sys.argv[1], "rb"))
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(tomli_w.dumps(tables, multiline_strings=True))
    """
)

FLOOR_XLSX = textwrap.dedent(
    """
    # The floor of `export x.xlsx`: openpyxl in write-only mode writing the same cells,
    # unstyled.
    import pickle, sys
    from openpyxl import Workbook
    sheets = pickle.load(open(sys.argv[1], "rb"))
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(sys.argv[2])
    """
)


def export_values(folder: Path, db: Path, env: dict[str, str]) -> dict[str, Path]:
    """The cells of the exports, read back from rectrack's own files (untimed), for the
    floors to write."""
    import pickle
    import tomllib

    from openpyxl import load_workbook

    out = {}
    xlsx, csv_file, toml = folder / "x.xlsx", folder / "x.csv", folder / "x.toml"
    for path in (xlsx, csv_file, toml):
        subprocess.run(
            [*RECTRACK, "--db", str(db), "export", str(path), "--force"],
            env=env,
            check=True,
            capture_output=True,
        )
    wb = load_workbook(xlsx, read_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    wb.close()
    out["xlsx"] = folder / "xlsx.pickle"
    out["xlsx"].write_bytes(pickle.dumps(sheets))
    with csv_file.open(newline="", encoding="utf-8") as f:
        out["csv"] = folder / "csv.pickle"
        out["csv"].write_bytes(pickle.dumps(list(csv.reader(f))))
    with toml.open("rb") as f:
        out["toml"] = folder / "toml.pickle"
        out["toml"].write_bytes(pickle.dumps(tomllib.load(f)))
    out["workbook"] = xlsx
    return out


def edited_workbook(source: Path, target: Path, edits: int) -> list[str]:
    """A copy of an exported workbook with a New status typed on `edits` rows (the
    sheets a user never touches kept as they are); the names of the sheets it has."""
    from openpyxl import load_workbook

    wb = load_workbook(source)
    ws = wb["Recommendations"]
    header = [c.value for c in ws[1]]
    column = header.index("New status") + 1
    for row in range(2, min(ws.max_row, edits + 1) + 1):
        ws.cell(row, column, "Partial")
    wb.save(target)
    return [w.title for w in wb.worksheets]


# ---------------------------------------------------------------------------------------
# The run


def run(args: argparse.Namespace) -> list[tuple[int, list[Figure]]]:
    sizes = [args.size // 10, args.size] if not args.quick else [args.size]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "RECTRACK_HOME": str(folder / "home")}
        small = folder / "small.db"
        build(small, 1000)
        for n in sizes:
            db = folder / f"db-{n}.db"
            print(f"building a database of {n:,} recommendations ...", flush=True)
            build(db, n)
            figures = measure_all(folder, db, small, n, env, args)
            results.append((n, figures))
            report(n, figures)
    return results


def measure_all(
    folder: Path, db: Path, small: Path, n: int, env: dict[str, str], args: argparse.Namespace
) -> list[Figure]:
    on = [*RECTRACK, "--db", str(db)]
    key = "CEDAW-SRB-2005-1"
    small_key = key
    values = export_values(folder, db, env)
    sheets = edited_workbook(values["workbook"], folder / "edited.xlsx", 1000)
    read_sheets = [s for s in sheets if s in ("Recommendations", "Meeting", "Original", "About")]
    figures: list[tuple[Figure, Callable[[], list[str]], Callable[[], list[str]] | None]] = [
        (
            Figure("rectrack --help", "<= 2 x import typer", 2.0),
            lambda: [*RECTRACK, "--help"],
            lambda: [PY, "-c", "import typer"],
        ),
        (
            Figure("rectrack --version", "<= 5 x python -c pass", 5.0),
            lambda: [*RECTRACK, "--version"],
            lambda: [PY, "-c", "pass"],
        ),
        (
            Figure("status --summary", "<= 1.5 x import sqlmodel", 1.5),
            lambda: [*on, "status", "--summary"],
            lambda: [PY, "-c", "import sqlmodel"],
        ),
        (
            Figure("status --group-by body --summary", "<= 1.5 x import sqlmodel", 1.5),
            lambda: [*on, "status", "--group-by", "body", "--summary"],
            lambda: [PY, "-c", "import sqlmodel"],
        ),
        (
            Figure("show KEY", "<= 1.2 x at 1k", 1.2),
            lambda: [*on, "show", key],
            lambda: [*RECTRACK, "--db", str(small), "show", small_key],
        ),
        (
            Figure("history KEY", "<= 1.2 x at 1k", 1.2),
            lambda: [*on, "history", key],
            lambda: [*RECTRACK, "--db", str(small), "history", small_key],
        ),
        (
            Figure("list (TSV, piped)", "<= 3 x sqlite3 + TSV", 3.0),
            lambda: [*on, "list"],
            lambda: [PY, "-c", FLOOR_TSV, str(db), "list"],
        ),
        (
            Figure("status (TSV, piped)", "<= 3 x sqlite3 + TSV", 3.0),
            lambda: [*on, "status"],
            lambda: [PY, "-c", FLOOR_TSV, str(db), "status"],
        ),
        (
            Figure("export x.xlsx", "<= 1.5 x openpyxl write-only", 1.5),
            lambda: [*on, "export", str(folder / "out.xlsx"), "--force"],
            lambda: [PY, "-c", FLOOR_XLSX, str(values["xlsx"]), str(folder / "floor.xlsx")],
        ),
        (
            Figure("export x.csv", "<= 2 x csv module", 2.0),
            lambda: [*on, "export", str(folder / "out.csv"), "--force"],
            lambda: [PY, "-c", FLOOR_CSV, str(values["csv"]), str(folder / "floor.csv")],
        ),
        (
            Figure("export x.toml", "<= 2 x tomli_w", 2.0),
            lambda: [*on, "export", str(folder / "out.toml"), "--force"],
            lambda: [PY, "-c", FLOOR_TOML, str(values["toml"]), str(folder / "floor.toml")],
        ),
        (
            Figure("import edited.xlsx (1,000 edits)", "<= 1.5 x openpyxl read-only", 1.5),
            lambda: [*on, "import", str(folder / "edited.xlsx"), "--dry-run"],
            lambda: [PY, "-c", FLOOR_IMPORT, str(folder / "edited.xlsx"), *read_sheets],
        ),
    ]
    # add and assess write (a row more each round: nothing that changes the cost).
    for name, command in (
        ("add", ["add", "-b", "CEDAW", "-t", "A new recommendation of the bench."]),
        ("assess", ["assess", key, "--status", "partial"]),
    ):
        figures.append(
            (
                Figure(name, "<= 1.2 x at 1k", 1.2),
                lambda c=command: [*on, *c],
                lambda c=command: [*RECTRACK, "--db", str(small), *c],
            )
        )
    figures += outside_figures(folder, db, n, env)
    chosen = [f for f in figures if not args.only or any(o in f[0].name for o in args.only)]
    rounds = 1 if args.quick else args.rounds
    for figure, ours, floor in chosen:
        print(f"  {figure.name} ...", flush=True)
        for _ in range(rounds):
            command = ours()  # may make what the command needs (a fresh database), untimed
            seconds, peak = measure(command, env)
            figure.ours.append(seconds)
            figure.peak_mb = max(figure.peak_mb, peak)
            if floor is not None:
                figure.floor.append(measure(floor(), env)[0])
    return [f for f, _, _ in chosen]


def outside_figures(
    folder: Path, db: Path, n: int, env: dict[str, str]
) -> list[tuple[Figure, Callable[[], list[str]], Callable[[], list[str]] | None]]:
    """The figures of the other benchmarks: importing a UPR Info export and a data set of
    n recommendations, search, and cluster suggest on 10,000."""
    from import_bench import floor as csv_floor
    from import_bench import write_upr_csv
    from search_bench import write_demands_csv

    source = folder / "upr-info.csv"
    write_upr_csv(source, n)
    floor_script = folder / "csv_floor.py"
    here = str(Path(__file__).parent)
    floor_script.write_text(
        f"import sys\nsys.path.insert(0, {here!r})\nfrom pathlib import Path\n"
        "from import_bench import floor\nfloor(Path(sys.argv[1]), Path(sys.argv[2]))\n",
        encoding="utf-8",
    )
    del csv_floor
    dataset = folder / "x.toml"
    rounds = iter(range(10**6))

    def fresh() -> str:
        target = folder / f"fresh-{next(rounds)}.db"
        subprocess.run(
            [*RECTRACK, "--db", str(target), "init"], env=env, check=True, capture_output=True
        )
        return str(target)

    def floor() -> list[str]:
        return [PY, str(floor_script), str(source), str(folder / f"floor-{next(rounds)}.db")]

    demands = folder / "demands.csv"
    write_demands_csv(demands, 10_000)
    suggest_db = folder / "suggest.db"
    subprocess.run(
        [*RECTRACK, "--db", str(suggest_db), "init"], env=env, check=True, capture_output=True
    )
    subprocess.run(
        [
            *RECTRACK,
            "--db",
            str(suggest_db),
            "import",
            str(demands),
            "--map",
            "body=Body",
            "--map",
            "document=Document",
            "--map",
            "date=Year",
            "--map",
            "text=Text",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*RECTRACK, "--db", str(suggest_db), "search", "victims"],
        env=env,
        check=True,
        capture_output=True,
    )  # indexed once, as by any earlier search
    subprocess.run(
        [*RECTRACK, "--db", str(db), "search", "victims"], env=env, check=True, capture_output=True
    )
    on = [*RECTRACK, "--db", str(db)]
    return [
        (
            Figure(f"import upr-info.csv ({n:,} rows)", "<= 3 x csv + executemany", 3.0),
            lambda: [*RECTRACK, "--db", fresh(), "import", str(source)],
            floor,
        ),
        (
            Figure(f"import x.toml ({n:,} recommendations)", "<= 5 x csv + executemany", 5.0),
            lambda: [*RECTRACK, "--db", fresh(), "import", str(dataset)],
            floor,
        ),
        (
            Figure("search WORDS", "<= 1.5 x body list", 1.5),
            lambda: [*on, "search", "victims justice", "-n", "20"],
            lambda: [*on, "body", "list"],
        ),
        (
            Figure("cluster suggest (10,000)", "< 60 s", None, seconds_goal=60.0),
            lambda: [*RECTRACK, "--db", str(suggest_db), "cluster", "suggest", "--limit", "50"],
            None,
        ),
    ]


def report(n: int, figures: list[Figure]) -> None:
    print(f"\nat {n:,} recommendations:")
    print(f"{'figure':<36} {'rectrack':>9} {'floor':>8} {'ratio':>6} {'peak MB':>8}  goal")
    for f in figures:
        ours = statistics.median(f.ours)
        floor = statistics.median(f.floor) if f.floor else float("nan")
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "-"
        mark = "" if f.met() else "  MISSED"
        print(
            f"{f.name:<36} {ours:>8.2f}s {floor:>7.2f}s {ratio:>6} {f.peak_mb:>8.0f}  "
            f"{f.goal}, < {MEMORY_GOAL_MB} MB{mark}"
        )


def growth(results: list[tuple[int, list[Figure]]]) -> list[str]:
    """The figures whose time grows faster than the database between the two sizes."""
    if len(results) < 2:
        return []
    (n1, small), (n2, big) = results[0], results[1]
    flagged = []
    for a, b in zip(small, big, strict=True):
        t1, t2 = statistics.median(a.ours), statistics.median(b.ours)
        if t2 / t1 > (n2 / n1) * 1.1:
            flagged.append(f"{b.name}: {t1:.2f} s at {n1:,}, {t2:.2f} s at {n2:,}")
    return flagged


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--size", type=int, default=100_000, help="recommendations (default 100,000)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="10,000 recommendations, one size, one round"
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument(
        "--only", nargs="*", default=[], metavar="NAME", help="figures whose names hold NAME"
    )
    args = parser.parse_args()
    if args.quick and args.size == 100_000:
        args.size = 10_000
    results = run(args)
    flagged = growth(results)
    if flagged:
        print("\ngrowing faster than the database:")
        for line in flagged:
            print(f"  {line}")
    missed = [f.name for _, figures in results for f in figures if not f.met()]
    print(
        f"\n{len(missed)} goal(s) missed"
        + (f": {', '.join(sorted(set(missed)))}" if missed else "")
    )
    return 1 if missed or flagged else 0


if __name__ == "__main__":
    sys.exit(main())
