"""Evaluation: the figures of the version read on the held-out school year, beside its references.

- the metrics (AUC, PR-AUC, Brier, calibration error, observed/expected with its interval
  clustered by child, overall and in the top tenth of scores);
- the reference points on the synthetic region: the oracle (the true risk) and the covariate
  reference, with one sentence saying honestly whether the model ranks better than the
  reference;
- the three targets of an evaluation, each met or missed with its figures;
- the calibration curve: predicted against observed share in ten equal-count bins, with the
  diagonal of perfect calibration.
"""

from __future__ import annotations

import math
from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_
from pcenter_lib.risk.evaluation import BOOTSTRAP_REPLICATES, TARGET_ECE, miscalibrated_groups
from pcenter_lib.risk.wording import METRIC_LABELS, figure, group_label, interval_text, label
from widgets.charts import bqplot
from widgets.kit import Panel
from widgets.markup import bullet_list, heading, html_table, note, paragraph
from widgets.risk_model.state import RiskModelState
from widgets.shell import AppShell

SHOWN: Final = ("auc", "pr_auc", "brier", "calibration_error", "n_test", "positives_test",
                "oe_ratio", "oe_ci", "selection_rate")  # fmt: skip
INTERVAL_NOTE: Final = N_(
    "Every 95 % interval of observed/expected counts children, not rows: a child scored on "
    "several dates is resampled with all its rows ({replicates} bootstrap resamples, fixed seed)."
)
BEATS: Final = N_("The model ranks better than the covariate reference: AUC {model} against {reference}.")
DOES_NOT_BEAT: Final = N_(
    "The model does not rank better than the covariate reference: AUC {model} against {reference}."
)
NO_REFERENCE: Final = N_(
    "No reference points: they exist only on the synthetic demo region, whose true risk is known."
)
ORACLE_LINE: Final = N_(
    "The oracle, which ranks by the true risk no record shows, reaches AUC {oracle}: a ceiling, "
    "not a target."
)
NOTHING: Final = N_("Choose or train a model on the Models tab.")


class EvaluationPanel(Panel[RiskModelState]):
    """Metrics, reference points, targets and the calibration curve of the version read."""

    title = N_("Evaluation")
    use_case = UseCase.EVALUATE_RISK_MODEL
    css_class = "pcenter-risk-evaluation"

    def __init__(self, shell: AppShell, state: RiskModelState) -> None:
        super().__init__(shell, state)
        self.metrics = widgets.HTML()
        self.metrics.add_class("pcenter-risk-metrics")
        self.references = widgets.HTML()
        self.references.add_class("pcenter-risk-references")
        self.targets = widgets.HTML()
        self.targets.add_class("pcenter-risk-targets")
        self.curve_heading = widgets.HTML()
        x, y = bqplot.LinearScale(min=0.0, max=0.1), bqplot.LinearScale(min=0.0, max=0.1)
        self.x_scale, self.y_scale = x, y
        self.diagonal = bqplot.Lines(x=[0.0, 0.1], y=[0.0, 0.1], scales={"x": x, "y": y},
                                     colors=["#9e9e9e"], line_style="dashed")  # fmt: skip
        self.points = bqplot.Lines(x=[], y=[], scales={"x": x, "y": y}, marker="circle",
                                   colors=["#1565c0"], stroke_width=2)  # fmt: skip
        self.x_axis = bqplot.Axis(scale=x, tick_format=".0%")
        self.y_axis = bqplot.Axis(scale=y, orientation="vertical", tick_format=".0%")
        self.chart = bqplot.Figure(
            marks=[self.diagonal, self.points], axes=[self.x_axis, self.y_axis],
            layout=widgets.Layout(width="520px", height="420px"),
            fig_margin={"top": 20, "bottom": 50, "left": 70, "right": 20},
        )  # fmt: skip
        self.chart.add_class("pcenter-risk-calibration")
        # The figure joins the page once the tab is on screen (``shown``): a bqplot figure laid
        # out while hidden, as in a background tab, has no width and draws negative sizes.
        self.chart_box = widgets.VBox()
        self.widget.children = (
            self.metrics, self.references, self.targets, self.curve_heading, self.chart_box
        )
        self.watch(["version", "evaluation"], self.show)

    def shown(self) -> None:
        """The tab is on screen: put the calibration curve in the page."""
        self.chart_box.children = (self.chart,)

    def render(self) -> None:
        t = self.t
        self.x_axis.label = t("Predicted probability")
        self.y_axis.label = t("Observed share of escalations")
        self.show()

    def show(self) -> None:
        t, lang, report = self.t, self.lang, self.state.evaluation
        if not report:
            self.metrics.value = paragraph(t(NOTHING))
            self.references.value = self.targets.value = self.curve_heading.value = ""
            self.chart.layout.display = "none"
            return
        rows = [[label(METRIC_LABELS, k, t), self._value(report, k)] for k in SHOWN]
        top = report.get("top_decile") or {}
        rows.append([label(METRIC_LABELS, "top_decile", t),
                     f"{figure(top.get('oe_ratio'), lang, 2)} ({interval_text(top.get('oe_ci'), lang)})"])  # fmt: skip
        self.metrics.value = (
            heading(t("Model {version} on the held-out school year", version=self.state.version))
            + html_table([t("Figure"), t("Value")], rows, css_class="pcenter-risk-metric-table",
                         numeric_from=1)
            + note(t(INTERVAL_NOTE, replicates=figure(BOOTSTRAP_REPLICATES, lang)))
        )  # fmt: skip
        self.references.value = self._references(report)
        self.targets.value = heading(t("Targets")) + self._targets(report)
        self.curve_heading.value = heading(t("Calibration curve")) + note(
            t("Each point: one tenth of the test rows, by predicted probability. On the dashed "
              "line the predicted share equals the observed one.")
        )  # fmt: skip
        self._draw(report.get("calibration_curve") or [])

    def _value(self, report: dict[str, Any], key: str) -> str:
        if key == "oe_ci":
            return interval_text(report.get(key), self.lang)
        return figure(report.get(key), self.lang)

    def _references(self, report: dict[str, Any]) -> str:
        t, lang = self.t, self.lang
        model, reference, oracle = report.get("auc"), report.get("reference_auc"), report.get("oracle_auc")
        rows = [[t("This model"), figure(model, lang)],
                [t("Covariate reference (age, sex, special needs, settlement, family)"), figure(reference, lang)],
                [t("Oracle (true risk)"), figure(oracle, lang)]]  # fmt: skip
        parts = [heading(t("Reference points")),
                 html_table([t("Ranking"), t("AUC")], rows, css_class="pcenter-risk-reference-table",
                            numeric_from=1)]  # fmt: skip
        if reference is None:
            parts.append(paragraph(t(NO_REFERENCE)))
        else:
            beats = model is not None and model > reference
            sentence = BEATS if beats else DOES_NOT_BEAT
            parts.append(paragraph(
                t(sentence, model=figure(model, lang), reference=figure(reference, lang)),
                "pcenter-risk-verdict " + ("pcenter-ok" if beats else "pcenter-conflict"),
            ))  # fmt: skip
        if oracle is not None:
            parts.append(paragraph(t(ORACLE_LINE, oracle=figure(oracle, lang))))
        return "".join(parts)

    def _targets(self, report: dict[str, Any]) -> str:
        t, lang = self.t, self.lang
        auc, reference, error = report.get("auc"), report.get("reference_auc"), report.get("calibration_error")
        outside = miscalibrated_groups(report, limit=math.inf)
        lines = [
            (reference is not None and auc is not None and auc > reference,
             t("AUC above the covariate reference: {auc} against {reference}.",
               auc=figure(auc, lang), reference=figure(reference, lang))),
            (not outside,
             t("The observed/expected interval contains 1 overall and in every group.")
             if not outside else
             t("The observed/expected interval excludes 1 in: {groups}.",
               groups="; ".join(group_label(g, v, t) for g, v, _ in outside))),
            (error is not None and error < TARGET_ECE,
             t("Calibration error below {limit}: {error}.", limit=figure(TARGET_ECE, lang),
               error=figure(error, lang))),
        ]  # fmt: skip
        met = [text for ok, text in lines if ok]
        missed = [text for ok, text in lines if not ok]
        html = ""
        if met:
            html += bullet_list([t("Met: {what}", what=x) for x in met], "pcenter-ok pcenter-risk-met")
        if missed:
            html += bullet_list(
                [t("Missed: {what}", what=x) for x in missed], "pcenter-conflict pcenter-risk-missed"
            )
        return html

    def _draw(self, curve: list[dict[str, float]]) -> None:
        self.chart.layout.display = None if curve else "none"
        if not curve:
            return
        predicted = [float(p["predicted"]) for p in curve]
        observed = [float(p["observed"]) for p in curve]
        top = max(0.01, *predicted, *observed) * 1.1
        with self.points.hold_sync(), self.diagonal.hold_sync():
            self.x_scale.max = self.y_scale.max = top
            self.diagonal.x, self.diagonal.y = [0.0, top], [0.0, top]
            self.points.x, self.points.y = predicted, observed
