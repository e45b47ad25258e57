"""The secret key belongs to its database: a fingerprint stored once, checked at every start.

At the first ``pcenter init-db`` the key's fingerprint (a keyed check value, never the key) is
stored in ``key_bindings``. Afterwards a workbench whose key file is missing, or gives another
fingerprint, refuses to start with a message saying so — it never makes a new key for a database
that has one, because data written under a new key could not be read with the old one and the
next registration of a known child would create a duplicate (Rules 13–14). A key is created only
for a database that holds no encrypted data; a database from before fingerprints is bound only to
a key that decrypts what it holds.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from pathlib import Path
from typing import Final

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from pcenter_lib.errors import ConfigurationError
from pcenter_lib.i18n import N_
from pcenter_lib.keyring import Keyring
from pcenter_lib.models import AuditChainHead, KeyBinding
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityDecryptionError
from pcenter_lib.services.keyed_columns import KEYED_VALUES, encrypted_samples

KEY_MISMATCH: Final = N_(
    "The secret key file {path} does not belong to this database: the key's fingerprint is "
    "{found}, the database was made with {expected}. Nothing was changed. Set "
    "PCENTER_SECRET_KEY_FILE to this database's key, or restore the key from where it is kept."
)
KEY_MISSING: Final = N_(
    "The secret key file {path} is missing, but this database was made with a key (fingerprint "
    "{expected}). No new key was made: data written with a new key could not be read together "
    "with the old. Restore the key file from where it is kept, or set PCENTER_SECRET_KEY_FILE "
    "to it."
)
KEY_MISSING_FOR_DATA: Final = N_(
    "The secret key file {path} is missing, but this database already holds encrypted data. No "
    "new key was made: it could not read that data. Restore the key file from where it is kept, "
    "or set PCENTER_SECRET_KEY_FILE to it."
)
KEY_DOES_NOT_DECRYPT: Final = N_(
    "The secret key file {path} does not decrypt the data already in this database ({column}). "
    "Nothing was changed; use the key the data was written with."
)
ROTATION_UNFINISHED: Final = N_(
    "A key rotation was interrupted after the database was re-encrypted: the database's key is "
    "in {new}. Move it into place: mv {new} {path}"
)
BINDING_TAMPERED: Final = N_(
    "The key binding of this database was altered: its sealed facts do not match the key. The "
    "workbench will not start; restore the database from a backup."
)
NOT_BOUND: Final = N_("The database is not bound to a secret key yet; run: pcenter init-db")


class KeyMismatchError(ConfigurationError):
    """The key file is missing or is not the key this database was made with."""


def pending_key_file(key_file: Path) -> Path:
    """Where ``pcenter key rotate`` writes the new key before moving it into place."""
    return key_file.with_name(key_file.name + ".new")


def has_binding_table(engine: Engine) -> bool:
    return bool(inspect(engine).has_table(KeyBinding.__tablename__))


def read_binding(session: Session) -> KeyBinding | None:
    return session.execute(
        select(KeyBinding).where(KeyBinding.id == 1).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def binding_is_sealed(binding: KeyBinding, keyring: Keyring) -> bool:
    return hmac.compare_digest(keyring.seal(binding.sealed_facts()), binding.seal)


def check_binding(binding: KeyBinding, keyring: Keyring, key_file: Path) -> None:
    """Refuse a key whose fingerprint differs from the database's, or a tampered binding."""
    if not hmac.compare_digest(binding.check_value, keyring.check_value):
        pending = pending_key_file(key_file)
        if pending.is_file():
            from pcenter_lib.keyring import read_keyring

            if read_keyring(pending).check_value == binding.check_value:
                raise KeyMismatchError(ROTATION_UNFINISHED, new=str(pending), path=str(key_file))
        raise KeyMismatchError(
            KEY_MISMATCH, path=str(key_file), found=keyring.key_id, expected=binding.key_id
        )
    if not binding_is_sealed(binding, keyring):
        raise KeyMismatchError(BINDING_TAMPERED)


def missing_key_error(binding: KeyBinding | None, key_file: Path) -> KeyMismatchError:
    if binding is not None:
        return KeyMismatchError(KEY_MISSING, path=str(key_file), expected=binding.key_id)
    return KeyMismatchError(KEY_MISSING_FOR_DATA, path=str(key_file))


def holds_encrypted_data(session: Session) -> bool:
    """Whether any registered encrypted column holds a value (tables not yet made hold none)."""
    tables = set(inspect(session.connection()).get_table_names())
    present = [v for v in KEYED_VALUES if v.name.split(".")[0] in tables]
    return any(value.sample(session) is not None for value in present)


def bind_key(
    session: Session, keyring: Keyring, *, key_file: Path, now: datetime | None = None
) -> KeyBinding:
    """Store the key's fingerprint if the database has none yet; check it otherwise.

    A database that already holds encrypted data (made before fingerprints existed) is bound only
    to a key that decrypts a value of every encrypted column. Audit events already written (a
    plain SHA-256 chain) are sealed as they are: the binding records the last one.
    """
    existing = read_binding(session)
    if existing is not None:
        check_binding(existing, keyring, key_file)
        return existing
    for column, sample in encrypted_samples(session):
        try:
            keyring.cipher.decrypt(sample)
        except IdentityDecryptionError:
            raise KeyMismatchError(
                KEY_DOES_NOT_DECRYPT, path=str(key_file), column=column
            ) from None
    head = session.get(AuditChainHead, 1)
    binding = KeyBinding(
        id=1,
        check_value=keyring.check_value,
        key_id=keyring.key_id,
        bound_at=now or utcnow(),
        legacy_event_id=0 if head is None else head.last_event_id,
        legacy_hash="0" * 64 if head is None else head.last_hash,
        demo=False,
        seal="",
    )
    binding.seal = keyring.seal(binding.sealed_facts())
    session.add(binding)
    session.flush()
    return binding


def set_demo_database(session: Session, keyring: Keyring, *, demo: bool) -> None:
    """Mark the database as built by ``pcenter demo`` (or no longer a demo), sealed with the key."""
    binding = read_binding(session)
    if binding is None:
        raise ConfigurationError(NOT_BOUND)
    binding.demo = demo
    binding.seal = keyring.seal(binding.sealed_facts())
    session.flush()


def rebind_key(session: Session, old: Keyring, new: Keyring, *, now: datetime) -> KeyBinding:
    """After a rotation: the new key's fingerprint, the same sealed facts, sealed anew."""
    binding = read_binding(session)
    if binding is None or not binding_is_sealed(binding, old):
        raise ConfigurationError(BINDING_TAMPERED)
    binding.check_value = new.check_value
    binding.key_id = new.key_id
    binding.rotated_at = now
    binding.seal = new.seal(binding.sealed_facts())
    session.flush()
    return binding
