"""Notifications owed for a direct threat, one row each, and the Center's list of what is owed.

A row shows the body (an "other authorized body" by its name), the rule, the due time — minutes
after the threat became known (Rules 18, 22) — and how far it got; a person allowed to record
notifications fills in channel and recipient and presses "Sent": the sending is confirmed on
screen, and the app's stale messages and alerts are cleared (``on_sent``). The Center's list
shows what is still owed, the oldest first, for the current month or for all time, and says how
many older ones the month leaves out.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.intake_rules import CHANNEL_LABELS, NOTIFICATION_CHANNELS
from pcenter_lib.i18n import N_, NP_
from pcenter_lib.services.notifications import (
    NotificationView,
    OwedList,
    list_notifications,
    record_notification_confirmed,
    record_notification_sent,
)
from widgets.intake.controls import (
    CHOOSE,
    button,
    css,
    labelled_options,
    local_text,
    rule_text,
    shown,
)
from widgets.intake.state import IntakePanel, IntakeState
from widgets.markup import html_table
from widgets.shell import AppShell

# how a notice went: the notification channels, and a request channel such as the official
# platform of the child-rights body (Rule 22) where a notice was recorded with one
CHANNEL_WORDS: Final = {**CHANNEL_LABELS, **dict(NOTIFICATION_CHANNELS)}
SENT: Final = N_("Sent")
CONFIRMED: Final = N_("Confirmed")
CHANNEL: Final = N_("Channel")
RECIPIENT: Final = N_("Recipient")
CONFIRMATION: Final = N_("Confirmation")
ROW: Final = N_("{body} ({rule}) — due {due}")
SENT_LINE: Final = N_("sent {at} by {who} ({channel}) to {recipient}")
CONFIRMED_LINE: Final = N_("confirmed {at}: {ref}")
PENDING: Final = N_("not sent yet")
SENT_DONE: Final = N_("{body}: sending recorded at {at} for {number}.")
CONFIRMED_DONE: Final = N_("{body}: confirmation recorded for {number}.")
ALL_OWED_HEADING: Final = N_("All notifications still owed (oldest first)")
PERIOD: Final = N_("Show")
PERIODS: Final = (("month", N_("Owed this month")), ("all", N_("All still owed")))
OLDER: Final = NP_(
    "{count} older notification is still open (not sent or not confirmed): choose “All still owed” to see it.",
    "{count} older notifications are still open (not sent or not confirmed): choose “All still owed” to see them.",
)
ALL_HEADERS: Final = (N_("Journal number"), N_("Recipient"), N_("Rule"), N_("Due at"), N_("State"))
STATES: Final = {
    "pending": N_("not sent yet"),
    "sent": N_("sent, not confirmed"),
    "confirmed": N_("confirmed"),
}


def body_text(t: Callable[..., str], view: NotificationView) -> str:
    """The body's name as a person reads it (an added body by the name the specialist gave)."""
    return view.body_name or t(view.label)


class NotificationRow(IntakePanel):
    """One notification owed: its state and, for roles that record them, sending and confirming."""

    use_case = UseCase.VIEW_JOURNAL

    def __init__(
        self,
        shell: AppShell,
        state: IntakeState,
        view: NotificationView,
        on_written: Callable[[str], object],
    ) -> None:
        super().__init__(shell, state)
        self.view, self.on_written = view, on_written
        self.text = css(widgets.HTML(), "pcenter-notification-text")
        self.channel = css(
            widgets.Dropdown(options=labelled_options(self.t, NOTIFICATION_CHANNELS, empty=CHOOSE)),
            "pcenter-notification-channel",
        )
        self.channel.layout.width = "380px"
        self.recipient = css(widgets.Text(), "pcenter-notification-recipient")
        self.send_button = button("pcenter-notification-send")
        self.reference = css(widgets.Text(), "pcenter-notification-reference")
        self.confirm_button = button("pcenter-notification-confirm")
        self.send_button.on_click(self.shell.guard(lambda _b: self.send()))
        self.confirm_button.on_click(self.shell.guard(lambda _b: self.confirm()))
        t = self.t
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
        t, v = self.t, self.view
        parts = [t(ROW, body=body_text(t, v), rule=rule_text(t, v.rule), due=local_text(v.due_at))]
        if v.sent_at is None:
            parts.append(t(PENDING))
        else:
            channel = CHANNEL_WORDS.get(v.channel or "", v.channel or "—")
            parts.append(
                t(
                    SENT_LINE,
                    at=local_text(v.sent_at),
                    who=self.person(v.sent_by),
                    channel=t(channel),
                    recipient=v.recipient_detail or "",
                )
            )
        if v.confirmed_at is not None:
            parts.append(
                t(CONFIRMED_LINE, at=local_text(v.confirmed_at), ref=v.confirmation_ref or "")
            )
        self.text.value = html.escape(" · ".join(parts))
        records = self.may(UseCase.RECORD_NOTIFICATION)
        sent = v.sent_at is not None
        for item in (self.channel, self.recipient, self.send_button):
            shown(item, records and not sent)
        for item in (self.reference, self.confirm_button):
            shown(item, records and sent and v.confirmed_at is None)

    def send(self) -> None:
        notification_id, now = self.view.id, self.now()
        self.view = self.write(
            lambda session: record_notification_sent(
                session,
                actor=self.actor,
                notification_id=notification_id,
                channel=self.channel.value or "",
                recipient_detail=self.recipient.value,
                now=now,
            )
        )
        self.on_written(
            self.t(
                SENT_DONE,
                body=body_text(self.t, self.view),
                at=local_text(self.view.sent_at),
                number=self.view.journal_number,
            )
        )

    def confirm(self) -> None:
        notification_id, now = self.view.id, self.now()
        self.view = self.write(
            lambda session: record_notification_confirmed(
                session,
                actor=self.actor,
                notification_id=notification_id,
                confirmation_ref=self.reference.value,
                now=now,
            )
        )
        self.on_written(
            self.t(
                CONFIRMED_DONE, body=body_text(self.t, self.view), number=self.view.journal_number
            )
        )


class OwedListView(IntakePanel):
    """The Center's notifications still owed, oldest first, this month or all."""

    use_case = UseCase.VIEW_JOURNAL

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.owed = OwedList((), 0)
        self.period = css(widgets.ToggleButtons(), "pcenter-owed-period")
        self.period.style.button_width = "auto"
        self.table = css(widgets.HTML(), "pcenter-threat-all-owed")
        self.period.observe(self.shell.guard(lambda _c: self.reload()), names="value")
        self.widget = widgets.VBox([self.period, self.table])

    def render(self) -> None:
        t = self.t
        self.period.description = t(PERIOD)
        kept = self.period.value or "month"
        self.period.options = [(t(label), code) for code, label in PERIODS]
        self.period.value = kept

    def since(self) -> date | None:
        if self.period.value == "all":
            return None
        return self.now().date().replace(day=1)

    def reload(self) -> None:
        t = self.t
        with self.transaction() as session:
            self.owed = list_notifications(session, actor=self.actor, since=self.since())
        table = html_table(
            [t(h) for h in ALL_HEADERS],
            [
                (
                    v.journal_number,
                    body_text(t, v),
                    rule_text(t, v.rule),
                    local_text(v.due_at),
                    t(STATES[v.state]),
                )
                for v in self.owed.rows
            ],
            css_class="pcenter-all-owed",
        )
        older = ""
        if self.owed.older:
            older = f'<p class="pcenter-warning">{html.escape(t.ngettext(*OLDER, self.owed.older, count=self.owed.older))}</p>'
        self.table.value = f"<h4>{html.escape(t(ALL_OWED_HEADING))}</h4>{older}{table}"
