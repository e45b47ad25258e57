"""The support plan a mobile response group draws up (Rule 17), and the child's case it opens.

The plan sets the kinds of help, the form of each (individual or group, in person or remote —
Rule 26), the responsible person and the term, in the form of Annex 1 to order No. 61. For a
child with special educational needs every item states its accommodations (Rule 26). Drawing up
a plan opens the child's case, or updates the open one, with a status-history entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import CaseStatus
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import SUPPORT_KIND_CODES, IntakeValidationError
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Case, CaseStatusChange, Request, SupportPlan, SupportPlanItem
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
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
        case_id=case.id, mobile_group_id=group.id, created_by=who.username, created_at=moment_now
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
        details={"case": case.id, "request": request.journal_number, "items": len(checked)},
    )
    return SupportPlanView(plan.id, case.id, case.status, group.id, tuple(checked))
