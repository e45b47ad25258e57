"""How big the synthetic region is, and the fixed time line its history runs on.

The history is fixed, not relative to the clock, so the same seed gives the same data on any day:
it starts on 1 September 2024 (two full school years, 2024–2025 and 2025–2026) and runs through
the current autumn up to ``DEMO_TODAY``, Friday 20 November 2026, 18:00 Kazakhstan time
(``REFERENCE_MOMENT``). Requests received in the last two working days are still open then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

HISTORY_START: Final = date(2024, 9, 1)
DEMO_TODAY: Final = date(2026, 11, 20)
REFERENCE_MOMENT: Final = datetime.combine(DEMO_TODAY, time(18, 0), tzinfo=KZ_TZ)
EPOCH: Final = datetime.combine(HISTORY_START, time(0, 0), tzinfo=KZ_TZ)
HISTORY_DAYS: Final = (DEMO_TODAY - HISTORY_START).days + 1
CURRENT_SCHOOL_YEAR_START: Final = 2026  # the school year 2026–2027 is under way on DEMO_TODAY
SCHOOL_YEAR_STARTS: Final = (2024, 2025, 2026)


class UnknownScaleError(PcenterError, ValueError):
    """A demo scale that does not exist."""


@dataclass(frozen=True, slots=True)
class Scale:
    """The size of a synthetic region.

    ``urban_schools`` lists how many schools each city has; ``rural_districts`` how many rural
    districts share ``rural_schools``. ``children`` counts today's pupils (those who left school
    during the history come on top, ``children.LEAVERS``); ``requests`` is the number of journal
    entries over the whole history; ``specialists`` the number of duty-specialist user accounts.
    """

    code: str
    urban_schools: tuple[int, ...]
    rural_districts: int
    rural_schools: int
    children: int
    requests: int
    specialists: int

    @property
    def schools(self) -> int:
        return sum(self.urban_schools) + self.rural_schools

    @property
    def districts(self) -> int:
        return len(self.urban_schools) + self.rural_districts


SCALES: Final = {
    scale.code: scale
    for scale in (
        # Used by the test suite only: a few seconds to build.
        Scale("tiny", (4,), 1, 6, 500, 300, 3),
        # The default demo: 6 districts, about 40 schools, 6,000 pupils known to the Center.
        Scale("demo", (10, 5), 4, 25, 6_000, 3_800, 6),
        # A whole region: 17 districts, about 300 schools, 150,000 children (benchmarks).
        Scale("region", (60, 25, 20), 14, 195, 150_000, 26_000, 12),
    )
}


def get_scale(code: str) -> Scale:
    """The scale ``code`` (tiny, demo or region); a clear error otherwise."""
    try:
        return SCALES[code]
    except KeyError:
        raise UnknownScaleError(
            N_("Unknown demo scale {scale!r}; use one of: {valid}."),
            scale=code,
            valid=", ".join(SCALES),
        ) from None


def school_year_start(day: date) -> int:
    """The calendar year in which the school year containing ``day`` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(start: int) -> str:
    """``2025-2026`` for the school year that began in 2025."""
    return f"{start}-{start + 1}"


def day_of(index: int) -> date:
    """The date ``index`` days after ``HISTORY_START``."""
    return HISTORY_START + timedelta(days=index)


def moment_of(minutes: int) -> datetime:
    """The Kazakhstan-time moment ``minutes`` after the start of the history."""
    return EPOCH + timedelta(minutes=minutes)


def minutes_of(moment: datetime) -> int:
    """Minutes from the start of the history to ``moment`` (the inverse of ``moment_of``)."""
    return int((moment - EPOCH).total_seconds() // 60)
