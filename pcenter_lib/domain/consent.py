"""Whose consent a child's help needs and whom a direct threat makes the Center notify.

Rule 12.1: a minor over 16 may apply personally; for a younger child the legal representative
applies. Rule 15: services to a minor under 16 need the written or informed consent of a parent
or other legal representative — except where the child's life or health is under direct
threat: then help is given immediately and the parents and competent bodies are notified at the
same time. Rule 18: on a direct threat the Center's management immediately informs the health
bodies, the police and other authorized bodies, for joint work coordinated by the local executive
bodies on child-rights questions. Rule 22: information on direct-threat requests goes to the
child-rights body immediately.

Ages are counted in full years. A child born on 29 February reaches each birthday, in a year
without that date, on 28 February: the Civil Code's rule that a term in years ends on the
matching day of the last year, or where that month has no such day, on the month's last day
(Civil Code of the Republic of Kazakhstan, rules on computing terms — article number to be
checked against adilet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

CONSENT_AGE: Final = 16  # Rule 15: consent of the legal representative below this age
PERSONAL_APPLICATION_AGE: Final = 16  # Rule 12.1: a minor from 16 may apply personally


class BirthDateAfterDateError(PcenterError, ValueError):
    """A birth date lies after the date the age is asked for."""


@dataclass(frozen=True, slots=True)
class NotificationRule:
    """A body the Center must notify of a direct threat, why, and for which children."""

    code: str
    rules: tuple[str, ...]
    label: str
    under_16_only: bool
    automatic: bool = True  # owed on every direct threat; False: added by the specialist


# Who is notified when a request reports a direct threat to a minor's life or health.
NOTIFICATION_RULES: Final = MappingProxyType(
    {
        rule.code: rule
        for rule in (
            # Rule 15: for a child under 16 the parents are notified at the same time as help.
            NotificationRule(
                code="legal_representative",
                rules=("Rule 15",),
                label=N_("Legal representative"),
                under_16_only=True,
            ),
            # Rule 15 (competent bodies) and Rule 18 (health bodies, immediately).
            NotificationRule(
                code="health",
                rules=("Rule 15", "Rule 18"),
                label=N_("Health bodies"),
                under_16_only=False,
            ),
            # Rule 15 (competent bodies) and Rule 18 (internal affairs bodies, immediately).
            NotificationRule(
                code="police",
                rules=("Rule 15", "Rule 18"),
                label=N_("Police (internal affairs bodies)"),
                under_16_only=False,
            ),
            # Rule 22: direct-threat requests are reported to the child-rights body immediately.
            NotificationRule(
                code="child_rights_body",
                rules=("Rule 22",),
                label=N_("Child-rights body"),
                under_16_only=False,
            ),
            # Rule 18: the joint work is coordinated by the local executive body on child-rights
            # questions. The Rule names it as the coordinator rather than as an addressee; it is
            # told at once all the same, because it cannot coordinate work it does not know of.
            NotificationRule(
                code="local_executive_body",
                rules=("Rule 18",),
                label=N_("Local executive body (child-rights protection)"),
                under_16_only=False,
            ),
            # Rule 18: "and other authorized bodies" — which ones depends on the case, so the
            # specialist chooses them; never owed automatically.
            NotificationRule(
                code="other_authorized_body",
                rules=("Rule 18",),
                label=N_("Other authorized body"),
                under_16_only=False,
                automatic=False,
            ),
        )
    }
)


@dataclass(frozen=True, slots=True)
class ConsentRequirement:
    """What Rules 15, 18 and 22 require before and while helping a child."""

    consent_needed: bool
    help_immediately: bool
    notify: frozenset[str]


def birthday_in(birth_date: date, year: int) -> date:
    """The day in ``year`` on which a person born on ``birth_date`` turns a year older.

    29 February becomes 28 February in a year without it (Civil Code rule on terms).
    """
    if (birth_date.month, birth_date.day) == (2, 29):
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return birth_date.replace(year=year)


def age_on(birth_date: date, on: date) -> int:
    """Full years of age on ``on``; a birth date after ``on`` raises ``BirthDateAfterDateError``."""
    if birth_date > on:
        raise BirthDateAfterDateError(
            N_("The birth date {birth_date} is after {on}; check the date of birth."),
            birth_date=birth_date.isoformat(),
            on=on.isoformat(),
        )
    years = on.year - birth_date.year
    return years - 1 if on < birthday_in(birth_date, on.year) else years


def is_under_16(birth_date: date, on: date) -> bool:
    """Whether the child has not yet reached the 16th birthday on ``on`` (Rule 15)."""
    return age_on(birth_date, on) < CONSENT_AGE


def may_apply_personally(birth_date: date, on: date) -> bool:
    """Whether the person may make a personal application (Rule 12.1: a minor from 16).

    Adults may as well; a child under 16 applies through a legal representative.
    """
    return age_on(birth_date, on) >= PERSONAL_APPLICATION_AGE


def consent_requirement(birth_date: date, *, on: date, direct_threat: bool) -> ConsentRequirement:
    """Consent, urgency and notifications for helping a child born on ``birth_date`` on ``on``.

    Under 16 without a direct threat: the legal representative's consent is needed first
    (Rule 15). With a direct threat: no consent is awaited, help is immediate, and the automatic
    bodies of ``NOTIFICATION_RULES`` are notified — the legal representative only for a child
    under 16; the "other authorized bodies" of Rule 18 are added by the specialist.
    """
    under_16 = is_under_16(birth_date, on)
    notify = frozenset(
        rule.code
        for rule in NOTIFICATION_RULES.values()
        if direct_threat and rule.automatic and (under_16 or not rule.under_16_only)
    )
    return ConsentRequirement(
        consent_needed=under_16 and not direct_threat,
        help_immediately=bool(direct_threat),
        notify=notify,
    )
