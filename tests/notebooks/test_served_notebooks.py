"""Every served notebook: thin (house rules) and executed end to end against a fresh demo database.

Voilà runs a notebook the same way nbclient does: a kernel started in ``notebooks/`` executes
every cell. A notebook that raises, or whose app shows an error banner instead of its content,
fails here before a person ever sees it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from pcenter_lib.config import load_settings
from pcenter_lib.demo import build_demo_region
from pcenter_lib.domain.access import APPS
from pcenter_lib.workbench import initialise_database
from tests.conftest import signed_in, write_proxy_secret

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SERVED = sorted(NOTEBOOKS.glob("*.ipynb"))
LOGIC = re.compile(r"^\s*(def |class |for |while |with |import sqlalchemy|from sqlalchemy)", re.M)

# The demo user that may open each app (the demo generator creates one user per role).
USER_FOR_APP = {
    "index": "methodologist1",
    "intake": "operator1",
    "diagnostics": "methodologist1",
    "staffing": "manager1",
    "supervision": "supervisor1",
    "intervision": "methodologist1",
    "reports": "manager1",
    "risk_model": "analyst1",
}

pytestmark = pytest.mark.notebooks


def test_there_are_served_notebooks() -> None:
    assert (NOTEBOOKS / "index.ipynb") in SERVED


@pytest.mark.parametrize("path", SERVED, ids=lambda p: p.stem)
def test_notebook_is_thin_and_stored_without_outputs(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert cells[0]["cell_type"] == "markdown", "a served notebook opens with its title and help"
    # voila.json removes cells tagged "hide": the app shell shows the translated title instead.
    assert "hide" in cells[0].get("metadata", {}).get("tags", []), "tag the title cell 'hide'"
    assert len(code) == 1, "one code cell: one import and one build_*_app() call"
    assert not any(c.get("outputs") or c.get("execution_count") for c in code)
    source = "".join(code[0]["source"])
    assert not LOGIC.search(source), source
    assert re.search(r"^build_\w+_app\(\)\s*$", source, re.M), source


def test_every_app_in_the_menu_that_exists_is_served() -> None:
    names = {p.stem for p in SERVED}
    for stem in names - {"index"}:
        assert stem in {app.code for app in APPS}, f"{stem}.ipynb is not listed in access.APPS"


@pytest.fixture(scope="module")
def demo_environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("notebook-db")
    env = {
        "PCENTER_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "PCENTER_SECRET_KEY_FILE": str(folder / "secret.key"),
        "PCENTER_DATA_DIR": str(folder),
        "PCENTER_DEMO": "1",
        "PCENTER_LANG": "ru",
        "PCENTER_PROXY_SECRET_FILE": str(write_proxy_secret(folder)),
    }
    workbench = initialise_database(load_settings(env))
    build_demo_region(workbench, seed=7, scale="tiny", compliant=True, progress=None)
    workbench.engine.dispose()
    return env


@pytest.mark.parametrize("path", SERVED, ids=lambda p: p.stem)
def test_notebook_executes_against_demo_database(
    path: Path, demo_environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in demo_environment.items():
        monkeypatch.setenv(key, value)
    for key, value in signed_in(USER_FOR_APP.get(path.stem, "admin1")).items():
        monkeypatch.setenv(key, value)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    widget_views = [
        o for o in outputs
        if o.output_type in {"display_data", "execute_result"}
        and "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert widget_views, f"{path.name} displayed no app"
