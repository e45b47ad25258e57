"""Workload: last year's recorded activity, editable activity standards and allowances, WISN.

The counts come from the database (``count_recorded_workload``); information campaigns have no
table, so the manager enters their number. Every standard, allowance and absence figure is an
input; each change recomputes WISN per core group and the sensitivity to each standard.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Final

import ipywidgets as widgets
from babel.numbers import format_decimal

from pcenter_lib.domain.workload import (
    ACTIVITY_LABELS,
    GROUP_LABELS,
    WISN_GROUPS,
    Activity,
    CoreGroup,
    ScenarioResult,
)
from pcenter_lib.i18n import N_, Translator
from widgets.staffing.state import StaffingState
from widgets.staffing.tables import (
    format_count,
    format_hours,
    format_ratio,
    format_units,
    html_table,
)

Guard = Callable[[Callable[..., Any]], Callable[..., Any]]
SENSITIVITY_STEP: Final = 10  # per cent: wisn_sensitivity's default change of 0.1
_WIDE: Final = {"description_width": "initial"}


def _number(
    value: float, *, low: float, high: float, step: float, css: str, description: str = ""
) -> widgets.BoundedFloatText:
    box = widgets.BoundedFloatText(
        value=value, min=low, max=high, step=step, description=description, style=_WIDE
    )
    box.layout.width = "240px" if description else "100px"
    box.add_class(css)
    return box


def _cell(text: str, width: str, *, bold: bool = False) -> widgets.HTML:
    escaped = html.escape(text)
    return widgets.HTML(f"<b>{escaped}</b>" if bold else escaped, layout={"width": width})


def _row(texts: list[str], *, header: bool = False) -> widgets.HBox:
    """A header line above the input grid (widths match the rows below)."""
    widths = ["230px", "200px", "100px", "420px"]
    return widgets.HBox([_cell(text, widths[i], bold=header) for i, text in enumerate(texts)])


class WorkloadView:
    """Recorded workload, the standards and allowances the manager sets, and WISN per group."""

    def __init__(
        self,
        state: StaffingState,
        t: Translator,
        guard: Guard,
        *,
        years: list[tuple[str, int]],
        on_year: Callable[[int], object],
    ) -> None:
        self.state, self.t = state, t
        p = state.parameters
        self.year = widgets.Dropdown(
            options=years, value=state.baseline.year, description=t("Year of records"), style=_WIDE
        )
        self.year.add_class("pcenter-staffing-year")
        self.year.observe(guard(lambda change: on_year(int(change["new"]))), names="value")
        self.counts = widgets.HTML()
        self.counts.add_class("pcenter-staffing-counts")
        self.campaigns = widgets.BoundedIntText(
            value=p.information_campaigns,
            min=0,
            max=10_000,
            description=t("Information campaigns last year"),
            style=_WIDE,
        )
        self.campaigns.layout.width = "420px"
        self.campaigns.add_class("pcenter-staffing-campaigns")
        self.campaigns.observe(
            guard(lambda c: state.update(information_campaigns=int(c["new"]))), names="value"
        )
        self.bases: dict[tuple[CoreGroup, Activity], widgets.HTML] = {}
        self.standard_boxes: dict[tuple[CoreGroup, Activity], widgets.BoundedFloatText] = {}
        self.allowance_boxes: dict[CoreGroup, tuple[widgets.Widget, widgets.Widget]] = {}
        self.absences = self._absence_inputs(guard)
        self.awt = widgets.HTML()
        self.awt.add_class("pcenter-staffing-awt")
        self.standards = self._standard_inputs(guard)
        self.allowances = self._allowance_inputs(guard)
        self.wisn = widgets.HTML()
        self.wisn.add_class("pcenter-staffing-wisn")
        self.sensitivity = widgets.HTML()
        self.sensitivity.add_class("pcenter-staffing-sensitivity")
        self.widget = widgets.VBox(
            [
                self._heading(N_("Recorded workload")),
                self.year,
                self.counts,
                self.campaigns,
                self._heading(N_("Available working time")),
                widgets.HBox(list(self.absences.values()), layout={"flex_flow": "row wrap"}),
                self.awt,
                self._heading(N_("Activity standards (hours per unit)")),
                self.standards,
                self._heading(N_("Allowances")),
                self.allowances,
                self._heading(N_("Workload need of core personnel (WHO WISN)")),
                self.wisn,
                self._heading(N_("Sensitivity to the activity standards")),
                self.sensitivity,
            ]
        )
        self.widget.add_class("pcenter-staffing-workload")
        self.show(state.result)
        state.listen(self.show)

    def _heading(self, msgid: str) -> widgets.HTML:
        return widgets.HTML(f"<h3>{html.escape(self.t(msgid))}</h3>")

    def _absence_inputs(self, guard: Guard) -> dict[str, widgets.BoundedFloatText]:
        t, p = self.t, self.state.parameters
        specs = {
            "hours_per_day": (t("Hours per day"), p.hours_per_day, 0.5, 24.0, 0.5),
            "leave_days": (t("Leave days"), p.leave_days, 0.0, 200.0, 1.0),
            "sick_days": (t("Sick days"), p.sick_days, 0.0, 200.0, 1.0),
            "training_days": (t("Training days"), p.training_days, 0.0, 200.0, 1.0),
        }
        boxes = {}
        for name, (label, value, low, high, step) in specs.items():
            box = _number(
                value,
                low=low,
                high=high,
                step=step,
                description=label,
                css=f"pcenter-staffing-{name.replace('_', '-')}",
            )
            box.observe(guard(self._scalar_handler(name)), names="value")
            boxes[name] = box
        return boxes

    def _scalar_handler(self, name: str) -> Callable[[dict[str, Any]], object]:
        return lambda change: self.state.update(**{name: float(change["new"])})

    def _standard_inputs(self, guard: Guard) -> widgets.VBox:
        """One row per standard: who and what, hours per unit (editable), and its basis."""
        t = self.t
        rows: list[widgets.Widget] = [
            _row([t("Group"), t("Activity"), t("Hours per unit"), t("Basis")], header=True)
        ]
        for standard in self.state.parameters.standards:
            key = (standard.group, standard.activity)
            box = _number(
                standard.hours_per_unit,
                low=0.01,
                high=1000.0,
                step=0.05,
                css="pcenter-staffing-standard",
            )
            box.observe(
                guard(lambda c, g=key[0], a=key[1]: self.state.set_standard(g, a, float(c["new"]))),
                names="value",
            )
            self.standard_boxes[key] = box
            self.bases[key] = widgets.HTML(layout={"width": "420px"})
            rows.append(
                widgets.HBox(
                    [
                        _cell(t(GROUP_LABELS[standard.group]), "230px"),
                        _cell(t(ACTIVITY_LABELS[standard.activity]), "200px"),
                        box,
                        self.bases[key],
                    ]
                )
            )
        return widgets.VBox(rows)

    def _allowance_inputs(self, guard: Guard) -> widgets.VBox:
        """Per group: support activities (category allowance, % of time) and individual hours."""
        t, p = self.t, self.state.parameters
        rows: list[widgets.Widget] = [
            _row(
                [
                    t("Group"),
                    t("Support activities, % of working time"),
                    t("Individual allowances, hours a year"),
                ],
                header=True,
            )
        ]
        for group in WISN_GROUPS:
            category = _number(
                p.category_allowance_percent.get(group, 0.0),
                low=0.0,
                high=95.0,
                step=0.5,
                css="pcenter-staffing-category-allowance",
            )
            category.observe(
                guard(
                    lambda c, g=group: self.state.set_allowance(
                        "category_allowance_percent", g, float(c["new"])
                    )
                ),
                names="value",
            )
            individual = _number(
                p.individual_allowance_hours.get(group, 0.0),
                low=0.0,
                high=100_000.0,
                step=10.0,
                css="pcenter-staffing-individual-allowance",
            )
            individual.observe(
                guard(
                    lambda c, g=group: self.state.set_allowance(
                        "individual_allowance_hours", g, float(c["new"])
                    )
                ),
                names="value",
            )
            self.allowance_boxes[group] = (category, individual)
            rows.append(
                widgets.HBox(
                    [
                        _cell(t(GROUP_LABELS[group]), "230px"),
                        category,
                        _cell("", "110px"),
                        individual,
                    ]
                )
            )
        return widgets.VBox(rows)

    def show(self, result: ScenarioResult) -> None:
        """Redraw every figure from ``result``."""
        t, lang = self.t, self.t.lang
        baseline = self.state.baseline
        for standard in result.parameters.standards:
            basis = self.bases.get((standard.group, standard.activity))
            if basis is not None:
                basis.value = f'<span class="pcenter-note">{html.escape(t(standard.basis))}</span>'
        rows = [
            [
                t(ACTIVITY_LABELS[activity]),
                str(baseline.counts.get(activity, 0)),
                format_units(result.demand[activity], lang),
            ]
            for activity in Activity
            if activity is not Activity.INFORMATION_CAMPAIGNS
        ]
        rows.append(
            [
                t(ACTIVITY_LABELS[Activity.INFORMATION_CAMPAIGNS]),
                str(result.parameters.information_campaigns),
                format_units(result.demand[Activity.INFORMATION_CAMPAIGNS], lang),
            ]
        )
        self.counts.value = html_table(
            [t("Activity"), t("Recorded in {year}", year=baseline.year), t("Under the scenario")],
            rows,
            css_class="pcenter-staffing-counts-table",
        ) + html.escape(
            t(
                "Schools served: {schools}; children: {children}.",
                schools=format_count(baseline.schools, lang),
                children=format_count(baseline.children, lang),
            )
        )
        self.awt.value = html.escape(
            t(
                "{days} working days in {year} on the Kazakhstan calendar; available working time "
                "{hours} hours a year per full-time post.",
                days=baseline.working_days,
                year=baseline.year,
                hours=format_hours(result.available_hours, lang),
            )
        )
        self.wisn.value = html_table(
            [
                t("Group"),
                t("Existing units"),
                t("Required (WISN)"),
                t("Need in posts"),
                t("WISN difference"),
                t("WISN ratio"),
            ],
            [
                [
                    t(GROUP_LABELS[need.group]),
                    format_units(need.existing, lang),
                    format_units(need.required, lang),
                    format_units(need.posts, lang),
                    format_units(need.difference, lang),
                    format_ratio(need.ratio, lang),
                ]
                for need in result.needs
            ],
            css_class="pcenter-staffing-wisn-table",
        ) + html.escape(
            t("WISN ratio = existing ÷ required: 1 balanced, below 1 shortage, above 1 excess.")
        )
        self.sensitivity.value = html_table(
            [
                t("Group"),
                t("Activity"),
                t(
                    "Change of required staff if the standard grows by {step} %",
                    step=SENSITIVITY_STEP,
                ),
            ],
            [
                [
                    t(GROUP_LABELS[need.group]),
                    t(ACTIVITY_LABELS[row.activity]),
                    format_decimal(delta, "+0.000;-0.000", locale=lang),
                ]
                for need in result.needs
                for row, delta in zip(need.activities, need.sensitivity, strict=True)
            ],
            css_class="pcenter-staffing-sensitivity-table",
            numeric_from=2,
        )
