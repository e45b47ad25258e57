"""Alembic environment: runs migrations on the engine handed over by ``pcenter_lib.db``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

import pcenter_lib.models  # noqa: F401  (maps every table onto the metadata)
from pcenter_lib.models.base import Base

target_metadata = Base.metadata


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()


def run_migrations_online() -> None:
    """Run the pending migrations in one transaction.

    On SQLite a batch migration that changes a column recreates its table (copy, drop, rename);
    with foreign keys enforced, dropping a table other rows refer to fails. As Alembic's batch
    documentation advises, enforcement is switched off outside the transaction for the run,
    every key is checked before the commit, and enforcement is switched on again.
    """
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("run migrations through pcenter_lib.db.upgrade_to_head(engine)")
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            _migrate(connection)
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        try:
            with connection.begin():
                _migrate(connection)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


run_migrations_online()
