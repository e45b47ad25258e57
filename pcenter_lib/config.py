"""Settings read from the environment on demand (never at import time).

| variable | meaning | default |
|---|---|---|
| ``PCENTER_DATABASE_URL`` | SQLAlchemy URL of the database (on PostgreSQL: the application role) | SQLite file ``pcenter.sqlite3`` in the user's data folder |
| ``PCENTER_OWNER_DATABASE_URL`` | PostgreSQL: the owner role that runs migrations and the ``pcenter`` commands | the same as ``PCENTER_DATABASE_URL`` |
| ``PCENTER_LANG`` | interface language: kk, ru or en | kk |
| ``PCENTER_SECRET_KEY_FILE`` | key that encrypts child identity fields and keys the audit trail | ``secret.key`` in the user's data folder, made with 0600 permissions by the first ``init-db`` of an empty database |
| ``PCENTER_AUDIT_ANCHOR_FILE`` | append-only file that ``pcenter audit anchor`` writes the audit head to | ``audit-anchors.jsonl`` in the user's data folder |
| ``PCENTER_PROXY_SECRET_FILE`` | shared secret the authenticating proxy sends in ``X-Pcenter-Proxy-Secret``; without it the ``X-Forwarded-User`` header is never believed | none |
| ``PCENTER_DEMO`` | ``off`` forbids demo sign-in; demo mode is on only for a database built by ``pcenter demo`` | on (follow the database) |
| ``PCENTER_NOTIFY_MINUTES`` | minutes after a direct threat is registered or assessed by which each notification of Rules 18 and 22 ("immediately") is due | 60 |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from platformdirs import user_data_path

from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES, MAX_NOTIFY_MINUTES
from pcenter_lib.errors import ConfigurationError
from pcenter_lib.i18n import DEFAULT_LANGUAGE, check_language
from pcenter_lib.paths import DATA_DIR

APP_NAME = "pcenter"
# The product's data files, as ``pcenter_lib.paths`` finds them (a checkout's ``data/`` or a
# wheel's ``_data``): the one place.
PRODUCT_DATA_DIR = DATA_DIR
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Settings:
    """The workbench's settings, already validated."""

    database_url: str
    lang: str
    secret_key_file: Path
    demo: bool  # demo sign-in allowed by the environment; the database decides (Workbench.demo)
    data_dir: Path
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES  # Rules 18, 22: "immediately", in minutes
    owner_database_url: str | None = None
    anchor_file: Path | None = None
    proxy_secret_file: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def audit_anchor_file(self) -> Path:
        return self.anchor_file or self.data_dir / "audit-anchors.jsonl"

    def as_owner(self) -> Settings:
        """The same settings connecting as the owner role (migrations, key and admin commands)."""
        return replace(self, database_url=self.owner_database_url or self.database_url)


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Folder for the embedded database and key: ``PCENTER_DATA_DIR`` or the platform's data dir."""
    env = os.environ if environ is None else environ
    explicit = env.get("PCENTER_DATA_DIR")
    return Path(explicit) if explicit else user_data_path(APP_NAME, appauthor=False)


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(
        "{name} must be on or off (1/0, true/false, yes/no), not {value!r}.", name=name, value=raw
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    data_dir = default_data_dir(env)
    url = env.get("PCENTER_DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{data_dir / 'pcenter.sqlite3'}"
    lang = check_language(env.get("PCENTER_LANG", DEFAULT_LANGUAGE).strip() or DEFAULT_LANGUAGE)
    key_raw = env.get("PCENTER_SECRET_KEY_FILE", "").strip()
    key_file = Path(key_raw).expanduser() if key_raw else data_dir / "secret.key"
    demo_raw = env.get("PCENTER_DEMO")
    demo = True if demo_raw is None else _parse_bool("PCENTER_DEMO", demo_raw)
    return Settings(
        database_url=url,
        lang=lang,
        secret_key_file=key_file,
        demo=demo,
        data_dir=data_dir,
        notify_minutes=_parse_minutes(env.get("PCENTER_NOTIFY_MINUTES")),
        owner_database_url=env.get("PCENTER_OWNER_DATABASE_URL", "").strip() or None,
        anchor_file=_path(env, "PCENTER_AUDIT_ANCHOR_FILE"),
        proxy_secret_file=_path(env, "PCENTER_PROXY_SECRET_FILE"),
    )


def _path(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, "").strip()
    return Path(raw).expanduser() if raw else None


def _parse_minutes(raw: str | None) -> int:
    """``PCENTER_NOTIFY_MINUTES``: whole minutes from 1 to a day; the default when unset."""
    if raw is None or not raw.strip():
        return DEFAULT_NOTIFY_MINUTES
    text = raw.strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_NOTIFY_MINUTES:
        raise ConfigurationError(
            "PCENTER_NOTIFY_MINUTES must be a whole number of minutes from 1 to {most}, not {value!r}.",
            most=MAX_NOTIFY_MINUTES,
            value=raw,
        )
    return int(text)
