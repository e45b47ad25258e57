"""Fold Kazakh, Russian and Latin spellings of a name onto one skeleton, keeping offsets.

A name reaches a case note in many spellings: Kazakh Cyrillic (``Сейітова``), Russian Cyrillic
(``Сейтова``), Kazakhstan's 2021 Latin alphabet (``Seiıtova``: і → ı, ы → y, ш → ş, ж → j,
ұ → ū, ң → ñ, ғ → ğ, қ → q; Government Decree No. 637 of 28.01.2021 as amended) and the usual
Russian-style transliteration of passports and e-mail (``Seitova``, ``Zhanar``, ``Yerlan``,
``Kirill``; ICAO Doc 9303 and BGN/PCGN conventions). Folding maps every one of them onto the same
lower-case Latin skeleton, so one comparison finds them all:

1. each character (or Latin digraph such as ``zh``, ``kh``, ``shch``) becomes a fixed Latin
   sequence: ``ә``/``ä``/``а`` → ``a``, ``қ``/``q``/``к`` → ``k``, ``ж``/``j``/``zh`` → ``zh``,
   every i-like letter (``и``, ``й``, ``і``, ``ы``, ``ı``, ``y``) → ``i``, ``х``/``kh``/``h`` → ``h``;
2. a few context rules absorb the remaining choices of transliterators: runs of ``i`` collapse
   (``Aliyev`` = ``Алиев``), ``ng`` → ``n`` (``Ingkar`` = ``Іңкәр``), ``yo``/``io`` after a
   consonant → ``e`` (``Fyodorov`` = ``Фёдоров`` = ``Федоров``), a word-initial ``ye`` → ``e``
   (``Yevgeniy`` = ``Евгений``), and so does ``ye`` after a vowel (``Meruyert`` = ``Меруерт``,
   ``Zhumabayeva`` = ``Жумабаева``).

Folding loses information on purpose: two different words may share a skeleton. That only ever
adds findings (a leak check errs towards caution); it never hides one.

Every folded character remembers the index of the source character it came from, so a match in
the folded text maps back to exact offsets in the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

# Word separators that a name may gain or lose ("Абылай хан" / "Абылайхан" / "Абылай-хан").
SEPARATOR: Final = " "
HYPHEN: Final = "-"
_HYPHENS: Final = frozenset("-‐‑‒–—_")
VOWELS: Final = frozenset("aeiou")
LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyz")

_CYRILLIC: Final = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "",
    "ы": "i", "і": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_LATIN: Final = {
    "a": "a", "ä": "a", "á": "a", "b": "b", "c": "k", "ç": "ch", "d": "d", "e": "e", "é": "e",
    "f": "f", "g": "g", "ğ": "g", "ǵ": "g", "h": "h", "i": "i", "ı": "i", "í": "i", "j": "zh",
    "k": "k", "l": "l", "m": "m", "n": "n", "ñ": "n", "ń": "n", "ŋ": "n", "o": "o", "ö": "o",
    "ó": "o", "p": "p", "q": "k", "r": "r", "s": "s", "ş": "sh", "t": "t", "u": "u", "ū": "u",
    "ü": "u", "ú": "u", "v": "v", "w": "v", "x": "ks", "y": "i", "ý": "u", "z": "z",
}  # fmt: skip
# Latin digraphs read before single letters, longest first.
_LATIN_DIGRAPHS: Final = (
    ("shch", "sh"), ("sch", "sh"), ("ch", "ch"), ("sh", "sh"), ("zh", "zh"), ("kh", "h"),
    ("gh", "g"), ("ts", "ts"), ("ck", "k"),
)  # fmt: skip
_SILENT_MARKS: Final = frozenset("\u0301\u0307\u00ad'’ʼ")  # stress, dot, soft hyphen, apostrophes


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and, for each of its characters, the source span it came from."""

    text: str
    starts: tuple[int, ...]
    stops: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the source text that folded characters ``start:end`` came from."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad folded span {start}:{end}")
        return self.starts[start], max(self.stops[start:end])


_Char = tuple[str, int, int]  # folded character, source start, source stop


def _lower(char: str) -> str:
    # Python lowers "İ" to "i" plus a combining dot; the skeleton wants one "i".
    return "i" if char == "İ" else char.lower()


def _first_pass(text: str) -> list[_Char]:
    """Characters mapped to Latin sequences, each with the source span it came from."""
    out: list[_Char] = []
    lowered = [_lower(c) for c in text]
    i = 0
    while i < len(lowered):
        char = lowered[i]
        if char in _LATIN:
            for digraph, value in _LATIN_DIGRAPHS:
                if "".join(lowered[i : i + len(digraph)]) == digraph:
                    out.extend((v, i, i + len(digraph)) for v in value)
                    i += len(digraph)
                    break
            else:
                out.extend((v, i, i + 1) for v in _LATIN[char])
                i += 1
            continue
        if char in _CYRILLIC:
            value = _CYRILLIC[char]
            if value:
                out.extend((v, i, i + 1) for v in value)
            elif out and out[-1][0] in LETTERS:  # ъ, ь: silent, but part of the word
                last = out[-1]
                out[-1] = (last[0], last[1], i + 1)
        elif char.isdigit() and char.isascii():
            out.append((char, i, i + 1))
        elif char.isspace():
            if out and out[-1][0] == SEPARATOR:
                out[-1] = (SEPARATOR, out[-1][1], i + 1)
            else:
                out.append((SEPARATOR, i, i + 1))
        elif char in _HYPHENS:
            out.append((HYPHEN, i, i + 1))
        elif char in _SILENT_MARKS:
            if out:
                out[-1] = (out[-1][0], out[-1][1], i + 1)
        elif char.isalpha():
            out.append(("#", i, i + 1))  # a letter of another script: in a word, matches nothing
        else:
            out.append(("|", i, i + 1))
        i += 1
    return out


def _second_pass(chars: list[_Char]) -> list[_Char]:
    """Context rules: i-runs collapse, ng → n, consonant+io → e, ie → e after a vowel or at a start."""
    out: list[_Char] = []
    i = 0
    while i < len(chars):
        char, start, stop = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ("", stop, stop)
        prev = out[-1][0] if out else ""
        if char == "i" and prev == "i":
            out[-1] = ("i", out[-1][1], stop)
        elif char == "n" and nxt[0] == "g":
            out.append(("n", start, nxt[2]))
            i += 1
        elif char == "i" and (
            (nxt[0] == "o" and prev in LETTERS and prev not in VOWELS)  # Fyodorov = Фёдоров
            or (nxt[0] == "e" and prev not in LETTERS)  # Yevgeniy = Евгений
        ):
            out.append(("e", start, nxt[2]))
            i += 1
        elif char == "i" and nxt[0] == "e" and prev in VOWELS:  # Meruyert = Меруерт
            pass
        else:
            out.append((char, start, stop))
        i += 1
    return out


def fold(text: str) -> Folded:
    """``text`` folded to its Latin skeleton, with the source span of each folded character."""
    chars = _second_pass(_first_pass(text))
    return Folded(
        "".join(c for c, _, _ in chars),
        tuple(s for _, s, _ in chars),
        tuple(e for _, _, e in chars),
    )


@cache
def _first_pass_text(text: str) -> str:
    return "".join(c for c, _, _ in _first_pass(text))


def fold_word(text: str) -> str:
    """The skeleton alone (for building patterns from known names and endings)."""
    return fold(text).text


def fold_joined(head: str, tail: str) -> str:
    """``fold_word(head + tail)`` for a Cyrillic ``tail`` (an ending), with both halves cached.

    The first pass never joins a Latin letter with a Cyrillic one, so only the context rules
    need to run again over the joint.
    """
    chars = _first_pass_text(head) + _first_pass_text(tail)
    return "".join(c for c, _, _ in _second_pass([(c, 0, 0) for c in chars]))
