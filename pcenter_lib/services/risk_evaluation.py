"""Evaluate a risk model on the held-out school year, with the synthetic region's reference points.

This is the only module of the library that reads ``demo_ground_truth`` (an import-linter
contract keeps it so): the hidden latent risk of each synthetic child never reaches a model, an
indicator or a queue. From it come two reference points beside the model:

- the **oracle**: each test row's true probability of an escalation in its 90-day window,
  computed by the generator's own crisis process from the stored hazard, crisis episode and
  school years (``pcenter_lib.demo.oracle``) — the best any model could do;
- the **covariate reference**, a logistic regression fitted on the training rows using only the
  generator's own observable covariates: age, sex, special educational needs, urban/rural, and
  the family situation the generator drew.

A real Center's database has the table empty; both reference points are then ``None``. A demo
region built before the hazard was stored has no oracle.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.demo.oracle import TRUTH_COLUMNS, has_hazard, oracle_probabilities
from pcenter_lib.models import Child
from pcenter_lib.models.demo import DemoGroundTruth
from pcenter_lib.risk.dataset import RiskDataset
from pcenter_lib.risk.evaluation import evaluate_predictions
from pcenter_lib.risk.pipeline import Scores
from pcenter_lib.risk.training import Candidate

COVARIATES = ("age_years", "female", "special_needs", "rural_school")


def _truth(session: Session) -> pd.DataFrame:
    g = DemoGroundTruth
    rows = session.connection().execute(
        select(
            g.child_id, g.log_hazard, g.episode_began_on, g.episode_ended_on, g.school_from,
            g.school_until, g.escalated_at, Child.birth_on, Child.sex, g.family_situation,
        ).join(Child, Child.id == g.child_id)
    ).all()  # fmt: skip
    return pd.DataFrame([tuple(r) for r in rows], columns=[*TRUTH_COLUMNS, "family"])


def _covariates(data: RiskDataset, family: pd.Series, situations: list[str]) -> np.ndarray:
    own = data.indicators[list(COVARIATES)].to_numpy(dtype=np.float64)
    drawn = pd.Series(data.child_id).map(family).fillna("unknown").to_numpy()
    one_hot = np.column_stack([(drawn == s).astype(float) for s in situations])
    return np.column_stack([own, one_hot])


def reference_points(
    session: Session, train: RiskDataset, test: RiskDataset
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(oracle scores, covariate reference probabilities) for the test rows, or (None, None)."""
    truth = _truth(session)
    if truth.empty:
        return None, None
    oracle = (
        oracle_probabilities(truth, test.child_id, test.scored_on) if has_hazard(truth) else None
    )
    family = truth.set_index("child_id")["family"]
    situations = sorted(str(s) for s in family.unique())[1:]  # one level is the baseline
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    if len(np.unique(train.y)) < 2:
        return oracle, None
    model.fit(_covariates(train, family, situations), train.y)
    reference = model.predict_proba(_covariates(test, family, situations))[:, 1]
    return oracle, reference


def evaluation_report(session: Session, candidate: Candidate) -> dict[str, Any]:
    """The full report of ``pcenter risk evaluate`` for a fitted candidate."""
    oracle, reference = reference_points(session, candidate.train, candidate.test)
    scores: Scores = candidate.scores
    model = candidate.pipeline.named_steps["model"]
    return evaluate_predictions(
        candidate.test.y,
        scores.probability,
        scores.band >= model.high_band,
        candidate.test.groups,
        oracle=oracle,
        reference=reference,
        child_ids=candidate.test.child_id,
    )
