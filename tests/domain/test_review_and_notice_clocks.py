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
    ReviewPolicy,
    notification_due_at,
    review_due_at,
)
from pcenter_lib.errors import PcenterError, ValidationError

UTC_PLUS_5 = timezone(timedelta(hours=5))
ALMATY = ZoneInfo("Asia/Almaty")


def kz(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC_PLUS_5)


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


# --- review_due_at: the three answers and their edges, to the second -------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Wednesday 18 March 2026, an ordinary working day.
        (kz(2026, 3, 18, 8, 59, 59), kz(2026, 3, 18, 12, 0)),  # the last second before work
        (kz(2026, 3, 18, 9, 0, 0), kz(2026, 3, 18, 18, 0)),  # exactly at the start: that evening
        (kz(2026, 3, 18, 12, 0, 0), kz(2026, 3, 18, 18, 0)),  # noon is working hours
        (kz(2026, 3, 18, 17, 59, 59), kz(2026, 3, 18, 18, 0)),  # the last working second
        (kz(2026, 3, 18, 18, 0, 0), kz(2026, 3, 19, 12, 0)),  # exactly at the end: next morning
        (kz(2026, 3, 18, 23, 59, 59), kz(2026, 3, 19, 12, 0)),  # the day's last second
        # A day off before 09:00 is not "before work" of that day: the next working morning.
        (kz(2026, 3, 14, 8, 0), kz(2026, 3, 16, 12, 0)),  # Saturday early morning
        (kz(2026, 3, 15, 23, 59, 59), kz(2026, 3, 16, 12, 0)),  # Sunday's last second
        (kz(2026, 3, 15, 17, 0), kz(2026, 3, 16, 12, 0)),  # Sunday within "working hours"
        # Friday after hours: Monday, not Saturday.
        (kz(2026, 3, 13, 18, 0), kz(2026, 3, 16, 12, 0)),
        # 1 May 2026 (Friday), the Unity Day holiday, inside working hours: Monday 4 May.
        (kz(2026, 5, 1, 10, 0), kz(2026, 5, 4, 12, 0)),
        # Thursday 30 April after hours: the holiday and the weekend are skipped.
        (kz(2026, 4, 30, 18, 30), kz(2026, 5, 4, 12, 0)),
    ],
)
def test_review_due_to_the_second_around_the_working_day(
    calendar: KazakhstanCalendar, received: datetime, due: datetime
) -> None:
    result = review_due_at(received, calendar=calendar)
    assert result == due
    assert result.tzinfo is KZ_TZ
    assert result.utcoffset() == timedelta(hours=5)


def test_review_due_is_the_wall_clock_in_kazakhstan_not_the_callers_zone(
    calendar: KazakhstanCalendar,
) -> None:
    """04:30 UTC is 09:30 in Kazakhstan (working hours); 03:30 UTC is 08:30 (before work)."""
    assert review_due_at(datetime(2026, 3, 18, 4, 30, tzinfo=UTC), calendar=calendar) == kz(
        2026, 3, 18, 18, 0
    )
    assert review_due_at(datetime(2026, 3, 18, 3, 30, tzinfo=UTC), calendar=calendar) == kz(
        2026, 3, 18, 12, 0
    )
    # 13:00 UTC is 18:00 in Kazakhstan: the end of the day, although a UTC clock says afternoon.
    assert review_due_at(datetime(2026, 3, 18, 13, 0, tzinfo=UTC), calendar=calendar) == kz(
        2026, 3, 19, 12, 0
    )
    # 20:00 UTC on Tuesday is 01:00 Wednesday in Kazakhstan: Wednesday's morning, not Tuesday's.
    assert review_due_at(datetime(2026, 3, 17, 20, 0, tzinfo=UTC), calendar=calendar) == kz(
        2026, 3, 18, 12, 0
    )


def test_review_due_follows_the_calendars_transfers_both_ways() -> None:
    """A Saturday made a working day counts as one; a Wednesday made a day off does not."""
    saturday, wednesday = date(2026, 3, 28), date(2026, 3, 18)
    moved = KazakhstanCalendar([(saturday, True), (wednesday, False)])
    assert review_due_at(kz(2026, 3, 28, 8, 0), calendar=moved) == kz(2026, 3, 28, 12, 0)
    assert review_due_at(kz(2026, 3, 28, 17, 59), calendar=moved) == kz(2026, 3, 28, 18, 0)
    assert review_due_at(kz(2026, 3, 27, 19, 0), calendar=moved) == kz(2026, 3, 28, 12, 0)
    assert review_due_at(kz(2026, 3, 18, 10, 0), calendar=moved) == kz(2026, 3, 19, 12, 0)
    assert review_due_at(kz(2026, 3, 17, 18, 0), calendar=moved) == kz(2026, 3, 19, 12, 0)


def test_review_due_across_the_fold_of_29_february_2024(calendar: KazakhstanCalendar) -> None:
    """At midnight after 29 February 2024 Kazakhstan went from UTC+6 to UTC+5: 23:00-23:59 of
    that Thursday happened twice. Both 23:30s are after hours of the 29th; the review is due at
    noon of Friday 1 March, on UTC+5. Earlier that day the working day ended at 18:00 UTC+6."""
    first = datetime(2024, 2, 29, 23, 30, tzinfo=ALMATY)
    second = first.replace(fold=1)
    assert second - first == timedelta(0)  # same wall clock; the instants differ by an hour
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    for moment in (first, second):
        due = review_due_at(moment, calendar=calendar)
        assert due == datetime(2024, 3, 1, 7, 0, tzinfo=UTC)
        assert due.utcoffset() == timedelta(hours=5)
    evening = review_due_at(datetime(2024, 2, 29, 11, 0, tzinfo=UTC), calendar=calendar)
    assert evening == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)  # 18:00 at UTC+6
    assert evening.utcoffset() == timedelta(hours=6)


def test_review_due_reads_the_policys_hours() -> None:
    """Another Center's hours (08:00-17:00, next morning by 10:00) move every answer."""
    policy = ReviewPolicy(
        workday_start=time(8, 0),
        workday_end=time(17, 0),
        next_morning_by=time(10, 0),
        rule="Rule 16",
        label=SAME_DAY_REVIEW.label,
    )
    calendar = KazakhstanCalendar()
    cases = [
        (kz(2026, 3, 18, 7, 59), kz(2026, 3, 18, 10, 0)),
        (kz(2026, 3, 18, 8, 0), kz(2026, 3, 18, 17, 0)),
        (kz(2026, 3, 18, 16, 59), kz(2026, 3, 18, 17, 0)),
        (kz(2026, 3, 18, 17, 0), kz(2026, 3, 19, 10, 0)),
    ]
    for received, due in cases:
        assert review_due_at(received, calendar=calendar, policy=policy) == due


def test_review_refuses_naive_moments_and_non_moments_naming_the_field(
    calendar: KazakhstanCalendar,
) -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        review_due_at(datetime(2026, 3, 18, 10), calendar=calendar)  # noqa: DTZ001 - the bad input
    assert caught.value.params == {"name": "received_at"}
    assert str(caught.value) == (
        "received_at has no time zone; give it with one (Kazakhstan time is UTC+5)."
    )
    assert caught.value.localized("ru") == (
        "У received_at не указан часовой пояс; укажите его (время Казахстана — UTC+5)."
    )
    with pytest.raises(NaiveDatetimeError) as caught:
        review_due_at(date(2026, 3, 18), calendar=calendar)  # type: ignore[arg-type]
    assert caught.value.params == {"name": "received_at", "value": date(2026, 3, 18)}


# --- notification_due_at: minutes after, in Kazakhstan time ------------------------------------


def test_notification_due_is_given_in_kazakhstan_time_whatever_the_callers_zone() -> None:
    due = notification_due_at(datetime(2026, 3, 18, 5, 0, tzinfo=UTC), minutes=30)
    assert due.tzinfo is KZ_TZ
    assert (due.hour, due.minute) == (10, 30)
    assert due == datetime(2026, 3, 18, 5, 30, tzinfo=UTC)


def test_notification_minutes_are_elapsed_time_across_the_fold_of_29_february_2024() -> None:
    """At midnight after 29 February 2024 Kazakhstan's clocks went back from UTC+6 to UTC+5, so
    23:00-23:59 happened twice. Owed at the first 23:30, an hour later is the second 23:30 —
    not 00:30 of 1 March, which a wall-clock sum would give, two hours after the threat."""
    owed = datetime(2024, 2, 29, 23, 30, tzinfo=ALMATY)
    assert owed.utcoffset() == timedelta(hours=6)
    due = notification_due_at(owed)
    # compared in UTC: Python's == between zones is always false for a repeated wall-clock time
    assert due.astimezone(UTC) == datetime(2024, 2, 29, 18, 30, tzinfo=UTC)
    assert due.replace(tzinfo=None) == datetime(2024, 2, 29, 23, 30)  # noqa: DTZ001 - wall clock
    assert (due.fold, due.utcoffset()) == (1, timedelta(hours=5))
    assert due.tzinfo is KZ_TZ


def test_notification_minutes_are_elapsed_time_when_the_callers_zone_changes_its_clocks() -> None:
    """A moment tagged with a zone that puts its clocks back (Berlin, 25 October 2026, 03:00
    CEST to 02:00 CET): 60 minutes after 02:30 CEST is 01:30 UTC, 06:30 in Kazakhstan."""
    owed = datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert owed.utcoffset() == timedelta(hours=2)
    assert notification_due_at(owed) == kz(2026, 10, 25, 6, 30)


@pytest.mark.parametrize("minutes", [1, 2, MAX_NOTIFY_MINUTES - 1, MAX_NOTIFY_MINUTES])
def test_notification_minutes_from_one_to_a_day_are_taken_exactly(minutes: int) -> None:
    owed = kz(2026, 3, 18, 10, 0)
    assert notification_due_at(owed, minutes=minutes) == owed + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "bad", [0, -1, -60, MAX_NOTIFY_MINUTES + 1, 10_000, True, False, 1.0, 60.0, 1.5, "60", None]
)
def test_notification_minutes_refused_with_the_bound_and_the_value(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        notification_due_at(kz(2026, 3, 18, 10), minutes=bad)  # type: ignore[arg-type]
    assert caught.value.params == {"most": MAX_NOTIFY_MINUTES, "value": bad}
    assert MAX_NOTIFY_MINUTES == 1440
    assert str(caught.value) == (
        f"The notification time must be a whole number of minutes from 1 to 1440; got {bad!r}."
    )
    assert caught.value.localized("ru") == (
        f"Время оповещения — целое число минут от 1 до 1440; получено {bad!r}."
    )
    assert caught.value.localized("kk") == (
        f"Хабарлау уақыты 1-ден 1440-ге дейінгі бүтін минут саны болуы керек; берілгені: {bad!r}."
    )


def test_notification_refuses_naive_moments_naming_the_field() -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        notification_due_at(datetime(2026, 3, 18, 10))  # noqa: DTZ001 - the bad input
    assert caught.value.params == {"name": "owed_at"}
    assert caught.value.localized("kk") == (
        "owed_at мәнінде уақыт белдеуі жоқ; оны белдеуімен беріңіз (Қазақстан уақыты — UTC+5)."
    )
    with pytest.raises(NaiveDatetimeError) as caught:
        notification_due_at("2026-03-18T10:00+05:00")  # type: ignore[arg-type]
    assert caught.value.params == {"name": "owed_at", "value": "2026-03-18T10:00+05:00"}
