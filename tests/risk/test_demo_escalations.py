"""The demo region's escalations are observable in the domain tables the risk model reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from pcenter_lib.demo import build_demo_region
from pcenter_lib.domain.risk_events import CRISIS_KIND_CODES
from pcenter_lib.models import CrisisEvent, Request
from pcenter_lib.models.demo import DemoGroundTruth
from tests.test_demo import fresh_workbench


@pytest.mark.parametrize("seed", [264, 7])
def test_crisis_events_follow_the_escalations_and_are_known_after_they_happen(
    tmp_path: Path, seed: int
) -> None:
    bench = fresh_workbench(tmp_path)
    build_demo_region(bench, seed=seed, scale="tiny", compliant=True, progress=None)
    with bench.sessions() as session:
        events = session.scalars(select(CrisisEvent)).all()
        escalated = set(
            session.scalars(select(DemoGroundTruth.child_id).where(DemoGroundTruth.escalated))
        )
        threats = session.scalar(select(func.count()).where(Request.direct_threat))
    assert threats == len(escalated)
    assert {e.kind for e in events} <= set(CRISIS_KIND_CODES)
    for event in events:
        assert event.recorded_at >= event.occurred_at
        if event.kind != "violence_at_home":
            assert event.child_id in escalated  # attempts, police, hospital follow a threat
