"""The one query layer behind the compliance view and the reports: the same number everywhere.

The compliance view (``services.compliance``) and every report read a period's requests through
``period_requests``: requests *received* from the first day of the period (00:00 Kazakhstan time)
to the end of its last day, in journal order. The reports count those same rows by concern,
source, channel, age band, sex, district and outcome (``request_facts`` and ``count_by``), and
take the compliance figures and the minutes of the direct-threat notifications from the
compliance functions themselves — so a figure of a report is the figure of the compliance tab
for the same period, and a test holds them together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.reporting import UNKNOWN, age_band, age_on
from pcenter_lib.models import Child, District, EducationOrganization, Request, RequestConcern

DIMENSIONS: Final = ("concern", "source", "channel", "age_band", "sex", "district", "outcome")


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The moments [start, end) of the days ``date_from``..``date_to`` in Kazakhstan time."""
    start = datetime.combine(date_from, time(0), tzinfo=KZ_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=KZ_TZ)
    return start, end


def period_requests(session: Session, date_from: date, date_to: date) -> list[Request]:
    """Requests received in the days ``date_from``..``date_to``, in journal order."""
    start, end = period_bounds(date_from, date_to)
    return list(
        session.scalars(
            select(Request)
            .where(Request.received_at >= start, Request.received_at < end)
            .order_by(Request.journal_year, Request.journal_seq)
        )
    )


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the reports count of one request (no name, no description: Rule 14)."""

    request_id: int
    journal_number: str
    received_at: datetime
    source: str
    channel: str
    concerns: tuple[str, ...]
    age_band: str
    sex: str
    district: str  # district code, ``unknown`` when no school is known
    outcome: str  # the request's status
    direct_threat: bool

    def values(self, dimension: str) -> tuple[str, ...]:
        """The codes this request counts under in ``dimension`` (several for concerns)."""
        if dimension == "concern":
            return self.concerns or (UNKNOWN,)
        return (str(getattr(self, dimension)),)


def _age(child: Child | None, received_on: date) -> int | None:
    if child is None:
        return None
    if child.birth_on is not None and child.birth_on <= received_on:
        return age_on(child.birth_on, received_on)
    return child.approx_age


def request_facts(session: Session, requests: Sequence[Request]) -> list[RequestFacts]:
    """The facts of ``requests`` (from ``period_requests``) the reports count by.

    The district is the one of the school named on the request, else of the child's school.
    """
    ids = [r.id for r in requests]
    concerns: dict[int, list[str]] = {i: [] for i in ids}
    children: dict[int, Child] = {}
    schools: dict[int, str] = {}
    if ids:
        for request_id, code in session.execute(
            select(RequestConcern.request_id, RequestConcern.concern)
            .where(RequestConcern.request_id.in_(ids))
            .order_by(RequestConcern.id)
        ):
            concerns[request_id].append(code)
        child_ids = {r.child_id for r in requests if r.child_id is not None}
        if child_ids:
            children = {
                c.id: c for c in session.scalars(select(Child).where(Child.id.in_(child_ids)))
            }
        rows = session.execute(
            select(EducationOrganization.id, District.code).join(
                District, District.id == EducationOrganization.district_id
            )
        )
        schools = {int(school_id): str(code) for school_id, code in rows}
    facts = []
    for r in requests:
        child = children.get(r.child_id) if r.child_id is not None else None
        school_id = r.education_organization_id or (
            child.education_organization_id if child is not None else None
        )
        received_on = r.received_at.astimezone(KZ_TZ).date()
        facts.append(
            RequestFacts(
                request_id=r.id,
                journal_number=r.journal_number,
                received_at=r.received_at,
                source=r.source,
                channel=r.channel,
                concerns=tuple(sorted(set(concerns[r.id]))),
                age_band=age_band(_age(child, received_on)),
                sex=str(child.sex) if child is not None and child.sex is not None else UNKNOWN,
                district=schools.get(school_id, UNKNOWN) if school_id is not None else UNKNOWN,
                outcome=str(r.status),
                direct_threat=r.direct_threat,
            )
        )
    return facts


def count_by(facts: Iterable[RequestFacts], dimension: str) -> Counter[str]:
    """How many requests count under each code of ``dimension``."""
    counts: Counter[str] = Counter()
    for fact in facts:
        counts.update(fact.values(dimension))
    return counts
