"""The evaluation of a risk model in a person's language: groups, intervals, refusal reasons.

The evaluation report and the publication decision hold codes (``sex``/``male``, ``oe``); the
analyst's app and the model card word them here, so both say the same thing in kk, ru and en.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pcenter_lib.formats import format_number
from pcenter_lib.i18n import N_, Translator

GROUPING_LABELS: Final[Mapping[str, str]] = {
    "overall": N_("All test rows"),
    "sex": N_("Sex"),
    "language": N_("Language of instruction"),
    "settlement": N_("Settlement"),
    "age_band": N_("Age band"),
}
VALUE_LABELS: Final[Mapping[str, str]] = {
    "all": N_("all"),
    "female": N_("girls"),
    "male": N_("boys"),
    "urban": N_("urban"),
    "rural": N_("rural"),
    "kk": N_("Kazakh"),
    "ru": N_("Russian"),
    "mixed": N_("mixed"),
    "unknown": N_("not recorded"),
}
AGE_BAND: Final = N_("{low}–{high} years")
OE_REASON: Final = N_(
    "{group}: observed/expected {ratio}, 95 % interval {interval}, which excludes 1"
)
ECE_REASON: Final = N_("{group}: calibration error {error} is above the limit {limit}")


def value_label(grouping: str, value: str, t: Translator) -> str:
    """A group's value as a person reads it ("girls", "11–14 years")."""
    if grouping == "age_band" and "-" in value:
        low, _, high = value.partition("-")
        return t(AGE_BAND, low=low, high=high)
    return t(VALUE_LABELS[value]) if value in VALUE_LABELS else value


def group_label(grouping: str, value: str, t: Translator) -> str:
    """"Sex: girls"; the whole test set is "All test rows"."""
    title = t(GROUPING_LABELS[grouping]) if grouping in GROUPING_LABELS else grouping
    if grouping == "overall":
        return title
    return f"{title}: {value_label(grouping, value, t)}"


def figure(value: object, lang: str, digits: int = 3, *, exact: bool = True) -> str:
    """A metric with exactly (or, not ``exact``, up to) ``digits`` decimals in the language's
    notation, so a column of figures lines up; a whole number without decimals; "—" when
    missing."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang)
    return format_number(value, lang, digits=digits, exact=exact)


def interval_text(interval: Sequence[Any] | None, lang: str) -> str:
    """A 95 % interval, "1,07–1,37" (kk, ru) or "1.07–1.37"; "—" when missing."""
    if not interval or interval[0] is None or interval[1] is None:
        return "—"
    return f"{figure(interval[0], lang, 2)}–{figure(interval[1], lang, 2)}"


def reason_text(problem: Mapping[str, Any], t: Translator) -> str:
    """One reason of ``evaluation.calibration_problems`` as a sentence in the translator's language."""
    group = group_label(str(problem["grouping"]), str(problem["value"]), t)
    if problem["kind"] == "oe":
        return t(
            OE_REASON,
            group=group,
            ratio=figure(problem["oe_ratio"], t.lang, 2),
            interval=interval_text(problem["oe_ci"], t.lang),
        )
    return t(
        ECE_REASON,
        group=group,
        error=figure(problem["calibration_error"], t.lang),
        limit=figure(problem["limit"], t.lang, exact=False),
    )


STATUS_LABELS: Final[Mapping[str, str]] = {
    "trained": N_("trained, not published"),
    "published": N_("published"),
    "refused": N_("publication refused"),
    "retired": N_("retired"),
}
METRIC_LABELS: Final[Mapping[str, str]] = {
    "auc": N_("AUC (area under the ROC curve)"),
    "pr_auc": N_("PR-AUC (average precision)"),
    "brier": N_("Brier score"),
    "calibration_error": N_("Expected calibration error"),
    "oe_ratio": N_("Observed/expected escalations"),
    "oe_ci": N_("95 % interval of observed/expected (clustered by child)"),
    "n_test": N_("Test rows"),
    "positives_test": N_("Escalations among them"),
    "n": N_("Rows"),
    "positives": N_("Escalations"),
    "selection_rate": N_("Share selected for priority review"),
    "false_negative_rate": N_("Escalations not selected (false-negative rate)"),
    "oracle_auc": N_("AUC of the oracle (true risk)"),
    "reference_auc": N_("AUC of the covariate reference"),
    "top_decile": N_("Observed/expected in the top tenth of scores"),
}
WINDOW_LABELS: Final[Mapping[str, str]] = {
    "train_from": N_("Training from"),
    "train_to": N_("Training to"),
    "test_from": N_("Test school year from"),
    "test_to": N_("Test school year to"),
    "train_rows": N_("Training rows"),
    "train_positives": N_("Escalations in training"),
    "train_children": N_("Children in training"),
    "test_children": N_("Children in the test set"),
    "horizon_days": N_("Horizon, days"),
}
PUBLICATION_LABELS: Final[Mapping[str, str]] = {
    "published_at": N_("Published at"),
    "published_by": N_("Published by"),
    "refused_at": N_("Refused at"),
    "refused_by": N_("Refused by"),
    "limits": N_("Calibration error limits (overall, per group)"),
    "reasons": N_("Reasons"),
}


def status_label(status: str, t: Translator) -> str:
    """A model's status as a person reads it."""
    return t(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def label(labels: Mapping[str, str], key: str, t: Translator) -> str:
    """``key``'s label from ``labels`` in the translator's language (the key if it has none)."""
    return t(labels[key]) if key in labels else key
