"""The app's views on hand-made results: prevalence with Wilson intervals, distribution,
comparison, trend, ranking with small numbers handled honestly, and DHIS2-style completeness."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcenter_lib.diagnostics import periods
from pcenter_lib.diagnostics.views import (
    ResultFilter,
    band_prevalence,
    compare_levels,
    elevated_bands,
    filter_results,
    missing_reports,
    quarter_trend,
    rank_schools,
    reporting_rates,
    score_distribution,
    wilson_interval,
)
from pcenter_lib.errors import ValidationError

BANDS = ["minimal", "mild", "moderate", "moderately_severe", "severe"]


def results(rows: list[tuple[int, int, str, int, str]]) -> pd.DataFrame:
    """(school, district, period, score, sex) → a frame shaped like the service's."""
    frame = pd.DataFrame(rows, columns=["school_id", "district_id", "period", "total", "sex"])
    cuts = [-1, 4, 9, 14, 19, 27]
    frame["total_band"] = pd.Categorical(
        pd.cut(frame["total"], cuts, labels=BANDS).astype(str), categories=BANDS, ordered=True
    )
    for column in ("school_id", "district_id", "period", "sex"):
        frame[column] = frame[column].astype("category")
    frame["total"] = frame["total"].astype("Float32")
    return frame


@pytest.fixture
def frame() -> pd.DataFrame:
    rows = (
        [(1, 1, "2026Q1", 2, "male")] * 30
        + [(1, 1, "2026Q1", 12, "female")] * 10
        + [(2, 1, "2026Q1", 22, "female")] * 4
        + [(3, 2, "2026Q1", 6, "male")] * 50
        + [(3, 2, "2026Q2", 16, "male")] * 50
    )
    return results(rows)


def test_wilson_interval_matches_hand_computed_values() -> None:
    low, high = wilson_interval([5, 0, 10], [10, 10, 10])
    # 5/10: 0.5 ± 1.96·√(0.025 + 0.00096)/1.384 → [0.2366, 0.7634]; 0/10 → [0, 0.2775]
    assert np.allclose(low, [0.236593, 0.0, 0.722460], atol=1e-5)
    assert np.allclose(high, [0.763407, 0.277540, 1.0], atol=1e-5)
    low, high = wilson_interval([0], [0])
    assert np.isnan(low[0]) and np.isnan(high[0])
    with pytest.raises(ValidationError):
        wilson_interval([3], [2])


@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_share_and_stays_in_zero_one(pair: tuple[int, int]) -> None:
    k, n = pair
    low, high = wilson_interval([k], [n])
    if n == 0:
        assert np.isnan(low[0])
    else:
        assert 0.0 <= low[0] <= k / n + 1e-12 <= high[0] + 2e-12 <= 1.0 + 2e-12


def test_band_prevalence_counts_every_band(frame: pd.DataFrame) -> None:
    only_q1 = filter_results(frame, ResultFilter(periods=("2026Q1",)))
    table = band_prevalence(only_q1, "total")
    assert table["count"].tolist() == [30, 50, 10, 0, 4]
    assert set(table["n"]) == {94}
    assert table.loc["severe", "share"] == pytest.approx(4 / 94)
    assert table.loc["moderately_severe", "ci_low"] == 0.0


def test_score_distribution_counts_each_score(frame: pd.DataFrame) -> None:
    counts = score_distribution(frame, "total", 0, 27)
    assert counts.loc[2] == 30 and counts.loc[16] == 50 and counts.sum() == 144
    assert counts.index[0] == 0 and counts.index[-1] == 27


def test_filters_combine_and_empty_means_all(frame: pd.DataFrame) -> None:
    assert len(filter_results(frame, ResultFilter())) == 144
    chosen = ResultFilter(district_ids=(1,), sexes=("female",))
    assert len(filter_results(frame, chosen)) == 14
    assert len(filter_results(frame, chosen, ignore=("district_id",))) == 14
    assert len(filter_results(frame, ResultFilter(school_ids=(9,)))) == 0


def test_school_district_and_region_are_compared(frame: pd.DataFrame) -> None:
    q1 = filter_results(frame, ResultFilter(periods=("2026Q1",)))
    table = compare_levels(
        q1, scale="total", top_bands=elevated_bands(BANDS), school_id=2, district_id=1
    )
    assert table.index.tolist() == ["school", "district", "region"]
    assert table["n"].tolist() == [4, 44, 94]
    assert table["count"].tolist() == [4, 14, 14]
    assert table.loc["region", "mean_score"] == pytest.approx((60 + 120 + 88 + 300) / 94)


def test_trend_by_quarter(frame: pd.DataFrame) -> None:
    table = quarter_trend(frame, scale="total", top_bands=("moderately_severe", "severe"))
    assert table["n"].tolist() == [94, 50] and table["count"].tolist() == [4, 50]
    by_sex = quarter_trend(frame, scale="total", top_bands=("severe",), by="sex")
    assert by_sex.loc[("2026Q1", "female"), "count"] == 4


def test_top_bands_must_belong_to_the_scale(frame: pd.DataFrame) -> None:
    with pytest.raises(ValidationError):
        quarter_trend(frame, scale="total", top_bands=("abnormal",))
    with pytest.raises(ValidationError):
        band_prevalence(frame, "score_without_bands")


def test_ranking_leaves_small_schools_unranked_and_shrinks_toward_the_region(
    frame: pd.DataFrame,
) -> None:
    table = rank_schools(
        frame, scale="total", top_bands=("moderate", "moderately_severe", "severe"), min_n=30
    )
    assert pd.isna(table.loc[2, "rank"]) and table.loc[2, "standing"] == "too_few"
    assert table.loc[2, "share"] == 1.0 and table.loc[2, "shrunk_share"] < 1.0
    assert table.loc[3, "rank"] == 1 and table.loc[1, "rank"] == 2
    region = table.attrs["region_share"]
    assert region == pytest.approx(64 / 144)
    assert table.loc[1, "standing"] == "below"  # 10/40 with CI under 44 %
    for school in (1, 3):
        share, shrunk = table.loc[school, "share"], table.loc[school, "shrunk_share"]
        assert min(share, region) <= shrunk <= max(share, region)


def test_ranking_shrinks_hard_when_schools_do_not_differ_beyond_chance() -> None:
    rows = [(s, 1, "2026Q1", 12 if k < 10 else 0, "male") for s in (1, 2, 3) for k in range(50)]
    table = rank_schools(results(rows), scale="total", top_bands=("moderate",))
    assert table["shrunk_share"].round(6).nunique() == 1
    assert set(table["standing"]) == {"similar"}


def test_reporting_rates_follow_dhis2() -> None:
    schools = pd.DataFrame({"school_id": [1, 2, 3, 4]})
    rounds = pd.DataFrame(
        {
            "school_id": [1, 1, 2, 3, 9],
            "period": ["2026Q1", "2026Q1", "2026Q1", "2026Q1", "2026Q1"],
            "received_on": [
                date(2026, 3, 2),
                date(2026, 4, 30),
                date(2026, 4, 15),
                date(2026, 4, 16),
                date(2026, 3, 1),
            ],
        }
    )
    table = reporting_rates(schools, rounds, ["2026Q1", "2026Q2"], timely_days=15)
    # expected 4 schools; 3 reported (school 9 is not expected); on time ≤ 15 April: schools 1, 2
    assert table.loc["2026Q1", ["expected", "reported", "on_time"]].tolist() == [4, 3, 2]
    assert table.loc["2026Q1", "reporting_rate"] == 0.75
    assert table.loc["2026Q1", "on_time_rate"] == 0.5
    assert table.loc["2026Q2", "reported"] == 0
    assert missing_reports(schools, rounds, "2026Q1")["school_id"].tolist() == [4]


def test_quarters_and_school_years() -> None:
    assert periods.quarter_of(date(2026, 5, 15)) == "2026Q2"
    assert periods.quarter_bounds("2026Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.quarter_bounds("2024Q1")[1] == date(2024, 3, 31)
    assert periods.previous_quarter("2026Q1") == "2025Q4"
    assert periods.quarters_between("2025Q4", "2026Q2") == ["2025Q4", "2026Q1", "2026Q2"]
    assert periods.quarters_between("2026Q2", "2026Q1") == []
    assert periods.school_year_of(date(2025, 9, 1)) == "2025-2026"
    assert periods.school_year_of(date(2026, 8, 31)) == "2025-2026"
    assert periods.quarters_of_school_year("2025-2026") == ["2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    for bad in ("2026Q5", "26Q1", "2026-Q1"):
        with pytest.raises(ValidationError):
            periods.check_quarter(bad)
    with pytest.raises(ValidationError):
        periods.check_school_year("2025-2027")


def test_elevated_bands_are_the_upper_half() -> None:
    assert elevated_bands(BANDS) == ("moderate", "moderately_severe", "severe")
    assert elevated_bands(["minimal", "mild", "moderate", "severe"]) == ("moderate", "severe")
    assert elevated_bands(["normal", "borderline", "abnormal"]) == ("borderline", "abnormal")
