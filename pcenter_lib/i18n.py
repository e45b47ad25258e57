"""Kazakh, Russian and English for everything a person reads.

Strings in code are English message ids marked with ``_()`` (or ``N_()`` where the translation
must wait until a language is known). Translations live in gettext catalogs,
``pcenter_lib/locale/<lang>/LC_MESSAGES/*.po``: one catalog file per part of the product, so parts
can be translated independently; all files of a language are merged. The catalogs are read with
Babel, so no compile step is needed at run time. Kazakh and Russian terms follow the Order's own
wording (see ``docs/glossary`` in the repository and ``shared/GLOSSARY.md``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from babel.messages.pofile import read_po

SUPPORTED_LANGUAGES: Final = ("kk", "ru", "en")
DEFAULT_LANGUAGE: Final = "kk"
LANGUAGE_NAMES: Final = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LOCALE_DIR: Final = Path(__file__).parent / "locale"


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return msgid


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise a clear error listing the valid codes."""
    if lang not in SUPPORTED_LANGUAGES:
        from pcenter_lib.errors import ConfigurationError

        raise ConfigurationError(
            "Unknown language code {lang!r}; use one of: kk, ru, en.", lang=lang
        )
    return lang


@cache
def catalog(lang: str) -> dict[str, str]:
    """All translations for ``lang`` merged from its catalog files (msgid → text)."""
    check_language(lang)
    merged: dict[str, str] = {}
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    for po_file in sorted(folder.glob("*.po")):
        with po_file.open("rb") as handle:
            parsed = read_po(handle, locale=lang)
        for message in parsed:
            if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                merged[message.id] = str(message.string)
    return merged


def gettext(msgid: str, lang: str) -> str:
    """``msgid`` in ``lang``; English (the id itself) where a translation is missing."""
    if lang == "en":
        return catalog("en").get(msgid, msgid)
    return catalog(lang).get(msgid, msgid)


class Translator:
    """A callable bound to one language: ``t = Translator("ru"); t("Save")``."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)

    def __call__(self, msgid: str, /, **params: object) -> str:
        text = gettext(msgid, self.lang)
        return text.format(**params) if params else text
