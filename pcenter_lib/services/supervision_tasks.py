"""Follow-up tasks decided in supervision: recorded with the record, kept up by their person.

A task — what to do, who is responsible, by when — is part of the record and is written before
the signature; afterwards its status and progress note are the responsible specialist's (or a
supervisor's) to keep up, while its text, person and date stay as signed. Open tasks appear in
each responsible specialist's action-needed list, overdue first; a task past its due date counts
in the compliance figures (``overdue_tasks``). Every save names the version seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, may, require
from pcenter_lib.domain.codes import TaskStatus
from pcenter_lib.errors import ConflictError, PermissionDeniedError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, SupervisionTask, User
from pcenter_lib.models.aggregates import raise_version
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.supervision_records import editable_record
from pcenter_lib.services.users import load_actor

OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


def add_task(
    session: Session,
    *,
    actor: str,
    record_id: int,
    expected_version: int,
    description: str,
    responsible: str,
    due_on: date,
) -> int:
    """Add a follow-up task to an unsigned record; the record's version rises."""
    who = require(load_actor(session, actor), UseCase.PRESENT_CASE)
    record = editable_record(session, record_id, expected_version)
    text = (description or "").strip()
    if not text or len(text) > 2000:
        raise ValidationError(N_("Describe the task (1 to 2000 characters)."))
    person = session.scalar(select(User).where(User.username == responsible, User.active))
    if person is None:
        raise ValidationError(
            N_("{person} is not an active user; a task needs a responsible person who is."),
            person=responsible,
        )
    task = SupervisionTask(
        supervision_case_id=record.id, child_id=record.child_id, description=text,
        responsible=responsible, due_on=due_on, created_by=who.username,
    )  # fmt: skip
    session.add(task)
    raise_version(session, record)
    session.flush()
    record_event(session, actor=who.username, action="add_task", entity="supervision_record",
                 entity_id=record.id, details={"task": task.id, "responsible": responsible})  # fmt: skip
    return task.id


def update_task(
    session: Session,
    *,
    actor: str,
    task_id: int,
    expected_version: int,
    status: str,
    note: str = "",
    now: datetime,
) -> int:
    """Record a task's progress (its person or a supervisor); the task's new version."""
    who = require(load_actor(session, actor), UseCase.RECORD_TASK_PROGRESS)
    task = load(session, SupervisionTask, task_id)
    if task.responsible != who.username and not may(who.roles, UseCase.SIGN_SUPERVISION):
        raise PermissionDeniedError(
            N_("Only the responsible person or a supervisor records this task's progress.")
        )
    if task.version != expected_version:
        raise ConflictError(
            N_("Somebody else updated this task meanwhile (version {current}); reload it."),
            current=task.version,
        )
    if status not in set(TaskStatus):
        raise ValidationError(N_("Unknown task status {status}."), status=status)
    text = (note or "").strip()
    if len(text) > 2000:
        raise ValidationError(N_("A text may hold at most {limit} characters."), limit=2000)
    task.status = TaskStatus(status)
    task.progress_note = text or task.progress_note
    task.updated_at, task.updated_by = now, who.username
    session.flush()
    record_event(session, actor=who.username, action="task_progress", entity="supervision_task",
                 entity_id=task.id, details={"status": status})  # fmt: skip
    return task.version


@dataclass(frozen=True)
class ActionTask:
    task_id: int
    version: int
    record_id: int
    child_code: str
    description: str
    responsible: str
    due_on: date
    status: str
    overdue: bool


def _tasks(session: Session, where: list[object], today: date) -> list[ActionTask]:
    rows = session.execute(
        select(SupervisionTask, Child.code)
        .outerjoin(Child, Child.id == SupervisionTask.child_id)
        .where(SupervisionTask.status.in_(OPEN_STATUSES), *where)  # type: ignore[arg-type]
        .order_by(SupervisionTask.due_on, SupervisionTask.id)
    ).all()
    return [
        ActionTask(t.id, t.version, t.supervision_case_id, code or "—", t.description,
                   t.responsible, t.due_on, str(t.status), t.due_on < today)
        for t, code in rows
    ]  # fmt: skip


def action_needed(session: Session, *, actor: str, today: date) -> list[ActionTask]:
    """The signed-in person's open tasks from supervision, by due date (overdue first)."""
    who = require(load_actor(session, actor), UseCase.RECORD_TASK_PROGRESS)
    return _tasks(session, [SupervisionTask.responsible == who.username], today)


def overdue_tasks(session: Session, *, actor: str, today: date) -> list[ActionTask]:
    """Every open task past its due date, for the compliance view (child codes only)."""
    require(load_actor(session, actor), UseCase.READ_SUPERVISION)
    return _tasks(session, [SupervisionTask.due_on < today], today)
