"""Intervision (Order No. 264, Rule 11.3): sessions, series, case materials and PPSS reviews.

Rule 11.3 names intervision among the measures that raise the qualification of the Center's
and schools' PPSS specialists, with methodical support on documentation. A session
(``IntervisionSession``) is one aggregate: its participants and their attendance, its notes per
phase, its case materials and their edits change its version (``models/aggregates.py``), so two
methodologists editing the same session get a conflict, never a silent overwrite. A series is
an aggregate of its own (its fixed group and final evaluation), and so is a documentation review.
Export records are append-only: nobody edits them, so they raise no version.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.domain.codes import (
    IntervisionFormat,
    IntervisionStatus,
    PackFormat,
    ParticipantOrigin,
)
from pcenter_lib.models.base import Base, Versioned, code_column, intpk, json_data, typed, utcnow


class IntervisionSeries(Versioned, Base):
    """A series of sessions for a fixed group, closed with a final evaluation (Rule 11.3)."""

    __tablename__ = "intervision_series"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    facilitator: Mapped[str] = mapped_column(String(80))
    planned_sessions: Mapped[int] = mapped_column(Integer, default=4)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    final_evaluation: Mapped[str] = mapped_column(Text, default="", info=typed(4000))
    evaluated_at: Mapped[datetime | None]
    evaluated_by: Mapped[str | None] = mapped_column(String(80))

    members: Mapped[list[IntervisionSeriesMember]] = relationship(
        cascade="all, delete-orphan", order_by="IntervisionSeriesMember.id"
    )


class IntervisionSeriesMember(Base):
    """A member of a series' fixed group: from the Center's staff or a school's PPSS."""

    __tablename__ = "intervision_series_members"
    __table_args__ = (UniqueConstraint("series_id", "full_name"),)

    id: Mapped[intpk]
    series_id: Mapped[int] = mapped_column(ForeignKey("intervision_series.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    origin: Mapped[ParticipantOrigin] = mapped_column(code_column(ParticipantOrigin, "origin", 10))
    staff_member_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    education_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("education_organizations.id")
    )


class IntervisionSession(Versioned, Base):
    """A peer case-analysis session in a structured format, run phase by phase (Rule 11.3)."""

    __tablename__ = "intervision_sessions"

    id: Mapped[intpk]
    held_at: Mapped[datetime]  # the planned start
    facilitator: Mapped[str] = mapped_column(String(80))
    format: Mapped[IntervisionFormat] = mapped_column(code_column(IntervisionFormat, "format", 30))
    title: Mapped[str] = mapped_column(String(200), default="")
    series_id: Mapped[int | None] = mapped_column(ForeignKey("intervision_series.id"), index=True)
    status: Mapped[IntervisionStatus] = mapped_column(
        code_column(IntervisionStatus, "intervision_status", 10), default=IntervisionStatus.PLANNED
    )
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    current_phase: Mapped[str | None] = mapped_column(String(40))
    learning_points: Mapped[str] = mapped_column(Text, default="", info=typed(4000))
    agreements: Mapped[str] = mapped_column(Text, default="", info=typed(4000))
    created_by: Mapped[str | None] = mapped_column(String(80))

    series: Mapped[IntervisionSeries | None] = relationship()
    participants: Mapped[list[IntervisionParticipant]] = relationship(
        cascade="all, delete-orphan", order_by="IntervisionParticipant.id"
    )
    phase_notes: Mapped[list[IntervisionPhaseNote]] = relationship(
        cascade="all, delete-orphan", order_by="IntervisionPhaseNote.id"
    )
    materials: Mapped[list[IntervisionMaterial]] = relationship(
        cascade="all, delete-orphan", order_by="IntervisionMaterial.id"
    )


class IntervisionParticipant(Base):
    """A participant of a session; ``credited_minutes`` counts towards professional-development
    hours once the session is held and the participant marked present."""

    __tablename__ = "intervision_participants"
    __table_args__ = (UniqueConstraint("intervision_session_id", "full_name"),)

    id: Mapped[intpk]
    intervision_session_id: Mapped[int] = mapped_column(
        ForeignKey("intervision_sessions.id"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    origin: Mapped[ParticipantOrigin] = mapped_column(code_column(ParticipantOrigin, "origin", 10))
    staff_member_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    education_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("education_organizations.id")
    )
    attended: Mapped[bool | None]  # None until attendance is taken
    credited_minutes: Mapped[int] = mapped_column(Integer, default=0)


class IntervisionPhaseNote(Base):
    """What a phase of a session produced, with when the phase ran."""

    __tablename__ = "intervision_phase_notes"
    __table_args__ = (UniqueConstraint("intervision_session_id", "phase"),)

    id: Mapped[intpk]
    intervision_session_id: Mapped[int] = mapped_column(
        ForeignKey("intervision_sessions.id"), index=True
    )
    phase: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="", info=typed(4000))


class IntervisionMaterial(Base):
    """A de-identified case material of a session: drafted from a case, edited by hand.

    ``case_id`` says which case it was drafted from, so the export can feed the leak check the
    identities of that child, family, school and staff; the text itself never holds them.
    """

    __tablename__ = "intervision_materials"

    id: Mapped[intpk]
    intervision_session_id: Mapped[int] = mapped_column(
        ForeignKey("intervision_sessions.id"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text, info=typed(12000))
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    drafted_by: Mapped[str] = mapped_column(String(80))

    edits: Mapped[list[IntervisionMaterialEdit]] = relationship(
        cascade="all, delete-orphan", order_by="IntervisionMaterialEdit.id"
    )


class IntervisionMaterialEdit(Base):
    """One edit of a material by a methodologist: who, when, and the text as saved."""

    __tablename__ = "intervision_material_edits"

    id: Mapped[intpk]
    material_id: Mapped[int] = mapped_column(ForeignKey("intervision_materials.id"), index=True)
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_by: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)


class IntervisionExport(Base):
    """A session pack that left the Center: its file, language and SHA-256 (append-only)."""

    __tablename__ = "intervision_exports"

    id: Mapped[intpk]
    intervision_session_id: Mapped[int] = mapped_column(
        ForeignKey("intervision_sessions.id"), index=True
    )
    exported_at: Mapped[datetime] = mapped_column(default=utcnow)
    exported_by: Mapped[str] = mapped_column(String(80))
    file_format: Mapped[PackFormat] = mapped_column(code_column(PackFormat, "pack_format", 5))
    language: Mapped[str] = mapped_column(String(2))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)


class DocumentationReview(Versioned, Base):
    """A methodologist's review of a school's PPSS documentation against a checklist
    (methodical support, Rule 11.3); its quarter is the one whose PPSS study it feeds (Rule 21)."""

    __tablename__ = "documentation_reviews"

    id: Mapped[intpk]
    education_organization_id: Mapped[int] = mapped_column(
        ForeignKey("education_organizations.id"), index=True
    )
    checklist: Mapped[str] = mapped_column(String(40))
    visited_on: Mapped[date]
    quarter: Mapped[str] = mapped_column(String(6), index=True)  # e.g. 2026Q4
    reviewed_by: Mapped[str] = mapped_column(String(80))
    answers: Mapped[json_data] = mapped_column(default=dict)  # item code → Answer value
    score_percent: Mapped[float | None] = mapped_column(Float)
    critical_gaps: Mapped[json_data] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="", info=typed(2000))
