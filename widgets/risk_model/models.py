"""Models: the stored versions, training a new one, and two versions side by side.

Training fits the pipeline on the earlier months and evaluates it on the held-out school year
(``services.risk_models.train_risk_model``); it takes a while on a large region, and the page
says so while it runs. The comparison puts the figures of two versions in one table, so the
analyst sees what a new version changes before publishing it.
"""

from __future__ import annotations

from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.risk.evaluation import calibration_problems
from pcenter_lib.risk.wording import METRIC_LABELS, figure, interval_text, label, status_label
from pcenter_lib.services.risk_models import (
    GROUP_CALIBRATION_LIMIT,
    OVERALL_CALIBRATION_LIMIT,
    train_risk_model,
)
from widgets.kit import Panel, offer
from widgets.markup import heading, html_table, note
from widgets.risk_model.state import RiskModelState
from widgets.shell import AppShell

NO_MODELS: Final = N_("No model has been trained yet. Train one to read its evaluation.")
TRAINING: Final = N_(
    "Training: the model learns from the earlier months and is tested on the held-out school "
    "year. On a whole region this takes a few minutes."
)
TRAINED: Final = N_("Model {version} trained: AUC {auc}, calibration error {ece}.")
COMPARED: Final = (
    "auc", "pr_auc", "brier", "calibration_error", "oe_ratio", "oe_ci", "oracle_auc",
    "reference_auc", "n_test", "positives_test",
)  # fmt: skip


class ModelsPanel(Panel[RiskModelState]):
    """The list of versions, the Train button, the version read and the comparison."""

    title = N_("Models")
    use_case = UseCase.VIEW_RISK_MODELS
    css_class = "pcenter-risk-models"

    def __init__(self, shell: AppShell, state: RiskModelState) -> None:
        super().__init__(shell, state)
        self.train = widgets.Button(button_style="primary", layout={"width": "auto", "align_self": "flex-start"})
        self.train.add_class("pcenter-risk-train")
        self.on_click(self.train, self._train)
        self.chosen = widgets.Dropdown(style={"description_width": "initial"})
        self.chosen.add_class("pcenter-risk-version")
        self.on_change(self.chosen, self.state.choose)
        self.other = widgets.Dropdown(style={"description_width": "initial"})
        self.other.add_class("pcenter-risk-compare")
        self.on_change(self.other, lambda value: setattr(self.state, "compare_with", value))
        self.intro = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("pcenter-risk-model-list")
        self.comparison = widgets.HTML()
        self.comparison.add_class("pcenter-risk-comparison")
        self.headings = (widgets.HTML(), widgets.HTML())
        top = (self.train,) if self.may(UseCase.TRAIN_RISK_MODEL) else ()
        self.widget.children = (
            *top, self.intro, self.headings[0], self.table, self.chosen, self.headings[1],
            self.other, self.comparison,
        )  # fmt: skip
        self.watch(["models", "version", "compare_with", "card"], self.show)

    def render(self) -> None:
        t = self.t
        self.train.description = t("Train a new model")
        self.chosen.description = t("Model to read")
        self.other.description = t("Compare with")
        self.headings[0].value = heading(t("Stored models"))
        self.headings[1].value = heading(t("Compare two versions"))
        self.show()

    def _train(self) -> None:
        t = self.t
        self.shell.show_info(t(TRAINING))
        self.train.disabled = True
        try:
            with self.workbench.sessions.begin() as session:
                summary = train_risk_model(session, actor=self.actor, now=self.shell.now())
        finally:
            self.train.disabled = False
        self.state.reload(summary.model_version)
        self.shell.show_success(
            t(TRAINED, version=summary.model_version, auc=figure(summary.auc, self.lang),
              ece=figure(summary.calibration_error, self.lang))
        )  # fmt: skip

    def show(self) -> None:
        t, lang, state = self.t, self.lang, self.state
        versions = [m.model_version for m in state.models]
        self.intro.value = note(t(NO_MODELS)) if not versions else ""
        with self.quiet():
            offer(self.chosen, [(v, v) for v in versions])
            self.chosen.value = state.version if state.version in versions else None
            offer(self.other, [("—", None), *((v, v) for v in versions if v != state.version)])
            self.other.value = state.compare_with if state.compare_with in versions else None
        headers = [t("Version"), t("Status"), t("Trained"), t("Trained by"),
                   t("AUC"), t("Calibration error"), t("Decision")]  # fmt: skip
        rows = [
            [m.model_version, status_label(m.status, t), format_moment(m.trained_at, lang),
             m.trained_by, figure(m.auc, lang), figure(m.calibration_error, lang),
             self._decision(m.status)]
            for m in state.models
        ]  # fmt: skip
        self.table.value = html_table(headers, rows, css_class="pcenter-risk-versions") if rows else ""
        self.comparison.value = self._comparison()

    def _decision(self, status: str) -> str:
        t = self.t
        if status == "refused":
            return t("refused: see the Publish tab for the groups")
        if status == "published":
            return t("orders the supervisors' queue")
        return "—"

    def _comparison(self) -> str:
        t, lang, state = self.t, self.lang, self.state
        if not state.version or not state.compare_with or not state.evaluation:
            return ""
        first, second = state.evaluation, state.evaluation_of(state.compare_with)

        def cell(report: dict[str, Any], key: str) -> str:
            return interval_text(report.get(key), lang) if key == "oe_ci" else figure(report.get(key), lang)

        def refused_groups(report: dict[str, Any]) -> str:
            found = calibration_problems(
                report, overall_limit=OVERALL_CALIBRATION_LIMIT, group_limit=GROUP_CALIBRATION_LIMIT
            )
            return figure(len(found), lang)

        rows = [[label(METRIC_LABELS, key, t), cell(first, key), cell(second, key)] for key in COMPARED]
        rows.append([t("Reasons to refuse publication (default limits)"),
                     refused_groups(first), refused_groups(second)])  # fmt: skip
        return html_table(
            [t("Figure"), state.version, state.compare_with], rows,
            css_class="pcenter-risk-compare-table", numeric_from=1,
        )  # fmt: skip
