"""The secret key's binding to this database (Rule 14): its fingerprint and what it seals.

One row, written by ``pcenter init-db`` when the database is first initialised (and by ``pcenter
key rotate``). ``check_value`` is the key's fingerprint (a keyed check value, never the key): a
workbench whose key file gives another value refuses to start instead of writing data that the
database's own key could not read. ``seal`` is a MAC under the key over the row's facts, so the
facts (the audit trail's legacy boundary, demo mode) cannot be changed without the key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pcenter_lib.models.base import Base


class KeyBinding(Base):
    """The key this database was made with, and the facts sealed with it."""

    __tablename__ = "key_bindings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    check_value: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    bound_at: Mapped[datetime]
    rotated_at: Mapped[datetime | None]
    # audit events up to this id were written before the chain was keyed (plain SHA-256 chain);
    # ``legacy_hash`` is the last one's hash, so nothing before the boundary can be swapped
    legacy_event_id: Mapped[int] = mapped_column(default=0)
    legacy_hash: Mapped[str] = mapped_column(String(64))
    # built by ``pcenter demo`` on an empty database: only then may the apps offer demo sign-in
    demo: Mapped[bool] = mapped_column(default=False)
    seal: Mapped[str] = mapped_column(String(64))

    def sealed_facts(self) -> str:
        """The text ``seal`` is a MAC of: every fact a forger would want to change."""
        return "|".join(
            (self.check_value, str(self.legacy_event_id), self.legacy_hash, str(int(self.demo)))
        )
