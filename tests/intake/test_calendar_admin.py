"""Calendar overrides in the database: administrator only, versioned, and they win over the file."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import ConflictError, PermissionDeniedError
from pcenter_lib.i18n import catalog
from pcenter_lib.models import AuditEvent, Request
from pcenter_lib.services.amendments import record_consideration
from pcenter_lib.services.calendar_admin import (
    list_calendar_overrides,
    load_calendar,
    save_calendar_override,
)
from pcenter_lib.services.deadline_recompute import CALENDAR_CHANGED_REASON
from pcenter_lib.services.request_records import get_request
from tests.intake.world import NOW, IntakeWorld


def test_a_decreed_day_off_moves_the_deadline(world: IntakeWorld) -> None:
    with world.bench.sessions.begin() as session:
        view = save_calendar_override(
            session,
            actor="admin1",
            day_on=date(2026, 3, 19),
            working=False,
            reason="Test transfer",
            source="Decree No. 0",
        )
    assert view.version == 1
    done = world.register()
    # Thursday 19 March is now a day off: Friday 20 and Thursday 26 (after Nauryz) count.
    assert done.due_at == datetime(2026, 3, 26, 23, 59, 59, tzinfo=KZ_TZ)


def test_the_table_wins_over_the_overrides_file(world: IntakeWorld) -> None:
    with world.bench.sessions() as session:
        assert not load_calendar(session).is_working_day(date(2025, 1, 3))  # the file says day off
    with world.bench.sessions.begin() as session:
        save_calendar_override(
            session, actor="admin1", day_on=date(2025, 1, 3), working=True, reason="corrected"
        )
    with world.bench.sessions() as session:
        assert load_calendar(session).is_working_day(date(2025, 1, 3))


def test_changes_are_versioned_audited_and_for_administrators_only(world: IntakeWorld) -> None:
    with world.bench.sessions.begin() as session:
        first = save_calendar_override(
            session,
            actor="admin1",
            day_on=date(2026, 3, 28),
            working=True,
            reason="Working Saturday",
        )
    with world.bench.sessions.begin() as session:
        second = save_calendar_override(
            session,
            actor="admin1",
            day_on=date(2026, 3, 28),
            working=False,
            reason="Cancelled",
            expected_version=first.version,
        )
    assert second.version == 2
    with world.bench.sessions.begin() as session, pytest.raises(ConflictError):
        save_calendar_override(
            session,
            actor="admin1",
            day_on=date(2026, 3, 28),
            working=True,
            reason="stale",
            expected_version=1,
        )
    with world.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        save_calendar_override(
            session, actor="operator1", day_on=date(2026, 3, 29), working=True, reason="x"
        )
    with world.bench.sessions() as session:
        (listed,) = list_calendar_overrides(session, actor="admin1")
        assert (listed.working, listed.reason, listed.changed_by) == (False, "Cancelled", "admin1")
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "calendar_override")
        ).all()
        assert [e.action for e in events] == ["create", "update"]
        assert events[1].details["before"] == {"working": True, "reason": "Working Saturday"}
    assert NOW.year == 2026


def _due(world: IntakeWorld, request_id: int) -> datetime:
    with world.bench.sessions() as session:
        request = session.get(Request, request_id)
        assert request is not None
        return request.due_at


def test_a_transfer_entered_after_registration_recomputes_open_requests(
    world: IntakeWorld,
) -> None:
    """Deadlines stay true: Thursday 19 March becomes a day off after three requests were
    registered on Wednesday 18 March — the open ones move, the history says why, the closed one
    keeps its term."""
    open_one = world.register()
    another = world.register(world.draft(child=None))
    closed = world.register(world.draft(child=None, channel="email"))
    threat = world.register(world.draft(child=None, direct_threat=True, channel="messenger"))
    assert open_one.due_at == datetime(2026, 3, 20, 23, 59, 59, tzinfo=KZ_TZ)
    with world.bench.sessions.begin() as session:
        record_consideration(
            session,
            actor="specialist1",
            request_id=closed.id,
            expected_version=1,
            outcome="Advice given",
            close=True,
            now=NOW + timedelta(hours=1),
        )
    with world.bench.sessions.begin() as session:
        view = save_calendar_override(
            session,
            actor="admin1",
            day_on=date(2026, 3, 19),
            working=False,
            reason="Decree on transfer of days off",
            source="Government decree",
            now=NOW + timedelta(hours=2),
        )
    moved_to = datetime(2026, 3, 26, 23, 59, 59, tzinfo=KZ_TZ)  # Friday 20 and, after Nauryz, 26
    assert sorted(m.journal_number for m in view.moved) == sorted(
        [open_one.journal_number, another.journal_number]
    )
    assert _due(world, open_one.id) == moved_to and _due(world, another.id) == moved_to
    assert _due(world, closed.id) == datetime(2026, 3, 20, 23, 59, 59, tzinfo=KZ_TZ)
    assert _due(world, threat.id) == threat.due_at  # same day: no working days to count
    with world.bench.sessions() as session:
        detail = get_request(
            session, actor="supervisor1", cipher=world.bench.cipher, request_id=open_one.id
        )
    change = detail.amendments[-1]
    assert change.reason == CALENDAR_CHANGED_REASON and change.amended_by == "admin1"
    assert change.changes["due_at"]["to"].startswith("2026-03-26T23:59:59")
    assert change.changes["calendar_day"]["to"] == "2026-03-19"
    assert catalog("kk")[CALENDAR_CHANGED_REASON]
    with world.bench.sessions.begin() as session:  # the day back as a working day: back again
        again = save_calendar_override(
            session,
            actor="admin1",
            day_on=date(2026, 3, 19),
            working=True,
            reason="Decree withdrawn",
            expected_version=view.version,
            now=NOW + timedelta(hours=3),
        )
    assert len(again.moved) == 2
    assert _due(world, open_one.id) == datetime(2026, 3, 20, 23, 59, 59, tzinfo=KZ_TZ)
