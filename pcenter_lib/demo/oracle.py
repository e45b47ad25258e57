"""The oracle of the synthetic region: each child's true chance of an escalation in a window.

``oracle_probabilities`` reads the ground truth as stored (``demo_ground_truth`` joined with the
child's birth date and sex) and asks ``hazard.window_probability`` for each (child, scoring
date): the probability, given everything the generator had decided by that moment, that the
child escalates in the next 90 days — a later direct-threat request or a repeat crisis, which
is what a risk model's label counts. Only the risk evaluation calls it.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from pcenter_lib.demo.hazard import (
    NEVER_DAY,
    NO_DAY,
    CrisisClock,
    Pupils,
    day_index,
    twelfth_birthday,
    window_probability,
)
from pcenter_lib.demo.scales import EPOCH, HISTORY_START
from pcenter_lib.domain.calendar import KazakhstanCalendar, load_overrides

TRUTH_COLUMNS: Final = (
    "child_id", "log_hazard", "episode_began_on", "episode_ended_on", "school_from",
    "school_until", "escalated_at", "birth_on", "sex",
)  # fmt: skip


def _days(values: pd.Series, missing: int) -> np.ndarray:
    known = values.notna().to_numpy()
    days = np.full(len(values), missing, dtype=np.int64)
    if known.any():
        days[known] = day_index(list(values[known]), HISTORY_START)
    return days


def _minutes(values: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(pd.Series(list(values), dtype=object), utc=True)
    epoch = pd.Timestamp(EPOCH).tz_convert("UTC").value
    nanoseconds = stamps.to_numpy(dtype="datetime64[ns]").astype(np.int64) - epoch
    result: np.ndarray = np.where(stamps.isna().to_numpy(), -1, nanoseconds // (60 * 10**9))
    return result


def has_hazard(truth: pd.DataFrame) -> bool:
    """Whether the stored ground truth holds the hazard (a region built with it)."""
    return bool(len(truth)) and bool(truth["log_hazard"].notna().all())


def oracle_probabilities(
    truth: pd.DataFrame, child_ids: np.ndarray, scored_on: np.ndarray, horizon: int = 90
) -> np.ndarray:
    """True probability of an escalation within ``horizon`` days after midnight of ``scored_on``.

    ``truth`` has the columns of ``TRUTH_COLUMNS``, one row per child; ``child_ids`` and
    ``scored_on`` (dates) name the rows to score.
    """
    rows = truth.set_index("child_id").loc[np.asarray(child_ids, dtype=np.int64)]
    births = list(rows["birth_on"])
    twelfth = day_index([twelfth_birthday(b) for b in births], HISTORY_START)
    pupils = Pupils(
        log_hazard=rows["log_hazard"].to_numpy(dtype=np.float64),
        birth_day=day_index(births, HISTORY_START),
        adolescent_from=np.where(rows["sex"].to_numpy() == "female", twelfth, NEVER_DAY),
        school_from=_days(rows["school_from"], NO_DAY),
        school_until=_days(rows["school_until"], NEVER_DAY),
    )
    clock = CrisisClock.of(KazakhstanCalendar(load_overrides()))
    return window_probability(
        clock,
        pupils,
        onset_day=_days(rows["episode_began_on"], NO_DAY),
        end_day=_days(rows["episode_ended_on"], NO_DAY),
        escalated_minute=_minutes(rows["escalated_at"]),
        at_day=day_index(np.asarray(scored_on, dtype="datetime64[D]"), HISTORY_START),
        horizon=horizon,
    )
