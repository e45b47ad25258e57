"""The minimum staffing norm of a Psychological Support Center (Rule 24 of Order No. 264).

Rule 24 sets at least 55 staff units in total, split into three categories of personnel:
administrative-managerial at least 10 (24.1), core at least 30 (24.2) and auxiliary no more
than 15 (24.3). The rule is kept as data, ``STAFFING_NORM``, a table of ``NormBound`` rows each
citing its source, read by one small engine, ``check_staffing_norm``; a change of the Order is
then a change of the table, not of the code.

Staff units may be fractional (half and quarter posts). Totals are rounded to 1e-9 before they
are compared, so 9.5 + 0.5 administrative posts meet "at least 10" however the floats add up.

This module is also the public face of staffing arithmetic: the workload-based need (WHO WISN)
lives in ``pcenter_lib.domain.wisn`` and is re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from babel.numbers import format_decimal

from pcenter_lib.domain.wisn import (
    HOURS_IN_DAY,
    STANDARD_DAILY_HOURS,
    STANDARD_WEEKLY_HOURS,
    UNIT_PRECISION_DIGITS,
    InvalidStaffingInputError,
    WisnActivity,
    WisnRatioUndefinedError,
    WisnResult,
    available_working_hours,
    require_non_negative,
    wisn_required_staff,
    wisn_sensitivity,
)
from pcenter_lib.i18n import N_, check_language, gettext

__all__ = [
    "CATEGORY_LABELS",
    "HOURS_IN_DAY",
    "STAFFING_NORM",
    "STANDARD_DAILY_HOURS",
    "STANDARD_WEEKLY_HOURS",
    "TOTAL_LABEL",
    "UNIT_PRECISION_DIGITS",
    "BoundKind",
    "InvalidStaffingInputError",
    "NormBound",
    "NormCheck",
    "NormViolation",
    "StaffCategory",
    "WisnActivity",
    "WisnRatioUndefinedError",
    "WisnResult",
    "available_working_hours",
    "category_label",
    "check_staffing_norm",
    "wisn_required_staff",
    "wisn_sensitivity",
]

# Staff units are shown with as many decimals as are compared, no more (e.g. "9,5" in kk/ru).
_UNITS_PATTERN: Final = "#,##0.#########"


class StaffCategory(StrEnum):
    """The three categories of personnel of Rule 24."""

    ADMINISTRATIVE = "administrative"  # Rule 24.1: management, legal, HR, accounting
    CORE = "core"  # Rule 24.2: specialists carrying out the main directions
    AUXILIARY = "auxiliary"  # Rule 24.3: household, technical, transport, sanitary services


class BoundKind(StrEnum):
    """Whether a bound is a floor (at least) or a cap (no more than)."""

    MINIMUM = "minimum"
    MAXIMUM = "maximum"


# Category names as the Order words them (docs/glossary.md); translated via the catalogs.
CATEGORY_LABELS: Final[dict[StaffCategory, str]] = {
    StaffCategory.ADMINISTRATIVE: N_("administrative-managerial personnel"),
    StaffCategory.CORE: N_("core personnel"),
    StaffCategory.AUXILIARY: N_("auxiliary personnel"),
}
TOTAL_LABEL: Final = N_("all personnel")


def category_label(category: StaffCategory | None, lang: str) -> str:
    """The name of ``category`` in ``lang``; ``None`` (the total of Rule 24) is "all personnel"."""
    msgid = TOTAL_LABEL if category is None else CATEGORY_LABELS[category]
    return gettext(msgid, check_language(lang))


@dataclass(frozen=True, slots=True)
class NormBound:
    """One bound of the staffing norm: ``category`` must be at least / at most ``bound`` units.

    ``category`` ``None`` means all categories together. ``msgid`` is the English text shown when
    the bound is broken, with ``{bound}`` and ``{actual}`` placeholders.
    """

    rule: str
    category: StaffCategory | None
    kind: BoundKind
    bound: float
    source: str
    msgid: str

    @property
    def label(self) -> str:
        """English name of what is bounded (a catalog msgid)."""
        return TOTAL_LABEL if self.category is None else CATEGORY_LABELS[self.category]

    def is_met_by(self, actual: float) -> bool:
        """Whether ``actual`` units (already rounded) satisfy this bound."""
        if self.kind is BoundKind.MINIMUM:
            return actual >= self.bound
        return actual <= self.bound


STAFFING_NORM: Final[tuple[NormBound, ...]] = (
    NormBound(
        rule="24",
        category=None,
        kind=BoundKind.MINIMUM,
        bound=55,
        source="Order No. 264, Rule 24",
        msgid=N_(
            "Rule 24: the minimum staffing norm is at least {bound} staff units in total; "
            "the Center has {actual}."
        ),
    ),
    NormBound(
        rule="24.1",
        category=StaffCategory.ADMINISTRATIVE,
        kind=BoundKind.MINIMUM,
        bound=10,
        source="Order No. 264, Rule 24, subparagraph 1)",
        msgid=N_(
            "Rule 24.1: administrative-managerial personnel must be at least {bound} staff "
            "units; there are {actual}."
        ),
    ),
    NormBound(
        rule="24.2",
        category=StaffCategory.CORE,
        kind=BoundKind.MINIMUM,
        bound=30,
        source="Order No. 264, Rule 24, subparagraph 2)",
        msgid=N_(
            "Rule 24.2: core personnel must be at least {bound} staff units; there are {actual}."
        ),
    ),
    NormBound(
        rule="24.3",
        category=StaffCategory.AUXILIARY,
        kind=BoundKind.MAXIMUM,
        bound=15,
        source="Order No. 264, Rule 24, subparagraph 3)",
        msgid=N_(
            "Rule 24.3: auxiliary personnel may be at most {bound} staff units; there are {actual}."
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class NormViolation:
    """One broken bound: which rule, what it requires and what the Center has."""

    norm: NormBound
    actual: float

    @property
    def rule(self) -> str:
        return self.norm.rule

    @property
    def category(self) -> StaffCategory | None:
        return self.norm.category

    @property
    def kind(self) -> BoundKind:
        return self.norm.kind

    @property
    def bound(self) -> float:
        return self.norm.bound

    @property
    def gap(self) -> float:
        """Staff units to add (for a minimum) or to remove (for a maximum) to meet the bound."""
        return round(abs(self.bound - self.actual), UNIT_PRECISION_DIGITS)

    @property
    def msgid(self) -> str:
        """The English message template; fill it with ``params``."""
        return self.norm.msgid

    @property
    def params(self) -> dict[str, float]:
        return {"bound": self.bound, "actual": self.actual}

    def message(self, lang: str) -> str:
        """The violation in ``lang`` (kk, ru or en), numbers written the way that language does."""
        template = gettext(self.msgid, check_language(lang))
        return template.format(
            **{
                name: format_decimal(value, _UNITS_PATTERN, locale=lang)
                for name, value in self.params.items()
            }
        )

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True, slots=True)
class NormCheck:
    """The outcome of checking a staffing table against the norm."""

    units: dict[StaffCategory, float]
    total: float
    violations: tuple[NormViolation, ...]

    @property
    def compliant(self) -> bool:
        return not self.violations

    def messages(self, lang: str) -> tuple[str, ...]:
        """Every violation's message in ``lang``, in the order of the norm table."""
        return tuple(violation.message(lang) for violation in self.violations)


def check_staffing_norm(
    *,
    administrative: float,
    core: float,
    auxiliary: float,
    norm: tuple[NormBound, ...] = STAFFING_NORM,
) -> NormCheck:
    """Check a Center's staff units per category against the staffing norm (Rule 24).

    Returns every broken bound, not just the first, so a first head sees the whole picture.
    Negative or non-finite units raise ``InvalidStaffingInputError`` naming the category.
    ``norm`` may be replaced to model a changed Order; by default it is ``STAFFING_NORM``.
    """
    units = {
        StaffCategory.ADMINISTRATIVE: require_non_negative("administrative", administrative),
        StaffCategory.CORE: require_non_negative("core", core),
        StaffCategory.AUXILIARY: require_non_negative("auxiliary", auxiliary),
    }
    rounded = {category: round(value, UNIT_PRECISION_DIGITS) for category, value in units.items()}
    total = round(math.fsum(units.values()), UNIT_PRECISION_DIGITS)
    violations = []
    for bound in norm:
        actual = total if bound.category is None else rounded[bound.category]
        if not bound.is_met_by(actual):
            violations.append(NormViolation(norm=bound, actual=actual))
    return NormCheck(units=rounded, total=total, violations=tuple(violations))
