"""The leak check: every identifier of a case that a text still contains."""

from __future__ import annotations

from collections.abc import Iterable

from pcenter_lib.deidentify.dates import find_dates
from pcenter_lib.deidentify.findings import Finding, merge_spans
from pcenter_lib.deidentify.folding import fold
from pcenter_lib.deidentify.known import find_known
from pcenter_lib.deidentify.patterns import find_shaped
from pcenter_lib.deidentify.persons import find_person_names


def find_identifiers(
    text: str, *, known: Iterable[str] = (), persons: bool = True
) -> list[Finding]:
    """Identifiers in ``text``, as sorted, disjoint findings with character offsets.

    ``known`` are the case's own strings (names, surnames, patronymics, school and street
    names, staff names): each is found in any letter case, script, transliteration, spacing
    and Kazakh or Russian grammatical form. Without them the check still finds IIN/BIN,
    phone numbers, e-mail addresses, exact dates, school numbers, street addresses and (when
    ``persons``) person names tagged by Natasha in Cyrillic text.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    known = [known] if isinstance(known, str) else list(known)
    spans: list[tuple[int, int, str]] = []
    if known:
        spans += [(m.start, m.end, "known") for m in find_known(text, known, fold(text))]
    spans += find_shaped(text)
    spans += [(m.start, m.end, "date") for m in find_dates(text)]
    if persons:
        spans += find_person_names(text)
    return merge_spans(spans)
