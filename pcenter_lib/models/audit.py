"""The audit trail (Rule 14; Law 94-V art. 22): append-only and hash-chained.

Every view of identity data, every change and every export adds one row. Each row stores the
hash of the previous row and its own hash over its content, so changing or deleting any row
breaks the chain at that row (``pcenter audit verify``). The migration also installs database
triggers that refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pcenter_lib.models.base import Base, intpk, json_data


class AuditEvent(Base):
    """One thing somebody did or saw."""

    __tablename__ = "audit_events"

    id: Mapped[intpk]
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))  # view_identity | create | update | export ...
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[json_data]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditChainHead(Base):
    """The last hash of the chain; its row is locked while an event is appended."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_event_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
