"""The working-day calendar in force and its overrides kept in the database (Rule 16).

Deadlines are counted on ``KazakhstanCalendar`` built from the repository's overrides file
(``data/calendar/overrides.yaml``) plus the ``CalendarOverride`` table, which an administrator
edits in the app when the Government decrees a day transfer. Where both name the same day, the
table wins: it is the later, local decision. Every change is versioned (optimistic locking) and
audited with the values before and after, and the open requests whose deadlines it moves are
recomputed at once (``deadline_recompute``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.calendar import KazakhstanCalendar, load_overrides
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import ConflictError, NotFoundError
from pcenter_lib.i18n import N_
from pcenter_lib.models import CalendarOverride
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.deadline_recompute import MovedDeadline, recompute_open_deadlines
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor


@dataclass(frozen=True, slots=True)
class OverrideView:
    """One override of the calendar as the administrator sees it."""

    id: int
    day_on: date
    working: bool
    reason: str
    source: str | None
    changed_at: datetime
    changed_by: str
    version: int
    moved: tuple[MovedDeadline, ...] = ()  # deadlines of open requests recomputed by the change


def _view(row: CalendarOverride) -> OverrideView:
    return OverrideView(
        row.id,
        row.day_on,
        row.working,
        row.reason,
        row.source,
        row.changed_at,
        row.changed_by,
        row.version,
    )


def merged_overrides(session: Session) -> dict[date, bool]:
    """The overrides file's entries with the table's on top (the table wins)."""
    merged = dict(load_overrides())
    for day_on, working in session.execute(
        select(CalendarOverride.day_on, CalendarOverride.working)
    ):
        merged[day_on] = bool(working)
    return merged


def load_calendar(session: Session) -> KazakhstanCalendar:
    """The calendar in force: package holidays, the overrides file, then the table."""
    return KazakhstanCalendar(merged_overrides(session).items())


def list_calendar_overrides(session: Session, *, actor: str) -> list[OverrideView]:
    """Every override in the table, newest day first (administrator only)."""
    require(load_actor(session, actor), UseCase.EDIT_CALENDAR)
    rows = session.scalars(select(CalendarOverride).order_by(CalendarOverride.day_on.desc()))
    return [_view(row) for row in rows]


def save_calendar_override(
    session: Session,
    *,
    actor: str,
    day_on: date,
    working: bool,
    reason: str,
    source: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> OverrideView:
    """Add an override for ``day_on`` or change the existing one (administrator only).

    Changing needs the ``expected_version`` the administrator saw; if somebody changed the
    override since, ``ConflictError`` is raised and nothing is written.
    """
    who = require(load_actor(session, actor), UseCase.EDIT_CALENDAR)
    clean_reason = check_text("reason", reason, required=True)
    assert clean_reason is not None
    clean_source = check_text("legal_source", source)
    if not isinstance(working, bool):
        raise IntakeValidationError("working", N_("Say whether the day is a working day."))
    row = session.scalar(select(CalendarOverride).where(CalendarOverride.day_on == day_on))
    before = None if row is None else {"working": row.working, "reason": row.reason}
    if row is None:
        if expected_version is not None:
            raise NotFoundError(
                N_("There is no calendar override for {day}."), day=day_on.isoformat()
            )
        row = CalendarOverride(
            day_on=day_on,
            working=working,
            reason=clean_reason,
            source=clean_source,
            changed_by=who.username,
            changed_at=utcnow(),
        )
        session.add(row)
    else:
        if expected_version is None or row.version != expected_version:
            raise ConflictError(
                N_(
                    "The calendar override for {day} was changed by {who} while you were editing "
                    "it; reload it and make your change again."
                ),
                day=day_on.isoformat(),
                who=row.changed_by,
            )
        row.working = working
        row.reason = clean_reason
        row.source = clean_source
        row.changed_by = who.username
        row.changed_at = utcnow()
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="create" if before is None else "update",
        entity="calendar_override",
        entity_id=row.id,
        details={
            "day": day_on.isoformat(),
            "before": before,
            "after": {"working": working, "reason": clean_reason},
            "version": row.version,
        },
    )
    moved = recompute_open_deadlines(
        session,
        actor=who.username,
        calendar=load_calendar(session),
        calendar_day=day_on,
        now=now or utcnow(),
    )
    return replace(_view(row), moved=tuple(moved))
