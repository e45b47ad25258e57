"""Fixtures of the deployment tests: Debian's Chromium, shared with the browser tests."""

from tests.browser.conftest import browser

__all__ = ["browser"]
