"""The supervision app in a real browser, served by ``pcenter serve`` over the demo region.

A supervisor opens supervision, picks the top child of the priority queue, records a decision
with a follow-up task and signs; after a reload the record is locked and takes an addendum; the
responsible specialist finds the task in their action-needed list. Then the app is walked in
Kazakh and Russian as both roles, each tab photographed under ``PCENTER_SHOTS`` (default
``/work/shots/supervision``) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OpenPage, VoilaServer

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000
SHOTS = Path(os.environ.get("PCENTER_SHOTS", "/work/shots/supervision"))
TASK = "Посетить семью вместе с психологом школы"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def tab(page: Page, title: str) -> None:
    page.locator(".pcenter-supervision-tabs .lm-TabBar-tab", has_text=title).first.click()


def open_app(open_page: OpenPage, server: VoilaServer, user: str, lang: str) -> Page:
    page, _record = open_page(
        f"{server.base_url}/voila/render/supervision.ipynb?lang={lang}", user=user
    )
    expect(page.locator(".pcenter-supervision-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    return page


def test_pick_decide_sign_reload_locked_addendum_and_the_specialists_task(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page = open_app(open_page, voila_server, "supervisor1", "ru")
    expect(page.locator(".pcenter-queue-advice")).to_contain_text("Оценка подсказывает")
    shoot(page, "01-supervisor-queue-ru")
    page.locator("button.pcenter-queue-pick-button").click()
    header = page.locator(".pcenter-record-header")
    expect(header).to_contain_text("Запись супервизии", timeout=20_000)
    page.locator(".pcenter-record-question textarea").fill("Безопасна ли девочка дома?")
    page.locator(".pcenter-record-decision textarea").fill("Ежедневный контакт до встречи с семьёй")
    page.locator(".pcenter-task-text input").fill(TASK)
    page.locator(".pcenter-task-person input").fill("specialist1")
    page.locator(".pcenter-task-due input").fill("2026-12-01")
    page.locator("button.pcenter-task-add").click()
    expect(page.locator(".pcenter-supervision-record")).to_contain_text(TASK, timeout=20_000)
    shoot(page, "02-supervisor-record-ru")
    page.locator("button.pcenter-record-sign").click()
    expect(page.locator(".pcenter-record-locked")).to_be_visible(timeout=20_000)

    page.reload(wait_until="commit", timeout=RENDER_TIMEOUT_MS)  # Voilà runs the page first
    expect(page.locator(".pcenter-supervision-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    tab(page, "Сессии")
    page.locator("button.pcenter-open-record").click()
    locked = page.locator(".pcenter-record-locked")
    expect(locked).to_contain_text("Подписано и закрыто: supervisor1", timeout=20_000)
    expect(page.locator(".pcenter-record-header")).to_contain_text("Ежедневный контакт")
    expect(page.locator("button.pcenter-record-save")).to_be_hidden()
    page.locator(".pcenter-addendum-reason textarea").fill("Новые сведения от школы")
    page.locator(".pcenter-addendum-text textarea").fill("Отец выехал из квартиры.")
    page.locator("button.pcenter-addendum-add").click()
    expect(page.locator(".pcenter-supervision-record")).to_contain_text(
        "Отец выехал из квартиры.", timeout=20_000
    )
    shoot(page, "03-supervisor-locked-addendum-ru")

    specialist = open_app(open_page, voila_server, "specialist1", "ru")
    tab(specialist, "Требуют действий")
    expect(specialist.locator(".pcenter-action-needed")).to_contain_text(TASK, timeout=20_000)
    shoot(specialist, "04-specialist-action-needed-ru")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_walk_every_tab_as_supervisor_and_specialist(
    voila_server: VoilaServer, open_page: OpenPage, lang: str
) -> None:
    tabs = {
        "supervisor1": {"kk": ["Басымдық кезегі", "Әрекет қажет", "Жазба", "Іс құжаты",
                               "Отырыстар", "Сандар мен сағаттар"],
                        "ru": ["Очередь приоритетов", "Требуют действий", "Запись",
                               "Дело ребёнка", "Сессии", "Показатели и часы"],
                        "en": ["Priority queue", "Action needed", "Record", "Case file",
                               "Sessions", "Counts and hours"]},
        "specialist1": {"kk": ["Әрекет қажет", "Жазба", "Іс құжаты", "Отырыстар",
                               "Сандар мен сағаттар"],
                        "ru": ["Требуют действий", "Запись", "Дело ребёнка", "Сессии",
                               "Показатели и часы"],
                        "en": ["Action needed", "Record", "Case file", "Sessions",
                               "Counts and hours"]},
    }  # fmt: skip
    home, _record = open_page(
        f"{voila_server.base_url}/voila/render/index.ipynb?lang={lang}", user="supervisor1"
    )
    expect(home.locator(".pcenter-queue-table")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    shoot(home, f"walk-{lang}-supervisor1-home")
    for user, titles in tabs.items():
        page = open_app(open_page, voila_server, user, lang)
        expect(page.locator(".pcenter-banner")).to_have_text("")
        for number, title in enumerate(titles[lang]):
            tab(page, title)
            page.wait_for_timeout(1500)
            shoot(page, f"walk-{lang}-{user}-{number}")
        # open the newest record from the Sessions tab, then the child's case file
        tab(page, titles[lang][-2])
        page.locator("button.pcenter-open-record").click()
        expect(page.locator(".pcenter-record-header h2")).to_be_visible(timeout=20_000)
        page.wait_for_timeout(1000)
        shoot(page, f"walk-{lang}-{user}-record")
        tab(page, titles[lang][-3])
        expect(page.locator(".pcenter-case-file-entries table")).to_be_visible(timeout=20_000)
        shoot(page, f"walk-{lang}-{user}-case-file")
        expect(page.locator(".pcenter-banner")).to_have_text("")
