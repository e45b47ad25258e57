"""Alembic environment: runs migrations on the engine handed over by ``pcenter_lib.db``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import pcenter_lib.models  # noqa: F401  (maps every table onto the metadata)
from pcenter_lib.models.base import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("run migrations through pcenter_lib.db.upgrade_to_head(engine)")
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A table SQLite rebuilds (batch mode) is dropped and renamed back; with foreign keys
            # on, the drop deletes the rows that point at it. SQLite's procedure for such
            # changes (https://www.sqlite.org/lang_altertable.html, section 7): keys off outside
            # the transaction, change, check every key, keys on again.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                context.configure(
                    connection=connection,
                    target_metadata=target_metadata,
                    render_as_batch=sqlite,
                    compare_type=True,
                )
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


run_migrations_online()
