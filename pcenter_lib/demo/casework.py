"""Help given after a request: cases, mobile response groups and visits, support plans, consultations.

A considered request about a child opens a case when the child has none open: always for a
direct threat, for 60 % of screening referrals and for ``0.2 + 0.4 × risk percentile`` of
ordinary requests. A case moves open → monitoring after 10–45 days and monitoring → closed after
20–100 more (half as long again for complex cases: direct threats and some of the riskiest
children). A mobile response group (Rule 17) is formed for every direct threat, for 35 % of
cases from schools and teachers and 10 % of the others; it visits the school once or twice and
draws up the support plan. Plan items carry their form — individual or group, remote (Rule 26:
12 %, 30 % in rural schools) — and accommodations for special educational needs (Rule 26).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.activity import MINUTES_PER_DAY, REFERENCE_MINUTE
from pcenter_lib.demo.journal import Draft
from pcenter_lib.demo.ledger import Ledger
from pcenter_lib.demo.sampling import WeightedChoice
from pcenter_lib.demo.scales import DEMO_TODAY, moment_of
from pcenter_lib.demo.texts import (
    CLOSURE_REASONS,
    OUTCOMES,
    SEN_ACCOMMODATIONS,
    VISIT_FINDINGS,
    in_language,
    pick_pair,
)
from pcenter_lib.demo.world import World

Row = dict[str, Any]
DAY: Final = MINUTES_PER_DAY
PLAN_ITEM_KINDS: Final = WeightedChoice(
    (
        ("consultation", 0.30),
        ("diagnostics", 0.20),
        ("correctional_developmental", 0.15),
        ("education", 0.10),
        ("parent_work", 0.15),
        ("referral", 0.05),
        ("monitoring", 0.05),
    )
)
ITEM_OUTCOMES: Final = WeightedChoice((("done", 0.85), ("dropped", 0.05), ("planned", 0.10)))
RECIPIENTS: Final = WeightedChoice((("child", 0.55), ("parent", 0.30), ("teacher", 0.15)))


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """What the supervision stage needs to know about a case."""

    id: int
    child: int
    opened: int
    closed: int | None
    complex: bool
    responsible: str


@dataclass
class Casework:
    """Rows of the casework tables and a summary of every case."""

    cases: list[Row] = field(default_factory=list)
    changes: list[Row] = field(default_factory=list)
    groups: list[Row] = field(default_factory=list)
    members: list[Row] = field(default_factory=list)
    visits: list[Row] = field(default_factory=list)
    plans: list[Row] = field(default_factory=list)
    items: list[Row] = field(default_factory=list)
    consultations: list[Row] = field(default_factory=list)
    info: list[CaseInfo] = field(default_factory=list)


def _office_moment(rng: np.random.Generator, world: World, day: int) -> int:
    day = world.activity.next_working_day(day)
    return day * DAY + int(rng.integers(9 * 60, 18 * 60))


def _opens_case(rng: np.random.Generator, world: World, draft: Draft) -> bool:
    if draft.direct_threat:
        return True
    if draft.origin:
        return bool(rng.random() < 0.6)
    return bool(rng.random() < 0.2 + 0.4 * world.truth.rank[draft.child])


def build_casework(rng: np.random.Generator, world: World, ledger: Ledger) -> Casework:
    """Cases, groups, visits, plans and consultations for the considered requests."""
    work = Casework()
    busy_until: dict[int, int] = {}
    specialists = world.staff.specialists
    for draft, request in zip(ledger.drafts, ledger.requests, strict=True):
        considered = draft.considered_minute
        if draft.child < 0 or considered is None:
            continue
        if busy_until.get(draft.child, -1) >= draft.minute or not _opens_case(rng, world, draft):
            if not draft.direct_threat and rng.random() < 0.5:
                _consultation(
                    rng,
                    world,
                    work,
                    None,
                    draft,
                    considered + int(rng.integers(60, 3 * DAY)),
                    specialists[int(rng.integers(len(specialists)))],
                )
            continue
        responsible = specialists[int(rng.integers(len(specialists)))]
        complex_case = draft.direct_threat or (
            world.truth.rank[draft.child] > 0.85 and rng.random() < 0.5
        )
        stretch = 1.5 if complex_case else 1.0
        opened = (draft.threat_minute or considered) + 5 if draft.direct_threat else considered
        to_monitoring = opened + int(rng.integers(10, 46) * stretch) * DAY
        to_closed = to_monitoring + int(rng.integers(20, 101) * stretch) * DAY
        closed = to_closed if to_closed <= REFERENCE_MINUTE else None
        busy_until[draft.child] = to_closed
        case_id = len(work.cases) + 1
        status = _history(
            rng, work, case_id, opened, to_monitoring, closed, responsible, draft.lang
        )
        work.cases.append(
            {
                "id": case_id,
                "child_id": draft.child + 1,
                "opened_from_request_id": draft.id,
                "opened_at": moment_of(opened),
                "status": status,
                "complexity": "complex" if complex_case else "routine",
                "responsible": responsible,
                "closed_at": moment_of(closed) if closed is not None else None,
                "closure_reason": pick_pair(rng, CLOSURE_REASONS, draft.lang) if closed else None,
                "version": 1,
            }
        )
        work.info.append(CaseInfo(case_id, draft.child, opened, closed, complex_case, responsible))
        if closed is None:
            request["status"] = "in_work"
            if not draft.direct_threat:
                request["outcome"] = in_language(OUTCOMES["case"], draft.lang)
        if draft.direct_threat:
            _immediate_help(rng, work, case_id, draft, responsible)
        group_id = _mobile_group(rng, world, work, draft, opened)
        _support_plan(rng, world, work, draft, case_id, group_id, opened, closed, responsible)
        end = closed if closed is not None else REFERENCE_MINUTE
        sessions = int(rng.integers(3, 9)) if complex_case else int(rng.integers(1, 6))
        for _ in range(sessions):
            moment = opened + int(rng.random() * max(end - opened, DAY))
            who = (
                responsible
                if rng.random() < 0.8
                else specialists[int(rng.integers(len(specialists)))]
            )
            _consultation(rng, world, work, case_id, draft, moment, who)
    return work


def _history(
    rng: np.random.Generator,
    work: Casework,
    case_id: int,
    opened: int,
    to_monitoring: int,
    closed: int | None,
    responsible: str,
    lang: str,
) -> str:
    steps: list[tuple[int, str | None, str]] = [(opened, None, "open")]
    if to_monitoring <= REFERENCE_MINUTE:
        steps.append((to_monitoring, "open", "monitoring"))
    if closed is not None:
        steps.append((closed, "monitoring", "closed"))
    for moment, before, after in steps:
        work.changes.append(
            {
                "id": len(work.changes) + 1,
                "case_id": case_id,
                "changed_at": moment_of(moment),
                "changed_by": responsible,
                "from_status": before,
                "to_status": after,
                "note": pick_pair(rng, CLOSURE_REASONS, lang) if after == "closed" else None,
            }
        )
    return steps[-1][2]


def _mobile_group(
    rng: np.random.Generator, world: World, work: Casework, draft: Draft, opened: int
) -> int | None:
    share = 0.35 if draft.source in ("education_organization", "teacher") else 0.10
    if not draft.direct_threat and rng.random() >= share:
        return None
    if draft.direct_threat:
        formed = opened + int(rng.integers(10, 61))
    else:
        formed = _office_moment(rng, world, opened // DAY + int(rng.integers(0, 2)))
    if formed > REFERENCE_MINUTE:
        return None
    group_id = len(work.groups) + 1
    staff = world.staff.mobile_staff
    chosen = rng.choice(len(staff), size=min(len(staff), int(rng.integers(2, 5))), replace=False)
    with_user = [k for k in chosen if staff[k][1]]
    lead = int(with_user[0]) if with_user else int(chosen[0])
    lead_name = staff[lead][1] or world.staff.specialists[0]
    work.groups.append(
        {
            "id": group_id,
            "request_id": draft.id,
            "formed_at": moment_of(formed),
            "formed_by": world.staff.manager,
        }
    )
    for k in chosen:
        work.members.append(
            {
                "id": len(work.members) + 1,
                "mobile_group_id": group_id,
                "staff_member_id": staff[int(k)][0],
                "role_in_group": "leader" if int(k) == lead else "member",
            }
        )
    school = world.children.school[draft.child]
    urban = bool(world.organization.school_urban[school])
    planned = (
        formed + int(rng.integers(60, 241))
        if draft.direct_threat
        else _office_moment(rng, world, formed // DAY + int(rng.integers(1, 6)))
    )
    for number in range(1 if rng.random() < 0.7 else 2):
        if number == 1:
            planned = _office_moment(rng, world, planned // DAY + int(rng.integers(7, 22)))
        done = planned <= REFERENCE_MINUTE - 4 * 60
        departed = planned + int(rng.integers(-10, 31))
        arrived = departed + int(rng.integers(15, 41) if urban else rng.integers(60, 241))
        work.visits.append(
            {
                "id": len(work.visits) + 1,
                "mobile_group_id": group_id,
                "education_organization_id": int(world.organization.school_ids[school]),
                "planned_at": moment_of(planned),
                "departed_at": moment_of(departed) if done else None,
                "arrived_at": moment_of(arrived) if done else None,
                "findings": in_language(VISIT_FINDINGS, draft.lang) if done else None,
                "recorded_by": lead_name if done else None,
            }
        )
    return group_id


def _support_plan(
    rng: np.random.Generator,
    world: World,
    work: Casework,
    draft: Draft,
    case_id: int,
    group_id: int | None,
    opened: int,
    closed: int | None,
    responsible: str,
) -> None:
    if group_id is None and rng.random() >= 0.6:
        return
    created = opened + int(rng.integers(1, 5)) * DAY
    if created > REFERENCE_MINUTE:
        return
    plan_id = len(work.plans) + 1
    school = world.children.school[draft.child]
    remote_share = 0.12 if world.organization.school_urban[school] else 0.30
    sen = bool(world.children.sen[draft.child])
    created_on = moment_of(created).date()
    finished = True
    for _ in range(int(rng.integers(2, 6))):
        kind = PLAN_ITEM_KINDS.draw(rng)
        due_on = created_on + timedelta(days=int(rng.integers(7, 61)))
        status, done_on = "planned", None
        if due_on < DEMO_TODAY:
            status = ITEM_OUTCOMES.draw(rng)
            if status == "done":
                done_on = min(due_on - timedelta(days=int(rng.integers(0, 6))), DEMO_TODAY)
                done_on = max(done_on, created_on)
        finished = finished and status != "planned"
        work.items.append(
            {
                "id": len(work.items) + 1,
                "support_plan_id": plan_id,
                "kind": kind,
                "form_individual": not (kind == "education" and rng.random() < 0.7),
                "form_remote": bool(rng.random() < remote_share),
                "sen_accommodation": (
                    pick_pair(rng, SEN_ACCOMMODATIONS, draft.lang)
                    if sen and rng.random() < 0.8
                    else None
                ),
                "responsible": responsible,
                "due_on": due_on,
                "status": status,
                "done_on": done_on,
            }
        )
    work.plans.append(
        {
            "id": plan_id,
            "case_id": case_id,
            "mobile_group_id": group_id,
            "created_at": moment_of(created),
            "created_by": responsible,
            "status": "completed" if finished and closed is not None else "active",
            "version": 1,
        }
    )


def _add_consultation(
    work: Casework,
    case_id: int | None,
    draft: Draft,
    held: int,
    specialist: str,
    *,
    recipient: str,
    form_remote: bool,
    topic: str,
    minutes: int,
    basis: str | None,
) -> None:
    work.consultations.append(
        {
            "id": len(work.consultations) + 1,
            "case_id": case_id,
            "child_id": draft.child + 1,
            "held_at": moment_of(held),
            "specialist": specialist,
            "recipient": recipient,
            "form_remote": form_remote,
            "topic": topic,
            "minutes": minutes,
            "note": None,
            "request_id": draft.id,
            "basis": basis,
        }
    )


def _immediate_help(
    rng: np.random.Generator, work: Casework, case_id: int, draft: Draft, specialist: str
) -> None:
    """The help given at once on a direct threat, without waiting for consent (Rule 15)."""
    held = (draft.threat_minute or draft.minute) + int(rng.integers(5, 31))
    if held > REFERENCE_MINUTE:
        return
    _add_consultation(
        work, case_id, draft, held, specialist,
        recipient="child", form_remote=False, topic="immediate_help", minutes=60,
        basis="direct_threat",
    )


def _consultation(
    rng: np.random.Generator,
    world: World,
    work: Casework,
    case_id: int | None,
    draft: Draft,
    moment: int,
    specialist: str,
) -> None:
    held = _office_moment(rng, world, moment // DAY)
    if held > REFERENCE_MINUTE:
        return
    school = world.children.school[draft.child]
    remote_share = 0.15 if world.organization.school_urban[school] else 0.30
    recipient = RECIPIENTS.draw(rng)
    remote = bool(rng.random() < remote_share)
    _add_consultation(
        work, case_id, draft, held, specialist,
        recipient=recipient, form_remote=remote, topic=draft.concerns[0],
        minutes=(30, 45, 60)[int(rng.integers(3))],
        basis=None,  # recorded before the basis was kept; the compliance view infers it
    )
