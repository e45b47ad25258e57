"""The current request, above the tabs: type a journal number or pick one in the journal.

The direct-threat, consent, child and mobile-group tabs all act on this request. The summary
shows its number, receipt, deadline (Rule 16), the same-day review of a critical screening
answer, the direct-threat flag and whether it is closed, the consent requirement (Rule 15), an
anonymous applicant, a provisional child, and status — no identity data.
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.intake_rules import REQUEST_STATUSES
from pcenter_lib.i18n import N_
from pcenter_lib.services.request_records import (
    RequestDetail,
    find_request_by_number,
    get_request,
)
from widgets.intake.controls import button, css, local_text
from widgets.intake.state import IntakePanel, IntakeState
from widgets.shell import AppShell

NUMBER_LABEL: Final = N_("Journal number")
OPEN: Final = N_("Open the request")
NONE_CHOSEN: Final = N_("No request chosen: type a journal number or pick one in the journal.")
SUMMARY: Final = N_(
    "Request {number}: received {received}, due {due}; status: {status}; child: {child}."
)
THREAT_LINE: Final = N_("Direct threat to life or health — help at once (Rules 15, 16, 18).")
CONSENT_LINE: Final = N_("Consent of a legal representative is needed before services (Rule 15).")
NO_CHILD: Final = N_("not linked")
REVIEW_LINE: Final = N_("Critical screening answer: review by {due} (Rule 16).")
REVIEWED_LINE: Final = N_("Critical screening answer reviewed {at}.")
THREAT_CLOSED_LINE: Final = N_(
    "Direct threat closed {at}: further services need consent (Rule 15)."
)
ANONYMOUS_LINE: Final = N_("Anonymous applicant.")
PROVISIONAL_LINE: Final = N_("Provisional child record: complete it in the Child tab.")


class RequestPicker(IntakePanel):
    """Text field, button and summary of the current request."""

    use_case = UseCase.VIEW_JOURNAL

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.number = css(
            widgets.Text(layout=widgets.Layout(width="360px")), "pcenter-intake-current-number"
        )
        self.open_button = button("pcenter-intake-open-request")
        self.summary = css(widgets.HTML(), "pcenter-intake-current")
        self.detail: RequestDetail | None = None
        self.open_button.on_click(self.shell.guard(lambda _b: self.open_typed()))
        self.watch("request_id", self.reload)
        self.watch("journal_version", self.reload)
        self.widget = css(
            widgets.VBox([widgets.HBox([self.number, self.open_button]), self.summary]),
            "pcenter-intake-picker",
        )

    def render(self) -> None:
        t = self.t
        self.number.description = t(NUMBER_LABEL)
        self.number.placeholder = "2026/000123"
        self.open_button.description = t(OPEN)
        self.show()

    def open_typed(self) -> None:
        with self.transaction() as session:
            found = find_request_by_number(session, actor=self.actor, number=self.number.value)
        self.select_request(found)

    def reload(self) -> None:
        request_id = self.current_request_id
        if request_id is None:
            self.detail = None
        else:
            with self.transaction() as session:
                self.detail = get_request(
                    session,
                    actor=self.actor,
                    cipher=self.workbench.cipher,
                    request_id=request_id,
                )
            self.number.value = self.detail.journal_number
        self.show()

    def show(self) -> None:
        t, detail = self.t, self.detail
        if detail is None:
            self.summary.value = f"<p>{html.escape(t(NONE_CHOSEN))}</p>"
            return
        status = dict(REQUEST_STATUSES).get(detail.values["status"], detail.values["status"])
        lines = [
            t(
                SUMMARY,
                number=detail.journal_number,
                received=local_text(detail.values["received_at"]),
                due=local_text(detail.due_at),
                status=t(status),
                child=detail.child_code or t(NO_CHILD),
            )
        ]
        review = detail.review
        if review is not None and review.reviewed_at is None:
            lines.append(t(REVIEW_LINE, due=local_text(review.due_at)))
        elif review is not None:
            lines.append(t(REVIEWED_LINE, at=local_text(review.reviewed_at)))
        if detail.direct_threat and detail.threat_closed_at is None:
            lines.append(t(THREAT_LINE))
        elif detail.direct_threat:
            lines.append(t(THREAT_CLOSED_LINE, at=local_text(detail.threat_closed_at)))
        if detail.consent_needed:
            lines.append(t(CONSENT_LINE))
        if detail.applicant_anonymous:
            lines.append(t(ANONYMOUS_LINE))
        if detail.child_provisional:
            lines.append(t(PROVISIONAL_LINE))
        urgent = (detail.direct_threat and detail.threat_closed_at is None) or (
            review is not None and review.reviewed_at is None
        )
        css_class = "pcenter-threat-box" if urgent else "pcenter-plain-box"
        body = "<br>".join(html.escape(line) for line in lines)
        self.summary.value = f'<div class="{css_class}">{body}</div>'
