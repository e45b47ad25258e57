"""Identifiers found without a known list: IIN/BIN, phones, e-mail, dates, schools, addresses."""

from __future__ import annotations

import pytest

from pcenter_lib.deidentify import find_identifiers
from pcenter_lib.deidentify.dates import find_dates
from pcenter_lib.deidentify.findings import Finding, merge_spans


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_identifiers(text, persons=False)]


@pytest.mark.parametrize(
    "iin",
    ["050312650123", "050312 650123", "0503 1265 0123", "05-03-12-65-01-23", "050 312 650 123",
     "05.03.12.650123", "050312 650 123"],
)  # fmt: skip
def test_twelve_digits_however_grouped_are_an_iin(iin: str) -> None:
    assert kinds(f"ЖСН: {iin}, тексерілді") == [("iin", iin)]


@pytest.mark.parametrize(
    "phone",
    ["+7 701 555 12 34", "8 (701) 555-12-34", "87015551234", "+77015551234", "8(7172)55-12-34",
     "+7 (7172) 55 12 34", "701 555 12 34", "7015551234", "8-777-555-20-20", "+7 701 555 1234"],
)  # fmt: skip
def test_kazakhstan_phone_numbers(phone: str) -> None:
    assert kinds(f"Телефон {phone} анасының") == [("phone", phone)]


def test_a_local_number_after_the_word_for_telephone() -> None:
    assert kinds("үй тел.: 55-12-34") == [("phone", "55-12-34")]


@pytest.mark.parametrize(
    "email",
    ["aigerim.s@mail.kz", "a_seitova+school@gmail.com", "zh.n@school17.edu.kz",
     "a.seitova [at] gmail [dot] com", "name(at)mail.ru"],
)
def test_email_addresses_plain_and_obfuscated(email: str) -> None:
    assert kinds(f"поштасы {email} болды") == [("email", email)]


@pytest.mark.parametrize(
    "when",
    ["12.03.2024", "12/03/24", "2024-03-12", "12.03", "12 наурыз 2024 ж.", "2024 жылғы 12 наурызда",
     "наурыздың 12-сі", "2025 жылдың 11 қыркүйегінде", "12 марта 2024 г.", "12-го марта",
     "марте 2024", "12 March 2024", "March 12th, 2024", "the 12th of March", "March 2024",
     "Feb 3", "3 қаңтар", "the twelfth of March", "March twenty-first, 2025",
     "двенадцатого марта 2024 года", "первое мая", "двадцать третьего февраля",
     "он екінші наурыз", "наурыздың он екісі", "2024 жылғы бесінші қазанда"],
)  # fmt: skip
def test_exact_dates_numeric_or_in_words(when: str) -> None:
    assert kinds(f"Оқиға {when} болды") == [("date", when)]


@pytest.mark.parametrize(
    "school",
    ["№ 12 мектеп", "12-мектеп", "№12 мектеп-гимназия", "мектеп № 12", "школа № 12", "СОШ №12",
     "школы-гимназии №32", "гимназия №5", "лицей № 2", "school No. 12", "School #12",
     "gymnasium No. 3", "№ 5 жалпы білім беретін мектеп", "ЖОББМ № 3"],
)  # fmt: skip
def test_school_numbers(school: str) -> None:
    assert kinds(f"ол {school} оқиды") == [("school", school)]


@pytest.mark.parametrize(
    "address",
    ["ул. Абая, 12, кв. 5", "улица Жамбыла 5-12", "Абай көшесі, 24 үй, 7 пәтер",
     "мкр. Самал-2, д. 14", "Жастар шағын ауданы, 5 үй", "Тәуелсіздік даңғылы, 41/2, 18 пәтер",
     "ул. Абылай хана, 101", "12 Abay Street", "Abay street 12, apt 5", "проспект Республики, 12"],
)  # fmt: skip
def test_street_addresses(address: str) -> None:
    assert kinds(f"Мекенжайы: {address}; ") == [("address", address)]


@pytest.mark.parametrize(
    "clean",
    ["0,5 ставки и 1.5 часа", "2024-2025 оқу жылы", "в 15.30 и в 10:45", "7-сынып, 9 класс",
     "PHQ-9 бойынша 14 балл", "Приложение 3, пункт 11.3", "120 минут, 45 мин", "25 % оқушылар",
     "Ереже 16, 2 жұмыс күні", "топта 6–8 адам", "екі ай бұрын", "бес жыл бойы",
     "for the second time in March", "третий раз в мае"],
)  # fmt: skip
def test_ordinary_numbers_are_not_identifiers(clean: str) -> None:
    assert kinds(clean) == []


def test_a_date_mention_is_parsed() -> None:
    (mention,) = find_dates("Хабарлама 2024 жылғы 12 наурызда тіркелді")
    assert (mention.day, mention.month, mention.year) == (12, 3, 2024)
    (no_year,) = find_dates("12-го марта")
    assert no_year.value() is None and str(no_year.value(default_year=2025)) == "2025-03-12"
    (worded,) = find_dates("двадцать третьего апреля 2025 года")
    assert (worded.day, worded.month, worded.year) == (23, 4, 2025)
    (invalid,) = find_dates("31.02.2024")
    assert invalid.value() is None  # reported all the same: it still reads as a date


def test_overlapping_spans_merge_and_keep_the_most_specific_kind() -> None:
    assert merge_spans([(0, 5, "person"), (3, 9, "known"), (20, 25, "date")]) == [
        Finding(0, 9, "known"), Finding(20, 25, "date"),
    ]
    with pytest.raises(ValueError, match="unknown kind"):
        Finding(0, 1, "secret")
