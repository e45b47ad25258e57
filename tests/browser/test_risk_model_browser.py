"""The analyst's risk model app in a real browser, in Kazakh and Russian.

The shared test server holds the tiny demo region, too small to learn from: pressing "Train"
must say so in the analyst's language, and store nothing. A model fitted on synthetic rows is
then stored in the server's database (``tests.risk.test_model_services.synthetic_candidate``),
with its evaluation set so that boys are miscalibrated; the analyst reads its evaluation, the
group table in words and the calibration curve, presses "Publish" and reads the refusal with
the group named, and the principle that the score advises and people decide.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

import pcenter_lib.services.risk_evaluation as risk_evaluation
import pcenter_lib.services.risk_models as risk_models
from pcenter_lib.config import load_settings
from pcenter_lib.models import RiskModelVersion
from pcenter_lib.workbench import Workbench, open_workbench
from tests.browser.conftest import OpenPage, PageRecord, VoilaServer
from tests.risk.test_model_services import synthetic_candidate
from tests.widgets.test_risk_model_widgets import set_stored_evaluation

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 90_000
TABS = ".pcenter-risk_model-tabs .lm-TabBar-tab"


def assert_clean(record: PageRecord) -> None:
    assert record.external_requests == [], "the page asked the internet for something"
    assert record.console_errors == []
    assert record.failed_requests == []


@pytest.fixture
def server_bench(voila_server: VoilaServer) -> Iterator[Workbench]:
    workbench = open_workbench(load_settings(voila_server.env))
    try:
        yield workbench
    finally:
        with workbench.sessions.begin() as session:
            for row in session.scalars(select(RiskModelVersion)):
                session.delete(row)
        workbench.engine.dispose()


def _store_miscalibrated_model(bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(risk_models, "fit_candidate", synthetic_candidate)
    # the synthetic rows' children are not the demo's: no reference points for them
    monkeypatch.setattr(risk_evaluation, "reference_points", lambda *_: (None, None))
    with bench.sessions.begin() as session:
        version = risk_models.train_risk_model(session, actor="analyst1").model_version
    set_stored_evaluation(bench, version, male_ci=[1.2, 1.9])
    return version


def _open(open_page: OpenPage, server: VoilaServer, lang: str) -> tuple[Page, PageRecord]:
    page, record = open_page(
        f"{server.base_url}/voila/render/risk_model.ipynb?lang={lang}", user="analyst1"
    )
    expect(page.locator(".pcenter-risk_model-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    return page, record


WORDS = {
    "kk": {"train": "Жаңа модельді оқыту", "too_few": "кемінде 10", "groups": "Топтар",
           "boys": "Жынысы: ұлдар", "publish_tab": "Жариялау", "publish": "Осы модельді жариялау",
           "refused": "жарияланбады", "principle": "шешімді адамдар қабылдайды",
           "evaluation": "Бағалау", "interval": "балаларды санайды",
           "predicted": "Болжанған ықтималдық"},
    "ru": {"train": "Обучить новую модель", "too_few": "не меньше 10", "groups": "Группы",
           "boys": "Пол: мальчики", "publish_tab": "Публикация", "publish": "Опубликовать эту модель",
           "refused": "не опубликована", "principle": "решают люди",
           "evaluation": "Оценка", "interval": "считает детей",
           "predicted": "Предсказанная вероятность"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_analyst_trains_reads_and_is_refused_publication_with_the_group_named(
    voila_server: VoilaServer,
    open_page: OpenPage,
    server_bench: Workbench,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    words = WORDS[lang]
    page, record = _open(open_page, voila_server, lang)
    expect(page.locator(".pcenter-banner")).to_have_text("")
    page.locator(".pcenter-risk-train", has_text=words["train"]).click()
    expect(page.locator(".pcenter-banner-error")).to_contain_text(words["too_few"], timeout=60_000)
    with server_bench.sessions() as session:
        assert session.scalar(select(RiskModelVersion)) is None  # nothing half-stored

    version = _store_miscalibrated_model(server_bench, monkeypatch)
    page, record = _open(open_page, voila_server, lang)
    expect(page.locator(".pcenter-risk-model-list")).to_contain_text(version)

    page.locator(TABS, has_text=words["evaluation"]).click()
    expect(page.locator(".pcenter-risk-metrics")).to_contain_text(words["interval"])
    chart = page.locator(".pcenter-risk-calibration")
    expect(chart).to_contain_text(words["predicted"], timeout=60_000)  # the drawn axis, translated
    expect(chart).to_contain_text("%")

    page.locator(TABS, has_text=words["groups"]).click()
    boys = page.locator(".pcenter-risk-groups-table tr", has_text=words["boys"])
    expect(boys).to_have_class("pcenter-risk-off")
    expect(boys).to_contain_text("1,20–1,90")

    page.locator(TABS, has_text=words["publish_tab"]).click()
    expect(page.locator(".pcenter-risk-principle")).to_contain_text(words["principle"])
    page.locator(".pcenter-risk-publish-button", has_text=words["publish"]).click()
    expect(page.locator(".pcenter-banner-error")).to_contain_text(words["refused"], timeout=30_000)
    reasons = page.locator(".pcenter-risk-reasons")
    expect(reasons).to_contain_text(words["boys"])
    expect(reasons).to_contain_text("1,20–1,90")
    with server_bench.sessions() as session:
        row = session.scalar(select(RiskModelVersion))
        assert row is not None and row.status == "refused"
    assert_clean(record)
