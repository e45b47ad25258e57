"""Critical screening answers become priority-review requests in the journal (Rules 12–16).

A critical answer (e.g. PHQ-9 item 9 above "not at all") is a request from the education
organization (Rule 12.2) that arrived through the Center's platform. It is registered with a
journal number (Rule 13), the concern the instrument names (Rule 19) and ``priority_review``.
It is *not* marked as a direct threat — that is for the specialist to decide — but it may be
one, which Rule 16 wants considered on the day it arrives: so besides the ordinary term it is
due for a specialist's review the same working day, or the next working morning when it
arrives after hours (``review_due_at``; the decision is recorded by ``screening_review``).

The child is linked to the request, never left out: a child known by IIN is found through the
blind index; a child with an IIN the Center has not met yet is recorded from it (birth date and
sex come from the IIN); a respondent known only by the school's student code becomes a
provisional child (age, grade, school), completed when the school names the student
(``link_critical_children``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

import pandas as pd
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.importing import ParsedUpload
from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at, review_due_at
from pcenter_lib.domain.iin import parse_iin
from pcenter_lib.i18n import Translator
from pcenter_lib.models import Request, RequestConcern, ScreeningRound
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.calendar_admin import load_calendar
from pcenter_lib.services.children import SEXES, ChildDraft, ChildFacts, create_child
from pcenter_lib.services.intake import take_journal_number

CHANNEL: Final = "official_platform"  # Rule 12: results arrive through the Center's platform
SOURCE: Final = "education_organization"  # Rule 12.2


@dataclass(frozen=True)
class CriticalRequest:
    """A priority-review request made from one critical answer sheet."""

    request_id: int
    journal_number: str
    file_row: int
    concerns: tuple[str, ...]
    due_at: datetime


def _new_child(
    session: Session, cipher: IdentityCipher, actor: str, answers: pd.Series, school_id: int
) -> int:
    """Record the child of one critical answer sheet: from the IIN, or provisional."""
    iin = answers["iin"]
    grade = None if pd.isna(answers["grade"]) else int(answers["grade"])
    sex = answers["sex"] if answers["sex"] in SEXES else None
    if isinstance(iin, str):
        parsed = parse_iin(iin)
        facts = ChildFacts(parsed.value, parsed.birth_date, str(parsed.sex), None)
    else:
        age = None if pd.isna(answers["age"]) else int(answers["age"])
        facts = ChildFacts(None, None, sex, None, provisional=True, approx_age=age)
    draft = ChildDraft(education_organization_id=school_id, grade=grade)
    return create_child(session, cipher=cipher, actor=actor, draft=draft, facts=facts).id


def link_critical_children(
    session: Session,
    *,
    cipher: IdentityCipher,
    actor: str,
    parsed: ParsedUpload,
    child_ids: list[int | None],
    school_id: int,
) -> list[int | None]:
    """``child_ids`` with a child recorded for every critical answer sheet that had none.

    Rows of the same IIN, or of the same student code, share one child.
    """
    linked = list(child_ids)
    made: dict[str, int] = {}
    for position in parsed.critical_rows:
        if linked[position] is not None:
            continue
        answers = parsed.answers.loc[position]
        key = answers["iin"] if isinstance(answers["iin"], str) else f"code:{answers['student_code']}"
        if key not in made:
            made[key] = _new_child(session, cipher, actor, answers, school_id)
        linked[position] = made[key]
    return linked


def request_priority_reviews(
    session: Session,
    *,
    actor: str,
    screening_round: ScreeningRound,
    parsed: ParsedUpload,
    child_ids: list[int | None],
    codes: list[str | None],
    lang: str,
    moment: datetime,
) -> list[CriticalRequest]:
    """One journal request per critical answer sheet, in the caller's transaction.

    ``child_ids`` and ``codes`` hold, per row of the upload, the known child (or None) and the
    code stored with the result. Each request gets the next journal number (Rule 13) and is due
    by the ordinary Rule 16 term, counted from ``moment``.
    """
    if parsed.concerns.empty and not parsed.scores["critical"].any():
        return []
    t = Translator(lang)
    calendar = load_calendar(session)
    due_at = consideration_due_at(moment, direct_threat=False, calendar=calendar)  # Rule 16
    review_due = review_due_at(moment, calendar=calendar)  # Rule 16: same working day
    year = moment.astimezone(KZ_TZ).year
    made: list[CriticalRequest] = []
    for position in parsed.critical_rows:
        flags = parsed.concerns.loc[position]
        concerns = tuple(c for c in flags.index if bool(flags[c]) and c in CONCERN_CODES)
        answers = parsed.answers.loc[position]
        hits = ", ".join(
            f"{rule.item} = {int(answers[rule.item])}"
            for rule in parsed.instrument.critical_items
            if not pd.isna(answers[rule.item]) and int(answers[rule.item]) in rule.values
        )
        description = t(
            "Critical answer in screening ({instrument}, {period}, round {round}): {hits}. "
            "Student {code}, grade {grade}, age {age}. For priority review; the specialist "
            "decides whether there is a direct threat.",
            instrument=parsed.instrument.code,
            period=screening_round.period,
            round=screening_round.id,
            hits=hits,
            code=codes[position] or "—",
            grade="—" if pd.isna(answers["grade"]) else int(answers["grade"]),
            age=int(answers["age"]),
        )
        request = Request(
            journal_year=year,
            journal_seq=take_journal_number(session, year),  # Rule 13
            received_at=moment,
            registered_at=moment,
            registered_by=actor,
            channel=CHANNEL,
            source=SOURCE,
            child_id=child_ids[position],
            education_organization_id=screening_round.education_organization_id,
            description=description,
            direct_threat=False,
            due_at=due_at,
            status="open",
            priority_review=True,
            review_due_at=review_due,
            origin=f"screening:{screening_round.id}",
        )
        request.concerns = [RequestConcern(concern=code) for code in concerns]
        session.add(request)
        session.flush()
        record_event(
            session,
            actor=actor,
            action="create",
            entity="request",
            entity_id=request.id,
            details={
                "journal_number": request.journal_number,
                "origin": request.origin,
                "priority_review": True,
                "concerns": list(concerns),
                "child": child_ids[position],
                "file_row": int(parsed.file_rows[position]),
            },
        )
        made.append(
            CriticalRequest(
                request.id,
                request.journal_number,
                int(parsed.file_rows[position]),
                concerns,
                due_at,
            )
        )
    return made
