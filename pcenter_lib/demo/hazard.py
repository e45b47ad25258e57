"""When a synthetic pupil's crisis episode begins and escalates, and the true chance of an escalation
in any window: the oracle a risk model is judged against.

A crisis episode begins on day *d* of the history, if none has begun before, with probability
``1 − exp(−h(d))``, where

    h(d) = exp(η + 0.45·(age(d) − 11.5)/3.2 + 0.30·female·[age(d) ≥ 12]) · w(d) / w̄ / 365.25

while the child is at school (from 1 September of its first school year to 31 August after its
last) and ``h(d) = 0`` otherwise. ``η`` is the child's static log-hazard (``truth``: special
needs, rural school, family, school and personal effects and the intercept), ``age(d)`` its age
in days / 365.25, ``w(d)`` the any-day activity weight (``activity``: month of the year, growth of
12 % a year, days off at half weight) and ``w̄`` its mean over the history, so ``exp(η + …)`` is a
yearly rate at average activity. Days run from ``BURN_IN_DAYS`` before the history, so episodes
under way when the records begin escalate within them (nothing else of that time is recorded).
A child has at most one episode. It escalates ``D`` days after
it began, ``D`` uniform on 7–150 days (``DELAY_DAYS``): a direct-threat request, recorded if the
child is still at school and the history has not ended. A quarter of the escalations are followed
by a repeat crisis 20–300 days later (``REPEAT_SHARE``, written by ``crises``).

Everything the generator writes later depends only on the state at each moment — ``η``, the day
the episode began, the escalation if it happened — and on fresh noise. So the probability of an
escalation in ``(t, t + 90 days]`` given that state (``window_probability``) is the best any
model can do: it is the oracle of the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np

from pcenter_lib.demo.activity import MINUTES_PER_DAY, REFERENCE_MINUTE, anyday_weight, day_weights
from pcenter_lib.demo.scales import HISTORY_DAYS
from pcenter_lib.domain.calendar import KazakhstanCalendar

AGE_CENTER: Final = 11.5
AGE_SCALE: Final = 3.2
AGE_EFFECT: Final = 0.45
FEMALE_ADOLESCENT_EFFECT: Final = 0.30
ADOLESCENT_AGE: Final = 12
DAYS_PER_YEAR: Final = 365.25
DELAY_DAYS: Final = (7, 150)
REPEAT_SHARE: Final = 0.25  # escalations followed by a repeat crisis ...
REPEAT_DAYS: Final = (20, 300)  # ... this many days later
NEVER_DAY: Final = 10**6  # a day index after every history
NO_DAY: Final = -(10**6)  # "no episode began"
# Episodes run from this many days before the history, so that those under way when the
# Center's records begin escalate within them, as they would in a real region.
BURN_IN_DAYS: Final = DELAY_DAYS[1]
_PER_DAY: Final = AGE_EFFECT / AGE_SCALE / DAYS_PER_YEAR
_GIRLS: Final = float(np.exp(FEMALE_ADOLESCENT_EFFECT))


@dataclass(frozen=True)
class CrisisClock:
    """Prefix sums of the daily hazard's shape from ``first`` (before the history) to ``end``.

    ``prefix[k]`` = Σ over the days ``first`` … ``first + k − 1`` of
    exp(0.45/3.2 · d / 365.25) · w(d) / w̄ / 365.25.
    """

    prefix: np.ndarray
    first: int
    end: int

    @classmethod
    def of(cls, calendar: KazakhstanCalendar) -> CrisisClock:
        first = -BURN_IN_DAYS
        working, base = day_weights(calendar, range(first, HISTORY_DAYS))
        weights = anyday_weight(working, base)
        weights = weights / weights[-first:].mean() / DAYS_PER_YEAR
        shape = np.exp(_PER_DAY * np.arange(first, HISTORY_DAYS)) * weights
        return cls(np.concatenate([[0.0], np.cumsum(shape)]), first, HISTORY_DAYS)

    def at(self, day: np.ndarray) -> np.ndarray:
        """``prefix`` at day indices (already within ``first`` … ``end``)."""
        result: np.ndarray = self.prefix[day - self.first]
        return result


@dataclass(frozen=True)
class Pupils:
    """What the hazard needs of each child, times as day indices of the history.

    ``adolescent_from`` is a girl's twelfth birthday (``NEVER_DAY`` for boys); ``school_until``
    the first day the child is no longer at school.
    """

    log_hazard: np.ndarray
    birth_day: np.ndarray
    adolescent_from: np.ndarray
    school_from: np.ndarray
    school_until: np.ndarray

    def with_log_hazard(self, log_hazard: np.ndarray) -> Pupils:
        return Pupils(
            log_hazard, self.birth_day, self.adolescent_from, self.school_from, self.school_until
        )


def day_index(days: list[date] | np.ndarray, start: date) -> np.ndarray:
    """Days since ``start`` of each date."""
    values = np.asarray(days, dtype="datetime64[D]") - np.datetime64(start, "D")
    result: np.ndarray = values.astype(np.int64)
    return result


def twelfth_birthday(birth: date) -> date:
    """The day a child born on ``birth`` turns 12 (twelve years after a leap year is one too)."""
    return birth.replace(year=birth.year + ADOLESCENT_AGE)


def _parts(
    clock: CrisisClock, pupils: Pupils, start: np.ndarray | int, end: np.ndarray | int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(scale, first day, twelfth birthday, end day) of each child's window at school."""
    low = np.clip(np.maximum(start, pupils.school_from), clock.first, clock.end)
    high = np.clip(np.minimum(end, pupils.school_until), clock.first, clock.end)
    high = np.maximum(high, low)
    split = np.clip(pupils.adolescent_from, low, high)
    scale = np.exp(
        pupils.log_hazard - AGE_EFFECT * AGE_CENTER / AGE_SCALE - _PER_DAY * pupils.birth_day
    )
    return scale, low, split, high


def cumulative_hazard(
    clock: CrisisClock, pupils: Pupils, start: np.ndarray | int, end: np.ndarray | int
) -> np.ndarray:
    """Σ h(d) over the days ``start`` ≤ d < ``end`` of each child."""
    scale, low, split, high = _parts(clock, pupils, start, end)
    at = clock.at
    result: np.ndarray = scale * ((at(split) - at(low)) + _GIRLS * (at(high) - at(split)))
    return result


def draw_onsets(rng: np.random.Generator, clock: CrisisClock, pupils: Pupils) -> np.ndarray:
    """The day each child's episode begins (from ``clock.first``), ``NO_DAY`` where none does."""
    target = -np.log1p(-rng.random(len(pupils.log_hazard)))
    scale, low, split, high = _parts(clock, pupils, clock.first, clock.end)
    before = scale * (clock.at(split) - clock.at(low))
    total = before + scale * _GIRLS * (clock.at(high) - clock.at(split))
    began = target < total
    level = np.where(
        target <= before,
        clock.at(low) + target / scale,
        clock.at(split) + (target - before) / (scale * _GIRLS),
    )
    position = np.searchsorted(clock.prefix, np.where(began, level, 0.0), side="left") - 1
    day = np.clip(position + clock.first, low, np.maximum(high - 1, low))
    result: np.ndarray = np.where(began, day, NO_DAY)
    return result


def calibrate_intercept(
    clock: CrisisClock, pupils: Pupils, target: float, *, mean_delay: float
) -> float:
    """The constant that, added to every ``log_hazard``, gives ``target`` recorded escalations.

    An escalation is recorded when it falls in the history while the child is at school; an
    episode is counted as recorded when it begins from ``mean_delay`` days before the history to
    ``mean_delay`` days before the child leaves school or the history ends.
    """
    delay = round(mean_delay)
    end = np.minimum(pupils.school_until, clock.end) - delay
    base = cumulative_hazard(clock, pupils, -delay, end)
    low, high = -20.0, 10.0
    for _ in range(80):
        middle = (low + high) / 2
        if float(np.sum(-np.expm1(-np.exp(middle) * base))) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _delay_share(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Share of the delays ``D`` (uniform on ``DELAY_DAYS``) with ``low`` ≤ D ≤ ``high``."""
    first, last = DELAY_DAYS
    count = np.minimum(high, last) - np.maximum(low, first) + 1
    result: np.ndarray = np.clip(count, 0, None) / (last - first + 1)
    return result


def window_probability(
    clock: CrisisClock,
    pupils: Pupils,
    *,
    onset_day: np.ndarray,
    end_day: np.ndarray,
    escalated_minute: np.ndarray,
    at_day: np.ndarray,
    horizon: int = 90,
) -> np.ndarray:
    """The true probability that each child escalates in ``(at, at + horizon days]``.

    ``at`` is midnight at the start of day ``at_day``. ``onset_day`` is the day the episode
    began and ``end_day`` the day it escalated (``NO_DAY``: no episode), whether the Center
    recorded it or not; ``escalated_minute`` is the recorded escalation (-1: none). Only what
    happened before ``at`` is read: ``end_day`` only to know that an episode has ended. Cases:

    - no episode before ``at``: one begins on a day ``d`` of the window (given none before) and
      escalates by the window's end while the child is at school;
    - an episode under way: its delay ends in the window, given it had not ended before ``at``;
    - an escalation before ``at``: if it was recorded, its repeat crisis falls in the window
      (the share of the 20–300 days that do, times ``REPEAT_SHARE``); if not, nothing more
      happens.
    """
    at_day = np.asarray(at_day, dtype=np.int64)
    count = len(at_day)
    last_day = np.minimum(at_day + horizon, np.minimum(pupils.school_until, clock.end)) - 1
    ended = (end_day > NO_DAY) & (end_day < at_day)
    ongoing = (onset_day > NO_DAY) & (onset_day < at_day) & ~ended
    # an episode under way: P(D ≤ last − onset | D ≥ at − onset)
    waited = at_day - onset_day
    under_way = _delay_share(waited, last_day - onset_day) / np.maximum(
        _delay_share(waited, np.full(count, DELAY_DAYS[1])), 1e-12
    )
    # a repeat crisis after a recorded escalation
    at_minute = at_day * MINUTES_PER_DAY
    first = (at_minute - escalated_minute) // MINUTES_PER_DAY + 1
    last = np.minimum(at_minute + horizon * MINUTES_PER_DAY, REFERENCE_MINUTE)
    last = (last - escalated_minute) // MINUTES_PER_DAY
    repeats = np.clip(
        np.minimum(last, REPEAT_DAYS[1]) - np.maximum(first, REPEAT_DAYS[0]) + 1, 0, None
    )
    recorded = (escalated_minute >= 0) & (escalated_minute < at_minute)
    repeat = np.where(recorded, REPEAT_SHARE * repeats / (REPEAT_DAYS[1] - REPEAT_DAYS[0] + 1), 0)
    # no episode yet: it must begin on a day d of the window and escalate by its last day
    alive = np.ones(count)
    fresh = np.zeros(count)
    for offset in range(horizon - DELAY_DAYS[0]):
        day = at_day + offset
        today = cumulative_hazard(clock, pupils, day, day + 1)
        fresh += alive * -np.expm1(-today) * _delay_share(np.full(count, DELAY_DAYS[0]), last_day - day)
        alive *= np.exp(-today)
    result: np.ndarray = np.where(ended, repeat, np.where(ongoing, under_way, fresh))
    return result
