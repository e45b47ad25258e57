"""Supervision sessions (Rule 11.4); intervision (Rule 11.3) is in ``models/intervision.py``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcenter_lib.domain.codes import (
    RecordStatus,
    SupervisionForm,
    TaskStatus,
)
from pcenter_lib.errors import LockedRecordError
from pcenter_lib.i18n import N_
from pcenter_lib.models.base import Base, Versioned, code_column, intpk, json_data, typed, utcnow


class SupervisionSession(Versioned, Base):
    """A planned supervision session (Rule 11.4): when, in which form, who takes part.

    Each case reviewed has its own record (``SupervisionCase``), signed and locked on its own;
    ``participants`` lists Center staff (by user name) and school PPSS specialists (by name),
    each with whether they attended, so supervision hours received can be counted. The older
    session-wide ``question``/``hypotheses``/``decision``/``follow_up`` columns are kept for
    records made before per-case records existed.
    """

    __tablename__ = "supervision_sessions"

    id: Mapped[intpk]
    held_at: Mapped[datetime]
    supervisor: Mapped[str] = mapped_column(String(80))
    question: Mapped[str] = mapped_column(Text, default="")
    hypotheses: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[json_data] = mapped_column(
        default=list
    )  # [{"task":..., "who":..., "due_on":...}]
    signed_at: Mapped[datetime | None]
    signed_by: Mapped[str | None] = mapped_column(String(80))
    form: Mapped[SupervisionForm] = mapped_column(
        code_column(SupervisionForm, "supervision_form", 20), default=SupervisionForm.INDIVIDUAL
    )
    minutes: Mapped[int] = mapped_column(default=90)
    participants: Mapped[json_data] = mapped_column(default=list)  # [{"name", "kind", "attended"}]
    planned_by: Mapped[str | None] = mapped_column(String(80))

    cases: Mapped[list[SupervisionCase]] = relationship(
        cascade="all, delete-orphan", order_by="SupervisionCase.id"
    )
    addenda: Mapped[list[SupervisionAddendum]] = relationship(order_by="SupervisionAddendum.id")


class SupervisionCase(Versioned, Base):
    """The record of one child's case reviewed in a session; signed, then locked.

    The presenting specialist drafts it and sends it for review; the supervisor signs and locks
    it or returns it with comments. After signing nothing in it changes (the services refuse);
    later notes are addenda.
    """

    __tablename__ = "supervision_cases"
    __table_args__ = (UniqueConstraint("supervision_session_id", "case_id"),)

    id: Mapped[intpk]
    supervision_session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    presenter: Mapped[str | None] = mapped_column(String(80))
    question: Mapped[str] = mapped_column(Text, default="", info=typed(4000))
    template: Mapped[str | None] = mapped_column(String(30))
    formulation: Mapped[json_data] = mapped_column(default=dict)  # field code → text or number
    hypotheses: Mapped[str] = mapped_column(Text, default="", info=typed(4000))
    decision: Mapped[str] = mapped_column(Text, default="", info=typed(4000))
    dissent: Mapped[str] = mapped_column(Text, default="", info=typed(2000))
    recommendations: Mapped[str] = mapped_column(Text, default="", info=typed(4000))
    status: Mapped[RecordStatus] = mapped_column(
        code_column(RecordStatus, "record_status", 12), default=RecordStatus.DRAFT
    )
    review_comment: Mapped[str | None] = mapped_column(Text, info=typed(2000))
    submitted_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
    signed_by: Mapped[str | None] = mapped_column(String(80))

    tasks: Mapped[list[SupervisionTask]] = relationship(order_by="SupervisionTask.id")
    addenda: Mapped[list[SupervisionAddendum]] = relationship(
        order_by="SupervisionAddendum.id", viewonly=True
    )


class SupervisionTask(Versioned, Base):
    """A follow-up task decided in supervision: who, by when, and how far it has got.

    Its text, person and due date belong to the record and lock with it; its status and progress
    note are the responsible specialist's to keep up to date after the lock.
    """

    __tablename__ = "supervision_tasks"

    id: Mapped[intpk]
    supervision_case_id: Mapped[int] = mapped_column(ForeignKey("supervision_cases.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    description: Mapped[str] = mapped_column(Text, info=typed(2000))
    responsible: Mapped[str] = mapped_column(String(80), index=True)
    due_on: Mapped[date]
    status: Mapped[TaskStatus] = mapped_column(
        code_column(TaskStatus, "task_status", 12), default=TaskStatus.OPEN
    )
    progress_note: Mapped[str | None] = mapped_column(Text, info=typed(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime | None]
    updated_by: Mapped[str | None] = mapped_column(String(80))


class SupervisionAddendum(Base):
    """A note added to a signed supervision session; the signed text itself never changes."""

    __tablename__ = "supervision_addenda"

    id: Mapped[intpk]
    supervision_session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id"), index=True
    )
    supervision_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_cases.id"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text, info=typed(1000))
    text: Mapped[str] = mapped_column(Text, info=typed(4000))


# What a signature locks: every column of a signed record but its version, which rises when an
# addendum is added to it (models.aggregates).
LOCK_EXEMPT: Final = frozenset({"version"})
LOCKED_MESSAGE: Final = N_(
    "This supervision record is signed and locked; nothing in it can change. Add an addendum."
)


@event.listens_for(SupervisionCase, "before_update")
def refuse_changes_after_signature(_mapper: Any, _connection: Any, record: SupervisionCase) -> None:
    """The last line of the lock: whatever code path tries it, a signed record is not updated."""
    state = inspect(record)
    was_signed = state.attrs.status.history.deleted or [record.status]
    if RecordStatus.SIGNED not in (was_signed[0], str(was_signed[0])):
        return
    changed = {
        attr.key for attr in state.mapper.column_attrs
        if attr.key not in LOCK_EXEMPT and state.attrs[attr.key].history.has_changes()
    }  # fmt: skip
    if changed:
        raise LockedRecordError(LOCKED_MESSAGE)
