"""Consent (Rule 15): recorded, withdrawn, and the gate in front of every service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.models import AuditEvent, Consultation
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.consent_records import (
    ServiceRefusedError,
    check_service_allowed,
    list_consents,
    record_consent,
    record_help,
    withdraw_consent,
)
from tests.intake.world import GIRL_17, NOW, IntakeWorld, iin_for


def _consent(world: IntakeWorld, child_id: int, **overrides: object) -> int:
    values: dict[str, object] = {
        "kind": "written",
        "given_by": "Aliya Nurlanovna",
        "relation": "mother",
        "scope": "Consultations and diagnostics",
        "given_at": NOW,
        "document_ref": "No. 15/3",
    }
    values.update(overrides)
    with world.bench.sessions.begin() as session:
        view = record_consent(
            session,
            actor="operator1",
            cipher=world.bench.cipher,
            child_id=child_id,
            now=NOW,
            **values,  # type: ignore[arg-type]
        )
    return view.id


def test_service_for_child_under_16_without_consent_is_refused_with_the_reason(
    world: IntakeWorld,
) -> None:
    done = world.register()
    with world.bench.sessions() as session, pytest.raises(ServiceRefusedError) as caught:
        check_service_allowed(session, actor="specialist1", request_id=done.id, at=NOW)
    assert "14" in caught.value.localized("kk") and "Rule 15" in str(caught.value)
    assert caught.value.localized("ru") != str(caught.value)
    with world.bench.sessions.begin() as session, pytest.raises(ServiceRefusedError):
        record_help(session, actor="specialist1", request_id=done.id, note="talk", now=NOW)
    with world.bench.sessions() as session:
        assert session.scalars(select(Consultation)).all() == []


def test_consent_opens_the_gate_and_withdrawal_closes_it(world: IntakeWorld) -> None:
    done = world.register()
    assert done.child_id is not None
    consent_id = _consent(world, done.child_id)
    later = NOW + timedelta(hours=1)
    with world.bench.sessions.begin() as session:
        clearance = check_service_allowed(
            session, actor="specialist1", request_id=done.id, at=later
        )
        assert (clearance.basis, clearance.consent_id) == ("consent", consent_id)
        record_help(session, actor="specialist1", request_id=done.id, note="first talk", now=later)
    with world.bench.sessions.begin() as session:
        withdrawn = withdraw_consent(
            session,
            actor="operator1",
            cipher=world.bench.cipher,
            consent_id=consent_id,
            reason="Mother changed her mind",
            now=later + timedelta(hours=1),
        )
        assert not withdrawn.in_force
    with world.bench.sessions() as session, pytest.raises(ServiceRefusedError):
        check_service_allowed(
            session, actor="specialist1", request_id=done.id, at=later + timedelta(hours=2)
        )
    with world.bench.sessions.begin() as session:
        (listed,) = list_consents(
            session, actor="operator1", cipher=world.bench.cipher, child_id=done.child_id
        )
        assert (
            listed.given_by == "Aliya Nurlanovna"
            and listed.withdrawn_reason == "Mother changed her mind"
        )
        viewed = session.scalars(select(AuditEvent).where(AuditEvent.entity == "consent")).all()
        assert [e.action for e in viewed] == ["record_consent", "withdraw_consent", "view_identity"]


def test_direct_threat_allows_immediate_help_without_consent(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    with world.bench.sessions.begin() as session:
        record_help(session, actor="specialist1", request_id=done.id, note="Crisis talk", now=NOW)
    with world.bench.sessions() as session:
        (help_given,) = session.scalars(select(Consultation)).all()
        assert help_given.topic == "immediate_help" and help_given.child_id == done.child_id


def test_child_of_16_or_over_needs_no_consent(world: IntakeWorld) -> None:
    done = world.register(world.draft(child=ChildDraft(iin=iin_for(GIRL_17, "female", 4))))
    with world.bench.sessions() as session:
        assert (
            check_service_allowed(session, actor="specialist1", request_id=done.id, at=NOW).basis
            == "age"
        )


def test_request_without_child_cannot_be_cleared(world: IntakeWorld) -> None:
    done = world.register(world.draft(child=None))
    with world.bench.sessions() as session, pytest.raises(ServiceRefusedError):
        check_service_allowed(session, actor="specialist1", request_id=done.id, at=NOW)


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "oral"},
        {"relation": "neighbour"},
        {"given_by": " "},
        {"scope": ""},
        {"given_at": NOW + timedelta(hours=1)},
    ],
)
def test_bad_consent_is_refused(world: IntakeWorld, bad: dict[str, object]) -> None:
    done = world.register()
    assert done.child_id is not None
    with pytest.raises(IntakeValidationError):
        _consent(world, done.child_id, **bad)
