"""Every letter of the Kazakh alphabet folds like its Latin spellings (2021, 2018, Russian-style).

The tables below are the alphabets themselves: Kazakhstan's 2021 Latin alphabet (Government
Decree No. 637, as amended 28.01.2021), the 2018 version with acute accents (Presidential
Decree No. 637 as amended 19.02.2018), and the Russian-style transliteration of passports
(ICAO Doc 9303) and BGN/PCGN. Each letter is checked inside a word, ``б…н``, where no context
rule applies.
"""

from __future__ import annotations

import pytest

from pcenter_lib.deidentify.folding import fold, fold_joined, fold_word

LATIN_2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ",
    "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü",
    "ф": "f", "х": "h", "һ": "h", "ч": "ç", "ш": "ş", "ы": "y", "і": "ı",
}  # fmt: skip
LATIN_2018 = {
    "ә": "á", "ғ": "ǵ", "ң": "ń", "ө": "ó", "ү": "ú", "ұ": "u", "у": "ý", "ы": "y", "і": "i",
    "ш": "sh", "ч": "ch", "ж": "j", "қ": "q",
}  # fmt: skip
RUSSIAN_STYLE = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "ng",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u",
    "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ё": "yo",
}  # fmt: skip
ALPHABETS = {"2021": LATIN_2021, "2018": LATIN_2018, "russian-style": RUSSIAN_STYLE}


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [(c, latin) for table in ALPHABETS.values() for c, latin in table.items()],
)
def test_a_letter_and_its_latin_spelling_fold_alike(cyrillic: str, latin: str) -> None:
    assert fold_word(f"б{cyrillic}н") == fold_word(f"b{latin}n")
    assert fold_word(f"Б{cyrillic.upper()}Н") == fold_word(f"b{latin}n")


@pytest.mark.parametrize(
    ("one", "other"),
    [("Александр", "Alexandr"), ("Виктория", "Victoria"), ("Владимир", "Wladimir"),
     ("Щукин", "Schukin"), ("İnkar", "Іңкәр"), ("Нұрсұлтан", "NŪRSŪLTAN"), ("Жанна", "Zhanna")],
)  # fmt: skip
def test_latin_letters_of_other_conventions(one: str, other: str) -> None:
    assert fold_word(one) == fold_word(other)


def test_different_letters_stay_different() -> None:
    """Folding is not a blur: distinct consonants keep distinct skeletons."""
    skeletons = {fold_word(f"б{c}н") for c in "бвгджзклмнпрстфхцчш"}
    assert len(skeletons) == len("бвгджзклмнпрстфхцчш")
    assert fold_word("Айгерім") != fold_word("Айгүл")


def test_separators_marks_and_foreign_letters() -> None:
    folded = fold("Ай  гер-ім,\u00adСая’\u0301 λ")
    assert folded.text == "ai ger-im|saia #"
    assert folded.source_span(0, 2) == (0, 2)
    assert folded.source_span(2, 3) == (2, 4)  # two spaces fold to one separator
    with pytest.raises(ValueError, match="bad folded span"):
        folded.source_span(3, 3)


def test_each_folded_character_knows_its_exact_source() -> None:
    """Digraphs, soft signs, runs of spaces, apostrophes: the source span of every character."""
    text = "Zhań  Ольга-7, İ’ъ"
    folded = fold(text)
    assert folded.text == "zhan olga-7| i"
    pieces = [text[s:e] for s, e in zip(folded.starts, folded.stops, strict=True)]
    assert pieces == ["Zh", "Zh", "a", "ń", "  ", "О", "ль", "г", "а", "-", "7", ",", " ", "İ’ъ"]


def test_context_rules_keep_the_span_of_both_letters() -> None:
    text = "Fyodor Ingkar Yerlan Meruyert"
    folded = fold(text)
    assert folded.text == "fedor inkar erlan meruert"
    pieces = [text[s:e] for s, e in zip(folded.starts, folded.stops, strict=True)]
    assert pieces[1:3] == ["yo", "d"]  # "yo" after a consonant is one "e"
    assert pieces[7:9] == ["ng", "k"]  # "ng" is one "n"
    assert pieces[12] == "Ye"  # a word-initial "ye" is one "e"
    assert folded.source_span(0, len(folded.text)) == (0, len(text))


def test_joined_folding_equals_folding_the_whole_word() -> None:
    """``fold_joined`` (name + ending, both cached) agrees with folding the joined word."""
    for head, tail in [("Нұрлан", "ға"), ("Zhang", "ға"), ("Мәди", "ін"), ("Сейітов", "тардың"),
                       ("Fy", "одоров"), ("", "ның"), ("Abai", "")]:  # fmt: skip
        assert fold_joined(head, tail) == fold_word(head + tail)


def test_edges_of_the_text() -> None:
    assert fold_word("ь") == "" and fold_word("Ьа") == "a"
    assert fold_word("Zhang") == fold_word("Жаң") == "zhan"  # "ng" at the very end
    text = "Dmitriy λ Сая’"
    folded = fold(text)
    assert folded.text == "dmitri # saia"
    pieces = [text[s:e] for s, e in zip(folded.starts, folded.stops, strict=True)]
    assert pieces[5] == "iy" and pieces[7] == "λ" and pieces[-1] == "я’"
