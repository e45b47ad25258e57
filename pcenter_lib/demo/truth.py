"""The hidden ground truth: every demo child's latent risk and whether it escalated.

The generative model (documented with the same numbers in ``data/README.md``)::

    a      = (age on DEMO_TODAY − 11.5) / 3.2
    x      = β0 + 0.45·a + 0.30·female·[age ≥ 12] + 0.70·special_needs + 0.25·rural
               + family effect + u_school + ε
    u_school ~ Normal(0, 0.35²) per school,  ε ~ Normal(0, 0.80²) per child
    latent_risk = 1 / (1 + exp(−x))

Family effects: two parents 0, single parent 0.35, recent divorce 0.75, bereavement 0.95,
guardianship 1.10. ``β0`` is found by bisection so that the mean latent risk equals the
escalation rate that makes ``DIRECT_THREAT_SHARE`` (4 %) of all journal entries direct threats.

A child escalates with probability ``latent_risk`` (one Bernoulli draw), at a moment drawn from
the any-day activity weights over the whole history (also before the child's first school year). Each
escalation becomes a direct-threat request; the latent risk also raises the chance of screening
answers at the critical level and of crisis concerns in ordinary requests (``screening``,
``history``). Tiers: ``high`` from 0.10, ``elevated`` from 0.02, else ``low``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.activity import Activity, anytime_minutes
from pcenter_lib.demo.children import Children
from pcenter_lib.demo.region import Organization
from pcenter_lib.demo.scales import (
    DEMO_TODAY,
    Scale,
    moment_of,
)

Row = dict[str, Any]
AGE_CENTER: Final = 11.5
AGE_SCALE: Final = 3.2
AGE_EFFECT: Final = 0.45
FEMALE_ADOLESCENT_EFFECT: Final = 0.30
ADOLESCENT_AGE: Final = 12
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
    """Per-child latent risk and escalation; ``rows`` for the ``demo_ground_truth`` table."""

    logit: np.ndarray
    latent: np.ndarray
    rank: np.ndarray  # percentile of latent risk, 0–1
    severity: np.ndarray  # standardized logit, used by the screening answers
    escalated: np.ndarray
    escalated_minute: np.ndarray  # -1 where the child did not escalate
    intercept: float
    rows: list[Row] = field(default_factory=list)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


def calibrate_intercept(linear: np.ndarray, target: float) -> float:
    """The ``β0`` for which the mean of ``sigmoid(β0 + linear)`` equals ``target``."""
    low, high = -20.0, 10.0
    for _ in range(80):
        middle = (low + high) / 2
        if float(_sigmoid(middle + linear).mean()) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def risk_tier(latent: float) -> str:
    """``high``, ``elevated`` or ``low`` by the fixed thresholds of ``TIERS``."""
    for name, threshold in TIERS:
        if latent >= threshold:
            return name
    return "low"


def build_truth(
    rng: np.random.Generator,
    children: Children,
    organization: Organization,
    scale: Scale,
    activity: Activity,
) -> Truth:
    """Latent risks calibrated to the scale, escalations and their moments."""
    count = children.count
    age = children.age_on(DEMO_TODAY)
    school_effect = rng.normal(0.0, SCHOOL_SD, size=len(organization.schools))
    family = np.array([FAMILY_EFFECTS[str(f)] for f in children.family])
    linear = (
        AGE_EFFECT * (age - AGE_CENTER) / AGE_SCALE
        + FEMALE_ADOLESCENT_EFFECT * (children.female & (age >= ADOLESCENT_AGE))
        + SPECIAL_NEEDS_EFFECT * children.sen
        + RURAL_EFFECT * ~organization.school_urban[children.school]
        + family
        + school_effect[children.school]
        + rng.normal(0.0, NOISE_SD, size=count)
    )
    target = DIRECT_THREAT_SHARE * scale.requests / count
    intercept = calibrate_intercept(linear, target)
    logit = intercept + linear
    latent = _sigmoid(logit)
    escalated = rng.random(count) < latent
    # Over the whole history for every child: a crisis does not wait for school to begin, and a
    # hazard squeezed into fewer school days would make the youngest look riskier each year.
    days = activity.sample_days(rng, count, office=False)
    minutes = np.where(escalated, anytime_minutes(rng, days), -1)
    rank = (np.argsort(np.argsort(latent, kind="stable"), kind="stable") + 0.5) / count
    truth = Truth(
        logit=logit,
        latent=latent,
        rank=rank,
        severity=(logit - logit.mean()) / logit.std(),
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
        }
        for i in range(count)
    ]
    return truth
