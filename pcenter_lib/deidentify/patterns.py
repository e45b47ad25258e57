"""Identifiers that have a shape: IIN/BIN, phone numbers, e-mail, school numbers, addresses.

These need no list of known names. Each detector is a regular expression over the original text
and returns ``(start, end, kind)``. Recall comes first: a shape that is *probably* an identifier
is reported, because a false alarm costs the methodologist one look and a miss costs a child
its privacy (Order No. 264, Rule 14: personal data are confidential).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

Span = tuple[int, int, str]

# A separator inside a grouped number: space, no-break space, thin space, hyphen, dot, slash.
_SEP: Final = r"[ \u00a0\u202f\u2009\-‐‑–.]"

# IIN/BIN: 12 digits (Law "On national registers of identification numbers", art. 3), however
# grouped: "050312650123", "050312 650123", "0503 1265 0123", "05-03-12-65-01-23".
IIN: Final = re.compile(rf"(?<![\d])(?:\d{_SEP}?){{11}}\d(?![\d])")

# Kazakhstan numbers (country code +7; mobile 70X/747/771/775–778, city codes 7XXX):
# "+7 701 555 12 34", "8 (701) 555-12-34", "87015551234", "+7(7172)55-12-34", "701 555 1234",
# and a local "55-12-34" after a word for telephone.
_PHONE_BODY: Final = (
    r"\(?7\d{2,3}\)?(?:[ \u00a0\-.]?\(?\d\)?){6,7}"  # area code 7XX or 7XXX, then the subscriber
)
PHONE: Final = re.compile(
    rf"(?<![\w+])(?:(?:\+\s?7|8|7)[ \u00a0\-.]?{_PHONE_BODY}|\(?7[0-7]\d\)?[ \u00a0\-.]?\d{{3}}"
    rf"[ \u00a0\-.]?\d{{2}}[ \u00a0\-.]?\d{{2}})(?![\d])"
)
LOCAL_PHONE: Final = re.compile(
    r"(?i)(?:тел|телефон|ұялы|phone|tel|mobile|моб|сот)\w*\.?[:\s]*(?:№\s*)?"
    r"(\d{1,3}[\-\s]\d{2}[\-\s]\d{2})(?!\d)"
)

EMAIL: Final = re.compile(
    r"(?i)(?<![\w.+-])[\w.+\-]+\s*(?:@|\(at\)|\[at\]|\s\(собака\)\s)\s*[\w\-]+"
    r"(?:\.[\w\-]+|\s*(?:\(dot\)|\[dot\])\s*[\w\-]+)+"
)

# School numbers: "№ 12 мектеп", "12-мектеп", "мектеп № 12", "школа № 12", "СОШ №12",
# "гимназия №5", "school No. 12", "School #12", "ЖОББМ № 3".
_SCHOOL_WORDS: Final = (
    r"(?:мектеб?\w*|школ\w*|mektep\w*|shkol\w*)(?:-(?:гимназ|лице|gimnaz|litse)\w*)?|гимназ\w*|"
    r"лице[йя]\w*|gimnaz\w*|litse\w*|СОШ|ОШ|СШ|ООШ|НШ|ЖОББМ|ЖББМ|ЖОМ|НОМ|КГУ|КММ|school|"
    r"gymnasium|lyceum|schools"
)
_NUMBER_SIGN: Final = r"(?:№|N°|No\.?|Nr\.?|N|#|номер\w*|нөмір\w*)"
SCHOOL_NUMBER: Final = re.compile(
    rf"(?i)(?<!\w)(?:(?:{_SCHOOL_WORDS})[\s\u00a0«\"“]*(?:{_NUMBER_SIGN}\s*)?\d{{1,3}}(?:\s?[-/]\s?\d)?"
    rf"|{_NUMBER_SIGN}\s*\d{{1,3}}(?:[\s\u00a0]|-)*(?:\w+[\s\u00a0]+){{0,4}}?(?:{_SCHOOL_WORDS})"
    rf"|\d{{1,3}}(?:-|\s)(?:{_SCHOOL_WORDS}))(?!\w)"
)

# Street addresses: a street word and a name, with house and flat numbers when given.
_STREET_BEFORE: Final = (
    r"ул\.|улица|улице|улицы|улицу|пр\.|просп\.|проспект\w*|пер\.|переул\w*|бульвар\w*|"
    r"мкр\.?|микрорайон\w*|мкрн\.?|ш/а|ш\.а\.|шағын\s+аудан\w*|даңғ\.|даңғылы\w*|тұйығы|"
    r"көш\.|к-сі|street|st\.|avenue|ave\.|lane"
)
_STREET_AFTER: Final = (
    r"көшесі\w*|көш\.|к-сі|даңғылы\w*|даңғ\.|шағын\s+ауданы\w*|ш/а|ш\.а\.|тұйығы\w*|"
    r"street|st\.|avenue|ave\.|lane|road|rd\.|улица|ул\.|проспект|микрорайон"
)
# A street name: capitalised words, and the lower-case titles of historical names ("Абылай хана").
_NAME: Final = (
    r"[«\"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9][\w\-’']*(?:[ \u00a0](?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w\-’']*|"
    r"(?:хан|батыр|би|ата|khan|batyr)\w*)){0,2}[»\"”]?"
)
_HOUSE: Final = (
    r"(?:,?[\s\u00a0]*(?:д\.|дом|үй|house|h\.|№)?[\s\u00a0]*\d{1,4}[а-яa-zә]?(?:[/\-]\d{1,4})?"
    r"(?:[\s\u00a0]*(?:үй\w*))?"
    r"(?:,?[\s\u00a0]*(?:(?:кв\.|квартира|пәтер\w*|apt\.?|flat|apartment|п\.)[\s\u00a0]*\d{1,4}"
    r"|\d{1,4}[\s\u00a0]*(?:-)?(?:пәтер\w*|кв\.?)))?)?"
)
ADDRESS: Final = re.compile(
    rf"(?<!\w)(?:(?i:{_STREET_BEFORE})[\s\u00a0]*{_NAME}{_HOUSE}"
    rf"|{_NAME}[\s\u00a0]+(?i:{_STREET_AFTER}){_HOUSE}"
    rf"|\d{{1,4}}[\s\u00a0]+{_NAME}[\s\u00a0]+(?i:street|st\.|avenue|ave\.|lane|road)"
    rf"|(?i:д\.|дом|үй)[\s\u00a0]*\d{{1,4}}[а-я]?,?[\s\u00a0]*(?i:кв\.|квартира|пәтер)[\s\u00a0]*\d{{1,4}})"
)


def _spans(pattern: re.Pattern[str], text: str, kind: str, group: int = 0) -> Iterator[Span]:
    for match in pattern.finditer(text):
        start, end = match.span(group)
        yield start, end, kind


def _phone_spans(text: str) -> Iterator[Span]:
    for start, end, kind in _spans(PHONE, text, "phone"):
        digits = sum(c.isdigit() for c in text[start:end])
        if 10 <= digits <= 11:
            yield start, end, kind
    yield from _spans(LOCAL_PHONE, text, "phone", group=1)


def find_shaped(text: str) -> list[Span]:
    """Every IIN/BIN, phone, e-mail, school number and street address in ``text``."""
    spans: list[Span] = []
    iin = list(_spans(IIN, text, "iin"))
    spans += iin
    spans += [
        s for s in _phone_spans(text) if not any(a <= s[0] and s[1] <= b for a, b, _ in iin)
    ]
    spans += _spans(EMAIL, text, "email")
    spans += _spans(SCHOOL_NUMBER, text, "school")
    spans += _spans(ADDRESS, text, "address")
    return spans
