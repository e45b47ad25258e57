"""Workload-based staffing need: WHO's Workload Indicators of Staffing Need (WISN).

Rule 24 of Order No. 264 sets a legal *floor* of staff units; WISN answers the other question a
first head asks: how many specialists does last year's workload actually need? The chain is the
one of the WHO WISN User's Manual (WHO, Geneva, 2010):

1. available working time (AWT) per full-time worker per year, in hours;
2. standard workload of each activity = AWT ÷ hours per unit;
3. category allowance factor CAF = 1 ÷ (1 − total category allowance % ÷ 100);
4. individual allowance factor IAF = individual allowance hours ÷ AWT;
5. required staff = Σ (annual workload ÷ standard workload) × CAF + IAF.

Results stay unrounded floats: rounding up to whole or half posts is a planning decision the
caller shows, not something the formula hides. Everything here is plain arithmetic on a handful
of numbers, so a scenario recomputes in microseconds.

The input error and number checks live here and are shared with ``staffing`` (Rule 24), which
re-exports every public name of this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Real
from typing import Final, NamedTuple

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

# Decimal places kept before comparing or dividing by staff numbers: sums of 0.25 and 0.5 posts
# (or of 0.1 FTE) then compare exactly, e.g. 9.5 + 0.5 counts as 10.
UNIT_PRECISION_DIGITS: Final = 9

# Labour Code of the Republic of Kazakhstan (23.11.2015), art. 68 p.1: the normal working time
# must not exceed 40 hours a week.
STANDARD_WEEKLY_HOURS: Final = 40.0
# 40 hours over a five-day week; daily norm of art. 71 p.4 of the Labour Code [verify].
STANDARD_DAILY_HOURS: Final = 8.0
HOURS_IN_DAY: Final = 24.0


class InvalidStaffingInputError(PcenterError, ValueError):
    """A staffing or WISN input is not a usable number; ``field`` names the input."""

    def __init__(self, field: str, msgid: str, /, **params: object) -> None:
        self.field = field
        super().__init__(msgid, name=field, **params)


class WisnRatioUndefinedError(PcenterError, ZeroDivisionError):
    """The WISN ratio (existing ÷ required) was asked for while the required staff is 0."""


class WisnActivity(NamedTuple):
    """One health-service activity of a staff category; a plain pair works just as well."""

    annual_workload: float  # units done last year (consultations, sessions, visits…)
    hours_per_unit: float  # activity standard: working hours one unit takes


@dataclass(frozen=True, slots=True)
class WisnResult:
    """The WISN calculation for one staff category, every intermediate kept for display."""

    standard_workloads: tuple[float, ...]  # units one worker can do in a year, per activity
    staff_needed_per_activity: tuple[float, ...]  # workload ÷ standard workload, before allowances
    category_allowance_factor: float
    individual_allowance_factor: float
    required: float  # unrounded staff units

    @property
    def service_staff(self) -> float:
        """Staff needed for the service activities alone (WISN step 7, "A")."""
        return math.fsum(self.staff_needed_per_activity)

    def difference(self, existing: float) -> float:
        """WISN difference = existing − required (negative means a shortage)."""
        return require_non_negative("existing", existing) - self.required

    def ratio(self, existing: float) -> float:
        """WISN ratio = existing ÷ required (1 balanced, below 1 shortage, above 1 excess).

        Undefined when nothing is required (no workload and no individual allowance): raises
        ``WisnRatioUndefinedError`` rather than returning infinity, which a table would show as
        a misleading "excess".
        """
        staff = require_non_negative("existing", existing)
        if round(self.required, UNIT_PRECISION_DIGITS) == 0:
            raise WisnRatioUndefinedError(
                N_(
                    "The WISN ratio is undefined because the required staff is 0; "
                    "enter the workload or individual allowances first."
                )
            )
        return staff / self.required


def require_number(name: str, value: object) -> float:
    """``value`` as a finite float, or ``InvalidStaffingInputError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidStaffingInputError(
            name, N_("{name} must be a number; {value!r} was given."), value=value
        )
    number = float(value)
    if not math.isfinite(number):
        raise InvalidStaffingInputError(
            name, N_("{name} must be a finite number; {value} was given."), value=number
        )
    return number


def require_non_negative(name: str, value: object) -> float:
    """``value`` as a finite float of at least 0, or ``InvalidStaffingInputError``."""
    number = require_number(name, value)
    if number < 0:
        raise InvalidStaffingInputError(
            name, N_("{name} must not be negative; {value} was given."), value=number
        )
    return number


def require_positive(name: str, value: object) -> float:
    """``value`` as a finite float above 0, or ``InvalidStaffingInputError``."""
    number = require_number(name, value)
    if number <= 0:
        raise InvalidStaffingInputError(
            name, N_("{name} must be greater than 0; {value} was given."), value=number
        )
    return number


def available_working_hours(
    *,
    working_days: int,
    hours_per_day: float,
    leave_days: float,
    sick_days: float,
    training_days: float,
    other_days: float = 0,
) -> float:
    """Available working time of one full-time worker per year, in hours (WISN step 1).

    AWT = (working days − leave − sickness − training − other absences) × hours per day.
    ``working_days`` already excludes weekends and public holidays (take it from the Kazakhstan
    calendar); ``STANDARD_DAILY_HOURS`` is the usual ``hours_per_day``. Absences longer than the
    working days are an input mistake and raise ``InvalidStaffingInputError``.
    """
    if isinstance(working_days, bool) or not isinstance(working_days, int):
        raise InvalidStaffingInputError(
            "working_days",
            N_("{name} must be a whole number of days; {value!r} was given."),
            value=working_days,
        )
    days = require_non_negative("working_days", working_days)
    hours = require_positive("hours_per_day", hours_per_day)
    if hours > HOURS_IN_DAY:
        raise InvalidStaffingInputError(
            "hours_per_day",
            N_("{name} must be at most 24 hours; {value} was given."),
            value=hours,
        )
    absences = math.fsum(
        require_non_negative(name, value)
        for name, value in (
            ("leave_days", leave_days),
            ("sick_days", sick_days),
            ("training_days", training_days),
            ("other_days", other_days),
        )
    )
    if round(absences - days, UNIT_PRECISION_DIGITS) > 0:
        raise InvalidStaffingInputError(
            "working_days",
            N_("The absences ({absences} days) exceed the {value} working days."),
            absences=absences,
            value=working_days,
        )
    return max(days - absences, 0.0) * hours


def _read_activities(activities: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Check every (annual workload, hours per unit) pair, naming the one that is wrong."""
    checked: list[tuple[float, float]] = []
    for index, activity in enumerate(activities):
        if not isinstance(activity, tuple | list) or len(activity) != 2:
            raise InvalidStaffingInputError(
                f"activities[{index}]",
                N_("{name} must be a pair (annual workload, hours per unit)."),
            )
        workload, hours_per_unit = activity
        checked.append(
            (
                require_non_negative(f"activities[{index}].annual_workload", workload),
                require_positive(f"activities[{index}].hours_per_unit", hours_per_unit),
            )
        )
    return checked


def _category_allowance_factor(percent: object) -> float:
    """CAF = 1 ÷ (1 − percent ÷ 100); the percent must be in [0, 100)."""
    value = require_number("category_allowance_percent", percent)
    if not 0 <= value < 100:
        raise InvalidStaffingInputError(
            "category_allowance_percent",
            N_("{name} must be at least 0 and below 100 (per cent); {value} was given."),
            value=value,
        )
    return 1 / (1 - value / 100)


def wisn_required_staff(
    *,
    activities: Iterable[tuple[float, float]],
    available_hours: float,
    category_allowance_percent: float,
    individual_allowance_hours: float,
) -> WisnResult:
    """Staff a category needs for its workload, by the WHO WISN method (steps 2–7).

    ``activities`` holds ``(annual_workload, hours_per_unit)`` pairs (or ``WisnActivity``);
    ``available_hours`` is the AWT of one worker (``available_working_hours``);
    ``category_allowance_percent`` is the total share of working time spent on support activities
    done by everyone (meetings, records, supervision); ``individual_allowance_hours`` the yearly
    hours of additional activities done by some staff only (heading a unit, training others).

    No activities is allowed: then only the individual allowances need staff and
    ``required == individual_allowance_factor``. Every invalid input raises
    ``InvalidStaffingInputError`` naming it.
    """
    pairs = _read_activities(activities)
    hours = require_positive("available_hours", available_hours)
    caf = _category_allowance_factor(category_allowance_percent)
    iaf = require_non_negative("individual_allowance_hours", individual_allowance_hours) / hours
    standard_workloads = tuple(hours / hours_per_unit for _, hours_per_unit in pairs)
    staff_needed = tuple(
        workload / standard
        for (workload, _), standard in zip(pairs, standard_workloads, strict=True)
    )
    return WisnResult(
        standard_workloads=standard_workloads,
        staff_needed_per_activity=staff_needed,
        category_allowance_factor=caf,
        individual_allowance_factor=iaf,
        required=math.fsum(staff_needed) * caf + iaf,
    )


def wisn_sensitivity(
    *,
    activities: Iterable[tuple[float, float]],
    available_hours: float,
    category_allowance_percent: float,
    individual_allowance_hours: float,
    change: float = 0.1,
) -> tuple[float, ...]:
    """For each activity, how much ``required`` moves when its hours per unit grow by ``change``.

    WHO advises that activity standards be set by an expert group; this shows which standard the
    result depends on most. ``change`` is a fraction (0.1 = +10 %) and must be above −1 so the
    changed standard stays positive. Each activity is changed alone, the others kept as given.
    """
    pairs = _read_activities(activities)
    step = require_number("change", change)
    if step <= -1:
        raise InvalidStaffingInputError(
            "change",
            N_(
                "{name} must be greater than -1 so that hours per unit stay positive; {value} was given."
            ),
            value=step,
        )

    def required_for(pairs_now: list[tuple[float, float]]) -> float:
        return wisn_required_staff(
            activities=pairs_now,
            available_hours=available_hours,
            category_allowance_percent=category_allowance_percent,
            individual_allowance_hours=individual_allowance_hours,
        ).required

    base = required_for(pairs)
    deltas: list[float] = []
    for index, (workload, hours_per_unit) in enumerate(pairs):
        changed = list(pairs)
        changed[index] = (workload, hours_per_unit * (1 + step))
        deltas.append(required_for(changed) - base)
    return tuple(deltas)
