"""The queue tab: the priority review queue; "Review this child" puts the child on a session.

The child goes on the session chosen in the Sessions tab, or on a new individual session today
led by the supervisor, and its record opens in the Record tab.
"""

from __future__ import annotations

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_
from pcenter_lib.models import SupervisionSession
from pcenter_lib.services.supervision_sessions import add_case, plan_session
from widgets.kit import Panel
from widgets.queue import PriorityQueueView
from widgets.shell import AppShell
from widgets.supervision.state import SupervisionState

ADDED = N_("Child {code} is on the session of {moment}; the record is open in the Record tab.")


class QueuePanel(Panel[SupervisionState]):
    title = N_("Priority queue")
    use_case = UseCase.VIEW_PRIORITY_QUEUE
    css_class = "pcenter-supervision-queue"

    def __init__(self, shell: AppShell, state: SupervisionState) -> None:
        super().__init__(shell, state)
        picker = self.pick if self.may(UseCase.REVIEW_CASES) else None
        self.queue = PriorityQueueView(shell, limit=50, on_pick=picker)
        self.widget.children = (self.queue.widget,)

    def render(self) -> None:
        self.queue.render()

    def pick(self, child_id: int) -> None:
        from pcenter_lib.formats import format_moment

        row = next(r for r in self.queue.rows if r.child_id == child_id)
        with self.workbench.sessions.begin() as session:
            held = session.get(SupervisionSession, self.state.session_id or 0)
            if held is not None and held.signed_at is None:
                record = add_case(session, actor=self.actor, session_id=held.id,
                                  child_id=child_id, expected_version=held.version)  # fmt: skip
                session_id, moment = held.id, held.held_at
            else:
                moment = self.shell.now()
                session_id = plan_session(session, actor=self.actor, held_at=moment,
                                          form="individual", child_ids=[child_id])  # fmt: skip
                record = session.get_one(SupervisionSession, session_id).cases[0].id
        with self.state.hold_trait_notifications():
            self.state.child_id = child_id
            self.state.session_id = session_id
            self.state.record_id = record
            self.state.changed += 1
        self.shell.show_success(
            self.t(ADDED, code=row.child_code, moment=format_moment(moment, self.lang))
        )
