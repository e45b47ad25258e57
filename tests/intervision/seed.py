"""A small Center with one real case, for the intervision service, widget and browser tests.

The case's child, mother, school, district and responsible specialist have synthetic names the
tests try to smuggle back into an exported pack.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.models import (
    Case,
    Center,
    Child,
    ChildIdentity,
    District,
    EducationOrganization,
    Instrument,
    LegalRepresentative,
    Region,
    Request,
    RequestConcern,
    ScreeningResult,
    ScreeningRound,
    StaffMember,
)
from pcenter_lib.services.users import add_user
from pcenter_lib.workbench import Workbench

METHODOLOGIST = "method1"
SUPERVISOR = "super1"
OPERATOR = "intake1"
CHILD_NAME = "Айгерім Сейтова"
CHILD_IIN = "110315600123"
MOTHER_NAME = "Гүлнар Сейтова"
SPECIALIST = "Динара Жұмабекова"
SCHOOL_KK = "Абай атындағы № 17 мектеп-гимназия"
SCHOOL_RU = "Школа-гимназия № 17 имени Абая"
PHONE = "+7 701 555 12 34"
RECEIVED = datetime(2026, 9, 14, 10, 0, tzinfo=KZ_TZ)


def seed_intervision(workbench: Workbench) -> dict[str, int]:
    """Users, a region with two schools, the Center's staff and one case; returns the ids."""
    cipher = workbench.cipher
    with workbench.sessions.begin() as session:
        add_user(
            session,
            actor="test",
            username=METHODOLOGIST,
            full_name="Методист",
            roles=["methodologist"],
        )
        add_user(
            session, actor="test", username=SUPERVISOR, full_name="Супервизор", roles=["supervisor"]
        )
        add_user(
            session,
            actor="test",
            username=OPERATOR,
            full_name="Оператор",
            roles=["intake_operator"],
        )
        region = Region(code="R1", name_kk="Облыс", name_ru="Область", name_en="Region")
        session.add(region)
        session.flush()
        district = District(
            region_id=region.id,
            code="D1",
            name_kk="Қарасай ауданы",
            name_ru="Карасайский район",
            name_en="Karasay",
            is_urban=False,
        )
        session.add(district)
        session.flush()
        school = EducationOrganization(
            district_id=district.id,
            bin="000000000017",
            name_kk=SCHOOL_KK,
            name_ru=SCHOOL_RU,
            kind="school",
            is_urban=False,
            language="kk",
            student_count=900,
        )
        other = EducationOrganization(
            district_id=district.id,
            bin="000000000018",
            name_kk="Бірлік мектебі",
            name_ru="Школа Бирлик",
            kind="school",
            is_urban=False,
            language="ru",
            student_count=400,
        )
        center = Center(
            region_id=region.id,
            bin="123456789012",
            name_kk="Орталық",
            name_ru="Центр",
            name_en="Center",
        )
        session.add_all([school, other, center])
        session.flush()
        for name, position in (
            (SPECIALIST, "psychologist"),
            ("Ерлан Сапаров", "methodologist"),
            ("Мәдина Оспанова", "methodologist"),
        ):
            session.add(
                StaffMember(
                    center_id=center.id,
                    full_name=name,
                    category="core",
                    position=position,
                    fte=Decimal("1.00"),
                )
            )
        child = Child(
            code=cipher.child_code(CHILD_IIN),
            birth_on=date(2013, 3, 15),
            sex="female",
            education_organization_id=school.id,
            grade=7,
            language="kk",
        )
        session.add(child)
        session.flush()
        session.add(
            ChildIdentity(
                child_id=child.id,
                full_name_enc=cipher.encrypt(CHILD_NAME),
                iin_enc=cipher.encrypt(CHILD_IIN),
                address_enc=cipher.encrypt("Абай көшесі, 12, 5-пәтер"),
                contacts_enc=cipher.encrypt(PHONE),
            )
        )
        session.add(
            LegalRepresentative(
                child_id=child.id, relation="mother", full_name_enc=cipher.encrypt(MOTHER_NAME)
            )
        )
        request = Request(
            journal_year=2026,
            journal_seq=1,
            received_at=RECEIVED,
            registered_by=OPERATOR,
            channel="phone",
            source="legal_representative",
            applicant_name_enc=cipher.encrypt(MOTHER_NAME),
            applicant_relation="mother",
            description=f"Анасы {MOTHER_NAME} хабарлады: {CHILD_NAME} мектепке барудан бас "
            f"тартады, сыныптастары мазақтайды. Телефон {PHONE}.",
            due_at=RECEIVED + timedelta(days=5),
            child_id=child.id,
            education_organization_id=school.id,
        )
        session.add(request)
        session.flush()
        session.add(RequestConcern(request_id=request.id, concern="bullying"))
        instrument = Instrument(code="sdq", version="1", definition_sha256="0" * 64)
        session.add(instrument)
        session.flush()
        screening = ScreeningRound(
            education_organization_id=school.id,
            instrument_id=instrument.id,
            period="2026Q3",
            school_year="2026-2027",
            conducted_on=date(2026, 10, 1),
            imported_by="test",
            content_sha256="1" * 64,
        )
        session.add(screening)
        session.flush()
        session.add(
            ScreeningResult(
                screening_round_id=screening.id,
                child_id=child.id,
                responses={},
                scores={},
                band="high",
                critical=False,
            )
        )
        case = Case(
            child_id=child.id,
            opened_from_request_id=request.id,
            opened_at=RECEIVED + timedelta(days=1),
            responsible=SPECIALIST,
        )
        session.add(case)
        session.flush()
        return {"case": case.id, "school": school.id, "other_school": other.id, "child": child.id}
