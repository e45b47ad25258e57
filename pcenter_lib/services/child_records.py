"""Completing a provisional child record and merging it with the child it turns out to be.

Rule 13 registers every request, so a child nobody could identify on the phone is recorded as
provisional — name, approximate age or grade, school (``children``). Later the record is
*completed* (IIN or birth date and sex; the name) or, when the child turns out to be known
already, *merged* into that child: the provisional record's requests, consents, help, cases,
screening results, crisis events, risk assessments and priority overrides move to the known child; each moved
request gets an amendment in its history; the provisional row stays, pointing at the child it
was merged into, with its identity — so both histories are kept. Both are audited.

``backfill_name_index`` writes the name indexes of children recorded before the index existed
(``pcenter init-db`` calls it after the migrations).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import Sex
from pcenter_lib.domain.field_errors import as_field_error
from pcenter_lib.domain.iin import InvalidIinError, parse_iin
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import ConflictError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    Case,
    Child,
    ChildIdentity,
    ChildNameToken,
    Consent,
    Consultation,
    CrisisEvent,
    LegalRepresentative,
    PriorityOverride,
    Request,
    RequestAmendment,
    RiskAssessment,
    ScreeningResult,
)
from pcenter_lib.models.aggregates import raise_version
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event, record_identity_view
from pcenter_lib.services.child_search import ChildMatch, child_by_iin, matches_of
from pcenter_lib.services.children import (
    SEXES,
    load_child,
    write_name_keys,
)
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import STALE, StaleRecordError

# Stored as the message id (stable); the app shows it translated in the entry's history.
MERGED_REASON: Final = N_("Provisional child record merged into the known child")
# Tables whose rows follow the child when records are merged.
MOVED_WITH_CHILD: Final = (
    Consent,
    Consultation,
    CrisisEvent,
    Case,
    LegalRepresentative,
    ScreeningResult,
    RiskAssessment,
    PriorityOverride,
)


class ChildAlreadyRecordedError(ConflictError):
    """The IIN given belongs to another child record: merge instead of completing."""

    def __init__(self, child_id: int, code: str) -> None:
        self.child_id = child_id
        super().__init__(
            N_(
                "This IIN belongs to the child {code} already recorded; merge this record into "
                "that child instead."
            ),
            code=code,
        )


@dataclass(frozen=True, slots=True)
class ChildCompletion:
    """What the operator learned about a provisional child."""

    full_name: str | None = None
    iin: str | None = None
    birth_date: date | None = None
    sex: str | None = None


@dataclass(frozen=True, slots=True)
class ChildRecord:
    """A child as its record tab shows it; the name only when asked for by an identity role."""

    match: ChildMatch
    version: int
    merged_into_id: int | None


def describe_child(
    session: Session, *, actor: str, cipher: IdentityCipher, child_id: int, with_name: bool = False
) -> ChildRecord:
    """The child's record; a name shown is audited as a view of identity data (Rule 14)."""
    who = require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    child = load_child(session, child_id)
    named = with_name and who.sees_identity
    (match,) = matches_of(session, cipher, [child.id], with_names=named)
    if named:
        record_identity_view(session, actor=who.username, record=child)
    return ChildRecord(match, child.version, child.merged_into_id)


def _child(session: Session, child_id: int, expected_version: int | None = None) -> Child:
    child = load_child(session, child_id)
    if expected_version is not None and child.version != expected_version:
        raise StaleRecordError(
            STALE,
            table="children",
            seen=expected_version,
            current_version=child.version,
            current={},
            attempted={},
        )
    if child.merged_into_id is not None:
        raise ValidationError(
            N_("The record of child {code} was merged into another one."), code=child.code
        )
    return child


def complete_child_record(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    child_id: int,
    expected_version: int,
    completion: ChildCompletion,
) -> Child:
    """Fill in what a provisional record lacked; with birth date and sex it is provisional no more.

    An IIN decides birth date and sex; an IIN that belongs to another record is refused with
    ``ChildAlreadyRecordedError`` — that child is the one to merge into.
    """
    who = require(load_actor(session, actor), UseCase.EDIT_CHILD_RECORD)
    child = _child(session, child_id, expected_version)
    identity = child.identity
    birth, sex = completion.birth_date or child.birth_on, completion.sex or child.sex
    iin_value = None
    if (completion.iin or "").strip():
        try:
            parsed = parse_iin((completion.iin or "").strip())
        except InvalidIinError as error:
            raise as_field_error("iin", error) from error
        other = child_by_iin(session, cipher, parsed.value)
        if other is not None and other.id != child.id:
            raise ChildAlreadyRecordedError(other.id, other.code)
        iin_value, birth, sex = parsed.value, parsed.birth_date, str(parsed.sex)
    if sex is not None and sex not in SEXES:
        raise IntakeValidationError("sex", N_("Give the child's IIN or sex."))
    name = check_text("child_name", completion.full_name)
    if identity is None:
        identity = ChildIdentity(child_id=child.id, full_name_enc=cipher.encrypt("") or b"")
        session.add(identity)
    if name is not None:
        identity.full_name_enc = cipher.encrypt(name) or b""
    if iin_value is not None:
        identity.iin_index = cipher.blind_index(iin_value)
        identity.iin_enc = cipher.encrypt(iin_value)
    child.birth_on, child.sex = birth, None if sex is None else Sex(sex)
    if birth is not None and sex is not None:
        child.provisional, child.approx_age = False, None
    session.flush()
    write_name_keys(session, cipher, identity, cipher.decrypt(identity.full_name_enc), birth)
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="complete_child",
        entity="child",
        entity_id=child.id,
        details={
            "code": child.code,
            "provisional": child.provisional,
            "fields": [
                name
                for name, value in (
                    ("full_name", completion.full_name),
                    ("iin", completion.iin),
                    ("birth_date", completion.birth_date),
                    ("sex", completion.sex),
                )
                if value
            ],
        },
    )
    return child


def merge_children(
    session: Session,
    *,
    actor: str,
    source_id: int,
    into_id: int,
    reason: str,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Merge child ``source_id`` (usually provisional) into ``into_id``; returns requests moved.

    Two records that both carry an IIN are two children and are never merged.
    """
    who = require(load_actor(session, actor), UseCase.EDIT_CHILD_RECORD)
    moment = now or utcnow()
    text = check_text("merge_reason", reason, required=True)
    if source_id == into_id:
        raise ValidationError(N_("A child record cannot be merged into itself."))
    source = _child(session, source_id, expected_version)
    target = _child(session, into_id)
    both_iin = all(c.identity is not None and c.identity.iin_index for c in (source, target))
    if both_iin:
        raise ValidationError(
            N_("Both records carry an IIN: they are two children and cannot be merged.")
        )
    requests = list(session.scalars(select(Request).where(Request.child_id == source.id)))
    for request in requests:
        request.child_id = target.id
        session.add(
            RequestAmendment(
                request_id=request.id,
                amended_at=moment,
                amended_by=who.username,
                reason=MERGED_REASON,
                # the typed reason stays with the journal entry, never in the audit trail:
                # free text may name the child, and the trail can never be erased (Rule 14)
                changes={
                    "child_id": {"from": source.id, "to": target.id},
                    "merge_reason": {"from": None, "to": text},
                },
            )
        )
    moved = {}
    for model in MOVED_WITH_CHILD:
        result = session.execute(
            update(model).where(model.child_id == source.id).values(child_id=target.id)
        )
        moved[model.__tablename__] = int(getattr(result, "rowcount", 0) or 0)
    source.merged_into_id = target.id
    raise_version(session, target)  # its consents and representatives moved by bulk updates
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="merge_children",
        entity="child",
        entity_id=target.id,
        details={
            "from": source.code,
            "into": target.code,
            "requests": [r.journal_number for r in requests],
            "moved": moved,
        },
    )
    return len(requests)


def backfill_name_index(session: Session, cipher: IdentityCipher) -> int:
    """Write the name indexes of identities recorded without them; returns how many."""
    indexed = select(ChildNameToken.child_id)
    rows = session.execute(
        select(ChildIdentity, Child.birth_on)
        .join(Child, Child.id == ChildIdentity.child_id)
        .where(ChildIdentity.child_id.not_in(indexed), ChildIdentity.name_birth_index.is_(None))
    ).all()
    for identity, birth_on in rows:
        write_name_keys(session, cipher, identity, cipher.decrypt(identity.full_name_enc), birth_on)
    session.flush()
    return len(rows)
