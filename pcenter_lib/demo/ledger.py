"""The registration journal written out: numbers, deadlines, consents and notifications.

Drafts are sorted by the moment of receipt and numbered per calendar year (Rule 13); the
journal counter of each year holds the last number. Deadlines are ``consideration_due_at``
(Rule 16, Kazakhstan calendar). An ordinary request is considered on the day of receipt (45 %,
working days only), or 1 (33 %), 2 (16 %), 3 (4.5 %) or 4 (1.5 %) working days later — the
last two are late. A direct threat is assessed within 3–30 minutes and considered within
10–90 minutes, on the same day, except 2 % considered the next morning (late). A request not
considered by ``REFERENCE_MOMENT`` stays open.

Consents (Rule 15): a request about a child under 16 without a direct threat gets a written
(55 %) or informed consent of a legal representative in 90 % of cases, 1.5 % later withdrawn.
Notifications (Rules 15, 18, 22): each direct threat owes health, police, the local executive
body, the child-rights body — and the legal representative for a child under 16 — a notice
"immediately", due 60 minutes after the threat was assessed; 88 % are sent within the hour,
9 % within three hours, the rest the next morning; 90 % are confirmed.

Critical screening answers (Rule 16) are due for a specialist's review the same working day
(``review_due_at``); 96 % are reviewed within three working hours, the rest the next morning,
each with the decision "no direct threat" and its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.activity import MINUTES_PER_DAY, REFERENCE_MINUTE
from pcenter_lib.demo.journal import Draft
from pcenter_lib.demo.names import compose_name
from pcenter_lib.demo.sampling import WeightedChoice
from pcenter_lib.demo.scales import day_of, minutes_of, moment_of
from pcenter_lib.demo.texts import (
    CONSENT_SCOPE,
    CONSENT_WITHDRAWN,
    DESCRIPTIONS,
    NOTIFICATION_RECIPIENTS,
    OUTCOMES,
    REVIEW_NO_THREAT,
    SCREENING_REFERRAL,
    STATE_BODIES,
    URGENT_PREFIX,
    in_language,
    pick_pair,
)
from pcenter_lib.demo.world import World
from pcenter_lib.domain.consent import NOTIFICATION_RULES, consent_requirement
from pcenter_lib.domain.deadlines import (
    DEFAULT_NOTIFY_MINUTES,
    consideration_due_at,
    notification_due_at,
    review_due_at,
)

Row = dict[str, Any]
CONSIDER_DELAYS: Final = WeightedChoice(((0, 0.45), (1, 0.33), (2, 0.16), (3, 0.045), (4, 0.015)))
OUTCOME_KINDS: Final = WeightedChoice((("consultation", 0.5), ("ppss", 0.3), ("information", 0.2)))
THREAT_LATE_SHARE: Final = 0.02
CONSENT_SHARE: Final = 0.90
WRITTEN_CONSENT_SHARE: Final = 0.55
WITHDRAWN_SHARE: Final = 0.015
NOTICE_LATE_SHARE: Final = 0.03  # sent only the next morning
NOTICE_SLOW_SHARE: Final = 0.09  # sent within three hours, after the hour
NOTICE_CONFIRMED_SHARE: Final = 0.90
REVIEW_LATE_SHARE: Final = 0.04
NOTICE_CHANNELS: Final = {
    "health": "phone",
    "police": "phone",
    "local_executive_body": "official_letter",
    "child_rights_body": "official_platform",
    "legal_representative": "phone",
}


@dataclass
class Ledger:
    """The numbered drafts and every row of the journal's tables."""

    drafts: list[Draft]
    requests: list[Row] = field(default_factory=list)
    concerns: list[Row] = field(default_factory=list)
    consents: list[Row] = field(default_factory=list)
    notifications: list[Row] = field(default_factory=list)
    counters: list[Row] = field(default_factory=list)


def _at(day: int, hour: float) -> int:
    return day * MINUTES_PER_DAY + int(hour * 60)


def _considered(rng: np.random.Generator, world: World, draft: Draft) -> int | None:
    day = draft.minute // MINUTES_PER_DAY
    if draft.direct_threat:
        draft.threat_minute = draft.minute + int(rng.integers(3, 31))
        if rng.random() < THREAT_LATE_SHARE:
            minute = _at(day + 1, 9.5 + rng.random())
        else:
            minute = min(draft.minute + int(rng.integers(10, 91)), _at(day, 23.95))
            minute = max(minute, draft.threat_minute + 1)
    else:
        delay = CONSIDER_DELAYS.draw(rng)
        minute = draft.minute + int(rng.integers(30, 241))
        if delay > 0 or not world.activity.working[day] or minute >= _at(day, 19):
            delay = max(delay, 1)
            target = world.calendar.add_working_days(day_of(day), delay)
            minute = _at((target - day_of(0)).days, 9 + 9 * rng.random())
    return minute if minute <= REFERENCE_MINUTE else None


def _applicant(
    rng: np.random.Generator, world: World, draft: Draft
) -> tuple[str | None, str | None]:
    """(name, relation) of whoever applied."""
    if draft.source == "legal_representative" and draft.child >= 0:
        reps = world.children.representatives[draft.child]
        relation, name, _ = reps[int(rng.integers(len(reps)))]
        return name.full, relation
    if draft.source == "minor_over_16" and draft.child >= 0:
        return world.children.names[draft.child].full, "self"
    if draft.source == "teacher":
        kazakh = draft.lang == "kk" or rng.random() < 0.5
        sex = "female" if rng.random() < 0.8 else "male"
        name = compose_name(rng, sex=sex, kazakh=kazakh, russian_spelling=draft.lang == "ru")
        return name.full, "teacher"
    if draft.source == "education_organization":
        school = world.organization.schools[draft.school] if draft.school >= 0 else None
        if school is None:
            return None, "official"
        return str(school["name_ru" if draft.lang == "ru" else "name_kk"]), "school_psychologist"
    if draft.source == "state_body":
        return pick_pair(rng, STATE_BODIES, draft.lang), "official"
    if draft.source in ("helpline_111", "trust_service"):
        return None, "other"
    return None, None


def _description(draft: Draft) -> str:
    if draft.origin:
        return in_language(SCREENING_REFERRAL, draft.lang)
    text = in_language(DESCRIPTIONS[draft.concerns[0]], draft.lang)
    return in_language(URGENT_PREFIX, draft.lang) + text if draft.direct_threat else text


def _registered_by(rng: np.random.Generator, world: World, minute: int) -> str:
    day, in_day = divmod(minute, MINUTES_PER_DAY)
    office = world.activity.working[day] and 9 * 60 <= in_day < 18 * 60
    pool = world.staff.operators if office else world.staff.specialists
    return pool[int(rng.integers(len(pool)))]


def build_ledger(rng: np.random.Generator, world: World, drafts: list[Draft]) -> Ledger:
    """Number the drafts and write the journal, its concerns, consents and notifications."""
    drafts = sorted(drafts, key=lambda d: d.minute)
    ledger = Ledger(drafts=drafts)
    last_number: dict[int, int] = {}
    cipher = world.cipher
    for request_id, draft in enumerate(drafts, start=1):
        draft.id = request_id
        received = moment_of(draft.minute)
        year = received.year
        last_number[year] = last_number.get(year, 0) + 1
        draft.considered_minute = _considered(rng, world, draft)
        name, relation = _applicant(rng, world, draft)
        specialist = world.staff.specialists[int(rng.integers(len(world.staff.specialists)))]
        outcome_key = "direct_threat" if draft.direct_threat else OUTCOME_KINDS.draw(rng)
        considered = draft.considered_minute
        ledger.requests.append(
            {
                "id": request_id,
                "journal_year": year,
                "journal_seq": last_number[year],
                "received_at": received,
                "registered_at": moment_of(
                    min(draft.minute + int(rng.integers(2, 41)), REFERENCE_MINUTE)
                ),
                "registered_by": _registered_by(rng, world, draft.minute),
                "channel": draft.channel,
                "source": draft.source,
                "applicant_name_enc": cipher.encrypt(name),
                "applicant_relation": relation,
                "applicant_anonymous": name is None and draft.source != "mass_media",
                "child_id": draft.child + 1 if draft.child >= 0 else None,
                "education_organization_id": (
                    int(world.organization.school_ids[draft.school]) if draft.school >= 0 else None
                ),
                "description": _description(draft),
                "direct_threat": draft.direct_threat,
                "threat_assessed_by": specialist if draft.direct_threat else None,
                "threat_assessed_at": (
                    moment_of(draft.threat_minute) if draft.threat_minute is not None else None
                ),
                "due_at": consideration_due_at(
                    received, direct_threat=draft.direct_threat, calendar=world.calendar
                ),
                "considered_at": moment_of(considered) if considered is not None else None,
                "status": "closed" if considered is not None else "open",
                "outcome": in_language(OUTCOMES[outcome_key], draft.lang)
                if considered is not None
                else None,
                "priority_review": draft.origin is not None,
                "origin": draft.origin,
                "version": 1,
                **_review(rng, world, draft, specialist),
            }
        )
        for concern in draft.concerns:
            ledger.concerns.append(
                {"id": len(ledger.concerns) + 1, "request_id": request_id, "concern": concern}
            )
        if draft.child >= 0:
            _obligations(rng, world, draft, ledger)
    ledger.counters = [{"year": y, "last_number": n} for y, n in sorted(last_number.items())]
    return ledger


def _review(
    rng: np.random.Generator, world: World, draft: Draft, specialist: str
) -> dict[str, Any]:
    """The same-day review of a critical screening answer (Rule 16), when the draft is one."""
    empty = dict.fromkeys(
        ("review_due_at", "reviewed_at", "reviewed_by", "review_decision", "review_reason")
    )
    if draft.origin is None:
        return empty
    due = review_due_at(moment_of(draft.minute), calendar=world.calendar)
    late = rng.random() < REVIEW_LATE_SHARE
    reviewed = min(draft.minute + int(rng.integers(20, 180)), minutes_of(due) - 5)
    if late:
        next_day = world.calendar.add_working_days(day_of(draft.minute // MINUTES_PER_DAY), 1)
        reviewed = _at((next_day - day_of(0)).days, 12 + rng.random())
    if reviewed > REFERENCE_MINUTE:  # never leave the demo's last referrals unreviewed
        reviewed = min(draft.minute + 15, REFERENCE_MINUTE)
    return {
        "review_due_at": due,
        "reviewed_at": moment_of(reviewed),
        "reviewed_by": specialist,
        "review_decision": "no_direct_threat",
        "review_reason": in_language(REVIEW_NO_THREAT, draft.lang),
    }


def _notice_minute(rng: np.random.Generator, draft: Draft, assessed: int) -> int:
    draw = rng.random()
    if draw < NOTICE_LATE_SHARE:
        return _at(draft.minute // MINUTES_PER_DAY + 1, 9 + 2 * rng.random())
    if draw < NOTICE_LATE_SHARE + NOTICE_SLOW_SHARE:
        return assessed + int(rng.integers(61, 181))
    return assessed + int(rng.integers(5, DEFAULT_NOTIFY_MINUTES + 1))


def _obligations(rng: np.random.Generator, world: World, draft: Draft, ledger: Ledger) -> None:
    """The consent (Rule 15) or the notifications (Rules 15, 18, 22) a request calls for."""
    received = moment_of(draft.minute)
    on = received.date()
    requirement = consent_requirement(
        world.children.birth[draft.child], on=on, direct_threat=draft.direct_threat
    )
    reps = world.children.representatives[draft.child]
    relation, name, _ = reps[int(rng.integers(len(reps)))]
    operator = world.staff.operators[int(rng.integers(len(world.staff.operators)))]
    if requirement.consent_needed and rng.random() < CONSENT_SHARE:
        given = min(draft.minute + int(rng.integers(5, 36 * 60)), REFERENCE_MINUTE)
        written = rng.random() < WRITTEN_CONSENT_SHARE
        withdrawn = None
        if rng.random() < WITHDRAWN_SHARE:
            later = given + int(rng.integers(5, 61)) * MINUTES_PER_DAY
            withdrawn = moment_of(later) if later <= REFERENCE_MINUTE else None
        ledger.consents.append(
            {
                "id": len(ledger.consents) + 1,
                "child_id": draft.child + 1,
                "request_id": draft.id,
                "kind": "written" if written else "informed",
                "given_by_enc": world.cipher.encrypt(name.full),
                "relation": relation,
                "scope": in_language(CONSENT_SCOPE, draft.lang),
                "given_at": moment_of(given),
                "document_ref": f"К-{on.year}/{draft.id:06d}" if written else None,
                "recorded_by": operator,
                "withdrawn_at": withdrawn,
                "withdrawn_reason": in_language(CONSENT_WITHDRAWN, draft.lang)
                if withdrawn
                else None,
            }
        )
    for code in (c for c in NOTIFICATION_RULES if c in requirement.notify):
        assessed = draft.threat_minute or draft.minute
        sent = _notice_minute(rng, draft, assessed)
        confirmed = (
            sent + int(rng.integers(10, 6 * 60)) if rng.random() < NOTICE_CONFIRMED_SHARE else None
        )
        ledger.notifications.append(
            {
                "id": len(ledger.notifications) + 1,
                "request_id": draft.id,
                "recipient": code,
                "rule": ", ".join(NOTIFICATION_RULES[code].rules),
                "owed_at": moment_of(assessed),
                "due_at": notification_due_at(moment_of(assessed)),
                "body_name": None,
                "added_by": None,
                "channel": NOTICE_CHANNELS[code],
                "recipient_detail": in_language(NOTIFICATION_RECIPIENTS[code], draft.lang),
                "sent_at": moment_of(sent) if sent <= REFERENCE_MINUTE else None,
                "sent_by": world.staff.manager if sent <= REFERENCE_MINUTE else None,
                "confirmed_at": (
                    moment_of(confirmed)
                    if confirmed is not None and confirmed <= REFERENCE_MINUTE
                    else None
                ),
                "confirmation_ref": (
                    f"№ {int(rng.integers(100, 9999))}"
                    if confirmed is not None and confirmed <= REFERENCE_MINUTE
                    else None
                ),
            }
        )
