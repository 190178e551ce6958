"""A synthetic register of any size, for the benchmarks and for the tests that check how
rectrack grows: written with the bulk path, as fast as rectrack can write."""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rectrack.db import Database


THEMES = [f"theme {i:02d}" for i in range(40)]
INSTITUTIONS = [f"Ministry {i:02d}" for i in range(25)]
WORDS = (
    "ensure adopt strengthen continue measures effective implementation national action "
    "plan combat trafficking persons women children victims protection access justice "
    "investigate prosecute guarantee rights freedom expression journalists defenders ratify "
    "protocol establish independent institution resources training judges prosecutors "
    "violence discrimination minorities disabilities education health migrants asylum"
).split()


def build(path: Path, n: int) -> None:
    """A database file of n recommendations: see fill()."""
    from rectrack.db import open_database
    from rectrack.settings import database_location

    database = open_database(database_location(str(path)), create=True)
    fill(database, n)
    database.engine.dispose()


def fill(database: Database, n: int) -> None:
    """n recommendations (10 bodies, 500 documents, themes, institutions), about one action
    and one piece of evidence linked to each, three assessments each, in a database."""
    from sqlalchemy import insert

    from rectrack.db import session_scope
    from rectrack.io.records import SourceRow
    from rectrack.models import (
        Action,
        ActionRecommendation,
        Assessment,
        Evidence,
        EvidenceRecommendation,
        table_of,
        utcnow,
    )
    from rectrack.services.bulk import BulkOptions, insert_many, load_rows

    rng = random.Random(13)
    bodies = ["CEDAW", "GRETA", "TIP", "EU", "UPR", "CRC", "CAT", "CCPR", "CESCR", "CERD"]

    def rows() -> object:
        for i in range(n):
            body = bodies[i % 10]
            doc = i % 500
            year = 2005 + doc % 20
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 45)))
            yield SourceRow(
                line=i + 2,
                text=words.capitalize() + ".",
                body=body,
                document=f"{body}/SRB/{doc:03d}",
                document_date=str(year),
                country="Serbia",
                paragraph=str(i // 500 + 1),
                summary=f"Recommendation {i}",
                themes=rng.sample(THEMES, 2),
                institutions=[rng.choice(INSTITUTIONS)],
                priority=rng.choice(["high", "medium", "low", None]),
                due=f"{year + 3}-06",
            )

    with session_scope(database) as s:
        load_rows(s, rows(), BulkOptions(source="bench", record_source=False))  # type: ignore[arg-type]
    now = utcnow()
    statuses = ["not_implemented", "in_progress", "partial", "implemented", "regressed"]
    with session_scope(database) as s:
        conn = s.connection()
        dated = conn.exec_driver_sql("SELECT id, substr(date, 1, 4) FROM recommendation")
        years = {r: y for r, y in dated}
        ids = sorted(years)
        for start in range(0, len(ids), 20000):
            chunk = ids[start : start + 20000]
            base = start + 1
            insert_many(
                conn,
                table_of(Action),
                [
                    {
                        "id": base + k,
                        "title": f"Action {base + k}",
                        "kind": "law",
                        "date": f"20{10 + k % 15}-03",
                        "reference": f"Službeni glasnik RS {k % 90}/20{10 + k % 15}",
                        "created_at": now,
                    }
                    for k in range(len(chunk))
                ],
            )
            insert_many(
                conn,
                table_of(Evidence),
                [
                    {
                        "id": base + k,
                        "title": f"Evidence {base + k}",
                        "kind": "web",
                        "date": f"20{11 + k % 14}-05",
                        "url": f"https://example.org/{base + k}",
                        "created_at": now,
                    }
                    for k in range(len(chunk))
                ],
            )
            conn.execute(
                insert(table_of(ActionRecommendation)),
                [{"action_id": base + k, "recommendation_id": r} for k, r in enumerate(chunk)],
            )
            conn.execute(
                insert(table_of(EvidenceRecommendation)),
                [{"evidence_id": base + k, "recommendation_id": r} for k, r in enumerate(chunk)],
            )
            insert_many(
                conn,
                table_of(Assessment),
                [
                    {
                        "recommendation_id": r,
                        "date": f"{int(years[r]) + k}-0{1 + k}-15",  # after it was made
                        "status": statuses[(r + k) % 5],
                        "perspective": ("ngo", "state", "ngo")[k],
                        "grade": None,
                        "note": "Assessed at the coalition meeting." if k == 2 else None,
                        "recorded_by": "bench",
                        "recorded_at": now,
                    }
                    for r in chunk
                    for k in range(3)
                ],
            )
