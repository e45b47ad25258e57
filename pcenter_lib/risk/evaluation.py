"""How good and how fair a risk model is on held-out rows: the metrics of the evaluation report.

- Discrimination: AUC and PR-AUC (average precision), scikit-learn's ``roc_auc_score`` and
  ``average_precision_score``.
- Calibration: Brier score; expected calibration error over ``ECE_BINS`` equal-count bins
  (Σ share of rows × |mean predicted − observed|); the calibration curve
  (``sklearn.calibration.calibration_curve``, quantile bins); and, because escalations are rare,
  the observed/expected ratio O/E = observed escalations ÷ Σ predicted probabilities with a 95 %
  interval from a bootstrap clustered by child (``observed_expected``). A group whose interval
  excludes 1 is miscalibrated.
- Per group (sex, language of instruction, urban/rural, age band): n, positives, AUC,
  calibration error, O/E with interval, selection rate and false-negative rate of "selected for
  priority review" (band ``high_band`` or above), with fairlearn's ``MetricFrame``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame, false_negative_rate, selection_rate
from scipy.stats import chi2
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from pcenter_lib.i18n import N_

ECE_BINS: Final = 10
CONFIDENCE: Final = 0.95
BOOTSTRAP_REPLICATES: Final = 2000
BOOTSTRAP_SEED: Final = 264  # fixed: the same rows give the same interval everywhere
_BOOTSTRAP_CELLS: Final = 2_000_000  # cluster draws held in memory at once
GROUP_METRICS: Final = (
    "n", "positives", "auc", "calibration_error", "oe_ratio", "oe_ci", "selection_rate",
    "false_negative_rate",
)  # fmt: skip


def _number(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 6)


def safe_auc(y: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC, or NaN when only one outcome occurs."""
    return float(roc_auc_score(y, p)) if len(np.unique(y)) == 2 else math.nan


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = ECE_BINS) -> float:
    """Σ (rows in bin / rows) × |mean predicted − observed| over equal-count bins."""
    if len(y) == 0:
        return math.nan
    order = np.argsort(p, kind="stable")
    total = 0.0
    for chunk in np.array_split(order, min(bins, len(order))):
        total += len(chunk) * abs(float(np.mean(p[chunk])) - float(np.mean(y[chunk])))
    return total / len(y)


def observed_expected(
    y: np.ndarray,
    p: np.ndarray,
    clusters: np.ndarray | None = None,
    *,
    replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, tuple[float, float]]:
    """O/E and its 95 % interval from a bootstrap clustered by child.

    A child scored on several dates is several rows whose 90-day windows overlap, so one
    escalation counts in up to three rows: the rows are not independent events, and an interval
    that treats them so (an exact Poisson interval for the count of positive rows) is too
    narrow. The children are the independent units. Each replicate draws as many children as
    there are, with replacement, and takes Σ observed ÷ Σ expected over all the rows of the
    children drawn; the interval is the 2.5th and 97.5th percentile of ``replicates`` such ratios
    (the cluster, or "case resampling", bootstrap: Davison & Hinkley, *Bootstrap Methods and
    their Application*, 1997, section 3.8; Field & Welsh, "Bootstrapping clustered data",
    JRSS B 69(3), 2007). The generator is seeded (``seed``), so the same rows give the same
    interval on every run and every machine.

    ``clusters`` names each row's child; without it every row is its own cluster. With no
    escalation at all no resample can show one, so the interval is then the exact Poisson one for
    a count of zero (Garwood 1936), [0, 3.69 ÷ E].
    """
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    expected = float(np.sum(p))
    if expected <= 0:
        return math.nan, (math.nan, math.nan)
    observed = float(np.sum(y))
    if observed == 0:
        alpha = 1.0 - CONFIDENCE
        return 0.0, (0.0, float(chi2.ppf(1 - alpha / 2, 2)) / 2 / expected)
    keys = np.arange(len(y)) if clusters is None else np.asarray(clusters)
    _, index = np.unique(keys, return_inverse=True)
    per_child_o = np.bincount(index, weights=y)
    per_child_e = np.bincount(index, weights=p)
    ratios = _bootstrap_ratios(per_child_o, per_child_e, replicates, seed)
    alpha = 1.0 - CONFIDENCE
    low, high = np.nanquantile(ratios, [alpha / 2, 1 - alpha / 2])
    return observed / expected, (float(low), float(high))


def _bootstrap_ratios(
    observed: np.ndarray, expected: np.ndarray, replicates: int, seed: int
) -> np.ndarray:
    """Σ O ÷ Σ E over ``replicates`` resamples of the clusters (drawn in blocks to bound memory)."""
    rng = np.random.default_rng(seed)
    count = len(observed)
    block = max(1, min(replicates, _BOOTSTRAP_CELLS // max(count, 1)))
    ratios = np.empty(replicates, dtype=np.float64)
    done = 0
    while done < replicates:
        size = min(block, replicates - done)
        drawn = rng.integers(0, count, size=(size, count))
        e = expected[drawn].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios[done : done + size] = np.where(e > 0, observed[drawn].sum(axis=1) / e, np.nan)
        done += size
    return ratios


def _oe_entry(
    y: np.ndarray, p: np.ndarray, clusters: np.ndarray | None = None
) -> dict[str, Any]:
    ratio, (low, high) = observed_expected(y, p, clusters)
    return {"oe_ratio": _number(ratio), "oe_ci": [_number(low), _number(high)]}


def calibration_points(y: np.ndarray, p: np.ndarray) -> list[dict[str, float]]:
    """Calibration curve: mean predicted and observed share in each of ten equal-count bins."""
    if len(np.unique(y)) < 2:
        return []
    observed, predicted = calibration_curve(y, p, n_bins=ECE_BINS, strategy="quantile")
    return [
        {"predicted": round(float(a), 6), "observed": round(float(b), 6)}
        for a, b in zip(predicted, observed, strict=True)
    ]


def group_report(
    y: np.ndarray,
    p: np.ndarray,
    selected: np.ndarray,
    groups: pd.DataFrame,
    clusters: np.ndarray | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """Per grouping and value: the metrics of ``GROUP_METRICS`` (fairlearn ``MetricFrame``;
    O/E with its interval clustered by child, ``observed_expected``)."""
    report: dict[str, dict[str, dict[str, Any]]] = {}
    for grouping in groups.columns:
        rows_of = groups.groupby(grouping).indices
        by_value: dict[str, dict[str, Any]] = {}
        probability = MetricFrame(
            metrics=_probability_metrics(),
            y_true=y,
            y_pred=p,
            sensitive_features=groups[grouping],
        ).by_group
        selection = MetricFrame(
            metrics={"selection_rate": selection_rate, "false_negative_rate": false_negative_rate},
            y_true=y,
            y_pred=selected.astype(int),
            sensitive_features=groups[grouping],
        ).by_group
        for value in probability.index:
            row = probability.loc[value]
            rows = rows_of[value]
            by_value[str(value)] = {
                "n": int(row["n"]),
                "positives": int(row["positives"]),
                "auc": _number(row["auc"]),
                "calibration_error": _number(row["calibration_error"]),
                **_oe_entry(y[rows], p[rows], None if clusters is None else clusters[rows]),
                "selection_rate": _number(selection.loc[value, "selection_rate"]),
                "false_negative_rate": _number(
                    selection.loc[value, "false_negative_rate"]
                    if int(row["positives"]) > 0
                    else math.nan
                ),
            }
        report[grouping] = by_value
    return report


def _probability_metrics() -> dict[str, Any]:
    return {
        "auc": safe_auc,
        "calibration_error": expected_calibration_error,
        "positives": lambda t, _s: float(np.sum(t)),
        "n": lambda t, _s: float(len(t)),
    }


def evaluate_predictions(
    y: np.ndarray,
    p: np.ndarray,
    selected: np.ndarray,
    groups: pd.DataFrame,
    *,
    oracle: np.ndarray | None = None,
    reference: np.ndarray | None = None,
    child_ids: np.ndarray | None = None,
) -> dict[str, Any]:
    """The evaluation report: overall metrics, top decile, per group, reference points.

    ``oracle`` (true probabilities, on the synthetic region) is judged like the model, so the
    report can tell a miss the truth shares (chance) from one of the model's own;
    ``child_ids`` names each row's child: every O/E interval is clustered by it (a child scored
    on several dates counts in several rows), and the report says how many children the
    positive rows come from.
    """
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    clusters = None if child_ids is None else np.asarray(child_ids)
    ratio, interval = observed_expected(y, p, clusters)
    top = np.argsort(-p, kind="stable")[: max(1, len(p) // 10)]
    top_ratio, top_interval = observed_expected(
        y[top], p[top], None if clusters is None else clusters[top]
    )
    report: dict[str, Any] = {
        "auc": _number(safe_auc(y, p)),
        "pr_auc": _number(average_precision_score(y, p) if y.any() else math.nan),
        "brier": _number(brier_score_loss(y, p)),
        "calibration_error": _number(expected_calibration_error(y, p)),
        "oracle_auc": None if oracle is None else _number(safe_auc(y, oracle)),
        "reference_auc": None if reference is None else _number(safe_auc(y, reference)),
        "n_test": len(y),
        "positives_test": int(y.sum()),
        "positive_children": None if child_ids is None else len(np.unique(child_ids[y == 1])),
        "oe_ratio": _number(ratio),
        "oe_ci": [_number(interval[0]), _number(interval[1])],
        "top_decile": {
            "n": len(top),
            "positives": int(y[top].sum()),
            "oe_ratio": _number(top_ratio),
            "oe_ci": [_number(top_interval[0]), _number(top_interval[1])],
        },
        "calibration_curve": calibration_points(y, p),
        "selection_rate": _number(float(np.mean(selected))),
        "groups": group_report(y, p, selected, groups, clusters),
    }
    if oracle is not None:
        truth = np.asarray(oracle, dtype=np.float64)
        summary = probability_summary(y, truth, clusters)
        summary["groups"] = {
            grouping: {
                str(value): _oe_entry(
                    y[rows], truth[rows], None if clusters is None else clusters[rows]
                )
                for value, rows in groups.groupby(grouping).indices.items()
            }
            for grouping in groups.columns
        }
        report["oracle"] = summary
    return report


def probability_summary(
    y: np.ndarray, p: np.ndarray, clusters: np.ndarray | None = None
) -> dict[str, Any]:
    """AUC, PR-AUC, Brier, calibration error and O/E of probabilities ``p`` (a reference point)."""
    ratio, interval = observed_expected(y, p, clusters)
    return {
        "auc": _number(safe_auc(y, p)),
        "pr_auc": _number(average_precision_score(y, p) if y.any() else math.nan),
        "brier": _number(brier_score_loss(y, p)),
        "calibration_error": _number(expected_calibration_error(y, p)),
        "oe_ratio": _number(ratio),
        "oe_ci": [_number(interval[0]), _number(interval[1])],
    }


def calibration_problems(
    report: Mapping[str, Any], *, overall_limit: float, group_limit: float
) -> list[dict[str, Any]]:
    """Why a model may not be published, as data: one entry per group (and "overall") whose
    O/E interval excludes 1 (``kind`` "oe": ``oe_ratio``, ``oe_ci``) or whose calibration error
    exceeds its limit (``kind`` "ece": ``calibration_error``, ``limit``)."""
    found: list[dict[str, Any]] = []

    def check(grouping: str, value: str, entry: Mapping[str, Any], limit: float) -> None:
        low, high = entry.get("oe_ci") or (None, None)
        if low is not None and high is not None and not low <= 1.0 <= high:
            found.append({"grouping": grouping, "value": value, "kind": "oe",
                          "oe_ratio": entry.get("oe_ratio"), "oe_ci": [low, high]})  # fmt: skip
        error = entry.get("calibration_error")
        if error is not None and error > limit:
            found.append({"grouping": grouping, "value": value, "kind": "ece",
                          "calibration_error": error, "limit": limit})  # fmt: skip

    check("overall", "all", report, overall_limit)
    for grouping, values in (report.get("groups") or {}).items():
        for value, entry in values.items():
            check(grouping, value, entry, group_limit)
    return found


def problem_text(problem: Mapping[str, Any]) -> str:
    """A problem of ``calibration_problems`` in English, for logs and the command line."""
    if problem["kind"] == "oe":
        low, high = problem["oe_ci"]
        why = f"O/E {problem['oe_ratio']} [{low}, {high}]"
    else:
        why = f"calibration error {problem['calibration_error']} > {problem['limit']}"
    return f"{problem['grouping']} = {problem['value']}: {why}"


def miscalibrated_groups(
    report: Mapping[str, Any], *, limit: float
) -> list[tuple[str, str, str]]:
    """(grouping, value, why) for every group whose O/E interval excludes 1 or whose
    calibration error exceeds ``limit``; ("overall", "all", why) for the whole test set."""
    return [
        (p["grouping"], p["value"], problem_text(p).partition(": ")[2])
        for p in calibration_problems(report, overall_limit=limit, group_limit=limit)
    ]


JSON_KEYS: Final = (
    "auc", "pr_auc", "brier", "calibration_error", "oracle_auc", "reference_auc", "n_test",
    "positives_test", "oe_ratio", "oe_ci", "groups",
)  # fmt: skip
TARGET_ECE: Final = 0.03


def json_summary(report: Mapping[str, Any]) -> dict[str, Any]:
    """Exactly the keys ``pcenter risk evaluate --json`` promises (``JSON_KEYS``)."""
    summary = {key: report.get(key) for key in JSON_KEYS}
    summary["groups"] = {
        grouping: {
            value: {metric: entry.get(metric) for metric in GROUP_METRICS}
            for value, entry in values.items()
        }
        for grouping, values in (report.get("groups") or {}).items()
    }
    return summary


ORACLE_NOTE: Final = N_(
    "On the same rows the true probabilities (the oracle) have O/E {ratio} [{low}, {high}] and "
    "miss 1 in: {groups}. The {rows} positive rows come from {children} children."
)


def oracle_note(report: Mapping[str, Any]) -> dict[str, Any] | None:
    """Parameters of ``ORACLE_NOTE``: what the true probabilities show on the same rows, so a
    reader can tell a miss the truth shares (chance) from the model's own; None without them."""
    oracle = report.get("oracle")
    if not oracle:
        return None
    shared = [
        f"{g} = {v}"
        for g, v, _ in miscalibrated_groups(
            {"oe_ci": oracle["oe_ci"], "groups": oracle["groups"]}, limit=math.inf
        )
    ]
    return {
        "ratio": oracle["oe_ratio"],
        "low": oracle["oe_ci"][0],
        "high": oracle["oe_ci"][1],
        "groups": ", ".join(shared) if shared else "—",
        "rows": report.get("positives_test"),
        "children": report.get("positive_children"),
    }


def check_targets(report: Mapping[str, Any]) -> list[tuple[str, bool, str]]:
    """(target, met, detail) for the three targets of an evaluation at region scale."""
    checks: list[tuple[str, bool, str]] = []
    auc, reference = report.get("auc"), report.get("reference_auc")
    if reference is None:
        checks.append(("auc_above_reference", False, "no covariate reference (no ground truth)"))
    else:
        checks.append(
            ("auc_above_reference", auc is not None and auc > reference,
             f"AUC {auc} vs covariate reference {reference}")
        )  # fmt: skip
    outside = [f"{g} = {v}: {why}" for g, v, why in miscalibrated_groups(report, limit=math.inf)]
    checks.append(
        ("oe_interval_contains_1", not outside,
         "overall and every group" if not outside else "; ".join(outside))
    )  # fmt: skip
    error = report.get("calibration_error")
    checks.append(
        ("calibration_error_below_0.03", error is not None and error < TARGET_ECE,
         f"ECE {error}")
    )  # fmt: skip
    return checks
