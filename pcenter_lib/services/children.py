"""Children at intake: check a new child's data, create the record, show its identity (Rules 12–14).

The IIN is checked (``parse_iin``) and the birth date and sex are taken from it; a typed birth
date that disagrees with the IIN is an error rather than a silent choice. A child nobody can
give an IIN or birth date for is still recorded, as a *provisional* child — name, approximate
age or grade, school — completed later (``child_records``). Identity fields are stored
encrypted, with the blind indexes that find the child again (``IdentityCipher.name_keys``); the
searches are in ``child_search``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import Actor, UseCase, require
from pcenter_lib.domain.field_errors import FieldErrors, as_field_error
from pcenter_lib.domain.iin import InvalidIinError, parse_iin
from pcenter_lib.domain.intake_rules import (
    IntakeValidationError,
    check_birth_date,
)
from pcenter_lib.errors import PermissionDeniedError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, ChildIdentity, ChildNameToken
from pcenter_lib.privacy import IdentityCipher, random_child_code
from pcenter_lib.services.audit import record_event, record_identity_view
from pcenter_lib.services.keyed_columns import surname_index
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

SEXES = ("male", "female")
MAX_APPROX_AGE = 18  # a minor (Rule 12)
MAX_GRADE = 12


@dataclass(frozen=True, slots=True)
class ChildDraft:
    """A child as typed at intake; the IIN, when given, decides birth date and sex.

    Without IIN and birth date the child is provisional: ``full_name`` and ``approx_age`` or
    ``grade`` are then needed.
    """

    full_name: str | None = None
    iin: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    education_organization_id: int | None = None
    grade: int | None = None
    special_needs: bool = False
    address: str | None = None
    contacts: str | None = None
    approx_age: int | None = None


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """What a draft establishes: the checked IIN (if any), birth date and sex, or provisional."""

    iin: str | None
    birth_date: date | None
    sex: str | None
    full_name: str | None
    provisional: bool = False
    approx_age: int | None = None


def _check_iin(draft: ChildDraft) -> tuple[str, date, str]:
    try:
        iin = parse_iin((draft.iin or "").strip())
    except InvalidIinError as error:
        raise as_field_error("iin", error) from error
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
    return iin.value, iin.birth_date, str(iin.sex)


def _check_numbers(draft: ChildDraft, errors: FieldErrors) -> None:
    if draft.grade is not None and not 0 <= draft.grade <= MAX_GRADE:
        errors.errors.append(
            IntakeValidationError(
                "grade", N_("The grade must be 0 to 12; {value} was given."), value=draft.grade
            )
        )
    if draft.approx_age is not None and not 0 < draft.approx_age < MAX_APPROX_AGE:
        errors.errors.append(
            IntakeValidationError(
                "approx_age",
                N_("The approximate age must be 1 to 17 years; {value} was given."),
                value=draft.approx_age,
            )
        )


def establish_child_facts(draft: ChildDraft, *, received_on: date) -> ChildFacts:
    """Check a new child's data; every wrong field is reported at once (Rules 12–13).

    With an IIN: the IIN decides birth date and sex. With a birth date: the sex is needed too.
    With neither: a provisional child, who needs a name and an approximate age or a grade.
    """
    errors = FieldErrors()
    full_name = errors.collect(lambda: check_text("child_name", draft.full_name))
    errors.collect(lambda: check_text("address", draft.address))
    errors.collect(lambda: check_text("contacts", draft.contacts))
    _check_numbers(draft, errors)
    iin_value: str | None = None
    birth_date, sex = draft.birth_date, draft.sex
    provisional = False
    if (draft.iin or "").strip():
        checked = errors.collect(lambda: _check_iin(draft))
        if checked is not None:
            iin_value, birth_date, sex = checked
    elif draft.birth_date is not None:
        if draft.sex not in SEXES:
            errors.errors.append(IntakeValidationError("sex", N_("Give the child's IIN or sex.")))
    else:
        provisional = True
        sex = draft.sex if draft.sex in SEXES else None
        if full_name is None:
            errors.errors.append(
                IntakeValidationError(
                    "child_name",
                    N_(
                        "Without an IIN or a birth date, give at least the child's name and an "
                        "approximate age or grade: the child is recorded as provisional."
                    ),
                )
            )
        if draft.approx_age is None and draft.grade is None:
            errors.errors.append(
                IntakeValidationError(
                    "approx_age",
                    N_("Give the child's approximate age or grade (or the IIN or birth date)."),
                )
            )
    if birth_date is not None:
        errors.collect(lambda: check_birth_date(birth_date, received_on=received_on))
    errors.raise_if_any()
    return ChildFacts(
        iin_value,
        birth_date,
        sex,
        full_name,
        provisional=provisional,
        approx_age=draft.approx_age if provisional else None,
    )


def write_name_keys(
    session: Session,
    cipher: IdentityCipher,
    identity: ChildIdentity,
    full_name: str | None,
    birth_on: date | None,
) -> None:
    """(Re)write the name's blind indexes of ``identity``: its words and name with birth date."""
    keys = cipher.name_keys(full_name, birth_on)
    identity.name_birth_index = keys.name_birth
    identity.surname_index = surname_index(cipher, full_name or "")
    session.execute(delete(ChildNameToken).where(ChildNameToken.child_id == identity.child_id))
    session.add_all(
        ChildNameToken(child_id=identity.child_id, token_index=token)
        for token in sorted(keys.tokens)
    )


def create_child(
    session: Session, *, cipher: IdentityCipher, actor: str, draft: ChildDraft, facts: ChildFacts
) -> Child:
    """Store a new child and its encrypted identity with its indexes; audited as a creation."""
    child = Child(
        code=cipher.child_code(facts.iin) if facts.iin else random_child_code(),
        birth_on=facts.birth_date,
        sex=facts.sex,
        education_organization_id=draft.education_organization_id,
        grade=draft.grade,
        special_needs=draft.special_needs,
        provisional=facts.provisional,
        approx_age=facts.approx_age,
    )
    session.add(child)
    session.flush()
    identity = ChildIdentity(
        child_id=child.id,
        iin_index=cipher.blind_index(facts.iin) if facts.iin else None,
        full_name_enc=cipher.encrypt(facts.full_name or "") or b"",
        iin_enc=cipher.encrypt(facts.iin),
        address_enc=cipher.encrypt(check_text("address", draft.address)),
        contacts_enc=cipher.encrypt(check_text("contacts", draft.contacts)),
    )
    session.add(identity)
    session.flush()
    write_name_keys(session, cipher, identity, facts.full_name, facts.birth_date)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="create",
        entity="child",
        entity_id=child.id,
        details={
            "code": child.code,
            "with_iin": facts.iin is not None,
            "provisional": facts.provisional,
        },
    )
    return child


def require_identity(who: Actor) -> None:
    """Refuse roles that may not see children's names or IINs (Rule 14)."""
    if not who.sees_identity:
        raise PermissionDeniedError(
            N_("Your role does not allow you to see children's names or IINs.")
        )


def load_child(session: Session, child_id: int) -> Child:
    """The child with this id; a clear error when there is none."""
    return load(session, Child, child_id)


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
    require_identity(who)
    child = load_child(session, child_id)
    identity = child.identity
    record_identity_view(session, actor=who.username, record=child)
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
