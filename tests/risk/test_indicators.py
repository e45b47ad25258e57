"""Indicators: documented in kk/ru/en as data, computed only from before the scoring moment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.domain.risk_history import DAY_NS, NEVER, History
from pcenter_lib.domain.risk_indicators import (
    INDICATOR_CODES,
    compute_indicators,
    load_indicators,
)
from pcenter_lib.domain.risk_labels import escalation_within
from tests.risk.histories import AT, child_row, history_of, request_row, synthetic_history

FIELDS = ("name", "reason", "what", "source", "why")


def test_every_computed_indicator_is_documented_in_three_languages() -> None:
    indicators = load_indicators()
    assert tuple(i.code for i in indicators) == INDICATOR_CODES
    frame = compute_indicators(synthetic_history(50), AT, np.arange(50))
    assert tuple(frame.columns) == INDICATOR_CODES
    for indicator in indicators:
        for field in FIELDS:
            texts = {lang: indicator.text(field, lang) for lang in ("kk", "ru", "en")}
            assert all(texts.values()), (indicator.code, field)
            assert texts["kk"] != texts["en"] and texts["ru"] != texts["en"], indicator.code


def test_indicators_read_the_history_as_documented() -> None:
    history = history_of(
        children=[child_row(1, female=True, guardian=True), child_row(2, urban=False)],
        requests=[
            request_row(1, 1, AT - 10 * DAY_NS, source="minor_over_16"),
            request_row(2, 1, AT - 200 * DAY_NS, direct_threat=True),
        ],
        concerns=[{"request_id": 1, "child_id": 1, "known_ns": AT - 10 * DAY_NS,
                   "concern": "bullying"}],
        screening=[
            {"child_id": 1, "known_ns": AT - 100 * DAY_NS, "band_level": 1.0, "critical": False},
            {"child_id": 1, "known_ns": AT - 20 * DAY_NS, "band_level": 3.0, "critical": True},
        ],
        contacts=[{"child_id": 1, "held_ns": AT - 4 * DAY_NS}],
    )  # fmt: skip
    frame = compute_indicators(history, AT, np.array([0, 1]))
    one, two = frame.loc[1], frame.loc[2]
    assert one["female"] == 1 and one["guardian_or_trustee"] == 1 and two["rural_school"] == 1
    assert one["requests_90d"] == pytest.approx(np.log1p(1))
    assert one["requests_12m"] == pytest.approx(np.log1p(2))
    assert one["direct_threats_before"] == pytest.approx(np.log1p(1))
    assert one["concern_bullying_12m"] == 1 and one["source_self_12m"] == 1
    assert one["screening_band_last"] == 3 and one["screening_band_trend"] == 2
    assert one["screening_critical_6m"] == 1 and two["screening_missing_12m"] == 1
    assert one["days_since_last_contact"] == pytest.approx(4)
    assert two["days_since_last_contact"] == 365 and one["age_years"] == 13


def _shift_future(history: History, at: int, delay: int) -> History:
    """Every event at or after ``at`` moved ``delay`` later (times already NEVER stay NEVER)."""
    tables = {}
    for name, frame in history.tables.items():
        frame = frame.drop(columns=["pos"], errors="ignore").copy()
        for column in frame.columns:
            if column.endswith("_ns") and column != "birth_ns":
                values = frame[column].to_numpy(dtype=np.int64)
                later = (values >= at) & (values != NEVER)
                frame[column] = np.where(later, values + delay, values)
        tables[name] = frame
    return History(tables)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=900))
def test_nothing_after_the_scoring_moment_changes_an_indicator(days: int, delay_days: int) -> None:
    history = synthetic_history(300, seed=days)
    at = AT - days * DAY_NS
    rows = np.arange(300)
    before = compute_indicators(history, at, rows)
    after = compute_indicators(_shift_future(history, at, delay_days * DAY_NS), at, rows)
    pd.testing.assert_frame_equal(before, after)


def test_the_future_does_change_the_label_and_the_past_does_change_indicators() -> None:
    history = history_of(
        children=[child_row(1)],
        requests=[request_row(1, 1, AT + 30 * DAY_NS, direct_threat=True)],
    )
    assert escalation_within(history, AT, np.array([0])).tolist() == [1]
    assert escalation_within(history, AT, np.array([0]), days=20).tolist() == [0]
    moved = _shift_future(history, AT, 100 * DAY_NS)
    assert escalation_within(moved, AT, np.array([0])).tolist() == [0]
    earlier = history_of(
        children=[child_row(1)], requests=[request_row(1, 1, AT - 30 * DAY_NS, direct_threat=True)]
    )
    assert compute_indicators(earlier, AT, np.array([0]))["direct_threats_before"].iloc[0] > 0
    assert escalation_within(earlier, AT, np.array([0])).tolist() == [0]
