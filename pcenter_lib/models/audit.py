"""The audit trail (Rule 14; Law 94-V art. 22): append-only and chained with a keyed MAC.

Every view of identity data, every change and every export adds one row. Each row stores the
MAC of the previous row and its own MAC (HMAC-SHA-256 under a key derived from the secret key,
which does not live in the database) over its sequence number and content, so changing,
deleting, inserting or reordering any row breaks the chain at that row (``pcenter audit
verify``), and nobody without the key file can compute a replacement. The migrations install
database triggers that refuse UPDATE and DELETE on the table and move the chain head only for a
row that continues it; on PostgreSQL the application role may only INSERT and SELECT here.
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
    # the key whose audit key MACs this row (keyring.Keyring.key_id); NULL only for events
    # written before the chain was keyed (up to key_bindings.legacy_event_id)
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditChainHead(Base):
    """The last MAC of the chain, moved by a database trigger when an event is appended."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_event_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
