"""Where the workbench finds the files it ships with: instruments, calendar overrides, apps.

The data folder is ``data/`` beside the package in a source checkout and ``pcenter_lib/_data``
inside an installed wheel (``[tool.hatch.build.targets.wheel.force-include]`` copies it there),
so an installed workbench reads the same instruments and the same government day transfers as
a checkout. Every module that needs one of these files asks here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

PACKAGE_DIR: Final = Path(__file__).resolve().parent
CHECKOUT_DIR: Final = PACKAGE_DIR.parent


def _data_dir() -> Path:
    packaged = PACKAGE_DIR / "_data"  # a wheel: checked first, whatever lies beside site-packages
    return packaged if packaged.is_dir() else CHECKOUT_DIR / "data"


DATA_DIR: Final = _data_dir()
INSTRUMENTS_DIR: Final = DATA_DIR / "instruments"  # one YAML file per screening instrument
CALENDAR_OVERRIDES: Final = DATA_DIR / "calendar" / "overrides.yaml"  # government day transfers
NOTEBOOKS_DIR: Final = CHECKOUT_DIR / "notebooks"  # the served apps of a checkout
