"""Evaluation metrics, the split (no child in both sets, no future outcome in training), targets."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

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


def _poisson_interval(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """The interval the evaluation used before: exact Poisson on the count of positive rows."""
    observed, expected = float(np.sum(y)), float(np.sum(p))
    low = 0.0 if observed == 0 else chi2.ppf(0.025, 2 * observed) / 2
    return low / expected, chi2.ppf(0.975, 2 * (observed + 1)) / 2 / expected


def _one_row_per_child(n: int = 3000, seed: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.0, 0.1, n)
    return (rng.random(n) < p).astype(int), p, np.arange(n)


def test_with_independent_children_the_interval_is_close_to_the_exact_poisson_one() -> None:
    y, p, child = _one_row_per_child()
    ratio, (low, high) = observed_expected(y, p, child)
    assert ratio == pytest.approx(y.sum() / p.sum())
    poisson_low, poisson_high = _poisson_interval(y, p)
    assert low == pytest.approx(poisson_low, rel=0.08) and high == pytest.approx(poisson_high, rel=0.08)
    assert low < ratio < high


def test_a_child_counted_in_several_rows_does_not_narrow_the_interval() -> None:
    # Every child scored on three dates whose windows all hold its one escalation: three times
    # the rows and the positive rows, but no more evidence. Counting rows as independent events
    # narrows the interval by √3; clustering by child keeps it as it was.
    y, p, child = _one_row_per_child()
    single = observed_expected(y, p, child)
    tripled = observed_expected(np.repeat(y, 3), np.repeat(p, 3), np.repeat(child, 3))
    assert tripled[0] == pytest.approx(single[0])
    assert tripled[1] == pytest.approx(single[1], rel=1e-9)
    rows_low, rows_high = _poisson_interval(np.repeat(y, 3), np.repeat(p, 3))
    width = tripled[1][1] - tripled[1][0]
    assert width > 1.5 * (rows_high - rows_low)  # the old interval was √3 ≈ 1.73 times narrower
    # without child codes every row is its own child: the old, too narrow width again
    unclustered = observed_expected(np.repeat(y, 3), np.repeat(p, 3))
    assert unclustered[1][1] - unclustered[1][0] < 0.7 * width


def test_the_interval_is_seeded_and_an_empty_count_keeps_the_exact_upper_bound() -> None:
    y, p, child = _one_row_per_child(400, seed=9)
    assert observed_expected(y, p, child) == observed_expected(y, p, child)
    assert observed_expected(y, p, child, seed=1) != observed_expected(y, p, child, seed=2)
    ratio, (low, high) = observed_expected(np.zeros(10), np.full(10, 0.1), np.arange(10))
    assert (ratio, low) == (0.0, 0.0) and high == pytest.approx(3.68888 / 1.0, abs=1e-4)
    assert math.isnan(observed_expected(np.zeros(3), np.zeros(3))[0])


def test_every_interval_of_the_report_is_clustered_by_child() -> None:
    rng = np.random.default_rng(3)
    n = 3000
    p = rng.uniform(0.0, 0.1, n)
    y = (rng.random(n) < p).astype(int)
    groups = pd.DataFrame({"sex": rng.choice(["female", "male"], n),
                           "language": rng.choice(["kk", "ru"], n),
                           "settlement": rng.choice(["urban", "rural"], n),
                           "age_band": rng.choice(["6-10", "11-14", "15-17"], n)})  # fmt: skip
    child = np.arange(n)
    once = evaluate_predictions(y, p, p > 0.07, groups, oracle=p, child_ids=child)
    thrice = evaluate_predictions(
        np.repeat(y, 3), np.repeat(p, 3), np.repeat(p, 3) > 0.07,
        groups.loc[groups.index.repeat(3)].reset_index(drop=True),
        oracle=np.repeat(p, 3), child_ids=np.repeat(child, 3),
    )  # fmt: skip

    def widths(report: dict[str, object]) -> list[float]:
        entries = [report, report["top_decile"], report["oracle"]]  # type: ignore[list-item]
        for key in ("groups",):
            for values in report[key].values():  # type: ignore[attr-defined]
                entries.extend(values.values())
            for values in report["oracle"][key].values():  # type: ignore[index]
                entries.extend(values.values())
        return [e["oe_ci"][1] - e["oe_ci"][0] for e in entries]  # type: ignore[index]

    assert widths(thrice) == pytest.approx(widths(once), rel=1e-4)


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
