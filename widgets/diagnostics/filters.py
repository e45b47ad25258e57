"""The filter bar: period, district, school, grade, sex, language of instruction, instrument, scale.

The chosen values live in a ``FilterChoice`` on the app, so a language switch rebuilds the bar
in the new language and keeps them. Each change calls ``on_change`` once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import ipywidgets as widgets
import pandas as pd

from pcenter_lib.diagnostics.instruments import get_instrument, instrument_registry
from pcenter_lib.diagnostics.views import ResultFilter, elevated_bands
from pcenter_lib.i18n import N_, Translator
from widgets.diagnostics.data import DiagnosticsData

ALL: Final = N_("All")
SEX_LABELS: Final = {"male": N_("Boys"), "female": N_("Girls")}
LANGUAGE_LABELS: Final = {"kk": N_("Kazakh"), "ru": N_("Russian"), "mixed": N_("Mixed")}


@dataclass
class FilterChoice:
    """What the methodologist chose; empty means all."""

    instrument: str = "phq9"
    scale: str = "total"
    top_bands: tuple[str, ...] = ()
    school_year: str = ""
    periods: tuple[str, ...] = ()
    district_id: int = 0
    school_id: int = 0
    grades: tuple[int, ...] = ()
    sex: str = ""
    language: str = ""

    def result_filter(self) -> ResultFilter:
        return ResultFilter(
            periods=self.periods,
            school_years=(self.school_year,) if self.school_year else (),
            district_ids=(self.district_id,) if self.district_id else (),
            school_ids=(self.school_id,) if self.school_id else (),
            grades=self.grades,
            sexes=(self.sex,) if self.sex else (),
            languages=(self.language,) if self.language else (),
        )

    def place_free(self) -> ResultFilter:
        """The same filter without district and school: the region to compare with."""
        chosen = self.result_filter()
        return ResultFilter(
            periods=chosen.periods,
            school_years=chosen.school_years,
            grades=chosen.grades,
            sexes=chosen.sexes,
            languages=chosen.languages,
        )

    def fit_instrument(self) -> None:
        """Keep scale and top bands valid for the chosen instrument."""
        definition = get_instrument(self.instrument)
        banded = [scale for scale in definition.scales if scale.norms]
        if self.scale not in {scale.code for scale in banded}:
            self.scale = banded[0].code if banded else definition.scales[0].code
        bands = definition.scale(self.scale).band_codes(tuple(definition.band_labels))
        if not self.top_bands or not set(self.top_bands) <= set(bands):
            self.top_bands = elevated_bands(bands)


class FilterBar:
    """The filter widgets; ``widget`` is what the app shows."""

    def __init__(
        self,
        data: DiagnosticsData,
        choice: FilterChoice,
        t: Translator,
        *,
        on_change: Callable[[], object],
        guard: Callable[[Callable[..., Any]], Callable[..., Any]],
    ) -> None:
        self.data, self.choice, self.t, self.on_change = data, choice, t, on_change
        self._quiet = False
        choice.fit_instrument()
        lang = t.lang
        self.instrument = widgets.Dropdown(
            description=t("Instrument"),
            options=[(d.name.get(lang, code), code) for code, d in instrument_registry().items()],
            value=choice.instrument,
        )
        self.scale = widgets.Dropdown(description=t("Scale"))
        self.top_bands = widgets.SelectMultiple(description=t("Top bands"), rows=4)
        self.school_year = widgets.Dropdown(description=t("School year"))
        self.periods = widgets.SelectMultiple(description=t("Quarters"), rows=4)
        self.district = widgets.Dropdown(description=t("District"))
        self.school = widgets.Dropdown(description=t("School"))
        self.grades = widgets.SelectMultiple(description=t("Grades"), rows=4)
        self.sex = widgets.Dropdown(
            description=t("Sex"),
            options=[(t(ALL), ""), *((t(label), code) for code, label in SEX_LABELS.items())],
            value=choice.sex,
        )
        self.language = widgets.Dropdown(
            description=t("Language of instruction"),
            options=[(t(ALL), ""), *((t(label), c) for c, label in LANGUAGE_LABELS.items())],
            value=choice.language,
            style={"description_width": "initial"},
        )
        self._fill_options()
        for control in (
            self.instrument,
            self.scale,
            self.top_bands,
            self.school_year,
            self.periods,
            self.district,
            self.school,
            self.grades,
            self.sex,
            self.language,
        ):
            control.observe(guard(self._changed), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.instrument, self.scale, self.top_bands]),
                widgets.HBox([self.school_year, self.periods, self.grades]),
                widgets.HBox([self.district, self.school, self.sex, self.language]),
            ]
        )
        self.widget.add_class("pcenter-dx-filters")

    def _fill_options(self) -> None:
        """Options that depend on the data and on other choices, then the chosen values."""
        t, choice, lang = self.t, self.choice, self.t.lang
        definition = get_instrument(choice.instrument)
        results = self.data.results(choice.instrument)
        schools = self.data.schools
        self._quiet = True
        try:
            self.scale.options = [
                (scale.label.get(lang, scale.code), scale.code)
                for scale in definition.scales
                if scale.norms
            ]
            self.scale.value = choice.scale
            bands = definition.scale(choice.scale).band_codes(tuple(definition.band_labels))
            self.top_bands.options = [(definition.band_labels[b].get(lang, b), b) for b in bands]
            self.top_bands.value = choice.top_bands
            years = sorted(str(y) for y in results["school_year"].dropna().unique())
            self.school_year.options = [(t(ALL), ""), *((y, y) for y in years)]
            choice.school_year = choice.school_year if choice.school_year in years else ""
            self.school_year.value = choice.school_year
            quarters = sorted(str(q) for q in results["period"].dropna().unique())
            self.periods.options = quarters
            choice.periods = tuple(q for q in choice.periods if q in quarters)
            self.periods.value = choice.periods
            grades = sorted(int(g) for g in results["grade"].dropna().unique())
            self.grades.options = [(str(g), g) for g in grades]
            choice.grades = tuple(g for g in choice.grades if g in grades)
            self.grades.value = choice.grades
            districts = schools.drop_duplicates("district_id")
            self.district.options = [(t(ALL), 0)] + [
                (str(row[f"district_{lang}"]), int(row["district_id"]))
                for _, row in districts.iterrows()
            ]
            if choice.district_id not in {int(d) for d in districts["district_id"]}:
                choice.district_id = 0
            self.district.value = choice.district_id
            self._fill_schools(schools)
        finally:
            self._quiet = False

    def _fill_schools(self, schools: pd.DataFrame) -> None:
        chosen = (
            schools
            if not self.choice.district_id
            else schools[schools["district_id"] == self.choice.district_id]
        )
        name = "name_kk" if self.t.lang == "kk" else "name_ru"
        self.school.options = [(self.t(ALL), 0)] + [
            (str(row[name]), int(row["school_id"])) for _, row in chosen.iterrows()
        ]
        if self.choice.school_id not in {int(s) for s in chosen["school_id"]}:
            self.choice.school_id = 0
        self.school.value = self.choice.school_id

    def _changed(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        choice = self.choice
        owner = change["owner"]
        if owner is self.instrument:
            choice.instrument = str(self.instrument.value)
            choice.top_bands = ()
            choice.fit_instrument()
        elif owner is self.scale:
            choice.scale = str(self.scale.value)
            choice.top_bands = ()
            choice.fit_instrument()
        elif owner is self.top_bands:
            choice.top_bands = tuple(self.top_bands.value) or choice.top_bands
        elif owner is self.district:
            choice.district_id = int(self.district.value or 0)
        choice.school_year = str(self.school_year.value or "")
        choice.periods = tuple(self.periods.value)
        choice.school_id = int(self.school.value or 0)
        choice.grades = tuple(int(g) for g in self.grades.value)
        choice.sex = str(self.sex.value or "")
        choice.language = str(self.language.value or "")
        self._fill_options()
        self.on_change()
