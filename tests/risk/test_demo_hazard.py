"""The synthetic region's crisis process and its oracle: the oracle is the true probability.

The oracle (``window_probability``) is checked against a simulation of the documented process
(episodes drawn by ``draw_onsets``, delays of 7–150 days, repeat crises), case by case: no
episode yet, an episode under way, an escalation already recorded.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from pcenter_lib.demo.activity import MINUTES_PER_DAY
from pcenter_lib.demo.hazard import (
    DELAY_DAYS,
    NEVER_DAY,
    NO_DAY,
    REPEAT_DAYS,
    REPEAT_SHARE,
    CrisisClock,
    Pupils,
    cumulative_hazard,
    draw_onsets,
    twelfth_birthday,
    window_probability,
)
from pcenter_lib.demo.scales import HISTORY_START
from pcenter_lib.domain.calendar import KazakhstanCalendar, load_overrides

CLOCK = CrisisClock.of(KazakhstanCalendar(load_overrides()))
AT = (date(2025, 10, 1) - HISTORY_START).days
HORIZON = 90


def _pupils(n: int, rng: np.random.Generator) -> Pupils:
    """Pupils with high hazards (so that the simulation sees many events), some leaving soon."""
    birth = rng.integers(-17 * 365, -7 * 365, size=n)
    girls = rng.random(n) < 0.5
    return Pupils(
        log_hazard=rng.normal(0.5, 0.6, size=n),
        birth_day=birth,
        adolescent_from=np.where(girls, birth + 12 * 365, NEVER_DAY),
        school_from=np.where(rng.random(n) < 0.2, AT - 60, -3000),
        school_until=np.where(rng.random(n) < 0.2, AT + 40, NEVER_DAY),
    )


def _simulate(rng: np.random.Generator, pupils: Pupils) -> tuple[np.ndarray, ...]:
    """(onset, end, escalation minute as recorded, label in the window) of one run."""
    onset = draw_onsets(rng, CLOCK, pupils)
    delay = rng.integers(DELAY_DAYS[0], DELAY_DAYS[1] + 1, size=len(onset))
    end = np.where(onset > NO_DAY, onset + delay, NO_DAY)
    recorded = (onset > NO_DAY) & (end >= 0) & (end < pupils.school_until) & (end < CLOCK.end)
    minute = np.where(recorded, end * MINUTES_PER_DAY + 14 * 60, -1)
    in_window = recorded & (end >= AT) & (end < AT + HORIZON)
    repeat = recorded & (rng.random(len(onset)) < REPEAT_SHARE)
    later = minute + rng.integers(REPEAT_DAYS[0], REPEAT_DAYS[1] + 1, size=len(onset)) * 1440
    repeat_in = repeat & (later > AT * 1440) & (later <= (AT + HORIZON) * 1440)
    return onset, end, minute, (in_window | repeat_in).astype(int)


def test_the_oracle_is_the_true_probability_of_an_escalation_in_the_window() -> None:
    rng = np.random.default_rng(11)
    pupils = _pupils(4000, rng)
    states = {"fresh": [0.0, 0], "ongoing": [0.0, 0], "ended": [0.0, 0]}
    for _ in range(25):
        onset, end, minute, label = _simulate(rng, pupils)
        p = window_probability(
            CLOCK, pupils, onset_day=onset, end_day=end, escalated_minute=minute,
            at_day=np.full(len(onset), AT), horizon=HORIZON,
        )  # fmt: skip
        ended = (end > NO_DAY) & (end < AT)
        ongoing = (onset > NO_DAY) & (onset < AT) & ~ended
        for name, mask in (("fresh", ~ended & ~ongoing), ("ongoing", ongoing), ("ended", ended)):
            states[name][0] += float(p[mask].sum())
            states[name][1] += int(label[mask].sum())
    for name, (expected, observed) in states.items():
        assert observed > 150, name  # enough events to judge
        # observed is Poisson-like around expected: within 4 standard deviations
        assert abs(observed - expected) < 4 * np.sqrt(expected), (name, observed, expected)


def test_an_episode_under_way_makes_an_escalation_likely_and_a_child_out_of_school_cannot() -> None:
    pupils = _pupils(3, np.random.default_rng(3))
    pupils = Pupils(
        np.full(3, -3.0), pupils.birth_day, np.full(3, NEVER_DAY),
        np.full(3, -3000), np.array([NEVER_DAY, NEVER_DAY, AT]),
    )  # fmt: skip
    p = window_probability(
        CLOCK, pupils, onset_day=np.array([AT - 30, NO_DAY, AT - 30]),
        end_day=np.array([AT + 5, NO_DAY, AT + 5]), escalated_minute=np.full(3, -1),
        at_day=np.full(3, AT),
    )  # fmt: skip
    # under way for 30 days: the delay ends in the next 90 days with chance 90 / 121
    assert p[0] == pytest.approx(90 / 121)
    assert 0 < p[1] < 0.05
    assert p[2] == 0.0  # it left school on the scoring day; nothing more is recorded


def test_the_hazard_is_zero_out_of_school_and_higher_for_girls_from_twelve() -> None:
    birth = -12 * 365 - 100
    twelfth = birth + 12 * 365
    pupils = Pupils(
        np.zeros(3), np.full(3, birth), np.array([NEVER_DAY, twelfth, twelfth]),
        np.array([-3000, -3000, 200]), np.full(3, NEVER_DAY),
    )  # fmt: skip
    year = cumulative_hazard(CLOCK, pupils, 0, 365)
    assert year[1] == pytest.approx(year[0] * np.exp(0.30))
    assert cumulative_hazard(CLOCK, pupils, 0, 200)[2] == 0.0 < year[2]
    assert twelfth_birthday(date(2012, 2, 29)) == date(2024, 2, 29)
