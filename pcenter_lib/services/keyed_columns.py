"""Every value in the database that depends on the secret key, in one registry (Rule 14).

A key rotation must re-encrypt or recompute each of them in one transaction, and a database's
first binding to a key must know whether any encrypted data exists already. ``KEYED_VALUES``
lists them; a new encrypted column or blind index is one line here:

- :class:`Encrypted` — a Fernet ciphertext column, decrypted with the old key and encrypted with
  the new one;
- :class:`BlindIndex` — a keyed hash (HMAC) of a value that is stored encrypted in the same row,
  recomputed from the decrypted source with the new key;
- :class:`IndexRows` — rows of keyed hashes derived from an encrypted value (one per word of
  a name), deleted and derived again with the new key;
- :class:`EncryptedInHistory` — ciphertexts kept inside the JSON of recorded amendments.

Pseudonymous child codes are *not* here: they are identifiers kept stable across rotations
(``pcenter_lib.keyring``). Derived values are recomputed before ciphertexts are re-encrypted, so
each reads its source with the old key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Protocol, cast

from sqlalchemy import Column, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from pcenter_lib.models import (
    Child,
    ChildIdentity,
    ChildNameToken,
    Consent,
    LegalRepresentative,
    Request,
    RequestAmendment,
)
from pcenter_lib.privacy import IdentityCipher

BATCH: Final = 2000


class KeyedValue(Protocol):
    """One kind of keyed value: where it is, whether data exists, how to re-key it."""

    @property
    def name(self) -> str: ...

    def sample(self, session: Session) -> bytes | None:
        """One stored ciphertext (to test a key against), or None when there is nothing."""

    def tokens(self, session: Session) -> Iterator[bytes]:
        """Every stored ciphertext (none for values that are hashes)."""

    def rekey(self, session: Session, old: IdentityCipher, new: IdentityCipher) -> int:
        """Rewrite every value for the ``new`` key; returns how many rows changed."""


def _table(column: InstrumentedAttribute[Any]) -> Table:
    """The table of a mapped column (its attribute key is the column's name in these models)."""
    return cast(Table, column.parent.local_table)


def _primary_key(column: InstrumentedAttribute[Any]) -> InstrumentedAttribute[Any]:
    mapper = column.parent
    (key,) = mapper.primary_key
    return getattr(mapper.class_, mapper.get_property_by_column(key).key)  # type: ignore[no-any-return]


def _rows(session: Session, *columns: InstrumentedAttribute[Any]) -> Iterator[tuple[Any, ...]]:
    """(primary key, *values) of every row whose first column is not NULL, in batches.

    Columns of other tables are joined to the first column's table by their foreign key.
    """
    key = _primary_key(columns[0])
    base = _table(columns[0])
    last: Any = None
    while True:
        query = select(key, *columns).select_from(base)
        for other in {_table(c) for c in columns[1:]} - {base}:
            query = query.join(other)
        query = query.where(columns[0].is_not(None)).order_by(key).limit(BATCH)
        if last is not None:
            query = query.where(key > last)
        batch = session.execute(query).all()
        if not batch:
            return
        yield from (tuple(row) for row in batch)
        last = batch[-1][0]


def _write(
    session: Session, column: InstrumentedAttribute[Any], changes: list[tuple[Any, Any]]
) -> None:
    """One executemany UPDATE per batch: ``column = value WHERE primary key = pk``."""
    table = _table(column)
    (key,) = table.primary_key.columns
    statement = (
        update(table).where(key == bindparam("_pk")).values({column.key: bindparam("_value")})
    )
    for start in range(0, len(changes), BATCH):
        chunk = changes[start : start + BATCH]
        session.connection().execute(statement, [{"_pk": pk, "_value": v} for pk, v in chunk])


@dataclass(frozen=True)
class _KeyedColumn:
    """A column holding keyed values, named ``table.column``."""

    column: InstrumentedAttribute[Any]

    @property
    def name(self) -> str:
        return f"{_table(self.column).name}.{self.column.key}"


@dataclass(frozen=True)
class Encrypted(_KeyedColumn):
    """A column of Fernet ciphertexts."""

    def sample(self, session: Session) -> bytes | None:
        value = session.scalar(select(self.column).where(self.column.is_not(None)).limit(1))
        return None if value is None else bytes(value)

    def tokens(self, session: Session) -> Iterator[bytes]:
        return (bytes(value) for _pk, value in _rows(session, self.column))

    def rekey(self, session: Session, old: IdentityCipher, new: IdentityCipher) -> int:
        changes = [
            (pk, new.encrypt(old.decrypt(value))) for pk, value in _rows(session, self.column)
        ]
        _write(session, self.column, changes)
        return len(changes)


@dataclass(frozen=True)
class BlindIndex(_KeyedColumn):
    """A keyed hash of a value stored encrypted in ``source`` of the same row.

    ``context`` names further plain columns the hash also covers (of this row's table, or of a
    table its foreign key leads to — e.g. the child's birth date); ``derive`` gets
    ``(cipher, plain source, *context values)``.
    """

    source: InstrumentedAttribute[Any]
    derive: Callable[..., str | None]
    context: tuple[InstrumentedAttribute[Any], ...] = ()

    def sample(self, session: Session) -> bytes | None:
        return None  # a hash cannot tell whether a key fits; its source column can

    def tokens(self, session: Session) -> Iterator[bytes]:
        return iter(())

    def rekey(self, session: Session, old: IdentityCipher, new: IdentityCipher) -> int:
        changes = []
        for pk, source, *context in _rows(session, self.source, *self.context):
            plain = old.decrypt(source)
            changes.append((pk, None if plain is None else self.derive(new, plain, *context)))
        _write(session, self.column, changes)
        return len(changes)


def _core(column: Any) -> Column[Any]:
    """The table column behind a mapped attribute (or the column itself)."""
    return column if isinstance(column, Column) else cast(Column[Any], column.expression)


@dataclass(frozen=True)
class IndexRows:
    """Rows of keyed hashes derived from a value stored encrypted elsewhere — e.g. one row per
    word of a child's name, so a name is found without decrypting every name.

    ``index`` is the hash column of the index table, ``owner`` its column that holds the
    primary key of ``source``'s row; ``derive(cipher, plain)`` gives the row's hashes.
    """

    index: Any  # a mapped attribute or a table column
    owner: Any
    source: InstrumentedAttribute[Any]
    derive: Callable[[IdentityCipher, str], Iterable[str]]

    @property
    def name(self) -> str:
        column = _core(self.index)
        return f"{column.table.name}.{column.name}"

    def sample(self, session: Session) -> bytes | None:
        return None

    def tokens(self, session: Session) -> Iterator[bytes]:
        return iter(())

    def rekey(self, session: Session, old: IdentityCipher, new: IdentityCipher) -> int:
        index, owner = _core(self.index), _core(self.owner)
        table = index.table
        owners: list[Any] = []
        rows: list[dict[str, Any]] = []
        for pk, source in _rows(session, self.source):
            owners.append(pk)
            plain = old.decrypt(source) or ""
            rows.extend(
                {owner.name: pk, index.name: value} for value in set(self.derive(new, plain))
            )
        connection = session.connection()
        for start in range(0, len(owners), BATCH):
            connection.execute(delete(table).where(owner.in_(owners[start : start + BATCH])))
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(table), rows[start : start + BATCH])
        return len(rows)


@dataclass(frozen=True)
class EncryptedInHistory(_KeyedColumn):
    """Ciphertexts inside recorded amendments: ``{"field": {"from", "to", "encrypted": true}}``."""

    def _encrypted_sides(self, value: Any) -> Iterator[tuple[dict[str, Any], str]]:
        for change in (value or {}).values():
            if isinstance(change, dict) and change.get("encrypted"):
                for side in ("from", "to"):
                    if change.get(side):
                        yield change, side

    def sample(self, session: Session) -> bytes | None:
        return next(self.tokens(session), None)

    def tokens(self, session: Session) -> Iterator[bytes]:
        for _pk, value in _rows(session, self.column):
            for change, side in self._encrypted_sides(value):
                yield str(change[side]).encode()

    def rekey(self, session: Session, old: IdentityCipher, new: IdentityCipher) -> int:
        changes = []
        for pk, value in _rows(session, self.column):
            sides = list(self._encrypted_sides(value))
            if not sides:
                continue
            for change, side in sides:
                token = new.encrypt(old.decrypt(str(change[side]).encode()))
                change[side] = None if token is None else token.decode()
            changes.append((pk, value))
        _write(session, self.column, changes)
        return len(changes)


def surname_index(cipher: IdentityCipher, full_name: str) -> str | None:
    """The blind index of a name's first word (the surname, as names are written at intake)."""
    words = full_name.split()
    return cipher.blind_index(words[0]) if words else None


def name_word_indexes(cipher: IdentityCipher, full_name: str) -> frozenset[str]:
    """The name search's index: one keyed hash per word of the name (``name_keys``)."""
    return cipher.name_keys(full_name).tokens


def name_birth_index(cipher: IdentityCipher, full_name: str, birth_on: date | None) -> str | None:
    """The duplicate warning's index: the name's words with the birth date (``name_keys``)."""
    return cipher.name_keys(full_name, birth_on).name_birth


KEYED_VALUES: Final[tuple[KeyedValue, ...]] = (
    # derived values first: they read their source with the old key
    BlindIndex(ChildIdentity.iin_index, ChildIdentity.iin_enc, IdentityCipher.blind_index),
    BlindIndex(ChildIdentity.surname_index, ChildIdentity.full_name_enc, surname_index),
    BlindIndex(
        ChildIdentity.name_birth_index,
        ChildIdentity.full_name_enc,
        name_birth_index,
        context=(Child.birth_on,),
    ),
    IndexRows(
        ChildNameToken.token_index,
        ChildNameToken.child_id,
        ChildIdentity.full_name_enc,
        name_word_indexes,
    ),
    Encrypted(ChildIdentity.full_name_enc),
    Encrypted(ChildIdentity.iin_enc),
    Encrypted(ChildIdentity.address_enc),
    Encrypted(ChildIdentity.contacts_enc),
    Encrypted(LegalRepresentative.full_name_enc),
    Encrypted(LegalRepresentative.contacts_enc),
    Encrypted(Request.applicant_name_enc),
    Encrypted(Consent.given_by_enc),
    EncryptedInHistory(RequestAmendment.changes),
)


def encrypted_samples(session: Session) -> list[tuple[str, bytes]]:
    """One stored ciphertext of every registered column that holds data."""
    found = []
    for value in KEYED_VALUES:
        sample = value.sample(session)
        if sample is not None:
            found.append((value.name, sample))
    return found
