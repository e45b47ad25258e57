"""Rule 16 deadlines (pcenter_lib.domain.deadlines).

Worked examples: "due" is 23:59:59 Kazakhstan time (UTC+5) of the second working day after the
day of receipt (the day of receipt not counted), or of the day of receipt itself for a direct
threat. Days off are explained in tests/domain/test_calendar.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.domain import deadlines
from pcenter_lib.domain.calendar import KazakhstanCalendar, load_default_calendar
from pcenter_lib.domain.deadlines import (
    CONSIDERATION_POLICIES,
    DUE_STATUS_LABELS,
    KZ_TZ,
    NaiveDatetimeError,
    consideration_due_at,
    consideration_due_at_many,
    consideration_policy,
    due_status,
    end_of_local_day,
    is_overdue,
)
from pcenter_lib.errors import PcenterError

UTC_PLUS_5 = timezone(timedelta(hours=5))


def kz(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=KZ_TZ)


def due(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=UTC_PLUS_5)


@pytest.fixture(scope="module")
def calendar() -> KazakhstanCalendar:
    return load_default_calendar()


def test_kazakhstan_time_is_utc_plus_5() -> None:
    assert kz(2026, 6, 1).utcoffset() == timedelta(hours=5)
    assert kz(2025, 1, 10).utcoffset() == timedelta(hours=5)


def test_policy_table_cites_rule_16() -> None:
    assert {policy.rule for policy in CONSIDERATION_POLICIES} == {"Rule 16"}
    assert consideration_policy(direct_threat=False).working_days == 2
    assert consideration_policy(direct_threat=True).working_days == 0
    assert set(DUE_STATUS_LABELS) == {"overdue", "due_today", "open"}


@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        # Ordinary week: Mon → Tue (1), Wed (2).
        (kz(2026, 2, 16, 9), due(2026, 2, 18)),
        # Received on a Saturday: Mon (1), Tue (2).
        (kz(2026, 2, 14, 11), due(2026, 2, 17)),
        # Received on a Sunday: same.
        (kz(2026, 2, 15, 11), due(2026, 2, 17)),
        # Friday 23:59: the day of receipt is Friday → Mon (1), Tue (2).
        (kz(2026, 2, 13, 23, 59), due(2026, 2, 17)),
        # Nauryz 2026: Thu 19 Mar → Fri 20 (1); 21–25 off → Thu 26 (2).
        (kz(2026, 3, 19), due(2026, 3, 26)),
        # Fri 20 Mar → Thu 26 (1), Fri 27 (2).
        (kz(2026, 3, 20, 17), due(2026, 3, 27)),
        # Received on Nauryz itself (Mon 23 Mar): 24, 25 off → Thu 26 (1), Fri 27 (2).
        (kz(2026, 3, 23), due(2026, 3, 27)),
        # Nauryz 2025: Thu 20 Mar → 21–25 off → Wed 26 (1), Thu 27 (2).
        (kz(2025, 3, 20), due(2025, 3, 27)),
        # May 2026: Thu 30 Apr → Fri 1 off, weekend → Mon 4 (1), Tue 5 (2).
        (kz(2026, 4, 30), due(2026, 5, 5)),
        # Wed 6 May 2026 → Thu 7 off → Fri 8 (1); weekend; Mon 11 off (Victory Day moved) → Tue 12.
        (kz(2026, 5, 6), due(2026, 5, 12)),
        # May 2025: Tue 6 May → Wed 7 off → Thu 8 (1); Fri 9 off, weekend → Mon 12 (2).
        (kz(2025, 5, 6), due(2025, 5, 12)),
        # Wed 30 Apr 2025 → Thu 1 May off → Fri 2 (1), Mon 5 (2).
        (kz(2025, 4, 30), due(2025, 5, 5)),
        # New Year 2026: Wed 31 Dec 2025 → 1, 2 Jan off, weekend → Mon 5 (1), Tue 6 (2).
        (kz(2025, 12, 31, 16), due(2026, 1, 6)),
        # New Year 2025 with the decreed transfer: Thu 2 Jan → Fri 3 off, Sat 4 off,
        # Sun 5 worked (1), Mon 6 (2).
        (kz(2025, 1, 2), due(2025, 1, 6)),
    ],
)
def test_ordinary_request_worked_examples(
    calendar: KazakhstanCalendar, received_at: datetime, expected: datetime
) -> None:
    result = consideration_due_at(received_at, direct_threat=False, calendar=calendar)
    assert result == expected
    assert result.utcoffset() == timedelta(hours=5)
    assert result.tzinfo is KZ_TZ


def test_friday_2359_kazakhstan_time_given_in_utc(calendar: KazakhstanCalendar) -> None:
    # Fri 13 Feb 2026 18:59 UTC is Fri 23:59 in Kazakhstan → due Tue 17.
    friday_late = datetime(2026, 2, 13, 18, 59, tzinfo=UTC)
    assert consideration_due_at(friday_late, direct_threat=False, calendar=calendar) == due(
        2026, 2, 17
    )
    # Thu 12 Feb 19:30 UTC is already Fri 00:30 in Kazakhstan → due Tue 17, not Mon 16.
    thursday_utc = datetime(2026, 2, 12, 19, 30, tzinfo=UTC)
    assert consideration_due_at(thursday_utc, direct_threat=False, calendar=calendar) == due(
        2026, 2, 17
    )


def test_government_transferred_working_saturday_counts() -> None:
    # Hypothetical decree: Sat 19 Dec 2026 worked, Thu 17 Dec off.
    decreed = KazakhstanCalendar([(date(2026, 12, 19), True), (date(2026, 12, 17), False)])
    plain = KazakhstanCalendar()
    received = kz(2026, 12, 15, 10)  # Tue; Wed 16 is Independence Day
    # Decreed: 16, 17 off → Fri 18 (1), Sat 19 (2).
    assert consideration_due_at(received, direct_threat=False, calendar=decreed) == due(
        2026, 12, 19
    )
    # Without the decree: Thu 17 (1), Fri 18 (2).
    assert consideration_due_at(received, direct_threat=False, calendar=plain) == due(2026, 12, 18)


@pytest.mark.parametrize(
    "received_at",
    [
        kz(2026, 2, 14, 3),  # Saturday
        kz(2026, 3, 23, 8),  # Nauryz
        kz(2026, 2, 13, 23, 59),  # Friday 23:59
        kz(2026, 2, 16, 0, 0),  # Monday midnight
        kz(2026, 1, 1, 1),  # New Year's Day
    ],
)
def test_direct_threat_is_due_the_same_day(
    calendar: KazakhstanCalendar, received_at: datetime
) -> None:
    result = consideration_due_at(received_at, direct_threat=True, calendar=calendar)
    assert result == datetime.combine(received_at.date(), result.timetz())
    assert (result.hour, result.minute, result.second) == (23, 59, 59)


def test_direct_threat_day_is_the_kazakhstan_day(calendar: KazakhstanCalendar) -> None:
    # 20:00 UTC on 13 Feb is 01:00 on 14 Feb in Kazakhstan.
    received = datetime(2026, 2, 13, 20, 0, tzinfo=UTC)
    assert consideration_due_at(received, direct_threat=True, calendar=calendar) == due(2026, 2, 14)


def test_end_of_29_february_2024_is_after_the_clock_change() -> None:
    # On 1 March 2024 00:00 (UTC+6) clocks went back to 29 Feb 23:00 (UTC+5); the day ended at
    # 23:59:59+05:00 = 18:59:59 UTC.
    assert end_of_local_day(date(2024, 2, 29)).astimezone(UTC) == datetime(
        2024, 2, 29, 18, 59, 59, tzinfo=UTC
    )


def test_naive_datetimes_are_refused(calendar: KazakhstanCalendar) -> None:
    naive = datetime(2026, 2, 16, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(NaiveDatetimeError) as caught:
        consideration_due_at(naive, direct_threat=False, calendar=calendar)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, PcenterError)
    with pytest.raises(NaiveDatetimeError):
        consideration_due_at(date(2026, 2, 16), direct_threat=False, calendar=calendar)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        is_overdue(due(2026, 2, 18), now=naive, considered_at=None)
    with pytest.raises(NaiveDatetimeError):
        is_overdue(due(2026, 2, 18), now=kz(2026, 2, 16), considered_at=naive)
    with pytest.raises(NaiveDatetimeError):
        due_status(naive, now=kz(2026, 2, 16))


def test_is_overdue() -> None:
    due_at = due(2026, 2, 18)
    assert not is_overdue(due_at, now=kz(2026, 2, 18, 23, 59), considered_at=None)
    assert not is_overdue(due_at, now=due_at + timedelta(microseconds=999_999), considered_at=None)
    assert is_overdue(due_at, now=due_at + timedelta(seconds=1), considered_at=None)
    assert is_overdue(due_at, now=kz(2026, 2, 19, 0, 0), considered_at=None)
    # A request considered in time is never overdue, however late "now" is.
    assert not is_overdue(due_at, now=kz(2026, 3, 1), considered_at=kz(2026, 2, 18, 17))
    # Considered late: overdue even if "now" is earlier than the consideration (re-checking).
    assert is_overdue(due_at, now=kz(2026, 3, 1), considered_at=kz(2026, 2, 19, 9))
    # Other time zones are compared as instants: 18:59:59 UTC is 23:59:59 in Kazakhstan.
    assert not is_overdue(
        due_at, now=datetime(2026, 2, 18, 18, 59, 59, tzinfo=UTC), considered_at=None
    )
    assert is_overdue(due_at, now=datetime(2026, 2, 18, 19, 0, 0, tzinfo=UTC), considered_at=None)


def test_due_status() -> None:
    due_at = due(2026, 2, 18)
    assert due_status(due_at, now=kz(2026, 2, 17, 23, 59)) == "open"
    assert due_status(due_at, now=kz(2026, 2, 18, 0, 0)) == "due_today"
    assert due_status(due_at, now=kz(2026, 2, 18, 23, 59)) == "due_today"
    assert due_status(due_at, now=kz(2026, 2, 19, 0, 0)) == "overdue"
    # 19:30 UTC on 17 Feb is 00:30 on 18 Feb in Kazakhstan: due today, although UTC says the 17th.
    assert due_status(due_at, now=datetime(2026, 2, 17, 19, 30, tzinfo=UTC)) == "due_today"


def test_many_matches_worked_examples(calendar: KazakhstanCalendar) -> None:
    received = pd.Series(
        pd.to_datetime(
            [
                "2026-02-13 18:59:00+00:00",  # Fri 23:59 KZ
                "2026-03-19 07:00:00+00:00",  # Thu before Nauryz
                "2026-02-14 06:00:00+00:00",  # Sat, direct threat
                "2025-01-02 07:00:00+00:00",  # decreed working Sunday ahead
            ],
            utc=True,
        ),
        index=[10, 11, 12, 13],
    )
    threat = pd.Series([False, False, True, False], index=received.index)
    result = consideration_due_at_many(received, threat, calendar)
    assert result.name == "due_at"
    assert list(result.index) == [10, 11, 12, 13]
    assert str(result.dt.tz) == "Asia/Almaty"
    assert list(result) == [due(2026, 2, 17), due(2026, 3, 26), due(2026, 2, 14), due(2025, 1, 6)]


def test_many_accepts_python_datetimes_and_missing_values(calendar: KazakhstanCalendar) -> None:
    received = pd.Series([kz(2026, 2, 16, 9), None, datetime(2026, 2, 16, 4, tzinfo=UTC)])
    result = consideration_due_at_many(received, pd.Series([False, True, True]), calendar)
    assert result[0] == due(2026, 2, 18)
    assert pd.isna(result[1])
    assert result[2] == due(2026, 2, 16)


def test_many_handles_an_empty_column(calendar: KazakhstanCalendar) -> None:
    empty = pd.Series([], dtype="datetime64[ns, UTC]")
    assert consideration_due_at_many(empty, pd.Series([], dtype=bool), calendar).empty


def test_many_refuses_naive_and_misaligned_input(calendar: KazakhstanCalendar) -> None:
    naive = pd.Series(pd.to_datetime(["2026-02-16 09:00"]))
    with pytest.raises(NaiveDatetimeError):
        consideration_due_at_many(naive, pd.Series([False]), calendar)
    naive_objects = pd.Series([datetime(2026, 2, 16, 9)], dtype=object)  # noqa: DTZ001
    with pytest.raises(NaiveDatetimeError):
        consideration_due_at_many(naive_objects, pd.Series([False]), calendar)
    aware = pd.Series(pd.to_datetime(["2026-02-16 09:00+05:00"], utc=True))
    with pytest.raises(ValueError, match="values"):
        consideration_due_at_many(aware, np.array([False, True]), calendar)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="index"):
        consideration_due_at_many(aware, pd.Series([False], index=[5]), calendar)
    with pytest.raises(ValueError, match="yes/no"):
        consideration_due_at_many(aware, pd.Series([None], dtype=object), calendar)


def test_many_handles_100000_requests(calendar: KazakhstanCalendar) -> None:
    rng = np.random.default_rng(264)
    seconds = rng.integers(1_735_660_800, 1_798_732_800, 100_000)  # 2025 – 2026
    received = pd.Series(pd.to_datetime(seconds, unit="s", utc=True))
    threat = pd.Series(rng.random(100_000) < 0.05)
    result = consideration_due_at_many(received, threat, calendar)
    assert len(result) == 100_000
    sample = rng.integers(0, 100_000, 200)
    for row in sample:
        expected = consideration_due_at(
            received[row].to_pydatetime(), direct_threat=bool(threat[row]), calendar=calendar
        )
        assert result[row] == expected


zones = st.sampled_from(
    [
        UTC,
        KZ_TZ,
        UTC_PLUS_5,
        timezone(timedelta(hours=-11)),
        timezone(timedelta(hours=14)),
        ZoneInfo("Europe/Moscow"),
        ZoneInfo("America/New_York"),
        ZoneInfo("Asia/Almaty"),
    ]
)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=zones,
)


@settings(deadline=None)
@given(received_at=moments)
def test_ordinary_due_day_is_the_second_working_day_after_receipt(received_at: datetime) -> None:
    calendar = load_default_calendar()
    result = consideration_due_at(received_at, direct_threat=False, calendar=calendar)
    received_day = received_at.astimezone(KZ_TZ).date()
    due_day = result.date()
    assert result > received_at
    assert calendar.is_working_day(due_day)
    assert calendar.working_days_between(received_day + timedelta(days=1), due_day) == 2
    assert (result.hour, result.minute, result.second) == (23, 59, 59)


@settings(deadline=None)
@given(received_at=moments)
def test_direct_threat_is_always_due_on_the_kazakhstan_day_of_receipt(
    received_at: datetime,
) -> None:
    result = consideration_due_at(received_at, direct_threat=True, calendar=load_default_calendar())
    assert result.date() == received_at.astimezone(KZ_TZ).date()
    assert result >= received_at
    assert result - received_at < timedelta(days=1)


@settings(deadline=None, max_examples=50)
@given(rows=st.lists(st.tuples(moments, st.booleans()), max_size=40))
def test_batched_equals_scalar(rows: list[tuple[datetime, bool]]) -> None:
    calendar = load_default_calendar()
    received = pd.Series(
        pd.to_datetime([moment.astimezone(UTC) for moment, _ in rows], utc=True)
        if rows
        else pd.Series([], dtype="datetime64[ns, UTC]")
    )
    threat = pd.Series([flag for _, flag in rows], dtype=bool)
    batched = consideration_due_at_many(received, threat, calendar)
    scalar = [
        consideration_due_at(moment, direct_threat=flag, calendar=calendar) for moment, flag in rows
    ]
    assert [stamp.timestamp() for stamp in batched] == [moment.timestamp() for moment in scalar]


def test_a_request_of_monday_29_december_2025_is_due_on_the_last_working_day_of_the_year(
    calendar: KazakhstanCalendar,
) -> None:
    # Rule 16: Tue 30 Dec is the 1st working day after receipt, Wed 31 Dec the 2nd; the deadline
    # stays in 2025 (1–2 Jan 2026 are New Year days off, 3–4 Jan a weekend).
    received = kz(2025, 12, 29, 10)
    assert consideration_due_at(received, direct_threat=False, calendar=calendar) == due(2025, 12, 31)
    assert calendar.add_working_days(date(2025, 12, 29), 1) == date(2025, 12, 30)
    # One day later the second working day is the first one of 2026, Mon 5 Jan.
    assert consideration_due_at(
        kz(2025, 12, 30, 10), direct_threat=False, calendar=calendar
    ) == due(2026, 1, 5)
    column = pd.Series([received, kz(2025, 12, 30, 10)])
    assert list(consideration_due_at_many(column, pd.Series([False, False]), calendar)) == [
        due(2025, 12, 31),
        due(2026, 1, 5),
    ]


class _NoOffset(tzinfo):
    """A time zone that does not know its offset: ``utcoffset()`` is None, so the time is naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


def test_a_tzinfo_without_an_offset_is_refused_as_naive(calendar: KazakhstanCalendar) -> None:
    # Python calls such a datetime naive (datetime docs, "Determining if an Object is Aware").
    moment = datetime(2026, 2, 16, 9, 0, tzinfo=_NoOffset())
    assert moment.tzinfo is not None and moment.utcoffset() is None
    with pytest.raises(NaiveDatetimeError):
        consideration_due_at(moment, direct_threat=True, calendar=calendar)
    with pytest.raises(NaiveDatetimeError):
        is_overdue(due(2026, 2, 18), now=moment, considered_at=None)
    with pytest.raises(NaiveDatetimeError):
        due_status(moment, now=kz(2026, 2, 16))


def _naive_argument(call: object) -> str:
    assert callable(call)
    with pytest.raises(NaiveDatetimeError) as caught:
        call()
    name = caught.value.params["name"]
    assert isinstance(name, str)
    assert name in str(caught.value)
    return name


def test_a_naive_moment_is_named_in_the_error(calendar: KazakhstanCalendar) -> None:
    naive = datetime(2026, 2, 16, 9, 0)  # noqa: DTZ001 - the point of the test
    aware = due(2026, 2, 18)
    assert _naive_argument(
        lambda: consideration_due_at(naive, direct_threat=False, calendar=calendar)
    ) == "received_at"
    assert _naive_argument(lambda: is_overdue(naive, now=aware, considered_at=None)) == "due_at"
    assert _naive_argument(lambda: is_overdue(aware, now=naive, considered_at=None)) == "now"
    assert (
        _naive_argument(lambda: is_overdue(aware, now=aware, considered_at=naive))
        == "considered_at"
    )
    assert _naive_argument(lambda: due_status(naive, now=aware)) == "due_at"
    assert _naive_argument(lambda: due_status(aware, now=naive)) == "now"
    objects = pd.Series([aware, naive], dtype=object)
    assert (
        _naive_argument(lambda: consideration_due_at_many(objects, pd.Series([False, True]), calendar))
        == "received_at"
    )


def test_what_is_not_a_moment_is_named_with_its_value(calendar: KazakhstanCalendar) -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        consideration_due_at(date(2026, 2, 16), direct_threat=False, calendar=calendar)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "received_at must be a date and time with a time zone; got datetime.date(2026, 2, 16)."
    )
    numbers = pd.Series([1, 2])
    with pytest.raises(NaiveDatetimeError) as caught:
        consideration_due_at_many(numbers, pd.Series([False, True]), calendar)
    assert str(caught.value) == (
        "received_at must be a column of dates and times with a time zone; its type is int64."
    )


def test_a_threat_column_of_the_wrong_length_is_counted_in_the_error(
    calendar: KazakhstanCalendar,
) -> None:
    aware = pd.Series(pd.to_datetime(["2026-02-16 09:00+05:00"] * 3, utc=True))
    with pytest.raises(ValueError) as caught:
        consideration_due_at_many(aware, np.array([False, True]), calendar)  # type: ignore[arg-type]
    assert str(caught.value) == "direct_threat has 2 values but received_at has 3."


def test_due_today_is_judged_on_the_kazakhstan_day_of_both_moments() -> None:
    # A deadline at 01:00 on 18 Feb in Kazakhstan is 20:00 UTC on the 17th; at 00:30 on the 18th
    # (Kazakhstan time) it is due today, whatever day UTC or the server's own zone says.
    due_at = datetime(2026, 2, 18, 1, 0, tzinfo=KZ_TZ)
    now = datetime(2026, 2, 17, 19, 30, tzinfo=UTC)
    assert due_status(due_at.astimezone(UTC), now=now) == "due_today"
    assert due_status(due_at, now=now) == "due_today"


def test_kazakhstan_time_is_asia_almaty_with_its_history() -> None:
    # The installed tzdata knows the 2024 change, so the zone is Asia/Almaty itself: UTC+6
    # before 1 March 2024, UTC+5 after. A fixed UTC+5 zone would put a request received at
    # 00:30 on 15 Feb 2024 (UTC+6) on the 14th.
    zone = deadlines._kazakhstan_zone()
    assert isinstance(zone, ZoneInfo)
    assert zone.key == "Asia/Almaty"
    assert KZ_TZ is zone
    assert datetime(2024, 2, 15, 0, 30, tzinfo=zone).utcoffset() == timedelta(hours=6)
    assert datetime(2024, 3, 1, 12, 0, tzinfo=zone).utcoffset() == timedelta(hours=5)


def test_a_request_before_march_2024_is_dated_by_the_clocks_of_the_time(
    calendar: KazakhstanCalendar,
) -> None:
    # 18:30 UTC on Wed 14 Feb 2024 was 00:30 on Thu 15 Feb in Almaty (UTC+6): due on the 2nd
    # working day after the 15th, Mon 19 Feb, at 23:59:59+06:00.
    received = datetime(2024, 2, 14, 18, 30, tzinfo=UTC)
    due_at = consideration_due_at(received, direct_threat=False, calendar=calendar)
    assert due_at == datetime(2024, 2, 19, 23, 59, 59, tzinfo=timezone(timedelta(hours=6)))
    assert consideration_due_at(received, direct_threat=True, calendar=calendar).date() == date(
        2024, 2, 15
    )


def _fixed_zone_offset(zone: tzinfo) -> tuple[timedelta | None, str | None]:
    moments = (datetime(2024, 2, 15, 12), datetime(2026, 6, 1, 12))  # noqa: DTZ001 - probes
    offsets = {zone.utcoffset(moment) for moment in moments}
    assert len(offsets) == 1, "the fallback must be a fixed offset"
    return offsets.pop(), zone.tzname(None)


def test_without_asia_almaty_kazakhstan_time_is_a_fixed_utc_plus_5(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(key: str) -> tzinfo:
        raise ZoneInfoNotFoundError(key)

    monkeypatch.setattr(deadlines, "ZoneInfo", missing)
    assert _fixed_zone_offset(deadlines._kazakhstan_zone()) == (timedelta(hours=5), "Asia/Almaty")


def test_a_tzdata_without_the_2024_change_is_replaced_by_a_fixed_utc_plus_5(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # tzdata before 2024a still had Asia/Almaty on UTC+6; deadlines would be an hour off.
    asked: list[str] = []

    def old_tzdata(key: str) -> tzinfo:
        asked.append(key)
        return timezone(timedelta(hours=6), key)

    monkeypatch.setattr(deadlines, "ZoneInfo", old_tzdata)
    assert _fixed_zone_offset(deadlines._kazakhstan_zone()) == (timedelta(hours=5), "Asia/Almaty")
    assert asked == ["Asia/Almaty"]
