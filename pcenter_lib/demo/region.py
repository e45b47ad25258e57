"""The synthetic region: its districts, the Center and the schools it serves.

The region, its towns and villages are invented (``Saryzhailau Region``); village names are
composed from common Kazakh place-name roots. Schools are urban in the cities (600–2,500
students) and rural in the districts (50–400 students). Languages of instruction are dealt
exactly — 65 % Kazakh, 25 % Russian, 10 % mixed — with Russian and mixed schools more likely in
the cities. Every organization has a fake but well-formed 12-digit BIN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import numpy as np

from pcenter_lib.demo.names import to_latin, to_russian_spelling
from pcenter_lib.demo.scales import Scale
from pcenter_lib.domain.iin import iin_check_digit

REGION_CODE: Final = "SZH"
REGION_NAMES: Final = ("Сарыжайлау облысы", "Сарыжайлауская область", "Saryzhailau Region")
CENTER_NAMES: Final = (
    "Сарыжайлау облысының психологиялық қолдау орталығы",
    "Центр психологической поддержки Сарыжайлауской области",
    "Psychological Support Center of Saryzhailau Region",
)
CITY_ROOTS: Final = ("Сарыжайлау", "Көкжиек", "Ақтерек")
DISTRICT_ROOTS: Final = (
    "Ақбұлақ",
    "Қарасу",
    "Жаңатілек",
    "Бестау",
    "Сарыөзен",
    "Талдыбұлақ",
    "Ақжайлау",
    "Көктөбе",
    "Айдарлы",
    "Жетіқұдық",
    "Бозтоғай",
    "Алтынсай",
    "Шиліөзек",
    "Қайыңды",
)
_VILLAGE_HEADS: Final = (
    "Ақ",
    "Қара",
    "Көк",
    "Сары",
    "Жаңа",
    "Кең",
    "Тас",
    "Бес",
    "Үш",
    "Ай",
    "Күн",
    "Жар",
)
_VILLAGE_TAILS: Final = (
    "бұлақ",
    "су",
    "тау",
    "өзек",
    "көл",
    "төбе",
    "қайың",
    "терек",
    "сай",
    "жол",
    "дала",
    "шоқы",
)
# Rule-free demo choices: shares of the languages of instruction.
LANGUAGE_SHARES: Final = (("kk", 0.65), ("ru", 0.25), ("mixed", 0.10))
URBAN_SIZE: Final = (600, 2_500)
RURAL_SIZE: Final = (50, 400)

Row = dict[str, Any]


@dataclass
class Organization:
    """Rows for the region's tables and per-school arrays the later stages draw on."""

    region: Row
    center: Row
    districts: list[Row]
    schools: list[Row]
    school_ids: np.ndarray
    school_urban: np.ndarray
    school_language: np.ndarray
    school_students: np.ndarray
    locality_kk: list[str] = field(default_factory=list)
    locality_ru: list[str] = field(default_factory=list)

    @property
    def center_bin(self) -> str:
        return str(self.center["bin"])


def make_bin(registered: date, serial: int) -> str:
    """A well-formed BIN: registration YYMM, ``4`` (resident legal entity), ``0`` (head office),
    a five-digit serial and the check digit of the IIN/BIN algorithm (next serial if none exists).
    """
    for step in range(100_000):
        first11 = f"{registered:%y%m}40{(serial + step) % 100_000:05d}"
        check = iin_check_digit(first11)
        if check is not None:
            return f"{first11}{check}"
    raise AssertionError("unreachable: consecutive serials never all lack a check digit")


class _BinMaker:
    """Unique BINs drawn from one generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._seen: set[str] = set()

    def next(self) -> str:
        while True:
            year = int(self._rng.integers(1998, 2016))
            month = int(self._rng.integers(1, 13))
            value = make_bin(date(year, month, 1), int(self._rng.integers(0, 100_000)))
            if value not in self._seen:
                self._seen.add(value)
                return value


def _district_rows(scale: Scale) -> list[Row]:
    rows: list[Row] = []
    roots = [(root, True) for root in CITY_ROOTS[: len(scale.urban_schools)]]
    roots += [(root, False) for root in DISTRICT_ROOTS[: scale.rural_districts]]
    for index, (root, urban) in enumerate(roots, start=1):
        ru = to_russian_spelling(root)
        en = to_latin(ru)
        rows.append(
            {
                "id": index,
                "region_id": 1,
                "code": f"{REGION_CODE}-{index:02d}",
                "name_kk": f"{root} {'қаласы' if urban else 'ауданы'}",
                "name_ru": f"город {ru}" if urban else f"район {ru}",
                "name_en": f"{en} {'City' if urban else 'District'}",
                "is_urban": urban,
                "root": root,
            }
        )
    return rows


def _assign_languages(rng: np.random.Generator, urban: np.ndarray) -> np.ndarray:
    """Exact shares of languages; Russian and mixed go preferably to urban schools."""
    count = len(urban)
    score = rng.normal(size=count) + 0.8 * urban
    order = np.argsort(-score, kind="stable")
    languages = np.full(count, "kk", dtype=object)
    n_ru = round(count * LANGUAGE_SHARES[1][1])
    n_mixed = round(count * LANGUAGE_SHARES[2][1])
    languages[order[:n_ru]] = "ru"
    languages[order[n_ru : n_ru + n_mixed]] = "mixed"
    return languages


def _school_names(
    rng: np.random.Generator, locality: str, urban: bool, number: int
) -> tuple[str, str]:
    ru_locality = to_russian_spelling(locality)
    if urban:
        kind = rng.choice(3, p=(0.75, 0.15, 0.10))
        kk_kind = ("жалпы білім беретін мектебі", "мектеп-гимназиясы", "мектеп-лицейі")[kind]
        ru_kind = ("Общеобразовательная школа", "Школа-гимназия", "Школа-лицей")[kind]
        return (
            f"{locality} қаласының № {number} {kk_kind}",
            f"{ru_kind} № {number} города {ru_locality}",
        )
    suffix_kk = f"№ {number} " if number > 1 else ""
    suffix_ru = f" № {number}" if number > 1 else ""
    return (
        f"{locality} ауылының {suffix_kk}жалпы білім беретін мектебі",
        f"Общеобразовательная школа{suffix_ru} села {ru_locality}",
    )


def build_organization(rng: np.random.Generator, scale: Scale) -> Organization:
    """Region, Center, districts and schools for ``scale``."""
    bins = _BinMaker(rng)
    region = {
        "id": 1,
        "code": REGION_CODE,
        "name_kk": REGION_NAMES[0],
        "name_ru": REGION_NAMES[1],
        "name_en": REGION_NAMES[2],
    }
    center = {
        "id": 1,
        "region_id": 1,
        "bin": bins.next(),
        "name_kk": CENTER_NAMES[0],
        "name_ru": CENTER_NAMES[1],
        "name_en": CENTER_NAMES[2],
    }
    districts = _district_rows(scale)
    per_district = list(scale.urban_schools)
    rural_split = rng.multinomial(
        scale.rural_schools - 2 * scale.rural_districts,
        np.full(scale.rural_districts, 1 / scale.rural_districts),
    )
    per_district += [int(n) + 2 for n in rural_split]
    schools: list[Row] = []
    locality_kk: list[str] = []
    urban_flags: list[bool] = []
    sizes: list[int] = []
    for district, count in zip(districts, per_district, strict=True):
        urban = bool(district["is_urban"])
        numbers: dict[str, int] = {}
        for _ in range(count):
            if urban:
                locality = str(district["root"])
            else:
                head = _VILLAGE_HEADS[int(rng.integers(len(_VILLAGE_HEADS)))]
                locality = head + _VILLAGE_TAILS[int(rng.integers(len(_VILLAGE_TAILS)))]
            numbers[locality] = numbers.get(locality, 0) + (
                1 if not urban else int(rng.integers(1, 4))
            )
            low, high = URBAN_SIZE if urban else RURAL_SIZE
            size = int(np.clip(rng.lognormal(np.log((low * high) ** 0.5), 0.35), low, high))
            name_kk, name_ru = _school_names(rng, locality, urban, numbers[locality])
            schools.append(
                {
                    "id": len(schools) + 1,
                    "district_id": district["id"],
                    "bin": bins.next(),
                    "name_kk": name_kk,
                    "name_ru": name_ru,
                    "kind": "school",
                    "is_urban": urban,
                    "student_count": size,
                }
            )
            locality_kk.append(locality)
            urban_flags.append(urban)
            sizes.append(size)
    urban_array = np.array(urban_flags, dtype=bool)
    languages = _assign_languages(rng, urban_array)
    for row, language in zip(schools, languages, strict=True):
        row["language"] = str(language)
    for district in districts:
        district.pop("root")
    return Organization(
        region=region,
        center=center,
        districts=districts,
        schools=schools,
        school_ids=np.arange(1, len(schools) + 1),
        school_urban=urban_array,
        school_language=languages,
        school_students=np.array(sizes, dtype=np.int64),
        locality_kk=locality_kk,
        locality_ru=[to_russian_spelling(name) for name in locality_kk],
    )
