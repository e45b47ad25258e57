"""Supervision sessions (Rule 11.4); intervision (Rule 11.3) is in ``models/intervision.py``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.models.base import Base, Versioned, intpk, json_data, utcnow


class SupervisionSession(Versioned, Base):
    """A supervisor's review of complex or contentious cases; signed and then locked.

    After signing nothing in the session changes; later notes are addenda.
    """

    __tablename__ = "supervision_sessions"

    id: Mapped[intpk]
    held_at: Mapped[datetime]
    supervisor: Mapped[str] = mapped_column(String(80))
    question: Mapped[str] = mapped_column(Text, default="")
    hypotheses: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[json_data] = mapped_column(
        default=list
    )  # [{"task":..., "who":..., "due_on":...}]
    signed_at: Mapped[datetime | None]
    signed_by: Mapped[str | None] = mapped_column(String(80))

    cases: Mapped[list[SupervisionCase]] = relationship(cascade="all, delete-orphan")
    addenda: Mapped[list[SupervisionAddendum]] = relationship(order_by="SupervisionAddendum.id")


class SupervisionCase(Base):
    """A case reviewed in a supervision session."""

    __tablename__ = "supervision_cases"
    __table_args__ = (UniqueConstraint("supervision_session_id", "case_id"),)

    id: Mapped[intpk]
    supervision_session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)


class SupervisionAddendum(Base):
    """A note added to a signed supervision session; the signed text itself never changes."""

    __tablename__ = "supervision_addenda"

    id: Mapped[intpk]
    supervision_session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
