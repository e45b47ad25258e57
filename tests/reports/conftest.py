"""A tiny demo region (seed 7) the report tests read, built once per module on SQLite."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from pcenter_lib.config import load_settings
from pcenter_lib.demo import build_demo_region
from pcenter_lib.workbench import Workbench, initialise_database

MONTH = "2026-10"  # a whole month of the demo's history


def fresh_workbench(folder: Path) -> Workbench:
    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(
        {
            "PCENTER_DATABASE_URL": f"sqlite:///{folder / 't.sqlite3'}",
            "PCENTER_SECRET_KEY_FILE": str(folder / "k.key"),
            "PCENTER_DATA_DIR": str(folder),
            "PCENTER_LANG": "en",
        }
    )
    return initialise_database(settings)


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    bench = fresh_workbench(tmp_path_factory.mktemp("region"))
    build_demo_region(bench, seed=7, scale="tiny", compliant=True, progress=None)
    return dataclasses.replace(bench, demo=True)  # as ``pcenter demo`` opens it: demo sign-in


SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
SHOTS = Path("/work/shots/reports")


def converted(files: list[Path], folder: Path) -> list[tuple[Path, str, int]]:
    """Each file converted to PDF by LibreOffice: (pdf, its text with spaces folded, pages)."""
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{folder / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    result = []
    for path in files:
        pdf = folder / (path.stem + ".pdf")
        reader = PdfReader(pdf)
        words = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
        result.append((pdf, words, len(reader.pages)))
    return result


def save_first_page(pdf: Path, name: str) -> None:
    """The first page as a PNG in the shots folder, to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pypdfium2.PdfDocument(pdf)[0].render(scale=1.3).to_pil().save(SHOTS / f"{name}.png")
