"""The staffing app in a real browser: served by ``pcenter serve``, a slider changes compliance.

The demo Center meets Rule 24 with 12 auxiliary units. Pushing the "extra auxiliary posts"
slider to its end (20 more) makes the workload need 32 auxiliary units, above the cap of 15
(Rule 24.3): the scenario's verdict must turn from compliant to a reported conflict, drawn by
the kernel after a round trip, and turn back when the slider returns.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage, PageRecord, VoilaServer

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000


def assert_clean(record: PageRecord) -> None:
    assert record.external_requests == [], "the page asked the internet for something"
    assert record.console_errors == []
    assert record.failed_requests == []


def test_manager_moves_a_slider_and_sees_compliance_change(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page, record = open_page(
        f"{voila_server.base_url}/voila/render/staffing.ipynb?lang=en", user="manager1"
    )
    expect(page.locator(".pcenter-staffing-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.locator(".pcenter-banner")).to_have_text("")
    expect(page.locator(".pcenter-staffing-check")).to_contain_text("Rule 24.3")
    expect(page.locator(".pcenter-staffing-chart")).to_be_visible()

    page.locator(".pcenter-staffing-tabs .lm-TabBar-tab", has_text="Scenarios").click()
    status = page.locator(".pcenter-staffing-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("Compliant: the proposal meets the minimum staffing norm")
    expect(status).to_have_class(_has("pcenter-compliant"))

    handle = page.locator(".pcenter-staffing-extra-auxiliary-posts .noUi-handle")
    handle.focus()
    handle.press("End")
    expect(status).to_contain_text("Not compliant", timeout=10_000)
    expect(status).to_contain_text("Rule 24.3 conflict: the workload needs 32 auxiliary")
    expect(status).to_have_class(_has("pcenter-not-compliant"))
    summary = page.locator(".pcenter-staffing-summary")
    expect(summary.locator("tr", has_text="Proposed: auxiliary personnel")).to_contain_text("15")

    handle.press("Home")
    expect(status).to_contain_text("Compliant:", timeout=10_000)
    expect(status).to_have_class(_has("pcenter-compliant"))
    assert_clean(record)


def _has(css_class: str) -> object:
    """A regular expression matching a class attribute that contains ``css_class``."""
    import re

    return re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)")
