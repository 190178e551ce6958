"""rectrack.domain: vocabularies, keys, suggestions and the bodies' grading scales."""

from __future__ import annotations

import pytest

from rectrack import domain, resources
from rectrack.errors import BadValue

BODIES = ["CEDAW", "CRC", "CAT", "CCPR"]

# --- suggestions and choices ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "candidates", "found"),
    [
        ("cedwa", BODIES, ["CEDAW"]),  # a typo, compared without regard to case
        ("c", BODIES, ["CEDAW", "CRC", "CAT"]),  # prefixes first, at most n
        ("ced", BODIES, ["CEDAW"]),
        ("xyz", BODIES, []),
        ("", BODIES, []),
        ("cedaw", ["CEDAW", "cedaw"], ["CEDAW"]),  # the first spelling of a name, once
    ],
)
def test_closest(word: str, candidates: list[str], found: list[str]) -> None:
    assert domain.closest(word, candidates) == found


def test_closest_takes_n_and_cutoff() -> None:
    assert domain.closest("c", BODIES, n=1) == ["CEDAW"]
    assert domain.closest("tip", ["TIPS"], cutoff=0.99) == ["TIPS"]  # a prefix always counts
    assert domain.closest("tpi", ["TIP"], cutoff=0.99) == []


@pytest.mark.parametrize(
    ("value", "valid", "chosen"),
    [
        ("High", domain.PRIORITIES, "high"),
        ("  medium ", domain.PRIORITIES, "medium"),
        ("Action Plan", domain.ACTION_KINDS, "action_plan"),
        ("action-plan", domain.ACTION_KINDS, "action_plan"),
        ("NOT_IMPLEMENTED", domain.STATUSES, "not_implemented"),
        ("treaty body", domain.BODY_KINDS, "treaty_body"),
    ],
)
def test_choice_returns_the_valid_spelling(value: str, valid: tuple, chosen: str) -> None:
    assert domain.choice(value, valid, "thing") == chosen


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "hihg",
            "'hihg' is not a priority (did you mean 'high'?); valid values: high, medium, low",
        ),
        ("zzz", "'zzz' is not a priority; valid values: high, medium, low"),
        ("", "'' is not a priority; valid values: high, medium, low"),
    ],
)
def test_choice_refuses_naming_every_valid_value(value: str, message: str) -> None:
    with pytest.raises(BadValue) as e:
        domain.choice(value, domain.PRIORITIES, "priority")
    assert str(e.value) == message


def test_optional_choice_and_clear_words() -> None:
    assert domain.optional_choice(None, domain.PRIORITIES, "priority") is None
    assert domain.optional_choice("  ", domain.PRIORITIES, "priority") is None
    assert domain.optional_choice("LOW", domain.PRIORITIES, "priority") == "low"
    assert [domain.is_clear(v) for v in ("none", " NONE ", "-", "", None, "no")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


# --- codes and keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "normal"),
    [(" cedaw ", "CEDAW"), ("un_sr1", "UN_SR1"), ("a" * 20, "A" * 20), ("X", "X")],
)
def test_normalize_body_code(code: str, normal: str) -> None:
    assert domain.normalize_body_code(code) == normal


@pytest.mark.parametrize("code", ["1ab", "_ab", "a" * 21, "a-b", "a b", "", "Ž"])
def test_normalize_body_code_refuses(code: str) -> None:
    with pytest.raises(BadValue, match="is not a valid body code: use letters, digits and '_'"):
        domain.normalize_body_code(code)


@pytest.mark.parametrize(
    ("body", "year", "paragraph", "key"),
    [
        ("CEDAW", 2019, "24(b)", "CEDAW-2019-24b"),
        ("cedaw", None, "6.45", "CEDAW-6.45"),
        ("UPR", 2013, "12.", "UPR-2013-12"),
        ("UPR", 2013, ".5.", "UPR-2013-5"),
        ("UPR", 2013, "Para 7 (a)(ii)", "UPR-2013-para7aii"),
        ("UPR", 2013, "()", None),  # nothing of the paragraph is left for a key
        ("UPR", 2013, "", None),
        ("UPR", 2013, None, None),
    ],
)
def test_paragraph_key(body: str, year: int | None, paragraph: str | None, key: str | None) -> None:
    assert domain.paragraph_key(body, year, paragraph) == key


def test_a_long_paragraph_key_leaves_room_for_a_suffix_within_60_characters() -> None:
    key = domain.paragraph_key("UPR", 2013, "x" * 100)
    assert key == "UPR-2013-" + "x" * 48
    assert len(key + "-99") == 60
    assert domain.check_key(key + "-99") == key + "-99"


@pytest.mark.parametrize(
    ("taken", "key"),
    [
        ([], "UPR-2013-0001"),
        (["UPR-2013-0001", "UPR-2013-0002"], "UPR-2013-0003"),
        (["upr-2013-0007", "UPR-2013-0002"], "UPR-2013-0008"),  # any case, the highest
        (["UPR-2013-12345"], "UPR-2013-12346"),  # past 9999
        (["UPR-2014-0099", "UPR-2013-7b", "UPR-2013-007", "UPR-2013-0005-2"], "UPR-2013-0001"),
    ],
)
def test_counter_key_follows_the_highest_counter_under_the_prefix(
    taken: list[str], key: str
) -> None:
    assert domain.counter_key("UPR-2013", taken) == key


@pytest.mark.parametrize("key", ["ok-1", "A.b_c-1", "a" * 60, "9"])
def test_check_key_accepts(key: str) -> None:
    assert domain.check_key(f" {key} ") == key


@pytest.mark.parametrize("key", ["a" * 61, "-x", ".x", "my key", "x/y", "Ž", ""])
def test_check_key_refuses(key: str) -> None:
    with pytest.raises(BadValue, match=r"is not a valid key: use letters, digits, '\.', '_'"):
        domain.check_key(key)


# --- texts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "short"),
    [
        ("a  b\n c", 80, "a b c"),
        ("abcde", 5, "abcde"),
        ("abcdef", 5, "abcd…"),
        ("abc def", 5, "abc…"),  # no space before the ellipsis
    ],
)
def test_shorten(text: str, width: int, short: str) -> None:
    assert domain.shorten(text, width) == short


def test_shorten_is_80_characters_by_default() -> None:
    assert domain.shorten("x" * 81) == "x" * 79 + "…"


def test_same_text_ignores_case_and_white_space_only() -> None:
    assert domain.same_text("Adopt a law.", " adopt\ta   LAW. ")
    assert not domain.same_text("Adopt a law.", "Adopt a law")


def test_plural_and_optional_text() -> None:
    assert [domain.plural(n, "problem") for n in (0, 1, 2)] == [
        "0 problems",
        "1 problem",
        "2 problems",
    ]
    assert domain.plural(2, "evidence", "pieces of evidence") == "2 pieces of evidence"
    assert [domain.optional_text(v) for v in (None, "  ", " x ")] == [None, None, "x"]


# --- statuses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "ngo", "more"),
    [
        ("implemented", "partial", True),
        ("in_progress", "regressed", True),
        ("partial", "implemented", False),
        ("partial", "partial", False),
        (None, "partial", False),
        ("implemented", None, False),
        ("unknown", "regressed", False),
        ("implemented", "unknown", False),
    ],
)
def test_claims_more(state: str | None, ngo: str | None, more: bool) -> None:
    assert domain.claims_more(state, ngo) is more


def test_every_status_has_a_label_a_short_label_a_colour_and_a_place() -> None:
    for table in (domain.STATUS_LABELS, domain.STATUS_SHORT_LABELS, domain.STATUS_COLOURS):
        assert set(table) == set(domain.ALL_STATUSES)
    assert sorted(domain.STATUS_DISPLAY_ORDER) == sorted(domain.ALL_STATUSES)


# --- short ids --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "number"), [("A12", 12), ("a12", 12), (" 12 ", 12), ("A007", 7)])
def test_parse_short_id(text: str, number: int) -> None:
    assert domain.parse_short_id(text, "A", "action") == number


@pytest.mark.parametrize("text", ["E12", "A", "", "A-1", "12a", "A 12", "A1234567890123456"])
def test_parse_short_id_refuses(text: str) -> None:
    with pytest.raises(BadValue) as e:
        domain.parse_short_id(text, "A", "action")
    assert str(e.value) == f"'{text}' is not an action id (they look like A12)"


def test_short_id() -> None:
    assert domain.short_id("E", 7) == "E7"


# --- grading scales ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind", "scale"),
    [
        ("CEDAW", "treaty_body", "treaty-body follow-up grades"),
        ("NEW_TB", "treaty_body", "treaty-body follow-up grades"),  # by its kind
        ("eu", "eu", "EU country report: progress over the year"),  # by its code, any case
        ("EU", "other", "EU country report: progress over the year"),
        ("TIP", "bilateral", "US TIP report tiers"),
        ("GRETA", "regional_monitoring", None),
        ("UPR", "peer_review", None),
        ("USA", "bilateral", None),  # the TIP scale is TIP's, not every bilateral body's
    ],
)
def test_scale_for(code: str, kind: str, scale: str | None) -> None:
    found = domain.scale_for(code, kind, resources.scales())
    assert (found.name if found else None) == scale


@pytest.mark.parametrize(
    ("code", "kind", "grade", "status"),
    [
        ("CEDAW", "treaty_body", "A", "implemented"),
        ("CEDAW", "treaty_body", "b", "partial"),
        ("CEDAW", "treaty_body", "C", "not_implemented"),
        ("CEDAW", "treaty_body", "D", "unknown"),
        ("CEDAW", "treaty_body", "E", "regressed"),
        ("CEDAW", "treaty_body", "F", None),
        ("TIP", "bilateral", "tier 2  watch list", "in_progress"),  # case and spaces
        ("TIP", "bilateral", "Tier 2", "partial"),
        ("TIP", "bilateral", "Tier 4", None),
        ("EU", "eu", "Some Progress", "in_progress"),
        ("EU", "eu", "backsliding", "regressed"),
        ("EU", "eu", " very good progress ", "implemented"),
    ],
)
def test_grade_status(code: str, kind: str, grade: str, status: str | None) -> None:
    scale = domain.scale_for(code, kind, resources.scales())
    assert domain.grade_status(scale, grade) == status


def test_no_scale_means_no_status() -> None:
    assert domain.grade_status(None, "A") is None
