"""What time it is for the apps: the real time, or the demo's own clock in a demo database.

The synthetic demo region has a fixed history (the same seed gives the same data on any day)
that ends at a reference moment. Seen on the real calendar, that history would age: a newcomer
opening the demo weeks after it was built would find every open request overdue and every
mobile plan expired. So in a demo database the apps run on the demo's own clock: it reads the
reference moment when the demo was built and runs on in real time from then. The demo's build
event in the audit trail records both moments; a database without one runs on the real clock.
Audit events always carry the real time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.models import AuditEvent
from pcenter_lib.models.base import utcnow

DEMO_BUILD_ACTION: Final = "demo_build"
HISTORY_ENDS_KEY: Final = "history_ends_at"


@dataclass(frozen=True)
class Clock:
    """``now()`` for the apps; ``history_ends_at`` is set when it is a demo's clock."""

    offset: timedelta = timedelta(0)
    history_ends_at: datetime | None = None

    @property
    def is_demo(self) -> bool:
        return self.history_ends_at is not None

    def now(self) -> datetime:
        """The current moment (aware, UTC) on this clock."""
        return utcnow() + self.offset


REAL_CLOCK: Final = Clock()


def read_clock(session: Session) -> Clock:
    """The demo's clock when the database holds a demo built with its reference moment."""
    built = session.execute(
        select(AuditEvent.occurred_at, AuditEvent.details)
        .where(AuditEvent.action == DEMO_BUILD_ACTION)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if built is None or not isinstance(built.details, dict):
        return REAL_CLOCK
    ends = built.details.get(HISTORY_ENDS_KEY)
    if not isinstance(ends, str):
        return REAL_CLOCK
    history_ends_at = datetime.fromisoformat(ends)
    return Clock(offset=history_ends_at - built.occurred_at, history_ends_at=history_ends_at)
