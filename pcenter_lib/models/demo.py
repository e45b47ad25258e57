"""The hidden ground truth of the synthetic demo region (never part of the Center's own data).

Each demo child carries a latent risk drawn by ``pcenter_lib.demo.truth``; it decides which
children later escalate (a direct-threat request, critical screening answers, crisis concerns).
``log_hazard``, the crisis episode and the school years decide *when*
(``pcenter_lib.demo.hazard``), so the evaluation can compute each child's true chance of an
escalation in a window. Rows written before these columns existed have them empty.
It lives only here, apart from every domain table, so that a risk model trained on the domain
tables can be judged against it. A real Center's database has this table empty.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pcenter_lib.domain.codes import RiskTier
from pcenter_lib.models.base import Base, code_column


class DemoGroundTruth(Base):
    """One demo child's latent risk, tier, family situation, crisis episode and escalation."""

    __tablename__ = "demo_ground_truth"

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True)
    latent_risk: Mapped[float] = mapped_column(Float)
    risk_tier: Mapped[RiskTier] = mapped_column(code_column(RiskTier, "risk_tier", 10))
    family_situation: Mapped[str] = mapped_column(String(20))
    escalated: Mapped[bool]
    escalated_at: Mapped[datetime | None]
    log_hazard: Mapped[float | None] = mapped_column(Float)
    episode_began_on: Mapped[date | None]
    episode_ended_on: Mapped[date | None]  # the escalation, recorded or not
    school_from: Mapped[date | None]
    school_until: Mapped[date | None]  # the first day no longer at school; None: still there
