"""The priority queue, overrides and their rates on both engines (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from pcenter_lib.domain.priority import OverrideError
from pcenter_lib.domain.risk_indicators import compute_indicators
from pcenter_lib.errors import ConflictError, PermissionDeniedError
from pcenter_lib.models import (
    AuditEvent,
    Case,
    Child,
    CrisisEvent,
    PriorityOverride,
    Request,
    RiskAssessment,
    RiskModelVersion,
)
from pcenter_lib.risk.persistence import dump_pipeline, fingerprint
from pcenter_lib.risk.pipeline import make_risk_pipeline
from pcenter_lib.services.override_rates import override_rates
from pcenter_lib.services.priority_queue import override_priority, priority_queue, score_children
from pcenter_lib.workbench import Workbench
from tests.intake.world import NOW, build_world
from tests.risk.histories import AT, synthetic_history, synthetic_outcome


@dataclass
class QueueWorld:
    bench: Workbench
    threatened: int  # an open direct-threat case: mandatory
    violent: int  # violence at home recorded: mandatory
    quiet: int  # an ordinary open case
    worried: int  # an ordinary open case with a suicidal concern and crisis history


def _child(session: object, code: str, school: int, birth: date, sex: str) -> int:
    child = Child(code=code, birth_on=birth, sex=sex, education_organization_id=school,
                  grade=8, language="kk")  # fmt: skip
    session.add(child)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return child.id


def _request(session: object, seq: int, child: int, *, days_ago: int, threat: bool = False,
             concerns: tuple[str, ...] = ()) -> Request:  # fmt: skip
    from pcenter_lib.models import RequestConcern

    received = NOW - timedelta(days=days_ago)
    request = Request(
        journal_year=2026, journal_seq=seq, received_at=received, registered_by="operator1",
        channel="phone", source="teacher", child_id=child, direct_threat=threat,
        due_at=received + timedelta(days=2), considered_at=received + timedelta(hours=3),
        status="closed",
    )  # fmt: skip
    request.concerns = [RequestConcern(concern=c) for c in concerns]
    session.add(request)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return request


def _case(session: object, child: int, request: Request, days_ago: int) -> None:
    session.add(  # type: ignore[attr-defined]
        Case(child_id=child, opened_from_request_id=request.id, status="open",
             opened_at=NOW - timedelta(days=days_ago), responsible="specialist1")
    )  # fmt: skip


def add_queue_children(bench: Workbench, school_id: int) -> list[int]:
    """Four children with open cases: threatened, violent (both mandatory), quiet, worried."""
    with bench.sessions.begin() as session:
        ids = [
            _child(session, f"C{i}", school_id, date(2012, 1, 1 + i), sex)
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
    return ids


@pytest.fixture
def queue_world(any_workbench: Workbench) -> QueueWorld:
    world = build_world(any_workbench)
    return QueueWorld(any_workbench, *add_queue_children(any_workbench, world.school_id))


def _publish_synthetic_model(bench: Workbench) -> str:
    history = synthetic_history(2000, seed=5)
    rows = np.arange(2000)
    frame = compute_indicators(history, AT, rows)
    pipeline = make_risk_pipeline().fit(
        frame, synthetic_outcome(history, rows), model__groups=frame.index.to_numpy()
    )
    data = dump_pipeline(pipeline)
    with bench.sessions.begin() as session:
        session.add(RiskModelVersion(
            model_version="risk-test-1", trained_by="analyst1", status="published",
            skops_file=data, sha256=fingerprint(data), window_start_on=date(2024, 10, 1),
            window_end_on=date(2025, 6, 1), evaluation={}, card={},
        ))  # fmt: skip
    return "risk-test-1"


def test_mandatory_children_come_first_with_their_rules_then_the_score(queue_world: QueueWorld) -> None:
    version = _publish_synthetic_model(queue_world.bench)
    with queue_world.bench.sessions.begin() as session:
        queue = priority_queue(session, actor="supervisor1", on=NOW, lang="ru")
        audited = session.scalar(
            select(func.count()).where(AuditEvent.entity == "priority_queue")
        )
    assert queue.model_version == version and audited == 1
    rows = {r.child_id: r for r in queue.rows}
    assert set(rows) == {queue_world.threatened, queue_world.violent, queue_world.quiet,
                         queue_world.worried}  # fmt: skip
    assert [r.level for r in queue.rows[:2]] == ["mandatory", "mandatory"]
    assert {queue.rows[0].child_id, queue.rows[1].child_id} == {
        queue_world.threatened, queue_world.violent}
    assert "open_direct_threat" in rows[queue_world.threatened].rules
    assert rows[queue_world.violent].rule_labels == ("Насилие в семье",)
    rest = queue.rows[2:]
    assert all(not r.rules and r.band is not None for r in rest)
    assert rest[0].probability >= rest[1].probability  # type: ignore[operator]
    assert rows[queue_world.worried].probability > rows[queue_world.quiet].probability  # type: ignore[operator]
    assert all(r.responsible == "specialist1" for r in queue.rows)
    assert all(isinstance(reason, str) and reason for r in rest for reason in r.reasons)


def test_without_a_published_model_the_rules_still_order_the_queue(queue_world: QueueWorld) -> None:
    with queue_world.bench.sessions.begin() as session:
        queue = priority_queue(session, actor="supervisor1", on=NOW)
    assert queue.model_version == "rules-only"
    assert [r.level for r in queue.rows] == ["mandatory", "mandatory", "low", "low"]
    assert all(r.probability is None for r in queue.rows)


def test_only_supervisors_see_the_queue_and_override(queue_world: QueueWorld) -> None:
    with queue_world.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        priority_queue(session, actor="operator1", on=NOW)
    with queue_world.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        override_priority(session, actor="system:cli", child_id=queue_world.quiet, on=NOW,
                          to_level="high", reason_code="worsening", reason="x")  # fmt: skip


def test_an_override_keeps_both_values_who_and_why(queue_world: QueueWorld) -> None:
    _publish_synthetic_model(queue_world.bench)
    with queue_world.bench.sessions.begin() as session:
        record = override_priority(
            session, actor="supervisor1", child_id=queue_world.quiet, on=NOW, to_level="high",
            reason_code="new_information", reason="The school called: he stopped eating.",
            expected_level=None,
        )  # fmt: skip
    assert record.direction == "raise" and record.to_level == "high"
    with queue_world.bench.sessions() as session:
        stored = session.get(PriorityOverride, record.override_id)
        snapshot = session.get(RiskAssessment, record.assessment_id)
        assert stored is not None and snapshot is not None
        assert (stored.from_band, stored.to_band, stored.overridden_by) == (
            record.from_level, "high", "supervisor1")
        assert stored.reason_code == "new_information" and "stopped eating" in stored.reason
        assert snapshot.level == record.from_level and snapshot.model_version == "risk-test-1"
        assert snapshot.score is not None
    with queue_world.bench.sessions.begin() as session:
        queue = priority_queue(session, actor="supervisor1", on=NOW + timedelta(hours=1))
    row = next(r for r in queue.rows if r.child_id == queue_world.quiet)
    assert row.level == "high" and row.overridden_by == "supervisor1"
    assert row.model_level != "high" or row.band is not None


def test_a_mandatory_child_is_lowered_only_with_a_recorded_reason_the_rule_does_not_apply(
    queue_world: QueueWorld,
) -> None:
    with queue_world.bench.sessions.begin() as session, pytest.raises(OverrideError):
        override_priority(session, actor="supervisor1", child_id=queue_world.violent, on=NOW,
                          to_level="medium", reason_code="resolved", reason="calmer now")  # fmt: skip
    with queue_world.bench.sessions.begin() as session, pytest.raises(ConflictError):
        override_priority(
            session, actor="supervisor1", child_id=queue_world.violent, on=NOW, to_level="medium",
            reason_code="rule_does_not_apply", reason="x", rules_set_aside=["violence_at_home"],
            rule_explanation="y", expected_level="high",
        )  # fmt: skip
    with queue_world.bench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PriorityOverride)) == 0
    with queue_world.bench.sessions.begin() as session:
        record = override_priority(
            session, actor="supervisor1", child_id=queue_world.violent, on=NOW, to_level="medium",
            reason_code="rule_does_not_apply", reason="Placed with her grandmother.",
            rules_set_aside=["violence_at_home"], expected_level="mandatory",
            rule_explanation="The father who was violent no longer lives with the child.",
        )  # fmt: skip
    assert record.from_level == "mandatory" and record.rules_set_aside == ("violence_at_home",)
    with queue_world.bench.sessions.begin() as session:
        queue = priority_queue(session, actor="supervisor1", on=NOW + timedelta(days=1))
        rates = override_rates(session, actor="supervisor1", since=NOW - timedelta(days=1),
                               until=NOW + timedelta(days=2))  # fmt: skip
    row = next(r for r in queue.rows if r.child_id == queue_world.violent)
    assert row.level == "medium" and row.rules == ("violence_at_home",)
    assert [(r.key, r.overrides, r.lowered) for r in rates.by_supervisor] == [
        ("supervisor1", 1, 1)]
    assert [(r.key, r.overrides) for r in rates.by_level] == [("mandatory", 1)]


def test_scoring_runs_store_assessments_that_rates_count_against(queue_world: QueueWorld) -> None:
    _publish_synthetic_model(queue_world.bench)
    with queue_world.bench.sessions.begin() as session:
        result = score_children(session, actor="system:cli", on=NOW)
        override_priority(session, actor="supervisor1", child_id=queue_world.quiet, on=NOW,
                          to_level="high", reason_code="worsening", reason="Lost weight")  # fmt: skip
    assert result["children"] == 4 and result["levels"]["mandatory"] == 2
    assert set(result["drift"]) and result["model_version"] == "risk-test-1"
    with queue_world.bench.sessions.begin() as session:
        rates = override_rates(session, actor="analyst1", since=NOW - timedelta(days=1),
                               until=NOW + timedelta(days=1))  # fmt: skip
    supervisor = rates.by_supervisor[0]
    assert (supervisor.key, supervisor.overrides, supervisor.queued) == ("supervisor1", 1, 4)
    assert supervisor.rate == pytest.approx(0.25)


def test_a_recorded_suicide_attempt_makes_the_child_mandatory_at_once(
    queue_world: QueueWorld,
) -> None:
    from pcenter_lib.domain.risk_events import UnknownCrisisKindError
    from pcenter_lib.errors import ValidationError
    from pcenter_lib.services.crisis_events import record_crisis_event

    with queue_world.bench.sessions.begin() as session, pytest.raises(UnknownCrisisKindError):
        record_crisis_event(session, actor="specialist1", child_id=queue_world.quiet,
                            kind="fire", occurred_at=NOW, now=NOW)  # fmt: skip
    with queue_world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        record_crisis_event(session, actor="specialist1", child_id=queue_world.quiet,
                            kind="suicide_attempt", occurred_at=NOW + timedelta(hours=1),
                            now=NOW)  # fmt: skip
    with queue_world.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        record_crisis_event(session, actor="operator1", child_id=queue_world.quiet,
                            kind="suicide_attempt", occurred_at=NOW, now=NOW)  # fmt: skip
    with queue_world.bench.sessions.begin() as session:
        record_crisis_event(session, actor="specialist1", child_id=queue_world.quiet,
                            kind="suicide_attempt", occurred_at=NOW - timedelta(hours=5),
                            now=NOW - timedelta(hours=1), note="Taken to hospital")  # fmt: skip
    with queue_world.bench.sessions.begin() as session:
        queue = priority_queue(session, actor="supervisor1", on=NOW)
    row = next(r for r in queue.rows if r.child_id == queue_world.quiet)
    assert row.level == "mandatory" and row.rules == ("recent_suicide_attempt",)
