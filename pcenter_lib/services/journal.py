"""The registration journal as a table: load once, filter fast, page (Rules 13, 16).

``load_journal_frame`` reads every entry into a pandas frame (no identity data in it), sorted
so that open direct-threat requests come first and then the newest. ``filter_journal`` applies
a ``JournalFilter`` with vectorized masks — period, status, channel, source, concern, school,
due mark and text search — so a journal of 100,000 requests filters in a few tens of
milliseconds and the app can keep the frame in memory. ``query_journal`` adds what needs the
database: search by a child's name or IIN (identity roles only, audited) and paging.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, Request, RequestConcern
from pcenter_lib.models.base import utcnow
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.children import identity_matches
from pcenter_lib.services.users import load_actor

# The due mark of a journal row (Rule 16): not considered and past due, due today, not yet
# due, or already considered.
DUE_MARKS: tuple[tuple[str, str], ...] = (
    ("overdue", N_("Overdue")),
    ("due_today", N_("Due today")),
    ("open", N_("Not yet due")),
    ("considered", N_("Considered")),
)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


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


@dataclass(frozen=True, slots=True)
class JournalPage:
    rows: tuple[JournalRow, ...]
    total: int
    page: int
    pages: int


def _epoch_seconds(moments: pd.Series) -> np.ndarray:
    """Seconds since 1970 (UTC) of aware moments, whatever pandas' time resolution."""
    naive = moments.dt.tz_convert(UTC).dt.tz_localize(None)
    seconds: np.ndarray = naive.to_numpy(dtype="datetime64[s]").astype(np.int64)
    return seconds


def _local_day(moments: pd.Series) -> np.ndarray:
    """Kazakhstan local days of aware moments, as ``date.toordinal()`` numbers."""
    local = moments.dt.tz_convert(KZ_TZ).dt.tz_localize(None)
    days: np.ndarray = local.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    ordinals: np.ndarray = days.astype(np.int64) + _EPOCH_ORDINAL
    return ordinals


JOURNAL_COLUMNS: tuple[str, ...] = (
    "id",
    "journal_year",
    "journal_seq",
    "received_at",
    "due_at",
    "considered_at",
    "status",
    "channel",
    "source",
    "school_id",
    "child_id",
    "child_code",
    "direct_threat",
    "description",
    "version",
)


def _moments(values: Sequence[object]) -> pd.Series:
    """A UTC datetime column from aware datetimes (None → NaT)."""
    return pd.Series(pd.to_datetime(pd.Series(list(values), dtype=object), utc=True))


def _ids(values: Sequence[object]) -> np.ndarray:
    """Integer ids with -1 for none."""
    return np.fromiter((-1 if v is None else int(str(v)) for v in values), np.int64, len(values))


def journal_frame(
    columns: Mapping[str, Sequence[object]], concerns: Sequence[tuple[int, str]]
) -> pd.DataFrame:
    """Build the in-memory journal from columns named as ``JOURNAL_COLUMNS`` (one list each)
    and the (request id, concern code) pairs; used by the loader and the benchmark."""
    ids = np.fromiter((int(str(v)) for v in columns["id"]), np.int64, len(columns["id"]))
    frame = pd.DataFrame(
        {
            "id": ids,
            "journal_year": np.asarray(columns["journal_year"], dtype=np.int64),
            "journal_seq": np.asarray(columns["journal_seq"], dtype=np.int64),
            "received_at": _moments(columns["received_at"]),
            "due_at": _moments(columns["due_at"]),
            "considered_at": _moments(columns["considered_at"]),
            "status": pd.Categorical([str(v) for v in columns["status"]]),
            "channel": pd.Categorical([str(v) for v in columns["channel"]]),
            "source": pd.Categorical([str(v) for v in columns["source"]]),
            "school_id": _ids(columns["school_id"]),
            "child_id": _ids(columns["child_id"]),
            "child_code": pd.Series(list(columns["child_code"]), dtype=object),
            "direct_threat": np.asarray(columns["direct_threat"], dtype=bool),
            "version": np.asarray(columns["version"], dtype=np.int64),
        }
    )
    frame["received_s"] = _epoch_seconds(frame["received_at"])
    frame["due_s"] = _epoch_seconds(frame["due_at"])
    frame["received_day"] = _local_day(frame["received_at"])
    frame["due_day"] = _local_day(frame["due_at"])
    frame["considered"] = frame["considered_at"].notna()
    numbers = [
        f"{y}/{s:06d}" for y, s in zip(columns["journal_year"], columns["journal_seq"], strict=True)
    ]
    texts = ["" if d is None else str(d) for d in columns["description"]]
    frame["journal_number"] = pd.Series(numbers, dtype=object)
    frame["description"] = pd.Series(texts, dtype=object)
    frame["search_text"] = pd.Series(
        [f"{n} {d}".casefold() for n, d in zip(numbers, texts, strict=True)], dtype=object
    )
    by_request: dict[int, list[str]] = {}
    for request_id, code in concerns:
        by_request.setdefault(request_id, []).append(code)
    frame["concerns"] = pd.Series(
        [tuple(sorted(by_request.get(i, ()))) for i in ids.tolist()], dtype=object
    )
    pairs = pd.DataFrame(list(concerns), columns=["request_id", "code"])
    for code in CONCERN_CODES:
        members = pairs.loc[pairs["code"] == code, "request_id"].to_numpy(dtype=np.int64)
        frame[f"concern__{code}"] = np.isin(ids, members)
    frame["threat_open"] = (
        frame["direct_threat"] & ~frame["considered"] & (frame["status"] != "closed")
    )
    frame = frame.sort_values(
        ["threat_open", "received_s"], ascending=[False, False], kind="stable"
    )
    return frame.reset_index(drop=True)


def load_journal_frame(session: Session, *, actor: str) -> pd.DataFrame:
    """Every journal entry, without identity data, open direct threats first then newest."""
    require(load_actor(session, actor), UseCase.VIEW_JOURNAL)
    rows = session.execute(
        select(
            Request.id,
            Request.journal_year,
            Request.journal_seq,
            Request.received_at,
            Request.due_at,
            Request.considered_at,
            Request.status,
            Request.channel,
            Request.source,
            Request.education_organization_id,
            Request.child_id,
            Child.code,
            Request.direct_threat,
            Request.description,
            Request.version,
        ).outerjoin(Child, Child.id == Request.child_id)
    ).all()
    values = list(zip(*rows, strict=True)) if rows else [() for _ in JOURNAL_COLUMNS]
    columns = dict(zip(JOURNAL_COLUMNS, values, strict=True))
    concerns = [
        (int(rid), str(code))
        for rid, code in session.execute(select(RequestConcern.request_id, RequestConcern.concern))
    ]
    return journal_frame(columns, concerns)


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


def filter_journal(
    frame: pd.DataFrame,
    flt: JournalFilter,
    *,
    now: datetime,
    extra_request_ids: Collection[int] = (),
) -> pd.DataFrame:
    """The rows ``flt`` keeps, in journal order, with their ``due_mark`` at ``now``."""
    marks = due_mark_index(frame, now=now)
    mask = filter_mask(frame, flt, now=now, extra_request_ids=extra_request_ids, marks=marks)
    kept = frame[mask]
    return kept.assign(due_mark=np.array(DUE_MARK_CODES, dtype=object)[marks[mask]])


def _optional_id(value: Any) -> int | None:
    number = int(value)
    return None if number < 0 else number


def _row(record: dict[Hashable, Any]) -> JournalRow:
    code = record["child_code"]
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
