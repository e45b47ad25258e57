"""Supervision sessions on both engines: planning, the record, sign-and-lock, addenda, tasks,
conflicting edits, attendance hours, and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pcenter_lib.errors import (
    ConflictError,
    LockedRecordError,
    PermissionDeniedError,
    ValidationError,
)
from pcenter_lib.models import SupervisionAddendum, SupervisionCase, SupervisionTask
from pcenter_lib.services.supervision_records import (
    RecordDraft,
    add_addendum,
    read_record,
    return_record,
    save_record,
    sign_record,
    submit_record,
)
from pcenter_lib.services.supervision_sessions import (
    Participant,
    add_case,
    count_supervision,
    list_sessions,
    plan_session,
)
from pcenter_lib.services.supervision_tasks import (
    action_needed,
    add_task,
    overdue_tasks,
    update_task,
)
from pcenter_lib.workbench import Workbench
from tests.intake.world import NOW
from tests.supervision.world import SupervisionWorld, build_supervision_world

DRAFT = RecordDraft(
    question="Is the girl safe at home?",
    template="signs_of_safety",
    formulation={"worried": "Threats in chat", "working_well": "Grandmother", "safety_scale": 4},
    hypotheses="Bullying spilled over from school",
    decision="Weekly contact; meet the class teacher",
    dissent="specialist2 would involve the police now",
    recommendations="Group work in class",
)


@pytest.fixture
def sworld(any_workbench: Workbench) -> SupervisionWorld:
    return build_supervision_world(any_workbench)


def _planned(world: SupervisionWorld) -> tuple[int, int]:
    """A session with the worried child's case; (session id, record id)."""
    with world.bench.sessions.begin() as session:
        held = plan_session(
            session, actor="supervisor1", held_at=NOW, form="group", minutes=120,
            participants=[Participant("specialist1"), Participant("Aizhan PPSS", "ppss"),
                          Participant("specialist2", attended=False)],
            child_ids=[world.worried],
        )  # fmt: skip
        record = session.scalars(
            select(SupervisionCase).where(SupervisionCase.supervision_session_id == held)
        ).one()
        assert record.presenter == "specialist1"  # responsible for the child's open case
        return held, record.id


def _version(world: SupervisionWorld, record_id: int) -> int:
    with world.bench.sessions() as session:
        return session.get_one(SupervisionCase, record_id).version


def _signed(world: SupervisionWorld) -> int:
    _held, record = _planned(world)
    with world.bench.sessions.begin() as session:
        save_record(session, actor="specialist1", record_id=record, expected_version=1, draft=DRAFT)
    with world.bench.sessions.begin() as session:
        add_task(session, actor="specialist1", record_id=record, expected_version=2,
                 description="Meet the class teacher", responsible="specialist1",
                 due_on=date(2026, 3, 25))  # fmt: skip
    with world.bench.sessions.begin() as session:
        submit_record(session, actor="specialist1", record_id=record, expected_version=3)
    with world.bench.sessions.begin() as session:
        sign_record(session, actor="supervisor1", record_id=record, expected_version=4, now=NOW)
    return record


def test_a_record_is_written_sent_signed_and_read_back(sworld: SupervisionWorld) -> None:
    record = _signed(sworld)
    with sworld.bench.sessions.begin() as session:
        view = read_record(session, actor="methodologist1", record_id=record)
    assert view.locked and view.signed_by == "supervisor1" and view.signed_at == NOW
    assert view.draft.formulation == {"worried": "Threats in chat", "working_well": "Grandmother",
                                      "safety_scale": 4}  # fmt: skip
    assert view.draft.dissent.startswith("specialist2")
    assert [t.description for t in view.tasks] == ["Meet the class teacher"]
    assert view.child_code == "C3" and view.form == "group"


def test_a_locked_record_refuses_every_change(sworld: SupervisionWorld) -> None:
    record = _signed(sworld)
    version = _version(sworld, record)
    attempts = [
        lambda s: save_record(s, actor="supervisor1", record_id=record, expected_version=version,
                              draft=RecordDraft(question="x", decision="changed")),
        lambda s: add_task(s, actor="supervisor1", record_id=record, expected_version=version,
                           description="more", responsible="specialist1", due_on=date(2026, 4, 1)),
        lambda s: submit_record(s, actor="specialist1", record_id=record, expected_version=version),
        lambda s: return_record(s, actor="supervisor1", record_id=record,
                                expected_version=version, comment="redo"),
        lambda s: sign_record(s, actor="supervisor1", record_id=record, expected_version=version,
                              now=NOW),
    ]  # fmt: skip
    for attempt in attempts:
        with sworld.bench.sessions.begin() as session, pytest.raises(LockedRecordError):
            attempt(session)
    # past the services too: the model refuses an UPDATE of a signed record's content
    with sworld.bench.sessions.begin() as session, pytest.raises(LockedRecordError):
        session.get_one(SupervisionCase, record).decision = "quietly changed"
        session.flush()
    with sworld.bench.sessions() as session:
        stored = session.get_one(SupervisionCase, record)
        assert stored.decision == DRAFT.decision and stored.version == version


def test_after_the_lock_only_addenda_who_when_why(sworld: SupervisionWorld) -> None:
    _held, unsigned = _planned(sworld)
    with sworld.bench.sessions.begin() as session, pytest.raises(ValidationError):
        add_addendum(
            session, actor="specialist1", record_id=unsigned, reason="r", text="t", now=NOW
        )
    record = _signed(sworld)
    with sworld.bench.sessions.begin() as session, pytest.raises(ValidationError):
        add_addendum(session, actor="specialist1", record_id=record, reason=" ", text="t", now=NOW)
    later = NOW + timedelta(days=2)
    with sworld.bench.sessions.begin() as session:
        add_addendum(session, actor="specialist1", record_id=record, reason="The mother called",
                     text="The father moved out on 19 March.", now=later)  # fmt: skip
    with sworld.bench.sessions.begin() as session:
        view = read_record(session, actor="supervisor1", record_id=record)
        assert session.scalar(select(SupervisionAddendum.supervision_session_id)) is not None
    assert [(a.added_by, a.added_at, a.reason) for a in view.addenda] == [
        ("specialist1", later, "The mother called")
    ]
    assert view.draft.decision == DRAFT.decision and view.locked


def test_two_people_editing_one_record_get_a_conflict_and_nothing_is_lost(
    sworld: SupervisionWorld,
) -> None:
    _held, record = _planned(sworld)
    with sworld.bench.sessions.begin() as session:
        save_record(session, actor="specialist1", record_id=record, expected_version=1, draft=DRAFT)
    with sworld.bench.sessions.begin() as session, pytest.raises(ConflictError):
        save_record(session, actor="supervisor1", record_id=record, expected_version=1,
                    draft=RecordDraft(question="Mine", decision="Mine"))  # fmt: skip
    # a true race: both read version 2, the first commits, the second's UPDATE finds no row
    first, second = sworld.bench.sessions(), sworld.bench.sessions()
    try:
        a, b = first.get_one(SupervisionCase, record), second.get_one(SupervisionCase, record)
        a.hypotheses = "first"
        first.commit()
        b.hypotheses = "second"
        with pytest.raises(ConflictError):
            second.commit()
    finally:
        first.close()
        second.close()
    with sworld.bench.sessions() as session:
        stored = session.get_one(SupervisionCase, record)
        assert stored.hypotheses == "first" and stored.decision == DRAFT.decision


def test_tasks_land_in_the_specialists_action_needed_list_and_progress_after_the_lock(
    sworld: SupervisionWorld,
) -> None:
    record = _signed(sworld)
    today = date(2026, 3, 26)  # the task was due on 25 March
    with sworld.bench.sessions() as session:
        mine = action_needed(session, actor="specialist1", today=today)
        theirs = action_needed(session, actor="supervisor1", today=today)
        overdue = overdue_tasks(session, actor="manager1", today=today)
    assert [(t.description, t.child_code, t.overdue) for t in mine] == [
        ("Meet the class teacher", "C3", True)
    ]
    assert theirs == [] and [t.task_id for t in overdue] == [mine[0].task_id]
    with sworld.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        update_task(session, actor="operator1", task_id=mine[0].task_id, expected_version=1,
                    status="done", now=NOW)  # fmt: skip
    with sworld.bench.sessions.begin() as session:
        update_task(session, actor="specialist1", task_id=mine[0].task_id, expected_version=1,
                    status="done", note="Met her on 24 March", now=NOW)  # fmt: skip
    with sworld.bench.sessions.begin() as session, pytest.raises(ConflictError):
        update_task(session, actor="supervisor1", task_id=mine[0].task_id, expected_version=1,
                    status="in_progress", now=NOW)  # fmt: skip
    with sworld.bench.sessions() as session:
        assert action_needed(session, actor="specialist1", today=today) == []
        assert (
            session.get_one(SupervisionTask, mine[0].task_id).progress_note == "Met her on 24 March"
        )
        assert session.get_one(SupervisionCase, record).status == "signed"


def test_a_task_needs_an_active_responsible_user(sworld: SupervisionWorld) -> None:
    _held, record = _planned(sworld)
    with sworld.bench.sessions.begin() as session, pytest.raises(ValidationError):
        add_task(session, actor="supervisor1", record_id=record, expected_version=1,
                 description="x", responsible="nobody", due_on=date(2026, 4, 1))  # fmt: skip


def test_formulation_scale_and_fields_are_checked(sworld: SupervisionWorld) -> None:
    _held, record = _planned(sworld)
    for formulation in ({"safety_scale": 11}, {"safety_scale": 2.5}, {"presenting": "x"}):
        draft = RecordDraft(question="q", template="signs_of_safety", formulation=formulation)
        with sworld.bench.sessions.begin() as session, pytest.raises(ValidationError):
            save_record(session, actor="specialist1", record_id=record, expected_version=1,
                        draft=draft)  # fmt: skip
    assert _version(sworld, record) == 1


def test_returned_with_comments_then_sent_again(sworld: SupervisionWorld) -> None:
    _held, record = _planned(sworld)
    with sworld.bench.sessions.begin() as session:
        save_record(session, actor="specialist1", record_id=record, expected_version=1, draft=DRAFT)
    with sworld.bench.sessions.begin() as session:
        submit_record(session, actor="specialist1", record_id=record, expected_version=2)
    with sworld.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        return_record(session, actor="specialist1", record_id=record, expected_version=3,
                      comment="x")  # fmt: skip
    with sworld.bench.sessions.begin() as session:
        return_record(session, actor="supervisor1", record_id=record, expected_version=3,
                      comment="Add the school's view")  # fmt: skip
    with sworld.bench.sessions.begin() as session:
        view = read_record(session, actor="specialist1", record_id=record)
    assert view.status == "returned" and view.review_comment == "Add the school's view"


def test_planning_roles_hours_and_counts(sworld: SupervisionWorld) -> None:
    held, _record = _planned(sworld)
    with sworld.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        plan_session(session, actor="specialist1", held_at=NOW, form="individual")
    with sworld.bench.sessions.begin() as session, pytest.raises(ConflictError):
        add_case(session, actor="supervisor1", session_id=held, child_id=sworld.quiet,
                 expected_version=7)  # fmt: skip
    with sworld.bench.sessions.begin() as session:
        add_case(session, actor="supervisor1", session_id=held, child_id=sworld.threatened,
                 expected_version=1)  # fmt: skip
    with sworld.bench.sessions.begin() as session, pytest.raises(ValidationError):
        add_case(session, actor="supervisor1", session_id=held, child_id=sworld.threatened,
                 expected_version=2)  # fmt: skip
    with sworld.bench.sessions() as session:
        listed = list_sessions(session, actor="manager1")
        counts = count_supervision(session, actor="analyst1", since=NOW - timedelta(days=1),
                                   until=NOW + timedelta(days=1))  # fmt: skip
        with pytest.raises(PermissionDeniedError):
            list_sessions(session, actor="analyst1")
    assert [codes for _id, codes, _s in listed[0].records] == ["C3", "C0"]
    assert counts.sessions == 1 and counts.records == 2 and counts.signed == 0
    assert counts.hours_received == {"Aizhan PPSS": 2.0, "specialist1": 2.0}


def test_a_signature_needs_a_decision(sworld: SupervisionWorld) -> None:
    _held, record = _planned(sworld)
    with sworld.bench.sessions.begin() as session, pytest.raises(ValidationError):
        sign_record(session, actor="supervisor1", record_id=record, expected_version=1, now=NOW)
    with sworld.bench.sessions() as session:
        assert session.scalar(select(SupervisionCase.status)) == "draft"
