"""A small Center for supervision tests: the intake test Center with four children in the queue.

Two children are in mandatory priority by a hard rule (an open direct threat; violence at home),
two are ordinary open cases. ``specialist1`` is responsible for all four.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pcenter_lib.models import ScreeningResult, ScreeningRound
from pcenter_lib.workbench import Workbench
from tests.intake.world import IntakeWorld, build_world
from tests.risk.test_queue_services import add_queue_children


@dataclass
class SupervisionWorld:
    intake: IntakeWorld
    threatened: int
    violent: int
    quiet: int
    worried: int

    @property
    def bench(self) -> Workbench:
        return self.intake.bench


def build_supervision_world(bench: Workbench) -> SupervisionWorld:
    world = build_world(bench)
    return SupervisionWorld(world, *add_queue_children(bench, world.school_id))


def add_screening(bench: Workbench, child_id: int, school_id: int) -> None:
    """Two PHQ-9 results of the child, the later one higher."""
    from pcenter_lib.models import Instrument

    with bench.sessions.begin() as session:
        instrument = Instrument(code="phq9", version="1", definition_sha256="0" * 64)
        session.add(instrument)
        session.flush()
        for n, (day, score, band) in enumerate(
            ((date(2025, 10, 1), 6.0, "mild"), (date(2026, 2, 1), 16.0, "moderately_severe"))
        ):
            screening_round = ScreeningRound(
                education_organization_id=school_id, instrument_id=instrument.id,
                period=f"2026Q{n + 1}", school_year="2025-2026", conducted_on=day,
                imported_by="methodologist1", content_sha256=str(n) * 64, result_count=1,
            )  # fmt: skip
            session.add(screening_round)
            session.flush()
            session.add(ScreeningResult(
                screening_round_id=screening_round.id, child_id=child_id, responses={},
                scores={}, total_score=score, band=band, critical=n == 1,
            ))  # fmt: skip
