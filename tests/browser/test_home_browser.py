"""The home page in a real browser: served by ``pcenter serve``, offline, trilingual.

Each test opens one page (about 1.5 s with a cold kernel). The page must render the shell,
list the signed-in role's apps with working links, switch language kk → ru → en, log no
console error and ask nothing from any host but the local server.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OpenPage, PageRecord, VoilaServer

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000

TITLES = {
    "kk": "Психологиялық қолдау орталығының жұмыс орны",
    "ru": "Рабочее место Центра психологической поддержки",
    "en": "Psychological Support Center workbench",
}
METHODOLOGIST_APPS = {
    "kk": ["Супервизия", "Интервизия", "Диагностика", "Есептер"],
    "ru": ["Супервизия", "Интервизия", "Диагностика", "Отчёты"],
    "en": ["Supervision", "Intervision", "Diagnostics", "Reports"],
}
# Card titles: a link to a served app, or bold text for an app still in preparation.
CARD_TITLES = ".pcenter-app-card > a, .pcenter-app-card > .pcenter-app-planned-title"
LANGUAGE_BUTTONS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def assert_clean(record: PageRecord) -> None:
    assert record.external_requests == [], "the page asked the internet for something"
    assert record.console_errors == []
    assert record.failed_requests == []


def switch_language(page: Page, lang: str) -> None:
    page.locator(".pcenter-lang button", has_text=LANGUAGE_BUTTONS[lang]).click()


def test_methodologist_sees_apps_and_switches_language(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    url = f"{voila_server.base_url}/voila/render/index.ipynb?lang=kk"
    page, record = open_page(url, user="methodologist1")
    title = page.locator(".pcenter-title h1")
    expect(title).to_have_text(TITLES["kk"], timeout=RENDER_TIMEOUT_MS)
    links = page.locator(CARD_TITLES)
    expect(links).to_have_text(METHODOLOGIST_APPS["kk"])
    expect(page.locator(".pcenter-user")).to_contain_text("methodologist1")

    for lang in ("ru", "en"):
        switch_language(page, lang)
        expect(title).to_have_text(TITLES[lang])
        expect(links).to_have_text(METHODOLOGIST_APPS[lang])

    served = page.locator(".pcenter-app-card > a")
    hrefs = [served.nth(i).evaluate("a => a.href") for i in range(served.count())]
    assert hrefs == [
        f"{voila_server.base_url}/voila/render/supervision.ipynb?lang=en",
        f"{voila_server.base_url}/voila/render/intervision.ipynb?lang=en",
        f"{voila_server.base_url}/voila/render/diagnostics.ipynb?lang=en",
        f"{voila_server.base_url}/voila/render/reports.ipynb?lang=en",
    ]
    expect(page.locator(".pcenter-overview tr")).to_have_count(6)
    assert_clean(record)


def test_demo_newcomer_picks_a_role_and_gets_its_apps(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page, record = open_page(f"{voila_server.base_url}/voila/render/index.ipynb?lang=en")
    notice = page.locator(".pcenter-notice")
    expect(notice).to_contain_text("Demo mode: choose a role", timeout=RENDER_TIMEOUT_MS)
    page.locator(".pcenter-role-picker select").select_option(label="Manager (first head)")
    # Rule 18: the management follows direct threats in the requests app.
    expect(page.locator(CARD_TITLES)).to_have_text(
        ["Requests and deadlines", "Supervision", "Staffing", "Reports"]
    )
    expect(page.locator(".pcenter-banner")).to_contain_text("You are now signed in as")
    href = page.locator(".pcenter-app-card a").nth(2).get_attribute("href")
    assert href == "../render/staffing.ipynb?lang=en&demo_role=manager"
    assert_clean(record)


def test_the_file_list_is_never_shown(voila_server: VoilaServer, open_page: OpenPage) -> None:
    """Voilà's tree (its raw English file list) opens the home app instead, offline."""
    page, record = open_page(f"{voila_server.base_url}/voila/tree?lang=en")
    expect(page.locator(".pcenter-title h1")).to_have_text(TITLES["en"], timeout=RENDER_TIMEOUT_MS)
    assert page.url.endswith("/voila/render/index.ipynb?lang=en")
    assert record.external_requests == []
