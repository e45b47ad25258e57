"""The monthly exchange with the child-rights body (Rule 22), and its restricted annex.

Rule 22: "Centers interact and exchange information with the child-rights body monthly.
Information on requests about a direct threat to a minor's life or health is sent immediately."
The monthly report therefore holds the month's requests counted seven ways (concern, source,
channel, age band, sex, district, outcome), small counts hidden (``report_suppression``); the
compliance figures of Rules 16, 18 and 22 for the month — the very figures of the compliance
view (``compliance.measure_compliance``); and how fast each body was told of a direct threat,
in minutes (``compliance_timing.notification_minutes``).

Case by case, the direct-threat requests went out immediately already; the month's list of
those sendings — per request each notice with the minutes from registration, sent on, to, by —
is the *restricted annex*, a document of its own that only the management may export
(``UseCase.EXPORT_THREAT_ANNEX``), audited like every report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.concerns import CONCERNS
from pcenter_lib.domain.consent import NOTIFICATION_RULES
from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES
from pcenter_lib.domain.intake_rules import (
    CHANNELS,
    NOTIFICATION_CHANNELS,
    REQUEST_STATUSES,
    SOURCES,
)
from pcenter_lib.domain.reporting import (
    AGE_BANDS,
    DEFAULT_THRESHOLD,
    UNKNOWN,
    UNKNOWN_LABEL,
    ReportKind,
    ReportPeriod,
    check_threshold,
    report_period,
)
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import District, Notification, User
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.compliance import measure_compliance
from pcenter_lib.services.compliance_figures import ComplianceFigure
from pcenter_lib.services.compliance_timing import (
    MINUTES_HEADERS,
    BodyMinutes,
    notification_minutes,
)
from pcenter_lib.services.report_documents import ReportSection, ReportTable
from pcenter_lib.services.report_queries import count_by, period_requests, request_facts
from pcenter_lib.services.report_suppression import Breakdown, protect_breakdowns, protect_count

SEX_LABELS: Final = (("female", N_("Girls")), ("male", N_("Boys")))
DIMENSION_TITLES: Final = {
    "concern": N_("Requests by concern (Rule 19)"),
    "source": N_("Requests by source (Rule 12)"),
    "channel": N_("Requests by channel (Rule 12)"),
    "age_band": N_("Requests by the child's age"),
    "sex": N_("Requests by the child's sex"),
    "district": N_("Requests by district"),
    "outcome": N_("Requests by outcome"),
}
SHARED_TOTAL: Final = ("source", "channel", "age_band", "sex", "district", "outcome")
FIGURE_KEYS: Final = ("rule_16", "rule_18", "rule_22")


@dataclass(frozen=True)
class MonthlyExchange:
    """The month's figures as they may leave the Center (small counts already hidden)."""

    period: ReportPeriod
    threshold: int
    requests: int | str
    direct_threats: int | str
    breakdowns: dict[str, Breakdown]
    labels: dict[str, dict[str, str]]  # dimension → code → msgid (districts: their names)
    figures: tuple[ComplianceFigure, ...]
    minutes: tuple[BodyMinutes, ...]
    sent_immediately: int | str  # notices sent to the child-rights body about the month's requests


def _classification(session: Session, lang: str) -> dict[str, list[tuple[str, str]]]:
    districts = session.execute(
        select(District.code, getattr(District, f"name_{lang}")).order_by(District.code)
    ).all()
    return {
        "concern": [(c.code, c.label) for c in CONCERNS],
        "source": [(s.code, s.label) for s in SOURCES],
        "channel": [(c.code, c.label) for c in CHANNELS],
        "age_band": [(b.code, b.label) for b in AGE_BANDS],
        "sex": list(SEX_LABELS),
        "district": [(code, name) for code, name in districts],
        "outcome": list(REQUEST_STATUSES),
    }


def build_monthly_exchange(
    session: Session,
    *,
    month: str,
    lang: str = "ru",
    threshold: int = DEFAULT_THRESHOLD,
    now: datetime | None = None,
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES,
) -> MonthlyExchange:
    """The month's figures; the caller has checked ``UseCase.WRITE_REPORTS``."""
    return build_request_figures(
        session,
        period=report_period(ReportKind.MONTHLY_EXCHANGE, month),
        lang=lang,
        threshold=threshold,
        now=now,
        notify_minutes=notify_minutes,
    )


def build_request_figures(
    session: Session,
    *,
    period: ReportPeriod,
    lang: str,
    threshold: int,
    now: datetime | None,
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES,
    keys: tuple[str, ...] = FIGURE_KEYS,
) -> MonthlyExchange:
    """The requests of any period counted the report's ways (the annual report's year too)."""
    check_threshold(threshold)
    requests = period_requests(session, period.start, period.end)
    facts = request_facts(session, requests)
    classes = _classification(session, lang)
    tables, labels = {}, {}
    for dimension, known in classes.items():
        counts = count_by(facts, dimension)
        rows = [(code, counts.get(code, 0)) for code, _label in known]
        named = dict(known)
        if counts.get(UNKNOWN, 0) or dimension in ("age_band", "sex", "district"):
            rows.append((UNKNOWN, counts.get(UNKNOWN, 0)))
            named[UNKNOWN] = UNKNOWN_LABEL
        tables[dimension], labels[dimension] = rows, named
    breakdowns = protect_breakdowns(tables, threshold=threshold, shared=SHARED_TOTAL)
    total_hidden = breakdowns["source"].total_hidden
    figures = measure_compliance(
        session,
        date_from=period.start,
        date_to=period.end,
        now=now or utcnow(),
        notify_minutes=notify_minutes,
        keys=keys,
    )
    threats = [r for r in requests if r.direct_threat]
    sent = 0
    if threats:
        sent = len(
            session.scalars(
                select(Notification.id).where(
                    Notification.request_id.in_([r.id for r in threats]),
                    Notification.recipient == "child_rights_body",
                    Notification.sent_at.is_not(None),
                )
            ).all()
        )
    return MonthlyExchange(
        period=period,
        threshold=threshold,
        requests="x" if total_hidden else len(requests),
        direct_threats=protect_count(len(threats), threshold),
        breakdowns=breakdowns,
        labels=labels,
        figures=figures,
        minutes=tuple(notification_minutes(session, requests)),
        sent_immediately=protect_count(sent, threshold),
    )


# --- the document's words --------------------------------------------------------------------

TITLE: Final = N_("Information on the requests received by the Center")
INTRO: Final = N_(
    "Under Rule 22 of the Rules for the activity of Psychological Support Centers (order of the "
    "Minister of Enlightenment No. 264 of 24 November 2025), the Center sends the information on "
    "the requests received in {period}."
)
IMMEDIATE: Final = N_(
    "Information on each request about a direct threat to a minor's life or health was sent "
    "to the child-rights body immediately (Rule 22): {count} notices about this month's requests. "
    "The list of those sendings is in the restricted annex."
)
SUPPRESSED: Final = N_(
    "“x” — hidden: a count of 1 to {last} children, or a count that would let one be "
    "recomputed from the totals (Rule 14)."
)
SUMMARY: Final = N_("Summary")
FIGURE: Final = N_("Figure")
VALUE: Final = N_("Value")
COUNT: Final = N_("Requests")
TOTAL: Final = N_("Total")
CATEGORY: Final = N_("Category")
MINUTES_TITLE: Final = N_("Direct threats: minutes from owing a notification to sending it")
COMPLIANCE_TITLE: Final = N_("Compliance with the terms (the compliance view's figures)")
COMPLIANCE_HEADERS: Final = (
    N_("Rule"),
    N_("Figure"),
    N_("Complying"),
    N_("Counted"),
    N_("Pending"),
)
RULE: Final = N_("Rule {number}")
REQUESTS_ROW: Final = N_("Requests received")
THREATS_ROW: Final = N_("of them with a direct threat to life or health")
CHARTED: Final = frozenset({"concern", "age_band", "district"})


def _minutes(value: float | None) -> object:
    return None if value is None else round(value)


def breakdown_rows(
    breakdown: Breakdown, labels: dict[str, str], t: Translator
) -> tuple[tuple[object, ...], ...]:
    """The rows of a breakdown as published: label and count (``x`` when hidden), then the total."""
    rows: list[tuple[object, ...]] = [
        (t(labels[code]), shown)
        for code, shown in zip(breakdown.codes, breakdown.shown(), strict=True)
    ]
    rows.append((t(TOTAL), breakdown.shown_total()))
    return tuple(rows)


def monthly_sections(data: MonthlyExchange, lang: str) -> tuple[ReportSection, ...]:
    """The report's sections in ``lang``: the same the app previews and the documents carry."""
    t = Translator(lang)
    summary = ReportTable(
        t(SUMMARY),
        (t(FIGURE), t(VALUE)),
        ((t(REQUESTS_ROW), data.requests), (t(THREATS_ROW), data.direct_threats)),
    )
    compliance = ReportTable(
        t(COMPLIANCE_TITLE),
        tuple(t(h) for h in COMPLIANCE_HEADERS),
        tuple(
            (
                t(RULE, number=f.rule.removeprefix("Rule ")),
                t(f.title),
                protect_count(f.complying, data.threshold),
                protect_count(f.counted, data.threshold),
                protect_count(f.pending, data.threshold),
            )
            for f in data.figures
        ),
    )
    tables = tuple(
        ReportTable(
            t(DIMENSION_TITLES[dimension]),
            (t(CATEGORY), t(COUNT)),
            breakdown_rows(data.breakdowns[dimension], data.labels[dimension], t),
            chart=dimension in CHARTED,
            total_row=True,
        )
        for dimension in DIMENSION_TITLES
    )
    minutes = ReportTable(
        t(MINUTES_TITLE),
        tuple(t(h) for h in MINUTES_HEADERS),
        tuple(
            (
                t(NOTIFICATION_RULES[m.recipient].label)
                if m.recipient in NOTIFICATION_RULES
                else m.recipient,
                protect_count(m.sent, data.threshold),
                protect_count(m.late, data.threshold),
                protect_count(m.unsent, data.threshold),
                _minutes(m.median),
                _minutes(m.p90),
                _minutes(m.worst),
            )
            for m in data.minutes
        ),
    )
    return (
        ReportSection(t(N_("The month in figures")), (), (summary, compliance)),
        ReportSection(t(N_("Requests of the month")), (), tables),
        ReportSection(
            t(N_("Requests about a direct threat (Rules 18, 22)")),
            (t(IMMEDIATE, count=data.sent_immediately),),
            (minutes,),
        ),
    )


def monthly_notes(data: MonthlyExchange, lang: str) -> tuple[str, ...]:
    t = Translator(lang)
    return (t(SUPPRESSED, last=data.threshold - 1),)


def _full_names(session: Session, usernames: set[str]) -> dict[str, str]:
    if not usernames:
        return {}
    rows = session.execute(
        select(User.username, User.full_name).where(User.username.in_(usernames))
    )
    return {username: name or username for username, name in rows}


# --- the restricted annex ---------------------------------------------------------------------

ANNEX_TITLE: Final = N_("Restricted annex: requests about a direct threat and their notifications")
ANNEX_MARK: Final = N_("For official use only. Not to be passed on.")
ANNEX_INTRO: Final = N_(
    "Each request of {period} about a direct threat to a minor's life or health and each notice "
    "sent about it (Rules 15, 18, 22): sent on, to whom, by whom, and the minutes from the "
    "request's registration. No child is named."
)
ANNEX_HEADERS: Final = (
    N_("Journal number"),
    N_("Registered at"),
    N_("Body"),
    N_("Due at"),
    N_("Sent at"),
    N_("Minutes from registration"),
    N_("Sent by"),
    N_("Channel"),
    N_("Recipient"),
)
NOT_SENT: Final = N_("not sent")


def threat_annex_rows(
    session: Session, *, month: str, lang: str
) -> tuple[ReportPeriod, tuple[tuple[object, ...], ...]]:
    """Per direct-threat request of the month, one row per notice; the caller checked the
    permission ``UseCase.EXPORT_THREAT_ANNEX``."""
    t = Translator(lang)
    period = report_period(ReportKind.THREAT_ANNEX, month)
    threats = [r for r in period_requests(session, period.start, period.end) if r.direct_threat]
    notices: dict[int, list[Notification]] = {r.id: [] for r in threats}
    if threats:
        for n in session.scalars(
            select(Notification)
            .where(Notification.request_id.in_(list(notices)))
            .order_by(Notification.request_id, Notification.id)
        ):
            notices[n.request_id].append(n)
    names = _full_names(
        session, {n.sent_by for rows in notices.values() for n in rows if n.sent_by}
    )
    channels = dict(NOTIFICATION_CHANNELS)
    rows: list[tuple[object, ...]] = []
    for r in threats:
        for n in notices[r.id]:
            rule = NOTIFICATION_RULES.get(n.recipient)
            body = n.body_name or (t(rule.label) if rule is not None else n.recipient)
            minutes = (
                None
                if n.sent_at is None
                else max(0, round((n.sent_at - r.registered_at).total_seconds() / 60))
            )
            rows.append(
                (
                    r.journal_number,
                    format_moment(r.registered_at, lang),
                    body,
                    format_moment(n.due_at, lang),
                    t(NOT_SENT) if n.sent_at is None else format_moment(n.sent_at, lang),
                    minutes,
                    names.get(n.sent_by, n.sent_by) if n.sent_by else None,
                    t(channels[n.channel]) if n.channel in channels else n.channel,
                    n.recipient_detail,
                )
            )
    return period, tuple(rows)
