"""The annual work plan and the analytical report (Rule 23) on the demo region."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from pcenter_lib.domain.work_plan import plan_timing
from pcenter_lib.errors import ConflictError, PermissionDeniedError, ValidationError
from pcenter_lib.services.annual_reports import annual_sections
from pcenter_lib.services.compliance import compliance_report
from pcenter_lib.services.report_registry import produce_report
from pcenter_lib.services.work_plans import (
    EventDraft,
    add_plan_event,
    approve_work_plan,
    open_work_plan,
    set_event_status,
)
from pcenter_lib.workbench import Workbench
from tests.reports.conftest import converted, save_first_page

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)


def test_a_plan_is_late_unless_approved_before_the_school_year() -> None:
    assert plan_timing("2026-2027", date(2026, 8, 31), TODAY).late is False
    assert plan_timing("2026-2027", date(2026, 9, 1), TODAY).late is True
    assert plan_timing("2026-2027", None, date(2026, 8, 31)).late is False
    assert plan_timing("2026-2027", None, date(2026, 8, 31)).due_soon is True
    assert plan_timing("2026-2027", None, date(2026, 9, 1)).late is True


def test_the_plan_is_edited_without_lost_edits_and_approved_by_the_first_head(
    region: Workbench,
) -> None:
    with region.sessions.begin() as session:  # made in one transaction, edited in the next
        plan = open_work_plan(
            session, actor="methodologist1", school_year="2027-2028", today=TODAY, create=True
        )
    with region.sessions.begin() as session:
        assert plan is not None and plan.events == () and not plan.timing.late
        draft = EventDraft(
            "education", "2027-10", "Неделя психологии", "Методический отдел", "500 участников"
        )
        with pytest.raises(ValidationError):  # a month outside the school year
            add_plan_event(
                session,
                actor="methodologist1",
                plan_id=plan.id,
                expected_version=plan.version,
                draft=EventDraft("education", "2026-10", "x", "y"),
                today=TODAY,
            )
        after = add_plan_event(
            session,
            actor="methodologist1",
            plan_id=plan.id,
            expected_version=plan.version,
            draft=draft,
            today=TODAY,
        )
        assert after.version > plan.version and len(after.events) == 1
        with pytest.raises(ConflictError):  # the second editor still holds the old version
            add_plan_event(
                session,
                actor="manager1",
                plan_id=plan.id,
                expected_version=plan.version,
                draft=draft,
                today=TODAY,
            )
        with pytest.raises(ValidationError):  # not done on a day still to come
            set_event_status(
                session,
                actor="methodologist1",
                event_id=after.events[0].id,
                expected_version=after.version,
                status="done",
                today=TODAY,
                done_on=date(2027, 10, 5),
            )
        with pytest.raises(PermissionDeniedError):
            approve_work_plan(
                session,
                actor="methodologist1",
                plan_id=plan.id,
                expected_version=after.version,
                today=TODAY,
                now=NOW,
            )
        approved = approve_work_plan(
            session,
            actor="manager1",
            plan_id=plan.id,
            expected_version=after.version,
            today=TODAY,
            now=NOW,
        )
        assert approved.approved_by == "manager1" and not approved.timing.late
        with pytest.raises(ValidationError):
            approve_work_plan(
                session,
                actor="manager1",
                plan_id=plan.id,
                expected_version=approved.version,
                today=TODAY,
                now=NOW,
            )
        session.rollback()


def test_the_analytical_report_counts_what_independent_queries_count(region: Workbench) -> None:
    year = "2025-2026"
    with region.sessions() as session:
        _period, sections = annual_sections(
            session,
            school_year=year,
            lang="en",
            threshold=5,
            now=NOW,
            notify_minutes=60,
            today=TODAY,
        )
        tables = {table.title: table for section in sections for table in section.tables}
        activity = dict(tables["Diagnostics, studies, supervision and intervision"].rows)
        bounds = {"a": "2025-08-31 19:00:00", "b": "2026-08-31 19:00:00"}
        supervision = session.execute(
            text("SELECT count(*) FROM supervision_sessions WHERE held_at >= :a AND held_at < :b"),
            bounds,
        ).scalar_one()
        intervision = session.execute(
            text("SELECT count(*) FROM intervision_sessions WHERE held_at >= :a AND held_at < :b"),
            bounds,
        ).scalar_one()
        rounds = session.execute(
            text(
                "SELECT count(*) FROM screening_rounds WHERE period IN "
                "('2025Q3', '2025Q4', '2026Q1', '2026Q2')"
            )
        ).scalar_one()
        requests = session.execute(
            text("SELECT count(*) FROM requests WHERE received_at >= :a AND received_at < :b"),
            bounds,
        ).scalar_one()
        view = compliance_report(
            session,
            actor="manager1",
            date_from=date(2025, 9, 1),
            date_to=date(2026, 8, 31),
            now=NOW,
        )
    assert activity["Supervision sessions (Rule 11.4)"] == supervision
    assert activity["Intervision sessions (Rule 11.3)"] == intervision
    assert activity["Screening rounds imported"] == rounds
    summary = dict(tables["Requests of the year"].rows)
    assert summary["Requests received"] == requests
    compliance = tables["Compliance per rule (the compliance view's figures)"].rows
    assert [(row[2], row[3]) for row in compliance] == [
        (
            f.complying if f.complying >= 5 or f.complying == 0 else "x",
            f.counted if f.counted >= 5 or f.counted == 0 else "x",
        )
        for f in view
    ]


def test_the_plan_and_the_report_convert_with_libreoffice(
    region: Workbench, tmp_path: Path
) -> None:
    files = []
    with region.sessions.begin() as session:
        for kind, period in (("work_plan", "2026-2027"), ("annual_report", "2025-2026")):
            for lang in ("kk", "ru"):
                exported = produce_report(
                    session,
                    actor="manager1",
                    kind=kind,
                    period=period,
                    lang=lang,
                    fmt="docx",
                    now=NOW,
                )
                path = tmp_path / exported.filename
                path.write_bytes(exported.content)
                files.append((kind, lang, path))
    expected = {
        ("work_plan", "kk"): "Орталықтың жылдық жұмыс жоспары",
        ("work_plan", "ru"): "Годовой план работы Центра",
        ("annual_report", "kk"): "Орталық қызметі туралы талдамалық есеп",
        ("annual_report", "ru"): "Аналитический отчёт о деятельности Центра",
    }
    pdfs = converted([path for _kind, _lang, path in files], tmp_path)
    for (kind, lang, _path), (pdf, words, pages) in zip(files, pdfs, strict=True):
        assert expected[(kind, lang)] in words
        assert 1 <= pages <= 12
        save_first_page(pdf, f"{kind}_{lang}_page1")
