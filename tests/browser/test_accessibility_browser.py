"""Apps a screen-reader or keyboard user can work, measured in Chromium with axe-core.

axe-core (Deque's rule engine for WCAG 2.x, https://github.com/dequelabs/axe-core) comes from npm
into ``tests/browser/axe/node_modules`` when the Makefile installs the test tools; the test reads
it from there and injects it into the page, so nothing is downloaded while the tests run.

- every app of ``domain.access.APPS`` that exists as a notebook (so apps added later are scanned
  as soon as their notebook lands), plus the home page, for each role that may open it, in Kazakh
  and Russian, every tab: zero serious or critical axe violations;
- ``<html lang>`` follows the interface language on load and after every switch;
- the keyboard reaches the language switch and every tab, and a switch made with the keyboard
  leaves the focus on the switch, never on ``<body>``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pcenter_lib.domain.access import APPS
from tests.browser.conftest import OpenPage, VoilaServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOKS = ROOT / "notebooks"
RENDER_TIMEOUT_MS = 90_000
LANGUAGE_BUTTONS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
TABS = ".pcenter-body .lm-TabBar-tab"
BARRIERS = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ")), count: v.nodes.length,
  }));
}"""


def scanned_apps() -> list[tuple[str, str]]:
    """(app code, role) for every app with a notebook and every role that may open it."""
    pairs = [("index", "methodologist"), ("index", "manager")]
    for app in APPS:
        if (NOTEBOOKS / f"{app.code}.ipynb").exists():
            pairs += [(app.code, role) for role in sorted(app.roles)]
    return pairs


def settle(page: Page) -> None:
    """Let the kernel's round trip finish: the banner and body stop changing."""
    page.wait_for_timeout(1200)


def axe_barriers(page: Page, where: str) -> list[str]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    found = []
    for violation in page.evaluate(RUN_AXE):
        if violation["impact"] in BARRIERS:
            found.append(
                f"{where}: {violation['impact']} {violation['id']} ({violation['help']}) "
                f"×{violation['count']}: {violation['nodes']}"
            )
    return found


def open_app(open_page: OpenPage, server: VoilaServer, code: str, role: str, lang: str) -> Page:
    url = f"{server.base_url}/voila/render/{code}.ipynb?lang={lang}&demo_role={role}"
    page, _record = open_page(url)
    expect(page.locator(".pcenter-body")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.locator(".pcenter-title h1")).not_to_be_empty(timeout=RENDER_TIMEOUT_MS)
    settle(page)
    return page


def test_axe_core_is_installed_by_the_test_setup() -> None:
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run make .venv/.pcenter-test-installed"


@pytest.mark.parametrize(("code", "role"), scanned_apps(), ids=lambda value: str(value))
def test_every_tab_has_no_serious_axe_violation_in_kazakh_and_russian(
    voila_server: VoilaServer, open_page: OpenPage, code: str, role: str
) -> None:
    page = open_app(open_page, voila_server, code, role, "kk")
    found: list[str] = []
    for lang in ("kk", "ru"):
        page.locator(".pcenter-lang button", has_text=LANGUAGE_BUTTONS[lang]).click()
        settle(page)
        tabs = page.locator(TABS)
        for index in range(max(tabs.count(), 1)):
            if tabs.count() > 1:
                tabs.nth(index).click()
                settle(page)
            found += axe_barriers(page, f"{code} as {role} [{lang}] tab {index}")
    page.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_page_language_follows_the_interface_language(
    voila_server: VoilaServer, open_page: OpenPage, lang: str
) -> None:
    page = open_app(open_page, voila_server, "staffing", "manager", lang)
    root = page.locator("html")
    expect(root).to_have_attribute("lang", lang)
    for other in ("ru", "en", "kk"):
        page.locator(".pcenter-lang button", has_text=LANGUAGE_BUTTONS[other]).click()
        expect(root).to_have_attribute("lang", other, timeout=10_000)
    page.close()


def test_the_page_language_follows_the_language_chosen_without_a_query(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    """Without ``?lang=`` the server's default (Kazakh here) is the page's language too."""
    page, _record = open_page(f"{voila_server.base_url}/voila/render/index.ipynb?demo_role=manager")
    expect(page.locator(".pcenter-app-list")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.close()


def focused(page: Page) -> str:
    return str(
        page.evaluate(
            """() => { const el = document.activeElement;
              if (!el || el === document.body) return "body";
              return `${el.tagName.toLowerCase()}|${el.getAttribute("aria-label") || ""}|`
                + `${(el.textContent || el.value || "").trim().slice(0, 60)}`; }"""
        )
    )


def tab_until(page: Page, wanted: str, limit: int = 80) -> int:
    """Press Tab until the focused element's description contains ``wanted``; the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if wanted in focused(page):
            return presses
    raise AssertionError(f"{wanted!r} not reached by keyboard in {limit} presses")


def test_the_language_switch_works_by_keyboard_and_keeps_the_focus(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page = open_app(open_page, voila_server, "diagnostics", "methodologist", "kk")
    tab_until(page, LANGUAGE_BUTTONS["ru"])
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "ru", timeout=10_000)
    settle(page)
    assert LANGUAGE_BUTTONS["ru"] in focused(page), focused(page)
    expect(page.locator(".pcenter-lang button[aria-pressed='true']")).to_have_text(
        LANGUAGE_BUTTONS["ru"]
    )
    page.close()
