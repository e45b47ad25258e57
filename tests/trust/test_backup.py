"""``pcenter backup`` / ``pcenter restore``: the restored database verifies and decrypts.

SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore. A backup holds no
key; a restore succeeds only with the key whose fingerprint the backup carries.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pcenter_lib.backup import backup_database, restore_database
from pcenter_lib.config import Settings
from pcenter_lib.errors import ConfigurationError
from pcenter_lib.services.children import show_child_identity
from pcenter_lib.services.key_binding import KeyMismatchError
from pcenter_lib.workbench import Workbench, initialise_database, open_workbench
from tests.conftest import make_settings
from tests.intake.world import build_world


@pytest.fixture
def target(any_workbench: Workbench, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings of an empty database on the same engine, with the same key file."""
    if any_workbench.engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'restored' / 'pcenter.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_database_url")
    return replace(any_workbench.settings, database_url=url)


def test_backup_restores_into_a_database_that_verifies_and_decrypts(
    any_workbench: Workbench, target: Settings, tmp_path: Path
) -> None:
    world = build_world(any_workbench)
    done = world.register()
    file = backup_database(any_workbench.settings, tmp_path / "backup.pcenter", actor="admin1")
    content = file.read_bytes()
    assert any_workbench.keyring.secret not in content
    assert b"Nurlan Serikov" not in content and b"Aliya" not in content  # names stay encrypted
    report = restore_database(target, file)
    assert report.trail.intact and report.key_id == any_workbench.keyring.key_id
    assert report.values["child_identities.full_name_enc"] == 1
    restored = open_workbench(target)
    try:
        with restored.sessions.begin() as session:
            shown = show_child_identity(
                session, actor="supervisor1", cipher=restored.cipher, child_id=done.child_id or 0
            )
        assert shown.full_name == "Nurlan Serikov"
    finally:
        restored.engine.dispose()


def test_restore_refuses_a_database_that_holds_data(
    any_workbench: Workbench, tmp_path: Path
) -> None:
    build_world(any_workbench).register()
    file = backup_database(any_workbench.settings, tmp_path / "backup.pcenter", actor="admin1")
    with pytest.raises(ConfigurationError, match="only into an empty database"):
        restore_database(any_workbench.settings, file)


def test_restore_with_another_key_is_refused(
    any_workbench: Workbench, target: Settings, tmp_path: Path
) -> None:
    build_world(any_workbench).register()
    file = backup_database(any_workbench.settings, tmp_path / "backup.pcenter", actor="admin1")
    other = make_settings(tmp_path / "other")
    initialise_database(other).engine.dispose()
    with pytest.raises(KeyMismatchError, match="does not belong to this database"):
        restore_database(replace(target, secret_key_file=other.secret_key_file), file)


def test_backup_never_overwrites_a_file(any_workbench: Workbench, tmp_path: Path) -> None:
    existing = tmp_path / "backup.pcenter"
    existing.write_text("keep me")
    with pytest.raises(ConfigurationError, match="exists already"):
        backup_database(any_workbench.settings, existing, actor="admin1")
    assert existing.read_text() == "keep me"
