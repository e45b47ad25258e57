"""Direct-threat alerts for the Center's management (Rule 18), shown in the app at once.

Rule 18: "the Center's management immediately informs the health bodies, the police and other
authorized bodies". The management — the first head and the deputies — must therefore know of a
direct threat the moment it is registered or assessed. An alert is *active* while a direct
threat's request is open and some notification it owes is not sent yet; sending the last one
clears it, so a banner never goes stale. The list keeps the recent direct threats, active or
not, so the management can follow each case. Only journal numbers, times and counts leave this
module — no child's name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.models import Notification, Request
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.users import load_actor

RECENT: Final = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class ThreatAlert:
    """One direct threat as management follows it."""

    request_id: int
    journal_number: str
    raised_at: datetime
    owed: int
    unsent: int
    next_due_at: datetime | None  # the earliest due time of an unsent notification
    closed: bool

    @property
    def active(self) -> bool:
        return self.unsent > 0 and not self.closed

    def overdue(self, now: datetime) -> bool:
        return self.next_due_at is not None and now > self.next_due_at


def threat_alerts(
    session: Session, *, actor: str, now: datetime | None = None, recent: timedelta = RECENT
) -> list[ThreatAlert]:
    """Direct threats raised in the last ``recent`` or still active; active first, oldest due
    first, then the newest."""
    require(load_actor(session, actor), UseCase.VIEW_ALERTS)
    moment = now or utcnow()
    unsent_ids = select(Notification.request_id).where(Notification.sent_at.is_(None))
    requests = list(
        session.scalars(
            select(Request).where(
                Request.direct_threat.is_(True),
                (Request.threat_assessed_at >= moment - recent)
                | ((Request.status != "closed") & Request.id.in_(unsent_ids)),
            )
        )
    )
    notices: dict[int, list[Notification]] = defaultdict(list)
    if requests:
        for row in session.scalars(
            select(Notification).where(Notification.request_id.in_([r.id for r in requests]))
        ):
            notices[row.request_id].append(row)
    alerts = []
    for r in requests:
        pending = [n for n in notices[r.id] if n.sent_at is None]
        alerts.append(
            ThreatAlert(
                r.id,
                r.journal_number,
                r.threat_assessed_at or r.registered_at,
                len(notices[r.id]),
                len(pending),
                min((n.due_at for n in pending), default=None),
                r.status == "closed",
            )
        )
    far = datetime.max.replace(tzinfo=moment.tzinfo)
    return sorted(
        alerts,
        key=lambda a: (
            not a.active,
            a.next_due_at or far if a.active else far,
            -a.raised_at.timestamp(),
        ),
    )
