"""Compliance measures of time in minutes: simultaneous notice, same-day review, notifications.

* ``rule_15_simultaneous_notice`` — Rule 15: when help is given without consent because of a
  direct threat, "the parents and the competent bodies are notified at the same time". Both
  moments are recorded: the first help under the waiver and each Rule 15 notice; the record
  shows the gap in minutes, and complies when no notice is further from the help than the
  Center's minutes for "immediately".
* ``rule_16_same_day_review`` — a critical screening answer reviewed by a specialist by its
  same-day due time (``deadlines.review_due_at``).
* ``notification_minutes`` — per body, minutes from the notification becoming owed to its
  sending: median, 90th percentile (nearest rank) and worst, with how many are still unsent.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.consent import NOTIFICATION_RULES
from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES
from pcenter_lib.domain.intake_rules import local_text
from pcenter_lib.i18n import N_
from pcenter_lib.models import Consultation, Notification, Request
from pcenter_lib.services.compliance_figures import ComplianceFigure, ComplianceRecord, figure_of


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60


def _first_waived_help(session: Session, request_ids: list[int]) -> dict[int, datetime]:
    """The first help given under the direct-threat waiver, per request."""
    found: dict[int, datetime] = {}
    if not request_ids:
        return found
    rows = session.execute(
        select(Consultation.request_id, Consultation.held_at)
        .where(Consultation.request_id.in_(request_ids), Consultation.basis == "direct_threat")
        .order_by(Consultation.held_at)
    )
    for request_id, held_at in rows:
        if request_id is not None:
            found.setdefault(int(request_id), held_at)
    return found


def _notices(session: Session, request_ids: list[int]) -> dict[int, list[Notification]]:
    by_request: dict[int, list[Notification]] = defaultdict(list)
    if request_ids:
        for row in session.scalars(
            select(Notification)
            .where(Notification.request_id.in_(request_ids))
            .order_by(Notification.id)
        ):
            by_request[row.request_id].append(row)
    return by_request


def _notice_record(
    r: Request, help_at: datetime, notices: list[Notification], now: datetime, minutes: int
) -> ComplianceRecord | None:
    """The record of one request, or ``None`` while a notice may still come in time."""
    gaps, unsent = [], []
    for notice in notices:
        if notice.sent_at is None:
            unsent.append(notice.recipient)
        else:
            gaps.append(abs(_minutes(notice.sent_at, help_at)))
    waiting = _minutes(now, help_at)
    if unsent and waiting <= minutes:
        return None
    gap = max([*gaps, waiting] if unsent else gaps, default=0.0)
    params: dict[str, Any] = {
        "help": local_text(help_at),
        "gap": math.ceil(gap),
        "minutes": minutes,
    }
    if unsent:
        params["recipients"] = ", ".join(unsent)
        note = N_(
            "Help without consent at {help}; not told yet: {recipients} ({gap} min; at most "
            "{minutes} allowed)."
        )
    else:
        note = N_(
            "Help without consent at {help}; everybody told within {gap} min (at most {minutes})."
        )
    return ComplianceRecord(r.id, r.journal_number, not unsent and gap <= minutes, note, params)


def rule_15_simultaneous_notice(
    session: Session,
    requests: Sequence[Request],
    now: datetime,
    *,
    minutes: int = DEFAULT_NOTIFY_MINUTES,
) -> ComplianceFigure:
    """Rule 15: parents and competent bodies told at the same time as help without consent."""
    threat_ids = [r.id for r in requests if r.direct_threat]
    first_help = _first_waived_help(session, threat_ids)
    notices = _notices(session, list(first_help))
    records, pending = [], 0
    for r in requests:
        help_at = first_help.get(r.id)
        if help_at is None:
            continue
        owed = [n for n in notices[r.id] if "Rule 15" in n.rule]
        record = _notice_record(r, help_at, owed, now, minutes)
        if record is None:
            pending += 1
        else:
            records.append(record)
    return figure_of(
        "Rule 15",
        N_("Help without consent: parents and competent bodies told at the same time"),
        records,
        pending,
        "rule_15_notice",
    )


def rule_16_same_day_review(requests: Sequence[Request], now: datetime) -> ComplianceFigure:
    """Critical screening answers reviewed by a specialist by their same-day due time."""
    records, pending = [], 0
    for r in requests:
        if not r.priority_review:
            continue
        due = r.review_due_at or r.due_at
        if r.reviewed_at is None:
            if now <= due:
                pending += 1
                continue
            records.append(
                ComplianceRecord(
                    r.id,
                    r.journal_number,
                    False,
                    N_("Not reviewed; it was due {due}."),
                    {"due": local_text(due)},
                )
            )
            continue
        ok = r.reviewed_at.replace(microsecond=0) <= due
        params = {"at": local_text(r.reviewed_at), "due": local_text(due), "who": r.reviewed_by}
        records.append(
            ComplianceRecord(
                r.id, r.journal_number, ok, N_("Reviewed {at} by {who}; due {due}."), params
            )
        )
    return figure_of(
        "Rule 16",
        N_("Critical screening answers reviewed the same working day"),
        records,
        pending,
        "rule_16_review",
    )


@dataclass(frozen=True, slots=True)
class BodyMinutes:
    """How fast one body was told: minutes from owing to sending, and what is still unsent."""

    recipient: str
    label: str  # msgid
    sent: int
    late: int
    unsent: int
    median: float | None
    p90: float | None
    worst: float | None


def _nearest_rank(ordered: list[float], share: float) -> float:
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# the columns of the notification minutes per body, the same in the compliance view and the reports
MINUTES_HEADERS: Final = (
    N_("Body"),
    N_("Sent"),
    N_("Late"),
    N_("Not sent yet"),
    N_("Median, min"),
    N_("90th percentile, min"),
    N_("Worst, min"),
)


def notification_minutes(session: Session, requests: Sequence[Request]) -> list[BodyMinutes]:
    """Per body owed a direct-threat notification, the distribution of minutes to sending."""
    by_id = {r.id: r for r in requests if r.direct_threat}
    minutes: dict[str, list[float]] = defaultdict(list)
    late: dict[str, int] = defaultdict(int)
    unsent: dict[str, int] = defaultdict(int)
    for recipient_rows in _notices(session, list(by_id)).values():
        for n in recipient_rows:
            request = by_id[n.request_id]
            start = n.owed_at or request.threat_assessed_at or request.registered_at
            if n.sent_at is None:
                unsent[n.recipient] += 1
                continue
            minutes[n.recipient].append(max(0.0, _minutes(n.sent_at, start)))
            late[n.recipient] += int(n.sent_at.replace(microsecond=0) > n.due_at)
    result = []
    for code, rule in NOTIFICATION_RULES.items():
        values = sorted(minutes.get(code, []))
        if not values and not unsent.get(code):
            continue
        result.append(
            BodyMinutes(
                code,
                rule.label,
                len(values),
                late.get(code, 0),
                unsent.get(code, 0),
                _nearest_rank(values, 0.5) if values else None,
                _nearest_rank(values, 0.9) if values else None,
                values[-1] if values else None,
            )
        )
    return result
