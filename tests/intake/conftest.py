"""Fixtures for the intake services: the small Center of ``world.py`` on each engine."""

from __future__ import annotations

import pytest

from pcenter_lib.workbench import Workbench
from tests.intake.world import IntakeWorld, build_world


@pytest.fixture
def world(any_workbench: Workbench) -> IntakeWorld:
    """The intake test Center, once on SQLite and once on PostgreSQL."""
    return build_world(any_workbench)
