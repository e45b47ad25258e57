"""Screening rounds and results from schools, and the quarterly study of a school's PPSS.

Instrument definitions are data (``data/instruments/*.yaml``); the ``instruments`` table records
which versions have been used, so every stored score names the key it was computed with.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.domain.codes import Sex, StudyMode
from pcenter_lib.models.base import Base, Versioned, code_column, intpk, json_data, utcnow


class Instrument(Base):
    """A screening instrument version in use (the definition itself lives in YAML)."""

    __tablename__ = "instruments"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    definition_sha256: Mapped[str] = mapped_column(String(64))


class ScreeningRound(Base):
    """One school's results of one instrument for one period (all-or-nothing import)."""

    __tablename__ = "screening_rounds"
    __table_args__ = (UniqueConstraint("content_sha256"),)

    id: Mapped[intpk]
    education_organization_id: Mapped[int] = mapped_column(
        ForeignKey("education_organizations.id"), index=True
    )
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    period: Mapped[str] = mapped_column(String(10))  # e.g. 2026Q1
    school_year: Mapped[str] = mapped_column(String(9))  # e.g. 2025-2026
    conducted_on: Mapped[date]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(80))
    source_filename: Mapped[str | None] = mapped_column(String(200))
    content_sha256: Mapped[str] = mapped_column(String(64))
    result_count: Mapped[int] = mapped_column(default=0)

    instrument: Mapped[Instrument] = relationship()


class ScreeningResult(Base):
    """One respondent's answers and scores; linked by pseudonymous child code or a school code."""

    __tablename__ = "screening_results"
    __table_args__ = (Index("ix_screening_results_round_band", "screening_round_id", "band"),)

    id: Mapped[intpk]
    screening_round_id: Mapped[int] = mapped_column(ForeignKey("screening_rounds.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    student_code: Mapped[str | None] = mapped_column(String(40))
    grade: Mapped[int | None]
    age: Mapped[int | None]
    sex: Mapped[Sex | None] = mapped_column(code_column(Sex, "sex", 6))
    responses: Mapped[json_data]
    scores: Mapped[json_data]
    total_score: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(30))
    critical: Mapped[bool] = mapped_column(default=False)


class PpssStudy(Versioned, Base):
    """The quarterly study of a school's psychological-pedagogical support service (Rule 21)."""

    __tablename__ = "ppss_studies"

    id: Mapped[intpk]
    education_organization_id: Mapped[int] = mapped_column(
        ForeignKey("education_organizations.id"), index=True
    )
    quarter: Mapped[str] = mapped_column(String(7))  # e.g. 2026Q1
    mode: Mapped[StudyMode] = mapped_column(code_column(StudyMode, "mode", 10))
    studied_on: Mapped[date]
    studied_by: Mapped[str] = mapped_column(String(80))
    domain_scores: Mapped[json_data]  # {"diagnostics_done": 3, ...}
    findings: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
