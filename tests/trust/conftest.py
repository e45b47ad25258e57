"""Fixtures of the trust suite: the intake test Center on each engine, and a race harness."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pcenter_lib.transactions import run_in_transaction
from pcenter_lib.workbench import Workbench
from tests.intake.world import IntakeWorld, build_world


@pytest.fixture
def world(any_workbench: Workbench) -> IntakeWorld:
    """The intake test Center, once on SQLite and once on PostgreSQL."""
    return build_world(any_workbench)


def command_home(monkeypatch: pytest.MonkeyPatch, folder: Path, lang: str) -> Path:
    """The environment of a ``pcenter`` command run in-process: data in ``folder``, ``lang``."""
    monkeypatch.setenv("PCENTER_DATA_DIR", str(folder))
    monkeypatch.setenv("PCENTER_LANG", lang)
    for name in ("PCENTER_DATABASE_URL", "PCENTER_SECRET_KEY_FILE", "PCENTER_DEMO"):
        monkeypatch.delenv(name, raising=False)
    return folder


@dataclass
class RaceOutcome:
    """What the second of two overlapping transactions got: its result or its error."""

    result: Any = None
    error: BaseException | None = None
    waited: bool = False


def race(
    bench: Workbench,
    first: Callable[[Session], object],
    second: Callable[[Session], object],
) -> RaceOutcome:
    """``first`` writes in an open transaction; ``second`` starts meanwhile (as the app runs it,
    retried while the database is busy); then ``first`` commits and ``second`` finishes."""
    outcome = RaceOutcome()
    done = threading.Event()
    session = bench.sessions()
    try:
        with session.begin():
            first(session)

            def run() -> None:
                try:
                    outcome.result = run_in_transaction(bench.sessions, second)
                except BaseException as exc:  # reported to the test
                    outcome.error = exc
                finally:
                    done.set()

            thread = threading.Thread(target=run)
            thread.start()
            outcome.waited = not done.wait(0.7)
        thread.join(timeout=60)
    finally:
        session.close()
    assert done.is_set(), "the second transaction never finished"
    return outcome
