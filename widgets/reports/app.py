"""The reports app (``notebooks/reports.ipynb``): the reports the Order makes the Center send.

For the first head (manager) and the methodologists (``UseCase.WRITE_REPORTS``): the monthly
exchange with the child-rights body (Rule 22) with its restricted annex for the management
(``UseCase.EXPORT_THREAT_ANNEX``); the quarterly monitoring of the PPSS with the written
recommendations, their sending and the measures taken (Rules 20–21); the annual work plan with
its progress and the first head's approval (``UseCase.APPROVE_WORK_PLAN``), and the analytical
report (Rule 23); and the register of every report written with its sending.
Each report is previewed in the app and written as DOCX or XLSX in Kazakh or Russian.
"""

from __future__ import annotations

from typing import Final

from pcenter_lib.i18n import N_
from widgets.kit import App
from widgets.reports.plan_panel import AnnualPanel, WorkPlanPanel
from widgets.reports.register import RegisterPanel
from widgets.reports.report_panel import MonthlyPanel, QuarterlyPanel
from widgets.reports.state import ReportsState

TITLE: Final = N_("Reports")
HELP: Final = N_(
    "Choose a report and its period, preview it, then write it as DOCX or XLSX in Kazakh or "
    "Russian. Counts of 1 to 4 children are hidden, and so is any count that would reveal them. "
    "Every file written is registered with its outgoing number and hash; record its sending in "
    "the register."
)


class ReportsApp(App[ReportsState]):
    code = "reports"
    title = TITLE
    help_text = HELP
    panel_types = (MonthlyPanel, QuarterlyPanel, WorkPlanPanel, AnnualPanel, RegisterPanel)

    def make_state(self) -> ReportsState:
        return ReportsState()


build_reports_app = ReportsApp.launch
