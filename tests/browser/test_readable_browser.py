"""What a person reads, measured in Chromium: nothing cut off, no raw codes, in kk, ru and en.

For the home page and every tab of the diagnostics and staffing apps, in each language:

- every visible dropdown is wide enough for the option it shows (the text is measured with the
  select's own font), and no label, button or tab title is cut off (its content is no wider than
  its box);
- no code reaches the reader: in Kazakh and Russian no lowercase Latin word is left (a code or an
  untranslated word), in English no ``snake_case`` code and no instrument code. File names in
  download links and the signed-in user's login are what they are and are left out.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pcenter_lib.domain.access import APPS
from pcenter_lib.i18n import Translator
from tests.browser.conftest import OpenPage, VoilaServer

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 90_000
LANGUAGE_BUTTONS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
TABS = ".lm-TabBar-tab, .p-TabBar-tab"

CUT_OFF = """() => {
  const problems = [];
  const canvas = document.createElement("canvas");
  const pen = canvas.getContext("2d");
  const shown = (el) => el.offsetParent !== null && el.getClientRects().length > 0;
  for (const select of document.querySelectorAll(".pcenter-app select:not([multiple])")) {
    if (!shown(select) || select.selectedIndex < 0) continue;
    const style = getComputedStyle(select);
    pen.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = select.options[select.selectedIndex].text;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (pen.measureText(text).width > room + 1) problems.push(`dropdown "${text}"`);
  }
  const boxes = ".pcenter-app .widget-label, .pcenter-app .jupyter-button, "
    + ".pcenter-app .lm-TabBar-tabLabel, .pcenter-app .p-TabBar-tabLabel";
  for (const el of document.querySelectorAll(boxes)) {
    if (!shown(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`${el.className} "${el.textContent}"`);
  }
  return problems;
}"""
READ_TEXT = """() => {
  const page = document.querySelector(".pcenter-app").cloneNode(true);
  for (const el of page.querySelectorAll("a[download], .pcenter-user, .pcenter-role-picker, style"))
    el.remove();
  return page.innerText;
}"""
LATIN_WORD = re.compile(r"\b[a-z][a-z0-9_]{2,}\b")
SNAKE_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
INSTRUMENT_CODES = re.compile(r"\b(?:phq9|gad7|sdq_self|bully_check)\b")


def settle(page: Page) -> None:
    """Let the kernel's round trip finish: the banner and body stop changing."""
    page.wait_for_timeout(1200)


def problems_on(page: Page, lang: str, where: str) -> list[str]:
    found = [f"{where} [{lang}] cut off: {p}" for p in page.evaluate(CUT_OFF)]
    text = page.evaluate(READ_TEXT)
    codes = (
        sorted(set(SNAKE_CODE.findall(text)) | set(INSTRUMENT_CODES.findall(text)))
        if lang == "en"
        else sorted(set(LATIN_WORD.findall(text)))
    )
    found += [f"{where} [{lang}] code: {code}" for code in codes]
    return found


def walk(page: Page, tab_count: int, where: str) -> list[str]:
    found: list[str] = []
    for lang, button in LANGUAGE_BUTTONS.items():
        page.locator(".pcenter-lang button", has_text=button).click()
        settle(page)
        for index in range(tab_count):
            if tab_count > 1:
                page.locator(f".pcenter-body {TABS}").nth(index).click()
                settle(page)
            found += problems_on(page, lang, f"{where} tab {index}")
    return found


def test_the_root_of_the_server_opens_the_home_app(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page, _record = open_page(f"{voila_server.base_url}/?lang=ru&demo_role=manager")
    expect(page.locator(".pcenter-title h1")).to_have_text(
        "Рабочее место Центра психологической поддержки", timeout=RENDER_TIMEOUT_MS
    )
    assert page.url.endswith("/voila/render/index.ipynb?lang=ru&demo_role=manager")
    ru = Translator("ru")
    theirs = [ru(app.title) for app in APPS if "manager" in app.roles]
    assert "Обращения и сроки" in theirs  # Rule 18: the management follows direct threats
    expect(page.locator(".pcenter-app-card a.pcenter-app-link")).to_have_text(theirs)


def test_home_reads_whole_and_without_codes(voila_server: VoilaServer, open_page: OpenPage) -> None:
    page, _record = open_page(f"{voila_server.base_url}/voila/render/index.ipynb?lang=kk")
    expect(page.locator(".pcenter-notice")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    found = []
    for role in ("Әдіскер", "Басшы (бірінші басшы)"):  # the manager also sees the threat alerts
        page.locator(".pcenter-role-picker select").select_option(label=role)
        expect(page.locator(".pcenter-app-list")).to_be_visible()
        found += walk(page, 1, f"home {role}")
        page.locator(".pcenter-lang button", has_text="Қазақша").click()
    assert found == []


def test_diagnostics_reads_whole_and_without_codes(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    url = f"{voila_server.base_url}/voila/render/diagnostics.ipynb?lang=kk"
    page, record = open_page(url, user="methodologist1")
    expect(page.locator(".pcenter-diagnostics-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    found = walk(page, 3, "diagnostics")
    page.locator(f".pcenter-body {TABS}").nth(0).click()
    for view in ("comparison", "ranking", "completeness"):
        page.locator(".pcenter-dx-view-selector button").nth(
            ["prevalence", "distribution", "comparison", "trend", "ranking", "completeness"].index(
                view
            )
        ).click()
        settle(page)
        found += problems_on(page, "en", f"diagnostics view {view}")
    assert found == []
    assert record.console_errors == []


def test_staffing_reads_whole_and_its_sliders_line_up(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    url = f"{voila_server.base_url}/voila/render/staffing.ipynb?lang=kk"
    page, record = open_page(url, user="manager1")
    expect(page.locator(".pcenter-staffing-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert walk(page, 4, "staffing") == []
    tracks = page.locator(".pcenter-staffing-scenarios .widget-hslider .slider-container")
    boxes = [tracks.nth(i).bounding_box() for i in range(tracks.count())]
    lefts = {round(box["x"]) for box in boxes if box is not None}
    assert len(boxes) == 5 and len(lefts) == 1, lefts
    assert record.console_errors == []
