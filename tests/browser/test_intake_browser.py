"""The intake app in real Chromium: a direct threat for a 14-year-old, registered and owed.

Served by ``pcenter serve`` over the tiny demo region; the intake operator fills the form in the
browser (channel, source, applicant, a new child with a valid IIN of a 14-year-old, concern,
direct-threat flag), saves, and sees the due time at 23:59 of today on the apps' clock — the
demo's own clock for the demo database served (Rule 16) and, in the
Direct threat tab, the four notifications owed now: health bodies, police, child-rights body
and — the child being under 16 — the legal representative (Rules 15, 18, 22).
"""

from __future__ import annotations

import secrets
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.iin import make_iin
from pcenter_lib.services.clock import read_clock
from tests.browser.conftest import OpenPage, PageRecord, VoilaServer

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000
ROUND_TRIP_MS = 20_000


def assert_clean(record: PageRecord) -> None:
    assert record.external_requests == [], "the page asked the internet for something"
    assert record.console_errors == []
    assert record.failed_requests == []


def apps_today(server: VoilaServer) -> date:
    """Today on the apps' clock: the demo's own clock, for the demo database the server has."""
    engine = create_engine(f"sqlite:///{server.log_file.parent / 'demo.sqlite3'}")
    try:
        with Session(engine) as session:
            return read_clock(session).now().astimezone(KZ_TZ).date()
    finally:
        engine.dispose()


def fourteen_year_old_iin(today: date) -> str:
    """A valid IIN of a boy who turned 14 about a month ago (a fresh serial: no duplicate)."""
    year, month = today.year - 14, today.month - 1 or 12
    if today.month == 1:
        year -= 1
    birth = date(year, month, min(today.day, 28))
    return make_iin(birth, "male", 9000 + secrets.randbelow(999))


def test_operator_registers_a_direct_threat_for_a_14_year_old(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page, record = open_page(
        f"{voila_server.base_url}/voila/render/intake.ipynb?lang=en", user="operator1"
    )
    form = page.locator(".pcenter-intake-form")
    expect(form).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.locator(".pcenter-banner")).to_have_text("")
    today = apps_today(voila_server)

    form.locator(".pcenter-intake-channel select").select_option(label="Phone call")
    form.locator(".pcenter-intake-source select").select_option(label="Legal representative")
    form.locator(".pcenter-intake-applicant input").fill("Aliya Nurlanovna")
    form.locator(".pcenter-intake-relation select").select_option(label="Mother")
    form.locator(".pcenter-intake-child-name input").fill("Nurlan Serikov")
    form.locator(".pcenter-intake-iin input").fill(fourteen_year_old_iin(today))
    form.locator(".pcenter-intake-concerns select").select_option(label=["Suicidal behaviour"])
    form.locator(".pcenter-intake-description textarea").fill("Wrote that he wants to die tonight")
    form.locator(".pcenter-intake-direct-threat input[type=checkbox]").check()
    form.locator("button.pcenter-intake-save").click()

    result = form.locator(".pcenter-intake-result")
    expect(result).to_contain_text("Registered", timeout=ROUND_TRIP_MS)
    expect(result).to_contain_text(f"Due by {today.isoformat()} 23:59 (Rule 16)")
    expect(result).to_contain_text("give help at once, without waiting for consent")
    expect(page.locator(".pcenter-banner")).to_contain_text("Registered")
    expect(page.locator(".pcenter-intake-current")).to_contain_text("Direct threat")

    page.locator(".pcenter-intake-tabs .lm-TabBar-tab", has_text="Direct threat").click()
    owed = page.locator(".pcenter-threat .pcenter-notification")
    expect(owed).to_have_count(4, timeout=ROUND_TRIP_MS)
    for css_class, body in (
        ("health", "Health bodies"),
        ("police", "Police (internal affairs bodies)"),
        ("child_rights_body", "Child-rights body"),
        ("legal_representative", "Legal representative"),
    ):
        row = page.locator(f".pcenter-threat .pcenter-notification-{css_class}")
        expect(row).to_contain_text(body)
        expect(row).to_contain_text(f"due {today.isoformat()} 23:59")
        expect(row).to_contain_text("not sent yet")
    assert_clean(record)
