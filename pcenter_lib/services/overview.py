"""Counts for the home page: how much work is open and how much of it is late (Rule 16).

Only aggregates leave this module, never a person's data, so every signed-in role may see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from pcenter_lib.errors import ValidationError
from pcenter_lib.models import Case, EducationOrganization, Request, User

_CLOSED_REQUEST = "closed"  # request statuses: open | in_work | closed
_CLOSED_CASE = "closed"  # case statuses: open | monitoring | closed


@dataclass(frozen=True)
class DatabaseOverview:
    """What the home page tells every signed-in person about the database."""

    open_requests: int  # registered and not closed
    overdue_requests: int  # not yet considered although the Rule 16 deadline has passed
    open_direct_threats: int  # open requests flagged as a direct threat (Rules 15, 18)
    open_cases: int
    education_organizations: int
    active_users: int


def summarize_database(session: Session, *, now: datetime) -> DatabaseOverview:
    """Count open, overdue and direct-threat requests, open cases, schools and active users.

    ``now`` must be timezone-aware: a request is overdue when it has no consideration time yet
    and its due time (Rule 16) is before ``now``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError("The time {value} has no time zone; give an aware time.", value=now)
    still_open = Request.status != _CLOSED_REQUEST

    def count(*conditions: ColumnElement[bool]) -> int:
        return int(
            session.scalar(select(func.count()).select_from(Request).where(*conditions)) or 0
        )

    open_requests = count(still_open)
    overdue = count(still_open, Request.considered_at.is_(None), Request.due_at < now)
    threats = count(still_open, Request.direct_threat.is_(True))
    cases = session.scalar(
        select(func.count()).select_from(Case).where(Case.status != _CLOSED_CASE)
    )
    schools = session.scalar(select(func.count()).select_from(EducationOrganization))
    users = session.scalar(select(func.count()).select_from(User).where(User.active.is_(True)))
    return DatabaseOverview(
        open_requests=open_requests,
        overdue_requests=overdue,
        open_direct_threats=threats,
        open_cases=int(cases or 0),
        education_organizations=int(schools or 0),
        active_users=int(users or 0),
    )
