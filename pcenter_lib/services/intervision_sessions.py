"""Intervision sessions (Order No. 264, Rule 11.3): plan, run phase by phase, take attendance.

Rule 11.3 counts intervision among the measures that raise the qualification of the Center's
and schools' PPSS specialists. A session is planned in one of the formats of
``data/intervision/formats`` with a facilitator and participants from the Center and from
schools; it is run phase by phase (each phase's start and end and its note are kept), its
learning points and agreements are recorded, and closing it credits each participant marked
present with the minutes it really took (or the format's time when it was not run with the
timer), which the attendance report sums into professional-development hours.

Every change names the version the person saw; a stale one is the project's conflict error.
Audit details carry ids, codes and counts, never a participant's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import IntervisionFormat, IntervisionStatus, ParticipantOrigin
from pcenter_lib.errors import NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.intervision import get_format
from pcenter_lib.models import (
    EducationOrganization,
    IntervisionParticipant,
    IntervisionPhaseNote,
    IntervisionSession,
    StaffMember,
    utcnow,
)
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.intervision_views import (
    ParticipantDraft,
    SessionSummary,
    SessionView,
    check_version,
    fitted,
    session_view,
    summary_of,
)
from pcenter_lib.services.users import load_actor

MISSING_SESSION = N_("There is no intervision session with id {id}.")


def load_session_row(
    session: Session, session_id: int, expected_version: int | None = None
) -> IntervisionSession:
    """The session row; a clear error when there is none or it changed since it was read."""
    row = session.get(IntervisionSession, session_id)
    if row is None:
        raise NotFoundError(MISSING_SESSION, id=session_id)
    check_version(row, "intervision_sessions", expected_version)
    return row


def _participant(session: Session, draft: ParticipantDraft) -> IntervisionParticipant:
    name = " ".join(draft.full_name.split())
    if not name:
        raise ValidationError(N_("Every participant needs a name."))
    if draft.origin is ParticipantOrigin.SCHOOL and (
        draft.school_id is None or session.get(EducationOrganization, draft.school_id) is None
    ):
        raise ValidationError(
            N_("Participant {name} comes from a school: choose the school."), name=name
        )
    return IntervisionParticipant(
        full_name=fitted(N_("Participant"), name, IntervisionParticipant, "full_name"),
        origin=draft.origin,
        staff_member_id=draft.staff_member_id,
        education_organization_id=draft.school_id,
    )


def plan_session(
    session: Session,
    *,
    actor: str,
    format_code: str,
    held_at: datetime,
    facilitator: str,
    title: str,
    participants: list[ParticipantDraft],
    series_id: int | None = None,
) -> SessionView:
    """Plan a session; participants from the Center and from schools' PPSS, each once."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    chosen = get_format(format_code)  # an unknown format is refused, naming the known ones
    if held_at.tzinfo is None:
        raise ValidationError(N_("The session's start needs a time zone."))
    if not facilitator.strip():
        raise ValidationError(N_("Choose the facilitator of the session."))
    names = [" ".join(p.full_name.split()).casefold() for p in participants]
    if len(set(names)) != len(names):
        raise ValidationError(N_("A participant is listed twice."))
    if len(participants) > chosen.max_group:
        raise ValidationError(
            N_("The format {format} is for at most {count} participants."),
            format=chosen.code,
            count=chosen.max_group,
        )
    row = IntervisionSession(
        held_at=held_at,
        facilitator=fitted(N_("Facilitator"), facilitator, IntervisionSession, "facilitator"),
        format=IntervisionFormat(chosen.code),
        title=fitted(N_("Title"), " ".join(title.split()), IntervisionSession, "title"),
        series_id=series_id,
        status=IntervisionStatus.PLANNED,
        created_by=actor,
        participants=[_participant(session, p) for p in participants],
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="plan_intervision",
        entity="intervision_session",
        entity_id=row.id,
        details={"format": chosen.code, "participants": len(participants), "series_id": series_id},
    )
    return session_view(row)


def list_sessions(session: Session, *, actor: str) -> list[SessionSummary]:
    """Every session, the latest first."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    rows = session.scalars(
        select(IntervisionSession).order_by(
            IntervisionSession.held_at.desc(), IntervisionSession.id.desc()
        )
    )
    return [summary_of(row) for row in rows]


def read_session(session: Session, *, actor: str, session_id: int) -> SessionView:
    """One session with its participants, phase notes, materials and exports."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    return session_view(load_session_row(session, session_id))


def _note(row: IntervisionSession, phase: str) -> IntervisionPhaseNote:
    for note in row.phase_notes:
        if note.phase == phase:
            return note
    note = IntervisionPhaseNote(phase=phase, note="")
    row.phase_notes.append(note)
    return note


def _refuse_closed(row: IntervisionSession) -> None:
    if row.status in (IntervisionStatus.HELD, IntervisionStatus.CANCELLED):
        raise ValidationError(N_("The session is closed; its record no longer changes."))


def start_phase(
    session: Session,
    *,
    actor: str,
    session_id: int,
    phase: str,
    expected_version: int,
    now: datetime | None = None,
) -> SessionView:
    """Start ``phase`` (the session starts with its first phase); the phase running ends."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    row = load_session_row(session, session_id, expected_version)
    _refuse_closed(row)
    get_format(row.format).phase(phase)  # an unknown phase is refused, naming the valid ones
    moment = now or utcnow()
    if row.started_at is None:
        row.started_at, row.status = moment, IntervisionStatus.RUNNING
    if row.current_phase and row.current_phase != phase:
        _note(row, row.current_phase).ended_at = moment
    note = _note(row, phase)
    note.started_at, note.ended_at = moment, None
    row.current_phase = phase
    session.flush()
    record_event(
        session,
        actor=actor,
        action="start_intervision_phase",
        entity="intervision_session",
        entity_id=row.id,
        details={"phase": phase},
    )
    return session_view(row)


def save_phase_note(
    session: Session, *, actor: str, session_id: int, phase: str, note: str, expected_version: int
) -> SessionView:
    """Keep what ``phase`` produced (facts, hypotheses, advice; no names of children)."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    row = load_session_row(session, session_id, expected_version)
    _refuse_closed(row)
    get_format(row.format).phase(phase)
    _note(row, phase).note = fitted(N_("Notes of the phase"), note, IntervisionPhaseNote, "note")
    session.flush()
    record_event(
        session,
        actor=actor,
        action="note_intervision_phase",
        entity="intervision_session",
        entity_id=row.id,
        details={"phase": phase, "characters": len(note.strip())},
    )
    return session_view(row)


def record_outcomes(
    session: Session,
    *,
    actor: str,
    session_id: int,
    learning_points: str,
    agreements: str,
    expected_version: int,
) -> SessionView:
    """Record the session's learning points and agreements."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    row = load_session_row(session, session_id, expected_version)
    if row.status is IntervisionStatus.CANCELLED:
        raise ValidationError(N_("The session is closed; its record no longer changes."))
    row.learning_points = fitted(
        N_("Learning points"), learning_points, IntervisionSession, "learning_points"
    )
    row.agreements = fitted(N_("Agreements"), agreements, IntervisionSession, "agreements")
    session.flush()
    record_event(
        session,
        actor=actor,
        action="record_intervision_outcomes",
        entity="intervision_session",
        entity_id=row.id,
    )
    return session_view(row)


def mark_attendance(
    session: Session,
    *,
    actor: str,
    session_id: int,
    present: dict[int, bool],
    expected_version: int,
) -> SessionView:
    """Mark who was present; a held session credits the newly present at once."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    row = load_session_row(session, session_id, expected_version)
    by_id = {p.id: p for p in row.participants}
    unknown = sorted(set(present) - set(by_id))
    if unknown:
        raise ValidationError(N_("Participant {id} is not in this session."), id=unknown[0])
    for participant_id, attended in present.items():
        by_id[participant_id].attended = attended
    if row.status is IntervisionStatus.HELD:
        _credit(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="mark_intervision_attendance",
        entity="intervision_session",
        entity_id=row.id,
        details={"present": sum(present.values()), "absent": sum(not v for v in present.values())},
    )
    return session_view(row)


def session_minutes(row: IntervisionSession) -> int:
    """Minutes the session took: from its start to its end, else its format's time."""
    if row.started_at is not None and row.ended_at is not None:
        return max(0, round((row.ended_at - row.started_at).total_seconds() / 60))
    return get_format(row.format).total_minutes


def _credit(row: IntervisionSession) -> None:
    minutes = session_minutes(row)
    for participant in row.participants:
        participant.credited_minutes = minutes if participant.attended else 0


def close_session(
    session: Session,
    *,
    actor: str,
    session_id: int,
    expected_version: int,
    now: datetime | None = None,
    cancelled: bool = False,
) -> SessionView:
    """Close the session as held (crediting attendance) or as cancelled (crediting nobody).

    A held session needs its attendance taken first: a participant left unmarked would
    silently lose the hours, or be credited hours they did not spend.
    """
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    row = load_session_row(session, session_id, expected_version)
    _refuse_closed(row)
    moment = now or utcnow()
    if cancelled:
        row.status = IntervisionStatus.CANCELLED
        for participant in row.participants:
            participant.credited_minutes = 0
    else:
        unmarked = [p for p in row.participants if p.attended is None]
        if unmarked:
            raise ValidationError(
                N_("Mark the attendance of every participant before closing ({count} unmarked)."),
                count=len(unmarked),
            )
        if row.current_phase:
            _note(row, row.current_phase).ended_at = moment
        if row.started_at is not None:
            row.ended_at = moment
        row.status, row.current_phase = IntervisionStatus.HELD, None
        _credit(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="close_intervision",
        entity="intervision_session",
        entity_id=row.id,
        details={"status": row.status.value, "minutes": session_minutes(row)},
    )
    return session_view(row)


@dataclass(frozen=True)
class Directory:
    """Whom and what the intervision forms offer: the Center's staff, schools and cases."""

    staff: tuple[tuple[int, str], ...]  # (staff id, full name), active posts
    schools: tuple[tuple[int, str, str], ...]  # (id, name in Kazakh, name in Russian)


def read_directory(session: Session, *, actor: str) -> Directory:
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    staff = session.execute(
        select(StaffMember.id, StaffMember.full_name)
        .where(StaffMember.active.is_(True))
        .where(StaffMember.category == "core")
        .order_by(StaffMember.full_name)
    ).all()
    schools = session.execute(
        select(
            EducationOrganization.id, EducationOrganization.name_kk, EducationOrganization.name_ru
        ).order_by(EducationOrganization.name_kk)
    ).all()
    return Directory(
        tuple((int(i), str(n)) for i, n in staff),
        tuple((int(i), str(kk), str(ru)) for i, kk, ru in schools),
    )
