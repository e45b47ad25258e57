"""How long scoring 100,000 children takes, indicators and hard rules included (budget: 2 s).

A plain script (``bench_*.py``, so pytest does not collect it)::

    .venv/bin/python tests/benchmarks/bench_risk.py [--children 100000] [--repeat 3]

It draws a synthetic history of ``--children`` children (each with an open case, about three
requests, screening results, crisis events, contacts and support plan items), fits the risk
pipeline once on 20,000 of them, then times what a scoring run does for all of them: the open
population, the 26 indicators, the six hard rules, the calibrated probability, band, reasons and
drift check. The figure is printed in seconds and as a ratio against a baseline measured in the
same run (sorting 1,000,000 floats, a fixed amount of plain CPU work), so runs on different
machines can be compared. Exit status 1 when the best run takes 2 s or more.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BUDGET_S = 2.0


def best_of(action: object, repeat: int) -> float:
    """The shortest of ``repeat`` timed runs of ``action()`` (after one warm-up)."""
    action()  # type: ignore[operator]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

    import numpy as np

    from pcenter_lib.domain.hard_rules import evaluate_hard_rules
    from pcenter_lib.domain.risk_history import open_population
    from pcenter_lib.domain.risk_indicators import compute_indicators
    from pcenter_lib.risk.pipeline import make_risk_pipeline, score_frame
    from tests.risk.histories import AT, synthetic_history, synthetic_outcome

    history = synthetic_history(args.children, seed=1)
    sample = np.arange(min(20_000, args.children))
    frame = compute_indicators(history, AT, sample)
    pipeline = make_risk_pipeline().fit(
        frame, synthetic_outcome(history, sample), model__groups=frame.index.to_numpy()
    )
    counts = {name: len(table) for name, table in history.tables.items()}

    def score_everyone() -> None:
        rows = open_population(history, AT)
        indicators = compute_indicators(history, AT, rows)
        evaluate_hard_rules(history, AT, rows)
        score_frame(pipeline, indicators)
        pipeline.named_steps["indicators"].population_stability(indicators)

    data = np.random.default_rng(0).random(1_000_000)
    baseline = best_of(lambda: np.sort(data), args.repeat)
    scoring = best_of(score_everyone, args.repeat)
    print(f"history rows: {counts}")
    print(f"baseline (sort 1,000,000 floats): {baseline * 1000:.1f} ms")
    print(
        f"score {args.children:,} children (indicators, hard rules, probability, band, reasons, "
        f"drift): {scoring:.3f} s = {scoring / baseline:.1f} × baseline (budget {BUDGET_S} s)"
    )
    return 0 if scoring < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
