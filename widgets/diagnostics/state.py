"""What the diagnostics panels share: the data read once, and the methodologist's choices.

Results are read once per instrument through the services and then filtered in pandas, so a
filter change never waits on the database. The filters are traits of ``DiagnosticsState``: the
filter bar sets them with ``choose`` and the views observe ``choice_version``, which moves once
per change however many filters it touched. An import calls ``reload``: the caches are
dropped and ``data_version`` moves, so every panel reads the database again without the page
being rebuilt (the import's outcome stays on screen).
"""

from __future__ import annotations

import pandas as pd
import traitlets

from pcenter_lib.diagnostics.instruments import get_instrument
from pcenter_lib.diagnostics.view_tables import ViewChoice
from pcenter_lib.diagnostics.views import ResultFilter, elevated_bands
from pcenter_lib.services.screening_data import load_results, load_rounds, load_schools
from pcenter_lib.workbench import Workbench
from widgets.kit import AppState

FILTERS = (
    "instrument",
    "scale",
    "top_bands",
    "school_year",
    "periods",
    "district_id",
    "school_id",
    "grades",
    "sex",
    "language",
)


class DiagnosticsState(AppState):
    """Cached frames for one person (their role decides what the services return) and filters."""

    instrument = traitlets.Unicode("phq9")
    scale = traitlets.Unicode("total")
    top_bands = traitlets.Tuple()
    school_year = traitlets.Unicode("")  # empty: every school year
    periods = traitlets.Tuple()
    district_id = traitlets.Int(0)  # 0: every district
    school_id = traitlets.Int(0)
    grades = traitlets.Tuple()
    sex = traitlets.Unicode("")
    language = traitlets.Unicode("")
    data_version = traitlets.Int(0)  # moves after an import: read the database again
    choice_version = traitlets.Int(0)  # moves once per change of the filters: recompute the views

    def __init__(self, workbench: Workbench, actor: str) -> None:
        super().__init__()
        self.workbench, self.actor = workbench, actor
        self._schools: pd.DataFrame | None = None
        self._rounds: pd.DataFrame | None = None
        self._results: dict[str, pd.DataFrame] = {}
        self.fit_instrument()

    # --- data -----------------------------------------------------------------------------
    @property
    def schools(self) -> pd.DataFrame:
        if self._schools is None:
            with self.workbench.sessions() as session:
                self._schools = load_schools(session, actor=self.actor)
        return self._schools

    @property
    def rounds(self) -> pd.DataFrame:
        if self._rounds is None:
            with self.workbench.sessions() as session:
                self._rounds = load_rounds(session, actor=self.actor)
        return self._rounds

    def results(self, instrument: str | None = None) -> pd.DataFrame:
        code = instrument or self.instrument
        if code not in self._results:
            with self.workbench.sessions() as session:
                self._results[code] = load_results(session, actor=self.actor, instrument=code)
        return self._results[code]

    def reload(self) -> None:
        """Drop the caches (after an import) and tell every panel to read the data again."""
        self._schools, self._rounds = None, None
        self._results.clear()
        self.data_version += 1

    # --- choices --------------------------------------------------------------------------
    def selection(self) -> ResultFilter:
        return ResultFilter(
            periods=tuple(self.periods),
            school_years=(self.school_year,) if self.school_year else (),
            district_ids=(self.district_id,) if self.district_id else (),
            school_ids=(self.school_id,) if self.school_id else (),
            grades=tuple(self.grades),
            sexes=(self.sex,) if self.sex else (),
            languages=(self.language,) if self.language else (),
        )

    def choice(self) -> ViewChoice:
        return ViewChoice(self.instrument, self.scale, tuple(self.top_bands), self.selection())

    def choose(self, **values: object) -> None:
        """Set filters (``district_id=3``…), keep scale and bands valid, tell the views once."""
        unknown = set(values) - set(FILTERS)
        if unknown:
            raise KeyError(f"not a filter: {sorted(unknown)}")
        with self.hold_trait_notifications():
            if "instrument" in values and values["instrument"] != self.instrument:
                self.top_bands = ()
            if "scale" in values and values["scale"] != self.scale:
                self.top_bands = ()
            for name, value in values.items():
                setattr(self, name, value)
            self.fit_instrument()
        self.choice_version += 1

    def fit_instrument(self) -> None:
        """Keep scale and top bands valid for the chosen instrument."""
        definition = get_instrument(self.instrument)
        banded = [scale for scale in definition.scales if scale.norms]
        with self.hold_trait_notifications():
            if self.scale not in {scale.code for scale in banded}:
                self.scale = banded[0].code if banded else definition.scales[0].code
            bands = definition.scale(self.scale).band_codes(tuple(definition.band_labels))
            if not self.top_bands or not set(self.top_bands) <= set(bands):
                self.top_bands = elevated_bands(bands)
