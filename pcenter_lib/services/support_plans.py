"""The support plan a mobile response group draws up (Rule 17), and the child's case it opens.

The plan sets the kinds of help, the form of each (individual or group, in person or remote —
Rule 26), the responsible person and the term, in the form of Annex 1 to order No. 61. For a
child with special educational needs every item states its accommodations (Rule 26). A plan is
a service to the child, so it passes the same Rule 15 gate as any other (``check_service_
allowed``): for a child under 16 it needs a legal representative's consent unless a direct
threat is open, and the basis is kept with the plan. Drawing up a plan opens the child's case,
or updates the open one, with a status-history entry. Each item is later marked done — the day
and who did it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import CaseStatus, PlanItemStatus
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import SUPPORT_KIND_CODES, IntakeValidationError
from pcenter_lib.errors import NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    Case,
    CaseStatusChange,
    MobileGroup,
    Request,
    SupportPlan,
    SupportPlanItem,
)
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.consent_records import check_service_allowed
from pcenter_lib.services.mobile_groups import load_group
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor


@dataclass(frozen=True, slots=True)
class PlanItemDraft:
    """One line of a support plan as typed (Rule 17; remote form and SEN per Rule 26)."""

    kind: str
    responsible: str
    due_on: date
    individual: bool = True
    remote: bool = False
    sen_accommodation: str | None = None


@dataclass(frozen=True, slots=True)
class SupportPlanView:
    id: int
    case_id: int
    case_status: str
    group_id: int | None
    items: tuple[PlanItemDraft, ...]
    basis: str | None = None  # Rule 15 basis (domain.service_consent.BASES)


@dataclass(frozen=True, slots=True)
class PlanItemView:
    """A saved item of a plan and whether, when and by whom it was done."""

    id: int
    plan_id: int
    kind: str
    individual: bool
    remote: bool
    responsible: str
    due_on: date
    status: str  # planned | done | dropped
    done_on: date | None
    done_by: str | None
    sen_accommodation: str | None


def _checked_items(
    items: Sequence[PlanItemDraft], *, special_needs: bool, today: date
) -> list[PlanItemDraft]:
    if not items:
        raise IntakeValidationError("kind", N_("A support plan needs at least one item."))
    checked = []
    for item in items:
        if item.kind not in SUPPORT_KIND_CODES:
            raise IntakeValidationError("kind", N_("Choose the kind of help from the list."))
        responsible = check_text("responsible", item.responsible, required=True)
        accommodation = check_text("sen_accommodation", item.sen_accommodation)
        if item.due_on < today:
            raise IntakeValidationError(
                "due_on", N_("The term {due_on} is already past."), due_on=item.due_on.isoformat()
            )
        if special_needs and accommodation is None:
            raise IntakeValidationError(
                "sen_accommodation",
                N_(
                    "The child has special educational needs: state the accommodations for "
                    "each item of the plan (Rule 26)."
                ),
            )
        checked.append(
            PlanItemDraft(
                item.kind,
                responsible or "",
                item.due_on,
                item.individual,
                item.remote,
                accommodation,
            )
        )
    return checked


def draw_up_support_plan(
    session: Session,
    *,
    actor: str,
    group_id: int,
    items: Sequence[PlanItemDraft],
    now: datetime | None = None,
) -> SupportPlanView:
    """Draw up the group's support plan; it opens the child's case or updates the open one."""
    who = require(load_actor(session, actor), UseCase.MOBILE_GROUP)
    moment_now = now or utcnow()
    group = load_group(session, group_id)
    request = session.get(Request, group.request_id)
    assert request is not None
    child = request.child
    if child is None:
        raise ValidationError(
            N_("Request {number} is not linked to a child; link the child before the plan."),
            number=request.journal_number,
        )
    checked = _checked_items(
        items, special_needs=child.special_needs, today=moment_now.astimezone(KZ_TZ).date()
    )
    clearance = check_service_allowed(
        session, actor=actor, request_id=request.id, at=moment_now, recipient="child"
    )
    case = session.scalar(
        select(Case)
        .where(Case.child_id == child.id, Case.status != "closed")
        .order_by(Case.opened_at.desc())
    )
    if case is None:
        case = Case(
            child_id=child.id,
            opened_from_request_id=request.id,
            opened_at=moment_now,
            status="open",
            responsible=who.username,
        )
        session.add(case)
        session.flush()
        note, from_status = f"opened by the support plan for request {request.journal_number}", None
    else:
        note = f"support plan drawn up for request {request.journal_number}"
        from_status = case.status
        case.status = CaseStatus.OPEN
    session.add(
        CaseStatusChange(
            case_id=case.id,
            changed_by=who.username,
            changed_at=moment_now,
            from_status=from_status,
            to_status="open",
            note=note,
        )
    )
    plan = SupportPlan(
        case_id=case.id,
        mobile_group_id=group.id,
        created_by=who.username,
        created_at=moment_now,
        basis=clearance.basis,
    )
    plan.items = [
        SupportPlanItem(
            kind=i.kind,
            form_individual=i.individual,
            form_remote=i.remote,
            sen_accommodation=i.sen_accommodation,
            responsible=i.responsible,
            due_on=i.due_on,
        )
        for i in checked
    ]
    session.add(plan)
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="support_plan",
        entity="support_plan",
        entity_id=plan.id,
        details={
            "case": case.id,
            "request": request.journal_number,
            "items": len(checked),
            "basis": clearance.basis,
        },
    )
    return SupportPlanView(plan.id, case.id, case.status, group.id, tuple(checked), clearance.basis)


def _item_view(item: SupportPlanItem) -> PlanItemView:
    return PlanItemView(
        item.id,
        item.support_plan_id,
        item.kind,
        item.form_individual,
        item.form_remote,
        item.responsible,
        item.due_on,
        item.status,
        item.done_on,
        item.done_by,
        item.sen_accommodation,
    )


def plan_items_for_request(session: Session, *, actor: str, request_id: int) -> list[PlanItemView]:
    """Items of the plans drawn up by the request's mobile groups, in plan and item order."""
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    rows = session.scalars(
        select(SupportPlanItem)
        .join(SupportPlan, SupportPlan.id == SupportPlanItem.support_plan_id)
        .join(MobileGroup, MobileGroup.id == SupportPlan.mobile_group_id)
        .where(MobileGroup.request_id == request_id)
        .order_by(SupportPlan.id, SupportPlanItem.id)
    )
    return [_item_view(item) for item in rows]


def mark_plan_item_done(
    session: Session,
    *,
    actor: str,
    item_id: int,
    done_on: date | None = None,
    now: datetime | None = None,
) -> PlanItemView:
    """Mark a plan item done on ``done_on`` (today by default) by ``actor``; kept, not edited."""
    who = require(load_actor(session, actor), UseCase.MOBILE_GROUP)
    moment_now = now or utcnow()
    today = moment_now.astimezone(KZ_TZ).date()
    item = session.get(SupportPlanItem, item_id, with_for_update=True)
    if item is None:
        raise NotFoundError(N_("There is no plan item with id {id}."), id=item_id)
    if item.status == "done":
        raise ValidationError(
            N_("This item was already marked done on {on} by {who}."),
            on=item.done_on.isoformat() if item.done_on else "—",
            who=item.done_by or "—",
        )
    day = done_on or today
    plan = session.get(SupportPlan, item.support_plan_id)
    assert plan is not None
    if day > today or day < plan.created_at.astimezone(KZ_TZ).date():
        raise IntakeValidationError(
            "done_on",
            N_("The day an item was done lies between the plan's day ({start}) and today."),
            start=plan.created_at.astimezone(KZ_TZ).date().isoformat(),
        )
    item.status, item.done_on, item.done_by = PlanItemStatus.DONE, day, who.username
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="plan_item_done",
        entity="support_plan_item",
        entity_id=item.id,
        details={"plan": item.support_plan_id, "done_on": day.isoformat()},
    )
    return _item_view(item)
