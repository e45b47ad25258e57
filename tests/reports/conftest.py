"""A tiny demo region (seed 7) the report tests read, built once per module on SQLite."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pcenter_lib.config import load_settings
from pcenter_lib.demo import build_demo_region
from pcenter_lib.workbench import Workbench, initialise_database

MONTH = "2026-10"  # a whole month of the demo's history


def fresh_workbench(folder: Path) -> Workbench:
    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(
        {
            "PCENTER_DATABASE_URL": f"sqlite:///{folder / 't.sqlite3'}",
            "PCENTER_SECRET_KEY_FILE": str(folder / "k.key"),
            "PCENTER_DATA_DIR": str(folder),
            "PCENTER_LANG": "en",
        }
    )
    return initialise_database(settings)


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    bench = fresh_workbench(tmp_path_factory.mktemp("region"))
    build_demo_region(bench, seed=7, scale="tiny", compliant=True, progress=None)
    return dataclasses.replace(bench, demo=True)  # as ``pcenter demo`` opens it: demo sign-in
