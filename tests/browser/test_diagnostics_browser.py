"""The diagnostics app in a real browser: import the sample file through the served page.

A methodologist opens the app (served by ``pcenter serve`` over the demo database), chooses the
Center's bullying checklist, picks ``data/samples/bully_check_sample.csv`` in the file input and
presses Import. The page must show the new round and the journal number of the priority-review
request raised by the sample's one critical answer; the database must hold both.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics import get_instrument
from pcenter_lib.models import Request, ScreeningRound
from tests.browser.conftest import OpenPage, VoilaServer
from tests.diagnostics.fixtures import SAMPLES

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 90_000
JOURNAL_NUMBER = re.compile(r"\d{4}/\d{6}")


def test_methodologist_imports_the_sample_and_sees_the_round_and_its_request(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    url = f"{voila_server.base_url}/voila/render/diagnostics.ipynb?lang=en"
    page, record = open_page(url, user="methodologist1")
    expect(page.locator(".pcenter-title h1")).to_contain_text(
        "Diagnostics", timeout=RENDER_TIMEOUT_MS
    )
    page.locator(
        ".pcenter-diagnostics-tabs .lm-TabBar-tab, .pcenter-diagnostics-tabs .p-TabBar-tab",
        has_text="Import",
    ).click()
    page.locator(".pcenter-dx-import-instrument select").select_option(
        label=get_instrument("bully_check").name["en"]
    )
    expect(page.locator(".pcenter-dx-templates a")).to_have_count(4)
    # ipywidgets' upload button opens a file input that is not in the page: answer its chooser
    with page.expect_file_chooser() as chooser:
        page.locator(".pcenter-dx-upload").click()
    chooser.value.set_files(str(SAMPLES / "bully_check_sample.csv"))
    expect(page.locator(".pcenter-dx-upload")).to_contain_text("1")
    page.locator(".pcenter-dx-import").click()

    outcome = page.locator(".pcenter-dx-outcome")
    expect(outcome).to_contain_text("12 results", timeout=RENDER_TIMEOUT_MS)
    expect(outcome).to_contain_text("Critical answers: 1")
    number = JOURNAL_NUMBER.search(outcome.inner_text())
    assert number, outcome.inner_text()
    expect(page.locator(".pcenter-dx-rounds")).to_contain_text(number.group(0))
    expect(page.locator(".pcenter-banner")).to_contain_text("was imported")
    # the outcome stays in sight: no jump to the results, the outcome on screen
    current = page.locator(
        ".pcenter-diagnostics-tabs .lm-mod-current, .pcenter-diagnostics-tabs .p-mod-current"
    )
    expect(current).to_have_text("Import")
    expect(outcome).to_be_in_viewport()
    expect(page.locator(".pcenter-dx-rounds")).to_contain_text(
        get_instrument("bully_check").name["en"]
    )

    # the same checklist chosen as PHQ-9: its columns are said not to fit, before anything else
    page.locator(".pcenter-dx-import-instrument select").select_option(
        label=get_instrument("phq9").name["en"]
    )
    with page.expect_file_chooser() as chooser:
        page.locator(".pcenter-dx-upload").click()
    chooser.value.set_files(str(SAMPLES / "bully_check_sample.csv"))
    page.locator(".pcenter-dx-import").click()
    banner = page.locator(".pcenter-banner")
    expect(banner).to_contain_text(
        "The columns do not fit the instrument Patient Health Questionnaire (PHQ-9): the file "
        "was made from the template of Bullying and cyberbullying checklist (Center)",
        timeout=RENDER_TIMEOUT_MS,
    )

    engine = create_engine(f"sqlite:///{voila_server.log_file.parent / 'demo.sqlite3'}")
    try:
        with Session(engine) as session:
            request = session.scalars(
                select(Request)
                .where(Request.origin.like("screening:%"))
                .order_by(Request.id.desc())
            ).first()
            assert request is not None and request.journal_number == number.group(0)
            assert request.priority_review and not request.direct_threat
            round_ = session.get(ScreeningRound, int(request.origin.split(":")[1]))
            assert round_ is not None and round_.result_count == 12
    finally:
        engine.dispose()
    assert record.external_requests == []
    assert record.console_errors == []
