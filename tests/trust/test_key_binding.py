"""The key belongs to its database: fingerprint at first init, refusal of a missing or other key.

The attack this reproduces: with the key file gone, ``pcenter init-db`` (run by every ``make
run``) silently made a new key although the database held data encrypted with the old one; after
that no name could be read and the next registration of a known child created a duplicate.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from pcenter_lib.config import Settings
from pcenter_lib.keyring import check_value_of, read_keyring
from pcenter_lib.models import Child, KeyBinding
from pcenter_lib.services.key_binding import KeyMismatchError
from pcenter_lib.workbench import Workbench, initialise_database, open_workbench
from tests.conftest import make_settings
from tests.intake.world import build_world


def _registered(bench: Workbench) -> None:
    build_world(bench).register()


def _children(bench: Workbench) -> int:
    with bench.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Child)) or 0)


def _moved_key(settings: Settings, tmp_path: Path) -> Settings:
    settings.secret_key_file.rename(tmp_path / "kept-elsewhere.key")
    return settings


def test_a_missing_key_is_never_replaced_for_a_database_with_data(
    any_workbench: Workbench, tmp_path: Path
) -> None:
    _registered(any_workbench)
    settings = _moved_key(any_workbench.settings, tmp_path)
    for create_key in (False, True):  # the apps, and init-db / demo
        with pytest.raises(KeyMismatchError) as caught:
            open_workbench(settings, create_key=create_key)
        assert "is missing" in str(caught.value)
        assert any_workbench.keyring.key_id in str(caught.value)
    with pytest.raises(KeyMismatchError):
        initialise_database(settings)
    assert not settings.secret_key_file.exists()


def test_the_known_child_is_found_again_once_the_key_is_back(
    any_workbench: Workbench, tmp_path: Path
) -> None:
    world = build_world(any_workbench)
    world.register()
    settings = _moved_key(any_workbench.settings, tmp_path)
    with pytest.raises(KeyMismatchError):
        initialise_database(settings)
    (tmp_path / "kept-elsewhere.key").rename(settings.secret_key_file)
    again = open_workbench(settings)
    try:
        world.bench = again
        world.register(replace(world.draft(), confirm_duplicate=True))
        assert _children(again) == 1  # found by its IIN's blind index: no duplicate child
    finally:
        again.engine.dispose()


def test_another_key_is_refused_in_the_users_language(
    any_workbench: Workbench, tmp_path: Path
) -> None:
    _registered(any_workbench)
    other_folder = tmp_path / "other"
    other = make_settings(other_folder)
    bench = initialise_database(other)  # makes another key in another folder
    bench.engine.dispose()
    wrong = replace(any_workbench.settings, secret_key_file=other.secret_key_file)
    with pytest.raises(KeyMismatchError) as caught:
        open_workbench(wrong, create_key=True)
    error = caught.value
    assert "does not belong to this database" in str(error)
    assert read_keyring(other.secret_key_file).key_id in str(error)
    assert error.localized("kk") != str(error) and error.localized("ru") != str(error)


def test_the_fingerprint_is_a_keyed_check_value_never_the_key(any_workbench: Workbench) -> None:
    secret = any_workbench.keyring.secret
    with any_workbench.sessions() as session:
        binding = session.get_one(KeyBinding, 1)
    assert binding.check_value == check_value_of(secret)
    assert binding.check_value not in (
        hashlib.sha256(secret).hexdigest(), secret.hex(), base64.urlsafe_b64encode(secret).decode()
    )
    assert binding.key_id == binding.check_value[:16]


def test_a_key_is_made_only_for_a_database_without_encrypted_data(
    any_workbench: Workbench, tmp_path: Path
) -> None:
    """A database from before fingerprints: no key made for its data, none but its own bound."""
    _registered(any_workbench)
    with any_workbench.sessions.begin() as session:
        session.execute(delete(KeyBinding))  # as a database made before this release
    settings = any_workbench.settings
    kept = tmp_path / "kept.key"
    settings.secret_key_file.rename(kept)
    with pytest.raises(KeyMismatchError, match="already holds encrypted data"):
        initialise_database(settings)
    assert not settings.secret_key_file.exists()
    other = make_settings(tmp_path / "other")
    initialise_database(other).engine.dispose()
    other.secret_key_file.rename(settings.secret_key_file)
    with pytest.raises(KeyMismatchError, match="does not decrypt the data"):
        initialise_database(settings)
    kept.replace(settings.secret_key_file)
    bench = initialise_database(settings)
    try:
        with bench.sessions() as session:
            assert session.get_one(KeyBinding, 1).check_value == bench.keyring.check_value
    finally:
        bench.engine.dispose()


def test_an_empty_database_gets_a_new_key_and_its_fingerprint(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    assert not settings.secret_key_file.exists()
    bench = initialise_database(settings)
    try:
        assert oct(settings.secret_key_file.stat().st_mode & 0o777) == "0o600"
        with bench.sessions() as session:
            assert session.get_one(KeyBinding, 1).key_id == bench.keyring.key_id
    finally:
        bench.engine.dispose()
