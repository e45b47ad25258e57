"""The staffing app (``notebooks/staffing.ipynb``): Today, Workload, Recommendation, Scenarios.

For the first head (manager) and the administrator (``domain.access.APPS``): check the staff
table against the minimum staffing norm (Rule 24), compute from last year's records the staff
the workload needs (WHO WISN), and argue a proposal for the akimat with scenarios.

The Center's data is read once, when the app is first shown; the scenario lives in a
``StaffingState`` that the four views share, so a language switch rebuilds the views and keeps
every number the manager entered.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import Final

import ipywidgets as widgets

from pcenter_lib.config import load_settings
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import DEFAULT_LANGUAGE, N_, Translator
from pcenter_lib.models import utcnow
from pcenter_lib.services.staffing import (
    count_recorded_workload,
    current_center,
    last_full_year,
    read_staff_table,
)
from pcenter_lib.workbench import Workbench, open_workbench
from widgets.identity import requested_language
from widgets.shell import AppShell
from widgets.staffing.recommendation import RecommendationView
from widgets.staffing.scenarios import ScenarioCompare
from widgets.staffing.state import StaffingState
from widgets.staffing.tables import STAFFING_CSS
from widgets.staffing.today import TodayView
from widgets.staffing.workload import WorkloadView

TITLE: Final = N_("Staffing")
HELP: Final = N_(
    "Check the minimum staffing norm (Rule 24), compute the staff that last year's recorded "
    "workload needs (WHO WISN), and compare scenarios to propose to the akimat."
)
TAB_TITLES: Final = (N_("Today"), N_("Workload"), N_("Recommendation"), N_("Scenarios"))
CANNOT_OPEN: Final = N_("The staffing app cannot open: {reason}")


class StaffingApp:
    """The app object: the shell, the shared scenario state and the four views."""

    def __init__(
        self,
        workbench: Workbench,
        *,
        environ: Mapping[str, str] | None = None,
        year: int | None = None,
    ) -> None:
        self.workbench = workbench
        self.year = year
        self.state: StaffingState | None = None
        self.tabs: widgets.Tab | None = None
        self.shell = AppShell(
            workbench, app_code="staffing", title=TITLE, help_text=HELP, environ=environ
        )
        self.widget = self.shell.widget
        self.shell.on_render(self.render)

    @property
    def t(self) -> Translator:
        return self.shell.t

    def _years(self) -> list[tuple[str, int]]:
        """The last three full years, and the current one (its records so far)."""
        assert self.state is not None
        last = last_full_year(utcnow())
        years = [(str(year), year) for year in (last, last - 1, last - 2)]
        years.append((self.t("{year} (so far)", year=last + 1), last + 1))
        if self.state.baseline.year not in {year for _, year in years}:
            years.insert(0, (str(self.state.baseline.year), self.state.baseline.year))
        return years

    def _load_state(self) -> StaffingState:
        year = self.year or last_full_year(utcnow())
        actor = self.shell.actor
        with self.workbench.sessions() as session:
            staff = read_staff_table(session, actor=actor)
            baseline = count_recorded_workload(session, actor=actor, year=year)
            center = current_center(session)
        return StaffingState(center=center, staff=staff, baseline=baseline)

    def change_year(self, year: int) -> None:
        """Use the records of another year as the baseline."""
        assert self.state is not None
        with self.workbench.sessions() as session:
            baseline = count_recorded_workload(session, actor=self.shell.actor, year=year)
        self.state.rebase(baseline)

    def render(self) -> None:
        """Build the four views for the current language from the (kept) state."""
        if self.state is None:
            self.state = self._load_state()
        state, t, guard = self.state, self.t, self.shell.guard
        state.clear_listeners()
        self.today = TodayView(state, t)
        self.workload = WorkloadView(state, t, guard, years=self._years(), on_year=self.change_year)
        self.recommendation = RecommendationView(state, t, guard)
        self.scenarios = ScenarioCompare(
            state,
            t,
            guard,
            workbench=self.workbench,
            actor=self.shell.actor,
            on_loaded=self._after_load,
            notify=self.shell.show_success,
        )
        selected = self.tabs.selected_index if self.tabs is not None else 0
        self.tabs = widgets.Tab(
            children=[
                self.today.widget,
                self.workload.widget,
                self.recommendation.widget,
                self.scenarios.widget,
            ],
            titles=[t(title) for title in TAB_TITLES],
            selected_index=selected,
        )
        self.tabs.add_class("pcenter-staffing-tabs")
        self.shell.body.children = (widgets.HTML(STAFFING_CSS), self.tabs)

    def _after_load(self) -> None:
        """A loaded scenario changes every input: rebuild the views from it."""
        assert self.state is not None
        self.render()
        self.shell.show_success(
            self.t(
                "Scenario {name} loaded (version {version}).",
                name=self.state.loaded_name,
                version=self.state.loaded_version,
            )
        )


def build_staffing_app(
    workbench: Workbench | None = None, environ: Mapping[str, str] | None = None
) -> widgets.Widget:
    """The staffing app's widget, on ``workbench`` (default: the one the environment names).

    If the workbench cannot be opened (no database, no key), the page says why in the
    configured language instead of showing a traceback.
    """
    if workbench is None:
        try:
            workbench = open_workbench()
        except PcenterError as error:
            env = os.environ if environ is None else environ
            lang = requested_language(env) or _configured_language()
            fatal = widgets.HTML(
                html.escape(Translator(lang)(CANNOT_OPEN, reason=error.localized(lang)))
            )
            fatal.add_class("pcenter-fatal")
            return fatal
    return StaffingApp(workbench, environ=environ).widget


def _configured_language() -> str:
    """``PCENTER_LANG`` of the process, as ``open_workbench`` read it (kk if unusable)."""
    try:
        return load_settings().lang
    except PcenterError:
        return DEFAULT_LANGUAGE
