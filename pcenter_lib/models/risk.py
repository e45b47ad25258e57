"""Risk-indicator assessments and the overrides people make to a child's priority.

Hard safety rules stand outside any model and can only raise priority; an override keeps both
the value before and after, who made it and why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pcenter_lib.models.base import Base, intpk, json_data, utcnow


class RiskAssessment(Base):
    """A model's (or a rule's) risk score for a child at a moment."""

    __tablename__ = "risk_assessments"

    id: Mapped[intpk]
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)
    model_version: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[json_data] = mapped_column(default=list)


class PriorityOverride(Base):
    """A person's change of a child's review priority: both values kept, with who and why."""

    __tablename__ = "priority_overrides"

    id: Mapped[intpk]
    risk_assessment_id: Mapped[int] = mapped_column(ForeignKey("risk_assessments.id"), index=True)
    overridden_at: Mapped[datetime] = mapped_column(default=utcnow)
    overridden_by: Mapped[str] = mapped_column(String(80))
    from_band: Mapped[str] = mapped_column(String(20))
    to_band: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
