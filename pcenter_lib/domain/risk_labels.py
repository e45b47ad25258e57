"""The outcome a risk model learns: escalation within 90 days after the scoring moment.

An escalation is a later direct-threat request about the child (Rules 15, 16, 18), or a crisis
event of the kinds in ``ESCALATION_KINDS`` — a suicide attempt, police involvement or a
hospitalisation — that happened in ``(at, at + 90 days]``. Labels look into the future on
purpose; only training and evaluation read them, never an indicator or a hard rule.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from pcenter_lib.domain.risk_events import ESCALATION_KINDS
from pcenter_lib.domain.risk_history import DAY_NS, History, per_child_any

HORIZON_DAYS: Final = 90


def escalation_within(
    history: History, at: int, rows: np.ndarray, days: int = HORIZON_DAYS
) -> np.ndarray:
    """1 for each child of ``rows`` that escalated in ``(at, at + days]``, else 0."""
    end = at + days * DAY_NS
    requests = history["requests"]
    received = requests["received_ns"].to_numpy()
    threat = requests["direct_threat"].to_numpy(dtype=bool) & (received > at) & (received <= end)
    crises = history["crises"]
    occurred = crises["occurred_ns"].to_numpy()
    crisis = (
        crises["kind"].isin(sorted(ESCALATION_KINDS)).to_numpy()
        & (occurred > at)
        & (occurred <= end)
    )
    either = per_child_any(history, "requests", threat) | per_child_any(history, "crises", crisis)
    result: np.ndarray = either[np.asarray(rows, dtype=np.int64)].astype(np.int64)
    return result
