"""When a request must have been considered (Rule 16), for one request or a whole table.

Rule 16: "A request is considered within no more than 2 (two) working days; where there is a
direct threat to a minor's life or health, immediately, on the day the notification is
received." The rule is kept as data — ``CONSIDERATION_POLICIES`` — read by one function,
``consideration_due_at``; ``consideration_due_at_many`` applies the same table to a pandas
column, computing each distinct day of receipt once.

Days are Kazakhstan local days (``KZ_TZ``). A request received on a day is due at the end of its
last day (23:59:59 local time). The two working days start on the day after the day of receipt,
as terms counted in days do; the day of receipt is not counted whatever its kind.

Two shorter clocks run beside Rule 16:

* ``notification_due_at`` — Rules 18 and 22 say "immediately". "By the end of the day" would let
  a notice about a child in danger wait fifteen hours, so "immediately" is measured in minutes
  after the threat became known: ``DEFAULT_NOTIFY_MINUTES`` (60) unless the Center sets
  another number (``PCENTER_NOTIFY_MINUTES``).
* ``review_due_at`` — a critical screening answer may be a direct threat, which Rule 16 wants
  considered on the day it arrives; so a specialist reviews it the same working day, or the
  next working morning when it arrives after working hours (``SAME_DAY_REVIEW``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from pcenter_lib.domain.calendar import KazakhstanCalendar
from pcenter_lib.errors import PcenterError, ValidationError
from pcenter_lib.i18n import N_

DueStatus = Literal["overdue", "due_today", "open"]

END_OF_DAY: Final = time(23, 59, 59)
_UTC_PLUS_5: Final = timedelta(hours=5)


def _kazakhstan_zone() -> tzinfo:
    """Kazakhstan's time zone: ``Asia/Almaty`` if the installed tzdata knows the 2024 change.

    Since 1 March 2024 all of Kazakhstan is on UTC+5. tzdata from 2024a on says so for
    Asia/Almaty (this machine's does: 2026f). An older system tzdata would still say UTC+6 and
    put every deadline an hour off, so in that case a fixed UTC+5 zone is used instead; it is
    wrong only for instants before March 2024, which no open request has.
    """
    try:
        zone: tzinfo = ZoneInfo("Asia/Almaty")
    except ZoneInfoNotFoundError:
        return timezone(_UTC_PLUS_5, "Asia/Almaty")
    if datetime(2024, 3, 1, 12, tzinfo=zone).utcoffset() == _UTC_PLUS_5:
        return zone
    return timezone(_UTC_PLUS_5, "Asia/Almaty")


KZ_TZ: Final = _kazakhstan_zone()


class NaiveDatetimeError(PcenterError, ValueError):
    """A moment without a time zone was given where the time zone decides the day."""


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    """How long a kind of request may wait: ``working_days`` after the day of receipt.

    ``working_days == 0`` means the day of receipt itself, whatever kind of day it is.
    """

    key: str
    direct_threat: bool
    working_days: int
    rule: str
    label: str


CONSIDERATION_POLICIES: Final = (
    # Rule 16: considered within no more than 2 (two) working days.
    DeadlinePolicy(
        key="ordinary",
        direct_threat=False,
        working_days=2,
        rule="Rule 16",
        label=N_("Within 2 working days"),
    ),
    # Rule 16: direct threat to a minor's life or health — immediately, on the day of receipt.
    DeadlinePolicy(
        key="direct_threat",
        direct_threat=True,
        working_days=0,
        rule="Rule 16",
        label=N_("Immediately, on the day of receipt"),
    ),
)

DUE_STATUS_LABELS: Final[dict[DueStatus, str]] = {
    "overdue": N_("Overdue"),
    "due_today": N_("Due today"),
    "open": N_("Not yet due"),
}


DEFAULT_NOTIFY_MINUTES: Final = 60  # Rules 18, 22: "immediately", in minutes
MAX_NOTIFY_MINUTES: Final = 24 * 60  # a setting beyond a day would not be "immediately"


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    """When a specialist must have reviewed a critical screening answer (Rule 16).

    Received on a working day before ``workday_end``: due at ``workday_end`` that day (at
    ``next_morning_by`` if it came before ``workday_start``, the morning of that same day).
    Received later, or on a day off: due at ``next_morning_by`` of the next working day.
    """

    workday_start: time
    workday_end: time
    next_morning_by: time
    rule: str
    label: str


# Rule 16: a possible direct threat is considered on the day it arrives. Working hours follow the
# Center's 09:00-18:00 day (Labour Code art. 68: 40 hours a week, five days); "the next working
# morning" is read as by noon, three hours into the day.
SAME_DAY_REVIEW: Final = ReviewPolicy(
    workday_start=time(9, 0),
    workday_end=time(18, 0),
    next_morning_by=time(12, 0),
    rule="Rule 16",
    label=N_("Same working day; the next working morning if it arrives after working hours"),
)


def notification_due_at(owed_at: datetime, *, minutes: int = DEFAULT_NOTIFY_MINUTES) -> datetime:
    """When a notification owed since ``owed_at`` must have been sent (Rules 18, 22).

    ``minutes`` is the Center's measure of "immediately", a whole number from 1 to a day.
    """
    require_aware(owed_at, name="owed_at")
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not 0 < minutes <= MAX_NOTIFY_MINUTES
    ):
        raise ValidationError(
            N_(
                "The notification time must be a whole number of minutes from 1 to {most}; got {value!r}."
            ),
            most=MAX_NOTIFY_MINUTES,
            value=minutes,
        )
    # Minutes of elapsed time: summed in UTC, since Python adds a timedelta to the wall clock of
    # an aware datetime's own zone, which across a change of the clocks (Kazakhstan's on
    # 29 February 2024, any zone's daylight saving) would give an hour more or less.
    return (owed_at.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(KZ_TZ)


def review_due_at(
    received_at: datetime,
    *,
    calendar: KazakhstanCalendar,
    policy: ReviewPolicy = SAME_DAY_REVIEW,
) -> datetime:
    """When a critical screening answer received at ``received_at`` must have been reviewed."""
    local = require_aware(received_at, name="received_at").astimezone(KZ_TZ)
    day, clock = local.date(), local.timetz().replace(tzinfo=None)
    if calendar.is_working_day(day) and clock < policy.workday_end:
        if clock < policy.workday_start:
            return datetime.combine(day, policy.next_morning_by, tzinfo=KZ_TZ)
        return datetime.combine(day, policy.workday_end, tzinfo=KZ_TZ)
    next_day = calendar.add_working_days(day, 1)
    return datetime.combine(next_day, policy.next_morning_by, tzinfo=KZ_TZ)


def consideration_policy(*, direct_threat: bool) -> DeadlinePolicy:
    """The Rule 16 policy for a request with or without a direct threat."""
    for policy in CONSIDERATION_POLICIES:
        if policy.direct_threat is bool(direct_threat):
            return policy
    raise LookupError(f"no consideration policy for direct_threat={direct_threat!r}")


def due_day(received_on: date, policy: DeadlinePolicy, calendar: KazakhstanCalendar) -> date:
    """The last local day on which a request received on ``received_on`` may be considered."""
    if policy.working_days == 0:
        return received_on
    return calendar.add_working_days(received_on, policy.working_days)


def end_of_local_day(day: date) -> datetime:
    """23:59:59 Kazakhstan time on ``day``, the last second of that local day.

    ``fold=1`` picks the later of two equal wall-clock times: on 29 February 2024 the clocks went
    back from UTC+6 to UTC+5 at midnight, so 23:00-23:59 of that day happened twice and the day
    ended at 23:59:59+05:00. On every other day ``fold`` changes nothing.
    """
    return datetime.combine(day, END_OF_DAY, tzinfo=KZ_TZ).replace(fold=1)


def require_aware(moment: datetime, *, name: str) -> datetime:
    """Return ``moment`` if it carries a time zone; else raise ``NaiveDatetimeError``."""
    if not isinstance(moment, datetime):
        raise NaiveDatetimeError(
            N_("{name} must be a date and time with a time zone; got {value!r}."),
            name=name,
            value=moment,
        )
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError(
            N_("{name} has no time zone; give it with one (Kazakhstan time is UTC+5)."),
            name=name,
        )
    return moment


def consideration_due_at(
    received_at: datetime, *, direct_threat: bool, calendar: KazakhstanCalendar
) -> datetime:
    """When a request received at ``received_at`` must have been considered (Rule 16).

    Returns 23:59:59 Kazakhstan time of the due day, as an aware datetime in ``KZ_TZ``.
    """
    local = require_aware(received_at, name="received_at").astimezone(KZ_TZ)
    policy = consideration_policy(direct_threat=direct_threat)
    return end_of_local_day(due_day(local.date(), policy, calendar))


def consideration_due_at_many(
    received_at: pd.Series, direct_threat: pd.Series, calendar: KazakhstanCalendar
) -> pd.Series:
    """``consideration_due_at`` for a column of requests; agrees with it element by element.

    ``received_at`` holds aware moments (a tz-aware datetime column, or Python datetimes with
    time zones); ``direct_threat`` holds booleans, aligned with it (same length, and the same
    index if it is a Series). Missing moments (NaT) give NaT. The result is named ``due_at``,
    carries ``received_at``'s index and is in ``KZ_TZ``. Each distinct local day of receipt is
    looked up in the calendar once, so 100,000 requests cost a few hundred calendar calls.
    """
    moments = _aware_column(received_at)
    threat = _boolean_column(direct_threat, like=received_at)
    local_days = moments.dt.tz_convert(KZ_TZ).dt.tz_localize(None).dt.floor("D")
    codes, uniques = pd.factorize(local_days)
    unique_days = [stamp.date() for stamp in pd.DatetimeIndex(uniques)]
    due_utc = np.full(len(moments), np.datetime64("NaT"), dtype="datetime64[s]")
    for policy in CONSIDERATION_POLICIES:
        rows = (threat == policy.direct_threat) & (codes >= 0)
        table = np.full(len(unique_days), np.datetime64("NaT"), dtype="datetime64[s]")
        for code in np.unique(codes[rows]):
            moment = end_of_local_day(due_day(unique_days[code], policy, calendar))
            table[code] = np.datetime64(int(moment.timestamp()), "s")
        due_utc[rows] = table[codes[rows]]
    utc = pd.Series(due_utc, index=received_at.index, name="due_at").dt.tz_localize(UTC)
    due_at: pd.Series = utc.dt.tz_convert(KZ_TZ).dt.as_unit(moments.dt.unit)
    return due_at


def _aware_column(received_at: pd.Series) -> pd.Series:
    """``received_at`` as a tz-aware datetime column; naive values raise ``NaiveDatetimeError``."""
    if isinstance(received_at.dtype, pd.DatetimeTZDtype):
        return received_at
    if received_at.dtype == object:
        values = [value for value in received_at if not pd.isna(value)]
        for value in values:
            require_aware(value, name="received_at")
        return pd.Series(
            pd.to_datetime(received_at, utc=True), index=received_at.index, name=received_at.name
        )
    raise NaiveDatetimeError(
        N_("{name} must be a column of dates and times with a time zone; its type is {dtype}."),
        name="received_at",
        dtype=str(received_at.dtype),
    )


def _boolean_column(direct_threat: pd.Series, *, like: pd.Series) -> np.ndarray:
    """``direct_threat`` as a numpy bool array aligned with ``like``; anything else is an error."""
    if isinstance(direct_threat, pd.Series) and not direct_threat.index.equals(like.index):
        raise ValidationError(N_("direct_threat must have the same index as received_at."))
    values = np.asarray(direct_threat)
    if len(values) != len(like):
        raise ValidationError(
            N_("direct_threat has {count} values but received_at has {expected}."),
            count=len(values),
            expected=len(like),
        )
    if values.dtype != np.bool_ and not all(
        isinstance(value, (bool, np.bool_)) for value in values
    ):
        raise ValidationError(N_("direct_threat must hold only yes/no values, none missing."))
    return values.astype(bool)


def _is_past(due_at: datetime, moment: datetime) -> bool:
    """Whether ``moment`` is after ``due_at``; the whole due second still counts as on time."""
    return moment.replace(microsecond=0) > due_at


def is_overdue(due_at: datetime, *, now: datetime, considered_at: datetime | None) -> bool:
    """Whether a request missed its deadline.

    A considered request was overdue if it was considered after ``due_at``; a request not yet
    considered is overdue once ``now`` is after ``due_at``.
    """
    require_aware(due_at, name="due_at")
    require_aware(now, name="now")
    if considered_at is not None:
        return _is_past(due_at, require_aware(considered_at, name="considered_at"))
    return _is_past(due_at, now)


def due_status(due_at: datetime, *, now: datetime) -> DueStatus:
    """ "overdue" after ``due_at``; "due_today" on its Kazakhstan local day; else "open"."""
    require_aware(due_at, name="due_at")
    require_aware(now, name="now")
    if _is_past(due_at, now):
        return "overdue"
    if now.astimezone(KZ_TZ).date() == due_at.astimezone(KZ_TZ).date():
        return "due_today"
    return "open"
