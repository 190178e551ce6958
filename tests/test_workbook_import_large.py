"""Importing the workbook of a larger register, in which partners edited a few rows: the
rows are read as a stream and passed over when they change nothing, only the edited rows'
recommendations are read from the database in full and only they are written, and memory
holds neither the workbook nor the register."""

from __future__ import annotations

import re
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from rectrack.db import Database, open_database
from rectrack.io import formats
from rectrack.io.sheet import MEETING_COLUMNS, RECOMMENDATION_COLUMNS
from rectrack.models import Assessment, ChangeLog, Recommendation
from rectrack.services import importing
from rectrack.services.export import export_data
from rectrack.settings import database_location
from rectrack.shapes import StatusQuery
from synthetic import fill

N = 2000
ASSESSOR = "Ana (ASTRA)"


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path, Any]]:
    """A register of N recommendations, the workbook exported of it and what it shows."""
    folder = tmp_path_factory.mktemp("large-import")
    database = open_database(database_location(str(folder / "rectrack.db")), create=True)
    fill(database, N)
    with database.session() as session:
        data = export_data(session, StatusQuery())
    workbook = folder / "meeting.xlsx"
    formats.write_export(workbook, "xlsx", data, warn=lambda message: None)
    yield database, workbook, data
    database.engine.dispose()


def _parts(path: Path) -> dict[str, str]:
    """The part of the package that holds each sheet, by the sheet's name."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Target="/?([^"]+)" Id="([^"]+)"', rels))
    by_id = {rid: target for target, rid in targets.items()}
    return {
        name: by_id[rid] for name, rid in re.findall(r'name="([^"]+)"[^>]*r:id="([^"]+)"', book)
    }


def _rows_of_keys(path: Path, part: str) -> dict[str, int]:
    """The row of each key on a sheet (the first line of its Key cell, column A)."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(part).decode()
    found = re.findall(r'<c r="A(\d+)"[^>]*><is><t>([A-Z]+-[^<\n]+)[<\n]', xml)
    return {key: int(row) for row, key in found}


def _letters(columns: Any, lang: str = "en") -> dict[str, str]:
    return {c.header(lang): get_column_letter(i + 1) for i, c in enumerate(columns)}


def _typed(path: Path, target: Path, cells: dict[str, dict[str, str]]) -> None:
    """A copy of a workbook with text typed over cells ({part: {"M12": "text"}}), written
    into the package's XML as a spreadsheet program saves a typed cell (openpyxl would
    take longer than the import to load and save a workbook of this size)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            for ref, text in cells.get(item.filename, {}).items():
                cell = re.compile(rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)'.encode())
                typed = f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
                data, found = cell.subn(typed.encode(), data, count=1)
                assert found == 1, f"{item.filename}: no cell {ref}"
            copy.writestr(item, data)


def test_an_edited_workbook_of_a_larger_register_touches_only_the_edited_rows(
    register: tuple[Database, Path, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database, workbook, data = register
    parts = _parts(workbook)
    numbers = _rows_of_keys(workbook, parts["Recommendations"])
    meeting_numbers = _rows_of_keys(workbook, parts["Meeting"])
    letters, meeting_letters = _letters(RECOMMENDATION_COLUMNS), _letters(MEETING_COLUMNS)
    keys = [r["key"] for r in data.recommendations]
    assert len(keys) == N and set(keys) == set(numbers) == set(meeting_numbers)
    assessed = keys[::100]  # 20 rows with a New status, spread over the sheet
    priority = keys[7], keys[1507]
    worded = keys[999]  # Text edited: a warning, nothing written
    in_meeting = keys[333], keys[1333]  # a New status on the Meeting sheet
    cells = {f"{letters['New status']}{numbers[k]}": "Partial" for k in assessed}
    for key in priority:
        was = data.recommendations[keys.index(key)]["priority"]
        cells[f"{letters['Priority']}{numbers[key]}"] = "High" if was != "high" else "Low"
    cells[f"{letters['Text']}{numbers[worded]}"] = "Adopt a different law."
    meeting_cells = {
        f"{meeting_letters['New status']}{meeting_numbers[k]}": "In progress" for k in in_meeting
    }
    edited = tmp_path / "edited.xlsx"
    _typed(workbook, edited, {parts["Recommendations"]: cells, parts["Meeting"]: meeting_cells})

    compared: list[str] = []
    current = importing._current

    def recorded(session: Any, keys: list[str], perspective: str) -> Any:
        compared.extend(k.casefold() for k in keys)
        return current(session, keys, perspective)

    monkeypatch.setattr(importing, "_current", recorded)
    with database.session() as session:
        before = session.scalar(select(func.max(ChangeLog.id)))
        tracemalloc.start()
        try:
            plan = importing.plan_import(
                session, formats.read_sheet(edited, "xlsx"), assessor=ASSESSOR
            )
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
        importing.apply_import(session, plan)
        session.commit()

    changed = {*assessed, *priority, *in_meeting}
    assert sorted(compared) == sorted(k.casefold() for k in {*changed, worded})
    assert {r.key for r in plan.recommendations} == changed
    assert plan.assessments == len(assessed) + len(in_meeting)
    assert plan.edits == len(priority)
    assert [w for w in plan.warnings if "is not imported" in w] == [
        f"Recommendations!{letters['Text']}{numbers[worded]}: a change to Text is not "
        "imported (use `rectrack edit`)"
    ]
    # 2,000 rows of the sheet, held at once, and their recommendations read in full would
    # take several times this.
    assert peak < 8, f"{peak:.1f} MB at the peak of planning the import"
    with database.session() as session:
        written = session.execute(
            select(ChangeLog.rec_key).where(ChangeLog.id > (before or 0))
        ).scalars()
        assert set(written) == changed
        new = session.execute(
            select(Recommendation.key)
            .join(Assessment, Assessment.recommendation_id == Recommendation.id)
            .where(Assessment.recorded_by == ASSESSOR)
        ).scalars()
        assert sorted(new) == sorted({*assessed, *in_meeting})
