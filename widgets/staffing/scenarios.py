"""Scenarios: move demand with sliders and see the effect at once; save, compare, export.

Sliders change the demand (requests, a new district's schools and children), add a
round-the-clock duty line or auxiliary posts; each move recomputes the whole scenario (well
under 50 ms, see ``tests/benchmarks/bench_staffing.py``). Named scenarios are saved with a
version, so two managers saving the same name get a clear conflict, and two or three of them can
be compared side by side. The proposal is exported as XLSX or DOCX in Kazakh or Russian.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.staffing import CATEGORY_LABELS, TOTAL_LABEL, StaffCategory
from pcenter_lib.domain.workload import GROUP_LABELS, ScenarioResult
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import LANGUAGE_NAMES, N_, Translator
from pcenter_lib.services.staffing_exports import EXPORT_LANGUAGES, ExportFormat, export_proposal
from pcenter_lib.services.staffing_scenarios import (
    SavedScenario,
    list_scenarios,
    load_scenario,
    save_scenario,
)
from pcenter_lib.workbench import Workbench
from widgets.markup import download_link
from widgets.staffing.state import StaffingState
from widgets.staffing.tables import format_money, format_ratio, format_units, html_table

Guard = Callable[[Callable[..., Any]], Callable[..., Any]]
COMPARE_MIN, COMPARE_MAX = 2, 3
_WIDE: Final = {"description_width": "initial"}
# slider name → (label msgid, minimum, maximum, step); the parameter of the same name moves
SLIDERS: Final[dict[str, tuple[str, float, float, float]]] = {
    "requests_change_percent": (N_("Change of requests, %"), -50, 200, 5),
    "new_district_schools": (N_("New district: schools"), 0, 300, 1),
    "new_district_children": (N_("New district: children"), 0, 150_000, 500),
    "duty_line_posts": (N_("24/7 duty line posts"), 0, 6, 1),
    "extra_auxiliary_posts": (N_("Extra auxiliary posts"), 0, 20, 0.5),
}


class ScenarioCompare:
    """Sliders, the live verdict, saving and loading, side-by-side comparison and export."""

    def __init__(
        self,
        state: StaffingState,
        t: Translator,
        guard: Guard,
        *,
        workbench: Workbench,
        actor: str,
        on_loaded: Callable[[], object],
        notify: Callable[[str], object],
    ) -> None:
        self.state, self.t, self.workbench, self.actor = state, t, workbench, actor
        self.on_loaded, self.notify = on_loaded, notify
        self.sliders = self._build_sliders(guard)
        self.status = widgets.HTML()
        self.status.add_class("pcenter-staffing-status")
        self.summary = widgets.HTML()
        self.summary.add_class("pcenter-staffing-summary")
        self._build_saving(guard)
        self._build_export(guard)
        self.widget = widgets.VBox(
            [
                _heading(t("Demand and posts")),
                *self.sliders.values(),
                self.status,
                self.summary,
                _heading(t("Save and compare")),
                widgets.HBox([self.name, self.save_button]),
                widgets.HBox([self.saved, widgets.VBox([self.load_button, self.compare_button])]),
                self.comparison,
                _heading(t("Proposal for the akimat")),
                widgets.HBox([self.export_lang, self.xlsx_button, self.docx_button]),
                self.download,
            ]
        )
        self.widget.add_class("pcenter-staffing-scenarios")
        self.show(state.result)
        state.listen(self.show)
        self.refresh_saved()

    def _build_sliders(self, guard: Guard) -> dict[str, widgets.Widget]:
        """One slider per demand parameter, each recomputing the scenario when moved."""
        t = self.t
        sliders: dict[str, widgets.Widget] = {}
        for name, (label, low, high, step) in SLIDERS.items():
            kind = widgets.FloatSlider if isinstance(step, float) else widgets.IntSlider
            slider = kind(
                value=getattr(self.state.parameters, name),
                min=low,
                max=high,
                step=step,
                description=t(label),
                style=_WIDE,
                layout={"width": "640px"},
            )
            if isinstance(slider, widgets.FloatSlider):
                slider.readout_format = ".1f"
            slider.add_class(f"pcenter-staffing-{name.replace('_', '-')}")
            slider.observe(guard(self._slider_handler(name)), names="value")
            sliders[name] = slider
        return sliders

    def _build_saving(self, guard: Guard) -> None:
        """The name box, the save button and the saved list with load and compare."""
        t, state = self.t, self.state
        self.name = widgets.Text(
            value=state.loaded_name or "", description=t("Scenario name"), style=_WIDE
        )
        self.name.add_class("pcenter-staffing-name")
        self.save_button = _button(t("Save scenario"), "pcenter-staffing-save", "primary")
        self.save_button.on_click(guard(self.save))
        self.saved = widgets.SelectMultiple(
            options=[], rows=5, description=t("Saved scenarios"), style=_WIDE
        )
        self.saved.add_class("pcenter-staffing-saved")
        self.load_button = _button(t("Load"), "pcenter-staffing-load")
        self.load_button.on_click(guard(self.load))
        self.compare_button = _button(t("Compare side by side"), "pcenter-staffing-compare")
        self.compare_button.on_click(guard(self.compare))
        self.comparison = widgets.HTML()
        self.comparison.add_class("pcenter-staffing-comparison")

    def _build_export(self, guard: Guard) -> None:
        """The language of the document and the two export buttons."""
        t = self.t
        export_lang = t.lang if t.lang in EXPORT_LANGUAGES else "ru"
        self.export_lang = widgets.Dropdown(
            options=[(LANGUAGE_NAMES[code], code) for code in EXPORT_LANGUAGES],
            value=export_lang,
            description=t("Language of the document"),
            style=_WIDE,
        )
        self.export_lang.add_class("pcenter-staffing-export-lang")
        self.xlsx_button = _button(t("Export XLSX"), "pcenter-staffing-export-xlsx")
        self.xlsx_button.on_click(guard(lambda _b: self.export("xlsx")))
        self.docx_button = _button(t("Export DOCX"), "pcenter-staffing-export-docx")
        self.docx_button.on_click(guard(lambda _b: self.export("docx")))
        self.download = widgets.HTML()
        self.download.add_class("pcenter-staffing-download")

    def _slider_handler(self, name: str) -> Callable[[dict[str, Any]], object]:
        return lambda change: self.state.update(**{name: change["new"]})

    def show(self, result: ScenarioResult) -> None:
        """The verdict on Rule 24 and the key numbers of the scenario, after every change."""
        t, lang = self.t, self.t.lang
        if result.compliant:
            lines = [t("Compliant: the proposal meets the minimum staffing norm (Rule 24).")]
        else:
            lines = [t("Not compliant:")]
            lines += result.proposal_check.messages(lang)
            lines += [conflict.message(lang) for conflict in result.conflicts]
        add = result.posts_to_add
        lines.append(
            t("Today's staff covers the proposal.")
            if add == 0
            else t("{units} staff units to add to today's staff.", units=format_units(add, lang))
        )
        css = "pcenter-ok" if result.compliant else "pcenter-conflict"
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        self.status.value = f'<div class="{css}"><ul>{items}</ul></div>'
        for cls in ("pcenter-compliant", "pcenter-not-compliant"):
            self.status.remove_class(cls)
        self.status.add_class("pcenter-compliant" if result.compliant else "pcenter-not-compliant")
        self.summary.value = html_table(
            [t("Figure"), t("Value")], _key_figures(result, t), css_class="pcenter-staffing-key"
        )

    def refresh_saved(self) -> None:
        with self.workbench.sessions() as session:
            saved = list_scenarios(session, actor=self.actor)
        self.saved.options = [item.name for item in saved]

    def save(self, _button: object = None) -> None:
        name = self.name.value.strip() or self.state.loaded_name or ""
        expected = self.state.loaded_version if name == self.state.loaded_name else None
        with self.workbench.sessions.begin() as session:
            saved = save_scenario(
                session,
                actor=self.actor,
                name=name,
                result=self.state.result,
                baseline_year=self.state.baseline.year,
                expected_version=expected,
            )
        self.state.loaded_name, self.state.loaded_version = saved.name, saved.version
        self.name.value = saved.name
        self.refresh_saved()
        self.notify(
            self.t(
                "Scenario {name} saved (version {version}).", name=saved.name, version=saved.version
            )
        )

    def load(self, _button: object = None) -> None:
        chosen = list(self.saved.value)
        if len(chosen) != 1:
            raise ValidationError(N_("Choose one saved scenario to load."))
        with self.workbench.sessions() as session:
            saved = load_scenario(session, actor=self.actor, name=chosen[0])
        self.state.load(saved)
        self.on_loaded()

    def compare(self, _button: object = None) -> None:
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
        results = [self.state.evaluate(item.parameters) for item in saved]
        columns = [_key_figures(result, t) for result in results]
        rows = [
            [label] + [column[i][1] for column in columns]
            for i, (label, _value) in enumerate(columns[0])
        ]
        return html_table(
            [t("Figure"), *(item.name for item in saved)],
            rows,
            css_class="pcenter-staffing-comparison-table",
        )

    def export(self, fmt: ExportFormat) -> None:
        lang = str(self.export_lang.value)
        name = self.state.loaded_name or self.name.value.strip() or self.t("Unsaved scenario")
        with self.workbench.sessions.begin() as session:
            exported = export_proposal(
                session,
                actor=self.actor,
                fmt=fmt,
                lang=lang,
                result=self.state.result,
                center_name=self.state.center.name(lang),
                scenario_name=name,
                year=self.state.baseline.year,
            )
        self.download.value = download_link(
            exported.content,
            filename=exported.filename,
            media_type=exported.media_type,
            label=self.t("Download {filename}", filename=exported.filename),
        )
        self.notify(self.t("The proposal was exported and recorded in the audit trail."))


def _key_figures(result: ScenarioResult, t: Translator) -> list[list[str]]:
    """The numbers a manager compares: demand, need per group, proposal, cost, verdict."""
    lang, p = t.lang, result.parameters
    rows = [[t(SLIDERS[name][0]), format_units(float(getattr(p, name)), lang)] for name in SLIDERS]
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
    lowest = min((n.ratio for n in result.needs if n.ratio is not None), default=None)
    rows.append([t("Lowest WISN ratio"), format_ratio(lowest, lang)])
    rows.append([t("Annual cost, tenge"), format_money(result.annual_cost, lang)])
    rows.append([t("Rule 24"), t("compliant") if result.compliant else t("not compliant")])
    return rows


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f"<h3>{html.escape(text)}</h3>")


def _button(text: str, css: str, style: str = "") -> widgets.Button:
    button = widgets.Button(description=text, button_style=style, layout={"width": "auto"})
    button.add_class(css)
    return button
