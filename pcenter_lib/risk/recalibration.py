"""Temporal recalibration: bring the model's level to the most recent months, if they show it is off.

A Center's base rate can drift (new referral routes, a change in practice, a growing share of
children already known for a crisis), and a model fitted on a year of history then predicts the
level of that year. Practitioners keep the fitted effects and re-estimate the intercept on the
most recent period whose outcomes are known ("temporal recalibration": Booth et al.,
"Temporal recalibration for improving prognostic model development and risk predictions in
settings where survival is improving over time", Int. J. Epidemiol. 49(4), 2020;
"recalibration in the large": Steyerberg, *Clinical Prediction Models*, 2nd ed., 2019, ch. 20).

The intercept is only changed when the recent months show that it is wrong, as the first step
of a closed testing procedure for updating a prediction model (Vergouwe et al., Stat. Med.
36(28), 2017): the score test of an intercept shift, z = Σ(y − p) / √V, rejects at the 5 %
level. A child scored on several dates counts in several rows whose 90-day windows overlap, so V
is the robust (sandwich) variance over children, Σ over children of (Σ of its rows' y − p)²
(Liang & Zeger, "Longitudinal data analysis using generalized linear models", Biometrika 73(1),
1986). A level that only looks off by chance is left alone, so noise in a few months does not
move the model.
Shifting the intercept moves every child's log-odds by the same amount: the order of the
queue and each indicator's contribution stay as they were.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np

CRITICAL_Z: Final = 1.959964  # two-sided 5 %


@dataclass(frozen=True)
class Recalibration:
    """What the recent months said: rows, observed and expected escalations, z, the shift."""

    rows: int
    observed: int
    expected: float
    z: float
    shift: float
    updated: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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


def level_score(y: np.ndarray, p: np.ndarray, clusters: np.ndarray | None = None) -> float:
    """z of the score test for an intercept shift, Σ(y − p) / √V, V robust over ``clusters``."""
    residual = np.asarray(y, dtype=np.float64) - p
    if clusters is None:
        variance = float(np.sum(p * (1 - p)))
    else:
        _, index = np.unique(np.asarray(clusters), return_inverse=True)
        variance = float(np.sum(np.bincount(index, weights=residual) ** 2))
    return float(residual.sum() / np.sqrt(variance)) if variance > 0 else 0.0


def recalibrate_level(
    log_odds: np.ndarray, y: np.ndarray, clusters: np.ndarray | None = None
) -> Recalibration:
    """The intercept shift the recent rows (``log_odds``, outcomes ``y``) call for, if any.

    ``clusters`` names each row's child, so that rows of one child count as one source of
    evidence.
    """
    p = _sigmoid(log_odds)
    observed = int(np.sum(y))
    z = level_score(y, p, clusters)
    if len(y) == 0 or abs(z) < CRITICAL_Z or not 0 < observed < len(y):
        return Recalibration(len(y), observed, round(float(p.sum()), 6), round(z, 4), 0.0, False)
    shift = level_shift(log_odds, observed)
    return Recalibration(len(y), observed, round(float(p.sum()), 6), round(z, 4), shift, True)
