"""A small Center for intake tests: users per role, two schools, core staff on mobile duty.

``NOW`` is Wednesday 18 March 2026, 10:00 Kazakhstan time — two days before the Nauryz
holidays (21–25 March 2026 with the weekend transfers), so deadlines around it are worked out
by hand in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.iin import make_iin
from pcenter_lib.models import Center, District, EducationOrganization, Region, StaffMember
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.consent_records import record_consent
from pcenter_lib.services.intake import RegisteredRequest, RequestDraft, register_request
from pcenter_lib.services.users import add_user
from pcenter_lib.workbench import Workbench

NOW = datetime(2026, 3, 18, 10, 0, tzinfo=KZ_TZ)

# user name → roles
USERS: dict[str, list[str]] = {
    "operator1": ["intake_operator"],
    "operator2": ["intake_operator"],
    "specialist1": ["specialist"],
    "supervisor1": ["supervisor"],
    "methodologist1": ["methodologist"],
    "admin1": ["administrator"],
    "manager1": ["manager"],
    "analyst1": ["analyst"],
}

BOY_14 = date(2011, 9, 1)  # 14 on NOW
GIRL_17 = date(2008, 5, 2)  # 17 on NOW


def iin_for(birth: date, sex: str = "male", serial: int = 1) -> str:
    return make_iin(birth, sex, serial)


@dataclass
class IntakeWorld:
    bench: Workbench
    school_id: int
    other_school_id: int
    staff_ids: list[int] = field(default_factory=list)
    non_mobile_staff_id: int = 0

    def draft(self, **changes: Any) -> RequestDraft:
        """A valid request from a legal representative about a 14-year-old boy."""
        base = RequestDraft(
            received_at=datetime(2026, 3, 18, 9, 30, tzinfo=KZ_TZ),
            channel="phone",
            source="legal_representative",
            applicant_name="Aliya Nurlanovna",
            applicant_relation="mother",
            child=ChildDraft(
                full_name="Nurlan Serikov",
                iin=iin_for(BOY_14),
                education_organization_id=self.school_id,
            ),
            education_organization_id=self.school_id,
            concerns=("bullying",),
            description="Classmates bully the boy after school.",
        )
        return replace(base, **changes)

    def consent(
        self, child_id: int | None, *, relation: str = "mother", given_at: datetime | None = None
    ) -> int:
        """A written consent of the child's legal representative (Rule 15); returns its id."""
        assert child_id is not None
        with self.bench.sessions.begin() as session:
            return record_consent(
                session,
                actor="operator1",
                cipher=self.bench.cipher,
                child_id=child_id,
                kind="written",
                given_by="Aliya Nurlanovna",
                relation=relation,
                scope="Consultations and the support plan",
                given_at=given_at or NOW - timedelta(minutes=10),
                now=NOW,
            ).id

    def register(
        self, draft: RequestDraft | None = None, *, actor: str = "operator1", now: datetime = NOW
    ) -> RegisteredRequest:
        with self.bench.sessions.begin() as session:
            return register_request(
                session, actor=actor, cipher=self.bench.cipher, draft=draft or self.draft(), now=now
            )


def build_world(bench: Workbench) -> IntakeWorld:
    """Add the users, a region with two schools and four staff members to ``bench``."""
    with bench.sessions.begin() as session:
        for username, roles in USERS.items():
            add_user(
                session, actor="test", username=username, full_name=username.title(), roles=roles
            )
        region = Region(code="R1", name_kk="Облыс", name_ru="Область", name_en="Region")
        session.add(region)
        session.flush()
        district = District(
            region_id=region.id,
            code="D1",
            name_kk="Аудан",
            name_ru="Район",
            name_en="District",
            is_urban=True,
        )
        center = Center(
            region_id=region.id,
            bin="100000000001",
            name_kk="Орталық",
            name_ru="Центр",
            name_en="Center",
        )
        session.add_all([district, center])
        session.flush()
        schools = [
            EducationOrganization(
                district_id=district.id,
                bin=f"20000000000{i}",
                name_kk=f"№{i} мектеп",
                name_ru=f"Школа №{i}",
                kind="school",
                is_urban=True,
                language="kk",
                student_count=900,
            )
            for i in (1, 2)
        ]
        session.add_all(schools)
        staff = [
            StaffMember(
                center_id=center.id,
                full_name=name,
                category=category,
                position="psychologist",
                fte=Decimal("1.00"),
                is_mobile_group=mobile,
                active=True,
            )
            for name, category, mobile in (
                ("Psychologist A", "core", True),
                ("Psychologist B", "core", True),
                ("Social pedagogue C", "core", False),
                ("Accountant D", "administrative", True),
            )
        ]
        session.add_all(staff)
        session.flush()
        return IntakeWorld(
            bench, schools[0].id, schools[1].id, [staff[0].id, staff[1].id], staff[2].id
        )
