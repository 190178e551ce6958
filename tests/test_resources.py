"""rectrack.resources: the bodies, grading scales and sample data set shipped in the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectrack import domain, resources
from rectrack.errors import RectrackError
from rectrack.io.toml import read_dataset

BUNDLED = {
    "CEDAW": "treaty_body",
    "GRETA": "regional_monitoring",
    "TIP": "bilateral",
    "EU": "eu",
    "UPR": "peer_review",
    "CRC": "treaty_body",
    "CAT": "treaty_body",
    "CCPR": "treaty_body",
    "CESCR": "treaty_body",
    "CERD": "treaty_body",
    "CRPD": "treaty_body",
    "GREVIO": "regional_monitoring",
}


def test_bundled_bodies_in_file_order_with_their_kinds() -> None:
    bodies = resources.bundled_bodies()
    assert {b["code"]: b["kind"] for b in bodies} == BUNDLED
    assert [b["code"] for b in bodies] == list(BUNDLED)
    for body in bodies:
        assert domain.normalize_body_code(body["code"]) == body["code"]
        assert body["kind"] in domain.BODY_KINDS
        assert body["name"].strip()


def test_scales_name_known_statuses_and_apply_to_bundled_bodies() -> None:
    scales = resources.scales()
    assert [s.name for s in scales] == [
        "treaty-body follow-up grades",
        "EU country report: progress over the year",
        "US TIP report tiers",
    ]
    assert [len(s.grades) for s in scales] == [5, 6, 4]
    for scale in scales:
        assert set(scale.bodies) <= set(BUNDLED)
        assert set(scale.kinds) <= set(domain.BODY_KINDS)
        assert scale.bodies or scale.kinds
        folded = [g.grade.casefold() for g in scale.grades]
        assert len(folded) == len(set(folded)), f"{scale.name}: a grade twice"
        for grade in scale.grades:
            assert grade.status in domain.ALL_STATUSES
            assert grade.meaning


def test_each_bundled_body_has_at_most_the_scale_its_kind_or_code_gives() -> None:
    has_scale = {
        code
        for code, kind in BUNDLED.items()
        if domain.scale_for(code, kind, resources.scales()) is not None
    }
    assert has_scale == {"CEDAW", "TIP", "EU", "CRC", "CAT", "CCPR", "CESCR", "CERD", "CRPD"}


def test_sample_files_in_name_order_and_each_a_valid_data_set() -> None:
    files = resources.sample_files()
    assert [f.name for f in files] == [
        "cedaw.toml",
        "eu.toml",
        "greta.toml",
        "tip.toml",
        "tracking.toml",
        "upr.toml",
    ]
    entries = [read_dataset(f) for f in files]
    assert sum(len(d.recommendations) for d in entries) == 38
    assert sum(len(d.assessments) for d in entries) == 27


def test_a_damaged_data_file_asks_for_a_reinstall(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bodies.toml").write_text("[[body]\n", encoding="utf-8")
    monkeypatch.setattr(resources, "data_file", lambda *parts: tmp_path.joinpath(*parts))
    message = r"^rectrack's data file bodies\.toml cannot be read \(.+\): reinstall$"
    with pytest.raises(RectrackError, match=message):
        resources.bundled_bodies()


def test_a_body_without_its_kind_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bodies.toml").write_text('[[body]]\ncode = "X"\nname = "X"\n', encoding="utf-8")
    monkeypatch.setattr(resources, "data_file", lambda *parts: tmp_path.joinpath(*parts))
    with pytest.raises(RectrackError, match=r"each \[\[body\]\] needs code, name and kind"):
        resources.bundled_bodies()
