"""The de-identification and intervision libraries are pure: no database, no widgets."""

from __future__ import annotations

import pytest

from tests.test_layering import DATABASE_MODULES, LIBRARY, UI_PACKAGES, violations


@pytest.mark.parametrize("package", ["deidentify", "intervision"])
def test_the_package_imports_neither_the_database_nor_widgets(package: str) -> None:
    assert violations(LIBRARY / package, (*DATABASE_MODULES, *UI_PACKAGES)) == []
