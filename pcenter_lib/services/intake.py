"""Registering a request in the journal (Rules 12, 13, 15, 16, 18, 22).

``register_request`` checks the draft (``intake_checks``: every wrong field at once), looks for
an open request of the same child and for a child already recorded under the same name and
birth date, and — unless the operator confirmed — stops with ``PossibleDuplicateError`` or
``PossibleDuplicateChildError`` before anything is written. Then it takes the next yearly
journal number (Rule 13), computes the due time (Rule 16) on the calendar in force, works out
the consent requirement (Rule 15) and creates the notifications a direct threat owes (Rules 15,
18, 22), due a number of minutes after registration.

Registration is never refused for who applied: a younger child's own appeal, an anonymous
applicant and a child nobody can identify yet (a provisional record) are all written down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import Actor, UseCase, require
from pcenter_lib.domain.consent import consent_requirement
from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES, KZ_TZ, consideration_due_at
from pcenter_lib.domain.intake_rules import OPEN_STATUSES, local_text
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, JournalCounter, Request, RequestConcern
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.calendar_admin import load_calendar
from pcenter_lib.services.child_search import ChildMatch, children_like, matches_of
from pcenter_lib.services.children import create_child
from pcenter_lib.services.direct_threat import threat_recipients
from pcenter_lib.services.intake_checks import CheckedDraft, check_draft
from pcenter_lib.services.intake_checks import RequestDraft as RequestDraft
from pcenter_lib.services.notifications import (
    NotificationView,
    create_owed_notifications,
    notification_view,
)
from pcenter_lib.services.users import load_actor


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


class PossibleDuplicateChildError(PcenterError, RuntimeError):
    """A child with the same name and birth date is already recorded; pick it or confirm."""

    def __init__(self, matches: tuple[ChildMatch, ...]) -> None:
        self.matches = matches
        super().__init__(
            N_(
                "A child with the same name and birth date is already recorded ({count}). "
                "Choose that child, or confirm that this is another child."
            ),
            count=len(matches),
        )


@dataclass(frozen=True, slots=True)
class RegisteredRequest:
    """What registration produced: number, due time, consent and notifications owed.

    ``consent_needed``: services wait for a legal representative's consent (Rule 15) — the app
    opens the consent step; ``None`` when the child's age is not known.
    """

    id: int
    journal_number: str
    received_at: datetime
    due_at: datetime
    direct_threat: bool
    child_id: int | None
    child_code: str | None
    consent_needed: bool | None
    help_immediately: bool
    notifications: tuple[NotificationView, ...] = field(default=())
    version: int = 1
    source: str = ""
    applicant_anonymous: bool = False
    provisional_child: bool = False


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
    checked = check_draft(session, cipher, draft, now=now or utcnow())
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


def _refuse_unconfirmed_duplicates(
    session: Session, cipher: IdentityCipher, draft: RequestDraft, checked: CheckedDraft
) -> tuple[DuplicateView, ...]:
    """Stop before writing when the child may be known already; return the confirmed ones."""
    facts = checked.new_child
    if facts is not None and draft.child is not None and not draft.confirm_new_child:
        same = children_like(session, cipher, facts.full_name, facts.birth_date)
        if same:
            raise PossibleDuplicateChildError(
                tuple(matches_of(session, cipher, same, with_names=True))
            )
    duplicates = () if checked.child is None else open_requests_for_child(session, checked.child.id)
    if duplicates and not draft.confirm_duplicate:
        raise PossibleDuplicateError(duplicates)
    return duplicates


def _child_for(
    session: Session, cipher: IdentityCipher, who: Actor, draft: RequestDraft, checked: CheckedDraft
) -> Child | None:
    if checked.new_child is not None and draft.child is not None:
        return create_child(
            session, cipher=cipher, actor=who.username, draft=draft.child, facts=checked.new_child
        )
    return checked.child


def register_request(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    draft: RequestDraft,
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES,
    now: datetime | None = None,
) -> RegisteredRequest:
    """Register a request: check it, number it, set its deadline and what it owes (Rules 12–22).

    ``notify_minutes`` is the Center's measure of "immediately" for the notifications a direct
    threat owes (Rules 18, 22).
    """
    who = require(load_actor(session, actor), UseCase.REGISTER_REQUEST)
    moment_now = now or utcnow()
    checked = check_draft(session, cipher, draft, now=moment_now)
    duplicates = _refuse_unconfirmed_duplicates(session, cipher, draft, checked)
    due_at = consideration_due_at(
        checked.received_at, direct_threat=draft.direct_threat, calendar=load_calendar(session)
    )
    year = moment_now.astimezone(KZ_TZ).year
    sequence = take_journal_number(session, year)
    child = _child_for(session, cipher, who, draft, checked)
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
        applicant_anonymous=draft.applicant_anonymous,
        child_id=None if child is None else child.id,
        education_organization_id=draft.education_organization_id
        or (child.education_organization_id if child is not None else None),
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
    consent_needed: bool | None = None
    if checked.birth_date is not None:
        consent_needed = consent_requirement(
            checked.birth_date, on=checked.received_on, direct_threat=draft.direct_threat
        ).consent_needed
    notifications = []
    if draft.direct_threat:
        notifications = create_owed_notifications(
            session,
            request=request,
            recipients=threat_recipients(checked.birth_date, on=checked.received_on),
            owed_at=moment_now,
            minutes=notify_minutes,
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
            "anonymous": draft.applicant_anonymous,
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
        source=checked.source,
        applicant_anonymous=draft.applicant_anonymous,
        provisional_child=child is not None and child.provisional,
    )
