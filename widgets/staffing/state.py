"""What the staffing app knows and the manager changes: one scenario, recomputed on every edit.

The panels never compute: they change the parameters through ``StaffingState`` and redraw when
its ``result`` changes (``Panel.watch``); a loaded scenario or another year changes
``parameters`` or ``baseline``, and the input panels show the new values. The state outlives a
language switch (the panels are rendered again, the numbers stay).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import traitlets

from pcenter_lib.domain.workload import (
    Activity,
    CoreGroup,
    ScenarioParameters,
    ScenarioResult,
    WorkloadBaseline,
    evaluate_scenario,
)
from pcenter_lib.services.staffing import CenterView, StaffTableView
from pcenter_lib.services.staffing_scenarios import SavedScenario
from widgets.kit import AppState


class StaffingState(AppState):
    """The Center's data, the scenario being edited and its result, as traits panels observe."""

    baseline = traitlets.Instance(WorkloadBaseline)
    parameters = traitlets.Instance(ScenarioParameters)
    result = traitlets.Instance(ScenarioResult)
    loaded_name = traitlets.Unicode(None, allow_none=True)  # the saved scenario being edited
    loaded_version = traitlets.Int(None, allow_none=True)

    def __init__(
        self,
        *,
        center: CenterView,
        staff: StaffTableView,
        baseline: WorkloadBaseline,
        parameters: ScenarioParameters | None = None,
    ) -> None:
        chosen = parameters or ScenarioParameters()
        super().__init__(
            baseline=baseline,
            parameters=chosen,
            result=evaluate_scenario(baseline, staff.table, chosen),
        )
        self.center = center
        self.staff = staff

    def evaluate(self, parameters: ScenarioParameters) -> ScenarioResult:
        """The result ``parameters`` would give here, without changing the state."""
        return evaluate_scenario(self.baseline, self.staff.table, parameters)

    def apply(self, parameters: ScenarioParameters) -> ScenarioResult:
        """Recompute with ``parameters``; on an invalid input nothing changes and it raises."""
        result = self.evaluate(parameters)
        with self.hold_trait_notifications():
            self.parameters = parameters
            self.result = result
        return result

    def update(self, **changes: Any) -> ScenarioResult:
        """Change some scalar parameters (``requests_change_percent=20``...)."""
        return self.apply(replace(self.parameters, **changes))

    def set_standard(self, group: CoreGroup, activity: Activity, hours: float) -> ScenarioResult:
        return self.apply(self.parameters.with_standard(group, activity, hours))

    def set_allowance(self, name: str, group: CoreGroup, value: float) -> ScenarioResult:
        """Change ``category_allowance_percent`` or ``individual_allowance_hours`` of a group."""
        current = dict(getattr(self.parameters, name))
        current[group] = value
        return self.update(**{name: current})

    def rebase(self, baseline: WorkloadBaseline) -> ScenarioResult:
        """Use another year's recorded workload (refused, changing nothing, if unusable)."""
        result = evaluate_scenario(baseline, self.staff.table, self.parameters)
        with self.hold_trait_notifications():
            self.baseline = baseline
            self.result = result
        return result

    def load(self, saved: SavedScenario) -> ScenarioResult:
        """Edit a saved scenario: its parameters, and its version to save over."""
        result = self.apply(saved.parameters)
        self.loaded_name, self.loaded_version = saved.name, saved.version
        return result
