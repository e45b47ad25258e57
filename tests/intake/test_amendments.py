"""Correcting journal entries: history kept, optimistic locking, neither of two edits lost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import ConflictError, PermissionDeniedError, ValidationError
from pcenter_lib.models import AuditEvent, Request, RequestAmendment
from pcenter_lib.services.amendments import (
    StaleRequestError,
    amend_request,
    record_consideration,
)
from pcenter_lib.services.request_records import RequestDetail, get_request
from tests.intake.world import NOW, IntakeWorld


def _amend(
    world: IntakeWorld, request_id: int, version: int, actor: str = "operator1", **changes: Any
) -> RequestDetail:
    with world.bench.sessions.begin() as session:
        return amend_request(
            session,
            actor=actor,
            cipher=world.bench.cipher,
            request_id=request_id,
            expected_version=version,
            changes=changes,
            reason="typo in the call notes",
            now=NOW,
        )


def test_amendment_keeps_who_when_why_before_and_after(world: IntakeWorld) -> None:
    done = world.register()
    detail = _amend(world, done.id, 1, channel="messenger", concerns=("bullying", "cyberbullying"))
    assert detail.version == 2
    assert detail.values["channel"] == "messenger"
    assert detail.values["concerns"] == ("bullying", "cyberbullying")
    (change,) = detail.amendments
    assert change.amended_by == "operator1" and change.reason == "typo in the call notes"
    assert change.changes["channel"] == {"from": "phone", "to": "messenger"}
    assert change.changes["concerns"] == {"from": ["bullying"], "to": ["bullying", "cyberbullying"]}
    with world.bench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Request)) == 1


def test_changing_received_time_recomputes_the_due_time(world: IntakeWorld) -> None:
    done = world.register()
    received = datetime(2026, 3, 17, 16, 0, tzinfo=KZ_TZ)  # Tuesday
    detail = _amend(world, done.id, 1, received_at=received)
    assert detail.due_at == datetime(2026, 3, 19, 23, 59, 59, tzinfo=KZ_TZ)
    assert "due_at" in detail.amendments[0].changes


def test_applicant_name_history_is_encrypted_and_masked_for_others(world: IntakeWorld) -> None:
    done = world.register()
    _amend(world, done.id, 1, applicant_name="Aliya N. Serikova")
    with world.bench.sessions() as session:
        row = session.scalars(select(RequestAmendment)).one()
        assert "Serikova" not in str(row.changes)
    with world.bench.sessions.begin() as session:
        seen = get_request(
            session,
            actor="operator1",
            cipher=world.bench.cipher,
            request_id=done.id,
            with_identity=True,
        )
        assert seen.amendments[0].changes["applicant_name"]["to"] == "Aliya N. Serikova"
        assert seen.child_name == "Nurlan Serikov"
        events = session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "request"))
        assert "view_identity" in list(events)


def test_two_people_amending_at_once_get_a_conflict_and_neither_edit_is_lost(
    world: IntakeWorld,
) -> None:
    done = world.register()
    _amend(world, done.id, 1, actor="operator1", description="First person's wording.")
    with pytest.raises(StaleRequestError) as caught:
        _amend(world, done.id, 1, actor="operator2", description="Second person's wording.")
    conflict = caught.value
    assert isinstance(conflict, ConflictError)
    assert conflict.current["description"] == "First person's wording."
    assert conflict.attempted == {"description": "Second person's wording."}
    assert "operator1" in conflict.localized("kk") and "2026/000001" in conflict.localized("ru")
    assert conflict.localized("ru") != str(conflict)
    with world.bench.sessions() as session:
        request = session.get(Request, done.id)
        assert request is not None and request.description == "First person's wording."
        assert request.version == 2
    # The second person saves again on top of the current version: both edits are in history.
    detail = _amend(world, done.id, 2, actor="operator2", description="Second person's wording.")
    assert [a.amended_by for a in detail.amendments] == ["operator1", "operator2"]


def test_a_save_racing_past_the_version_check_is_still_a_conflict(world: IntakeWorld) -> None:
    done = world.register()
    cipher = world.bench.cipher
    with world.bench.sessions() as slow:
        slow.begin()
        slow.get(Request, done.id)  # the slow editor has read version 1
        _amend(world, done.id, 1, actor="operator1", status="in_work")
        with pytest.raises(StaleRequestError) as caught:
            amend_request(
                slow,
                actor="operator2",
                cipher=cipher,
                request_id=done.id,
                expected_version=1,
                changes={"outcome": "Referred to the school psychologist."},
                reason="outcome",
                now=NOW,
            )
        slow.rollback()
    assert caught.value.current["status"] == "in_work"
    assert caught.value.attempted == {"outcome": "Referred to the school psychologist."}
    with world.bench.sessions() as session:
        request = session.get(Request, done.id)
        assert request is not None and request.status == "in_work" and request.outcome is None


def test_nothing_changed_and_bad_values_are_refused(world: IntakeWorld) -> None:
    done = world.register()
    with pytest.raises(ValidationError):
        _amend(world, done.id, 1, channel="phone")
    with pytest.raises(IntakeValidationError):
        _amend(world, done.id, 1, channel="pigeon")
    with pytest.raises(ValidationError):
        _amend(world, done.id, 1, journal_seq=5)
    with pytest.raises(IntakeValidationError):
        _amend(world, done.id, 1, description="x" * 4001)
    with pytest.raises(PermissionDeniedError):
        _amend(world, done.id, 1, actor="methodologist1", channel="email")


def test_consideration_on_time_is_recorded_as_an_amendment(world: IntakeWorld) -> None:
    done = world.register()
    with world.bench.sessions.begin() as session:
        at = record_consideration(
            session,
            actor="specialist1",
            request_id=done.id,
            expected_version=1,
            outcome="Consultation arranged",
            now=NOW,
        )
    with world.bench.sessions() as session:
        request = session.get(Request, done.id)
        assert request is not None
        assert request.considered_at == at and request.status == "in_work"
        assert request.amendments[-1].changes["status"] == {"from": "open", "to": "in_work"}
