"""Staffing scenarios, annual work plans (Rule 23), reports and calendar overrides."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pcenter_lib.models.base import Base, Versioned, intpk, json_data, typed, utcnow


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
