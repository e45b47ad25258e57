"""Person names nobody listed: Natasha's named-entity tagger on Cyrillic text.

A methodologist may forget to list a cousin's or a neighbour's name; the leak check then still
finds most of them. Natasha (https://github.com/natasha/natasha, MIT) ships its navec embeddings
and slovnet NER model inside the PyPI package, so nothing is downloaded at run time. It was
trained on Russian news and also tags many Kazakh names written in Cyrillic; Latin-script text is
left to the known-name matcher.

On Kazakh text the tagger also marks capitalised common words at a sentence start
(``Жасөспірім``, ``Интервизия``). A ``PER`` span is therefore kept only when it holds two
capitalised Cyrillic words (a first name and a surname or patronymic) or one word with the
ending of a surname or patronymic (``-ов``, ``-ева``, ``-ович``, ``-қызы``, ``-ұлы``, ``-енко``…).
A lone first name is left to the known-name list.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Final

_CAPITALISED_CYRILLIC: Final = re.compile(r"\b[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+")
_NAME_ENDING: Final = re.compile(
    r"(?:[оеё]в|[иы]н|ович|евич|ьич|ич|овн|евн|ичн|ский|ская|цкий|цкая|енко|ұлы|улы|қызы|кызы)"
    r"(?:а|у|ым|ом|ой|ою|е|ых|ы|ем|ем|и|ым|ого|ому|ую|ая|ий|ий|ның|нің|ға|ге|қа|ке|ны|ні|да|де"
    r"|дан|ден|мен|нан|нен|тың|тің|дың|дің|ты|ті|ды|ді|нан)?$"
)


def _looks_like_name(span_text: str) -> bool:
    words = _CAPITALISED_CYRILLIC.findall(span_text)
    return len(words) >= 2 or any(_NAME_ENDING.search(word.lower()) for word in words)


@cache
def _tagger() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def find_person_names(text: str) -> list[tuple[int, int, str]]:
    """Spans Natasha tags as a person (kind ``person``) in Cyrillic ``text``."""
    if not _CAPITALISED_CYRILLIC.search(text):
        return []
    from natasha import Doc

    segmenter, tagger = _tagger()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    found = []
    for span in doc.spans:
        if span.type != "PER":
            continue
        # A name never runs over a line break; judge each line of a span on its own.
        start = span.start
        for line in text[span.start : span.stop].split("\n"):
            if line.strip() and _looks_like_name(line):
                found.append((start, start + len(line), "person"))
            start += len(line) + 1
    return found
