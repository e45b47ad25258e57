"""Staffing use cases: the Center's staff table and last year's recorded workload (Rule 24).

Every use case checks first that the acting user (read from the database, so a role taken
away stops working at once) may plan staffing (``domain.access.require``).
Counting is done by the database (SQL aggregates in one round trip), never by loading rows.
Named scenarios are saved and loaded by ``pcenter_lib.services.staffing_scenarios``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.calendar import KazakhstanCalendar, load_overrides
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.staffing import StaffCategory
from pcenter_lib.domain.workload import (
    Activity,
    CoreGroup,
    StaffTable,
    WorkloadBaseline,
    core_group_of,
)
from pcenter_lib.errors import NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    CalendarOverride,
    Center,
    Consultation,
    District,
    EducationOrganization,
    IntervisionSession,
    Request,
    ScreeningRound,
    StaffMember,
    SupervisionSession,
    Visit,
)
from pcenter_lib.services.users import load_actor


@dataclass(frozen=True)
class CenterView:
    """The Center the staffing is planned for, named in each language."""

    id: int
    names: Mapping[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["ru"]


@dataclass(frozen=True)
class StaffLine:
    """Active posts of one position: Rule 24 category, WISN group for core, units and people."""

    category: StaffCategory
    position: str
    group: CoreGroup | None
    units: float
    people: int


@dataclass(frozen=True)
class StaffTableView:
    """The staff table by category and position, and the same as the domain's ``StaffTable``."""

    lines: tuple[StaffLine, ...]
    table: StaffTable


def current_center(session: Session) -> CenterView:
    """The Center this database belongs to (the first registered)."""
    center = session.scalar(select(Center).order_by(Center.id).limit(1))
    if center is None:
        raise NotFoundError(
            N_("No Center is registered in this database; build the demo or add the Center.")
        )
    return CenterView(center.id, {"kk": center.name_kk, "ru": center.name_ru, "en": center.name_en})


def read_staff_table(session: Session, *, actor: str) -> StaffTableView:
    """Active posts of the Center summed by category and position (FTE), with WISN groups."""
    require(load_actor(session, actor), UseCase.PLAN_STAFFING)
    center = current_center(session)
    query = (
        select(
            StaffMember.category,
            StaffMember.position,
            StaffMember.is_mobile_group,
            func.sum(StaffMember.fte),
            func.count(),
        )
        .where(StaffMember.center_id == center.id, StaffMember.active.is_(True))
        .group_by(StaffMember.category, StaffMember.position, StaffMember.is_mobile_group)
        .order_by(StaffMember.category, StaffMember.position, StaffMember.is_mobile_group)
    )
    lines: list[StaffLine] = []
    for category_code, position, mobile, units, people in session.execute(query):
        try:
            category = StaffCategory(category_code)
        except ValueError:
            raise ValidationError(
                N_("Staff post category {value!r} is not administrative, core or auxiliary."),
                value=category_code,
            ) from None
        group = (
            core_group_of(position, is_mobile_group=mobile)
            if category is StaffCategory.CORE
            else None
        )
        lines.append(StaffLine(category, position, group, float(Decimal(units)), int(people)))
    return StaffTableView(tuple(lines), _staff_table(lines))


def _staff_table(lines: Sequence[StaffLine]) -> StaffTable:
    by_category = dict.fromkeys(StaffCategory, 0.0)
    groups = dict.fromkeys(CoreGroup, 0.0)
    for line in lines:
        by_category[line.category] += line.units
        if line.group is not None:
            groups[line.group] += line.units
    return StaffTable(
        administrative=by_category[StaffCategory.ADMINISTRATIVE],
        core_groups=groups,
        auxiliary=by_category[StaffCategory.AUXILIARY],
    )


def working_days_in_year(session: Session, year: int) -> int:
    """Working days of ``year`` on the Kazakhstan calendar of the request journal.

    The calendar is the one of Rule 16 deadlines: five-day week, public holidays and decreed
    transfers, with the overrides file; transfers recorded in the database win over the file.
    """
    overrides = dict(load_overrides())
    rows = session.execute(
        select(CalendarOverride.day_on, CalendarOverride.working).where(
            CalendarOverride.day_on.between(date(year, 1, 1), date(year, 12, 31))
        )
    )
    overrides.update({day: bool(working) for day, working in rows})
    calendar = KazakhstanCalendar(overrides.items())
    return calendar.working_days_between(date(year, 1, 1), date(year, 12, 31))


def last_full_year(now: datetime) -> int:
    """The last whole calendar year before ``now`` in Kazakhstan (WISN uses last year's data)."""
    return now.astimezone(KZ_TZ).year - 1


def _count(query: Select[Any]) -> Any:
    return query.scalar_subquery()


def count_recorded_workload(session: Session, *, actor: str, year: int) -> WorkloadBaseline:
    """Last year's recorded activity, counted by the database in one query.

    A year is a Kazakhstan calendar year (local midnight to midnight). Visits count when the
    group arrived (or, if no arrival was recorded, when it was planned). Children and schools
    are the education organizations of the Center's region and their students.
    """
    require(load_actor(session, actor), UseCase.PLAN_STAFFING)
    center = session.get(Center, current_center(session).id)
    assert center is not None
    start = datetime.combine(date(year, 1, 1), time(), tzinfo=KZ_TZ)
    end = datetime.combine(date(year + 1, 1, 1), time(), tzinfo=KZ_TZ)

    def within(column: Any) -> Any:
        return (column >= start) & (column < end)

    schools = (
        select(EducationOrganization.id, EducationOrganization.student_count)
        .join(District, EducationOrganization.district_id == District.id)
        .where(District.region_id == center.region_id)
        .subquery()
    )
    row = session.execute(
        select(
            _count(select(func.count(Request.id)).where(within(Request.received_at))),
            _count(select(func.count(Consultation.id)).where(within(Consultation.held_at))),
            _count(
                select(func.count(Visit.id)).where(
                    within(func.coalesce(Visit.arrived_at, Visit.planned_at))
                )
            ),
            _count(
                select(func.count(ScreeningRound.id)).where(
                    ScreeningRound.conducted_on.between(date(year, 1, 1), date(year, 12, 31))
                )
            ),
            _count(
                select(func.count(SupervisionSession.id)).where(within(SupervisionSession.held_at))
            ),
            _count(
                select(func.count(IntervisionSession.id)).where(within(IntervisionSession.held_at))
            ),
            _count(select(func.count()).select_from(schools)),
            _count(select(func.coalesce(func.sum(schools.c.student_count), 0))),
        )
    ).one()
    requests, consultations, visits, rounds, supervision, intervision, schools_n, children = row
    counts = {
        Activity.REQUESTS: int(requests),
        Activity.CONSULTATIONS: int(consultations),
        Activity.VISITS: int(visits),
        Activity.DIAGNOSTICS_ROUNDS: int(rounds),
        Activity.SUPERVISION_SESSIONS: int(supervision),
        Activity.INTERVISION_SESSIONS: int(intervision),
    }
    return WorkloadBaseline(
        year=year,
        working_days=working_days_in_year(session, year),
        counts=counts,
        children=int(children),
        schools=int(schools_n),
    )
