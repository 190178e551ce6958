"""rectrack.dates: dates as people write them, kept with their precision; durations."""

from __future__ import annotations

import datetime as dt

import pytest

from rectrack.dates import (
    ACCEPTED_FORMS,
    Duration,
    PartialDate,
    format_timestamp,
    parse_date,
    parse_duration,
    parse_optional_date,
)
from rectrack.errors import BadValue

D = dt.date

# --- parse_date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2019-03-14", "2019-03-14"),
        ("2019-3-4", "2019-03-04"),
        ("2019-03", "2019-03"),
        ("2019", "2019"),
        (" 2019 ", "2019"),
        ("0001", "0001"),
        ("9999-12-31", "9999-12-31"),
        ("2024-02-29", "2024-02-29"),  # a leap day
        ("14 March 2019", "2019-03-14"),
        ("14 Mar 2019", "2019-03-14"),
        ("14th of March 2019", "2019-03-14"),
        ("March 14, 2019", "2019-03-14"),
        ("Friday 14 March 2019", "2019-03-14"),
        ("March 2019", "2019-03"),
        ("mar 2019", "2019-03"),
        ("2019 March", "2019-03"),
        ("March, 2019", "2019-03"),
        ("Sept 2020", "2020-09"),
    ],
)
def test_parse_date_keeps_the_precision_given(text: str, iso: str) -> None:
    assert parse_date(text).iso == iso


@pytest.mark.parametrize("text", ["today", "Today", " TODAY "])
def test_today(text: str) -> None:
    assert parse_date(text, today=D(2024, 5, 6)) == PartialDate(2024, 5, 6)


def test_today_defaults_to_the_real_today() -> None:
    assert parse_date("today") == PartialDate.from_date(D.today())


AMBIGUOUS = "numeric dates other than YYYY-MM-DD are ambiguous: 04/03 may be 4 March or April 3"


def day_first(iso: str) -> str:
    """Why a numeric date that can only be read day first is refused: with its ISO form."""
    return f"write it {iso}: numeric dates other than YYYY-MM-DD are refused"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "it is empty"),
        ("  ", "it is empty"),
        # numbers in any order but ISO's
        ("04/03/2019", AMBIGUOUS),
        ("4.3.2019", AMBIGUOUS),
        ("31.4.2019", AMBIGUOUS),  # day first, but 31 April is no day: nothing to suggest
        ("13/13/2019", AMBIGUOUS),
        # day first, the only way to read them: the ISO form is suggested
        ("14-03-2019", day_first("2019-03-14")),
        ("31/12/2024", day_first("2024-12-31")),
        ("29.02.2024", day_first("2024-02-29")),
        ("2019/03/14", AMBIGUOUS),
        ("20190314", AMBIGUOUS),
        ("03/2019", AMBIGUOUS),
        ("1 2019", AMBIGUOUS),
        ("12", AMBIGUOUS),
        ("10000", AMBIGUOUS),
        # impossible ISO dates
        ("2019-13", "month must be 1 to 12"),
        ("2019-00", "month must be 1 to 12"),
        ("2019-02-30", "day is out of range for month"),
        ("2023-02-29", "day is out of range for month"),  # not a leap year
        ("2019-04-31", "day is out of range for month"),
        ("2019-03-00", "day is out of range for month"),
        ("31 April 2019", "there is no such day in that month"),
        ("0000", "year out of range"),
        # no year
        ("March", "it has no year"),
        ("14 March", "it has no year"),
        ("March 14", "it has no year"),
        # times
        ("2019-03-14 12:30", "give a date, not a time"),
        ("14 March 2019 10:00", "give a date, not a time"),
        # words that are not a month
        ("Marchh 2019", "write the month as a word or use ISO 8601"),
        ("next week", "write the month as a word or use ISO 8601"),
        ("14. März 2019", "write the month as a word or use ISO 8601"),
    ],
)
def test_parse_date_refuses_saying_why_and_listing_the_accepted_forms(text: str, why: str) -> None:
    with pytest.raises(BadValue) as e:
        parse_date(text)
    assert str(e.value) == f"'{text}' is not a date I can read ({why}); accepted forms: " + (
        ACCEPTED_FORMS
    )


@pytest.mark.parametrize("text", ["31 April 2019", "29 February 2023", "12:30"])
def test_parse_date_refuses_impossible_days_and_bare_times_written_in_words(text: str) -> None:
    with pytest.raises(BadValue, match=f"^'{text}' is not a date I can read"):
        parse_date(text)


def test_accepted_forms_are_all_accepted() -> None:
    for form in ACCEPTED_FORMS.split(", "):
        parse_date(form)


def test_parse_optional_date() -> None:
    assert parse_optional_date(None) is None
    assert parse_optional_date("  ") is None
    assert parse_optional_date("March 2019") == PartialDate(2019, 3)


# --- PartialDate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "first", "last", "iso"),
    [
        (PartialDate(2019), D(2019, 1, 1), D(2019, 12, 31), "2019"),
        (PartialDate(2024, 2), D(2024, 2, 1), D(2024, 2, 29), "2024-02"),
        (PartialDate(2023, 2), D(2023, 2, 1), D(2023, 2, 28), "2023-02"),
        (PartialDate(2019, 4), D(2019, 4, 1), D(2019, 4, 30), "2019-04"),
        (PartialDate(2019, 3, 14), D(2019, 3, 14), D(2019, 3, 14), "2019-03-14"),
        (PartialDate(5), D(5, 1, 1), D(5, 12, 31), "0005"),
    ],
)
def test_partial_date_period(date: PartialDate, first: D, last: D, iso: str) -> None:
    assert (date.first_day, date.last_day, date.iso, str(date)) == (first, last, iso, iso)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0,), "year out of range"),
        ((10000,), "year out of range"),
        ((2019, 13), "month must be 1 to 12"),
        ((2019, None, 3), "a day needs a month"),
        ((2019, 2, 30), "day is out of range for month"),
    ],
)
def test_partial_date_refuses_what_is_not_a_date(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PartialDate(*args)


def test_partial_date_from_iso_and_from_date() -> None:
    assert PartialDate.from_iso(" 2019-3 ") == PartialDate(2019, 3)
    assert PartialDate.from_date(D(2020, 1, 2)) == PartialDate(2020, 1, 2)
    with pytest.raises(ValueError, match="not an ISO date"):
        PartialDate.from_iso("March 2019")


def test_partial_dates_sort_in_time_by_their_iso_text() -> None:
    # Dates are compared as their stored ISO text (a year before its months and days); a
    # PartialDate itself is not ordered, since a year and a day of it cannot be compared.
    dates = [
        PartialDate(2019, 4, 1),
        PartialDate(2019, 3, 31),
        PartialDate(2019, 3),
        PartialDate(2019),
        PartialDate(2018, 12, 31),
    ]
    assert sorted(dates, key=str) == dates[::-1]


# --- durations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("30d", D(2024, 2, 1), D(2024, 3, 2)),  # through a leap February
        ("0d", D(2024, 1, 1), D(2024, 1, 1)),
        ("2w", D(2024, 12, 25), D(2025, 1, 8)),
        ("1m", D(2024, 1, 31), D(2024, 2, 29)),  # the month's last day, leap year
        ("1m", D(2023, 1, 31), D(2023, 2, 28)),
        ("1m", D(2024, 3, 31), D(2024, 4, 30)),
        ("13m", D(2023, 12, 15), D(2025, 1, 15)),
        ("6M", D(2024, 8, 31), D(2025, 2, 28)),
        (" 6 m ", D(2024, 8, 31), D(2025, 2, 28)),
        ("12m", D(2024, 2, 29), D(2025, 2, 28)),
        ("1y", D(2024, 2, 29), D(2025, 2, 28)),  # a leap day a year on
        ("4y", D(2024, 2, 29), D(2028, 2, 29)),
        ("100y", D(2000, 1, 1), D(2100, 1, 1)),
        ("36600d", D(2000, 1, 1), D(2100, 3, 17)),
    ],
)
def test_duration_after(text: str, start: D, end: D) -> None:
    assert parse_duration(text).after(start) == end


def test_duration_is_kept_as_amount_and_unit() -> None:
    assert parse_duration(" 6 M ") == Duration(6, "m")
    assert str(parse_duration("2W")) == "2w"


@pytest.mark.parametrize("text", ["6", "m", "-1d", "1.5m", "6 months", "1h", "", "1d2d"])
def test_parse_duration_refuses_other_forms(text: str) -> None:
    with pytest.raises(BadValue) as e:
        parse_duration(text)
    assert str(e.value) == f"'{text}' is not a duration; accepted forms: 30d, 6w, 6m, 1y"


# The limit is 100 years of 366 days (36600 days), a month of a mean 30.44 days: 1202m.
@pytest.mark.parametrize("text", ["100y", "36600d", "5228w", "1200m", "1202m"])
def test_a_duration_up_to_100_years_is_accepted(text: str) -> None:
    assert str(parse_duration(text)) == text


@pytest.mark.parametrize("text", ["101y", "36601d", "5229w", "1203m", "99999999999y"])
def test_a_duration_over_100_years_is_refused(text: str) -> None:
    with pytest.raises(BadValue) as e:
        parse_duration(text)
    assert str(e.value) == f"'{text}' is too long a duration: at most 100 years"


# --- timestamps -------------------------------------------------------------------------------


def test_format_timestamp_is_utc_to_the_second() -> None:
    assert format_timestamp(dt.datetime(2024, 1, 2, 3, 4, 5, 678)) == "2024-01-02T03:04:05Z"
    plus_two = dt.timezone(dt.timedelta(hours=2))
    moment = dt.datetime(2024, 1, 2, 1, 4, 5, tzinfo=plus_two)
    assert format_timestamp(moment) == "2024-01-01T23:04:05Z"
