"""Dates as people write them, and durations.

A recommendation is often dated only by year or month ("2019", "March 2019"). A
`PartialDate` keeps that precision. It is stored as ISO 8601 text ("2019", "2019-03",
"2019-03-14"), which sorts and compares correctly as text in any database.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from rectrack.errors import BadValue

ACCEPTED_FORMS = "2019-03-14, 2019-03, 2019, 14 March 2019, March 2019, today"

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_NUMERIC = re.compile(r"^[\d\s./\-]+$")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError("year out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError("month must be 1 to 12")
        if self.day is not None:
            if self.month is None:
                raise ValueError("a day needs a month")
            dt.date(self.year, self.month, self.day)  # raises on 31 April

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.iso

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)  # type: ignore[arg-type]
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @classmethod
    def from_date(cls, d: dt.date) -> PartialDate:
        return cls(d.year, d.month, d.day)

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        m = _ISO.match(text.strip())
        if not m:
            raise ValueError(f"not an ISO date: {text!r}")
        year, month, day = (int(g) if g else None for g in m.groups())
        return cls(year, month, day)  # type: ignore[arg-type]


def _refuse(text: str, why: str) -> BadValue:
    return BadValue(f"'{text}' is not a date I can read ({why}); accepted forms: {ACCEPTED_FORMS}")


def parse_date(text: str, *, today: dt.date | None = None) -> PartialDate:
    """Read a date as people write it, keeping its precision. Raises BadValue otherwise."""
    raw = text.strip()
    if not raw:
        raise _refuse(text, "it is empty")
    if raw.casefold() == "today":
        return PartialDate.from_date(today or dt.date.today())
    if _ISO.match(raw):
        try:
            return PartialDate.from_iso(raw)
        except ValueError as e:
            raise _refuse(text, str(e)) from None
    if _NUMERIC.match(raw):
        unambiguous = _day_first(raw)
        why = "numeric dates other than YYYY-MM-DD are ambiguous: 04/03 may be 4 March or April 3"
        if unambiguous:
            why = f"write it {unambiguous}: numeric dates other than YYYY-MM-DD are refused"
        raise _refuse(text, why)
    return _parse_words(raw, text)


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-](\d{4})\.?$")


def _day_first(raw: str) -> str | None:
    """The ISO form of a numeric date that can only be day first (31/12/2024: no month 31),
    to suggest it; None when it could be read either way or is no date at all."""
    m = _DAY_MONTH_YEAR.match(raw.replace(" ", ""))
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    if day <= 12 or not 1 <= month <= 12:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def not_in_future(date: PartialDate, what: str, today: dt.date | None = None) -> PartialDate:
    """The date, unless it begins after today: `what` names what cannot be dated so."""
    if date.first_day > (today or dt.date.today()):
        raise BadValue(f"'{date.iso}' is in the future: {what}")
    return date


def _parse_words(raw: str, original: str) -> PartialDate:
    from dateutil import parser

    # Parse twice with different defaults: a part that changes with the default was not given.
    defaults = (dt.datetime(1904, 1, 1), dt.datetime(1908, 2, 2))
    try:
        a, b = (parser.parse(raw, default=d) for d in defaults)
    except (ValueError, OverflowError) as e:
        why = "write the month as a word or use ISO 8601"
        if "out of range" in str(e):
            why = "there is no such day in that month"
        raise _refuse(original, why) from None
    if a.year != b.year:
        raise _refuse(original, "it has no year")
    if a.month != b.month:
        raise _refuse(original, "it has no month")
    if a.hour or a.minute or a.second:
        raise _refuse(original, "give a date, not a time")
    day = a.day if a.day == b.day else None
    return PartialDate(a.year, a.month, day)


def parse_optional_date(text: str | None) -> PartialDate | None:
    return None if text is None or text.strip() == "" else parse_date(text)


_DURATION = re.compile(r"^\s*([0-9]+)\s*([dwmy])\s*$", re.IGNORECASE)
DURATION_FORMS = "30d, 6w, 6m, 1y"


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # d, w, m or y

    def after(self, start: dt.date) -> dt.date:
        if self.unit == "d":
            return start + dt.timedelta(days=self.amount)
        if self.unit == "w":
            return start + dt.timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "y" else 1)
        year, month0 = divmod(start.month - 1 + months, 12)
        year += start.year
        day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
        return dt.date(year, month0 + 1, day)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


MAX_DURATION_DAYS = 100 * 366


def parse_duration(text: str) -> Duration:
    m = _DURATION.match(text)
    if not m:
        raise BadValue(f"'{text}' is not a duration; accepted forms: {DURATION_FORMS}")
    amount, unit = int(m.group(1)), m.group(2).lower()
    if amount * {"d": 1, "w": 7, "m": 30.44, "y": 365.25}[unit] > MAX_DURATION_DAYS:
        raise BadValue(f"'{text}' is too long a duration: at most 100 years")
    return Duration(amount, unit)


def format_timestamp(moment: dt.datetime) -> str:
    """A stored timestamp (UTC; SQLite returns it without a zone) as ISO 8601 in UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds") + "Z"


FAR_YEARS = 30  # how far ahead a due date or an action may be dated


def not_too_far(date: PartialDate, what: str, today: dt.date | None = None) -> PartialDate:
    """The date, unless it begins more than FAR_YEARS years after today (9999-12-31 is a
    placeholder, not a plan): `what` names what is dated (`a due date`)."""
    today = today or dt.date.today()
    last = today.year + FAR_YEARS
    if date.first_day > dt.date(last, 12, 31):
        raise BadValue(
            f"'{date.iso}' is too far ahead: {what} can be at most {FAR_YEARS} years from "
            f"now (until the end of {last})"
        )
    return date


def not_before(date: PartialDate, start: str | None, message: str) -> PartialDate:
    """The date, unless the whole of it is before `start` (ISO, of any precision): 2019 is
    not before 2019-03, 2018-12 is. `message` says why it cannot be, with `{date}` and
    `{start}` in it."""
    if start and date.last_day < PartialDate.from_iso(start).first_day:
        raise BadValue(message.format(date=date.iso, start=start))
    return date
