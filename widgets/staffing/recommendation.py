"""Recommendation: per category the larger of the legal floor and the workload need, and its cost.

The auxiliary cap (Rule 24.3) is kept; when the need is above it the conflict is shown, never
hidden. Salary rates are optional: with a monthly rate for every category the view adds the
yearly cost of the proposal and of today's staff.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from pcenter_lib.domain.staffing import CATEGORY_LABELS, StaffCategory
from pcenter_lib.domain.workload import ScenarioResult
from pcenter_lib.i18n import Translator
from pcenter_lib.services.staffing_exports import compliance_notes, row_label
from widgets.staffing.state import StaffingState
from widgets.staffing.tables import format_money, format_units, html_table

Guard = Callable[[Callable[..., Any]], Callable[..., Any]]


class RecommendationView:
    """The proposal table, the Rule 24 verdict with any conflict, and the cost."""

    def __init__(self, state: StaffingState, t: Translator, guard: Guard) -> None:
        self.state, self.t = state, t
        self.rates: dict[StaffCategory, widgets.BoundedFloatText] = {}
        for category in StaffCategory:
            box = widgets.BoundedFloatText(
                value=state.parameters.salary_rates.get(category, 0.0),
                min=0.0,
                max=100_000_000.0,
                step=1000.0,
                description=t("{category}, tenge a month", category=t(CATEGORY_LABELS[category])),
                style={"description_width": "initial"},
                layout={"width": "560px"},
            )
            box.add_class(f"pcenter-staffing-rate-{category.value}")
            box.observe(guard(self._set_rates), names="value")
            self.rates[category] = box
        self.table = widgets.HTML()
        self.table.add_class("pcenter-staffing-proposal")
        self.verdict = widgets.HTML()
        self.verdict.add_class("pcenter-staffing-verdict")
        self.cost = widgets.HTML()
        self.cost.add_class("pcenter-staffing-cost")
        self.widget = widgets.VBox(
            [
                _heading(t("Proposal by category of personnel")),
                self.table,
                self.verdict,
                _heading(t("Salary rates (optional)")),
                widgets.HTML(
                    '<span class="pcenter-note">'
                    + html.escape(t("Enter the monthly cost of one staff unit to see the cost."))
                    + "</span>"
                ),
                *self.rates.values(),
                self.cost,
            ]
        )
        self.widget.add_class("pcenter-staffing-recommendation")
        self.show(state.result)
        state.listen(self.show)

    def _set_rates(self, _change: object = None) -> None:
        """A rate of 0 means "not entered": the cost is shown only when every rate is given."""
        rates = {c: float(box.value) for c, box in self.rates.items() if box.value > 0}
        self.state.update(salary_rates=rates)

    def show(self, result: ScenarioResult) -> None:
        t, lang = self.t, self.t.lang
        with_cost = result.annual_cost is not None
        headers = [
            t("Category"),
            t("Existing units"),
            t("Legal floor"),
            t("Workload need"),
            t("Proposed units"),
            t("Change"),
        ]
        if with_cost:
            headers.append(t("Annual cost, tenge"))
        rows = []
        for row in result.rows:
            cells = [
                row_label(row, t),
                format_units(row.existing, lang),
                format_units(row.floor, lang),
                format_units(row.need, lang),
                format_units(row.recommended, lang),
                _signed(row.change, lang),
            ]
            if with_cost:
                cells.append(format_money(row.annual_cost, lang))
            rows.append(cells)
        total = [
            t("Total"),
            format_units(sum(r.existing for r in result.rows), lang),
            "",
            "",
            format_units(result.total_recommended, lang),
            _signed(sum(r.change for r in result.rows), lang),
        ]
        if with_cost:
            total.append(format_money(result.annual_cost, lang))
        rows.append(total)
        self.table.value = html_table(headers, rows, css_class="pcenter-staffing-proposal-table")
        css = "pcenter-ok" if result.compliant else "pcenter-conflict"
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in compliance_notes(result, t))
        self.verdict.value = f'<div class="{css}"><ul>{notes}</ul></div>'
        if with_cost:
            self.cost.value = html.escape(
                t(
                    "Cost of the proposal: {proposal} tenge a year; of today's staff: "
                    "{existing} tenge a year.",
                    proposal=format_money(result.annual_cost, lang),
                    existing=format_money(result.existing_annual_cost, lang),
                )
            )
        else:
            self.cost.value = ""


def _signed(value: float, lang: str) -> str:
    text = format_units(value, lang)
    return f"+{text}" if value > 0 else text


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f"<h3>{html.escape(text)}</h3>")
