"""Temporal recalibration: bring the model's level to the most recent months, if they show it is off.

A Center's base rate can drift (new referral routes, a change in practice, a growing share of
children already known for a crisis), and a model fitted on a year of history then predicts the
level of that year. Practitioners keep the fitted effects and re-estimate the intercept on the
most recent period whose outcomes are known ("temporal recalibration": Booth et al.,
"Temporal recalibration for improving prognostic model development and risk predictions in
settings where survival is improving over time", Int. J. Epidemiol. 49(4), 2020;
"recalibration in the large": Steyerberg, *Clinical Prediction Models*, 2nd ed., 2019, ch. 20).

The intercept is only changed when the recent months show that it is wrong — their observed /
expected ratio has a 95 % interval that excludes 1 — as the first step of a closed testing
procedure for updating a prediction model (Vergouwe et al., Stat. Med. 36(28), 2017). A level
that only looks off by chance is left alone, so noise in a few months does not move the model.
Shifting the intercept moves every child's log-odds by the same amount: the order of the
queue and each indicator's contribution stay as they were.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.stats import chi2

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Recalibration:
    """What the recent months said: rows, observed and expected escalations, the shift applied."""

    rows: int
    observed: int
    expected: float
    oe_ci: tuple[float, float]
    shift: float
    updated: bool

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["oe_ci"] = list(self.oe_ci)
        return data


def poisson_interval(observed: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count ``observed``."""
    alpha = 1.0 - confidence
    low = 0.0 if observed == 0 else float(chi2.ppf(alpha / 2, 2 * observed)) / 2
    high = float(chi2.ppf(1 - alpha / 2, 2 * (observed + 1))) / 2
    return low, high


def _sigmoid(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


def level_shift(log_odds: np.ndarray, observed: float) -> float:
    """The shift ``s`` of every log-odds with Σ sigmoid(log_odds + s) = ``observed``."""
    low, high = -10.0, 10.0
    for _ in range(100):
        middle = (low + high) / 2
        if float(_sigmoid(log_odds + middle).sum()) < observed:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def recalibrate_level(log_odds: np.ndarray, y: np.ndarray) -> Recalibration:
    """The intercept shift the recent rows (``log_odds``, outcomes ``y``) call for, if any."""
    observed = int(np.sum(y))
    expected = float(_sigmoid(log_odds).sum())
    low, high = poisson_interval(observed)
    interval = (low / expected, high / expected) if expected > 0 else (0.0, float("inf"))
    if len(y) == 0 or expected <= 0 or interval[0] <= 1.0 <= interval[1]:
        return Recalibration(len(y), observed, round(expected, 6), interval, 0.0, False)
    shift = level_shift(log_odds, observed) if 0 < observed < len(y) else 0.0
    return Recalibration(len(y), observed, round(expected, 6), interval, shift, shift != 0.0)
