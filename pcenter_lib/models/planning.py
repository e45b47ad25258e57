"""Staffing scenarios, annual work plans (Rule 23), reports and calendar overrides."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.domain.codes import WorkDirection, WorkEventStatus
from pcenter_lib.models.base import Base, Versioned, code_column, intpk, json_data, typed, utcnow


class StaffingScenario(Versioned, Base):
    """A named staffing scenario: demand changes, activity standards and the resulting need."""

    __tablename__ = "staffing_scenarios"
    __table_args__ = (UniqueConstraint("center_id", "name"),)

    id: Mapped[intpk]
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    parameters: Mapped[json_data]
    result: Mapped[json_data] = mapped_column(default=dict)


class WorkPlan(Versioned, Base):
    """The annual work plan approved by the first head before the school year (Rule 23)."""

    __tablename__ = "work_plans"
    __table_args__ = (UniqueConstraint("center_id", "school_year"),)

    id: Mapped[intpk]
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    school_year: Mapped[str] = mapped_column(String(9))
    items: Mapped[json_data] = mapped_column(default=list)
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(80))

    events: Mapped[list[WorkPlanEvent]] = relationship(
        back_populates="work_plan", order_by="(WorkPlanEvent.month, WorkPlanEvent.id)"
    )


class WorkPlanEvent(Base):
    """One event of the annual work plan: direction (Rule 10), month, who, what for, status.

    A part of its ``WorkPlan``: changing an event raises the plan's version
    (``models/aggregates.py``), so two people editing the plan never overwrite each other.
    """

    __tablename__ = "work_plan_events"

    id: Mapped[intpk]
    work_plan_id: Mapped[int] = mapped_column(ForeignKey("work_plans.id"), index=True)
    direction: Mapped[WorkDirection] = mapped_column(
        code_column(WorkDirection, "direction", 30)
    )
    month: Mapped[str] = mapped_column(String(7))  # 2026-10
    title: Mapped[str] = mapped_column(Text, info=typed(500))
    responsible: Mapped[str] = mapped_column(String(200))
    expected_result: Mapped[str] = mapped_column(Text, default="", info=typed(1000))
    status: Mapped[WorkEventStatus] = mapped_column(
        code_column(WorkEventStatus, "status", 10), default=WorkEventStatus.PLANNED
    )
    done_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="", info=typed(1000))

    work_plan: Mapped[WorkPlan] = relationship(back_populates="events")


class Recommendation(Versioned, Base):
    """A written recommendation of the Center to an education management body or a school
    (Rule 20: "sent to the education management bodies and to the education organizations for
    review and action"): its addressee, its sending, and later the measures taken."""

    __tablename__ = "recommendations"

    id: Mapped[intpk]
    quarter: Mapped[str] = mapped_column(String(7), index=True)
    education_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("education_organizations.id"), index=True
    )
    addressee: Mapped[str] = mapped_column(Text, info=typed(300))
    text: Mapped[str] = mapped_column(Text, info=typed(4000))
    study_id: Mapped[int | None] = mapped_column(ForeignKey("ppss_studies.id"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    written_by: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime | None]
    sent_by: Mapped[str | None] = mapped_column(String(80))
    sent_ref: Mapped[str | None] = mapped_column(String(100))
    measures_taken: Mapped[str | None] = mapped_column(Text, info=typed(4000))
    measures_at: Mapped[datetime | None]
    measures_by: Mapped[str | None] = mapped_column(String(80))


class Report(Base):
    """A document that left (or will leave) the Center, with the hash of the exact file.

    Its sending is recorded: to whom (``sent_to``, e.g. the education management body of
    Rule 21), when and by whom.
    """

    __tablename__ = "reports"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(40))  # analytical_note | monthly_exchange | ...
    period: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(2))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    sent_to: Mapped[str | None] = mapped_column(Text, info=typed(500))
    sent_at: Mapped[datetime | None]
    sent_by: Mapped[str | None] = mapped_column(String(80))
    outgoing_number: Mapped[str | None] = mapped_column(String(40))
    addressee: Mapped[str | None] = mapped_column(Text, info=typed(500))
    restricted: Mapped[bool] = mapped_column(default=False)  # the direct-threat annex


class CalendarOverride(Versioned, Base):
    """A government-decreed day transfer: an extra day off or a working Saturday (Rule 16)."""

    __tablename__ = "calendar_overrides"

    id: Mapped[intpk]
    day_on: Mapped[date] = mapped_column(unique=True)
    working: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text, info=typed(1000))
    source: Mapped[str | None] = mapped_column(Text, info=typed(300))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(80))
