"""The direct-threat path (Rules 15, 16, 18, 22): mark the threat, owe the notifications, close it.

A direct threat to a minor's life or health changes three things at once. The request is due the
same day (Rule 16), so it rises to the top of the journal. Help is given at once without waiting
for consent (Rule 15). And the Center owes notifications "immediately" — due a set number of
minutes after the threat became known: health bodies and police (Rule 18), the local executive
body that coordinates the joint work (Rule 18), the child-rights body (Rule 22) and, for a child
under 16, the legal representative (Rule 15); the specialist adds "other authorized bodies"
(``notifications.add_notification_body``). The Center's management sees the alert at once
(``alerts``).

The waiver of Rule 15 covers the immediate help only: ``close_direct_threat`` records that the
immediate danger is over, and from then on further services need consent as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from pcenter_lib.domain.access import Actor, UseCase, require
from pcenter_lib.domain.calendar import KazakhstanCalendar
from pcenter_lib.domain.consent import NOTIFICATION_RULES, consent_requirement
from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES, KZ_TZ, consideration_due_at
from pcenter_lib.domain.intake_rules import check_moment
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Request, RequestAmendment
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.calendar_admin import load_calendar
from pcenter_lib.services.notifications import (
    NotificationView,
    create_owed_notifications,
    notification_views,
)
from pcenter_lib.services.request_records import load_request
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

# Stored as message ids (stable); the app shows them translated in the entry's history.
THREAT_ASSESSED_REASON = N_("Direct threat assessed")
THREAT_CLOSED_REASON = N_("Direct threat closed")
AUTOMATIC_RECIPIENTS = frozenset(
    code for code, rule in NOTIFICATION_RULES.items() if rule.automatic
)


@dataclass(frozen=True, slots=True)
class ThreatView:
    """A request after its direct threat was marked: the new due time and what is owed now."""

    request_id: int
    journal_number: str
    due_at: datetime
    assessed_by: str
    assessed_at: datetime
    notifications: tuple[NotificationView, ...]


def threat_recipients(birth_date: date | None, *, on: date) -> frozenset[str]:
    """Whom a direct threat makes the Center notify at once (Rules 15, 18, 22).

    With the child's age unknown, the legal representative is notified as well: Rule 15 protects
    a child under 16 and nothing shows this child is older.
    """
    if birth_date is None or birth_date > on:
        return AUTOMATIC_RECIPIENTS
    return consent_requirement(birth_date, on=on, direct_threat=True).notify


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


def apply_direct_threat(
    session: Session,
    request: Request,
    *,
    who: Actor,
    assessed_at: datetime,
    reason: str,
    minutes: int,
    now: datetime,
) -> ThreatView:
    """Mark ``request`` as a direct threat: same-day term, notifications owed, history kept."""
    if request.direct_threat:
        raise ValidationError(
            N_("Request {number} is already marked as a direct threat."),
            number=request.journal_number,
        )
    before_due = request.due_at
    request.due_at = direct_threat_due_at(
        request.received_at, assessed_at, current_due_at=before_due, calendar=load_calendar(session)
    )
    request.direct_threat = True
    request.threat_assessed_by = who.username
    request.threat_assessed_at = assessed_at
    birth = request.child.birth_on if request.child is not None else None
    create_owed_notifications(
        session,
        request=request,
        recipients=threat_recipients(birth, on=assessed_at.astimezone(KZ_TZ).date()),
        owed_at=max(assessed_at, request.received_at),
        minutes=minutes,
    )
    session.add(
        RequestAmendment(
            request_id=request.id,
            amended_at=now,
            amended_by=who.username,
            reason=reason,
            changes={
                "direct_threat": {"from": False, "to": True},
                "due_at": {"from": before_due.isoformat(), "to": request.due_at.isoformat()},
                "threat_assessed_at": {"from": None, "to": assessed_at.isoformat()},
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
        assessed_at,
        notification_views(session, request),
    )


def mark_direct_threat(
    session: Session,
    *,
    actor: str,
    request_id: int,
    expected_version: int,
    assessed_at: datetime | None = None,
    note: str | None = None,
    minutes: int = DEFAULT_NOTIFY_MINUTES,
    now: datetime | None = None,
) -> ThreatView:
    """Mark a registered request as a direct threat, assessed by ``actor`` at ``assessed_at``.

    The due time moves to the same day, the owed notifications are created (due ``minutes``
    after the assessment), and the change is kept as an amendment of the journal entry.
    """
    who = require(load_actor(session, actor), UseCase.MARK_DIRECT_THREAT)
    moment_now = now or utcnow()
    request = load_request(session, request_id, expected_version, attempted={"direct_threat": True})
    assessed = check_moment("direct_threat", assessed_at or moment_now, now=moment_now)
    reason = check_text("note", note) or THREAT_ASSESSED_REASON
    return apply_direct_threat(
        session,
        request,
        who=who,
        assessed_at=assessed,
        reason=reason,
        minutes=minutes,
        now=moment_now,
    )


def close_direct_threat(
    session: Session,
    *,
    actor: str,
    request_id: int,
    expected_version: int,
    reason: str,
    closed_at: datetime | None = None,
    now: datetime | None = None,
) -> datetime:
    """Record that the immediate danger is over (Rule 15): the waiver of consent ends here.

    Help given until ``closed_at`` stays recorded as given under the waiver; further services
    to a child under 16 need a legal representative's consent.
    """
    who = require(load_actor(session, actor), UseCase.CLOSE_DIRECT_THREAT)
    moment_now = now or utcnow()
    request = load_request(
        session, request_id, expected_version, attempted={"threat_closed_reason": reason}
    )
    if not request.direct_threat:
        raise ValidationError(
            N_("Request {number} is not marked as a direct threat."), number=request.journal_number
        )
    if request.threat_closed_at is not None:
        raise ValidationError(
            N_("The direct threat of request {number} is already closed."),
            number=request.journal_number,
        )
    text = check_text("closing_reason", reason, required=True)
    moment = check_moment(
        "closed_at",
        closed_at or moment_now,
        now=moment_now,
        not_before=request.threat_assessed_at or request.received_at,
    )
    request.threat_closed_at, request.threat_closed_by = moment, who.username
    request.threat_closed_reason = text
    session.add(
        RequestAmendment(
            request_id=request.id,
            amended_at=moment_now,
            amended_by=who.username,
            reason=THREAT_CLOSED_REASON,
            changes={"threat_closed_at": {"from": None, "to": moment.isoformat()}},
        )
    )
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="close_direct_threat",
        entity="request",
        entity_id=request.id,
        details={"journal_number": request.journal_number},
    )
    return moment
