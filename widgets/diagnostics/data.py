"""What the diagnostics app keeps in memory: schools, rounds and one results frame per instrument.

Frames are read once through the services and then filtered in pandas, so changing a filter
never waits on the database. An import clears the caches so the new round shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pcenter_lib.services.screening_data import load_results, load_rounds, load_schools
from pcenter_lib.workbench import Workbench


@dataclass
class DiagnosticsData:
    """Cached frames for one person (their role decides what the services return)."""

    workbench: Workbench
    actor: str
    _schools: pd.DataFrame | None = None
    _rounds: pd.DataFrame | None = None
    _results: dict[str, pd.DataFrame] = field(default_factory=dict)

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

    def results(self, instrument: str) -> pd.DataFrame:
        if instrument not in self._results:
            with self.workbench.sessions() as session:
                self._results[instrument] = load_results(
                    session, actor=self.actor, instrument=instrument
                )
        return self._results[instrument]

    def forget(self) -> None:
        """Drop the caches (after an import) so the next read sees the database again."""
        self._schools, self._rounds = None, None
        self._results.clear()

    def school_name(self, school_id: int, lang: str) -> str:
        rows = self.schools[self.schools["school_id"] == school_id]
        if rows.empty:
            return str(school_id)
        row = rows.iloc[0]
        return str(row["name_kk"] if lang == "kk" else row["name_ru"])

    def district_name(self, district_id: int, lang: str) -> str:
        rows = self.schools[self.schools["district_id"] == district_id]
        if rows.empty:
            return str(district_id)
        return str(rows.iloc[0][f"district_{lang}"])
