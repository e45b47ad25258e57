"""Staffing scenarios: last year's workload, changed demand, WISN need and the proposal.

A scenario is last year's recorded workload of the Center (``WorkloadBaseline``) seen forward:
more or fewer requests, a new district's schools and children, a round-the-clock duty line,
edited activity standards and allowances (``ScenarioParameters``). ``evaluate_scenario`` turns
it, with the existing staff table, into the WHO WISN need per core group and a proposal per
Rule 24 category: the larger of the legal floor and the need, the auxiliary cap kept and a
conflict reported when the need is above it, and the cost when salary rates are given.

Everything is plain arithmetic on a few dozen numbers, so a scenario recomputes in well under a
millisecond; the staffing app recomputes on every slider move.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final

from pcenter_lib.domain.demand import (
    ACTIVITY_LABELS,
    DEFAULT_ACTIVITY_STANDARDS,
    GROUP_LABELS,
    WISN_GROUPS,
    Activity,
    ActivityStandard,
    CoreGroup,
    ScenarioParameters,
    StaffTable,
    WorkloadBaseline,
    check_parameters,
    core_group_of,
    duty_line_hours,
    round_up_to_half,
    scenario_demand,
)
from pcenter_lib.domain.staffing import (
    STAFFING_NORM,
    UNIT_PRECISION_DIGITS,
    NormCheck,
    StaffCategory,
    WisnRatioUndefinedError,
    WisnResult,
    available_working_hours,
    check_staffing_norm,
    wisn_required_staff,
    wisn_sensitivity,
)
from pcenter_lib.formats import format_units
from pcenter_lib.i18n import N_, check_language, gettext

__all__ = [  # the inputs of pcenter_lib.domain.demand, re-exported: one import for callers
    "ACTIVITY_LABELS",
    "DEFAULT_ACTIVITY_STANDARDS",
    "GROUP_LABELS",
    "LIMIT_LABELS",
    "WISN_GROUPS",
    "Activity",
    "ActivityStandard",
    "CoreGroup",
    "GroupNeed",
    "Limit",
    "PolicyConflict",
    "RecommendationRow",
    "ScenarioParameters",
    "ScenarioResult",
    "StaffTable",
    "WorkloadBaseline",
    "check_parameters",
    "core_group_of",
    "evaluate_scenario",
    "format_units",
    "round_up_to_half",
    "scenario_demand",
]  # fmt: skip

# Salary rates are monthly; the akimat budgets a year.
MONTHS_IN_YEAR: Final = 12


@dataclass(frozen=True, slots=True)
class GroupNeed:
    """WISN for one core group under a scenario, with what it rests on."""

    group: CoreGroup
    existing: float
    activities: tuple[ActivityStandard, ...]
    demand: tuple[float, ...]  # annual workload of each activity above
    wisn: WisnResult
    sensitivity: tuple[float, ...]  # change of ``required`` when a standard grows by 10 %

    @property
    def required(self) -> float:
        return self.wisn.required

    @property
    def posts(self) -> float:
        """The need in posts: ``required`` rounded up to a half unit."""
        return round_up_to_half(self.wisn.required)

    @property
    def difference(self) -> float:
        return self.wisn.difference(self.existing)

    @property
    def ratio(self) -> float | None:
        """WISN ratio, or ``None`` where nothing is required (undefined, not "excess")."""
        try:
            return self.wisn.ratio(self.existing)
        except WisnRatioUndefinedError:
            return None


class Limit(StrEnum):
    """What decides a line of the proposal, so the manager can see why it does not move."""

    FLOOR = "floor"  # the legal floor (Rule 24) is above the workload need
    NEED = "need"  # the workload need (WISN) is above the floor
    CAP = "cap"  # the need is above the cap of Rule 24.3, which holds the line back
    KEPT = "kept"  # posts without countable workload are kept as they are


LIMIT_LABELS: Final[dict[Limit, str]] = {
    Limit.FLOOR: N_("minimum staffing norm (Rule 24)"),
    Limit.NEED: N_("workload need (WISN)"),
    Limit.CAP: N_("cap of Rule 24.3"),
    Limit.KEPT: N_("existing posts kept"),
}


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    """One line of the staffing proposal: the larger of the legal floor and the need.

    ``group`` ``None`` is a whole Rule 24 category, or for core the units added only to reach
    the total of Rule 24. ``cap`` is set for auxiliary personnel (Rule 24.3).
    """

    category: StaffCategory
    group: CoreGroup | None
    existing: float
    floor: float
    need: float
    recommended: float
    cap: float | None = None
    monthly_rate: float | None = None  # salary of one unit a month, when the manager gave it

    @property
    def change(self) -> float:
        return round(self.recommended - self.existing, UNIT_PRECISION_DIGITS)

    @property
    def limited_by(self) -> Limit:
        """Which figure decides ``recommended``: the cap, the floor, the need, or existing posts.

        A line the floor decides does not move with demand until the need passes the floor.
        """
        if self.cap is not None and self.need > self.cap:
            return Limit.CAP
        if self.floor > 0 and self.floor >= self.need:
            return Limit.FLOOR
        countable = self.group is not None and self.group is not CoreGroup.OTHER_CORE
        if not countable and self.need == self.existing:
            return Limit.KEPT
        return Limit.NEED

    @property
    def annual_cost(self) -> float | None:
        if self.monthly_rate is None:
            return None
        return self.recommended * self.monthly_rate * MONTHS_IN_YEAR

    @property
    def existing_annual_cost(self) -> float | None:
        if self.monthly_rate is None:
            return None
        return self.existing * self.monthly_rate * MONTHS_IN_YEAR


@dataclass(frozen=True, slots=True)
class PolicyConflict:
    """The need is above a cap of the norm: reported, never silently exceeded (Rule 24.3)."""

    rule: str
    need: float
    cap: float
    msgid: str = N_(
        "Rule 24.3 conflict: the workload needs {need} auxiliary staff units but at most {cap} "
        "are allowed; the proposal keeps {cap} and the difference needs a decision."
    )

    def message(self, lang: str) -> str:
        return gettext(self.msgid, check_language(lang)).format(
            need=format_units(self.need, lang), cap=format_units(self.cap, lang)
        )


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """The recomputed scenario: WISN per group, the proposal, its norm check and its cost."""

    parameters: ScenarioParameters
    available_hours: float
    demand: Mapping[Activity, float]
    needs: tuple[GroupNeed, ...]
    rows: tuple[RecommendationRow, ...]
    existing_check: NormCheck
    proposal_check: NormCheck
    conflicts: tuple[PolicyConflict, ...]

    @property
    def compliant(self) -> bool:
        """The proposal meets Rule 24 and needs nothing the norm forbids."""
        return self.proposal_check.compliant and not self.conflicts

    def recommended(self, category: StaffCategory) -> float:
        return math.fsum(row.recommended for row in self.rows if row.category is category)

    @property
    def total_recommended(self) -> float:
        return self.proposal_check.total

    @property
    def posts_to_add(self) -> float:
        """Units the proposal adds on the lines that grow."""
        return math.fsum(max(row.change, 0.0) for row in self.rows)

    @property
    def posts_to_remove(self) -> float:
        """Units the proposal takes away on the lines that shrink (a positive number)."""
        return math.fsum(max(-row.change, 0.0) for row in self.rows)

    @property
    def total_existing(self) -> float:
        return math.fsum(row.existing for row in self.rows)

    @property
    def net_change(self) -> float:
        """Proposed minus existing units: what the proposal adds in all, net of what it cuts."""
        return round(self.total_recommended - self.total_existing, UNIT_PRECISION_DIGITS)

    @property
    def annual_cost(self) -> float | None:
        """Yearly cost of the proposal; ``None`` unless every category has a salary rate."""
        costs = [row.annual_cost for row in self.rows]
        return None if any(c is None for c in costs) else math.fsum(c or 0.0 for c in costs)

    @property
    def existing_annual_cost(self) -> float | None:
        costs = [row.existing_annual_cost for row in self.rows]
        return None if any(c is None for c in costs) else math.fsum(c or 0.0 for c in costs)


def _bound(rule: str) -> float:
    return next(bound.bound for bound in STAFFING_NORM if bound.rule == rule)


def _group_need(
    group: CoreGroup,
    staff: StaffTable,
    demand: Mapping[Activity, float],
    parameters: ScenarioParameters,
    available_hours: float,
) -> GroupNeed:
    rows = tuple(row for row in parameters.standards if row.group is group)
    pairs = [(demand[row.activity], row.hours_per_unit) for row in rows]
    individual = parameters.individual_allowance_hours.get(group, 0.0)
    if group is CoreGroup.PSYCHOLOGISTS:  # a 24/7 duty line is staffed by psychologists
        individual += duty_line_hours(parameters.duty_line_posts)
    allowance = parameters.category_allowance_percent.get(group, 0.0)
    return GroupNeed(
        group=group,
        existing=staff.group(group),
        activities=rows,
        demand=tuple(amount for amount, _ in pairs),
        wisn=wisn_required_staff(
            activities=pairs,
            available_hours=available_hours,
            category_allowance_percent=allowance,
            individual_allowance_hours=individual,
        ),
        sensitivity=wisn_sensitivity(
            activities=pairs,
            available_hours=available_hours,
            category_allowance_percent=allowance,
            individual_allowance_hours=individual,
        ),
    )


def evaluate_scenario(
    baseline: WorkloadBaseline, staff: StaffTable, parameters: ScenarioParameters
) -> ScenarioResult:
    """Recompute a staffing scenario: demand, WISN per core group, the proposal and its check.

    Proposal (WISN user's manual, WHO 2010, step 7: results against the norm): per core group the larger of its share of the core floor
    (Rule 24.2, shared in proportion to the existing core staff) and its WISN need in half
    posts; core posts without countable workload are kept; administrative is at least its floor
    (Rule 24.1); auxiliary is the existing staff plus the scenario's extra posts but never above
    the cap (Rule 24.3) — a need above the cap is a ``PolicyConflict``. Core units are added last
    if the total is still below the floor of Rule 24. Pure arithmetic: microseconds.
    """
    check_parameters(parameters)
    available = available_working_hours(
        working_days=baseline.working_days,
        hours_per_day=parameters.hours_per_day,
        leave_days=parameters.leave_days,
        sick_days=parameters.sick_days,
        training_days=parameters.training_days,
    )
    demand = scenario_demand(baseline, parameters)
    needs = tuple(_group_need(g, staff, demand, parameters, available) for g in WISN_GROUPS)
    core_floor = _bound("24.2")
    groups = (*WISN_GROUPS, CoreGroup.OTHER_CORE)
    existing_core = staff.core
    rows: list[RecommendationRow] = []
    administrative = staff.administrative
    rows.append(
        RecommendationRow(
            StaffCategory.ADMINISTRATIVE,
            None,
            existing=administrative,
            floor=_bound("24.1"),
            need=administrative,
            recommended=max(_bound("24.1"), administrative),
        )
    )
    need_of = {need.group: need.posts for need in needs}
    for group in groups:
        existing = staff.group(group)
        if existing_core > 0:
            share = core_floor * existing / existing_core
        else:
            share = core_floor / len(WISN_GROUPS) if group in WISN_GROUPS else 0.0
        floor = round_up_to_half(share)
        need = need_of.get(group, existing)
        rows.append(
            RecommendationRow(StaffCategory.CORE, group, existing, floor, need, max(floor, need))
        )
    cap = _bound("24.3")
    auxiliary_need = staff.auxiliary + parameters.extra_auxiliary_posts
    rows.append(
        RecommendationRow(
            StaffCategory.AUXILIARY,
            None,
            existing=staff.auxiliary,
            floor=0.0,
            need=auxiliary_need,
            recommended=min(auxiliary_need, cap),
            cap=cap,
        )
    )
    conflicts = (PolicyConflict("24.3", auxiliary_need, cap),) if auxiliary_need > cap else ()
    gap = _bound("24") - math.fsum(row.recommended for row in rows)
    if round(gap, UNIT_PRECISION_DIGITS) > 0:
        top_up = round_up_to_half(gap)
        rows.append(RecommendationRow(StaffCategory.CORE, None, 0.0, top_up, 0.0, top_up))
    rows = [_with_cost(row, parameters.salary_rates) for row in rows]
    totals = {c: math.fsum(r.recommended for r in rows if r.category is c) for c in StaffCategory}
    return ScenarioResult(
        parameters=parameters,
        available_hours=available,
        demand=demand,
        needs=needs,
        rows=tuple(rows),
        existing_check=check_staffing_norm(
            administrative=staff.administrative, core=existing_core, auxiliary=staff.auxiliary
        ),
        proposal_check=check_staffing_norm(
            administrative=totals[StaffCategory.ADMINISTRATIVE],
            core=totals[StaffCategory.CORE],
            auxiliary=totals[StaffCategory.AUXILIARY],
        ),
        conflicts=conflicts,
    )


def _with_cost(row: RecommendationRow, rates: Mapping[StaffCategory, float]) -> RecommendationRow:
    rate = rates.get(row.category)
    return row if rate is None else replace(row, monthly_rate=rate)
