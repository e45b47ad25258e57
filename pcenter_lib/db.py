"""Engine, sessions and schema migrations.

SQLite is the embedded default (WAL journal, foreign keys enforced, a busy timeout so that two
people saving at once wait instead of failing); PostgreSQL is reached through psycopg 3 with the
same models. The schema is created and upgraded only by Alembic migrations
(``pcenter init-db``), never by ``create_all``, so SQLite and PostgreSQL databases stay alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pcenter_lib.errors import DatabaseUnavailableError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _describe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; PostgreSQL URLs without a driver use psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailableError(
            "The database URL {url!r} is not a valid URL (expected e.g. "
            "sqlite:///path/to/file.sqlite3 or postgresql://user@host/dbname).",
            url=url,
        ) from exc
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise DatabaseUnavailableError(
            "The database {url} is not supported; use SQLite or PostgreSQL.", url=_describe(url)
        )
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).expanduser().resolve().parent
        if not folder.is_dir():
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailableError(
                    "Cannot create the folder {folder} for the database: {reason}.",
                    folder=str(folder),
                    reason=exc.strerror,
                ) from exc
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseUnavailableError(
            "No driver for {url}; install the PostgreSQL extra: pip install 'pcenter[postgres]'.",
            url=_describe(url),
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_connection(engine: Engine) -> None:
    """Connect once; a clear error naming the (password-free) URL when the server is out of reach."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailableError(
            "Cannot reach the database {url}: {reason}",
            url=engine.url.render_as_string(hide_password=True),
            reason=reason,
        ) from exc


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for use cases; callers own the transaction: ``with factory.begin() as s: ...``.

    They raise the project's conflict and busy errors instead of driver errors
    (``pcenter_lib.transactions``).
    """
    from pcenter_lib.transactions import make_sessions

    return make_sessions(engine)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Create or upgrade the schema by running every migration not yet applied."""
    check_connection(engine)
    command.upgrade(alembic_config(engine), "head")


def schema_is_current(engine: Engine) -> bool:
    """True when the database carries the newest migration."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == set(script.get_heads())
