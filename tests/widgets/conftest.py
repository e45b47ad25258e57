"""Fixtures for widget tests: a migrated workbench with one user per role.

Widgets are tested without a kernel or browser: ipywidgets 8 runs without a comm, setting
``.value`` fires observers, and the HTML a person would read is in each widget's ``.value``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from pcenter_lib.models import User
from pcenter_lib.services.key_binding import set_demo_database
from pcenter_lib.services.users import add_user
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.intake.world import NOW, IntakeWorld, build_world
from widgets.intake.app import IntakeApp

# (user name, full name, roles, language) — named like the demo generator's users
PEOPLE: tuple[tuple[str, str, list[str], str], ...] = (
    ("admin1", "Aigerim Admin", ["administrator"], "kk"),
    ("analyst1", "Daniyar Analyst", ["analyst"], "en"),
    ("manager1", "Gulnara Manager", ["manager"], "ru"),
    ("methodologist1", "Saule Methodologist", ["methodologist"], "ru"),
    ("operator1", "Arman Operator", ["intake_operator"], "kk"),
    ("specialist1", "Dina Specialist", ["specialist"], "kk"),
    ("supervisor1", "Yerlan Supervisor", ["supervisor"], "ru"),
    ("retired1", "Former Methodologist", ["methodologist"], "ru"),
)


@pytest.fixture
def people_workbench(workbench: Workbench) -> Workbench:
    """The shared migrated SQLite workbench with the users in ``PEOPLE``, marked as a demo
    database (as ``pcenter demo`` marks it), so demo mode is on.

    ``retired1`` is disabled: a proxy naming them must not sign anybody in.
    """
    with workbench.sessions.begin() as session:
        for username, full_name, roles, lang in PEOPLE:
            add_user(
                session,
                actor="test",
                username=username,
                full_name=full_name,
                roles=roles,
                lang=lang,
            )
        session.execute(update(User).where(User.username == "retired1").values(active=False))
        set_demo_database(session, workbench.keyring, demo=True)
    return dataclasses.replace(workbench, demo=True)


@pytest.fixture
def production_workbench(people_workbench: Workbench) -> Iterator[Workbench]:
    """The same database with demo mode off, as on a Center's server behind the proxy."""
    settings = dataclasses.replace(people_workbench.settings, demo=False)
    yield dataclasses.replace(people_workbench, settings=settings, demo=False)


@pytest.fixture
def world(workbench: Workbench) -> IntakeWorld:
    """The intake test Center (``tests/intake/world.py``) on the shared SQLite workbench."""
    return build_world(workbench)


def open_intake_app(world: IntakeWorld, user: str, lang: str = "kk") -> IntakeApp:
    """The intake app as ``user`` sees it through the sign-in proxy, its clock at ``NOW``."""
    environ = {**signed_in(user), "QUERY_STRING": f"lang={lang}"}
    return IntakeApp(world.bench, environ=environ, clock=lambda: NOW)
