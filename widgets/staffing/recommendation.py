"""Recommendation: per category the larger of the legal floor and the workload need, and its cost.

The table is the proposal section the exported documents carry (``proposal_sections``), so the
screen and the letter to the akimat never disagree. Each line says what decides it (the floor,
the workload, the cap of Rule 24.3, or posts kept), and the proposal's change is written once,
from the existing total to the proposed one, with what it adds and what it cuts. Salary rates
are optional: with a monthly rate for a category its lines show their yearly cost; with a rate
for every category the view adds the cost of the proposal and of today's staff.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.staffing import CATEGORY_LABELS, StaffCategory
from pcenter_lib.formats import format_money
from pcenter_lib.i18n import N_
from pcenter_lib.services.staffing_exports import compliance_notes, proposal_sections
from widgets.kit import Panel
from widgets.markup import bullet_list, heading, html_table, note
from widgets.shell import AppShell
from widgets.staffing.state import StaffingState

LABEL_WIDTH = "24em"


class RecommendationPanel(Panel[StaffingState]):
    """The proposal table, what decides it, the Rule 24 verdict, and the cost."""

    title = N_("Recommendation")
    use_case = UseCase.PLAN_STAFFING
    css_class = "pcenter-staffing-recommendation"

    def __init__(self, shell: AppShell, state: StaffingState) -> None:
        super().__init__(shell, state)
        self.rates: dict[StaffCategory, widgets.Widget] = {}
        for category in StaffCategory:
            box = widgets.BoundedFloatText(
                value=0.0,
                min=0.0,
                max=100_000_000.0,
                step=1000.0,
                style={"description_width": LABEL_WIDTH},
                layout={"width": "36em"},
            )
            box.add_class(f"pcenter-staffing-rate-{category.value}")
            self.on_change(box, lambda _value: self._set_rates())
            self.rates[category] = box
        self.table = widgets.HTML()
        self.table.add_class("pcenter-staffing-proposal")
        self.explanation = widgets.HTML()
        self.explanation.add_class("pcenter-staffing-explanation")
        self.verdict = widgets.HTML()
        self.verdict.add_class("pcenter-staffing-verdict")
        self.cost = widgets.HTML()
        self.cost.add_class("pcenter-staffing-cost")
        self.headings = (widgets.HTML(), widgets.HTML())
        self.rates_note = widgets.HTML()
        self.widget.children = (
            self.headings[0],
            self.table,
            self.explanation,
            self.verdict,
            self.headings[1],
            self.rates_note,
            *self.rates.values(),
            self.cost,
        )
        self.watch("result", self.show)

    def render(self) -> None:
        t = self.t
        self.headings[0].value = heading(t("Proposal by category of personnel"))
        self.headings[1].value = heading(t("Salary rates (optional)"))
        self.rates_note.value = note(
            t("Enter the monthly cost of one staff unit of a category to see its cost.")
        )
        rates = self.state.parameters.salary_rates
        with self.quiet():
            for category, box in self.rates.items():
                box.description = t(
                    "{category}, tenge a month", category=t(CATEGORY_LABELS[category])
                )
                box.value = rates.get(category, 0.0)
        self.show()

    def _set_rates(self) -> None:
        """A rate of 0 means "not entered"."""
        rates = {c: float(box.value) for c, box in self.rates.items() if box.value > 0}
        self.state.update(salary_rates=rates)

    def show(self) -> None:
        t, lang, result = self.t, self.lang, self.state.result
        section = proposal_sections(result, t)[0]
        self.table.value = html_table(
            section.headers,
            section.texts(lang),
            css_class="pcenter-staffing-proposal-table",
            numeric_from=1,
            text_columns=(6,),  # what decides the line: words
        )
        checks = compliance_notes(result, t)
        explained = [line for line in section.notes if line not in checks]
        self.explanation.value = bullet_list(explained, "pcenter-explain")
        self.verdict.value = bullet_list(
            checks, "pcenter-ok" if result.compliant else "pcenter-conflict"
        )
        self.cost.value = self._cost_text()

    def _cost_text(self) -> str:
        t, lang, result = self.t, self.lang, self.state.result
        if result.annual_cost is not None:
            return html.escape(
                t(
                    "Cost of the proposal: {proposal} tenge a year; of today's staff: "
                    "{existing} tenge a year.",
                    proposal=format_money(result.annual_cost, lang),
                    existing=format_money(result.existing_annual_cost, lang),
                )
            )
        missing = [c for c in StaffCategory if c not in result.parameters.salary_rates]
        if len(missing) == len(StaffCategory):
            return ""
        return html.escape(
            t(
                "The total cost appears once every category has a rate; missing: {categories}.",
                categories=", ".join(t(CATEGORY_LABELS[c]) for c in missing),
            )
        )
