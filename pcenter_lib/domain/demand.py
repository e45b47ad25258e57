"""The Center's workload and the activity standards that turn it into staff (WHO WISN inputs).

WISN (``pcenter_lib.domain.wisn``) needs, per staff category, last year's count of each
activity and the *activity standard*: the working time one unit takes. Order No. 264 sets no
such standards and the recommended staffing table of order No. 31 (13.02.2024) with its caseload
norms was not available when they were set. The defaults below are
therefore **assumptions**, each with its basis written beside it, to be replaced by the Center's
expert group as WHO recommends; the staffing app lets the manager edit every one of them.

Counts are Center-wide (the journal, consultations, visits…). A standard is the time of *one
core group* per unit of the Center-wide count, averaged over all units: "social pedagogues,
0.25 h per consultation" means one hour of a social pedagogue in one consultation out of four.
So every group is computed from the same counts without splitting the records by author.

``ScenarioParameters`` and ``scenario_demand`` are the same data seen forward: a demand change
(more requests, a new district, a duty line) is a change of these counts.
``pcenter_lib.domain.workload`` turns them into staff.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final

from pcenter_lib.domain.staffing import (
    HOURS_IN_DAY,
    STANDARD_DAILY_HOURS,
    InvalidStaffingInputError,
    StaffCategory,
)
from pcenter_lib.i18n import N_


class CoreGroup(StrEnum):
    """Groups of core personnel (Rule 24.2) whose workload WISN measures, plus the rest."""

    PSYCHOLOGISTS = "psychologists"
    SOCIAL_PEDAGOGUES = "social_pedagogues"
    METHODOLOGISTS = "methodologists"
    MOBILE_GROUP = "mobile_group"  # Rule 17: mobile response group specialists
    OTHER_CORE = "other_core"  # media, coordination…: no countable workload, kept as they are


WISN_GROUPS: Final = (
    CoreGroup.PSYCHOLOGISTS,
    CoreGroup.SOCIAL_PEDAGOGUES,
    CoreGroup.METHODOLOGISTS,
    CoreGroup.MOBILE_GROUP,
)

GROUP_LABELS: Final[dict[CoreGroup, str]] = {
    CoreGroup.PSYCHOLOGISTS: N_("psychologists"),
    CoreGroup.SOCIAL_PEDAGOGUES: N_("social pedagogues"),
    CoreGroup.METHODOLOGISTS: N_("methodologists"),
    CoreGroup.MOBILE_GROUP: N_("mobile response group specialists"),
    CoreGroup.OTHER_CORE: N_("other core personnel"),
}

# Staff positions (``StaffMember.position``) that belong to a WISN group; anyone flagged as a
# mobile response group member counts there first (Rule 17), whatever the position.
POSITION_GROUPS: Final[dict[str, CoreGroup]] = {
    "psychologist": CoreGroup.PSYCHOLOGISTS,
    "pedagogue_psychologist": CoreGroup.PSYCHOLOGISTS,
    "supervisor": CoreGroup.PSYCHOLOGISTS,  # a psychologist who supervises (Rule 11.4)
    "social_pedagogue": CoreGroup.SOCIAL_PEDAGOGUES,
    "methodologist": CoreGroup.METHODOLOGISTS,
}


def core_group_of(position: str, *, is_mobile_group: bool) -> CoreGroup:
    """The WISN group of a core post: mobile group first, then by position, else other core."""
    if is_mobile_group:
        return CoreGroup.MOBILE_GROUP
    return POSITION_GROUPS.get(position.strip().lower(), CoreGroup.OTHER_CORE)


class Activity(StrEnum):
    """Health-service activities of WISN step 2, named after the records that count them."""

    REQUESTS = "requests"  # Rules 12–13, 16: journal entries considered
    CONSULTATIONS = "consultations"  # Rule 11.1
    VISITS = "visits"  # Rule 17: mobile group visits
    DIAGNOSTICS_ROUNDS = "diagnostics_rounds"  # Rules 20–21: a school's screening round
    SUPERVISION_SESSIONS = "supervision_sessions"  # Rule 11.4
    INTERVISION_SESSIONS = "intervision_sessions"  # Rule 11.3
    INFORMATION_CAMPAIGNS = "information_campaigns"  # Rule 11.5: no table, entered by the manager


ACTIVITY_LABELS: Final[dict[Activity, str]] = {
    Activity.REQUESTS: N_("requests considered"),
    Activity.CONSULTATIONS: N_("consultations"),
    Activity.VISITS: N_("mobile group visits"),
    Activity.DIAGNOSTICS_ROUNDS: N_("diagnostics rounds"),
    Activity.SUPERVISION_SESSIONS: N_("supervision sessions"),
    Activity.INTERVISION_SESSIONS: N_("intervision sessions"),
    Activity.INFORMATION_CAMPAIGNS: N_("information campaigns"),
}


@dataclass(frozen=True, slots=True)
class ActivityStandard:
    """Hours of ``group`` per unit of ``activity``; ``basis`` says where the number comes from."""

    group: CoreGroup
    activity: Activity
    hours_per_unit: float
    basis: str  # msgid: the assumption or source behind the number


SET_BY_MANAGER: Final = N_("Set by the manager.")

# Assumptions, not norms (see the module docstring); a consultation lasts 45 minutes by default
# (``Consultation.minutes``) plus 15 minutes of records.
DEFAULT_ACTIVITY_STANDARDS: Final[tuple[ActivityStandard, ...]] = (
    ActivityStandard(CoreGroup.PSYCHOLOGISTS, Activity.REQUESTS, 0.5, N_(
        "Assumption: 30 minutes to read a request, call back and decide within 2 working days (Rule 16).")),
    ActivityStandard(CoreGroup.PSYCHOLOGISTS, Activity.CONSULTATIONS, 0.75, N_(
        "Assumption: psychologists give three consultations in four; 45 minutes plus 15 minutes of records each.")),
    ActivityStandard(CoreGroup.PSYCHOLOGISTS, Activity.DIAGNOSTICS_ROUNDS, 4.0, N_(
        "Assumption: 4 hours per school round to follow up critical answers (Rules 20–21).")),
    ActivityStandard(CoreGroup.PSYCHOLOGISTS, Activity.SUPERVISION_SESSIONS, 3.0, N_(
        "Assumption: a 1.5-hour session attended by two psychologists on average (Rule 11.4).")),
    ActivityStandard(CoreGroup.PSYCHOLOGISTS, Activity.INTERVISION_SESSIONS, 4.0, N_(
        "Assumption: a 2-hour session attended by two psychologists on average (Rule 11.3).")),
    ActivityStandard(CoreGroup.PSYCHOLOGISTS, Activity.INFORMATION_CAMPAIGNS, 8.0, N_(
        "Assumption: one working day of a psychologist per information campaign (Rule 11.5).")),
    ActivityStandard(CoreGroup.SOCIAL_PEDAGOGUES, Activity.REQUESTS, 0.25, N_(
        "Assumption: 15 minutes per request to check the family's social situation.")),
    ActivityStandard(CoreGroup.SOCIAL_PEDAGOGUES, Activity.CONSULTATIONS, 0.25, N_(
        "Assumption: social pedagogues give one consultation in four, one hour each with records.")),
    ActivityStandard(CoreGroup.SOCIAL_PEDAGOGUES, Activity.VISITS, 1.5, N_(
        "Assumption: 1.5 hours per mobile group visit for the social part of the support plan (Rule 17).")),
    ActivityStandard(CoreGroup.SOCIAL_PEDAGOGUES, Activity.INFORMATION_CAMPAIGNS, 8.0, N_(
        "Assumption: one working day of a social pedagogue per information campaign (Rule 11.5).")),
    ActivityStandard(CoreGroup.METHODOLOGISTS, Activity.DIAGNOSTICS_ROUNDS, 4.0, N_(
        "Assumption: 4 hours per school round to analyse results for the analytical note (Rule 21).")),
    ActivityStandard(CoreGroup.METHODOLOGISTS, Activity.SUPERVISION_SESSIONS, 1.5, N_(
        "Assumption: 1.5 hours per supervision session to record the decision and follow-up (Rule 11.4).")),
    ActivityStandard(CoreGroup.METHODOLOGISTS, Activity.INTERVISION_SESSIONS, 6.0, N_(
        "Assumption: 4 hours to prepare de-identified material and 2 hours to facilitate (Rule 11.3).")),
    ActivityStandard(CoreGroup.METHODOLOGISTS, Activity.INFORMATION_CAMPAIGNS, 16.0, N_(
        "Assumption: two working days to prepare the materials of a campaign (Rule 11.5).")),
    ActivityStandard(CoreGroup.MOBILE_GROUP, Activity.REQUESTS, 0.5, N_(
        "Assumption: 30 minutes per request to form the group and plan its response (Rule 17).")),
    ActivityStandard(CoreGroup.MOBILE_GROUP, Activity.VISITS, 8.0, N_(
        "Assumption: two specialists, 3 hours of travel and work on site plus 1 hour of report each (Rule 17).")),
)  # fmt: skip

# WISN category allowance (support activities everyone does): team meeting 2 h a week (5 %)
# and records and reports 1 h a day (12.5 %), as in the worked example of the WISN user's manual (WHO 2010).
DEFAULT_CATEGORY_ALLOWANCE_PERCENT: Final[dict[CoreGroup, float]] = {
    CoreGroup.PSYCHOLOGISTS: 17.5,
    CoreGroup.SOCIAL_PEDAGOGUES: 17.5,
    CoreGroup.METHODOLOGISTS: 10.0,  # meetings 5 % + reports 5 %: records are their activity
    CoreGroup.MOBILE_GROUP: 17.5,
}
# WISN individual allowance (work only some staff do), hours a year per group: the methodologists
# draw up the annual work plan and the analytical report (Rule 23), assumed 200 hours.
DEFAULT_INDIVIDUAL_ALLOWANCE_HOURS: Final[dict[CoreGroup, float]] = {
    CoreGroup.PSYCHOLOGISTS: 0.0,
    CoreGroup.SOCIAL_PEDAGOGUES: 0.0,
    CoreGroup.METHODOLOGISTS: 200.0,
    CoreGroup.MOBILE_GROUP: 0.0,
}
# Absence days of WISN step 1 (placeholders in the spirit of the WISN user's manual, WHO 2010, in working days; the
# Labour Code art. 88 gives at least 24 calendar days of leave, pedagogues more [verify]).
DEFAULT_LEAVE_DAYS: Final = 30.0
DEFAULT_SICK_DAYS: Final = 8.0
DEFAULT_TRAINING_DAYS: Final = 5.0


# Activities that follow the number of children served (a new district brings them) and the
# number of requests (the "+x % requests" slider moves them together: help follows requests).
PER_CHILD_ACTIVITIES: Final = (Activity.REQUESTS, Activity.CONSULTATIONS, Activity.VISITS)
# Activities that follow the number of schools served (each school is screened and informed).
PER_SCHOOL_ACTIVITIES: Final = (Activity.DIAGNOSTICS_ROUNDS, Activity.INFORMATION_CAMPAIGNS)
# A round-the-clock duty post is staffed every hour of the year (8,760 h).
DAYS_IN_YEAR: Final = 365


@dataclass(frozen=True, slots=True)
class WorkloadBaseline:
    """Last year's recorded workload of the Center and the calendar that year had.

    ``counts`` holds the counted activities (information campaigns have no table and are entered
    in the scenario). ``children`` and ``schools`` are those the Center serves; they turn a new
    district's children and schools into extra demand at last year's rates.
    """

    year: int
    working_days: int
    counts: Mapping[Activity, int]
    children: int
    schools: int


@dataclass(frozen=True, slots=True)
class StaffTable:
    """Existing staff units: per Rule 24 category, with core split into WISN groups."""

    administrative: float
    core_groups: Mapping[CoreGroup, float]
    auxiliary: float

    @property
    def core(self) -> float:
        return math.fsum(self.core_groups.values())

    def group(self, group: CoreGroup) -> float:
        return self.core_groups.get(group, 0.0)


@dataclass(frozen=True, slots=True)
class ScenarioParameters:
    """Everything the manager can change: demand, standards, allowances, absences, salaries.

    The defaults describe "last year again with the default standards". ``salary_rates`` are
    monthly costs of one staff unit per Rule 24 category (tenge); empty means no cost shown.
    """

    requests_change_percent: float = 0.0
    new_district_schools: int = 0
    new_district_children: int = 0
    duty_line_posts: int = 0
    extra_auxiliary_posts: float = 0.0
    information_campaigns: int = 0
    hours_per_day: float = STANDARD_DAILY_HOURS
    leave_days: float = DEFAULT_LEAVE_DAYS
    sick_days: float = DEFAULT_SICK_DAYS
    training_days: float = DEFAULT_TRAINING_DAYS
    standards: tuple[ActivityStandard, ...] = DEFAULT_ACTIVITY_STANDARDS
    category_allowance_percent: Mapping[CoreGroup, float] = field(
        default_factory=lambda: dict(DEFAULT_CATEGORY_ALLOWANCE_PERCENT)
    )
    individual_allowance_hours: Mapping[CoreGroup, float] = field(
        default_factory=lambda: dict(DEFAULT_INDIVIDUAL_ALLOWANCE_HOURS)
    )
    salary_rates: Mapping[StaffCategory, float] = field(default_factory=dict)

    def standard(self, group: CoreGroup, activity: Activity) -> ActivityStandard | None:
        """The standard of ``group`` for ``activity``, or ``None`` if the group does not do it."""
        for row in self.standards:
            if row.group is group and row.activity is activity:
                return row
        return None

    def with_standard(
        self, group: CoreGroup, activity: Activity, hours_per_unit: float
    ) -> ScenarioParameters:
        """A copy with one activity standard changed (added if the group did not do it)."""
        default = {(r.group, r.activity): r for r in DEFAULT_ACTIVITY_STANDARDS}.get(
            (group, activity)
        )
        if default is not None and default.hours_per_unit == hours_per_unit:
            replaced = default  # back to the default: its basis holds again
        else:
            replaced = ActivityStandard(group, activity, hours_per_unit, SET_BY_MANAGER)
        rows = [
            row for row in self.standards if not (row.group is group and row.activity is activity)
        ]
        rows.append(replaced)
        order = {(r.group, r.activity): i for i, r in enumerate(DEFAULT_ACTIVITY_STANDARDS)}
        rows.sort(key=lambda r: order.get((r.group, r.activity), len(order)))
        return replace(self, standards=tuple(rows))


def _at_least(name: str, value: float, low: float) -> float:
    if not math.isfinite(value) or value < low:
        raise InvalidStaffingInputError(
            name, N_("{name} must be at least {low}; {value} was given."), low=low, value=value
        )
    return value


def check_parameters(parameters: ScenarioParameters) -> ScenarioParameters:
    """Refuse a scenario that cannot be computed, naming the input (the rest WISN checks)."""
    _at_least("requests_change_percent", parameters.requests_change_percent, -100.0)
    for name in ("new_district_schools", "new_district_children", "duty_line_posts",
                 "extra_auxiliary_posts", "information_campaigns"):  # fmt: skip
        _at_least(name, float(getattr(parameters, name)), 0.0)
    if not 0 < parameters.hours_per_day <= HOURS_IN_DAY:
        raise InvalidStaffingInputError(
            "hours_per_day",
            N_("{name} must be above 0 and at most 24 hours; {value} was given."),
            value=parameters.hours_per_day,
        )
    for category, rate in parameters.salary_rates.items():
        _at_least(f"salary_rates[{category}]", rate, 0.0)
    return parameters


def scenario_demand(
    baseline: WorkloadBaseline, parameters: ScenarioParameters
) -> dict[Activity, float]:
    """Annual workload per activity under the scenario.

    Requests, consultations and visits grow with the children a new district brings, at last
    year's rate per child, and then move by the requests change (help follows requests).
    Diagnostics rounds and information campaigns grow with the schools, at last year's rate per
    school. Supervision and intervision follow a plan and stay as they were. A rate cannot be
    taken from a Center that served no children (or schools): then the new district adds nothing.
    """
    counts = {activity: float(baseline.counts.get(activity, 0)) for activity in Activity}
    counts[Activity.INFORMATION_CAMPAIGNS] = float(parameters.information_campaigns)
    factor = 1 + parameters.requests_change_percent / 100
    for activity in PER_CHILD_ACTIVITIES:
        per_child = counts[activity] / baseline.children if baseline.children else 0.0
        counts[activity] = (
            counts[activity] + per_child * parameters.new_district_children
        ) * factor
    for activity in PER_SCHOOL_ACTIVITIES:
        per_school = counts[activity] / baseline.schools if baseline.schools else 0.0
        counts[activity] += per_school * parameters.new_district_schools
    return counts


def duty_line_hours(posts: int) -> float:
    """Hours a year that ``posts`` round-the-clock duty posts must be staffed."""
    return posts * HOURS_IN_DAY * DAYS_IN_YEAR


def round_up_to_half(units: float) -> float:
    """Posts are planned in half units (WHO WISN: round up to whole or half posts)."""
    return math.ceil(round(units * 2, 9)) / 2
