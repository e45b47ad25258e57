"""A compliance figure and the records behind it: the shape every rule's measure takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ComplianceRecord:
    """One record behind a figure: does it comply, and a note (msgid with params) saying why."""

    request_id: int | None
    journal_number: str
    ok: bool
    note: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ComplianceFigure:
    rule: str
    title: str  # msgid
    complying: int
    counted: int
    pending: int
    records: tuple[ComplianceRecord, ...]
    key: str = ""  # stable name of the figure (``rule_15_notice``); several share a rule

    @property
    def share(self) -> float | None:
        """Share of counted records that comply; ``None`` when nothing was counted."""
        return None if self.counted == 0 else self.complying / self.counted


def figure_of(
    rule: str, title: str, records: list[ComplianceRecord], pending: int, key: str
) -> ComplianceFigure:
    """A figure from its records, the failing ones first."""
    ordered = sorted(records, key=lambda r: (r.ok, r.journal_number))
    return ComplianceFigure(
        rule, title, sum(r.ok for r in records), len(records), pending, tuple(ordered), key
    )
