"""Intervision formats as data: phases, suggested timings and prompts (Order No. 264, Rule 11.3).

Each format lives in ``data/intervision/formats/<code>.yaml`` with its names, summary, group
size, total time, the public sources it follows, and its phases; every phase has a name and
prompts in Kazakh, Russian and English and a suggested number of minutes. The phase minutes must
add up to the format's total, so a timer built on them ends when the session should.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pcenter_lib.intervision.files import (
    DATA_DIR,
    IntervisionFileError,
    read_yaml,
    sources,
    texts,
)

FORMATS_DIR = DATA_DIR / "formats"


@dataclass(frozen=True, slots=True)
class Phase:
    """One phase of a format: what it is called, how long it takes, what the facilitator asks."""

    code: str
    name: dict[str, str]
    minutes: int
    prompts: tuple[dict[str, str], ...]


@dataclass(frozen=True, slots=True)
class IntervisionFormat:
    """A structured intervision format (incident method, Balint group, ...)."""

    code: str
    name: dict[str, str]
    summary: dict[str, str]
    min_group: int
    max_group: int
    total_minutes: int
    phases: tuple[Phase, ...]
    sources: tuple[tuple[str, str], ...]

    def phase(self, code: str) -> Phase:
        """The phase ``code``; an unknown code raises, naming the valid ones."""
        for phase in self.phases:
            if phase.code == code:
                return phase
        raise IntervisionFileError(
            "Format {format} has no phase {phase!r}; its phases are: {phases}.",
            format=self.code, phase=code, phases=", ".join(p.code for p in self.phases),
        )  # fmt: skip

    def starts(self) -> tuple[int, ...]:
        """Minute at which each phase starts, counted from the session's start."""
        out, elapsed = [], 0
        for phase in self.phases:
            out.append(elapsed)
            elapsed += phase.minutes
        return tuple(out)


def _positive_int(value: Any, *, file: str, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise IntervisionFileError(
            "{file}: {where} must be a positive whole number.", file=file, where=where
        )
    return value


def _phase(raw: Any, *, file: str, index: int) -> Phase:
    where = f"phase {index}"
    if not isinstance(raw, Mapping) or not str(raw.get("code") or "").strip():
        raise IntervisionFileError("{file}: {where} needs a code.", file=file, where=where)
    where = f"phase {raw['code']}"
    prompts = raw.get("prompts")
    if not isinstance(prompts, list) or not prompts:
        raise IntervisionFileError("{file}: {where} needs prompts.", file=file, where=where)
    return Phase(
        code=str(raw["code"]),
        name=texts(raw.get("name"), file=file, where=f"{where} name"),
        minutes=_positive_int(raw.get("minutes"), file=file, where=f"{where} minutes"),
        prompts=tuple(
            texts(p, file=file, where=f"{where} prompt {n}") for n, p in enumerate(prompts, 1)
        ),
    )


def load_format(path: Path) -> IntervisionFormat:
    """Read and check one format file."""
    data = read_yaml(path)
    file = path.name
    raw_phases = data.get("phases")
    if not isinstance(raw_phases, list) or len(raw_phases) < 2:
        raise IntervisionFileError("{file}: a format needs at least two phases.", file=file)
    phases = tuple(_phase(raw, file=file, index=i) for i, raw in enumerate(raw_phases, 1))
    codes = [p.code for p in phases]
    if len(set(codes)) != len(codes):
        raise IntervisionFileError("{file}: phase codes must be unique.", file=file)
    total = _positive_int(data.get("total_minutes"), file=file, where="total_minutes")
    if sum(p.minutes for p in phases) != total:
        raise IntervisionFileError(
            "{file}: the phases take {sum} minutes but the format says {total}.",
            file=file, sum=sum(p.minutes for p in phases), total=total,
        )  # fmt: skip
    group = data.get("group_size") or {}
    low = _positive_int(group.get("min"), file=file, where="group_size.min")
    high = _positive_int(group.get("max"), file=file, where="group_size.max")
    if low > high:
        raise IntervisionFileError(
            "{file}: group_size.min is larger than group_size.max.", file=file
        )
    return IntervisionFormat(
        code=str(data["code"]),
        name=texts(data.get("name"), file=file, where="name"),
        summary=texts(data.get("summary"), file=file, where="summary"),
        min_group=low,
        max_group=high,
        total_minutes=total,
        phases=phases,
        sources=sources(data.get("sources"), file=file),
    )


@cache
def format_registry() -> dict[str, IntervisionFormat]:
    """Every format under ``data/intervision/formats``, by code."""
    return {path.stem: load_format(path) for path in sorted(FORMATS_DIR.glob("*.yaml"))}


def get_format(code: str) -> IntervisionFormat:
    """The format ``code``; an unknown code raises, listing the known ones."""
    registry = format_registry()
    if code not in registry:
        raise IntervisionFileError(
            "Unknown intervision format {code!r}; known formats: {known}.",
            code=code, known=", ".join(registry),
        )  # fmt: skip
    return registry[code]
