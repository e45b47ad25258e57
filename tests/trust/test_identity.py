"""Identity is not taken from whoever asks.

The attacks: anything that could reach the Voilà port became supervisor1 by sending
``X-Forwarded-User: supervisor1``; and ``?demo_role=supervisor`` did the same whenever the
environment switched demo mode on, for any database. Now the header counts only with the sign-in
proxy's proof, and demo mode follows the database.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import ipywidgets as widgets
import pytest
from sqlalchemy import update

from pcenter_lib.cli import main
from pcenter_lib.models import KeyBinding
from pcenter_lib.services.key_binding import KeyMismatchError, set_demo_database
from pcenter_lib.workbench import Workbench, open_workbench
from tests.conftest import TEST_PROXY_SECRET, signed_in
from tests.intake.world import build_world
from tests.trust.conftest import command_home
from tests.widgets.lookup import find_by_class
from widgets.home import build_home_app
from widgets.intake.app import build_intake_app

FORGED = {"HTTP_X_FORWARDED_USER": "supervisor1", "QUERY_STRING": "lang=ru"}


def _texts(page: widgets.Widget) -> str:
    found = []
    stack = [page]
    while stack:
        widget = stack.pop()
        found.append(str(getattr(widget, "value", "")))
        stack.extend(getattr(widget, "children", ()))
    return "\n".join(found)


def _refused(page: widgets.Widget) -> bool:
    return bool(find_by_class(page, "pcenter-fatal")) and not find_by_class(page, "pcenter-body")


@pytest.fixture
def bench(workbench: Workbench) -> Workbench:
    build_world(workbench).register()
    return workbench


@pytest.mark.parametrize(
    "environ",
    [
        FORGED,
        {**FORGED, "HTTP_X_PCENTER_PROXY_SECRET": "guessed"},
        {**FORGED, "HTTP_X_PCENTER_PROXY_SECRET": TEST_PROXY_SECRET[:-1]},
        {**FORGED, "HTTP_X_PCENTER_PROXY_SECRET": TEST_PROXY_SECRET + "x"},
    ],
    ids=["no-proof", "guessed", "too-short", "too-long"],
)
def test_a_user_header_without_the_proxy_proof_gets_only_a_refusal(
    bench: Workbench, environ: dict[str, str]
) -> None:
    page = build_intake_app(bench, environ)
    assert _refused(page)
    text = _texts(page)
    assert "не пришло" in text or "прокси" in text  # the refusal, in the page's language
    assert "supervisor1" not in text and "2026/" not in text  # no user, no journal


def test_a_header_is_refused_when_no_proxy_secret_is_configured(bench: Workbench) -> None:
    open_to_all = dataclasses.replace(
        bench, settings=dataclasses.replace(bench.settings, proxy_secret_file=None)
    )
    assert _refused(build_intake_app(open_to_all, {**signed_in("supervisor1")}))


def test_the_proxy_with_its_secret_signs_the_user_in(bench: Workbench) -> None:
    page = build_intake_app(bench, {**signed_in("supervisor1"), "QUERY_STRING": "lang=ru"})
    assert not _refused(page)
    assert "supervisor1" in _texts(page)


def test_a_weak_or_shared_proxy_secret_file_is_a_clear_error(bench: Workbench, tmp_path: Path) -> None:
    weak = tmp_path / "weak.secret"
    weak.write_text("short")
    weak.chmod(0o600)
    settings = dataclasses.replace(bench.settings, proxy_secret_file=weak)
    page = build_intake_app(
        dataclasses.replace(bench, settings=settings),
        {"HTTP_X_FORWARDED_USER": "supervisor1", "HTTP_X_PCENTER_PROXY_SECRET": "short"},
    )
    assert _refused(page) and "chmod 600" in _texts(page)


def test_demo_role_is_ignored_for_a_database_not_built_as_a_demo(bench: Workbench) -> None:
    assert bench.settings.demo is True  # the environment says "demo", the database does not
    assert bench.demo is False
    page = build_intake_app(bench, {"QUERY_STRING": "demo_role=supervisor&lang=ru"})
    text = _texts(page)
    assert "supervisor1" not in text and "2026/" not in text
    assert not find_by_class(page, "pcenter-intake-journal")
    home = build_home_app(bench, {"QUERY_STRING": "demo_role=supervisor&lang=en"})
    assert "You are not signed in" in _texts(home)


def test_demo_mode_follows_the_database_and_the_environment_can_only_forbid_it(
    bench: Workbench,
) -> None:
    with bench.sessions.begin() as session:
        set_demo_database(session, bench.keyring, demo=True)
    assert open_workbench(bench.settings).demo is True
    forbidden = dataclasses.replace(bench.settings, demo=False)
    assert open_workbench(forbidden).demo is False


def test_switching_demo_on_in_the_database_without_the_key_stops_the_workbench(
    bench: Workbench,
) -> None:
    with bench.engine.begin() as connection:
        connection.execute(update(KeyBinding).values(demo=True))
    with pytest.raises(KeyMismatchError, match="binding of this database was altered"):
        open_workbench(bench.settings)


def test_adding_a_real_user_ends_demo_mode_for_good(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command_home(monkeypatch, tmp_path, "en")
    from pcenter_lib.config import load_settings
    from pcenter_lib.demo import build_demo_region
    from pcenter_lib.workbench import initialise_database

    demo = initialise_database(load_settings())
    build_demo_region(demo, seed=1, scale="tiny", compliant=True)
    demo.engine.dispose()
    assert open_workbench(load_settings()).demo is True
    assert main(["users", "add", "aigerim.k", "--name", "Айгерім Қ.", "--role", "supervisor"]) == 0
    assert "demo sign-in is now off" in capsys.readouterr().out
    assert open_workbench(load_settings()).demo is False
