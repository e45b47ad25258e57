"""The reports app in a real browser: the manager previews the monthly exchange (Rule 22) and
writes it as DOCX; the download link, the register and the restricted-annex button appear."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

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


def _invalid_state(page: Page, css: str) -> dict[str, object]:
    """aria-invalid, the text aria-describedby points to, and whether the field has the focus."""
    return page.evaluate(
        """css => {
            const control = document.querySelector(css);
            const id = control.getAttribute("aria-describedby");
            const note = id ? document.getElementById(id) : null;
            return {
                invalid: control.getAttribute("aria-invalid"),
                message: note ? note.textContent.trim() : "",
                focused: document.activeElement === control,
            };
        }""",
        css,
    )


# tab, the refusal of an empty addressee, the name of the text field, in each language
REFUSALS = {
    "ru": ("Квартальный мониторинг", "Заполните поле «Адресат».", "Рекомендация"),
    "kk": ("ППСҚ тоқсандық мониторингі", "«Адресат» өрісін толтырыңыз.", "Ұсыным"),
}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_refused_save_marks_its_field_and_moves_the_focus_there(
    voila_server: VoilaServer, open_page: OpenPage, lang: str
) -> None:
    tab, refusal, text_name = REFUSALS[lang]
    page, record = open_page(
        f"{voila_server.base_url}/voila/render/reports.ipynb?lang={lang}", user="methodologist1"
    )
    expect(page.locator(".pcenter-reports-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    page.locator(".pcenter-reports-tabs .lm-TabBar-tab", has_text=tab).click()
    box = page.locator(".pcenter-reports-quarter")
    addressee = ".pcenter-reports-rec-addressee input"
    text = ".pcenter-reports-rec-text textarea"
    expect(box.locator(addressee)).to_be_visible(timeout=30_000)
    assert _invalid_state(page, addressee)["invalid"] is None, "nothing is invalid before a save"
    box.locator(".pcenter-reports-rec-add").click()  # addressee and text empty: refused
    expect(box.locator(addressee)).to_have_attribute("aria-invalid", "true", timeout=30_000)
    expect(box.locator(addressee)).to_be_focused()
    state = _invalid_state(page, addressee)
    assert state["message"] == refusal
    expect(page.locator(".pcenter-banner")).to_contain_text(refusal)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"browser_invalid_field_{lang}.png"), full_page=False)
    # the addressee given, the text is the field the next refusal names, and the focus follows
    box.locator(addressee).fill(f"Отдел образования района ({lang})")
    box.locator(".pcenter-reports-rec-add").click()
    expect(box.locator(text)).to_have_attribute("aria-invalid", "true", timeout=30_000)
    expect(box.locator(text)).to_be_focused()
    expect(box.locator(addressee)).not_to_have_attribute("aria-invalid", "true")
    assert text_name in str(_invalid_state(page, text)["message"])
    box.locator(text).fill("Вести журнал консультаций по единой форме")
    box.locator(".pcenter-reports-rec-add").click()
    table = box.locator(".pcenter-reports-rec-table")
    expect(table).to_contain_text(f"Отдел образования района ({lang})", timeout=30_000)
    expect(box.locator(text)).not_to_have_attribute("aria-invalid", "true")
    assert_clean(record)
