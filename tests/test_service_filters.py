"""rectrack.services.filters.filtered_ids: which recommendations each filter selects, how
filters combine, and how a value naming nothing recorded is refused.

Filters are built with helpers.rec_filter, which takes every filter by its plural name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from helpers import REPEATABLE, rec_filter
from rectrack.errors import BadValue
from rectrack.io.toml import DataSet, Entry
from rectrack.services.datasets import load_dataset
from rectrack.services.filters import filtered_ids
from rectrack.services.recommendations import RecInput, add_recommendation, list_recommendations
from rectrack.shapes import RecFilter

DOC = "CEDAW/C/SRB/CO/4"
LAW, JUDGES, VICTIMS, RATIFY = "CEDAW-2019-10", "CEDAW-2019-11", "GRETA-2017-0001", "UPR-0001"


def build_register(db: Session) -> None:
    for given in (
        RecInput(
            body="CEDAW",
            text="Adopt a law on gender equality.",
            document=DOC,
            paragraph="10",
            date="2019",
            country="Serbia",
            themes=["Gender equality"],
            institutions=["Ministry of Justice"],
            priority="high",
        ),
        RecInput(
            body="CEDAW",
            text="Train judges.",
            summary="Judicial training",
            document=DOC,
            paragraph="11",
            themes=["Courts"],
            priority="low",
        ),
        RecInput(
            body="GRETA",
            text="Identify victims of trafficking (100%).",
            date="2017",
            country="Montenegro",
            themes=["Trafficking", "Courts"],
            institutions=["Ministry of Interior"],
            priority="high",
        ),
        RecInput(body="UPR", text="Ratify the convention."),
    ):
        add_recommendation(db, given)


@pytest.fixture
def register(db_with: Callable[..., Session]) -> Session:
    return db_with(build_register)


def keys(db: Session, f: RecFilter) -> list[str]:
    return [r["key"] for r in list_recommendations(db, f)]


def test_no_filter_selects_everything_by_body_and_key(register: Session) -> None:
    assert keys(register, RecFilter()) == [LAW, JUDGES, VICTIMS, RATIFY]


@pytest.mark.parametrize(
    ("given", "selected"),
    [
        ({"bodies": ["cedaw"]}, [LAW, JUDGES]),
        ({"countries": [" SERBIA "]}, [LAW, JUDGES]),  # the document's country is lent
        ({"countries": ["montenegro"]}, [VICTIMS]),
        ({"documents": [DOC.lower()]}, [LAW, JUDGES]),
        ({"themes": ["courts"]}, [JUDGES, VICTIMS]),
        ({"themes": ["Gender  equality"]}, [LAW]),
        ({"institutions": ["ministry of interior"]}, [VICTIMS]),
        ({"priorities": ["HIGH"]}, [LAW, VICTIMS]),
        ({"text": "JUDGES"}, [JUDGES]),
        ({"text": "judicial"}, [JUDGES]),  # the summary too
        ({"text": "  convention "}, [RATIFY]),
        ({"text": "100%"}, [VICTIMS]),  # % and _ are letters, not wildcards
        ({"text": "0%"}, [VICTIMS]),
        ({"text": "a%w"}, []),
        ({"text": "t_ain"}, []),
    ],
)
def test_each_filter(register: Session, given: dict, selected: list[str]) -> None:
    assert keys(register, rec_filter(**given)) == selected


@pytest.mark.parametrize(
    ("given", "selected"),
    [
        ({"bodies": ["CEDAW"], "priorities": ["high"]}, [LAW]),
        ({"bodies": ["GRETA"], "countries": ["Serbia"]}, []),
        ({"themes": ["Courts"], "bodies": ["GRETA"]}, [VICTIMS]),
        ({"themes": ["Courts"], "text": "judges"}, [JUDGES]),
        ({"documents": [DOC], "institutions": ["Ministry of Justice"]}, [LAW]),
    ],
)
def test_different_filters_narrow(register: Session, given: dict, selected: list[str]) -> None:
    assert keys(register, rec_filter(**given)) == selected


ALTERNATIVES = {
    "bodies": (["CEDAW", "upr"], [LAW, JUDGES, RATIFY]),
    "countries": (["Serbia", "Montenegro"], [LAW, JUDGES, VICTIMS]),
    "documents": ([DOC, DOC.lower()], [LAW, JUDGES]),
    "themes": (["Gender equality", "Trafficking"], [LAW, VICTIMS]),
    "institutions": (["Ministry of Justice", "Ministry of Interior"], [LAW, VICTIMS]),
    "priorities": (["low", "high"], [LAW, JUDGES, VICTIMS]),
}


@pytest.mark.parametrize("name", REPEATABLE)
def test_repeated_values_of_one_filter_are_alternatives(register: Session, name: str) -> None:
    values, selected = ALTERNATIVES[name]
    assert keys(register, rec_filter(**{name: values})) == selected


def test_repeated_bodies_with_another_filter(register: Session) -> None:
    f = rec_filter(bodies=["GRETA", "UPR"], priorities=["high"])
    assert keys(register, f) == [VICTIMS]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"bodies": ["CEDWA"]}, "'CEDWA' is not a known body (did you mean 'CEDAW'?); known"),
        ({"bodies": ["CEDAW", "XYZ"]}, "'XYZ' is not a known body; known bodies: CAT, CCPR,"),
        (
            {"documents": ["CEDAW/C/SRB/CO/5"]},
            f"no document 'CEDAW/C/SRB/CO/5'; did you mean: {DOC}",
        ),
        ({"documents": ["nothing like it"]}, "no document 'nothing like it'"),
        ({"themes": ["Trafficing"]}, "no theme 'Trafficing'; did you mean: Trafficking"),
        ({"themes": ["Health"]}, "no theme 'Health'"),
        (
            {"institutions": ["Ministry of Justise"]},
            "no institution 'Ministry of Justise'; did you mean: Ministry of Justice",
        ),
        ({"priorities": ["urgent"]}, "'urgent' is not a priority; valid values: high, medium, low"),
        (
            {"countries": ["Serbja"]},
            "no country 'Serbja' (did you mean 'Serbia'?); known countries: Montenegro, Serbia",
        ),
    ],
)
def test_a_value_naming_nothing_recorded_is_refused(
    register: Session, given: dict, message: str
) -> None:
    with pytest.raises(BadValue) as e:
        filtered_ids(register, rec_filter(**given))
    assert str(e.value).startswith(message)


# --- what public sources give: recommending states, affected groups, SDG targets ---------------


def build_sources(db: Session) -> None:
    """Three UPR recommendations as a data set (or an import of UPR Info) records them."""
    rows = [
        {
            "text": "Ratify the convention.",
            "recommending": ["Croatia", "Slovenia"],
            "affected": ["Women"],
            "sdgs": ["5.1"],
        },
        {
            "text": "Protect children.",
            "recommending": ["Slovenia"],
            "affected": ["Children"],
            "sdgs": ["16.2", "5.1"],
        },
        {"text": "Other."},
    ]
    recommendations = [
        Entry(f"upr.toml: recommendations[{n}]", {"body": "UPR", "country": "Serbia", **row})
        for n, row in enumerate(rows, 1)
    ]
    load_dataset(db, DataSet(recommendations=recommendations))


@pytest.fixture
def sources(db_with: Callable[..., Session]) -> Session:
    return db_with(build_sources)


def texts(db: Session, f: RecFilter) -> list[str]:
    return sorted(r["text"] for r in list_recommendations(db, f))


@pytest.mark.parametrize(
    ("given", "selected"),
    [
        ({"recommending": ["croatia"]}, ["Ratify the convention."]),
        ({"recommending": ["Slovenia"]}, ["Protect children.", "Ratify the convention."]),
        ({"affected": ["children", "WOMEN"]}, ["Protect children.", "Ratify the convention."]),
        ({"sdgs": ["16.2"]}, ["Protect children."]),
        ({"sdgs": ["5.1"], "recommending": ["Croatia"]}, ["Ratify the convention."]),
        ({"sdgs": ["16.2"], "affected": ["Women"]}, []),
    ],
)
def test_filters_of_what_public_sources_give(
    sources: Session, given: dict, selected: list[str]
) -> None:
    assert texts(sources, rec_filter(**given)) == selected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"recommending": ["Croatai"]}, "no recommending state 'Croatai'; did you mean: Croatia"),
        ({"affected": ["Woman"]}, "no affected group 'Woman'; did you mean: Women"),
        ({"sdgs": ["99"]}, "no SDG target '99'"),
    ],
)
def test_a_source_value_naming_nothing_recorded_is_refused(
    sources: Session, given: dict, message: str
) -> None:
    with pytest.raises(BadValue) as e:
        filtered_ids(sources, rec_filter(**given))
    assert str(e.value) == message
