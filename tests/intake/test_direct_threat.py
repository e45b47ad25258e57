"""The direct-threat path: mark, due the same day, notifications owed, sent and confirmed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import ConflictError, ValidationError
from pcenter_lib.models import AuditEvent, Request
from pcenter_lib.services.direct_threat import mark_direct_threat
from pcenter_lib.services.notifications import (
    list_notifications,
    record_notification_confirmed,
    record_notification_sent,
)
from tests.intake.world import NOW, IntakeWorld


def test_marking_a_threat_moves_the_due_time_to_today_and_owes_notifications_in_minutes(
    world: IntakeWorld,
) -> None:
    done = world.register()
    assert done.due_at.date().day == 20
    assessed = NOW + timedelta(minutes=20)
    with world.bench.sessions.begin() as session:
        view = mark_direct_threat(
            session,
            actor="specialist1",
            request_id=done.id,
            expected_version=1,
            assessed_at=assessed,
            note="Talked about ending his life",
            now=assessed,
        )
    assert view.due_at == datetime(2026, 3, 18, 23, 59, 59, tzinfo=KZ_TZ)
    assert view.assessed_by == "specialist1" and view.assessed_at == assessed
    assert [n.recipient for n in view.notifications] == [
        "health",
        "police",
        "local_executive_body",
        "child_rights_body",
        "legal_representative",
    ]
    assert {n.due_at for n in view.notifications} == {assessed + timedelta(minutes=60)}
    with world.bench.sessions() as session:
        request = session.get(Request, done.id)
        assert request is not None and request.direct_threat
        change = request.amendments[-1]
        assert change.amended_by == "specialist1"
        assert change.changes["direct_threat"] == {"from": False, "to": True}
        assert change.reason == "Talked about ending his life"


def test_a_threat_found_days_later_is_due_the_day_it_was_assessed(world: IntakeWorld) -> None:
    monday = datetime(2026, 3, 16, 9, 0, tzinfo=KZ_TZ)
    done = world.register(world.draft(received_at=monday), now=monday)
    tuesday = monday + timedelta(days=1, hours=2)
    with world.bench.sessions.begin() as session:
        view = mark_direct_threat(
            session, actor="specialist1", request_id=done.id, expected_version=1, now=tuesday
        )
    assert view.due_at == datetime(2026, 3, 17, 23, 59, 59, tzinfo=KZ_TZ)


def test_marking_twice_or_from_a_stale_version_is_refused(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        mark_direct_threat(
            session, actor="specialist1", request_id=done.id, expected_version=1, now=NOW
        )
    with world.bench.sessions.begin() as session, pytest.raises(ConflictError):
        mark_direct_threat(
            session, actor="specialist1", request_id=done.id, expected_version=7, now=NOW
        )


def test_sending_and_confirming_a_notification(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    police = next(n for n in done.notifications if n.recipient == "police")
    sent_at = NOW + timedelta(minutes=30)
    with world.bench.sessions.begin() as session:
        sent = record_notification_sent(
            session,
            actor="operator1",
            notification_id=police.id,
            channel="phone",
            recipient_detail="Duty officer, district police department",
            sent_at=sent_at,
            now=sent_at,
        )
    assert sent.state == "sent" and sent.sent_by == "operator1" and sent.sent_at == sent_at
    with world.bench.sessions.begin() as session:
        confirmed = record_notification_confirmed(
            session,
            actor="operator1",
            notification_id=police.id,
            confirmation_ref="KUSP No. 1234",
            now=sent_at + timedelta(hours=1),
        )
    assert confirmed.state == "confirmed" and confirmed.confirmation_ref == "KUSP No. 1234"
    with world.bench.sessions() as session:
        pending = list_notifications(session, actor="operator1").rows
        assert {n.recipient for n in pending} == {
            "health",
            "local_executive_body",
            "child_rights_body",
            "legal_representative",
        }
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "notification")
        )
        assert list(actions) == ["send_notification", "confirm_notification"]


def test_notification_mistakes_are_refused(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    health = done.notifications[0]
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        record_notification_confirmed(
            session, actor="operator1", notification_id=health.id, confirmation_ref="x", now=NOW
        )
    with world.bench.sessions.begin() as session, pytest.raises(IntakeValidationError):
        record_notification_sent(
            session,
            actor="operator1",
            notification_id=health.id,
            channel="smoke",
            recipient_detail="x",
            now=NOW,
        )
    with world.bench.sessions.begin() as session, pytest.raises(IntakeValidationError):
        record_notification_sent(
            session,
            actor="operator1",
            notification_id=health.id,
            channel="phone",
            recipient_detail="Polyclinic",
            sent_at=NOW + timedelta(hours=1),
            now=NOW,
        )
    with world.bench.sessions.begin() as session, pytest.raises(IntakeValidationError):
        record_notification_sent(
            session,
            actor="operator1",
            notification_id=health.id,
            channel="phone",
            recipient_detail="Polyclinic",
            sent_at=NOW - timedelta(days=1),
            now=NOW,
        )
