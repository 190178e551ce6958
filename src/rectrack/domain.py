"""Vocabularies and rules of the domain. No dependencies beyond the standard library."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rectrack.errors import BadValue

PRIORITIES = ("high", "medium", "low")
# The state's response: the UPR's, and accepted or rejected for other recommendations
# (an audit, an ombudsperson's).
RESPONSES = ("supported", "partially_supported", "noted", "accepted", "rejected")
BODY_KINDS = ("treaty_body", "regional_monitoring", "peer_review", "bilateral", "eu", "other")

# Words that clear an optional value in `edit`.
CLEAR_WORDS = ("none", "-")

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,59}$")
BODY_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")


def closest(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates that look most like `word`, best first, compared case-insensitively."""
    by_folded: dict[str, str] = {}
    for c in candidates:
        by_folded.setdefault(c.casefold(), c)
    folded = word.casefold()
    found = [f for f in by_folded if folded and f.startswith(folded)][:n]
    for f in difflib.get_close_matches(folded, list(by_folded), n=n, cutoff=cutoff):
        if f not in found and len(found) < n:
            found.append(f)
    return [by_folded[f] for f in found]


def choice(value: str, valid: Sequence[str], what: str) -> str:
    """Return `value` as one of `valid` (case-insensitive), or raise BadValue naming them all."""
    folded = value.strip().casefold().replace("-", "_").replace(" ", "_")
    for v in valid:
        if v.casefold() == folded:
            return v
    hint = closest(value, valid, n=1)
    suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
    raise BadValue(f"'{value}' is not a {what}{suggestion}; valid values: {', '.join(valid)}")


def optional_choice(value: str | None, valid: Sequence[str], what: str) -> str | None:
    if value is None or value.strip() == "":
        return None
    return choice(value, valid, what)


def is_clear(value: str | None) -> bool:
    """True when an `edit` option asks to clear a value (`--priority none`)."""
    return value is not None and value.strip().casefold() in CLEAR_WORDS


def normalize_body_code(code: str) -> str:
    code = code.strip()
    if not BODY_CODE_RE.match(code):
        raise BadValue(
            f"'{code}' is not a valid body code: use letters, digits and '_', "
            "starting with a letter, at most 20 characters"
        )
    return code.upper()


def paragraph_slug(paragraph: str) -> str:
    """The part of a key that comes from a paragraph: `24(b)` -> `24b`, `6.45` -> `6.45`."""
    slug = re.sub(r"[^0-9a-z.]", "", paragraph.casefold())
    return slug.strip(".")


def key_prefix(body_code: str, year: int | None) -> str:
    return f"{body_code.upper()}-{year}" if year else body_code.upper()


def paragraph_key(body_code: str, year: int | None, paragraph: str | None) -> str | None:
    """The key made from body, year and paragraph, or None when the paragraph gives nothing."""
    if not paragraph:
        return None
    prefix = key_prefix(body_code, year)
    # Keep room for a "-NN" suffix within the 60 characters a key may have.
    slug = paragraph_slug(paragraph)[: 60 - len(prefix) - 4].rstrip(".")
    return f"{prefix}-{slug}" if slug else None


def counter_key(prefix: str, taken: Iterable[str]) -> str:
    """The next counter key under `prefix` (`UPR-2013-0042`), given the keys already taken."""
    pattern = re.compile(re.escape(prefix.casefold()) + r"-(\d{4,})$")
    highest = 0
    for key in taken:
        m = pattern.match(key.casefold())
        if m:
            highest = max(highest, int(m.group(1)))
    return f"{prefix}-{highest + 1:04d}"


def check_key(key: str) -> str:
    key = key.strip()
    if not KEY_RE.match(key):
        raise BadValue(
            f"'{key}' is not a valid key: use letters, digits, '.', '_' and '-', at most 60 "
            "characters"
        )
    return key


def optional_text(value: str | None) -> str | None:
    """A value as stored: surrounding white space removed, and None for nothing."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def clean_text(text: str) -> str:
    """Text as stored: surrounding white space removed."""
    return text.strip()


def fold(text: str) -> str:
    """A text folded for comparison: case and runs of white space ignored."""
    return " ".join(text.casefold().split())


def same_text(a: str, b: str) -> bool:
    """Two recommendation texts are the same when they differ only in case and white space."""
    return fold(a) == fold(b)


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 recommendation`, `2 recommendations`."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def shorten(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------
# Implementation tracking

# From least to most implemented; `regressed` is below where the recommendation started.
STATUSES = ("regressed", "not_implemented", "in_progress", "partial", "implemented")
# Superseded or no longer relevant: assessed so, but left out of shares and rankings.
NOT_APPLICABLE = "not_applicable"
ASSESSABLE = (*STATUSES, NOT_APPLICABLE)
UNKNOWN = "unknown"
ALL_STATUSES = (*ASSESSABLE, UNKNOWN)

STATUS_LABELS = {
    "not_implemented": "Not implemented",
    "in_progress": "In progress",
    "partial": "Partial",
    "implemented": "Implemented",
    "regressed": "Regressed",
    NOT_APPLICABLE: "Not applicable",
    UNKNOWN: "Unknown",
}

# For narrow tables, such as a matrix of groups by status on an 80-column terminal.
STATUS_SHORT_LABELS = {
    "not_implemented": "Not impl.",
    "in_progress": "In prog.",
    "partial": "Partial",
    "implemented": "Impl.",
    "regressed": "Regr.",
    NOT_APPLICABLE: "N/A",
    UNKNOWN: "Unknown",
}

# One colour per status, used on the terminal and in workbooks alike (hex RGB).
STATUS_COLOURS = {
    "not_implemented": "D64545",
    "in_progress": "E0A100",
    "partial": "3B82C4",
    "implemented": "2E9E4F",
    "regressed": "8E3BA8",
    NOT_APPLICABLE: "8D6E63",
    UNKNOWN: "8A8A8A",
}

# The order in which statuses are shown: best news last, unknown at the end.
STATUS_DISPLAY_ORDER = (
    "implemented",
    "partial",
    "in_progress",
    "not_implemented",
    "regressed",
    NOT_APPLICABLE,
    UNKNOWN,
)

PERSPECTIVES = ("ngo", "state", "body")
PERSPECTIVE_LABELS = {"ngo": "NGO assessment", "state": "state's claim", "body": "body's grade"}

ACTION_KINDS = (
    "law",
    "bylaw",
    "strategy",
    "action_plan",
    "budget",
    "institution",
    "training",
    "practice",
    "other",
)
EVIDENCE_KINDS = (
    "document",
    "web",
    "statistics",
    "court_decision",
    "shadow_report",
    "media",
    "meeting",
    "other",
)

GROUP_BY = (
    "body",
    "document",
    "theme",
    "institution",
    "country",
    "recommending",
    "affected",
    "sdg",
    "cluster",
)


def status_rank(status: str | None) -> int | None:
    """How far implemented: regressed 0 ... implemented 4; None for unknown."""
    return STATUSES.index(status) if status in STATUSES else None


def shares(counts: dict[str, int]) -> dict[str, float | None]:
    """Each status's share of the recommendations it applies to: `not_applicable` is left
    out of the whole (and has no share)."""
    whole = sum(n for status, n in counts.items() if status != NOT_APPLICABLE)
    return {
        status: None if status == NOT_APPLICABLE else (n / whole if whole else 0.0)
        for status, n in counts.items()
    }


def claims_more(state_status: str | None, ngo_status: str | None) -> bool:
    """True when the state claims more progress than the NGO assessment finds."""
    s, n = status_rank(state_status), status_rank(ngo_status)
    return s is not None and n is not None and s > n


def short_id(prefix: str, number: int) -> str:
    return f"{prefix}{number}"


def parse_short_id(text: str, prefix: str, what: str) -> int:
    """`A12`, `a12` or `12` -> 12 for prefix `A`; BadValue otherwise."""
    raw = text.strip()
    if raw[:1].upper() == prefix:
        raw = raw[1:]
    if not re.fullmatch(r"[0-9]{1,15}", raw):
        raise BadValue(f"'{text}' is not an {what} id (they look like {prefix}12)")
    return int(raw)


# ---------------------------------------------------------------------------------------
# The bodies' own grading scales (read from rectrack/data/scales.toml by rectrack.resources)


@dataclass(frozen=True)
class Grade:
    grade: str  # as the body writes it: "B", "Tier 2 Watch List", "some progress"
    status: str  # what it means here
    meaning: str = ""


@dataclass(frozen=True)
class Scale:
    """A body's own grading scale, mapped to statuses; it applies to the bodies it names and
    to every body of the kinds it names."""

    name: str
    bodies: tuple[str, ...]
    kinds: tuple[str, ...]
    grades: tuple[Grade, ...]


def scale_for(body_code: str, body_kind: str, scales: Iterable[Scale]) -> Scale | None:
    """The grading scale that applies to a body, if any."""
    for scale in scales:
        if body_code.upper() in scale.bodies or body_kind in scale.kinds:
            return scale
    return None


def grade_status(scale: Scale | None, grade: str) -> str | None:
    """The status a grade means on a scale (grades compared without regard to case)."""
    if scale is None:
        return None
    folded = " ".join(grade.casefold().split())
    for entry in scale.grades:
        if entry.grade.casefold() == folded:
            return entry.status
    return None


# How two recommendations belong together (`rectrack link A B --as KIND`), with how the link
# reads from each end.
LINK_KINDS = ("repeats", "follows_up", "same_issue")
LINK_WORDS = {
    "repeats": ("repeats", "is repeated by"),
    "follows_up": ("follows up", "is followed up by"),
    "same_issue": ("is on the same issue as", "is on the same issue as"),
}
# From the worst to the best: the status that speaks for a group of recommendations.
WORST_FIRST = ("regressed", "not_implemented", "in_progress", "partial", "implemented")


URL_SCHEMES = ("http", "https", "mailto", "ftp", "file")
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def check_url(url: str) -> str:
    """A link as given, unless it names a scheme other than http, https, mailto, ftp or
    file (`javascript:`, `data:`, which a report's reader would run or open); a path is
    fine, a Windows one (`C:\\...`) too. The scheme is read as a browser reads it:
    controls and spaces before it, and tabs and line breaks within, are passed over."""
    squeezed = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    found = _URL_SCHEME.match(squeezed)
    if found and len(found.group(1)) > 1 and found.group(1).lower() not in URL_SCHEMES:
        raise BadValue(
            f"'{url}' is not a link rectrack keeps: a {found.group(1).lower()}: address could "
            "run code or hide one; give an http, https, mailto or ftp address, or a file's path"
        )
    return url
