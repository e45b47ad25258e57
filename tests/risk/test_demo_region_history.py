"""The default demo region has a past like a real Center's, a calibrated oracle, and trains a model.

One region at the default ``demo`` scale (seed 264) is built for the module:

- the children who left school during the history keep their records, so every school year of
  the past holds every age group (the pupils of grades 10–11 then, screened then);
- requests and escalations name only children who were at school at the time;
- an escalation follows its crisis episode by 7–150 days, and warning signs arrive on the day
  the episode begins;
- the oracle's probabilities add up to the escalations that happen, over every child and month;
- the default demo trains a model (no refusal) that ranks better than the covariate reference.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from pcenter_lib.demo import build_demo_region
from pcenter_lib.demo.oracle import oracle_probabilities
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.risk_history import open_population
from pcenter_lib.domain.risk_labels import escalation_within
from pcenter_lib.models import Child, Request, ScreeningResult, ScreeningRound
from pcenter_lib.models.demo import DemoGroundTruth
from pcenter_lib.risk.dataset import month_starts, scoring_moment
from pcenter_lib.risk.evaluation import observed_expected, safe_auc
from pcenter_lib.risk.training import fit_candidate
from pcenter_lib.services.risk_data import load_history
from pcenter_lib.services.risk_evaluation import _truth, evaluation_report
from pcenter_lib.workbench import Workbench
from tests.test_demo import fresh_workbench


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    bench = fresh_workbench(tmp_path_factory.mktemp("demo-region"))
    build_demo_region(bench, seed=264, scale="demo", compliant=True, progress=None)
    return bench


def _frame(bench: Workbench, statement: Any) -> pd.DataFrame:
    with bench.sessions() as session:
        result = session.execute(statement)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def test_leavers_keep_their_records_so_every_past_year_holds_every_age(region: Workbench) -> None:
    children = _frame(region, select(Child.id, Child.grade, Child.birth_on))
    left = children["grade"].isna()
    assert (~left).sum() == 6_000  # today's pupils, as the scale says
    assert left.sum() == round(6_000 * 2 / 10.5)  # and those who left in 2025 or 2026
    screened = _frame(
        region,
        select(ScreeningRound.school_year, ScreeningResult.grade).join(
            ScreeningRound, ScreeningRound.id == ScreeningResult.screening_round_id
        ),
    )
    for year in ("2024-2025", "2025-2026", "2026-2027"):
        grades = screened.loc[screened["school_year"] == year, "grade"]
        assert set(grades) == {7, 8, 9, 10, 11}, year
        # grade 11 is about as big as grade 10 every year (both 0.75 of a cohort)
        assert 0.8 < (grades == 11).sum() / (grades == 10).sum() < 1.25, year
    with region.sessions() as session:
        history = load_history(session)
    queued = []
    for day in month_starts(date(2024, 10, 1), date(2025, 6, 1)):
        moment = scoring_moment(day)
        ages = (moment - history.children["birth_ns"].to_numpy()) / (365.25 * 86_400e9)
        queued.append(np.floor(ages[open_population(history, moment)]))
    ages_queued = set(np.concatenate(queued))
    assert ages_queued == set(range(6, 18))  # the oldest pupils of 2024-2025 are there too


def test_requests_and_escalations_name_children_only_while_they_are_at_school(
    region: Workbench,
) -> None:
    g = DemoGroundTruth
    requests = _frame(
        region,
        select(Request.received_at, Request.direct_threat, g.school_from, g.school_until)
        .join(g, g.child_id == Request.child_id),
    )  # fmt: skip
    day = pd.to_datetime(requests["received_at"], utc=True).dt.tz_convert(KZ_TZ).dt.date
    until = requests["school_until"].fillna(date(2100, 1, 1))
    assert (day >= requests["school_from"]).all()
    assert (day < until).all()
    assert requests["direct_threat"].sum() > 100


def test_an_escalation_follows_its_episode_and_warning_signs_come_when_it_begins(
    region: Workbench,
) -> None:
    g = DemoGroundTruth
    truth = _frame(region, select(g.child_id, g.episode_began_on, g.episode_ended_on,
                                  g.escalated, g.escalated_at))  # fmt: skip
    escalated = truth[truth["escalated"]]
    local = pd.to_datetime(escalated["escalated_at"], utc=True).dt.tz_convert(KZ_TZ).dt.date
    delay = (local - escalated["episode_began_on"]).map(lambda d: d.days)
    assert delay.between(7, 150).all() and (local == escalated["episode_ended_on"]).all()
    assert truth.loc[~truth["escalated"], "escalated_at"].isna().all()
    began = truth.dropna(subset=["episode_began_on"])
    began = began[began["episode_began_on"] >= date(2024, 9, 1)]
    ordinary = _frame(
        region,
        select(Request.child_id, Request.received_at).where(~Request.direct_threat),
    )
    ordinary["day"] = pd.to_datetime(ordinary["received_at"], utc=True).dt.tz_convert(KZ_TZ).dt.date
    joined = began.merge(ordinary, on="child_id")
    lag = (joined["day"] - joined["episode_began_on"]).map(lambda d: d.days)
    signalled = joined.loc[lag.between(0, 4), "child_id"].nunique()
    assert 0.5 < signalled / len(began) < 0.8  # 60 % send a warning sign that day (or next)


def test_the_oracle_is_the_true_chance_of_an_escalation_over_every_child_and_month(
    region: Workbench,
) -> None:
    with region.sessions() as session:
        history = load_history(session)
        truth = _truth(session)
    ids = history.children["child_id"].to_numpy()
    rows = np.arange(history.size)
    observed, expected = [], []
    for day in month_starts(date(2024, 10, 1), date(2026, 8, 1)):
        observed.append(escalation_within(history, scoring_moment(day), rows))
        expected.append(oracle_probabilities(truth, ids, np.full(len(ids), np.datetime64(day))))
    y, p = np.concatenate(observed), np.concatenate(expected)
    ratio, _ = observed_expected(y, p)
    assert y.sum() > 300
    # one escalation labels up to three monthly rows: allow about four standard deviations
    assert 0.8 < ratio < 1.25
    assert safe_auc(y, p) > 0.95


def test_the_default_demo_trains_a_model_that_beats_the_covariate_reference(
    region: Workbench,
) -> None:
    with region.sessions() as session:
        candidate = fit_candidate(load_history(session))
        report = evaluation_report(session, candidate)
    model = candidate.pipeline.named_steps["model"]
    assert model.calibration_slope_ > 0
    assert report["auc"] > report["reference_auc"]
    assert report["oracle_auc"] > report["auc"]
    assert candidate.params["recalibration"]["months"][-1] == (
        candidate.window.cutoff - timedelta(days=92)
    ).isoformat()
