"""Settings from the environment: defaults, every variable, and each invalid value."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcenter_lib.config import Settings, load_settings
from pcenter_lib.errors import ConfigurationError


def test_defaults_use_the_platform_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    settings = load_settings({})
    assert settings.data_dir == tmp_path / "pcenter"
    assert settings.database_url == f"sqlite:///{tmp_path / 'pcenter' / 'pcenter.sqlite3'}"
    assert settings.secret_key_file == tmp_path / "pcenter" / "secret.key"
    assert settings.lang == "kk"
    assert settings.demo is True
    assert settings.is_sqlite


def test_data_dir_moves_database_and_key(tmp_path: Path) -> None:
    settings = load_settings({"PCENTER_DATA_DIR": str(tmp_path)})
    assert settings.data_dir == tmp_path
    assert settings.database_url == f"sqlite:///{tmp_path}/pcenter.sqlite3"
    assert settings.secret_key_file == tmp_path / "secret.key"


def test_without_argument_reads_the_process_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PCENTER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PCENTER_LANG", "ru")
    monkeypatch.delenv("PCENTER_DATABASE_URL", raising=False)
    monkeypatch.delenv("PCENTER_DEMO", raising=False)
    settings = load_settings()
    assert settings.lang == "ru"
    assert settings.data_dir == tmp_path


def test_every_variable_is_honoured(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "PCENTER_DATABASE_URL": " postgresql://pc@db.local/pcenter ",
            "PCENTER_LANG": "en",
            "PCENTER_SECRET_KEY_FILE": str(tmp_path / "keys" / "pc.key"),
            "PCENTER_DEMO": "yes",
            "PCENTER_DATA_DIR": str(tmp_path / "data"),
        }
    )
    assert settings == Settings(
        database_url="postgresql://pc@db.local/pcenter",
        lang="en",
        secret_key_file=tmp_path / "keys" / "pc.key",
        demo=True,
        data_dir=tmp_path / "data",
    )
    assert not settings.is_sqlite


def test_demo_follows_the_database_unless_the_environment_forbids_it(tmp_path: Path) -> None:
    """The environment can only forbid demo sign-in; the database decides (Workbench.demo)."""
    settings = load_settings(
        {"PCENTER_DATABASE_URL": "postgresql://pc@db/pcenter", "PCENTER_DATA_DIR": str(tmp_path)}
    )
    assert settings.demo is True
    forbidden = load_settings({"PCENTER_DEMO": "off", "PCENTER_DATA_DIR": str(tmp_path)})
    assert forbidden.demo is False


def test_owner_url_anchor_file_and_proxy_secret(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "PCENTER_DATABASE_URL": "postgresql://app@db/pcenter",
            "PCENTER_OWNER_DATABASE_URL": "postgresql://owner@db/pcenter",
            "PCENTER_AUDIT_ANCHOR_FILE": str(tmp_path / "anchors.jsonl"),
            "PCENTER_PROXY_SECRET_FILE": str(tmp_path / "proxy.secret"),
            "PCENTER_DATA_DIR": str(tmp_path),
        }
    )
    assert settings.as_owner().database_url == "postgresql://owner@db/pcenter"
    assert settings.database_url == "postgresql://app@db/pcenter"
    assert settings.audit_anchor_file == tmp_path / "anchors.jsonl"
    assert settings.proxy_secret_file == tmp_path / "proxy.secret"
    plain = load_settings({"PCENTER_DATA_DIR": str(tmp_path)})
    assert plain.as_owner() == plain
    assert plain.audit_anchor_file == tmp_path / "audit-anchors.jsonl"


def test_key_file_expands_the_home_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = load_settings({"PCENTER_SECRET_KEY_FILE": "~/pc.key", "PCENTER_DATA_DIR": "/x"})
    assert settings.secret_key_file == tmp_path / "pc.key"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_each_supported_language(lang: str) -> None:
    assert load_settings({"PCENTER_LANG": f" {lang} ", "PCENTER_DATA_DIR": "/x"}).lang == lang


def test_empty_language_falls_back_to_kazakh() -> None:
    assert load_settings({"PCENTER_LANG": "  ", "PCENTER_DATA_DIR": "/x"}).lang == "kk"


@pytest.mark.parametrize("lang", ["xx", "KK", "kz", "ru_RU", "english"])
def test_invalid_language_lists_the_valid_codes(lang: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"PCENTER_LANG": lang, "PCENTER_DATA_DIR": "/x"})
    message = str(caught.value)
    assert repr(lang) in message
    assert "kk, ru, en" in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True), ("true", True), ("YES", True), (" On ", True),
        ("0", False), ("false", False), ("No", False), ("off", False), ("", False),
    ],
)
def test_demo_switch_values(raw: str, expected: bool) -> None:
    assert load_settings({"PCENTER_DEMO": raw, "PCENTER_DATA_DIR": "/x"}).demo is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "y"])
def test_invalid_demo_switch_is_a_clear_error(raw: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"PCENTER_DEMO": raw, "PCENTER_DATA_DIR": "/x"})
    message = str(caught.value)
    assert "PCENTER_DEMO" in message
    assert repr(raw) in message
    assert "on or off" in message


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_configuration_errors_read_in_kazakh_and_russian(lang: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"PCENTER_LANG": "xx", "PCENTER_DATA_DIR": "/x"})
    localized = caught.value.localized(lang)
    assert localized != str(caught.value)
    assert "'xx'" in localized
    assert "kk, ru, en" in localized


def test_message_id_parameters_are_translated_with_the_message() -> None:
    from pcenter_lib.errors import Msgid, ValidationError

    template = "Unknown language code {lang!r}; use one of: kk, ru, en."
    marked = ValidationError(template, lang=Msgid("Requests and deadlines"))
    assert str(marked) == "Unknown language code 'Requests and deadlines'; use one of: kk, ru, en."
    assert "Обращения и сроки" in marked.localized("ru")
    plain = ValidationError(template, lang="Requests and deadlines")
    assert "'Requests and deadlines'" in plain.localized("ru")


@pytest.mark.parametrize(("raw", "minutes"), [(None, 60), ("", 60), ("15", 15), (" 90 ", 90)])
def test_notify_minutes_measure_immediately(raw: str | None, minutes: int) -> None:
    """Rules 18, 22: "immediately" is a number of minutes the Center sets (default 60)."""
    env = {} if raw is None else {"PCENTER_NOTIFY_MINUTES": raw}
    assert load_settings(env).notify_minutes == minutes


@pytest.mark.parametrize("raw", ["0", "-5", "1441", "an hour", "1.5"])
def test_invalid_notify_minutes_are_a_clear_error(raw: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"PCENTER_NOTIFY_MINUTES": raw})
    assert "1440" in caught.value.localized("ru") and raw in str(caught.value)
