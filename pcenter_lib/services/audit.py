"""Writing and verifying the hash-chained audit trail (Rule 14).

``record_event`` appends one row inside the caller's transaction: it locks the chain head,
hashes the new row together with the previous hash, and moves the head. ``verify_chain`` walks
the whole table and names the first row whose content, link or position does not fit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcenter_lib.models import AuditChainHead, AuditEvent
from pcenter_lib.models.base import utcnow

GENESIS_HASH = "0" * 64


def event_hash(
    *,
    prev_hash: str,
    occurred_at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None,
    details: Any,
) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the event's content."""
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "details": details,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event in the caller's transaction (the chain head is locked meanwhile)."""
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    ).scalar_one()
    occurred_at = utcnow()
    clean_details = json.loads(json.dumps(details or {}, default=str))
    ref = None if entity_id is None else str(entity_id)
    digest = event_hash(
        prev_hash=head.last_hash,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=ref,
        details=clean_details,
    )
    row = AuditEvent(
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=ref,
        details=clean_details,
        prev_hash=head.last_hash,
        hash=digest,
    )
    session.add(row)
    session.flush()
    head.last_hash = digest
    head.last_event_id = row.id
    return row


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a chain check: ``intact`` or the first broken row and why."""

    checked: int
    intact: bool
    broken_event_id: int | None = None
    problem: str | None = None  # msgid


def verify_chain(session: Session, *, batch: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first row that was changed, removed or inserted."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    rows = session.execute(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=batch)
    ).scalars()
    for row in rows:
        checked += 1
        if row.prev_hash != expected_prev:
            return ChainReport(
                checked, False, row.id,
                "Audit event {id} does not follow the event before it (a row was removed or inserted).",
            )
        recomputed = event_hash(
            prev_hash=row.prev_hash,
            occurred_at=row.occurred_at,
            actor=row.actor,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            details=row.details,
        )
        if recomputed != row.hash:
            return ChainReport(
                checked, False, row.id, "Audit event {id} was changed after it was written."
            )
        expected_prev = row.hash
        last_id = row.id
    head = session.get(AuditChainHead, 1)
    if head is None or head.last_hash != expected_prev or head.last_event_id != last_id:
        return ChainReport(
            checked, False, last_id or None,
            "The audit trail ends before its recorded last event {id}: events were removed.",
        )
    return ChainReport(checked, True)


def count_events(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
