"""Relative times and generalized details for vignettes, with Kazakh, Russian and English grammar.

An exact date ("14 October 2024") lets a reader find the child; "three months earlier" does not.
Likewise an exact age and a small village name narrow a case down to one child, while an age
band and "a rural district" do not (the generalization step of statistical disclosure control:
Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 3 "global recoding").

Counted units follow each language's number agreement: Russian nouns take the nominative
singular after 1 (21…), the genitive singular after 2–4 and the genitive plural otherwise
(``за два месяца``, ``за пять месяцев``; Zaliznyak's rules as taught in every grammar); Kazakh
nouns stay singular after a numeral (``үш ай бұрын``) and take the ablative before ``кейін``
(``екі аптадан кейін``).
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

Unit = Literal["day", "week", "month", "year"]

_EN_NUMBERS: Final = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                      "ten", "eleven", "twelve")  # fmt: skip
_KK_NUMBERS: Final = ("", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз",
                      "он", "он бір", "он екі")  # fmt: skip
_RU_MASCULINE: Final = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь",
                        "девять", "десять", "одиннадцать", "двенадцать")  # fmt: skip
# Accusative after "за"/"через": feminine "неделя" takes "одну", "две".
_RU_FEMININE: Final = ("", "одну", "две", *_RU_MASCULINE[3:])
_RU_UNITS: Final = {  # (after 1, after 2–4, after 5–20), accusative
    "day": ("день", "дня", "дней"),
    "week": ("неделю", "недели", "недель"),
    "month": ("месяц", "месяца", "месяцев"),
    "year": ("год", "года", "лет"),
}
_KK_UNITS: Final = {"day": ("күн", "күннен"), "week": ("апта", "аптадан"),
                    "month": ("ай", "айдан"), "year": ("жыл", "жылдан")}  # fmt: skip
_EN_UNITS: Final = {"day": "day", "week": "week", "month": "month", "year": "year"}

# Age bands of three years over school age (6–17), as the vignette shows them.
AGE_BANDS: Final = ((0, 5), (6, 8), (9, 11), (12, 14), (15, 17), (18, 120))


def measure(days: int) -> tuple[int, Unit]:
    """A span of ``days`` (absolute) in the coarsest unit that keeps it readable."""
    days = abs(days)
    if days < 7:
        return days, "day"
    if days < 60:
        return round(days / 7), "week"
    if days < 365:
        return max(2, round(days / 30.44)), "month"
    return round(days / 365.25), "year"


def _ru_form(count: int, unit: Unit) -> str:
    forms = _RU_UNITS[unit]
    if count % 10 == 1 and count % 100 != 11:
        return forms[0]
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return forms[1]
    return forms[2]


def _number(count: int, lang: str, unit: Unit) -> str:
    table = {"en": _EN_NUMBERS, "kk": _KK_NUMBERS}.get(
        lang, _RU_FEMININE if unit == "week" else _RU_MASCULINE
    )
    return table[count] if count < len(table) else str(count)


def relative_phrase(event_on: date, reference_on: date, lang: str) -> str:
    """``event_on`` said relative to ``reference_on``: "three months earlier", "үш ай бұрын"…"""
    days = (event_on - reference_on).days
    if days == 0:
        return {"en": "the same day", "kk": "сол күні", "ru": "в тот же день"}[lang]
    count, unit = measure(days)
    earlier = days < 0
    if lang == "en":
        if count == 1:
            amount = f"a {_EN_UNITS[unit]}"
        else:
            amount = f"{_number(count, lang, unit)} {_EN_UNITS[unit]}s"
        return f"{amount} {'earlier' if earlier else 'later'}"
    if lang == "kk":
        noun, ablative = _KK_UNITS[unit]
        number = _number(count, lang, unit)
        return f"{number} {noun} бұрын" if earlier else f"{number} {ablative} кейін"
    noun = _ru_form(count, unit)
    amount = noun if count == 1 else f"{_number(count, lang, unit)} {noun}"
    return f"за {amount} до этого" if earlier else f"через {amount}"


def age_band(age: int) -> tuple[int, int]:
    """The band an exact age falls in (``13`` → ``(12, 14)``)."""
    return next(band for band in AGE_BANDS if band[0] <= age <= band[1])


def age_in_years(birth_on: date, on: date) -> int:
    """Completed years of life on ``on``."""
    return on.year - birth_on.year - ((on.month, on.day) < (birth_on.month, birth_on.day))


def band_text(age: int) -> str:
    """An age band written for any language: ``12–14``."""
    low, high = age_band(age)
    return f"{low}–{high}"
