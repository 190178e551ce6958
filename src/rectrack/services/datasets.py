"""Loading data sets (documents and recommendations) into the register."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from rectrack.errors import Duplicate, RectrackError
from rectrack.io.toml import DataSet, DataSetError, read_dataset
from rectrack.services.recommendations import (
    RecInput,
    add_recommendation,
    ensure_document,
    find_document,
    find_recommendation,
)
from rectrack.settings import data_path


@dataclass
class LoadReport:
    documents_added: int = 0
    recommendations_added: int = 0
    recommendations_present: int = 0

    def describe(self) -> str:
        return (f"{self.recommendations_added} recommendations added, "
                f"{self.recommendations_present} already present; "
                f"{self.documents_added} documents added")


def load_dataset(session: Session, dataset: DataSet) -> LoadReport:
    """Record what the data set has and the database lacks. Either every entry is valid and
    the whole set is recorded, or DataSetError lists every problem (the caller rolls back)."""
    report = LoadReport()
    problems: list[str] = []
    for entry in dataset.documents:
        try:
            _, added = ensure_document(session, **entry.values)
            report.documents_added += added
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    for entry in dataset.recommendations:
        v = dict(entry.values)
        if v.get("key") and find_recommendation(session, v["key"]) is not None:
            report.recommendations_present += 1
            continue
        body = v.pop("body", None)
        if body is None and v.get("document"):
            doc = find_document(session, v["document"])
            if doc is not None:
                body = _body_code(session, doc.body_id)
        if body is None:
            problems.append(f"{entry.where}: needs 'body' or the symbol of a recorded document")
            continue
        try:
            add_recommendation(session, RecInput(body=body, **v))
            report.recommendations_added += 1
        except Duplicate:
            report.recommendations_present += 1
        except RectrackError as e:
            problems.append(f"{entry.where}: {e}")
    if problems:
        raise DataSetError(problems)
    return report


def _body_code(session: Session, body_id: int) -> str:
    from rectrack.models import Body

    body = session.get(Body, body_id)
    return body.code if body else ""


def sample_files() -> list[Path]:
    return sorted(data_path("sample").glob("*.toml"))


def load_files(session: Session, paths: list[Path]) -> LoadReport:
    dataset = DataSet()
    for path in paths:
        dataset.extend(read_dataset(path))
    return load_dataset(session, dataset)


def load_sample(session: Session) -> LoadReport:
    return load_files(session, sample_files())
