"""The vectorized journal agrees with the one-request rules (no database needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.domain.calendar import load_default_calendar
from pcenter_lib.domain.deadlines import KZ_TZ, consideration_due_at, due_status
from pcenter_lib.services.journal import JournalFilter, filter_journal, journal_frame

CALENDAR = load_default_calendar()
# Hypothesis bounds are naive by its API; every generated moment carries UTC.
moments = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=datetime(2026, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
requests = st.lists(
    st.tuples(moments, st.booleans(), st.none() | st.integers(min_value=0, max_value=72)),
    min_size=1,
    max_size=40,
)


def build(rows: list[tuple[datetime, bool, int | None]]) -> tuple[list[datetime], object]:
    due = [consideration_due_at(r, direct_threat=t, calendar=CALENDAR) for r, t, _h in rows]
    considered = [None if h is None else r + timedelta(hours=h) for r, _t, h in rows]
    n = len(rows)
    columns: dict[str, list[object]] = {
        "id": list(range(1, n + 1)),
        "journal_year": [2026] * n,
        "journal_seq": list(range(1, n + 1)),
        "received_at": [r for r, _t, _h in rows],
        "due_at": list(due),
        "considered_at": list(considered),
        "status": ["open"] * n,
        "channel": ["phone"] * n,
        "source": ["teacher"] * n,
        "school_id": [None] * n,
        "child_id": [None] * n,
        "child_code": [None] * n,
        "direct_threat": [t for _r, t, _h in rows],
        "description": [f"request {i}" for i in range(n)],
        "version": [1] * n,
    }
    return due, journal_frame(columns, [(1, "bullying")])


@settings(max_examples=60, deadline=None)
@given(rows=requests, now=moments)
def test_due_marks_match_due_status_for_every_row(
    rows: list[tuple[datetime, bool, int | None]], now: datetime
) -> None:
    due, frame = build(rows)
    kept = filter_journal(frame, JournalFilter(), now=now)  # type: ignore[arg-type]
    for row in kept.itertuples():
        index = int(row.id) - 1
        if rows[index][2] is not None:
            assert row.due_mark == "considered"
        else:
            assert row.due_mark == due_status(due[index], now=now)


@settings(max_examples=60, deadline=None)
@given(rows=requests, start=st.dates(date(2025, 1, 1), date(2026, 12, 31)), days=st.integers(0, 60))
def test_period_filter_keeps_exactly_the_local_days_in_range(
    rows: list[tuple[datetime, bool, int | None]], start: date, days: int
) -> None:
    end = start + timedelta(days=days)
    _due, frame = build(rows)
    kept = filter_journal(
        frame,
        JournalFilter(date_from=start, date_to=end),
        now=datetime(2027, 1, 1, tzinfo=UTC),  # type: ignore[arg-type]
    )
    expected = {
        i + 1 for i, (r, _t, _h) in enumerate(rows) if start <= r.astimezone(KZ_TZ).date() <= end
    }
    assert set(kept["id"]) == expected


def test_open_direct_threats_come_first_then_newest() -> None:
    base = datetime(2026, 3, 18, 5, 0, tzinfo=UTC)
    _due, frame = build(
        [
            (base, False, None),
            (base - timedelta(days=2), True, None),
            (base + timedelta(hours=1), False, None),
        ]
    )
    kept = filter_journal(frame, JournalFilter(), now=base)  # type: ignore[arg-type]
    assert list(kept["id"]) == [2, 3, 1]
    assert list(filter_journal(frame, JournalFilter(concerns=("bullying",)), now=base)["id"]) == [1]  # type: ignore[arg-type]


def test_the_journal_columns_are_one_list_for_the_screen_and_the_export() -> None:
    from datetime import UTC, datetime

    from pcenter_lib.i18n import Translator
    from pcenter_lib.services.journal import JournalRow
    from pcenter_lib.services.journal_columns import journal_cells, journal_headers

    row = JournalRow(
        id=1, journal_number="2026/000001", received_at=datetime(2026, 11, 20, 5, tzinfo=UTC),
        due_at=datetime(2026, 11, 24, 18, 59, tzinfo=UTC), due_mark="on_time", status="in_work",
        channel="phone", source="teacher", concerns=("bullying",), school_id=3, child_id=None,
        child_code="C-1", direct_threat=True, description="Текст", version=1,
    )  # fmt: skip
    t = Translator("ru")
    everything = dict(zip(journal_headers(t), journal_cells(row, t, {3: "Школа №3"}), strict=True))
    on_screen = dict(
        zip(
            journal_headers(t, on_screen=True),
            journal_cells(row, t, {}, on_screen=True),
            strict=True,
        )
    )
    assert on_screen.items() <= everything.items(), "the screen shows a part of the same columns"
    assert everything["Школа"] == "Школа №3" and everything["Статус"] == "На рассмотрении"
    assert everything["Время поступления"].startswith("20.11.2026"), "in the reader's words"
    assert "in_work" not in everything.values() and "phone" not in everything.values()
