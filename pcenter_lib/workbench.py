"""Everything a use case needs, opened once per process: settings, engine, sessions, key."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pcenter_lib.config import Settings, load_settings
from pcenter_lib.db import check_connection, make_engine, make_session_factory
from pcenter_lib.privacy import IdentityCipher


@dataclass
class Workbench:
    """The open workbench: pass it to services' callers and to app factories."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cipher: IdentityCipher = field(repr=False)

    @cached_property
    def lang(self) -> str:
        return self.settings.lang


def open_workbench(settings: Settings | None = None, *, create_key: bool = False) -> Workbench:
    """Open the database and the identity key named by ``settings`` (default: the environment).

    ``create_key`` makes a new key file when none exists (first run of ``init-db`` or ``demo``);
    otherwise a missing key is an error, because data encrypted with a lost key cannot be read.
    """
    settings = settings or load_settings()
    # An existing key is checked before the database is touched; a new key is made only once the
    # database answers, so a first run against an unreachable database leaves no orphan key.
    cipher = None if create_key else IdentityCipher.from_key_file(settings.secret_key_file)
    engine = make_engine(settings.database_url)
    check_connection(engine)
    if cipher is None:
        cipher = IdentityCipher.from_key_file(settings.secret_key_file, create=True)
    return Workbench(settings, engine, make_session_factory(engine), cipher)
