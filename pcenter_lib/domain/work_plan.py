"""The annual work plan (Rule 23): when it is late, and how far the year has carried it out.

Rule 23: "Once a year, before the school year begins, Centers draw up an annual work plan,
approved by the first head." The school year begins on 1 September (the Law "On education"), so
a plan is *late* when it is not approved by then (or was approved later), and *due soon* in the
month before. Progress counts, of the events whose month has come, how many are done; the plan's
events are laid out by the directions of Rule 10.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from pcenter_lib.domain.codes import WorkDirection, WorkEventStatus
from pcenter_lib.i18n import N_

DUE_SOON: Final = timedelta(days=30)
DIRECTION_LABELS: Final = {
    WorkDirection.CONSULTATIVE_DEVELOPMENTAL: N_("Consultative-developmental direction"),
    WorkDirection.METHODICAL: N_("Methodical direction"),
    WorkDirection.EDUCATION: N_("Psychological-pedagogical education"),
    WorkDirection.MOBILE_RESPONSE: N_("Mobile response"),
}
STATUS_LABELS: Final = {
    WorkEventStatus.PLANNED: N_("planned"),
    WorkEventStatus.DONE: N_("done"),
    WorkEventStatus.MOVED: N_("moved"),
    WorkEventStatus.DROPPED: N_("dropped"),
}


def school_year_start(school_year: str) -> date:
    return date(int(school_year[:4]), 9, 1)


@dataclass(frozen=True, slots=True)
class PlanTiming:
    """``late``: not approved before the school year began; ``due_soon``: the month before."""

    late: bool
    due_soon: bool
    starts_on: date


def plan_timing(school_year: str, approved_on: date | None, today: date) -> PlanTiming:
    starts = school_year_start(school_year)
    if approved_on is not None:
        return PlanTiming(approved_on >= starts, False, starts)
    return PlanTiming(today >= starts, starts - DUE_SOON <= today < starts, starts)


@dataclass(frozen=True, slots=True)
class Progress:
    """Of the events whose month has come (``due``), how many are done, moved or dropped."""

    total: int
    due: int
    done: int
    moved: int
    dropped: int

    @property
    def share_done(self) -> float | None:
        return None if self.due == 0 else self.done / self.due


def plan_progress(events: Iterable[tuple[str, WorkEventStatus]], today: date) -> Progress:
    """``events`` as (month ``2026-10``, status); an event is due once its month has begun."""
    month_now = f"{today.year}-{today.month:02d}"
    listed = list(events)
    due = [status for month, status in listed if month <= month_now]
    return Progress(
        total=len(listed),
        due=len(due),
        done=sum(1 for s in due if s is WorkEventStatus.DONE),
        moved=sum(1 for s in due if s is WorkEventStatus.MOVED),
        dropped=sum(1 for s in due if s is WorkEventStatus.DROPPED),
    )
