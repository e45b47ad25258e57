"""Notifications "immediately" (Rules 18, 22): minutes, every body owed, management alerted.

The owed list shows the oldest first and can be cut to the current period while saying how many
older ones are still owed; the specialist adds "other authorized bodies"; the compliance view
gives per body the median, 90th percentile and worst minutes; the management (manager role)
gets an alert while anything is unsent, and sending the last notice clears it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.services.alerts import threat_alerts
from pcenter_lib.services.compliance import minutes_report
from pcenter_lib.services.journal import JournalFilter, query_journal
from pcenter_lib.services.notifications import (
    NotificationView,
    add_notification_body,
    list_notifications,
    record_notification_sent,
)
from tests.intake.world import NOW, IntakeWorld


def _send(world: IntakeWorld, notice: NotificationView, at: datetime) -> None:
    with world.bench.sessions.begin() as session:
        record_notification_sent(
            session,
            actor="operator1",
            notification_id=notice.id,
            channel="phone",
            recipient_detail="duty officer",
            sent_at=at,
            now=at,
        )


def test_owed_list_is_oldest_first_and_can_be_cut_to_the_period(world: IntakeWorld) -> None:
    old = world.register(
        world.draft(direct_threat=True, received_at=datetime(2026, 2, 10, 9, 0, tzinfo=NOW.tzinfo)),
        now=datetime(2026, 2, 10, 9, 5, tzinfo=NOW.tzinfo),
    )
    new = world.register(world.draft(direct_threat=True, child=None))
    with world.bench.sessions() as session:
        everything = list_notifications(session, actor="operator1")
        march = list_notifications(session, actor="operator1", since=date(2026, 3, 1))
    assert [n.request_id for n in everything.rows[:5]] == [old.id] * 5
    assert everything.rows[0].due_at < everything.rows[-1].due_at and everything.older == 0
    assert {n.request_id for n in march.rows} == {new.id}
    assert march.older == len(old.notifications) == 5


def test_the_specialist_adds_other_authorized_bodies(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    later = NOW + timedelta(minutes=20)
    with world.bench.sessions.begin() as session:
        added = add_notification_body(
            session,
            actor="specialist1",
            request_id=done.id,
            body_name="Juvenile affairs commission of the akimat",
            minutes=30,
            now=later,
        )
    assert (added.recipient, added.rule, added.body_name) == (
        "other_authorized_body",
        "Rule 18",
        "Juvenile affairs commission of the akimat",
    )
    assert added.due_at == later + timedelta(minutes=30) and added.owed_at == later
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        add_notification_body(
            session,
            actor="specialist1",
            request_id=done.id,
            body_name="juvenile affairs commission of the AKIMAT",
            now=later,
        )
    with world.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        add_notification_body(
            session, actor="operator1", request_id=done.id, body_name="X", now=later
        )
    ordinary = world.register(world.draft(child=None, channel="email"))
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        add_notification_body(
            session, actor="specialist1", request_id=ordinary.id, body_name="X", now=later
        )


def test_minutes_per_body_median_90th_percentile_and_worst(world: IntakeWorld) -> None:
    delays = [10, 20, 30, 40, 50, 60, 70, 80, 90, 200]
    for index, minutes in enumerate(delays):
        done = world.register(
            world.draft(direct_threat=True, child=None, description=f"case {index}"),
        )
        police = next(n for n in done.notifications if n.recipient == "police")
        _send(world, police, NOW + timedelta(minutes=minutes))
    with world.bench.sessions() as session:
        report = {
            row.recipient: row
            for row in minutes_report(
                session, actor="supervisor1", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)
            )
        }
    police_minutes = report["police"]
    assert (police_minutes.sent, police_minutes.unsent, police_minutes.late) == (10, 0, 4)
    assert (police_minutes.median, police_minutes.p90, police_minutes.worst) == (50, 90, 200)
    assert report["health"].sent == 0 and report["health"].unsent == 10


def test_management_is_alerted_at_once_and_the_alert_clears_when_all_are_sent(
    world: IntakeWorld,
) -> None:
    done = world.register(world.draft(direct_threat=True))
    world.register(world.draft(child=None, channel="email"))  # no threat: no alert
    with world.bench.sessions() as session:
        (alert,) = threat_alerts(session, actor="manager1", now=NOW + timedelta(minutes=1))
        page = query_journal(
            session,
            actor="manager1",
            cipher=world.bench.cipher,
            flt=JournalFilter(search="Serikov"),
            now=NOW,
        )
    assert alert.active and (alert.owed, alert.unsent) == (5, 5)
    assert alert.journal_number == done.journal_number
    assert alert.next_due_at == NOW + timedelta(minutes=60)
    assert not alert.overdue(NOW + timedelta(minutes=59)) and alert.overdue(
        NOW + timedelta(hours=2)
    )
    assert page.total == 0  # the manager follows the case without children's names
    for notice in done.notifications:
        _send(world, notice, NOW + timedelta(minutes=30))
    with world.bench.sessions() as session:
        (after,) = threat_alerts(session, actor="manager1", now=NOW + timedelta(minutes=31))
    assert not after.active and after.unsent == 0
    with world.bench.sessions() as session, pytest.raises(PermissionDeniedError):
        threat_alerts(session, actor="methodologist1", now=NOW)
