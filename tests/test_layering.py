"""Layers: the library never imports UI packages, domain rules never touch the database.

Checked twice: by import-linter (the contracts in pyproject's ``[tool.importlinter]``) and by a
plain AST walk that also sees imports inside functions and ``TYPE_CHECKING`` blocks.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "pcenter_lib"
UI_PACKAGES = ("ipywidgets", "IPython", "voila", "bqplot", "widgets")
DATABASE_MODULES = ("sqlalchemy", "pcenter_lib.models", "pcenter_lib.services", "pcenter_lib.db")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module named by an import statement anywhere in ``source`` (relative ones resolved)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def _is_within(name: str, forbidden: str) -> bool:
    return name == forbidden or name.startswith(forbidden + ".")


def violations(folder: Path, forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    """``module imports name`` for each forbidden import in the Python files under ``folder``."""
    found: list[str] = []
    for path in sorted(folder.rglob("*.py")):
        module = _module_name(path, root)
        names = imported_modules(
            path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"
        )
        found.extend(
            f"{module} imports {name}"
            for name in sorted(names)
            if any(_is_within(name, f) for f in forbidden)
        )
    return found


def test_import_linter_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 kept, 0 broken" in done.stdout


def test_contracts_cover_the_rules() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    forbidden = {
        tuple(c["source_modules"]): set(c["forbidden_modules"])
        for c in contracts
        if c["type"] == "forbidden"
    }
    assert forbidden[("pcenter_lib",)] >= set(UI_PACKAGES)
    assert forbidden[("pcenter_lib.domain",)] >= set(DATABASE_MODULES)
    layers = [c["layers"] for c in contracts if c["type"] == "layers"]
    assert ["widgets", "pcenter_lib.services", "pcenter_lib.models", "pcenter_lib.domain"] in layers


def test_library_never_imports_ui_packages() -> None:
    assert violations(LIBRARY, UI_PACKAGES) == []


def test_domain_never_touches_the_database() -> None:
    assert violations(LIBRARY / "domain", DATABASE_MODULES) == []


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("import ipywidgets as w", "pcenter_lib.x", {"ipywidgets"}),
        (
            "def f():\n    from IPython.display import display",
            "pcenter_lib.x",
            {"IPython.display", "IPython.display.display"},
        ),
        ("from widgets import home", "pcenter_lib.x", {"widgets", "widgets.home"}),
        (
            "from ..models import Child",
            "pcenter_lib.domain.rules",
            {"pcenter_lib.models", "pcenter_lib.models.Child"},
        ),
        ("from . import db", "pcenter_lib.cli", {"pcenter_lib", "pcenter_lib.db"}),
        (
            "from pcenter_lib import services",
            "pcenter_lib.domain.x",
            {"pcenter_lib", "pcenter_lib.services"},
        ),
    ],
)
def test_the_ast_check_sees_every_import_form(source: str, module: str, expected: set[str]) -> None:
    assert imported_modules(source, module) == expected


def test_the_ast_check_reports_a_violation(tmp_path: Path) -> None:
    package = tmp_path / "pcenter_lib" / "domain"
    package.mkdir(parents=True)
    (package / "bad.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sqlalchemy.orm import Session\n"
    )
    (package / "good.py").write_text("import sqlalchemy_utils_lookalike\n")
    assert violations(package, DATABASE_MODULES, tmp_path) == [
        "pcenter_lib.domain.bad imports sqlalchemy.orm",
        "pcenter_lib.domain.bad imports sqlalchemy.orm.Session",
    ]


GROUND_TRUTH_READERS = {
    "pcenter_lib.models",  # maps the table, does not export it
    "pcenter_lib.models.demo",
    "pcenter_lib.demo.build",  # writes it
    "pcenter_lib.services.risk_evaluation",  # the oracle and the covariate reference
    "pcenter_lib.migrations.versions.0003_demo_ground_truth",  # creates the table
    "pcenter_lib.migrations.versions.0008_ground_truth_hazard",  # adds the crisis episode
    "pcenter_lib.migrations.versions.0006_codes_as_enums",  # checks its risk tiers
}


def ground_truth_users(root: Path = ROOT) -> list[str]:
    """Modules outside ``GROUND_TRUTH_READERS`` that import or name the demo's ground truth."""
    found = []
    for folder in (LIBRARY, root / "widgets"):
        for path in sorted(folder.rglob("*.py")):
            module = _module_name(path, root)
            source = path.read_text(encoding="utf-8")
            names = imported_modules(source, module, is_package=path.name == "__init__.py")
            touches = any(_is_within(n, "pcenter_lib.models.demo") for n in names) or any(
                word in source for word in ("DemoGroundTruth", "demo_ground_truth\"")
            )
            if touches and module not in GROUND_TRUTH_READERS:
                found.append(module)
    return found


def test_only_the_risk_evaluation_reads_the_ground_truth() -> None:
    assert ground_truth_users() == []
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        c for c in config["tool"]["importlinter"]["contracts"]
        if c.get("forbidden_modules") == ["pcenter_lib.models.demo"]
    )
    assert {"pcenter_lib.services", "pcenter_lib.risk", "pcenter_lib.domain", "widgets"} <= set(
        contract["source_modules"]
    )
    assert contract["ignore_imports"] == [
        "pcenter_lib.services.risk_evaluation -> pcenter_lib.models.demo"
    ]
    assert "DemoGroundTruth" not in __import__("pcenter_lib.models").models.__all__


def test_the_ground_truth_check_reports_a_service_that_peeks(tmp_path: Path) -> None:
    services = tmp_path / "pcenter_lib" / "services"
    services.mkdir(parents=True)
    (tmp_path / "widgets").mkdir()
    (services / "sneaky.py").write_text("from pcenter_lib.models.demo import DemoGroundTruth\n")
    (services / "risk_evaluation.py").write_text("from pcenter_lib.models import demo\n")
    global LIBRARY
    saved, LIBRARY = LIBRARY, tmp_path / "pcenter_lib"
    try:
        assert ground_truth_users(tmp_path) == ["pcenter_lib.services.sneaky"]
    finally:
        LIBRARY = saved
