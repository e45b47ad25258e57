"""The risk model's estimators, following scikit-learn's contract.

``IndicatorColumns`` picks the documented indicators from a frame, in a fixed order, refuses
missing or empty values, and keeps each indicator's training distribution for the drift check
(population stability index). ``CalibratedLogisticRisk`` is an L2-regularized logistic
regression calibrated with ``CalibratedClassifierCV`` (Platt's sigmoid, one model refitted on
all data, ``ensemble=False``), with folds that keep each child's rows together. Because both
the model and the calibration are linear in the log-odds, the calibrated log-odds of a child is
exactly the average child's plus one contribution per indicator (``contributions``), which is
what the supervisor reads as reasons. Bands 1–20 are the ventiles of the calibrated
probability on the training rows (as the AFST's scores 1–20).

Parameters are stored as given in ``__init__``; everything learnt ends in ``_``
(scikit-learn's "Developing scikit-learn estimators" guide).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.utils.validation import check_is_fitted, validate_data

from pcenter_lib.domain.risk_indicators import INDICATOR_CODES
from pcenter_lib.errors import PcenterError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.risk.recalibration import recalibrate_level

PSI_EPSILON: Final = 1e-4


class IndicatorFrameError(PcenterError, ValueError):
    """The indicators given to the model lack columns or hold empty values."""


class IndicatorColumns(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Select ``columns`` from a DataFrame in order; remember their distribution for drift."""

    def __init__(self, columns: Sequence[str] = INDICATOR_CODES, drift_bins: int = 10) -> None:
        self.columns = columns
        self.drift_bins = drift_bins

    def _matrix(self, frame: pd.DataFrame) -> np.ndarray:
        if not isinstance(frame, pd.DataFrame):
            raise IndicatorFrameError(N_("The model needs a table of named indicators."))
        missing = [c for c in self.columns if c not in frame.columns]
        if missing:
            raise IndicatorFrameError(
                N_("The indicators {columns} are missing."), columns=", ".join(missing)
            )
        matrix = frame[list(self.columns)].to_numpy(dtype=np.float64)
        if not np.isfinite(matrix).all():
            raise IndicatorFrameError(N_("Some indicators are empty or not finite."))
        return matrix

    def fit(self, X: pd.DataFrame, y: Any = None) -> IndicatorColumns:
        matrix = self._matrix(X)
        self.columns_ = tuple(self.columns)
        self.n_features_in_ = len(self.columns_)
        quantiles = np.linspace(0.0, 1.0, self.drift_bins + 1)[1:-1]
        self.reference_edges_ = [
            np.unique(np.quantile(matrix[:, j], quantiles)) for j in range(matrix.shape[1])
        ]
        self.reference_shares_ = [
            _shares(matrix[:, j], edges) for j, edges in enumerate(self.reference_edges_)
        ]
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "columns_")
        return self._matrix(X)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "columns_")
        return np.asarray(self.columns_, dtype=object)

    def population_stability(self, X: pd.DataFrame) -> dict[str, float]:
        """PSI of each indicator between the training rows and ``X``: Σ (q − p)·ln(q / p)."""
        check_is_fitted(self, "columns_")
        matrix = self._matrix(X)
        result = {}
        for j, code in enumerate(self.columns_):
            p = np.maximum(self.reference_shares_[j], PSI_EPSILON)
            q = np.maximum(_shares(matrix[:, j], self.reference_edges_[j]), PSI_EPSILON)
            result[code] = float(np.sum((q - p) * np.log(q / p)))
        return result


def _shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    bins = np.searchsorted(edges, values, side="left")
    counts = np.bincount(bins, minlength=len(edges) + 1).astype(np.float64)
    result: np.ndarray = counts / max(len(values), 1)
    return result


def _best_strength(
    X: np.ndarray,
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    strengths: Sequence[float],
    max_iter: int,
) -> float:
    """The inverse L2 strength with the lowest cross-validated log-loss over ``splits``."""
    losses = []
    for C in strengths:
        predicted = np.zeros(len(y))
        for train, test in splits:
            model = LogisticRegression(C=C, max_iter=max_iter).fit(X[train], y[train])
            predicted[test] = model.predict_proba(X[test])[:, 1]
        losses.append(log_loss(y, predicted, labels=[0, 1]))
    return float(strengths[int(np.argmin(losses))])


class CalibratedLogisticRisk(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Regularized logistic regression, sigmoid-calibrated, with bands and exact contributions.

    ``Cs`` are the inverse L2 strengths tried; the one with the best grouped cross-validated
    log-loss is kept (``C_``). ``folds`` is the number of folds (grouped by child when ``fit``
    gets ``groups``), ``bands`` the number of equal-count bands and ``high_band`` the first
    band ``predict`` marks as selected for priority review. A model whose calibration slope is
    not positive ranks no better than chance out of sample; it is refused, never inverted.
    ``fit`` may name the ``recent`` rows (the latest months with known outcomes): if they show
    the level is off, the calibration intercept is re-estimated on them
    (``pcenter_lib.risk.recalibration``; what they showed is kept in ``recalibration_``).
    """

    def __init__(
        self, Cs: tuple[float, ...] = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0), folds: int = 5,
        bands: int = 20, high_band: int = 15, max_iter: int = 2000,
    ) -> None:  # fmt: skip
        self.Cs = Cs
        self.folds = folds
        self.bands = bands
        self.high_band = high_band
        self.max_iter = max_iter

    def fit(
        self, X: Any, y: Any, groups: Any = None, recent: Any = None
    ) -> CalibratedLogisticRisk:
        X, y = validate_data(self, X, y)
        self.classes_ = np.unique(y)
        if not np.array_equal(self.classes_, [0, 1]):
            raise ValidationError(
                N_("The training rows need both outcomes (escalated and not); found {found}."),
                found=", ".join(str(c) for c in self.classes_),
            )
        if groups is not None:
            # Folds keep each child's rows together AND hold the same share of escalations:
            # with rare outcomes and a weak signal, folds whose base rates differ make pooled
            # out-of-fold scores rank worse than chance (Parker, Günter & Bedo, "Stratification
            # bias in low signal microarray studies", BMC Bioinformatics 8:326, 2007).
            grouped = StratifiedGroupKFold(n_splits=self.folds, shuffle=True, random_state=0)
            splits = list(grouped.split(X, y, np.asarray(groups)))
        else:
            stratified = StratifiedKFold(n_splits=self.folds, shuffle=True, random_state=0)
            splits = list(stratified.split(X, y))
        self.C_ = _best_strength(X, y, splits, self.Cs, self.max_iter)
        base = LogisticRegression(C=self.C_, max_iter=self.max_iter)
        self.calibrated_ = CalibratedClassifierCV(
            base, method="sigmoid", cv=splits, ensemble=False
        ).fit(X, y)
        fitted = self.calibrated_.calibrated_classifiers_[0]
        self.coef_ = np.asarray(fitted.estimator.coef_[0], dtype=np.float64)
        self.intercept_ = float(fitted.estimator.intercept_[0])
        sigmoid = fitted.calibrators[0]
        # sklearn's sigmoid: p = 1 / (1 + exp(a·f + b)), so log-odds = −a·f − b
        self.calibration_slope_ = float(-sigmoid.a_)
        self.calibration_intercept_ = float(-sigmoid.b_)
        if self.calibration_slope_ <= 0:
            raise ValidationError(
                N_(
                    "The indicators do not rank escalations out of sample (calibration slope "
                    "{slope}, {count} escalations in the training rows); the model is refused. "
                    "More history is needed: the demo's region scale (pcenter demo --scale "
                    "region) holds about 270 escalations in its training months."
                ),
                slope=round(self.calibration_slope_, 3),
                count=int(np.sum(y)),
            )
        self.recalibration_: dict[str, Any] = {}
        if recent is not None:
            chosen = np.asarray(recent, dtype=bool)
            children = None if groups is None else np.asarray(groups)[chosen]
            level = recalibrate_level(self.decision_function(X[chosen]), y[chosen], children)
            self.calibration_intercept_ += level.shift
            self.recalibration_ = level.as_dict()
        self.feature_means_ = X.mean(axis=0)
        probability = self.predict_proba(X)[:, 1]
        self.band_edges_ = np.quantile(probability, np.linspace(0, 1, self.bands + 1)[1:-1])
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Calibrated log-odds of escalation."""
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, reset=False)
        raw = X @ self.coef_ + self.intercept_
        result: np.ndarray = self.calibration_slope_ * raw + self.calibration_intercept_
        return result

    def predict_proba(self, X: Any) -> np.ndarray:
        probability = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - probability, probability])

    def predict_bands(self, X: Any) -> np.ndarray:
        """Band 1–``bands`` of each row (equal-count bands of the training probabilities)."""
        probability = self.predict_proba(X)[:, 1]
        result: np.ndarray = 1 + np.searchsorted(self.band_edges_, probability, side="right")
        return result

    def predict(self, X: Any) -> np.ndarray:
        """1 where the band is ``high_band`` or above (selected for priority review), else 0."""
        result: np.ndarray = (self.predict_bands(X) >= self.high_band).astype(np.int64)
        return result

    def contributions(self, X: Any) -> np.ndarray:
        """Each indicator's exact share of the calibrated log-odds, against the average child.

        ``decision_function(X) == baseline_ + contributions(X).sum(axis=1)``.
        """
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, reset=False)
        result: np.ndarray = self.calibration_slope_ * self.coef_ * (X - self.feature_means_)
        return result

    @property
    def baseline_(self) -> float:
        """Calibrated log-odds of the average training child."""
        check_is_fitted(self, "coef_")
        raw = float(self.feature_means_ @ self.coef_) + self.intercept_
        return self.calibration_slope_ * raw + self.calibration_intercept_
