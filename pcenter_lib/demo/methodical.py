"""Methodical work: supervision (Rule 11.4), intervision (Rule 11.3), PPSS studies (Rule 21), work plans (Rule 23).

Supervision sessions are held every other Wednesday at 15:00 from September to June; each
reviews 2–5 complex cases open at the time; each case has its own record (question, hypotheses,
decision), presented by the case's responsible specialist and signed by the supervisor within
two days, and the first two cases get a follow-up task for their specialist (done once more
than a week past due, open otherwise, so the action-needed lists have work in them).
Intervision sessions are held on the second Thursday of each month from September to May
(``demo/intervision.py``). Each school's PPSS is studied in 80 % of the quarters (50 % in the third quarter,
which has only September of school), so the Rule 21 "at least once a quarter" is visibly missed
for some schools. The annual work plan is approved at the end of each August.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.casework import CaseInfo
from pcenter_lib.demo.intervision import IntervisionRows, build_intervision
from pcenter_lib.demo.scales import (
    DEMO_TODAY,
    HISTORY_START,
    REFERENCE_MOMENT,
    SCHOOL_YEAR_STARTS,
    school_year_label,
)
from pcenter_lib.demo.texts import (
    PPSS_FINDINGS,
    PPSS_RECOMMENDATIONS,
    SUPERVISION,
    WORK_PLAN_ITEMS,
    in_language,
    pick_pair,
)
from pcenter_lib.demo.world import World
from pcenter_lib.diagnostics.ppss import DOMAIN_CODES
from pcenter_lib.domain.deadlines import KZ_TZ

Row = dict[str, Any]
STUDY_QUARTERS: Final = (
    ("2024Q3", date(2024, 9, 2), date(2024, 9, 30)),
    ("2024Q4", date(2024, 10, 1), date(2024, 12, 27)),
    ("2025Q1", date(2025, 1, 13), date(2025, 3, 31)),
    ("2025Q2", date(2025, 4, 1), date(2025, 5, 25)),
    ("2025Q3", date(2025, 9, 1), date(2025, 9, 30)),
    ("2025Q4", date(2025, 10, 1), date(2025, 12, 26)),
    ("2026Q1", date(2026, 1, 12), date(2026, 3, 31)),
    ("2026Q2", date(2026, 4, 1), date(2026, 5, 25)),
    ("2026Q3", date(2026, 9, 1), date(2026, 9, 30)),
    ("2026Q4", date(2026, 10, 1), date(2026, 12, 25)),
)
PHASE_DONE: Final = ("Кезең өтті, қорытындысы хаттамада.", "Этап проведён, итоги в протоколе.")
KAZAKH_RECORDS: Final = 0.6  # share of the Center's own records kept in Kazakh


@dataclass
class Methodical:
    """Rows of supervision, intervision, PPSS studies and work plans."""

    supervision: list[Row] = field(default_factory=list)
    supervision_cases: list[Row] = field(default_factory=list)
    supervision_tasks: list[Row] = field(default_factory=list)
    intervision: IntervisionRows = field(default_factory=IntervisionRows)
    studies: list[Row] = field(default_factory=list)
    work_plans: list[Row] = field(default_factory=list)
    work_plan_events: list[Row] = field(default_factory=list)
    recommendations: list[Row] = field(default_factory=list)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=KZ_TZ)


def _lang(rng: np.random.Generator) -> str:
    return "kk" if rng.random() < KAZAKH_RECORDS else "ru"


def build_methodical(rng: np.random.Generator, world: World, cases: list[CaseInfo]) -> Methodical:
    """Supervision and intervision sessions, PPSS studies and annual work plans."""
    work = Methodical()
    _supervision(rng, world, cases, work)
    work.intervision = build_intervision(rng, world)
    _studies(rng, world, work)
    for start in SCHOOL_YEAR_STARTS:
        items = [
            {"direction": direction, "activity": kk, "activity_ru": ru, "term": "quarterly"}
            for direction, kk, ru in WORK_PLAN_ITEMS
        ]
        work.work_plans.append(
            {
                "id": len(work.work_plans) + 1,
                "center_id": 1,
                "school_year": school_year_label(start),
                "items": items,
                "approved_at": _at(date(start, 8, 26), 11),
                "approved_by": world.staff.manager,
                "version": 1,
            }
        )
        _plan_events(work, start)
    _recommendations(world, work)
    return work


# Rule 23: each quarterly item of the plan is one event in a month of each quarter of the school
# year; those whose month has passed by the demo's last day are done. No random draw is taken,
# so the rest of the region stays what the seed made it.
EVENT_MONTHS: Final = (10, 12, 3, 5)
RESPONSIBLE: Final = {
    "methodical": ("Әдістемелік бөлім", "Методический отдел"),
    "consultative_developmental": ("Консультациялық бөлім", "Консультативный отдел"),
    "education": ("Ағарту бөлімі", "Отдел просвещения"),
    "mobile_response": ("Мобильді әрекет ету тобы", "Мобильная группа реагирования"),
}
RESULTS: Final = ("Хаттама, қатысушылар тізімі", "Протокол, список участников")
# Rule 11.3 makes intervision a kind of the methodical direction of Rule 10
DIRECTION_OF: Final = {"intervision": "methodical", "supervision": "methodical"}


def _plan_events(work: Methodical, start: int) -> None:
    plan_id = len(work.work_plans)
    for index, (direction, kk, ru) in enumerate(WORK_PLAN_ITEMS):
        lang = 0 if index % 2 == 0 else 1
        for month in EVENT_MONTHS:
            year = start if month >= 9 else start + 1
            last_day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            done = last_day < DEMO_TODAY
            work.work_plan_events.append(
                {
                    "id": len(work.work_plan_events) + 1,
                    "work_plan_id": plan_id,
                    "direction": DIRECTION_OF.get(direction, direction),
                    "month": f"{year}-{month:02d}",
                    "title": (kk, ru)[lang],
                    "responsible": RESPONSIBLE.get(direction, RESPONSIBLE["methodical"])[lang],
                    "expected_result": RESULTS[lang],
                    "status": "done" if done else "planned",
                    "done_on": last_day - timedelta(days=3) if done else None,
                    "note": "",
                }
            )


def _recommendations(world: World, work: Methodical) -> None:
    """Rule 20: the recommendations of the last finished quarters' studies, in writing to the
    school; sent three days after the study, the measures taken recorded a month later."""
    names = {row["id"]: row for row in world.organization.schools}
    for study in work.studies:
        if study["quarter"] not in ("2026Q2", "2026Q3"):
            continue
        school = names[study["education_organization_id"]]
        lang = "ru" if school["language"] == "ru" else "kk"
        sent = _at(study["studied_on"] + timedelta(days=3), 10)
        answered = sent + timedelta(days=30)
        work.recommendations.append(
            {
                "id": len(work.recommendations) + 1,
                "quarter": study["quarter"],
                "education_organization_id": school["id"],
                "addressee": school[f"name_{lang}"],
                "text": study["recommendations"],
                "study_id": study["id"],
                "written_at": _at(study["studied_on"], 17),
                "written_by": study["studied_by"],
                "sent_at": sent if sent < _at(DEMO_TODAY, 9) else None,
                "sent_by": study["studied_by"] if sent < _at(DEMO_TODAY, 9) else None,
                "sent_ref": f"04-12/{len(work.recommendations) + 1}"
                if sent < _at(DEMO_TODAY, 9)
                else None,
                "measures_taken": PHASE_DONE[0 if lang == "kk" else 1]
                if answered < _at(DEMO_TODAY, 9)
                else None,
                "measures_at": answered if answered < _at(DEMO_TODAY, 9) else None,
                "measures_by": study["studied_by"] if answered < _at(DEMO_TODAY, 9) else None,
                "version": 1,
            }
        )


def _supervision(
    rng: np.random.Generator, world: World, cases: list[CaseInfo], work: Methodical
) -> None:
    day = HISTORY_START + timedelta(days=(2 - HISTORY_START.weekday()) % 7)  # first Wednesday
    complex_cases = [c for c in cases if c.complex]
    while day < DEMO_TODAY:
        held = _at(day, 15)
        minute = int((held - _at(HISTORY_START, 0)).total_seconds() // 60)
        if day.month in (7, 8) or not world.calendar.is_working_day(day):
            day += timedelta(days=14)
            continue
        open_now = [
            c
            for c in complex_cases
            if minute - 120 * 1440 <= c.opened <= minute
            and (c.closed is None or c.closed >= minute)
        ]
        if open_now:
            picked = rng.choice(
                len(open_now), size=min(len(open_now), int(rng.integers(2, 6))), replace=False
            )
            lang = _lang(rng)
            question, hypotheses, decision = SUPERVISION[int(rng.integers(len(SUPERVISION)))]
            signed = held + timedelta(hours=int(rng.integers(1, 49)))
            session_id = len(work.supervision) + 1
            reviewed = [open_now[int(k)] for k in picked]
            follow_up = [
                (case, day + timedelta(days=int(rng.integers(7, 22)))) for case in reviewed[:2]
            ]
            is_signed = signed <= REFERENCE_MOMENT
            presenters = sorted({case.responsible for case in reviewed})
            work.supervision.append(
                {
                    "id": session_id,
                    "held_at": held,
                    "supervisor": world.staff.supervisor,
                    "planned_by": world.staff.supervisor,
                    "form": "group" if len(presenters) > 1 else "individual",
                    "minutes": 90,
                    "participants": [
                        {"name": name, "kind": "staff", "attended": True} for name in presenters
                    ],
                    # the session-wide columns of the first design stay empty: each case has
                    # its own record below
                    "question": "",
                    "hypotheses": "",
                    "decision": "",
                    "follow_up": [],
                    "signed_at": None,
                    "signed_by": None,
                    "version": 1,
                }
            )
            for case in reviewed:
                record_id = len(work.supervision_cases) + 1
                work.supervision_cases.append(
                    {
                        "id": record_id,
                        "supervision_session_id": session_id,
                        "case_id": case.id,
                        "child_id": case.child + 1,  # the generator counts children from 0
                        "presenter": case.responsible,
                        "question": in_language(question, lang),
                        "template": None,
                        "formulation": {},
                        "hypotheses": in_language(hypotheses, lang),
                        "decision": in_language(decision, lang),
                        "dissent": "",
                        "recommendations": "",
                        "status": "signed" if is_signed else "submitted",
                        "submitted_at": held,
                        "signed_at": signed if is_signed else None,
                        "signed_by": world.staff.supervisor if is_signed else None,
                        "version": 1,
                    }
                )
                for tasked, due in follow_up:
                    if tasked is case:
                        work.supervision_tasks.append(
                            {
                                "id": len(work.supervision_tasks) + 1,
                                "supervision_case_id": record_id,
                                "child_id": case.child + 1,  # the generator counts children from 0
                                "description": in_language(decision, lang),
                                "responsible": case.responsible,
                                "due_on": due,
                                # tasks due more than a week before the demo's today are done
                                "status": "done" if due < DEMO_TODAY - timedelta(days=7)
                                else "open",
                                "created_at": held,
                                "created_by": world.staff.supervisor,
                                "version": 1,
                            }
                        )  # fmt: skip
        day += timedelta(days=14)


def _studies(rng: np.random.Generator, world: World, work: Methodical) -> None:
    quality = rng.normal(0.0, 0.6, size=len(world.organization.schools))
    for quarter, first, last in STUDY_QUARTERS:
        share = 0.5 if quarter.endswith("Q3") else 0.8
        last = min(last, DEMO_TODAY - timedelta(days=1))
        if last < first:
            continue
        for school, row in enumerate(world.organization.schools):
            if rng.random() >= share:
                continue
            day = first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))
            while not world.calendar.is_working_day(day) and day < last:
                day += timedelta(days=1)
            lang = "ru" if row["language"] == "ru" else "kk"
            # the study's own 0–3 scale for each of its domains (diagnostics.ppss)
            scores = np.clip(
                np.round(2.0 + quality[school] + rng.normal(0, 0.7, len(DOMAIN_CODES))), 0, 3
            )
            work.studies.append(
                {
                    "id": len(work.studies) + 1,
                    "education_organization_id": row["id"],
                    "quarter": quarter,
                    "mode": "visit" if rng.random() < 0.4 else "desk",
                    "studied_on": day,
                    "studied_by": world.staff.methodologists[
                        int(rng.integers(len(world.staff.methodologists)))
                    ],
                    "domain_scores": {d: int(s) for d, s in zip(DOMAIN_CODES, scores, strict=True)},
                    "findings": pick_pair(rng, PPSS_FINDINGS, lang),
                    "recommendations": pick_pair(rng, PPSS_RECOMMENDATIONS, lang),
                    "report_id": None,
                    "version": 1,
                }
            )
