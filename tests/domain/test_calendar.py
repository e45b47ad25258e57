"""Kazakhstan's working-day calendar (pcenter_lib.domain.calendar).

Days off below are from the Law "On holidays" and the 2025/2026 calendars quoted in
the Law "On holidays in the Republic of Kazakhstan" and the Government's day-transfer decrees; weekday names checked by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.domain.calendar import (
    DEFAULT_OVERRIDES_PATH,
    OVERRIDE_DAY_OFF_NAME,
    CalendarOverrideError,
    KazakhstanCalendar,
    load_default_calendar,
    load_overrides,
)
from pcenter_lib.errors import PcenterError

# A hypothetical decree used to test overrides: Saturday 19 Dec 2026 becomes a working day and
# Thursday 17 Dec 2026 (after Independence Day, Wed 16 Dec) a day off.
DECREED_WORKING_SATURDAY = date(2026, 12, 19)
DECREED_DAY_OFF = date(2026, 12, 17)


@pytest.fixture(scope="module")
def calendar() -> KazakhstanCalendar:
    return KazakhstanCalendar(load_overrides())


@pytest.fixture(scope="module")
def decreed() -> KazakhstanCalendar:
    return KazakhstanCalendar([(DECREED_WORKING_SATURDAY, True), (DECREED_DAY_OFF, False)])


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday
        (date(2026, 2, 14), False),  # Saturday
        (date(2026, 2, 15), False),  # Sunday
        (date(2026, 2, 16), True),  # Monday
        # New Year 2026: Thu 1 and Fri 2 Jan off, Mon 5 Jan working, Wed 7 Jan (Christmas) off.
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), False),
        (date(2026, 1, 5), True),
        (date(2026, 1, 7), False),
        # 8 March 2026 is a Sunday: the day off moves to Monday 9 March.
        (date(2026, 3, 9), False),
        (date(2026, 3, 10), True),
        # Nauryz 2026: Sat 21 – Mon 23 March; Sat/Sun holidays move to Tue 24 and Wed 25.
        (date(2026, 3, 23), False),
        (date(2026, 3, 24), False),
        (date(2026, 3, 25), False),
        (date(2026, 3, 26), True),
        # May 2026: Fri 1, Thu 7 off; Victory Day (Sat 9) moves to Mon 11; Fri 8 is working.
        (date(2026, 5, 1), False),
        (date(2026, 5, 7), False),
        (date(2026, 5, 8), True),
        (date(2026, 5, 11), False),
        (date(2026, 5, 27), False),  # Kurban Ait 2026
        (date(2026, 10, 26), False),  # Republic Day (Sun 25 Oct) moved to Monday
        (date(2026, 12, 16), False),  # Independence Day
        # 2025 decree: Sunday 5 January worked in exchange for Friday 3 January off.
        (date(2025, 1, 3), False),
        (date(2025, 1, 5), True),
        (date(2025, 1, 6), True),
        # May 2025: Thu 1, Wed 7 and Fri 9 off; Fri 2 and Thu 8 working.
        (date(2025, 5, 1), False),
        (date(2025, 5, 2), True),
        (date(2025, 5, 7), False),
        (date(2025, 5, 8), True),
        (date(2025, 5, 9), False),
        # Nauryz 2025: Fri 21 – Sun 23 March, moved to Mon 24 and Tue 25.
        (date(2025, 3, 21), False),
        (date(2025, 3, 24), False),
        (date(2025, 3, 25), False),
        (date(2025, 3, 26), True),
    ],
)
def test_is_working_day(calendar: KazakhstanCalendar, day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


def test_package_alone_knows_the_2025_decreed_transfer() -> None:
    bare = KazakhstanCalendar()
    assert not bare.is_working_day(date(2025, 1, 3))
    assert bare.is_working_day(date(2025, 1, 5))  # a Sunday


def test_full_year_working_day_counts(calendar: KazakhstanCalendar) -> None:
    # 2025: 365 days − 103 weekend days off (104 minus the worked Sunday 5 Jan) − 16 weekday
    # days off = 246, as in the published 2025 calendar (pobipb.kz).
    assert calendar.working_days_between(date(2025, 1, 1), date(2025, 12, 31)) == 246
    # 2026: 365 − 104 − 14 = 247. The news calendar said 246 because it expected Mon 31 Aug
    # off for Constitution Day; under the new Constitution that holiday moves to 15 March from
    # 2027 and is not held in 2026 (see data/calendar/overrides.yaml).
    assert calendar.working_days_between(date(2026, 1, 1), date(2026, 12, 31)) == 247
    assert calendar.is_working_day(date(2026, 8, 31))


def test_decreed_working_saturday_and_day_off_via_overrides(
    calendar: KazakhstanCalendar, decreed: KazakhstanCalendar
) -> None:
    assert not calendar.is_working_day(DECREED_WORKING_SATURDAY)
    assert decreed.is_working_day(DECREED_WORKING_SATURDAY)
    assert calendar.is_working_day(DECREED_DAY_OFF)
    assert not decreed.is_working_day(DECREED_DAY_OFF)
    # From Wed 16 Dec: Thu 17 off, Fri 18 is the 1st working day, Sat 19 the 2nd.
    assert decreed.add_working_days(date(2026, 12, 16), 1) == date(2026, 12, 18)
    assert decreed.add_working_days(date(2026, 12, 16), 2) == date(2026, 12, 19)
    assert calendar.add_working_days(date(2026, 12, 16), 2) == date(2026, 12, 18)


def test_override_wins_over_the_package() -> None:
    overridden = KazakhstanCalendar([(date(2026, 3, 23), True), (date(2025, 1, 5), False)])
    assert overridden.is_working_day(date(2026, 3, 23))  # Nauryz made working
    assert overridden.holiday_name(date(2026, 3, 23)) is None
    assert not overridden.is_working_day(date(2025, 1, 5))  # decreed working Sunday undone


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 16)),  # Fri → Mon
        (date(2026, 2, 14), 2, date(2026, 2, 17)),  # Sat → Mon, Tue
        (date(2026, 3, 20), 1, date(2026, 3, 26)),  # Fri before Nauryz → Thu 26
        (date(2026, 3, 20), 2, date(2026, 3, 27)),
        (date(2026, 4, 30), 2, date(2026, 5, 5)),  # 1 May Fri, weekend → Mon 4, Tue 5
        (date(2026, 5, 6), 2, date(2026, 5, 12)),  # 7 off, Fri 8, weekend, 11 off → Tue 12
        (date(2025, 12, 31), 2, date(2026, 1, 6)),  # across the year: Mon 5, Tue 6
        (date(2025, 1, 2), 1, date(2025, 1, 5)),  # 3 off, Sat 4 off, Sun 5 working
        (date(2026, 2, 16), 10, date(2026, 3, 2)),
        # Dec 2026 after Tue 1: 21 working days (16 Dec off). Jan 2027: Fri 1 off, Sat 2 moves
        # to Mon 4, Thu 7 off → Tue 5 (22), Wed 6 (23), Fri 8 (24), 11–15 (25–29), Mon 18 (30).
        (date(2026, 12, 1), 30, date(2027, 1, 18)),
    ],
)
def test_add_working_days(calendar: KazakhstanCalendar, day: date, n: int, expected: date) -> None:
    assert calendar.add_working_days(day, n) == expected


@pytest.mark.parametrize("n", [0, -1, True, 1.5, "2"])
def test_add_working_days_needs_a_positive_whole_number(
    calendar: KazakhstanCalendar, n: object
) -> None:
    with pytest.raises(ValueError) as caught:
        calendar.add_working_days(date(2026, 2, 13), n)  # type: ignore[arg-type]
    assert isinstance(caught.value, PcenterError)


def test_working_days_between(calendar: KazakhstanCalendar) -> None:
    assert calendar.working_days_between(date(2026, 2, 16), date(2026, 2, 20)) == 5
    assert calendar.working_days_between(date(2026, 2, 14), date(2026, 2, 15)) == 0
    assert calendar.working_days_between(date(2026, 2, 16), date(2026, 2, 16)) == 1
    assert calendar.working_days_between(date(2026, 2, 20), date(2026, 2, 16)) == 0
    # March 2026: 22 weekdays − Mon 9, Mon 23, Tue 24, Wed 25 = 18.
    assert calendar.working_days_between(date(2026, 3, 1), date(2026, 3, 31)) == 18
    # Across years: Tue 30 Dec 2025 – Tue 6 Jan 2026: 30, 31 Dec, 5, 6 Jan.
    assert calendar.working_days_between(date(2025, 12, 30), date(2026, 1, 6)) == 4


def test_holiday_name(calendar: KazakhstanCalendar, decreed: KazakhstanCalendar) -> None:
    assert calendar.holiday_name(date(2026, 3, 23)) == "Nowruz Holiday"
    assert "Nowruz" in (calendar.holiday_name(date(2026, 3, 24)) or "")
    assert calendar.holiday_name(date(2026, 1, 1)) == "New Year's Day"
    assert calendar.holiday_name(date(2025, 1, 3)) is not None
    assert calendar.holiday_name(date(2026, 2, 14)) is None  # ordinary Saturday
    assert calendar.holiday_name(date(2026, 2, 16)) is None  # ordinary Monday
    assert decreed.holiday_name(DECREED_DAY_OFF) == OVERRIDE_DAY_OFF_NAME


def test_conflicting_overrides_are_refused() -> None:
    with pytest.raises(CalendarOverrideError):
        KazakhstanCalendar([(date(2026, 1, 5), True), (date(2026, 1, 5), False)])
    with pytest.raises(CalendarOverrideError):
        KazakhstanCalendar([(date(2026, 1, 5), "yes")])  # type: ignore[list-item]
    with pytest.raises(CalendarOverrideError):
        KazakhstanCalendar([(datetime(2026, 1, 5, tzinfo=UTC), False)])
    same_twice = KazakhstanCalendar([(date(2026, 1, 5), False), (date(2026, 1, 5), False)])
    assert not same_twice.is_working_day(date(2026, 1, 5))


def test_default_overrides_file_loads_and_is_dated_2025_2026() -> None:
    entries = load_overrides()
    assert entries == load_overrides(DEFAULT_OVERRIDES_PATH)
    assert entries, "the overrides file should not be empty"
    assert all(day.year in {2025, 2026} for day, _ in entries)
    assert (date(2025, 1, 5), True) in entries
    assert (date(2025, 1, 3), False) in entries
    assert load_default_calendar() is load_default_calendar()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_ENTRY = "  - date: 2026-12-19\n    working: true\n    reason: test\n    source: test\n"


def test_load_overrides_reads_a_small_file(tmp_path: Path) -> None:
    assert load_overrides(_write(tmp_path, "overrides:\n" + GOOD_ENTRY)) == [
        (date(2026, 12, 19), True)
    ]
    assert load_overrides(_write(tmp_path, "")) == []
    assert load_overrides(_write(tmp_path, "overrides: []\n")) == []
    assert load_overrides(_write(tmp_path, "overrides:\n")) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "overrides:\n"
            + GOOD_ENTRY
            + "  - date: 2026-12-20\n    working: true\n    reason: x\n",
            "line 6",
        ),
        (
            "overrides:\n  - date: 2026-13-01\n    working: true\n    reason: x\n    source: y\n",
            "line 2",
        ),
        (
            "overrides:\n  - date: 2026-12-19 10:00:00\n    working: true\n    reason: x\n    source: y\n",
            "ISO date",
        ),
        (
            "overrides:\n  - date: 2026-12-19\n    working: 'yes'\n    reason: x\n    source: y\n",
            "true or false",
        ),
        (
            "overrides:\n  - date: 2026-12-19\n    working: true\n    reason: ''\n    source: y\n",
            "reason",
        ),
        (
            "overrides:\n  - date: 2026-12-19\n    working: true\n    reason: x\n    source: y\n    note: z\n",
            "unknown keys note",
        ),
        ("overrides:\n  - 2026-12-19\n", "must be a mapping"),
        ("overrides:\n" + GOOD_ENTRY + GOOD_ENTRY.replace("true", "false"), "both as working"),
        ("overrides: 2026-12-19\n", "must contain a list"),
        ("- date: 2026-12-19\n", "must contain a list"),
        ("overrides: [\n", "not valid YAML"),
    ],
)
def test_load_overrides_names_the_bad_entry(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(CalendarOverrideError) as caught:
        load_overrides(_write(tmp_path, text))
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_load_overrides_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CalendarOverrideError, match="Cannot read"):
        load_overrides(tmp_path / "absent.yaml")


dates_2020s = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@settings(deadline=None)
@given(day=dates_2020s, n=st.integers(min_value=1, max_value=15))
def test_add_working_days_lands_on_the_nth_working_day(day: date, n: int) -> None:
    calendar = load_default_calendar()
    result = calendar.add_working_days(day, n)
    assert result > day
    assert calendar.is_working_day(result)
    assert calendar.working_days_between(day + timedelta(days=1), result) == n
    assert (
        calendar.working_days_between(day + timedelta(days=1), result - timedelta(days=1)) == n - 1
    )


@settings(deadline=None)
@given(day=dates_2020s)
def test_weekdays_without_a_holiday_are_working_days(day: date) -> None:
    calendar = load_default_calendar()
    overrides = calendar.overrides
    if day in overrides:
        assert calendar.is_working_day(day) is overrides[day]
    elif calendar.holiday_name(day) is not None:
        assert not calendar.is_working_day(day)
    elif day.weekday() < 5:
        assert calendar.is_working_day(day)


@settings(deadline=None)
@given(start=dates_2020s, length=st.integers(min_value=0, max_value=800))
def test_working_days_between_counts_day_by_day(start: date, length: int) -> None:
    calendar = load_default_calendar()
    end = start + timedelta(days=length)
    expected = sum(
        calendar.is_working_day(start + timedelta(days=offset)) for offset in range(length + 1)
    )
    assert calendar.working_days_between(start, end) == expected


def test_the_last_working_days_of_2025_stay_in_2025(calendar: KazakhstanCalendar) -> None:
    # Mon 29 Dec 2025: Tue 30 and Wed 31 Dec are the 1st and 2nd working days after it, both in
    # the same year (the deadline of a Rule 16 request received that Monday); the 3rd is the
    # first working day of 2026, Mon 5 Jan (1–2 Jan New Year, 3–4 Jan weekend).
    assert calendar.add_working_days(date(2025, 12, 29), 1) == date(2025, 12, 30)
    assert calendar.add_working_days(date(2025, 12, 29), 2) == date(2025, 12, 31)
    assert calendar.add_working_days(date(2025, 12, 29), 3) == date(2026, 1, 5)
    assert calendar.add_working_days(date(2025, 12, 30), 1) == date(2025, 12, 31)
    # Across two year ends: 246 working days of 2025 after 31 Dec 2024, then 247 of 2026.
    assert calendar.add_working_days(date(2024, 12, 31), 246) == date(2025, 12, 31)
    assert calendar.add_working_days(date(2024, 12, 31), 246 + 247) == date(2026, 12, 31)


def test_1_january_is_named_and_before_1991_only_weekends_are_off() -> None:
    calendar = KazakhstanCalendar()
    assert calendar.holiday_name(date(2025, 1, 1)) == "New Year's Day"
    assert not calendar.is_working_day(date(2025, 1, 1))
    # Mon 1 Jan 1990: the package has no Kazakh holidays before independence.
    assert calendar.is_working_day(date(1990, 1, 1))
    assert calendar.holiday_name(date(1990, 1, 1)) is None
    assert calendar.working_days_between(date(1990, 1, 1), date(1990, 1, 7)) == 5


def test_names_of_days_off_come_from_the_package_or_the_override() -> None:
    saturday, monday = date(2026, 2, 14), date(2026, 2, 16)
    calendar = KazakhstanCalendar(
        [(saturday, False), (monday, False), (date(2026, 2, 17), True), (date(2026, 3, 9), False)]
    )
    # A weekday made a day off is named as transferred by the Government; a Saturday kept off
    # is a plain weekend, and a day made working has no name.
    assert calendar.holiday_name(monday) == OVERRIDE_DAY_OFF_NAME
    assert calendar.holiday_name(saturday) is None
    assert calendar.holiday_name(date(2026, 2, 17)) is None
    # A holiday of the package kept off by an override keeps the package's name.
    assert calendar.holiday_name(date(2026, 3, 9)) == "International Women's Day (observed)"
    assert calendar.holiday_name(date(2026, 12, 16)) == "Independence Day"


def test_an_override_made_by_hand_is_named_in_the_error() -> None:
    with pytest.raises(CalendarOverrideError) as caught:
        KazakhstanCalendar([(date(2026, 1, 5), "yes")])  # type: ignore[list-item]
    assert str(caught.value) == (
        "A calendar override is a (date, working yes/no) pair; "
        "got (datetime.date(2026, 1, 5), 'yes')."
    )
    with pytest.raises(CalendarOverrideError) as caught:
        KazakhstanCalendar([(date(2026, 1, 5), True), (date(2026, 1, 5), False)])
    assert str(caught.value) == (
        "The calendar override for 2026-01-05 says both working and day off."
    )
    with pytest.raises(ValueError) as caught:
        KazakhstanCalendar().add_working_days(date(2026, 1, 5), 0)
    assert str(caught.value).endswith("at least 1; got 0.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "overrides:\n" + GOOD_ENTRY + "  - date: 2026-12-20\n    working: true\n    reason: x\n",
            "Calendar override entry 2 (line 6): missing keys source, unknown keys -; "
            "expected date, working, reason, source.",
        ),
        (
            "overrides:\n" + GOOD_ENTRY + "  - [2026-12-19]\n",
            "Calendar override entry 2 (line 6) must be a mapping with date, working, reason "
            "and source.",
        ),
        (
            "overrides:\n  - date: 2026-13-01\n    working: true\n    reason: x\n    source: y\n",
            "Calendar override entry 1 (line 2): date '2026-13-01' is not an ISO date (YYYY-MM-DD).",
        ),
        (
            "overrides:\n  - date: 20261219\n    working: true\n    reason: x\n    source: y\n",
            "Calendar override entry 1 (line 2): date 20261219 is not an ISO date (YYYY-MM-DD).",
        ),
        (
            "overrides:\n  - date: 2026-12-19\n    working: 1\n    reason: x\n    source: y\n",
            "Calendar override entry 1 (line 2): working must be true or false, not 1.",
        ),
        (
            "overrides:\n  - date: 2026-12-19\n    working: true\n    reason: x\n    source: ' '\n",
            "Calendar override entry 1 (line 2): source must be non-empty text.",
        ),
        (
            "overrides:\n" + GOOD_ENTRY + GOOD_ENTRY.replace("true", "false"),
            "Calendar override entry 2 (line 6): 2026-12-19 is listed both as working and as a "
            "day off.",
        ),
        (
            # Lines are counted in the list under "overrides:", not in another list before it.
            "sources:\n  - a decree\n  - another decree\noverrides:\n"
            + GOOD_ENTRY
            + "  - date: 2026-12-20\n    working: maybe\n    reason: x\n    source: y\n",
            "Calendar override entry 2 (line 9): working must be true or false, not 'maybe'.",
        ),
    ],
)
def test_a_bad_overrides_entry_is_named_by_position_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(CalendarOverrideError) as caught:
        load_overrides(_write(tmp_path, text))
    assert str(caught.value) == message


def test_a_date_listed_twice_alike_is_one_override(tmp_path: Path) -> None:
    path = _write(tmp_path, "overrides:\n" + GOOD_ENTRY + GOOD_ENTRY)
    assert load_overrides(path) == [(date(2026, 12, 19), True), (date(2026, 12, 19), True)]
    assert KazakhstanCalendar(load_overrides(path)).is_working_day(date(2026, 12, 19))


@pytest.mark.parametrize("text", ["sources:\n  - a decree\n", "just text\n", "overrides_2026: []\n"])
def test_a_file_without_the_overrides_key_is_refused(tmp_path: Path, text: str) -> None:
    # A misspelt key must not pass for "no overrides": the decreed transfers would be lost.
    with pytest.raises(CalendarOverrideError, match="must contain a list under 'overrides:'"):
        load_overrides(_write(tmp_path, text))


def test_file_errors_name_the_file_and_the_problem(tmp_path: Path) -> None:
    absent = tmp_path / "absent.yaml"
    with pytest.raises(CalendarOverrideError) as caught:
        load_overrides(absent)
    assert str(caught.value) == (
        f"Cannot read the calendar overrides file {absent}: No such file or directory"
    )
    broken = _write(tmp_path, "overrides: [\n")
    with pytest.raises(CalendarOverrideError) as caught:
        load_overrides(broken)
    assert str(caught.value).startswith(
        f"The calendar overrides file {broken} is not valid YAML: while parsing"
    )
    with pytest.raises(CalendarOverrideError) as caught:
        load_overrides(_write(tmp_path, "overrides: 2026-12-19\n"))
    assert str(caught.value) == (
        f"The calendar overrides file {broken} must contain a list under 'overrides:'."
    )


def test_override_reasons_may_be_written_in_kazakh(tmp_path: Path) -> None:
    text = GOOD_ENTRY.replace("reason: test", "reason: Үкімет қаулысы")
    assert load_overrides(_write(tmp_path, "overrides:\n" + text)) == [(date(2026, 12, 19), True)]


def test_a_second_overrides_list_is_refused_not_silently_dropped(tmp_path: Path) -> None:
    # YAML keeps the later of two equal keys: the first list, a decreed working Saturday here,
    # would vanish and with it the working day a Rule 16 deadline counts on.
    text = "overrides:\n" + GOOD_ENTRY + "overrides:\n" + GOOD_ENTRY.replace("12-19", "12-26")
    path = _write(tmp_path, text)
    with pytest.raises(CalendarOverrideError) as caught:
        load_overrides(path)
    assert str(caught.value) == (
        f"The calendar overrides file {path} gives 'overrides:' a second time, at line 6; "
        "keep one list, or the first one is lost."
    )
    assert "6" in caught.value.localized("kk") and "6" in caught.value.localized("ru")
