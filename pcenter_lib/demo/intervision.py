"""The demo region's intervision (Order No. 264, Rule 11.3) as records of the intervision model.

Sessions are held on the second Thursday of each month from September to May at 15:00, rotating
the four formats of ``data/intervision/formats``. Each has a facilitator (a methodologist), four
to seven of the Center's specialists and one or two psychologists of schools' PPSS, attendance
(one in eight marked absent), a note per phase with the phase's times, a de-identified case
material, learning points and agreements. The sessions of the current school year form a series
(still open); one session is planned after the demo's last day. Methodologists reviewed the PPSS
documentation of a few schools this quarter against the checklists.

The random draws of the former generator (language and participants per session) are kept in
the same order, so the rest of the demo history is unchanged; everything added is derived from
a generator of its own seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.names import compose_name
from pcenter_lib.demo.scales import DEMO_TODAY, HISTORY_START, SCHOOL_YEAR_STARTS
from pcenter_lib.demo.world import World
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.intervision import checklist_registry, format_registry, score_checklist

Row = dict[str, Any]
KAZAKH_RECORDS: Final = 0.6  # share of the Center's own records kept in Kazakh
ABSENT_SHARE: Final = 0.125
OWN_SEED: Final = 2611  # the generator of everything the former demo did not draw
PHASE_DONE: Final = ("Кезең өтті, қорытындысы хаттамада.", "Этап проведён, итоги в протоколе.")
MATERIAL_TITLE: Final = ("Кейс виньеткасы", "Виньетка случая")
MATERIALS: Final = (
    (
        "13–15 жастағы қыз. Отбасы ауылдық аймақта тұрады.\n"
        "Үш ай бұрын: сабаққа бармай бастады, сыныптастарымен жанжал.\n"
        "Бір ай бұрын: [анасы] Орталыққа хабарласты; скринингте жоғары нәтиже.",
        "Девочка 13–15 лет. Семья живёт в сельском районе.\n"
        "За три месяца до этого: перестала ходить на уроки, конфликты с одноклассниками.\n"
        "За месяц до этого: [мать] обратилась в Центр; высокий результат скрининга.",
    ),
    (
        "10–12 жастағы ұл. Отбасы қалада тұрады.\n"
        "Екі ай бұрын: ата-анасы ажырасты, баланың үлгерімі төмендеді.\n"
        "Осы айда: сынып жетекшісі мазасыздықты байқады.",
        "Мальчик 10–12 лет. Семья живёт в городе.\n"
        "За два месяца до этого: развод родителей, успеваемость снизилась.\n"
        "В этом месяце: классный руководитель заметил тревожность.",
    ),
)
LEARNING: Final = (
    "Отбасымен бірінші байланыс 2 жұмыс күні ішінде болуы тиіс; құжаттаманы бірыңғайлау.",
    "Первый контакт с семьёй — в пределах 2 рабочих дней; унифицировать документацию.",
)
AGREEMENTS: Final = (
    "Келесі отырыста мектеп психологы қолдау жоспарын ұсынады.",
    "На следующей встрече школьный психолог представит план сопровождения.",
)
SERIES_TITLE: Final = (
    "Мектеп психологтарымен интервизия тобы",
    "Интервизионная группа со школьными психологами",
)
REVIEWED_SCHOOLS: Final = 6


@dataclass
class IntervisionRows:
    """Rows of every intervision table, in the order they are written."""

    series: list[Row] = field(default_factory=list)
    series_members: list[Row] = field(default_factory=list)
    sessions: list[Row] = field(default_factory=list)
    participants: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)
    materials: list[Row] = field(default_factory=list)
    reviews: list[Row] = field(default_factory=list)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=KZ_TZ)


def _pair(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "ru" else pair[0]


class _People:
    """Who takes part: the Center's staff by user name, and schools' psychologists."""

    def __init__(self, world: World, own: np.random.Generator) -> None:
        names = {str(u["username"]): str(u["full_name"]) for u in world.staff.users}
        staff_of = {row["user_id"]: row["id"] for row in world.staff.staff if row["user_id"]}
        users = {str(u["username"]): staff_of.get(u["id"]) for u in world.staff.users}
        self.name, self.staff_id = names, users
        self.schools = world.organization.schools
        self.school_psychologists = [
            (
                compose_name(own, sex="female", kazakh=True, russian_spelling=False).full,
                int(self.schools[int(own.integers(len(self.schools)))]["id"]),
            )
            for _ in range(8)
        ]


def _session(
    rows: IntervisionRows,
    people: _People,
    *,
    code: str,
    moment: datetime,
    facilitator: str,
    members: list[str],
    lang: str,
    own: np.random.Generator,
    held: bool,
    series_id: int | None,
) -> None:
    chosen = format_registry()[code]
    session_id = len(rows.sessions) + 1
    ended = moment + timedelta(minutes=chosen.total_minutes)
    rows.sessions.append(
        {
            "id": session_id,
            "held_at": moment,
            "facilitator": people.name.get(facilitator, facilitator),
            "format": code,
            "title": "",
            "series_id": series_id,
            "status": "held" if held else "planned",
            "started_at": moment if held else None,
            "ended_at": ended if held else None,
            "current_phase": None,
            "learning_points": _pair(LEARNING, lang) if held else "",
            "agreements": _pair(AGREEMENTS, lang) if held else "",
            "created_by": facilitator,
            "version": 1,
        }
    )
    school_people = [people.school_psychologists[int(own.integers(8))] for _ in range(2)]
    listed: list[tuple[str, str, int | None, int | None]] = [
        (people.name.get(m, m), "center", people.staff_id.get(m), None) for m in members
    ]
    listed += [(name, "school", None, school) for name, school in dict(school_people).items()]
    for name, origin, staff_id, school in dict.fromkeys(listed):
        present = (own.random() >= ABSENT_SHARE) if held else None
        rows.participants.append(
            {
                "id": len(rows.participants) + 1,
                "intervision_session_id": session_id,
                "full_name": name,
                "origin": origin,
                "staff_member_id": staff_id,
                "education_organization_id": school,
                "attended": present,
                "credited_minutes": chosen.total_minutes if present else 0,
            }
        )
    if not held:
        return
    for phase, start in zip(chosen.phases, chosen.starts(), strict=True):
        rows.notes.append(
            {
                "id": len(rows.notes) + 1,
                "intervision_session_id": session_id,
                "phase": phase.code,
                "started_at": moment + timedelta(minutes=start),
                "ended_at": moment + timedelta(minutes=start + phase.minutes),
                "note": _pair(PHASE_DONE, lang),
            }
        )
    rows.materials.append(
        {
            "id": len(rows.materials) + 1,
            "intervision_session_id": session_id,
            "case_id": None,
            "title": _pair(MATERIAL_TITLE, lang),
            "language": lang,
            "text": _pair(MATERIALS[session_id % len(MATERIALS)], lang),
            "drafted_at": moment - timedelta(days=3),
            "drafted_by": facilitator,
        }
    )


def _reviews(rows: IntervisionRows, world: World, own: np.random.Generator) -> None:
    checklists = list(checklist_registry().values())
    quarter_start = date(DEMO_TODAY.year, 10, 1)
    for index, school in enumerate(world.organization.schools[:REVIEWED_SCHOOLS]):
        checklist = checklists[index % len(checklists)]
        answers = {
            item.code: ("met", "met", "partly", "not_met")[int(own.integers(4))]
            for item in checklist.items
        }
        result = score_checklist(checklist, answers)
        day = quarter_start + timedelta(days=7 * index + 2)
        rows.reviews.append(
            {
                "id": index + 1,
                "education_organization_id": school["id"],
                "checklist": checklist.code,
                "visited_on": day,
                "quarter": f"{day.year}Q4",
                "reviewed_by": world.staff.methodologists[index % len(world.staff.methodologists)],
                "answers": answers,
                "score_percent": result.score_percent,
                "critical_gaps": list(result.critical_gaps),
                "note": "",
                "version": 1,
            }
        )


def build_intervision(rng: np.random.Generator, world: World) -> IntervisionRows:
    """Every intervision record of the demo history, and one session planned ahead."""
    rows = IntervisionRows()
    own = np.random.default_rng(OWN_SEED)
    people = _People(world, own)
    formats = tuple(format_registry())
    crew = [*world.staff.specialists, *world.staff.methodologists, world.staff.supervisor]
    this_year = date(SCHOOL_YEAR_STARTS[-1], 9, 1)
    series_id = 1
    rows.series.append(
        {
            "id": series_id,
            "title": SERIES_TITLE[0],
            "facilitator": people.name.get(
                world.staff.methodologists[0], world.staff.methodologists[0]
            ),
            "planned_sessions": 8,
            "created_at": _at(this_year, 9),
            "created_by": world.staff.methodologists[0],
            "final_evaluation": "",
            "evaluated_at": None,
            "evaluated_by": None,
            "version": 1,
        }
    )
    month = date(HISTORY_START.year, HISTORY_START.month, 1)
    held = 0
    while month <= DEMO_TODAY + timedelta(days=31):
        first_thursday = month + timedelta(days=(3 - month.weekday()) % 7)
        day = first_thursday + timedelta(days=7)
        past = day < DEMO_TODAY
        if (
            month.month not in (6, 7, 8)
            and world.calendar.is_working_day(day)
            and (past or not rows.sessions or rows.sessions[-1]["status"] == "held")
        ):
            lang = "kk" if past and rng.random() < KAZAKH_RECORDS else ("kk" if not past else "ru")
            if past:
                chosen = rng.choice(
                    len(crew), size=min(len(crew), int(rng.integers(4, 8))), replace=False
                )
                members = sorted(crew[int(k)] for k in chosen)
            else:
                members = sorted(crew[:5])
            facilitator = world.staff.methodologists[held % len(world.staff.methodologists)]
            _session(
                rows,
                people,
                code=formats[held % len(formats)],
                moment=_at(day, 15),
                facilitator=facilitator,
                members=members,
                lang=lang,
                own=own,
                held=past,
                series_id=series_id if day >= this_year else None,
            )
            held += past
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    in_series = {s["id"] for s in rows.sessions if s["series_id"] == series_id}
    group = {
        (p["full_name"], p["origin"], p["staff_member_id"], p["education_organization_id"])
        for p in rows.participants
        if p["intervision_session_id"] in in_series
    }
    for name, origin, staff_id, school in sorted(group, key=lambda m: m[0])[:10]:
        rows.series_members.append(
            {
                "id": len(rows.series_members) + 1,
                "series_id": series_id,
                "full_name": name,
                "origin": origin,
                "staff_member_id": staff_id,
                "education_organization_id": school,
            }
        )
    _reviews(rows, world, own)
    return rows
