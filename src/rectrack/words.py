"""Words for searching and comparing texts, in English and Serbian (Latin and Cyrillic).

A text is folded (lower case, Cyrillic written in Latin, diacritics dropped: `Čačak`,
`Чачак` and `cacak` are one word), cut into words, stripped of the commonest ones, and each
word is cut to a rough stem (`compensation`, `compensated` -> `compens`; `naknade`,
`naknadu` -> `naknad`), so that the forms of a word meet. Standard library only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

_CYRILLIC = dict(
    zip(
        "абвгдђежзијклљмнњопрстћуфхцчџш",
        ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n"]
        + ["nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š"],
        strict=True,
    )
)
# Letters that do not come apart into a base letter and a mark.
_OWN_LETTERS = {"đ": "dj", "ð": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

STOP_WORDS = frozenset(
    # English
    "a an and are as at be been by for from has have in into is it its of on or that the "
    "their there these this those to was were which with within without all any also such "
    # Serbian (folded)
    "i u na za da se je od do sa s o koji koja koje kojih kao ili su bi po iz ne li te ti "
    "ta to taj sve svi svih sto kako ce bude biti".split()
)
# Endings cut from a word, longest first, leaving at least MIN_STEM letters: English
# derivations and inflections, then Serbian case endings.
_ENDINGS = sorted(
    (
        "ational ations ation ators ator ements ement ments ment nesses ness ities ity "
        "izations ization izing ising ized ised izes ises ize ise ating ated ates ate "
        "ings ing edly ed ies ers er ives ive ions ion ally al ly es s "
        "ovima evima ama ima om em og oj ih im ov ev a e i o u"
    ).split(),
    key=len,
    reverse=True,
)
MIN_STEM = 4


@functools.lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """A word as it is compared: lower case, Latin script, no diacritics."""
    word = word.casefold()
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        word = "".join(_CYRILLIC.get(ch, ch) for ch in word)
    out = []
    for ch in unicodedata.normalize("NFKD", word):
        if unicodedata.combining(ch):
            continue
        out.append(_OWN_LETTERS.get(ch, ch))
    return "".join(out)


def _cut(word: str) -> str:
    if len(word) <= MIN_STEM or word.isdigit():
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A rough stem of a folded word, the same for its common forms: endings are cut until
    none is left (`victims` -> `victim` -> `vict`, as `victim` -> `vict`)."""
    while (shorter := _cut(word)) != word:
        word = shorter
    return word


def fold(text: str) -> str:
    """A text folded word by word (see `fold_word`), spaces between the words."""
    return " ".join(fold_word(w) for w in _WORD.findall(text))


def terms(text: str) -> list[str]:
    """The stems of a text's words that carry meaning, in order."""
    out = []
    for word in _WORD.findall(text):
        folded = fold_word(word)
        if folded in STOP_WORDS or len(folded) < 2:
            continue
        out.append(stem(folded))
    return out


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Each word of a text as (start, end, stem), for highlighting what matched."""
    for m in _WORD.finditer(text):
        yield m.start(), m.end(), stem(fold_word(m.group()))
