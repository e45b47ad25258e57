"""Registering a request in the journal (Rules 12, 13, 15, 16, 18, 22).

``register_request`` checks the draft against Rule 12 (channel, source, applicant), the child's
data (IIN, birth date, sex) and the field sizes; looks for an open request for the same child
and, unless the operator confirmed it, stops with ``PossibleDuplicateError`` before anything is
written; then takes the next yearly journal number (Rule 13), computes the due time (Rule 16)
on the calendar in force, works out the consent requirement (Rule 15) and creates the
notifications a direct threat owes (Rules 15, 18, 22). Bad input raises an error in the
person's language and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.consent import consent_requirement
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at
from pcenter_lib.domain.intake_rules import (
    OPEN_STATUSES,
    IntakeValidationError,
    check_applicant,
    check_birth_date,
    check_channel,
    check_concerns,
    check_received_at,
    check_source,
    local_text,
)
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    Child,
    EducationOrganization,
    JournalCounter,
    Request,
    RequestConcern,
)
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.calendar_admin import load_calendar
from pcenter_lib.services.children import (
    ChildDraft,
    ChildFacts,
    child_by_iin,
    create_child,
    establish_child_facts,
)
from pcenter_lib.services.direct_threat import (
    NotificationView,
    create_owed_notifications,
    notification_view,
    threat_recipients,
)
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor


@dataclass(frozen=True, slots=True)
class RequestDraft:
    """A request as the operator typed it. ``child_id`` picks a known child; ``child`` a new one."""

    received_at: datetime | None
    channel: str | None
    source: str | None
    applicant_name: str | None = None
    applicant_relation: str | None = None
    child_id: int | None = None
    child: ChildDraft | None = None
    education_organization_id: int | None = None
    concerns: tuple[str, ...] = ()
    description: str = ""
    direct_threat: bool = False
    confirm_duplicate: bool = False


@dataclass(frozen=True, slots=True)
class DuplicateView:
    """An open request for the same child, shown to the operator before saving."""

    request_id: int
    journal_number: str
    received_at: datetime
    status: str
    direct_threat: bool


class PossibleDuplicateError(PcenterError, RuntimeError):
    """The child already has an open request; the operator must confirm a new one."""

    def __init__(self, duplicates: tuple[DuplicateView, ...]) -> None:
        self.duplicates = duplicates
        super().__init__(
            N_(
                "This child already has an open request: {numbers}. Check that this is a new "
                "request, then confirm to register it anyway."
            ),
            numbers=", ".join(d.journal_number for d in duplicates),
        )


@dataclass(frozen=True, slots=True)
class RegisteredRequest:
    """What registration produced: number, due time, consent and notifications owed."""

    id: int
    journal_number: str
    received_at: datetime
    due_at: datetime
    direct_threat: bool
    child_id: int | None
    child_code: str | None
    consent_needed: bool | None  # None: the child's age is not known
    help_immediately: bool
    notifications: tuple[NotificationView, ...] = field(default=())
    version: int = 1


@dataclass(frozen=True, slots=True)
class _Checked:
    received_at: datetime
    channel: str
    source: str
    applicant_name: str | None
    relation: str | None
    concerns: tuple[str, ...]
    description: str
    child: Child | None
    new_child: ChildFacts | None
    birth_date: date | None


def _check_draft(
    session: Session, cipher: IdentityCipher, draft: RequestDraft, *, now: datetime
) -> _Checked:
    """Every check of Rule 12 and of the field sizes; raises before anything is written."""
    channel = check_channel(draft.channel)
    source = check_source(draft.source)
    received_at = check_received_at(draft.received_at, now=now)
    received_on = received_at.astimezone(KZ_TZ).date()
    applicant_name = check_text("applicant_name", draft.applicant_name)
    description = check_text("description", draft.description) or ""
    concerns = check_concerns(draft.concerns)
    child: Child | None = None
    new_child: ChildFacts | None = None
    if draft.child_id is not None:
        child = load(session, Child, draft.child_id)
        check_birth_date(child.birth_on, received_on=received_on)
    elif draft.child is not None:
        new_child = establish_child_facts(draft.child, received_on=received_on)
        if new_child.iin is not None:
            child = child_by_iin(session, cipher, new_child.iin)
            if child is not None:
                new_child = None
    birth_date = (
        child.birth_on if child is not None else (new_child.birth_date if new_child else None)
    )
    relation = draft.applicant_relation or ("self" if source.personal_minor else None)
    check_applicant(
        source,
        applicant_name=applicant_name,
        relation=relation,
        child_birth_date=birth_date,
        received_on=received_on,
    )
    school_id = draft.education_organization_id
    if school_id is not None and session.get(EducationOrganization, school_id) is None:
        raise IntakeValidationError(
            "education_organization_id", N_("There is no school with id {id}."), id=school_id
        )
    return _Checked(
        received_at,
        channel,
        source.code,
        applicant_name,
        relation,
        concerns,
        description,
        child,
        new_child,
        birth_date,
    )


def open_requests_for_child(session: Session, child_id: int) -> tuple[DuplicateView, ...]:
    """Requests of this child that are still open or in work, oldest first."""
    rows = session.scalars(
        select(Request)
        .where(Request.child_id == child_id, Request.status.in_(OPEN_STATUSES))
        .order_by(Request.received_at)
    )
    return tuple(
        DuplicateView(r.id, r.journal_number, r.received_at, r.status, r.direct_threat)
        for r in rows
    )


def find_possible_duplicates(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    draft: RequestDraft,
    now: datetime | None = None,
) -> tuple[DuplicateView, ...]:
    """Open requests for the draft's child (known by id or by IIN); empty for a new child."""
    require(load_actor(session, actor), UseCase.REGISTER_REQUEST)
    checked = _check_draft(session, cipher, draft, now=now or utcnow())
    return () if checked.child is None else open_requests_for_child(session, checked.child.id)


def take_journal_number(session: Session, year: int) -> int:
    """The next number of ``year``'s journal (Rule 13); see :func:`take_journal_numbers`."""
    return take_journal_numbers(session, year, 1)


def take_journal_numbers(session: Session, year: int, count: int) -> int:
    """The first of ``count`` consecutive numbers of ``year``'s journal (Rule 13), under a lock
    of the counter row.

    The row is inserted if missing (``ON CONFLICT DO NOTHING``, so two first registrations of a
    year cannot both insert it), then read ``FOR UPDATE``: on PostgreSQL a second registration
    waits on the row until the first commits; on SQLite the insert already took the database's
    write lock. Numbers are therefore sequential without gaps or repeats.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(JournalCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    counter = session.execute(
        select(JournalCounter)
        .where(JournalCounter.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    first = counter.last_number + 1
    counter.last_number += count
    session.flush()
    return first


def register_request(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    draft: RequestDraft,
    now: datetime | None = None,
) -> RegisteredRequest:
    """Register a request: check it, number it, set its deadline and what it owes (Rules 12–22)."""
    who = require(load_actor(session, actor), UseCase.REGISTER_REQUEST)
    moment_now = now or utcnow()
    checked = _check_draft(session, cipher, draft, now=moment_now)
    duplicates = () if checked.child is None else open_requests_for_child(session, checked.child.id)
    if duplicates and not draft.confirm_duplicate:
        raise PossibleDuplicateError(duplicates)
    calendar = load_calendar(session)
    due_at = consideration_due_at(
        checked.received_at, direct_threat=draft.direct_threat, calendar=calendar
    )
    year = moment_now.astimezone(KZ_TZ).year
    sequence = take_journal_number(session, year)
    child = checked.child
    if checked.new_child is not None and draft.child is not None:
        child = create_child(
            session, cipher=cipher, actor=who.username, draft=draft.child, facts=checked.new_child
        )
    school_id = draft.education_organization_id or (
        child.education_organization_id if child is not None else None
    )
    request = Request(
        journal_year=year,
        journal_seq=sequence,
        received_at=checked.received_at,
        registered_at=moment_now,
        registered_by=who.username,
        channel=checked.channel,
        source=checked.source,
        applicant_name_enc=cipher.encrypt(checked.applicant_name),
        applicant_relation=checked.relation,
        child_id=None if child is None else child.id,
        education_organization_id=school_id,
        description=checked.description,
        direct_threat=draft.direct_threat,
        threat_assessed_by=who.username if draft.direct_threat else None,
        threat_assessed_at=moment_now if draft.direct_threat else None,
        due_at=due_at,
        status="open",
    )
    request.concerns = [RequestConcern(concern=code) for code in checked.concerns]
    session.add(request)
    session.flush()
    received_on = checked.received_at.astimezone(KZ_TZ).date()
    consent_needed: bool | None = None
    if checked.birth_date is not None:
        consent_needed = consent_requirement(
            checked.birth_date, on=received_on, direct_threat=draft.direct_threat
        ).consent_needed
    notifications = []
    if draft.direct_threat:
        notifications = create_owed_notifications(
            session,
            request=request,
            recipients=threat_recipients(checked.birth_date, on=received_on),
            due_at=due_at,
        )
    record_event(
        session,
        actor=who.username,
        action="create",
        entity="request",
        entity_id=request.id,
        details={
            "journal_number": request.journal_number,
            "received_at": local_text(checked.received_at),
            "channel": checked.channel,
            "source": checked.source,
            "direct_threat": draft.direct_threat,
            "child": None if child is None else child.code,
            "duplicate_confirmed": [d.journal_number for d in duplicates],
        },
    )
    return RegisteredRequest(
        id=request.id,
        journal_number=request.journal_number,
        received_at=checked.received_at,
        due_at=due_at,
        direct_threat=draft.direct_threat,
        child_id=None if child is None else child.id,
        child_code=None if child is None else child.code,
        consent_needed=consent_needed,
        help_immediately=draft.direct_threat,
        notifications=tuple(notification_view(n, request.journal_number) for n in notifications),
        version=request.version,
    )
