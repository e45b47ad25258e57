"""The risk pipeline: scikit-learn's contract, exact reasons, bands, skops persistence."""

from __future__ import annotations

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from pcenter_lib.domain.risk_indicators import INDICATOR_CODES, compute_indicators
from pcenter_lib.risk.estimators import CalibratedLogisticRisk, IndicatorFrameError
from pcenter_lib.risk.persistence import (
    UntrustedModelError,
    dump_pipeline,
    fingerprint,
    load_pipeline,
)
from pcenter_lib.risk.pipeline import make_risk_pipeline, score_frame
from tests.risk.histories import AT, synthetic_history, synthetic_outcome

N = 3000


@pytest.fixture(scope="module")
def fitted() -> tuple[Pipeline, object]:
    history = synthetic_history(N, seed=3)
    rows = np.arange(N)
    frame = compute_indicators(history, AT, rows)
    y = synthetic_outcome(history, rows)
    pipeline = make_risk_pipeline()
    pipeline.fit(frame, y, model__groups=frame.index.to_numpy())
    return pipeline, frame


def test_parameters_are_stored_as_given_and_fitted_state_ends_in_underscore(
    fitted: tuple[Pipeline, object],
) -> None:
    model = CalibratedLogisticRisk(Cs=(0.1, 1.0), folds=4, bands=10, high_band=8)
    assert model.get_params() == {"Cs": (0.1, 1.0), "folds": 4, "bands": 10, "high_band": 8,
                                  "max_iter": 2000}  # fmt: skip
    assert clone(model).get_params() == model.get_params()
    assert not [k for k in vars(model) if k.endswith("_")]
    with pytest.raises(NotFittedError):
        model.predict_proba(np.zeros((1, 3)))
    pipeline, _ = fitted
    learnt = pipeline.named_steps["model"]
    for name in ("C_", "coef_", "intercept_", "calibration_slope_", "band_edges_", "classes_"):
        assert hasattr(learnt, name)
    assert learnt.C_ in learnt.Cs and learnt.calibration_slope_ > 0


def test_contributions_add_up_exactly_to_the_calibrated_log_odds(
    fitted: tuple[Pipeline, object],
) -> None:
    pipeline, frame = fitted
    model = pipeline.named_steps["model"]
    scaled = pipeline[:-1].transform(frame)
    total = model.baseline_ + model.contributions(scaled).sum(axis=1)
    np.testing.assert_allclose(total, model.decision_function(scaled), rtol=1e-10, atol=1e-10)
    scores = score_frame(pipeline, frame)
    assert set(np.unique(scores.band)) <= set(range(1, 21))
    assert 15 <= len(np.unique(scores.band)) <= 20
    order = np.argsort(scores.probability)
    assert np.all(np.diff(scores.band[order]) >= 0)  # bands follow the probability
    for reasons in (scores.reasons(i) for i in range(200)):
        assert len(reasons) <= 3 and all(value > 0 for _, value in reasons)
        assert all(code in INDICATOR_CODES for code, _ in reasons)
    critical = frame["screening_critical_6m"].to_numpy() == 1
    assert scores.probability[critical].mean() > scores.probability[~critical].mean()


def test_missing_or_empty_indicators_are_refused(fitted: tuple[Pipeline, object]) -> None:
    pipeline, frame = fitted
    with pytest.raises(IndicatorFrameError, match="missing"):
        pipeline.predict_proba(frame.drop(columns=["female"]))
    broken = frame.copy()
    broken.iloc[0, 0] = np.nan
    with pytest.raises(IndicatorFrameError):
        pipeline.predict_proba(broken)


def test_skops_round_trip_gives_the_same_scores(fitted: tuple[Pipeline, object]) -> None:
    pipeline, frame = fitted
    data = dump_pipeline(pipeline)
    loaded = load_pipeline(data, expected_sha256=fingerprint(data))
    np.testing.assert_array_equal(loaded.predict_proba(frame), pipeline.predict_proba(frame))
    drift = loaded.named_steps["indicators"].population_stability(frame)
    assert set(drift) == set(INDICATOR_CODES) and max(drift.values()) < 1e-6
    shifted = frame.assign(age_years=frame["age_years"] + 6)
    assert loaded.named_steps["indicators"].population_stability(shifted)["age_years"] > 0.25


def test_an_untrusted_model_file_is_refused_naming_the_types(
    fitted: tuple[Pipeline, object],
) -> None:
    pipeline, _ = fitted
    tampered = Pipeline([("evil", FunctionTransformer(eval)), *pipeline.steps])
    data = sio.dumps(tampered)
    with pytest.raises(UntrustedModelError, match="untrusted types") as refused:
        load_pipeline(data)
    assert "builtins.eval" in str(refused.value)


def test_a_changed_or_damaged_file_is_refused(fitted: tuple[Pipeline, object]) -> None:
    pipeline, _ = fitted
    data = dump_pipeline(pipeline)
    with pytest.raises(UntrustedModelError, match="fingerprint"):
        load_pipeline(data, expected_sha256="0" * 64)
    with pytest.raises(UntrustedModelError, match="cannot be read"):
        load_pipeline(b"not a zip file")
