"""Reporting periods: calendar quarters (``2026Q1``) and school years (``2025-2026``).

Rule 21 asks for a study of each school's PPSS "at least once a quarter"; screening rounds and
reporting rates (DHIS2 style: docs.dhis2.org, "Reporting rate") are counted by the same quarters. A
quarter is a calendar quarter; a school year runs from 1 September to 31 August, so the
summer belongs to the school year that has just ended.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_, gettext

_QUARTER: Final = re.compile(r"(\d{4})Q([1-4])\Z")
_SCHOOL_YEAR: Final = re.compile(r"(\d{4})-(\d{4})\Z")
SCHOOL_YEAR_START_MONTH: Final = 9  # Law "On education": the school year begins on 1 September


def check_quarter(quarter: str) -> str:
    """``quarter`` if it reads like ``2026Q1``; otherwise a clear error."""
    if not isinstance(quarter, str) or not _QUARTER.match(quarter):
        raise ValidationError(
            N_("A quarter is written like 2026Q1 (year, Q, 1 to 4), not {value!r}."), value=quarter
        )
    return quarter


def quarter_of(day: date) -> str:
    """The calendar quarter holding ``day``, e.g. ``2026Q2`` for 15 May 2026."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First and last day of ``quarter``."""
    match = _QUARTER.match(check_quarter(quarter))
    assert match is not None
    year, number = int(match.group(1)), int(match.group(2))
    start = date(year, 3 * number - 2, 1)
    following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return start, following - timedelta(days=1)


def previous_quarter(quarter: str) -> str:
    start, _ = quarter_bounds(quarter)
    return quarter_of(start - timedelta(days=1))


def quarters_between(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last`` inclusive (empty when ``first`` is later)."""
    result: list[str] = []
    current = check_quarter(first)
    _, end = quarter_bounds(check_quarter(last))
    while quarter_bounds(current)[0] <= end:
        result.append(current)
        current = quarter_of(quarter_bounds(current)[1] + timedelta(days=1))
    return result


def school_year_of(day: date) -> str:
    """The school year holding ``day``: 1 September 2025 – 31 August 2026 is ``2025-2026``."""
    first = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
    return f"{first}-{first + 1}"


def check_school_year(value: str) -> str:
    match = _SCHOOL_YEAR.match(value) if isinstance(value, str) else None
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValidationError(
            N_("A school year is written like 2025-2026 (two consecutive years), not {value!r}."),
            value=value,
        )
    return value


def quarters_of_school_year(school_year: str) -> list[str]:
    """The calendar quarters a school year touches: Q3 of its first year to Q2 of its second."""
    first = int(check_school_year(school_year)[:4])
    return quarters_between(f"{first}Q3", f"{first + 1}Q2")


QUARTER_LABEL: Final = N_("Q{number} {year}")


def quarter_label(quarter: str, lang: str) -> str:
    """``2026Q3`` as a person reads it: ``2026 ж. III тоқсан``, ``III квартал 2026``, ``Q3 2026``."""
    match = _QUARTER.match(check_quarter(quarter))
    assert match is not None
    roman = ("I", "II", "III", "IV")[int(match.group(2)) - 1]
    number = match.group(2) if lang == "en" else roman
    return gettext(QUARTER_LABEL, lang).format(number=number, year=match.group(1))
