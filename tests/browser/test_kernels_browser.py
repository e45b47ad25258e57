"""App kernels do not pile up: closing or leaving a page ends its kernel; bounds and culling hold.

Kernels are counted as the ``ipykernel`` processes under the server process. A page closed
with ``run_before_unload=True`` behaves like a person closing a tab (the page's unload beacon
runs); ``run_before_unload=False`` is a tab that crashed or lost its network (no beacon).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PROJECT_ROOT, VoilaServer, running_voila

pytestmark = pytest.mark.browser

HOME = "/voila/render/index.ipynb?demo_role=supervisor&lang=en"
RENDER_TIMEOUT_MS = 90_000


def live_kernels(server: VoilaServer) -> int:
    """How many kernel processes the server has running now."""
    children = psutil.Process(server.process.pid).children(recursive=True)
    count = 0
    for child in children:
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                count += 1
        except psutil.NoSuchProcess:
            continue
    return count


def wait_for(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def open_home(browser: Browser, server: VoilaServer) -> Page:
    page = browser.new_context(locale="en-US").new_page()
    page.goto(server.base_url + HOME)
    page.wait_for_selector(".pcenter-app-list", timeout=RENDER_TIMEOUT_MS)
    return page


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """The real ``pcenter serve`` (voila.json as shipped), with no kernels left by other tests."""
    with running_voila(tmp_path_factory.mktemp("own")) as server:
        yield server


@pytest.fixture(scope="module")
def tight_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """A server allowing two kernels and evicting a disconnected one after 1 s idle."""
    options = (
        "--BoundedKernelManager.max_kernels=2",
        "--BoundedKernelManager.eviction_grace_seconds=1",
    )
    with running_voila(tmp_path_factory.mktemp("tight"), *options) as server:
        yield server


@pytest.fixture(scope="module")
def culling_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """A server culling disconnected kernels after 3 s idle (the served setting is 120 s)."""
    options = ("--MappingKernelManager.cull_idle_timeout=3", "--MappingKernelManager.cull_interval=1")
    with running_voila(tmp_path_factory.mktemp("culling"), *options) as server:
        yield server


def test_closing_a_page_shuts_its_kernel_down(own_server: VoilaServer, browser: Browser) -> None:
    before = live_kernels(own_server)
    page = open_home(browser, own_server)
    assert live_kernels(own_server) == before + 1
    page.close(run_before_unload=True)
    assert wait_for(lambda: live_kernels(own_server) == before, 15), (
        f"the kernel outlived its page:\n{own_server.log_tail()}"
    )


def test_following_a_link_ends_the_kernel_of_the_page_left(
    own_server: VoilaServer, browser: Browser
) -> None:
    before = live_kernels(own_server)
    page = open_home(browser, own_server)
    page.locator('.pcenter-app-card[data-app="intake"] a').click()
    page.wait_for_selector(".pcenter-app-intake", timeout=RENDER_TIMEOUT_MS)
    assert wait_for(lambda: live_kernels(own_server) == before + 1, 15), (
        "the home page's kernel stayed alive after the person moved on to an app"
    )
    page.close(run_before_unload=True)
    assert wait_for(lambda: live_kernels(own_server) == before, 15)


def test_a_page_beyond_the_bound_is_refused_in_the_persons_language(
    tight_server: VoilaServer, browser: Browser
) -> None:
    first, second = open_home(browser, tight_server), open_home(browser, tight_server)
    assert live_kernels(tight_server) == 2
    third = browser.new_context().new_page()
    response = third.goto(tight_server.base_url + HOME.replace("lang=en", "lang=ru"))
    assert response is not None and response.status == 503
    assert "Закройте" in third.inner_text("body"), third.inner_text("body")
    assert live_kernels(tight_server) == 2
    for page in (first, second, third):
        page.close(run_before_unload=True)
    assert wait_for(lambda: live_kernels(tight_server) == 0, 15)


def test_a_crashed_tab_makes_room_for_a_new_page(tight_server: VoilaServer, browser: Browser) -> None:
    crashed = open_home(browser, tight_server)
    crashed.close(run_before_unload=False)  # no beacon: its kernel is left disconnected
    kept = open_home(browser, tight_server)
    assert live_kernels(tight_server) == 2, "the crashed tab's kernel should still be alive"
    time.sleep(1.5)  # past the eviction grace
    newest = open_home(browser, tight_server)  # no refusal: the crashed tab's kernel goes
    assert live_kernels(tight_server) == 2
    assert "pcenter-app-list" in newest.content()
    for page in (kept, newest):
        page.close(run_before_unload=True)
    assert wait_for(lambda: live_kernels(tight_server) == 0, 15)


def test_a_disconnected_kernel_is_culled(culling_server: VoilaServer, browser: Browser) -> None:
    before = live_kernels(culling_server)
    crashed = open_home(browser, culling_server)
    crashed.close(run_before_unload=False)
    assert live_kernels(culling_server) == before + 1
    assert wait_for(lambda: live_kernels(culling_server) == before, 20), (
        "the culler left a disconnected kernel alive"
    )
    kept = open_home(browser, culling_server)
    time.sleep(6)  # well past the idle timeout: a connected page keeps its kernel
    assert live_kernels(culling_server) == before + 1
    kept.close(run_before_unload=True)


def test_served_configuration_culls_within_minutes_and_bounds_kernels() -> None:
    config = json.loads(Path(PROJECT_ROOT / "voila.json").read_text(encoding="utf-8"))
    culling = config["MappingKernelManager"]
    assert culling["cull_connected"] is False  # an open page keeps its kernel
    assert culling["cull_idle_timeout"] + culling["cull_interval"] <= 180
    manager = config["VoilaConfiguration"]["multi_kernel_manager_class"]
    assert manager == "pcenter_server.kernels.BoundedKernelManager"
    assert 0 < config["BoundedKernelManager"]["max_kernels"] <= 8
