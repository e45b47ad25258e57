"""How long a staffing scenario takes to recompute after a slider move (under 50 ms, so a slider feels immediate).

A plain script (``bench_*.py``, so pytest does not collect it)::

    .venv/bin/python tests/benchmarks/bench_staffing.py [--repeat 200]

It builds the tiny demo region in a temporary SQLite database, opens the staffing app as the
demo manager (no kernel, no browser: what the kernel runs on a slider move) and times:

* ``evaluate_scenario`` alone — the pure recompute (demand, WISN for four groups with the
  sensitivity of every standard, the proposal and two Rule 24 checks);
* a slider move in the app — the recompute plus redrawing every view that shows the result.

Figures are printed in milliseconds and as ratios against a baseline measured in the same run
(sorting 100,000 floats, a fixed amount of plain CPU work), so runs on different machines can be
compared. Exit status 1 when the 95th percentile of a slider move is 50 ms or more.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BUDGET_MS = 50.0


def timings_ms(action: Callable[[int], object], repeat: int) -> list[float]:
    """Run ``action(i)`` ``repeat`` times (after a warm-up) and return each duration in ms."""
    for i in range(5):
        action(i)
    durations = []
    for i in range(repeat):
        started = time.perf_counter()
        action(i)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from pcenter_lib.config import load_settings
    from pcenter_lib.demo import build_demo_region
    from pcenter_lib.domain.workload import evaluate_scenario
    from pcenter_lib.workbench import initialise_database
    from tests.conftest import signed_in, write_proxy_secret
    from widgets.staffing.app import StaffingApp

    with tempfile.TemporaryDirectory() as folder:
        env = {
            "PCENTER_DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            "PCENTER_SECRET_KEY_FILE": str(Path(folder) / "secret.key"),
            "PCENTER_DATA_DIR": folder,
            "PCENTER_DEMO": "1",
            "PCENTER_LANG": "ru",
            "PCENTER_PROXY_SECRET_FILE": str(write_proxy_secret(Path(folder))),
        }
        workbench = initialise_database(load_settings(env))
        build_demo_region(workbench, seed=264, scale="tiny", compliant=True, progress=None)
        app = StaffingApp(workbench, environ=signed_in("manager1"), year=2025)
        assert app.state is not None, app.shell.banner.text
        state = app.state
        sliders = app.scenarios.sliders
        steps = [-20, 0, 20, 40, 60]

        rng = random.Random(264)
        data = [rng.random() for _ in range(100_000)]
        baseline = timings_ms(lambda _i: sorted(data), max(args.repeat // 4, 20))
        pure = timings_ms(
            lambda i: evaluate_scenario(
                state.baseline, state.staff.table,
                state.parameters.__class__(requests_change_percent=steps[i % len(steps)]),
            ),
            args.repeat,
        )  # fmt: skip

        def move_requests(i: int) -> None:
            sliders["requests_change_percent"].value = steps[i % len(steps)]

        def move_auxiliary(i: int) -> None:  # crosses the Rule 24.3 cap back and forth
            sliders["extra_auxiliary_posts"].value = (i % 3) * 2.0

        requests = timings_ms(move_requests, args.repeat)
        auxiliary = timings_ms(move_auxiliary, args.repeat)
        shown = app.scenarios.status.value
        workbench.engine.dispose()

    base = statistics.median(baseline)
    print(f"baseline (sort 100,000 floats): median {base:.3f} ms")
    worst = 0.0
    for name, values in (
        ("evaluate_scenario alone", pure),
        ("slider move: requests change", requests),
        ("slider move: extra auxiliary posts", auxiliary),
    ):
        median, p95 = statistics.median(values), percentile(values, 0.95)
        if name.startswith("slider"):
            worst = max(worst, p95)
        print(
            f"{name}: median {median:.3f} ms ({median / base:.3f}× baseline), "
            f"p95 {p95:.3f} ms ({p95 / base:.3f}× baseline), max {max(values):.3f} ms"
        )
    within = worst < BUDGET_MS
    print(
        f"slider move p95 {worst:.3f} ms: {'within' if within else 'OVER'} the "
        f"{BUDGET_MS:.0f} ms budget ({BUDGET_MS / base:.1f}× baseline)"
    )
    assert "pcenter-" in shown, "the scenario verdict was drawn"
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
