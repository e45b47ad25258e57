"""Scenarios: move demand with sliders and see the effect at once; save, compare, export.

Sliders change the demand (requests, a new district's schools and children), add a
round-the-clock duty line or auxiliary posts; each move recomputes the whole scenario (well
under 50 ms, see ``tests/benchmarks/bench_staffing.py``). Named scenarios are saved with a
version, so two managers saving the same name get a clear conflict, and two or three of them can
be compared side by side. The proposal is exported as XLSX or DOCX in Kazakh or Russian.
"""

from __future__ import annotations

from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.staffing import CATEGORY_LABELS, TOTAL_LABEL, StaffCategory
from pcenter_lib.domain.workload import GROUP_LABELS, ScenarioResult
from pcenter_lib.errors import ValidationError
from pcenter_lib.formats import format_money, format_number, format_ratio, format_units
from pcenter_lib.i18n import LANGUAGE_NAMES, N_, Translator
from pcenter_lib.services.staffing_exports import (
    EXPORT_LANGUAGES,
    ExportFormat,
    change_summary,
    export_proposal,
    limit_notes,
)
from pcenter_lib.services.staffing_scenarios import (
    SavedScenario,
    list_scenarios,
    load_scenario,
    save_scenario,
)
from widgets.kit import Panel, offer
from widgets.markup import bullet_list, download_link, heading, html_table
from widgets.shell import AppShell
from widgets.staffing.state import StaffingState

COMPARE_MIN, COMPARE_MAX = 2, 3
LABEL_WIDTH: Final = "16em"  # every slider's label: their tracks start at the same place
# slider name → (label msgid, minimum, maximum, step); the parameter of the same name moves
SLIDERS: Final[dict[str, tuple[str, float, float, float]]] = {
    "requests_change_percent": (N_("Change of requests, %"), -50, 200, 5),
    "new_district_schools": (N_("New district: schools"), 0, 300, 1),
    "new_district_children": (N_("New district: children"), 0, 150_000, 500),
    "duty_line_posts": (N_("24/7 duty line posts"), 0, 6, 1),
    "extra_auxiliary_posts": (N_("Extra auxiliary posts"), 0, 20, 0.5),
}
HEADINGS: Final = (N_("Demand and posts"), N_("Save and compare"), N_("Proposal for the akimat"))


def _button(css: str, style: str = "") -> widgets.Button:
    button = widgets.Button(button_style=style, layout={"width": "max-content"})
    button.add_class(css)
    return button


class ScenariosPanel(Panel[StaffingState]):
    """Sliders, the live verdict, saving and loading, side-by-side comparison and export."""

    title = N_("Scenarios")
    use_case = UseCase.PLAN_STAFFING
    css_class = "pcenter-staffing-scenarios"

    def __init__(self, shell: AppShell, state: StaffingState) -> None:
        super().__init__(shell, state)
        self.sliders = {name: self._slider(name) for name in SLIDERS}
        self.status = widgets.HTML()
        self.status.add_class("pcenter-staffing-status")
        self.status.add_class("pcenter-live")  # the verdict is announced as the sliders move
        self.summary = widgets.HTML()
        self.summary.add_class("pcenter-staffing-summary")
        self.name = widgets.Text(style={"description_width": "initial"})
        self.name.add_class("pcenter-staffing-name")
        self.save_button = _button("pcenter-staffing-save", "primary")
        self.on_click(self.save_button, self.save)
        self.saved = widgets.SelectMultiple(rows=5, style={"description_width": "initial"})
        self.saved.add_class("pcenter-staffing-saved")
        self.load_button = _button("pcenter-staffing-load")
        self.on_click(self.load_button, self.load)
        self.compare_button = _button("pcenter-staffing-compare")
        self.on_click(self.compare_button, self.compare)
        self.comparison = widgets.HTML()
        self.comparison.add_class("pcenter-staffing-comparison")
        self.export_lang = widgets.Dropdown(
            options=[(LANGUAGE_NAMES[code], code) for code in EXPORT_LANGUAGES],
            style={"description_width": "initial"},
            layout={"width": "max-content"},
        )
        self.export_lang.add_class("pcenter-staffing-export-lang")
        self.xlsx_button = _button("pcenter-staffing-export-xlsx")
        self.on_click(self.xlsx_button, lambda: self.export("xlsx"))
        self.docx_button = _button("pcenter-staffing-export-docx")
        self.on_click(self.docx_button, lambda: self.export("docx"))
        self.download = widgets.HTML()
        self.download.add_class("pcenter-staffing-download")
        self.headings = [widgets.HTML() for _ in HEADINGS]
        exporting: tuple[widgets.Widget, ...] = ()
        if self.may(UseCase.EXPORT_PROPOSAL):
            exporting = (
                self.headings[2],
                widgets.HBox([self.export_lang, self.xlsx_button, self.docx_button]),
                self.download,
            )
        self.widget.children = (
            self.headings[0],
            *self.sliders.values(),
            self.status,
            self.summary,
            self.headings[1],
            widgets.HBox([self.name, self.save_button]),
            widgets.HBox([self.saved, widgets.VBox([self.load_button, self.compare_button])]),
            self.comparison,
            *exporting,
        )
        self.watch("result", self.show)
        self.watch("parameters", self.show_inputs)

    def _slider(self, name: str) -> widgets.Widget:
        """One slider per demand parameter, each recomputing the scenario when moved."""
        _label, low, high, step = SLIDERS[name]
        kind = widgets.FloatSlider if isinstance(step, float) else widgets.IntSlider
        slider = kind(
            min=low,
            max=high,
            step=step,
            style={"description_width": LABEL_WIDTH},
            layout={"width": "44em"},
        )
        if isinstance(slider, widgets.FloatSlider):
            slider.readout_format = ".1f"
        slider.add_class(f"pcenter-staffing-{name.replace('_', '-')}")
        self.on_change(slider, lambda value: self.state.update(**{name: value}))
        return slider

    def render(self) -> None:
        t = self.t
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        for name, slider in self.sliders.items():
            slider.description = t(SLIDERS[name][0])
        self.name.description = t("Scenario name")
        self.save_button.description = t("Save scenario")
        self.saved.description = t("Saved scenarios")
        self.load_button.description = t("Load")
        self.compare_button.description = t("Compare side by side")
        self.export_lang.description = t("Language of the document")
        self.xlsx_button.description = t("Export XLSX")
        self.docx_button.description = t("Export DOCX")
        with self.quiet():
            self.export_lang.value = self.lang if self.lang in EXPORT_LANGUAGES else "ru"
        self.show_inputs()
        self.show()
        self.refresh_saved()

    def show_inputs(self) -> None:
        """Every slider and the name box show the scenario (after a load, a language switch)."""
        with self.quiet():
            for name, slider in self.sliders.items():
                slider.value = getattr(self.state.parameters, name)
            self.name.value = self.state.loaded_name or self.name.value

    def show(self) -> None:
        """The verdict on Rule 24 and the key numbers of the scenario, after every change."""
        t, lang, result = self.t, self.lang, self.state.result
        if result.compliant:
            lines = [t("Compliant: the proposal meets the minimum staffing norm (Rule 24).")]
        else:
            lines = [t("Not compliant:")]
            lines += result.proposal_check.messages(lang)
            lines += [conflict.message(lang) for conflict in result.conflicts]
        lines += [change_summary(result, t), *limit_notes(result, t)]
        self.status.value = bullet_list(
            lines, "pcenter-ok" if result.compliant else "pcenter-conflict"
        )
        for cls in ("pcenter-compliant", "pcenter-not-compliant"):
            self.status.remove_class(cls)
        self.status.add_class("pcenter-compliant" if result.compliant else "pcenter-not-compliant")
        self.summary.value = html_table(
            [t("Figure"), t("Value")],
            key_figures(result, t),
            css_class="pcenter-staffing-key",
            numeric_from=1,
        )

    def refresh_saved(self) -> None:
        with self.workbench.sessions() as session:
            saved = list_scenarios(session, actor=self.actor)
        with self.quiet():
            offer(self.saved, [(item.name, item.name) for item in saved])

    def save(self) -> None:
        state = self.state
        name = self.name.value.strip() or state.loaded_name or ""
        expected = state.loaded_version if name == state.loaded_name else None
        with self.workbench.sessions.begin() as session:
            saved = save_scenario(
                session,
                actor=self.actor,
                name=name,
                result=state.result,
                baseline_year=state.baseline.year,
                expected_version=expected,
            )
        state.loaded_name, state.loaded_version = saved.name, saved.version
        self.name.value = saved.name
        self.refresh_saved()
        self.shell.show_success(
            self.t(
                "Scenario {name} saved (version {version}).", name=saved.name, version=saved.version
            )
        )

    def load(self) -> None:
        chosen = list(self.saved.value)
        if len(chosen) != 1:
            raise ValidationError(N_("Choose one saved scenario to load."))
        with self.workbench.sessions() as session:
            saved = load_scenario(session, actor=self.actor, name=chosen[0])
        self.state.load(saved)
        self.name.value = saved.name
        self.shell.show_success(
            self.t(
                "Scenario {name} loaded (version {version}).",
                name=saved.name,
                version=saved.version,
            )
        )

    def compare(self) -> None:
        chosen = list(self.saved.value)
        if not COMPARE_MIN <= len(chosen) <= COMPARE_MAX:
            raise ValidationError(
                N_("Choose {low} or {high} saved scenarios to compare; {count} chosen."),
                low=COMPARE_MIN,
                high=COMPARE_MAX,
                count=len(chosen),
            )
        with self.workbench.sessions() as session:
            saved = [load_scenario(session, actor=self.actor, name=name) for name in chosen]
        self.comparison.value = self.comparison_html(saved)

    def comparison_html(self, saved: list[SavedScenario]) -> str:
        """Key figures of each saved scenario, recomputed on today's data, side by side."""
        t = self.t
        columns = [key_figures(self.state.evaluate(item.parameters), t) for item in saved]
        rows = [
            [label] + [column[i][1] for column in columns]
            for i, (label, _value) in enumerate(columns[0])
        ]
        return html_table(
            [t("Figure"), *(item.name for item in saved)],
            rows,
            css_class="pcenter-staffing-comparison-table",
            numeric_from=1,
        )

    def export(self, fmt: ExportFormat) -> None:
        lang = str(self.export_lang.value)
        state = self.state
        name = state.loaded_name or self.name.value.strip() or self.t("Unsaved scenario")
        with self.workbench.sessions.begin() as session:
            exported = export_proposal(
                session,
                actor=self.actor,
                fmt=fmt,
                lang=lang,
                result=state.result,
                center_name=state.center.name(lang),
                scenario_name=name,
                year=state.baseline.year,
                now=self.shell.now(),
            )
        self.download.value = download_link(
            exported.content,
            filename=exported.filename,
            label=self.t("Download {filename}", filename=exported.filename),
        )
        self.shell.show_success(
            self.t("The proposal was exported and recorded in the audit trail.")
        )


def key_figures(result: ScenarioResult, t: Translator) -> list[list[str]]:
    """The numbers a manager compares: demand, need per group, proposal, cost, verdict."""
    lang, p = t.lang, result.parameters
    rows = [
        [t(SLIDERS[name][0]), format_number(getattr(p, name), lang, digits=1)] for name in SLIDERS
    ]
    rows += [
        [
            t("Required (WISN): {group}", group=t(GROUP_LABELS[need.group])),
            format_units(need.required, lang),
        ]
        for need in result.needs
    ]
    rows += [
        [
            t("Proposed: {category}", category=t(CATEGORY_LABELS[category])),
            format_units(result.recommended(category), lang),
        ]
        for category in StaffCategory
    ]
    rows.append(
        [
            t("Proposed: {category}", category=t(TOTAL_LABEL)),
            format_units(result.total_recommended, lang),
        ]
    )
    rows.append([t("Staff units to add"), format_units(result.posts_to_add, lang)])
    rows.append([t("Staff units to cut"), format_units(result.posts_to_remove, lang)])
    lowest = min((n.ratio for n in result.needs if n.ratio is not None), default=None)
    rows.append([t("Lowest WISN ratio"), format_ratio(lowest, lang)])
    rows.append([t("Annual cost, tenge"), format_money(result.annual_cost, lang)])
    rows.append([t("Rule 24"), t("compliant") if result.compliant else t("not compliant")])
    return rows
