"""``make_risk_pipeline``: indicators → standardization → calibrated logistic regression.

A regularized logistic regression is preferred to a boosted model: each indicator's exact
contribution to the score can be read out and shown to the supervisor who acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from pcenter_lib.risk.estimators import CalibratedLogisticRisk, IndicatorColumns

TOP_REASONS: Final = 3


def make_risk_pipeline(
    *,
    Cs: tuple[float, ...] = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
    folds: int = 5,
    bands: int = 20,
    high_band: int = 15,
) -> Pipeline:
    """An unfitted pipeline predicting escalation within 90 days from the indicators.

    Fit it with ``pipeline.fit(frame, y, model__groups=child_ids)`` so that calibration folds
    keep each child's rows together.
    """
    return Pipeline(
        [
            ("indicators", IndicatorColumns()),
            ("scale", StandardScaler()),
            ("model", CalibratedLogisticRisk(Cs=Cs, folds=folds, bands=bands, high_band=high_band)),
        ]
    )


@dataclass(frozen=True)
class Scores:
    """What the pipeline says about each row: probability, band, and the indicators raising it.

    ``top`` holds, per row, the positions in ``codes`` of up to ``TOP_REASONS`` indicators with
    the largest positive contributions (``-1`` where fewer raise the score).
    """

    probability: np.ndarray
    band: np.ndarray
    contributions: np.ndarray
    baseline: float
    codes: tuple[str, ...]
    top: np.ndarray

    def reasons(self, row: int) -> tuple[tuple[str, float], ...]:
        """(indicator code, log-odds contribution) of the indicators raising row ``row`` most."""
        return tuple(
            (self.codes[j], float(self.contributions[row, j])) for j in self.top[row] if j >= 0
        )


def score_frame(pipeline: Pipeline, frame: pd.DataFrame, top: int = TOP_REASONS) -> Scores:
    """Score the rows of ``frame``; reasons are the ``top`` indicators that raise each score most."""
    model: CalibratedLogisticRisk = pipeline.named_steps["model"]
    scaled = pipeline[:-1].transform(frame)
    probability = model.predict_proba(scaled)[:, 1]
    contributions = model.contributions(scaled)
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :top]
    raising = np.take_along_axis(contributions, order, axis=1) > 0
    return Scores(
        probability=probability,
        band=model.predict_bands(scaled),
        contributions=contributions,
        baseline=model.baseline_,
        codes=tuple(pipeline.named_steps["indicators"].columns_),
        top=np.where(raising, order, -1),
    )
