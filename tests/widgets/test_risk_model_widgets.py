"""The analyst's risk model app without a browser: train, read, compare, publish or refuse.

The model is fitted on synthetic rows (``tests.risk.test_model_services.synthetic_candidate``)
so the app's path runs in seconds; every figure the page shows is compared with the stored
evaluation, worded the way the page's language writes it.
"""

from __future__ import annotations

import html
import json

import pytest
from sqlalchemy import select

import pcenter_lib.services.risk_models as risk_models
from pcenter_lib.i18n import Translator
from pcenter_lib.models import RiskModelVersion
from pcenter_lib.risk.card import DECISION_PRINCIPLE
from pcenter_lib.risk.wording import figure, interval_text
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.intake.world import build_world
from tests.risk.test_model_services import synthetic_candidate
from tests.widgets.lookup import find_by_class, only_by_class
from widgets.risk_model.app import RiskModelApp
from widgets.risk_model.card import CardPanel
from widgets.risk_model.evaluation import EvaluationPanel
from widgets.risk_model.groups import GroupsPanel
from widgets.risk_model.indicators import IndicatorsPanel
from widgets.risk_model.models import ModelsPanel
from widgets.risk_model.publish import PublishPanel


@pytest.fixture
def bench(workbench: Workbench, monkeypatch: pytest.MonkeyPatch) -> Workbench:
    build_world(workbench)
    monkeypatch.setattr(risk_models, "fit_candidate", synthetic_candidate)
    return workbench


def _open(bench: Workbench, user: str = "analyst1", lang: str = "en") -> RiskModelApp:
    app = RiskModelApp(bench, environ={**signed_in(user), "QUERY_STRING": f"lang={lang}"})
    assert app.shell.banner.text == "", app.shell.banner.text
    return app


def _train(app: RiskModelApp) -> str:
    only_by_class(app.widget, "pcenter-risk-train").click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert app.state.version is not None
    return app.state.version


def set_stored_evaluation(bench: Workbench, version: str, *, male_ci: list[float]) -> None:
    """Make the stored evaluation calibrated everywhere except, maybe, boys."""
    with bench.sessions.begin() as session:
        row = session.scalar(select(RiskModelVersion).where(RiskModelVersion.model_version == version))
        assert row is not None
        evaluation = json.loads(json.dumps(row.evaluation))
        evaluation.update(oe_ci=[0.9, 1.1], calibration_error=0.01)
        for values in evaluation["groups"].values():
            for entry in values.values():
                entry.update(oe_ci=[0.8, 1.2], calibration_error=0.01)
        evaluation["groups"]["sex"]["male"]["oe_ci"] = male_ci
        row.evaluation = evaluation


def test_the_analyst_trains_and_reads_the_evaluation_groups_and_curve(bench: Workbench) -> None:
    app = _open(bench)
    assert list(app.panels) == [
        ModelsPanel, EvaluationPanel, GroupsPanel, PublishPanel, CardPanel, IndicatorsPanel
    ]
    models = app.panel(ModelsPanel)
    assert "No model has been trained yet" in models.intro.value
    version = _train(app)
    assert version in models.table.value and "trained, not published" in models.table.value
    report = app.state.evaluation
    shown = app.panel(EvaluationPanel)
    assert figure(report["auc"], "en") in shown.metrics.value
    assert interval_text(report["oe_ci"], "en") in shown.metrics.value
    assert "clustered by child" in shown.metrics.value
    assert "Covariate reference (age" in shown.references.value
    assert "No reference points" in shown.references.value  # no ground truth in this database
    assert shown.chart_box.children == ()  # not drawn in a hidden tab
    app.open_tab(EvaluationPanel)
    assert shown.chart_box.children == (shown.chart,)
    curve = report["calibration_curve"]
    assert len(shown.points.x) == len(curve) > 0
    assert list(shown.points.y) == [p["observed"] for p in curve]
    groups = app.panel(GroupsPanel).table.value
    for words in ("Sex: girls", "Sex: boys", "Settlement: rural", "Age band: 11–14 years",
                  "Language of instruction: Kazakh"):  # fmt: skip
        assert words in groups
    male = report["groups"]["sex"]["male"]
    assert interval_text(male["oe_ci"], "en") in groups
    assert ">male<" not in groups and ">female<" not in groups  # words, never codes


def test_the_page_says_honestly_whether_the_model_beats_the_covariate_reference(
    bench: Workbench,
) -> None:
    app = _open(bench)
    version = _train(app)
    auc = app.state.evaluation["auc"]
    for reference, verdict in ((auc + 0.05, "does not rank better"), (auc - 0.05, "ranks better")):
        with bench.sessions.begin() as session:
            row = session.scalar(select(RiskModelVersion))
            assert row is not None
            row.evaluation = {**row.evaluation, "reference_auc": reference, "oracle_auc": 0.97}
        app.state.reload(version)
        shown = app.panel(EvaluationPanel)
        assert f"The model {verdict} than the covariate reference" in shown.references.value
        assert figure(reference, "en") in shown.references.value
        assert "reaches AUC 0.97" in shown.references.value
        box = "pcenter-risk-missed" if reference > auc else "pcenter-risk-met"
        assert "AUC above the covariate reference" in shown.targets.value.split(box)[1]


def test_two_versions_are_compared_side_by_side(bench: Workbench) -> None:
    app = _open(bench)
    first = _train(app)
    second = _train(app)
    assert second != first and app.state.version == second
    models = app.panel(ModelsPanel)
    models.other.value = first
    table = models.comparison.value
    assert first in table and second in table and "Brier score" in table


def test_a_miscalibrated_model_is_refused_with_its_reasons_in_the_reader_s_language(
    bench: Workbench,
) -> None:
    app = _open(bench)
    version = _train(app)
    set_stored_evaluation(bench, version, male_ci=[1.2, 1.9])
    app.state.reload(version)
    publish = app.panel(PublishPanel)
    assert html.escape(Translator("en")(DECISION_PRINCIPLE)) in publish.principle.value
    assert "people decide" in publish.principle.value
    publish.publish.click()
    assert app.shell.banner.kind == "error" and "not published" in app.shell.banner.text
    reasons = only_by_class(publish.widget, "pcenter-risk-decision").value
    assert "Sex: boys: observed/expected" in reasons and "1.20–1.90" in reasons
    assert "Sex: girls" not in reasons
    app.shell.language_picker.value = "ru"
    reasons = publish.decision.value
    assert "Пол: мальчики" in reasons and "1,20–1,90" in reasons
    assert "Публикация" in app.panel(CardPanel).page.value
    assert "мальчики" in app.panel(CardPanel).page.value  # the card keeps the reasons
    with bench.sessions() as session:
        row = session.scalar(select(RiskModelVersion))
        assert row is not None and row.status == "refused"
        assert row.card["publication"]["reasons"][0]["grouping"] == "sex"


def test_a_calibrated_model_is_published_and_its_button_goes(bench: Workbench) -> None:
    app = _open(bench)
    version = _train(app)
    set_stored_evaluation(bench, version, male_ci=[0.8, 1.3])
    app.state.reload(version)
    publish = app.panel(PublishPanel)
    publish.publish.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert publish.publish.layout.display == "none"
    assert "Published on" in publish.decision.value
    assert "orders the supervisors&#x27; queue" in app.panel(ModelsPanel).table.value
    card = app.panel(CardPanel)
    assert "model-card-" in card.downloads.value and ".json" in card.downloads.value


def test_the_indicators_and_hard_rules_are_documented_in_kazakh(bench: Workbench) -> None:
    app = _open(bench, lang="kk")
    panel = app.panel(IndicatorsPanel)
    assert "Order 264" in panel.rules.value
    assert "Жасы" in panel.indicators.value  # age, in Kazakh
    assert find_by_class(app.widget, "pcenter-risk-train")


@pytest.mark.parametrize("user", ["supervisor1", "methodologist1", "manager1"])
def test_other_roles_get_no_panel_and_no_button(bench: Workbench, user: str) -> None:
    app = RiskModelApp(bench, environ={**signed_in(user), "QUERY_STRING": "lang=en"})
    assert app.panels == {}
    assert not find_by_class(app.widget, "pcenter-risk-train")
    assert not find_by_class(app.widget, "pcenter-risk-publish-button")
