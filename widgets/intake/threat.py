"""The direct-threat tab: review, mark, notify, help, close — for the current request.

For a critical screening answer, the same-day review and its decision (``ReviewBox``, Rule 16).
A desk role marks a direct threat (assessed by the signed-in person, now): the request is due
today (Rule 16) and the notifications are owed within the Center's minutes (Rules 15, 18, 22).
Each notification has its row (``NotificationRow``); a specialist adds "other authorized bodies"
(Rule 18), records the immediate help given without consent (Rule 15) — listed as given under
the waiver — and closes the threat when the immediate danger is over, after which services need
consent again. Each role sees only the controls it may use. Below, every notification still
owed in the Center, the oldest first.
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.service_consent import RECIPIENTS
from pcenter_lib.i18n import N_
from pcenter_lib.services.consent_records import (
    WaivedService,
    record_help,
    services_under_waiver,
)
from pcenter_lib.services.direct_threat import ThreatView, close_direct_threat, mark_direct_threat
from pcenter_lib.services.notifications import add_notification_body
from pcenter_lib.services.request_records import RequestDetail, get_request
from widgets.intake.controls import (
    button,
    css,
    labelled_options,
    local_text,
    shown,
)
from widgets.intake.notices import NotificationRow, OwedListView, body_text
from widgets.intake.review import ReviewBox
from widgets.intake.state import NO_REQUEST, IntakePanel, IntakeState
from widgets.kit import offer
from widgets.markup import html_table
from widgets.shell import AppShell

MARK: Final = N_("Mark as a direct threat")
NOTE: Final = N_("Assessment note")
MARKED: Final = N_("{number} is a direct threat: due {due}. Notify by {notify}: {recipients}.")
OWED_HEADING: Final = N_("Notifications for this request")
NOT_THREAT: Final = N_("This request is not marked as a direct threat.")
OTHER_BODY: Final = N_("Other authorized body")
ADD_BODY: Final = N_("Add to the bodies to notify")
BODY_ADDED: Final = N_("{body} added: notify by {due}.")
HELP_NOTE: Final = N_("Help given")
HELP_TO: Final = N_("To whom")
RECORD_HELP: Final = N_("Record immediate help")
HELP_SAVED: Final = N_("Help recorded for {number}.")
WAIVER_HEADING: Final = N_(
    "Services given under the direct-threat waiver, without consent (Rule 15)"
)
WAIVER_HEADERS: Final = (
    N_("When"),
    N_("Who"),
    N_("To whom"),
    N_("Remote form (Rule 26)"),
    N_("Note"),
)
NO_WAIVED: Final = N_("None yet.")
CLOSE_REASON: Final = N_("Why the immediate danger is over")
CLOSE: Final = N_("Close the direct threat")
CLOSED: Final = N_(
    "The direct threat of {number} is closed: further services need consent as usual (Rule 15)."
)
CLOSED_LINE: Final = N_("Direct threat closed {at} by {who}: {reason}")
YES: Final = N_("yes")
NO: Final = N_("no")


class DirectThreatPanel(IntakePanel):
    """Review, mark, notify, help, close — for the current request; and what is owed."""

    title = N_("Direct threat")
    use_case = UseCase.VIEW_JOURNAL
    tab = "threat"

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.detail: RequestDetail | None = None
        self.rows: list[NotificationRow] = []
        self.waived: list[WaivedService] = []
        self.review = ReviewBox(self.shell, self.state, self.changed)
        self.note = css(widgets.Text(), "pcenter-threat-note")
        self.mark_button = button("pcenter-threat-mark-button")
        self.status = css(widgets.HTML(), "pcenter-threat-status")
        self.heading = widgets.HTML()
        self.rows_box = css(widgets.VBox(), "pcenter-threat-owed")
        self.body_name = css(widgets.Text(), "pcenter-threat-other-body")
        self.add_body_button = button("pcenter-threat-add-body")
        self.help_note = css(widgets.Textarea(rows=2), "pcenter-threat-help-note")
        self.help_to = css(widgets.Dropdown(), "pcenter-threat-help-to")
        self.help_button = button("pcenter-threat-help")
        self.waiver = css(widgets.HTML(), "pcenter-threat-waiver")
        self.close_reason = css(widgets.Text(), "pcenter-threat-close-reason")
        for long_label in (self.body_name, self.close_reason):  # the label read whole, on one line
            long_label.style.description_width = "initial"
        self.close_button = button("pcenter-threat-close")
        self.owed = OwedListView(self.shell, self.state)
        guard = self.shell.guard
        self.mark_button.on_click(guard(lambda _b: self.mark()))
        self.add_body_button.on_click(guard(lambda _b: self.add_body()))
        self.help_button.on_click(guard(lambda _b: self.record_help()))
        self.close_button.on_click(guard(lambda _b: self.close_threat()))
        self.watch("request_id", self.reload)
        self.watch("journal_version", self.reload)
        self.mark_box = widgets.HBox([self.note, self.mark_button])
        self.body_box = widgets.HBox([self.body_name, self.add_body_button])
        self.help_box = widgets.HBox([self.help_note, self.help_to, self.help_button])
        self.close_box = widgets.HBox([self.close_reason, self.close_button])
        self.widget = css(
            widgets.VBox(
                [
                    self.review.widget,
                    self.mark_box,
                    self.status,
                    self.heading,
                    self.rows_box,
                    self.body_box,
                    self.help_box,
                    self.waiver,
                    self.close_box,
                    self.owed.widget,
                ]
            ),
            "pcenter-threat",
        )

    def render(self) -> None:
        t = self.t
        self.note.description = t(NOTE)
        self.mark_button.description = t(MARK)
        self.body_name.description = t(OTHER_BODY)
        self.add_body_button.description = t(ADD_BODY)
        self.help_note.description = t(HELP_NOTE)
        self.help_to.description = t(HELP_TO)
        offer(self.help_to, labelled_options(t, RECIPIENTS))  # the child, unless chosen
        self.help_button.description = t(RECORD_HELP)
        self.close_reason.description = t(CLOSE_REASON)
        self.close_button.description = t(CLOSE)
        self.heading.value = f"<h4>{html.escape(t(OWED_HEADING))}</h4>"
        self.owed.render()
        self.reload()

    def reload(self) -> None:
        t, request_id = self.t, self.current_request_id
        self.detail, self.waived = None, []
        if request_id is not None:
            with self.transaction() as session:
                self.detail = get_request(
                    session,
                    actor=self.actor,
                    cipher=self.workbench.cipher,
                    request_id=request_id,
                )
                if self.detail.direct_threat:
                    self.waived = services_under_waiver(
                        session, actor=self.actor, request_id=request_id
                    )
        detail = self.detail
        self.review.show(detail)
        threat = detail is not None and detail.direct_threat
        open_threat = threat and detail is not None and detail.threat_closed_at is None
        if detail is None:
            self.status.value = html.escape(t(NO_REQUEST))
        elif not threat:
            self.status.value = html.escape(t(NOT_THREAT))
        elif detail.threat_closed_at is not None:
            self.status.value = html.escape(
                t(
                    CLOSED_LINE,
                    at=local_text(detail.threat_closed_at),
                    who=self.person(detail.threat_closed_by),
                    reason=detail.threat_closed_reason or "",
                )
            )
        else:
            self.status.value = ""
        self.rows = [
            NotificationRow(self.shell, self.state, view, self.sent)
            for view in (detail.notifications if detail else ())
        ]
        self.rows_box.children = tuple(row.widget for row in self.rows)
        may_mark = self.may(UseCase.MARK_DIRECT_THREAT) and not self.review.deciding()
        shown(self.mark_box, detail is not None and not threat and may_mark)
        shown(self.heading, threat)
        shown(self.body_box, open_threat and self.may(UseCase.ADD_NOTIFICATION_BODY))
        shown(self.help_box, open_threat and self.may(UseCase.RECORD_HELP))
        shown(self.close_box, open_threat and self.may(UseCase.CLOSE_DIRECT_THREAT))
        shown(self.waiver, threat)
        self._show_waiver()
        self.owed.reload()

    def _show_waiver(self) -> None:
        t = self.t
        recipients = dict(RECIPIENTS)
        rows = [
            (
                local_text(w.held_at),
                self.person(w.specialist),
                t(recipients.get(w.recipient, w.recipient)),
                t(YES) if w.form_remote else t(NO),
                w.note or "—",
            )
            for w in self.waived
        ]
        table = (
            html_table([t(h) for h in WAIVER_HEADERS], rows, css_class="pcenter-waived")
            if rows
            else f"<p>{html.escape(t(NO_WAIVED))}</p>"
        )
        self.waiver.value = f"<h4>{html.escape(t(WAIVER_HEADING))}</h4>{table}"

    def changed(self) -> None:
        """Something was written: every panel reloads, stale messages and alerts go."""
        self.journal_changed()

    def sent(self, message: str) -> None:
        self.changed()
        self.shell.show_success(message)

    def mark(self) -> None:
        request_id = self.chosen_request()
        note, now = self.note.value or None, self.now()

        def mark_current_version(session: Session) -> ThreatView:
            # a threat is marked on the entry as it is now: an edit made meanwhile never
            # stops the path of Rules 15, 16 and 18
            version = get_request(
                session, actor=self.actor, cipher=self.workbench.cipher, request_id=request_id
            ).version
            return mark_direct_threat(
                session,
                actor=self.actor,
                request_id=request_id,
                expected_version=version,
                note=note,
                minutes=self.notify_minutes,
                now=now,
            )

        marked = self.write(mark_current_version)
        self.note.value = ""
        self.changed()
        t = self.t
        recipients = ", ".join(body_text(t, n) for n in marked.notifications)
        notify = min((n.due_at for n in marked.notifications), default=marked.due_at)
        self.shell.show_success(
            t(
                MARKED,
                number=marked.journal_number,
                due=local_text(marked.due_at),
                notify=local_text(notify),
                recipients=recipients,
            )
        )

    def add_body(self) -> None:
        added = self.write(
            lambda session: add_notification_body(
                session,
                actor=self.actor,
                request_id=self.chosen_request(),
                body_name=self.body_name.value,
                minutes=self.notify_minutes,
                now=self.now(),
            )
        )
        self.body_name.value = ""
        self.changed()
        self.shell.show_success(
            self.t(BODY_ADDED, body=added.body_name or "", due=local_text(added.due_at))
        )

    def record_help(self) -> None:
        request_id = self.chosen_request()
        self.write(
            lambda session: record_help(
                session,
                actor=self.actor,
                request_id=request_id,
                note=self.help_note.value,
                recipient=str(self.help_to.value or "child"),
                now=self.now(),
            )
        )
        self.help_note.value = ""
        number = self.detail.journal_number if self.detail else ""
        self.changed()
        self.shell.show_success(self.t(HELP_SAVED, number=number))

    def close_threat(self) -> None:
        detail = self.detail
        if detail is None:
            return
        self.write(
            lambda session: close_direct_threat(
                session,
                actor=self.actor,
                request_id=detail.id,
                expected_version=detail.version,
                reason=self.close_reason.value,
                now=self.now(),
            )
        )
        number = detail.journal_number
        self.close_reason.value = ""
        self.changed()
        self.shell.show_success(self.t(CLOSED, number=number))
