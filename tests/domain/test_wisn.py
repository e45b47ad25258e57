"""WHO WISN staffing need: worked examples by hand, every invalid input, a monotonicity property."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcenter_lib.domain.staffing import (
    STANDARD_DAILY_HOURS,
    STANDARD_WEEKLY_HOURS,
    InvalidStaffingInputError,
    WisnActivity,
    WisnRatioUndefinedError,
    available_working_hours,
    wisn_required_staff,
    wisn_sensitivity,
)
from pcenter_lib.errors import PcenterError

TOLERANCE = 1e-9

# Worked by hand:
#   AWT = 1,600 h.
#   Individual consultations: 4,000 a year × 1 h → standard workload 1,600/1 = 1,600 → 4,000/1,600 = 2.5
#   Diagnostic sessions:        500 a year × 2 h → standard workload 1,600/2 =   800 →   500/800 = 0.625
#   A   = 2.5 + 0.625 = 3.125 staff for the service activities
#   CAF = 1 / (1 − 15/100) = 1 / 0.85 = 20/17 ≈ 1.1764705882
#   B   = 3.125 × 20/17 = 125/34 ≈ 3.6764705882
#   IAF = 80 h / 1,600 h = 0.05
#   required = 125/34 + 1/20 = 1267/340 ≈ 3.7264705882
#   With 3 specialists: ratio = 3 ÷ 1267/340 = 1020/1267 ≈ 0.805; difference = 3 − 1267/340 = −247/340.
#   +10 % on consultations: 4,000 × 1.1 / 1,600 = 2.75 (+0.25) → +0.25 × 20/17 = 5/17
#   +10 % on diagnostics:   500 × 2.2 / 1,600 = 0.6875 (+0.0625) → +0.0625 × 20/17 = 5/68
EXAMPLE: dict[str, Any] = {
    "activities": [(4000, 1.0), (500, 2.0)],
    "available_hours": 1600,
    "category_allowance_percent": 15,
    "individual_allowance_hours": 80,
}


def test_worked_example_by_hand() -> None:
    result = wisn_required_staff(**EXAMPLE)
    assert result.standard_workloads == pytest.approx((1600, 800), abs=TOLERANCE)
    assert result.staff_needed_per_activity == pytest.approx((2.5, 0.625), abs=TOLERANCE)
    assert result.service_staff == pytest.approx(3.125, abs=TOLERANCE)
    assert result.category_allowance_factor == pytest.approx(20 / 17, abs=TOLERANCE)
    assert result.individual_allowance_factor == pytest.approx(0.05, abs=TOLERANCE)
    assert result.required == pytest.approx(3.7264705882352941, abs=TOLERANCE)
    assert result.required == pytest.approx(1267 / 340, abs=TOLERANCE)


def test_ratio_and_difference_of_the_worked_example() -> None:
    result = wisn_required_staff(**EXAMPLE)
    assert result.ratio(3) == pytest.approx(1020 / 1267, abs=TOLERANCE)
    assert result.ratio(3) == pytest.approx(0.8050513022888713, abs=TOLERANCE)
    assert result.difference(3) == pytest.approx(-247 / 340, abs=TOLERANCE)
    assert result.difference(5) == pytest.approx(5 - 1267 / 340, abs=TOLERANCE)
    assert result.ratio(0) == 0
    assert result.ratio(result.required) == pytest.approx(1, abs=TOLERANCE)


def test_sensitivity_of_the_worked_example() -> None:
    deltas = wisn_sensitivity(**EXAMPLE)
    assert deltas == pytest.approx((5 / 17, 5 / 68), abs=TOLERANCE)
    down = wisn_sensitivity(**EXAMPLE, change=-0.1)
    assert down == pytest.approx((-5 / 17, -5 / 68), abs=TOLERANCE)
    assert wisn_sensitivity(**EXAMPLE, change=0) == (0, 0)
    assert wisn_sensitivity(**{**EXAMPLE, "activities": []}) == ()


def test_reference_example_of_anchor_systems_3_2() -> None:
    # 260 weekdays − 11 holidays = 249 working days; − 30 leave − 8 sick − 5 training = 206 days × 8 h.
    hours = available_working_hours(
        working_days=249, hours_per_day=8, leave_days=30, sick_days=8, training_days=5
    )
    assert hours == 1648
    # 6,000 consultations × 1 h; CAS 5 % + 12.5 % = 17.5 %; individual 400 h + 100 h.
    # 6,000/1,648 = 3.6408 × 1/0.825 = 4.4131; + 500/1,648 = 0.3034 → 4.7165 ≈ 4.7.
    result = wisn_required_staff(
        activities=[WisnActivity(annual_workload=6000, hours_per_unit=1)],
        available_hours=hours,
        category_allowance_percent=17.5,
        individual_allowance_hours=500,
    )
    assert result.category_allowance_factor == pytest.approx(1 / 0.825, abs=TOLERANCE)
    assert result.individual_allowance_factor == pytest.approx(500 / 1648, abs=TOLERANCE)
    assert result.required == pytest.approx(6000 / 1648 / 0.825 + 500 / 1648, abs=TOLERANCE)
    assert round(result.required, 1) == 4.7


def test_available_hours_count_other_absences_and_fractional_days() -> None:
    hours = available_working_hours(
        working_days=247,
        hours_per_day=STANDARD_DAILY_HOURS,
        leave_days=24,
        sick_days=6.5,
        training_days=5,
        other_days=1.5,
    )
    assert hours == (247 - 24 - 6.5 - 5 - 1.5) * 8 == 1680
    assert STANDARD_WEEKLY_HOURS == 5 * STANDARD_DAILY_HOURS == 40


def test_absences_equal_to_working_days_leave_no_time() -> None:
    assert (
        available_working_hours(
            working_days=10, hours_per_day=8, leave_days=5, sick_days=2.5, training_days=2.5
        )
        == 0
    )


def test_no_activities_means_only_individual_allowances_need_staff() -> None:
    result = wisn_required_staff(
        activities=[],
        available_hours=1600,
        category_allowance_percent=15,
        individual_allowance_hours=400,
    )
    assert result.standard_workloads == ()
    assert result.staff_needed_per_activity == ()
    assert result.required == result.individual_allowance_factor == 0.25


def test_zero_allowance_gives_factor_one() -> None:
    result = wisn_required_staff(
        activities=[(800, 2)],
        available_hours=1600,
        category_allowance_percent=0,
        individual_allowance_hours=0,
    )
    assert result.category_allowance_factor == 1
    assert result.required == 1


def test_ratio_is_undefined_when_nothing_is_required() -> None:
    result = wisn_required_staff(
        activities=[(0, 1)],
        available_hours=1600,
        category_allowance_percent=10,
        individual_allowance_hours=0,
    )
    assert result.required == 0
    assert result.difference(2) == 2
    with pytest.raises(WisnRatioUndefinedError) as caught:
        result.ratio(2)
    assert isinstance(caught.value, ZeroDivisionError)
    assert isinstance(caught.value, PcenterError)
    assert "required staff is 0" in str(caught.value)
    assert "0" in caught.value.localized("kk")
    assert caught.value.localized("kk") != caught.value.localized("ru") != str(caught.value)


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf, "3"])
def test_existing_staff_must_be_a_finite_non_negative_number(bad: Any) -> None:
    result = wisn_required_staff(**EXAMPLE)
    with pytest.raises(InvalidStaffingInputError, match="existing"):
        result.ratio(bad)
    with pytest.raises(InvalidStaffingInputError, match="existing"):
        result.difference(bad)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"available_hours": 0}, "available_hours"),
        ({"available_hours": -1600}, "available_hours"),
        ({"available_hours": math.nan}, "available_hours"),
        ({"available_hours": math.inf}, "available_hours"),
        ({"available_hours": None}, "available_hours"),
        ({"category_allowance_percent": 100}, "category_allowance_percent"),
        ({"category_allowance_percent": 120}, "category_allowance_percent"),
        ({"category_allowance_percent": -0.1}, "category_allowance_percent"),
        ({"category_allowance_percent": math.nan}, "category_allowance_percent"),
        ({"category_allowance_percent": -math.inf}, "category_allowance_percent"),
        ({"individual_allowance_hours": -1}, "individual_allowance_hours"),
        ({"individual_allowance_hours": math.nan}, "individual_allowance_hours"),
        ({"individual_allowance_hours": math.inf}, "individual_allowance_hours"),
        ({"activities": [(4000, 1), (-1, 2)]}, "activities[1].annual_workload"),
        ({"activities": [(math.nan, 1)]}, "activities[0].annual_workload"),
        ({"activities": [(math.inf, 1)]}, "activities[0].annual_workload"),
        ({"activities": [(100, 0)]}, "activities[0].hours_per_unit"),
        ({"activities": [(100, -1)]}, "activities[0].hours_per_unit"),
        ({"activities": [(100, math.inf)]}, "activities[0].hours_per_unit"),
        ({"activities": [(100, math.nan)]}, "activities[0].hours_per_unit"),
        ({"activities": [(100, True)]}, "activities[0].hours_per_unit"),
        ({"activities": [(100,)]}, "activities[0]"),
        ({"activities": [(100, 1, 2)]}, "activities[0]"),
        ({"activities": ["ab"]}, "activities[0]"),
    ],
)
def test_invalid_wisn_inputs_are_refused_by_name(change: dict[str, Any], field: str) -> None:
    for compute in (wisn_required_staff, wisn_sensitivity):
        with pytest.raises(InvalidStaffingInputError) as caught:
            compute(**{**EXAMPLE, **change})
        assert caught.value.field == field
        assert str(caught.value).startswith(field)
        assert isinstance(caught.value, ValueError)
        assert caught.value.localized("ru") != str(caught.value)
        assert field in caught.value.localized("kk")


@pytest.mark.parametrize("bad", [-1, -2, math.nan, math.inf])
def test_sensitivity_change_must_keep_hours_positive(bad: float) -> None:
    with pytest.raises(InvalidStaffingInputError) as caught:
        wisn_sensitivity(**EXAMPLE, change=bad)
    assert caught.value.field == "change"


BASE_DAYS: dict[str, Any] = {
    "working_days": 249,
    "hours_per_day": 8,
    "leave_days": 30,
    "sick_days": 8,
    "training_days": 5,
    "other_days": 0,
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"working_days": -1}, "working_days"),
        ({"working_days": 249.5}, "working_days"),
        ({"working_days": True}, "working_days"),
        ({"working_days": "249"}, "working_days"),
        ({"hours_per_day": 0}, "hours_per_day"),
        ({"hours_per_day": -8}, "hours_per_day"),
        ({"hours_per_day": 24.5}, "hours_per_day"),
        ({"hours_per_day": math.nan}, "hours_per_day"),
        ({"hours_per_day": math.inf}, "hours_per_day"),
        ({"leave_days": -1}, "leave_days"),
        ({"leave_days": math.nan}, "leave_days"),
        ({"sick_days": -0.5}, "sick_days"),
        ({"sick_days": math.inf}, "sick_days"),
        ({"training_days": -1}, "training_days"),
        ({"training_days": math.nan}, "training_days"),
        ({"other_days": -1}, "other_days"),
        ({"other_days": math.inf}, "other_days"),
        ({"leave_days": 240}, "working_days"),
    ],
)
def test_invalid_working_time_inputs_are_refused_by_name(
    change: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidStaffingInputError) as caught:
        available_working_hours(**{**BASE_DAYS, **change})
    assert caught.value.field == field
    assert caught.value.localized("kk") != str(caught.value)


def test_absences_beyond_the_working_days_are_reported_with_both_numbers() -> None:
    with pytest.raises(InvalidStaffingInputError) as caught:
        available_working_hours(**{**BASE_DAYS, "leave_days": 240})
    assert "253" in str(caught.value) and "249" in str(caught.value)
    assert "253" in caught.value.localized("ru") and "249" in caught.value.localized("ru")


def test_a_scenario_with_thirty_activities_recomputes_with_its_sensitivity() -> None:
    """The speed of this recomputation is measured by tests/benchmarks/bench_staffing.py."""
    activities = [(1000 + 37 * i, 0.5 + i / 10) for i in range(30)]
    hours = available_working_hours(
        working_days=249, hours_per_day=8, leave_days=30, sick_days=8, training_days=5
    )
    settings: dict[str, Any] = {
        "activities": activities,
        "available_hours": hours,
        "category_allowance_percent": 17.5,
        "individual_allowance_hours": 500,
    }
    required = wisn_required_staff(**settings)
    assert required.ratio(12) > 0
    assert wisn_sensitivity(**settings)


workloads = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
unit_hours = st.floats(min_value=0.01, max_value=100, allow_nan=False, allow_infinity=False)
activity_lists = st.lists(st.tuples(workloads, unit_hours), min_size=1, max_size=8)


@given(
    activities=activity_lists,
    index=st.integers(min_value=0, max_value=7),
    extra=workloads,
    available_hours=st.floats(min_value=100, max_value=2500),
    percent=st.floats(min_value=0, max_value=60),
    individual=st.floats(min_value=0, max_value=5000),
)
def test_required_staff_is_monotone_in_workload(
    activities: list[tuple[float, float]],
    index: int,
    extra: float,
    available_hours: float,
    percent: float,
    individual: float,
) -> None:
    settings: dict[str, Any] = {
        "available_hours": available_hours,
        "category_allowance_percent": percent,
        "individual_allowance_hours": individual,
    }
    index %= len(activities)
    heavier = list(activities)
    heavier[index] = (activities[index][0] + extra, activities[index][1])
    before = wisn_required_staff(activities=activities, **settings)
    after = wisn_required_staff(activities=heavier, **settings)
    assert after.required >= before.required
    assert before.required >= before.individual_allowance_factor


@given(activities=activity_lists, percent=st.floats(min_value=0, max_value=60))
def test_sensitivity_matches_its_closed_form(
    activities: list[tuple[float, float]], percent: float
) -> None:
    # Raising hours per unit by 10 % adds workload × hours × 0.1 ÷ AWT × CAF to the requirement.
    deltas = wisn_sensitivity(
        activities=activities,
        available_hours=1600,
        category_allowance_percent=percent,
        individual_allowance_hours=100,
    )
    caf = 1 / (1 - percent / 100)
    expected = [workload * hours * 0.1 / 1600 * caf for workload, hours in activities]
    assert deltas == pytest.approx(expected, rel=1e-6, abs=1e-6)
