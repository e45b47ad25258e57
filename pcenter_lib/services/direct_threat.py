"""The direct-threat path (Rules 15, 16, 18, 22): mark the threat, owe the notifications, send them.

A direct threat to a minor's life or health changes three things at once. The request is due the
same day (Rule 16), so it rises to the top of the journal. Help is given at once without waiting
for consent (Rule 15). And the Center owes immediate notifications: health bodies and police
(Rule 18), the child-rights body (Rule 22) and, for a child under 16, the legal representative
(Rule 15) — each kept as a ``Notification`` task with recipient, channel, when it was sent, by whom,
and its confirmation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.calendar import KazakhstanCalendar
from pcenter_lib.domain.consent import NOTIFICATION_RULES, consent_requirement
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at
from pcenter_lib.domain.intake_rules import (
    NOTIFICATION_CHANNEL_CODES,
    IntakeValidationError,
    check_moment,
)
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Notification, Request, RequestAmendment
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.calendar_admin import load_calendar
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import STALE, StaleRecordError

# Order in which the owed notifications are listed (Rule 18 bodies first, then Rule 22, Rule 15).
RECIPIENT_ORDER = ("health", "police", "child_rights_body", "legal_representative")

# Stored as the message id (stable); the app shows it translated in the entry's history.
THREAT_ASSESSED_REASON = N_("Direct threat assessed")


@dataclass(frozen=True, slots=True)
class NotificationView:
    """A notification owed for a request and how far it has got."""

    id: int
    request_id: int
    journal_number: str
    recipient: str
    label: str  # msgid
    rule: str
    due_at: datetime
    channel: str | None
    recipient_detail: str | None
    sent_at: datetime | None
    sent_by: str | None
    confirmed_at: datetime | None
    confirmation_ref: str | None

    @property
    def state(self) -> str:
        """``pending`` (not sent), ``sent`` (not yet confirmed) or ``confirmed``."""
        if self.sent_at is None:
            return "pending"
        return "sent" if self.confirmed_at is None else "confirmed"


@dataclass(frozen=True, slots=True)
class ThreatView:
    """A request after its direct threat was marked: the new due time and what is owed now."""

    request_id: int
    journal_number: str
    due_at: datetime
    assessed_by: str
    assessed_at: datetime
    notifications: tuple[NotificationView, ...]


def notification_view(row: Notification, journal_number: str) -> NotificationView:
    rule = NOTIFICATION_RULES.get(row.recipient)
    return NotificationView(
        row.id,
        row.request_id,
        journal_number,
        row.recipient,
        rule.label if rule else row.recipient,
        row.rule,
        row.due_at,
        row.channel,
        row.recipient_detail,
        row.sent_at,
        row.sent_by,
        row.confirmed_at,
        row.confirmation_ref,
    )


def threat_recipients(birth_date: date | None, *, on: date) -> frozenset[str]:
    """Whom a direct threat makes the Center notify (Rules 15, 18, 22).

    With the child's age unknown, the legal representative is notified as well: Rule 15 protects
    a child under 16 and nothing shows this child is older.
    """
    if birth_date is None or birth_date > on:
        return frozenset(NOTIFICATION_RULES)
    return consent_requirement(birth_date, on=on, direct_threat=True).notify


def create_owed_notifications(
    session: Session, *, request: Request, recipients: Iterable[str], due_at: datetime
) -> list[Notification]:
    """Add a ``Notification`` task for each recipient the request does not have one for yet."""
    existing = set(
        session.scalars(select(Notification.recipient).where(Notification.request_id == request.id))
    )
    added = []
    for code in sorted(set(recipients) - existing, key=RECIPIENT_ORDER.index):
        row = Notification(
            request_id=request.id,
            recipient=code,
            rule=", ".join(NOTIFICATION_RULES[code].rules),
            due_at=due_at,
        )
        session.add(row)
        added.append(row)
    session.flush()
    return added


def direct_threat_due_at(
    received_at: datetime,
    assessed_at: datetime,
    *,
    current_due_at: datetime | None,
    calendar: KazakhstanCalendar,
) -> datetime:
    """Rule 16 for a threat: the end of the day it became known, never later than before.

    A threat known on receipt makes the request due that day. A threat found later (on a call
    back, at a visit) makes it due the day it was assessed — or keeps the earlier ordinary term.
    """
    known_at = max(received_at, assessed_at)
    due = consideration_due_at(known_at, direct_threat=True, calendar=calendar)
    if current_due_at is not None and current_due_at < due:
        return current_due_at.astimezone(KZ_TZ)
    return due


def notification_views(session: Session, request: Request) -> tuple[NotificationView, ...]:
    rows = session.scalars(select(Notification).where(Notification.request_id == request.id))
    ordered = sorted(rows, key=lambda n: (RECIPIENT_ORDER.index(n.recipient), n.id))
    return tuple(notification_view(row, request.journal_number) for row in ordered)


def mark_direct_threat(
    session: Session,
    *,
    actor: str,
    request_id: int,
    expected_version: int,
    assessed_at: datetime | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> ThreatView:
    """Mark a registered request as a direct threat, assessed by ``actor`` at ``assessed_at``.

    The due time moves to the same day, the owed notifications are created, and the change is
    kept as an amendment of the journal entry (who, when, before and after).
    """
    who = require(load_actor(session, actor), UseCase.MARK_DIRECT_THREAT)
    moment_now = now or utcnow()
    request = load(session, Request, request_id)
    if request.version != expected_version:
        raise StaleRecordError(
            STALE,
            table="requests",
            seen=expected_version,
            current_version=request.version,
            current={"direct_threat": request.direct_threat, "status": request.status},
            attempted={"direct_threat": True},
        )
    if request.direct_threat:
        raise ValidationError(
            N_("Request {number} is already marked as a direct threat."),
            number=request.journal_number,
        )
    assessed = check_moment("direct_threat", assessed_at or moment_now, now=moment_now)
    clean_note = check_text("note", note)
    calendar = load_calendar(session)
    before_due = request.due_at
    request.due_at = direct_threat_due_at(
        request.received_at, assessed, current_due_at=before_due, calendar=calendar
    )
    request.direct_threat = True
    request.threat_assessed_by = who.username
    request.threat_assessed_at = assessed
    birth = request.child.birth_on if request.child is not None else None
    create_owed_notifications(
        session,
        request=request,
        recipients=threat_recipients(birth, on=assessed.astimezone(KZ_TZ).date()),
        due_at=request.due_at,
    )
    session.add(
        RequestAmendment(
            request_id=request.id,
            amended_at=moment_now,
            amended_by=who.username,
            reason=clean_note or THREAT_ASSESSED_REASON,
            changes={
                "direct_threat": {"from": False, "to": True},
                "due_at": {"from": before_due.isoformat(), "to": request.due_at.isoformat()},
                "threat_assessed_at": {"from": None, "to": assessed.isoformat()},
            },
        )
    )
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="mark_direct_threat",
        entity="request",
        entity_id=request.id,
        details={"journal_number": request.journal_number, "due_at": request.due_at.isoformat()},
    )
    return ThreatView(
        request.id,
        request.journal_number,
        request.due_at,
        who.username,
        assessed,
        notification_views(session, request),
    )


def list_notifications(
    session: Session, *, actor: str, request_id: int | None = None, pending_only: bool = True
) -> list[NotificationView]:
    """Notifications owed (not yet sent or not yet confirmed), most urgent first."""
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    query = select(Notification, Request.journal_year, Request.journal_seq).join(
        Request, Request.id == Notification.request_id
    )
    if request_id is not None:
        query = query.where(Notification.request_id == request_id)
    if pending_only:
        query = query.where(Notification.confirmed_at.is_(None))
    rows = session.execute(query.order_by(Notification.due_at, Notification.request_id))
    views = [notification_view(row, f"{year}/{seq:06d}") for row, year, seq in rows]
    return sorted(views, key=lambda v: (v.due_at, v.request_id, RECIPIENT_ORDER.index(v.recipient)))


def record_notification_sent(
    session: Session,
    *,
    actor: str,
    notification_id: int,
    channel: str,
    recipient_detail: str,
    sent_at: datetime | None = None,
    now: datetime | None = None,
) -> NotificationView:
    """Record that a notification was sent: channel, to whom, when, and by ``actor``."""
    who = require(load_actor(session, actor), UseCase.RECORD_NOTIFICATION)
    moment_now = now or utcnow()
    row = load(session, Notification, notification_id)
    if row.sent_at is not None:
        raise ValidationError(N_("This notification is already recorded as sent."))
    if channel not in NOTIFICATION_CHANNEL_CODES:
        raise IntakeValidationError("channel_sent", N_("Choose how the notification was sent."))
    detail = check_text("recipient_detail", recipient_detail, required=True)
    request = load(session, Request, row.request_id)
    row.sent_at = check_moment(
        "sent_at", sent_at or moment_now, now=moment_now, not_before=request.received_at
    )
    row.channel = channel
    row.recipient_detail = detail
    row.sent_by = who.username
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="send_notification",
        entity="notification",
        entity_id=row.id,
        details={"request": request.journal_number, "recipient": row.recipient, "channel": channel},
    )
    return notification_view(row, request.journal_number)


def record_notification_confirmed(
    session: Session,
    *,
    actor: str,
    notification_id: int,
    confirmation_ref: str,
    confirmed_at: datetime | None = None,
    now: datetime | None = None,
) -> NotificationView:
    """Record the recipient's confirmation (reference of the reply, registration number...)."""
    who = require(load_actor(session, actor), UseCase.RECORD_NOTIFICATION)
    moment_now = now or utcnow()
    row = load(session, Notification, notification_id)
    if row.sent_at is None:
        raise ValidationError(N_("Record that the notification was sent before its confirmation."))
    if row.confirmed_at is not None:
        raise ValidationError(N_("This notification is already confirmed."))
    ref = check_text("confirmation_ref", confirmation_ref, required=True)
    row.confirmed_at = check_moment(
        "confirmed_at", confirmed_at or moment_now, now=moment_now, not_before=row.sent_at
    )
    row.confirmation_ref = ref
    session.flush()
    request = load(session, Request, row.request_id)
    record_event(
        session,
        actor=who.username,
        action="confirm_notification",
        entity="notification",
        entity_id=row.id,
        details={"request": request.journal_number, "recipient": row.recipient},
    )
    return notification_view(row, request.journal_number)
