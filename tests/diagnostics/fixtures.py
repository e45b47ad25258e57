"""A small region for diagnostics tests: two districts, four schools, the users who work on it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from pcenter_lib.diagnostics import get_instrument
from pcenter_lib.diagnostics.templates import upload_columns
from pcenter_lib.models import Center, District, EducationOrganization, Region
from pcenter_lib.services.users import add_user
from pcenter_lib.workbench import Workbench

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
# A Thursday in the first quarter of 2026; Rule 16's two working days end on Monday 16 February.
IMPORT_MOMENT = datetime(2026, 2, 12, 5, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Place:
    districts: tuple[int, int]
    schools: tuple[int, int, int, int]  # two in each district


def make_region(workbench: Workbench) -> Place:
    """The region, districts, schools, and users methodologist1 and analyst1."""
    with workbench.sessions.begin() as session:
        add_user(
            session,
            actor="test",
            username="methodologist1",
            full_name="Saule M.",
            roles=["methodologist"],
            lang="ru",
        )
        add_user(
            session,
            actor="test",
            username="analyst1",
            full_name="Daniyar A.",
            roles=["analyst"],
            lang="en",
        )
        region = Region(code="R1", name_kk="Облыс", name_ru="Область", name_en="Region")
        session.add(region)
        session.flush()
        session.add(
            Center(
                region_id=region.id,
                bin="990000000001",
                name_kk="Орталық",
                name_ru="Центр",
                name_en="Center",
            )
        )
        districts = [_district(session, region.id, n) for n in (1, 2)]
        schools = [
            _school(session, districts[k // 2], k + 1, "kk" if k % 2 == 0 else "ru")
            for k in range(4)
        ]
    return Place((districts[0], districts[1]), (schools[0], schools[1], schools[2], schools[3]))


def _district(session: Session, region_id: int, number: int) -> int:
    district = District(
        region_id=region_id,
        code=f"D{number}",
        name_kk=f"Аудан {number}",
        name_ru=f"Район {number}",
        name_en=f"District {number}",
        is_urban=True,
    )
    session.add(district)
    session.flush()
    return district.id


def _school(session: Session, district_id: int, number: int, language: str) -> int:
    school = EducationOrganization(
        district_id=district_id,
        bin=f"{number:012d}",
        name_kk=f"№{number} мектеп",
        name_ru=f"Школа №{number}",
        kind="school",
        is_urban=True,
        language=language,
        student_count=600,
    )
    session.add(school)
    session.flush()
    return school.id


def csv_upload(
    instrument: str,
    rows: list[list[object]],
    *,
    lang: str = "ru",
    separator: str = ",",
    header: list[str] | None = None,
) -> bytes:
    """A CSV upload with the template's header in ``lang`` (UTF-8 with BOM)."""
    columns = header or [c.header(lang) for c in upload_columns(get_instrument(instrument))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def phq_row(
    code: str,
    answers: list[object],
    *,
    grade: object = 7,
    age: object = 13,
    sex: object = "ж",
    iin: str = "",
) -> list[object]:
    return [code, iin, grade, age, sex, *answers]
