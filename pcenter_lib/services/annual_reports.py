"""The annual work plan and the analytical report (Rule 23), as documents.

Rule 23: "Once a year, before the school year begins, Centers draw up an annual work plan,
approved by the first head. An analytical report is submitted to the executive body for
education financed from the local budget." The plan's document lists its events by direction of
activity (Rule 10) with month, responsible person, expected result and status, under the first
head's approval. The analytical report gives account of the school year: the requests counted
the monthly report's ways over the year, every compliance figure of the compliance view, the
staff against the norm of Rule 24, diagnostics, supervision and intervision, the plan's execution
and the written recommendations.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from pcenter_lib.domain.codes import WorkDirection, WorkEventStatus
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.reporting import ReportKind, ReportPeriod, report_period
from pcenter_lib.domain.staffing import CATEGORY_LABELS, StaffCategory, check_staffing_norm
from pcenter_lib.domain.work_plan import DIRECTION_LABELS, STATUS_LABELS, plan_progress, plan_timing
from pcenter_lib.formats import format_day, format_share
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import (
    IntervisionSession,
    PpssStudy,
    Recommendation,
    ScreeningRound,
    StaffMember,
    SupervisionSession,
    WorkPlan,
)
from pcenter_lib.services.monthly_exchange import (
    CHARTED,
    DIMENSION_TITLES,
    RULE,
    breakdown_rows,
    build_request_figures,
)
from pcenter_lib.services.report_documents import ReportSection, ReportTable
from pcenter_lib.services.report_queries import period_bounds
from pcenter_lib.services.report_suppression import protect_count

PLAN_TITLE: Final = N_("Annual work plan of the Center")
PLAN_INTRO: Final = N_(
    "Drawn up under Rule 23 of the Rules for the activity of Psychological Support Centers (order "
    "No. 264 of 24 November 2025) before the school year begins, by the directions of activity of "
    "Rule 10."
)
APPROVED: Final = N_("APPROVED")
APPROVED_ON: Final = N_("Approved on {day}")
NOT_APPROVED: Final = N_("Not approved yet")
LATE: Final = N_("The plan was not approved before the school year began ({day}).")
EVENT_HEADERS: Final = (
    N_("Event"),
    N_("Month"),
    N_("Responsible"),
    N_("Expected result"),
    N_("Status"),
)
PROGRESS: Final = N_(
    "Of {due} events whose month has come, {done} are done ({share}); {moved} moved, "
    "{dropped} dropped; {total} events in the plan."
)
NO_PLAN: Final = N_("No work plan is recorded for this school year.")


def _month_label(month: str, lang: str) -> str:
    from babel.dates import format_date

    year, number = int(month[:4]), int(month[5:7])
    return str(format_date(date(year, number, 1), "LLLL y", locale=lang))


def plan_document(
    session: Session, *, school_year: str, lang: str, today: date
) -> tuple[ReportPeriod, tuple[str, ...], tuple[ReportSection, ...]]:
    """(period, approval lines, sections) of the plan's document; the caller checked the use case."""
    t = Translator(lang)
    period = report_period(ReportKind.WORK_PLAN, school_year)
    plan = session.scalar(select(WorkPlan).where(WorkPlan.school_year == period.code))
    if plan is None:
        return period, (t(NOT_APPROVED),), (ReportSection(t(PLAN_TITLE), (t(NO_PLAN),)),)
    events = sorted(plan.events, key=lambda e: (e.month, e.id))
    approved = plan.approved_at.astimezone(KZ_TZ).date() if plan.approved_at else None
    approval = (
        (t(APPROVED), t(APPROVED_ON, day=format_day(approved, lang)))
        if approved
        else (t(NOT_APPROVED),)
    )
    timing = plan_timing(period.code, approved, today)
    progress = plan_progress(((e.month, WorkEventStatus(e.status)) for e in events), today)
    notes = [
        t(
            PROGRESS,
            due=progress.due,
            done=progress.done,
            share=format_share(progress.share_done, lang),
            moved=progress.moved,
            dropped=progress.dropped,
            total=progress.total,
        )
    ]
    if timing.late:
        notes.insert(0, t(LATE, day=format_day(timing.starts_on, lang)))
    sections = [ReportSection(t(N_("Execution of the plan")), tuple(notes))]
    for direction in WorkDirection:
        rows = tuple(
            (
                e.title,
                _month_label(e.month, lang),
                e.responsible,
                e.expected_result,
                t(STATUS_LABELS[WorkEventStatus(e.status)]),
            )
            for e in events
            if e.direction == direction
        )
        if rows:
            sections.append(
                ReportSection(
                    t(DIRECTION_LABELS[direction]),
                    (),
                    (
                        ReportTable(
                            t(DIRECTION_LABELS[direction]), tuple(t(h) for h in EVENT_HEADERS), rows
                        ),
                    ),
                )
            )
    return period, approval, tuple(sections)


# --- the analytical report ---------------------------------------------------------------------

ANNUAL_TITLE: Final = N_("Analytical report on the activity of the Center")
ANNUAL_INTRO: Final = N_(
    "Under Rule 23 of the Rules for the activity of Psychological Support Centers (order No. 264 "
    "of 24 November 2025), the Center submits the analytical report for the {period}."
)
COMPLIANCE_HEADERS: Final = (
    N_("Rule"),
    N_("Figure"),
    N_("Complying"),
    N_("Counted"),
    N_("Pending"),
    N_("Share"),
)
STAFF_HEADERS: Final = (N_("Category of personnel"), N_("Staff units"), N_("Norm of Rule 24"))
NORMS: Final = {
    StaffCategory.ADMINISTRATIVE: N_("at least 10"),
    StaffCategory.CORE: N_("at least 30"),
    StaffCategory.AUXILIARY: N_("at most 15"),
}
ACTIVITY_HEADERS: Final = (N_("Activity"), N_("Count"))


def _count(
    session: Session, column: InstrumentedAttribute[datetime], start: datetime, end: datetime
) -> int:
    return int(session.scalar(select(func.count()).where(column >= start, column < end)) or 0)


def annual_sections(
    session: Session,
    *,
    school_year: str,
    lang: str,
    threshold: int,
    now: datetime,
    notify_minutes: int,
    today: date,
) -> tuple[ReportPeriod, tuple[ReportSection, ...]]:
    t = Translator(lang)
    period = report_period(ReportKind.ANNUAL_REPORT, school_year)
    figures = build_request_figures(
        session,
        period=period,
        lang=lang,
        threshold=threshold,
        now=now,
        notify_minutes=notify_minutes,
        keys=(
            "rule_13",
            "rule_15_consent",
            "rule_15_notice",
            "rule_16",
            "rule_16_review",
            "rule_18",
            "rule_22",
        ),
    )
    start, end = period_bounds(period.start, period.end)
    requests = ReportTable(
        t(N_("Requests of the year")),
        (t(N_("Figure")), t(N_("Value"))),
        (
            (t(N_("Requests received")), figures.requests),
            (t(N_("of them with a direct threat to life or health")), figures.direct_threats),
        ),
    )
    breakdowns = tuple(
        ReportTable(
            t(DIMENSION_TITLES[d]),
            (t(N_("Category")), t(N_("Requests"))),
            breakdown_rows(figures.breakdowns[d], figures.labels[d], t),
            chart=d in CHARTED,
            total_row=True,
        )
        for d in ("concern", "source", "age_band", "district")
    )
    compliance = ReportTable(
        t(N_("Compliance per rule (the compliance view's figures)")),
        tuple(t(h) for h in COMPLIANCE_HEADERS),
        tuple(
            (
                t(RULE, number=f.rule.removeprefix("Rule ")),
                t(f.title),
                protect_count(f.complying, threshold),
                protect_count(f.counted, threshold),
                protect_count(f.pending, threshold),
                format_share(f.share, lang),
            )
            for f in figures.figures
        ),
    )
    units: dict[StaffCategory, float] = dict.fromkeys(StaffCategory, 0.0)
    for category, fte in session.execute(
        select(StaffMember.category, StaffMember.fte).where(StaffMember.active.is_(True))
    ):
        units[StaffCategory(category)] += float(fte)
    check = check_staffing_norm(
        administrative=units[StaffCategory.ADMINISTRATIVE],
        core=units[StaffCategory.CORE],
        auxiliary=units[StaffCategory.AUXILIARY],
    )
    staffing = ReportTable(
        t(N_("Staff against the minimum staffing norm (Rule 24)")),
        tuple(t(h) for h in STAFF_HEADERS),
        (
            *((t(CATEGORY_LABELS[c]), check.units[c], t(NORMS[c])) for c in StaffCategory),
            (t(N_("Total")), check.total, t(N_("at least 55"))),
        ),
    )
    staff_notes = check.messages(lang) or (t(N_("The staff meets the minimum staffing norm.")),)
    quarters = _quarters(period)
    rounds = session.execute(
        select(func.count(), func.coalesce(func.sum(ScreeningRound.result_count), 0)).where(
            ScreeningRound.period.in_(quarters)
        )
    ).one()
    activity = ReportTable(
        t(N_("Diagnostics, studies, supervision and intervision")),
        tuple(t(h) for h in ACTIVITY_HEADERS),
        (
            (t(N_("Screening rounds imported")), int(rounds[0])),
            (t(N_("Screening respondents")), int(rounds[1])),
            (
                t(N_("Studies of school services (Rule 21)")),
                int(
                    session.scalar(select(func.count()).where(PpssStudy.quarter.in_(quarters))) or 0
                ),
            ),
            (
                t(N_("Supervision sessions (Rule 11.4)")),
                _count(session, SupervisionSession.held_at, start, end),
            ),
            (
                t(N_("Intervision sessions (Rule 11.3)")),
                _count(session, IntervisionSession.held_at, start, end),
            ),
        ),
    )
    plan = session.scalar(select(WorkPlan).where(WorkPlan.school_year == period.code))
    plan_rows: list[tuple[object, ...]] = []
    if plan is not None:
        for direction in WorkDirection:
            events = [e for e in plan.events if e.direction == direction]
            progress = plan_progress(((e.month, WorkEventStatus(e.status)) for e in events), today)
            if events:
                plan_rows.append(
                    (
                        t(DIRECTION_LABELS[direction]),
                        progress.total,
                        progress.due,
                        progress.done,
                        format_share(progress.share_done, lang),
                    )
                )
    plan_table = ReportTable(
        t(N_("Execution of the annual work plan")),
        (t(N_("Direction")), t(N_("Events")), t(N_("Due")), t(N_("Done")), t(N_("Share done"))),
        tuple(plan_rows),
    )
    written = session.scalars(
        select(Recommendation).where(Recommendation.quarter.in_(quarters))
    ).all()
    recommendations = ReportTable(
        t(N_("Written recommendations (Rule 20)")),
        tuple(t(h) for h in ACTIVITY_HEADERS),
        (
            (t(N_("Recommendations written")), len(written)),
            (t(N_("sent to their addressees")), sum(1 for r in written if r.sent_at)),
            (t(N_("measures taken recorded")), sum(1 for r in written if r.measures_taken)),
        ),
    )
    sections = (
        ReportSection(t(N_("Requests (Rules 12–19)")), (), (requests, *breakdowns)),
        ReportSection(t(N_("Compliance with the rules")), (), (compliance,)),
        ReportSection(t(N_("Staffing (Rule 24)")), staff_notes, (staffing,)),
        ReportSection(t(N_("Methodical work")), (), (activity, recommendations)),
        ReportSection(t(N_("The annual work plan (Rule 23)")), (), (plan_table,)),
    )
    return period, sections


def _quarters(period: ReportPeriod) -> list[str]:
    first = period.start.year
    return [f"{first}Q3", f"{first}Q4", f"{first + 1}Q1", f"{first + 1}Q2"]
