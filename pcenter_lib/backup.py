"""Backups of the database, and restores that prove the result verifies and decrypts.

SQLite is copied with its online backup API (``sqlite3.Connection.backup``): a consistent copy
while the apps keep working. PostgreSQL is dumped with ``pg_dump --format=custom`` and restored
with ``pg_restore``. A backup never contains the secret key: the key file is kept apart (README,
"Where the key is kept"), and a restored database opens only with the key whose fingerprint it
holds. ``restore_database`` checks the restored copy before it counts as done: the key binding,
the whole audit trail, and the decryption of every encrypted value (``check_key``).

Taking a backup is audited (an export of everything); the event is in the backup itself.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Final

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from pcenter_lib.config import Settings
from pcenter_lib.db import make_engine
from pcenter_lib.db_roles import application_role, grant_application_role
from pcenter_lib.errors import ConfigurationError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.key_rotation import KeyCheck, check_key
from pcenter_lib.workbench import open_workbench

TARGET_NOT_EMPTY: Final = N_(
    "The database {url} already holds tables; a backup is restored only into an empty database "
    "(or give --replace to overwrite it)."
)
NO_TOOL: Final = N_("The PostgreSQL program {tool} was not found; install the PostgreSQL client.")
TOOL_FAILED: Final = N_("{tool} failed: {reason}")
NOT_A_BACKUP: Final = N_("The file {path} is not a pcenter backup: {reason}")
RESTORED_BROKEN: Final = N_("The restored database does not verify: {problem}")
BACKUP_EXISTS: Final = N_("The file {path} exists already; choose a new name for the backup.")


def _sqlite_path(settings: Settings) -> Path:
    return Path(str(make_url(settings.database_url).database)).expanduser()


def _libpq_url(settings: Settings) -> str:
    url = make_url(settings.database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    folder = os.environ.get("PCENTER_PG_BIN")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).is_file():
        raise ConfigurationError(NO_TOOL, tool=name)
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise ConfigurationError(
            TOOL_FAILED, tool=Path(command[0]).name, reason=reason[-1] if reason else "?"
        )


def backup_database(settings: Settings, target: Path, *, actor: str) -> Path:
    """Write a backup of the database to ``target`` (a new file); audited."""
    if target.exists():
        raise ConfigurationError(BACKUP_EXISTS, path=str(target))
    bench = open_workbench(settings)
    try:
        with bench.sessions.begin() as session:
            record_event(
                session, actor=actor, action="backup", entity="database",
                details={"file": target.name},
            )
    finally:
        bench.engine.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if settings.is_sqlite:
        source = sqlite3.connect(_sqlite_path(settings))
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={partial}", f"--dbname={_libpq_url(settings)}"])
    partial.chmod(0o600)
    partial.replace(target)
    return target


def _check(settings: Settings) -> KeyCheck:
    bench = open_workbench(settings)  # the key binding: refuses a key that is not this one's
    try:
        with bench.sessions() as session:
            report = check_key(session)
    finally:
        bench.engine.dispose()
    if not report.trail.intact:
        problem = (report.trail.problem or "").format(**report.trail.message_params())
        raise ValidationError(RESTORED_BROKEN, problem=problem)
    return report


def _restore_sqlite(settings: Settings, source: Path, *, replace_existing: bool) -> KeyCheck:
    target = _sqlite_path(settings)
    if target.exists() and target.stat().st_size and not replace_existing:
        engine = make_engine(settings.database_url)
        try:
            if inspect(engine).get_table_names():
                raise ConfigurationError(TARGET_NOT_EMPTY, url=settings.database_url)
        finally:
            engine.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, staged_name = tempfile.mkstemp(prefix=target.name + ".restore-", dir=target.parent)
    os.close(fd)
    staged = Path(staged_name)
    try:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        copy = sqlite3.connect(staged)
        try:
            with copy:
                backup.backup(copy)
        except sqlite3.DatabaseError as exc:
            raise ValidationError(NOT_A_BACKUP, path=str(source), reason=str(exc)) from exc
        finally:
            copy.close()
            backup.close()
        staged.chmod(0o600)
        report = _check(replace(settings, database_url=f"sqlite:///{staged}"))
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        staged.replace(target)
    finally:
        staged.unlink(missing_ok=True)
    return report


def _restore_postgres(settings: Settings, source: Path, *, replace_existing: bool) -> KeyCheck:
    engine = make_engine(settings.database_url)
    try:
        if inspect(engine).get_table_names() and not replace_existing:
            raise ConfigurationError(
                TARGET_NOT_EMPTY, url=engine.url.render_as_string(hide_password=True)
            )
    finally:
        engine.dispose()
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={_libpq_url(settings)}"]
    if replace_existing:
        command[1:1] = ["--clean", "--if-exists"]
    _run([*command, str(source)])
    return _check(settings)


def restore_database(
    settings: Settings, source: Path, *, replace_existing: bool = False
) -> KeyCheck:
    """Restore ``source`` into the configured database (as the owner) and prove it sound."""
    if not source.is_file():
        raise ConfigurationError(NOT_A_BACKUP, path=str(source), reason="no such file")
    owner = settings.as_owner()
    if owner.is_sqlite:
        return _restore_sqlite(owner, source, replace_existing=replace_existing)
    report = _restore_postgres(owner, source, replace_existing=replace_existing)
    role = application_role(settings)
    if role is not None:
        engine = make_engine(owner.database_url)
        try:
            grant_application_role(engine, role)
        finally:
            engine.dispose()
    return report
