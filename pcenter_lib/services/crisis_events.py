"""Record a crisis event about a child: an attempt, self-harm, violence at home, police, hospital.

The Center often learns of these from a notification or a visit (Rules 17–19). A recorded
event feeds the hard rules (``recent_suicide_attempt``, ``violence_at_home``) at once, and the
risk indicators from the moment it was recorded. Nothing is deleted; each record is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.risk_events import crisis_kind
from pcenter_lib.errors import NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, CrisisEvent, Request
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.users import load_actor

NOTE_LIMIT = 2000


@dataclass(frozen=True)
class RecordedCrisis:
    id: int
    child_id: int
    kind: str
    occurred_at: datetime
    recorded_at: datetime


def record_crisis_event(
    session: Session,
    *,
    actor: str,
    child_id: int,
    kind: str,
    occurred_at: datetime,
    now: datetime,
    request_id: int | None = None,
    note: str | None = None,
) -> RecordedCrisis:
    """Write one crisis event (when it happened, when the Center learnt of it, who wrote it)."""
    require(load_actor(session, actor), UseCase.RECORD_CRISIS_EVENT)
    crisis_kind(kind)
    for value in (occurred_at, now):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(
                N_("The time {value} has no time zone; give an aware time."), value=value
            )
    if occurred_at > now:
        raise ValidationError(
            N_("A crisis event cannot happen after it is recorded ({occurred} > {now})."),
            occurred=occurred_at.isoformat(),
            now=now.isoformat(),
        )
    load(session, Child, child_id)
    if request_id is not None:
        request = session.get(Request, request_id)
        if request is None or request.child_id != child_id:
            raise NotFoundError(N_("There is no request {id} about this child."), id=request_id)
    text = (note or "").strip()
    if len(text) > NOTE_LIMIT:
        raise ValidationError(N_("The note is longer than {limit} characters."), limit=NOTE_LIMIT)
    event = CrisisEvent(
        child_id=child_id, request_id=request_id, kind=kind, occurred_at=occurred_at,
        recorded_at=now, recorded_by=actor, note=text or None,
    )  # fmt: skip
    session.add(event)
    session.flush()
    record_event(
        session, actor=actor, action="create", entity="crisis_event", entity_id=event.id,
        details={"child_id": child_id, "kind": kind, "request_id": request_id},
    )  # fmt: skip
    return RecordedCrisis(event.id, child_id, kind, occurred_at, now)
