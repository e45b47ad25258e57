"""Numbers, shares, money, days and moments written the way each language writes them.

Every screen and every exported document formats figures here, with Babel's locale data
(CLDR) for Kazakh, Russian and English: ``12,5 %`` in Russian, ``12,5%`` in Kazakh, ``12.5%`` in
English; ``1 234`` and ``1,234``; dates as ``20.11.2026`` (``Nov 20, 2026`` in English). Moments are shown in Kazakhstan
time (UTC+5), the time of the rules (Rule 16). A missing figure is an em dash.
"""

from __future__ import annotations

import math
import numbers
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Final

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import NumberPattern, format_decimal, parse_pattern

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.i18n import check_language

MISSING: Final = "—"


def _as_float(value: object) -> float | None:
    """The number ``value`` holds, or None for a missing one (None, NaN, not a number)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def format_number(value: object, lang: str, *, digits: int = 0, exact: bool = False) -> str:
    """``value`` with the language's separators; ``digits`` decimals (at most, unless ``exact``)."""
    number = _as_float(value)
    if number is None:
        return MISSING
    decimals = ("0" if exact else "#") * digits
    pattern = f"#,##0.{decimals}" if digits else "#,##0"
    return str(format_decimal(number, pattern, locale=check_language(lang)))


def format_count(value: object, lang: str) -> str:
    """A whole number: ``1 234`` (kk, ru), ``1,234`` (en)."""
    return format_number(value, lang)


def format_units(value: float, lang: str) -> str:
    """Staff units as the language writes them, up to two decimals: ``57,5`` (kk, ru), ``57.5``."""
    return format_number(value, lang, digits=2)


def format_money(value: float | None, lang: str) -> str:
    """Tenge, whole: ``1 250 000``."""
    return format_number(value, lang)


def format_ratio(value: float | None, lang: str) -> str:
    """A ratio with exactly two decimals (a WISN ratio)."""
    return format_number(value, lang, digits=2, exact=True)


def format_signed(value: float, lang: str, *, digits: int = 2, exact: bool = False) -> str:
    """``+1,5`` / ``−2`` / ``0``: a change, its sign always written."""
    text = format_number(abs(value), lang, digits=digits, exact=exact)
    if value > 0:
        return f"+{text}"
    return f"−{text}" if value < 0 else text


@cache
def _percent_pattern(lang: str, digits: int) -> NumberPattern:
    pattern = parse_pattern(Locale.parse(lang).percent_formats[None].pattern)
    pattern.frac_prec = (digits, digits)
    return pattern


def format_share(value: object, lang: str, *, digits: int = 1) -> str:
    """A share of 1 as a percentage in the language's pattern: 0.125 → ``12,5 %`` (ru)."""
    number = _as_float(value)
    if number is None:
        return MISSING
    return str(_percent_pattern(check_language(lang), digits).apply(number, lang))


class FileSize(int):
    """A number of bytes in a message whose language is chosen later; written by ``format_file_size``
    when the message is read (an upload's refusal is built before its reader's language is known)."""


# Binary multiples, as the operating systems a Center uses show a file's size (1 MB = 2**20 bytes),
# with the abbreviations Kazakh and Russian write (GOST 8.417: Б, КБ, МБ, ГБ). Babel's own units
# are not used: its Kazakh data writes "MБ" with a Latin M, which a search for "МБ" misses.
_SIZE_UNITS: Final = {
    "kk": ("Б", "КБ", "МБ", "ГБ"),
    "ru": ("Б", "КБ", "МБ", "ГБ"),
    "en": ("B", "KB", "MB", "GB"),
}


def format_file_size(size: int, lang: str) -> str:
    """Bytes for people: ``1,5 МБ`` (kk, ru), ``1.5 MB`` (en), ``350 КБ``, ``100 Б``."""
    lang = check_language(lang)
    units = _SIZE_UNITS[lang]
    for power in (3, 2, 1):
        if size >= 1024**power:
            number = format_number(size / 1024**power, lang, digits=1)
            return f"{number} {units[power]}"
    return f"{format_number(size, lang)} {units[0]}"


# Kazakh and Russian official documents write a date as digits, day first: 24.11.2026 (the form
# of dates in acts of the Republic of Kazakhstan, e.g. the Order's own "24.11.2025").
_DAY_PATTERNS: Final = {"kk": "dd.MM.yyyy", "ru": "dd.MM.yyyy", "en": "medium"}


def format_day(day: object, lang: str) -> str:
    """A date as the language writes it in a document: ``24.11.2026`` (kk, ru), ``Nov 24, 2026``.

    Anything that is not a date (None, a missing value of a frame) is written as a dash.
    """
    if not isinstance(day, date) or day != day:  # NaT is a date that differs from itself
        return MISSING
    lang = check_language(lang)
    return str(format_date(day, _DAY_PATTERNS[lang], locale=lang))


def format_moment(moment: datetime | None, lang: str) -> str:
    """An aware moment in Kazakhstan time: ``20.11.2026, 18:05``."""
    if moment is None:
        return MISSING
    local = moment.astimezone(KZ_TZ)
    lang = check_language(lang)
    return f"{format_day(local.date(), lang)}, {format_time(local.time(), 'short', locale=lang)}"


def local_time(moment: datetime) -> str:
    """An aware moment in Kazakhstan time as digits every language reads: ``2026-11-20 18:05``.

    For the parameters of a message whose language is chosen later (an error, a note); what a
    person reads in a known language is ``format_moment``.
    """
    return moment.astimezone(KZ_TZ).strftime("%Y-%m-%d %H:%M")
