"""Rows to learn from: each child with an open request or case on a scoring date, its indicators
(from before that date) and whether it escalated in the next 90 days.

Scoring dates are the first day of each month, at midnight Kazakhstan time. The split follows
the time line and the children at once (Chouldechova et al., PMLR 81, 2018, on splitting by
referral): the test set is the last complete school year whose outcomes are known, the training
set the months before it whose 90-day outcome windows close before the test year begins — and a
child drawn into the test set never appears in the training set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final

import numpy as np
import pandas as pd

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.hard_rules import evaluate_hard_rules
from pcenter_lib.domain.risk_history import History, open_population, to_ns
from pcenter_lib.domain.risk_indicators import compute_indicators
from pcenter_lib.domain.risk_labels import HORIZON_DAYS, escalation_within
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_

AGE_BANDS: Final = ((0, 10, "6-10"), (11, 14, "11-14"), (15, 200, "15-17"))
GROUPINGS: Final = ("sex", "language", "settlement", "age_band")
MIN_TRAIN_DATES: Final = 3


@dataclass(frozen=True)
class RiskDataset:
    """Indicator rows with their child, scoring date, outcome, groups and hard-rule flag."""

    indicators: pd.DataFrame
    y: np.ndarray
    child_id: np.ndarray
    scored_on: np.ndarray  # datetime64[D]
    groups: pd.DataFrame
    mandatory: np.ndarray
    dates: tuple[date, ...] = field(default=())

    def subset(self, mask: np.ndarray) -> RiskDataset:
        return RiskDataset(
            self.indicators.loc[mask].reset_index(drop=True),
            self.y[mask],
            self.child_id[mask],
            self.scored_on[mask],
            self.groups.loc[mask].reset_index(drop=True),
            self.mandatory[mask],
            tuple(d for d in self.dates if np.datetime64(d) in set(self.scored_on[mask])),
        )

    def __len__(self) -> int:
        return len(self.y)


def scoring_moment(day: date) -> int:
    """Nanoseconds of midnight Kazakhstan time at the start of ``day``."""
    return to_ns(datetime.combine(day, time(0, 0), tzinfo=KZ_TZ))


def month_starts(first: date, last: date) -> list[date]:
    """The first days of the months from ``first`` to ``last`` (both included if month starts)."""
    day = date(first.year, first.month, 1)
    if day < first:
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    found = []
    while day <= last:
        found.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found


def _age_band(age: np.ndarray) -> np.ndarray:
    result = np.full(len(age), AGE_BANDS[-1][2], dtype=object)
    for low, high, label in reversed(AGE_BANDS):
        result[(age >= low) & (age <= high)] = label
    return result


def group_columns(history: History, rows: np.ndarray, indicators: pd.DataFrame) -> pd.DataFrame:
    """Sex, language of instruction, urban/rural settlement and age band of each row."""
    children = history.children.iloc[rows]
    return pd.DataFrame(
        {
            "sex": np.where(children["female"].to_numpy(dtype=bool), "female", "male"),
            "language": children["language"].fillna("unknown").astype(str).to_numpy(),
            "settlement": np.where(children["urban"].to_numpy(dtype=bool), "urban", "rural"),
            "age_band": _age_band(indicators["age_years"].to_numpy()),
        }
    )


def build_dataset(history: History, dates: list[date]) -> RiskDataset:
    """One row per child with an open request or case on each date (indicators, outcome)."""
    parts: list[tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame, np.ndarray, date]] = []
    for day in dates:
        at = scoring_moment(day)
        rows = open_population(history, at)
        indicators = compute_indicators(history, at, rows)
        hits = evaluate_hard_rules(history, at, rows)
        mandatory = np.zeros(len(rows), dtype=bool)
        for held in hits.values():
            mandatory |= held
        parts.append(
            (
                indicators,
                escalation_within(history, at, rows),
                history.children["child_id"].to_numpy()[rows],
                group_columns(history, rows, indicators),
                mandatory,
                day,
            )
        )
    if not parts:
        raise ValidationError(N_("There are no scoring dates in the history."))
    return RiskDataset(
        indicators=pd.concat([p[0] for p in parts]).reset_index(drop=True),
        y=np.concatenate([p[1] for p in parts]),
        child_id=np.concatenate([p[2] for p in parts]).astype(np.int64),
        scored_on=np.concatenate(
            [np.full(len(p[1]), np.datetime64(p[5]), dtype="datetime64[D]") for p in parts]
        ),
        groups=pd.concat([p[3] for p in parts]).reset_index(drop=True),
        mandatory=np.concatenate([p[4] for p in parts]),
        dates=tuple(dates),
    )


@dataclass(frozen=True)
class DataWindow:
    """The scoring dates of training and test, and the test year's first day (the cut-off)."""

    train_dates: tuple[date, ...]
    test_dates: tuple[date, ...]
    cutoff: date


def plan_window(history_start: date, data_end: date) -> DataWindow:
    """Test: the last complete school year whose 90-day outcomes are known; train: before it."""
    last = data_end - timedelta(days=HORIZON_DAYS)
    year = last.year if last >= date(last.year, 8, 1) else last.year - 1
    cutoff = date(year - 1, 9, 1)
    test = month_starts(cutoff, date(year, 8, 1))
    train = month_starts(history_start + timedelta(days=30), cutoff - timedelta(days=HORIZON_DAYS))
    if len(train) < MIN_TRAIN_DATES or not test:
        raise ValidationError(
            N_(
                "The history from {start} to {end} is too short: training needs {count} months "
                "before a complete school year with known outcomes."
            ),
            start=history_start.isoformat(),
            end=data_end.isoformat(),
            count=MIN_TRAIN_DATES,
        )
    return DataWindow(tuple(train), tuple(test), cutoff)


def _drawn(child_ids: np.ndarray, share: float, salt: str) -> np.ndarray:
    """A stable pseudo-random draw per child: the same child always falls on the same side."""
    digests = [
        int.from_bytes(hashlib.sha256(f"{salt}:{c}".encode()).digest()[:8], "big") / 2**64
        for c in child_ids
    ]
    return np.asarray(digests) < share


def split_dataset(
    data: RiskDataset, window: DataWindow, *, test_share: float = 0.5, salt: str = "pcenter"
) -> tuple[RiskDataset, RiskDataset]:
    """(train, test): earlier months vs. the test school year, no child in both."""
    in_test_year = np.isin(data.scored_on, np.array(window.test_dates, dtype="datetime64[D]"))
    in_train_months = np.isin(data.scored_on, np.array(window.train_dates, dtype="datetime64[D]"))
    candidates = np.unique(data.child_id[in_test_year])
    test_children = candidates[_drawn(candidates, test_share, salt)]
    is_test_child = np.isin(data.child_id, test_children)
    return data.subset(in_train_months & ~is_test_child), data.subset(in_test_year & is_test_child)
