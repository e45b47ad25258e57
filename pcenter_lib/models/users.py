"""People who sign in, and the roles that decide what each may open and see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.models.base import Base, aware_at, intpk, short_text, utcnow


class User(Base):
    """A user of the workbench; ``username`` is what the proxy sends as X-Forwarded-User."""

    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[short_text]
    lang: Mapped[str] = mapped_column(String(2), default="kk")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[aware_at] = mapped_column(default=utcnow)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    @property
    def role_codes(self) -> tuple[str, ...]:
        return tuple(r.role for r in self.roles)


class UserRole(Base):
    """One role held by a user (a person may hold several)."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by: Mapped[str | None] = mapped_column(String(80))

    user: Mapped[User] = relationship(back_populates="roles")
