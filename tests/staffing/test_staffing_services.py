"""Staffing services on SQLite and PostgreSQL: staff table, recorded workload, saved scenarios."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from pcenter_lib.domain.calendar import KazakhstanCalendar, load_overrides
from pcenter_lib.domain.staffing import StaffCategory
from pcenter_lib.domain.workload import (
    Activity,
    CoreGroup,
    ScenarioParameters,
    evaluate_scenario,
)
from pcenter_lib.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from pcenter_lib.models import AuditEvent, CalendarOverride, StaffingScenario, StaffMember
from pcenter_lib.services.audit import verify_chain
from pcenter_lib.services.staffing import (
    count_recorded_workload,
    current_center,
    last_full_year,
    read_staff_table,
    working_days_in_year,
)
from pcenter_lib.services.staffing_scenarios import (
    list_scenarios,
    load_scenario,
    parameters_from_json,
    parameters_to_json,
    save_scenario,
)
from pcenter_lib.workbench import Workbench
from tests.staffing.seed import ANALYST, COUNTS, MANAGER, YEAR, seed_center

G = CoreGroup


@pytest.fixture
def bench(any_workbench: Workbench) -> Workbench:
    seed_center(any_workbench)
    return any_workbench


def a_result(bench: Workbench, **changes: object) -> object:
    with bench.sessions() as session:
        staff = read_staff_table(session, actor=MANAGER)
        baseline = count_recorded_workload(session, actor=MANAGER, year=YEAR)
    return evaluate_scenario(baseline, staff.table, ScenarioParameters(**changes))  # type: ignore[arg-type]


def test_staff_table_sums_active_posts_by_category_position_and_group(bench: Workbench) -> None:
    with bench.sessions() as session:
        view = read_staff_table(session, actor=MANAGER)
    lines = {(line.category, line.position, line.group): line for line in view.lines}
    mobile = lines[(StaffCategory.CORE, "psychologist", G.MOBILE_GROUP)]
    assert (mobile.units, mobile.people) == (5.5, 6)
    psychologists = lines[(StaffCategory.CORE, "psychologist", G.PSYCHOLOGISTS)]
    assert (psychologists.units, psychologists.people) == (14.0, 14), (
        "the inactive post is left out"
    )
    assert lines[(StaffCategory.ADMINISTRATIVE, "director", None)].units == 10
    table = view.table
    assert (table.administrative, table.core, table.auxiliary) == (10, 30, 12)
    assert table.group(G.OTHER_CORE) == 0.5 and table.group(G.METHODOLOGISTS) == 4


def test_an_unknown_category_never_reaches_the_table(bench: Workbench) -> None:
    """Rule 24 knows three categories; the database refuses a fourth (a CHECK constraint)."""
    with bench.sessions.begin() as session:
        center_id = current_center(session).id
    with pytest.raises(StatementError, match="teaching"), bench.sessions.begin() as session:
        session.add(
            StaffMember(
                center_id=center_id,
                full_name="X",
                category="teaching",
                position="teacher",
                fte=Decimal("1"),
            )
        )
    with pytest.raises(IntegrityError), bench.sessions.begin() as session:
        session.execute(
            text(
                "INSERT INTO staff_members (center_id, full_name, category, position, fte, "
                "is_mobile_group, active, version) "
                "VALUES (:center, 'X', 'teaching', 'teacher', 1, false, true, 1)"
            ),
            {"center": center_id},
        )


def test_recorded_workload_counts_the_kazakhstan_year_exactly(bench: Workbench) -> None:
    with bench.sessions() as session:
        baseline = count_recorded_workload(session, actor=MANAGER, year=YEAR)
    assert {a.value: n for a, n in baseline.counts.items()} == COUNTS
    assert Activity.INFORMATION_CAMPAIGNS not in baseline.counts
    assert (baseline.schools, baseline.children) == (3, 6000), "only the Center's region"
    assert baseline.year == YEAR
    calendar = KazakhstanCalendar(load_overrides())
    assert baseline.working_days == calendar.working_days_between(
        date(YEAR, 1, 1), date(YEAR, 12, 31)
    )
    with bench.sessions() as session:
        next_year = count_recorded_workload(session, actor=MANAGER, year=YEAR + 1)
    assert next_year.counts[Activity.REQUESTS] == 1
    assert next_year.counts[Activity.VISITS] == 1  # planned in 2025, arrived in 2026
    assert next_year.counts[Activity.DIAGNOSTICS_ROUNDS] == 1


def test_a_working_day_transfer_in_the_database_changes_the_working_days(bench: Workbench) -> None:
    with bench.sessions() as session:
        before = working_days_in_year(session, YEAR)
    with bench.sessions.begin() as session:
        session.add(
            CalendarOverride(
                day_on=date(YEAR, 6, 14),
                working=True,  # a Saturday
                reason="decree",
                changed_by="admin",
            )
        )
    with bench.sessions() as session:
        assert working_days_in_year(session, YEAR) == before + 1


def test_last_full_year_is_taken_in_kazakhstan_time() -> None:
    # 31 Dec 2025 20:00 UTC is already 1 Jan 2026 in Kazakhstan (UTC+5)
    assert last_full_year(datetime(2025, 12, 31, 20, tzinfo=UTC)) == 2025
    assert last_full_year(datetime(2025, 12, 31, 18, tzinfo=UTC)) == 2024


@pytest.mark.parametrize("user", [ANALYST, "nobody"])
def test_only_the_staffing_roles_may_use_the_services(bench: Workbench, user: str) -> None:
    with bench.sessions() as session:
        with pytest.raises(PermissionDeniedError):
            read_staff_table(session, actor=user)
        with pytest.raises(PermissionDeniedError):
            count_recorded_workload(session, actor=user, year=YEAR)
        with pytest.raises(PermissionDeniedError):
            list_scenarios(session, actor=user)


def test_without_a_center_the_services_say_so(any_workbench: Workbench) -> None:
    from pcenter_lib.services.users import add_user

    with any_workbench.sessions.begin() as session:
        add_user(session, actor="t", username=MANAGER, full_name="M", roles=["manager"])
    with any_workbench.sessions() as session, pytest.raises(NotFoundError):
        read_staff_table(session, actor=MANAGER)


def test_save_load_and_save_again_bumps_the_version_and_is_audited(bench: Workbench) -> None:
    result = a_result(bench, requests_change_percent=20, information_campaigns=12)
    with bench.sessions.begin() as session:
        saved = save_scenario(
            session, actor=MANAGER, name="  Plus  20 ", result=result, baseline_year=YEAR
        )
    assert (saved.name, saved.version) == ("Plus 20", 1)
    with bench.sessions() as session:
        loaded = load_scenario(session, actor=MANAGER, name="Plus 20")
    assert loaded.parameters == result.parameters  # type: ignore[attr-defined]
    assert loaded.summary["compliant"] is True and loaded.summary["baseline_year"] == YEAR
    with bench.sessions.begin() as session:
        again = save_scenario(
            session,
            actor=MANAGER,
            name="Plus 20",
            result=result,
            baseline_year=YEAR,
            expected_version=1,
        )
    assert again.version == 2, "an unchanged save is still a new version"
    with bench.sessions() as session:
        assert [s.name for s in list_scenarios(session, actor=MANAGER)] == ["Plus 20"]
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "save_scenario").order_by(AuditEvent.id)
        ).all()
        assert [e.details["version"] for e in events] == [1, 2]
        assert verify_chain(session).intact


def test_saving_over_a_newer_version_or_an_existing_name_is_a_conflict(bench: Workbench) -> None:
    result = a_result(bench)
    with bench.sessions.begin() as session:
        save_scenario(session, actor=MANAGER, name="Base", result=result, baseline_year=YEAR)
    with bench.sessions.begin() as session:
        save_scenario(
            session,
            actor=MANAGER,
            name="Base",
            result=result,
            baseline_year=YEAR,
            expected_version=1,
        )
    with bench.sessions.begin() as session, pytest.raises(ConflictError) as stale:
        save_scenario(
            session,
            actor=MANAGER,
            name="Base",
            result=result,
            baseline_year=YEAR,
            expected_version=1,
        )
    assert "version 2" in str(stale.value) and MANAGER in str(stale.value)
    assert "Base" in stale.value.localized("kk") and "2" in stale.value.localized("ru")
    with bench.sessions.begin() as session, pytest.raises(ConflictError, match="already saved"):
        save_scenario(session, actor=MANAGER, name="Base", result=result, baseline_year=YEAR)
    with bench.sessions.begin() as session, pytest.raises(ConflictError, match="no longer"):
        save_scenario(
            session,
            actor=MANAGER,
            name="Gone",
            result=result,
            baseline_year=YEAR,
            expected_version=3,
        )


def _save_in_another_session_first(
    bench: Workbench, session: Session, name: str, expected_version: int | None
) -> None:
    """Make another manager save ``name`` just before ``session`` flushes (a real race)."""
    result = a_result(bench)
    done: list[bool] = []

    def other_saves(*_args: object) -> None:
        if done:
            return
        done.append(True)
        with bench.sessions.begin() as other:
            save_scenario(
                other,
                actor=MANAGER,
                name=name,
                result=result,
                baseline_year=YEAR,
                expected_version=expected_version,
            )

    event.listen(session, "before_flush", other_saves)


def test_two_managers_creating_the_same_name_at_once_get_a_conflict(bench: Workbench) -> None:
    result = a_result(bench)
    with bench.sessions() as session:
        _save_in_another_session_first(bench, session, "Race", None)
        with pytest.raises(ConflictError, match="at the same moment"):
            save_scenario(session, actor=MANAGER, name="Race", result=result, baseline_year=YEAR)
        session.rollback()
    with bench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StaffingScenario)) == 1


def test_two_managers_saving_over_the_same_version_at_once_get_a_conflict(
    bench: Workbench,
) -> None:
    result = a_result(bench, duty_line_posts=1)
    with bench.sessions.begin() as session:
        save_scenario(session, actor=MANAGER, name="Race", result=result, baseline_year=YEAR)
    with bench.sessions() as session:
        _save_in_another_session_first(bench, session, "Race", 1)
        with pytest.raises(ConflictError, match="while you were saving"):
            save_scenario(
                session,
                actor=MANAGER,
                name="Race",
                result=result,
                baseline_year=YEAR,
                expected_version=1,
            )
        session.rollback()
    with bench.sessions() as session:
        kept = load_scenario(session, actor=MANAGER, name="Race")
    assert kept.version == 2 and kept.parameters.duty_line_posts == 0, "the other save is kept"


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_scenario_needs_a_sensible_name(bench: Workbench, name: str) -> None:
    with bench.sessions.begin() as session, pytest.raises(ValidationError):
        save_scenario(session, actor=MANAGER, name=name, result=a_result(bench), baseline_year=YEAR)


def test_loading_an_unknown_scenario_is_not_found(bench: Workbench) -> None:
    with bench.sessions() as session, pytest.raises(NotFoundError):
        load_scenario(session, actor=MANAGER, name="nothing")


# --- parameters as stored JSON (pure) -------------------------------------------------------------


def test_parameters_survive_the_json_round_trip() -> None:
    parameters = ScenarioParameters(
        requests_change_percent=-15.5,
        new_district_schools=12,
        new_district_children=4000,
        duty_line_posts=2,
        extra_auxiliary_posts=1.5,
        information_campaigns=7,
        leave_days=24,
        salary_rates={StaffCategory.CORE: 250_000.0},
        category_allowance_percent={G.PSYCHOLOGISTS: 20.0},
        individual_allowance_hours={G.METHODOLOGISTS: 300.0},
    ).with_standard(G.PSYCHOLOGISTS, Activity.CONSULTATIONS, 1.1)
    data = parameters_to_json(parameters)
    import json

    assert parameters_from_json(json.loads(json.dumps(data))) == parameters
    assert parameters_from_json({}) == ScenarioParameters()


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"requests_change_percent": "20"},
        {"requests_change_percent": True},
        {"duty_line_posts": 1.5},
        {"standards": {"group": "psychologists"}},
        {"standards": [{"group": "teachers", "activity": "requests", "hours_per_unit": 1}]},
        {"standards": [{"group": "psychologists", "activity": "x", "hours_per_unit": 1}]},
        {"standards": [{"group": "psychologists", "activity": "requests"}]},
        {"salary_rates": {"teaching": 1}},
        {"category_allowance_percent": [1, 2]},
    ],
)
def test_bad_stored_parameters_are_refused_naming_the_value(data: object) -> None:
    with pytest.raises(ValidationError):
        parameters_from_json(data)
