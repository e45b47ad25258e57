"""When things happen in the synthetic history: day weights, seasons and times of day.

Demand follows the school year: each day's weight is its month's factor (``MONTH_FACTORS``:
busiest in October–November and February–April, lowest in July) times a growth of
``YEARLY_GROWTH`` per year since 1 September 2024. Offices (schools, state bodies, the Center's
own intake) work on working days of the Kazakhstan calendar only; helplines, messengers and
crises also reach the Center on days off, at ``DAY_OFF_FACTOR`` of a working day's weight.
Times are minutes since the start of the history (``scales.moment_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from pcenter_lib.demo.scales import HISTORY_DAYS, REFERENCE_MOMENT, day_of, minutes_of
from pcenter_lib.domain.calendar import KazakhstanCalendar

MONTH_FACTORS: Final = {
    1: 0.90,
    2: 1.10,
    3: 1.00,
    4: 1.10,
    5: 1.00,
    6: 0.45,
    7: 0.30,
    8: 0.40,
    9: 1.05,
    10: 1.20,
    11: 1.15,
    12: 1.00,
}
YEARLY_GROWTH: Final = 0.12
DAY_OFF_FACTOR: Final = 0.5
MINUTES_PER_DAY: Final = 24 * 60
REFERENCE_MINUTE: Final = minutes_of(REFERENCE_MOMENT)


@dataclass(frozen=True)
class Activity:
    """Per-day working flags and weights over the whole history."""

    working: np.ndarray  # bool per day
    office: np.ndarray  # weight per day, zero on days off
    anyday: np.ndarray  # weight per day, days off at DAY_OFF_FACTOR

    def sample_days(
        self, rng: np.random.Generator, size: int, *, office: bool, first_day: np.ndarray | int = 0
    ) -> np.ndarray:
        """``size`` day indices drawn by weight, each on or after its ``first_day``."""
        weights = self.office if office else self.anyday
        cumulative = np.cumsum(weights)
        start = np.where(np.asarray(first_day) > 0, cumulative[np.asarray(first_day) - 1], 0.0)
        total = cumulative[-1]
        draws = start + rng.random(size) * (total - start)
        days: np.ndarray = np.minimum(
            np.searchsorted(cumulative, draws, side="right"), len(weights) - 1
        )
        return days

    def next_working_day(self, day: int) -> int:
        """``day`` itself if it is a working day, else the next one (within the history)."""
        while day < len(self.working) - 1 and not self.working[day]:
            day += 1
        return day


def day_weights(calendar: KazakhstanCalendar, days: range) -> tuple[np.ndarray, np.ndarray]:
    """(working flag, weight) of each day index in ``days`` (before the history too)."""
    working = np.zeros(len(days), dtype=bool)
    base = np.zeros(len(days))
    for k, index in enumerate(days):
        day = day_of(index)
        working[k] = calendar.is_working_day(day)
        base[k] = MONTH_FACTORS[day.month] * (1 + YEARLY_GROWTH * index / 365.25)
    return working, base


def anyday_weight(working: np.ndarray, base: np.ndarray) -> np.ndarray:
    """The weight of a day for helplines, messengers and crises: days off at half weight."""
    result: np.ndarray = np.where(working, base, base * DAY_OFF_FACTOR)
    return result


def build_activity(calendar: KazakhstanCalendar) -> Activity:
    """Working flags and weights for every day of the history."""
    working, base = day_weights(calendar, range(HISTORY_DAYS))
    return Activity(
        working=working,
        office=np.where(working, base, 0.0),
        anyday=anyday_weight(working, base),
    )


def office_minutes(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """Moments in office hours (09:00–18:00) on ``days``, never after the reference moment."""
    minutes = days * MINUTES_PER_DAY + rng.integers(9 * 60, 18 * 60, size=len(days))
    return cap_minutes(rng, minutes)


def anytime_minutes(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """Moments from 08:00 to 23:00, most of them in the day, never after the reference moment."""
    hours = np.clip(rng.normal(14.5, 3.5, size=len(days)), 8.0, 22.9)
    minutes = days * MINUTES_PER_DAY + (hours * 60).astype(np.int64)
    return cap_minutes(rng, minutes)


def cap_minutes(rng: np.random.Generator, minutes: np.ndarray) -> np.ndarray:
    """Moments after the reference moment moved back into the last working hours before it."""
    late = minutes >= REFERENCE_MINUTE
    moved = REFERENCE_MINUTE - rng.integers(5, 8 * 60, size=len(minutes))
    result: np.ndarray = np.where(late, moved, minutes)
    return result
