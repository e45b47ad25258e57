"""May a service be given now, and on what basis (Rule 15), as one pure decision.

Rule 15: "Psychological services to minors under 16 are provided with the written or informed
consent of their parents or other legal representatives — except where the child's life or
health is under direct threat: then help is given immediately, and the parents and the
competent bodies are notified at the same time." Read as it stands:

* the consent governs *services to a minor*. Advice to a teacher or a parent that is not about a
  named child, and help on an anonymous request that names no child, are no services to a minor
  the Center could ask consent for — they need none (``not_about_a_child``, ``anonymous``);
* the direct-threat exception covers the *immediate* help only: while the threat is open the
  help is given at once (``direct_threat``); once the specialist closes the threat, further
  services need consent like any other;
* a child whose birth date is not known yet (a provisional record) may be under 16: without a
  consent in force the service waits until the record is completed or consent is recorded —
  the reading that protects the child's and the family's rights;
* from the 16th birthday no consent is needed (``age``).

``BASES`` and ``REFUSALS`` hold the message each outcome shows; ``decide_service`` is the one
engine that reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

from pcenter_lib.domain.consent import is_under_16
from pcenter_lib.i18n import N_

RECIPIENTS: Final[tuple[tuple[str, str], ...]] = (
    ("child", N_("The child")),
    ("parent", N_("A parent or legal representative")),
    ("teacher", N_("A teacher")),
)
RECIPIENT_CODES: Final = frozenset(code for code, _ in RECIPIENTS)

# Why a service may be given (Rule 15), as the person reads it.
BASES: Final = MappingProxyType(
    {
        "direct_threat": N_(
            "Direct threat: immediate help without waiting for consent; parents and competent "
            "bodies are notified at the same time (Rule 15)."
        ),
        "consent": N_("A consent of a legal representative is in force (Rule 15)."),
        "age": N_("The child is 16 or older: no consent is needed (Rule 15)."),
        "not_about_a_child": N_(
            "Advice to a parent or teacher not about a named child: no child's consent is "
            "needed (Rule 15 governs services to a minor)."
        ),
        "anonymous": N_(
            "Help on an anonymous request that names no child: no child's consent is needed."
        ),
    }
)

# Why it may not be given yet, and what would open the way.
REFUSALS: Final = MappingProxyType(
    {
        "no_consent": N_(
            "The child is under 16 and there is no consent of a legal representative in force: "
            "services need written or informed consent unless there is a direct threat (Rule 15)."
        ),
        "age_unknown": N_(
            "The child's birth date is not known yet (provisional record): complete the child's "
            "record or record a consent of a legal representative before services (Rule 15)."
        ),
        "child_unknown": N_(
            "The request names no child: link the child (a provisional record will do) before "
            "services to the child (Rule 15)."
        ),
    }
)


@dataclass(frozen=True, slots=True)
class ServiceCase:
    """What the decision needs to know about one service, as plain facts."""

    recipient: str  # child | parent | teacher
    on: date
    child_linked: bool
    child_birth_date: date | None = None
    anonymous_request: bool = False
    threat_open: bool = False
    consent_in_force: bool = False


@dataclass(frozen=True, slots=True)
class ServiceDecision:
    """``allowed`` with its ``basis`` (a key of ``BASES``), or the ``refusal`` (of ``REFUSALS``)."""

    allowed: bool
    basis: str | None = None
    refusal: str | None = None

    @property
    def message(self) -> str:
        """The msgid a person reads for this decision."""
        if self.basis is not None:
            return BASES[self.basis]
        return REFUSALS[self.refusal or "no_consent"]


def _allow(basis: str) -> ServiceDecision:
    return ServiceDecision(True, basis=basis)


def _refuse(refusal: str) -> ServiceDecision:
    return ServiceDecision(False, refusal=refusal)


def decide_service(case: ServiceCase) -> ServiceDecision:
    """Whether the service in ``case`` may be given now, and why (Rule 15)."""
    if case.recipient not in RECIPIENT_CODES:
        raise ValueError(f"unknown recipient {case.recipient!r}")
    if case.threat_open:
        return _allow("direct_threat")
    if not case.child_linked:
        if case.recipient != "child":
            return _allow("not_about_a_child")
        return _allow("anonymous") if case.anonymous_request else _refuse("child_unknown")
    born = case.child_birth_date
    if born is not None and born <= case.on and not is_under_16(born, case.on):
        return _allow("age")
    if case.consent_in_force:
        return _allow("consent")
    return _refuse("age_unknown" if born is None else "no_consent")
