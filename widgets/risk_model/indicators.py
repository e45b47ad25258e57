"""Indicators: what the model may know of a child, and the hard rules that stand outside it.

Each indicator's name, what it is, where it comes from and why it may matter
(``data/risk/indicators.yaml``), and each hard rule with its source in Order 264 or an act it
names (``data/risk/hard_rules.yaml``), in the current language.
"""

from __future__ import annotations

from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.hard_rules import load_hard_rules
from pcenter_lib.domain.risk_indicators import load_indicators
from pcenter_lib.i18n import N_
from widgets.kit import Panel
from widgets.markup import heading, html_table, note
from widgets.risk_model.state import RiskModelState
from widgets.shell import AppShell

RULES_NOTE: Final = N_(
    "A child a hard rule names is in mandatory priority review before every score; no score "
    "can lower it."
)
INDICATORS_NOTE: Final = N_(
    "Each indicator is computed only from what was recorded before the scoring moment."
)


class IndicatorsPanel(Panel[RiskModelState]):
    """The documentation of the indicators and the hard rules."""

    title = N_("Indicators")
    use_case = UseCase.VIEW_RISK_MODELS
    css_class = "pcenter-risk-indicators"

    def __init__(self, shell: AppShell, state: RiskModelState) -> None:
        super().__init__(shell, state)
        self.rules = widgets.HTML()
        self.rules.add_class("pcenter-risk-rules")
        self.indicators = widgets.HTML()
        self.indicators.add_class("pcenter-risk-indicator-docs")
        self.widget.children = (self.rules, self.indicators)

    def render(self) -> None:
        t, lang = self.t, self.lang
        rules = [[r.text(lang), r.why.get(lang, r.why["en"]), r.source] for r in load_hard_rules()]
        self.rules.value = (
            heading(t("Hard rules"))
            + html_table([t("Rule"), t("Why"), t("Source")], rules, css_class="pcenter-risk-rule-table")
            + note(t(RULES_NOTE))
        )  # fmt: skip
        rows = [
            [i.text("name", lang), i.text("what", lang), i.text("source", lang), i.text("why", lang)]
            for i in load_indicators()
        ]
        self.indicators.value = (
            heading(t("Indicators"))
            + html_table([t("Indicator"), t("What it is"), t("Where it comes from"),
                          t("Why it may matter")], rows, css_class="pcenter-risk-indicator-table")
            + note(t(INDICATORS_NOTE))
        )  # fmt: skip
