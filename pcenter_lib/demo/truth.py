"""The hidden ground truth: every demo child's risk, its crisis episode and whether it escalated.

The generative model (documented with the same numbers in ``data/README.md``)::

    η        = β0 + 0.70·special_needs + 0.25·rural + family effect + u_school + ε
    u_school ~ Normal(0, 0.35²) per school,  ε ~ Normal(0, 0.80²) per child

Family effects: two parents 0, single parent 0.35, recent divorce 0.75, bereavement 0.95,
guardianship 1.10. ``η`` is the child's static log-hazard; ``hazard`` adds the age the child has
on each day (0.45 per 3.2 years, 0.30 more for girls from 12), the season and the growth of the
Center's work, and draws the day a crisis episode begins, while the child is at school. The
episode escalates 7–150 days later; the escalation is recorded (``escalated``) when the child is
still at school, within the history. Episodes begin from 150 days before the history, so
those under way when the records begin escalate within them. ``β0`` is found by bisection so that
``DIRECT_THREAT_SHARE`` (4 %) of all journal entries are such escalations, in expectation.

``latent_risk`` is the chance that an episode begins while the child is at school during the
history; ``severity`` (the standardized risk logit with the age on ``DEMO_TODAY``) and ``rank``
(its percentile) shape how often a child reaches the Center and what its requests are about
(``journal``, ``casework``). Tiers: ``high`` from 0.10, ``elevated`` from 0.02, else ``low``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.activity import MINUTES_PER_DAY, REFERENCE_MINUTE
from pcenter_lib.demo.children import Children
from pcenter_lib.demo.hazard import (
    ADOLESCENT_AGE,
    AGE_CENTER,
    AGE_EFFECT,
    AGE_SCALE,
    DELAY_DAYS,
    FEMALE_ADOLESCENT_EFFECT,
    NEVER_DAY,
    NO_DAY,
    CrisisClock,
    Pupils,
    calibrate_intercept,
    cumulative_hazard,
    day_index,
    draw_onsets,
    twelfth_birthday,
)
from pcenter_lib.demo.region import Organization
from pcenter_lib.demo.scales import DEMO_TODAY, HISTORY_START, Scale, day_of, moment_of
from pcenter_lib.domain.calendar import KazakhstanCalendar

Row = dict[str, Any]
SPECIAL_NEEDS_EFFECT: Final = 0.70
RURAL_EFFECT: Final = 0.25
FAMILY_EFFECTS: Final = {
    "two_parents": 0.0,
    "single_parent": 0.35,
    "divorce": 0.75,
    "bereavement": 0.95,
    "guardianship": 1.10,
}
SCHOOL_SD: Final = 0.35
NOISE_SD: Final = 0.80
DIRECT_THREAT_SHARE: Final = 0.04
TIERS: Final = (("high", 0.10), ("elevated", 0.02))


@dataclass
class Truth:
    """Per-child risk, episode and escalation; ``rows`` for the ``demo_ground_truth`` table."""

    logit: np.ndarray  # static log-hazard plus the age effects on DEMO_TODAY
    latent: np.ndarray
    rank: np.ndarray  # percentile of ``logit``, 0–1
    severity: np.ndarray  # standardized ``logit``, used by the screening answers
    pupils: Pupils
    onset_day: np.ndarray  # day the episode began (before the history too); NO_DAY: none
    episode_end_day: np.ndarray  # onset + delay, recorded or not; NO_DAY where none began
    escalated: np.ndarray
    escalated_minute: np.ndarray  # -1 where the child did not escalate
    intercept: float
    rows: list[Row] = field(default_factory=list)


def risk_tier(latent: float) -> str:
    """``high``, ``elevated`` or ``low`` by the fixed thresholds of ``TIERS``."""
    for name, threshold in TIERS:
        if latent >= threshold:
            return name
    return "low"


def pupils_of(children: Children, log_hazard: np.ndarray) -> Pupils:
    """The hazard's view of ``children`` (day indices of the history)."""
    school_from, school_until = children.school_days()
    twelfth = day_index([twelfth_birthday(b) for b in children.birth], HISTORY_START)
    return Pupils(
        log_hazard=log_hazard,
        birth_day=day_index(children.birth, HISTORY_START),
        adolescent_from=np.where(children.female, twelfth, NEVER_DAY),
        school_from=school_from,
        school_until=school_until,
    )


def _escalations(
    rng: np.random.Generator, onset: np.ndarray, pupils: Pupils
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(episode end day, escalated, escalated minute) after a delay of 7–150 days.

    Only an escalation within the history, while the child is at school, is recorded.
    """
    began = onset > NO_DAY
    delay = rng.integers(DELAY_DAYS[0], DELAY_DAYS[1] + 1, size=len(onset))
    end_day = np.where(began, onset + delay, NO_DAY)
    # a crisis happens from 08:00 to 23:00, most of them in the afternoon
    hours = np.clip(rng.normal(14.5, 3.5, size=len(onset)), 8.0, 22.9)
    minute = end_day * MINUTES_PER_DAY + (hours * 60).astype(np.int64)
    escalated = (
        began & (end_day >= 0) & (end_day < pupils.school_until) & (minute < REFERENCE_MINUTE)
    )
    return end_day, escalated, np.where(escalated, minute, -1)


def build_truth(
    rng: np.random.Generator,
    children: Children,
    organization: Organization,
    scale: Scale,
    calendar: KazakhstanCalendar,
) -> Truth:
    """Risks calibrated to the scale, crisis episodes, escalations and their moments."""
    count = children.count
    school_effect = rng.normal(0.0, SCHOOL_SD, size=len(organization.schools))
    family = np.array([FAMILY_EFFECTS[str(f)] for f in children.family])
    static = (
        SPECIAL_NEEDS_EFFECT * children.sen
        + RURAL_EFFECT * ~organization.school_urban[children.school]
        + family
        + school_effect[children.school]
        + rng.normal(0.0, NOISE_SD, size=count)
    )
    clock = CrisisClock.of(calendar)
    mean_delay = (DELAY_DAYS[0] + DELAY_DAYS[1]) / 2
    intercept = calibrate_intercept(
        clock,
        pupils_of(children, static),
        DIRECT_THREAT_SHARE * scale.requests,
        mean_delay=mean_delay,
    )
    pupils = pupils_of(children, intercept + static)
    onset = draw_onsets(rng, clock, pupils)
    end_day, escalated, minutes = _escalations(rng, onset, pupils)
    latent = -np.expm1(-cumulative_hazard(clock, pupils, 0, clock.end))
    age = children.age_on(DEMO_TODAY)
    logit = (
        pupils.log_hazard
        + AGE_EFFECT * (age - AGE_CENTER) / AGE_SCALE
        + FEMALE_ADOLESCENT_EFFECT * (children.female & (age >= ADOLESCENT_AGE))
    )
    rank = (np.argsort(np.argsort(logit, kind="stable"), kind="stable") + 0.5) / count
    truth = Truth(
        logit=logit,
        latent=latent,
        rank=rank,
        severity=(logit - logit.mean()) / logit.std(),
        pupils=pupils,
        onset_day=onset,
        episode_end_day=end_day,
        escalated=escalated,
        escalated_minute=minutes,
        intercept=intercept,
    )
    truth.rows = [
        {
            "child_id": i + 1,
            "latent_risk": float(latent[i]),
            "risk_tier": risk_tier(float(latent[i])),
            "family_situation": str(children.family[i]),
            "escalated": bool(escalated[i]),
            "escalated_at": moment_of(int(minutes[i])) if escalated[i] else None,
            "log_hazard": float(pupils.log_hazard[i]),
            "episode_began_on": day_of(int(onset[i])) if onset[i] > NO_DAY else None,
            "episode_ended_on": day_of(int(end_day[i])) if onset[i] > NO_DAY else None,
            "school_from": HISTORY_START + timedelta(days=int(pupils.school_from[i])),
            "school_until": (
                HISTORY_START + timedelta(days=int(pupils.school_until[i]))
                if children.left[i]
                else None
            ),
        }
        for i in range(count)
    ]
    return truth
