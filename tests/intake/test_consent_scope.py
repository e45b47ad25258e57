"""Consent as Rule 15 reads: who may give it, what it covers, the waiver and its notice.

* every legal representative the Code on marriage and family recognises may consent — foster
  parents, patronage carers, the head of the organization where an orphan lives;
* advice not about a named child and help on an anonymous request need no child's consent;
* the direct-threat waiver covers the immediate help only: once the threat is closed, further
  services need consent; the services given under the waiver are listed;
* help without consent is matched with the notices to parents and competent bodies: both
  moments are recorded and the compliance view shows the gap in minutes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from pcenter_lib.domain.applicants import REPRESENTATIVE_LABELS
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import catalog
from pcenter_lib.models import Request
from pcenter_lib.services.compliance import ComplianceFigure, compliance_report
from pcenter_lib.services.consent_records import (
    ServiceRefusedError,
    check_service_allowed,
    record_help,
    services_under_waiver,
)
from pcenter_lib.services.direct_threat import close_direct_threat
from pcenter_lib.services.notifications import record_notification_sent
from tests.intake.world import NOW, IntakeWorld


def _help(world: IntakeWorld, request_id: int, at: datetime, recipient: str = "child") -> int:
    with world.bench.sessions.begin() as session:
        return record_help(
            session,
            actor="specialist1",
            request_id=request_id,
            note="Talk",
            recipient=recipient,
            now=at,
        )


@pytest.mark.parametrize(
    ("relation", "russian"),
    [
        ("foster_parent", "Приёмный родитель"),
        ("patronage_carer", "Патронатный воспитатель"),
        ("care_org_head", "Руководитель организации для детей-сирот"),
        ("adoptive_parent", "Усыновитель"),
    ],
)
def test_every_legal_representative_of_the_family_code_may_consent(
    world: IntakeWorld, relation: str, russian: str
) -> None:
    done = world.register()
    assert done.child_id is not None
    consent_id = world.consent(
        done.child_id, relation=relation, given_at=NOW - timedelta(minutes=5)
    )
    with world.bench.sessions() as session:
        clearance = check_service_allowed(session, actor="specialist1", request_id=done.id, at=NOW)
    assert (clearance.basis, clearance.consent_id) == ("consent", consent_id)
    assert catalog("ru")[REPRESENTATIVE_LABELS[relation]].startswith(russian)


def test_somebody_who_is_no_legal_representative_may_not_consent(world: IntakeWorld) -> None:
    done = world.register()
    assert done.child_id is not None
    with pytest.raises(IntakeValidationError) as caught:
        world.consent(done.child_id, relation="teacher")
    assert "патронат" in caught.value.localized("kk")


def test_advice_not_about_a_named_child_needs_no_consent(world: IntakeWorld) -> None:
    done = world.register(world.draft(source="teacher", child=None, applicant_relation="teacher"))
    with world.bench.sessions() as session:
        for recipient in ("teacher", "parent"):
            clearance = check_service_allowed(
                session, actor="specialist1", request_id=done.id, at=NOW, recipient=recipient
            )
            assert clearance.basis == "not_about_a_child"
        with pytest.raises(ServiceRefusedError) as caught:
            check_service_allowed(session, actor="specialist1", request_id=done.id, at=NOW)
    assert "provisional" in str(caught.value)  # link the child, a provisional record will do
    _help(world, done.id, NOW + timedelta(minutes=10), recipient="teacher")


def test_help_on_an_anonymous_request_without_a_child_needs_no_consent(world: IntakeWorld) -> None:
    done = world.register(
        world.draft(
            source="helpline_111",
            applicant_name=None,
            applicant_relation=None,
            applicant_anonymous=True,
            child=None,
        )
    )
    with world.bench.sessions() as session:
        clearance = check_service_allowed(session, actor="specialist1", request_id=done.id, at=NOW)
    assert clearance.basis == "anonymous"


def test_under_16_with_a_named_child_still_needs_consent_for_advice_to_the_parent(
    world: IntakeWorld,
) -> None:
    done = world.register()
    with world.bench.sessions() as session, pytest.raises(ServiceRefusedError):
        check_service_allowed(
            session, actor="specialist1", request_id=done.id, at=NOW, recipient="parent"
        )


def test_the_waiver_covers_immediate_help_only(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    first = _help(world, done.id, NOW + timedelta(minutes=10))
    second = _help(world, done.id, NOW + timedelta(minutes=50), recipient="parent")
    closed_at = NOW + timedelta(hours=3)
    with world.bench.sessions.begin() as session:
        # help recorded on the request is a part of it: each raised the request's version
        version = session.get_one(Request, done.id).version
        assert version == 3
        with pytest.raises(IntakeValidationError):
            close_direct_threat(
                session,
                actor="specialist1",
                request_id=done.id,
                expected_version=version,
                reason=" ",
                now=closed_at,
            )
        close_direct_threat(
            session,
            actor="specialist1",
            request_id=done.id,
            expected_version=version,
            reason="Child admitted to the regional children's hospital; safe.",
            now=closed_at,
        )
    with pytest.raises(ServiceRefusedError) as caught:  # after the threat: consent as usual
        _help(world, done.id, closed_at + timedelta(hours=1))
    assert "15" in caught.value.localized("ru")
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        close_direct_threat(
            session,
            actor="specialist1",
            request_id=done.id,
            expected_version=version + 1,
            reason="again",
            now=closed_at,
        )
    assert done.child_id is not None
    world.consent(done.child_id)
    _help(world, done.id, closed_at + timedelta(hours=2))
    with world.bench.sessions() as session:
        waived = services_under_waiver(session, actor="operator1", request_id=done.id)
        before_close = check_service_allowed(
            session, actor="specialist1", request_id=done.id, at=NOW + timedelta(hours=1)
        )
    assert [w.id for w in waived] == [first, second]
    assert [w.recipient for w in waived] == ["child", "parent"]
    assert before_close.basis == "direct_threat"


def _notice_figure(world: IntakeWorld, now: datetime) -> ComplianceFigure:
    with world.bench.sessions() as session:
        figures = compliance_report(
            session,
            actor="supervisor1",
            date_from=date(2026, 3, 1),
            date_to=date(2026, 3, 31),
            now=now,
        )
    return next(f for f in figures if f.key == "rule_15_notice")


def _send_all(world: IntakeWorld, notifications: tuple[object, ...], at: datetime) -> None:
    with world.bench.sessions.begin() as session:
        for n in notifications:
            record_notification_sent(
                session,
                actor="operator1",
                notification_id=n.id,  # type: ignore[attr-defined]
                channel="phone",
                recipient_detail="duty officer",
                sent_at=at,
                now=at,
            )


def test_help_without_consent_is_matched_with_the_simultaneous_notice(world: IntakeWorld) -> None:
    prompt = world.register(world.draft(direct_threat=True))
    slow = world.register(world.draft(direct_threat=True, confirm_duplicate=True))
    helped = NOW + timedelta(minutes=10)
    _help(world, prompt.id, helped)
    _help(world, slow.id, helped)
    _send_all(world, prompt.notifications, helped + timedelta(minutes=15))
    assert _notice_figure(world, helped + timedelta(minutes=30)).pending == 1  # slow may catch up
    _send_all(world, slow.notifications, helped + timedelta(minutes=95))
    figure = _notice_figure(world, helped + timedelta(hours=2))
    assert (figure.complying, figure.counted, figure.pending) == (1, 2, 0)
    by_number = {r.journal_number: r for r in figure.records}
    assert (
        by_number[prompt.journal_number].ok and by_number[prompt.journal_number].params["gap"] == 15
    )
    late = by_number[slow.journal_number]
    assert not late.ok and late.params["gap"] == 95
    assert late.params["help"] == "2026-03-18 10:10"
