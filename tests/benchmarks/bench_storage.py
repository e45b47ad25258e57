"""Storing screening results at region scale: the import path against a bare bulk insert.

A plain script (``bench_*.py``, so pytest does not collect it)::

    .venv/bin/python tests/benchmarks/bench_storage.py [--rows 1000000] [--engine sqlite|postgresql]

On each engine, in one run: a migrated database with the demo region's places, then

1. **the import path** — ``import_round`` on a CSV of ``--rows`` PHQ-9 results, from the file's
   bytes to the committed transaction: parsing, every row checked (an error anywhere refuses
   the whole file with a row-level report), scoring, pseudonymous codes, the round, the
   results, the audit event. The file has no critical answers: each critical answer becomes a
   journal request with its own number and audit event, a different cost that the diagnostics
   benchmark measures on a school-sized round;
2. **a bare bulk insert of the same rows** — the rows the import stored, read back, inserted
   again under another round with one ``executemany`` of a plain ``INSERT`` through the driver
   and committed: what storing them costs the database with no checks at all.

Printed: both times and their ratio. Target: the import within 3× of the bare insert (exit
status 1 when missed). PostgreSQL is a throwaway server (``tests/pg_server.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sqlalchemy import select  # noqa: E402

from pcenter_lib.diagnostics.importing import ImportLimits  # noqa: E402
from pcenter_lib.models import Instrument, ScreeningRound  # noqa: E402
from pcenter_lib.services.diagnostics import import_round  # noqa: E402
from pcenter_lib.workbench import Workbench, initialise_database  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.diagnostics.fixtures import make_region  # noqa: E402

TARGET_RATIO = 3.0
COLUMNS = (
    "screening_round_id", "child_id", "student_code", "grade", "age", "sex", "responses",
    "scores", "total_score", "band", "critical",
)


def calm_csv(rows: int, seed: int = 264) -> bytes:
    """PHQ-9 answers 0–3 (one in a hundred left blank), item 9 always 0: no critical answer."""
    rng = np.random.default_rng(seed)
    age = rng.integers(11, 18, rows)
    columns: dict[str, object] = {
        "student_code": [f"S{k:07d}" for k in range(rows)],
        "grade": age - 6,
        "age": age,
        "sex": np.where(rng.random(rows) < 0.5, "м", "ж"),
    }
    for k in range(1, 10):
        values = pd.array(rng.integers(0, 4, rows) if k < 9 else np.zeros(rows, int), dtype="Int8")
        values[rng.random(rows) < 0.01] = pd.NA
        columns[f"item_{k}"] = values
    return pd.DataFrame(columns).to_csv(index=False).encode("utf-8")


def time_import(workbench: Workbench, school_id: int, data: bytes) -> tuple[float, int]:
    started = time.perf_counter()
    with workbench.sessions.begin() as session:
        imported = import_round(
            session, actor="methodologist1", cipher=workbench.cipher, data=data,
            filename="region.csv", instrument="phq9", school_id=school_id, period="2026Q1",
            conducted_on=date(2026, 2, 10), limits=ImportLimits(max_file_bytes=len(data) + 1),
            now=datetime(2026, 2, 12, 5, tzinfo=UTC),
        )
    return time.perf_counter() - started, imported.round_id


def time_bare_insert(workbench: Workbench, round_id: int, school_id: int) -> tuple[float, int]:
    """The stored rows of ``round_id``, inserted again under a new round: seconds, rows."""
    with workbench.sessions.begin() as session:
        stored = session.get(ScreeningRound, round_id)
        assert stored is not None
        other = ScreeningRound(
            education_organization_id=school_id, instrument_id=stored.instrument_id,
            period="2026Q2", school_year=stored.school_year, conducted_on=date(2026, 5, 10),
            imported_at=stored.imported_at, imported_by="bench", source_filename="bare.csv",
            content_sha256="0" * 64, result_count=stored.result_count,
        )
        session.add(other)
        session.flush()
        other_id = other.id
    mark = "?" if workbench.engine.dialect.paramstyle == "qmark" else "%s"
    with workbench.engine.connect() as connection:  # the values as stored, JSON as its text
        stored_rows = connection.exec_driver_sql(
            f"SELECT {', '.join(COLUMNS[1:])} FROM screening_results "
            f"WHERE screening_round_id = {mark} ORDER BY id", (round_id,)
        )
        rows: list[tuple[Any, ...]] = [
            (other_id, *(json.dumps(v) if isinstance(v, dict | list) else v for v in row))
            for row in stored_rows
        ]
    statement = (
        f"INSERT INTO screening_results ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join([mark] * len(COLUMNS))})"
    )
    started = time.perf_counter()
    with workbench.engine.begin() as connection:
        connection.exec_driver_sql(statement, rows)
    return time.perf_counter() - started, len(rows)


def run_engine(engine: str, data: bytes, folder: Path) -> tuple[float, float, int]:
    server = None
    url = f"sqlite:///{folder / 'storage.sqlite3'}"
    if engine == "postgresql":
        from tests.pg_server import start_server

        server = start_server()
        url = server.url
    try:
        workbench = initialise_database(make_settings(folder, url))
        place = make_region(workbench)
        with workbench.sessions() as session:  # the instrument rows exist before either timing
            session.scalars(select(Instrument.id)).all()
        imported_s, round_id = time_import(workbench, place.schools[0], data)
        bare_s, rows = time_bare_insert(workbench, round_id, place.schools[1])
        workbench.engine.dispose()
    finally:
        if server is not None:
            server.stop()
    return imported_s, bare_s, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), action="append")
    args = parser.parse_args()
    engines = args.engine or ["sqlite", "postgresql"]
    data = calm_csv(args.rows)
    print(f"{args.rows:,} PHQ-9 results ({len(data) / 2**20:.0f} MB of CSV)\n")
    print(f"| {'engine':<10} | {'import s':>8} | {'bare insert s':>13} | {'ratio':>5} | "
          f"{'target':>6} | met |")
    print(f"|{'-' * 12}|{'-' * 10}|{'-' * 15}|{'-' * 7}|{'-' * 8}|-----|")
    ok = True
    for engine in engines:
        with tempfile.TemporaryDirectory(prefix="pcenter-bench-storage-") as tmp:
            imported_s, bare_s, rows = run_engine(engine, data, Path(tmp))
        assert rows == args.rows, (rows, args.rows)
        ratio = imported_s / bare_s
        met = ratio <= TARGET_RATIO
        ok &= met
        print(f"| {engine:<10} | {imported_s:>8.1f} | {bare_s:>13.1f} | {ratio:>5.2f} | "
              f"{TARGET_RATIO:>5.1f}× | {'yes' if met else 'NO':<3} |", flush=True)
    print("\nPASS" if ok else "\nFAIL: the import is more than 3× a bare bulk insert")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
