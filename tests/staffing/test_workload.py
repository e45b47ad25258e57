"""The staffing scenario arithmetic: demand, WISN per core group, the proposal and its check.

Worked examples are computed by hand in the comments; the property tests check what must hold
for any scenario (the proposal always meets Rule 24 or reports the conflict).
"""

from __future__ import annotations

import math
import string
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.domain.demand import (
    DEFAULT_CATEGORY_ALLOWANCE_PERCENT,
    DEFAULT_INDIVIDUAL_ALLOWANCE_HOURS,
    SET_BY_MANAGER,
)
from pcenter_lib.domain.staffing import InvalidStaffingInputError, StaffCategory
from pcenter_lib.domain.workload import (
    ACTIVITY_LABELS,
    DEFAULT_ACTIVITY_STANDARDS,
    GROUP_LABELS,
    WISN_GROUPS,
    Activity,
    ActivityStandard,
    CoreGroup,
    Limit,
    ScenarioParameters,
    StaffTable,
    WorkloadBaseline,
    core_group_of,
    evaluate_scenario,
    round_up_to_half,
    scenario_demand,
)
from pcenter_lib.i18n import catalog

G = CoreGroup
A = Activity

BASELINE = WorkloadBaseline(
    year=2025,
    working_days=249,  # the worked example of the WISN user's manual (WHO 2010): 260 − 11 holidays
    counts={
        A.REQUESTS: 1000,
        A.CONSULTATIONS: 6000,
        A.VISITS: 200,
        A.DIAGNOSTICS_ROUNDS: 100,
        A.SUPERVISION_SESSIONS: 24,
        A.INTERVISION_SESSIONS: 12,
    },
    children=10_000,
    schools=50,
)
STAFF = StaffTable(
    administrative=10,
    core_groups={
        G.PSYCHOLOGISTS: 20,
        G.SOCIAL_PEDAGOGUES: 5,
        G.METHODOLOGISTS: 3,
        G.MOBILE_GROUP: 2,
        G.OTHER_CORE: 0,
    },
    auxiliary=15,
)


def only_consultations(hours: float = 1.0) -> ScenarioParameters:
    """The WHO worked example: psychologists, consultations only, CAS 17.5 %, IAS 500 h."""
    return ScenarioParameters(
        standards=(ActivityStandard(G.PSYCHOLOGISTS, A.CONSULTATIONS, hours, SET_BY_MANAGER),),
        category_allowance_percent={G.PSYCHOLOGISTS: 17.5},
        individual_allowance_hours={G.PSYCHOLOGISTS: 500.0},
        leave_days=30,
        sick_days=8,
        training_days=5,
    )


def need_of(result: object, group: CoreGroup) -> object:
    return next(n for n in result.needs if n.group is group)  # type: ignore[attr-defined]


# --- the default standards table --------------------------------------------------------------


def test_every_default_standard_is_positive_and_documented_in_kk_and_ru() -> None:
    assert DEFAULT_ACTIVITY_STANDARDS
    for row in DEFAULT_ACTIVITY_STANDARDS:
        assert row.hours_per_unit > 0
        assert row.group in WISN_GROUPS
        assert row.basis.startswith("Assumption:"), row
        for lang in ("kk", "ru"):
            assert catalog(lang).get(row.basis), (lang, row.basis)
    pairs = [(r.group, r.activity) for r in DEFAULT_ACTIVITY_STANDARDS]
    assert len(pairs) == len(set(pairs)), "one standard per group and activity"


def test_every_group_has_work_and_every_activity_has_someone_doing_it() -> None:
    assert {r.group for r in DEFAULT_ACTIVITY_STANDARDS} == set(WISN_GROUPS)
    assert {r.activity for r in DEFAULT_ACTIVITY_STANDARDS} == set(Activity)
    assert set(DEFAULT_CATEGORY_ALLOWANCE_PERCENT) == set(WISN_GROUPS)
    assert set(DEFAULT_INDIVIDUAL_ALLOWANCE_HOURS) == set(WISN_GROUPS)


def test_labels_exist_for_every_group_and_activity_in_both_languages() -> None:
    for msgid in [*GROUP_LABELS.values(), *ACTIVITY_LABELS.values()]:
        assert catalog("kk").get(msgid) and catalog("ru").get(msgid), msgid


@pytest.mark.parametrize(
    ("position", "mobile", "group"),
    [
        ("psychologist", False, G.PSYCHOLOGISTS),
        (" Pedagogue_Psychologist ", False, G.PSYCHOLOGISTS),
        ("social_pedagogue", False, G.SOCIAL_PEDAGOGUES),
        ("methodologist", False, G.METHODOLOGISTS),
        ("psychologist", True, G.MOBILE_GROUP),
        ("social_pedagogue", True, G.MOBILE_GROUP),
        ("media_specialist", False, G.OTHER_CORE),
    ],
)
def test_core_posts_fall_into_wisn_groups(position: str, mobile: bool, group: CoreGroup) -> None:
    assert core_group_of(position, is_mobile_group=mobile) is group


@pytest.mark.parametrize(
    ("units", "posts"), [(0, 0), (4.0, 4.0), (4.01, 4.5), (4.5, 4.5), (4.51, 5.0), (0.2, 0.5)]
)
def test_need_is_rounded_up_to_half_posts(units: float, posts: float) -> None:
    assert round_up_to_half(units) == posts


def test_changing_a_standard_marks_it_as_the_managers_and_going_back_restores_the_basis() -> None:
    default = ScenarioParameters()
    changed = default.with_standard(G.PSYCHOLOGISTS, A.CONSULTATIONS, 1.25)
    row = changed.standard(G.PSYCHOLOGISTS, A.CONSULTATIONS)
    assert row is not None and row.hours_per_unit == 1.25 and row.basis == SET_BY_MANAGER
    assert [(r.group, r.activity) for r in changed.standards] == [
        (r.group, r.activity) for r in default.standards
    ], "the order of the table is kept"
    back = changed.with_standard(G.PSYCHOLOGISTS, A.CONSULTATIONS, 0.75)
    assert back.standards == default.standards
    added = default.with_standard(G.MOBILE_GROUP, A.CONSULTATIONS, 0.1)
    assert len(added.standards) == len(default.standards) + 1
    assert default.standard(G.MOBILE_GROUP, A.CONSULTATIONS) is None


# --- demand under a scenario --------------------------------------------------------------------


def test_demand_worked_by_hand() -> None:
    parameters = ScenarioParameters(
        requests_change_percent=20,
        new_district_children=2000,
        new_district_schools=10,
        information_campaigns=10,
    )
    demand = scenario_demand(BASELINE, parameters)
    # requests: (1000 + 1000/10000 × 2000) × 1.2 = 1200 × 1.2 = 1440
    assert demand[A.REQUESTS] == pytest.approx(1440)
    assert demand[A.CONSULTATIONS] == pytest.approx((6000 + 1200) * 1.2)
    assert demand[A.VISITS] == pytest.approx((200 + 40) * 1.2)
    # rounds: 100 + 100/50 × 10 = 120; campaigns: 10 + 10/50 × 10 = 12
    assert demand[A.DIAGNOSTICS_ROUNDS] == pytest.approx(120)
    assert demand[A.INFORMATION_CAMPAIGNS] == pytest.approx(12)
    assert demand[A.SUPERVISION_SESSIONS] == 24 and demand[A.INTERVISION_SESSIONS] == 12


def test_a_center_without_children_or_schools_gives_no_rate_for_a_new_district() -> None:
    empty = replace(BASELINE, children=0, schools=0)
    demand = scenario_demand(
        empty, ScenarioParameters(new_district_children=5000, new_district_schools=20)
    )
    assert demand[A.REQUESTS] == 1000 and demand[A.DIAGNOSTICS_ROUNDS] == 100


def test_minus_100_percent_requests_removes_the_demand_that_follows_requests() -> None:
    demand = scenario_demand(BASELINE, ScenarioParameters(requests_change_percent=-100))
    assert demand[A.REQUESTS] == demand[A.CONSULTATIONS] == demand[A.VISITS] == 0
    assert demand[A.DIAGNOSTICS_ROUNDS] == 100


# --- WISN and the proposal ----------------------------------------------------------------------


def test_the_who_worked_example_through_evaluate_scenario() -> None:
    result = evaluate_scenario(BASELINE, STAFF, only_consultations())
    # AWT = (249 − 30 − 8 − 5) × 8 = 206 × 8 = 1648 h
    assert result.available_hours == 1648
    psychologists = need_of(result, G.PSYCHOLOGISTS)
    # 6000 / 1648 = 3.6408; × 1/(1 − 0.175) = 4.4131; + 500/1648 = 0.3034 → 4.7165
    assert psychologists.required == pytest.approx(6000 / 1648 / 0.825 + 500 / 1648)
    assert psychologists.required == pytest.approx(4.7165, abs=1e-4)
    assert psychologists.posts == 5.0
    assert psychologists.ratio == pytest.approx(20 / psychologists.required)
    assert psychologists.difference == pytest.approx(20 - psychologists.required)
    # no standards for the other groups and no allowances: nothing required, ratio undefined
    assert need_of(result, G.SOCIAL_PEDAGOGUES).required == 0
    assert need_of(result, G.SOCIAL_PEDAGOGUES).ratio is None


def test_floor_shares_follow_the_existing_core_staff_and_the_larger_value_wins() -> None:
    heavy = only_consultations(hours=6.0)  # 6000 × 6 h: 36000/1648/0.825 + 0.30 = 26.78 → 27
    result = evaluate_scenario(BASELINE, STAFF, heavy)
    rows = {row.group: row for row in result.rows if row.category is StaffCategory.CORE}
    # core floor 30 shared as 20 : 5 : 3 : 2 : 0
    assert [rows[g].floor for g in (*WISN_GROUPS, G.OTHER_CORE)] == [20, 5, 3, 2, 0]
    assert rows[G.PSYCHOLOGISTS].need == 27.0
    assert rows[G.PSYCHOLOGISTS].recommended == 27.0
    assert rows[G.SOCIAL_PEDAGOGUES].recommended == 5  # floor share above a need of 0
    assert result.recommended(StaffCategory.CORE) == 27 + 5 + 3 + 2
    assert result.total_recommended == 10 + 37 + 15
    assert result.posts_to_add == 7
    assert result.compliant


def test_a_center_of_10_30_10_gets_the_total_topped_up_in_core() -> None:
    staff = replace(STAFF, auxiliary=10)
    result = evaluate_scenario(BASELINE, staff, only_consultations())
    assert [v.rule for v in result.existing_check.violations] == ["24"]
    top_up = [r for r in result.rows if r.category is StaffCategory.CORE and r.group is None]
    assert len(top_up) == 1 and top_up[0].recommended == 5
    assert result.total_recommended == 55
    assert result.compliant


def test_each_line_names_what_decides_it() -> None:
    light = evaluate_scenario(BASELINE, STAFF, only_consultations(hours=0.1))
    heavy = evaluate_scenario(BASELINE, STAFF, only_consultations(hours=6.0))
    over_cap = evaluate_scenario(
        BASELINE, STAFF, replace(only_consultations(), extra_auxiliary_posts=0.5)
    )

    def limits(result: object) -> dict[object, Limit]:
        return {(r.category, r.group): r.limited_by for r in result.rows}  # type: ignore[attr-defined]

    psychologists = (StaffCategory.CORE, G.PSYCHOLOGISTS)
    assert limits(light)[psychologists] is Limit.FLOOR  # need 2 below the floor share of 20
    assert limits(heavy)[psychologists] is Limit.NEED  # need 27 above it
    assert limits(light)[(StaffCategory.ADMINISTRATIVE, None)] is Limit.FLOOR  # 10 = floor
    assert limits(light)[(StaffCategory.CORE, G.OTHER_CORE)] is Limit.KEPT
    assert limits(light)[(StaffCategory.AUXILIARY, None)] is Limit.KEPT
    assert limits(over_cap)[(StaffCategory.AUXILIARY, None)] is Limit.CAP
    more_admin = evaluate_scenario(
        BASELINE, replace(STAFF, administrative=12), only_consultations()
    )
    assert limits(more_admin)[(StaffCategory.ADMINISTRATIVE, None)] is Limit.KEPT
    staff = replace(STAFF, auxiliary=10)
    topped = evaluate_scenario(BASELINE, staff, only_consultations())
    assert limits(topped)[(StaffCategory.CORE, None)] is Limit.FLOOR


def test_the_proposal_counts_what_it_adds_and_what_it_cuts() -> None:
    staff = replace(STAFF, core_groups={**STAFF.core_groups, G.PSYCHOLOGISTS: 30})  # 65 in all
    result = evaluate_scenario(BASELINE, staff, only_consultations(hours=6.0))
    # core floor 30 shared 30 : 5 : 3 : 2 → 22.5, 4, 2.5, 1.5; psychologists need 27:
    # 30 → 27, 5 → 4, 3 → 2.5, 2 → 1.5: five units cut, none added
    assert result.total_existing == 65
    assert result.posts_to_add == 0 and result.posts_to_remove == 5
    assert result.net_change == result.total_recommended - 65 == -5


def test_auxiliary_at_the_cap_is_no_conflict() -> None:
    result = evaluate_scenario(BASELINE, STAFF, only_consultations())
    assert result.recommended(StaffCategory.AUXILIARY) == 15
    assert result.conflicts == ()


def test_auxiliary_need_above_the_cap_is_reported_not_exceeded() -> None:
    result = evaluate_scenario(
        BASELINE, STAFF, replace(only_consultations(), extra_auxiliary_posts=0.5)
    )
    assert result.recommended(StaffCategory.AUXILIARY) == 15
    assert not result.compliant
    assert result.proposal_check.compliant, "the proposal itself keeps the cap"
    (conflict,) = result.conflicts
    assert (conflict.rule, conflict.need, conflict.cap) == ("24.3", 15.5, 15)
    assert "15.5" in conflict.message("en") and "15" in conflict.message("en")
    assert "15,5" in conflict.message("ru") and "24" in conflict.message("ru")
    assert "15,5" in conflict.message("kk")


def test_a_24_7_duty_post_needs_8760_hours_of_psychologists() -> None:
    base = evaluate_scenario(BASELINE, STAFF, only_consultations())
    duty = evaluate_scenario(BASELINE, STAFF, replace(only_consultations(), duty_line_posts=1))
    extra = need_of(duty, G.PSYCHOLOGISTS).required - need_of(base, G.PSYCHOLOGISTS).required
    assert extra == pytest.approx(8760 / 1648)


def test_sensitivity_has_one_figure_per_standard_and_grows_with_the_workload() -> None:
    result = evaluate_scenario(BASELINE, STAFF, ScenarioParameters())
    for need in result.needs:
        assert len(need.sensitivity) == len(need.activities) == len(need.demand)
        assert all(delta >= 0 for delta in need.sensitivity)
    psychologists = need_of(
        evaluate_scenario(BASELINE, STAFF, only_consultations()), G.PSYCHOLOGISTS
    )
    # +10 % on 1 h: 6000 × 0.1 / 1648 / 0.825
    assert psychologists.sensitivity == pytest.approx((600 / 1648 / 0.825,))


def test_cost_needs_every_rate_and_is_a_year_of_monthly_rates() -> None:
    rates = {
        StaffCategory.ADMINISTRATIVE: 300_000.0,
        StaffCategory.CORE: 250_000.0,
        StaffCategory.AUXILIARY: 150_000.0,
    }
    result = evaluate_scenario(BASELINE, STAFF, replace(only_consultations(), salary_rates=rates))
    assert result.annual_cost == pytest.approx((10 * 300_000 + 30 * 250_000 + 15 * 150_000) * 12)
    assert result.existing_annual_cost == result.annual_cost
    partial = {StaffCategory.CORE: 250_000.0}
    result = evaluate_scenario(BASELINE, STAFF, replace(only_consultations(), salary_rates=partial))
    assert result.annual_cost is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"requests_change_percent": -100.5}, "requests_change_percent"),
        ({"new_district_schools": -1}, "new_district_schools"),
        ({"new_district_children": -1}, "new_district_children"),
        ({"duty_line_posts": -1}, "duty_line_posts"),
        ({"extra_auxiliary_posts": -0.5}, "extra_auxiliary_posts"),
        ({"information_campaigns": -1}, "information_campaigns"),
        ({"extra_auxiliary_posts": math.nan}, "extra_auxiliary_posts"),
        ({"hours_per_day": 0}, "hours_per_day"),
        ({"hours_per_day": 24.5}, "hours_per_day"),
        ({"salary_rates": {StaffCategory.CORE: -1.0}}, "salary_rates[core]"),
        ({"leave_days": 300}, "working_days"),
        ({"sick_days": -1}, "sick_days"),
        ({"category_allowance_percent": {G.PSYCHOLOGISTS: 100.0}}, "category_allowance_percent"),
        ({"individual_allowance_hours": {G.METHODOLOGISTS: -5.0}}, "individual_allowance_hours"),
        (
            {"standards": (ActivityStandard(G.PSYCHOLOGISTS, A.REQUESTS, 0.0, SET_BY_MANAGER),)},
            "activities[0].hours_per_unit",
        ),
    ],
)
def test_every_invalid_input_is_refused_naming_it(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidStaffingInputError) as caught:
        evaluate_scenario(BASELINE, STAFF, replace(ScenarioParameters(), **change))
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)
    assert caught.value.localized("ru") != str(caught.value), "the message is translated"


def test_the_conflict_message_has_the_same_placeholders_in_every_language() -> None:
    from pcenter_lib.domain.workload import PolicyConflict

    msgid = PolicyConflict("24.3", 16, 15).msgid
    names = {f for _, f, _, _ in string.Formatter().parse(msgid) if f}
    for lang in ("kk", "ru"):
        text = catalog(lang)[msgid]
        assert {f for _, f, _, _ in string.Formatter().parse(text) if f} == names


# --- properties ---------------------------------------------------------------------------------

units = st.floats(min_value=0, max_value=60, allow_nan=False).map(lambda x: round(x * 2) / 2)


@settings(max_examples=150, deadline=None)
@given(
    admin=units,
    psych=units,
    social=units,
    meth=units,
    mobile=units,
    other=units,
    aux=units,
    requests=st.integers(min_value=-100, max_value=300),
    children=st.integers(min_value=0, max_value=100_000),
    duty=st.integers(min_value=0, max_value=6),
    extra=st.floats(min_value=0, max_value=20, allow_nan=False),
)
def test_the_proposal_always_meets_rule_24_or_reports_the_conflict(
    admin: float,
    psych: float,
    social: float,
    meth: float,
    mobile: float,
    other: float,
    aux: float,
    requests: int,
    children: int,
    duty: int,
    extra: float,
) -> None:
    staff = StaffTable(
        admin,
        {
            G.PSYCHOLOGISTS: psych,
            G.SOCIAL_PEDAGOGUES: social,
            G.METHODOLOGISTS: meth,
            G.MOBILE_GROUP: mobile,
            G.OTHER_CORE: other,
        },
        aux,
    )
    parameters = ScenarioParameters(
        requests_change_percent=requests,
        duty_line_posts=duty,
        new_district_children=children,
        extra_auxiliary_posts=extra,
    )
    result = evaluate_scenario(BASELINE, staff, parameters)
    assert result.proposal_check.compliant
    assert bool(result.conflicts) == (aux + extra > 15)
    for row in result.rows:
        assert row.recommended >= row.floor - 1e-9
        if row.cap is None:
            assert row.recommended >= row.need - 1e-9
        else:
            assert row.recommended == min(row.need, row.cap)
    for need in result.needs:
        assert need.posts >= need.required and need.posts - need.required < 0.5


@settings(max_examples=60, deadline=None)
@given(low=st.integers(min_value=-100, max_value=200), step=st.integers(min_value=0, max_value=100))
def test_more_requests_never_need_fewer_staff(low: int, step: int) -> None:
    before = evaluate_scenario(BASELINE, STAFF, ScenarioParameters(requests_change_percent=low))
    after = evaluate_scenario(
        BASELINE, STAFF, ScenarioParameters(requests_change_percent=low + step)
    )
    for a, b in zip(before.needs, after.needs, strict=True):
        assert b.required >= a.required - 1e-9
    assert after.total_recommended >= before.total_recommended
