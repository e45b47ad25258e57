"""The rows an import stores: JSON built per column reads exactly as ``json.dumps`` per row."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from pcenter_lib.services.result_rows import json_objects, plain_values


def test_json_objects_are_the_text_json_dumps_writes_row_by_row() -> None:
    rng = np.random.default_rng(7)
    rows = 500
    items = rng.integers(0, 4, rows).astype(float)
    items[rng.random(rows) < 0.2] = np.nan
    frame = pd.DataFrame(
        {
            "item_1": pd.array(items, dtype="Float64"),
            "total": rng.integers(-3, 27, rows),
            "mean": rng.random(rows) * 10,  # a float score is stored whole, as int() makes it
            "wide": rng.integers(-(10**9), 10**9, rows),
            'odd "key"{}': rng.integers(0, 2, rows),
            "total_band": pd.Categorical(
                rng.choice(["minimal", "mild", None], rows), categories=["minimal", "mild"]
            ),
        }
    )
    by_row = [
        json.dumps(dict(zip(frame.columns, values, strict=True)))
        for values in zip(*(plain_values(frame[c]) for c in frame.columns), strict=True)
    ]
    assert json_objects(frame) == by_row
    assert any('"total_band": null' in text for text in by_row)
    assert any('"item_1": null' in text for text in by_row)


def test_plain_values_turn_missing_into_none_and_numbers_into_int() -> None:
    assert plain_values(pd.Series([1.0, np.nan, 2.9])) == [1, None, 2]
    assert plain_values(pd.Series(pd.Categorical(["a", None]))) == ["a", None]
    assert json_objects(pd.DataFrame(index=range(2))) == ["{}", "{}"]
