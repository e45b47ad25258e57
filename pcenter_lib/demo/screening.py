"""Screening rounds of the schools and their results, scored with the instruments' own keys.

Each school screens grades 7–11 once a quarter, alternating PHQ-9 (the first and third quarters)
and GAD-7 (the second and fourth), in the quarter's window (``QUARTERS``); a school skips a
round with probability ``SKIP_SHARE`` and 80 % of its pupils of those grades answer. Answers
follow an ordinal model: a child's occasion severity is ``z = 0.9·s + bump + Normal(0, 0.7²)``,
where ``s`` is its standardized risk logit and ``bump`` is ``EPISODE_BUMP`` while its crisis
episode is under way (``hazard``) and ``1.6·exp(−Δ/60)`` for ``Δ`` ≤ 60 days after the episode
escalated — it depends only on what has happened by the round. Item *k*'s answer is the
number of the item's thresholds below ``z + Normal(0, 0.9²)``. One answer in a hundred is
left blank. Scores, bands and critical flags come from ``pcenter_lib.diagnostics``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final

import numpy as np
import pandas as pd

from pcenter_lib.demo.activity import Activity
from pcenter_lib.demo.children import Children
from pcenter_lib.demo.hazard import NO_DAY
from pcenter_lib.demo.region import Organization
from pcenter_lib.demo.scales import (
    DEMO_TODAY,
    HISTORY_START,
    minutes_of,
    school_year_label,
    school_year_start,
)
from pcenter_lib.demo.truth import Truth
from pcenter_lib.diagnostics import get_instrument, score_responses
from pcenter_lib.domain.deadlines import KZ_TZ

Row = dict[str, Any]
QUARTERS: Final = (
    ("2024Q3", "phq9", date(2024, 9, 9), date(2024, 9, 30)),
    ("2024Q4", "gad7", date(2024, 10, 14), date(2024, 12, 13)),
    ("2025Q1", "phq9", date(2025, 2, 3), date(2025, 3, 14)),
    ("2025Q2", "gad7", date(2025, 4, 7), date(2025, 5, 16)),
    ("2025Q3", "phq9", date(2025, 9, 8), date(2025, 9, 30)),
    ("2025Q4", "gad7", date(2025, 10, 13), date(2025, 12, 12)),
    ("2026Q1", "phq9", date(2026, 2, 2), date(2026, 3, 13)),
    ("2026Q2", "gad7", date(2026, 4, 6), date(2026, 5, 15)),
    ("2026Q3", "phq9", date(2026, 9, 7), date(2026, 9, 30)),
    ("2026Q4", "gad7", date(2026, 10, 12), date(2026, 12, 11)),
)
INSTRUMENTS: Final = ("phq9", "gad7")
SCREENED_GRADES: Final = (7, 11)
PARTICIPATION: Final = 0.8
SKIP_SHARE: Final = 0.05
BLANK_SHARE: Final = 0.01
FOLLOW_UP_SHARE: Final = 0.15  # critical results that the school refers to the Center
ITEM_THRESHOLDS: Final = (0.75, 1.75, 2.65)
CRITICAL_ITEM_THRESHOLDS: Final = {"phq9": ("item_9", (2.1, 2.9, 3.6))}
EPISODE_BUMP: Final = 1.0  # severity added while a crisis episode is under way
AFTER_BUMP: Final = (1.6, 60)  # severity after the escalation: 1.6·exp(−days/60), up to 60 days


@dataclass
class Screening:
    """Rows for instruments, rounds and results; critical results the schools referred."""

    instruments: list[Row]
    rounds: list[Row] = field(default_factory=list)
    results: list[Row] = field(default_factory=list)
    referrals: list[tuple[int, int, int]] = field(default_factory=list)  # (child, round id, minute)


def _round_plan(
    rng: np.random.Generator, organization: Organization, activity: Activity
) -> list[tuple[int, str, str, date]]:
    """(school index, period, instrument, conducted_on) of every round that took place."""
    plan = []
    for period, code, first, last in QUARTERS:
        for school in range(len(organization.schools)):
            if rng.random() < SKIP_SHARE:
                continue
            day = first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))
            index = activity.next_working_day((day - HISTORY_START).days)
            conducted = HISTORY_START + timedelta(days=index)
            if conducted <= DEMO_TODAY - timedelta(days=3):
                plan.append((school, period, code, conducted))
    return plan


def _answers(rng: np.random.Generator, code: str, severity: np.ndarray) -> dict[str, np.ndarray]:
    instrument = get_instrument(code)
    special = CRITICAL_ITEM_THRESHOLDS.get(code)
    answers: dict[str, np.ndarray] = {}
    for item in instrument.item_ids:
        thresholds = special[1] if special and special[0] == item else ITEM_THRESHOLDS
        noisy = severity + rng.normal(0.0, 0.9, size=len(severity))
        values = (noisy[:, None] > np.array(thresholds)[None, :]).sum(axis=1).astype(float)
        values[rng.random(len(values)) < BLANK_SHARE] = np.nan
        answers[item] = values
    return answers


def build_screening(
    rng: np.random.Generator,
    organization: Organization,
    children: Children,
    truth: Truth,
    activity: Activity,
    *,
    imported_by: str,
) -> Screening:
    """Every round of every school, the results of the children who answered, and referrals."""
    registry = {code: get_instrument(code) for code in INSTRUMENTS}
    screening = Screening(
        instruments=[
            {
                "id": n,
                "code": code,
                "version": registry[code].version,
                "definition_sha256": registry[code].definition_sha256,
            }
            for n, code in enumerate(INSTRUMENTS, start=1)
        ]
    )
    instrument_id = {code: n for n, code in enumerate(INSTRUMENTS, start=1)}
    by_school = [np.flatnonzero(children.school == s) for s in range(len(organization.schools))]
    batches: dict[str, list[tuple[int, np.ndarray, date]]] = {code: [] for code in INSTRUMENTS}
    for school, period, code, conducted in _round_plan(rng, organization, activity):
        members = by_school[school]
        year = school_year_start(conducted)
        grades = children.grade_in(year)[members]
        pupils = children.at_school_in(year)[members]
        eligible = members[
            pupils & (grades >= SCREENED_GRADES[0]) & (grades <= SCREENED_GRADES[1])
        ]
        answered = eligible[rng.random(len(eligible)) < PARTICIPATION]
        round_id = len(screening.rounds) + 1
        imported_day = min(
            conducted + timedelta(days=int(rng.integers(1, 8))), DEMO_TODAY - timedelta(days=1)
        )
        imported_at = datetime.combine(imported_day, time(11), tzinfo=KZ_TZ) + timedelta(
            minutes=int(rng.integers(0, 300))
        )
        bin_code = organization.schools[school]["bin"]
        screening.rounds.append(
            {
                "id": round_id,
                "education_organization_id": int(organization.school_ids[school]),
                "instrument_id": instrument_id[code],
                "period": period,
                "school_year": school_year_label(school_year_start(conducted)),
                "conducted_on": conducted,
                "imported_at": imported_at,
                "imported_by": imported_by,
                "source_filename": f"{bin_code}_{period}_{code}.xlsx",
                "content_sha256": "",
                "result_count": len(answered),
            }
        )
        batches[code].append((round_id, answered, conducted))
    for code, batch in batches.items():
        _score_batch(rng, code, batch, children, truth, screening)
    for row in screening.rounds:
        if not row["content_sha256"]:
            row["content_sha256"] = hashlib.sha256(f"round:{row['id']}:empty".encode()).hexdigest()
    return screening


def _score_batch(
    rng: np.random.Generator,
    code: str,
    batch: list[tuple[int, np.ndarray, date]],
    children: Children,
    truth: Truth,
    screening: Screening,
) -> None:
    if not batch:
        return
    who = np.concatenate([members for _, members, _ in batch])
    round_of = np.concatenate([np.full(len(m), r) for r, m, _ in batch])
    day_of_round = np.concatenate([np.full(len(m), (d - HISTORY_START).days) for _, m, d in batch])
    ages = np.concatenate([children.age_on(d)[m] for _, m, d in batch])
    grades = np.concatenate([children.grade_in(school_year_start(d))[m] for _, m, d in batch])
    onset, end = truth.onset_day[who], truth.episode_end_day[who]
    began = onset > NO_DAY
    during = began & (onset <= day_of_round) & (day_of_round < end)
    since = day_of_round - end
    after = began & (since >= 0) & (since <= AFTER_BUMP[1])
    bump = np.where(during, EPISODE_BUMP, 0.0)
    bump = np.where(after, AFTER_BUMP[0] * np.exp(-np.maximum(since, 0) / AFTER_BUMP[1]), bump)
    severity = 0.9 * truth.severity[who] + bump + rng.normal(0.0, 0.7, size=len(who))
    answers = _answers(rng, code, severity)
    sexes = np.where(children.female[who], "female", "male")
    frame = pd.DataFrame({**answers, "age": ages, "sex": sexes})
    scored = score_responses(code, frame)
    totals = scored["total"].to_numpy(dtype=float, na_value=np.nan)
    bands = scored["total_band"].astype(object).where(scored["total_band"].notna(), None)
    critical = scored["critical"].to_numpy(dtype=bool)
    item_ids = list(answers)
    matrix = np.column_stack([answers[item] for item in item_ids])
    digests: dict[int, Any] = {}
    round_index = {row["id"]: row for row in screening.rounds}
    refer = critical & (rng.random(len(who)) < FOLLOW_UP_SHARE)
    for k in range(len(who)):
        child = int(who[k])
        values = matrix[k]
        responses = {
            item: (None if np.isnan(v) else int(v))
            for item, v in zip(item_ids, values, strict=True)
        }
        total = None if np.isnan(totals[k]) else int(totals[k])
        round_id = int(round_of[k])
        digests.setdefault(round_id, hashlib.sha256(f"round:{round_id}".encode())).update(
            f"{child}:{responses}".encode()
        )
        screening.results.append(
            {
                "id": len(screening.results) + 1,
                "screening_round_id": round_id,
                "child_id": child + 1,
                "student_code": None,
                "grade": int(grades[k]),
                "age": int(ages[k]),
                "sex": str(sexes[k]),
                "responses": responses,
                "scores": {"total": total},
                "total_score": None if total is None else float(total),
                "band": bands.iloc[k],
                "critical": bool(critical[k]),
            }
        )
        if refer[k]:
            imported = round_index[round_id]["imported_at"]
            screening.referrals.append((child, round_id, minutes_of(imported)))
    for round_id, digest in digests.items():
        round_index[round_id]["content_sha256"] = digest.hexdigest()
