"""Training, publication (and its refusal by group), the model card and ``pcenter risk``."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

import pcenter_lib.services.risk_models as risk_models
from pcenter_lib.cli import main
from pcenter_lib.domain.risk_indicators import compute_indicators
from pcenter_lib.models import AuditEvent, RiskModelVersion
from pcenter_lib.risk.card import CARD_FIELDS
from pcenter_lib.risk.dataset import DataWindow, RiskDataset, group_columns
from pcenter_lib.risk.evaluation import GROUP_METRICS, JSON_KEYS
from pcenter_lib.risk.persistence import load_pipeline
from pcenter_lib.risk.pipeline import make_risk_pipeline, score_frame
from pcenter_lib.risk.training import Candidate
from pcenter_lib.services.risk_models import (
    list_risk_models,
    model_card,
    publish_risk_model,
    published_model,
    train_risk_model,
)
from pcenter_lib.workbench import Workbench
from tests.intake.world import build_world
from tests.risk.histories import AT, synthetic_history, synthetic_outcome

WINDOW = DataWindow((date(2024, 10, 1), date(2025, 6, 1)), (date(2025, 9, 1),), date(2025, 9, 1))


def _dataset(seed: int, n: int = 3000) -> RiskDataset:
    history = synthetic_history(n, seed=seed)
    rows = np.arange(n)
    frame = compute_indicators(history, AT, rows)
    return RiskDataset(
        indicators=frame.reset_index(drop=True),
        y=synthetic_outcome(history, rows, seed=seed),
        child_id=frame.index.to_numpy() + seed * 100_000,
        scored_on=np.full(n, np.datetime64("2025-09-01"), dtype="datetime64[D]"),
        groups=group_columns(history, rows, frame),
        mandatory=np.zeros(n, dtype=bool),
    )


def synthetic_candidate(_history: object, **_: object) -> Candidate:
    train, test = _dataset(5), _dataset(6)
    pipeline = make_risk_pipeline().fit(train.indicators, train.y, model__groups=train.child_id)
    return Candidate(pipeline, WINDOW, train, test, score_frame(pipeline, test.indicators),
                     {"C": pipeline.named_steps["model"].C_})  # fmt: skip


@pytest.fixture
def bench(any_workbench: Workbench, monkeypatch: pytest.MonkeyPatch) -> Workbench:
    build_world(any_workbench)
    monkeypatch.setattr(risk_models, "fit_candidate", synthetic_candidate)
    return any_workbench


def test_a_trained_model_is_stored_with_its_file_evaluation_and_card(bench: Workbench) -> None:
    with bench.sessions.begin() as session:
        summary = train_risk_model(session, actor="analyst1", now=datetime(2026, 12, 1, tzinfo=UTC))
    assert summary.model_version == "risk-20261201-1" and summary.status == "trained"
    with bench.sessions() as session:
        row = session.scalar(select(RiskModelVersion))
        assert row is not None
        pipeline = load_pipeline(row.skops_file, expected_sha256=row.sha256)
        assert pipeline.named_steps["model"].calibration_slope_ > 0
        assert tuple(row.card) == CARD_FIELDS
        assert row.card["data_window"]["train_from"] == "2024-10-01"
        assert "94-V" in row.card["decision_principle"] and row.card["not_for"]
        assert row.card["metrics"]["auc"] == row.evaluation["auc"] > 0.6
        assert set(row.card["groups"]) == {"sex", "language", "settlement", "age_band"}
        assert {"oracle_auc", "reference_auc"} == set(row.card["reference_points"])
        actions = set(session.scalars(select(AuditEvent.action)))
    assert "train" in actions


def test_publishing_is_refused_naming_the_miscalibrated_group(bench: Workbench) -> None:
    with bench.sessions.begin() as session:
        version = train_risk_model(session, actor="analyst1").model_version
        row = session.scalar(select(RiskModelVersion))
        assert row is not None
        evaluation = json.loads(json.dumps(row.evaluation))
        evaluation["oe_ci"] = [0.9, 1.1]
        evaluation["calibration_error"] = 0.01
        for values in evaluation["groups"].values():
            for entry in values.values():
                entry.update(oe_ci=[0.8, 1.2], calibration_error=0.01)
        evaluation["groups"]["sex"]["male"]["oe_ci"] = [1.2, 1.9]
        row.evaluation = evaluation
    with bench.sessions.begin() as session:
        decision = publish_risk_model(session, actor="analyst1", version=version)
    assert not decision.published
    assert len(decision.problems) == 1 and decision.problems[0].startswith("sex = male: O/E")
    with bench.sessions.begin() as session:
        assert published_model(session) is None
        assert list_risk_models(session, actor="analyst1")[0].status == "refused"
        row = session.scalar(select(RiskModelVersion))
        assert row is not None
        evaluation = json.loads(json.dumps(row.evaluation))
        evaluation["groups"]["sex"]["male"]["oe_ci"] = [0.8, 1.3]
        row.evaluation = evaluation
    with bench.sessions.begin() as session:
        decision = publish_risk_model(session, actor="analyst1", version=version)
        loaded = published_model(session)
    assert decision.published and loaded is not None and loaded.model_version == version
    with bench.sessions.begin() as session:
        card, page = model_card(session, actor="supervisor1", version=None, lang="kk")
    assert card["status"] == "published" and card["publication"]["published_by"] == "analyst1"
    assert "Модель картасы" in page and "<table>" in page
    assert "Дербес деректер" in page  # the personal-data law, in Kazakh


def test_only_analysts_train_and_publish(bench: Workbench) -> None:
    from pcenter_lib.errors import PermissionDeniedError

    with bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        train_risk_model(session, actor="supervisor1")


def test_cli_evaluate_prints_exactly_the_promised_keys_and_states_the_targets(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("PCENTER_DATABASE_URL", bench.settings.database_url)
    monkeypatch.setenv("PCENTER_SECRET_KEY_FILE", str(bench.settings.secret_key_file))
    monkeypatch.setenv("PCENTER_LANG", "en")
    if bench.settings.is_sqlite:
        assert main(["risk", "evaluate", "--json"]) == 0
        captured = capsys.readouterr()
        report = json.loads(captured.out)
        assert tuple(report) == JSON_KEYS
        for values in report["groups"].values():
            assert all(tuple(entry) == GROUP_METRICS for entry in values.values())
        assert "auc_above_reference: MISSED — no covariate reference" in captured.err
        assert main(["risk", "train"]) == 0
        out = tmp_path / "cards"
        assert main(["risk", "card", "--out", str(out), "--lang", "ru"]) == 0
        written = sorted(p.suffix for p in out.iterdir())
        assert written == [".html", ".json"]
        assert "Карточка модели" in next(out.glob("*.html")).read_text(encoding="utf-8")
        assert main(["risk", "publish", "risk-nothing"]) == 2
        assert "There is no risk model risk-nothing" in capsys.readouterr().err
