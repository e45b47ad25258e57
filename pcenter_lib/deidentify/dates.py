"""Exact dates in Kazakh, Russian and English, numeric or with the month in words.

Found: ``12.03.2024``, ``12/03/24``, ``2024-03-12``, ``12.03``; ``12 наурыз 2024 ж.``,
``2024 жылғы 12 наурызда``, ``наурыздың 12-сі``; ``12 марта 2024 г.``, ``12-го марта``,
``в марте 2024``; ``12 March 2024``, ``March 12th, 2024``, ``the 12th of March``, ``March 2024``;
the day also in words (``двенадцатого марта``, ``он екінші наурыз``, ``the twelfth of March``).
A month with a year but no day is still reported: with the case facts it narrows the child down.
Each mention is parsed when it can be, so a vignette can say "three months earlier" instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final

from pcenter_lib.deidentify.daywords import DAY_WORD, day_number

# Month stems (Kazakh in both Kazakh and Russian spelling), 1 = January.
_MONTH_STEMS: Final = {
    1: ("қаңтар", "кантар", "январ", "january", "jan"),
    2: ("ақпан", "акпан", "феврал", "february", "feb"),
    3: ("наурыз", "март", "march", "mar"),
    4: ("сәуір", "сауир", "апрел", "april", "apr"),
    5: ("мамыр", "май", "мая", "мае", "may"),
    6: ("маусым", "июн", "june", "jun"),
    7: ("шілде", "шилде", "июл", "july", "jul"),
    8: ("тамыз", "август", "august", "aug"),
    9: ("қыркүйе", "кыркуйе",  # қыркүйек → қыркүйегі: к becomes г before a vowel
        "сентябр", "september", "sept", "sep"),
    10: ("қазан", "казан", "октябр", "october", "oct"),
    11: ("қараша", "караша", "ноябр", "november", "nov"),
    12: ("желтоқсан", "желтоксан", "декабр", "december", "dec"),
}
_STEM_TO_MONTH: Final = {stem: month for month, stems in _MONTH_STEMS.items() for stem in stems}
_MONTH: Final = (
    "(?P<month>"
    + "|".join(sorted((re.escape(s) for s in _STEM_TO_MONTH), key=len, reverse=True))
    + r")[\wәіңғүұқөһ]*\.?"
)
_DAY_SUFFIX: Final = r"(?:-?(?:го|ого|е|ое|ші|шы|сі|сы|інші|ыншы|і|ы|st|nd|rd|th))?"
_YEAR_WORD: Final = r"(?:\s*(?:г\.|гг\.|года|году|год|ж\.|жылы|жылғы|жылдың|жыл)(?!\w))?"
_KK_YEAR_BEFORE: Final = r"(?:(?P<year0>\d{4})\s*(?:ж\.|жылғы|жылдың|жылы)\s+)?"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written in the text: source offsets and, when it can be told, the date."""

    start: int
    end: int
    day: int | None
    month: int
    year: int | None

    def value(self, *, default_year: int | None = None) -> date | None:
        """The date, with ``default_year`` where the text gives none; None if not a real date."""
        year = self.year if self.year is not None else default_year
        if year is None or self.day is None:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _month(word: str) -> int:
    lowered = word.lower()
    return next(m for s, m in sorted(_STEM_TO_MONTH.items(), key=lambda i: -len(i[0]))
                if lowered.startswith(s))  # fmt: skip


_Parser = Callable[[re.Match[str]], tuple[int | None, int, int | None]]


def _numeric(match: re.Match[str]) -> tuple[int | None, int, int | None]:
    return int(match["day"]), int(match["mon"]), _year(match.groupdict().get("year"))


def _worded(match: re.Match[str]) -> tuple[int | None, int, int | None]:
    groups = match.groupdict()
    day = groups.get("day")
    year = groups.get("year") or groups.get("year0")
    number = int(day) if day else day_number(groups["dayword"]) if groups.get("dayword") else None
    return number, _month(match["month"]), _year(year)


_RULES: Final[tuple[tuple[re.Pattern[str], _Parser], ...]] = (
    (re.compile(r"(?<![\d.])(?P<year>\d{4})[-./](?P<mon>\d{1,2})[-./](?P<day>\d{1,2})(?![\d])"),
     _numeric),
    (re.compile(r"(?<![\d.,])(?P<day>\d{1,2})[./\-](?P<mon>\d{1,2})[./\-](?P<year>\d{4}|\d{2})"
                r"(?![\d])" + _YEAR_WORD), _numeric),
    (re.compile(r"(?<![\d.,])(?P<day>[0-3]\d)\.(?P<mon>0\d|1[0-2])(?![\d]|\.\d|,\d)"), _numeric),
    (re.compile(r"(?i)(?<![\w.])" + _KK_YEAR_BEFORE + r"(?:the\s+)?(?P<day>\d{1,2})" + _DAY_SUFFIX
                + r"(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+(?P<year>\d{4})" + _YEAR_WORD + ")?"),
     _worded),
    (re.compile(r"(?i)(?<![\w])" + _KK_YEAR_BEFORE + _MONTH + r"\s+(?:айының\s+)?"
                r"(?P<day>\d{1,2})" + _DAY_SUFFIX + r"(?![\d])(?:,?\s+(?P<year>\d{4})"
                + _YEAR_WORD + ")?"), _worded),
    (re.compile(r"(?i)(?<![\w])" + _KK_YEAR_BEFORE + r"(?:the\s+)?" + DAY_WORD + r"(?:\s+of)?\s+"
                + _MONTH + r"(?:,?\s+(?P<year>\d{4})" + _YEAR_WORD + ")?"), _worded),
    (re.compile(r"(?i)(?<![\w])" + _MONTH + r"\s+(?:айының\s+)?(?:the\s+)?" + DAY_WORD
                + r"(?![\w])(?:,?\s+(?P<year>\d{4})" + _YEAR_WORD + ")?"), _worded),
    (re.compile(r"(?i)(?<![\w])(?P<year0>\d{4})\s*(?:ж\.|жылғы|жылдың|жылы)\s+" + _MONTH),
     _worded),
    (re.compile(r"(?i)(?<![\w])" + _MONTH + r"\s+(?P<year>\d{4})" + _YEAR_WORD), _worded),
)  # fmt: skip


def find_dates(text: str) -> list[DateMention]:
    """Every date mention in ``text``; overlapping readings keep the longest."""
    found: list[DateMention] = []
    for pattern, parse in _RULES:
        for match in pattern.finditer(text):
            day, month, year = parse(match)
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            found.append(DateMention(match.start(), match.end(), day, month, year))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            if mention.end > kept[-1].end and mention.end - mention.start > kept[-1].end - kept[-1].start:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept
