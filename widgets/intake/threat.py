"""The direct-threat tab: mark a threat, see what is owed now, record sending and confirmation.

For the current request: one button marks the direct threat (assessed by the signed-in person,
now), which makes it due today (Rule 16) and creates the notifications owed — health bodies and
police (Rule 18), the child-rights body (Rule 22), and for a child under 16 the legal
representative (Rule 15). Each notification has its row: recipient, rule, due time, how and to
whom it was sent, when and by whom, and the confirmation. Immediate help is recorded here
without waiting for consent (Rule 15). Below, every notification still owed in the Center.
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.intake_rules import NOTIFICATION_CHANNELS
from pcenter_lib.i18n import N_
from pcenter_lib.services.consent_records import record_help
from pcenter_lib.services.direct_threat import (
    NotificationView,
    list_notifications,
    mark_direct_threat,
    record_notification_confirmed,
    record_notification_sent,
)
from pcenter_lib.services.request_records import get_request
from widgets.intake.context import (
    CHOOSE,
    NO_REQUEST,
    IntakeContext,
    button,
    css,
    labelled_options,
    local_text,
    rule_text,
)
from widgets.markup import html_table

MARK: Final = N_("Mark as a direct threat")
NOTE: Final = N_("Assessment note")
MARKED: Final = N_("{number} is a direct threat: due {due}. Notify now: {recipients}.")
OWED_HEADING: Final = N_("Notifications for this request")
ALL_OWED_HEADING: Final = N_("All notifications still owed")
NOT_THREAT: Final = N_("This request is not marked as a direct threat.")
SENT: Final = N_("Sent")
CONFIRMED: Final = N_("Confirmed")
CHANNEL: Final = N_("Channel")
RECIPIENT: Final = N_("Recipient")
CONFIRMATION: Final = N_("Confirmation")
ROW: Final = N_("{body} ({rule}) — due {due}")
SENT_LINE: Final = N_("sent {at} by {who} ({channel}) to {recipient}")
CONFIRMED_LINE: Final = N_("confirmed {at}: {ref}")
PENDING: Final = N_("not sent yet")
HELP_NOTE: Final = N_("Help given")
RECORD_HELP: Final = N_("Record immediate help")
HELP_SAVED: Final = N_("Help recorded for {number}.")
ALL_HEADERS: Final = (N_("Journal number"), N_("Recipient"), N_("Rule"), N_("Due at"), N_("State"))
STATES: Final = {
    "pending": N_("not sent yet"),
    "sent": N_("sent, not confirmed"),
    "confirmed": N_("confirmed"),
}


class NotificationRow:
    """One notification owed: its state and the fields to record sending and confirmation."""

    def __init__(self, panel: DirectThreatPanel, view: NotificationView) -> None:
        self.panel, self.view = panel, view
        ctx = panel.ctx
        self.text = css(widgets.HTML(), "pcenter-notification-text")
        self.channel = css(
            widgets.Dropdown(options=labelled_options(ctx.t, NOTIFICATION_CHANNELS, empty=CHOOSE)),
            "pcenter-notification-channel",
        )
        self.recipient = css(widgets.Text(), "pcenter-notification-recipient")
        self.send_button = button("pcenter-notification-send")
        self.reference = css(widgets.Text(), "pcenter-notification-reference")
        self.confirm_button = button("pcenter-notification-confirm")
        self.send_button.on_click(ctx.shell.guard(lambda _b: self.send()))
        self.confirm_button.on_click(ctx.shell.guard(lambda _b: self.confirm()))
        t = ctx.t
        self.channel.description = t(CHANNEL)
        self.recipient.description = t(RECIPIENT)
        self.reference.description = t(CONFIRMATION)
        self.send_button.description = t(SENT)
        self.confirm_button.description = t(CONFIRMED)
        self.widget = css(
            widgets.VBox(
                [
                    self.text,
                    widgets.HBox([self.channel, self.recipient, self.send_button]),
                    widgets.HBox([self.reference, self.confirm_button]),
                ]
            ),
            "pcenter-notification",
            f"pcenter-notification-{view.recipient}",
            f"pcenter-notification-{view.state}",
        )
        self.show()

    def show(self) -> None:
        t, v = self.panel.ctx.t, self.view
        parts = [t(ROW, body=t(v.label), rule=rule_text(t, v.rule), due=local_text(v.due_at))]
        if v.sent_at is None:
            parts.append(t(PENDING))
        else:
            channel = dict(NOTIFICATION_CHANNELS).get(v.channel or "", v.channel or "")
            parts.append(
                t(
                    SENT_LINE,
                    at=local_text(v.sent_at),
                    who=v.sent_by or "",
                    channel=t(channel),
                    recipient=v.recipient_detail or "",
                )
            )
        if v.confirmed_at is not None:
            parts.append(
                t(CONFIRMED_LINE, at=local_text(v.confirmed_at), ref=v.confirmation_ref or "")
            )
        self.text.value = html.escape(" · ".join(parts))
        sent = v.sent_at is not None
        for item in (self.channel, self.recipient, self.send_button):
            item.layout.display = "none" if sent else None
        for item in (self.reference, self.confirm_button):
            item.layout.display = None if sent and v.confirmed_at is None else "none"

    def send(self) -> None:
        ctx = self.panel.ctx
        with ctx.transaction() as session:
            record_notification_sent(
                session,
                actor=ctx.actor,
                notification_id=self.view.id,
                channel=self.channel.value or "",
                recipient_detail=self.recipient.value,
                now=ctx.now(),
            )
        self.panel.reload()

    def confirm(self) -> None:
        ctx = self.panel.ctx
        with ctx.transaction() as session:
            record_notification_confirmed(
                session,
                actor=ctx.actor,
                notification_id=self.view.id,
                confirmation_ref=self.reference.value,
                now=ctx.now(),
            )
        self.panel.reload()


class DirectThreatPanel:
    """Mark, notify, help — for the current request; and the Center's list of what is owed."""

    def __init__(self, ctx: IntakeContext) -> None:
        self.ctx = ctx
        self.rows: list[NotificationRow] = []
        self.note = css(widgets.Text(), "pcenter-threat-note")
        self.mark_button = button("pcenter-threat-mark-button")
        self.status = css(widgets.HTML(), "pcenter-threat-status")
        self.heading = widgets.HTML()
        self.rows_box = css(widgets.VBox(), "pcenter-threat-owed")
        self.help_note = css(widgets.Textarea(rows=2), "pcenter-threat-help-note")
        self.help_button = button("pcenter-threat-help")
        self.all_owed = css(widgets.HTML(), "pcenter-threat-all-owed")
        guard = ctx.shell.guard
        self.mark_button.on_click(guard(lambda _b: self.mark()))
        self.help_button.on_click(guard(lambda _b: self.record_help()))
        ctx.on_request_change(self.reload)
        ctx.on_journal_change(self.reload)
        self.widget = css(
            widgets.VBox(
                [
                    widgets.HBox([self.note, self.mark_button]),
                    self.status,
                    self.heading,
                    self.rows_box,
                    widgets.HBox([self.help_note, self.help_button]),
                    self.all_owed,
                ]
            ),
            "pcenter-threat",
        )

    def render(self) -> None:
        t = self.ctx.t
        self.note.description = t(NOTE)
        self.mark_button.description = t(MARK)
        self.help_note.description = t(HELP_NOTE)
        self.help_button.description = t(RECORD_HELP)
        self.heading.value = f"<h4>{html.escape(t(OWED_HEADING))}</h4>"
        self.reload()

    def reload(self) -> None:
        t, request_id = self.ctx.t, self.ctx.current_request_id
        with self.ctx.transaction() as session:
            owed = list_notifications(session, actor=self.ctx.actor)
            detail = None
            if request_id is not None:
                detail = get_request(
                    session,
                    actor=self.ctx.actor,
                    cipher=self.ctx.workbench.cipher,
                    request_id=request_id,
                )
        if detail is None:
            self.status.value = html.escape(t(NO_REQUEST))
            self.rows = []
        else:
            self.status.value = "" if detail.direct_threat else html.escape(t(NOT_THREAT))
            self.mark_button.disabled = detail.direct_threat
            self.rows = [NotificationRow(self, view) for view in detail.notifications]
        self.rows_box.children = tuple(row.widget for row in self.rows)
        table = html_table(
            [t(h) for h in ALL_HEADERS],
            [
                (
                    v.journal_number,
                    t(v.label),
                    rule_text(t, v.rule),
                    local_text(v.due_at),
                    t(STATES[v.state]),
                )
                for v in owed
            ],
            css_class="pcenter-all-owed",
        )
        self.all_owed.value = f"<h4>{html.escape(t(ALL_OWED_HEADING))}</h4>{table}"

    def mark(self) -> None:
        request_id = self.ctx.chosen_request()
        with self.ctx.transaction() as session:
            version = get_request(
                session,
                actor=self.ctx.actor,
                cipher=self.ctx.workbench.cipher,
                request_id=request_id,
            ).version
            marked = mark_direct_threat(
                session,
                actor=self.ctx.actor,
                request_id=request_id,
                expected_version=version,
                note=self.note.value or None,
                now=self.ctx.now(),
            )
        self.note.value = ""
        self.ctx.journal_changed()
        t = self.ctx.t
        recipients = ", ".join(t(n.label) for n in marked.notifications)
        self.ctx.shell.show_success(
            t(
                MARKED,
                number=marked.journal_number,
                due=local_text(marked.due_at),
                recipients=recipients,
            )
        )

    def record_help(self) -> None:
        request_id = self.ctx.chosen_request()
        with self.ctx.transaction() as session:
            record_help(
                session,
                actor=self.ctx.actor,
                request_id=request_id,
                note=self.help_note.value,
                now=self.ctx.now(),
            )
            number = get_request(
                session,
                actor=self.ctx.actor,
                cipher=self.ctx.workbench.cipher,
                request_id=request_id,
            ).journal_number
        self.help_note.value = ""
        self.ctx.shell.show_success(self.ctx.t(HELP_SAVED, number=number))
