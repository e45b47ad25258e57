"""Encryption of child identity fields and the pseudonymous child code (Rule 14; Law 94-V art. 11, 17).

One secret key file (32 random bytes, base64) is the root; two keys are derived from it with HKDF:
a Fernet key that encrypts names, IIN, address and contacts at rest, and an HMAC key that turns an
IIN into a stable pseudonymous code used everywhere analysis happens. The same HMAC key makes the
blind indexes that find a child without decrypting anybody: by IIN (``blind_index``), and by the
words of the name and the name with the birth date (``name_keys``). Without the key file the
identity fields cannot be read and codes cannot be recomputed, so the file is created with 0600
permissions and must be backed up separately from the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pcenter_lib.errors import ConfigurationError, PcenterError

_KEY_BYTES = 32
CHILD_CODE_PREFIX = "C-"
_CODE_ALPHABET_LEN = 10  # base32 characters of the HMAC kept in a child code (50 bits)
_TOKEN_HEX = 32  # hex characters kept of a name word's HMAC (128 bits)
# Kazakh letters people often type as their Russian look-alikes, and ё as е: a name typed either
# way finds the same child.
_NAME_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")


class IdentityDecryptionError(PcenterError, ValueError):
    """A stored identity field cannot be decrypted with this key (wrong key or damaged data)."""


def ensure_key_file(path: Path) -> Path:
    """Create the key file with 0600 permissions if it does not exist yet; return its path."""
    if path.exists():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    except OSError as exc:
        raise ConfigurationError(
            "Cannot create the secret key file {path}: {reason}.", path=str(path), reason=exc.strerror
        ) from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(base64.urlsafe_b64encode(secrets.token_bytes(_KEY_BYTES)) + b"\n")
    return path


def first_key_line(content: bytes) -> bytes:
    """The active key: the first non-empty line (retired audit keys may follow, see keyring)."""
    for line in content.splitlines():
        if line.strip():
            return line.strip()
    return b""


def read_key_file(path: Path) -> bytes:
    """The 32-byte secret from ``path``; a clear error when missing, unreadable or malformed."""
    try:
        raw = first_key_line(path.read_bytes())
    except FileNotFoundError as exc:
        raise ConfigurationError(
            "The secret key file {path} does not exist. Set PCENTER_SECRET_KEY_FILE to the key "
            "this database was created with.",
            path=str(path),
        ) from exc
    except OSError as exc:
        raise ConfigurationError(
            "The secret key file {path} cannot be read: {reason}.", path=str(path), reason=exc.strerror
        ) from exc
    try:
        secret = base64.urlsafe_b64decode(raw)
    except ValueError:
        secret = b""
    if len(secret) != _KEY_BYTES:
        raise ConfigurationError(
            "The secret key file {path} is not a valid pcenter key (32 bytes, base64).",
            path=str(path),
        )
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            "The secret key file {path} is readable by other users; run: chmod 600 {path}",
            path=str(path),
        )
    return secret


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


@dataclass(frozen=True)
class IdentityCipher:
    """Encrypts identity fields and derives pseudonymous codes from one secret."""

    secret: bytes
    # Pseudonymous child codes are identifiers stored and exported; a key rotation carries the
    # first key's code key over (``pcenter_lib.keyring``) so a child's code never changes.
    pseudonym_key: bytes | None = None

    @classmethod
    def from_key_file(cls, path: Path, *, create: bool = False) -> IdentityCipher:
        if create:
            ensure_key_file(path)
        return cls(read_key_file(path))

    @cached_property
    def _fernet(self) -> Fernet:
        return Fernet(base64.urlsafe_b64encode(_derive(self.secret, b"pcenter identity fernet")))

    @cached_property
    def _hmac_key(self) -> bytes:
        return _derive(self.secret, b"pcenter pseudonym hmac")

    @property
    def code_key(self) -> bytes:
        """The key of pseudonymous child codes (carried over by key rotations)."""
        return self.pseudonym_key or self._hmac_key

    def encrypt(self, value: str | None) -> bytes | None:
        """Ciphertext of ``value`` (None stays None)."""
        return None if value is None else self._fernet.encrypt(value.encode("utf-8"))

    def decrypt(self, token: bytes | None) -> str | None:
        """Plain text of a stored field; a clear error when the key does not fit."""
        if token is None:
            return None
        try:
            return self._fernet.decrypt(bytes(token)).decode("utf-8")
        except InvalidToken as exc:
            raise IdentityDecryptionError(
                "An identity field cannot be decrypted: the secret key does not match this database."
            ) from exc

    def blind_index(self, value: str) -> str:
        """Keyed hash of a normalised value, to find a record by IIN without storing it in clear."""
        normal = "".join(value.split()).casefold()
        return hmac.new(self._hmac_key, normal.encode("utf-8"), hashlib.sha256).hexdigest()

    def name_keys(self, full_name: str | None, birth_on: date | None = None) -> NameKeys:
        """Every keyed value derived from a child's name (Rule 14), in one place.

        ``tokens``: one index per normalized word, to find a child by any whole word of the
        name; ``name_birth``: the words (in any order) with the birth date, to notice a second
        record of the same child. Re-deriving these (with ``blind_index`` for the IIN) is all a
        key change needs for the identity tables.
        """
        words = name_tokens(full_name or "")
        tokens = frozenset(
            hmac.new(self._hmac_key, b"name-token:" + word.encode(), hashlib.sha256).hexdigest()[
                :_TOKEN_HEX
            ]
            for word in words
        )
        name_birth = None
        if words and birth_on is not None:
            material = " ".join(sorted(set(words))) + "|" + birth_on.isoformat()
            name_birth = hmac.new(
                self._hmac_key, b"name-birth:" + material.encode(), hashlib.sha256
            ).hexdigest()
        return NameKeys(tokens, name_birth)

    def child_code(self, iin: str) -> str:
        """Stable pseudonymous code for a child with this IIN, e.g. ``C-7KQ2M9XAPL``."""
        key = self.pseudonym_key or self._hmac_key
        digest = hmac.new(key, b"child:" + iin.strip().encode(), hashlib.sha256).digest()
        return CHILD_CODE_PREFIX + base64.b32encode(digest).decode()[:_CODE_ALPHABET_LEN]


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The blind indexes of one name: per word, and of the name with the birth date."""

    tokens: frozenset[str]
    name_birth: str | None


def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a name as the indexes see them: case and Kazakh/Russian spelling folded.

    ``"Нұрлан  СЕРІКОВ"`` and ``"нурлан Сериков"`` give the same words; single letters
    (initials) and punctuation are dropped.
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_NAME_FOLD)
    words = "".join(ch if ch.isalpha() else " " for ch in folded).split()
    return tuple(dict.fromkeys(word for word in words if len(word) > 1))


def random_child_code() -> str:
    """A code for a child whose IIN is not known (anonymous requests, foreign children)."""
    return CHILD_CODE_PREFIX + "X" + base64.b32encode(secrets.token_bytes(8)).decode()[:9]
