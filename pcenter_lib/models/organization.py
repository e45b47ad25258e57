"""Organizations: region, districts, the Center and the education organizations it serves."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.domain.codes import InstructionLanguage, SchoolKind
from pcenter_lib.models.base import Base, code, code_column, intpk, short_text


class Region(Base):
    """An oblast or a city of republican significance whose akimat created the Center (Rule 2)."""

    __tablename__ = "regions"

    id: Mapped[intpk]
    code: Mapped[code] = mapped_column(unique=True)
    name_kk: Mapped[short_text]
    name_ru: Mapped[short_text]
    name_en: Mapped[short_text]

    districts: Mapped[list[District]] = relationship(back_populates="region")


class District(Base):
    """A district (аудан / район) or city of the region."""

    __tablename__ = "districts"

    id: Mapped[intpk]
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    code: Mapped[code] = mapped_column(unique=True)
    name_kk: Mapped[short_text]
    name_ru: Mapped[short_text]
    name_en: Mapped[short_text]
    is_urban: Mapped[bool]

    region: Mapped[Region] = relationship(back_populates="districts")


class Center(Base):
    """The Psychological Support Center, a state institution (Rule 2)."""

    __tablename__ = "centers"

    id: Mapped[intpk]
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    bin: Mapped[str] = mapped_column(String(12), unique=True)
    name_kk: Mapped[short_text]
    name_ru: Mapped[short_text]
    name_en: Mapped[short_text]


class EducationOrganization(Base):
    """A school or college whose PPSS the Center coordinates (Rules 20–21)."""

    __tablename__ = "education_organizations"

    id: Mapped[intpk]
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    bin: Mapped[str] = mapped_column(String(12), unique=True)
    name_kk: Mapped[short_text]
    name_ru: Mapped[short_text]
    kind: Mapped[SchoolKind] = mapped_column(code_column(SchoolKind, "school_kind", 20))
    is_urban: Mapped[bool]
    language: Mapped[InstructionLanguage] = mapped_column(
        code_column(InstructionLanguage, "language", 10)
    )
    student_count: Mapped[int]

    district: Mapped[District] = relationship()
