"""Children, their encrypted identity, legal representatives and the Center's staff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.domain.codes import Sex
from pcenter_lib.domain.staffing import StaffCategory
from pcenter_lib.models.base import (
    Base,
    Versioned,
    code,
    code_column,
    intpk,
    short_text,
    typed,
    units,
)

if TYPE_CHECKING:
    from pcenter_lib.models.users import User


class Child(Versioned, Base):
    """A child known to the Center, identified in analysis only by a pseudonymous code.

    A *provisional* child (Rule 13: every request is registered, even when nobody knows the
    child's IIN or birth date) has a name, an approximate age or a grade and a school; its
    ``birth_on`` and ``sex`` stay empty until the record is completed. When it turns out to be a
    child already known, it is merged: ``merged_into_id`` points at that child, its requests,
    consents and help move there with a recorded amendment each, and this row stays as history.
    """

    __tablename__ = "children"

    id: Mapped[intpk]
    code: Mapped[code] = mapped_column(unique=True)
    birth_on: Mapped[date | None]
    sex: Mapped[Sex | None] = mapped_column(code_column(Sex, "sex", 6))
    provisional: Mapped[bool] = mapped_column(default=False)
    approx_age: Mapped[int | None]  # years, as the applicant said, for a provisional child
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    education_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("education_organizations.id"), index=True
    )
    grade: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(10))
    special_needs: Mapped[bool] = mapped_column(default=False)  # Rule 26

    identity: Mapped[ChildIdentity | None] = relationship(back_populates="child", uselist=False)


class ChildIdentity(Base):
    """Personal data of a child (Rule 14): every field encrypted, shown only to roles that need it.

    ``iin_index`` is a keyed hash of the IIN so a child can be found by IIN without storing it in
    clear; it reveals nothing without the secret key. ``name_birth_index`` keys the normalized
    name with the birth date (a second record of the same child is noticed before it is made),
    and ``ChildNameToken`` rows key each word of the name, so a name is found without decrypting
    every name. All of them are derived by ``IdentityCipher.name_keys`` / ``blind_index``.
    """

    __tablename__ = "child_identities"

    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True)
    iin_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    surname_index: Mapped[str | None] = mapped_column(String(64), index=True)
    name_birth_index: Mapped[str | None] = mapped_column(String(64), index=True)
    full_name_enc: Mapped[bytes] = mapped_column(LargeBinary, info=typed(200))
    iin_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=typed(300))
    contacts_enc: Mapped[bytes | None] = mapped_column(LargeBinary, info=typed(200))

    child: Mapped[Child] = relationship(back_populates="identity")


class ChildNameToken(Base):
    """A keyed hash of one normalized word of a child's name: the name search's index (Rule 14)."""

    __tablename__ = "child_name_tokens"
    __table_args__ = (UniqueConstraint("child_id", "token_index"),)

    id: Mapped[intpk]
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    token_index: Mapped[str] = mapped_column(String(32), index=True)


class LegalRepresentative(Base):
    """A legal representative of a child (Rule 15; the Code on marriage and family, art. 1).

    ``relation`` is a code of ``domain.applicants.LEGAL_REPRESENTATIVES``; identity encrypted.
    """

    __tablename__ = "legal_representatives"

    id: Mapped[intpk]
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))  # domain.applicants.LEGAL_REPRESENTATIVES
    full_name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    contacts_enc: Mapped[bytes | None] = mapped_column(LargeBinary)


class StaffMember(Versioned, Base):
    """A post in the Center's staffing table (Rule 24): category, position and units (FTE)."""

    __tablename__ = "staff_members"

    id: Mapped[intpk]
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    full_name: Mapped[short_text]
    category: Mapped[StaffCategory] = mapped_column(code_column(StaffCategory, "category", 20))
    position: Mapped[str] = mapped_column(String(40))  # psychologist, social_pedagogue, ...
    fte: Mapped[units] = mapped_column(default=Decimal("1.00"))
    is_mobile_group: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User | None] = relationship()
