"""Evaluation metrics, the split (no child in both sets, no future outcome in training), targets."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from pcenter_lib.i18n import Translator
from pcenter_lib.risk.dataset import (
    RiskDataset,
    month_starts,
    plan_window,
    split_dataset,
)
from pcenter_lib.risk.evaluation import (
    GROUP_METRICS,
    JSON_KEYS,
    ORACLE_NOTE,
    check_targets,
    evaluate_predictions,
    expected_calibration_error,
    json_summary,
    miscalibrated_groups,
    observed_expected,
    oracle_note,
)


def test_observed_expected_has_an_exact_poisson_interval() -> None:
    y = np.array([1] * 10 + [0] * 90)
    p = np.full(100, 0.1)
    ratio, (low, high) = observed_expected(y, p)
    assert ratio == pytest.approx(1.0)
    # Garwood interval for 10 events: 4.7954 to 18.3904
    assert low == pytest.approx(0.47954, abs=1e-4) and high == pytest.approx(1.83904, abs=1e-4)
    assert observed_expected(np.zeros(10), np.full(10, 0.1))[1][0] == 0.0


def test_calibration_error_is_zero_when_calibrated_and_large_when_not() -> None:
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 0.2, 200_000)
    y = (rng.random(len(p)) < p).astype(int)
    assert expected_calibration_error(y, p) < 0.003
    assert expected_calibration_error(y, np.clip(p * 2, 0, 1)) > 0.05


def _report() -> dict[str, object]:
    rng = np.random.default_rng(2)
    n = 4000
    p = rng.uniform(0.0, 0.1, n)
    groups = pd.DataFrame({"sex": rng.choice(["female", "male"], n),
                           "language": rng.choice(["kk", "ru"], n),
                           "settlement": rng.choice(["urban", "rural"], n),
                           "age_band": rng.choice(["6-10", "11-14", "15-17"], n)})  # fmt: skip
    truth = np.where(groups["sex"] == "male", p * 3, p)  # boys' risk is three times the score
    y = (rng.random(n) < truth).astype(int)
    return evaluate_predictions(y, p, p > 0.07, groups, oracle=truth, reference=p)


def test_the_report_has_every_promised_key_and_names_the_miscalibrated_group() -> None:
    report = _report()
    summary = json_summary(report)
    assert tuple(summary) == JSON_KEYS
    assert set(summary["groups"]) == {"sex", "language", "settlement", "age_band"}
    for values in summary["groups"].values():
        for entry in values.values():
            assert tuple(entry) == GROUP_METRICS and len(entry["oe_ci"]) == 2
    assert summary["oracle_auc"] > summary["auc"] - 0.05
    problems = miscalibrated_groups(report, limit=1.0)
    assert ("sex", "male") in {(g, v) for g, v, _ in problems}
    assert ("sex", "female") not in {(g, v) for g, v, _ in problems}
    targets = {name: met for name, met, _ in check_targets(report)}
    assert targets["oe_interval_contains_1"] is False


def test_the_report_says_which_misses_the_true_probabilities_share() -> None:
    rng = np.random.default_rng(4)
    n = 6000
    child = rng.integers(0, 2000, n)
    truth = rng.uniform(0.0, 0.1, n)
    groups = pd.DataFrame({"sex": rng.choice(["female", "male"], n),
                           "language": rng.choice(["kk", "ru"], n),
                           "settlement": rng.choice(["urban", "rural"], n),
                           "age_band": rng.choice(["6-10", "11-14", "15-17"], n)})  # fmt: skip
    y = (rng.random(n) < np.where(groups["language"] == "ru", truth * 2, truth)).astype(int)
    model = truth * 0.5  # the model is off everywhere; the truth only where the world is
    report = evaluate_predictions(y, model, model > 0.04, groups, oracle=truth, child_ids=child)
    assert report["positive_children"] == len(np.unique(child[y == 1])) < report["positives_test"]
    oracle_groups = report["oracle"]["groups"]
    assert oracle_groups["language"]["ru"]["oe_ci"][0] > 1
    kk_low, kk_high = oracle_groups["language"]["kk"]["oe_ci"]
    assert kk_low <= 1 <= kk_high
    note = oracle_note(report)
    assert note is not None
    assert "language = ru" in note["groups"] and "language = kk" not in note["groups"]
    assert note["rows"] == report["positives_test"] and note["children"] == report["positive_children"]
    message = Translator("ru")(ORACLE_NOTE, **note)
    assert "language = ru" in message and "оракул" in message
    assert oracle_note(evaluate_predictions(y, model, model > 0.04, groups)) is None


def test_plan_window_tests_the_last_complete_school_year_and_trains_before_it() -> None:
    window = plan_window(date(2024, 9, 1), date(2026, 11, 20))
    assert window.test_dates == tuple(month_starts(date(2025, 9, 1), date(2026, 8, 1)))
    assert window.train_dates[0] == date(2024, 10, 1)
    assert window.train_dates[-1] == date(2025, 6, 1)  # its 90 days end before 1 September


def test_no_child_is_in_both_sets_and_training_outcomes_end_before_the_test_year() -> None:
    window = plan_window(date(2024, 9, 1), date(2026, 11, 20))
    dates = [*window.train_dates, *window.test_dates]
    children = np.arange(1, 401)
    rows = [(c, d) for d in dates for c in children if (c + d.month) % 3]
    data = RiskDataset(
        indicators=pd.DataFrame({"x": np.zeros(len(rows))}),
        y=np.zeros(len(rows), dtype=np.int64),
        child_id=np.array([c for c, _ in rows]),
        scored_on=np.array([np.datetime64(d) for _, d in rows], dtype="datetime64[D]"),
        groups=pd.DataFrame({"sex": ["male"] * len(rows)}),
        mandatory=np.zeros(len(rows), dtype=bool),
        dates=tuple(dates),
    )
    train, test = split_dataset(data, window)
    assert len(train) and len(test)
    assert not set(train.child_id) & set(test.child_id)
    last_outcome = train.scored_on.max() + np.timedelta64(90, "D")
    assert last_outcome < np.datetime64(window.cutoff)
    assert test.scored_on.min() >= np.datetime64(window.cutoff)
    again = split_dataset(data, window)
    assert np.array_equal(again[1].child_id, test.child_id)  # the same draw every time
    assert not math.isnan(float(len(test)) / len(data))
