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

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pcenter_lib.i18n import N_
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
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks and opens its write transaction only at the first write, so
        # the head read below could be moved by another connection before our insert: two events
        # would share one predecessor and the chain would fork. A no-op UPDATE first takes the
        # database write lock (waiting up to the busy timeout), so the head we read is current.
        session.execute(
            update(AuditChainHead)
            .where(AuditChainHead.id == 1)
            .values(last_event_id=AuditChainHead.last_event_id)
            .execution_options(synchronize_session=False)
        )
    # populate_existing: a head loaded earlier by this session (sessions keep objects after
    # commit) must be re-read, or its stale hash would fork the chain.
    head = session.execute(
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
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


_NOT_LINKED = N_(
    "Audit event {id} does not follow the event before it (a row was removed or inserted)."
)
_CHANGED = N_("Audit event {id} was changed after it was written.")
_TRUNCATED = N_("The audit trail ends before its recorded last event {id}: events were removed.")


def _chain_head(session: Session) -> AuditChainHead | None:
    return session.execute(
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def verify_chain(session: Session, *, batch: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first row that was changed, removed or inserted.

    Events appended while the check runs are checked too (the head may move past the rows read
    so far), so a check during normal use never reports a false alarm.
    """
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        with session.execute(
            select(AuditEvent)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .execution_options(yield_per=batch)
        ).scalars() as rows:  # closes the server-side cursor on an early return
            for row in rows:
                checked += 1
                if row.prev_hash != expected_prev:
                    return ChainReport(checked, False, row.id, _NOT_LINKED)
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
                    return ChainReport(checked, False, row.id, _CHANGED)
                expected_prev = row.hash
                last_id = row.id
        head = _chain_head(session)
        recorded_last = 0 if head is None else head.last_event_id
        if head is not None and head.last_hash == expected_prev and recorded_last == last_id:
            return ChainReport(checked, True)
        if recorded_last > last_id:
            newer = session.scalar(select(func.min(AuditEvent.id)).where(AuditEvent.id > last_id))
            if newer is not None:
                continue  # appended while we were reading: check those rows as well
            return ChainReport(checked, False, recorded_last, _TRUNCATED)
        if head is not None and recorded_last == last_id:
            return ChainReport(checked, False, last_id, _CHANGED)  # last row rewritten and rehashed
        first_extra = session.scalar(
            select(func.min(AuditEvent.id)).where(AuditEvent.id > recorded_last)
        )
        return ChainReport(checked, False, first_extra, _NOT_LINKED)


def count_events(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
