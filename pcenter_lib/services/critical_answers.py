"""Critical screening answers become priority-review requests in the journal (Rules 12–16).

A critical answer (e.g. PHQ-9 item 9 above "not at all") is a request from the education
organization (Rule 12.2) that arrived through the Center's platform. It is registered with a
journal number (Rule 13), the concern the instrument names (Rule 19) and ``priority_review``,
so the duty specialist sees it the same day in the priority queue. It is *not* marked as a
direct threat and gets the ordinary two-working-day term (Rule 16): whether there is a direct
threat is for the specialist to decide, and marking it then moves the deadline to the same day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

import pandas as pd
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.importing import ParsedUpload
from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at
from pcenter_lib.i18n import Translator
from pcenter_lib.models import Request, RequestConcern, ScreeningRound
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.calendar_admin import load_calendar
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
