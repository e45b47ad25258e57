"""Days of the month written in words, in Kazakh, Russian and English.

``the twelfth of March``, ``March twenty-first``; ``двенадцатого марта``, ``первое мая``,
``двадцать третьего февраля``; ``он екінші наурыз``, ``наурыздың он екісі``. Kazakh forms a
date's day from the cardinal with the ordinal suffix ``-ыншы/-інші`` or a possessive
(``-сі/-і``), Russian from the ordinal in the genitive (or nominative) neuter, English from the
ordinal; numbers above twenty are two words.
"""

from __future__ import annotations

import re
from typing import Final

_EN_UNITS: Final = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9,
}  # fmt: skip
_EN_ALONE: Final = {
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_EN_TENS: Final = {"twenty": 20, "thirty": 30}
_RU_UNITS: Final = {
    "перв": 1, "втор": 2, "трет": 3, "четвёрт": 4, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7,
    "восьм": 8, "девят": 9,
}  # fmt: skip
_RU_ALONE: Final = {
    "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14,
    "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19,
    "двадцат": 20, "тридцат": 30,
}  # fmt: skip
_RU_TENS: Final = {"двадцать": 20, "тридцать": 30}
_KK_UNITS: Final = {
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8,
    "тоғыз": 9,
}  # fmt: skip
_KK_TENS: Final = {"он": 10, "жиырма": 20, "отыз": 30}
_RU_ENDING: Final = r"(?:ьего|ого|ое|ье|ом|ьем)"
_KK_SUFFIX: Final = r"(?:інші|ыншы|нші|ншы|сыншы|сі|сы|і|ы)?"


def _alternation(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


DAY_WORD: Final = (
    "(?P<dayword>"
    rf"(?:(?:{_alternation(_EN_TENS)})[\s-])?(?:{_alternation(_EN_UNITS)})"
    rf"|{_alternation(_EN_ALONE)}"
    rf"|(?:(?:{_alternation(_RU_TENS)})\s+)?(?:{_alternation(_RU_UNITS)}){_RU_ENDING}"
    rf"|(?:{_alternation(_RU_ALONE)}){_RU_ENDING}"
    rf"|(?:(?:{_alternation(_KK_TENS)})\s+)?(?:{_alternation(_KK_UNITS)}){_KK_SUFFIX}"
    rf"|(?:{_alternation(_KK_TENS)}){_KK_SUFFIX}"
    ")"
)
_WORD: Final = re.compile(r"[\wё]+", re.IGNORECASE)


def day_number(words: str) -> int | None:
    """The day a phrase of ``DAY_WORD`` names (``двадцать третьего`` → 23); None if none."""
    total = 0
    for word in _WORD.findall(words.lower()):
        value = _EN_UNITS.get(word) or _EN_ALONE.get(word) or _EN_TENS.get(word)
        value = value or _RU_TENS.get(word) or _prefix_value(word, _RU_ALONE | _RU_UNITS)
        value = value or _prefix_value(word, _KK_UNITS | _KK_TENS)
        if not value:
            return None
        total += value
    return total if 1 <= total <= 31 else None


def _prefix_value(word: str, table: dict[str, int]) -> int | None:
    for stem in sorted(table, key=len, reverse=True):
        if word.startswith(stem):
            return table[stem]
    return None
