"""Correcting a journal entry and recording its consideration (Rules 13, 16).

Entries are never deleted. A correction is a ``RequestAmendment``: who, when, why, and each
field's value before and after (the applicant's name stays encrypted in the history too). Edits
use optimistic locking: the caller passes the version the person saw, and if somebody saved in
between, ``StaleRequestError`` is raised carrying both the current values and the ones this
person tried to save — the other edit stays, and this one is not lost from the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import RequestStatus
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at
from pcenter_lib.domain.intake_rules import (
    STATUS_CODES,
    IntakeValidationError,
    check_applicant,
    check_birth_date,
    check_channel,
    check_concerns,
    check_moment,
    check_received_at,
    check_source,
    local_text,
)
from pcenter_lib.errors import ConflictError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    Child,
    EducationOrganization,
    Request,
    RequestAmendment,
    RequestConcern,
)
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event, record_identity_view
from pcenter_lib.services.calendar_admin import load_calendar
from pcenter_lib.services.records import MISSING, load
from pcenter_lib.services.request_records import (
    AMENDABLE_FIELDS,
    ENCRYPTED_FIELDS,
    RequestDetail,
    current_values,
    plain_value,
    request_detail,
)
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import StaleRecordError

# Stored as the message id (stable); the app shows it translated in the entry's history.
CONSIDERATION_REASON = N_("Consideration recorded")


class StaleRequestError(ConflictError):
    """Somebody saved the entry after this person opened it; their values and ours are kept."""

    def __init__(
        self,
        *,
        number: str,
        who: str,
        when: str,
        current: dict[str, Any],
        attempted: dict[str, Any],
    ) -> None:
        self.current = current
        self.attempted = attempted
        super().__init__(
            N_(
                "Request {number} was changed by {who} at {when} while you were editing it. "
                "Your changes were not saved: compare the current values with yours and save "
                "again."
            ),
            number=number,
            who=who,
            when=when,
        )


def _checked_changes(
    session: Session, changes: Mapping[str, Any], *, now: datetime
) -> dict[str, Any]:
    """The proposed values, each checked as at registration."""
    unknown = sorted(set(changes) - set(AMENDABLE_FIELDS))
    if unknown:
        raise ValidationError(
            N_("These fields cannot be corrected: {fields}."), fields=", ".join(unknown)
        )
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "received_at":
            clean[name] = check_received_at(value, now=now).astimezone(KZ_TZ)
        elif name == "channel":
            clean[name] = check_channel(value)
        elif name == "source":
            clean[name] = check_source(value).code
        elif name == "description":
            clean[name] = check_text(name, value) or ""
        elif name in ("applicant_name", "outcome"):
            clean[name] = check_text(name, value)
        elif name == "concerns":
            clean[name] = tuple(sorted(check_concerns(tuple(value))))
        elif name == "status":
            if value not in STATUS_CODES:
                raise IntakeValidationError("status", N_("Unknown status {value!r}."), value=value)
            clean[name] = value
        elif name == "child_id":
            if value is not None:
                load(session, Child, value)
            clean[name] = value
        elif name == "education_organization_id":
            if value is not None and session.get(EducationOrganization, value) is None:
                raise IntakeValidationError(name, MISSING[EducationOrganization], id=value)
            clean[name] = value
        else:
            clean[name] = value
    return clean


def amend_request(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    request_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str,
    now: datetime | None = None,
) -> RequestDetail:
    """Correct a journal entry; the old values stay in its history (Rule 13: nothing deleted).

    ``expected_version`` is the version the person saw; a stale one raises
    ``StaleRequestError`` with the current values and the attempted ones, writing nothing.
    """
    who = require(load_actor(session, actor), UseCase.AMEND_REQUEST)
    moment_now = now or utcnow()
    clean_reason = check_text("reason", reason, required=True)
    request = load(session, Request, request_id)
    if request.version != expected_version:
        raise _stale(request, dict(changes))
    proposed = _checked_changes(session, changes, now=moment_now)
    before = current_values(request, cipher, identity=True)
    diff = {k: v for k, v in proposed.items() if before[k] != v}
    if not diff:
        raise ValidationError(N_("Nothing was changed: the values are the same as before."))
    merged = {**before, **diff}
    received_on = merged["received_at"].astimezone(KZ_TZ).date()
    child = session.get(Child, merged["child_id"]) if merged["child_id"] is not None else None
    if child is not None and child.birth_on is not None:
        check_birth_date(child.birth_on, received_on=received_on)
    check_applicant(
        check_source(merged["source"]),
        applicant_name=merged["applicant_name"],
        relation=merged["applicant_relation"],
        anonymous=request.applicant_anonymous,
    )
    record: dict[str, dict[str, Any]] = {}
    for name, value in diff.items():
        if name in ENCRYPTED_FIELDS:
            old, new = request.applicant_name_enc, cipher.encrypt(value)
            record[name] = {
                "from": old.decode() if old else None,
                "to": new.decode() if new else None,
                "encrypted": True,
            }
            request.applicant_name_enc = new
            continue
        record[name] = {"from": plain_value(before[name]), "to": plain_value(value)}
        if name == "concerns":
            kept = {c.concern: c for c in request.concerns}
            request.concerns = [kept.get(code) or RequestConcern(concern=code) for code in value]
        else:
            setattr(request, name, value)
    if "received_at" in diff:
        new_due = consideration_due_at(
            diff["received_at"],
            direct_threat=request.direct_threat,
            calendar=load_calendar(session),
        )
        record["due_at"] = {"from": plain_value(request.due_at), "to": plain_value(new_due)}
        request.due_at = new_due
    session.add(
        RequestAmendment(
            request_id=request.id,
            amended_at=moment_now,
            amended_by=who.username,
            reason=clean_reason,
            changes=record,
        )
    )
    try:
        session.flush()
    except StaleRecordError:
        raise _stale_after_race(session, request_id, dict(changes)) from None
    record_event(
        session,
        actor=who.username,
        action="amend",
        entity="request",
        entity_id=request.id,
        details={
            "journal_number": request.journal_number,
            "fields": sorted(record),
            "version": request.version,
        },
    )
    if who.sees_identity:
        # the entry comes back with its names decrypted: reading a name is audited (Rule 14)
        record_identity_view(session, actor=who.username, record=request)
    return request_detail(session, request, cipher, who, who.sees_identity)


def _stale(request: Request, attempted: dict[str, Any]) -> StaleRequestError:
    """The conflict error with the entry as it is now.

    Names stay encrypted here: showing them would be a view of identity data that the rolled-back
    transaction could not audit (Rule 14); the person reloads the entry to see them.
    """
    last = request.amendments[-1] if request.amendments else None
    by = last.amended_by if last else request.registered_by
    at = last.amended_at if last else request.registered_at
    return StaleRequestError(
        number=request.journal_number,
        who=by,
        when=local_text(at),
        current=current_values(request, None, identity=False),
        attempted=attempted,
    )


def _stale_after_race(
    session: Session, request_id: int, attempted: dict[str, Any]
) -> StaleRequestError:
    """The conflict error when the other save landed between our check and our write.

    This session's transaction is spoilt by the failed flush, so the current values are read in
    a fresh session of the same engine.
    """
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    with Session(engine) as fresh:
        return _stale(load(fresh, Request, request_id), attempted)


def record_consideration(
    session: Session,
    *,
    actor: str,
    request_id: int,
    expected_version: int,
    outcome: str,
    considered_at: datetime | None = None,
    close: bool = False,
    now: datetime | None = None,
) -> datetime:
    """Record that the request was considered (Rule 16) and with what outcome."""
    who = require(load_actor(session, actor), UseCase.AMEND_REQUEST)
    moment_now = now or utcnow()
    request = load(session, Request, request_id)
    attempted = {"outcome": outcome, "status": "closed" if close else request.status}
    if request.version != expected_version:
        raise _stale(request, attempted)
    text = check_text("outcome", outcome, required=True)
    moment = check_moment(
        "considered_at", considered_at or moment_now, now=moment_now, not_before=request.received_at
    )
    status = (
        RequestStatus.CLOSED
        if close
        else (RequestStatus.IN_WORK if request.status == RequestStatus.OPEN else request.status)
    )
    session.add(
        RequestAmendment(
            request_id=request.id,
            amended_at=moment_now,
            amended_by=who.username,
            reason=CONSIDERATION_REASON,
            changes={
                "considered_at": {
                    "from": plain_value(request.considered_at),
                    "to": plain_value(moment),
                },
                "outcome": {"from": request.outcome, "to": text},
                "status": {"from": request.status, "to": status},
            },
        )
    )
    request.considered_at, request.outcome, request.status = moment, text, status
    try:
        session.flush()
    except StaleRecordError:
        raise _stale_after_race(session, request_id, attempted) from None
    record_event(
        session,
        actor=who.username,
        action="consider",
        entity="request",
        entity_id=request.id,
        details={"journal_number": request.journal_number, "on_time": moment <= request.due_at},
    )
    return moment
