"""Fixtures of the database suite: workbenches migrated from an empty database on each engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pcenter_lib.workbench import Workbench
from tests.conftest import make_settings, migrated_workbench


@pytest.fixture
def pg_workbench_from_empty(pg_database_url: str, tmp_path: Path) -> Iterator[Workbench]:
    """A Workbench on a new, empty PostgreSQL database that the migrations have just built."""
    bench = migrated_workbench(make_settings(tmp_path, pg_database_url))
    yield bench
    bench.engine.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def migrated_from_empty(request: pytest.FixtureRequest) -> Workbench:
    """Each engine in turn, its schema built by running every migration on an empty database."""
    name = "sqlite_workbench_from_empty" if request.param == "sqlite" else "pg_workbench_from_empty"
    bench: Workbench = request.getfixturevalue(name)
    return bench
