"""Recording that a document left the Center: to whom, when, by whom (Rule 21).

Rule 21: the analytical note on a school's PPSS is "sent to the education management bodies and
the education organization for review and action". The ``Report`` row already keeps the exact
file and its hash; sending it is recorded on the same row — ``sent_to``, ``sent_at``,
``sent_by`` — once, and audited, so the Center can show what went where.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, may, require
from pcenter_lib.domain.intake_rules import check_moment
from pcenter_lib.errors import NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Report
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

SENDING_USE_CASES: Final = {
    "analytical_note": UseCase.WRITE_NOTE,
    "threat_annex": UseCase.EXPORT_THREAT_ANNEX,
}  # every other kind of report: WRITE_REPORTS


@dataclass(frozen=True, slots=True)
class SentReport:
    """A report with its sending recorded."""

    report_id: int
    filename: str
    sent_to: str
    sent_at: datetime
    sent_by: str


def record_report_sent(
    session: Session,
    *,
    actor: str,
    report_id: int,
    sent_to: str,
    sent_at: datetime | None = None,
    now: datetime | None = None,
) -> SentReport:
    """Record that report ``report_id`` was sent to ``sent_to`` (e.g. the education management
    body and the school, Rule 21) at ``sent_at`` by ``actor``; a second sending is refused.

    Who may record it is who may write the report: the analytical note the methodologist
    (``WRITE_NOTE``), the reports of Rules 20–23 ``WRITE_REPORTS``, the restricted annex the
    management (``EXPORT_THREAT_ANNEX``).
    """
    actor_row = load_actor(session, actor)
    if not any(may(actor_row.roles, u) for u in set(SENDING_USE_CASES.values())):
        require(actor_row, UseCase.WRITE_NOTE)  # refused, naming the use case
    moment_now = now or utcnow()
    report = session.get(Report, report_id, with_for_update=True)
    if report is None:
        raise NotFoundError(N_("There is no report with id {id}."), id=report_id)
    who = require(actor_row, SENDING_USE_CASES.get(report.kind, UseCase.WRITE_REPORTS))
    if report.sent_at is not None:
        raise ValidationError(
            N_("Report {name} was already recorded as sent to {to} by {who}."),
            name=report.filename,
            to=report.sent_to or "—",
            who=report.sent_by or "—",
        )
    recipient = check_text("sent_to", sent_to, required=True)
    assert recipient is not None
    moment = check_moment(
        "sent_at", sent_at or moment_now, now=moment_now, not_before=report.created_at
    )
    report.sent_to, report.sent_at, report.sent_by = recipient, moment, who.username
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="send_report",
        entity="report",
        entity_id=report.id,
        details={"kind": report.kind, "sent_to": recipient, "sha256": report.sha256},
    )
    return SentReport(report.id, report.filename, recipient, moment, who.username)
