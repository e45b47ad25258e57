"""How well the Center kept the rules over a period, with the records behind every figure.

One figure per rule, each a share of records that comply, measured from the journal itself:

| key | rule | figure |
|---|---|---|
| rule_13 | 13 | journal numbers of each year issued without gaps |
| rule_15_consent | 15 | under-16 requests whose consent was in force before the first service not covered by the direct-threat waiver |
| rule_15_notice | 15 | help given under the waiver: parents and competent bodies told at the same time (the gap in minutes) |
| rule_16 | 16 | requests considered by their due time (ordinary: 2 working days; direct threat: same day) |
| rule_16_review | 16 | critical screening answers reviewed by a specialist the same working day |
| rule_18 | 18 | direct-threat requests whose Rule 18 notifications were sent within the Center's minutes |
| rule_22 | 22 | direct-threat requests whose child-rights body notification was sent within those minutes |

Beside the figures, ``notification_minutes`` gives per body the minutes from owing to sending
(median, 90th percentile, worst).

Requests whose term has not run out yet and that are not done yet are left out (pending), so a
figure never counts as late what may still be on time. The records list the ones counted,
failing first, so the app shows them one click away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.consent import is_under_16
from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES, KZ_TZ
from pcenter_lib.domain.intake_rules import local_text
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    Child,
    Consent,
    Consultation,
    JournalCounter,
    Notification,
    Request,
)
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.compliance_figures import ComplianceFigure as ComplianceFigure
from pcenter_lib.services.compliance_figures import ComplianceRecord, figure_of
from pcenter_lib.services.compliance_timing import (
    BodyMinutes as BodyMinutes,  # the intake app's compliance tab reads it from here
)
from pcenter_lib.services.compliance_timing import (
    notification_minutes,
    rule_15_simultaneous_notice,
    rule_16_same_day_review,
)
from pcenter_lib.services.consent_records import consent_among
from pcenter_lib.services.report_queries import period_requests
from pcenter_lib.services.users import load_actor


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
    return figure_of("Rule 16", N_("Requests considered on time"), records, pending, "rule_16")


def sent_in_time(notification: Notification | None) -> bool:
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
    key: str,
    optional: tuple[str, ...] = (),
) -> ComplianceFigure:
    """``recipients`` are always owed; ``optional`` ones count where the request owes them
    (the local executive body and the bodies a specialist added, Rule 18)."""
    threat = [r for r in requests if r.direct_threat]
    by_request: dict[int, dict[str, Notification]] = {r.id: {} for r in threat}
    if threat:
        for n in session.scalars(
            select(Notification)
            .where(
                Notification.request_id.in_(list(by_request)),
                Notification.recipient.in_(recipients + optional),
            )
            .order_by(Notification.id)
        ):
            label = n.recipient if n.recipient in recipients else f"{n.recipient}#{n.id}"
            by_request[n.request_id][label] = n
    records, pending = [], 0
    for r in threat:
        owed = by_request[r.id]
        wanted = list(recipients) + [code for code in owed if code not in recipients]
        late = [code.split("#")[0] for code in wanted if not sent_in_time(owed.get(code))]
        unsent = [code for code in wanted if code not in owed or owed[code].sent_at is None]
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
    return figure_of(rule, title, records, pending, key)


def _first_service_needing_consent(
    r: Request, consultations: Sequence[tuple[datetime, str | None, int | None]]
) -> datetime | None:
    """The first help on ``r`` not covered by the direct-threat waiver (Rule 15), if any.

    ``consultations``: the child's help as (held at, basis, request), in the order held.
    Help recorded with its basis counts unless given under the waiver or not about the child;
    older help without a basis counts when given after the threat was closed (or no threat).
    """
    for held_at, basis, request_id in consultations:
        if held_at < r.received_at or request_id not in (r.id, None):
            continue
        if basis in ("direct_threat", "not_about_a_child", "anonymous"):
            continue
        waived = r.direct_threat and (r.threat_closed_at is None or held_at < r.threat_closed_at)
        if basis is None and waived:
            continue
        return held_at
    return None


def _in_chunks(ids: set[int], size: int = 900) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def rule_15_consent_first(session: Session, requests: list[Request]) -> ComplianceFigure:
    """Under-16 children (or of unknown age) had a consent in force at the first service that
    the direct-threat waiver does not cover (Rule 15).

    The children, their help and their consents are read in a few queries for the whole period
    (a region's quarter has thousands of requests), then each request is decided as before.
    """
    records, pending = [], 0
    child_ids = {r.child_id for r in requests if r.child_id is not None}
    children: dict[int, Child] = {}
    help_given: dict[int, list[tuple[datetime, str | None, int | None]]] = defaultdict(list)
    consents: dict[int, list[Consent]] = defaultdict(list)
    for chunk in _in_chunks(child_ids):
        children.update((c.id, c) for c in session.scalars(select(Child).where(Child.id.in_(chunk))))
        for child_id, held_at, basis, request_id in session.execute(
            select(
                Consultation.child_id, Consultation.held_at, Consultation.basis,
                Consultation.request_id,
            )
            .where(Consultation.child_id.in_(chunk))
            .order_by(Consultation.held_at, Consultation.id)
        ):
            if child_id is not None:
                help_given[child_id].append((held_at, basis, request_id))
        for given in session.scalars(
            select(Consent).where(Consent.child_id.in_(chunk)).order_by(Consent.given_at.desc())
        ):
            consents[given.child_id].append(given)
    for r in requests:
        child = children.get(r.child_id) if r.child_id is not None else None
        if child is None:
            continue
        received_on = r.received_at.astimezone(KZ_TZ).date()
        born = child.birth_on
        if born is not None and (born > received_on or not is_under_16(born, received_on)):
            continue
        first = _first_service_needing_consent(r, help_given[child.id])
        if first is None:
            if not r.direct_threat:
                pending += 1
            continue
        consent = consent_among(consents[child.id], first)
        if consent is None:
            note = N_("Service given {at} without a consent in force.")
        else:
            note = N_("Consent of {given} in force at the first service {at}.")
        params = {"at": local_text(first)}
        if consent is not None:
            params["given"] = local_text(consent.given_at)
        records.append(ComplianceRecord(r.id, r.journal_number, consent is not None, note, params))
    return figure_of(
        "Rule 15",
        N_("Consent recorded before services (under 16, beyond the direct-threat waiver)"),
        records,
        pending,
        "rule_15_consent",
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
        "rule_13",
    )


def minutes_report(
    session: Session, *, actor: str, date_from: date, date_to: date
) -> list[BodyMinutes]:
    """Per body, minutes from a direct-threat notification becoming owed to its sending."""
    require(load_actor(session, actor), UseCase.VIEW_COMPLIANCE)
    return notification_minutes(session, period_requests(session, date_from, date_to))


def compliance_report(
    session: Session,
    *,
    actor: str,
    date_from: date,
    date_to: date,
    now: datetime | None = None,
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES,
) -> tuple[ComplianceFigure, ...]:
    """The figures of Rules 13, 15, 16, 18 and 22 for requests received in [date_from, date_to].

    ``notify_minutes`` is the Center's measure of "immediately" (the simultaneous notice of
    Rule 15 is on time when the gap is no longer).
    """
    require(load_actor(session, actor), UseCase.VIEW_COMPLIANCE)
    return measure_compliance(
        session, date_from=date_from, date_to=date_to, now=now, notify_minutes=notify_minutes
    )


def measure_compliance(
    session: Session,
    *,
    date_from: date,
    date_to: date,
    now: datetime | None = None,
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES,
    keys: Collection[str] | None = None,
) -> tuple[ComplianceFigure, ...]:
    """The figures of ``compliance_report`` (only those named in ``keys``, when given), for a
    caller that has checked its own use case: the reports of Rules 22 and 23 carry them."""
    if date_to < date_from:
        raise ValidationError(
            N_("The period ends ({end}) before it starts ({start})."),
            start=date_from.isoformat(),
            end=date_to.isoformat(),
        )
    moment = now or utcnow()
    requests = period_requests(session, date_from, date_to)
    measures: dict[str, Callable[[], ComplianceFigure]] = {
        "rule_13": lambda: rule_13_numbering(session, date_from, date_to),
        "rule_15_consent": lambda: rule_15_consent_first(session, requests),
        "rule_15_notice": lambda: rule_15_simultaneous_notice(
            session, requests, moment, minutes=notify_minutes
        ),
        "rule_16": lambda: rule_16_on_time(requests, moment),
        "rule_16_review": lambda: rule_16_same_day_review(requests, moment),
        "rule_18": lambda: _notifications_figure(
            session,
            requests,
            moment,
            ("health", "police"),
            "Rule 18",
            N_("Direct threats: health, police and other bodies notified immediately"),
            "rule_18",
            optional=("local_executive_body", "other_authorized_body"),
        ),
        "rule_22": lambda: _notifications_figure(
            session,
            requests,
            moment,
            ("child_rights_body",),
            "Rule 22",
            N_("Direct threats: child-rights body informed immediately"),
            "rule_22",
        ),
    }
    return tuple(measure() for key, measure in measures.items() if keys is None or key in keys)
