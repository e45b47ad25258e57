"""A small Center with known numbers, for the staffing service, widget and browser tests.

Everything counted is known by construction, so the tests can check the counts exactly:
in 2025 the Center recorded 12 requests, 9 consultations, 4 visits, 3 screening rounds,
2 supervision and 2 intervision sessions; its region has 3 schools with 6,000 students (a
school of another region is not counted). Staff: 10 administrative, 30 core (psychologists 14,
social pedagogues 6, methodologists 4, mobile group 5.5, a media specialist 0.5) and 12
auxiliary units; one inactive post is not counted.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.models import (
    Center,
    Consultation,
    District,
    EducationOrganization,
    Instrument,
    IntervisionSession,
    MobileGroup,
    Region,
    Request,
    ScreeningRound,
    StaffMember,
    SupervisionSession,
    Visit,
)
from pcenter_lib.services.users import add_user
from pcenter_lib.workbench import Workbench

YEAR = 2025
MANAGER = "manager1"
ANALYST = "analyst1"
STAFF: tuple[tuple[str, str, str, float, bool], ...] = (
    # (category, position, name, units, mobile group)
    *(("administrative", "director", f"Admin {i}", 1.0, False) for i in range(10)),
    *(("core", "psychologist", f"Psychologist {i}", 1.0, False) for i in range(14)),
    *(("core", "social_pedagogue", f"Social pedagogue {i}", 1.0, False) for i in range(6)),
    *(("core", "methodologist", f"Methodologist {i}", 1.0, False) for i in range(4)),
    *(("core", "psychologist", f"Mobile {i}", 1.0, True) for i in range(5)),
    ("core", "psychologist", "Mobile 5", 0.5, True),
    ("core", "media_specialist", "Media", 0.5, False),
    *(("auxiliary", "driver", f"Driver {i}", 1.0, False) for i in range(12)),
)
COUNTS = {
    "requests": 12,
    "consultations": 9,
    "visits": 4,
    "diagnostics_rounds": 3,
    "supervision_sessions": 2,
    "intervision_sessions": 2,
}


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A Kazakhstan local time (aware)."""
    return datetime(year, month, day, hour, minute, tzinfo=KZ_TZ)


def seed_center(workbench: Workbench, *, with_activity: bool = True) -> None:
    """Create the region, schools, Center, staff, users and (optionally) the 2025 activity."""
    with workbench.sessions.begin() as session:
        add_user(session, actor="test", username=MANAGER, full_name="Manager", roles=["manager"])
        add_user(session, actor="test", username=ANALYST, full_name="Analyst", roles=["analyst"])
        region = Region(code="R1", name_kk="Облыс", name_ru="Область", name_en="Region")
        other = Region(code="R2", name_kk="Басқа", name_ru="Другая", name_en="Other")
        session.add_all([region, other])
        session.flush()
        district = District(
            region_id=region.id,
            code="D1",
            name_kk="Аудан",
            name_ru="Район",
            name_en="District",
            is_urban=True,
        )
        far = District(
            region_id=other.id,
            code="D2",
            name_kk="Алыс",
            name_ru="Дальний",
            name_en="Far",
            is_urban=False,
        )
        session.add_all([district, far])
        session.flush()
        schools = [
            EducationOrganization(
                district_id=district.id,
                bin=f"00000000000{i}",
                name_kk=f"Мектеп {i}",
                name_ru=f"Школа {i}",
                kind="school",
                is_urban=True,
                language="kk",
                student_count=2000,
            )
            for i in range(3)
        ]
        schools.append(
            EducationOrganization(
                district_id=far.id,
                bin="999999999999",
                name_kk="Алыс мектеп",
                name_ru="Дальняя школа",
                kind="school",
                is_urban=False,
                language="ru",
                student_count=5000,
            )
        )
        session.add_all(schools)
        center = Center(
            region_id=region.id,
            bin="123456789012",
            name_kk="Психологиялық қолдау орталығы",
            name_ru="Центр психологической поддержки",
            name_en="Psychological Support Center",
        )
        session.add(center)
        session.flush()
        for category, position, name, units, mobile in STAFF:
            session.add(
                StaffMember(
                    center_id=center.id,
                    full_name=name,
                    category=category,
                    position=position,
                    fte=Decimal(str(units)),
                    is_mobile_group=mobile,
                )
            )
        session.add(
            StaffMember(
                center_id=center.id,
                full_name="Gone",
                category="core",
                position="psychologist",
                fte=Decimal("1"),
                active=False,
            )
        )
        if with_activity:
            _seed_activity(session, schools[0].id)


def _request(seq: int, received_at: datetime) -> Request:
    return Request(
        journal_year=received_at.year,
        journal_seq=seq,
        received_at=received_at,
        registered_by="test",
        channel="phone",
        source="teacher",
        due_at=received_at + timedelta(days=2),
    )


def _seed_activity(session: Session, school_id: int) -> None:
    """2025's activity plus records just outside the year, which must not be counted."""
    requests = [_request(i + 1, local(YEAR, 1 + i, 10)) for i in range(10)]
    requests.append(_request(11, local(YEAR, 1, 1, 0, 0)))  # first local minute of 2025
    requests.append(_request(12, local(YEAR, 12, 31, 23, 59)))  # last local minute of 2025
    requests.append(_request(1, local(YEAR - 1, 12, 31, 23, 59)))  # 2024 in Kazakhstan
    requests.append(_request(1, local(YEAR + 1, 1, 1, 0, 0)))  # 2026
    session.add_all(requests)
    session.flush()
    for i in range(9):
        session.add(
            Consultation(
                held_at=local(YEAR, 3, 1 + i), specialist="psy", recipient="child", topic="anxiety"
            )
        )
    session.add(
        Consultation(
            held_at=local(YEAR - 1, 6, 1), specialist="psy", recipient="parent", topic="anxiety"
        )
    )
    group = MobileGroup(request_id=requests[0].id, formed_by="test")
    session.add(group)
    session.flush()
    planned = [local(YEAR, 2, 1), local(YEAR, 2, 2), local(YEAR, 2, 3), local(YEAR, 12, 31, 20)]
    for i, when in enumerate(planned):
        arrived = when + timedelta(hours=2) if i < 2 else None
        session.add(Visit(mobile_group_id=group.id, planned_at=when, arrived_at=arrived))
    # planned in 2025 but arrived in 2026 (Kazakhstan time): counted in 2026
    session.add(
        Visit(
            mobile_group_id=group.id,
            planned_at=local(YEAR, 12, 31, 22),
            arrived_at=local(YEAR + 1, 1, 1, 1),
        )
    )
    instrument = Instrument(code="sdq", version="1", definition_sha256="0" * 64)
    session.add(instrument)
    session.flush()
    for i, day in enumerate(
        [date(YEAR, 1, 1), date(YEAR, 5, 5), date(YEAR, 12, 31), date(YEAR + 1, 1, 1)]
    ):
        session.add(
            ScreeningRound(
                education_organization_id=school_id,
                instrument_id=instrument.id,
                period=f"{day.year}Q1",
                school_year="2024-2025",
                conducted_on=day,
                imported_by="test",
                content_sha256=f"{i:064d}",
            )
        )
    for when in (local(YEAR, 4, 1), local(YEAR, 9, 1), local(YEAR + 1, 1, 5)):
        session.add(SupervisionSession(held_at=when, supervisor="sup"))
        session.add(IntervisionSession(held_at=when, facilitator="met", format="incident_method"))
