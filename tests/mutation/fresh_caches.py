"""A pytest plugin for ``make mutation``: the mutated module's caches are emptied before each test.

mutmut tests each mutant in a process forked after a clean run of the tests, so a value the
module cached then (``functools.cache``: the default calendar, for one) was computed by the
unmutated code and would hide the mutant. ``PCENTER_MUTATION_MODULE`` names the module.
"""

from __future__ import annotations

import os
import sys

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    module = sys.modules.get(os.environ.get("PCENTER_MUTATION_MODULE", ""))
    if module is None:
        return
    for value in list(vars(module).values()):
        clear = getattr(value, "cache_clear", None)
        if callable(clear):
            clear()
