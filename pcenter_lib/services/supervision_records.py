"""One case's supervision record: drafted, sent for review, signed and locked; then addenda.

The presenting specialist writes the question brought to supervision, a formulation from a
template (``domain.formulations``), hypotheses, the decision with any dissent, recommendations
and follow-up tasks (``services.supervision_tasks``), and sends the record for review. The
supervisor signs and locks it, or returns it with comments. After the signature nothing in the
record changes — every service here refuses (``LockedRecordError``), and so does the model
itself (``models.sessions.refuse_changes_after_signature``) — and only addenda may follow: who,
when, why, and the text. Each save names the version the person saw; a stale save is a
``ConflictError`` and nothing is overwritten (``models.aggregates``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import RecordStatus
from pcenter_lib.domain.formulations import check_formulation
from pcenter_lib.errors import ConflictError, LockedRecordError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, SupervisionAddendum, SupervisionCase, SupervisionSession
from pcenter_lib.models.sessions import LOCKED_MESSAGE
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.users import load_actor

TEXT_LIMIT = 4000


@dataclass(frozen=True)
class RecordDraft:
    """What the presenting specialist writes; every field is kept as typed (stripped)."""

    question: str = ""
    template: str | None = None
    formulation: Mapping[str, object] = field(default_factory=dict)
    hypotheses: str = ""
    decision: str = ""
    dissent: str = ""
    recommendations: str = ""


@dataclass(frozen=True)
class TaskView:
    task_id: int
    version: int
    description: str
    responsible: str
    due_on: date
    status: str
    progress_note: str | None


@dataclass(frozen=True)
class AddendumView:
    added_at: datetime
    added_by: str
    reason: str
    text: str


@dataclass(frozen=True)
class RecordView:
    record_id: int
    version: int
    session_id: int
    held_at: datetime
    supervisor: str
    form: str
    child_id: int | None
    child_code: str
    presenter: str | None
    draft: RecordDraft
    status: str
    review_comment: str | None
    signed_at: datetime | None
    signed_by: str | None
    tasks: tuple[TaskView, ...]
    addenda: tuple[AddendumView, ...]

    @property
    def locked(self) -> bool:
        return self.status == RecordStatus.SIGNED


def editable_record(session: Session, record_id: int, expected_version: int) -> SupervisionCase:
    """The record if it is unsigned and still at the version the person saw."""
    record = load(session, SupervisionCase, record_id)
    if record.status == RecordStatus.SIGNED:
        raise LockedRecordError(LOCKED_MESSAGE)
    if record.version != expected_version:
        raise ConflictError(
            N_(
                "Somebody else changed this supervision record meanwhile (version {current}, "
                "you saw {seen}). Nothing of yours was saved; reload it."
            ),
            current=record.version,
            seen=expected_version,
        )
    return record


def _text(value: str, limit: int = TEXT_LIMIT) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(N_("A text may hold at most {limit} characters."), limit=limit)
    return text


def save_record(
    session: Session, *, actor: str, record_id: int, expected_version: int, draft: RecordDraft
) -> int:
    """Save the record's text; its new version. Refused once signed or when stale."""
    who = require(load_actor(session, actor), UseCase.PRESENT_CASE)
    record = editable_record(session, record_id, expected_version)
    # every value is checked before any is set: a refused save changes nothing
    values = {
        "question": _text(draft.question),
        "template": draft.template or None,
        "formulation": (
            check_formulation(draft.template, draft.formulation) if draft.template else {}
        ),
        "hypotheses": _text(draft.hypotheses),
        "decision": _text(draft.decision),
        "dissent": _text(draft.dissent, 2000),
        "recommendations": _text(draft.recommendations),
    }
    for name, value in values.items():
        setattr(record, name, value)
    if record.presenter is None:
        record.presenter = who.username
    session.flush()
    record_event(session, actor=who.username, action="edit", entity="supervision_record",
                 entity_id=record.id, details={"version": record.version})  # fmt: skip
    return record.version


def submit_record(session: Session, *, actor: str, record_id: int, expected_version: int) -> None:
    """The presenting specialist sends the record to the supervisor for review."""
    who = require(load_actor(session, actor), UseCase.PRESENT_CASE)
    record = editable_record(session, record_id, expected_version)
    if not record.question.strip():
        raise ValidationError(N_("Write the question brought to supervision before sending it."))
    record.status = RecordStatus.SUBMITTED
    record.review_comment = None
    session.flush()
    record_event(session, actor=who.username, action="submit", entity="supervision_record",
                 entity_id=record.id)  # fmt: skip


def return_record(
    session: Session, *, actor: str, record_id: int, expected_version: int, comment: str
) -> None:
    """The supervisor returns a record sent for review, with comments."""
    who = require(load_actor(session, actor), UseCase.SIGN_SUPERVISION)
    record = editable_record(session, record_id, expected_version)
    text = _text(comment, 2000)
    if not text:
        raise ValidationError(N_("Say what to change when returning a record."))
    record.status = RecordStatus.RETURNED
    record.review_comment = text
    session.flush()
    record_event(session, actor=who.username, action="return", entity="supervision_record",
                 entity_id=record.id)  # fmt: skip


def sign_record(
    session: Session, *, actor: str, record_id: int, expected_version: int, now: datetime
) -> None:
    """The supervisor signs and locks the record; it must hold a decision."""
    who = require(load_actor(session, actor), UseCase.SIGN_SUPERVISION)
    record = editable_record(session, record_id, expected_version)
    if not record.decision.strip():
        raise ValidationError(N_("Record the decision before signing."))
    record.status = RecordStatus.SIGNED
    record.signed_at = now
    record.signed_by = who.username
    session.flush()
    record_event(session, actor=who.username, action="sign", entity="supervision_record",
                 entity_id=record.id, details={"version": record.version})  # fmt: skip


def add_addendum(
    session: Session, *, actor: str, record_id: int, reason: str, text: str, now: datetime
) -> None:
    """An addendum to a signed record: who, when, why and the text; the record stays as signed."""
    who = require(load_actor(session, actor), UseCase.PRESENT_CASE)
    record = load(session, SupervisionCase, record_id)
    if record.status != RecordStatus.SIGNED:
        raise ValidationError(N_("The record is not signed yet: change it instead of adding."))
    why, body = _text(reason, 1000), _text(text)
    if not why or not body:
        raise ValidationError(N_("An addendum needs its reason and its text."))
    session.add(SupervisionAddendum(
        supervision_session_id=record.supervision_session_id, supervision_case_id=record.id,
        added_at=now, added_by=who.username, reason=why, text=body,
    ))  # fmt: skip
    session.flush()
    record_event(session, actor=who.username, action="addendum", entity="supervision_record",
                 entity_id=record.id)  # fmt: skip


def read_record(session: Session, *, actor: str, record_id: int) -> RecordView:
    """The record with its tasks and addenda; the child by code only. Audited."""
    who = require(load_actor(session, actor), UseCase.READ_SUPERVISION)
    record = load(session, SupervisionCase, record_id)
    held = load(session, SupervisionSession, record.supervision_session_id)
    child = session.get(Child, record.child_id) if record.child_id is not None else None
    addenda = session.query(SupervisionAddendum).filter_by(supervision_case_id=record.id)
    record_event(session, actor=who.username, action="view", entity="supervision_record",
                 entity_id=record.id)  # fmt: skip
    return RecordView(
        record.id, record.version, held.id, held.held_at, held.supervisor, str(held.form),
        record.child_id, child.code if child else "—", record.presenter,
        RecordDraft(record.question, record.template, dict(record.formulation or {}),
                    record.hypotheses, record.decision, record.dissent, record.recommendations),
        str(record.status), record.review_comment, record.signed_at, record.signed_by,
        tuple(TaskView(t.id, t.version, t.description, t.responsible, t.due_on, str(t.status),
                       t.progress_note) for t in record.tasks),
        tuple(AddendumView(a.added_at, a.added_by, a.reason or "", a.text)
              for a in addenda.order_by(SupervisionAddendum.id)),
    )  # fmt: skip
