"""Workload: last year's recorded activity, editable activity standards and allowances, WISN.

The counts come from the database (``count_recorded_workload``); information campaigns have no
table, so the manager enters their number. Every standard, allowance and absence figure is an
input; each change recomputes WISN per core group and the sensitivity to each standard.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.workload import (
    ACTIVITY_LABELS,
    GROUP_LABELS,
    WISN_GROUPS,
    Activity,
    CoreGroup,
)
from pcenter_lib.formats import (
    format_count,
    format_number,
    format_ratio,
    format_signed,
    format_units,
)
from pcenter_lib.i18n import N_
from pcenter_lib.services.staffing import count_recorded_workload, last_full_year
from widgets.kit import Panel, show
from widgets.markup import heading, html_table, note
from widgets.shell import AppShell
from widgets.staffing.state import StaffingState

SENSITIVITY_STEP: Final = 10  # per cent: wisn_sensitivity's default change of 0.1
LABEL_WIDTH: Final = "16em"  # every labelled input of the panel: their boxes line up
HEADINGS: Final = (
    N_("Recorded workload"),
    N_("Available working time"),
    N_("Activity standards (hours per unit)"),
    N_("Allowances"),
    N_("Workload need of core personnel (WHO WISN)"),
    N_("Sensitivity to the activity standards"),
)
# absence input → (label msgid, minimum, maximum, step)
ABSENCES: Final[dict[str, tuple[str, float, float, float]]] = {
    "hours_per_day": (N_("Hours per day"), 0.5, 24.0, 0.5),
    "leave_days": (N_("Leave days"), 0.0, 200.0, 1.0),
    "sick_days": (N_("Sick days"), 0.0, 200.0, 1.0),
    "training_days": (N_("Training days"), 0.0, 200.0, 1.0),
}
ALLOWANCES: Final = ("category_allowance_percent", "individual_allowance_hours")
# column widths of the two input grids: the header cells line up with the rows
STANDARD_COLUMNS: Final = ("16em", "14em", "7em", "28em")
ALLOWANCE_COLUMNS: Final = ("16em", "16em", "16em")


def _number(value: float, *, low: float, high: float, step: float, css: str) -> widgets.Widget:
    box = widgets.BoundedFloatText(value=value, min=low, max=high, step=step)
    box.layout.width = "7em"
    box.add_class(css)
    return box


def _cell(width: str) -> widgets.HTML:
    return widgets.HTML(layout=widgets.Layout(width=width))


class WorkloadPanel(Panel[StaffingState]):
    """Recorded workload, the standards and allowances the manager sets, and WISN per group."""

    title = N_("Workload")
    use_case = UseCase.PLAN_STAFFING
    css_class = "pcenter-staffing-workload"

    def __init__(self, shell: AppShell, state: StaffingState) -> None:
        super().__init__(shell, state)
        p = state.parameters
        self.year = widgets.Dropdown(style={"description_width": LABEL_WIDTH})
        self.year.add_class("pcenter-staffing-year")
        self.on_change(self.year, lambda year: self.change_year(int(year)))
        self.counts = widgets.HTML()
        self.counts.add_class("pcenter-staffing-counts")
        self.campaigns = widgets.BoundedIntText(
            value=p.information_campaigns,
            min=0,
            max=10_000,
            style={"description_width": LABEL_WIDTH},
            layout=widgets.Layout(width="24em"),
        )
        self.campaigns.add_class("pcenter-staffing-campaigns")
        self.on_change(self.campaigns, lambda n: state.update(information_campaigns=int(n)))
        self.absences = {name: self._absence(name) for name in ABSENCES}
        self.awt = widgets.HTML()
        self.awt.add_class("pcenter-staffing-awt")
        self.bases: dict[tuple[CoreGroup, Activity], widgets.HTML] = {}
        self.standard_boxes: dict[tuple[CoreGroup, Activity], widgets.Widget] = {}
        self.standard_labels: list[tuple[widgets.HTML, widgets.HTML, CoreGroup, Activity]] = []
        self.standard_header = [_cell(width) for width in STANDARD_COLUMNS]
        self.standards = widgets.VBox([widgets.HBox(self.standard_header), *self._standards()])
        self.allowance_boxes: dict[CoreGroup, tuple[widgets.Widget, widgets.Widget]] = {}
        self.allowance_labels: dict[CoreGroup, widgets.HTML] = {}
        self.allowance_header = [_cell(width) for width in ALLOWANCE_COLUMNS]
        self.allowances = widgets.VBox([widgets.HBox(self.allowance_header), *self._allowances()])
        self.wisn = widgets.HTML()
        self.wisn.add_class("pcenter-staffing-wisn")
        self.sensitivity = widgets.HTML()
        self.sensitivity.add_class("pcenter-staffing-sensitivity")
        self.headings = [widgets.HTML() for _ in HEADINGS]
        self.widget.children = (
            self.headings[0],
            self.year,
            self.counts,
            self.campaigns,
            self.headings[1],
            widgets.HBox(list(self.absences.values()), layout={"flex_flow": "row wrap"}),
            self.awt,
            self.headings[2],
            self.standards,
            self.headings[3],
            self.allowances,
            self.headings[4],
            self.wisn,
            self.headings[5],
            self.sensitivity,
        )
        self.watch("result", self.show)
        self.watch("parameters", self.show_inputs)

    # --- building ---------------------------------------------------------------------------
    def _absence(self, name: str) -> widgets.Widget:
        _label, low, high, step = ABSENCES[name]
        box = widgets.BoundedFloatText(
            value=getattr(self.state.parameters, name),
            min=low,
            max=high,
            step=step,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="max-content"),
        )
        box.add_class(f"pcenter-staffing-{name.replace('_', '-')}")
        self.on_change(box, self._setter(name))
        return box

    def _setter(self, name: str) -> Callable[[object], object]:
        return lambda value: self.state.update(**{name: float(str(value))})

    def _standard_setter(self, group: CoreGroup, activity: Activity) -> Callable[[object], object]:
        return lambda hours: self.state.set_standard(group, activity, float(str(hours)))

    def _allowance_setter(self, name: str, group: CoreGroup) -> Callable[[object], object]:
        return lambda value: self.state.set_allowance(name, group, float(str(value)))

    def _standards(self) -> list[widgets.Widget]:
        """One row per standard: who and what, hours per unit (editable), and its basis."""
        rows: list[widgets.Widget] = []
        for standard in self.state.parameters.standards:
            key = (standard.group, standard.activity)
            box = _number(
                standard.hours_per_unit,
                low=0.01,
                high=1000.0,
                step=0.05,
                css="pcenter-staffing-standard",
            )
            self.on_change(box, self._standard_setter(*key))
            group, activity = _cell(STANDARD_COLUMNS[0]), _cell(STANDARD_COLUMNS[1])
            self.standard_boxes[key] = box
            self.bases[key] = _cell(STANDARD_COLUMNS[3])
            self.standard_labels.append((group, activity, *key))
            rows.append(widgets.HBox([group, activity, box, self.bases[key]]))
        return rows

    def _allowances(self) -> list[widgets.Widget]:
        """Per group: support activities (category allowance, % of time) and individual hours."""
        rows: list[widgets.Widget] = []
        for group in WISN_GROUPS:
            boxes = []
            for name, (high, step) in zip(
                ALLOWANCES, ((95.0, 0.5), (100_000.0, 10.0)), strict=True
            ):
                box = _number(
                    0.0,
                    low=0.0,
                    high=high,
                    step=step,
                    css=f"pcenter-staffing-{name.split('_')[0]}-allowance",
                )
                self.on_change(box, self._allowance_setter(name, group))
                boxes.append(box)
            self.allowance_boxes[group] = (boxes[0], boxes[1])
            self.allowance_labels[group] = _cell(ALLOWANCE_COLUMNS[0])
            rows.append(
                widgets.HBox(
                    [
                        self.allowance_labels[group],
                        widgets.Box([boxes[0]], layout={"width": ALLOWANCE_COLUMNS[1]}),
                        widgets.Box([boxes[1]], layout={"width": ALLOWANCE_COLUMNS[2]}),
                    ]
                )
            )
        return rows

    # --- rendering --------------------------------------------------------------------------
    def render(self) -> None:
        t = self.t
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        self.year.description = t("Year of records")
        self.campaigns.description = t("Information campaigns last year")
        for name, box in self.absences.items():
            box.description = t(ABSENCES[name][0])
        headers = (t("Group"), t("Activity"), t("Hours per unit"), t("Basis"))
        for cell, text in zip(self.standard_header, headers, strict=True):
            cell.value = f"<b>{html.escape(text)}</b>"
        for group_cell, activity_cell, group, activity in self.standard_labels:
            group_cell.value = html.escape(t(GROUP_LABELS[group]))
            activity_cell.value = html.escape(t(ACTIVITY_LABELS[activity]))
        allowance_headers = (
            t("Group"),
            t("Support activities, % of working time"),
            t("Individual allowances, hours a year"),
        )
        for cell, text in zip(self.allowance_header, allowance_headers, strict=True):
            cell.value = f"<b>{html.escape(text)}</b>"
        for group, cell in self.allowance_labels.items():
            cell.value = html.escape(t(GROUP_LABELS[group]))
        # each number box of the grids is named by its row and column (the tooltip becomes its
        # accessible name in the page script), so a screen reader does not say only "spin button"
        for (group, activity), box in self.standard_boxes.items():
            box.tooltip = f"{t(GROUP_LABELS[group])}: {t(ACTIVITY_LABELS[activity])}, {headers[2]}"
        for group, boxes in self.allowance_boxes.items():
            for box, column in zip(boxes, allowance_headers[1:], strict=True):
                box.tooltip = f"{t(GROUP_LABELS[group])}: {column}"
        self.show_inputs()
        self.show()

    def years(self) -> list[tuple[str, int]]:
        """The last three full years, and the current one (its records so far)."""
        last = last_full_year(self.shell.now())
        years = [(str(year), year) for year in (last, last - 1, last - 2)]
        years.append((self.t("{year} (so far)", year=last + 1), last + 1))
        chosen = self.state.baseline.year
        if chosen not in {year for _, year in years}:
            years.insert(0, (str(chosen), chosen))
        return years

    def change_year(self, year: int) -> None:
        """Use the records of another year as the baseline."""
        with self.workbench.sessions() as session:
            baseline = count_recorded_workload(session, actor=self.actor, year=year)
        self.state.rebase(baseline)

    def show_inputs(self) -> None:
        """Every input shows the scenario's value (after a load, a language switch)."""
        p = self.state.parameters
        with self.quiet():
            show(self.year, self.years(), self.state.baseline.year)
            self.campaigns.value = p.information_campaigns
            for name, box in self.absences.items():
                box.value = getattr(p, name)
            for standard in p.standards:
                self.standard_boxes[
                    (standard.group, standard.activity)
                ].value = standard.hours_per_unit
            for group, (category, individual) in self.allowance_boxes.items():
                category.value = p.category_allowance_percent.get(group, 0.0)
                individual.value = p.individual_allowance_hours.get(group, 0.0)

    def show(self) -> None:
        """Redraw every figure from the state's result."""
        t, lang = self.t, self.lang
        result, baseline = self.state.result, self.state.baseline
        for standard in result.parameters.standards:
            basis = self.bases.get((standard.group, standard.activity))
            if basis is not None:
                basis.value = note(t(standard.basis))
        rows = [
            [
                t(ACTIVITY_LABELS[activity]),
                format_count(
                    result.parameters.information_campaigns
                    if activity is Activity.INFORMATION_CAMPAIGNS
                    else baseline.counts.get(activity, 0),
                    lang,
                ),
                format_units(result.demand[activity], lang),
            ]
            for activity in sorted(Activity, key=lambda a: a is Activity.INFORMATION_CAMPAIGNS)
        ]
        self.counts.value = html_table(
            [t("Activity"), t("Recorded in {year}", year=baseline.year), t("Under the scenario")],
            rows,
            css_class="pcenter-staffing-counts-table",
            numeric_from=1,
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
                hours=format_number(result.available_hours, lang, digits=2),
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
            numeric_from=1,
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
                    format_signed(delta, lang, digits=3, exact=True),
                ]
                for need in result.needs
                for row, delta in zip(need.activities, need.sensitivity, strict=True)
            ],
            css_class="pcenter-staffing-sensitivity-table",
            numeric_from=2,
        )
