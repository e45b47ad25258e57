"""Critical screening answers become priority-review requests in the journal (Rules 12–16).

A critical answer (e.g. PHQ-9 item 9 above "not at all") is a request from the education
organization (Rule 12.2) that arrived through the Center's platform. It is registered with a
journal number (Rule 13), the concern the instrument names (Rule 19) and ``priority_review``.
It is *not* marked as a direct threat — that is for the specialist to decide — but it may be
one, which Rule 16 wants considered on the day it arrives: so besides the ordinary term it is
due for a specialist's review the same working day, or the next working morning when it
arrives after hours (``review_due_at``; the decision is recorded by ``screening_review``).

The child is linked to the request, never left out (``critical_children``). Everything is
computed before the round's first write and written in batches, so that a large round holds
SQLite's writer lock for a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final, cast

import numpy as np
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.importing import ParsedUpload
from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at, review_due_at
from pcenter_lib.i18n import Translator
from pcenter_lib.models import Request, RequestConcern, ScreeningRound
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.calendar_admin import load_calendar
from pcenter_lib.services.intake import take_journal_numbers

CHANNEL: Final = "official_platform"  # Rule 12: results arrive through the Center's platform
SOURCE: Final = "education_organization"  # Rule 12.2
BATCH: Final = 2000
_REQUESTS: Final = cast(Table, Request.__table__)
_CONCERNS: Final = cast(Table, RequestConcern.__table__)


ROUND_TOKEN: Final = (
    "\x00round\x00"  # stands for the round's id until it has one (no cell holds a NUL)
)


@dataclass(frozen=True)
class CriticalRequest:
    """A priority-review request made from one critical answer sheet."""

    request_id: int
    journal_number: str
    file_row: int
    concerns: tuple[str, ...]
    due_at: datetime


@dataclass(frozen=True)
class PreparedReviews:
    """Everything the priority-review requests need except the round's id and their numbers,
    computed before the round's first write (SQLite's writer lock is held from that write on)."""

    rows: tuple[tuple[int, tuple[str, ...], str], ...]  # (position, concerns, description)
    values: tuple[dict[str, object], ...]  # the requests' columns but journal_seq and origin
    due_at: datetime
    year: int
    file_rows: tuple[int, ...]


def _critical_rows(
    parsed: ParsedUpload, codes: list[str | None], *, t: Translator, period: str
) -> list[tuple[int, tuple[str, ...], str]]:
    """(position, concerns, description) of every critical answer sheet.

    Columns are taken out of the frames once (no per-row ``.loc``), so thousands of rows cost
    milliseconds; the round's id in the description is ``ROUND_TOKEN`` until it is known.
    """
    positions = [int(p) for p in parsed.critical_rows]
    if not positions:
        return []
    flags = parsed.concerns.loc[positions]
    concern_columns = [c for c in flags.columns if c in CONCERN_CODES]
    flag_values = flags[concern_columns].to_numpy(dtype=bool)
    answers = parsed.answers.loc[positions]
    rules = parsed.instrument.critical_items
    item_values = {
        rule.item: answers[rule.item].to_numpy(dtype=float, na_value=np.nan) for rule in rules
    }
    grades = answers["grade"].to_numpy(dtype=float, na_value=np.nan)
    ages = answers["age"].to_numpy(dtype=float, na_value=np.nan)
    made = []
    for n, position in enumerate(positions):
        concerns = tuple(c for c, on in zip(concern_columns, flag_values[n], strict=True) if on)
        hits = ", ".join(
            f"{rule.item} = {int(item_values[rule.item][n])}"
            for rule in rules
            if not np.isnan(item_values[rule.item][n])
            and int(item_values[rule.item][n]) in rule.values
        )
        description = t(
            "Critical answer in screening ({instrument}, {period}, round {round}): {hits}. "
            "Student {code}, grade {grade}, age {age}. For priority review; the specialist "
            "decides whether there is a direct threat.",
            instrument=parsed.instrument.code,
            period=period,
            round=ROUND_TOKEN,
            hits=hits,
            code=codes[position] or "—",
            grade="—" if np.isnan(grades[n]) else int(grades[n]),
            age=int(ages[n]),
        )
        made.append((position, concerns, description))
    return made


def prepare_priority_reviews(
    session: Session,
    *,
    actor: str,
    parsed: ParsedUpload,
    child_ids: list[int | None],
    codes: list[str | None],
    school_id: int,
    period: str,
    lang: str,
    moment: datetime,
) -> PreparedReviews:
    """The requests of every critical answer sheet, computed in memory (reads only).

    A critical answer is a request from the education organization (Rule 12.2), due by the
    ordinary Rule 16 term counted from ``moment``, and due for a specialist's review the same
    working day (the next working morning after hours).
    """
    rows = _critical_rows(parsed, codes, t=Translator(lang), period=period)
    calendar = load_calendar(session)
    due_at = consideration_due_at(moment, direct_threat=False, calendar=calendar)  # Rule 16
    review_due = review_due_at(moment, calendar=calendar)  # Rule 16: the same working day
    values: tuple[dict[str, object], ...] = tuple(
        {
            "journal_year": moment.astimezone(KZ_TZ).year,
            "received_at": moment,
            "registered_at": moment,
            "registered_by": actor,
            "channel": CHANNEL,
            "source": SOURCE,
            "child_id": child_ids[position],
            "education_organization_id": school_id,
            "description": description,
            "direct_threat": False,
            "due_at": due_at,
            "status": "open",
            "priority_review": True,
            "review_due_at": review_due,
            "version": 1,
        }
        for position, _concerns, description in rows
    )
    return PreparedReviews(
        tuple(rows),
        values,
        due_at,
        moment.astimezone(KZ_TZ).year,
        tuple(int(parsed.file_rows[position]) for position, _c, _d in rows),
    )


def write_priority_reviews(
    session: Session,
    *,
    actor: str,
    prepared: PreparedReviews,
    screening_round: ScreeningRound,
    children: Mapping[int, int] | None = None,
) -> list[CriticalRequest]:
    """Write the prepared requests for ``screening_round``, in the caller's transaction.

    ``children`` maps a row's position to the child recorded for it meanwhile
    (``critical_children.write_critical_children``); other rows keep the known child.

    They are written in batches — one counter update for consecutive journal numbers (Rule 13),
    bulk inserts, one audit event naming every request — so that a large round holds SQLite's
    writer lock for a fraction of a second, not one flush and one audit event per row (which
    made other people's saves time out).
    """
    if not prepared.rows:
        return []
    count, year = len(prepared.rows), prepared.year
    first = take_journal_numbers(session, year, count)  # Rule 13: consecutive, no gaps
    origin = f"screening:{screening_round.id}"
    round_id = str(screening_round.id)
    linked = children or {}
    values = [
        {
            **row,
            "journal_seq": first + n,
            "origin": origin,
            "description": str(row["description"]).replace(ROUND_TOKEN, round_id),
            "child_id": linked.get(position, row["child_id"]),
        }
        for n, (row, (position, _concerns, _text)) in enumerate(
            zip(prepared.values, prepared.rows, strict=True)
        )
    ]
    for start in range(0, count, BATCH):
        session.execute(insert(_REQUESTS), values[start : start + BATCH])
    found = session.execute(
        select(Request.journal_seq, Request.id).where(
            Request.journal_year == year, Request.journal_seq.between(first, first + count - 1)
        )
    )
    ids = {int(seq): int(request_id) for seq, request_id in found}
    concern_rows = [
        {"request_id": ids[first + n], "concern": code}
        for n, (_position, concerns, _text) in enumerate(prepared.rows)
        for code in concerns
    ]
    for start in range(0, len(concern_rows), BATCH):
        session.execute(insert(_CONCERNS), concern_rows[start : start + BATCH])
    made = [
        CriticalRequest(
            ids[first + n],
            f"{year}/{first + n:06d}",
            prepared.file_rows[n],
            concerns,
            prepared.due_at,
        )
        for n, (_position, concerns, _text) in enumerate(prepared.rows)
    ]
    record_event(
        session,
        actor=actor,
        action="create",
        entity="request",
        details={
            "origin": origin,
            "priority_review": True,
            "count": count,
            "request_ids": [m.request_id for m in made],
            "child_ids": [row["child_id"] for row in values],
            "journal_numbers": [m.journal_number for m in made],
            "file_rows": [m.file_row for m in made],
        },
    )
    return made
