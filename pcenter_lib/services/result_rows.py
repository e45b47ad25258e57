"""The rows an import writes to ``screening_results``, built column by column (Rules 20–21).

A region's round can hold a million results. Serialising each row's answers and scores with
``json.dumps`` on a dict per row cost more than the database's own insert, so the JSON texts are
built per column: every value is turned into its JSON text once per column (a category's text
once per category), and each row's object is one ``str.format`` of those texts. The text is the
one ``json.dumps`` writes for the same dict (``", "`` and ``": "`` separators, keys in column
order), so stored rows read the same as before.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from pcenter_lib.diagnostics.importing import ParsedUpload

SMALL_RANGE = 10_000


def plain_values(column: pd.Series) -> list[Any]:
    """A column as plain Python values: NA → None, numbers → int, categories → str."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return list(column.astype(object).where(column.notna(), None).tolist())
    numbers = column.to_numpy(dtype="float64", na_value=np.nan).tolist()
    return [None if v != v else int(v) for v in numbers]  # NaN ≠ NaN


def _json_texts(column: pd.Series) -> list[str]:
    """Each value of ``column`` as JSON text, as ``json.dumps(plain_values(column)[k])``."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        texts = np.array(
            [json.dumps(c.item() if hasattr(c, "item") else c) for c in column.cat.categories]
            + ["null"], dtype=object
        )
        return list(texts[column.cat.codes.to_numpy()])  # code -1 (missing) → the last: null
    numbers = column.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(numbers)
    whole = np.where(missing, 0.0, numbers).astype(np.int64)  # int() truncates the same way
    if not len(whole):
        return []
    low, high = int(whole.min()), int(whole.max())
    if high - low <= SMALL_RANGE:  # answers and scores: each distinct number written once
        texts = np.array([str(n) for n in range(low, high + 1)] + ["null"], dtype=object)
        return list(texts[np.where(missing, len(texts) - 1, whole - low)])
    return list(np.where(missing, "null", whole.astype(str)).astype(object))


def json_objects(frame: pd.DataFrame) -> list[str]:
    """Each row of ``frame`` as the JSON object ``json.dumps`` writes for its plain values."""
    if len(frame.columns) == 0:
        return ["{}"] * len(frame)
    keys = [json.dumps(str(name)).replace("{", "{{").replace("}", "}}") for name in frame.columns]
    template = "{{" + ", ".join(f"{key}: {{}}" for key in keys) + "}}"
    columns = [_json_texts(frame[name]) for name in frame.columns]
    return list(map(template.format, *columns))


def result_rows(
    parsed: ParsedUpload, primary: str, child_ids: list[int | None], codes: list[str | None]
) -> list[tuple[Any, ...]]:
    """The rows of ``screening_results`` without the round's id: child, code, grade, age, sex,
    responses (JSON), scores (JSON), the ``primary`` scale's score and band, critical."""
    answers, scores = parsed.answers, parsed.scores
    score_columns = [c for c in scores.columns if c != "critical"]
    band = f"{primary}_band"
    rows = len(answers)
    return list(
        zip(
            child_ids,
            codes,
            answers["grade"].astype(object).where(answers["grade"].notna(), None).tolist(),
            answers["age"].astype(int).tolist(),
            answers["sex"].astype(str).tolist(),
            json_objects(answers[parsed.instrument.item_ids]),
            json_objects(scores[score_columns]),
            plain_values(scores[primary]),
            plain_values(scores[band]) if band in scores.columns else [None] * rows,
            scores["critical"].to_numpy(bool).tolist(),
            strict=True,
        )
    )
