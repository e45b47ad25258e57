"""Series of intervision sessions for a fixed group, and attendance hours (Order No. 264, Rule 11.3).

A series gathers the same specialists for several sessions and ends with a final evaluation.
The attendance report sums, per person, the minutes credited by held sessions in a period: the
professional-development hours intervision gives (Rule 11.3 counts intervision among the
measures raising the qualification of the Center's and schools' PPSS specialists).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import IntervisionStatus
from pcenter_lib.errors import NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    IntervisionParticipant,
    IntervisionSeries,
    IntervisionSeriesMember,
    IntervisionSession,
    utcnow,
)
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.intervision_views import (
    HoursRow,
    ParticipantDraft,
    check_version,
    fitted,
)
from pcenter_lib.services.users import load_actor

MISSING_SERIES = N_("There is no intervision series with id {id}.")


@dataclass(frozen=True)
class SeriesView:
    id: int
    title: str
    facilitator: str
    planned_sessions: int
    members: tuple[ParticipantDraft, ...]
    sessions_held: int
    sessions_planned: int
    final_evaluation: str
    evaluated_at: datetime | None
    evaluated_by: str | None
    version: int


def _view(session: Session, row: IntervisionSeries) -> SeriesView:
    statuses = list(
        session.scalars(
            select(IntervisionSession.status).where(IntervisionSession.series_id == row.id)
        )
    )
    return SeriesView(
        id=row.id,
        title=row.title,
        facilitator=row.facilitator,
        planned_sessions=row.planned_sessions,
        members=tuple(
            ParticipantDraft(m.full_name, m.origin, m.staff_member_id, m.education_organization_id)
            for m in row.members
        ),
        sessions_held=sum(s is IntervisionStatus.HELD for s in statuses),
        sessions_planned=sum(
            s in (IntervisionStatus.PLANNED, IntervisionStatus.RUNNING) for s in statuses
        ),
        final_evaluation=row.final_evaluation,
        evaluated_at=row.evaluated_at,
        evaluated_by=row.evaluated_by,
        version=row.version,
    )


def create_series(
    session: Session,
    *,
    actor: str,
    title: str,
    facilitator: str,
    planned_sessions: int,
    members: list[ParticipantDraft],
) -> SeriesView:
    """A new series for a fixed group; its sessions are planned with the group as participants."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    clean = fitted(N_("Title"), " ".join(title.split()), IntervisionSeries, "title")
    if not clean:
        raise ValidationError(N_("Give the series a title."))
    if not facilitator.strip():
        raise ValidationError(N_("Choose the facilitator of the session."))
    if not 2 <= planned_sessions <= 20:
        raise ValidationError(N_("A series has from 2 to 20 sessions."))
    names = [" ".join(m.full_name.split()) for m in members]
    if not all(names) or len({n.casefold() for n in names}) != len(names):
        raise ValidationError(N_("A participant is listed twice."))
    row = IntervisionSeries(
        title=clean,
        facilitator=facilitator.strip()[:80],
        planned_sessions=planned_sessions,
        created_by=actor,
        members=[
            IntervisionSeriesMember(
                full_name=name,
                origin=m.origin,
                staff_member_id=m.staff_member_id,
                education_organization_id=m.school_id,
            )
            for name, m in zip(names, members, strict=True)
        ],
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="create_intervision_series",
        entity="intervision_series",
        entity_id=row.id,
        details={"members": len(members), "planned_sessions": planned_sessions},
    )
    return _view(session, row)


def list_series(session: Session, *, actor: str) -> list[SeriesView]:
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    rows = session.scalars(select(IntervisionSeries).order_by(IntervisionSeries.id.desc()))
    return [_view(session, row) for row in rows]


def evaluate_series(
    session: Session, *, actor: str, series_id: int, evaluation: str, expected_version: int
) -> SeriesView:
    """Write the series' final evaluation; refused while a session of it is still to be held."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    row = session.get(IntervisionSeries, series_id)
    if row is None:
        raise NotFoundError(MISSING_SERIES, id=series_id)
    check_version(row, "intervision_series", expected_version)
    text = fitted(N_("Final evaluation"), evaluation, IntervisionSeries, "final_evaluation")
    if not text:
        raise ValidationError(N_("Write the final evaluation."))
    view = _view(session, row)
    if view.sessions_planned:
        raise ValidationError(
            N_("{count} sessions of the series are still to be held; evaluate it after them."),
            count=view.sessions_planned,
        )
    row.final_evaluation, row.evaluated_at, row.evaluated_by = text, utcnow(), actor
    session.flush()
    record_event(
        session,
        actor=actor,
        action="evaluate_intervision_series",
        entity="intervision_series",
        entity_id=row.id,
        details={"sessions_held": view.sessions_held},
    )
    return _view(session, row)


def attendance_hours(
    session: Session, *, actor: str, start: datetime, end: datetime
) -> list[HoursRow]:
    """Per person, held sessions attended and minutes credited with ``start <= held_at < end``."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    rows = session.execute(
        select(IntervisionParticipant)
        .join(IntervisionSession)
        .where(
            IntervisionSession.status == IntervisionStatus.HELD,
            IntervisionSession.held_at >= start,
            IntervisionSession.held_at < end,
            IntervisionParticipant.attended.is_(True),
        )
    ).scalars()
    totals: dict[tuple[str, str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for p in rows:
        key = (" ".join(p.full_name.split()), p.origin.value, p.education_organization_id)
        totals[key][0] += 1
        totals[key][1] += p.credited_minutes
    return sorted(
        (
            HoursRow(name, origin, school, n, minutes)
            for (name, origin, school), (n, minutes) in totals.items()
        ),
        key=lambda r: (-r.minutes, r.full_name),
    )
