"""Calendar overrides in the database: administrator only, versioned, and they win over the file."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import ConflictError, PermissionDeniedError
from pcenter_lib.models import AuditEvent
from pcenter_lib.services.calendar_admin import (
    list_calendar_overrides,
    load_calendar,
    save_calendar_override,
)
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
