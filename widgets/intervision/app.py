"""The intervision app (``notebooks/intervision.ipynb``) for methodologists and supervisors.

Rule 11.3: intervision raises the qualification of the Center's and schools' PPSS specialists
through sessions of psychological case analysis, with methodical support on documentation. Five
tabs: plan and choose sessions; run one phase by phase with a timer; draft, edit and export
de-identified case materials through the leak check; series with their final evaluation and the
attendance hours; reviews of schools' PPSS documentation against the checklists.
"""

from __future__ import annotations

from typing import Final

from pcenter_lib.i18n import N_
from pcenter_lib.services.intervision_materials import list_cases
from pcenter_lib.services.intervision_sessions import read_directory
from widgets.intervision.materials import MaterialsPanel
from widgets.intervision.reviews import ReviewsPanel
from widgets.intervision.run import RunPanel
from widgets.intervision.series import SeriesPanel
from widgets.intervision.sessions import SessionsPanel
from widgets.intervision.state import IntervisionState
from widgets.kit import App

TITLE: Final = N_("Intervision")
HELP: Final = N_(
    "Intervision (Rule 11.3): plan a session in a structured format with participants from the "
    "Center and from schools' PPSS; run it phase by phase with a timer and a note per phase; "
    "record learning points, agreements and attendance, which counts towards "
    "professional-development hours. Draft a de-identified vignette from a case, edit it, and "
    "export the session pack as DOCX or HTML: the leak check runs on every export and refuses "
    "it while any name, IIN, phone, school, address or date remains, showing what and where. "
    "Series gather a fixed group and end with a final evaluation. Documentation reviews score "
    "a school's PPSS documents against the checklists for the quarterly study (Rule 21)."
)


class IntervisionApp(App[IntervisionState]):
    """The intervision page: sessions, run, materials, series and hours, reviews."""

    code = "intervision"
    title = TITLE
    help_text = HELP
    panel_types = (SessionsPanel, RunPanel, MaterialsPanel, SeriesPanel, ReviewsPanel)
    style = """<style>
.pcenter-iv-leak { background: #ffd7d7; color: #8a0000; font-weight: bold; }
.pcenter-iv-leaks, .pcenter-iv-refused { border-left: 4px solid #c00; padding: 0.4em 0.8em;
  background: #fff4f4; }
.pcenter-iv-clean { border-left: 4px solid #2a7; padding: 0.4em 0.8em; background: #f2fbf5; }
.pcenter-iv-marked { white-space: pre-wrap; font-family: inherit; }
.pcenter-iv-clock { font-size: 1.6em; font-variant-numeric: tabular-nums; }
.pcenter-iv-timer-over { color: #b00; }
.pcenter-iv-phase { margin: 0.15em; }
</style>"""

    def make_state(self) -> IntervisionState:
        with self.workbench.sessions() as session:
            directory = read_directory(session, actor=self.shell.actor)
            cases = list_cases(session, actor=self.shell.actor)
        return IntervisionState(directory, cases)


# the page of the notebook: the app on the environment's workbench, or a page saying why not
build_intervision_app = IntervisionApp.launch
