"""A page loads only what it shows: every app page starts a fresh kernel, so what its imports
pull in is paid on every open (the home page at region scale must show within 2.5 s)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DOCUMENT_LIBRARIES = ("openpyxl", "docx")


def loaded_by(module: str, candidates: tuple[str, ...]) -> str:
    """Which of ``candidates`` a fresh interpreter has loaded after importing ``module``."""
    probe = (
        f"import sys, {module}; "
        f"print(','.join(m for m in {candidates!r} if m in sys.modules))"
    )
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_home_page_does_not_load_the_document_libraries() -> None:
    assert loaded_by("widgets.home", DOCUMENT_LIBRARIES) == ""


def test_the_diagnostics_page_loads_matplotlib_only_to_draw_an_export() -> None:
    assert loaded_by("widgets.diagnostics.app", ("matplotlib",)) == ""
