"""What the leak check reports: a span of the text and the kind of identifier found there."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from pcenter_lib.i18n import N_

# Kinds, most specific first: where spans overlap, the merged finding keeps the first kind.
KINDS: Final = ("iin", "phone", "email", "known", "school", "address", "date", "person")
KIND_LABELS: Final = {
    "known": N_("name from the case"),
    "iin": N_("IIN/BIN"),
    "phone": N_("phone number"),
    "email": N_("e-mail address"),
    "school": N_("school number"),
    "address": N_("street address"),
    "date": N_("exact date"),
    "person": N_("person's name"),
}


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """An identifier in a text: characters ``start:end`` of it, of the given ``kind``."""

    start: int
    end: int
    kind: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"empty or negative span {self.start}:{self.end}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; use one of {', '.join(KINDS)}")


def merge_spans(spans: Iterable[tuple[int, int, str]]) -> list[Finding]:
    """Overlapping or touching-inside spans merged into sorted, disjoint findings."""
    ordered = sorted(spans, key=lambda s: (s[0], -s[1]))
    merged: list[list[int | str]] = []
    for start, end, kind in ordered:
        if start >= end:
            continue
        if merged and start < int(merged[-1][1]):
            last = merged[-1]
            last[1] = max(int(last[1]), end)
            if KINDS.index(kind) < KINDS.index(str(last[2])):
                last[2] = kind
            continue
        merged.append([start, end, kind])
    return [Finding(int(s), int(e), str(k)) for s, e, k in merged]
