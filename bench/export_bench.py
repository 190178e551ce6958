"""How long `rectrack export` takes on a large register, beside its floor.

Builds a database of N recommendations (default 100,000) with themes, institutions and
assessments, then times, alternately and several times over:

- rectrack: the command `rectrack --db DB export OUT.xlsx`, start-up included;
- floor: openpyxl in write-only mode writing the same cell values to the same sheets, with
  no styling, no validation, no conditional formatting, no chart (the values are taken from
  rectrack's own export data beforehand, untimed).

The goal: rectrack takes at most 1.5 times the floor. Prints the medians and the ratio,
and exits 1 when the goal is missed.

    python bench/export_bench.py [--n 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.5


def build_database(path: Path, n: int) -> None:
    from sqlalchemy import insert
    from sqlmodel import select

    from rectrack.db import open_database, session_scope
    from rectrack.models import (
        Assessment,
        Body,
        Document,
        Institution,
        Recommendation,
        RecommendationInstitution,
        RecommendationTheme,
        Theme,
        utcnow,
    )
    from rectrack.settings import database_location

    database = open_database(database_location(str(path)), create=True)
    statuses = ["not_implemented", "in_progress", "partial", "implemented", "regressed"]
    with session_scope(database) as s:
        body_ids = list(s.exec(select(Body.id).order_by(Body.code).limit(5)))
        docs = []
        for i, body_id in enumerate(body_ids):
            doc = Document(
                body_id=body_id,
                symbol=f"DOC/{i}/SRB",
                date="2023-06-16",
                country="Serbia",
                title=f"Report {i}",
            )
            s.add(doc)
            docs.append(doc)
        for name in ("compensation", "victim identification", "funding", "child victims"):
            s.add(Theme(name=name))
        for name in ("Ministry of Interior", "Ministry of Justice", "Government of Serbia"):
            s.add(Institution(name=name))
        s.flush()
        now = utcnow()
        text = (
            "Take the measures needed so that victims of trafficking are identified early, "
            "referred to specialised support and informed of their right to compensation. "
        )
        recs = [
            {
                "key": f"R-2023-{i:06d}",
                "body_id": docs[i % 5].body_id,
                "document_id": docs[i % 5].id,
                "paragraph": str(i % 90 + 1),
                "text": text * 2,
                "summary": f"Recommendation {i}",
                "date": "2023-06-16",
                "country": "Serbia",
                "priority": ("high", "medium", "low", None)[i % 4],
                "due": "2025-06-16",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(n)
        ]
        s.execute(insert(Recommendation), recs)
        ids = [
            r
            for (r,) in s.execute(
                Recommendation.__table__.select().with_only_columns(Recommendation.__table__.c.id)
            )
        ]
        s.execute(
            insert(RecommendationTheme),
            [{"recommendation_id": r, "theme_id": 1 + r % 4} for r in ids],
        )
        s.execute(
            insert(RecommendationInstitution),
            [{"recommendation_id": r, "institution_id": 1 + r % 3} for r in ids],
        )
        s.execute(
            insert(Assessment),
            [
                {
                    "recommendation_id": r,
                    "date": f"202{3 + k}-0{1 + k}-15",
                    "status": statuses[(r + k) % 5],
                    "perspective": ("ngo", "state")[k % 2],
                    "note": "Assessed at the coalition meeting.",
                    "recorded_by": "bench",
                    "recorded_at": now,
                }
                for r in ids
                for k in range(2)
                if r % 2 == 0
            ],
        )
    database.engine.dispose()


def floor_values(db: Path) -> list[tuple[str, list[list[object]]]]:
    """The cell values rectrack's workbook holds, sheet by sheet (untimed)."""
    from rectrack import domain
    from rectrack.db import open_database, session_scope
    from rectrack.io.sheet import (
        MEETING_COLUMNS,
        ORIGINAL_IDS,
        RECOMMENDATION_COLUMNS,
        cell_value,
        status_cell,
    )
    from rectrack.io.xlsx.writer import ABOUT_FIELDS, _meeting_values
    from rectrack.services.export import export_data
    from rectrack.settings import database_location
    from rectrack.shapes import StatusQuery

    database = open_database(database_location(str(db)))
    with session_scope(database) as s:
        data = export_data(s, StatusQuery(), "body", str(db), 2)
    database.engine.dispose()

    def cell(v: object) -> object:
        return "; ".join(v) if isinstance(v, list) else v

    recs = [[c.header() for c in RECOMMENDATION_COLUMNS]]
    for row in data.recommendations:
        recs.append([cell_value(c, row, "en") for c in RECOMMENDATION_COLUMNS])
    meeting = [[c.header() for c in MEETING_COLUMNS]] + [
        _meeting_values(row, "en") for row in data.recommendations
    ]
    original = [list(ORIGINAL_IDS)] + [
        [cell(dict(r).get(key)) for key in ORIGINAL_IDS] for r in data.recommendations
    ]
    history = [
        [
            "Key",
            "Date",
            "Status",
            "Perspective",
            "Grade",
            "Note",
            "Evidence",
            "Recorded by",
            "Recorded at",
        ]
    ] + [
        [
            h["key"],
            h["date"],
            status_cell(h["status"]),
            h["perspective"],
            h["grade"],
            h["note"],
            cell(h["evidence"]),
            h["recorded_by"],
            h["recorded_at"],
        ]
        for h in data.history
    ]
    summary = [[data.group_by, *domain.STATUS_DISPLAY_ORDER, "Total"]] + [
        [g["group"], *(g["counts"][s] for s in domain.STATUS_DISPLAY_ORDER), g["total"]]
        for g in data.groups
    ]
    about = [[key, data.meta.get(key), key] for key in ABOUT_FIELDS]
    return [
        ("Summary", summary),
        ("Meeting", meeting),
        ("Recommendations", recs),
        ("History", history),
        ("Original", original),
        ("About", about),
    ]


def write_floor(values: list[tuple[str, list[list[object]]]], out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in values:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        t = time.perf_counter()
        build_database(db, args.n)
        print(
            f"built a database of {args.n:,} recommendations in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        values = floor_values(db)
        env = {**os.environ, "RECTRACK_HOME": str(folder / "home")}
        ours, floor = [], []
        for i in range(args.rounds):
            out = folder / f"rectrack-{i}.xlsx"
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "rectrack", "--db", str(db), "export", str(out)],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            write_floor(values, folder / f"floor-{i}.xlsx")
            floor.append(time.perf_counter() - t)
            print(f"round {i + 1}: rectrack {ours[-1]:.2f} s, floor {floor[-1]:.2f} s", flush=True)
        a, b = statistics.median(ours), statistics.median(floor)
        ratio = a / b
        print(
            f"median: rectrack export {a:.2f} s, openpyxl write-only floor {b:.2f} s, "
            f"ratio {ratio:.2f} (goal: at most {GOAL})"
        )
        return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
