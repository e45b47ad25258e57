"""The hidden ground truth of the synthetic demo region (never part of the Center's own data).

Each demo child carries a latent risk drawn by ``pcenter_lib.demo.truth``; it decides which
children later escalate (a direct-threat request, critical screening answers, crisis concerns).
It lives only here, apart from every domain table, so that a risk model trained on the domain
tables can be judged against it. A real Center's database has this table empty.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pcenter_lib.domain.codes import RiskTier
from pcenter_lib.models.base import Base, code_column


class DemoGroundTruth(Base):
    """One demo child's latent risk, its tier, family situation and whether and when it escalated."""

    __tablename__ = "demo_ground_truth"

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True)
    latent_risk: Mapped[float] = mapped_column(Float)
    risk_tier: Mapped[RiskTier] = mapped_column(code_column(RiskTier, "risk_tier", 10))
    family_situation: Mapped[str] = mapped_column(String(20))
    escalated: Mapped[bool]
    escalated_at: Mapped[datetime | None]
