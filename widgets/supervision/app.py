"""The supervision app (``notebooks/supervision.ipynb``): the queue, case files, sessions.

Rule 11.4: supervision is consultation on complex and contentious cases. The supervisor works
the priority review queue, plans sessions, and signs and locks each case's record; specialists
present their cases and keep their follow-up tasks up to date; the methodologist and the first
head read the records; the analyst sees counts only. Each tab is shown to the roles of its use
case (``domain.access``).
"""

from __future__ import annotations

from typing import Final

from pcenter_lib.i18n import N_
from widgets.kit import App
from widgets.supervision.case_file_panel import CaseFilePanel
from widgets.supervision.counts_panel import CountsPanel
from widgets.supervision.queue_panel import QueuePanel
from widgets.supervision.record_panel import RecordPanel
from widgets.supervision.sessions_panel import SessionsPanel
from widgets.supervision.state import SupervisionState
from widgets.supervision.tasks_panel import TasksPanel

TITLE: Final = N_("Supervision")
HELP: Final = N_(
    "Work the priority review queue: children a hard rule names come first; the score only "
    "advises. Review this child puts the child on a session and opens the record: write the "
    "question, a formulation (5 Ps or Signs of Safety), hypotheses, the decision with dissent, "
    "recommendations and follow-up tasks, then send it for review. The supervisor signs and "
    "locks it or returns it; after the signature only addenda are possible. Tasks appear in "
    "the responsible person's Action needed tab. The case file shows the child's whole history, "
    "newest first (Rule 11.4)."
)


class SupervisionApp(App[SupervisionState]):
    code = "supervision"
    title = TITLE
    help_text = HELP
    # the supervisor lands on the queue, a specialist on their tasks
    panel_types = (QueuePanel, TasksPanel, RecordPanel, CaseFilePanel, SessionsPanel, CountsPanel)

    def make_state(self) -> SupervisionState:
        state = SupervisionState()
        state.observe(lambda _c: self._follow(RecordPanel), names="record_id")
        return state

    def _follow(self, kind: type[RecordPanel]) -> None:
        if self.has_panel(kind):
            self.open_tab(kind)


# the page of the notebook: the app on the environment's workbench, or a page saying why not
build_supervision_app = SupervisionApp.launch
