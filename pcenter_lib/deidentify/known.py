"""Find the known identifiers of a case (names, schools, streets) in any spelling and form.

A known string is looked for as a whole phrase and word by word (a surname alone identifies a
child as well as the full name). Each word is matched on its folded skeleton (``folding``), so
letter case, script (Cyrillic, 2021 Latin, Russian-style Latin) and transliteration choices do
not matter, together with the endings Kazakh and Russian grammar put on names:

* Kazakh (agglutinative): case endings after the full word in every vowel-harmony variant
  (``Айгерімнің``, ``Нұрланға``, ``Сейітовтан``), after a plural (``Сейітовтардың``) or a
  third-person possessive (``Айгерімі``); source: the standard paradigms of Kazakh grammar
  (e.g. Krippes, *Kazakh Grammar with Affix List*, 1996).
* Russian (inflecting): the declension endings of nouns and of surnames in ``-ов/-ев/-ин``
  after the word's stem (``Сейтовой``, ``Марией``, ``Нурлана``); the masculine and feminine
  forms of a surname find each other, since relatives share it.

Generic words of school, street and place names (``мектеп``, ``улица``, ``school``) are not
looked for alone when the known string is such a name — only as part of the phrase; in a
person's name every word of three letters or more is looked for (``Хан`` in ``Хан Виктор``). A phrase may gain or lose spaces and hyphens
(``Абылай хан`` / ``Абылайхан`` / ``Абылай-хан``); so may a word of six letters or more, which
defeats ``А й г е р і м``-style splitting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from pcenter_lib.deidentify.folding import HYPHEN, SEPARATOR, Folded, fold, fold_joined, fold_word

MIN_WORD_LETTERS: Final = 3  # shorter words are looked for only when they are the whole string
FLEXIBLE_FROM: Final = 6  # words this long may be split by spaces or hyphens anywhere

# fmt: off
# One spelling per folded form: front-vowel twins fold like the back-vowel ones listed (ы and і
# both fold to i: "нің" is "ның", "ді" is "ды"), so they need no entry of their own.
_KK_PLURAL: Final = ("лар", "лер", "дар", "дер", "тар", "тер")
_KK_POSSESSIVE: Final = ("ы", "сы")
_KK_CASE: Final = (
    "ның", "дың", "тың",                                   # genitive
    "ға", "ге", "қа", "ке", "а", "е", "на", "не",          # dative
    "ны", "ды", "ты", "н",                                 # accusative
    "да", "де", "та", "те", "нда", "нде",                  # locative
    "дан", "ден", "тан", "тен", "нан", "нен", "ндан", "нден",  # ablative
    "мен", "бен", "пен",                                   # instrumental
    "ша", "ше", "дай", "дей", "тай", "тей",                # like, as
    "дікі", "нікі", "тікі",                                # belonging to
)
# Russian endings after the stem, one spelling per folded form ("и", "й", "ий" fold like "ы";
# "им", "их" like "ым", "ых"; "ья", "ью", "ье" like "я", "ю", "е"; "ём" like "ем").
_RU_ENDINGS: Final = (
    "а", "я", "у", "ю", "ы", "е", "ой", "ей", "ою", "ею", "ом", "ем", "ым", "ых", "ыми", "ого",
    "его", "ому", "ему", "ую", "ая", "яя", "ые", "ов", "ев", "ам", "ям", "ами", "ями", "ах", "ях",
    "с",  # an English possessive, "Aigerim's", once the apostrophe is folded away
)
_SURNAME_ENDINGS: Final = ("", "а", "у", "ым", "ом", "е", "ой", "ою", "ых", "ыми", "ы", "с")
# Words of school, street and place names that identify nothing alone.
GENERIC_WORDS: Final = frozenset(fold_word(w) for w in (
    "мектеп", "мектебі", "мектеп-гимназия", "мектеп-лицей", "гимназия", "гимназиясы", "лицей",
    "лицейі", "школа", "школа-гимназия", "школа-лицей", "жалпы", "орта", "білім", "беретін",
    "негізгі", "бастауыш", "мамандандырылған", "средняя", "общеобразовательная", "основная",
    "начальная", "специализированная", "имени", "им", "атындағы", "атында", "кгу", "кмм", "гу",
    "коммунальное", "государственное", "учреждение", "мемлекеттік", "коммуналдық", "мекемесі",
    "отдела", "образования", "білім", "бөлімінің", "school", "secondary", "general",
    "comprehensive", "gymnasium", "lyceum", "named", "after", "the", "of", "no", "көшесі",
    "көше", "улица", "ул", "street", "st", "str", "даңғылы", "проспект", "пр", "avenue", "ave",
    "шағын", "ауданы", "аудан", "микрорайон", "мкр", "district", "переулок", "пер", "lane",
    "тұйық", "ауылы", "ауыл", "село", "village", "поселок", "посёлок", "кенті", "қаласы",
    "қала", "город", "city", "town", "облысы", "область", "region", "район",
    # the same words in the genitive of a school's name ("школа № 14 города ...", "... ауылының
    # мектебі"), so a vignette's "в городе" is not taken for the school's name
    "города", "района", "села", "поселка", "посёлка", "области", "қаласының", "ауданының",
    "ауылының", "облысының",
))
# Titles in historical names of streets and schools ("Абылай хан", "Қабанбай батыр"); generic
# only once the string is known to name a place.
_TITLES: Final = frozenset(fold_word(w) for w in ("хан", "батыр", "би", "ата", "ана", "апа"))
# The words of a Kazakh patronymic written apart ("Нұрлан ұлы"): never a name alone.
PATRONYMIC_WORDS: Final = frozenset(fold_word(w) for w in (
    "ұлы", "қызы", "улы", "кызы", "uly", "qyzy", "kyzy", "ули", "оглы", "кизи",
))
# fmt: on
_SPLIT: Final = re.compile(r"[^\w]+|_")
_STEM_DROPS: Final = frozenset("аяеэоыиійьъуюaeiouyı")


@cache
def kazakh_endings() -> tuple[str, ...]:
    """Every Kazakh ending a name may carry: case, plural + case, possessive + case."""
    endings = {"", *_KK_CASE, *_KK_PLURAL, *_KK_POSSESSIVE}
    endings |= {p + c for p in _KK_PLURAL for c in (*_KK_CASE, *_KK_POSSESSIVE)}
    endings |= {s + c for s in _KK_POSSESSIVE for c in ("н", "на", "не", "ның", "нда",
                                                        "нде", "нан", "нен", "мен")}
    return tuple(sorted(endings))


@dataclass(frozen=True, slots=True)
class KnownMatch:
    """Where a known string (``term``) was found: source offsets ``start:end``."""

    start: int
    end: int
    term: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    term: str
    prefix: re.Pattern[str]
    forms: frozenset[str]


def common_prefix(words: Iterable[str]) -> str:
    """The longest string every one of ``words`` starts with."""
    ordered = sorted(words)
    if not ordered:
        return ""
    first, last = ordered[0], ordered[-1]
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def russian_stems(word: str) -> set[str]:
    """The word without its last one or two vowels or soft signs: ``Мария`` → ``Мари``, ``Мар``;
    ``Игорь`` → ``Игор``; ``Горький`` → ``Горьки``, ``Горьк`` (an adjective declines after two)."""
    stems = {word}
    for cut in (1, 2):
        if len(word) > cut + 2 and all(c.lower() in _STEM_DROPS for c in word[-cut:]):
            stems.add(word[:-cut])
    return stems


_PATRONYMIC_STYLES: Final = (  # (Kazakh suffix, Russian-style suffix), folded
    ("uli", "ovich"), ("kizi", "ovna"), ("uli", "evich"), ("kizi", "evna"),
)


def patronymic_variants(word: str) -> list[str]:
    """A patronymic in the other style: ``Нұрланқызы`` ↔ ``Нурлановна``, ``Ерланұлы`` ↔ ``Ерланович``.

    Kazakh documents write a patronymic either way (the father's name with ``ұлы``/``қызы`` or
    with the Russian ``-ович``/``-овна``), so the same person appears under both.
    """
    folded = fold_word(word)
    variants = []
    for kazakh, russian in _PATRONYMIC_STYLES:
        for have, other in ((kazakh, russian), (russian, kazakh)):
            if folded.endswith(have) and len(folded) > len(have) + 2:
                variants.append(folded[: -len(have)] + other)
    return variants


def _surname_base(word: str) -> str | None:
    """``Сейтова`` → ``Сейтов``; ``Сейтов`` → ``Сейтов``; others → None."""
    lowered = fold_word(word)
    for masculine in ("ov", "ev", "in"):
        if lowered.endswith(masculine):
            return word
        if lowered.endswith(masculine + "a"):
            return word[:-1]
    return None


@cache
def word_forms(word: str) -> frozenset[str]:
    """Folded, separator-free forms of ``word`` with Kazakh and Russian endings."""
    forms: set[str] = set()
    bases = {word}
    if (base := _surname_base(word)) is not None:
        bases |= {base, base + "а"}
        forms |= {fold_joined(base, e) for e in _SURNAME_ENDINGS}
    for each in bases:
        forms |= {fold_joined(each, e) for e in kazakh_endings()}
    for stem in russian_stems(word):
        forms |= {fold_joined(stem, e) for e in ("", *_RU_ENDINGS)}
    return frozenset(f.replace(SEPARATOR, "").replace(HYPHEN, "") for f in forms if f)


def _letters_pattern(letters: str, *, flexible: bool) -> str:
    joiner = "[ -]?" if flexible else ""
    return joiner.join(re.escape(c) for c in letters)


@cache
def _compile_term(term: str) -> _Pattern | None:
    words = [w for w in _SPLIT.split(term) if w]
    phrase = len(words) > 1
    if phrase:
        head = "".join(fold_word(w) for w in words[:-1])
        forms = frozenset(head + f for f in word_forms(words[-1]))
        bare = head + fold_word(words[-1])
    else:
        forms = word_forms(term)
        bare = fold_word(term)
    prefix = common_prefix(forms)
    prefix = prefix if prefix else bare
    if not prefix or not any(c.isalpha() for c in prefix):
        return None
    flexible = phrase or len(bare) >= FLEXIBLE_FROM
    regex = re.compile(
        r"(?<![a-z0-9#])" + _letters_pattern(prefix, flexible=flexible)
    )
    return _Pattern(term, regex, forms | {bare})


def search_terms(known: str) -> list[str]:
    """The phrase (if it has several words) and the words of ``known`` worth looking for."""
    words = [w for w in _SPLIT.split(known) if w]
    if "@" in known:  # an e-mail address: as a whole (its words, "mail", "kz", are not names)
        return [" ".join(words)]
    letters = [w for w in words if any(c.isalpha() for c in w)]
    if len(words) == 1:
        return [*letters, *(v for w in letters for v in patronymic_variants(w))]
    terms = [" ".join(words)]  # a phrase without letters compiles to nothing
    # Generic words are skipped only in the name of a place or school ("Абылай хан даңғылы"):
    # in a person's name ("Хан Виктор") every word identifies.
    place = any(fold_word(w) in GENERIC_WORDS for w in words)
    for word in letters:
        folded = fold_word(word)
        generic = folded in GENERIC_WORDS or folded in _TITLES
        if folded in PATRONYMIC_WORDS or (place and generic) or len(folded) < MIN_WORD_LETTERS:
            continue
        terms += [word, *patronymic_variants(word)]
    return terms


def _word_end(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isalnum() or text[pos] == "#"):
        pos += 1
    return pos


def _ending_candidates(text: str, pos: int) -> list[int]:
    """Ends (in folded text) of the letters that may be an ending after ``pos``, longest first:
    the rest of the word, or a hyphenated ending right after it (``Aigerim-nin``)."""
    end = _word_end(text, pos)
    if end == pos and text.startswith(HYPHEN, end):
        after = _word_end(text, end + 1)
        if after > end + 1:
            return [after, end]
    return [end]


def _scan(pattern: _Pattern, folded: Folded) -> Iterable[tuple[int, int]]:
    text = folded.text
    for match in pattern.prefix.finditer(text):
        for end in _ending_candidates(text, match.end()):
            word = text[match.start() : end].replace(SEPARATOR, "").replace(HYPHEN, "")
            if word in pattern.forms:
                yield match.start(), end
                break


def find_known(text: str, known: Iterable[str], folded: Folded | None = None) -> list[KnownMatch]:
    """Every occurrence of every known string in ``text``, by source offsets."""
    folded = folded or fold(text)
    found: list[KnownMatch] = []
    for item in dict.fromkeys(k.strip() for k in known if k.strip()):
        for term in search_terms(item):
            pattern = _compile_term(term)
            if pattern is None:
                continue
            for start, end in _scan(pattern, folded):
                source_start, source_end = folded.source_span(start, end)
                found.append(KnownMatch(source_start, source_end, item))
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[KnownMatch] = []
    for match in found:  # a word inside its own phrase's match adds nothing
        if not any(k.term == match.term and k.start <= match.start and match.end <= k.end
                   for k in kept):  # fmt: skip
            kept.append(match)
    return kept
