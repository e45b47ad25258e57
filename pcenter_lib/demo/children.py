"""Children known to the Center, their encrypted identities and legal representatives.

Children are today's students of grades 1–11 (ages 6–17 on ``DEMO_TODAY``), spread over the
schools in proportion to their size, and the pupils who left school during the history
(``LEAVERS``): those who finished grade 11 or left after grade 9 in 2024–2025 or 2025–2026. A
Center keeps the records of children who have since left school, so its past holds every age
group of its time, not only the children still at school today. A child who would be in grade
*g* of the 2026–2027 school year was born between 2 September of ``2020 − g`` and 1 September of
``2021 − g``, so it turned 6 before it started school (``grade`` 12 and 13 stand for the
graduates of 2026 and 2025). A leaver keeps the school it left and has no current grade. The IIN is built from the birth date and sex (``make_iin``), so the two always
agree. The family situation is hidden: it feeds the latent risk (``truth``) and decides which
legal representatives the journal knows (a guardian under 14, a trustee from 14).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.names import (
    KK_MALE,
    KK_SURNAMES,
    RU_PATRONYMICS,
    RU_SURNAMES,
    PersonName,
    compose_address,
    compose_name,
    compose_phone,
    pick_one,
)
from pcenter_lib.demo.region import Organization
from pcenter_lib.demo.scales import CURRENT_SCHOOL_YEAR_START, DEMO_TODAY, HISTORY_START
from pcenter_lib.domain.iin import make_iin
from pcenter_lib.privacy import IdentityCipher

Row = dict[str, Any]
SEN_SHARE: Final = 0.03  # children with special educational needs (Rule 26)
MALE_SHARE: Final = 0.51
GRADE_WEIGHTS: Final = (1, 1, 1, 1, 1, 1, 1, 1, 1, 0.75, 0.75)  # fewer stay on after grade 9
# Pupils who left school during the history, per birth cohort of weight 1 as above:
# (grade it would be in in 2026–2027, the school year it left after, weight).
LEAVERS: Final = (
    (10, 2025, 0.25),  # left after grade 9 in 2025–2026
    (11, 2024, 0.25),  # left after grade 9 in 2024–2025
    (12, 2025, 0.75),  # finished grade 11 in 2025–2026
    (13, 2024, 0.75),  # finished grade 11 in 2024–2025
)
STILL_AT_SCHOOL: Final = 9999  # ``last_year`` of today's pupils
FAMILY_SITUATIONS: Final = (
    ("two_parents", 0.70),
    ("single_parent", 0.16),
    ("divorce", 0.07),
    ("bereavement", 0.03),
    ("guardianship", 0.04),
)
RU_FATHERS: Final = tuple(RU_PATRONYMICS)
TRUSTEE_AGE: Final = 14  # Marriage and Family Code: guardianship under 14, trusteeship 14–18


@dataclass
class Children:
    """Per-child arrays (index ``i`` is the child with id ``i + 1``) and the rows to insert."""

    school: np.ndarray
    grade: np.ndarray  # grade in 2026–2027 had the child stayed (12, 13: graduates)
    last_year: np.ndarray  # the year its last school year began; STILL_AT_SCHOOL for pupils
    birth: list[date]
    birth_year: np.ndarray
    birth_md: np.ndarray
    female: np.ndarray
    sen: np.ndarray
    language: np.ndarray
    family: np.ndarray
    names: list[PersonName]
    representatives: list[list[tuple[str, PersonName, str]]]  # (relation, name, phone)
    iins: list[str]
    children: list[Row] = field(default_factory=list)
    identities: list[Row] = field(default_factory=list)
    name_tokens: list[Row] = field(default_factory=list)  # the name search's blind index
    representative_rows: list[Row] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.birth)

    def age_on(self, day: date) -> np.ndarray:
        """Full years of every child on ``day`` (never more than the true age)."""
        before = (day.month * 100 + day.day) < self.birth_md
        result: np.ndarray = day.year - self.birth_year - before.astype(np.int64)
        return result

    def grade_in(self, school_year_start: int) -> np.ndarray:
        """Every child's grade in the school year that began in ``school_year_start``."""
        result: np.ndarray = self.grade - (CURRENT_SCHOOL_YEAR_START - school_year_start)
        return result

    @property
    def first_year(self) -> np.ndarray:
        """The year each child's first school year began."""
        result: np.ndarray = CURRENT_SCHOOL_YEAR_START + 1 - self.grade
        return result

    @property
    def left(self) -> np.ndarray:
        """Whether each child has left school before 2026–2027."""
        result: np.ndarray = self.last_year < CURRENT_SCHOOL_YEAR_START
        return result

    def at_school_in(self, school_year_start: int) -> np.ndarray:
        """Whether each child was a pupil in the school year that began in ``school_year_start``."""
        result: np.ndarray = (self.first_year <= school_year_start) & (
            school_year_start <= self.last_year
        )
        return result

    def school_days(self) -> tuple[np.ndarray, np.ndarray]:
        """(first day at school, first day no longer at school) as day indices of the history.

        A pupil is at school from 1 September of its first school year to 31 August after its
        last; today's pupils stay beyond the history.
        """
        last = np.minimum(self.last_year, CURRENT_SCHOOL_YEAR_START + 1)
        return _first_of_september(self.first_year), _first_of_september(last + 1)


def _first_of_september(years: np.ndarray) -> np.ndarray:
    """Day indices of the history (negative before it) of 1 September of ``years``."""
    months = (np.asarray(years) - 1970).astype("datetime64[Y]").astype("datetime64[M]") + 8
    days = months.astype("datetime64[D]") - np.datetime64(HISTORY_START, "D")
    result: np.ndarray = days.astype(np.int64)
    return result


def _birth_dates(rng: np.random.Generator, grades: np.ndarray) -> list[date]:
    births = []
    for grade in grades:
        first = date(CURRENT_SCHOOL_YEAR_START - 6 - int(grade), 9, 2)
        last = date(CURRENT_SCHOOL_YEAR_START - 5 - int(grade), 9, 1)
        births.append(first + timedelta(days=int(rng.integers(0, (last - first).days + 1))))
    return births


def _representatives(
    rng: np.random.Generator,
    *,
    family: str,
    age: int,
    kazakh: bool,
    spelling: bool,
    surname: str,
    father: str,
) -> list[tuple[str, PersonName]]:
    def parent(sex: str, *, own_surname: bool, first: str | None = None) -> PersonName:
        return compose_name(
            rng,
            sex=sex,
            kazakh=kazakh,
            russian_spelling=spelling,
            surname=surname if own_surname else None,
            first=first,
        )

    mother = ("mother", parent("female", own_surname=rng.random() < 0.8))
    dad = ("father", parent("male", own_surname=True, first=father))
    if family == "guardianship":
        relation = "guardian" if age < TRUSTEE_AGE else "trustee"
        return [(relation, parent("female" if rng.random() < 0.8 else "male", own_surname=False))]
    if family == "bereavement":
        return [mother] if rng.random() < 0.7 else [dad]
    if family == "single_parent":
        return [mother] if rng.random() < 0.85 else [dad]
    if family == "divorce":
        return [mother, dad] if rng.random() < 0.5 else [mother]
    return [mother, dad] if rng.random() < 0.6 else [mother]


def _unique_iin(rng: np.random.Generator, birth: date, sex: str, seen: set[str]) -> str:
    while True:
        iin = make_iin(birth, sex, int(rng.integers(0, 10_000)))
        if iin not in seen:
            seen.add(iin)
            return iin


def build_children(
    rng: np.random.Generator, organization: Organization, count: int, cipher: IdentityCipher
) -> Children:
    """``count`` children with identities and legal representatives, encrypted with ``cipher``."""
    weights = organization.school_students / organization.school_students.sum()
    pupils = count
    leaver_share = sum(w for _, _, w in LEAVERS) / sum(GRADE_WEIGHTS)
    count = pupils + round(pupils * leaver_share)
    school = np.concatenate(
        [
            np.sort(rng.choice(len(weights), size=pupils, p=weights)),
            np.sort(rng.choice(len(weights), size=count - pupils, p=weights)),
        ]
    )
    grade_p = np.array(GRADE_WEIGHTS) / sum(GRADE_WEIGHTS)
    leaver_p = np.array([w for _, _, w in LEAVERS]) / leaver_share / sum(GRADE_WEIGHTS)
    cohort = rng.choice(len(LEAVERS), size=count - pupils, p=leaver_p)
    grade = np.concatenate(
        [
            rng.choice(np.arange(1, 12), size=pupils, p=grade_p),
            np.array([g for g, _, _ in LEAVERS])[cohort],
        ]
    )
    last_year = np.concatenate(
        [np.full(pupils, STILL_AT_SCHOOL), np.array([y for _, y, _ in LEAVERS])[cohort]]
    )
    female = rng.random(count) >= MALE_SHARE
    sen = rng.random(count) < SEN_SHARE
    school_language = organization.school_language[school]
    mixed_kk = rng.random(count) < 0.55
    language = np.where(
        school_language == "mixed", np.where(mixed_kk, "kk", "ru"), school_language
    ).astype(object)
    kazakh_name = np.where(language == "kk", rng.random(count) < 0.98, rng.random(count) < 0.5)
    codes = np.array([code for code, _ in FAMILY_SITUATIONS], dtype=object)
    shares = np.array([share for _, share in FAMILY_SITUATIONS])
    family = codes[rng.choice(len(codes), size=count, p=shares)]
    births = _birth_dates(rng, grade)
    result = Children(
        school=school,
        grade=grade,
        last_year=last_year,
        birth=births,
        birth_year=np.array([b.year for b in births], dtype=np.int64),
        birth_md=np.array([b.month * 100 + b.day for b in births], dtype=np.int64),
        female=female,
        sen=sen,
        language=language,
        family=family,
        names=[],
        representatives=[],
        iins=[],
    )
    ages = result.age_on(DEMO_TODAY)
    seen: set[str] = set()
    for i in range(count):
        child_id = i + 1
        sex = "female" if female[i] else "male"
        kazakh = bool(kazakh_name[i])
        spelling = language[i] == "ru"
        surname = pick_one(rng, KK_SURNAMES if kazakh else RU_SURNAMES)
        father = pick_one(rng, KK_MALE if kazakh else RU_FATHERS)
        name = compose_name(
            rng, sex=sex, kazakh=kazakh, russian_spelling=spelling, surname=surname, father=father
        )
        iin = _unique_iin(rng, births[i], sex, seen)
        reps = [
            (relation, rep_name, compose_phone(rng))
            for relation, rep_name in _representatives(
                rng,
                family=str(family[i]),
                age=int(ages[i]),
                kazakh=kazakh,
                spelling=spelling,
                surname=surname,
                father=father,
            )
        ]
        s = int(school[i])
        address = compose_address(
            rng,
            locality_kk=organization.locality_kk[s],
            locality_ru=organization.locality_ru[s],
            urban=bool(organization.school_urban[s]),
            lang=str(language[i]),
        )
        result.names.append(name)
        result.iins.append(iin)
        result.representatives.append(reps)
        result.children.append(
            {
                "id": child_id,
                "code": cipher.child_code(iin),
                "birth_on": births[i],
                "sex": sex,
                "education_organization_id": int(organization.school_ids[s]),
                "grade": None if last_year[i] < CURRENT_SCHOOL_YEAR_START else int(grade[i]),
                "language": str(language[i]),
                "special_needs": bool(sen[i]),
                "version": 1,
            }
        )
        keys = cipher.name_keys(name.full, births[i])
        result.name_tokens.extend(
            {"id": len(result.name_tokens) + 1, "child_id": child_id, "token_index": token}
            for token in sorted(keys.tokens)
        )
        result.identities.append(
            {
                "child_id": child_id,
                "iin_index": cipher.blind_index(iin),
                "surname_index": cipher.blind_index(name.surname),
                "name_birth_index": keys.name_birth,
                "full_name_enc": cipher.encrypt(name.full),
                "iin_enc": cipher.encrypt(iin),
                "address_enc": cipher.encrypt(address),
                "contacts_enc": cipher.encrypt(reps[0][2]),
            }
        )
        for relation, rep_name, phone in reps:
            result.representative_rows.append(
                {
                    "id": len(result.representative_rows) + 1,
                    "child_id": child_id,
                    "relation": relation,
                    "full_name_enc": cipher.encrypt(rep_name.full),
                    "contacts_enc": cipher.encrypt(phone),
                }
            )
    return result
