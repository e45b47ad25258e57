"""Anchors of the audit trail outside the database (Rule 14).

The keyed chain stops anybody without the key file from rewriting rows, but somebody who can
write to the database can still cut off its newest rows and move the chain head back: what is
left is a valid, shorter chain. ``write_anchor`` appends the current head (sequence number, MAC,
time) as one JSON line to a file outside the database — opened append-only, flushed to disk,
itself MACed with the audit key — and ``check_anchors`` reports a trail shorter than, or
different from, any anchor. Keep the file where the database's users cannot write (another
machine, a write-once medium, ``chattr +a``), and run ``pcenter audit anchor`` from cron.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy.orm import Session

from pcenter_lib.errors import ConfigurationError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.keyring import Keyring, mac_hex
from pcenter_lib.models import AuditEvent
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import ChainReport, keyring_of, record_event, verify_chain

SHORTER_THAN_ANCHOR: Final = N_(
    "The audit trail ends at event {last}, but the anchor of {at} records event {seq}: events "
    "from {id} on were removed."
)
DIFFERS_FROM_ANCHOR: Final = N_(
    "Audit event {id} differs from the anchor of {at}: the trail was rewritten or replaced."
)
CANNOT_ANCHOR: Final = N_("The audit trail is not intact, so its head was not anchored: {problem}")
BAD_ANCHOR_LINE: Final = N_(
    "Line {line} of the anchor file {path} is not an anchor written by this workbench's key."
)
ANCHOR_FILE_MISSING: Final = N_("The anchor file {path} does not exist.")


@dataclass(frozen=True)
class Anchor:
    """One anchored head: the last event's sequence number and MAC, and when it was taken."""

    seq: int
    mac: str
    key_id: str
    at: str


def _anchor_mac(audit_key: bytes, payload: dict[str, Any]) -> str:
    return mac_hex(audit_key, json.dumps(payload, sort_keys=True, separators=(",", ":")).encode())


def write_anchor(
    session: Session, *, path: Path, actor: str, now: datetime | None = None
) -> Anchor:
    """Verify the trail, append its head to ``path`` and audit that an anchor was taken."""
    keyring = keyring_of(session)
    report = verify_chain(session)
    if not report.intact:
        raise ValidationError(
            CANNOT_ANCHOR, problem=(report.problem or "").format(**report.message_params())
        )
    moment = (now or utcnow()).isoformat(timespec="seconds")
    payload = {
        "seq": report.last_event_id,
        "mac": report.last_hash,
        "key_id": keyring.key_id,
        "at": moment,
    }
    line = json.dumps({**payload, "anchor_mac": _anchor_mac(keyring.audit_key, payload)}) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise ConfigurationError(
            "Cannot write the anchor file {path}: {reason}.", path=str(path), reason=exc.strerror
        ) from exc
    record_event(
        session,
        actor=actor,
        action="anchor",
        entity="audit_trail",
        details={"seq": report.last_event_id, "file": path.name},
    )
    return Anchor(report.last_event_id, report.last_hash, keyring.key_id, moment)


def read_anchors(path: Path, keyring: Keyring) -> list[Anchor]:
    """Every anchor in ``path``, each checked against its MAC (a forged line is refused)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise ConfigurationError(ANCHOR_FILE_MISSING, path=str(path)) from exc
    anchors = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            payload = {k: data[k] for k in ("seq", "mac", "key_id", "at")}
            claimed = str(data["anchor_mac"])
        except (ValueError, KeyError, TypeError):
            raise ValidationError(BAD_ANCHOR_LINE, line=number, path=str(path)) from None
        key = keyring.audit_key_for(str(payload["key_id"]))  # anchors from before a rotation too
        valid = key is not None and hmac.compare_digest(_anchor_mac(key, payload), claimed)
        if not valid or not isinstance(payload["seq"], int):
            raise ValidationError(BAD_ANCHOR_LINE, line=number, path=str(path))
        anchors.append(
            Anchor(payload["seq"], str(payload["mac"]), payload["key_id"], payload["at"])
        )
    return anchors


def check_anchors(session: Session, path: Path) -> ChainReport:
    """``verify_chain``, then every anchor: the trail must reach it and hold the same MAC there."""
    report = verify_chain(session)
    if not report.intact:
        return report
    for anchor in read_anchors(path, keyring_of(session)):
        if anchor.seq == 0:
            continue
        if anchor.seq > report.last_event_id:
            return ChainReport(
                report.checked,
                False,
                report.last_event_id + 1,
                SHORTER_THAN_ANCHOR,
                {"last": report.last_event_id, "seq": anchor.seq, "at": anchor.at},
            )
        row = session.get(AuditEvent, anchor.seq)
        if row is None or not hmac.compare_digest(row.hash, anchor.mac):
            return ChainReport(
                report.checked, False, anchor.seq, DIFFERS_FROM_ANCHOR, {"at": anchor.at}
            )
    return report
