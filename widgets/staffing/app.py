"""The staffing app (``notebooks/staffing.ipynb``): Today, Workload, Recommendation, Scenarios.

For the first head (manager) and the administrator (``UseCase.PLAN_STAFFING``): check the staff
table against the minimum staffing norm (Rule 24), compute from last year's records the staff
the workload needs (WHO WISN), and argue a proposal for the akimat with scenarios.

The Center's data is read once, when the app is first shown; the scenario lives in a
``StaffingState`` that the four panels observe, so a language switch renders them again and
keeps every number the manager entered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from pcenter_lib.i18n import N_
from pcenter_lib.services.staffing import (
    count_recorded_workload,
    current_center,
    last_full_year,
    read_staff_table,
)
from pcenter_lib.workbench import Workbench
from widgets.kit import App
from widgets.staffing.recommendation import RecommendationPanel
from widgets.staffing.scenarios import ScenariosPanel
from widgets.staffing.state import StaffingState
from widgets.staffing.today import TodayPanel
from widgets.staffing.workload import WorkloadPanel

TITLE: Final = N_("Staffing")
HELP: Final = N_(
    "Check the minimum staffing norm (Rule 24), compute the staff that last year's recorded "
    "workload needs (WHO WISN), and compare scenarios to propose to the akimat."
)


class StaffingApp(App[StaffingState]):
    """The staffing page: the Center's staff and workload, and the scenario being edited."""

    code = "staffing"
    title = TITLE
    help_text = HELP
    panel_types = (TodayPanel, WorkloadPanel, RecommendationPanel, ScenariosPanel)

    def __init__(
        self,
        workbench: Workbench,
        *,
        environ: Mapping[str, str] | None = None,
        year: int | None = None,
    ) -> None:
        self.year = year
        super().__init__(workbench, environ=environ)

    def make_state(self) -> StaffingState:
        year = self.year or last_full_year(self.shell.now())
        actor = self.shell.actor
        with self.workbench.sessions() as session:
            staff = read_staff_table(session, actor=actor)
            baseline = count_recorded_workload(session, actor=actor, year=year)
            center = current_center(session)
        return StaffingState(center=center, staff=staff, baseline=baseline)


# the page of the notebook: the app on the environment's workbench, or a page saying why not
build_staffing_app = StaffingApp.launch
