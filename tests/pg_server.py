"""A throwaway PostgreSQL server for the test session.

The database suite runs against a real PostgreSQL, started by the tests themselves in a
temporary folder (in memory under ``/dev/shm`` when available) on a free port of 127.0.0.1 with trust authentication, and stopped at the end
of the session. PostgreSQL refuses to run as root, so when the tests run as root the server is
initialised and started as an unprivileged user (``postgres`` if it exists, else a system user
``pcenter-test`` created on the spot) through ``runuser``.

Binaries are looked up in this order: the folder in ``PCENTER_PG_BIN``, ``initdb``/``pg_ctl`` on
``PATH``, then the newest ``/usr/lib/postgresql/<version>/bin``. Set
``PCENTER_TEST_POSTGRES_URL`` to use an already running server instead (its user must be allowed
to create databases).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_BINARIES = ("initdb", "pg_ctl")
_TEST_USER = "pcenter-test"
_START_TIMEOUT_S = 60


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries were found, or the server did not start."""


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    explicit = os.environ.get("PCENTER_PG_BIN")
    candidates: list[Path] = [Path(explicit)] if explicit else []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    versioned = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(versioned)
    for folder in candidates:
        if all((folder / name).is_file() and os.access(folder / name, os.X_OK) for name in _BINARIES):
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_user() -> str | None:
    """The unprivileged user to run the server as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", _TEST_USER):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", _TEST_USER],
        check=True,
        capture_output=True,
    )
    return _TEST_USER


@dataclass
class PostgresServer:
    """A running server; ``url`` connects as the superuser ``postgres`` without a password."""

    bin_dir: Path
    base: Path
    port: int
    user: str | None

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def log_file(self) -> Path:
        return self.base / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        return subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=self.base,
            timeout=_START_TIMEOUT_S, check=False,
        )

    def start(self) -> None:
        if self.user is not None:
            record = pwd.getpwnam(self.user)
            os.chown(self.base, record.pw_uid, record.pw_gid)
        init = self._run(
            "initdb", "-D", str(self.data_dir), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed:\n{init.stdout}\n{init.stderr}")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        started = self._run(
            "pg_ctl", "start", "-D", str(self.data_dir), "-w", "-t", str(_START_TIMEOUT_S),
            "-l", str(self.log_file), "-o", options,
        )
        if started.returncode != 0:
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            raise PostgresUnavailable(
                f"pg_ctl start failed:\n{started.stdout}\n{started.stderr}\n{log}"
            )

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w")
        shutil.rmtree(self.base, ignore_errors=True)


def _scratch_folder() -> str | None:
    """A memory-backed folder (``/dev/shm``) when there is one: no disk I/O for throwaway data."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        usage = shutil.disk_usage(shm)
        if usage.free > 1 << 30:
            return str(shm)
    return None


def start_server() -> PostgresServer:
    """Initialise and start a fresh server; raises PostgresUnavailable with the reason."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(
            "No PostgreSQL server binaries (initdb, pg_ctl) found in PCENTER_PG_BIN, on PATH or in "
            "/usr/lib/postgresql/*/bin. Install them (`bash .ci/system-packages` or "
            "`apt-get install postgresql`), or set PCENTER_SKIP_POSTGRES=1 to skip the PostgreSQL "
            "tests."
        )
    base = Path(tempfile.mkdtemp(prefix="pcenter-pg-", dir=_scratch_folder()))
    server = PostgresServer(bin_dir, base, _free_port(), _server_user())
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server
