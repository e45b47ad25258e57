"""Notifications a direct threat makes the Center owe, and how each was discharged (Rules 15, 18, 22).

Each owed notification is a ``Notification`` task: the body, the rule, when it became owed
(``owed_at``: the threat registered or assessed, or the body added by the specialist), when it
is due — "immediately", measured as a number of minutes after that (``notification_due_at``) —,
how and to whom it was sent, when, by whom, and the confirmation. The Center's list of what is
still owed shows the oldest first, optionally only those owed in the current period, and says
how many older ones the period hides, so nothing owed drops out of sight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.consent import NOTIFICATION_RULES
from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES, KZ_TZ, notification_due_at
from pcenter_lib.domain.intake_rules import (
    NOTIFICATION_CHANNEL_CODES,
    IntakeValidationError,
    check_moment,
)
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Notification, Request
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

# Order in which a request's notifications are listed: Rule 18 bodies, Rule 22, Rule 15.
RECIPIENT_ORDER = (
    "health",
    "police",
    "local_executive_body",
    "other_authorized_body",
    "child_rights_body",
    "legal_representative",
)


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
    owed_at: datetime | None = None
    body_name: str | None = None

    @property
    def state(self) -> str:
        """``pending`` (not sent), ``sent`` (not yet confirmed) or ``confirmed``."""
        if self.sent_at is None:
            return "pending"
        return "sent" if self.confirmed_at is None else "confirmed"

    @property
    def minutes_to_send(self) -> float | None:
        """Minutes from becoming owed to being sent; ``None`` while unsent or of unknown start."""
        if self.sent_at is None or self.owed_at is None:
            return None
        return (self.sent_at - self.owed_at).total_seconds() / 60


@dataclass(frozen=True, slots=True)
class OwedList:
    """Notifications still owed, oldest first; ``older`` counts those the period leaves out."""

    rows: tuple[NotificationView, ...]
    older: int


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
        row.owed_at,
        row.body_name,
    )


def _order(view: NotificationView) -> tuple[int, int]:
    position = RECIPIENT_ORDER.index(view.recipient) if view.recipient in RECIPIENT_ORDER else 99
    return position, view.id


def notification_views(session: Session, request: Request) -> tuple[NotificationView, ...]:
    rows = session.scalars(select(Notification).where(Notification.request_id == request.id))
    views = [notification_view(row, request.journal_number) for row in rows]
    return tuple(sorted(views, key=_order))


def create_owed_notifications(
    session: Session,
    *,
    request: Request,
    recipients: Iterable[str],
    owed_at: datetime,
    minutes: int = DEFAULT_NOTIFY_MINUTES,
) -> list[Notification]:
    """Add a task for each automatic recipient the request does not have one for yet."""
    existing = set(
        session.scalars(select(Notification.recipient).where(Notification.request_id == request.id))
    )
    due_at = notification_due_at(owed_at, minutes=minutes)
    added = []
    for code in sorted(set(recipients) - existing, key=RECIPIENT_ORDER.index):
        row = Notification(
            request_id=request.id,
            recipient=code,
            rule=", ".join(NOTIFICATION_RULES[code].rules),
            owed_at=owed_at,
            due_at=due_at,
        )
        session.add(row)
        added.append(row)
    session.flush()
    return added


def _request(session: Session, request_id: int) -> Request:
    request = load(session, Request, request_id)
    return request


def add_notification_body(
    session: Session,
    *,
    actor: str,
    request_id: int,
    body_name: str,
    minutes: int = DEFAULT_NOTIFY_MINUTES,
    now: datetime | None = None,
) -> NotificationView:
    """Owe a notification to an "other authorized body" the specialist names (Rule 18)."""
    who = require(load_actor(session, actor), UseCase.ADD_NOTIFICATION_BODY)
    moment = now or utcnow()
    request = _request(session, request_id)
    if not request.direct_threat:
        raise ValidationError(
            N_("Request {number} is not marked as a direct threat; there is nobody to notify."),
            number=request.journal_number,
        )
    name = check_text("recipient_detail", body_name, required=True)
    same = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.request_id == request.id,
            Notification.recipient == "other_authorized_body",
            func.lower(Notification.body_name) == (name or "").lower(),
        )
    )
    if same:
        raise ValidationError(
            N_("{body} is already among the bodies to notify for {number}."),
            body=name,
            number=request.journal_number,
        )
    row = Notification(
        request_id=request.id,
        recipient="other_authorized_body",
        rule=", ".join(NOTIFICATION_RULES["other_authorized_body"].rules),
        owed_at=moment,
        due_at=notification_due_at(moment, minutes=minutes),
        body_name=name,
        added_by=who.username,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="add_notification_body",
        entity="notification",
        entity_id=row.id,
        # the body's name is typed text: it stays in the notification row, not in the trail
        details={"request": request.journal_number, "recipient": row.recipient},
    )
    return notification_view(row, request.journal_number)


def list_notifications(
    session: Session,
    *,
    actor: str,
    request_id: int | None = None,
    pending_only: bool = True,
    since: date | None = None,
) -> OwedList:
    """Notifications not yet confirmed (or all), the oldest due first.

    ``since`` keeps those owed from that Kazakhstan day on (the current period); ``older`` then
    says how many earlier ones are still owed, so the app can say they exist.
    """
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    query = select(Notification, Request.journal_year, Request.journal_seq).join(
        Request, Request.id == Notification.request_id
    )
    if request_id is not None:
        query = query.where(Notification.request_id == request_id)
    if pending_only:
        query = query.where(Notification.confirmed_at.is_(None))
    older = 0
    if since is not None:
        start = datetime.combine(since, time(0), tzinfo=KZ_TZ)
        older = int(
            session.scalar(
                select(func.count()).select_from(
                    query.where(Notification.due_at < start).subquery()
                )
            )
            or 0
        )
        query = query.where(Notification.due_at >= start)
    rows = session.execute(query.order_by(Notification.due_at, Notification.request_id))
    views = [notification_view(row, f"{year}/{seq:06d}") for row, year, seq in rows]
    ordered = sorted(views, key=lambda v: (v.due_at, v.request_id, _order(v)))
    return OwedList(tuple(ordered), older)


def _notification(session: Session, notification_id: int) -> Notification:
    return load(session, Notification, notification_id)


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
    row = _notification(session, notification_id)
    if row.sent_at is not None:
        raise ValidationError(N_("This notification is already recorded as sent."))
    if channel not in NOTIFICATION_CHANNEL_CODES:
        raise IntakeValidationError("channel_sent", N_("Choose how the notification was sent."))
    detail = check_text("recipient_detail", recipient_detail, required=True)
    request = _request(session, row.request_id)
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
    row = _notification(session, notification_id)
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
    request = _request(session, row.request_id)
    record_event(
        session,
        actor=who.username,
        action="confirm_notification",
        entity="notification",
        entity_id=row.id,
        details={"request": request.journal_number, "recipient": row.recipient},
    )
    return notification_view(row, request.journal_number)
