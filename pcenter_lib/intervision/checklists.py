"""PPSS documentation review checklists as data, and the score of one filled checklist.

A methodologist reviews a school's PPSS documentation during methodical support (Order No. 264,
Rule 11.3) — the psychologist's annual plan, the consultation and diagnostics logs, the
conclusions, the records of support for children in difficult situations — and the result feeds
the quarterly study of the school's PPSS and its analytical note (Rule 21). Each checklist lives
in ``data/intervision/checklists/<code>.yaml``; items marked ``critical`` are the ones whose
absence can leave a child without help, and a filled checklist names every critical gap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from pcenter_lib.i18n import N_
from pcenter_lib.intervision.files import (
    DATA_DIR,
    IntervisionFileError,
    read_yaml,
    sources,
    texts,
)

CHECKLISTS_DIR = DATA_DIR / "checklists"


class Answer(StrEnum):
    """How an item of a checklist is met."""

    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


ANSWER_LABELS = {
    Answer.MET: N_("met"),
    Answer.PARTLY: N_("partly met"),
    Answer.NOT_MET: N_("not met"),
    Answer.NOT_APPLICABLE: N_("not applicable"),
}
_CREDIT = {Answer.MET: 1.0, Answer.PARTLY: 0.5, Answer.NOT_MET: 0.0}


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    code: str
    text: dict[str, str]
    critical: bool


@dataclass(frozen=True, slots=True)
class Checklist:
    """A documentation review checklist: what document, on what basis, which items."""

    code: str
    title: dict[str, str]
    basis: str
    items: tuple[ChecklistItem, ...]
    sources: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ChecklistResult:
    """A filled checklist: the share met (partly met counts half) and the critical gaps."""

    checklist: str
    score_percent: float | None  # None when every item is not applicable
    counts: dict[str, int]
    critical_gaps: tuple[str, ...]  # codes of critical items not met or only partly met


def load_checklist(path: Path) -> Checklist:
    """Read and check one checklist file."""
    data = read_yaml(path)
    file = path.name
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise IntervisionFileError("{file}: a checklist needs items.", file=file)
    items = []
    for number, raw in enumerate(raw_items, 1):
        if not isinstance(raw, Mapping) or not str(raw.get("code") or "").strip():
            raise IntervisionFileError("{file}: item {number} needs a code.", file=file,
                                       number=number)  # fmt: skip
        if not isinstance(raw.get("critical"), bool):
            raise IntervisionFileError(
                "{file}: item {code} must say critical: true or false.", file=file,
                code=raw["code"],
            )  # fmt: skip
        where = f"item {raw['code']}"
        items.append(ChecklistItem(str(raw["code"]), texts(raw.get("text"), file=file,
                                                           where=where), raw["critical"]))  # fmt: skip
    codes = [item.code for item in items]
    if len(set(codes)) != len(codes):
        raise IntervisionFileError("{file}: item codes must be unique.", file=file)
    basis = str(data.get("basis") or "").strip()
    if "264" not in basis:
        raise IntervisionFileError("{file}: basis must cite Order No. 264.", file=file)
    return Checklist(
        code=str(data["code"]),
        title=texts(data.get("title"), file=file, where="title"),
        basis=basis,
        items=tuple(items),
        sources=sources(data.get("sources"), file=file),
    )


@cache
def checklist_registry() -> dict[str, Checklist]:
    """Every checklist under ``data/intervision/checklists``, by code."""
    return {path.stem: load_checklist(path) for path in sorted(CHECKLISTS_DIR.glob("*.yaml"))}


def get_checklist(code: str) -> Checklist:
    """The checklist ``code``; an unknown code raises, listing the known ones."""
    registry = checklist_registry()
    if code not in registry:
        raise IntervisionFileError(
            "Unknown checklist {code!r}; known checklists: {known}.",
            code=code, known=", ".join(registry),
        )  # fmt: skip
    return registry[code]


def score_checklist(checklist: Checklist, answers: Mapping[str, str]) -> ChecklistResult:
    """Score a filled checklist; every item must be answered, with a known answer.

    A half-filled checklist is refused rather than scored: an unanswered critical item would
    otherwise read as no gap.
    """
    known = {item.code for item in checklist.items}
    unknown = sorted(set(answers) - known)
    missing = [item.code for item in checklist.items if item.code not in answers]
    if unknown or missing:
        raise IntervisionFileError(
            "Checklist {checklist}: unanswered items {missing}; unknown items {unknown}.",
            checklist=checklist.code, missing=", ".join(missing) or "-",
            unknown=", ".join(unknown) or "-",
        )  # fmt: skip
    parsed: dict[str, Answer] = {}
    for code, value in answers.items():
        try:
            parsed[code] = Answer(value)
        except ValueError:
            raise IntervisionFileError(
                "Checklist {checklist}, item {item}: answer {answer!r} is not one of: {valid}.",
                checklist=checklist.code, item=code, answer=value,
                valid=", ".join(a.value for a in Answer),
            ) from None  # fmt: skip
    applicable = [a for a in parsed.values() if a is not Answer.NOT_APPLICABLE]
    score = (
        round(100 * sum(_CREDIT[a] for a in applicable) / len(applicable), 1)
        if applicable
        else None
    )
    gaps = tuple(
        item.code
        for item in checklist.items
        if item.critical and parsed[item.code] in (Answer.NOT_MET, Answer.PARTLY)
    )
    counts = Counter(a.value for a in parsed.values())
    return ChecklistResult(checklist.code, score, {a.value: counts[a.value] for a in Answer}, gaps)
