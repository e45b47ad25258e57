"""Diagnostics at region scale: 1,000,000 PHQ-9 results (a 9-item instrument). Plain script.

    .venv/bin/python tests/benchmarks/bench_diagnostics.py [--rows N] [--quick]

Measured in one run, each against a naive per-row Python baseline and against DuckDB doing the
same work in SQL:

1. scoring: ``score_responses`` on an in-memory frame (target < 1 s and within 2× of DuckDB);
2. import plus scoring from CSV: ``read_upload`` on the CSV bytes — parse, check every value,
   score, hash (target < 5 s);
3. refreshing a view when a filter changes, on the app's categorical results frame (target
   < 300 ms for the view on screen; all six views are timed as well);
4. the app's kernel memory at that scale: a fresh process opens the app (``DiagnosticsApp``)
   over a database holding the million results, which loads them through the service into a
   categorical frame (target < 1.5 GB RSS). The rows are written by ``import_round`` with bulk
   inserts, and that time is reported too.

The script exits with status 1 when a target is missed. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pcenter_lib.diagnostics import get_instrument, score_responses  # noqa: E402
from pcenter_lib.diagnostics import views as V  # noqa: E402
from pcenter_lib.diagnostics.importing import ImportLimits, read_upload  # noqa: E402
from tests.conftest import TEST_PROXY_SECRET  # noqa: E402

PHQ_CUTS = (
    (4, "minimal"),
    (9, "mild"),
    (14, "moderate"),
    (19, "moderately_severe"),
    (27, "severe"),
)
SCHOOLS, DISTRICTS, QUARTERS = 600, 20, ("2025Q3", "2025Q4", "2026Q1", "2026Q2")
TARGETS = {"score": 1.0, "score_vs_duckdb": 2.0, "import": 5.0, "view": 0.300, "memory_gb": 1.5}


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs and the last result."""
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def make_answers(rows: int, seed: int = 264) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    severity = rng.normal(0.0, 1.0, rows)
    frame = {}
    for k in range(1, 10):
        noisy = severity[:, None] + rng.normal(0.0, 0.9, (rows, 1))
        cuts = np.array([1.8, 2.7, 3.4] if k == 9 else [0.3, 1.2, 2.1])  # item 9 ≥ 1 for ~9 %
        values = (noisy > cuts).sum(axis=1).astype(float)
        values[rng.random(rows) < 0.01] = np.nan  # one answer in a hundred left blank
        frame[f"item_{k}"] = values
    frame["age"] = rng.integers(11, 18, rows)
    frame["sex"] = np.where(rng.random(rows) < 0.5, "male", "female")
    return pd.DataFrame(frame)


# --- 1. scoring ---------------------------------------------------------------------------------
def naive_score(answers: pd.DataFrame) -> list[tuple[float | None, str | None, bool]]:
    """One row at a time, the way a first implementation would."""
    out = []
    items = [f"item_{k}" for k in range(1, 10)]
    for row in answers[items].itertuples(index=False):
        given = [v for v in row if v == v]
        total: float | None = None
        if len(given) == 9:
            total = sum(given)
        elif len(given) >= 8:
            total = math.floor(sum(given) * 9 / len(given) + 0.5)
        band = None if total is None else next(code for high, code in PHQ_CUTS if total <= high)
        out.append((total, band, row[8] == row[8] and row[8] >= 1))
    return out


DUCKDB_SCORING = """
WITH s AS (
  SELECT {sum} AS raw, {answered} AS answered, item_9 FROM answers
), t AS (
  SELECT CASE WHEN answered = 9 THEN raw
              WHEN answered >= 8 THEN floor(raw * 9.0 / answered + 0.5) END AS total, item_9 FROM s
)
SELECT total,
  CASE WHEN total IS NULL THEN NULL WHEN total <= 4 THEN 'minimal' WHEN total <= 9 THEN 'mild'
       WHEN total <= 14 THEN 'moderate' WHEN total <= 19 THEN 'moderately_severe'
       ELSE 'severe' END AS total_band,
  coalesce(item_9 >= 1, false) AS critical
FROM t
""".format(
    sum=" + ".join(f"coalesce(item_{k}, 0)" for k in range(1, 10)),
    answered=" + ".join(f"(item_{k} IS NOT NULL)::INTEGER" for k in range(1, 10)),
)


def bench_scoring(answers: pd.DataFrame, report: dict[str, Any]) -> None:
    ours, scored = timed(lambda: score_responses("phq9", answers))
    con = duckdb.connect()
    con.register("answers", answers)
    duck, duck_result = timed(lambda: con.execute(DUCKDB_SCORING).df())
    naive, naive_result = timed(lambda: naive_score(answers), repeat=1)
    agree = np.array_equal(
        scored["total"].to_numpy(dtype=float, na_value=np.nan),
        duck_result["total"].to_numpy(dtype=float, na_value=np.nan),
        equal_nan=True,
    ) and int(scored["critical"].sum()) == int(duck_result["critical"].sum()) == sum(
        1 for _, _, c in naive_result if c
    )
    report["scoring"] = {"ours_s": ours, "duckdb_s": duck, "naive_s": naive, "results_agree": agree}


# --- 2. import plus scoring from CSV ------------------------------------------------------------
def make_csv(answers: pd.DataFrame) -> bytes:
    rows = len(answers)
    frame = pd.DataFrame(
        {
            "student_code": [f"S{k:07d}" for k in range(rows)],
            "grade": (answers["age"] - 6).to_numpy(),
            "age": answers["age"].to_numpy(),
            "sex": answers["sex"].map({"male": "м", "female": "ж"}).to_numpy(),
            **{f"item_{k}": answers[f"item_{k}"].astype("Int8") for k in range(1, 10)},
        }
    )
    return frame.to_csv(index=False).encode("utf-8")


def naive_import(data: bytes) -> int:
    """csv.reader, a dict per row, per-cell checks, then the naive scorer's arithmetic."""
    import csv

    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header = next(reader)
    critical = 0
    for row in reader:
        record = dict(zip(header, row, strict=True))
        age = int(record["age"])
        if not 5 <= age <= 21 or record["sex"] not in {"м", "ж"}:
            raise ValueError(record)
        answers = []
        for k in range(1, 10):
            cell = record[f"item_{k}"]
            if cell == "":
                continue
            value = int(cell)
            if value not in (0, 1, 2, 3):
                raise ValueError(record)
            answers.append(value)
        if record["item_9"] not in ("", "0"):
            critical += 1
    return critical


def bench_import(data: bytes, report: dict[str, Any]) -> None:
    limits = ImportLimits(max_file_bytes=len(data) + 1)
    ours, parsed = timed(
        lambda: read_upload(data, filename="region.csv", instrument="phq9", limits=limits), repeat=2
    )
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(data)
        handle.flush()
        con = duckdb.connect()
        sql = DUCKDB_SCORING.replace("FROM answers", f"FROM read_csv_auto('{handle.name}')")
        duck, _ = timed(lambda: con.execute(sql).df(), repeat=2)
    naive, critical = timed(lambda: naive_import(data), repeat=1)
    report["import"] = {
        "megabytes": len(data) / 2**20,
        "ours_s": ours,
        "duckdb_s": duck,
        "naive_s": naive,
        "critical_agree": int(parsed.scores["critical"].sum()) == critical,
    }


# --- 3. view refresh ------------------------------------------------------------------------------
def results_frame(answers: pd.DataFrame, scores: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """The app's frame, as ``services.screening_data.load_results`` builds it."""
    rng = np.random.default_rng(seed)
    rows = len(answers)
    school = rng.integers(1, SCHOOLS + 1, rows)
    order = list(get_instrument("phq9").band_labels)
    return pd.DataFrame(
        {
            "round_id": school * 10 + rng.integers(0, 4, rows),
            "school_id": pd.Categorical(school),
            "district_id": pd.Categorical((school - 1) % DISTRICTS + 1),
            "language": pd.Categorical(np.where(school % 3 == 0, "ru", "kk")),
            "period": pd.Categorical(rng.choice(QUARTERS, rows), categories=QUARTERS, ordered=True),
            "school_year": pd.Categorical(
                np.where(rng.random(rows) < 0.5, "2025-2026", "2024-2025")
            ),
            "grade": pd.array(answers["age"].to_numpy() - 6, dtype="Int8"),
            "sex": pd.Categorical(answers["sex"], categories=["male", "female"]),
            "age": pd.array(answers["age"].to_numpy(), dtype="Int16"),
            "critical": scores["critical"].to_numpy(),
            "total": scores["total"].astype("Float32"),
            "total_band": pd.Categorical(scores["total_band"], categories=order, ordered=True),
        }
    )


def all_views(frame: pd.DataFrame, chosen: V.ResultFilter) -> dict[str, float]:
    top = ("moderate", "moderately_severe", "severe")
    place_free = V.ResultFilter(periods=chosen.periods, sexes=chosen.sexes)
    timings: dict[str, float] = {}
    steps: dict[str, Callable[[], object]] = {
        "prevalence": lambda: V.band_prevalence(V.filter_results(frame, chosen), "total"),
        "distribution": lambda: V.score_distribution(
            V.filter_results(frame, chosen), "total", 0, 27
        ),
        "comparison": lambda: V.compare_levels(
            V.filter_results(frame, place_free),
            scale="total",
            top_bands=top,
            school_id=3,
            district_id=3,
        ),
        "trend": lambda: V.quarter_trend(
            V.filter_results(frame, chosen), scale="total", top_bands=top
        ),
        "ranking": lambda: V.rank_schools(
            V.filter_results(frame, place_free), scale="total", top_bands=top
        ),
    }
    for name, step in steps.items():
        timings[name], _ = timed(step)
    return timings


def naive_prevalence(frame: pd.DataFrame) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sex, district, band in zip(
        frame["sex"], frame["district_id"], frame["total_band"], strict=True
    ):
        if sex == "female" and district == 3 and isinstance(band, str):
            counts[band] = counts.get(band, 0) + 1
    return counts


def bench_views(frame: pd.DataFrame, report: dict[str, Any]) -> None:
    chosen = V.ResultFilter(district_ids=(3,), sexes=("female",))
    timings = all_views(frame, chosen)
    rounds = pd.DataFrame(
        {
            "school_id": np.arange(1, SCHOOLS + 1).repeat(4),
            "period": list(QUARTERS) * SCHOOLS,
            "received_on": [date(2026, 1, 10)] * (SCHOOLS * 4),
        }
    )
    schools = pd.DataFrame({"school_id": np.arange(1, SCHOOLS + 1)})
    timings["completeness"], _ = timed(lambda: V.reporting_rates(schools, rounds, list(QUARTERS)))
    con = duckdb.connect()
    plain = frame.assign(
        **{c: frame[c].astype(str) for c in ("sex", "total_band")},
        district_id=frame["district_id"].astype(int),
    )
    con.register("results", plain)
    duck, duck_counts = timed(
        lambda: con.execute(
            "SELECT total_band, count(*) AS n FROM results WHERE sex = 'female' AND district_id = 3 "
            "GROUP BY total_band"
        ).df()
    )
    naive, naive_counts = timed(lambda: naive_prevalence(frame), repeat=1)
    ours = V.band_prevalence(V.filter_results(frame, chosen), "total")["count"]
    agree = all(int(ours[band]) == naive_counts.get(band, 0) for band in ours.index) and int(
        duck_counts.loc[duck_counts["total_band"].notna(), "n"].sum()
    ) == int(ours.sum())
    report["views"] = {
        "ours_s": timings,
        "duckdb_prevalence_s": duck,
        "naive_prevalence_s": naive,
        "results_agree": agree,
    }


# --- 4. the app's kernel memory -------------------------------------------------------------------
def build_database(folder: Path, answers: pd.DataFrame, report: dict[str, Any]) -> dict[str, str]:
    """A database with the million results, written by ``import_round`` (bulk inserts).

    The stored copy has no critical answers: each critical answer becomes a journal request
    with its own number and audit event, which is measured separately on a school-sized round.
    """
    from pcenter_lib.config import load_settings
    from pcenter_lib.services.diagnostics import import_round
    from pcenter_lib.workbench import initialise_database
    from tests.conftest import write_proxy_secret
    from tests.diagnostics.fixtures import make_region

    env = {
        "PCENTER_DATABASE_URL": f"sqlite:///{folder / 'region.sqlite3'}",
        "PCENTER_SECRET_KEY_FILE": str(folder / "secret.key"),
        "PCENTER_DATA_DIR": str(folder),
        "PCENTER_DEMO": "0",
        "PCENTER_LANG": "ru",
        "PCENTER_PROXY_SECRET_FILE": str(write_proxy_secret(folder)),
    }
    workbench = initialise_database(load_settings(env))
    place = make_region(workbench)
    calm = make_csv(answers.assign(item_9=answers["item_9"].where(answers["item_9"].isna(), 0.0)))
    school_round = make_csv(answers.iloc[:2000])

    def store(data: bytes, school: int) -> tuple[float, Any]:
        start = time.perf_counter()
        with workbench.sessions.begin() as session:
            imported = import_round(
                session,
                actor="methodologist1",
                cipher=workbench.cipher,
                data=data,
                filename="round.csv",
                instrument="phq9",
                school_id=place.schools[school],
                period="2026Q1",
                conducted_on=date(2026, 2, 10),
                limits=ImportLimits(max_file_bytes=len(data) + 1),
                now=datetime(2026, 2, 12, 5, tzinfo=UTC),
            )
        return time.perf_counter() - start, imported

    seconds, imported = store(calm, 0)
    small_seconds, small = store(school_round, 1)
    report["store"] = {
        "rows": imported.result_count,
        "seconds": seconds,
        "school_rows": small.result_count,
        "school_requests": small.critical_count,
        "school_seconds": small_seconds,
    }
    workbench.engine.dispose()
    return env


PROBE = """
import json, os, sys, time, psutil
sys.path.insert(0, {root!r})
start = time.perf_counter()
from pcenter_lib.workbench import open_workbench
from widgets.diagnostics.app import DiagnosticsApp
app = DiagnosticsApp(open_workbench(), environ={{"HTTP_X_FORWARDED_USER": "methodologist1",
                                                "HTTP_X_PCENTER_PROXY_SECRET": {secret!r}}})
opened = time.perf_counter() - start
frame = app.data.results("phq9")
app.filters.sex.value = "female"
t0 = time.perf_counter(); app.filters.district.value = app.filters.district.options[1][1]
refresh = time.perf_counter() - t0
print(json.dumps({{"rows": len(frame), "frame_mb": frame.memory_usage(deep=True).sum() / 2**20,
                  "rss_gb": psutil.Process().memory_info().rss / 2**30, "open_s": opened,
                  "widget_refresh_s": refresh}}))
"""


def bench_memory(env: dict[str, str], report: dict[str, Any]) -> None:
    child = {**{k: v for k, v in os.environ.items() if not k.startswith("PCENTER_")}, **env}
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(root=str(ROOT), secret=TEST_PROXY_SECRET)],
        env=child,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    report["app"] = json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="skip the database and app probe")
    args = parser.parse_args()
    report: dict[str, Any] = {"rows": args.rows, "cpus": os.cpu_count()}
    answers = make_answers(args.rows)
    bench_scoring(answers, report)
    data = make_csv(answers)
    bench_import(data, report)
    bench_views(results_frame(answers, score_responses("phq9", answers)), report)
    if not args.quick:
        with tempfile.TemporaryDirectory() as folder:
            env = build_database(Path(folder), answers, report)
            bench_memory(env, report)
    return print_report(report)


def print_report(report: dict[str, Any]) -> int:
    s, i, v = report["scoring"], report["import"], report["views"]
    worst_view = max(v["ours_s"].values())
    checks = {
        f"score {report['rows']:,} results < {TARGETS['score']} s": s["ours_s"] < TARGETS["score"],
        "scoring within 2× of DuckDB": s["ours_s"] <= TARGETS["score_vs_duckdb"] * s["duckdb_s"],
        f"import plus scoring from CSV < {TARGETS['import']} s": i["ours_s"] < TARGETS["import"],
        f"refresh a view < {TARGETS['view'] * 1000:.0f} ms": worst_view < TARGETS["view"],
    }
    if "app" in report:
        checks[f"app kernel memory < {TARGETS['memory_gb']} GB"] = (
            report["app"]["rss_gb"] < TARGETS["memory_gb"]
        )
    print(f"Diagnostics benchmark: {report['rows']:,} PHQ-9 results, {report['cpus']} CPUs")
    print(
        f"  scoring            ours {s['ours_s']:.3f} s | DuckDB SQL {s['duckdb_s']:.3f} s | "
        f"naive per-row {s['naive_s']:.2f} s | results agree: {s['results_agree']}"
    )
    print(
        f"  import+score CSV   ours {i['ours_s']:.3f} s | DuckDB read_csv+SQL {i['duckdb_s']:.3f} s | "
        f"naive per-row {i['naive_s']:.2f} s | {i['megabytes']:.1f} MB | agree: {i['critical_agree']}"
    )
    views = ", ".join(f"{name} {1000 * t:.0f} ms" for name, t in v["ours_s"].items())
    print(f"  view refresh       {views}")
    print(
        f"  prevalence view    ours {1000 * v['ours_s']['prevalence']:.0f} ms | DuckDB "
        f"{1000 * v['duckdb_prevalence_s']:.0f} ms | naive per-row {v['naive_prevalence_s']:.2f} s | "
        f"agree: {v['results_agree']}"
    )
    if "store" in report:
        st = report["store"]
        print(
            f"  store (SQLite)     import_round, bulk inserts: {st['rows']:,} results in "
            f"{st['seconds']:.1f} s; a school's round of {st['school_rows']:,} results with "
            f"{st['school_requests']} priority requests in {st['school_seconds']:.2f} s"
        )
    if "app" in report:
        a = report["app"]
        print(
            f"  app kernel         opened over {a['rows']:,} results in {a['open_s']:.1f} s; frame "
            f"{a['frame_mb']:.0f} MB; RSS {a['rss_gb']:.2f} GB; filter change in the widgets "
            f"{1000 * a['widget_refresh_s']:.0f} ms"
        )
    for label, ok in checks.items():
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
