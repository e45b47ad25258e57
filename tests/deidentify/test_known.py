"""Known names are found in every script, letter case, grammatical form and spacing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.deidentify import find_identifiers
from pcenter_lib.deidentify.folding import fold, fold_word
from pcenter_lib.deidentify.known import (
    common_prefix,
    find_known,
    kazakh_endings,
    patronymic_variants,
    russian_stems,
    search_terms,
)


def found(text: str, known: list[str]) -> list[str]:
    return [text[m.start : m.end] for m in find_known(text, known)]


@pytest.mark.parametrize(
    ("spellings", "skeleton"),
    [
        (["Айгерім", "Айгерим", "Aigerım", "Aygerim", "AIGERIM", "aigerim"], "aigerim"),
        (["Жанар", "Janar", "Zhanar"], "zhanar"),
        (["Сейітова", "Сейтова", "Seiıtova", "Seitova"], "seitova"),
        (["Іңкәр", "Inkar", "Ingkar", "Iñkär"], "inkar"),
        (["Қасымов", "Qasymov", "Kasymov"], "kasimov"),
        (["Ерлан", "Yerlan", "Erlan"], "erlan"),
        (["Фёдоров", "Федоров", "Fyodorov", "Fedorov"], "fedorov"),
        (["Юлия", "Yulia", "Yuliya", "Iuliia"], "iulia"),
        (["Меруерт", "Meruyert", "Meruert"], "meruert"),
        (["Жұмабаева", "Zhumabayeva", "Zhumabaeva"], "zhumabaeva"),
        (["Ғалым", "Ghalym", "Ğalym", "Galym"], "galim"),
        (["Шәкенов", "Şäkenov", "Shakenov"], "shakenov"),
    ],
)
def test_spellings_of_one_name_fold_to_one_skeleton(spellings: list[str], skeleton: str) -> None:
    assert {fold_word(s) for s in spellings} == {skeleton}


def test_folded_offsets_point_back_into_the_source() -> None:
    text = "Şäkenov, Щукин Хасен"
    folded = fold(text)
    start = folded.text.index("shukin")
    assert folded.source_span(start, start + len("shukin")) == (9, 14)
    assert text[slice(*folded.source_span(0, 8))] == "Şäkenov"
    assert text[slice(*folded.source_span(start + 7, len(folded.text)))] == "Хасен"


@pytest.mark.parametrize(
    "text",
    ["Айгерімнің анасы", "Айгерімге айтты", "Айгерімді шақырды", "Айгерімде", "Айгерімнен",
     "Айгеріммен", "Айгерімдікі", "Aigerimnin", "Aigerim's", "Айгерим пришла"],
)  # fmt: skip
def test_kazakh_endings_and_other_forms_of_a_first_name(text: str) -> None:
    assert found(text, ["Айгерім"]) == [text.split()[0]]


@pytest.mark.parametrize(
    "word",
    ["Сейтовой", "Сейтову", "Сейтовым", "Сейтовых", "Сейтов", "Сейітовтардың", "Сейітоваға",
     "Seitovoy", "СЕЙТОВОЙ"],
)  # fmt: skip
def test_russian_and_kazakh_forms_of_a_surname_and_its_other_gender(word: str) -> None:
    assert found(f"Беседа с {word} сегодня", ["Сейтова"]) == [word]


@pytest.mark.parametrize(
    ("known", "word"),
    [("Мария", "Марией"), ("Мария", "Марии"), ("Дмитрий", "Дмитрием"), ("Игорь", "Игорем"),
     ("Наталья", "Натальей"), ("Нурлан", "Нурланом"), ("Дарья", "Дарьей"), ("Никита", "Никите")],
)  # fmt: skip
def test_russian_declension_of_first_names(known: str, word: str) -> None:
    assert found(f"Разговор с {word} был", [known]) == [word]


@pytest.mark.parametrize(
    "text", ["Абылай хан", "Абылайхан", "Абылай-хан", "ABYLAI KHAN", "Abylaikhan", "Абылай  хан"]
)
def test_spacing_and_hyphenation_of_a_phrase(text: str) -> None:
    assert found(f"на {text} даңғылы", ["Абылай хан"]) == [text]


def test_a_long_name_split_by_spaces_or_hyphens_is_found() -> None:
    assert found("мына А й г е р і м және Ақ-бота", ["Айгерім", "Ақбота"]) == [
        "А й г е р і м", "Ақ-бота",
    ]


def test_patronymic_in_either_style_finds_the_other() -> None:
    assert found("Нурлановна и Nurlankyzy", ["Нұрланқызы"]) == ["Нурлановна", "Nurlankyzy"]
    assert found("Ерланұлы", ["Ерланович"]) == ["Ерланұлы"]


def test_generic_words_of_school_and_street_names_are_not_found_alone() -> None:
    text = "Мектеп психологы улица бойынша школа туралы айтты"
    assert found(text, ["№ 17 жалпы білім беретін мектеп", "улица Абая", "школа-гимназия № 3"]) == []
    assert search_terms("Абай көшесі") == ["Абай көшесі", "Абай"]


def test_a_word_generic_in_place_names_is_still_a_persons_name() -> None:
    assert found("Хан пришёл", ["Хан Виктор"]) == ["Хан"]
    assert found("Хан пришёл", ["Хан"]) == ["Хан"]
    assert found("хан", ["Абылай хан даңғылы"]) == []
    assert found("Нұрлан ұлы келді", ["Ерлан Нұрлан ұлы"]) == ["Нұрлан"]  # not "ұлы" alone


def test_a_name_inside_a_longer_word_is_not_found() -> None:
    """Word boundaries hold: "Дана" is not in "данные", "Ислам" is not in "исламтану"."""
    assert found("данные данных Ислам-ға исламтану", ["Дана", "Ислам"]) == ["Ислам-ға"]


def test_an_email_known_is_matched_whole_not_by_its_words() -> None:
    assert found("mail kz", ["g.ospanova@mail.kz"]) == []


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(["Айгерім", "Нұрлан", "Әлихан", "Мадина", "Сейітов", "Жұлдыз", "Дәурен",
                          "Томирис", "Іңкәр", "Ерасыл"]),
    ending=st.sampled_from(kazakh_endings()),
    script=st.sampled_from(["cyrillic", "upper", "latin"]),
)  # fmt: skip
def test_every_kazakh_ending_on_every_name_is_found(name: str, ending: str, script: str) -> None:
    word = (name + ending).replace(" ", "")
    if script == "upper":
        word = word.upper()
    elif script == "latin":
        word = "".join({"ә": "ä", "ұ": "ū", "і": "ı", "ң": "ñ", "ғ": "ğ", "қ": "q", "ж": "j"}
                       .get(c, c) for c in word)  # fmt: skip
        word = word.translate(str.maketrans("айеілмнорсткдуыӘАМНТСДЖЕИ", "aieilmnorstkduyAAMNTSDJEI"))
    text = f"Бүгін {word} келді"
    hits = find_identifiers(text, known=[name], persons=False)
    assert [text[f.start : f.end] for f in hits] == [word]


# Real forms, one for each ending the matcher knows: the grammar, not the table, is the spec.
KAZAKH_FORMS = {
    "Айгерім": ["Айгерімнің", "Айгерімге", "Айгерімді", "Айгерімде", "Айгерімнен", "Айгеріммен",
                "Айгерімше", "Айгерімдей", "Айгерімдікі", "Айгерімі", "Айгерімін",
                "Айгерімдер", "Айгерімдерге"],
    "Нұрлан": ["Нұрланның", "Нұрланға", "Нұрланды", "Нұрланда", "Нұрланнан", "Нұрланмен",
               "Нұрланша", "Нұрландай", "Нұрланнікі", "Нұрландар"],
    "Динара": ["Динараның", "Динараға", "Динараны", "Динарада", "Динарадан", "Динарамен",
               "Динарадай", "Динарасы", "Динарасын", "Динарасына", "Динарасының", "Динарасында",
               "Динарасынан", "Динараларға", "Динарасымен"],
    "Ахметов": ["Ахметовтың", "Ахметовқа", "Ахметовты", "Ахметовта", "Ахметовтан", "Ахметовпен",
                "Ахметовтай", "Ахметовтар", "Ахметовтардың", "Ахметовтікі", "Ахметовтерге"],
    "Бек": ["Бекке", "Бекте", "Бектен", "Бекше", "Бектей", "Бекпен", "Бектер"],
    "Ерлан": ["Ерланнан", "Ерланнің", "Ерланнен", "Ерланнда", "Ерланнде", "Ерланндан", "Ерланнден"],
}  # fmt: skip
RUSSIAN_FORMS = {
    "Нурлан": ["Нурлана", "Нурлану", "Нурланом", "Нурлане", "Нурланы", "Нурланов", "Нурланам",
               "Нурланами", "Нурланах"],
    "Мария": ["Марии", "Марию", "Марией", "Мариею", "Мариям", "Мариями", "Мариях", "Мария"],
    "Дана": ["Даны", "Дане", "Дану", "Даной", "Даною"],
    "Игорь": ["Игоря", "Игорю", "Игорем", "Игоре"],
    "Горький": ["Горького", "Горькому", "Горьким", "Горьких", "Горькими", "Горьком"],
    "Синий": ["Синего", "Синему", "Синей"],
    "Горькая": ["Горькую", "Горькая", "Горькой", "Горькою", "Горькие"],
    "Сейтов": ["Сейтова", "Сейтову", "Сейтовым", "Сейтовом", "Сейтове", "Сейтовой", "Сейтовою",
               "Сейтовых", "Сейтовыми", "Сейтовы", "Seitov's"],
    "Толстая": ["Толстую"],
    "Илья": ["Ильи", "Илье", "Илью", "Ильей", "Ильёй", "Ильею"],
    "Алия": ["Алиям", "Алиями", "Алиях"],
    "Майя": ["Майей", "Майею", "Майю", "Майям"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("known", "form"),
    [(k, f) for table in (KAZAKH_FORMS, RUSSIAN_FORMS) for k, forms in table.items() for f in forms],
)
def test_each_grammatical_ending_is_recognised(known: str, form: str) -> None:
    assert found(f"Бүгін {form} келді", [known]) == [form]


def test_what_is_looked_for_in_a_known_string() -> None:
    assert search_terms("Айгерім") == ["Айгерім"]
    assert search_terms("Сейітова Айгерім") == ["Сейітова Айгерім", "Сейітова", "Айгерім"]
    assert search_terms("Нұрлан ұлы") == ["Нұрлан ұлы", "Нұрлан"]
    assert search_terms("Ли") == ["Ли"] and search_terms("кызы") == ["кызы"]
    assert search_terms("Ли Анна") == ["Ли Анна", "Анна"]
    assert search_terms("a.b@mail.kz") == ["a b mail kz"]
    assert search_terms("Ерланұлы") == ["Ерланұлы", "erlanovich", "erlanevich"]
    assert search_terms("Нұрланұлы Ерлан") == [
        "Нұрланұлы Ерлан", "Нұрланұлы", "nurlanovich", "nurlanevich", "Ерлан",
    ]
    assert search_terms("№ 12") == [] and search_terms("12 34") == ["12 34"]  # no letters: inert
    assert find_known("12 34", ["12 34"]) == []
    assert search_terms("улица Абая") == ["улица Абая", "Абая"]


def test_helpers_at_their_edges() -> None:
    assert common_prefix(["abc", "abd", "ab"]) == "ab"
    assert common_prefix(["abcx", "abcy"]) == "abc"
    assert common_prefix(["xyz"]) == "xyz" and common_prefix([]) == ""
    assert common_prefix(["b", "a"]) == ""
    assert russian_stems("Лея") == {"Лея"}
    assert russian_stems("Алия") == {"Алия", "Али"}
    assert russian_stems("Мария") == {"Мария", "Мари", "Мар"}
    assert russian_stems("Нурлан") == {"Нурлан"}
    assert patronymic_variants("Алқызы") == []  # too short to hold a father's name
    assert patronymic_variants("Әлиқызы") == ["aliovna", "alievna"]


def test_surname_bases_take_kazakh_endings() -> None:
    for known, form in [("Сейтова", "Сейтовқа"), ("Никитина", "Никитинге"),
                        ("Алексеева", "Алексеевке"), ("Никитин", "Никитинадан")]:  # fmt: skip
        assert found(f"Бүгін {form} келді", [known]) == [form]


def test_hyphenated_endings_and_word_edges() -> None:
    assert found("Ислам-ға", ["Ислам"]) == ["Ислам-ға"]
    assert found("Ислам-а", ["Ислам"]) == ["Ислам-а"]  # a one-letter ending after a hyphen
    assert found("Исламы-на", ["Ислам"]) == ["Исламы"]  # a hyphen after an ending ends it
    assert found("Ислам-", ["Ислам"]) == ["Ислам"]
    assert found("Ислам-2", ["Ислам"]) == ["Ислам"]
    assert found("Ислам-λ", ["Ислам"]) == ["Ислам"]
    assert found("Исламλ Исламλа", ["Ислам"]) == []  # a foreign letter continues the word
    assert found("Д ана Да-на", ["Дана"]) == []  # short names do not stretch over spaces
    assert found("Ислам және Ислам", ["Ислам"]) == ["Ислам", "Ислам"]
    assert found("Абая", ["улица Абая"]) == ["Абая"]
    (match,) = find_known("Сейітова келді", ["Сейітова Айгерім"])
    assert match.term == "Сейітова Айгерім"
