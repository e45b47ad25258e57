"""The app kit: one launch path for every app, panels observing a state, the demo clock.

The smallest complete app of ``docs/architecture.md`` is executed here as written, so the page
that tells a newcomer how to build an app stays true.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
import traitlets

from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.clock import DEMO_BUILD_ACTION, HISTORY_ENDS_KEY, read_clock
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.widgets.lookup import find_by_class, only_by_class
from widgets.diagnostics.app import build_diagnostics_app
from widgets.home import build_home_app
from widgets.intake.app import build_intake_app
from widgets.kit import App, AppState, Panel, offer
from widgets.shell import AppShell
from widgets.staffing.app import build_staffing_app

ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
FACTORIES = [build_home_app, build_diagnostics_app, build_staffing_app, build_intake_app]


def documented_app() -> dict[str, Any]:
    """The namespace of the example app in docs/architecture.md, executed as written."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    namespace: dict[str, Any] = {"__name__": "documented_app"}
    exec(compile(code, str(ARCHITECTURE), "exec"), namespace)  # the page's own example
    return namespace


def test_the_documented_smallest_app_works(people_workbench: Workbench) -> None:
    example = documented_app()
    page = example["build_reports_app"](
        people_workbench, {**signed_in("manager1"), "QUERY_STRING": "lang=en"}
    )
    table = only_by_class(page, "pcenter-body").children[1].children[1]
    assert "2026-11" in table.value and '<th scope="col">Month</th>' in table.value
    month = only_by_class(page, "pcenter-body").children[1].children[0]
    month.value = "2026-10"
    assert "2026-10" in table.value, "the panel watches the state the text box sets"
    only_by_class(page, "pcenter-lang").value = "kk"
    assert month.value == "2026-10", "a language switch keeps what was typed"
    refused = example["build_reports_app"](people_workbench, signed_in("analyst1"))
    assert find_by_class(refused, "pcenter-notice")


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_app_opens_through_the_one_launch_path(factory: Any, tmp_path: Path) -> None:
    """The page's own environment is read (not the process's) and a failure is a page in its
    language: the language the page asked for, then the configured one."""
    environ = {
        "PCENTER_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PCENTER_SECRET_KEY_FILE": str(tmp_path / "missing.key"),
        "PCENTER_LANG": "ru",
        "QUERY_STRING": "",
    }
    page = factory(environ=environ)
    fatal = only_by_class(page, "pcenter-fatal")
    assert fatal.value.startswith("<h1>Рабочее место не может открыть эту страницу.</h1>")
    assert "missing.key" in fatal.value, "the key named in the page's own environment"
    environ["QUERY_STRING"] = "lang=en"
    assert "cannot open" in only_by_class(factory(environ=environ), "pcenter-fatal").value


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_app_refuses_a_database_without_the_current_schema(
    factory: Any, tmp_path: Path
) -> None:
    from pcenter_lib.config import load_settings
    from pcenter_lib.workbench import open_workbench

    settings = load_settings({"PCENTER_DATA_DIR": str(tmp_path), "PCENTER_LANG": "en"})
    bench = open_workbench(settings, create_key=True)  # a key and an empty database
    page = factory(bench, {"QUERY_STRING": "lang=en"})
    assert "run: pcenter init-db" in only_by_class(page, "pcenter-fatal").value
    bench.engine.dispose()


class Counter(AppState):
    clicks = traitlets.Int(0)


class CounterPanel(Panel[Counter]):
    title = "Counter"
    seen: list[int]

    def __init__(self, shell: AppShell, state: Counter) -> None:
        super().__init__(shell, state)
        self.seen = []
        self.watch("clicks", lambda: self.seen.append(self.state.clicks))


class CounterApp(App[Counter]):
    code = "reports"
    title = "Reports"
    help_text = "Counting."
    panel_types = (CounterPanel,)

    def make_state(self) -> Counter:
        return Counter()


def test_panels_built_for_another_user_stop_observing(people_workbench: Workbench) -> None:
    app = CounterApp(people_workbench, environ={"QUERY_STRING": "demo_role=manager&lang=en"})
    first = app.panel(CounterPanel)
    first_state = app.state
    first_state.clicks += 1
    assert first.seen == [1]
    app.shell.role_picker.value = "methodologist"  # another person: new state, new panels
    second = app.panel(CounterPanel)
    assert second is not first and app.state is not first_state
    first_state.clicks += 1
    app.state.clicks += 1
    assert first.seen == [1], "the old panel no longer listens"
    assert second.seen == [1]
    assert app.has_panel(CounterPanel)
    app.shell.role_picker.value = "analyst"  # may not write reports: no panel at all
    assert not app.has_panel(CounterPanel)


def test_offer_keeps_a_choice_that_still_exists() -> None:
    box = widgets.Dropdown()
    offer(box, [("a", 1), ("b", 2)])
    assert box.value == 1, "a new dropdown takes the first option, never None"
    box.value = 2
    offer(box, [("A", 1), ("B", 2)])
    assert box.value == 2
    offer(box, [("C", 3)])
    assert box.value == 3


def test_a_demo_database_runs_on_the_demos_own_clock(people_workbench: Workbench) -> None:
    ends = utcnow() - timedelta(days=40)  # the history ended 40 days before the build
    with people_workbench.sessions.begin() as session:
        record_event(
            session,
            actor="demo",
            action=DEMO_BUILD_ACTION,
            entity="demo_region",
            details={HISTORY_ENDS_KEY: ends.isoformat()},
        )
    with people_workbench.sessions() as session:
        clock = read_clock(session)
    assert clock.is_demo and abs(clock.now() - ends) < timedelta(minutes=1)
    page = build_home_app(people_workbench, signed_in("manager1"))
    line = only_by_class(page, "pcenter-demo-clock").value
    assert line.startswith("Демо-часы:") and "История демо заканчивается" in line


def test_a_centers_own_database_runs_on_the_real_clock(people_workbench: Workbench) -> None:
    with people_workbench.sessions() as session:
        clock = read_clock(session)
    assert not clock.is_demo and abs(clock.now() - utcnow()) < timedelta(seconds=5)
    page = build_home_app(people_workbench, signed_in("manager1"))
    assert only_by_class(page, "pcenter-demo-clock").value == ""


def test_the_intake_app_runs_on_the_same_clock(people_workbench: Workbench) -> None:
    from widgets.intake.app import IntakeApp

    ends = utcnow() - timedelta(days=40)
    with people_workbench.sessions.begin() as session:
        record_event(
            session,
            actor="demo",
            action=DEMO_BUILD_ACTION,
            entity="demo_region",
            details={HISTORY_ENDS_KEY: ends.isoformat()},
        )
    app = IntakeApp(people_workbench, environ=signed_in("operator1"))
    assert abs(app.state.clock() - ends) < timedelta(minutes=1), (
        "journal deadlines on the demo's clock"
    )
