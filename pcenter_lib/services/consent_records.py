"""Consent of a legal representative (Rule 15) and the gate every service to a child passes.

A consent records who gave it (encrypted), their relation to the child — any legal
representative the Code on marriage and family recognises (``domain.applicants``) —, its scope,
kind (written or informed), date and document reference; a withdrawal keeps the record and adds
when and why. ``check_service_allowed`` decides whether help may be given now, as Rule 15 reads
(``domain.service_consent``): a child under 16 needs a consent in force, unless a direct threat
is open (immediate help only); advice not about a named child needs none. ``record_help``
passes that gate before it writes anything and keeps the basis with the help, so the services
given under the direct-threat waiver can be listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.applicants import NOT_A_REPRESENTATIVE, REPRESENTATIVE_RELATIONS
from pcenter_lib.domain.consent import age_on
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import IntakeValidationError, check_moment
from pcenter_lib.domain.service_consent import RECIPIENT_CODES, ServiceCase, decide_service
from pcenter_lib.errors import Msgid, PcenterError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, Consent, Consultation, Request
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

CONSENT_KINDS = (("written", N_("Written consent")), ("informed", N_("Informed consent")))


class ServiceRefusedError(PcenterError, PermissionError):
    """A service may not be given yet; the message says why (Rule 15)."""


@dataclass(frozen=True, slots=True)
class ConsentView:
    """A consent as listed; ``given_by`` is shown only to roles that see identity."""

    id: int
    child_id: int
    request_id: int | None
    kind: str
    given_by: str | None
    relation: str
    scope: str
    given_at: datetime
    document_ref: str | None
    recorded_by: str
    withdrawn_at: datetime | None
    withdrawn_reason: str | None

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class ServiceClearance:
    """Why a service may be given: ``direct_threat``, ``consent`` or ``age`` (16 or over)."""

    request_id: int
    basis: str
    consent_id: int | None = None


def _view(row: Consent, cipher: IdentityCipher, *, identity: bool) -> ConsentView:
    return ConsentView(
        row.id,
        row.child_id,
        row.request_id,
        row.kind,
        cipher.decrypt(row.given_by_enc) if identity else None,
        row.relation,
        row.scope,
        row.given_at,
        row.document_ref,
        row.recorded_by,
        row.withdrawn_at,
        row.withdrawn_reason,
    )


def record_consent(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    child_id: int,
    kind: str,
    given_by: str,
    relation: str,
    scope: str,
    given_at: datetime,
    document_ref: str | None = None,
    request_id: int | None = None,
    now: datetime | None = None,
) -> ConsentView:
    """Record a legal representative's written or informed consent (Rule 15)."""
    who = require(load_actor(session, actor), UseCase.RECORD_CONSENT)
    load(session, Child, child_id)
    if kind not in dict(CONSENT_KINDS):
        raise IntakeValidationError("consent_kind", N_("Choose written or informed consent."))
    if relation not in REPRESENTATIVE_RELATIONS:
        raise IntakeValidationError("relation", NOT_A_REPRESENTATIVE)
    name = check_text("given_by", given_by, required=True)
    clean_scope = check_text("scope", scope, required=True)
    assert name is not None and clean_scope is not None
    moment = check_moment("given_at", given_at, now=now or utcnow())
    if request_id is not None:
        request = session.get(Request, request_id)
        if request is None or request.child_id != child_id:
            raise ValidationError(N_("The consent's request is not a request for this child."))
    row = Consent(
        child_id=child_id,
        request_id=request_id,
        kind=kind,
        given_by_enc=cipher.encrypt(name),
        relation=relation,
        scope=clean_scope,
        given_at=moment,
        document_ref=check_text("document_ref", document_ref),
        recorded_by=who.username,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="record_consent",
        entity="consent",
        entity_id=row.id,
        details={"child_id": child_id, "kind": kind, "relation": relation},
    )
    return _view(row, cipher, identity=who.sees_identity)


def withdraw_consent(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    consent_id: int,
    reason: str,
    withdrawn_at: datetime | None = None,
    now: datetime | None = None,
) -> ConsentView:
    """Record that a consent was withdrawn; the consent itself stays in the record."""
    who = require(load_actor(session, actor), UseCase.RECORD_CONSENT)
    moment_now = now or utcnow()
    row = load(session, Consent, consent_id)
    if row.withdrawn_at is not None:
        raise ValidationError(N_("This consent was already withdrawn."))
    row.withdrawn_reason = check_text("reason", reason, required=True)
    row.withdrawn_at = check_moment(
        "given_at", withdrawn_at or moment_now, now=moment_now, not_before=row.given_at
    )
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="withdraw_consent",
        entity="consent",
        entity_id=row.id,
        # the view returned shows who gave the consent (decrypted) to identity roles: audited
        details={"child_id": row.child_id, "identity_shown": who.sees_identity},
    )
    return _view(row, cipher, identity=who.sees_identity)


def list_consents(
    session: Session, *, actor: str, cipher: IdentityCipher, child_id: int
) -> list[ConsentView]:
    """A child's consents, newest first; who gave them only for identity roles (audited)."""
    who = require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    rows = list(
        session.scalars(
            select(Consent).where(Consent.child_id == child_id).order_by(Consent.given_at.desc())
        )
    )
    if rows and who.sees_identity:
        record_event(
            session,
            actor=who.username,
            action="view_identity",
            entity="consent",
            details={"child_id": child_id, "shown": [r.id for r in rows]},
        )
    return [_view(row, cipher, identity=who.sees_identity) for row in rows]


def consent_in_force(session: Session, child_id: int, at: datetime) -> Consent | None:
    """The latest consent given by ``at`` and not withdrawn by then."""
    rows = session.scalars(
        select(Consent)
        .where(Consent.child_id == child_id, Consent.given_at <= at)
        .order_by(Consent.given_at.desc())
    )
    return consent_among(rows, at)


def consent_among(newest_first: Iterable[Consent], at: datetime) -> Consent | None:
    """Of a child's consents, newest first: the latest given by ``at`` and not withdrawn by then."""
    for row in newest_first:
        if row.given_at <= at and (row.withdrawn_at is None or row.withdrawn_at > at):
            return row
    return None


def _service_case(
    session: Session, request: Request, *, recipient: str, moment: datetime
) -> ServiceCase:
    """The facts Rule 15 decides on, for a service on ``request`` at ``moment``."""
    child = request.child
    threat_open = request.direct_threat and (
        request.threat_closed_at is None or request.threat_closed_at > moment
    )
    return ServiceCase(
        recipient=recipient,
        on=moment.astimezone(KZ_TZ).date(),
        child_linked=child is not None,
        child_birth_date=None if child is None else child.birth_on,
        anonymous_request=request.applicant_anonymous,
        threat_open=threat_open,
        consent_in_force=child is not None
        and consent_in_force(session, child.id, moment) is not None,
    )


def check_service_allowed(
    session: Session,
    *,
    actor: str,
    request_id: int,
    at: datetime | None = None,
    recipient: str = "child",
) -> ServiceClearance:
    """Whether a service to ``recipient`` on a request may be given at ``at`` (Rule 15).

    Refuses with the reason and what would open the way (``domain.service_consent``).
    """
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    moment = at or utcnow()
    request = load(session, Request, request_id)
    if recipient not in RECIPIENT_CODES:
        raise ValidationError(N_("Help is given to a child, a parent or a teacher."))
    decision = decide_service(_service_case(session, request, recipient=recipient, moment=moment))
    if not decision.allowed:
        child = request.child
        age = "—"
        if child is not None and child.birth_on is not None and child.birth_on <= moment.date():
            age = str(age_on(child.birth_on, moment.astimezone(KZ_TZ).date()))
        raise ServiceRefusedError(
            N_("Request {number} (child's age: {age}): {reason}"),
            number=request.journal_number,
            age=age,
            reason=Msgid(decision.message),
        )
    consent = None
    if decision.basis == "consent" and request.child_id is not None:
        consent = consent_in_force(session, request.child_id, moment)
    return ServiceClearance(
        request.id, decision.basis or "", None if consent is None else consent.id
    )


def record_help(
    session: Session,
    *,
    actor: str,
    request_id: int,
    note: str,
    held_at: datetime | None = None,
    recipient: str = "child",
    form_remote: bool = False,
    now: datetime | None = None,
) -> int:
    """Record help given for a request, after ``check_service_allowed``; returns its id.

    The basis is kept with the help: ``direct_threat`` marks the immediate help of Rule 15,
    given without waiting for consent — listed by ``services_under_waiver``.
    """
    who = require(load_actor(session, actor), UseCase.RECORD_HELP)
    moment_now = now or utcnow()
    request = load(session, Request, request_id)
    moment = check_moment(
        "held_at", held_at or moment_now, now=moment_now, not_before=request.received_at
    )
    if recipient not in RECIPIENT_CODES:
        raise ValidationError(N_("Help is given to a child, a parent or a teacher."))
    text = check_text("note", note, required=True)
    clearance = check_service_allowed(
        session, actor=actor, request_id=request_id, at=moment, recipient=recipient
    )
    row = Consultation(
        child_id=request.child_id,
        request_id=request.id,
        held_at=moment,
        specialist=who.username,
        recipient=recipient,
        form_remote=form_remote,
        topic="immediate_help" if clearance.basis == "direct_threat" else "consultation",
        basis=clearance.basis,
        note=text,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="record_help",
        entity="consultation",
        entity_id=row.id,
        details={"request": request.journal_number, "basis": clearance.basis},
    )
    return row.id


@dataclass(frozen=True, slots=True)
class WaivedService:
    """A service given under the direct-threat waiver of Rule 15, without consent."""

    id: int
    held_at: datetime
    specialist: str
    recipient: str
    form_remote: bool
    note: str | None


def services_under_waiver(session: Session, *, actor: str, request_id: int) -> list[WaivedService]:
    """The help given on a request without consent because of the direct threat (Rule 15)."""
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    rows = session.scalars(
        select(Consultation)
        .where(Consultation.request_id == request_id, Consultation.basis == "direct_threat")
        .order_by(Consultation.held_at)
    )
    return [
        WaivedService(r.id, r.held_at, r.specialist, r.recipient, r.form_remote, r.note)
        for r in rows
    ]
