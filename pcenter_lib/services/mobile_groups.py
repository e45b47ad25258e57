"""Mobile response groups (Rule 17): form, visit, and draw up the support plan (Rule 26).

A group is formed for a request from the Center's core specialists who are on mobile duty and,
"where needed, specialists of interested state bodies and other organizations within their
competence" (Rule 17) — each with their organization and job title (``domain.positions``). It
plans a visit to the education organization, logs departure, arrival and findings, and draws up
the support plan (``support_plans``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import RequestStatus
from pcenter_lib.domain.field_errors import FieldErrors
from pcenter_lib.domain.intake_rules import (
    IntakeValidationError,
    check_moment,
)
from pcenter_lib.domain.positions import EXTERNAL_POSITIONS
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    MobileGroup,
    MobileGroupMember,
    Request,
    StaffMember,
    Visit,
)
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor


@dataclass(frozen=True, slots=True)
class StaffView:
    """A core specialist on mobile duty; ``busy`` while in a visit not yet written up."""

    id: int
    full_name: str
    position: str
    busy: bool


@dataclass(frozen=True, slots=True)
class VisitView:
    id: int
    group_id: int
    education_organization_id: int | None
    planned_at: datetime
    departed_at: datetime | None
    arrived_at: datetime | None
    findings: str | None
    recorded_by: str | None


@dataclass(frozen=True, slots=True)
class ExternalMember:
    """A specialist of another body or organization joining a group (Rule 17)."""

    full_name: str
    organization: str
    position: str  # a code of domain.positions.EXTERNAL_POSITIONS


@dataclass(frozen=True, slots=True)
class MemberView:
    """A group member as listed: ``position`` is a job-title code the app translates."""

    staff_id: int | None
    full_name: str
    organization: str | None  # None: the Center itself
    position: str
    role: str  # leader | member (domain.positions.GROUP_ROLES)


@dataclass(frozen=True, slots=True)
class MobileGroupView:
    id: int
    request_id: int
    journal_number: str
    formed_at: datetime
    formed_by: str
    members: tuple[MemberView, ...]
    visits: tuple[VisitView, ...]


def _busy_staff(session: Session) -> set[int]:
    rows = session.scalars(
        select(MobileGroupMember.staff_member_id)
        .join(Visit, Visit.mobile_group_id == MobileGroupMember.mobile_group_id)
        .where(Visit.findings.is_(None), MobileGroupMember.staff_member_id.is_not(None))
    )
    return {staff_id for staff_id in rows if staff_id is not None}


def available_core_staff(session: Session, *, actor: str) -> list[StaffView]:
    """Active core specialists on mobile duty (Rule 24.2 core personnel), by name."""
    require(load_actor(session, actor), UseCase.MOBILE_GROUP)
    busy = _busy_staff(session)
    rows = session.scalars(
        select(StaffMember)
        .where(
            StaffMember.category == "core",
            StaffMember.active.is_(True),
            StaffMember.is_mobile_group.is_(True),
        )
        .order_by(StaffMember.full_name)
    )
    return [StaffView(s.id, s.full_name, s.position, s.id in busy) for s in rows]


def _visit_view(v: Visit) -> VisitView:
    return VisitView(
        v.id,
        v.mobile_group_id,
        v.education_organization_id,
        v.planned_at,
        v.departed_at,
        v.arrived_at,
        v.findings,
        v.recorded_by,
    )


def _group_view(session: Session, group: MobileGroup) -> MobileGroupView:
    request = session.get(Request, group.request_id)
    assert request is not None
    members = []
    for member in group.members:
        if member.staff_member_id is None:
            members.append(
                MemberView(
                    None,
                    member.external_name or "",
                    member.external_organization,
                    member.external_position or "other_specialist",
                    member.role_in_group,
                )
            )
            continue
        staff = session.get(StaffMember, member.staff_member_id)
        members.append(
            MemberView(
                member.staff_member_id,
                staff.full_name if staff else "?",
                None,
                staff.position if staff else "",
                member.role_in_group,
            )
        )
    return MobileGroupView(
        group.id,
        group.request_id,
        request.journal_number,
        group.formed_at,
        group.formed_by,
        tuple(members),
        tuple(_visit_view(v) for v in group.visits),
    )


def _checked_external(members: Sequence[ExternalMember]) -> list[ExternalMember]:
    errors = FieldErrors()
    checked = []
    for member in members:
        name = errors.collect(partial(check_text, "external_name", member.full_name, required=True))
        organization = errors.collect(
            partial(check_text, "external_organization", member.organization, required=True)
        )
        if member.position not in EXTERNAL_POSITIONS:
            errors.errors.append(
                IntakeValidationError(
                    "external_position", N_("Choose the specialist's job title from the list.")
                )
            )
        if name and organization:
            checked.append(ExternalMember(name, organization, member.position))
    errors.raise_if_any()
    return checked


def form_mobile_group(
    session: Session,
    *,
    actor: str,
    request_id: int,
    staff_ids: Sequence[int],
    leader_id: int | None = None,
    external: Sequence[ExternalMember] = (),
) -> MobileGroupView:
    """Form a mobile response group for a request: core specialists on mobile duty, and
    specialists of other bodies and organizations where needed (Rule 17)."""
    who = require(load_actor(session, actor), UseCase.MOBILE_GROUP)
    request = load(session, Request, request_id)
    chosen = list(dict.fromkeys(staff_ids))
    if not chosen:
        raise IntakeValidationError(
            "members", N_("Choose at least one Center specialist for the group.")
        )
    guests = _checked_external(external)
    eligible = {s.id for s in available_core_staff(session, actor=actor)}
    outside = [sid for sid in chosen if sid not in eligible]
    if outside:
        raise IntakeValidationError(
            "members",
            N_(
                "Only active core specialists on mobile duty can join a group (Rule 17); not: {ids}."
            ),
            ids=", ".join(str(i) for i in outside),
        )
    if leader_id is not None and leader_id not in chosen:
        raise IntakeValidationError("members", N_("The group leader must be one of its members."))
    group = MobileGroup(request_id=request.id, formed_by=who.username, formed_at=utcnow())
    group.members = [
        MobileGroupMember(
            staff_member_id=sid, role_in_group="leader" if sid == leader_id else "member"
        )
        for sid in chosen
    ] + [
        MobileGroupMember(
            external_name=guest.full_name,
            external_organization=guest.organization,
            external_position=guest.position,
            role_in_group="member",
        )
        for guest in guests
    ]
    session.add(group)
    if request.status is RequestStatus.OPEN:
        request.status = RequestStatus.IN_WORK
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="form_mobile_group",
        entity="mobile_group",
        entity_id=group.id,
        details={
            "request": request.journal_number,
            "members": chosen,
            "external": [g.position for g in guests],
        },
    )
    return _group_view(session, group)


def groups_for_request(session: Session, *, actor: str, request_id: int) -> list[MobileGroupView]:
    """The groups formed for a request, oldest first."""
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    groups = session.scalars(
        select(MobileGroup).where(MobileGroup.request_id == request_id).order_by(MobileGroup.id)
    )
    return [_group_view(session, g) for g in groups]


def load_group(session: Session, group_id: int) -> MobileGroup:
    return load(session, MobileGroup, group_id)


def plan_visit(
    session: Session,
    *,
    actor: str,
    group_id: int,
    planned_at: datetime,
    education_organization_id: int | None = None,
) -> VisitView:
    """Plan a visit of the group to the request's education organization (or another one)."""
    who = require(load_actor(session, actor), UseCase.MOBILE_GROUP)
    group = load_group(session, group_id)
    if planned_at.tzinfo is None:
        raise IntakeValidationError(
            "planned_at", N_("The time needs a time zone (Kazakhstan time is UTC+5).")
        )
    request = session.get(Request, group.request_id)
    assert request is not None
    visit = Visit(
        mobile_group_id=group.id,
        education_organization_id=education_organization_id or request.education_organization_id,
        planned_at=planned_at,
        recorded_by=who.username,
    )
    session.add(visit)
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="plan_visit",
        entity="visit",
        entity_id=visit.id,
        details={"group": group.id, "planned_at": planned_at.isoformat()},
    )
    return _visit_view(visit)


def log_visit(
    session: Session,
    *,
    actor: str,
    visit_id: int,
    departed_at: datetime | None = None,
    arrived_at: datetime | None = None,
    findings: str | None = None,
    now: datetime | None = None,
) -> VisitView:
    """Log the visit step by step: departure, arrival (not before departure), findings.

    A step already logged is not overwritten; the log is a record, not a draft.
    """
    who = require(load_actor(session, actor), UseCase.MOBILE_GROUP)
    moment_now = now or utcnow()
    visit = load(session, Visit, visit_id)
    steps = (
        (departed_at, visit.departed_at),
        (arrived_at, visit.arrived_at),
        (findings, visit.findings),
    )
    if any(value is not None and current is not None for value, current in steps):
        raise ValidationError(N_("This step of the visit is already logged."))
    if departed_at is not None:
        visit.departed_at = check_moment("departed_at", departed_at, now=moment_now)
    if arrived_at is not None:
        visit.arrived_at = check_moment(
            "arrived_at", arrived_at, now=moment_now, not_before=visit.departed_at
        )
    if findings is not None:
        visit.findings = check_text("findings", findings, required=True)
    visit.recorded_by = who.username
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="log_visit",
        entity="visit",
        entity_id=visit.id,
        details={
            "departed": departed_at is not None,
            "arrived": arrived_at is not None,
            "findings": findings is not None,
        },
    )
    return _visit_view(visit)
