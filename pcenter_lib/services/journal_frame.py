"""The registration journal as an in-memory frame, read once and filtered fast (Rules 13, 16).

``load_journal_frame`` reads every entry into a pandas frame (no identity data in it), sorted
so that open direct-threat requests come first and then the newest. Besides the journal's own
columns it carries what the "action needed" view sorts by: the same-day review of critical
screening answers (``priority_review``, ``reviewed``, ``review_due_s``) and the notifications a
direct threat still owes (``unsent``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.models import Child, Notification, Request, RequestConcern
from pcenter_lib.services.plain_rows import fetch_plain_rows
from pcenter_lib.services.users import load_actor

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
NO_TIME = np.iinfo(np.int64).max  # seconds of a missing moment: sorts last


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
# Columns a caller may leave out (the benchmark's synthetic journal does): false / none / 0.
OPTIONAL_COLUMNS: tuple[str, ...] = ("priority_review", "reviewed_at", "review_due_at", "unsent")


def _moments(values: Sequence[object]) -> pd.Series:
    """A UTC datetime column from aware datetimes or the database's UTC text (None → NaT)."""
    column = pd.Series(list(values), dtype=object)
    return pd.Series(pd.to_datetime(column, utc=True, format="ISO8601"))


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
    count = len(ids)
    frame["priority_review"] = np.asarray(
        columns.get("priority_review", [False] * count), dtype=bool
    )
    frame["reviewed"] = _moments(columns.get("reviewed_at", [None] * count)).notna().to_numpy()
    review_due = _moments(columns.get("review_due_at", [None] * count))
    frame["review_due_at"] = review_due
    frame["review_due_s"] = np.where(
        review_due.notna(), _epoch_seconds(review_due.fillna(pd.Timestamp(0, tz=UTC))), NO_TIME
    )
    frame["unsent"] = np.asarray(columns.get("unsent", [0] * count), dtype=np.int64)
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
    statement = (
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
            Request.priority_review,
            Request.reviewed_at,
            Request.review_due_at,
        ).outerjoin(Child, Child.id == Request.child_id)
    )
    # the driver's values (a region's 26,000 requests: no per-value result processing);
    # moments come as the database keeps them, UTC, and ``_moments`` reads them as UTC
    rows = [row for chunk in fetch_plain_rows(session, statement) for row in chunk]
    names = JOURNAL_COLUMNS + OPTIONAL_COLUMNS[:3]
    values = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    columns: dict[str, Sequence[object]] = dict(zip(names, values, strict=True))
    unsent = {
        int(request_id): int(count)
        for request_id, count in session.execute(
            select(Notification.request_id, func.count())
            .where(Notification.sent_at.is_(None))
            .group_by(Notification.request_id)
        )
    }
    columns["unsent"] = [unsent.get(int(str(i)), 0) for i in columns["id"]]
    concerns = [
        (int(rid), str(code))
        for rid, code in session.execute(select(RequestConcern.request_id, RequestConcern.concern))
    ]
    return journal_frame(columns, concerns)
