"""Priority levels of the review queue, their order, and the rules of a supervisor's override.

The queue has four levels: ``mandatory`` (a hard rule holds), then ``high``, ``medium`` and
``low`` from the model's band — the display bands of the Allegheny Family Screening Tool
(1–9 low, 10–14 medium, 15–20 high; Chouldechova et al., PMLR 81, 2018). A hard rule always
gives ``mandatory``, whatever the score: ``model_level`` never looks at the probability when a
rule holds, and ``queue_key`` sorts every mandatory child before every other one.

The score advises; people decide. The Law "On personal data and their protection" (No. 94-V,
Art. 19-1) forbids automated processing that has legal effect on a person without consent, so
the only decision recorded about a child is a person's: a supervisor may raise or lower a level
with a reason from ``OVERRIDE_REASONS`` and their own words. Lowering a child that a hard rule
put in mandatory priority needs, for every rule that holds, a recorded reason why it does not
apply. An override holds for ``OVERRIDE_DAYS`` and ends earlier when a rule it did not set aside
starts to hold: new facts put the child back where the rules say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Final

from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_

LEVELS: Final = ("low", "medium", "high", "mandatory")
LEVEL_RANK: Final = MappingProxyType({level: rank for rank, level in enumerate(LEVELS)})
LEVEL_LABELS: Final = MappingProxyType(
    {
        "low": N_("Low"),
        "medium": N_("Medium"),
        "high": N_("High"),
        "mandatory": N_("Mandatory (hard rule)"),
    }
)
BANDS: Final = 20
MEDIUM_FROM_BAND: Final = 10
HIGH_FROM_BAND: Final = 15
OVERRIDE_DAYS: Final = 30
REASON_TEXT_LIMIT: Final = 2000
RULE_NOT_APPLICABLE: Final = "rule_does_not_apply"

# reason code → (direction it may be used for, label msgid)
OVERRIDE_REASONS: Final = MappingProxyType(
    {
        "new_information": ("raise", N_("New information from the child, family or school")),
        "worsening": ("raise", N_("The situation is getting worse")),
        "professional_judgement": ("raise", N_("Specialist's professional judgement")),
        "safe_care": ("lower", N_("The child is in safe care (hospital, relatives, shelter)")),
        "resolved": ("lower", N_("The situation has been resolved")),
        "outdated": ("lower", N_("The information is outdated or wrong")),
        RULE_NOT_APPLICABLE: ("lower", N_("The hard rule does not apply to this child")),
        "other_raise": ("raise", N_("Other reason (raise)")),
        "other_lower": ("lower", N_("Other reason (lower)")),
    }
)


class OverrideError(ValidationError):
    """An override that breaks the rules above; the message says which and what is valid."""


def level_of_band(band: int) -> str:
    """``low`` for bands 1–9, ``medium`` for 10–14, ``high`` for 15–20."""
    if band >= HIGH_FROM_BAND:
        return "high"
    return "medium" if band >= MEDIUM_FROM_BAND else "low"


def model_level(rules: Iterable[str], band: int | None) -> str:
    """The level before any override: ``mandatory`` if a rule holds, else the band's level."""
    if tuple(rules):
        return "mandatory"
    return "low" if band is None else level_of_band(band)


@dataclass(frozen=True, slots=True)
class StandingOverride:
    """A supervisor's override as the queue needs it."""

    to_level: str
    made_at: datetime
    rules_set_aside: frozenset[str]
    made_by: str
    reason_code: str


def override_holds(override: StandingOverride, rules: Iterable[str], at: datetime) -> bool:
    """Whether ``override`` still decides the level at ``at`` given the rules that hold now."""
    fresh = override.made_at <= at < override.made_at + timedelta(days=OVERRIDE_DAYS)
    return fresh and set(rules) <= override.rules_set_aside


def effective_level(
    rules: Iterable[str], band: int | None, override: StandingOverride | None, at: datetime
) -> str:
    """The level the queue shows: a person's standing override, else the model level."""
    held = tuple(rules)
    if override is not None and override_holds(override, held, at):
        return override.to_level
    return model_level(held, band)


def queue_key(level: str, rules: Iterable[str], probability: float | None) -> tuple[float, ...]:
    """Sort key: higher level first, children a rule names first within it, then probability."""
    return (
        -float(LEVEL_RANK[level]),
        0.0 if tuple(rules) else 1.0,
        -(probability if probability is not None else -1.0),
    )


def check_override(
    *,
    current_level: str,
    rules: Iterable[str],
    to_level: str,
    reason_code: str,
    reason: str,
    rules_set_aside: Iterable[str] = (),
    rule_explanation: str | None = None,
) -> str:
    """Check an override and return its direction (``raise`` or ``lower``)."""
    if to_level not in LEVEL_RANK:
        raise OverrideError(
            N_("Unknown priority level {level!r}; use one of: {valid}."),
            level=to_level,
            valid=", ".join(LEVELS),
        )
    if to_level == current_level:
        raise OverrideError(N_("The new level is the same as the current one."))
    direction = "raise" if LEVEL_RANK[to_level] > LEVEL_RANK[current_level] else "lower"
    allowed = OVERRIDE_REASONS.get(reason_code)
    if allowed is None or allowed[0] != direction:
        valid = [code for code, (way, _) in OVERRIDE_REASONS.items() if way == direction]
        raise OverrideError(
            N_("Choose a reason for this change from the list: {valid}."), valid=", ".join(valid)
        )
    text = (reason or "").strip()
    if not text or len(text) > REASON_TEXT_LIMIT:
        raise OverrideError(
            N_("Describe the reason in your own words (1 to {limit} characters)."),
            limit=REASON_TEXT_LIMIT,
        )
    held = set(rules)
    if direction == "lower" and held:
        missing = held - set(rules_set_aside)
        explanation = (rule_explanation or "").strip()
        if reason_code != RULE_NOT_APPLICABLE or missing or not explanation:
            raise OverrideError(
                N_(
                    "A hard rule puts this child in mandatory priority ({rules}). To lower it, "
                    "choose 'the hard rule does not apply' and record why for every rule."
                ),
                rules=", ".join(sorted(held)),
            )
    return direction
