"""What a request must say to be registered (Rules 12–13), as tables read by small checks.

Rule 12 names the means of communication through which a request may arrive (e-mail, phone,
messenger, official platforms; written or oral, online or offline) and who may make it: a minor
over 16 personally, a legal representative of a younger child, a teacher, an education
organization, the "111" contact center and helplines, a state body — and information in the
mass media about a threat to a minor's life or health is also a basis for help. ``CHANNELS``
and ``SOURCES`` hold those lists; the sizes of the text a journal entry keeps are read from its
columns (``services.text_fields``).

Rule 13 registers *all* requests. Who applied decides what happens next, never whether the
request is written down: a younger child's own appeal is registered (``minor_personal_appeal``,
services then need consent under Rule 15), and an applicant who will not give a name (a 111
call, a parent) is registered as anonymous.

The checks here are pure: they take plain values and raise ``IntakeValidationError`` naming the
field, so the form can point at it and the service writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Final

from pcenter_lib.domain.applicants import APPLICANT_RELATIONS as APPLICANT_RELATIONS
from pcenter_lib.domain.applicants import NOT_A_REPRESENTATIVE, RELATION_CODES
from pcenter_lib.domain.applicants import REPRESENTATIVE_RELATIONS as REPRESENTATIVE_RELATIONS
from pcenter_lib.domain.concerns import CONCERNS_BY_CODE
from pcenter_lib.domain.field_errors import IntakeValidationError as IntakeValidationError
from pcenter_lib.domain.text import TextRefusedError, normalise_name, normalise_text
from pcenter_lib.formats import local_time
from pcenter_lib.i18n import N_

CLOCK_SKEW: Final = timedelta(minutes=5)  # a received time this far ahead of the server is accepted

@dataclass(frozen=True, slots=True)
class Channel:
    """A means of communication through which a request may arrive (Rule 12)."""

    code: str
    label: str  # msgid


@dataclass(frozen=True, slots=True)
class Source:
    """Who or what a request comes from (Rule 12.1–12.4 and the mass-media paragraph)."""

    code: str
    label: str  # msgid
    rule: str
    needs_applicant: bool  # the journal names the person or body that applied (or "anonymous")
    personal_minor: bool = False  # Rule 12.1: the minor applies personally


# Rule 12: "e-mail, phone calls, messenger messages — and through official platforms";
# written and/or oral, online and/or offline.
CHANNELS: Final[tuple[Channel, ...]] = (
    Channel("email", N_("E-mail")),
    Channel("phone", N_("Phone call")),
    Channel("messenger", N_("Messenger")),
    Channel("official_platform", N_("Official platform")),
    Channel("in_person", N_("In person (oral)")),
    Channel("written", N_("Written (letter)")),
)

SOURCES: Final[tuple[Source, ...]] = (
    # Rule 12.1: personal application of a minor over 16.
    Source("minor_over_16", N_("Minor over 16 (personal application)"), "Rule 12.1", True, True),
    # Rule 13: a younger minor's own appeal is registered too; services need consent (Rule 15).
    Source(
        "minor_personal_appeal",
        N_("Minor, personal appeal (under 16)"),
        "Rule 13",
        True,
        True,
    ),
    # Rule 12.1: legal representatives of a minor under 16, or of minors.
    Source("legal_representative", N_("Legal representative"), "Rule 12.1", True),
    # Rule 12.1: teachers.
    Source("teacher", N_("Teacher"), "Rule 12.1", True),
    # Rule 12.2: education organizations.
    Source("education_organization", N_("Education organization"), "Rule 12.2", True),
    # Rule 12.3: the "111" contact center and helplines (trust services).
    Source("helpline_111", N_("The 111 contact center"), "Rule 12.3", False),
    Source("trust_service", N_("Helpline (trust service)"), "Rule 12.3", False),
    # Rule 12.4: notifications of state bodies.
    Source("state_body", N_("State body notification"), "Rule 12.4", True),
    # Rule 12, last paragraph: mass-media information about a threat to minors is a basis.
    Source("mass_media", N_("Mass media"), "Rule 12", False),
)

FIELD_LABELS: Final = MappingProxyType(
    {
        "received_at": N_("Received at"),
        "channel": N_("Channel"),
        "source": N_("Source"),
        "applicant_name": N_("Applicant"),
        "applicant_relation": N_("Applicant's relation to the child"),
        "child": N_("Child"),
        "child_name": N_("Child's full name"),
        "iin": N_("IIN"),
        "birth_date": N_("Birth date"),
        "sex": N_("Sex"),
        "concerns": N_("Concerns"),
        "description": N_("Description"),
        "address": N_("Address"),
        "contacts": N_("Contacts"),
        "outcome": N_("Outcome"),
        "reason": N_("Reason for the correction"),
        "education_organization_id": N_("School"),
        "status": N_("Status"),
        "direct_threat": N_("Direct threat"),
        "working": N_("Working day"),
        "legal_source": N_("Legal source (decree or order)"),
        "scope": N_("Scope of the consent"),
        "given_by": N_("Who gave the consent"),
        "document_ref": N_("Document reference"),
        "recipient_detail": N_("Recipient"),
        "confirmation_ref": N_("Confirmation"),
        "findings": N_("Findings"),
        "responsible": N_("Responsible"),
        "sen_accommodation": N_("Special educational needs accommodations"),
        "note": N_("Note"),
        "due_on": N_("Term"),
        "kind": N_("Kind of help"),
        "members": N_("Members"),
        "planned_at": N_("Planned at"),
        "departed_at": N_("Departed at"),
        "arrived_at": N_("Arrived at"),
        "given_at": N_("Date of consent"),
        "approx_age": N_("Approximate age"),
        "grade": N_("Grade"),
        "applicant_anonymous": N_("Anonymous applicant"),
        "due_at": N_("Due at"),
        "threat_assessed_at": N_("Threat assessed at"),
        "threat_closed_at": N_("Threat closed at"),
        "calendar_day": N_("Calendar day changed"),
        "review_due_at": N_("Review due at"),
        "child_id": N_("Child"),
        "considered_at": N_("Considered at"),
        "closed_at": N_("Threat closed at"),
        "reviewed_at": N_("Reviewed at"),
        "closing_reason": N_("Why the immediate danger is over"),
        "merge_reason": N_("Reason for merging"),
        "review_reason": N_("Reason for the decision"),
        "review_decision": N_("Decision"),
        "external_name": N_("Specialist's full name"),
        "external_organization": N_("Organization or body"),
        "external_position": N_("Job title"),
        "sent_to": N_("Sent to"),
        "done_on": N_("Done on"),
        "relation": N_("Relation to the child"),
        "consent_kind": N_("Kind of consent"),
        "channel_sent": N_("Channel"),
        "sent_at": N_("Sent at"),
        "confirmed_at": N_("Confirmed at"),
        "held_at": N_("Held at"),
        "addressee": N_("Addressee"),
        "recommendation": N_("Recommendation"),
        "sent_ref": N_("Outgoing reference"),
        "measures_taken": N_("Measures taken"),
        "plan_title": N_("Event"),
        "plan_responsible": N_("Responsible"),
        "expected_result": N_("Expected result"),
    }
)

# How a notification owed under Rules 15, 18 and 22 was delivered.
NOTIFICATION_CHANNELS: Final[tuple[tuple[str, str], ...]] = (
    ("phone", N_("Phone call")),
    ("email", N_("E-mail")),
    ("official_letter", N_("Official letter")),
    ("information_system", N_("Information system")),
    ("messenger", N_("Messenger")),
    ("in_person", N_("In person (oral)")),
)
NOTIFICATION_CHANNEL_CODES: Final = frozenset(code for code, _ in NOTIFICATION_CHANNELS)

# Kinds of help a support plan sets (Rule 17, Annex 1 to order No. 61; Rule 11 directions).
SUPPORT_KINDS: Final[tuple[tuple[str, str], ...]] = (
    ("consultation", N_("Consultation")),
    ("diagnostics", N_("Psychological-pedagogical diagnostics")),
    ("correctional_developmental", N_("Correctional and developmental sessions")),
    ("crisis_intervention", N_("Crisis intervention")),
    ("parent_work", N_("Work with parents")),
    ("teacher_work", N_("Work with teachers")),
    ("education", N_("Psychological-pedagogical education")),
    ("referral", N_("Referral to other bodies and organizations")),
    ("monitoring", N_("Monitoring")),
)
SUPPORT_KIND_CODES: Final = frozenset(code for code, _ in SUPPORT_KINDS)

REQUEST_STATUSES: Final[tuple[tuple[str, str], ...]] = (
    ("open", N_("Open")),
    ("in_work", N_("In work")),
    ("closed", N_("Closed")),
)
OPEN_STATUSES: Final = frozenset({"open", "in_work"})

CHANNEL_CODES: Final = frozenset(c.code for c in CHANNELS)
CHANNEL_LABELS: Final = MappingProxyType({c.code: c.label for c in CHANNELS})
SOURCE_LABELS: Final = MappingProxyType({s.code: s.label for s in SOURCES})
STATUS_LABELS: Final = MappingProxyType(dict(REQUEST_STATUSES))
SOURCES_BY_CODE: Final = MappingProxyType({s.code: s for s in SOURCES})
STATUS_CODES: Final = frozenset(code for code, _ in REQUEST_STATUSES)


def local_text(moment: datetime) -> str:
    """``moment`` as people in Kazakhstan read it: local date and time to the minute."""
    return local_time(moment)


def check_channel(channel: str | None) -> str:
    """The channel code, if it is one of Rule 12's means of communication."""
    if not channel:
        raise IntakeValidationError("channel", N_("Choose the channel the request came through."))
    if channel not in CHANNEL_CODES:
        raise IntakeValidationError(
            "channel",
            N_("Unknown channel {value!r}; choose one of the list."),
            value=channel,
        )
    return channel


def check_source(source: str | None) -> Source:
    """The source, if it is one of Rule 12's bases for help."""
    if not source:
        raise IntakeValidationError("source", N_("Choose the source of the request."))
    found = SOURCES_BY_CODE.get(source)
    if found is None:
        raise IntakeValidationError(
            "source", N_("Unknown source {value!r}; choose one of the list."), value=source
        )
    return found


def check_concerns(
    codes: tuple[str, ...] | list[str], *, required: bool = False
) -> tuple[str, ...]:
    """The concern codes without repeats, each from the Rule 19 table.

    A new request names at least one concern (``required``): Rule 19 sorts the help by it, and
    a request filed under no concern is one no report or filter would ever find.
    """
    unique = tuple(dict.fromkeys(codes))
    if required and not unique:
        raise IntakeValidationError(
            "concerns", N_("Choose at least one concern (Rule 19); several may apply.")
        )
    for code in unique:
        if code not in CONCERNS_BY_CODE:
            raise IntakeValidationError(
                "concerns", N_("Unknown concern {value!r}; choose one of the list."), value=code
            )
    return unique


# Fields that hold a person's name: no invisible characters (domain.text.normalise_name).
NAME_FIELDS: Final = frozenset({"applicant_name", "child_name", "given_by", "external_name"})
INVISIBLE_IN_NAME: Final = N_(
    "The field {field} holds the invisible character {code}; type the name again without it "
    "(such characters make one name look like another)."
)
NOT_TEXT: Final = N_("The field {field} holds the character {code}, which is not text; remove it.")


def normalised(field: str, value: str) -> str:
    """``value`` in NFC; names without invisible characters (a clear error naming the character)."""
    try:
        return normalise_name(value) if field in NAME_FIELDS else normalise_text(value)
    except TextRefusedError as refused:
        raise IntakeValidationError(
            field,
            INVISIBLE_IN_NAME if refused.in_name else NOT_TEXT,
            field=FIELD_LABELS.get(field, field),
            code=refused.code,
        ) from None


def check_received_at(received_at: datetime | None, *, now: datetime) -> datetime:
    """The moment of receipt: aware, and not later than ``now`` plus ``CLOCK_SKEW``."""
    if received_at is None:
        raise IntakeValidationError("received_at", N_("Give the date and time of receipt."))
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise IntakeValidationError(
            "received_at", N_("The time of receipt needs a time zone (Kazakhstan time is UTC+5).")
        )
    if received_at > now + CLOCK_SKEW:
        raise IntakeValidationError(
            "received_at",
            N_(
                "The time of receipt {value} is in the future; a request cannot arrive later than now."
            ),
            value=local_text(received_at),
        )
    return received_at


def check_birth_date(birth_date: date, *, received_on: date) -> date:
    """A child's birth date must not lie after the day the request was received."""
    if birth_date > received_on:
        raise IntakeValidationError(
            "birth_date",
            N_("The birth date {birth_date} is after the day the request was received ({on})."),
            birth_date=birth_date.isoformat(),
            on=received_on.isoformat(),
        )
    return birth_date


def check_applicant(
    source: Source,
    *,
    applicant_name: str | None,
    relation: str | None,
    anonymous: bool = False,
) -> None:
    """Who applied must fit the source (Rule 12.1) — without ever refusing the request.

    A source that names a person or body needs the applicant's name, unless the applicant will
    not give it: then the request is registered as anonymous (Rule 13). A child's age never
    stops registration; ``applicants.personal_appeal_source`` files a younger child's own
    appeal under its own source.
    """
    if relation is not None and relation not in RELATION_CODES:
        raise IntakeValidationError(
            "applicant_relation",
            N_("Unknown relation {value!r}; choose one of the list."),
            value=relation,
        )
    if (
        source.needs_applicant
        and not source.personal_minor
        and not applicant_name
        and not anonymous
    ):
        raise IntakeValidationError(
            "applicant_name",
            N_(
                "Name the applicant, or mark the applicant as anonymous if they will not give a name."
            ),
        )
    if source.code == "legal_representative" and relation not in (None, *REPRESENTATIVE_RELATIONS):
        raise IntakeValidationError("applicant_relation", NOT_A_REPRESENTATIVE)


def check_moment(
    field: str, moment: datetime, *, now: datetime, not_before: datetime | None = None
) -> datetime:
    """A recorded moment (sent, arrived, ...): aware, not in the future, not before ``not_before``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise IntakeValidationError(
            field, N_("The time needs a time zone (Kazakhstan time is UTC+5).")
        )
    if moment > now + CLOCK_SKEW:
        raise IntakeValidationError(
            field,
            N_("The time {value} of {field} is in the future."),
            value=local_text(moment),
            field=FIELD_LABELS.get(field, field),
        )
    if not_before is not None and moment < not_before:
        raise IntakeValidationError(
            field,
            N_("The time of {field} cannot be earlier than {earliest}."),
            field=FIELD_LABELS.get(field, field),
            earliest=local_text(not_before),
        )
    return moment
