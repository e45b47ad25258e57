"""The case file on both engines: whole history newest first, filters, identity by role, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.models import AuditEvent
from pcenter_lib.services.case_file import KIND_CODES, open_case_file
from pcenter_lib.services.supervision_records import RecordDraft, save_record, sign_record
from pcenter_lib.services.supervision_sessions import plan_session
from pcenter_lib.services.supervision_tasks import add_task
from pcenter_lib.workbench import Workbench
from tests.intake.world import NOW
from tests.supervision.world import SupervisionWorld, add_screening, build_supervision_world


@pytest.fixture
def sworld(any_workbench: Workbench) -> SupervisionWorld:
    return build_supervision_world(any_workbench)


def _registered_child(world: SupervisionWorld) -> int:
    registered = world.intake.register()
    assert registered.child_id is not None
    return registered.child_id


def test_the_whole_history_newest_first_with_screening_trend_and_decisions(
    sworld: SupervisionWorld,
) -> None:
    bench, child = sworld.bench, sworld.worried
    add_screening(bench, child, sworld.intake.school_id)
    with bench.sessions.begin() as session:
        held = plan_session(session, actor="supervisor1", held_at=NOW, form="individual",
                            child_ids=[child])  # fmt: skip
    with bench.sessions.begin() as session:
        from pcenter_lib.models import SupervisionCase

        record = session.scalars(select(SupervisionCase).where(
            SupervisionCase.supervision_session_id == held)).one()  # fmt: skip
        version = save_record(session, actor="specialist1", record_id=record.id,
                              expected_version=record.version,
                              draft=RecordDraft(question="Risk?", decision="Weekly contact"))  # fmt: skip
    with bench.sessions.begin() as session:
        add_task(session, actor="supervisor1", record_id=record.id, expected_version=version,
                 description="Call the mother", responsible="specialist1",
                 due_on=NOW.date())  # fmt: skip
    with bench.sessions.begin() as session:
        sign_record(session, actor="supervisor1", record_id=record.id,
                    expected_version=version + 1, now=NOW)  # fmt: skip
    with bench.sessions.begin() as session:
        case_file = open_case_file(session, actor="supervisor1", cipher=bench.cipher,
                                   child_id=child, lang="en")  # fmt: skip
    moments = [e.at for e in case_file.entries]
    assert moments == sorted(moments, reverse=True)
    kinds = {e.kind for e in case_file.entries}
    assert {"request", "screening", "supervision"} <= kinds
    screening = [e for e in case_file.entries if e.kind == "screening"]
    assert screening[0].title == "Patient Health Questionnaire (PHQ-9)"
    assert (
        "Moderately severe" in screening[0].detail and "higher than before" in screening[0].detail
    )
    assert "Critical answer" in screening[0].detail
    decisions = [e for e in case_file.entries if e.kind == "supervision"]
    assert any("Weekly contact" in e.detail and "signed" in e.title for e in decisions)
    assert any("Call the mother" in e.detail for e in decisions)
    with bench.sessions.begin() as session:
        only = open_case_file(session, actor="specialist1", cipher=bench.cipher, child_id=child,
                              kinds=["screening"], lang="ru")  # fmt: skip
    assert {e.kind for e in only.entries} == {"screening"} and len(only.entries) == 2
    assert only.counts["supervision"] == case_file.counts["supervision"] >= 2
    assert set(only.counts) == set(KIND_CODES)


def test_identity_only_for_roles_allowed_and_every_view_audited(sworld: SupervisionWorld) -> None:
    bench = sworld.bench
    child = _registered_child(sworld)
    with bench.sessions.begin() as session:
        named = open_case_file(session, actor="specialist1", cipher=bench.cipher, child_id=child)
        coded = open_case_file(session, actor="methodologist1", cipher=bench.cipher,
                               child_id=child)  # fmt: skip
    assert named.identity is not None and named.identity.full_name == "Nurlan Serikov"
    assert coded.identity is None and coded.child_code == named.child_code
    assert all("Nurlan" not in e.detail for e in coded.entries)
    with bench.sessions() as session:
        events = session.execute(
            select(AuditEvent.actor, AuditEvent.action).where(
                AuditEvent.entity.in_(("case_file", "child")), AuditEvent.entity_id == str(child)
            )
        ).all()
    assert ("specialist1", "view") in events and ("methodologist1", "view") in events
    assert ("specialist1", "view_identity") in events
    assert ("methodologist1", "view_identity") not in events


def test_the_analyst_and_operator_may_not_open_a_case_file(sworld: SupervisionWorld) -> None:
    for actor in ("analyst1", "operator1", "admin1"):
        with sworld.bench.sessions() as session, pytest.raises(PermissionDeniedError):
            open_case_file(session, actor=actor, cipher=sworld.bench.cipher,
                           child_id=sworld.quiet)  # fmt: skip


def test_an_unknown_kind_is_refused_naming_the_valid_ones(sworld: SupervisionWorld) -> None:
    with sworld.bench.sessions() as session, pytest.raises(ValidationError, match="request"):
        open_case_file(session, actor="supervisor1", cipher=sworld.bench.cipher,
                       child_id=sworld.quiet, kinds=["gossip"])  # fmt: skip
