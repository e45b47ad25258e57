"""The diagnostics app (``notebooks/diagnostics.ipynb``): screening results and the PPSS study.

For methodologists and analysts (Rules 20–21). Three tabs, each shown to the roles whose use
case it serves: the results of schools' screening with filters, views and exports
(``VIEW_RESULTS``), the import of a school's round (``IMPORT_ROUND``), and the quarterly study
of each school's psychological service with its analytical note (``RECORD_STUDY``). Filters and
data live in one ``DiagnosticsState`` the panels observe, so a language switch renders them
again and keeps them, and an import refreshes the results without leaving the import tab.
"""

from __future__ import annotations

from typing import Final

from pcenter_lib.i18n import N_
from widgets.diagnostics.import_panel import ImportPanel
from widgets.diagnostics.results import ResultsPanel
from widgets.diagnostics.state import DiagnosticsState
from widgets.diagnostics.study_panel import StudyPanel
from widgets.kit import App

TITLE: Final = N_("Diagnostics")
HELP: Final = N_(
    "Import and score schools' screening results, compare schools, grades and quarters, and "
    "record the quarterly study of each school's psychological service (Rules 20–21)."
)
STYLE: Final = """
<style>
.pcenter-dx-filters .widget-select-multiple select { min-width: 12em; }
.pcenter-dx-outcome p { margin: 2px 0; }
.pcenter-dx-report { color: #611a15; }
</style>
"""


class DiagnosticsApp(App[DiagnosticsState]):
    """The diagnostics page: results, import and the study of school services."""

    code = "diagnostics"
    title = TITLE
    help_text = HELP
    panel_types = (ResultsPanel, ImportPanel, StudyPanel)
    style = STYLE

    def make_state(self) -> DiagnosticsState:
        return DiagnosticsState(self.workbench, self.shell.actor)


# the page of the notebook: the app on the environment's workbench, or a page saying why not
build_diagnostics_app = DiagnosticsApp.launch
