"""What the diagnostics app shows, computed with pandas on one frame of results (Rules 20–21).

The frame holds one row per scored answer sheet of one instrument, with categorical columns
``period`` (``2026Q1``), ``school_year``, ``district_id``, ``school_id``, ``grade``, ``sex`` and
``language`` (of instruction), and per scale a score column ``<scale>`` and a band column
``<scale>_band`` (ordered categorical, least to most concern). At region scale (a million rows)
every view is a vectorized group-by, so a filter change recomputes in well under a second.

Shares come with Wilson score intervals, which stay inside [0, 1] and behave at small n and at
0 % or 100 %, unlike the textbook normal interval. Schools are ranked honestly: a school with
fewer than ``min_n`` scored children is listed but never ranked, the ranking uses
empirical-Bayes shrunken shares (a small school's extreme share is pulled toward the region),
and a school is called above or below the region only when its interval excludes the region's
share. Reporting rates follow DHIS2 (docs.dhis2.org, "Reporting rate"): expected reports = schools ×
quarters, reporting rate = reports received ÷ expected, on-time rate = reports received within
``timely_days`` after the quarter's end ÷ expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from pcenter_lib.diagnostics.periods import quarter_bounds
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_

Z_95: Final = 1.959963984540054  # two-sided 95 % normal quantile
DEFAULT_MIN_N: Final = 30  # no school is ranked on fewer scored children (Center setting)
DEFAULT_TIMELY_DAYS: Final = 15  # DHIS2 ``timelyDays`` analogue; a Center setting, no legal term
FILTER_COLUMNS: Final = (
    "period",
    "school_year",
    "district_id",
    "school_id",
    "grade",
    "sex",
    "language",
)
Standing = Literal["above", "below", "similar", "too_few"]
STANDING_LABELS: Final[dict[str, str]] = {
    "above": N_("Above the region"),
    "below": N_("Below the region"),
    "similar": N_("Not distinguishable from the region"),
    "too_few": N_("Too few results to rank"),
}
LEVEL_LABELS: Final[dict[str, str]] = {
    "school": N_("School"),
    "district": N_("District"),
    "region": N_("Region"),
}

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ResultFilter:
    """The app's filters; an empty tuple means "all". Values are compared as given."""

    periods: tuple[str, ...] = ()
    school_years: tuple[str, ...] = ()
    district_ids: tuple[int, ...] = ()
    school_ids: tuple[int, ...] = ()
    grades: tuple[int, ...] = ()
    sexes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    def conditions(self) -> dict[str, tuple[object, ...]]:
        chosen: dict[str, tuple[object, ...]] = {
            "period": self.periods,
            "school_year": self.school_years,
            "district_id": self.district_ids,
            "school_id": self.school_ids,
            "grade": self.grades,
            "sex": self.sexes,
            "language": self.languages,
        }
        return {column: values for column, values in chosen.items() if values}


def filter_results(
    frame: pd.DataFrame, chosen: ResultFilter, *, ignore: Sequence[str] = ()
) -> pd.DataFrame:
    """Rows of ``frame`` matching every chosen filter except the columns in ``ignore``."""
    mask = np.ones(len(frame), dtype=np.bool_)
    for column, values in chosen.conditions().items():
        if column in ignore:
            continue
        mask &= frame[column].isin(values).to_numpy()
    return frame[mask] if not mask.all() else frame


def wilson_interval(
    successes: npt.ArrayLike, totals: npt.ArrayLike, z: float = Z_95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for ``successes`` out of ``totals`` (NaN where the total is 0)."""
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(totals, dtype=np.float64)
    if np.any(k < 0) or np.any(k > n):
        raise ValidationError(N_("A count of cases must lie between 0 and its total."))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        z2 = z * z
        denominator = 1.0 + z2 / n
        centre = (p + z2 / (2.0 * n)) / denominator
        half = z * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def _band_column(frame: pd.DataFrame, scale: str) -> pd.Series:
    column = f"{scale}_band"
    if column not in frame.columns:
        raise ValidationError(N_("The scale {scale!r} has no bands to count."), scale=scale)
    return frame[column]


def _with_shares(table: pd.DataFrame, count: str, total: str) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        table["share"] = table[count] / table[total].where(table[total] > 0)
    table["ci_low"], table["ci_high"] = wilson_interval(table[count], table[total])
    return table


def band_prevalence(frame: pd.DataFrame, scale: str) -> pd.DataFrame:
    """Per band: children, share of the children with a band on this scale, and its 95 % CI."""
    bands = _band_column(frame, scale)
    counts = bands.value_counts(sort=False).reindex(bands.cat.categories, fill_value=0)
    table = pd.DataFrame({"count": counts.astype(np.int64)})
    table["n"] = int(counts.sum())
    table.index.name = "band"
    return _with_shares(table, "count", "n")


def score_distribution(frame: pd.DataFrame, scale: str, low: int, high: int) -> pd.Series:
    """How many children have each score ``low``…``high`` on ``scale`` (missing scores left out)."""
    scores = frame[scale].to_numpy(dtype=np.float64, na_value=np.nan)
    present = scores[~np.isnan(scores)].astype(np.int64) - low
    counts = np.bincount(
        present[(present >= 0) & (present <= high - low)], minlength=high - low + 1
    )
    return pd.Series(counts, index=pd.RangeIndex(low, high + 1, name="score"), name="count")


def _top_flags(
    frame: pd.DataFrame, scale: str, top_bands: Sequence[str]
) -> tuple[pd.Series, pd.Series]:
    """(has a band, is in one of ``top_bands``) as two boolean Series."""
    bands = _band_column(frame, scale)
    unknown = [band for band in top_bands if band not in bands.cat.categories]
    if unknown or not top_bands:
        raise ValidationError(
            N_("Choose the top bands among {known}; {unknown} are not bands of this scale."),
            known=", ".join(map(str, bands.cat.categories)),
            unknown=", ".join(unknown) or "—",
        )
    return bands.notna(), bands.isin(list(top_bands))


def _summarise(
    frame: pd.DataFrame, scale: str, top_bands: Sequence[str], by: list[str]
) -> pd.DataFrame:
    banded, top = _top_flags(frame, scale, top_bands)
    work = pd.DataFrame(
        {
            "n": banded.to_numpy(np.int64),
            "count": top.to_numpy(np.int64),
            "score": frame[scale].to_numpy(dtype=np.float64, na_value=np.nan),
        },
        index=frame.index,
    )
    if not by:
        table = pd.DataFrame(
            {
                "n": [work["n"].sum()],
                "count": [work["count"].sum()],
                "mean_score": [work["score"].mean()],
            }
        )
    else:
        for column in by:
            work[column] = frame[column]
        grouped = work.groupby(by, observed=True, sort=True)
        table = grouped.agg(n=("n", "sum"), count=("count", "sum"), mean_score=("score", "mean"))
    return _with_shares(table, "count", "n")


def compare_levels(
    frame: pd.DataFrame,
    *,
    scale: str,
    top_bands: Sequence[str],
    school_id: int | None = None,
    district_id: int | None = None,
) -> pd.DataFrame:
    """School vs district vs region: children, top-band count and share with CI, mean score.

    ``frame`` should be filtered on everything but place, so the region row is the region.
    """
    parts = {"region": frame}
    if district_id is not None:
        parts["district"] = frame[frame["district_id"] == district_id]
    if school_id is not None:
        parts["school"] = frame[frame["school_id"] == school_id]
    rows = [
        _summarise(part, scale, top_bands, []).assign(level=level) for level, part in parts.items()
    ]
    order = [level for level in ("school", "district", "region") if level in parts]
    return pd.concat(rows).set_index("level").loc[order]


def compare_schools(
    frame: pd.DataFrame, region: pd.DataFrame, *, scale: str, top_bands: Sequence[str]
) -> pd.DataFrame:
    """The schools of ``frame`` side by side, highest top-band share first, then two totals.

    Index: the school ids, then ``selection`` (all of ``frame``) and ``region`` (``region``, the
    results filtered on everything but place). Columns as ``compare_levels``.
    """
    per_school = _summarise(frame, scale, top_bands, ["school_id"])
    per_school = per_school[per_school["n"] > 0].sort_values(
        ["share", "n"], ascending=[False, False]
    )
    per_school.index = per_school.index.astype(object)
    totals = [
        _summarise(part, scale, top_bands, []).assign(level=level)
        for level, part in (("selection", frame), ("region", region))
    ]
    return pd.concat([per_school, pd.concat(totals).set_index("level")])


def quarter_trend(
    frame: pd.DataFrame, *, scale: str, top_bands: Sequence[str], by: str | None = None
) -> pd.DataFrame:
    """Per quarter (and per ``by`` group): children, top-band share with CI, mean score."""
    return _summarise(frame, scale, top_bands, ["period"] if by is None else ["period", by])


def rank_schools(
    frame: pd.DataFrame,
    *,
    scale: str,
    top_bands: Sequence[str],
    min_n: int = DEFAULT_MIN_N,
) -> pd.DataFrame:
    """Schools by their share in the top bands, with small numbers handled honestly.

    Columns: ``n``, ``count``, ``share``, ``ci_low``, ``ci_high``, ``shrunk_share`` (empirical
    Bayes: the beta prior's mean and strength are fitted to the schools by the method of
    moments), ``rank`` (1 = highest shrunken share; missing when ``n < min_n``) and
    ``standing`` (above / below / similar to the region by the Wilson interval, or too_few).
    """
    table = _summarise(frame, scale, top_bands, ["school_id"])
    table = table[table["n"] > 0].copy()
    region_n, region_k = int(table["n"].sum()), int(table["count"].sum())
    region_share = region_k / region_n if region_n else np.nan
    strength = _prior_strength(
        table["count"].to_numpy(np.float64), table["n"].to_numpy(np.float64), region_share
    )
    table["shrunk_share"] = (table["count"] + strength * region_share) / (table["n"] + strength)
    rankable = table["n"] >= min_n
    ranks = table.loc[rankable, "shrunk_share"].rank(ascending=False, method="min")
    table["rank"] = ranks.reindex(table.index).astype("Int64")
    standing = np.where(
        table["ci_low"] > region_share,
        "above",
        np.where(table["ci_high"] < region_share, "below", "similar"),
    )
    table["standing"] = np.where(rankable, standing, "too_few")
    table.attrs["region_share"] = region_share
    table.attrs["prior_strength"] = strength
    return table.sort_values(["rank", "n"], ascending=[True, False], na_position="last")


def _prior_strength(k: FloatArray, n: FloatArray, mean: float) -> float:
    """Beta prior strength (alpha + beta) from the spread of school shares beyond chance.

    Between-school variance = observed variance of shares minus the binomial variance expected
    at the schools' sizes; no excess spread means schools are alike and the prior is strong.
    """
    if len(n) < 2 or not 0.0 < mean < 1.0:
        return 1.0
    shares = k / n
    weights = n / n.sum()
    observed = float(np.sum(weights * (shares - mean) ** 2))
    chance = float(mean * (1.0 - mean) * np.sum(weights / n))
    between = observed - chance
    if between <= 0:
        return 1e4
    return float(np.clip(mean * (1.0 - mean) / between - 1.0, 1.0, 1e4))


def reporting_rates(
    schools: pd.DataFrame,
    rounds: pd.DataFrame,
    quarters: Sequence[str],
    *,
    timely_days: int = DEFAULT_TIMELY_DAYS,
) -> pd.DataFrame:
    """DHIS2-style completeness and timeliness per quarter.

    ``schools``: the schools expected to report (column ``school_id``). ``rounds``: received
    reports with ``school_id``, ``period`` and ``received_on`` (a date). A school counts once per
    quarter however many rounds it sent; it is on time when its first round arrived no later
    than ``timely_days`` after the quarter's last day.
    """
    expected_ids = pd.Index(schools["school_id"].unique())
    received = rounds[
        rounds["school_id"].isin(expected_ids) & rounds["period"].isin(list(quarters))
    ]
    first = (
        received.groupby(["period", "school_id"], observed=True)["received_on"].min().reset_index()
    )
    rows = []
    for quarter in quarters:
        deadline = quarter_bounds(quarter)[1] + timedelta(days=timely_days)
        in_quarter = first[first["period"] == quarter]
        reported = len(in_quarter)
        on_time = int((pd.to_datetime(in_quarter["received_on"]).dt.date <= deadline).sum())
        rows.append(
            {
                "period": quarter,
                "expected": len(expected_ids),
                "reported": reported,
                "on_time": on_time,
                "deadline": deadline,
            }
        )
    table = pd.DataFrame(
        rows, columns=["period", "expected", "reported", "on_time", "deadline"]
    ).set_index("period")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["reporting_rate"] = table["reported"] / table["expected"].where(table["expected"] > 0)
        table["on_time_rate"] = table["on_time"] / table["expected"].where(table["expected"] > 0)
    return table


def missing_reports(schools: pd.DataFrame, rounds: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """The expected schools that have sent no round for ``quarter`` (rows of ``schools``)."""
    sent = rounds.loc[rounds["period"] == quarter, "school_id"].unique()
    return schools[~schools["school_id"].isin(sent)]


def elevated_bands(bands: Sequence[str]) -> tuple[str, ...]:
    """The default "top" bands of a scale: the upper half of its bands, least to most concern.

    For PHQ-9 and GAD-7 these are the bands from "moderate" up, i.e. a total of 10 or more —
    the usual referral cut-off (Kroenke et al. 2001; Spitzer et al. 2006); for a three-band SDQ scale,
    "borderline" and "abnormal". The app lets the methodologist choose other bands.
    """
    return tuple(bands[len(bands) // 2 :])
