"""Counts agree with their nouns: three Russian forms (1 символ, 2 символа, 5 символов), and a
word with two senses keeps each sense through its context (``msgctxt``).

The catalogs' own plural entries are checked too: every Russian plural has three different forms
and every Kazakh one two, so no count falls back to English or to a wrong form.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from pcenter_lib.domain.field_errors import as_field_error
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import LOCALE_DIR, Translator, npgettext
from pcenter_lib.services.text_fields import FIELD_LIMITS, check_text

FORMS = {"kk": 2, "ru": 3}


@pytest.mark.parametrize(
    ("extra", "word"),
    [(1, "символ;"), (2, "символа;"), (5, "символов;"), (11, "символов;"), (21, "символ;"),
     (22, "символа;")],
)
def test_a_too_long_text_counts_its_characters_in_russian(extra: int, word: str) -> None:
    limit = FIELD_LIMITS["description"]
    count = (limit // 100 + 1) * 100 + extra  # a count whose last digits are ``extra``
    with pytest.raises(PcenterError) as caught:
        check_text("description", "я" * count, required=True)
    text = caught.value.localized("ru")
    assert f"{count} {word}" in text, text
    assert str(caught.value).startswith("The field"), "English for logs"
    # the same message beside a form's field keeps its plural
    assert f"{count} {word}" in as_field_error("description", caught.value).localized("ru")


def test_english_and_kazakh_read_the_count_too() -> None:
    limit = FIELD_LIMITS["description"]
    with pytest.raises(PcenterError) as caught:
        check_text("description", "я" * (limit + 1), required=True)
    assert f"is {limit + 1} characters long" in str(caught.value)
    assert f"{limit + 1} таңба бар" in caught.value.localized("kk")


def test_npgettext_keeps_context_and_count_apart() -> None:
    # a message without a translation falls back to English, chosen by the count
    assert npgettext("button", "{count} file", "{count} files", 1, "ru") == "{count} file"
    assert Translator("ru").npgettext("button", "{count} file", "{count} files", 3, count=3) == (
        "3 files"
    )


@pytest.mark.parametrize("lang", sorted(FORMS))
def test_every_plural_entry_has_all_its_forms(lang: str) -> None:
    problems = []
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if not isinstance(message.id, (list, tuple)) or not message.id[0]:
                continue
            forms = [str(form) for form in (message.string or ())]
            if len(forms) != FORMS[lang] or not all(forms):
                problems.append(f"{po_file.name}: {message.id[0]!r} has {len(forms)} forms")
            elif lang == "ru" and len(set(forms)) < 2:
                problems.append(f"{po_file.name}: {message.id[0]!r} has one Russian form thrice")
    assert problems == []


RU_COUNTED = re.compile(
    r"\{(count|age|minutes|sum|length|days|hours|n)\}\s+"
    r"(лет|год\w*|символ\w*|минут\w*|дн\w*|час\w*|результат\w*|обращени\w*|дет\w*|ребён\w*|школ\w*)",
    re.IGNORECASE,
)


def test_no_russian_count_is_glued_to_a_noun_outside_a_plural_entry() -> None:
    """``{count} символов`` is wrong for 1, 2, 21: a count beside its noun needs a plural entry
    (``NP_``/``ngettext``) or the pattern "noun: {count}" that agrees with every number."""
    found = []
    for po_file in sorted((LOCALE_DIR / "ru" / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale="ru")
        for message in catalog:
            if not message.id or isinstance(message.id, (list, tuple)):
                continue  # plural entries choose their form by the count
            hit = RU_COUNTED.search(str(message.string or ""))
            if hit:
                found.append(f"{po_file.name}: {message.id!r} → {message.string!r}")
    assert found == [], "\n".join(found)
