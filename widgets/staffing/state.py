"""What the staffing app knows and the manager changes: one scenario, recomputed on every edit.

The views never compute: they change the parameters through ``StaffingState`` and redraw from
the ``ScenarioResult`` it hands to every listener. The state outlives a language switch (the
views are rebuilt, the numbers stay).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

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

Listener = Callable[[ScenarioResult], object]


class StaffingState:
    """The Center's data, the scenario being edited and its result; listeners hear each change."""

    def __init__(
        self,
        *,
        center: CenterView,
        staff: StaffTableView,
        baseline: WorkloadBaseline,
        parameters: ScenarioParameters | None = None,
    ) -> None:
        self.center = center
        self.staff = staff
        self.baseline = baseline
        self.parameters = parameters or ScenarioParameters()
        self.result = evaluate_scenario(baseline, staff.table, self.parameters)
        self.loaded_name: str | None = None  # the saved scenario being edited, if any
        self.loaded_version: int | None = None
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def clear_listeners(self) -> None:
        self._listeners.clear()

    def evaluate(self, parameters: ScenarioParameters) -> ScenarioResult:
        """The result ``parameters`` would give here, without changing the state."""
        return evaluate_scenario(self.baseline, self.staff.table, parameters)

    def apply(self, parameters: ScenarioParameters) -> ScenarioResult:
        """Recompute with ``parameters``; on an invalid input nothing changes and it raises."""
        result = self.evaluate(parameters)
        self.parameters = parameters
        return self._publish(result)

    def _publish(self, result: ScenarioResult) -> ScenarioResult:
        self.result = result
        for listener in list(self._listeners):
            listener(result)
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
        self.baseline = baseline
        return self._publish(result)

    def load(self, saved: SavedScenario) -> ScenarioResult:
        """Edit a saved scenario: its parameters, and its version to save over."""
        result = self.apply(saved.parameters)
        self.loaded_name, self.loaded_version = saved.name, saved.version
        return result
