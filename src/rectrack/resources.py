"""What ships inside the package (`rectrack/data`): the bodies, their grading scales and the
sample data set. Read with `importlib.resources`, so that a source checkout and an installed
wheel are read alike.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from rectrack.domain import Grade, Scale
from rectrack.errors import RectrackError


def data_file(*parts: str) -> Traversable:
    """A file or folder shipped in `rectrack/data`."""
    return resources.files("rectrack").joinpath("data", *parts)


def _read_toml(name: str) -> dict[str, Any]:
    try:
        with data_file(name).open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise RectrackError(
            f"rectrack's data file {name} cannot be read ({e}): reinstall"
        ) from None


def bundled_bodies() -> list[dict[str, str]]:
    """The bodies shipped in `bodies.toml`: code, name and kind of each."""
    bodies = _read_toml("bodies.toml").get("body", [])
    for entry in bodies:
        if not {"code", "name", "kind"} <= entry.keys():
            raise RectrackError("bodies.toml: each [[body]] needs code, name and kind")
    return bodies


@functools.cache
def scales() -> tuple[Scale, ...]:
    """The bodies' own grading scales shipped in `scales.toml`."""
    return tuple(
        Scale(
            name=entry["name"],
            bodies=tuple(b.upper() for b in entry.get("bodies", ())),
            kinds=tuple(entry.get("kinds", ())),
            grades=tuple(
                Grade(g["grade"], g["status"], g.get("meaning", "")) for g in entry["grades"]
            ),
        )
        for entry in _read_toml("scales.toml").get("scale", [])
    )


def sample_files() -> list[Traversable]:
    """The files of the demonstration data set, in name order."""
    folder = data_file("sample")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


@functools.cache
def country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 codes of the UN's member and observer states, by every name in
    `countries.tsv` (folded): `serbia` -> `SRB`."""
    codes: dict[str, str] = {}
    for line in data_file("countries.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name, *rest = line.split("\t")
        for each in (name, *(rest[0].split("|") if rest and rest[0] else [])):
            codes[" ".join(each.casefold().split())] = code
    return codes
