"""Children at intake: find an existing child by name or IIN, or create one (Rules 12, 14).

The IIN is checked (``parse_iin``) and the birth date and sex are taken from it; a typed birth
date that disagrees with the IIN is an error rather than a silent choice. Identity fields are
stored encrypted; a child is found by IIN through its keyed hash (blind index) and by name by
decrypting names in memory — only for roles that see identity, and each search or view is
written to the audit trail.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import Actor, UseCase, require
from pcenter_lib.domain.iin import parse_iin
from pcenter_lib.domain.intake_rules import (
    OPEN_STATUSES,
    IntakeValidationError,
    check_birth_date,
)
from pcenter_lib.errors import PermissionDeniedError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, ChildIdentity, Request
from pcenter_lib.privacy import IdentityCipher, random_child_code
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

SEXES = ("male", "female")
SEARCH_LIMIT = 20


@dataclass(frozen=True, slots=True)
class ChildDraft:
    """A child as typed at intake; the IIN, when given, decides birth date and sex."""

    full_name: str | None = None
    iin: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    education_organization_id: int | None = None
    grade: int | None = None
    special_needs: bool = False
    address: str | None = None
    contacts: str | None = None


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """What a draft establishes: the checked IIN (if any), birth date and sex."""

    iin: str | None
    birth_date: date
    sex: str
    full_name: str | None


@dataclass(frozen=True, slots=True)
class ChildMatch:
    """A child found by a search; ``full_name`` only for roles that see identity."""

    child_id: int
    code: str
    full_name: str | None
    birth_on: date
    sex: str
    education_organization_id: int | None
    grade: int | None
    special_needs: bool
    open_requests: tuple[str, ...]


def establish_child_facts(draft: ChildDraft, *, received_on: date) -> ChildFacts:
    """Check a new child's data: IIN valid, birth date and sex derived, sizes, dates (Rule 12)."""
    full_name = check_text("child_name", draft.full_name)
    check_text("address", draft.address)
    check_text("contacts", draft.contacts)
    iin_text = (draft.iin or "").strip()
    if iin_text:
        iin = parse_iin(iin_text)
        if draft.birth_date is not None and draft.birth_date != iin.birth_date:
            raise IntakeValidationError(
                "birth_date",
                N_("The birth date {typed} does not match the IIN, which gives {derived}."),
                typed=draft.birth_date.isoformat(),
                derived=iin.birth_date.isoformat(),
            )
        if draft.sex is not None and draft.sex != iin.sex:
            raise IntakeValidationError(
                "sex", N_("The sex chosen does not match the IIN; the IIN decides it.")
            )
        birth_date, sex, iin_value = iin.birth_date, str(iin.sex), iin.value
    else:
        if draft.birth_date is None:
            raise IntakeValidationError("birth_date", N_("Give the child's IIN or birth date."))
        if draft.sex not in SEXES:
            raise IntakeValidationError("sex", N_("Give the child's IIN or sex."))
        birth_date, sex, iin_value = draft.birth_date, str(draft.sex), None
    check_birth_date(birth_date, received_on=received_on)
    if draft.grade is not None and not 0 <= draft.grade <= 12:
        raise IntakeValidationError(
            "grade", N_("The grade must be 0 to 12; {value} was given."), value=draft.grade
        )
    return ChildFacts(iin_value, birth_date, sex, full_name)


def child_by_iin(session: Session, cipher: IdentityCipher, iin: str) -> Child | None:
    """The child whose IIN is ``iin``, found through the blind index."""
    identity = session.scalar(
        select(ChildIdentity).where(ChildIdentity.iin_index == cipher.blind_index(iin))
    )
    return None if identity is None else identity.child


def create_child(
    session: Session, *, cipher: IdentityCipher, actor: str, draft: ChildDraft, facts: ChildFacts
) -> Child:
    """Store a new child and its encrypted identity; audited as a creation."""
    child = Child(
        code=cipher.child_code(facts.iin) if facts.iin else random_child_code(),
        birth_on=facts.birth_date,
        sex=facts.sex,
        education_organization_id=draft.education_organization_id,
        grade=draft.grade,
        special_needs=draft.special_needs,
    )
    session.add(child)
    session.flush()
    surname = (facts.full_name or "").split()
    session.add(
        ChildIdentity(
            child_id=child.id,
            iin_index=cipher.blind_index(facts.iin) if facts.iin else None,
            surname_index=cipher.blind_index(surname[0]) if surname else None,
            full_name_enc=cipher.encrypt(facts.full_name or "") or b"",
            iin_enc=cipher.encrypt(facts.iin),
            address_enc=cipher.encrypt(check_text("address", draft.address)),
            contacts_enc=cipher.encrypt(check_text("contacts", draft.contacts)),
        )
    )
    session.flush()
    record_event(
        session,
        actor=actor,
        action="create",
        entity="child",
        entity_id=child.id,
        details={"code": child.code, "with_iin": facts.iin is not None},
    )
    return child


def _open_requests(session: Session, child_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {cid: [] for cid in child_ids}
    if not child_ids:
        return found
    rows = session.execute(
        select(Request.child_id, Request.journal_year, Request.journal_seq)
        .where(Request.child_id.in_(child_ids), Request.status.in_(OPEN_STATUSES))
        .order_by(Request.journal_year, Request.journal_seq)
    )
    for child_id, year, seq in rows:
        if child_id is not None:
            found[child_id].append(f"{year}/{seq:06d}")
    return found


def _match(child: Child, name: str | None, open_requests: list[str]) -> ChildMatch:
    return ChildMatch(
        child.id,
        child.code,
        name,
        child.birth_on,
        child.sex,
        child.education_organization_id,
        child.grade,
        child.special_needs,
        tuple(open_requests),
    )


def _require_identity(who: Actor) -> None:
    if not who.sees_identity:
        raise PermissionDeniedError(
            N_("Your role does not allow you to see children's names or IINs.")
        )


def find_children(
    session: Session, *, actor: str, cipher: IdentityCipher, query: str, limit: int = SEARCH_LIMIT
) -> list[ChildMatch]:
    """Children whose IIN is ``query`` (12 digits) or whose name contains it (identity roles).

    Names are decrypted in memory to match; the search and the children shown are audited.
    """
    who = require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    _require_identity(who)
    text = " ".join(unicodedata.normalize("NFC", query).split())  # names are stored in NFC
    if len(text) < 2:
        return []
    if text.isdigit() and len(text) == 12:
        child = child_by_iin(session, cipher, text)
        pairs = [] if child is None or child.identity is None else [(child.identity, child)]
    else:
        needle = text.casefold()
        pairs = []
        for identity, child in session.execute(
            select(ChildIdentity, Child).join(Child, Child.id == ChildIdentity.child_id)
        ):
            if needle in (cipher.decrypt(identity.full_name_enc) or "").casefold():
                pairs.append((identity, child))
                if len(pairs) >= limit:
                    break
    open_requests = _open_requests(session, [child.id for _identity, child in pairs])
    matches = [
        _match(child, cipher.decrypt(identity.full_name_enc), open_requests[child.id])
        for identity, child in pairs
    ]
    record_event(
        session,
        actor=who.username,
        action="view_identity",
        entity="child",
        details={
            "search": "iin" if text.isdigit() else "name",
            "shown": [m.child_id for m in matches],
        },
    )
    return matches


@dataclass(frozen=True, slots=True)
class ChildIdentityView:
    """A child's identity in clear, for a role that needs it (the view is audited)."""

    child_id: int
    code: str
    full_name: str | None
    iin: str | None
    address: str | None
    contacts: str | None


def show_child_identity(
    session: Session, *, actor: str, cipher: IdentityCipher, child_id: int
) -> ChildIdentityView:
    """Decrypt and return a child's identity; audited as a view of identity data (Rule 14)."""
    who = require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    _require_identity(who)
    child = load(session, Child, child_id)
    identity = child.identity
    record_event(
        session,
        actor=who.username,
        action="view_identity",
        entity="child",
        entity_id=child.id,
        details={"code": child.code},
    )
    if identity is None:
        return ChildIdentityView(child.id, child.code, None, None, None, None)
    return ChildIdentityView(
        child.id,
        child.code,
        cipher.decrypt(identity.full_name_enc),
        cipher.decrypt(identity.iin_enc),
        cipher.decrypt(identity.address_enc),
        cipher.decrypt(identity.contacts_enc),
    )


def identity_matches(
    session: Session, *, actor: str, cipher: IdentityCipher, text: str
) -> set[int]:
    """Requests whose child's IIN is ``text`` or whose name contains it (identity roles only).

    The IIN is looked up by its blind index; names are decrypted in memory. Roles that do not
    see identity get no matches. The search is audited.
    """
    who = require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    needle = " ".join(unicodedata.normalize("NFC", text).split())  # names are stored in NFC
    if not who.sees_identity or len(needle) < 2:
        return set()
    if needle.isdigit() and len(needle) == 12:
        child_ids = set(
            session.scalars(
                select(ChildIdentity.child_id).where(
                    ChildIdentity.iin_index == cipher.blind_index(needle)
                )
            )
        )
    else:
        folded = needle.casefold()
        child_ids = {
            child_id
            for child_id, name in session.execute(
                select(ChildIdentity.child_id, ChildIdentity.full_name_enc)
            )
            if folded in (cipher.decrypt(name) or "").casefold()
        }
    if not child_ids:
        request_ids: set[int] = set()
    else:
        request_ids = set(
            session.scalars(select(Request.id).where(Request.child_id.in_(child_ids)))
        )
    record_event(
        session,
        actor=who.username,
        action="search_identity",
        entity="request",
        details={"by": "iin" if needle.isdigit() else "name", "matches": len(request_ids)},
    )
    return request_ids
