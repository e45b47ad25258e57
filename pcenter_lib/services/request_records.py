"""One journal entry with its history, as a person reads it (Rules 13, 14).

The entry's current values, its amendments (who, when, why, before and after), the
notifications it owes and, for roles that see identity, the child's and applicant's names —
decrypted only when asked for, and that view is audited. Corrections are made in
``amendments``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import Actor, UseCase, require
from pcenter_lib.domain.consent import consent_requirement
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import NotFoundError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, Request
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_identity_view
from pcenter_lib.services.notifications import NotificationView, notification_views
from pcenter_lib.services.records import load
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import STALE, StaleRecordError

AMENDABLE_FIELDS = (
    "received_at",
    "channel",
    "source",
    "applicant_name",
    "applicant_relation",
    "child_id",
    "education_organization_id",
    "concerns",
    "description",
    "status",
    "outcome",
)
ENCRYPTED_FIELDS = frozenset({"applicant_name"})


@dataclass(frozen=True, slots=True)
class AmendmentView:
    """One correction in an entry's history; encrypted values shown only to identity roles."""

    id: int
    amended_at: datetime
    amended_by: str
    reason: str
    changes: dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class RequestDetail:
    """A journal entry with its history, notifications and (for identity roles) names."""

    id: int
    journal_number: str
    version: int
    values: dict[str, Any]  # the AMENDABLE_FIELDS' current values
    registered_at: datetime
    registered_by: str
    direct_threat: bool
    threat_assessed_by: str | None
    threat_assessed_at: datetime | None
    due_at: datetime
    considered_at: datetime | None
    child_code: str | None
    child_birth_on: date | None
    consent_needed: bool | None
    amendments: tuple[AmendmentView, ...]
    notifications: tuple[NotificationView, ...]
    child_name: str | None = None
    source: str = ""
    applicant_anonymous: bool = False
    child_provisional: bool = False
    review: ReviewState | None = None  # a critical screening answer's same-day review
    threat_closed_at: datetime | None = None
    threat_closed_by: str | None = None
    threat_closed_reason: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewState:
    """The same-day review of a critical screening answer (Rule 16): due, and the decision."""

    due_at: datetime | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    decision: str | None  # direct_threat | no_direct_threat
    reason: str | None

    @property
    def on_time(self) -> bool | None:
        """Whether it was reviewed by its due time; ``None`` while not reviewed."""
        if self.reviewed_at is None:
            return None
        return self.due_at is None or self.reviewed_at.replace(microsecond=0) <= self.due_at


def review_state(request: Request) -> ReviewState | None:
    """The review of a priority-review request, ``None`` for any other request."""
    if not request.priority_review:
        return None
    return ReviewState(
        request.review_due_at,
        request.reviewed_at,
        request.reviewed_by,
        request.review_decision,
        request.review_reason,
    )


def load_request(
    session: Session,
    request_id: int,
    expected_version: int | None = None,
    *,
    attempted: dict[str, Any] | None = None,
) -> Request:
    """The request; with ``expected_version``, refusing a stale version the person saw.

    A stale version is the session's conflict error (``StaleRecordError``), naming both versions
    and holding the values the person tried to save beside the ones saved meanwhile.
    """
    request = load(session, Request, request_id)
    if expected_version is not None and request.version != expected_version:
        tried = dict(attempted or {})
        raise StaleRecordError(
            STALE,
            table="requests",
            seen=expected_version,
            current_version=request.version,
            current={key: getattr(request, key, None) for key in tried},
            attempted=tried,
        )
    return request


def plain_value(value: Any) -> Any:
    """A value as stored in an amendment's JSON."""
    if isinstance(value, datetime):
        return value.astimezone(KZ_TZ).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [plain_value(v) for v in value]
    return value


def current_values(
    request: Request, cipher: IdentityCipher | None, *, identity: bool
) -> dict[str, Any]:
    """The amendable fields of ``request`` now; the applicant's name only with ``identity``."""
    return {
        "received_at": request.received_at.astimezone(KZ_TZ),
        "channel": request.channel,
        "source": request.source,
        "applicant_name": (
            cipher.decrypt(request.applicant_name_enc) if identity and cipher is not None else None
        ),
        "applicant_relation": request.applicant_relation,
        "child_id": request.child_id,
        "education_organization_id": request.education_organization_id,
        "concerns": tuple(sorted(c.concern for c in request.concerns)),
        "description": request.description,
        "status": request.status,
        "outcome": request.outcome,
    }


def _children_shown(
    session: Session, ids: set[int], cipher: IdentityCipher, *, identity: bool
) -> dict[int, str]:
    """How each child a correction moved the entry between is shown: its pseudonymous code, and
    with ``identity`` (a role allowed identity asked for names, audited) its name too (Rule 14).
    The database id means nothing to a person and is never shown."""
    shown = {}
    for child in session.scalars(select(Child).where(Child.id.in_(ids))):
        name = None
        if identity and child.identity is not None:
            name = cipher.decrypt(child.identity.full_name_enc)
        shown[child.id] = f"{name} ({child.code})" if name else child.code
    return shown


def _history(
    session: Session, request: Request, cipher: IdentityCipher, *, identity: bool
) -> tuple[AmendmentView, ...]:
    rows = [(row, row.changed_fields()) for row in request.amendments]
    moved = {
        value
        for _row, fields in rows
        for side in ("from", "to")
        if isinstance(value := fields.get("child_id", {}).get(side), int)
    }
    children = _children_shown(session, moved, cipher, identity=identity) if moved else {}
    views = []
    for row, fields in rows:
        changes = {}
        for name, change in fields.items():
            if name == "child_id":
                change = {
                    side: children.get(change.get(side), change.get(side))
                    for side in ("from", "to")
                }
            elif name in ENCRYPTED_FIELDS:
                if identity:
                    change = {
                        side: cipher.decrypt(change[side].encode()) if change.get(side) else None
                        for side in ("from", "to")
                    }
                else:
                    change = {"from": "***", "to": "***"}
            changes[name] = dict(change)
        views.append(AmendmentView(row.id, row.amended_at, row.amended_by, row.reason, changes))
    return tuple(views)


def request_detail(
    session: Session, request: Request, cipher: IdentityCipher, who: Actor, identity: bool
) -> RequestDetail:
    child = request.child
    consent_needed = None
    if child is not None and child.birth_on is not None:
        waiver = request.direct_threat and request.threat_closed_at is None  # Rule 15
        consent_needed = consent_requirement(
            child.birth_on,
            on=request.received_at.astimezone(KZ_TZ).date(),
            direct_threat=waiver,
        ).consent_needed
    child_name = None
    if identity and child is not None and child.identity is not None:
        child_name = cipher.decrypt(child.identity.full_name_enc)
    return RequestDetail(
        id=request.id,
        journal_number=request.journal_number,
        version=request.version,
        values=current_values(request, cipher, identity=identity),
        registered_at=request.registered_at,
        registered_by=request.registered_by,
        direct_threat=request.direct_threat,
        threat_assessed_by=request.threat_assessed_by,
        threat_assessed_at=request.threat_assessed_at,
        due_at=request.due_at.astimezone(KZ_TZ),
        considered_at=request.considered_at,
        child_code=None if child is None else child.code,
        child_birth_on=None if child is None else child.birth_on,
        consent_needed=consent_needed,
        amendments=_history(session, request, cipher, identity=identity),
        notifications=notification_views(session, request),
        child_name=child_name,
        source=request.source,
        applicant_anonymous=request.applicant_anonymous,
        child_provisional=child is not None and child.provisional,
        review=review_state(request),
        threat_closed_at=request.threat_closed_at,
        threat_closed_by=request.threat_closed_by,
        threat_closed_reason=request.threat_closed_reason,
    )


def get_request(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    request_id: int,
    with_identity: bool = False,
) -> RequestDetail:
    """A journal entry with its history. Names are decrypted (and the view audited) only when
    ``with_identity`` is asked for and the actor's role sees identity (Rule 14)."""
    who = require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    request = load_request(session, request_id)
    identity = with_identity and who.sees_identity
    if identity:
        record_identity_view(session, actor=who.username, record=request)
    return request_detail(session, request, cipher, who, identity)


def find_request_by_number(session: Session, *, actor: str, number: str) -> int:
    """The id of the request with journal number ``number`` (``2026/000123`` or ``2026/123``)."""
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    text = number.strip()
    year_text, _, seq_text = text.partition("/")
    if not (year_text.isdigit() and seq_text.isdigit()):
        raise NotFoundError(
            N_("Write a journal number as year/number, for example 2026/000123."), number=text
        )
    found = session.scalar(
        select(Request.id).where(
            Request.journal_year == int(year_text), Request.journal_seq == int(seq_text)
        )
    )
    if found is None:
        raise NotFoundError(N_("There is no request {number} in the journal."), number=text)
    return found
