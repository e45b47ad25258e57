"""The same-day review of a critical screening answer by a specialist (Rule 16).

A critical answer (PHQ-9 item 9 at 1 or more, a bullying item at its top) may be a direct threat
to the child's life, which Rule 16 wants considered on the day it arrives. The request made from
it (``critical_answers``) is therefore due for review the same working day, or the next working
morning after hours (``deadlines.review_due_at``). The specialist decides whether there is a
direct threat and records the decision with its reason; a direct threat then starts the path of
Rules 15, 16 and 18 at once (``direct_threat.apply_direct_threat``). Until the decision the
request is in the state ``models.requests.awaiting_review()`` selects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES
from pcenter_lib.domain.intake_rules import IntakeValidationError, check_moment
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import RequestAmendment
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.direct_threat import ThreatView, apply_direct_threat
from pcenter_lib.services.request_records import load_request
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

DECISIONS: Final[tuple[tuple[str, str], ...]] = (
    ("direct_threat", N_("Direct threat to life or health")),
    ("no_direct_threat", N_("No direct threat")),
)
REVIEWED_REASON: Final = N_("Critical screening answer reviewed")


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """What the review recorded, and the direct-threat path it started, if any."""

    request_id: int
    journal_number: str
    reviewed_at: datetime
    reviewed_by: str
    decision: str
    on_time: bool
    threat: ThreatView | None


def record_review_decision(
    session: Session,
    *,
    actor: str,
    request_id: int,
    expected_version: int,
    decision: str,
    reason: str,
    reviewed_at: datetime | None = None,
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES,
    now: datetime | None = None,
) -> ReviewDecision:
    """Record the specialist's decision on a critical screening answer, with its reason."""
    who = require(load_actor(session, actor), UseCase.REVIEW_CRITICAL)
    moment_now = now or utcnow()
    request = load_request(
        session, request_id, expected_version, attempted={"review_decision": decision}
    )
    if not request.priority_review:
        raise ValidationError(
            N_("Request {number} was not made from a critical screening answer."),
            number=request.journal_number,
        )
    if request.reviewed_at is not None:
        raise ValidationError(
            N_("Request {number} was already reviewed by {who} at {at}."),
            number=request.journal_number,
            who=request.reviewed_by or "—",
            at=request.reviewed_at.isoformat(timespec="minutes"),
        )
    if decision not in dict(DECISIONS):
        raise IntakeValidationError(
            "review_decision", N_("Choose whether there is a direct threat.")
        )
    text = check_text("review_reason", reason, required=True)
    assert text is not None
    moment = check_moment(
        "reviewed_at", reviewed_at or moment_now, now=moment_now, not_before=request.received_at
    )
    request.reviewed_at, request.reviewed_by = moment, who.username
    request.review_decision, request.review_reason = decision, text
    session.add(
        RequestAmendment(
            request_id=request.id,
            amended_at=moment_now,
            amended_by=who.username,
            reason=REVIEWED_REASON,
            changes={"review_decision": {"from": None, "to": decision}},
        )
    )
    session.flush()
    threat = None
    if decision == "direct_threat" and not request.direct_threat:
        threat = apply_direct_threat(
            session,
            request,
            who=who,
            assessed_at=moment,
            reason=text,
            minutes=notify_minutes,
            now=moment_now,
        )
    due = request.review_due_at or request.due_at
    record_event(
        session,
        actor=who.username,
        action="review_critical_answer",
        entity="request",
        entity_id=request.id,
        details={"journal_number": request.journal_number, "decision": decision},
    )
    return ReviewDecision(
        request.id,
        request.journal_number,
        moment,
        who.username,
        decision,
        moment.replace(microsecond=0) <= due,
        threat,
    )
