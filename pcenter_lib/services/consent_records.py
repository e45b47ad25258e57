"""Consent of a legal representative (Rule 15) and the gate every service to a child passes.

A consent records who gave it (encrypted), their relation to the child, its scope, kind
(written or informed), date and document reference; a withdrawal keeps the record and adds
when and why. ``check_service_allowed`` decides whether help may be given now: a child under 16
needs a consent in force — unless there is a direct threat, when help is immediate (Rule 15).
``record_help`` passes that gate before it writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.consent import age_on, consent_requirement
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import (
    REPRESENTATIVE_RELATIONS,
    IntakeValidationError,
    check_moment,
)
from pcenter_lib.errors import PcenterError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, Consent, Consultation, Request
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

CONSENT_KINDS = (("written", N_("Written consent")), ("informed", N_("Informed consent")))
HELP_RECIPIENTS = ("child", "parent", "teacher")


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
        raise IntakeValidationError(
            "relation", N_("A legal representative is a mother, father, guardian or trustee.")
        )
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
    for row in rows:
        if row.withdrawn_at is None or row.withdrawn_at > at:
            return row
    return None


def check_service_allowed(
    session: Session, *, actor: str, request_id: int, at: datetime | None = None
) -> ServiceClearance:
    """Whether the child of a request may be helped at ``at`` (Rule 15); refuses with the reason."""
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    moment = at or utcnow()
    request = load(session, Request, request_id)
    if request.direct_threat:
        return ServiceClearance(request.id, "direct_threat")
    child = request.child
    if child is None:
        raise ServiceRefusedError(
            N_(
                "Request {number} is not linked to a child, so the child's age and consent "
                "cannot be checked (Rule 15). Link the child first."
            ),
            number=request.journal_number,
        )
    on = moment.astimezone(KZ_TZ).date()
    if not consent_requirement(child.birth_on, on=on, direct_threat=False).consent_needed:
        return ServiceClearance(request.id, "age")
    consent = consent_in_force(session, child.id, moment)
    if consent is None:
        raise ServiceRefusedError(
            N_(
                "The child of request {number} is {age} years old and there is no consent of a "
                "legal representative in force: services to a child under 16 need written or "
                "informed consent unless there is a direct threat (Rule 15)."
            ),
            number=request.journal_number,
            age=age_on(child.birth_on, on),
        )
    return ServiceClearance(request.id, "consent", consent.id)


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

    On a direct threat this is the immediate help of Rule 15, given without waiting for consent.
    """
    who = require(load_actor(session, actor), UseCase.RECORD_HELP)
    moment_now = now or utcnow()
    request = load(session, Request, request_id)
    moment = check_moment(
        "held_at", held_at or moment_now, now=moment_now, not_before=request.received_at
    )
    if recipient not in HELP_RECIPIENTS:
        raise ValidationError(N_("Help is given to a child, a parent or a teacher."))
    text = check_text("note", note, required=True)
    clearance = check_service_allowed(session, actor=actor, request_id=request_id, at=moment)
    row = Consultation(
        child_id=request.child_id,
        held_at=moment,
        specialist=who.username,
        recipient=recipient,
        form_remote=form_remote,
        topic="immediate_help" if clearance.basis == "direct_threat" else "consultation",
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
