"""Cases and the help given: mobile response groups, visits, support plans, consultations.

A mobile response group is formed for a request (Rule 17), visits the education organization and
draws up a support plan whose items set the kind, form and term of help (Rule 17, Annex 1 to
order No. 61); remote forms and accommodations for special educational needs are recorded on
each item (Rule 26).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.domain.codes import (
    CaseComplexity,
    CaseStatus,
    ConsultationRecipient,
    PlanItemStatus,
    PlanStatus,
)
from pcenter_lib.models.base import Base, Versioned, code_column, intpk, typed, utcnow

OPEN_CASE = "status <> 'closed'"


class Case(Versioned, Base):
    """A child's case at the Center, opened from a request, with a status history."""

    __tablename__ = "cases"
    __table_args__ = (
        # One open case per child: two specialists drawing up a plan at the same moment must not
        # split one child's help over two cases. A partial unique index on both engines; the
        # clash is shown as a conflict (pcenter_lib.transactions.CONFLICT_INDEXES).
        Index(
            "uq_cases_one_open_per_child",
            "child_id",
            unique=True,
            sqlite_where=text(OPEN_CASE),
            postgresql_where=text(OPEN_CASE),
        ),
    )

    id: Mapped[intpk]
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    opened_from_request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[CaseStatus] = mapped_column(
        code_column(CaseStatus, "case_status", 20), default=CaseStatus.OPEN
    )
    complexity: Mapped[CaseComplexity] = mapped_column(
        code_column(CaseComplexity, "complexity", 20), default=CaseComplexity.ROUTINE
    )
    responsible: Mapped[str | None] = mapped_column(String(80))
    closed_at: Mapped[datetime | None]
    closure_reason: Mapped[str | None] = mapped_column(Text)

    history: Mapped[list[CaseStatusChange]] = relationship(order_by="CaseStatusChange.id")


class CaseStatusChange(Base):
    """One step in a case's status history (who moved it, when, from what, to what, why)."""

    __tablename__ = "case_status_changes"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(80))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class MobileGroup(Base):
    """A mobile response group formed for a request (Rule 17)."""

    __tablename__ = "mobile_groups"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    formed_at: Mapped[datetime] = mapped_column(default=utcnow)
    formed_by: Mapped[str] = mapped_column(String(80))

    members: Mapped[list[MobileGroupMember]] = relationship(cascade="all, delete-orphan")
    visits: Mapped[list[Visit]] = relationship(order_by="Visit.id")


class MobileGroupMember(Base):
    """A member of a mobile response group: a Center specialist, or a specialist of another body.

    Rule 17 involves "specialists of interested state bodies and other organizations within
    their competence": such a member has no staff row but a name, an organization and a job
    title (a code of ``domain.mobile_members.EXTERNAL_POSITIONS``).
    """

    __tablename__ = "mobile_group_members"
    __table_args__ = (
        UniqueConstraint("mobile_group_id", "staff_member_id"),
        CheckConstraint(
            "staff_member_id IS NOT NULL OR external_name IS NOT NULL", name="staff_or_external"
        ),
    )

    id: Mapped[intpk]
    mobile_group_id: Mapped[int] = mapped_column(ForeignKey("mobile_groups.id"), index=True)
    staff_member_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    role_in_group: Mapped[str] = mapped_column(String(30), default="member")
    external_name: Mapped[str | None] = mapped_column(String(200))
    external_organization: Mapped[str | None] = mapped_column(String(200))
    external_position: Mapped[str | None] = mapped_column(String(40))


class Visit(Base):
    """A visit of a mobile group to an education organization: plan, departure, arrival, findings."""

    __tablename__ = "visits"

    id: Mapped[intpk]
    mobile_group_id: Mapped[int] = mapped_column(ForeignKey("mobile_groups.id"), index=True)
    education_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("education_organizations.id"), index=True
    )
    planned_at: Mapped[datetime]
    departed_at: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]
    findings: Mapped[str | None] = mapped_column(Text, info=typed(4000))
    recorded_by: Mapped[str | None] = mapped_column(String(80))


class SupportPlan(Versioned, Base):
    """The algorithm of support actions drawn up for a child (Rule 17)."""

    __tablename__ = "support_plans"

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    mobile_group_id: Mapped[int | None] = mapped_column(ForeignKey("mobile_groups.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[PlanStatus] = mapped_column(
        code_column(PlanStatus, "plan_status", 20), default=PlanStatus.ACTIVE
    )
    basis: Mapped[str | None] = mapped_column(String(20))  # Rule 15 basis, service_consent.BASES

    items: Mapped[list[SupportPlanItem]] = relationship(
        cascade="all, delete-orphan", order_by="SupportPlanItem.id"
    )


class SupportPlanItem(Base):
    """One kind of help in a support plan: form, responsible person and term (Rules 17, 26)."""

    __tablename__ = "support_plan_items"

    id: Mapped[intpk]
    support_plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # consultation | diagnostics | training | ...
    form_individual: Mapped[bool] = mapped_column(default=True)  # individual | group
    form_remote: Mapped[bool] = mapped_column(default=False)  # Rule 26: remote form
    sen_accommodation: Mapped[str | None] = mapped_column(Text, info=typed(1000))  # Rule 26
    responsible: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[date]
    status: Mapped[PlanItemStatus] = mapped_column(
        code_column(PlanItemStatus, "item_status", 20), default=PlanItemStatus.PLANNED
    )
    done_on: Mapped[date | None]
    done_by: Mapped[str | None] = mapped_column(String(80))


class Consultation(Base):
    """A consultation given to a child, a parent or a teacher (Rule 11.1).

    ``basis`` records why it could be given (``domain.service_consent.BASES``): ``direct_threat``
    marks help given under the Rule 15 waiver, without consent.
    """

    __tablename__ = "consultations"

    id: Mapped[intpk]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    basis: Mapped[str | None] = mapped_column(String(20))
    held_at: Mapped[datetime]
    specialist: Mapped[str] = mapped_column(String(80))
    recipient: Mapped[ConsultationRecipient] = mapped_column(
        code_column(ConsultationRecipient, "recipient", 20)
    )
    form_remote: Mapped[bool] = mapped_column(default=False)
    topic: Mapped[str] = mapped_column(String(40))
    minutes: Mapped[int] = mapped_column(default=45)
    note: Mapped[str | None] = mapped_column(Text, info=typed(2000))
