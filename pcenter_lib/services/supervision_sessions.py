"""Planning supervision sessions (Rule 11.4) and counting them: attendance and hours received.

The supervisor plans a session — its date, its form (individual, group, or a case conference
with other bodies), the participants (Center staff by user name, school PPSS specialists by
name) and the cases, picked from the priority queue or found by search — and adds cases later.
Each case gets its own record (``services.supervision_records``), presented by the specialist
responsible for the child's open case. Attendance is kept per participant, so each specialist's
hours of supervision received can be counted, a staff-development figure; the analyst sees
counts only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import RecordStatus, SupervisionForm, TaskStatus
from pcenter_lib.errors import ConflictError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Case, Child, SupervisionCase, SupervisionSession, SupervisionTask
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.users import load_actor

PARTICIPANT_KINDS = ("staff", "ppss")  # Center staff (user name) or a school PPSS specialist


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    kind: str = "staff"
    attended: bool = True


@dataclass(frozen=True)
class SessionSummary:
    session_id: int
    version: int
    held_at: datetime
    form: str
    supervisor: str
    minutes: int
    participants: tuple[Participant, ...]
    records: tuple[tuple[int, str, str], ...]  # (record id, child code, status)


def _participants(rows: Sequence[Participant]) -> list[dict[str, object]]:
    clean = []
    for p in rows:
        name = p.name.strip()
        if not name or len(name) > 200 or p.kind not in PARTICIPANT_KINDS:
            raise ValidationError(
                N_("Each participant needs a name (up to 200 characters) and a kind: {kinds}."),
                kinds=", ".join(PARTICIPANT_KINDS),
            )
        clean.append({"name": name, "kind": p.kind, "attended": bool(p.attended)})
    return clean


def _add_record(session: Session, held: SupervisionSession, child_id: int) -> SupervisionCase:
    child = load(session, Child, child_id)
    if any(r.child_id == child.id for r in held.cases):
        raise ValidationError(
            N_("Child {code} is already on this session's list."), code=child.code
        )
    case = session.scalars(
        select(Case).where(Case.child_id == child.id, Case.closed_at.is_(None))
        .order_by(Case.opened_at.desc())
    ).first()  # fmt: skip
    record = SupervisionCase(
        child_id=child.id, case_id=case.id if case else None,
        presenter=case.responsible if case else None,
    )  # fmt: skip
    held.cases.append(record)
    return record


def plan_session(
    session: Session,
    *,
    actor: str,
    held_at: datetime,
    form: str,
    participants: Sequence[Participant] = (),
    minutes: int = 90,
    child_ids: Sequence[int] = (),
) -> int:
    """Plan a session with its participants and the children whose cases it reviews."""
    who = require(load_actor(session, actor), UseCase.PLAN_SUPERVISION)
    if held_at.tzinfo is None:
        raise ValidationError(N_("The time {value} has no time zone; give an aware time."),
                              value=held_at)  # fmt: skip
    if form not in set(SupervisionForm):
        raise ValidationError(N_("Unknown form of session {form}."), form=form)
    if not 15 <= minutes <= 480:
        raise ValidationError(N_("A session lasts from 15 to 480 minutes."))
    held = SupervisionSession(
        held_at=held_at, supervisor=who.username, planned_by=who.username,
        form=SupervisionForm(form), minutes=minutes, participants=_participants(participants),
    )  # fmt: skip
    session.add(held)
    for child_id in child_ids:
        _add_record(session, held, child_id)
    session.flush()
    record_event(
        session, actor=who.username, action="plan", entity="supervision_session",
        entity_id=held.id, details={"form": form, "cases": len(child_ids)},
    )  # fmt: skip
    return held.id


def _session_at(session: Session, session_id: int, expected_version: int) -> SupervisionSession:
    """The session if it is still at the version the person saw; a conflict otherwise."""
    held = load(session, SupervisionSession, session_id)
    if held.version != expected_version:
        raise ConflictError(
            N_("The session was changed by somebody else (version {current}); reload it."),
            current=held.version,
        )
    return held


def add_case(
    session: Session, *, actor: str, session_id: int, child_id: int, expected_version: int
) -> int:
    """Put a child's case on a planned session (from the queue or a search); the record's id."""
    who = require(load_actor(session, actor), UseCase.REVIEW_CASES)
    held = _session_at(session, session_id, expected_version)
    record = _add_record(session, held, child_id)
    held.version = held.version + 1  # the session's list of cases changed
    session.flush()
    record_event(
        session, actor=who.username, action="add_case", entity="supervision_session",
        entity_id=held.id, details={"record": record.id},
    )  # fmt: skip
    return record.id


def record_attendance(
    session: Session,
    *,
    actor: str,
    session_id: int,
    expected_version: int,
    participants: Sequence[Participant],
) -> None:
    """Replace the session's participants and who attended (for the hours received)."""
    who = require(load_actor(session, actor), UseCase.PLAN_SUPERVISION)
    held = _session_at(session, session_id, expected_version)
    held.participants = _participants(participants)
    session.flush()
    record_event(session, actor=who.username, action="attendance",
                 entity="supervision_session", entity_id=held.id)  # fmt: skip


def list_sessions(session: Session, *, actor: str, limit: int = 50) -> list[SessionSummary]:
    """The latest sessions with their records (child codes only), newest first."""
    require(load_actor(session, actor), UseCase.READ_SUPERVISION)
    held = session.scalars(
        select(SupervisionSession).order_by(SupervisionSession.held_at.desc()).limit(limit)
    ).all()
    ids = [r.child_id for s in held for r in s.cases if r.child_id is not None]
    codes = dict(session.execute(select(Child.id, Child.code).where(Child.id.in_(ids))).all())
    return [
        SessionSummary(
            s.id,
            s.version,
            s.held_at,
            str(s.form),
            s.supervisor,
            s.minutes,
            tuple(
                Participant(str(p["name"]), str(p["kind"]), bool(p["attended"]))
                for p in s.participants or ()
            ),
            tuple((r.id, str(codes.get(r.child_id or 0, "—")), str(r.status)) for r in s.cases),
        )
        for s in held
    ]


@dataclass(frozen=True)
class SupervisionCounts:
    sessions: int
    records: int
    signed: int
    open_tasks: int
    overdue_tasks: int
    hours_received: dict[str, float]  # participant → hours of supervision attended


def count_supervision(
    session: Session, *, actor: str, since: datetime, until: datetime
) -> SupervisionCounts:
    """Counts of the period and each participant's hours received (no child is named)."""
    require(load_actor(session, actor), UseCase.COUNT_SUPERVISION)
    held = session.scalars(
        select(SupervisionSession).where(
            SupervisionSession.held_at >= since, SupervisionSession.held_at < until
        )
    ).all()
    hours: dict[str, float] = {}
    for s in held:
        for p in s.participants or ():
            if p.get("attended"):
                hours[str(p["name"])] = hours.get(str(p["name"]), 0.0) + s.minutes / 60
    ids = [s.id for s in held]
    in_period = SupervisionCase.supervision_session_id.in_(ids)
    records = session.scalar(select(func.count()).where(in_period)) or 0
    signed = session.scalar(
        select(func.count()).where(in_period, SupervisionCase.status == RecordStatus.SIGNED)
    ) or 0  # fmt: skip
    open_ = SupervisionTask.status.in_((TaskStatus.OPEN, TaskStatus.IN_PROGRESS))
    open_tasks = session.scalar(select(func.count()).where(open_)) or 0
    overdue = session.scalar(
        select(func.count()).where(open_, SupervisionTask.due_on < until.date())
    ) or 0  # fmt: skip
    return SupervisionCounts(len(held), records, signed, open_tasks, overdue,
                             dict(sorted(hours.items())))  # fmt: skip
