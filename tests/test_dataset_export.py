"""export FILE.toml: a data set of the register, loaded back by import FILE.toml."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path


def test_a_data_set_round_trips_into_a_new_database(run, sample, tmp_path: Path) -> None:
    path = tmp_path / "serbia.toml"
    result = run("export", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {path} (38 recommendations, 11 actions, ")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert {
        "bodies",
        "documents",
        "recommendations",
        "actions",
        "evidence",
        "assessments",
    } <= data.keys()

    other = {"RECTRACK_HOME": str(tmp_path / "other-home")}
    loaded = run("import", str(path), env=other)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.startswith("loaded: 38 recommendations added")
    for perspective in ("ngo", "state", "body"):
        before = run.json("status", "--by", perspective)
        after = run.json("status", "--by", perspective, env=other)
        assert after["counts"] == before["counts"]
        assert after["recommendations"] == before["recommendations"]
    for key in ("EU-2015-0003", "GRETA-2023-0005", "TIP-2021-0003"):
        before = run.json("history", key)["events"]
        after = run.json("history", key, env=other)["events"]
        strip = [({k: v for k, v in e.items() if k not in ("recorded", "id")}) for e in before]
        assert strip == [
            ({k: v for k, v in e.items() if k not in ("recorded", "id")}) for e in after
        ]


def test_loading_the_same_data_set_again_adds_nothing(run, sample, tmp_path: Path) -> None:
    path = tmp_path / "again.toml"
    assert run("export", str(path)).exit_code == 0
    before = run.json("history", "EU-2015-0003")["events"]
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "loaded: 0 recommendations added, 38 already present; "
        "0 documents added, 9 already present; 0 actions added, 11 already present; "
        "0 pieces of evidence added, 9 already present; 0 assessments added, 36 already present\n"
    )
    assert run.json("history", "EU-2015-0003")["events"] == before


def test_filters_choose_what_goes_in_and_links_stay_inside(run, sample, tmp_path: Path) -> None:
    path = tmp_path / "tip.toml"
    assert run("export", str(path), "--body", "tip").exit_code == 0
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    keys = {r["key"] for r in data["recommendations"]}
    assert keys and all(k.startswith("TIP-") for k in keys)
    assert [b["code"] for b in data["bodies"]] == ["TIP"]
    for table in ("actions", "evidence"):
        for row in data[table]:
            assert set(row.get("recommendations", [])) <= keys
    assert all(set(a["recommendations"]) <= keys for a in data["assessments"])
    refs = {e["ref"] for e in data["evidence"]}
    assert all(set(a.get("evidence", [])) <= refs for a in data["assessments"])


def test_a_body_added_by_hand_travels_with_its_recommendations(run, tmp_path: Path) -> None:
    assert (
        run(
            "body", "add", "OSCE", "--name", "OSCE/ODIHR", "--kind", "regional_monitoring"
        ).exit_code
        == 0
    )
    assert run("add", "-b", "osce", "-t", "Train border police.").exit_code == 0
    path = tmp_path / "osce.toml"
    assert run("export", str(path)).exit_code == 0
    other = {"RECTRACK_HOME": str(tmp_path / "other-home")}
    assert run("import", str(path), env=other).exit_code == 0
    bodies = {b["code"]: b for b in run.json("body", "list", env=other)}
    assert bodies["OSCE"]["name"] == "OSCE/ODIHR"
    assert [r["key"] for r in run.json("list", env=other)] == ["OSCE-0001"]


def test_evidence_with_a_file_keeps_its_fingerprint(run, tmp_path: Path) -> None:
    file = tmp_path / "ruling.pdf"
    file.write_bytes(b"%PDF-1.4 a court ruling")
    assert run("add", "-b", "cedaw", "-t", "Compensate victims.").exit_code == 0
    assert (
        run(
            "evidence",
            "add",
            "--title",
            "Ruling",
            "--kind",
            "court_decision",
            "--file",
            str(file),
            "--rec",
            "CEDAW-0001",
        ).exit_code
        == 0
    )
    path = tmp_path / "files.toml"
    assert run("export", str(path)).exit_code == 0
    file.unlink()  # the other database records the file as it was, without reading it
    other = {"RECTRACK_HOME": str(tmp_path / "other-home")}
    assert run("import", str(path), env=other).exit_code == 0, "import failed"
    shown = run.json("evidence", "show", "E1", env=other)
    assert shown["file"] == str(file)
    assert shown["sha256"] == hashlib.sha256(b"%PDF-1.4 a court ruling").hexdigest()
    assert shown["size"] == len(b"%PDF-1.4 a court ruling")
    assert shown["file_state"] == "missing"


def test_an_existing_data_set_file_is_not_overwritten_without_force(
    run, sample, tmp_path: Path
) -> None:
    path = tmp_path / "kept.toml"
    path.write_text("# my notes\n")
    result = run("export", str(path))
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert path.read_text() == "# my notes\n"
    assert run("export", str(path), "--force").exit_code == 0
    assert "[[recommendations]]" in path.read_text(encoding="utf-8")


def test_a_data_set_with_a_bad_sha256_is_refused_whole(run, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        """
[[recommendations]]
key = "CEDAW-2020-0001"
body = "CEDAW"
text = "Adopt a plan."

[[evidence]]
title = "Plan"
kind = "document"
file = "/nowhere/plan.pdf"
sha256 = "not-a-hash"
recommendations = ["CEDAW-2020-0001"]
""",
        encoding="utf-8",
    )
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "bad.toml: evidence[1]: 'not-a-hash' is not a SHA-256" in result.stderr
    assert run.json("list") == []
