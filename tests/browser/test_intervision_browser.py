"""The methodologist's main path through the intervision app in a real browser.

Plan a session, run it through every phase of its format with the timer, close it; draft a
vignette from a demo case, insert a staff member's name and see the export refused with the
finding shown in place, remove the name, and export the pack as DOCX.
"""

from __future__ import annotations

import base64
import io
import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from pcenter_lib.intervision import get_format
from tests.browser.conftest import OpenPage, PageRecord, VoilaServer

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 20_000


def assert_clean(record: PageRecord) -> None:
    assert record.external_requests == [], "the page asked the internet for something"
    assert record.console_errors == []
    assert record.failed_requests == []


def open_tab(page: Page, title: str) -> None:
    page.locator(".pcenter-intervision-tabs .lm-TabBar-tab", has_text=title).click()


def test_methodologist_plans_runs_drafts_is_refused_fixes_and_exports(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page, record = open_page(
        f"{voila_server.base_url}/voila/render/intervision.ipynb?lang=ru", user="methodologist1"
    )
    expect(page.locator(".pcenter-intervision-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    banner = page.locator(".pcenter-banner")
    expect(banner).to_have_text("")

    # plan
    page.locator(".pcenter-iv-format select").select_option(label=get_format("incident_method").name["ru"])
    page.locator(".pcenter-iv-title input").fill("Отказ ходить в школу")
    page.locator(".pcenter-iv-center-people select").select_option(index=[0, 1])
    page.locator(".pcenter-iv-school-people textarea").fill("Алия Нұрланқызы")
    page.locator(".pcenter-iv-plan").click()
    expect(banner).to_contain_text("Сессия запланирована", timeout=STEP_TIMEOUT_MS)
    expect(page.locator(".pcenter-iv-session-list")).to_contain_text("Отказ ходить в школу")

    # run phase by phase
    open_tab(page, "Проведение")
    phases = get_format("incident_method").phases
    buttons = page.locator(".pcenter-iv-phase")
    expect(buttons).to_have_count(len(phases), timeout=STEP_TIMEOUT_MS)
    for number, phase in enumerate(phases):
        page.locator(f".pcenter-iv-phase-{phase.code}").click()
        expect(page.locator(".pcenter-iv-prompts")).to_contain_text(phase.name["ru"],
                                                                    timeout=STEP_TIMEOUT_MS)
        expect(page.locator(".pcenter-iv-timer")).to_contain_text(f"/ {phase.minutes:02d}:00")
        page.locator(".pcenter-iv-phase-note textarea").fill(f"Итог этапа {number + 1}")
    expect(page.locator(".pcenter-iv-clock")).not_to_have_text("00:00", timeout=5_000)
    page.locator(".pcenter-iv-present input").first.check()
    page.locator(".pcenter-iv-close").click()
    expect(banner).to_contain_text("Сессия закрыта", timeout=STEP_TIMEOUT_MS)
    expect(page.locator(".pcenter-iv-credits")).to_be_visible()

    # draft, insert a name, be refused, fix, export
    open_tab(page, "Материалы случаев")
    page.locator(".pcenter-iv-draft").click()
    text = page.locator(".pcenter-iv-material-text textarea")
    expect(text).not_to_have_value("", timeout=STEP_TIMEOUT_MS)
    expect(page.locator(".pcenter-iv-clean")).to_be_visible()
    drafted = text.input_value()
    staff_name = page.locator(".pcenter-iv-facilitator select option").first.inner_text()
    open_tab(page, "Материалы случаев")
    text.fill(drafted + f"\nСлучай вела {staff_name}.")
    page.locator(".pcenter-iv-save-material").click()
    leaks = page.locator(".pcenter-iv-leaks")
    expect(leaks).to_be_visible(timeout=STEP_TIMEOUT_MS)
    expect(leaks.locator("mark.pcenter-iv-leak").first).to_be_visible()
    assert staff_name not in leaks.inner_text()
    page.locator(".pcenter-iv-export-docx").click()
    refused = page.locator(".pcenter-iv-refused")
    expect(refused).to_be_visible(timeout=STEP_TIMEOUT_MS)
    expect(refused).to_contain_text("Экспорт отклонён")
    expect(page.locator(".pcenter-iv-download")).to_have_count(0)

    text.fill(drafted + "\nСлучай вёл специалист Центра.")
    page.locator(".pcenter-iv-save-material").click()
    expect(page.locator(".pcenter-iv-clean")).to_be_visible(timeout=STEP_TIMEOUT_MS)
    page.locator(".pcenter-iv-export-docx").click()
    link = page.locator("a.pcenter-iv-download")
    expect(link).to_be_visible(timeout=STEP_TIMEOUT_MS)
    href = link.get_attribute("href") or ""
    payload = re.sub(r"^data:[^,]*base64,", "", href)
    document = Document(io.BytesIO(base64.b64decode(payload)))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Случай вёл специалист Центра." in body and staff_name not in body
    assert_clean(record)
