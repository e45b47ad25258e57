"""Fit the risk pipeline on the earlier months and score the held-out school year.

``fit_candidate`` plans the data window from the history itself (``plan_window``), builds the
rows of every scoring date, splits them by time and by child, fits ``make_risk_pipeline`` on
the training rows (calibration folds grouped by child, the level checked against the last
``RECENT_MONTHS`` training months: ``pcenter_lib.risk.recalibration``) and scores the test rows.
The report is
made by ``pcenter_lib.risk.evaluation``; reference points that need the synthetic region's
hidden truth are added by the evaluation service, the only code allowed to read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from pcenter_lib.domain.risk_history import NEVER, History
from pcenter_lib.errors import Msgid, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.risk.dataset import (
    DataWindow,
    RiskDataset,
    build_dataset,
    plan_window,
    split_dataset,
)
from pcenter_lib.risk.pipeline import Scores, make_risk_pipeline, score_frame

MIN_POSITIVES = 10
RECENT_MONTHS = 3  # the latest training months the level is checked (and re-estimated) on


@dataclass(frozen=True)
class Candidate:
    """A fitted pipeline, the rows it learnt from and was tested on, and its test scores."""

    pipeline: Pipeline
    window: DataWindow
    train: RiskDataset
    test: RiskDataset
    scores: Scores
    params: dict[str, Any]


def history_span(history: History) -> tuple[date, date]:
    """The first and last day on which the journal or crisis events record anything."""
    times = [
        history["requests"]["received_ns"].to_numpy(),
        history["crises"]["occurred_ns"].to_numpy(),
    ]
    known = np.concatenate(times)
    known = known[known != NEVER]
    if known.size == 0:
        raise ValidationError(N_("The journal is empty; there is nothing to learn from."))
    first = pd.Timestamp(int(known.min()), tz="UTC").tz_convert("Asia/Almaty").date()
    last = pd.Timestamp(int(known.max()), tz="UTC").tz_convert("Asia/Almaty").date()
    return first, last


def fit_candidate(
    history: History, *, test_share: float = 0.5, salt: str = "pcenter"
) -> Candidate:
    """Fit on the earlier months, score the later school year (no child in both)."""
    first, last = history_span(history)
    window = plan_window(first, last)
    data = build_dataset(history, [*window.train_dates, *window.test_dates])
    train, test = split_dataset(data, window, test_share=test_share, salt=salt)
    for name, part in ((N_("training"), train), (N_("test"), test)):
        if int(part.y.sum()) < MIN_POSITIVES:
            raise ValidationError(
                N_(
                    "The {part} rows hold {count} escalations; at least {minimum} are needed to "
                    "fit and judge a model."
                ),
                part=Msgid(name),
                count=int(part.y.sum()),
                minimum=MIN_POSITIVES,
            )
    pipeline = make_risk_pipeline()
    recent = window.train_dates[-RECENT_MONTHS:]
    pipeline.fit(
        train.indicators,
        train.y,
        model__groups=train.child_id,
        model__recent=np.isin(train.scored_on, np.array(recent, dtype="datetime64[D]")),
    )
    model = pipeline.named_steps["model"]
    return Candidate(
        pipeline=pipeline,
        window=window,
        train=train,
        test=test,
        scores=score_frame(pipeline, test.indicators),
        params={
            "C": model.C_,
            "Cs": list(model.Cs),
            "test_share": test_share,
            "salt": salt,
            "recalibration": {"months": [d.isoformat() for d in recent], **model.recalibration_},
        },
    )
