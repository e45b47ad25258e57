"""Deadlines stay true when the calendar changes after requests were registered (Rule 16).

A Government day transfer entered by the administrator (``calendar_admin``) can move the second
working day after a request's receipt, or a critical answer's same-day review, for requests that
were registered before it. Every open request the change touches gets its due time computed
again on the new calendar, and each change is written into the request's history with its
reason. Requests already considered or closed keep the term they had: it is the term they were
measured against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from pcenter_lib.domain.calendar import KazakhstanCalendar
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at, review_due_at
from pcenter_lib.domain.intake_rules import OPEN_STATUSES
from pcenter_lib.i18n import N_
from pcenter_lib.models import Request, RequestAmendment
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.request_records import plain_value

# Stored as the message id (stable); the app shows it translated in the entry's history.
CALENDAR_CHANGED_REASON: Final = N_("Government day transfer entered: deadline recomputed")


@dataclass(frozen=True, slots=True)
class MovedDeadline:
    """One request whose due time (or review due time) moved, before and after."""

    request_id: int
    journal_number: str
    field: str  # due_at | review_due_at
    before: datetime
    after: datetime


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=KZ_TZ)


def _new_values(request: Request, calendar: KazakhstanCalendar) -> dict[str, datetime]:
    moved: dict[str, datetime] = {}
    if not request.direct_threat and request.considered_at is None:
        due = consideration_due_at(request.received_at, direct_threat=False, calendar=calendar)
        if due != request.due_at:
            moved["due_at"] = due
    if request.priority_review and request.reviewed_at is None and request.review_due_at:
        review = review_due_at(request.received_at, calendar=calendar)
        if review != request.review_due_at:
            moved["review_due_at"] = review
    return moved


def recompute_open_deadlines(
    session: Session,
    *,
    actor: str,
    calendar: KazakhstanCalendar,
    calendar_day: date,
    now: datetime,
) -> list[MovedDeadline]:
    """Recompute on ``calendar`` the due times of open requests a change of ``calendar_day``
    can move; write each change into the request's history."""
    start = _local_start(calendar_day)
    end = _local_start(calendar_day + timedelta(days=1))
    candidates = session.scalars(
        select(Request)
        .where(
            Request.status.in_(OPEN_STATUSES),
            Request.received_at < end,
            or_(
                and_(Request.considered_at.is_(None), Request.due_at >= start),
                and_(Request.reviewed_at.is_(None), Request.review_due_at >= start),
            ),
        )
        .order_by(Request.id)
    )
    moved: list[MovedDeadline] = []
    for request in candidates:
        values = _new_values(request, calendar)
        if not values:
            continue
        changes = {}
        for name, after in values.items():
            before = getattr(request, name)
            changes[name] = {"from": plain_value(before), "to": plain_value(after)}
            moved.append(MovedDeadline(request.id, request.journal_number, name, before, after))
            setattr(request, name, after)
        changes["calendar_day"] = {"from": None, "to": calendar_day.isoformat()}
        session.add(
            RequestAmendment(
                request_id=request.id,
                amended_at=now,
                amended_by=actor,
                reason=CALENDAR_CHANGED_REASON,
                changes=changes,
            )
        )
    session.flush()
    if moved:
        record_event(
            session,
            actor=actor,
            action="recompute_deadlines",
            entity="calendar_override",
            details={
                "day": calendar_day.isoformat(),
                "requests": sorted({m.journal_number for m in moved}),
            },
        )
    return moved
