"""Text people type: one Unicode form, and no invisible characters in names.

Kazakh letters can be typed as one character or as a letter plus a combining mark (``ә`` or
``ә``); stored as typed, two spellings of one name would not match and the same child could be
registered twice. Every text is therefore normalised to NFC (Unicode Standard Annex #15).

Names are refused when they carry characters a person cannot see: control characters,
bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F,
U+061C — the "Trojan Source" trick, CVE-2021-42574, that shows a text in another order than it
is stored) and zero-width characters (U+200B–U+200D, U+2060, U+FEFF). A name with one of them
looks like another person's name but is not equal to it. Free text keeps line breaks and tabs,
but a NUL (which PostgreSQL cannot store) and lone surrogates (which are not text at all) are
refused everywhere.
"""

from __future__ import annotations

import unicodedata
from typing import Final

INVISIBLE_IN_NAMES: Final = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ALLOWED_CONTROLS: Final = frozenset("\t\n\r")


class TextRefusedError(ValueError):
    """A text holds a character it may not hold; ``code`` names it as ``U+202E``."""

    def __init__(self, code: str, *, in_name: bool) -> None:
        super().__init__(code)
        self.code = code
        self.in_name = in_name


def character_code(char: str) -> str:
    return f"U+{ord(char):04X}"


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


def normalise_text(value: str) -> str:
    """NFC, with a NUL, a lone surrogate or a control character other than tab or line break
    refused (``TextRefusedError``)."""
    for char in value:
        if _is_surrogate(char) or (
            unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS
        ):
            raise TextRefusedError(character_code(char), in_name=False)
    return unicodedata.normalize("NFC", value)


def normalise_name(value: str) -> str:
    """A person's name: NFC, single spaces, and no invisible or control character at all."""
    text = normalise_text(value)
    for char in text:
        category = unicodedata.category(char)
        if char in INVISIBLE_IN_NAMES or category in {"Cc", "Cf", "Zl", "Zp"}:
            raise TextRefusedError(character_code(char), in_name=True)
    return " ".join(text.split())
