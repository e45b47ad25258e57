"""Kazakh, Russian and English for everything a person reads.

Strings in code are English message ids marked with ``_()`` (or ``N_()`` where the translation
must wait until a language is known). Translations live in gettext catalogs,
``pcenter_lib/locale/<lang>/LC_MESSAGES/*.po``: one catalog file per part of the product, so parts
can be translated independently; all files of a language are merged. The catalogs are read with
Babel, so no compile step is needed at run time. Kazakh and Russian terms follow the Order's own
wording; ``docs/glossary.md`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from gettext import c2py
from pathlib import Path
from typing import Final

from pcenter_lib.catalog_cache import read_catalog_file

SUPPORTED_LANGUAGES: Final = ("kk", "ru", "en")
DEFAULT_LANGUAGE: Final = "kk"
LANGUAGE_NAMES: Final = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LOCALE_DIR: Final = Path(__file__).parent / "locale"


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return msgid


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for extraction; ``ngettext(*pair, n, lang)`` picks one."""
    return singular, plural


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise a clear error listing the valid codes."""
    if lang not in SUPPORTED_LANGUAGES:
        from pcenter_lib.errors import ConfigurationError

        raise ConfigurationError(
            "Unknown language code {lang!r}; use one of: kk, ru, en.", lang=lang
        )
    return lang


@dataclass(frozen=True)
class _Catalogs:
    """One language's translations: plain, with a context (``msgctxt``), and plural forms."""

    plain: dict[str, str]
    in_context: dict[tuple[str, str], str]
    plurals: dict[str, tuple[str, ...]]
    plural_index: Callable[[int], int]
    plurals_in_context: dict[tuple[str, str], tuple[str, ...]]


@cache
def _catalogs(lang: str) -> _Catalogs:
    check_language(lang)
    plain: dict[str, str] = {}
    in_context: dict[tuple[str, str], str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    plurals_in_context: dict[tuple[str, str], tuple[str, ...]] = {}
    expression = "(n != 1)"
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        parsed = read_catalog_file(po_file, lang)
        if parsed.plural_expr and lang != "en":
            expression = parsed.plural_expr
        for message in parsed:
            if not message.id or not message.string or message.fuzzy:
                continue
            if isinstance(message.id, (list, tuple)):
                forms = tuple(str(form) for form in message.string)
                if all(forms) and message.context:
                    plurals_in_context[(str(message.context), str(message.id[0]))] = forms
                elif all(forms):
                    plurals[str(message.id[0])] = forms
            elif message.context:
                in_context[(str(message.context), str(message.id))] = str(message.string)
            else:
                plain[str(message.id)] = str(message.string)
    return _Catalogs(plain, in_context, plurals, c2py(expression), plurals_in_context)


def catalog(lang: str) -> dict[str, str]:
    """All plain translations for ``lang`` merged from its catalog files (msgid → text)."""
    return _catalogs(lang).plain


def gettext(msgid: str, lang: str) -> str:
    """``msgid`` in ``lang``; English (the id itself) where a translation is missing."""
    return _catalogs(lang).plain.get(msgid, msgid)


def pgettext(context: str, msgid: str, lang: str) -> str:
    """``msgid`` as meant in ``context`` (``msgctxt``): the same English word, another sense."""
    return _catalogs(lang).in_context.get((context, msgid), msgid)


def ngettext(singular: str, plural: str, count: int, lang: str) -> str:
    """The form of ``singular``/``plural`` that ``count`` takes in ``lang`` (three in Russian)."""
    return _plural_form(_catalogs(lang).plurals.get(singular), singular, plural, count, lang)


def npgettext(context: str, singular: str, plural: str, count: int, lang: str) -> str:
    """:func:`ngettext` for a message in a ``context`` (``msgctxt``)."""
    found = _catalogs(lang).plurals_in_context.get((context, singular))
    return _plural_form(found, singular, plural, count, lang)


def _plural_form(
    found: tuple[str, ...] | None, singular: str, plural: str, count: int, lang: str
) -> str:
    english = singular if count == 1 else plural
    if found is None:
        return english
    index = _catalogs(lang).plural_index(count)
    return found[index] if index < len(found) else english


class Translator:
    """A callable bound to one language: ``t = Translator("ru"); t("Save")``.

    ``t.ngettext("{count} result", "{count} results", n, count=n)`` picks the plural form;
    ``t.pgettext("button", "Import")`` a word in the sense its context gives;
    ``t.npgettext(context, singular, plural, n, ...)`` both.
    """

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)

    def __call__(self, msgid: str, /, **params: object) -> str:
        text = gettext(msgid, self.lang)
        return text.format(**params) if params else text

    def pgettext(self, context: str, msgid: str, /, **params: object) -> str:
        text = pgettext(context, msgid, self.lang)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        return ngettext(singular, plural, count, self.lang).format(**params)

    def npgettext(
        self, context: str, singular: str, plural: str, count: int, /, **params: object
    ) -> str:
        return npgettext(context, singular, plural, count, self.lang).format(**params)


def localized_name(names: Mapping[str, str | None], lang: str) -> str:
    """A name in ``lang`` where the data has it; otherwise in Russian, then Kazakh, then English.

    Schools are registered with Kazakh and Russian names, districts and the Center with English
    ones too: the English interface shows an English name where there is one.
    """
    for code in (lang, "ru", "kk", "en"):
        name = names.get(code)
        if name:
            return str(name)
    return ""
