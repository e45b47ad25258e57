"""Writing the generated rows: one transaction, bulk inserts, an empty database only.

Ids are assigned by the generators, so rows are inserted table by table in foreign-key order
with ``session.execute(insert(Model), rows)``. On PostgreSQL the id sequences are then moved
past the inserted ids, so that records the apps add later get fresh numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Table, insert, literal, select, text
from sqlalchemy.orm import Session

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_
from pcenter_lib.models import AuditChainHead, Base, KeyBinding

Row = dict[str, Any]
CHUNK: Final = 20_000
# the chain head and the key's binding exist from init-db on; they are not data
IGNORED_TABLES: Final = frozenset({AuditChainHead.__tablename__, KeyBinding.__tablename__})


class DemoDatabaseNotEmptyError(PcenterError, ValueError):
    """The demo region is built only into an empty database."""


def tables_with_data(session: Session) -> list[str]:
    """Names of the tables that hold at least one row (the audit chain head does not count)."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name in IGNORED_TABLES:
            continue
        if session.execute(select(literal(1)).select_from(table).limit(1)).first() is not None:
            found.append(table.name)
    return found


def refuse_unless_empty(session: Session) -> None:
    """Raise ``DemoDatabaseNotEmptyError`` naming the tables that already hold data."""
    found = tables_with_data(session)
    if found:
        raise DemoDatabaseNotEmptyError(
            N_(
                "The database already holds data (tables: {tables}); the demo region is built "
                "only into an empty database. Point PCENTER_DATABASE_URL at a new database, or "
                "run the demo with --if-empty to keep the data as it is."
            ),
            tables=", ".join(found[:5]) + (" …" if len(found) > 5 else ""),
        )


def insert_rows(session: Session, model: type[Base], rows: Sequence[Row]) -> int:
    """Bulk-insert ``rows`` into ``model``'s table in chunks; returns how many were written.

    The Core ``insert`` of the table is used: one ``executemany`` per chunk. The ORM's bulk
    path would insert rows of version-counted models (``Versioned``) one statement at a time.
    """
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), list(rows[start : start + CHUNK]))
    return len(rows)


def advance_sequences(session: Session, models: Sequence[type[Base]]) -> None:
    """On PostgreSQL, move each table's id sequence past the largest id written."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__table__
        if not isinstance(table, Table) or "id" not in table.c or not table.c.id.autoincrement:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1))"
            )
        )
