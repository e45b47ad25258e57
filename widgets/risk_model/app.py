"""The analyst's risk model app (``notebooks/risk_model.ipynb``).

For the analyst (``UseCase.TRAIN_RISK_MODEL``, ``EVALUATE_RISK_MODEL``, ``PUBLISH_RISK_MODEL``):
train a model, read its evaluation on the held-out school year beside the oracle and the
covariate reference, read the fairness table by group and the calibration curve, compare two
versions, publish a model or see why it is refused, read its model card and the documentation
of the indicators and hard rules. The score advises; people decide: the Publish tab says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pcenter_lib.i18n import N_
from pcenter_lib.workbench import Workbench
from widgets.kit import App
from widgets.risk_model.card import CardPanel
from widgets.risk_model.evaluation import EvaluationPanel
from widgets.risk_model.groups import GroupsPanel
from widgets.risk_model.indicators import IndicatorsPanel
from widgets.risk_model.models import ModelsPanel
from widgets.risk_model.publish import PublishPanel
from widgets.risk_model.state import RiskModelState

TITLE: Final = N_("Risk indicators")
HELP: Final = N_(
    "Train the risk-indicator model, read its evaluation against the true risk and the covariate "
    "reference, check calibration by group, and publish it or see why it is refused. The score "
    "only orders the supervisors' queue; people decide."
)
STYLE: Final = """
<style>
.pcenter-risk-off td { color: #611a15; background: #fdecea; }
.pcenter-risk-groups-table th { max-width: 9em; white-space: normal; }
.pcenter-risk-card-page table { border-collapse: collapse; margin: 4px 0 10px 0; }
.pcenter-risk-card-page th, .pcenter-risk-card-page td { text-align: left; padding: 2px 10px 2px 0;
  border-bottom: 1px solid var(--jp-border-color2); vertical-align: top; }
.pcenter-risk-card-page h1 { font-size: 1.3em; }
.pcenter-risk-card-page h2 { font-size: 1.1em; }
.pcenter-risk-indicator-table td { max-width: 24em; }
.pcenter-app .pcenter-risk-limit { width: auto; }
.pcenter-app .pcenter-risk-limit input { flex: 0 0 7em; width: 7em; }
</style>
"""


class RiskModelApp(App[RiskModelState]):
    """The analyst's page: models, evaluation, groups, publication, card, indicators."""

    code = "risk_model"
    title = TITLE
    help_text = HELP
    style = STYLE
    panel_types = (
        ModelsPanel, EvaluationPanel, GroupsPanel, PublishPanel, CardPanel, IndicatorsPanel,
    )  # fmt: skip

    def __init__(self, workbench: Workbench, *, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(workbench, environ=environ)
        self.tabs.observe(self.shell.guard(self._tab_shown), names="selected_index")

    def make_state(self) -> RiskModelState:
        return RiskModelState(self.workbench, self.shell.actor, self.shell.roles)

    def _tab_shown(self, change: dict[str, Any]) -> None:
        panels = list(self.panels.values())
        index = change["new"]
        if isinstance(index, int) and 0 <= index < len(panels):
            chosen = panels[index]
            if isinstance(chosen, EvaluationPanel):
                chosen.shown()


# the page of the notebook: the app on the environment's workbench, or a page saying why not
build_risk_model_app = RiskModelApp.launch
