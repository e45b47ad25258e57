"""Kernels do not pile up: open and close every app 20 times in Chromium, then count and weigh.

A plain script (``bench_*.py``, so pytest does not collect it)::

    .venv/bin/python tests/benchmarks/bench_kernels.py [--cycles 20] [--scale demo]
    make bench-kernels

It builds the demo region in a temporary SQLite database, starts the same Voilà server as
``pcenter serve`` (``voila.json``: ``pcenter_server.kernels.BoundedKernelManager``), and drives
Debian's ``/usr/bin/chromium`` through Playwright: each app is opened as a role that may use it,
waited for until its page is built, and closed the way a person closes a tab (the page's unload
beacon runs). Kernels are the ``ipykernel`` processes under the server; memory is the resident
set (RSS) of the server and all its children.

Printed: per app, the kernel's RSS while the page is open and the time to a built page; then
the number of live kernels and the total RSS at the start (after one warm-up open of every app,
which loads templates and libraries into the server once), at the end, and the ratio. Exit
status 1 when the kernels do not return to their starting number or memory ends more than
10 % above its start.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# app code → a role that may open it (pcenter_lib.domain.access.APPS)
APPS = {"index": "supervisor", "intake": "specialist", "diagnostics": "methodologist",
        "staffing": "manager"}
MEMORY_TOLERANCE = 0.10
SETTLE_TIMEOUT_S = 30.0
MB = 1024 * 1024


@dataclass
class AppFigures:
    kernel_rss_mb: list[float] = field(default_factory=list)
    open_s: list[float] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree(pid: int) -> list[object]:
    import psutil

    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def kernels(pid: int) -> list[object]:
    import psutil

    found = []
    for process in tree(pid)[1:]:
        try:
            if "ipykernel" in " ".join(process.cmdline()):  # type: ignore[attr-defined]
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def rss_mb(processes: list[object]) -> float:
    import psutil

    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss  # type: ignore[attr-defined]
        except psutil.NoSuchProcess:
            continue
    return total / MB


def settle(pid: int, expected: int) -> int:
    """Wait until the server has ``expected`` kernels (or the timeout); return the count."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while time.monotonic() < deadline and len(kernels(pid)) != expected:
        time.sleep(0.25)
    time.sleep(1.0)  # let the server release what the shutdown freed
    return len(kernels(pid))


def start_server(folder: Path, scale: str) -> tuple[subprocess.Popen[bytes], str]:
    from pcenter_lib.cli import serve_command
    from pcenter_lib.config import load_settings
    from pcenter_lib.demo import build_demo_region
    from pcenter_lib.workbench import initialise_database

    env_update = {
        "PCENTER_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "PCENTER_SECRET_KEY_FILE": str(folder / "secret.key"),
        "PCENTER_DATA_DIR": str(folder), "PCENTER_DEMO": "1", "PCENTER_LANG": "kk",
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
    }
    workbench = initialise_database(load_settings(env_update))
    build_demo_region(workbench, seed=264, scale=scale, compliant=True, progress=None)
    workbench.engine.dispose()
    port = free_port()
    command, env = serve_command(port)
    env = {k: v for k, v in env.items() if not k.startswith(("PCENTER_", "HTTP_"))}
    env.update(env_update)
    return run_server(command, env, port, folder / "voila.log")


def run_server(
    command: list[str], env: dict[str, str], port: int, log_path: Path, wait_s: float = 120
) -> tuple[subprocess.Popen[bytes], str]:
    """Start the Voilà ``command`` in its own process group; (process, base URL) once it answers."""
    log = log_path.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/voila/tree", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Voilà did not start; see {log_path}")


def open_and_close(browser: object, base: str, app: str, role: str, pid: int) -> tuple[float, float]:
    """Open ``app`` as ``role``, wait for its page, close it; (seconds to page, kernel RSS MB)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{base}/voila/render/{app}.ipynb?demo_role={role}&lang=ru")
    page.wait_for_selector(f".pcenter-app-{app} .pcenter-body", timeout=120_000)
    elapsed = time.perf_counter() - started
    kernel_mb = max((rss_mb([k]) for k in kernels(pid)), default=0.0)
    page.close(run_before_unload=True)
    context.close()
    return elapsed, kernel_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--scale", choices=("tiny", "demo"), default="demo")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pcenter-bench-kernels-") as tmp:
        process, base = start_server(Path(tmp), args.scale)
        pid = process.pid
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
                )
                fresh_mb = rss_mb(tree(pid))
                for app, role in APPS.items():  # warm-up: one open of every app
                    open_and_close(browser, base, app, role, pid)
                start_kernels = settle(pid, 0)
                start_mb = rss_mb(tree(pid))
                figures = {app: AppFigures() for app in APPS}
                peak_kernels = 0
                for app, role in APPS.items():
                    for _ in range(args.cycles):
                        seconds, kernel_mb = open_and_close(browser, base, app, role, pid)
                        figures[app].open_s.append(seconds)
                        figures[app].kernel_rss_mb.append(kernel_mb)
                        peak_kernels = max(peak_kernels, len(kernels(pid)))
                end_kernels = settle(pid, start_kernels)
                end_mb = rss_mb(tree(pid))
                browser.close()
        finally:
            os.killpg(pid, signal.SIGTERM)
            process.wait(timeout=30)

    print(f"{args.cycles} opens and closes of each app, Chromium, {args.scale} region\n")
    print(f"{'app':<12} {'kernel RSS MB (median)':>24} {'page built s (median)':>23}")
    for app, fig in figures.items():
        print(f"{app:<12} {statistics.median(fig.kernel_rss_mb):>24.0f} "
              f"{statistics.median(fig.open_s):>23.2f}")
    ratio = end_mb / start_mb
    print(f"\nlive kernels: start {start_kernels}, at most {peak_kernels} during the run, "
          f"end {end_kernels}")
    print(f"server and kernels RSS: fresh server {fresh_mb:.0f} MB, start (after warm-up) "
          f"{start_mb:.0f} MB, end {end_mb:.0f} MB, end/start {ratio:.3f}")
    ok = end_kernels == start_kernels and ratio <= 1 + MEMORY_TOLERANCE
    print("PASS" if ok else "FAIL: kernels or memory did not return to their start")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
