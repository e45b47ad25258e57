"""The ``pcenter`` command, called in-process (and once as a real program).

Each bad input must give exit status 2 and one clear line on stderr, never a traceback, and must
leave nothing half-written: no database file, no key file, no changed rows.
"""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pcenter_lib.workbench as workbench_module
from pcenter_lib.cli import main
from pcenter_lib.privacy import ensure_key_file
from pcenter_lib.workbench import Workbench

VENV_BIN = Path(sys.executable).parent
PCENTER = VENV_BIN / "pcenter"
ENV_VARS = (
    "PCENTER_DATABASE_URL", "PCENTER_LANG", "PCENTER_SECRET_KEY_FILE", "PCENTER_DEMO",
    "PCENTER_DATA_DIR",
)


_OPENED: list[Workbench] = []


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data folder that the command uses for its SQLite database and key (English UI).

    The command leaves closing its connections to the end of the process; in-process, each
    workbench it opens is closed after the call instead.
    """
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "data"
    monkeypatch.setenv("PCENTER_DATA_DIR", str(folder))
    monkeypatch.setenv("PCENTER_LANG", "en")
    real_open = workbench_module.open_workbench

    def open_and_remember(*args: Any, **kwargs: Any) -> Workbench:
        bench = real_open(*args, **kwargs)
        _OPENED.append(bench)
        return bench

    monkeypatch.setattr(workbench_module, "open_workbench", open_and_remember)
    yield folder
    _close_opened()


def _close_opened() -> None:
    while _OPENED:
        _OPENED.pop().engine.dispose()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    finally:
        _close_opened()
    out, err = capsys.readouterr()
    return code, out, err


def _one_clear_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("pcenter: ")
    return lines[0]


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; SQLite's shared-memory index and an empty write-ahead log (left by a
    reader that wrote nothing) are not content."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file()
        and not p.name.endswith("-shm")
        and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }


def _tamper_first_event(database: Path) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute("DROP TRIGGER audit_events_no_update")
        connection.execute("UPDATE audit_events SET actor = 'intruder' WHERE id = 1")


def test_init_db_then_users(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "init-db")
    assert (code, err) == (0, "")
    assert out == f"Database is ready: sqlite:///{home / 'pcenter.sqlite3'}\n"
    key = home / "secret.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    code, out, _ = _run(
        capsys, "users", "add", "aliya", "--name", "Әлия Серікқызы", "--role", "specialist",
        "--role", "intake_operator", "--lang", "ru",
    )
    assert (code, out) == (0, "User aliya: roles specialist, intake_operator\n")
    assert _run(capsys, "users", "add", "boris", "--role", "analyst")[0] == 0
    assert _run(capsys, "users", "add", "boris", "--role", "manager")[0] == 0

    code, out, _ = _run(capsys, "users", "list")
    assert code == 0
    assert out.splitlines() == [
        "aliya\tӘлия Серікқызы\tintake_operator,specialist\tru",
        "boris\tboris\tanalyst,manager\tkk",
    ]
    code, out, _ = _run(capsys, "audit", "verify")
    assert (code, out) == (0, "Audit trail intact: 3 events checked.\n")


def test_init_db_twice_changes_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "init-db")[0] == 0
    key = (home / "secret.key").read_bytes()
    assert _run(capsys, "users", "add", "a", "--role", "analyst")[0] == 0
    assert _run(capsys, "init-db")[0] == 0
    assert (home / "secret.key").read_bytes() == key
    assert _run(capsys, "users", "list")[1].startswith("a\t")


def test_audit_verify_names_the_changed_row(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "init-db")
    _run(capsys, "users", "add", "a", "--role", "analyst")
    _run(capsys, "users", "add", "b", "--role", "analyst")
    _tamper_first_event(home / "pcenter.sqlite3")
    code, out, err = _run(capsys, "audit", "verify")
    assert (code, out) == (1, "")
    assert err == "Audit event 1 was changed after it was written.\n"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_audit_verify_speaks_the_configured_language(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    _run(capsys, "init-db")
    _run(capsys, "users", "add", "a", "--role", "analyst")
    _tamper_first_event(home / "pcenter.sqlite3")
    monkeypatch.setenv("PCENTER_LANG", lang)
    code, _, err = _run(capsys, "audit", "verify")
    assert code == 1
    assert "1" in err
    assert "Audit event" not in err


def test_unreachable_database_is_one_clear_line(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCENTER_DATABASE_URL", "postgresql://nobody:s3cret@127.0.0.1:1/x")
    code, out, err = _run(capsys, "init-db")
    assert (code, out) == (2, "")
    line = _one_clear_line(err)
    assert "Cannot reach the database postgresql+psycopg://nobody:***@127.0.0.1:1/x" in line
    assert "s3cret" not in err
    assert _files(home) == []  # no key was made for a database that never answered


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://u@h/db", "is not supported; use SQLite or PostgreSQL"),
        ("not a url", "is not a valid URL"),
    ],
)
def test_unusable_database_url(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    url: str, expected: str,
) -> None:
    monkeypatch.setenv("PCENTER_DATABASE_URL", url)
    code, _, err = _run(capsys, "init-db")
    assert code == 2
    assert expected in _one_clear_line(err)
    assert _files(home) == []


def test_unreachable_database_as_a_real_program(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin", "PCENTER_DATA_DIR": str(tmp_path), "PCENTER_LANG": "ru",
        "PCENTER_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x",
    }
    done = subprocess.run(
        [str(PCENTER), "init-db"], capture_output=True, text=True, env=env, timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    line = _one_clear_line(done.stderr)
    assert "127.0.0.1:1" in line
    assert "Cannot reach" not in line  # said in Russian
    assert _files(tmp_path) == []


@pytest.mark.parametrize("command", [["users", "list"], ["audit", "verify"], ["users", "add", "a", "--role", "analyst"]])
def test_commands_before_init_db_say_so(
    home: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, _, err = _run(capsys, *command)
    assert code == 2
    assert "run: pcenter init-db" in _one_clear_line(err)
    assert _files(home) == []


def test_database_without_schema_is_named(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir()
    sqlite3.connect(home / "pcenter.sqlite3").close()
    ensure_key_file(home / "secret.key")
    code, _, err = _run(capsys, "users", "list")
    assert code == 2
    assert "is not initialised or is out of date; run: pcenter init-db" in _one_clear_line(err)
    with sqlite3.connect(home / "pcenter.sqlite3") as connection:
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == []


def test_missing_key_file_is_named(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(capsys, "init-db")
    before = _snapshot(home)
    elsewhere = home.parent / "lost.key"
    monkeypatch.setenv("PCENTER_SECRET_KEY_FILE", str(elsewhere))
    commands = (
        ["users", "list"], ["audit", "verify"], ["users", "add", "a", "--role", "analyst"],
        ["init-db"], ["demo", "--if-empty", "--quiet"],  # `make run`: never a silent new key
    )
    for command in commands:
        code, _, err = _run(capsys, *command)
        assert code == 2, command
        line = _one_clear_line(err)
        assert f"The secret key file {elsewhere} is missing" in line
        assert "this database was made with a key" in line
        assert "PCENTER_SECRET_KEY_FILE" in line
    assert not elsewhere.exists()
    assert _snapshot(home) == before


def test_unreadable_key_file_is_named(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(capsys, "init-db")
    folder_key = home / "key-folder"
    folder_key.mkdir()
    monkeypatch.setenv("PCENTER_SECRET_KEY_FILE", str(folder_key))
    code, _, err = _run(capsys, "users", "list")
    assert code == 2
    assert f"The secret key file {folder_key} cannot be read" in _one_clear_line(err)


def test_key_readable_by_others_is_refused(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init-db")
    (home / "secret.key").chmod(0o644)
    code, _, err = _run(capsys, "audit", "verify")
    assert code == 2
    assert "chmod 600" in _one_clear_line(err)


def test_unknown_language_is_named(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCENTER_LANG", "xx")
    code, out, err = _run(capsys, "init-db")
    assert (code, out) == (2, "")
    assert _one_clear_line(err) == "pcenter: Unknown language code 'xx'; use one of: kk, ru, en."
    assert _files(home) == []


def test_invalid_demo_switch_is_named(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCENTER_DEMO", "maybe")
    code, _, err = _run(capsys, "init-db")
    assert code == 2
    assert "PCENTER_DEMO" in _one_clear_line(err)
    assert _files(home) == []


@pytest.mark.parametrize("seed", ["abc", "-1", "4294967296", "1.5", ""])
def test_corrupt_demo_seed_writes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], seed: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["demo", "--seed", seed])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "pcenter: argument --seed: the seed must be" in err
    assert _files(home) == []


def test_corrupt_demo_seed_leaves_an_existing_database_unchanged(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init-db")
    _run(capsys, "users", "add", "a", "--role", "analyst")
    before = _snapshot(home)
    with pytest.raises(SystemExit):
        main(["demo", "--seed", "-1"])
    assert _snapshot(home) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["users", "add", "x", "--role", "wizard"], "Unknown role 'wizard'; valid roles:"),
        (["users", "add", "a b", "--role", "analyst"], "A user name must be 1 to 80 characters"),
        (["users", "add", "x" * 81, "--role", "analyst"], "A user name must be 1 to 80 characters"),
    ],
)
def test_invalid_user_writes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    _run(capsys, "init-db")
    code, _, err = _run(capsys, *args)
    assert code == 2
    assert expected in _one_clear_line(err)
    assert _run(capsys, "users", "list")[1] == ""
    assert _run(capsys, "audit", "verify")[1] == "Audit trail intact: 0 events checked.\n"


@pytest.mark.parametrize("argv", [[], ["users"], ["audit"], ["frobnicate"], ["users", "add", "x"]])
def test_incomplete_command_is_a_usage_error(
    home: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage: pcenter" in capsys.readouterr().err
    assert _files(home) == []


@pytest.mark.postgres
def test_init_db_and_users_on_postgresql(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    pg_database_url: str,
) -> None:
    monkeypatch.setenv("PCENTER_DATABASE_URL", pg_database_url)
    assert _run(capsys, "init-db")[0] == 0
    assert _run(capsys, "users", "add", "a", "--role", "supervisor")[0] == 0
    assert _run(capsys, "users", "list")[1] == "a\ta\tsupervisor\tkk\n"
    assert _run(capsys, "audit", "verify")[:2] == (0, "Audit trail intact: 1 events checked.\n")


def test_help_as_a_real_program() -> None:
    done = subprocess.run(
        [str(PCENTER), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    for command in ("init-db", "demo", "serve", "audit", "users"):
        assert command in done.stdout
    assert done.stderr == ""


def test_corrupt_demo_seed_is_reported_in_the_users_language(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCENTER_LANG", "ru")
    with pytest.raises(SystemExit) as caught:
        main(["demo", "--seed", "abc"])
    assert caught.value.code == 2
    assert "seed должен быть целым числом от 0 до 4294967295, а не 'abc'" in capsys.readouterr().err
    assert _files(home) == []
