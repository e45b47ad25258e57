"""The multi-user stack end to end, in Chromium: sign up, authorize, sign in, see only your apps.

Run by ``make deploy-test`` (which installs JupyterHub from PyPI and configurable-http-proxy
from npm first) and by ``.ci/run``; skipped by the plain ``make test``. Each attack is a way one
person could act as another or run code of their own: a forged header, another person's server
URL, the hub admin's access to every server, an execute request or a notebook upload.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from pcenter_lib.domain.access import APPS
from tests.deploy.stack import HUB_ADMIN, HubStack, running_stack

pytestmark = pytest.mark.skipif(
    os.environ.get("PCENTER_DEPLOY_TEST") != "1", reason="the whole stack runs in make deploy-test"
)

PASSWORD = "Kokterek-Tausy-2026"  # synthetic; NativeAuthenticator wants ≥ 10 characters
HUB_USERS = (HUB_ADMIN, "supervisor1", "methodologist1", "stranger")
SPAWN_TIMEOUT_MS = 120_000
SHOTS = Path(os.environ.get("PCENTER_SHOTS_DIR", "/work/shots/deploy"))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubStack]:
    with running_stack(tmp_path_factory.mktemp("hub")) as running:
        yield running


def shoot(page: Page, name: str) -> None:
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def accounts(stack: HubStack, browser: Browser) -> tuple[str, ...]:
    """Every hub account signed up at /hub/signup; the hub admin authorizes the others."""
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    for username in HUB_USERS:
        page.goto(f"{stack.base_url}/hub/signup")
        page.fill("#username_input", username)
        page.fill("#password_input", PASSWORD)
        page.fill("#password_confirmation_input", PASSWORD)
        page.click("#signup_submit")
        page.wait_for_load_state()
        assert "Error" not in page.inner_text("body"), page.inner_text("body")
    context.close()
    admin, page = sign_in(browser, stack, HUB_ADMIN, expect_app=False)
    page.goto(f"{stack.base_url}/hub/authorize")
    for username in HUB_USERS[1:]:
        row = page.locator("tr", has_text=username)
        row.get_by_role("button", name="Authorize", exact=True).click()
        page.wait_for_load_state()
    assert page.locator("tr", has_text="Unauthorize").count() >= len(HUB_USERS) - 1
    admin.close()
    return HUB_USERS


def sign_in(
    browser: Browser, stack: HubStack, username: str, *, expect_app: bool = True,
    headers: dict[str, str] | None = None, direct: bool = False,
) -> tuple[BrowserContext, Page]:
    """Sign in at /hub/login (through nginx, or ``direct`` to the hub's proxy); with
    ``expect_app`` wait until the person's home app is built."""
    context = browser.new_context(extra_http_headers=headers or {}, ignore_https_errors=True)
    page = context.new_page()
    page.goto(f"{stack.hub_url if direct else stack.base_url}/hub/login")
    page.fill("#username_input", username)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    if expect_app:
        try:
            page.wait_for_url(re.compile(rf"/user/{username}/voila/render/index\.ipynb"),
                              timeout=SPAWN_TIMEOUT_MS)
            page.wait_for_selector(".pcenter-app-index .pcenter-body", timeout=SPAWN_TIMEOUT_MS)
        except PlaywrightError as error:
            pytest.fail(f"{username}: {error}\n{page.url}\n{page.inner_text('body')[:2000]}\n"
                        f"{stack.log_tail(80)}")
    else:
        page.wait_for_load_state()
    return context, page


def apps_of(role: str) -> set[str]:
    """The apps the one access table gives a role (the home page must list exactly these)."""
    return {app.code for app in APPS if role in app.roles}


def app_cards(page: Page) -> set[str]:
    page.wait_for_selector(".pcenter-app-list", timeout=SPAWN_TIMEOUT_MS)
    return {card.get_attribute("data-app") or "" for card in page.locator(".pcenter-app-card").all()}


def test_each_person_sees_only_their_apps(
    stack: HubStack, browser: Browser, accounts: tuple[str, ...]
) -> None:
    assert stack.base_url.startswith("https://")  # through nginx and TLS
    supervisor, page = sign_in(browser, stack, "supervisor1")
    assert app_cards(page) == apps_of("supervisor") >= {"intake", "supervision"}
    assert "supervisor1" in page.inner_text(".pcenter-user")
    shoot(page, "supervisor1-home")
    methodologist, page = sign_in(browser, stack, "methodologist1")
    assert app_cards(page) == apps_of("methodologist") >= {"diagnostics", "intervision"}
    assert "intake" not in apps_of("methodologist")
    assert "methodologist1" in page.inner_text(".pcenter-user")
    shoot(page, "methodologist1-home")
    supervisor.close()
    methodologist.close()


def test_a_person_opens_their_app_and_is_refused_another(
    stack: HubStack, browser: Browser, accounts: tuple[str, ...]
) -> None:
    context, page = sign_in(browser, stack, "methodologist1")
    page.locator('.pcenter-app-card[data-app="diagnostics"] a').click()
    page.wait_for_selector(".pcenter-app-diagnostics .pcenter-body", timeout=SPAWN_TIMEOUT_MS)
    assert page.locator(".pcenter-app-diagnostics .pcenter-notice").count() == 0
    page.goto(f"{stack.base_url}/user/methodologist1/voila/render/intake.ipynb?lang=en")
    page.wait_for_selector(".pcenter-app-intake .pcenter-notice", timeout=SPAWN_TIMEOUT_MS)
    assert "may not open the app" in page.inner_text(".pcenter-notice")
    context.close()


def test_a_forwarded_user_header_does_not_change_who_you_are(
    stack: HubStack, browser: Browser, accounts: tuple[str, ...]
) -> None:
    # straight to the hub's proxy, behind nginx's back (nginx drops the header anyway)
    context, page = sign_in(
        browser, stack, "methodologist1", headers={"X-Forwarded-User": "supervisor1"}, direct=True
    )
    assert app_cards(page) == apps_of("methodologist") != apps_of("supervisor")
    assert "supervisor1" not in page.inner_text(".pcenter-user")
    context.close()


def test_another_persons_server_stays_closed(
    stack: HubStack, browser: Browser, accounts: tuple[str, ...]
) -> None:
    owner, _ = sign_in(browser, stack, "supervisor1")  # make sure that server runs
    context, page = sign_in(browser, stack, "methodologist1")
    response = page.goto(f"{stack.base_url}/user/supervisor1/voila/render/index.ipynb")
    assert response is not None
    page.wait_for_load_state()
    assert page.locator('.pcenter-app-card[data-app="intake"]').count() == 0
    assert "/user/supervisor1/voila" not in page.url or response.status == 403
    context.close()
    owner.close()


def test_the_hub_admin_cannot_act_as_another_person(
    stack: HubStack, browser: Browser, accounts: tuple[str, ...]
) -> None:
    owner, _ = sign_in(browser, stack, "supervisor1")
    admin, page = sign_in(browser, stack, HUB_ADMIN, expect_app=False)
    page.goto(f"{stack.base_url}/user/supervisor1/voila/render/index.ipynb?lang=en")
    consent = page.get_by_role("button", name="Authorize", exact=True)
    if consent.count():  # JupyterHub asks an admin to confirm access to another person's server
        consent.click()
    page.wait_for_selector(".pcenter-app-index .pcenter-body", timeout=SPAWN_TIMEOUT_MS)
    body = page.inner_text(".pcenter-body")
    assert "belongs to the workspace of supervisor1" in body, body
    assert page.locator(".pcenter-app-card").count() == 0
    shoot(page, "hubadmin-in-supervisor1-server")
    admin.close()
    owner.close()


def test_a_hub_account_without_a_workbench_user_sees_a_clear_page(
    stack: HubStack, browser: Browser, accounts: tuple[str, ...]
) -> None:
    context, page = sign_in(browser, stack, "stranger")
    body = page.inner_text(".pcenter-body")
    assert "stranger" in body and "не зарегистрирован" in body, body  # PCENTER_LANG=ru
    assert page.locator(".pcenter-app-card").count() == 0
    shoot(page, "stranger-ru")
    for lang, words in (("kk", "тіркелмеген"), ("en", "is not registered")):
        page.goto(f"{stack.base_url}/user/stranger/voila/render/index.ipynb?lang={lang}")
        page.wait_for_selector(".pcenter-app-index .pcenter-body", timeout=SPAWN_TIMEOUT_MS)
        assert words in page.inner_text(".pcenter-body")
    context.close()


EXECUTE_ATTEMPT = """
async ([prefix, marker]) => {
  const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
  const started = await fetch(prefix + 'api/kernels', {
    method: 'POST', headers: {'X-XSRFToken': xsrf, 'Content-Type': 'application/json'},
    body: JSON.stringify({name: 'python3'})});
  if (!started.ok) { return 'no kernel: ' + started.status; }
  const kernel = await started.json();
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const ws = new WebSocket(scheme + location.host + prefix + 'api/kernels/' + kernel.id + '/channels');
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  ws.send(JSON.stringify({
    header: {msg_id: 'attack', msg_type: 'execute_request', username: 'x', session: 'x',
             version: '5.3', date: new Date().toISOString()},
    parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
    content: {code: "open(" + JSON.stringify(marker) + ", 'w').write('ran')", silent: false,
              store_history: false, user_expressions: {}, allow_stdin: false}}));
  await new Promise(resolve => setTimeout(resolve, 5000));
  ws.close();
  return kernel.id;
}
"""


def test_no_code_of_ones_own_runs_in_a_kernel(
    stack: HubStack, browser: Browser, accounts: tuple[str, ...]
) -> None:
    context, page = sign_in(browser, stack, "methodologist1")
    marker = stack.folder / "code-ran-in-a-kernel"
    outcome = page.evaluate(EXECUTE_ATTEMPT, ["/user/methodologist1/", str(marker)])
    assert not str(outcome).startswith("no kernel"), outcome  # the attack really reached a kernel
    assert not marker.exists(), f"an execute_request from the browser ran ({outcome})"
    upload = context.request.put(
        f"{stack.base_url}/user/methodologist1/api/contents/evil.ipynb",
        headers={"X-XSRFToken": xsrf_cookie(context)},
        data='{"type": "notebook", "content": {"cells": [], "metadata": {}, "nbformat": 4, '
             '"nbformat_minor": 5}}',
    )
    assert upload.status == 403, upload.status
    context.close()


def xsrf_cookie(context: BrowserContext) -> str:
    return next((c["value"] for c in context.cookies() if c["name"] == "_xsrf"), "")


def live_kernels(context: BrowserContext, stack: HubStack, username: str) -> int:
    answer = context.request.get(f"{stack.base_url}/user/{username}/api/kernels")
    assert answer.ok, answer.status
    return len(answer.json())


def test_closing_a_page_ends_its_kernel_under_the_hub(
    stack: HubStack, browser: Browser, accounts: tuple[str, ...]
) -> None:
    context, _ = sign_in(browser, stack, "supervisor1")
    for stale in context.request.get(f"{stack.base_url}/user/supervisor1/api/kernels").json():
        context.request.delete(
            f"{stack.base_url}/user/supervisor1/api/kernels/{stale['id']}",
            headers={"X-XSRFToken": xsrf_cookie(context)},
        )
    extra = context.new_page()
    extra.goto(f"{stack.base_url}/user/supervisor1/voila/render/intake.ipynb")
    extra.wait_for_selector(".pcenter-app-intake .pcenter-body", timeout=SPAWN_TIMEOUT_MS)
    assert live_kernels(context, stack, "supervisor1") == 1
    extra.close(run_before_unload=True)
    deadline = time.monotonic() + 15
    while live_kernels(context, stack, "supervisor1") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert live_kernels(context, stack, "supervisor1") == 0
    context.close()
