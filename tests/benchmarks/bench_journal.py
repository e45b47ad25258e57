"""Benchmark: Rule 16 due times and journal filtering over 100,000 requests.

Run: ``.venv/bin/python tests/benchmarks/bench_journal.py [--rows N] [--db]``. Not collected by
pytest (the name does not start with ``test_``).

Figures printed:

1. due times of every request — batched (``consideration_due_at_many``: one calendar lookup per
   distinct day) against the per-row baseline (``consideration_due_at`` called 100,000 times),
   measured in the same run on the same warmed calendar, and their ratio; the two results are
   checked to agree element by element;
2. applying journal filters to the in-memory frame the intake app keeps
   (``services.journal.filter_journal``), median of repeated runs — target under 100 ms;
3. with ``--db``: writing the requests to a fresh SQLite file and reading them back into the
   frame (``load_journal_frame``), as the app does when it opens.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pcenter_lib.domain.calendar import load_default_calendar
from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.domain.deadlines import (
    consideration_due_at,
    consideration_due_at_many,
)
from pcenter_lib.domain.intake_rules import CHANNELS, SOURCES
from pcenter_lib.services.journal import JournalFilter, filter_journal, journal_frame

SEED = 264
START = datetime(2024, 9, 1, tzinfo=UTC)
SPAN_DAYS = 730
NOW = datetime(2026, 8, 20, 6, 0, tzinfo=UTC)


def synthetic_journal(
    rows: int,
) -> tuple[pd.Series, np.ndarray, dict[str, list[object]], list[tuple[int, str]]]:
    """``rows`` requests over two school years: receipt times, threat flags, columns, concerns."""
    rng = np.random.default_rng(SEED)
    seconds = np.sort(rng.integers(0, SPAN_DAYS * 86_400, rows))
    received = pd.Series(
        pd.to_datetime(START) + pd.to_timedelta(seconds, unit="s"), name="received_at"
    )
    threat = rng.random(rows) < 0.02
    words = np.array(["bullying", "anxiety", "conflict", "exam", "family", "grief", "online"])
    years = received.dt.year.to_numpy()
    sequence = pd.Series(years).groupby(years).cumcount().to_numpy() + 1
    moments = list(received.dt.to_pydatetime())
    columns: dict[str, list[object]] = {
        "id": list(range(1, rows + 1)),
        "journal_year": [int(y) for y in years],
        "journal_seq": [int(q) for q in sequence],
        "received_at": moments,
        "due_at": [None] * rows,
        "considered_at": [None] * rows,
        "status": list(rng.choice(["open", "in_work", "closed"], rows, p=[0.05, 0.15, 0.8])),
        "channel": list(rng.choice([c.code for c in CHANNELS], rows)),
        "source": list(rng.choice([s.code for s in SOURCES], rows)),
        "school_id": [int(v) for v in rng.integers(1, 600, rows)],
        "child_id": list(range(1, rows + 1)),
        "child_code": [f"C-{i:010d}" for i in range(rows)],
        "direct_threat": [bool(t) for t in threat],
        "description": [
            f"call about {a} and {b}"
            for a, b in zip(rng.choice(words, rows), rng.choice(words, rows), strict=True)
        ],
        "version": [1] * rows,
    }
    codes = rng.choice(list(CONCERN_CODES), rows)
    concerns = [(i + 1, str(code)) for i, code in enumerate(codes)]
    return received, threat, columns, concerns


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """Median wall time of ``fn`` in seconds over ``repeat`` runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bench_due_times(received: pd.Series, threat: np.ndarray) -> pd.Series:
    calendar = load_default_calendar()
    for year in range(START.year, NOW.year + 2):  # warm the calendar's yearly tables for both
        calendar.is_working_day(date(year, 6, 1))
    batched_s, batched = timed(
        lambda: consideration_due_at_many(
            received, pd.Series(threat, index=received.index), calendar
        ),
        repeat=3,
    )
    moments = received.dt.to_pydatetime()
    per_row_s, per_row = timed(
        lambda: [
            consideration_due_at(m, direct_threat=bool(t), calendar=calendar)
            for m, t in zip(moments, threat, strict=True)
        ]
    )
    assert isinstance(batched, pd.Series) and isinstance(per_row, list)
    agree = all(a == b for a, b in zip(batched.dt.to_pydatetime(), per_row, strict=True))
    print(f"due times for {len(received):,} requests (Rule 16):")
    print(f"  batched  consideration_due_at_many : {batched_s * 1000:9.1f} ms")
    print(f"  per row  consideration_due_at      : {per_row_s * 1000:9.1f} ms")
    print(f"  ratio per-row / batched            : {per_row_s / batched_s:9.1f} x")
    print(f"  results agree element by element   : {agree}")
    return batched


FILTERS = {
    "period + open statuses + concern + overdue": JournalFilter(
        date_from=date(2026, 1, 1),
        date_to=date(2026, 3, 31),
        statuses=("open", "in_work"),
        concerns=("bullying", "cyberbullying"),
        due_marks=("overdue",),
    ),
    "channel + source + school": JournalFilter(
        channels=("phone",), sources=("helpline_111",), school_ids=(17, 42, 301)
    ),
    "direct threats due today or overdue": JournalFilter(
        direct_threat_only=True, due_marks=("overdue", "due_today")
    ),
    "text search 'grief'": JournalFilter(search="grief"),
    "no filter (whole journal)": JournalFilter(),
}


def bench_filters(frame: pd.DataFrame) -> float:
    print(f"journal filters over {len(frame):,} requests (in-memory frame, median of 15 runs):")
    worst = 0.0
    for label, flt in FILTERS.items():
        seconds, kept = timed(lambda flt=flt: filter_journal(frame, flt, now=NOW), repeat=15)
        assert isinstance(kept, pd.DataFrame)
        worst = max(worst, seconds)
        print(f"  {label:45s}: {seconds * 1000:7.1f} ms, {len(kept):6,} rows")
    verdict = "met" if worst < 0.1 else "MISSED"
    print(f"  slowest filter {worst * 1000:.1f} ms — target < 100 ms {verdict}")
    return worst


def bench_database(columns: dict[str, list[object]], concerns: list[tuple[int, str]]) -> None:
    from sqlalchemy import insert

    from pcenter_lib.models import Request, RequestConcern, User, UserRole
    from pcenter_lib.services.journal import load_journal_frame
    from pcenter_lib.workbench import initialise_database
    from tests.conftest import make_settings

    folder = Path(tempfile.mkdtemp(prefix="bench-journal-"))
    bench = initialise_database(make_settings(folder))
    stored = (
        "id",
        "journal_year",
        "journal_seq",
        "received_at",
        "due_at",
        "considered_at",
        "status",
        "channel",
        "source",
        "direct_threat",
        "description",
        "version",
    )
    rows = [
        {
            **dict(zip(stored, values, strict=True)),
            "registered_at": values[3],
            "registered_by": "bench",
        }
        for values in zip(*(columns[name] for name in stored), strict=True)
    ]
    started = time.perf_counter()
    with bench.sessions.begin() as session:
        session.execute(insert(User), [{"username": "bench", "full_name": "Bench", "lang": "en"}])
        session.execute(insert(UserRole), [{"user_id": 1, "role": "intake_operator"}])
        session.execute(insert(Request), rows)
        session.execute(
            insert(RequestConcern), [{"request_id": i, "concern": c} for i, c in concerns]
        )
    print(f"database (SQLite file), {len(rows):,} requests:")
    print(f"  bulk insert                        : {time.perf_counter() - started:9.1f} s")
    with bench.sessions() as session:
        seconds, frame = timed(lambda: load_journal_frame(session, actor="bench"))
    assert isinstance(frame, pd.DataFrame)
    print(f"  load_journal_frame (app opening)   : {seconds * 1000:9.1f} ms, {len(frame):,} rows")
    bench.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--db", action="store_true", help="also time writing and loading via SQLite"
    )
    args = parser.parse_args()
    received, threat, columns, concerns = synthetic_journal(args.rows)
    due = bench_due_times(received, threat)
    columns["due_at"] = list(due.dt.to_pydatetime())
    columns["considered_at"] = [
        None if status == "open" else moment + timedelta(hours=20)  # type: ignore[operator]
        for status, moment in zip(columns["status"], columns["received_at"], strict=True)
    ]
    built_s, frame = timed(lambda: journal_frame(columns, concerns))
    assert isinstance(frame, pd.DataFrame)
    print(f"building the in-memory journal frame : {built_s * 1000:9.1f} ms")
    bench_filters(frame)
    if args.db:
        bench_database(columns, concerns)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
