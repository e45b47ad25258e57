"""Writing and verifying the audit trail, chained with a keyed MAC (Rule 14).

``record_event`` appends one row inside the caller's transaction: it takes the chain lock (an
advisory lock on PostgreSQL, the writer lock on SQLite), reads the head, and writes the row with
the next sequence number and an HMAC-SHA-256 (RFC 2104) under the audit key derived from the
secret key (``pcenter_lib.keyring``) over that number, the previous MAC and the content. A
database trigger accepts only the row that continues the head and moves the head.

``verify_chain`` walks the whole table and names the first row whose MAC, link, sequence or key
does not fit. An attacker who can write to the database but lacks the key file cannot compute a
MAC for a changed, inserted or reordered row; a trail cut short *and* its head moved back is
caught by comparison with anchors kept outside the database (``services.audit_anchors``).
Events written before the chain was keyed (plain SHA-256) are checked as such up to the boundary
sealed in ``key_bindings``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pcenter_lib.errors import ConfigurationError
from pcenter_lib.i18n import N_
from pcenter_lib.keyring import Keyring, mac_hex
from pcenter_lib.models import AuditChainHead, AuditEvent, Child, KeyBinding, Request
from pcenter_lib.models.base import utcnow

GENESIS_HASH: Final = "0" * 64
SESSION_KEYRING: Final = "pcenter_keyring"  # session.info entry the workbench fills
AUDIT_LOCK_ID: Final = 0x70636E7472617564  # "pcntraud": PostgreSQL advisory lock of the chain

NO_KEYRING: Final = N_(
    "Audit events are written and checked only through the workbench, which holds the secret key."
)


def keyring_of(session: Session) -> Keyring:
    """The keyring the workbench put in ``session.info``; a clear error when there is none."""
    keyring = session.info.get(SESSION_KEYRING)
    if not isinstance(keyring, Keyring):
        raise ConfigurationError(NO_KEYRING)
    return keyring


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def _content(
    *,
    prev_hash: str,
    occurred_at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None,
    details: Any,
) -> dict[str, Any]:
    return {
        "prev": prev_hash,
        "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "details": details,
    }


def event_content(row: AuditEvent) -> dict[str, Any]:
    """The fields of a stored event that its hash or MAC covers (besides sequence and key)."""
    return {
        "prev_hash": row.prev_hash,
        "occurred_at": row.occurred_at,
        "actor": row.actor,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "details": row.details,
    }


def event_hash(**content: Any) -> str:
    """Plain SHA-256 of an event written before the chain was keyed (legacy rows only)."""
    return hashlib.sha256(_canonical(_content(**content))).hexdigest()


def event_mac(key: bytes, *, seq: int, key_id: str, **content: Any) -> str:
    """HMAC-SHA-256 under the audit ``key`` over the sequence number, key id and content."""
    return mac_hex(key, _canonical({**_content(**content), "seq": seq, "key": key_id}))


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks and opens its write transaction only at the first write, so
        # the head read below could be moved by another connection before our insert. A no-op
        # UPDATE first takes the database write lock (waiting up to the busy timeout).
        session.execute(
            update(AuditChainHead)
            .where(AuditChainHead.id == 1)
            .values(last_event_id=AuditChainHead.last_event_id)
            .execution_options(synchronize_session=False)
        )
    else:
        # The application role may not UPDATE the head (nor lock it FOR UPDATE); a transaction
        # advisory lock serialises appenders until commit instead.
        session.execute(select(func.pg_advisory_xact_lock(AUDIT_LOCK_ID)))


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event in the caller's transaction (the chain is locked until commit)."""
    keyring = keyring_of(session)
    _lock_chain(session)
    # populate_existing: a head loaded earlier by this session (sessions keep objects after
    # commit, and the trigger moves it behind the ORM's back) must be re-read.
    head = session.execute(
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .execution_options(populate_existing=True)
    ).scalar_one()
    occurred_at = utcnow()
    clean_details = json.loads(json.dumps(details or {}, default=str))
    ref = None if entity_id is None else str(entity_id)
    seq = head.last_event_id + 1
    content: dict[str, Any] = {
        "prev_hash": head.last_hash,
        "occurred_at": occurred_at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": ref,
        "details": clean_details,
    }
    row = AuditEvent(
        id=seq,
        hash=event_mac(keyring.audit_key, seq=seq, key_id=keyring.key_id, **content),
        key_id=keyring.key_id,
        **content,
    )
    session.add(row)
    session.flush()  # the trigger checks the link and moves the head
    session.expire(head)
    return row


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a chain check: ``intact`` or the first broken row and why."""

    checked: int
    intact: bool
    broken_event_id: int | None = None
    problem: str | None = None  # msgid, formatted with ``id`` and ``params``
    params: dict[str, Any] = field(default_factory=dict)
    last_event_id: int = 0
    last_hash: str = GENESIS_HASH

    def message_params(self) -> dict[str, Any]:
        return {"id": self.broken_event_id, **self.params}


NOT_LINKED: Final = N_(
    "Audit event {id} does not follow the event before it (a row was removed or inserted)."
)
CHANGED: Final = N_("Audit event {id} was changed after it was written.")
TRUNCATED: Final = N_(
    "The audit trail ends before its recorded last event {id}: events were removed."
)
OUT_OF_SEQUENCE: Final = N_(
    "Audit event {id} is out of sequence: event {expected} was expected here (rows were removed, "
    "inserted or reordered)."
)
NOT_SIGNED: Final = N_(
    "Audit event {id} carries no key signature although it was written after the trail was keyed."
)
UNKNOWN_KEY: Final = N_(
    "Audit event {id} is signed with key {key_id}, which this key file does not hold; check it "
    "with the key file of that time."
)
BINDING_ALTERED: Final = N_(
    "The key binding of this database was altered: its sealed facts do not match the key. The "
    "audit trail cannot be trusted; restore from a backup."
)


@dataclass
class _Walk:
    """State of one pass over the chain."""

    keyring: Keyring
    legacy_id: int
    legacy_hash: str
    expected_prev: str = GENESIS_HASH
    last_id: int = 0
    checked: int = 0

    def check(self, row: AuditEvent) -> ChainReport | None:
        self.checked += 1
        if row.prev_hash != self.expected_prev:
            return self.broken(row.id, NOT_LINKED)
        content = event_content(row)
        if row.id <= self.legacy_id and row.key_id is None:
            if event_hash(**content) != row.hash:
                return self.broken(row.id, CHANGED)
            if row.id == self.legacy_id and row.hash != self.legacy_hash:
                return self.broken(row.id, CHANGED)
        else:
            expected = max(self.last_id, self.legacy_id) + 1
            if row.id != expected:
                return self.broken(row.id, OUT_OF_SEQUENCE, expected=expected)
            if row.key_id is None:
                return self.broken(row.id, NOT_SIGNED)
            key = self.keyring.audit_key_for(row.key_id)
            if key is None:
                return self.broken(row.id, UNKNOWN_KEY, key_id=row.key_id)
            mac = event_mac(key, seq=row.id, key_id=row.key_id, **content)
            if not hmac.compare_digest(mac, row.hash):
                return self.broken(row.id, CHANGED)
        self.expected_prev = row.hash
        self.last_id = row.id
        return None

    def broken(self, event_id: int | None, problem: str, **params: Any) -> ChainReport:
        return ChainReport(self.checked, False, event_id, problem, params)


def record_identity_view(session: Session, *, actor: str, record: Request | Child) -> None:
    """Audit that ``actor`` is shown a journal entry's names or a child's identity decrypted
    (Rule 14); the event names the entry's number or the child's code, never a name."""
    if isinstance(record, Request):
        entity, details = "request", {"journal_number": record.journal_number}
    else:
        entity, details = "child", {"code": record.code}
    record_event(
        session,
        actor=actor,
        action="view_identity",
        entity=entity,
        entity_id=record.id,
        details=details,
    )


def _chain_head(session: Session) -> AuditChainHead | None:
    return session.execute(
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _binding(session: Session) -> KeyBinding | None:
    return session.execute(
        select(KeyBinding).where(KeyBinding.id == 1).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def verify_chain(
    session: Session, *, keyring: Keyring | None = None, batch: int = 5000
) -> ChainReport:
    """Check every MAC in order; report the first row that was changed, removed or inserted.

    Events appended while the check runs are checked too (the head may move past the rows read
    so far), so a check during normal use never reports a false alarm.
    """
    keys = keyring or keyring_of(session)
    binding = _binding(session)
    if binding is not None and not hmac.compare_digest(
        keys.seal(binding.sealed_facts()), binding.seal
    ):
        return ChainReport(0, False, None, BINDING_ALTERED)
    walk = _Walk(
        keys,
        0 if binding is None else binding.legacy_event_id,
        GENESIS_HASH if binding is None else binding.legacy_hash,
    )
    while True:
        with session.execute(
            select(AuditEvent)
            .where(AuditEvent.id > walk.last_id)
            .order_by(AuditEvent.id)
            .execution_options(yield_per=batch)
        ).scalars() as rows:  # closes the server-side cursor on an early return
            for row in rows:
                problem = walk.check(row)
                if problem is not None:
                    return problem
        head = _chain_head(session)
        recorded_last = 0 if head is None else head.last_event_id
        if (
            head is not None
            and head.last_hash == walk.expected_prev
            and recorded_last == walk.last_id
        ):
            return ChainReport(
                walk.checked, True, last_event_id=walk.last_id, last_hash=walk.expected_prev
            )
        if recorded_last > walk.last_id:
            newer = session.scalar(
                select(func.min(AuditEvent.id)).where(AuditEvent.id > walk.last_id)
            )
            if newer is not None:
                continue  # appended while we were reading: check those rows as well
            return walk.broken(recorded_last, TRUNCATED)
        if head is not None and recorded_last == walk.last_id:
            return walk.broken(walk.last_id, CHANGED)  # the head's MAC differs from the last row's
        first_extra = session.scalar(
            select(func.min(AuditEvent.id)).where(AuditEvent.id > recorded_last)
        )
        return walk.broken(first_extra, NOT_LINKED)


def count_events(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
