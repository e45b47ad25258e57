"""A page loads only what it shows: every app page starts a fresh kernel, so what its imports
pull in is paid on every open (the home page at region scale must show within 2.5 s)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DOCUMENT_LIBRARIES = ("openpyxl", "docx")


def test_the_home_page_does_not_load_the_document_libraries() -> None:
    probe = (
        "import sys, widgets.home; "
        f"print(','.join(m for m in {DOCUMENT_LIBRARIES!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "", f"widgets.home imports {loaded}"
