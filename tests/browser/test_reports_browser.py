"""The reports app in a real browser: the manager previews the monthly exchange (Rule 22) and
writes it as DOCX; the download link, the register and the restricted-annex button appear."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage, PageRecord, VoilaServer

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000
SHOTS = Path("/work/shots/reports")


def assert_clean(record: PageRecord) -> None:
    assert record.external_requests == [], "the page asked the internet for something"
    assert record.console_errors == []
    assert record.failed_requests == []


def test_manager_previews_and_writes_the_monthly_exchange(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page, record = open_page(
        f"{voila_server.base_url}/voila/render/reports.ipynb?lang=ru", user="manager1"
    )
    expect(page.locator(".pcenter-reports-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    month = page.locator(".pcenter-reports-month")
    expect(month.locator(".pcenter-reports-annex")).to_be_visible()
    month.locator(".pcenter-reports-preview-button").click()
    preview = month.locator(".pcenter-reports-preview")
    expect(preview).to_contain_text("Информация об обращениях", timeout=30_000)
    expect(preview).to_contain_text("Обращения по районам")
    month.locator(".pcenter-reports-docx").click()
    link = month.locator(".pcenter-reports-links a")
    expect(link).to_contain_text("monthly_exchange_", timeout=30_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "browser_manager_ru.png"), full_page=False)
    page.locator(".pcenter-reports-tabs .lm-TabBar-tab", has_text="Реестр и отправка").click()
    expect(page.locator(".pcenter-reports-register-table")).to_contain_text("Ежемесячный обмен")
    assert_clean(record)
