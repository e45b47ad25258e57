"""The export gate: no pack leaves the Center while a material still holds an identifier.

Order No. 264, Rule 14 makes children's personal data confidential; intervision (Rule 11.3)
discusses real cases with specialists from other schools. Every export of a session pack runs
the leak check over every material (its title too) and is refused on any finding. The refusal
says what was found and where (material, character offsets, kind) with an excerpt in which
every finding is masked, so the error, and the logs it ends up in, never repeat an identifier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from pcenter_lib.deidentify.findings import KIND_LABELS, Finding
from pcenter_lib.deidentify.scan import find_identifiers
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_, gettext

MASK: Final = "▮▮▮"
EXCERPT_CONTEXT: Final = 24  # characters of context on each side of a finding
_SPACES: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PackMaterial:
    """One material of a session pack: a title and its text (agenda, vignette, notes...)."""

    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Leak:
    """A finding in a pack: which material (number and masked title), where, what, and context."""

    material: int
    title: str
    start: int
    end: int
    kind: str
    excerpt: str
    in_title: bool = False

    def describe(self, lang: str) -> str:
        """One line for a person: material, place, kind and the masked excerpt, in ``lang``."""
        template = (
            N_("material {number} «{title}», title: {kind} — “{excerpt}”")
            if self.in_title
            else N_("material {number} «{title}», characters {start}–{end}: {kind} — “{excerpt}”")
        )
        return gettext(template, lang).format(
            number=self.material, title=self.title, start=self.start, end=self.end,
            kind=gettext(KIND_LABELS[self.kind], lang), excerpt=self.excerpt,
        )  # fmt: skip


class IdentifierLeakError(PcenterError, ValueError):
    """An export was refused because its materials still hold identifiers; ``leaks`` lists them."""

    def __init__(self, leaks: Iterable[Leak]) -> None:
        self.leaks = tuple(leaks)
        super().__init__(
            N_(
                "Export refused: the materials still hold possible identifiers ({count}). "
                "Replace or remove them, then export again."
            ),
            count=len(self.leaks),
        )

    def localized(self, lang: str) -> str:
        lines = [super().localized(lang), *(f"• {leak.describe(lang)}" for leak in self.leaks)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.localized("en")


def mask(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with every finding replaced by a fixed mask (its length is not revealed)."""
    out, position = [], 0
    for finding in sorted(findings):
        if finding.start < position:
            continue
        out += [text[position : finding.start], MASK]
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def masked_excerpt(text: str, findings: list[Finding], finding: Finding) -> str:
    """The context around ``finding`` with every finding in it masked, on one line."""
    start = max(0, finding.start - EXCERPT_CONTEXT)
    end = min(len(text), finding.end + EXCERPT_CONTEXT)
    # Widen to whole findings so that no identifier is cut in half at the window's edge.
    for other in findings:
        if other.start < start < other.end:
            start = other.start
        if other.start < end < other.end:
            end = other.end
    window = [
        Finding(max(f.start, start) - start, min(f.end, end) - start, f.kind)
        for f in findings
        if f.start < end and start < f.end
    ]
    excerpt = _SPACES.sub(" ", mask(text[start:end], window)).strip()
    return ("…" if start > 0 else "") + excerpt + ("…" if end < len(text) else "")


def _as_materials(
    materials: Iterable[PackMaterial] | Mapping[str, str],
) -> list[PackMaterial]:
    if isinstance(materials, Mapping):
        return [PackMaterial(str(title), str(text)) for title, text in materials.items()]
    return list(materials)


def find_leaks(
    materials: Iterable[PackMaterial] | Mapping[str, str],
    *,
    known: Iterable[str] = (),
    persons: bool = True,
) -> list[Leak]:
    """Every finding of the leak check in every material (titles included), in pack order."""
    known = list(known)
    leaks: list[Leak] = []
    for number, material in enumerate(_as_materials(materials), start=1):
        title_findings = find_identifiers(material.title, known=known, persons=persons)
        title = mask(material.title, title_findings)
        for finding in title_findings:
            excerpt = masked_excerpt(material.title, title_findings, finding)
            leaks.append(Leak(number, title, finding.start, finding.end, finding.kind,
                              excerpt, in_title=True))  # fmt: skip
        findings = find_identifiers(material.text, known=known, persons=persons)
        for finding in findings:
            excerpt = masked_excerpt(material.text, findings, finding)
            leaks.append(
                Leak(number, title, finding.start, finding.end, finding.kind, excerpt)
            )
    return leaks


def check_pack(
    materials: Iterable[PackMaterial] | Mapping[str, str],
    *,
    known: Iterable[str] = (),
    persons: bool = True,
) -> None:
    """Refuse (raise ``IdentifierLeakError``) when any material of the pack holds an identifier.

    Call it on every export, immediately before the file is written: a pack edited after an
    earlier check is checked again. ``persons=False`` turns off the tagger of unlisted person
    names, for materials that rightly name the session's own participants (an attendance list);
    the case's known names, staff included, are still refused.
    """
    leaks = find_leaks(materials, known=known, persons=persons)
    if leaks:
        raise IdentifierLeakError(leaks)
