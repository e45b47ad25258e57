"""The same-day review of a critical screening answer, in the direct-threat tab (Rule 16).

For a request made from a critical answer: when it is due for review (the same working day, the
next working morning after hours), and — for a specialist or supervisor — the decision "direct
threat" or "no direct threat" with its reason. A direct threat starts the path of Rules 15, 16
and 18 at once. Other roles see the state and the recorded decision, not the buttons.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_
from pcenter_lib.services.request_records import RequestDetail
from pcenter_lib.services.screening_review import DECISIONS, record_review_decision
from widgets.intake.controls import button, css, labelled_options, local_text, shown
from widgets.intake.state import IntakePanel, IntakeState
from widgets.shell import AppShell

AWAITING: Final = N_(
    "Critical screening answer: a specialist reviews it by {due} (the same working day; the "
    "next working morning after hours) and decides whether there is a direct threat (Rule 16)."
)
OVERDUE: Final = N_("The review is overdue since {due}.")
REVIEWED: Final = N_("Reviewed {at} by {who}: {decision}. Reason: {reason}")
DECISION: Final = N_("Decision")
REASON: Final = N_("Reason for the decision")
RECORD: Final = N_("Record the decision")
RECORDED: Final = N_("The decision on {number} was recorded.")


class ReviewBox(IntakePanel):
    """State and, for reviewing roles, the decision form of a critical answer's review."""

    use_case = UseCase.VIEW_JOURNAL

    def __init__(
        self, shell: AppShell, state: IntakeState, on_recorded: Callable[[], object]
    ) -> None:
        super().__init__(shell, state)
        self.on_recorded = on_recorded
        self.detail: RequestDetail | None = None
        self.state_line = css(widgets.HTML(), "pcenter-review-state")
        self.decision = css(
            widgets.RadioButtons(layout=widgets.Layout(width="max-content")),
            "pcenter-review-decision",
        )
        self.reason = css(widgets.Textarea(rows=2), "pcenter-review-reason")
        self.record_button = button("pcenter-review-record")
        self.record_button.on_click(self.shell.guard(lambda _b: self.record()))
        self.form = widgets.VBox([self.decision, self.reason, self.record_button])
        self.widget = css(widgets.VBox([self.state_line, self.form]), "pcenter-review")

    def deciding(self) -> bool:
        """Whether this person is to record the awaited decision here (then it is the way)."""
        review = None if self.detail is None else self.detail.review
        return (
            review is not None and review.reviewed_at is None and self.may(UseCase.REVIEW_CRITICAL)
        )

    def show(self, detail: RequestDetail | None) -> None:
        t = self.t
        self.detail = detail
        review = None if detail is None else detail.review
        shown(self.widget, review is not None)
        if review is None:
            return
        self.decision.description = t(DECISION)
        self.decision.options = labelled_options(t, DECISIONS)
        self.decision.value = None
        self.reason.description = t(REASON)
        self.record_button.description = t(RECORD)
        if review.reviewed_at is None:
            lines = [t(AWAITING, due=local_text(review.due_at))]
            if review.due_at is not None and self.now() > review.due_at:
                lines.append(t(OVERDUE, due=local_text(review.due_at)))
            css_class = "pcenter-threat-box"
        else:
            decision = dict(DECISIONS).get(review.decision or "", review.decision or "")
            lines = [
                t(
                    REVIEWED,
                    at=local_text(review.reviewed_at),
                    who=self.person(review.reviewed_by),
                    decision=t(decision),
                    reason=review.reason or "",
                )
            ]
            css_class = "pcenter-plain-box"
        body = "<br>".join(html.escape(line) for line in lines)
        self.state_line.value = f'<div class="{css_class}">{body}</div>'
        shown(self.form, review.reviewed_at is None and self.may(UseCase.REVIEW_CRITICAL))

    def record(self) -> None:
        detail = self.detail
        if detail is None:
            return
        decided = self.write(
            lambda session: record_review_decision(
                session,
                actor=self.actor,
                request_id=detail.id,
                expected_version=detail.version,
                decision=str(self.decision.value or ""),
                reason=self.reason.value,
                notify_minutes=self.notify_minutes,
                now=self.now(),
            )
        )
        self.reason.value = ""
        self.on_recorded()
        self.shell.show_success(self.t(RECORDED, number=decided.journal_number))
