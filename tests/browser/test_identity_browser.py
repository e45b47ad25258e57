"""A user name sent without the sign-in proxy's proof gets a refusal page and nothing else."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage, VoilaServer

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000


@pytest.mark.parametrize(
    ("lang", "words"),
    [("kk", "Орталықтың кіру"), ("ru", "подтверждения прокси"), ("en", "sign-in proxy's proof")],
)
def test_a_forged_user_header_shows_only_the_refusal(
    voila_server: VoilaServer, open_page: OpenPage, lang: str, words: str
) -> None:
    page, _record = open_page(
        f"{voila_server.base_url}/voila/render/intake.ipynb?lang={lang}", forged_user="supervisor1"
    )
    refusal = page.locator(".pcenter-fatal")
    expect(refusal).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(refusal).to_contain_text(words)
    expect(page.locator(".pcenter-body")).to_have_count(0)
    expect(page.locator(".pcenter-role-picker")).to_have_count(0)
    assert "supervisor1" not in page.content()
