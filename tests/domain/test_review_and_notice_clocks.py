"""The two short clocks beside Rule 16: same-day review and "immediately" in minutes.

``review_due_at``: a critical screening answer is reviewed the same working day (by 18:00), or
by noon of the next working morning when it arrives after hours, before work or on a day off.
``notification_due_at``: the Center's number of minutes after the threat became known.
Worked examples include the year's end (New Year holidays) and the same instant given in
Asia/Almaty, fixed UTC+5 and UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcenter_lib.domain.calendar import KazakhstanCalendar, load_default_calendar
from pcenter_lib.domain.deadlines import (
    DEFAULT_NOTIFY_MINUTES,
    KZ_TZ,
    MAX_NOTIFY_MINUTES,
    SAME_DAY_REVIEW,
    NaiveDatetimeError,
    notification_due_at,
    review_due_at,
)
from pcenter_lib.errors import PcenterError

UTC_PLUS_5 = timezone(timedelta(hours=5))
ALMATY = ZoneInfo("Asia/Almaty")


def kz(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC_PLUS_5)


@pytest.fixture(scope="module")
def calendar() -> KazakhstanCalendar:
    return load_default_calendar()


def test_policy_cites_rule_16_and_reads_as_the_working_day() -> None:
    assert SAME_DAY_REVIEW.rule == "Rule 16"
    assert (SAME_DAY_REVIEW.workday_start, SAME_DAY_REVIEW.workday_end) == (time(9), time(18))
    assert SAME_DAY_REVIEW.next_morning_by == time(12)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (kz(2026, 3, 18, 9, 0), kz(2026, 3, 18, 18, 0)),  # start of the day: that evening
        (kz(2026, 3, 18, 17, 59), kz(2026, 3, 18, 18, 0)),  # a minute before the end
        (kz(2026, 3, 18, 18, 0), kz(2026, 3, 19, 12, 0)),  # at the end: next morning
        (kz(2026, 3, 18, 8, 59), kz(2026, 3, 18, 12, 0)),  # before work: this morning
        (kz(2026, 3, 18, 0, 0), kz(2026, 3, 18, 12, 0)),  # midnight belongs to the new day
        (kz(2026, 3, 14, 11, 0), kz(2026, 3, 16, 12, 0)),  # Saturday: Monday morning
        (kz(2026, 3, 20, 20, 0), kz(2026, 3, 26, 12, 0)),  # Friday night before Nauryz
        (kz(2026, 3, 23, 10, 0), kz(2026, 3, 26, 12, 0)),  # a Nauryz holiday itself
        # The year's end: 31 December after hours, then 1–4 January off (New Year, observed).
        (kz(2026, 12, 31, 18, 30), kz(2027, 1, 5, 12, 0)),
        (kz(2026, 12, 31, 17, 30), kz(2026, 12, 31, 18, 0)),
    ],
)
def test_review_due_worked_examples(
    calendar: KazakhstanCalendar, received: datetime, due: datetime
) -> None:
    assert review_due_at(received, calendar=calendar) == due


def test_the_same_instant_in_any_zone_gives_the_same_review_due(
    calendar: KazakhstanCalendar,
) -> None:
    """19:30 in Kazakhstan is 14:30 UTC: after hours, although the UTC clock says afternoon."""
    instants = [
        datetime(2026, 12, 31, 19, 30, tzinfo=ALMATY),
        datetime(2026, 12, 31, 19, 30, tzinfo=UTC_PLUS_5),
        datetime(2026, 12, 31, 14, 30, tzinfo=UTC),
    ]
    dues = {review_due_at(moment, calendar=calendar) for moment in instants}
    assert dues == {kz(2027, 1, 5, 12, 0)}
    (only,) = dues
    assert only.utcoffset() == timedelta(hours=5)
    assert only.tzinfo is KZ_TZ


def test_a_transferred_working_saturday_is_a_working_day_for_the_review() -> None:
    saturday = date(2026, 3, 28)
    with_transfer = KazakhstanCalendar([(saturday, True)])
    received = kz(2026, 3, 28, 10, 0)
    assert review_due_at(received, calendar=with_transfer) == kz(2026, 3, 28, 18, 0)
    assert review_due_at(received, calendar=load_default_calendar()) == kz(2026, 3, 30, 12, 0)


def test_naive_moments_are_refused(calendar: KazakhstanCalendar) -> None:
    with pytest.raises(NaiveDatetimeError):
        review_due_at(datetime(2026, 3, 18, 10), calendar=calendar)  # noqa: DTZ001 - the bad input
    with pytest.raises(NaiveDatetimeError):
        notification_due_at(datetime(2026, 3, 18, 10))  # noqa: DTZ001 - the bad input


@given(
    moment=st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    )
)
def test_review_is_due_after_receipt_within_a_working_morning_or_evening(moment: datetime) -> None:
    calendar = load_default_calendar()
    due = review_due_at(moment, calendar=calendar)
    local = due.astimezone(KZ_TZ)
    assert due > moment
    assert calendar.is_working_day(local.date())
    assert local.time() in (SAME_DAY_REVIEW.workday_end, SAME_DAY_REVIEW.next_morning_by)
    assert due - moment < timedelta(days=12)  # the longest holiday run plus a weekend


@pytest.mark.parametrize("minutes", [1, 15, DEFAULT_NOTIFY_MINUTES, MAX_NOTIFY_MINUTES])
def test_notification_is_due_minutes_after_it_became_owed(minutes: int) -> None:
    owed = datetime(2026, 12, 31, 23, 30, tzinfo=ALMATY)
    due = notification_due_at(owed, minutes=minutes)
    assert due - owed == timedelta(minutes=minutes)
    assert due.utcoffset() == timedelta(hours=5)


def test_notification_default_is_one_hour_across_midnight_and_the_year() -> None:
    owed = kz(2026, 12, 31, 23, 30)
    assert notification_due_at(owed) == kz(2027, 1, 1, 0, 30)


@pytest.mark.parametrize("bad", [0, -5, MAX_NOTIFY_MINUTES + 1, True, 1.5, "60"])
def test_notification_minutes_must_be_a_sensible_whole_number(bad: object) -> None:
    with pytest.raises(PcenterError) as caught:
        notification_due_at(kz(2026, 3, 18, 10), minutes=bad)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert str(MAX_NOTIFY_MINUTES) in str(caught.value)
