"""Checking the key against everything it encrypted, and rotating it (Rule 14).

``check_key`` decrypts every value of every registered column (``services.keyed_columns``) and
verifies the audit trail. ``rotate_key`` re-encrypts and re-keys all of them in one transaction,
stores the new fingerprint, and audits the rotation under the new key. The key files move in an
order that can always be finished by hand: the new key is written beside the old one first
(``secret.key.new``); the old one is kept as ``secret.key.retired-<key id>`` (backups made before
the rotation need it); only after the commit does the new key replace the old file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

from pcenter_lib.errors import ConfigurationError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.keyring import Keyring, write_key_file
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityDecryptionError
from pcenter_lib.services.audit import (
    SESSION_KEYRING,
    ChainReport,
    keyring_of,
    record_event,
    verify_chain,
)
from pcenter_lib.services.key_binding import pending_key_file, read_binding, rebind_key
from pcenter_lib.services.keyed_columns import KEYED_VALUES

UNDECRYPTABLE: Final = N_(
    "{count} values of {column} cannot be decrypted with this key; nothing was changed."
)
TRAIL_BROKEN: Final = N_("The audit trail is not intact, so the key was not rotated: {problem}")
ROTATION_PENDING: Final = N_(
    "A new key {path} from an earlier rotation is still waiting; finish or remove it first."
)


@dataclass(frozen=True)
class KeyCheck:
    """What ``pcenter key check`` found."""

    key_id: str
    values: dict[str, int]  # column → values decrypted
    trail: ChainReport


@dataclass(frozen=True)
class Rotation:
    """What a rotation changed and where the key files are now."""

    old_key_id: str
    new_key_id: str
    rows: dict[str, int]
    retired_file: Path


def retired_key_file(key_file: Path, key_id: str) -> Path:
    return key_file.with_name(f"{key_file.name}.retired-{key_id}")


def _decrypted_counts(session: Session, keyring: Keyring) -> dict[str, int]:
    """Values decrypted per column; a clear refusal when any value does not decrypt."""
    counts: dict[str, int] = {}
    for value in KEYED_VALUES:
        good = bad = 0
        for token in value.tokens(session):
            try:
                keyring.cipher.decrypt(token)
                good += 1
            except IdentityDecryptionError:
                bad += 1
        if bad:
            raise ValidationError(UNDECRYPTABLE, count=bad, column=value.name)
        if good:
            counts[value.name] = good
    return counts


def check_key(session: Session) -> KeyCheck:
    """Decrypt every encrypted value and verify the audit trail with the session's keyring."""
    keyring = keyring_of(session)
    return KeyCheck(keyring.key_id, _decrypted_counts(session, keyring), verify_chain(session))


def rotate_key(
    sessions: sessionmaker[Session],
    *,
    keyring: Keyring,
    key_file: Path,
    actor: str,
    now: datetime | None = None,
) -> Rotation:
    """Re-encrypt everything under a new key in one transaction; audited; key files moved safely."""
    moment = now or utcnow()
    pending = pending_key_file(key_file)
    if pending.exists():
        raise ConfigurationError(ROTATION_PENDING, path=str(pending))
    new = keyring.rotated()
    retired = retired_key_file(key_file, keyring.key_id)
    write_key_file(pending, new)
    try:
        if not retired.exists():
            write_key_file(retired, Keyring(keyring.secret, pseudonym_key=keyring.pseudonym_key))
        with sessions.begin() as session:
            report = verify_chain(session)
            if not report.intact:
                problem = (report.problem or "").format(**report.message_params())
                raise ValidationError(TRAIL_BROKEN, problem=problem)
            _decrypted_counts(session, keyring)  # every value readable before anything changes
            rows = {v.name: v.rekey(session, keyring.cipher, new.cipher) for v in KEYED_VALUES}
            binding = read_binding(session)
            rebind_key(session, keyring, new, now=moment)
            session.info[SESSION_KEYRING] = new  # from here on the trail is keyed anew
            record_event(
                session,
                actor=actor,
                action="rotate_key",
                entity="key",
                entity_id=new.key_id,
                details={
                    "from": keyring.key_id,
                    "to": new.key_id,
                    "rows": rows,
                    "bound_at": None if binding is None else binding.bound_at.isoformat(),
                },
            )
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    pending.replace(key_file)
    return Rotation(keyring.key_id, new.key_id, rows, retired)
