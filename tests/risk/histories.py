"""Histories for the risk tests and benchmark, built without a database.

``empty_tables`` gives every table with its columns and no rows; ``history_of`` fills some of
them; ``synthetic_history`` draws a random history of ``n`` children (every child with an open
case at ``AT``) whose escalations depend on its indicators, for fitting and timing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.risk_history import COLUMNS, DAY_NS, NEVER, History, to_ns

AT = to_ns(datetime(2026, 3, 1, 0, 0, tzinfo=KZ_TZ))
BIRTH_13 = to_ns(datetime(2013, 1, 10, 0, 0, tzinfo=KZ_TZ))


def empty_tables() -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame({c: [] for c in columns}) for name, columns in COLUMNS.items()}


def child_row(child_id: int, **changes: Any) -> dict[str, Any]:
    row = {
        "child_id": child_id, "birth_ns": BIRTH_13, "female": False, "special_needs": False,
        "urban": True, "language": "kk", "guardian": False,
    }  # fmt: skip
    row.update(changes)
    return row


def request_row(request_id: int, child_id: int, received: int, **changes: Any) -> dict[str, Any]:
    row = {
        "request_id": request_id, "child_id": child_id, "received_ns": received,
        "known_ns": received, "considered_ns": received + DAY_NS, "due_ns": received + 2 * DAY_NS,
        "reviewed_ns": received + DAY_NS, "direct_threat": False, "priority_review": False,
        "source": "teacher", "journal_number": f"2026/{request_id:06d}",
    }  # fmt: skip
    row.update(changes)
    return row


def history_of(**tables: list[dict[str, Any]]) -> History:
    """A history whose named tables hold the given rows (the others empty)."""
    frames = empty_tables()
    for name, rows in tables.items():
        frames[name] = pd.DataFrame(rows, columns=list(COLUMNS[name])) if rows else frames[name]
    return History(frames)


def synthetic_history(n: int, seed: int = 7, at: int = AT) -> History:
    """``n`` children, each with an open case at ``at`` and a random history before it."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n + 1)
    risk = rng.normal(0, 1, n)
    children = pd.DataFrame(
        {
            "child_id": ids,
            "birth_ns": at - (rng.integers(6, 18, n) * 365.25 * DAY_NS).astype(np.int64),
            "female": rng.random(n) < 0.5,
            "special_needs": rng.random(n) < 0.03,
            "urban": rng.random(n) < 0.7,
            "language": np.where(rng.random(n) < 0.6, "kk", "ru"),
            "guardian": rng.random(n) < 0.04 + 0.04 * (risk > 1),
        }
    )
    per_child = 1 + rng.poisson(1.5 + np.maximum(risk, 0), n)
    owner = np.repeat(ids, per_child)
    count = len(owner)
    received = at - rng.integers(1, 400, count) * DAY_NS
    considered = received + rng.integers(0, 3, count) * DAY_NS
    requests = pd.DataFrame(
        {
            "request_id": np.arange(1, count + 1), "child_id": owner, "received_ns": received,
            "known_ns": received, "considered_ns": considered, "due_ns": received + 2 * DAY_NS,
            "reviewed_ns": considered, "direct_threat": rng.random(count) < 0.03,
            "priority_review": rng.random(count) < 0.05,
            "source": rng.choice(["teacher", "helpline_111", "legal_representative"], count),
            "journal_number": [f"2026/{i:06d}" for i in range(1, count + 1)],
        }
    )  # fmt: skip
    concern_codes = np.array(["suicidal", "violence", "bullying", "psycho_emotional", "crisis_divorce"])
    weights = np.column_stack([0.1 + 0.1 * (risk[owner - 1] > 1), np.full(count, 0.2),
                               np.full(count, 0.2), np.full(count, 0.3), np.full(count, 0.1)])  # fmt: skip
    picks = (weights.cumsum(1) / weights.sum(1)[:, None] < rng.random(count)[:, None]).sum(1)
    concerns = pd.DataFrame(
        {"request_id": requests["request_id"], "child_id": owner, "known_ns": received,
         "concern": concern_codes[np.minimum(picks, 4)]}
    )  # fmt: skip
    screened = rng.random(n) < 0.6
    s_ids = np.repeat(ids[screened], 2)
    screening = pd.DataFrame(
        {
            "child_id": s_ids,
            "known_ns": at - rng.integers(10, 300, len(s_ids)) * DAY_NS,
            "band_level": np.clip(np.round(risk[s_ids - 1] + rng.normal(1, 1, len(s_ids))), 0, 4),
            "critical": rng.random(len(s_ids)) < 0.03 + 0.1 * (risk[s_ids - 1] > 1.5),
        }
    )
    crises_owner = ids[rng.random(n) < 0.02 + 0.05 * (risk > 1.5)]
    crises = pd.DataFrame(
        {"child_id": crises_owner,
         "kind": rng.choice(["suicide_attempt", "violence_at_home", "hospitalisation"], len(crises_owner)),
         "occurred_ns": at - rng.integers(5, 500, len(crises_owner)) * DAY_NS,
         "known_ns": at - rng.integers(1, 4, len(crises_owner)) * DAY_NS}
    )  # fmt: skip
    crises["known_ns"] = np.maximum(crises["known_ns"], crises["occurred_ns"])
    cases = pd.DataFrame(
        {"case_id": ids, "child_id": ids, "opened_ns": at - rng.integers(1, 200, n) * DAY_NS,
         "closed_ns": np.full(n, NEVER), "direct_threat": rng.random(n) < 0.05,
         "responsible": rng.choice(["specialist1", "specialist2"], n)}
    )  # fmt: skip
    notifications = pd.DataFrame(
        {"request_id": requests["request_id"][:0], "child_id": owner[:0], "known_ns": received[:0],
         "due_ns": received[:0], "sent_ns": received[:0], "recipient": np.array([], dtype=object)}
    )  # fmt: skip
    contacts = pd.DataFrame(
        {"child_id": owner, "held_ns": received + rng.integers(1, 10, count) * DAY_NS}
    )
    items = pd.DataFrame(
        {"child_id": owner, "known_ns": received, "due_ns": received + 30 * DAY_NS,
         "done_ns": np.where(rng.random(count) < 0.85, received + 25 * DAY_NS, NEVER)}
    )  # fmt: skip
    return History(
        {
            "children": children, "requests": requests, "concerns": concerns,
            "screening": screening, "crises": crises, "cases": cases,
            "notifications": notifications, "contacts": contacts, "plan_items": items,
        }
    )  # fmt: skip


def synthetic_outcome(history: History, rows: np.ndarray, seed: int = 11) -> np.ndarray:
    """Escalations drawn from a logistic model of a few indicators (for fitting tests)."""
    from pcenter_lib.domain.risk_indicators import compute_indicators

    frame = compute_indicators(history, AT, rows)
    logit = (
        -3.5 + 1.2 * frame["screening_critical_6m"] + 0.8 * frame["concern_suicidal_12m"]
        + 0.5 * frame["screening_band_last"] + 0.9 * frame["crisis_events_12m"]
    )  # fmt: skip
    rng = np.random.default_rng(seed)
    result: np.ndarray = (rng.random(len(frame)) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    return result
