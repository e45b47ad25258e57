"""Groups: the fairness table of the version read, one row per group.

For sex, language of instruction, urban/rural and age band: rows, escalations, AUC,
calibration error, observed/expected with its interval clustered by child, the share selected
for priority review and the share of escalations not selected (fairlearn ``MetricFrame``). A
group whose interval excludes 1 is miscalibrated and is marked; on the synthetic region the
oracle's observed/expected on the same rows stands beside it, so a miss the true risk shares
(chance in the draw of children) is told from the model's own.
"""

from __future__ import annotations

import html as html_text
from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_
from pcenter_lib.risk.pipeline import make_risk_pipeline
from pcenter_lib.risk.wording import METRIC_LABELS, figure, group_label, interval_text, label
from widgets.kit import Panel
from widgets.markup import heading, note, paragraph
from widgets.risk_model.state import RiskModelState
from widgets.shell import AppShell

NUMERIC: Final = ' class="pcenter-num"'
COLUMNS: Final = ("n", "positives", "auc", "calibration_error", "oe_ratio", "oe_ci",
                  "selection_rate", "false_negative_rate")  # fmt: skip
MARKED: Final = N_("Rows in red: the observed/expected interval excludes 1 (miscalibrated).")
SELECTED: Final = N_(
    "Selected for priority review: band {band} or above of 20. A child a hard rule names is "
    "in mandatory priority whatever the score."
)


class GroupsPanel(Panel[RiskModelState]):
    """The per-group table (fairness and calibration) of the version read."""

    title = N_("Groups")
    use_case = UseCase.EVALUATE_RISK_MODEL
    css_class = "pcenter-risk-groups"

    def __init__(self, shell: AppShell, state: RiskModelState) -> None:
        super().__init__(shell, state)
        self.table = widgets.HTML()
        self.table.add_class("pcenter-risk-group-table")
        self.widget.children = (self.table,)
        self.watch(["version", "evaluation"], self.show)

    def render(self) -> None:
        self.show()

    def show(self) -> None:
        t, report = self.t, self.state.evaluation
        if not report:
            self.table.value = paragraph(t("Choose or train a model on the Models tab."))
            return
        oracle_groups = (report.get("oracle") or {}).get("groups") or {}
        headers = [t("Group"), *(label(METRIC_LABELS, c, t) for c in COLUMNS)]
        if oracle_groups:
            headers.append(t("Observed/expected of the oracle (true risk)"))
        body = []
        for grouping, values in (report.get("groups") or {}).items():
            for value, entry in values.items():
                cells = [group_label(grouping, value, t), *(self._cell(entry, c) for c in COLUMNS)]
                if oracle_groups:
                    truth = oracle_groups.get(grouping, {}).get(value, {})
                    cells.append(f"{figure(truth.get('oe_ratio'), self.lang, 2)} "
                                 f"({interval_text(truth.get('oe_ci'), self.lang)})")  # fmt: skip
                low, high = entry.get("oe_ci") or (None, None)
                off = low is not None and high is not None and not low <= 1.0 <= high
                body.append((off, cells))
        head = "".join(f"<th>{html_text.escape(h)}</th>" for h in headers)
        rows = "".join(
            f'<tr class="{"pcenter-risk-off" if off else "pcenter-risk-fine"}">'
            + "".join(f"<td{NUMERIC if i else ''}>{html_text.escape(c)}</td>"
                      for i, c in enumerate(cells))
            + "</tr>"
            for off, cells in body
        )  # fmt: skip
        band = make_risk_pipeline().named_steps["model"].high_band
        self.table.value = (
            heading(t("Fairness and calibration by group: model {version}", version=self.state.version))
            + f'<table class="pcenter-table pcenter-risk-groups-table"><tr>{head}</tr>{rows}</table>'
            + paragraph(t(MARKED)) + note(t(SELECTED, band=band))
        )  # fmt: skip

    def _cell(self, entry: dict[str, Any], column: str) -> str:
        if column == "oe_ci":
            return interval_text(entry.get(column), self.lang)
        digits = 0 if column in ("n", "positives") else 3
        return figure(entry.get(column), self.lang, digits)
