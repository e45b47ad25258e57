"""PostgreSQL with two roles: the owner runs migrations, the application role owns nothing.

Before, the apps connected as the role that owned every table, so anybody with the apps'
credentials could disable the audit trail's triggers and rewrite it. Now ``init-db`` grants the
application role only what the apps need, checks the grants, and every attack below fails for
that role with a permission error from the server itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from pcenter_lib.config import Settings, load_settings
from pcenter_lib.db import make_engine
from pcenter_lib.db_roles import check_roles
from pcenter_lib.errors import ConfigurationError
from pcenter_lib.models import AuditEvent
from pcenter_lib.services.audit import CHANGED, event_mac, record_event, verify_chain
from pcenter_lib.workbench import initialise_database, open_workbench
from tests.intake.world import build_world

pytestmark = pytest.mark.postgres


@dataclass
class TwoRoles:
    settings: Settings  # the apps' settings (application role) with the owner URL
    owner_url: str
    app_url: str
    app_role: str
    admin_url: str  # a superuser, as a careless administrator might use


def _url(server: str, user: str, database: str) -> str:
    return make_url(server).set(username=user, database=database).render_as_string(False)


@pytest.fixture
def two_roles(postgres_url: str, tmp_path: Path) -> Iterator[TwoRoles]:
    tag = uuid.uuid4().hex[:8]
    owner, app, database = f"pc_owner_{tag}", f"pc_app_{tag}", f"t_roles_{tag}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE ROLE {owner} LOGIN"))
        connection.execute(text(f"CREATE ROLE {app} LOGIN"))
        connection.execute(text(f"CREATE DATABASE {database} OWNER {owner}"))
    owner_url, app_url = _url(postgres_url, owner, database), _url(postgres_url, app, database)
    as_owner = create_engine(owner_url)
    with as_owner.begin() as connection:  # as PostgreSQL 15+ does: no CREATE for PUBLIC
        connection.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    as_owner.dispose()
    settings = load_settings(
        {
            "PCENTER_DATABASE_URL": app_url,
            "PCENTER_OWNER_DATABASE_URL": owner_url,
            "PCENTER_SECRET_KEY_FILE": str(tmp_path / "secret.key"),
            "PCENTER_DATA_DIR": str(tmp_path),
            "PCENTER_LANG": "en",
        }
    )
    try:
        admin_url = make_url(postgres_url).set(database=database).render_as_string(False)
        yield TwoRoles(settings, owner_url, app_url, app, admin_url)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            connection.execute(text(f"DROP ROLE IF EXISTS {app}"))
            connection.execute(text(f"DROP ROLE IF EXISTS {owner}"))
        admin.dispose()


def _as_app(roles: TwoRoles, sql: str) -> None:
    engine = create_engine(roles.app_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


def test_init_db_grants_and_checks_the_two_roles(two_roles: TwoRoles) -> None:
    initialise_database(two_roles.settings).engine.dispose()
    owner = make_engine(two_roles.owner_url)
    try:
        assert check_roles(owner, two_roles.app_role) == []
        with owner.connect() as connection:
            owned = connection.execute(
                text("SELECT count(*) FROM pg_class WHERE pg_get_userbyid(relowner) = :r"),
                {"r": two_roles.app_role},
            ).scalar()
        assert owned == 0
    finally:
        owner.dispose()


@pytest.mark.parametrize(
    ("attack", "refusal"),
    [
        ("ALTER TABLE audit_events DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER audit_events_no_update ON audit_events", "must be owner"),
        ("UPDATE audit_events SET actor = 'nobody'", "permission denied"),
        ("DELETE FROM audit_events", "permission denied"),
        ("TRUNCATE audit_events", "permission denied"),
        ("UPDATE audit_chain_head SET last_event_id = 0", "permission denied"),
        ("UPDATE key_bindings SET demo = true", "permission denied"),
        ("CREATE TABLE shadow (id int)", "permission denied"),
    ],
    ids=[
        "disable-triggers", "drop-trigger", "update", "delete", "truncate", "move-head",
        "rebind-key", "create-table",
    ],
)
def test_application_role_cannot_touch_the_trail(
    two_roles: TwoRoles, attack: str, refusal: str
) -> None:
    bench = initialise_database(two_roles.settings)
    with bench.sessions.begin() as session:
        record_event(session, actor="specialist1", action="view_identity", entity="child")
    bench.engine.dispose()
    with pytest.raises(DBAPIError, match=refusal):
        _as_app(two_roles, attack)


def test_the_apps_work_as_the_application_role_and_a_forged_row_is_named(
    two_roles: TwoRoles,
) -> None:
    initialise_database(two_roles.settings).engine.dispose()
    app = open_workbench(two_roles.settings)  # the apps' own connection
    try:
        world = build_world(app)
        world.register()
        with app.sessions() as session:
            last = session.get_one(AuditEvent, int(session.scalar(text("SELECT max(id) FROM audit_events")) or 0))
            content = {
                "prev_hash": last.hash, "occurred_at": last.occurred_at, "actor": "ghost",
                "action": "create", "entity": "e", "entity_id": None, "details": {},
            }
            forged = event_mac(b"x" * 32, seq=last.id + 1, key_id=str(last.key_id), **content)
        with app.sessions.begin() as session:  # INSERT is allowed, and the trigger accepts it
            session.add(AuditEvent(id=last.id + 1, hash=forged, key_id=last.key_id, **content))
        with app.sessions() as session:
            report = verify_chain(session)
        assert (report.intact, report.broken_event_id, report.problem) == (
            False, last.id + 1, CHANGED,
        )
    finally:
        app.engine.dispose()


def test_init_db_names_an_application_role_that_may_rewrite_the_trail(
    two_roles: TwoRoles,
) -> None:
    initialise_database(two_roles.settings).engine.dispose()
    careless = create_engine(two_roles.admin_url)
    with careless.begin() as connection:
        connection.execute(text(f"GRANT UPDATE ON audit_events TO {two_roles.app_role}"))
        connection.execute(text("CREATE TABLE owned_by_app (id int)"))
        connection.execute(text(f"ALTER TABLE owned_by_app OWNER TO {two_roles.app_role}"))
    careless.dispose()
    from pcenter_lib.db_roles import require_safe_roles

    engine = make_engine(two_roles.owner_url)
    try:
        with pytest.raises(ConfigurationError) as caught:
            require_safe_roles(engine, two_roles.app_role, "en")
    finally:
        engine.dispose()
    message = str(caught.value)
    assert "owns owned_by_app" in message
    assert "may UPDATE audit_events" in message
