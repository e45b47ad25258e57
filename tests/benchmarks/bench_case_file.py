"""Benchmark: opening a child's case file at region scale (150,000 children).

Run: ``.venv/bin/python tests/benchmarks/bench_case_file.py [--children N]``.
Not collected by pytest (the name does not start with ``test_``).

A SQLite file is filled with synthetic children and a history around them — requests with
concerns, cases with support plans, consultations, consents, two screening rounds, risk
assessments, supervision records and tasks — then ``open_case_file`` is timed for children
with the richest histories, as a supervisor (identity decrypted and audited) and as a
methodologist (codes only). The baseline, measured in the same run on the same database, is the
smallest audited read a service makes: loading one child and writing one audit event. Figures
are printed as medians and as ratios to that baseline, so they compare across machines; the
target is under 1 s per opening at region scale.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert

from pcenter_lib.db import upgrade_to_head
from pcenter_lib.models import (
    Case,
    Child,
    ChildIdentity,
    Consent,
    Consultation,
    District,
    EducationOrganization,
    Instrument,
    Region,
    Request,
    RequestConcern,
    RiskAssessment,
    ScreeningResult,
    ScreeningRound,
    SupervisionCase,
    SupervisionSession,
    SupervisionTask,
    SupportPlan,
    SupportPlanItem,
    User,
    UserRole,
)
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.case_file import open_case_file
from pcenter_lib.workbench import Workbench, open_workbench
from tests.conftest import make_settings

SEED = 264
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TARGET_S = 1.0


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _chunks(session: object, model: type, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), 20_000):
        session.execute(insert(model), rows[start : start + 20_000])  # type: ignore[attr-defined]


def fill(bench: Workbench, children: int) -> list[int]:
    """The region; returns the ids of the children with the richest histories."""
    rng = np.random.default_rng(SEED)
    cipher = bench.cipher
    n_requests, n_cases = children // 6, children // 15
    req_child = rng.integers(1, children + 1, n_requests)
    case_child = rng.integers(1, children + 1, n_cases)
    rich = [int(c) for c in req_child[:20]]
    rows: dict[type, list[dict[str, object]]] = {
        Child: [{"id": i, "code": f"C-B{i:09d}", "birth_on": date(2012, 1, 1), "sex": "female",
                 "grade": 7, "special_needs": False, "version": 1} for i in range(1, children + 1)],
        ChildIdentity: [{"child_id": c, "full_name_enc": cipher.encrypt("Айгерим Нурланқызы")}
                        for c in rich],
        Request: [{"id": i + 1, "journal_year": 2026, "journal_seq": i + 1,
                   "received_at": NOW - timedelta(hours=3 * i), "registered_at": NOW,
                   "registered_by": "bench", "channel": "phone", "source": "teacher",
                   "child_id": int(c), "description": "", "direct_threat": i % 50 == 0,
                   "due_at": NOW, "status": "closed", "priority_review": False, "version": 1}
                  for i, c in enumerate(req_child)],
        RequestConcern: [{"request_id": i + 1, "concern": "bullying"} for i in range(n_requests)],
        Consent: [{"child_id": int(c), "request_id": i + 1, "kind": "written",
                   "given_by_enc": b"x", "relation": "mother", "scope": "consultations",
                   "given_at": NOW - timedelta(hours=3 * i), "recorded_by": "bench"}
                  for i, c in enumerate(req_child[: n_requests // 2])],
        Case: [{"id": i + 1, "child_id": int(c), "opened_at": NOW - timedelta(days=i % 300),
                "status": "closed", "complexity": "routine", "responsible": "bench",
                "closed_at": NOW, "version": 1} for i, c in enumerate(case_child)],
        SupportPlan: [{"id": i + 1, "case_id": i + 1, "created_by": "bench", "status": "active",
                       "created_at": NOW, "version": 1} for i in range(n_cases)],
        SupportPlanItem: [{"support_plan_id": i + 1, "kind": "consultation", "responsible": "bench",
                           "due_on": date(2026, 12, 1), "status": "planned"}
                          for i in range(n_cases)],
        Consultation: [{"case_id": i + 1, "child_id": int(c), "held_at": NOW, "specialist": "bench",
                        "recipient": "child", "topic": "support", "minutes": 45}
                       for i, c in enumerate(case_child)],
        RiskAssessment: [{"child_id": i, "assessed_at": NOW, "model_version": "bench", "band": "7",
                          "score": 0.02, "reasons": [], "level": "low", "mandatory_rules": []}
                         for i in range(1, children + 1, 3)],
    }  # fmt: skip
    with bench.sessions.begin() as session:
        session.execute(
            insert(User),
            [
                {"username": "bench", "full_name": "Bench", "lang": "en"},
                {"username": "reader", "full_name": "Reader", "lang": "ru"},
            ],
        )
        session.execute(
            insert(UserRole),
            [{"user_id": 1, "role": "supervisor"}, {"user_id": 2, "role": "methodologist"}],
        )
        region = Region(code="KZ-B", name_kk="Б", name_ru="Б", name_en="B")
        district = District(
            region=region, code="KZ-B-1", name_kk="Б", name_ru="Б", name_en="B", is_urban=True
        )
        school = EducationOrganization(
            district=district,
            bin="000000000001",
            name_kk="Мектеп",
            name_ru="Школа",
            kind="school",
            is_urban=True,
            language="kk",
            student_count=900,
        )
        session.add_all([region, district, school])
        instrument = Instrument(code="phq9", version="1", definition_sha256="0" * 64)
        session.add(instrument)
        session.flush()
        for model, chunk in rows.items():
            _chunks(session, model, chunk)
        for n, day in enumerate((date(2025, 10, 1), date(2026, 3, 1))):
            screening = ScreeningRound(
                education_organization_id=school.id,
                instrument_id=instrument.id,
                period=f"P{n}",
                school_year="2025-2026",
                conducted_on=day,
                imported_by="bench",
                content_sha256=str(n) * 64,
            )
            session.add(screening)
            session.flush()
            _chunks(
                session,
                ScreeningResult,
                [
                    {
                        "screening_round_id": screening.id,
                        "child_id": i,
                        "responses": {},
                        "scores": {},
                        "total_score": float((i + n * 3) % 27),
                        "band": "mild",
                        "critical": False,
                    }
                    for i in range(1, children + 1, 2)
                ],
            )
        held = SupervisionSession(held_at=NOW, supervisor="bench")
        session.add(held)
        session.flush()
        for c in rich:
            record = SupervisionCase(
                supervision_session_id=held.id, child_id=c, question="?", decision="Weekly contact"
            )
            session.add(record)
            session.flush()
            session.add(
                SupervisionTask(
                    supervision_case_id=record.id,
                    child_id=c,
                    description="Call",
                    responsible="bench",
                    due_on=date(2026, 12, 1),
                    created_by="bench",
                )
            )
    print(
        f"region of {children:,} children: {n_requests:,} requests, {n_cases:,} cases, "
        f"{children:,} screening results, {len(rows[RiskAssessment]):,} risk assessments"
    )
    return rich


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=150_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-case-file-"))
    bench = open_workbench(make_settings(folder), create_key=True)
    upgrade_to_head(bench.engine)
    started = time.perf_counter()
    rich = fill(bench, args.children)
    print(f"  filled in {time.perf_counter() - started:.1f} s")

    def baseline_read(child: int) -> None:
        with bench.sessions.begin() as session:
            session.get(Child, child)
            record_event(session, actor="bench", action="view", entity="child", entity_id=child)

    def case_file(child: int, actor: str) -> None:
        with bench.sessions.begin() as session:
            open_case_file(session, actor=actor, cipher=bench.cipher, child_id=child, lang="ru")

    baseline = statistics.median(timed(lambda c=c: baseline_read(c)) for c in rich)
    named = statistics.median(timed(lambda c=c: case_file(c, "bench")) for c in rich)
    coded = statistics.median(timed(lambda c=c: case_file(c, "reader")) for c in rich)
    with bench.sessions.begin() as session:
        entries = len(open_case_file(session, actor="bench", cipher=bench.cipher,
                                     child_id=rich[0]).entries)  # fmt: skip
    print(
        f"median over {len(rich)} children (each the median of 3 openings); {entries} entries "
        f"for the first"
    )
    print(f"  baseline: one child read + one audit event : {baseline * 1000:8.1f} ms")
    print(
        f"  case file, supervisor (identity, audited)  : {named * 1000:8.1f} ms "
        f"= {named / baseline:5.1f} x baseline"
    )
    print(
        f"  case file, methodologist (codes only)      : {coded * 1000:8.1f} ms "
        f"= {coded / baseline:5.1f} x baseline"
    )
    worst = max(named, coded)
    verdict = "met" if worst < TARGET_S else "MISSED"
    print(f"  slowest {worst * 1000:.0f} ms — target < {TARGET_S * 1000:.0f} ms {verdict}")
    bench.engine.dispose()
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
