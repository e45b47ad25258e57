"""The journal: filters, search (identity only for roles that see it), paging, due marks, export."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from pcenter_lib.domain.deadlines import KZ_TZ, due_status
from pcenter_lib.errors import PermissionDeniedError
from pcenter_lib.models import AuditEvent
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.direct_threat import mark_direct_threat
from pcenter_lib.services.intake import RequestDraft
from pcenter_lib.services.journal import (
    JournalFilter,
    JournalPage,
    filter_journal,
    load_journal_frame,
    query_journal,
)
from pcenter_lib.services.journal_export import export_journal_xlsx
from tests.intake.world import GIRL_17, NOW, IntakeWorld, iin_for


def _query(
    world: IntakeWorld,
    flt: JournalFilter,
    *,
    actor: str = "operator1",
    now: datetime = NOW,
    page_size: int = 50,
) -> JournalPage:
    with world.bench.sessions.begin() as session:
        return query_journal(
            session, actor=actor, cipher=world.bench.cipher, flt=flt, now=now, page_size=page_size
        )


def _numbers(page: JournalPage) -> list[str]:
    return [row.journal_number for row in page.rows]


@pytest.fixture
def journal(world: IntakeWorld) -> IntakeWorld:
    """Four requests: 16 Mar (email, violence), 17 Mar teacher, 18 Mar (bullying), 18 Mar 111."""
    monday = datetime(2026, 3, 16, 11, 0, tzinfo=KZ_TZ)
    world.register(
        world.draft(
            received_at=monday,
            channel="email",
            concerns=("violence",),
            child=ChildDraft(full_name="Aruzhan Bekova", iin=iin_for(GIRL_17, "female", 2)),
            description="Fight in the yard",
        ),
        now=monday,
    )
    world.register(
        world.draft(
            received_at=monday + timedelta(days=1),
            source="teacher",
            applicant_name="Teacher T",
            applicant_relation="teacher",
            child=None,
            education_organization_id=world.other_school_id,
            concerns=("psycho_emotional",),
            description="Anxious pupil before exams",
        ),
        now=monday + timedelta(days=1),
    )
    world.register()  # 18 Mar, bullying, Nurlan Serikov
    world.register(
        RequestDraft(
            received_at=NOW - timedelta(minutes=5),
            channel="phone",
            source="helpline_111",
            description="Anonymous call",
            concerns=("psycho_emotional",),
        )
    )
    return world


def test_journal_lists_newest_first_with_due_marks(journal: IntakeWorld) -> None:
    page = _query(journal, JournalFilter())
    assert _numbers(page) == ["2026/000004", "2026/000003", "2026/000002", "2026/000001"]
    marks = {row.journal_number: row.due_mark for row in page.rows}
    # Monday 16 March → due Wednesday 18 (today): due today; Tuesday 17 → Thursday 19: open.
    assert marks == {
        "2026/000001": "due_today",
        "2026/000002": "open",
        "2026/000003": "open",
        "2026/000004": "open",
    }
    for row in page.rows:
        expected = due_status(row.due_at, now=NOW)
        assert row.due_mark == expected
    later = _query(journal, JournalFilter(due_marks=("overdue",)), now=NOW + timedelta(days=1))
    assert _numbers(later) == ["2026/000001"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (JournalFilter(date_from=date(2026, 3, 17)), ["2026/000004", "2026/000003", "2026/000002"]),
        (JournalFilter(date_to=date(2026, 3, 16)), ["2026/000001"]),
        (JournalFilter(channels=("email",)), ["2026/000001"]),
        (JournalFilter(sources=("teacher", "helpline_111")), ["2026/000004", "2026/000002"]),
        (JournalFilter(concerns=("bullying", "violence")), ["2026/000003", "2026/000001"]),
        (JournalFilter(statuses=("closed",)), []),
        (JournalFilter(due_marks=("due_today",)), ["2026/000001"]),
        (JournalFilter(search="EXAMS"), ["2026/000002"]),
        (JournalFilter(search="000003"), ["2026/000003"]),
    ],
)
def test_filters(journal: IntakeWorld, flt: JournalFilter, expected: list[str]) -> None:
    assert _numbers(_query(journal, flt)) == expected


def test_school_filter(journal: IntakeWorld) -> None:
    other = _query(journal, JournalFilter(school_ids=(journal.other_school_id,)))
    assert _numbers(other) == ["2026/000002"]


def test_search_by_name_and_iin_only_for_identity_roles_and_audited(journal: IntakeWorld) -> None:
    assert _numbers(_query(journal, JournalFilter(search="serikov"))) == ["2026/000003"]
    by_iin = _query(journal, JournalFilter(search=iin_for(GIRL_17, "female", 2)))
    assert _numbers(by_iin) == ["2026/000001"]
    with journal.bench.sessions() as session:
        searches = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "search_identity")
        ).all()
        assert len(searches) == 2 and all(e.actor == "operator1" for e in searches)
    assert _numbers(_query(journal, JournalFilter(search="serikov"), actor="supervisor1")) == [
        "2026/000003"
    ]


def test_paging(journal: IntakeWorld) -> None:
    with journal.bench.sessions.begin() as session:
        page = query_journal(
            session,
            actor="operator1",
            cipher=journal.bench.cipher,
            flt=JournalFilter(),
            now=NOW,
            page=2,
            page_size=3,
        )
    assert (page.total, page.page, page.pages) == (4, 2, 2)
    assert _numbers(page) == ["2026/000001"]


def test_direct_threat_jumps_to_the_top(journal: IntakeWorld) -> None:
    with journal.bench.sessions.begin() as session:
        mark_direct_threat(session, actor="specialist1", request_id=2, expected_version=1, now=NOW)
    page = _query(journal, JournalFilter())
    assert _numbers(page)[0] == "2026/000002"
    assert page.rows[0].direct_threat


def test_frame_filter_matches_the_query(journal: IntakeWorld) -> None:
    with journal.bench.sessions() as session:
        frame = load_journal_frame(session, actor="operator1")
    kept = filter_journal(frame, JournalFilter(concerns=("bullying",)), now=NOW)
    assert list(kept["journal_number"]) == ["2026/000003"]
    assert list(kept["due_mark"]) == ["open"]


def test_export_xlsx_translated_identity_only_when_allowed_and_audited(
    journal: IntakeWorld,
) -> None:
    with journal.bench.sessions.begin() as session:
        plain = export_journal_xlsx(
            session,
            actor="operator1",
            cipher=journal.bench.cipher,
            flt=JournalFilter(),
            lang="ru",
            now=NOW,
        )
        named = export_journal_xlsx(
            session,
            actor="operator1",
            cipher=journal.bench.cipher,
            flt=JournalFilter(concerns=("bullying",)),
            lang="kk",
            with_identity=True,
            now=NOW,
        )
    rows = list(load_workbook(io.BytesIO(plain)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Номер в журнале" and len(rows) == 5
    assert "Nurlan Serikov" not in str(rows)
    assert rows[1][0] == "2026/000004"
    named_rows = list(load_workbook(io.BytesIO(named)).active.iter_rows(values_only=True))
    assert len(named_rows) == 2 and "Nurlan Serikov" in named_rows[1]
    with journal.bench.sessions() as session:
        exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert [e.details["identity"] for e in exports] == [False, True]
        assert [e.details["rows"] for e in exports] == [4, 1]


def test_roles_outside_the_desk_may_not_read_or_export_the_journal(journal: IntakeWorld) -> None:
    for actor in ("methodologist1", "analyst1", "admin1"):
        with pytest.raises(PermissionDeniedError):
            _query(journal, JournalFilter(), actor=actor)
        with journal.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
            export_journal_xlsx(
                session,
                actor=actor,
                cipher=journal.bench.cipher,
                flt=JournalFilter(),
                lang="kk",
            )
