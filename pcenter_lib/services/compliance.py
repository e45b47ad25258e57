"""How well the Center kept the rules over a period, with the records behind every figure.

One figure per rule, each a share of records that comply, measured from the journal itself:

| rule | figure |
|---|---|
| 13 | journal numbers of each year issued without gaps |
| 15 | under-16 requests without a direct threat whose consent was in force before the first service |
| 16 | requests considered by their due time (ordinary: 2 working days; direct threat: same day) |
| 18 | direct-threat requests whose health and police notifications were sent by their due time (same day) |
| 22 | direct-threat requests whose child-rights body notification was sent by its due time |

Requests whose term has not run out yet and that are not done yet are left out (pending), so a
figure never counts as late what may still be on time. The records list the ones counted,
failing first, so the app shows them one click away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.consent import is_under_16
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import local_text
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import Child, Consultation, JournalCounter, Notification, Request
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.consent_records import consent_in_force
from pcenter_lib.services.users import load_actor


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

    @property
    def share(self) -> float | None:
        """Share of counted records that comply; ``None`` when nothing was counted."""
        return None if self.counted == 0 else self.complying / self.counted


def _figure(
    rule: str, title: str, records: list[ComplianceRecord], pending: int
) -> ComplianceFigure:
    ordered = sorted(records, key=lambda r: (r.ok, r.journal_number))
    return ComplianceFigure(
        rule, title, sum(r.ok for r in records), len(records), pending, tuple(ordered)
    )


def _period_requests(session: Session, date_from: date, date_to: date) -> list[Request]:
    start = datetime.combine(date_from, time(0), tzinfo=KZ_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=KZ_TZ)
    return list(
        session.scalars(
            select(Request)
            .where(Request.received_at >= start, Request.received_at < end)
            .order_by(Request.journal_year, Request.journal_seq)
        )
    )


def rule_16_on_time(requests: list[Request], now: datetime) -> ComplianceFigure:
    records, pending = [], 0
    for r in requests:
        if r.considered_at is None and now <= r.due_at:
            pending += 1
            continue
        if r.considered_at is None:
            note, params = N_("Not considered; it was due {due}."), {"due": local_text(r.due_at)}
            ok = False
        else:
            ok = r.considered_at.replace(microsecond=0) <= r.due_at
            note = N_("Considered {at}; due {due}.")
            params = {"at": local_text(r.considered_at), "due": local_text(r.due_at)}
        records.append(ComplianceRecord(r.id, r.journal_number, ok, note, params))
    return _figure("Rule 16", N_("Requests considered on time"), records, pending)


def _sent_in_time(notification: Notification | None) -> bool:
    """Sent by its due time (the whole due second still counts)."""
    if notification is None or notification.sent_at is None:
        return False
    return notification.sent_at.replace(microsecond=0) <= notification.due_at


def _notifications_figure(
    session: Session,
    requests: list[Request],
    now: datetime,
    recipients: tuple[str, ...],
    rule: str,
    title: str,
) -> ComplianceFigure:
    threat = [r for r in requests if r.direct_threat]
    by_request: dict[int, dict[str, Notification]] = {r.id: {} for r in threat}
    if threat:
        for n in session.scalars(
            select(Notification).where(
                Notification.request_id.in_(list(by_request)),
                Notification.recipient.in_(recipients),
            )
        ):
            by_request[n.request_id][n.recipient] = n
    records, pending = [], 0
    for r in threat:
        owed = by_request[r.id]
        late = [code for code in recipients if not _sent_in_time(owed.get(code))]
        unsent = [code for code in recipients if code not in owed or owed[code].sent_at is None]
        due = min((n.due_at for n in owed.values()), default=r.due_at)
        if unsent and now <= due:
            pending += 1
            continue
        if late:
            note, params = (
                N_("Not sent by {due}: {recipients}."),
                {"due": local_text(due), "recipients": ", ".join(late)},
            )
        else:
            note, params = N_("Sent by {due}."), {"due": local_text(due)}
        records.append(ComplianceRecord(r.id, r.journal_number, not late, note, params))
    return _figure(rule, title, records, pending)


def rule_15_consent_first(session: Session, requests: list[Request]) -> ComplianceFigure:
    records, pending = [], 0
    for r in requests:
        child = session.get(Child, r.child_id) if r.child_id is not None else None
        received_on = r.received_at.astimezone(KZ_TZ).date()
        if r.direct_threat or child is None or child.birth_on > received_on:
            continue
        if not is_under_16(child.birth_on, received_on):
            continue
        first = session.scalar(
            select(Consultation.held_at)
            .where(Consultation.child_id == child.id, Consultation.held_at >= r.received_at)
            .order_by(Consultation.held_at)
            .limit(1)
        )
        if first is None:
            pending += 1
            continue
        consent = consent_in_force(session, child.id, first)
        if consent is None:
            note = N_("Service given {at} without a consent in force.")
        else:
            note = N_("Consent of {given} in force at the first service {at}.")
        params = {"at": local_text(first)}
        if consent is not None:
            params["given"] = local_text(consent.given_at)
        records.append(ComplianceRecord(r.id, r.journal_number, consent is not None, note, params))
    return _figure(
        "Rule 15",
        N_("Consent recorded before services (under 16, no direct threat)"),
        records,
        pending,
    )


def rule_13_numbering(session: Session, date_from: date, date_to: date) -> ComplianceFigure:
    records: list[ComplianceRecord] = []
    issued = 0
    for year in range(date_from.year, date_to.year + 1):
        seqs = set(session.scalars(select(Request.journal_seq).where(Request.journal_year == year)))
        counter = session.get(JournalCounter, year)
        last = max([counter.last_number if counter else 0, *seqs])
        issued += last
        for seq in sorted(set(range(1, last + 1)) - seqs):
            records.append(
                ComplianceRecord(
                    None,
                    f"{year}/{seq:06d}",
                    False,
                    N_("Number {number} is missing from the journal."),
                    {"number": f"{year}/{seq:06d}"},
                )
            )
    return ComplianceFigure(
        "Rule 13",
        N_("Journal numbers issued without gaps"),
        issued - len(records),
        issued,
        0,
        tuple(records),
    )


def compliance_report(
    session: Session, *, actor: str, date_from: date, date_to: date, now: datetime | None = None
) -> tuple[ComplianceFigure, ...]:
    """The figures of Rules 13, 15, 16, 18 and 22 for requests received in [date_from, date_to]."""
    require(load_actor(session, actor), UseCase.VIEW_COMPLIANCE)
    if date_to < date_from:
        raise ValidationError(
            N_("The period ends ({end}) before it starts ({start})."),
            start=date_from.isoformat(),
            end=date_to.isoformat(),
        )
    moment = now or utcnow()
    requests = _period_requests(session, date_from, date_to)
    return (
        rule_13_numbering(session, date_from, date_to),
        rule_15_consent_first(session, requests),
        rule_16_on_time(requests, moment),
        _notifications_figure(
            session,
            requests,
            moment,
            ("health", "police"),
            "Rule 18",
            N_("Direct threats: health and police notified the same day"),
        ),
        _notifications_figure(
            session,
            requests,
            moment,
            ("child_rights_body",),
            "Rule 22",
            N_("Direct threats: child-rights body informed immediately"),
        ),
    )
