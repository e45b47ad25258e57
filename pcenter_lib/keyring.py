"""The secret key file as a keyring: the active key, its fingerprint, and retired audit keys.

The first line of the key file is the active secret (32 random bytes, base64). Everything keyed
is derived from it with HKDF (RFC 5869), each for one purpose, so no derived key reveals another:

- the identity cipher's Fernet and HMAC keys (``pcenter_lib.privacy``);
- the **check key**, whose HMAC of a fixed text is the key's *fingerprint* (check value): stored in
  the database at its first initialisation, compared at every start, it tells whether this is
  the key the database was made with — and reveals nothing about the key itself;
- the **audit key**, which MACs every audit event (HMAC-SHA-256, RFC 2104), so that somebody who
  can write to the database but does not hold the key file cannot rewrite the trail.

A key rotation (``pcenter key rotate``) writes a new active secret and keeps, on further lines,
the *audit keys* of retired secrets (``audit <key id> <base64>``): they let ``pcenter audit
verify`` check the events written before the rotation, and decrypt nothing. It also carries over
the key of pseudonymous child codes (``pseudonym <base64>``): a child's code is an identifier
stored in results and exported documents, so it must not change with the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pcenter_lib.errors import ConfigurationError
from pcenter_lib.privacy import IdentityCipher, read_key_file

_CHECK_TEXT: Final = b"pcenter key check value v1"
_RETIRED_TAG: Final = "audit"
_PSEUDONYM_TAG: Final = "pseudonym"
KEY_ID_LENGTH: Final = 16
_HEADER: Final = (
    "# Retired audit keys: they verify audit events written before a key rotation and decrypt "
    "nothing.\n"
)


def derive_key(secret: bytes, purpose: bytes) -> bytes:
    """A 32-byte key for one ``purpose``, derived from the secret with HKDF-SHA-256."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


def check_value_of(secret: bytes) -> str:
    """The key's fingerprint: a keyed check value (hex), never the key or a plain hash of it."""
    check_key = derive_key(secret, b"pcenter key check")
    return hmac.new(check_key, _CHECK_TEXT, hashlib.sha256).hexdigest()


def mac_hex(key: bytes, payload: bytes) -> str:
    """HMAC-SHA-256 of ``payload`` under ``key``, as 64 hex digits."""
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keyring:
    """The active secret and the audit keys of secrets retired by rotations."""

    secret: bytes = field(repr=False)
    retired_audit_keys: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    pseudonym_key: bytes | None = field(default=None, repr=False)

    @cached_property
    def check_value(self) -> str:
        return check_value_of(self.secret)

    @property
    def key_id(self) -> str:
        """Short public name of the active key (the start of its fingerprint)."""
        return self.check_value[:KEY_ID_LENGTH]

    @cached_property
    def audit_key(self) -> bytes:
        return derive_key(self.secret, b"pcenter audit chain mac")

    @cached_property
    def cipher(self) -> IdentityCipher:
        return IdentityCipher(self.secret, self.pseudonym_key)

    def audit_key_for(self, key_id: str) -> bytes | None:
        """The audit key that signed events under ``key_id`` (None when this keyring lacks it)."""
        if key_id == self.key_id:
            return self.audit_key
        return self.retired_audit_keys.get(key_id)

    def seal(self, text: str) -> str:
        """A MAC of ``text`` under the audit key (binds database facts to this key)."""
        return mac_hex(self.audit_key, text.encode("utf-8"))

    def rotated(self) -> Keyring:
        """A new active secret; this one's audit key joins the retired ones."""
        retired = {**self.retired_audit_keys, self.key_id: self.audit_key}
        return Keyring(secrets.token_bytes(32), retired, self.cipher.code_key)

    def file_text(self) -> str:
        lines = [base64.urlsafe_b64encode(self.secret).decode() + "\n"]
        if self.pseudonym_key is not None:
            encoded = base64.urlsafe_b64encode(self.pseudonym_key).decode()
            lines.append(f"{_PSEUDONYM_TAG} {encoded}\n")
        if self.retired_audit_keys:
            lines.append(_HEADER)
            for key_id, key in sorted(self.retired_audit_keys.items()):
                encoded = base64.urlsafe_b64encode(key).decode()
                lines.append(f"{_RETIRED_TAG} {key_id} {encoded}\n")
        return "".join(lines)


def read_keyring(path: Path) -> Keyring:
    """The keyring in ``path``; clear errors for a missing, unreadable or malformed file."""
    secret = read_key_file(path)
    retired: dict[str, bytes] = {}
    pseudonym: bytes | None = None
    lines = path.read_bytes().decode("ascii", errors="replace").splitlines()
    first = next(n for n, line in enumerate(lines) if line.strip())
    for number, line in enumerate(lines[first + 1 :], start=first + 2):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        tag, key_id, key = _parse_line(words)
        if tag == _PSEUDONYM_TAG and len(key) == 32:
            pseudonym = key
        elif tag == _RETIRED_TAG and len(key_id) == KEY_ID_LENGTH and len(key) == 32:
            retired[key_id] = key
        else:
            raise ConfigurationError(
                "Line {line} of the secret key file {path} is not a retired audit key.",
                line=number,
                path=str(path),
            )
    return Keyring(secret, retired, pseudonym)


def _parse_line(words: list[str]) -> tuple[str, str, bytes]:
    """(tag, key id, key) of a further line of the key file; empty values when malformed."""
    try:
        if len(words) == 2:
            return words[0], "", base64.urlsafe_b64decode(words[1])
        tag, key_id, encoded = words
        return tag, key_id, base64.urlsafe_b64decode(encoded)
    except ValueError:
        return "", "", b""


def write_key_file(path: Path, keyring: Keyring) -> None:
    """Write ``keyring`` to a new file ``path`` (0600), flushed to disk; never overwrites."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise ConfigurationError(
            "Cannot create the secret key file {path}: {reason}.",
            path=str(path),
            reason=exc.strerror,
        ) from exc
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(keyring.file_text())
        handle.flush()
        os.fsync(handle.fileno())


def new_keyring() -> Keyring:
    return Keyring(secrets.token_bytes(32))
