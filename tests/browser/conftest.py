"""A real Voilà server and a headless Chromium for browser tests (``pytest.mark.browser``).

``voila_server`` (one per test session) builds a demo database in a temporary folder, starts
``pcenter serve`` on a free port of 127.0.0.1 with its own ``PCENTER_*`` environment (so the
real command, ``voila.json`` and the offline page template are what is tested), waits until
the server answers, and stops it afterwards by signalling the process group it started.

``browser`` drives Debian's ``/usr/bin/chromium`` through Playwright (never ``playwright
install``). ``open_page`` gives a page whose console errors and requests are recorded;
requests to any host other than the local server are aborted and recorded as offline
violations, so a template that links a CDN fails the test instead of waiting for the internet.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright

from pcenter_lib.cli import serve_command
from pcenter_lib.config import load_settings
from pcenter_lib.demo import build_demo_region
from pcenter_lib.workbench import initialise_database
from tests.conftest import TEST_PROXY_SECRET, write_proxy_secret

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
START_TIMEOUT_S = 90.0
NAVIGATION_TIMEOUT_MS = 120_000  # Voilà runs the notebook before the page loads; CI machines are shared
STOP_TIMEOUT_S = 20.0


@dataclass
class VoilaServer:
    """A running ``pcenter serve``: where it listens and where its log goes."""

    base_url: str
    log_file: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(default_factory=dict)  # the server's PCENTER_* settings

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_file.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fill_database(env: dict[str, str]) -> None:
    """Migrate the database and fill it with the small ("tiny") synthetic demo region."""
    workbench = initialise_database(load_settings(env))
    try:
        build_demo_region(workbench, seed=264, scale="tiny", compliant=True, progress=None)
    finally:
        workbench.engine.dispose()


def _wait_until_serving(server: VoilaServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"pcenter serve exited early:\n{server.log_tail()}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{server.base_url}/voila/tree", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"Voilà did not answer within {START_TIMEOUT_S} s:\n{server.log_tail()}")


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group we started (pcenter serve and its Voilà), then SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
            time.sleep(0.5)  # let Voilà finish shutting its kernels down
            return
        except subprocess.TimeoutExpired:
            continue


def demo_environment(folder: Path) -> dict[str, str]:
    """The environment of a server over a demo database in ``folder`` (nothing inherited)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCENTER_", "HTTP_"))}
    env.update(
        PCENTER_DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}",
        PCENTER_SECRET_KEY_FILE=str(folder / "secret.key"),
        PCENTER_DATA_DIR=str(folder),
        PCENTER_DEMO="1",
        PCENTER_LANG="kk",
        PCENTER_PROXY_SECRET_FILE=str(write_proxy_secret(folder)),
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
    )
    return env


@contextmanager
def running_voila(folder: Path, *voila_args: str) -> Iterator[VoilaServer]:
    """``pcenter serve`` over a fresh demo database in ``folder``; Voilà options in ``voila_args``.

    Without options the real command runs; with options, the same Voilà command line
    (``pcenter_lib.cli.serve_command``) plus the options, so tests can tighten limits.
    """
    env = demo_environment(folder)
    _fill_database(env)
    port = _free_port()
    if voila_args:
        command, env = serve_command(port, extra=voila_args)
        env = {**env, **demo_environment(folder)}
    else:
        command = [sys.executable, "-m", "pcenter_lib.cli", "serve", f"--port={port}", "--no-browser"]
    log_file = folder / "voila.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = VoilaServer(f"http://127.0.0.1:{port}", log_file, process, env)
    try:
        _wait_until_serving(server)
        yield server
    finally:
        stop_process_group(process)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """``pcenter serve`` over a fresh demo database on a free port of 127.0.0.1."""
    with running_voila(tmp_path_factory.mktemp("voila")) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class PageRecord:
    """What a page did besides rendering: console errors and requests that left the machine."""

    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


def _record_if_external(url: str, record: PageRecord) -> None:
    if (urlsplit(url).hostname or "") not in LOCAL_HOSTS:
        record.external_requests.append(url)


OpenPage = Callable[..., tuple[Page, PageRecord]]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """``open_page(url, user=None)``: a fresh context; ``user`` arrives as the sign-in proxy
    sends it (X-Forwarded-User with the proxy's secret), ``forged_user`` without the secret."""
    contexts = []

    def opener(
        url: str, user: str | None = None, forged_user: str | None = None
    ) -> tuple[Page, PageRecord]:
        headers = (
            {"X-Forwarded-User": user, "X-Pcenter-Proxy-Secret": TEST_PROXY_SECRET} if user else {}
        )
        if forged_user:
            headers = {"X-Forwarded-User": forged_user}
        context = browser.new_context(extra_http_headers=headers, locale="en-US")
        contexts.append(context)
        record = PageRecord()

        def guard_route(route: Route) -> None:
            host = urlsplit(route.request.url).hostname or ""
            if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
                route.continue_()
            else:
                record.external_requests.append(route.request.url)
                route.abort()

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                record.console_errors.append(message.text)

        context.route("**/*", guard_route)
        page = context.new_page()
        page.on("console", on_console)
        page.on("requestfailed", lambda request: record.failed_requests.append(request.url))
        page.on("websocket", lambda socket: _record_if_external(socket.url, record))
        page.goto(url, timeout=NAVIGATION_TIMEOUT_MS)
        return page, record

    yield opener
    for context in contexts:
        context.close()
