"""A child's history as the risk rules and indicators read it: plain tables, times in nanoseconds.

Services load the history from the database (``pcenter_lib.services.risk_data``); everything
that decides — hard rules, indicators, labels — reads only this object, so it can be tested and
benchmarked without a database. Every time is an ``int64`` of nanoseconds since 1970 UTC;
``NEVER`` stands for "has not happened" (a request not yet considered, a case still open), so
"not yet at moment t" is always ``column >= t``.

What a moment may see: an event is known at ``t`` only if it was *recorded* strictly before
``t`` (``known_ns < t``). Each table names the column that says when the Center knew it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

import numpy as np
import pandas as pd

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

NEVER: Final = np.iinfo(np.int64).max
DAY_NS: Final = 86_400 * 10**9

# table → the columns it must have (positions ``pos`` into ``children`` are added on load)
COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "children": ("child_id", "birth_ns", "female", "special_needs", "urban", "language",
                 "guardian"),
    "requests": ("request_id", "child_id", "received_ns", "known_ns", "considered_ns", "due_ns",
                 "reviewed_ns", "direct_threat", "priority_review", "source", "journal_number"),
    "concerns": ("request_id", "child_id", "known_ns", "concern"),
    "screening": ("child_id", "known_ns", "band_level", "critical"),
    "crises": ("child_id", "kind", "occurred_ns", "known_ns"),
    "cases": ("case_id", "child_id", "opened_ns", "closed_ns", "direct_threat", "responsible"),
    "notifications": ("request_id", "child_id", "known_ns", "due_ns", "sent_ns", "recipient"),
    "contacts": ("child_id", "held_ns"),
    "plan_items": ("child_id", "known_ns", "due_ns", "done_ns"),
}


class HistoryShapeError(PcenterError, ValueError):
    """A history table lacks a column the risk rules read."""


def to_ns(moment: datetime | date) -> int:
    """Nanoseconds since 1970 UTC of an aware moment (a date counts from its UTC midnight)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise HistoryShapeError(N_("The moment {value} has no time zone."), value=moment)
        return int(pd.Timestamp(moment).tz_convert("UTC").value)
    return int(pd.Timestamp(moment).tz_localize("UTC").value)


@dataclass(frozen=True)
class History:
    """The tables of ``COLUMNS``; each event table gains ``pos``, its child's row in ``children``.

    ``children`` is sorted by ``child_id``; an event whose child is not in it gets ``pos = -1``
    and is never counted.
    """

    tables: Mapping[str, pd.DataFrame]
    children: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        missing = [
            f"{name}.{column}"
            for name, columns in COLUMNS.items()
            for column in columns
            if column not in self.tables.get(name, pd.DataFrame()).columns
        ]
        if missing:
            raise HistoryShapeError(
                N_("The history lacks the columns {columns}."), columns=", ".join(missing)
            )
        children = self.tables["children"].sort_values("child_id").reset_index(drop=True)
        object.__setattr__(self, "children", children)
        ids = children["child_id"].to_numpy(dtype=np.int64)
        tables = {"children": children}
        for name in COLUMNS:
            if name == "children":
                continue
            frame = self.tables[name].reset_index(drop=True)
            child = frame["child_id"].to_numpy(dtype=np.float64)
            known = ~np.isnan(child)
            safe = np.where(known, child, -1).astype(np.int64)
            if len(ids):
                pos = np.clip(np.searchsorted(ids, safe), 0, len(ids) - 1)
                found = known & (ids[pos] == safe)
            else:
                pos, found = np.zeros(len(frame), dtype=np.int64), np.zeros(len(frame), bool)
            tables[name] = frame.assign(pos=np.where(found, pos, -1))
        object.__setattr__(self, "tables", tables)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def size(self) -> int:
        """How many children the history knows."""
        return len(self.children)

    def positions(self, child_ids: np.ndarray) -> np.ndarray:
        """Rows in ``children`` of ``child_ids`` (all must be known)."""
        ids = self.children["child_id"].to_numpy(dtype=np.int64)
        return np.searchsorted(ids, np.asarray(child_ids, dtype=np.int64))


def per_child_any(history: History, table: str, mask: np.ndarray) -> np.ndarray:
    """Per child (row of ``children``): whether any row of ``table`` where ``mask`` holds."""
    return per_child_count(history, table, mask) > 0


def per_child_count(history: History, table: str, mask: np.ndarray) -> np.ndarray:
    """Per child: how many rows of ``table`` satisfy ``mask``."""
    pos = history[table]["pos"].to_numpy()
    chosen = mask & (pos >= 0)
    return np.bincount(pos[chosen], minlength=history.size)


def per_child_max(
    history: History, table: str, mask: np.ndarray, values: np.ndarray, empty: float
) -> np.ndarray:
    """Per child: the largest of ``values`` over rows where ``mask`` holds (``empty`` if none)."""
    pos = history[table]["pos"].to_numpy()
    chosen = mask & (pos >= 0)
    result = np.full(history.size, -np.inf)
    np.maximum.at(result, pos[chosen], np.asarray(values, dtype=np.float64)[chosen])
    return np.where(np.isneginf(result), empty, result)


def open_population(history: History, at: int) -> np.ndarray:
    """Rows of ``children`` with an open request or case at ``at`` (sorted).

    A request is open from its receipt until it is considered (Rule 16); a case from its
    opening until it is closed. Both are judged by their times, so the same answer comes back
    for a past moment as it was then.
    """
    requests = history["requests"]
    open_request = (requests["known_ns"].to_numpy() < at) & (
        requests["considered_ns"].to_numpy() >= at
    )
    cases = history["cases"]
    open_case = (cases["opened_ns"].to_numpy() < at) & (cases["closed_ns"].to_numpy() >= at)
    either = per_child_any(history, "requests", open_request) | per_child_any(
        history, "cases", open_case
    )
    return np.flatnonzero(either)
