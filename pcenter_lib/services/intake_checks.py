"""Checking a request as typed, before anything is written (Rules 12, 13, 19).

``check_draft`` runs every check of Rule 12 (channel, source, applicant), the child's data (IIN,
birth date, sex — or a provisional child), the concerns (Rule 19: at least one) and the field
sizes, and reports every wrong field at once (``IntakeValidationErrors``), each naming its
field so the form shows the message beside it. Nothing in it refuses a request for who applied:
a younger child's own appeal is filed as ``minor_personal_appeal`` (Rule 13), an applicant who
gives no name is recorded as anonymous.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from pcenter_lib.domain.applicants import personal_appeal_source
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.field_errors import FieldErrors
from pcenter_lib.domain.intake_rules import (
    IntakeValidationError,
    Source,
    check_applicant,
    check_birth_date,
    check_channel,
    check_concerns,
    check_received_at,
    check_source,
)
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, EducationOrganization
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.child_search import child_by_iin
from pcenter_lib.services.children import ChildDraft, ChildFacts, establish_child_facts
from pcenter_lib.services.records import MISSING, load
from pcenter_lib.services.text_fields import check_text


@dataclass(frozen=True, slots=True)
class RequestDraft:
    """A request as the operator typed it. ``child_id`` picks a known child; ``child`` a new one.

    ``applicant_anonymous``: the applicant will not give a name (Rule 13: registered all the
    same). ``confirm_duplicate``: register although the child has an open request.
    ``confirm_new_child``: create the typed child although one with the same name and birth
    date exists.
    """

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
    applicant_anonymous: bool = False
    confirm_new_child: bool = False


@dataclass(frozen=True, slots=True)
class CheckedDraft:
    """A draft that passed every check, with the values as they will be stored."""

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

    @property
    def received_on(self) -> date:
        return self.received_at.astimezone(KZ_TZ).date()


def _known_child(session: Session, child_id: int, received_on: date | None) -> Child:
    child = load(session, Child, child_id)
    if child.merged_into_id is not None:
        raise IntakeValidationError(
            "child",
            N_("This child record was merged into another one; choose that child instead."),
        )
    if child.birth_on is not None and received_on is not None:
        check_birth_date(child.birth_on, received_on=received_on)
    return child


def _school(session: Session, school_id: int | None) -> None:
    if school_id is not None and session.get(EducationOrganization, school_id) is None:
        raise IntakeValidationError(
            "education_organization_id", MISSING[EducationOrganization], id=school_id
        )


def check_draft(
    session: Session, cipher: IdentityCipher, draft: RequestDraft, *, now: datetime
) -> CheckedDraft:
    """Every check of the draft; raises all field errors at once and writes nothing."""
    errors = FieldErrors()
    channel = errors.collect(lambda: check_channel(draft.channel))
    source = errors.collect(lambda: check_source(draft.source))
    received_at = errors.collect(lambda: check_received_at(draft.received_at, now=now))
    received_on = None if received_at is None else received_at.astimezone(KZ_TZ).date()
    applicant_name = errors.collect(lambda: check_text("applicant_name", draft.applicant_name))
    description = errors.collect(lambda: check_text("description", draft.description))
    concerns = errors.collect(lambda: check_concerns(draft.concerns, required=True))
    child: Child | None = None
    new_child: ChildFacts | None = None
    if draft.child_id is not None:
        child = errors.collect(lambda: _known_child(session, draft.child_id or 0, received_on))
    elif draft.child is not None and received_on is not None:
        typed = draft.child
        new_child = errors.collect(lambda: establish_child_facts(typed, received_on=received_on))
        if new_child is not None and new_child.iin is not None:
            child = child_by_iin(session, cipher, new_child.iin)
            if child is not None:
                new_child = None
    birth_date = child.birth_on if child is not None else None
    if new_child is not None:
        birth_date = new_child.birth_date
    relation = draft.applicant_relation or (
        "self" if source is not None and source.personal_minor else None
    )
    if source is not None:
        checked_source: Source = source
        errors.collect(
            lambda: check_applicant(
                checked_source,
                applicant_name=applicant_name,
                relation=relation,
                anonymous=draft.applicant_anonymous,
            )
        )
    errors.collect(lambda: _school(session, draft.education_organization_id))
    errors.raise_if_any()
    assert channel is not None and source is not None and received_at is not None
    return CheckedDraft(
        received_at=received_at,
        channel=channel,
        source=personal_appeal_source(
            source.code, birth_date, received_at.astimezone(KZ_TZ).date()
        ),
        applicant_name=None if draft.applicant_anonymous else applicant_name,
        relation=relation,
        concerns=concerns or (),
        description=description or "",
        child=child,
        new_child=new_child,
        birth_date=birth_date,
    )
