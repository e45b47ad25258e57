"""The registration journal as a table: load once, filter fast, page (Rules 13, 16).

``load_journal_frame`` (``journal_frame``) reads every entry into a pandas frame (no identity
data in it). ``filter_journal`` applies a ``JournalFilter`` with vectorized masks — period,
status, channel, source, concern, school, due mark, critical screening answers and text search
— so a journal of 100,000 requests filters in a few tens of milliseconds and the app can keep
the frame in memory. ``query_journal`` adds what needs the database: search by a child's name or
IIN through the blind indexes (identity roles only, audited) and paging.

The **action-needed view** keeps only the work still to do, most urgent first (``ACTION_RANKS``):
critical screening answers awaiting their same-day review (Rule 16), then direct threats that
still owe notifications (Rules 18, 22), open direct threats, overdue requests, requests due
today, and the other open requests by due time.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.i18n import N_
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.child_search import identity_matches
from pcenter_lib.services.journal_frame import JOURNAL_COLUMNS as JOURNAL_COLUMNS
from pcenter_lib.services.journal_frame import journal_frame as journal_frame
from pcenter_lib.services.journal_frame import load_journal_frame as load_journal_frame
from pcenter_lib.services.users import load_actor

# The due mark of a journal row (Rule 16): not considered and past due, due today, not yet
# due, or already considered.
DUE_MARKS: tuple[tuple[str, str], ...] = (
    ("overdue", N_("Overdue")),
    ("due_today", N_("Due today")),
    ("open", N_("Not yet due")),
    ("considered", N_("Considered")),
)
VIEWS: tuple[tuple[str, str], ...] = (
    ("action_needed", N_("Action needed")),
    ("all", N_("Whole journal")),
)
# Ranks of the action-needed view, most urgent first; a row with none of them needs no action.
ACTION_RANKS: tuple[tuple[str, str], ...] = (
    ("review", N_("Critical screening answer: review today")),
    ("notify", N_("Direct threat: notifications still owed")),
    ("threat", N_("Direct threat open")),
    ("overdue", N_("Overdue")),
    ("due_today", N_("Due today")),
    ("open", N_("Open")),
)
NO_ACTION = len(ACTION_RANKS)


@dataclass(frozen=True, slots=True)
class JournalFilter:
    """What the journal shows; empty tuples mean "any"."""

    date_from: date | None = None
    date_to: date | None = None
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    school_ids: tuple[int, ...] = ()
    due_marks: tuple[str, ...] = ()
    direct_threat_only: bool = False
    search: str = ""
    critical_only: bool = False  # requests made from critical screening answers
    view: str = "all"  # all | action_needed


@dataclass(frozen=True, slots=True)
class JournalRow:
    id: int
    journal_number: str
    received_at: datetime
    due_at: datetime
    due_mark: str
    status: str
    channel: str
    source: str
    concerns: tuple[str, ...]
    school_id: int | None
    child_id: int | None
    child_code: str | None
    direct_threat: bool
    description: str
    version: int
    priority_review: bool = False
    awaiting_review: bool = False
    review_due_at: datetime | None = None
    action: str | None = None  # a code of ACTION_RANKS, in the action-needed view


@dataclass(frozen=True, slots=True)
class JournalPage:
    rows: tuple[JournalRow, ...]
    total: int
    page: int
    pages: int


DUE_MARK_CODES: tuple[str, ...] = tuple(code for code, _label in DUE_MARKS)


def due_mark_index(frame: pd.DataFrame, *, now: datetime) -> np.ndarray:
    """Each row's due mark at ``now`` as an index into ``DUE_MARK_CODES`` (vectorized
    ``deadlines.due_status``; the whole due second still counts as on time)."""
    now_s = int(now.astimezone(UTC).timestamp())
    today = now.astimezone(KZ_TZ).date().toordinal()
    considered = frame["considered"].to_numpy()
    overdue = ~considered & (frame["due_s"].to_numpy() < now_s)
    due_today = ~considered & ~overdue & (frame["due_day"].to_numpy() == today)
    marks = np.full(len(frame), DUE_MARK_CODES.index("open"), dtype=np.int8)
    marks[considered] = DUE_MARK_CODES.index("considered")
    marks[overdue] = DUE_MARK_CODES.index("overdue")
    marks[due_today] = DUE_MARK_CODES.index("due_today")
    return marks


def due_mark_column(frame: pd.DataFrame, *, now: datetime) -> np.ndarray:
    """The due mark of every row at ``now``, as codes (``overdue``, ``due_today``, ...)."""
    labels: np.ndarray = np.array(DUE_MARK_CODES, dtype=object)[due_mark_index(frame, now=now)]
    return labels


def filter_mask(
    frame: pd.DataFrame,
    flt: JournalFilter,
    *,
    now: datetime,
    extra_request_ids: Collection[int] = (),
    marks: np.ndarray | None = None,
) -> np.ndarray:
    """A boolean mask of the rows ``flt`` keeps; ``extra_request_ids`` also match the search.

    ``marks`` are the rows' ``due_mark_index`` at ``now`` when the caller has them already.
    """
    mask = np.ones(len(frame), dtype=bool)
    if flt.date_from is not None:
        mask &= frame["received_day"].to_numpy() >= flt.date_from.toordinal()
    if flt.date_to is not None:
        mask &= frame["received_day"].to_numpy() <= flt.date_to.toordinal()
    for column, wanted in (
        ("status", flt.statuses),
        ("channel", flt.channels),
        ("source", flt.sources),
    ):
        if wanted:
            mask &= frame[column].isin(wanted).to_numpy()
    if flt.school_ids:
        mask &= np.isin(frame["school_id"].to_numpy(), np.array(flt.school_ids, dtype=np.int64))
    if flt.concerns:
        any_concern = np.zeros(len(frame), dtype=bool)
        for code in flt.concerns:
            any_concern |= frame[f"concern__{code}"].to_numpy()
        mask &= any_concern
    if flt.direct_threat_only:
        mask &= frame["direct_threat"].to_numpy()
    if flt.critical_only:
        mask &= frame["priority_review"].to_numpy()
    if flt.due_marks:
        rows_marks = due_mark_index(frame, now=now) if marks is None else marks
        wanted_marks = [DUE_MARK_CODES.index(code) for code in flt.due_marks]
        mask &= np.isin(rows_marks, np.array(wanted_marks, dtype=np.int8))
    needle = " ".join(flt.search.split()).casefold()
    if needle:
        # Only rows still kept are searched: the costly part runs on the fewest rows.
        candidates = np.flatnonzero(mask)
        texts = frame["search_text"].to_numpy()[candidates]
        found = np.fromiter((needle in text for text in texts), bool, len(texts))
        if extra_request_ids:
            ids = frame["id"].to_numpy()[candidates]
            found |= np.isin(ids, np.fromiter(extra_request_ids, dtype=np.int64))
        mask[candidates] = found
    return mask


def action_rank(frame: pd.DataFrame, *, marks: np.ndarray) -> np.ndarray:
    """Each row's rank in ``ACTION_RANKS`` (``NO_ACTION`` when nothing is to be done)."""
    still_open = (frame["status"] != "closed").to_numpy()
    threat = frame["direct_threat"].to_numpy() & still_open
    considered = frame["considered"].to_numpy()
    conditions = (
        frame["priority_review"].to_numpy() & ~frame["reviewed"].to_numpy() & still_open,
        threat & (frame["unsent"].to_numpy() > 0),
        threat & ~considered,
        marks == DUE_MARK_CODES.index("overdue"),
        marks == DUE_MARK_CODES.index("due_today"),
        still_open & ~considered,
    )
    ranks = np.full(len(frame), NO_ACTION, dtype=np.int8)
    for rank in range(len(conditions) - 1, -1, -1):
        ranks[conditions[rank]] = rank
    return ranks


def filter_journal(
    frame: pd.DataFrame,
    flt: JournalFilter,
    *,
    now: datetime,
    extra_request_ids: Collection[int] = (),
) -> pd.DataFrame:
    """The rows ``flt`` keeps with their ``due_mark`` at ``now``: in journal order, or in the
    action-needed view only the rows needing action, most urgent first."""
    marks = due_mark_index(frame, now=now)
    mask = filter_mask(frame, flt, now=now, extra_request_ids=extra_request_ids, marks=marks)
    action = np.full(len(frame), NO_ACTION, dtype=np.int8)
    if flt.view == "action_needed":
        action = action_rank(frame, marks=marks)
        mask &= action < NO_ACTION
    kept = frame[mask].assign(
        due_mark=np.array(DUE_MARK_CODES, dtype=object)[marks[mask]], action=action[mask]
    )
    if flt.view == "action_needed":
        first_due = np.where(
            kept["action"].to_numpy() == 0,
            kept["review_due_s"].to_numpy(),
            kept["due_s"].to_numpy(),
        )
        kept = kept.assign(first_due=first_due).sort_values(
            ["action", "first_due", "received_s"], kind="stable"
        )
    return kept


def _optional_id(value: Any) -> int | None:
    number = int(value)
    return None if number < 0 else number


def _row(record: dict[Hashable, Any]) -> JournalRow:
    code = record["child_code"]
    review_due = record.get("review_due_at")
    action = int(record.get("action", NO_ACTION))
    return JournalRow(
        id=int(record["id"]),
        journal_number=str(record["journal_number"]),
        received_at=record["received_at"].to_pydatetime().astimezone(KZ_TZ),
        due_at=record["due_at"].to_pydatetime().astimezone(KZ_TZ),
        due_mark=str(record["due_mark"]),
        status=str(record["status"]),
        channel=str(record["channel"]),
        source=str(record["source"]),
        concerns=tuple(record["concerns"]),
        school_id=_optional_id(record["school_id"]),
        child_id=_optional_id(record["child_id"]),
        child_code=code if isinstance(code, str) else None,
        direct_threat=bool(record["direct_threat"]),
        description=str(record["description"]),
        version=int(record["version"]),
        priority_review=bool(record["priority_review"]),
        awaiting_review=bool(record["priority_review"]) and not bool(record["reviewed"]),
        review_due_at=None
        if review_due is None or pd.isna(review_due)
        else review_due.to_pydatetime().astimezone(KZ_TZ),
        action=ACTION_RANKS[action][0] if action < NO_ACTION else None,
    )


def journal_rows(frame: pd.DataFrame) -> list[JournalRow]:
    """The rows of a filtered frame (one with ``due_mark``) as plain records."""
    return [_row(record) for record in frame.to_dict("records")]


def page_of(frame: pd.DataFrame, *, page: int, page_size: int) -> JournalPage:
    """One page of an already filtered frame (pages count from 1)."""
    total = len(frame)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    chunk = frame.iloc[(page - 1) * page_size : page * page_size]
    return JournalPage(tuple(journal_rows(chunk)), total, page, pages)


def query_journal(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    flt: JournalFilter,
    page: int = 1,
    page_size: int = 50,
    now: datetime | None = None,
    frame: pd.DataFrame | None = None,
) -> JournalPage:
    """One page of the journal under ``flt``; pass ``frame`` to reuse one already loaded."""
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    data = frame if frame is not None else load_journal_frame(session, actor=actor)
    extra = (
        identity_matches(session, actor=actor, cipher=cipher, text=flt.search)
        if flt.search
        else set()
    )
    kept = filter_journal(data, flt, now=now or utcnow(), extra_request_ids=extra)
    return page_of(kept, page=page, page_size=page_size)
