"""The whole multi-user stack on 127.0.0.1, started the way the deployment guide says.

1. A throwaway PostgreSQL server (``tests/pg_server.py``) with a database owned by the owner
   role ``pcenter_owner`` and an application role ``pcenter_app`` that owns nothing.
2. ``pcenter init-db`` (migrates as the owner, grants the application role what the apps need
   and checks it) and ``pcenter users add`` as the administrator.
3. ``jupyterhub -f deploy/jupyterhub_config.py`` with configurable-http-proxy from
   ``deploy/node_modules`` (``make hub-install``), NativeAuthenticator, the idle culler and
   ``SimpleLocalProcessSpawner`` (no systemd in a container; see docs/deployment.md), handing the
   apps the application role's URL.
4. nginx with ``deploy/nginx/pcenter.conf`` in front, terminating TLS with a throwaway
   self-signed certificate (only its ports, upstream and certificate paths are rewritten).

Everything listens on free loopback ports and lives in one temporary folder; :func:`running_stack`
stops the hub (which stops the single-user servers it started) and the database server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.browser.conftest import stop_process_group
from tests.pg_server import PostgresServer, start_server

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HUB_START_TIMEOUT_S = 90.0
HUB_ADMIN = "hubadmin"
# (hub user name, full name, role, language) of the workbench's users table
STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("supervisor1", "Ерлан Сейітов", "supervisor", "ru"),
    ("methodologist1", "Сәуле Жұмабаева", "methodologist", "kk"),
)


@dataclass
class HubStack:
    base_url: str  # https through nginx, as people reach it
    hub_url: str  # the hub's proxy directly (http), behind nginx's back
    folder: Path
    log_file: Path
    process: subprocess.Popen[bytes]
    database: PostgresServer
    owner_url: str
    app_url: str

    def log_tail(self, lines: int = 60) -> str:
        text_ = self.log_file.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text_.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _role_urls(server: PostgresServer) -> tuple[str, str]:
    """Create the owner and application roles and the database, as a DBA would."""
    engine = create_engine(server.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE ROLE pcenter_owner LOGIN PASSWORD 'owner-secret'"))
            connection.execute(text("CREATE ROLE pcenter_app LOGIN PASSWORD 'app-secret'"))
            connection.execute(text("CREATE DATABASE pcenter OWNER pcenter_owner"))
    finally:
        engine.dispose()
    host = f"127.0.0.1:{server.port}/pcenter"
    return (
        f"postgresql+psycopg://pcenter_owner:owner-secret@{host}",
        f"postgresql+psycopg://pcenter_app:app-secret@{host}",
    )


def _pcenter(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [str(BIN / "pcenter"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"pcenter {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PCENTER_", "JUPYTER"))}


def _prepare_database(folder: Path, database: PostgresServer) -> tuple[str, str, dict[str, str]]:
    owner_url, app_url = _role_urls(database)
    admin_env = {
        **_base_env(),
        "PCENTER_DATABASE_URL": app_url,
        "PCENTER_OWNER_DATABASE_URL": owner_url,
        "PCENTER_SECRET_KEY_FILE": str(folder / "secret.key"),
        "PCENTER_DATA_DIR": str(folder),
        "PCENTER_LANG": "en",
    }
    _pcenter(admin_env, "init-db")
    for username, full_name, role, lang in STAFF:
        _pcenter(admin_env, "users", "add", username, "--name", full_name, "--role", role,
                 "--lang", lang)
    return owner_url, app_url, admin_env


def _wait_for_hub(stack: HubStack) -> None:
    deadline = time.monotonic() + HUB_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if stack.process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early:\n{stack.log_tail()}")
        try:
            with urllib.request.urlopen(f"{stack.base_url}/hub/api", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"JupyterHub did not answer within {HUB_START_TIMEOUT_S} s:\n{stack.log_tail()}")


def _nginx_site(hub_url: str, tls_port: int, plain_port: int, folder: Path) -> str:
    """deploy/nginx/pcenter.conf with the test's ports and a self-signed certificate."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    site = (PROJECT_ROOT / "deploy" / "nginx" / "pcenter.conf").read_text(encoding="utf-8")
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{tls_port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{plain_port};",
        "proxy_pass http://127.0.0.1:8000;": f"proxy_pass {hub_url};",
        "/etc/ssl/pcenter/fullchain.pem": str(cert),
        "/etc/ssl/pcenter/privkey.pem": str(key),
    }
    for old, new in replacements.items():
        if old not in site:
            raise RuntimeError(f"deploy/nginx/pcenter.conf no longer contains {old!r}")
        site = site.replace(old, new)
    return site


def _start_nginx(hub_url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx is missing: bash .ci/system-packages installs nginx-light")
    prefix = folder / "nginx"
    prefix.mkdir()
    tls_port, plain_port = free_port(), free_port()
    (prefix / "pcenter.conf").write_text(
        _nginx_site(hub_url, tls_port, plain_port, prefix), encoding="utf-8"
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {prefix}/access.log;\n  client_body_temp_path {prefix}/body;\n"
        f"  proxy_temp_path {prefix}/proxy;\n  include {prefix}/pcenter.conf;\n}}\n",
        encoding="utf-8",
    )
    with (prefix / "stderr.log").open("wb") as errors:
        process = subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True,
        )
    base_url = f"https://127.0.0.1:{tls_port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((prefix / "stderr.log").read_text(errors="replace"))
        try:
            with socket.create_connection(("127.0.0.1", tls_port), timeout=1):
                return process, base_url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx did not start listening")


@contextmanager
def running_stack(folder: Path) -> Iterator[HubStack]:
    database = start_server()
    process: subprocess.Popen[bytes] | None = None
    nginx: subprocess.Popen[bytes] | None = None
    try:
        owner_url, app_url, admin_env = _prepare_database(folder, database)
        hub_dir = folder / "hub"
        hub_dir.mkdir()
        port = free_port()
        hub_env = {
            **_base_env(),
            "PCENTER_HUB_SPAWNER": "simple",
            "PCENTER_HUB_STATE_DIR": str(hub_dir),
            "PCENTER_HUB_BIND_URL": f"http://127.0.0.1:{port}",
            "PCENTER_HUB_API_PORT": str(free_port()),
            "PCENTER_HUB_PROXY_API_PORT": str(free_port()),
            "PCENTER_HUB_ADMIN": HUB_ADMIN,
            "PCENTER_HUB_IDLE_TIMEOUT": "600",
            "PCENTER_DATABASE_URL": app_url,
            "PCENTER_SECRET_KEY_FILE": admin_env["PCENTER_SECRET_KEY_FILE"],
            "PCENTER_LANG": "ru",
        }
        log_file = folder / "jupyterhub.log"
        with log_file.open("wb") as log:
            process = subprocess.Popen(
                [str(BIN / "jupyterhub"), "-f", str(PROJECT_ROOT / "deploy" / "jupyterhub_config.py")],
                cwd=hub_dir, env=hub_env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        hub_url = f"http://127.0.0.1:{port}"
        stack = HubStack(hub_url, hub_url, folder, log_file, process, database, owner_url, app_url)
        _wait_for_hub(stack)
        nginx, stack.base_url = _start_nginx(hub_url, folder)
        yield stack
    finally:
        for running in (nginx, process):
            if running is not None:
                stop_process_group(running)
        database.stop()
