"""Fixtures shared by the whole suite: settings, migrated workbenches on SQLite and PostgreSQL.

* ``settings`` — Settings for a fresh SQLite file and key file in the test's tmp_path.
* ``workbench`` — a migrated Workbench on that SQLite file (``sqlite_workbench_from_empty``:
  the same, built by running the migrations rather than copying a migrated template).
* ``postgres_url`` — URL of a throwaway PostgreSQL server started once per session.
* ``pg_database_url`` — URL of a new, empty PostgreSQL database (one per test).
* ``pg_workbench`` — a migrated Workbench on a fresh PostgreSQL database (one per test).
* ``any_workbench`` — parametrized over sqlite and postgresql, so one test covers both engines.

PostgreSQL tests carry ``pytest.mark.postgres``. Without server binaries they FAIL with the reason
(a database suite that silently skips is no suite), unless ``PCENTER_SKIP_POSTGRES=1`` is set.
``PCENTER_PG_BIN`` names the folder of ``initdb``/``pg_ctl``; ``PCENTER_TEST_POSTGRES_URL`` uses a
running server instead of starting one (see ``tests/pg_server.py``).
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pcenter_lib.config import Settings, load_settings
from pcenter_lib.db import make_engine, upgrade_to_head
from pcenter_lib.workbench import Workbench, initialise_database, open_workbench
from tests.pg_server import PostgresServer, PostgresUnavailable, start_server

ENGINES = ("sqlite", "postgresql")


# the shared secret the sign-in proxy adds to every request (X-Pcenter-Proxy-Secret)
TEST_PROXY_SECRET = "test-proxy-secret-" + "7" * 32


def write_proxy_secret(folder: Path) -> Path:
    """A proxy secret file (0600) in ``folder`` holding ``TEST_PROXY_SECRET``."""
    path = folder / "proxy.secret"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(TEST_PROXY_SECRET + "\n")
    path.chmod(0o600)
    return path


def signed_in(username: str) -> dict[str, str]:
    """The headers Voilà passes on from the sign-in proxy: the user and the proxy's proof."""
    return {"HTTP_X_FORWARDED_USER": username, "HTTP_X_PCENTER_PROXY_SECRET": TEST_PROXY_SECRET}


def make_settings(tmp_path: Path, database_url: str | None = None) -> Settings:
    """Settings for ``database_url`` (default: a new SQLite file) with a key file in ``tmp_path``
    and a proxy secret file (see ``signed_in``)."""
    url = database_url or f"sqlite:///{tmp_path / 'pcenter.sqlite3'}"
    return load_settings(
        {
            "PCENTER_DATABASE_URL": url,
            "PCENTER_SECRET_KEY_FILE": str(tmp_path / "secret.key"),
            "PCENTER_DATA_DIR": str(tmp_path),
            "PCENTER_DEMO": "1",
            "PCENTER_PROXY_SECRET_FILE": str(write_proxy_secret(tmp_path)),
        }
    )


def migrated_workbench(settings: Settings) -> Workbench:
    """What ``pcenter init-db`` does: make the key, migrate to head, bind the key's fingerprint."""
    return initialise_database(settings)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh SQLite database ``tmp_path/pcenter.sqlite3``, key ``tmp_path/secret.key``.

    Neither file exists yet; demo mode is on and the data folder is ``tmp_path``.
    """
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def sqlite_migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session; ``workbench`` starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    leftovers = sorted(p.name for p in path.parent.iterdir() if p != path)
    assert leftovers == [], f"the SQLite template was not checkpointed: {leftovers}"
    return path


@pytest.fixture
def workbench(settings: Settings, sqlite_migrated_template: Path) -> Iterator[Workbench]:
    """A Workbench on the ``settings`` SQLite database, migrated to the newest schema.

    The file starts as a copy of ``sqlite_migrated_template`` (exactly what the migrations
    build, without running them for every test); ``upgrade_to_head`` then confirms it is current.
    The migration tests build from an empty file instead (``sqlite_workbench_from_empty``).
    """
    database = Path(str(make_url(settings.database_url).database))
    shutil.copyfile(sqlite_migrated_template, database)
    bench = migrated_workbench(settings)
    yield bench
    bench.engine.dispose()


@pytest.fixture
def sqlite_workbench_from_empty(settings: Settings) -> Iterator[Workbench]:
    """A Workbench on a new SQLite file that every migration has just run on."""
    bench = migrated_workbench(settings)
    yield bench
    bench.engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Superuser URL of a PostgreSQL server started for this test session and stopped after it.

    ``PCENTER_TEST_POSTGRES_URL`` points at an existing server instead. Without server binaries
    the test fails with the reason, or is skipped when ``PCENTER_SKIP_POSTGRES=1``.
    """
    external = os.environ.get("PCENTER_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    if os.environ.get("PCENTER_SKIP_POSTGRES") == "1":
        pytest.skip("PCENTER_SKIP_POSTGRES=1: PostgreSQL tests skipped on request")
    server: PostgresServer | None = None
    try:
        server = start_server()
    except PostgresUnavailable as exc:
        reason = str(exc)
    if server is None:
        pytest.fail(reason, pytrace=False)
    with _stop_on_sigterm():
        try:
            yield server.url
        finally:
            server.stop()


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM (``timeout``, CI cancel) into an interrupt so the server is stopped, not orphaned."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@contextmanager
def _database(server_url: str, template: str | None = None) -> Iterator[str]:
    """A new database ``t_<uuid>`` (a copy of ``template`` if given), dropped afterwards."""
    name = f"t_{uuid.uuid4().hex}"
    clause = f' TEMPLATE "{template}"' if template else ""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        yield _database_url(server_url, name)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def pg_database_url(postgres_url: str) -> Iterator[str]:
    """URL of a new, EMPTY PostgreSQL database ``t_<uuid>``, dropped after the test."""
    with _database(postgres_url) as url:
        yield url


@pytest.fixture(scope="session")
def pg_migrated_template(postgres_url: str) -> Iterator[str]:
    """Name of a database migrated to head once per session, the template of ``pg_workbench``."""
    with _database(postgres_url) as url:
        engine = make_engine(url)
        try:
            upgrade_to_head(engine)
        finally:
            engine.dispose()
        yield str(make_url(url).database)


@pytest.fixture
def pg_workbench(
    postgres_url: str, pg_migrated_template: str, tmp_path: Path
) -> Iterator[Workbench]:
    """A Workbench on a fresh PostgreSQL database (one per test) holding the newest schema.

    The database is a copy of ``pg_migrated_template`` (CREATE DATABASE ... TEMPLATE), which is
    exactly what the migrations build and ten times faster than migrating for every test; the
    migration tests themselves migrate empty databases (``pg_database_url``).
    """
    with _database(postgres_url, pg_migrated_template) as url:
        bench = open_workbench(make_settings(tmp_path, url), create_key=True)
        yield bench
        bench.engine.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def any_workbench(request: pytest.FixtureRequest) -> Workbench:
    """A migrated Workbench on each engine in turn: the test runs once on SQLite, once on PostgreSQL."""
    name = "workbench" if request.param == "sqlite" else "pg_workbench"
    bench: Workbench = request.getfixturevalue(name)
    return bench
