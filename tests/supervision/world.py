"""A small Center for supervision tests: the intake test Center with four children in the queue.

Two children are in mandatory priority by a hard rule (an open direct threat; violence at home),
two are ordinary open cases. ``specialist1`` is responsible for all four.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pcenter_lib.models import CrisisEvent, ScreeningResult, ScreeningRound
from pcenter_lib.workbench import Workbench
from tests.intake.world import NOW, IntakeWorld, build_world
from tests.risk.test_queue_services import _case, _child, _request


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
    with bench.sessions.begin() as session:
        ids = [
            _child(session, f"C{i}", world.school_id, date(2012, 1, 1 + i), sex)
            for i, sex in enumerate(("female", "male", "male", "female"))
        ]
        threat = _request(session, 901, ids[0], days_ago=20, threat=True, concerns=("suicidal",))
        _case(session, ids[0], threat, 20)
        violence = _request(session, 902, ids[1], days_ago=40, concerns=("violence",))
        _case(session, ids[1], violence, 40)
        session.add(CrisisEvent(child_id=ids[1], request_id=violence.id, kind="violence_at_home",
                                occurred_at=NOW - timedelta(days=41), recorded_by="specialist1",
                                recorded_at=NOW - timedelta(days=39)))  # fmt: skip
        _case(session, ids[2], _request(session, 903, ids[2], days_ago=10), 10)
        worried = _request(session, 904, ids[3], days_ago=15, concerns=("suicidal", "bullying"))
        _case(session, ids[3], worried, 15)
    return SupervisionWorld(world, *ids)


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
