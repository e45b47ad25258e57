"""The built wheel, installed where no checkout is near: it finds its data, builds a demo, runs an app.

An editable install reads ``data/`` from the checkout; an installed wheel carries it inside the
package (``pcenter_lib/_data``). A module that looked for the data beside the checkout would
work in every other test and fail only for a Center that installs the wheel — so this test
builds the wheel, installs it (without dependencies) in a fresh virtual environment whose
dependencies come from the test environment, and in a folder far from the checkout: reads the
calendar overrides and the instruments, builds a demo database with the ``pcenter`` command and
executes a served notebook in a kernel of that environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.wheel, pytest.mark.notebooks]


def _run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtual environment holding only the built wheel of pcenter."""
    folder = tmp_path_factory.mktemp("wheel")
    dist = folder / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(ROOT)],
        cwd=folder,
    )  # fmt: skip
    (wheel,) = dist.glob("pcenter-*.whl")
    venv = folder / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=folder)
    python = venv / "bin" / "python"
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        cwd=folder,
    )  # fmt: skip
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                     cwd=folder).strip())  # fmt: skip
    # the dependencies: the test environment's packages, after the wheel's own (a plain path in
    # a .pth file; the checkout's editable install, itself a .pth there, is not followed)
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


def _environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCENTER_", "HTTP_"))}
    env.update(
        PCENTER_DATA_DIR=str(folder),
        PCENTER_DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}",
        PCENTER_SECRET_KEY_FILE=str(folder / "secret.key"),
        PCENTER_DEMO="1",
        PCENTER_LANG="ru",
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        PYTHONPATH="",
    )
    return env


def test_the_installed_package_reads_its_own_data(installed: Path, tmp_path: Path) -> None:
    probe = textwrap.dedent(
        """
        import json
        import pcenter_lib
        from pcenter_lib.diagnostics.instruments import instrument_registry
        from pcenter_lib.domain.calendar import load_overrides
        from pcenter_lib.paths import CALENDAR_OVERRIDES, DATA_DIR
        print(json.dumps({
            "package": pcenter_lib.__file__,
            "data": str(DATA_DIR),
            "overrides": len(load_overrides()),
            "calendar": str(CALENDAR_OVERRIDES),
            "instruments": sorted(instrument_registry()),
        }))
        """
    )
    found = json.loads(
        _run([str(installed), "-c", probe], cwd=tmp_path, env=_environment(tmp_path))
    )
    site = str(installed.parents[1])
    assert found["package"].startswith(site), "the wheel's package, not the checkout's"
    assert found["data"].startswith(site) and found["data"].endswith("pcenter_lib/_data")
    assert found["overrides"] > 0, "the government day transfers travel with the wheel"
    assert found["instruments"] == ["bully_check", "gad7", "phq9", "sdq_self"]


def test_the_installed_package_builds_a_demo_and_runs_an_app(
    installed: Path, tmp_path: Path
) -> None:
    env = _environment(tmp_path)
    cli = [str(installed), "-m", "pcenter_lib.cli"]
    _run([*cli, "init-db"], cwd=tmp_path, env=env)
    build = (
        "from pcenter_lib.demo import build_demo_region\n"
        "from pcenter_lib.workbench import open_workbench\n"
        "build_demo_region(open_workbench(), seed=7, scale='tiny')\n"
    )  # the command builds the larger demo; the tiny scale is quicker and the same code
    _run([str(installed), "-c", build], cwd=tmp_path, env=env)
    notebook = tmp_path / "diagnostics.ipynb"
    cells = json.loads((ROOT / "notebooks" / "diagnostics.ipynb").read_text(encoding="utf-8"))
    # one more cell after the app's: the app, not the page saying it cannot open
    cells["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": 'assert "pcenter-app-diagnostics" in _._dom_classes, _',
        }
    )
    notebook.write_text(json.dumps(cells), encoding="utf-8")
    runner = textwrap.dedent(
        f"""
        import nbformat
        from nbclient import NotebookClient
        book = nbformat.read({str(notebook)!r}, as_version=4)
        NotebookClient(book, timeout=180, kernel_name="python3").execute()
        errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "error"]
        assert not errors, errors
        print("executed")
        """
    )
    env["QUERY_STRING"] = "demo_role=methodologist&lang=ru"
    assert "executed" in _run([str(installed), "-c", runner], cwd=tmp_path, env=env)
