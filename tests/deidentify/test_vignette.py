"""The vignette drafter removes identities, relativizes dates, generalizes rare details."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.deidentify import find_identifiers
from pcenter_lib.deidentify.relative import age_band, relative_phrase
from pcenter_lib.deidentify.vignette import (
    CaseEvent,
    CaseFacts,
    CasePerson,
    draft_vignette,
)
from pcenter_lib.errors import ValidationError

FACTS = CaseFacts(
    child_name="Сейітова Айгерім Нұрланқызы",
    child_sex="female",
    child_iin="081214650127",
    birth_on=date(2012, 3, 4),
    school="№ 17 жалпы білім беретін мектеп",
    address="Абай көшесі, 24 үй, 7 пәтер",
    settlement="Қарабұлақ ауылы",
    settlement_kind="village",
    phones=("+7 701 555 23 41",),
    emails=("g.ospanova@mail.kz",),
    family=(CasePerson("Оспанова Гүлнар Серікқызы", "mother"),
            CasePerson("Сейітов Нұрлан Асқарұлы", "father")),
    staff=(CasePerson("Досжанов Серік Маратұлы", "class_teacher"),),
    events=(
        CaseEvent(date(2025, 1, 10), "Айгерімнің ата-анасы ажырасты, әкесі Нұрлан Қарабұлақтан көшті."),
        CaseEvent(date(2025, 3, 20), "Сынып жетекшісі Досжанов С. М. Айгерімнің білегінде жарақат "
                                     "байқады, анасына +7 701 555 23 41 нөміріне хабарласты."),
        CaseEvent(date(2025, 4, 2), "Анасы Гүлнар Серікқызы жазды (g.ospanova@mail.kz). "
                                    "Айгерім 13 жаста, № 17 мектепте оқиды."),
    ),
    notes="Seitova Aigerim 12.03.2025 күні психологпен сөйлесті; Абай көшесінде тұрады. ЖСН 081214650127.",
)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_draft_passes_the_leak_check_with_the_facts_as_known(lang: str) -> None:
    draft = draft_vignette(FACTS, lang=lang)
    assert find_identifiers(draft.text, known=FACTS.known()) == []
    assert draft.replacements["known"] >= 8 and draft.replacements["iin"] == 1


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["A girl aged 12–14", "[a rural district]", "three months earlier", "the same day",
                "[the mother]", "[the class teacher]", "[phone]", "three weeks earlier"]),
        ("kk", ["12–14 жастағы қыз", "ауылдық аудан", "үш ай бұрын", "сол күні", "[анасы]",
                "[сынып жетекшісі]", "[телефон]", "үш апта бұрын", "[ЖСН]"]),
        ("ru", ["Девочка 12–14 лет", "сельск", "за три месяца до этого", "в тот же день",
                "[мать]", "[классный руководитель]", "[телефон]", "за три недели до этого", "[ИИН]"]),
    ],
)  # fmt: skip
def test_the_draft_says_roles_relative_times_and_generalized_details(
    lang: str, expected: list[str]
) -> None:
    text = draft_vignette(FACTS, lang=lang).text
    for phrase in expected:
        assert phrase in text
    assert "13 жаста" not in text and "12–14 жаста" in text  # the exact age became a band
    assert "2025" not in text


@pytest.mark.parametrize(
    ("event", "lang", "phrase"),
    [
        (date(2025, 1, 2), "en", "three months earlier"),
        (date(2025, 3, 26), "en", "a week earlier"),
        (date(2025, 4, 3), "en", "a day later"),
        (date(2023, 4, 2), "en", "two years earlier"),
        (date(2025, 1, 2), "kk", "үш ай бұрын"),
        (date(2025, 4, 16), "kk", "екі аптадан кейін"),
        (date(2025, 1, 2), "ru", "за три месяца до этого"),
        (date(2025, 3, 26), "ru", "за неделю до этого"),
        (date(2025, 3, 19), "ru", "за две недели до этого"),
        (date(2024, 11, 2), "ru", "за пять месяцев до этого"),
        (date(2025, 4, 16), "ru", "через две недели"),
        (date(2025, 3, 31), "ru", "за два дня до этого"),
    ],
)
def test_relative_phrases_follow_each_languages_grammar(event: date, lang: str, phrase: str) -> None:
    assert relative_phrase(event, date(2025, 4, 2), lang) == phrase


def test_age_bands_and_settlements() -> None:
    assert [age_band(a) for a in (6, 8, 9, 13, 17)] == [(6, 8), (6, 8), (9, 11), (12, 14), (15, 17)]
    city = CaseFacts(child_name="Козлов Никита", child_sex="male", settlement="Сарыжайлау",
                     birth_on=date(2010, 5, 1), reference_on=date(2025, 9, 1))  # fmt: skip
    text = draft_vignette(city, lang="en").text
    assert text.startswith("A boy aged 15–17.") and "lives in a city" in text
    assert "Сарыжайлау" not in text


def test_a_label_that_reads_as_an_identifier_is_replaced_or_masked() -> None:
    """A village called "Мектеп" makes the Kazakh label "[мектеп]" a finding: it is replaced
    again. A name equal to the generic label itself ("алынып тасталды") would never settle: it is
    masked."""
    facts = CaseFacts(child_name="Оспанов Ерлан", settlement="Мектеп", settlement_kind="village",
                      school="№ 5 мектеп", notes="Ерлан № 5 мектепте оқиды, Мектеп ауылында.")  # fmt: skip
    draft = draft_vignette(facts, lang="kk")
    assert find_identifiers(draft.text, known=facts.known()) == []
    assert "masked" not in draft.replacements
    stubborn = CaseFacts(child_name="Оспанов Ерлан", settlement="Мектеп", school="№ 5 мектеп",
                         staff=(CasePerson("Тасталды Алынып", "staff"),),
                         notes="№ 5 мектеп")  # fmt: skip
    draft = draft_vignette(stubborn, lang="kk")
    assert find_identifiers(draft.text, known=stubborn.known()) == []
    assert draft.replacements["masked"] >= 1 and "▮▮▮" in draft.text


def test_a_vignette_needs_a_child_name_and_a_known_role() -> None:
    with pytest.raises(ValidationError):
        draft_vignette(CaseFacts(child_name=" "), lang="en")
    with pytest.raises(ValidationError, match="Unknown role"):
        CasePerson("Иванов Сергей", "neighbour")


KK_FIRST = ["Айгерім", "Аружан", "Мадина", "Томирис", "Жұлдыз", "Іңкәр", "Ақбота", "Меруерт"]
KK_SURNAMES = ["Сейітова", "Оспанова", "Қасымова", "Жұмабаева", "Тоқтарова", "Әбенова"]
RU_NAMES = ["Иванов Сергей", "Петрова Ольга", "Кузнецов Дмитрий", "Смирнова Дарья", "Ким Виктор"]


@settings(max_examples=25, deadline=None)
@given(
    first=st.sampled_from(KK_FIRST),
    surname=st.sampled_from(KK_SURNAMES),
    mother=st.sampled_from(RU_NAMES),
    teacher=st.sampled_from(RU_NAMES),
    lang=st.sampled_from(["kk", "ru", "en"]),
    days=st.integers(min_value=1, max_value=700),
)
def test_any_drafted_vignette_passes_the_leak_check(
    first: str, surname: str, mother: str, teacher: str, lang: str, days: int
) -> None:
    latin = {"Айгерім": "Aigerim", "Аружан": "Aruzhan"}.get(first, first)
    facts = CaseFacts(
        child_name=f"{surname} {first}",
        child_sex="female",
        birth_on=date(2011, 6, 1),
        family=(CasePerson(mother, "mother"),),
        staff=(CasePerson(teacher, "class_teacher"),),
        events=(
            CaseEvent(date(2025, 5, 1), f"{first.upper()} ({latin}) {mother} пен келді."),
            CaseEvent(date(2025, 5, 1).fromordinal(date(2025, 5, 1).toordinal() + days),
                      f"{teacher}: {surname}ның жағдайы, 15.05.2025 кездесу."),
        ),
        notes=f"{first}ге қоңырау шалынды.",
    )
    assert find_identifiers(draft_vignette(facts, lang=lang).text, known=facts.known()) == []
