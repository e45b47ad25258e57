"""The annual work plan (Rule 23): its events, their progress, and the first head's approval.

A plan belongs to the Center and a school year; its events (direction of Rule 10, month,
responsible person, expected result, status) are parts of it, so every change raises the plan's
version and an edit made on a stale copy is refused with a conflict (``models/aggregates.py``).
Approval is the first head's (``UseCase.APPROVE_WORK_PLAN``) and is audited; the view says when
the plan is late (not approved before the school year began) and how far it is carried out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from pcenter_lib.diagnostics.periods import check_school_year
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import WorkDirection, WorkEventStatus
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.work_plan import PlanTiming, Progress, plan_progress, plan_timing
from pcenter_lib.errors import ConflictError, NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Center, User, WorkPlan, WorkPlanEvent
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import StaleRecordError


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    direction: str
    month: str
    title: str
    responsible: str
    expected_result: str
    status: str
    done_on: date | None


@dataclass(frozen=True, slots=True)
class PlanView:
    id: int
    school_year: str
    approved_at: datetime | None
    approved_by: str | None
    approved_by_name: str | None  # the first head's full name
    version: int
    events: tuple[EventView, ...]
    timing: PlanTiming
    progress: Progress


@dataclass(frozen=True, slots=True)
class EventDraft:
    direction: str
    month: str
    title: str
    responsible: str
    expected_result: str = ""


def _view(plan: WorkPlan, today: date) -> PlanView:
    session = object_session(plan)
    name = None
    if plan.approved_by and session is not None:
        name = session.scalar(select(User.full_name).where(User.username == plan.approved_by))
    events = tuple(
        EventView(
            e.id,
            str(e.direction),
            e.month,
            e.title,
            e.responsible,
            e.expected_result,
            str(e.status),
            e.done_on,
        )
        for e in sorted(plan.events, key=lambda e: (e.month, e.id))
    )
    approved = plan.approved_at.astimezone(KZ_TZ).date() if plan.approved_at else None
    return PlanView(
        plan.id,
        plan.school_year,
        plan.approved_at,
        plan.approved_by,
        name or plan.approved_by,
        plan.version,
        events,
        plan_timing(plan.school_year, approved, today),
        plan_progress(((e.month, WorkEventStatus(e.status)) for e in events), today),
    )


def _conflict(plan: WorkPlan) -> ConflictError:
    return ConflictError(
        N_("Somebody else changed this work plan meanwhile (now version {version}); reload it."),
        version=plan.version,
    )


def find_work_plan(session: Session, school_year: str) -> WorkPlan | None:
    return session.scalar(
        select(WorkPlan).where(WorkPlan.school_year == check_school_year(school_year))
    )


def open_work_plan(
    session: Session, *, actor: str, school_year: str, today: date, create: bool = False
) -> PlanView | None:
    """The plan of ``school_year`` (made empty when ``create`` and there is none)."""
    who = require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    plan = find_work_plan(session, school_year)
    if plan is None and create:
        center = session.scalar(select(Center).order_by(Center.id))
        if center is None:
            raise NotFoundError(N_("The Center is not registered yet; run: pcenter init-db"))
        plan = WorkPlan(center_id=center.id, school_year=school_year, items=[])
        session.add(plan)
        session.flush()
        record_event(
            session,
            actor=who.username,
            action="create",
            entity="work_plan",
            entity_id=plan.id,
            details={"school_year": school_year},
        )
    return None if plan is None else _view(plan, today)


def _editable(session: Session, plan_id: int, expected_version: int) -> WorkPlan:
    plan = load(session, WorkPlan, plan_id)
    if plan.version != expected_version:
        raise _conflict(plan)
    return plan


def _saved(
    session: Session, plan: WorkPlan, who: str, action: str, details: dict[str, object], today: date
) -> PlanView:
    """Flush the change (a stale plan is a conflict), audit it, and return the plan as it is."""
    try:
        session.flush()
    except StaleRecordError as exc:
        raise _conflict(plan) from exc
    session.refresh(plan)
    record_event(
        session, actor=who, action=action, entity="work_plan", entity_id=plan.id, details=details
    )
    return _view(plan, today)


def _check_month(school_year: str, month: str) -> str:
    first = int(school_year[:4])
    allowed = [f"{first}-{m:02d}" for m in range(9, 13)] + [
        f"{first + 1}-{m:02d}" for m in range(1, 9)
    ]
    if month not in allowed:
        raise ValidationError(
            N_("The month {month} is not in the school year {year}."), month=month, year=school_year
        )
    return month


def add_plan_event(
    session: Session,
    *,
    actor: str,
    plan_id: int,
    expected_version: int,
    draft: EventDraft,
    today: date,
) -> PlanView:
    """Add an event to the plan (refused when somebody changed the plan meanwhile)."""
    who = require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    plan = _editable(session, plan_id, expected_version)
    try:
        direction = WorkDirection(draft.direction)
    except ValueError:
        raise ValidationError(
            N_("Unknown direction of activity {value!r}."), value=draft.direction
        ) from None
    event = WorkPlanEvent(
        work_plan_id=plan.id,
        direction=direction,
        month=_check_month(plan.school_year, draft.month),
        title=check_text("plan_title", draft.title, required=True) or "",
        responsible=check_text("plan_responsible", draft.responsible, required=True) or "",
        expected_result=check_text("expected_result", draft.expected_result) or "",
        status=WorkEventStatus.PLANNED,
        note="",
    )
    plan.events.append(event)
    return _saved(
        session,
        plan,
        who.username,
        "update",
        {"added_event": event.id, "month": event.month},
        today,
    )


def set_event_status(
    session: Session,
    *,
    actor: str,
    event_id: int,
    expected_version: int,
    status: str,
    today: date,
    done_on: date | None = None,
) -> PlanView:
    """Mark an event done (on a day), moved or dropped — or planned again."""
    who = require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    event = load(session, WorkPlanEvent, event_id)
    plan = _editable(session, event.work_plan_id, expected_version)
    try:
        new = WorkEventStatus(status)
    except ValueError:
        raise ValidationError(N_("Unknown status {value!r}."), value=status) from None
    if new is WorkEventStatus.DONE and done_on is None:
        done_on = today
    if done_on is not None and done_on > today:
        raise ValidationError(N_("An event cannot be done on a day still to come."))
    event.status, event.done_on = new, done_on if new is WorkEventStatus.DONE else None
    return _saved(
        session, plan, who.username, "update", {"event": event.id, "status": new.value}, today
    )


def approve_work_plan(
    session: Session,
    *,
    actor: str,
    plan_id: int,
    expected_version: int,
    today: date,
    now: datetime | None = None,
) -> PlanView:
    """The first head approves the plan (Rule 23); approving twice is refused."""
    who = require(load_actor(session, actor), UseCase.APPROVE_WORK_PLAN)
    plan = _editable(session, plan_id, expected_version)
    if plan.approved_at is not None:
        raise ValidationError(
            N_("This work plan was already approved by {who}."), who=plan.approved_by or "—"
        )
    if not plan.events:
        raise ValidationError(N_("A work plan without events cannot be approved."))
    plan.approved_at, plan.approved_by = now or utcnow(), who.username
    return _saved(session, plan, who.username, "approve", {"school_year": plan.school_year}, today)
