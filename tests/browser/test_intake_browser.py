"""The intake app in real Chromium: every request registered, notices in minutes, critical first.

Served by ``pcenter serve`` over the tiny demo region; "today" and "now" are on the apps' clock,
the demo's own clock for the demo database served.

1. The intake operator registers a 15-year-old's own appeal with a direct threat: the request is
   registered (Rule 13) as a personal appeal under 16, help starts at once without waiting for
   consent (Rule 15), it is due today (Rule 16), and the five notifications are due within the
   Center's 60 minutes, not "by 23:59" (Rules 15, 18, 22).
2. A school's PHQ-9 round with a critical item 9 is imported; the supervisor opens the journal
   and finds that answer first in the action-needed view, due for review the same working day.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pcenter_lib.config import load_settings
from pcenter_lib.diagnostics.periods import quarter_of
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.iin import make_iin
from pcenter_lib.models import EducationOrganization, Request
from pcenter_lib.services.clock import Clock, read_clock
from pcenter_lib.services.diagnostics import import_round
from pcenter_lib.workbench import open_workbench
from tests.browser.conftest import OpenPage, PageRecord, VoilaServer
from tests.browser.test_readable_browser import walk
from tests.diagnostics.fixtures import csv_upload, phq_row

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000
ROUND_TRIP_MS = 20_000
DUE = re.compile(r"due (\d{4}-\d{2}-\d{2} \d{2}:\d{2})")
CRITICAL = [1, 1, 2, 1, 0, 1, 2, 1, 2]  # item 9 = 2


def assert_clean(record: PageRecord) -> None:
    assert record.external_requests == [], "the page asked the internet for something"
    assert record.console_errors == []
    assert record.failed_requests == []


def apps_clock(server: VoilaServer) -> Clock:
    """The apps' clock: the demo's own clock, for the demo database the server has."""
    workbench = open_workbench(load_settings(server.env))
    try:
        with workbench.sessions() as session:
            return read_clock(session)
    finally:
        workbench.engine.dispose()


def fifteen_year_old_iin(today: date) -> str:
    """A valid IIN of a girl who turned 15 about a month ago (a fresh serial: no duplicate)."""
    year, month = today.year - 15, today.month - 1 or 12
    if today.month == 1:
        year -= 1
    birth = date(year, month, min(today.day, 28))
    return make_iin(birth, "female", 9000 + secrets.randbelow(999))


def open_tab(page: Page, title: str) -> None:
    page.locator(".pcenter-intake-tabs .lm-TabBar-tab", has_text=title).click()


def test_a_15_year_olds_appeal_with_a_direct_threat_is_registered_with_notices_in_minutes(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    page, record = open_page(
        f"{voila_server.base_url}/voila/render/intake.ipynb?lang=en", user="operator1"
    )
    form = page.locator(".pcenter-intake-form")
    expect(form).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    clock = apps_clock(voila_server)
    today = clock.now().astimezone(KZ_TZ).date()
    form.locator(".pcenter-intake-channel select").select_option(label="Messenger")
    form.locator(".pcenter-intake-source select").select_option(
        label="Minor, personal appeal (under 16)"
    )
    form.locator(".pcenter-intake-child-name input").fill("Aruzhan Bekova")
    form.locator(".pcenter-intake-iin input").fill(fifteen_year_old_iin(today))
    form.locator(".pcenter-concern-suicidal input[type=checkbox]").check()
    form.locator(".pcenter-intake-description textarea").fill("Wrote that she wants to die tonight")
    form.locator(".pcenter-intake-direct-threat input[type=checkbox]").check()
    before = clock.now().astimezone(KZ_TZ)
    form.locator("button.pcenter-intake-save").click()

    result = form.locator(".pcenter-intake-result")
    expect(result).to_contain_text("Registered", timeout=ROUND_TRIP_MS)
    after = clock.now().astimezone(KZ_TZ)
    expect(result).to_contain_text("Registered as: Minor, personal appeal (under 16)")
    expect(result).to_contain_text("give help at once, without waiting for consent")
    expect(result).to_contain_text(f"Due by {today.isoformat()} 23:59 (Rule 16)")
    expect(result).to_contain_text("(within 60 minutes)")
    expect(page.locator(".pcenter-intake-current")).to_contain_text("Direct threat")

    owed = page.locator(".pcenter-threat .pcenter-notification")  # the tab opened by itself
    expect(owed).to_have_count(5, timeout=ROUND_TRIP_MS)
    earliest = (before + timedelta(minutes=60)).replace(second=0, microsecond=0)
    latest = after + timedelta(minutes=61)
    for css_class, body in (
        ("health", "Health bodies"),
        ("police", "Police (internal affairs bodies)"),
        ("local_executive_body", "Local executive body (child-rights protection)"),
        ("child_rights_body", "Child-rights body"),
        ("legal_representative", "Legal representative"),
    ):
        row = page.locator(f".pcenter-threat .pcenter-notification-{css_class}")
        expect(row).to_contain_text(body)
        expect(row).to_contain_text("not sent yet")
        found = DUE.search(row.inner_text())
        assert found is not None
        due = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=KZ_TZ)
        assert earliest <= due <= latest, (css_class, due)  # minutes, not the end of the day
    assert_clean(record)


def _import_critical_answer(server: VoilaServer) -> str:
    """A PHQ-9 round with one critical item 9, imported into the served database now."""
    now = apps_clock(server).now().astimezone(KZ_TZ)
    workbench = open_workbench(load_settings(server.env))
    try:
        with workbench.sessions.begin() as session:
            school = session.scalars(select(EducationOrganization.id).limit(1)).one()
            code = f"9B-{secrets.randbelow(10**6):06d}"
            imported = import_round(
                session,
                actor="methodologist1",
                cipher=workbench.cipher,
                data=csv_upload("phq9", [phq_row(code, CRITICAL, grade=9, age=15)]),
                filename="phq9-browser.csv",
                instrument="phq9",
                school_id=school,
                period=quarter_of(now.date()),
                conducted_on=now.date(),
                lang="ru",
                now=now,
            )
        return imported.requests[0].journal_number
    finally:
        workbench.engine.dispose()


def test_a_critical_phq9_answer_comes_first_in_the_supervisors_action_needed_view(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    number = _import_critical_answer(voila_server)
    page, record = open_page(
        f"{voila_server.base_url}/voila/render/intake.ipynb?lang=ru", user="supervisor1"
    )
    expect(page.locator(".pcenter-intake-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    open_tab(page, "Журнал")
    view = page.locator(".pcenter-journal-view")
    expect(view.locator("button", has_text="Требуют действий")).to_have_class(
        re.compile("mod-active"), timeout=ROUND_TRIP_MS
    )
    rows = page.locator(".pcenter-journal-rows tr")
    ours = rows.filter(has_text=number)
    expect(ours).to_have_count(1, timeout=ROUND_TRIP_MS)
    expect(ours).to_contain_text("Критический ответ: рассмотреть до")
    # First: every row above it is a critical answer awaiting review too (this session's other
    # tests may import one), and nothing else comes before them.
    classes = rows.evaluate_all("rows => rows.slice(1).map(r => r.className)")
    texts = rows.evaluate_all("rows => rows.slice(1).map(r => r.innerText)")
    position = next(i for i, text in enumerate(texts) if number in text)
    assert classes[0] == "pcenter-row-critical"
    assert all(c == "pcenter-row-critical" for c in classes[: position + 1]), classes[:5]
    assert_clean(record)


LONGEST_OPTION = """select => {
  const longest = [...select.options].reduce((a, b) => (b.text.length > a.text.length ? b : a));
  select.selectedIndex = longest.index;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}"""


def _a_direct_threat(server: VoilaServer) -> str:
    """The journal number of the newest direct threat of the served demo."""
    workbench = open_workbench(load_settings(server.env))
    try:
        with workbench.sessions() as session:
            found = session.scalars(
                select(Request).where(Request.direct_threat.is_(True)).order_by(Request.id.desc())
            ).first()
            assert found is not None
            return found.journal_number
    finally:
        workbench.engine.dispose()


def test_intake_reads_whole_and_without_codes_with_an_entry_open(
    voila_server: VoilaServer, open_page: OpenPage
) -> None:
    """Every tab of the supervisor's intake app, a direct threat opened, in kk, ru and en: no
    dropdown narrower than its option, no label cut off, no code where a word belongs."""
    number = _a_direct_threat(voila_server)
    page, record = open_page(
        f"{voila_server.base_url}/voila/render/intake.ipynb?lang=ru", user="supervisor1"
    )
    expect(page.locator(".pcenter-intake-tabs")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    page.locator(".pcenter-intake-current-number input").fill(number)
    page.locator(".pcenter-intake-open-request").click()
    expect(page.locator(".pcenter-intake-current")).to_contain_text(number, timeout=ROUND_TRIP_MS)
    open_tab(page, "Журнал")
    # the correction's source set to its longest option (typed, not saved), to be read whole
    source = page.locator(".pcenter-correct-source select")
    expect(source).to_be_visible(timeout=ROUND_TRIP_MS)
    source.evaluate(LONGEST_OPTION)
    page.wait_for_timeout(1000)
    tabs = page.locator(".pcenter-intake-tabs .lm-TabBar-tab").count()
    assert walk(page, tabs, "intake") == []
    assert_clean(record)
