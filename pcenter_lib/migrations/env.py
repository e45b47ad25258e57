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
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
