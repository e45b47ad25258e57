"""Crisis events, risk-indicator models, the assessments they make and people's overrides.

Hard safety rules stand outside any model and can only raise priority; an override keeps both
the value before and after, who made it and why. The score advises and people decide: the Law
"On personal data and their protection" (No. 94-V, Art. 19-1) forbids automated decisions that
have legal effect on a person, so what is recorded as the decision is always a person's.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pcenter_lib.models.base import Base, Versioned, aware_at, intpk, json_data, utcnow


class CrisisEvent(Base):
    """Something that happened to a child and reached the Center (Rules 18–19).

    ``kind`` is ``suicide_attempt``, ``self_harm``, ``violence_at_home``, ``police_involvement``
    or ``hospitalisation`` (``pcenter_lib.domain.risk_events``). ``occurred_at`` is when it
    happened as far as it is known, ``recorded_at`` when the Center wrote it down: a model may
    only learn from what was recorded before its scoring moment.
    """

    __tablename__ = "crisis_events"
    __table_args__ = (Index("ix_crisis_events_child_occurred", "child_id", "occurred_at"),)

    id: Mapped[intpk]
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[aware_at]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)


class RiskModelVersion(Versioned, Base):
    """One trained risk-indicator model: the skops file, its evaluation, card and decision.

    ``status`` is ``trained`` until an analyst publishes it (``published``) or the publication
    is refused (``refused``, with the reason); publishing a newer one retires the older
    (``retired``). ``sha256`` binds the stored file to this record.
    """

    __tablename__ = "risk_models"

    id: Mapped[intpk]
    model_version: Mapped[str] = mapped_column(String(40), unique=True)
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
    trained_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="trained")
    skops_file: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    window_start_on: Mapped[date]
    window_end_on: Mapped[date]
    evaluation: Mapped[json_data] = mapped_column(default=dict)
    card: Mapped[json_data] = mapped_column(default=dict)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decision_note: Mapped[str | None] = mapped_column(Text)


class RiskAssessment(Base):
    """What the queue showed for a child at a moment: rules, score, band, level and reasons."""

    __tablename__ = "risk_assessments"

    id: Mapped[intpk]
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)
    model_version: Mapped[str] = mapped_column(String(40))
    score: Mapped[float | None] = mapped_column(Float)  # calibrated probability, if a model ran
    band: Mapped[str] = mapped_column(String(20))  # 1–20, or "" when no model ran
    reasons: Mapped[json_data] = mapped_column(default=list)
    level: Mapped[str] = mapped_column(String(20), default="low")  # low|medium|high|mandatory
    mandatory_rules: Mapped[json_data] = mapped_column(default=list)


class PriorityOverride(Base):
    """A supervisor's change of a child's review priority: both values kept, with who and why.

    ``reason_code`` comes from a fixed list (``pcenter_lib.domain.priority``), ``reason`` is the
    supervisor's own words. Lowering a child that a hard rule put in mandatory priority also
    records which rules are set aside (``rules_set_aside``) and why they do not apply
    (``rule_explanation``).
    """

    __tablename__ = "priority_overrides"

    id: Mapped[intpk]
    risk_assessment_id: Mapped[int] = mapped_column(ForeignKey("risk_assessments.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    overridden_at: Mapped[datetime] = mapped_column(default=utcnow)
    overridden_by: Mapped[str] = mapped_column(String(80))
    direction: Mapped[str] = mapped_column(String(10), default="raise")  # raise | lower
    from_band: Mapped[str] = mapped_column(String(20))  # the level before: low … mandatory
    to_band: Mapped[str] = mapped_column(String(20))  # the level the supervisor chose
    reason_code: Mapped[str] = mapped_column(String(40), default="other")
    reason: Mapped[str] = mapped_column(Text)
    rules_set_aside: Mapped[json_data] = mapped_column(default=list)
    rule_explanation: Mapped[str | None] = mapped_column(Text)
