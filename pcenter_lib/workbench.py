"""Everything a use case needs, opened once per process: settings, engine, sessions, key.

Opening checks that the key file belongs to the database (``services.key_binding``): a missing
or different key is refused with a clear message before anything is read or written, and a new
key is made only for a database that holds no encrypted data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pcenter_lib.config import Settings, load_settings
from pcenter_lib.db import check_connection, make_engine, make_session_factory, upgrade_to_head
from pcenter_lib.db_roles import application_role, grant_application_role, require_safe_roles
from pcenter_lib.errors import DatabaseUnavailableError
from pcenter_lib.keyring import Keyring, new_keyring, read_keyring, write_key_file
from pcenter_lib.models import KeyBinding
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import SESSION_KEYRING
from pcenter_lib.services.child_records import backfill_name_index
from pcenter_lib.services.key_binding import (
    NOT_BOUND,
    bind_key,
    binding_is_sealed,
    check_binding,
    has_binding_table,
    holds_encrypted_data,
    missing_key_error,
    read_binding,
)


@dataclass
class Workbench:
    """The open workbench: pass it to services' callers and to app factories."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cipher: IdentityCipher = field(repr=False)
    keyring: Keyring = field(repr=False)
    demo: bool = False  # built by ``pcenter demo`` and not forbidden by the environment

    @cached_property
    def lang(self) -> str:
        return self.settings.lang


def _binding(engine: Engine) -> KeyBinding | None:
    if not has_binding_table(engine):
        return None
    with Session(engine) as session:
        return read_binding(session)


def _new_key_for_empty_database(settings: Settings, engine: Engine) -> Keyring:
    with Session(engine) as session:
        if holds_encrypted_data(session):
            raise missing_key_error(None, settings.secret_key_file)
    try:
        write_key_file(settings.secret_key_file, new_keyring())
    except Exception:
        if not settings.secret_key_file.exists():  # not a race with another first run
            raise
    return read_keyring(settings.secret_key_file)


def _assemble(settings: Settings, engine: Engine, keyring: Keyring, binding: KeyBinding | None) -> Workbench:
    sessions = make_session_factory(engine)
    sessions.configure(info={SESSION_KEYRING: keyring})
    demo = bool(
        settings.demo
        and binding is not None
        and binding.demo
        and binding_is_sealed(binding, keyring)
    )
    return Workbench(settings, engine, sessions, keyring.cipher, keyring, demo)


def open_workbench(settings: Settings | None = None, *, create_key: bool = False) -> Workbench:
    """Open the database and the key named by ``settings`` (default: the environment).

    ``create_key`` (``init-db``, ``demo``, test fixtures) makes a key file when none exists and
    the database holds no encrypted data, and binds a database with the current schema to the
    key; otherwise a missing key is an error, because data encrypted with a lost key cannot be
    read. A key that is not the database's own is always refused.
    """
    settings = settings or load_settings()
    # An existing key is read before the database is touched; a new key is made only once the
    # database answers, so a first run against an unreachable database leaves no orphan key.
    keyring = read_keyring(settings.secret_key_file) if settings.secret_key_file.exists() else None
    engine = make_engine(settings.database_url)
    try:
        return _open(settings, engine, keyring, create_key=create_key)
    except BaseException:
        engine.dispose()
        raise


def _open(
    settings: Settings, engine: Engine, keyring: Keyring | None, *, create_key: bool
) -> Workbench:
    check_connection(engine)
    binding = _binding(engine)
    if keyring is None:
        if binding is not None or not create_key:
            if binding is None:
                read_keyring(settings.secret_key_file)  # the plain "file does not exist" error
            raise missing_key_error(binding, settings.secret_key_file)
        keyring = _new_key_for_empty_database(settings, engine)
    elif binding is not None:
        check_binding(binding, keyring, settings.secret_key_file)
    bench = _assemble(settings, engine, keyring, binding)
    if binding is None and has_binding_table(engine):
        if not create_key:
            raise DatabaseUnavailableError(NOT_BOUND)
        with bench.sessions.begin() as session:
            bind_key(session, keyring, key_file=settings.secret_key_file)
    return bench


def initialise_database(settings: Settings | None = None) -> Workbench:
    """``pcenter init-db``: key (made only for a database without encrypted data), migrations,
    the key's fingerprint stored at the first initialisation and the name search index of
    children recorded before it — all as the owner role."""
    settings = settings or load_settings()
    owner = settings.as_owner()
    bench = open_workbench(owner, create_key=True)
    upgrade_to_head(bench.engine)
    with bench.sessions.begin() as session:
        bind_key(session, bench.keyring, key_file=owner.secret_key_file)
        # the name search index of children recorded before it existed: written only after the
        # key is known to be this database's own, so it is never derived from a foreign key
        backfill_name_index(session, bench.cipher)
    role = application_role(settings)
    try:
        if role is not None:
            grant_application_role(bench.engine, role)
            require_safe_roles(bench.engine, role, settings.lang)
    finally:
        bench.engine.dispose()
    return open_workbench(owner)
