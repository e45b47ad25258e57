"""The filter bar: instrument, scale, top bands, school year, quarters, place, grade, sex, language.

The chosen values are traits of the ``DiagnosticsState`` (``state.choose``), so a language switch
renders the bar in the new language and keeps them. Options that depend on the data (quarters,
grades, schools of a district) are refilled after every change, without firing the handlers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import ipywidgets as widgets

from pcenter_lib.diagnostics.instruments import get_instrument, instrument_registry
from pcenter_lib.diagnostics.periods import quarter_label
from pcenter_lib.diagnostics.view_tables import district_names, school_names
from pcenter_lib.i18n import N_
from widgets.diagnostics.state import DiagnosticsState
from widgets.kit import show

if TYPE_CHECKING:
    from widgets.kit import Panel

ALL: Final = N_("All")
SEX_LABELS: Final = {"male": N_("Boys"), "female": N_("Girls")}
LANGUAGE_LABELS: Final = {"kk": N_("Kazakh"), "ru": N_("Russian"), "mixed": N_("Mixed")}
# control → (label msgid, the state's filter it sets)
CONTROLS: Final[dict[str, tuple[str, str]]] = {
    "instrument": (N_("Instrument"), "instrument"),
    "scale": (N_("Scale"), "scale"),
    "top_bands": (N_("Top bands"), "top_bands"),
    "school_year": (N_("School year"), "school_year"),
    "periods": (N_("Quarters"), "periods"),
    "grades": (N_("Grades"), "grades"),
    "district": (N_("District"), "district_id"),
    "school": (N_("School"), "school_id"),
    "sex": (N_("Sex"), "sex"),
    "language": (N_("Language of instruction"), "language"),
}
LABEL_WIDTH: Final = "12em"


class FilterBar:
    """The filter widgets of the results panel; ``widget`` is what it shows."""

    def __init__(self, panel: Panel[DiagnosticsState]) -> None:
        self.panel = panel
        self.state = panel.state
        style = {"description_width": LABEL_WIDTH}
        self.instrument = widgets.Dropdown(style=style)
        self.scale = widgets.Dropdown(style=style)
        self.top_bands = widgets.SelectMultiple(rows=4, style=style)
        self.school_year = widgets.Dropdown(style=style)
        self.periods = widgets.SelectMultiple(rows=4, style=style)
        self.grades = widgets.SelectMultiple(rows=4, style=style)
        self.district = widgets.Dropdown(style=style)
        self.school = widgets.Dropdown(style=style)
        self.sex = widgets.Dropdown(style=style)
        self.language = widgets.Dropdown(style=style)
        for name, (_label, trait) in CONTROLS.items():
            control = getattr(self, name)
            control.add_class(f"pcenter-dx-filter-{name}")
            panel.on_change(control, self._setter(trait))
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.instrument, self.scale, self.top_bands]),
                widgets.HBox([self.school_year, self.periods, self.grades]),
                widgets.HBox([self.district, self.school]),
                widgets.HBox([self.sex, self.language]),
            ]
        )
        self.widget.add_class("pcenter-dx-filters")

    def _setter(self, trait: str) -> Any:
        def set_filter(value: object) -> None:
            if trait == "top_bands" and not value:
                return  # at least one band stays chosen
            if isinstance(value, tuple):
                self.state.choose(**{trait: value})
            else:
                self.state.choose(**{trait: value if value is not None else _EMPTY[trait]})

        return set_filter

    def render(self) -> None:
        """Labels and every option in the current language, then the chosen values."""
        t = self.panel.t
        for name, (label, _trait) in CONTROLS.items():
            getattr(self, name).description = t(label)
        self.fill()

    def fill(self) -> None:
        """Options that depend on the language, the data and other choices; the chosen values."""
        t, lang, state = self.panel.t, self.panel.lang, self.state
        definition = get_instrument(state.instrument)
        results = state.results()
        schools = state.schools
        with self.panel.quiet():
            show(
                self.instrument,
                [(d.name.get(lang, code), code) for code, d in instrument_registry().items()],
                state.instrument,
            )
            show(
                self.scale,
                [(s.label.get(lang, s.code), s.code) for s in definition.scales if s.norms],
                state.scale,
            )
            bands = definition.scale(state.scale).band_codes(tuple(definition.band_labels))
            show(
                self.top_bands,
                [(definition.band_labels[b].get(lang, b), b) for b in bands],
                tuple(state.top_bands),
            )
            years = sorted(str(y) for y in results["school_year"].dropna().unique())
            show(
                self.school_year,
                [(t(ALL), ""), *((y, y) for y in years)],
                state.school_year if state.school_year in years else "",
            )
            quarters = sorted(str(q) for q in results["period"].dropna().unique())
            show(
                self.periods,
                [(quarter_label(q, lang), q) for q in quarters],
                tuple(q for q in state.periods if q in quarters),
            )
            grades = sorted(int(g) for g in results["grade"].dropna().unique())
            show(
                self.grades,
                [(str(g), g) for g in grades],
                tuple(g for g in state.grades if g in grades),
            )
            districts = district_names(schools, lang)
            show(
                self.district,
                [(t(ALL), 0), *((name, d) for d, name in districts.items())],
                state.district_id if state.district_id in districts else 0,
            )
            shown = schools
            if state.district_id:
                shown = schools[schools["district_id"] == state.district_id]
            names = school_names(shown, lang)
            show(
                self.school,
                [(t(ALL), 0), *((name, s) for s, name in names.items())],
                state.school_id if state.school_id in names else 0,
            )
            show(
                self.sex,
                [(t(ALL), ""), *((t(label), c) for c, label in SEX_LABELS.items())],
                state.sex,
            )
            show(
                self.language,
                [(t(ALL), ""), *((t(label), c) for c, label in LANGUAGE_LABELS.items())],
                state.language,
            )
        kept = {
            "school_year": self.school_year.value,
            "periods": tuple(self.periods.value),
            "grades": tuple(self.grades.value),
            "district_id": self.district.value,
            "school_id": self.school.value,
        }
        stale = {name: value for name, value in kept.items() if getattr(state, name) != value}
        if stale:  # a choice the new data or district no longer has is dropped
            state.choose(**stale)


_EMPTY: Final[dict[str, object]] = {
    "instrument": "phq9",
    "scale": "total",
    "school_year": "",
    "district_id": 0,
    "school_id": 0,
    "sex": "",
    "language": "",
}
