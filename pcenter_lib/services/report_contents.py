"""The content of each report: its figures in the reader's language, laid out as a letter.

One builder per report kind (``report_registry`` dispatches to them). Each takes the period,
the language, the suppression threshold, the letterhead and the addressee, and returns a
``ReportContent`` that ``report_documents`` writes as DOCX or XLSX and the app previews.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.reporting import ReportPeriod
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.services.annual_reports import (
    ANNUAL_INTRO,
    ANNUAL_TITLE,
    PLAN_INTRO,
    PLAN_TITLE,
    annual_sections,
    plan_document,
)
from pcenter_lib.services.monthly_exchange import (
    ANNEX_HEADERS,
    ANNEX_INTRO,
    ANNEX_MARK,
    ANNEX_TITLE,
    INTRO,
    SUPPRESSED,
    TITLE,
    build_monthly_exchange,
    monthly_notes,
    monthly_sections,
    threat_annex_rows,
)
from pcenter_lib.services.ppss_monitoring import INTRO as QUARTER_INTRO
from pcenter_lib.services.ppss_monitoring import TITLE as QUARTER_TITLE
from pcenter_lib.services.ppss_monitoring import build_quarterly_monitoring, quarterly_sections
from pcenter_lib.services.report_documents import ReportContent, ReportSection, ReportTable

if TYPE_CHECKING:
    from pcenter_lib.services.report_registry import Letterhead

FIRST_HEAD_TITLE = N_("Director")


def _signer(head: Letterhead, t: Translator) -> tuple[str, str]:
    return t(FIRST_HEAD_TITLE), head.first_head


def _letter(
    head: Letterhead,
    t: Translator,
    *,
    title: str,
    period: ReportPeriod,
    addressee: tuple[str, ...],
    intro: tuple[str, ...],
    sections: tuple[ReportSection, ...],
    notes: tuple[str, ...] = (),
) -> ReportContent:
    """A report as a letter from the Center, signed by the first head."""
    position, name = _signer(head, t)
    return ReportContent(
        lang=t.lang,
        title=title,
        period_label=period.label(t.lang),
        sender=head.center,
        addressee=addressee,
        number=head.number,
        dated=head.dated.date(),
        intro=intro,
        sections=sections,
        signer_position=position,
        signer_name=name,
        author=head.author,
        notes=notes,
    )


def monthly_content(
    session: Session,
    *,
    period: str,
    lang: str,
    threshold: int,
    head: Letterhead,
    addressee: tuple[str, ...],
    now: datetime,
    notify_minutes: int,
) -> ReportContent:
    """The monthly exchange with the child-rights body (Rule 22)."""
    t = Translator(lang)
    data = build_monthly_exchange(
        session,
        month=period,
        lang=lang,
        threshold=threshold,
        now=now,
        notify_minutes=notify_minutes,
    )
    return _letter(
        head,
        t,
        title=t(TITLE),
        period=data.period,
        addressee=addressee,
        intro=(t(INTRO, period=data.period.label(lang)),),
        sections=monthly_sections(data, lang),
        notes=monthly_notes(data, lang),
    )


def threat_annex_content(
    session: Session,
    *,
    period: str,
    lang: str,
    threshold: int,
    head: Letterhead,
    addressee: tuple[str, ...],
    now: datetime,
    notify_minutes: int,
) -> ReportContent:
    """The restricted annex: the month's direct-threat requests and every notice, case by case."""
    del threshold, now, notify_minutes  # case-level by design: nothing is suppressed here
    t = Translator(lang)
    month, rows = threat_annex_rows(session, month=period, lang=lang)
    table = ReportTable(t(ANNEX_TITLE), tuple(t(h) for h in ANNEX_HEADERS), rows)
    return _letter(
        head,
        t,
        title=t(ANNEX_TITLE),
        period=month,
        addressee=addressee,
        intro=(t(ANNEX_MARK), t(ANNEX_INTRO, period=month.label(lang))),
        sections=(ReportSection(t(ANNEX_TITLE), (), (table,)),),
    )


def quarterly_content(
    session: Session,
    *,
    period: str,
    lang: str,
    threshold: int,
    head: Letterhead,
    addressee: tuple[str, ...],
    now: datetime,
    notify_minutes: int,
) -> ReportContent:
    """The quarterly monitoring of the PPSS with the written recommendations (Rules 20–21)."""
    del now, notify_minutes
    t = Translator(lang)
    data = build_quarterly_monitoring(session, quarter=period, lang=lang, threshold=threshold)
    return _letter(
        head,
        t,
        title=t(QUARTER_TITLE),
        period=data.period,
        addressee=addressee,
        intro=(t(QUARTER_INTRO, period=data.period.label(lang)),),
        sections=quarterly_sections(data, lang),
        notes=(t(SUPPRESSED, last=threshold - 1),),
    )


def work_plan_content(
    session: Session,
    *,
    period: str,
    lang: str,
    threshold: int,
    head: Letterhead,
    addressee: tuple[str, ...],
    now: datetime,
    notify_minutes: int,
) -> ReportContent:
    """The annual work plan under the first head's approval (Rule 23)."""
    del threshold, addressee, notify_minutes  # the approval block stands where an addressee would
    t = Translator(lang)
    today = now.astimezone(KZ_TZ).date()
    year, approval, sections = plan_document(session, school_year=period, lang=lang, today=today)
    position, name = _signer(head, t)
    return _letter(
        head,
        t,
        title=t(PLAN_TITLE),
        period=year,
        addressee=(approval[0], f"{position} {name}", *approval[1:]),
        intro=(t(PLAN_INTRO),),
        sections=sections,
    )


def annual_content(
    session: Session,
    *,
    period: str,
    lang: str,
    threshold: int,
    head: Letterhead,
    addressee: tuple[str, ...],
    now: datetime,
    notify_minutes: int,
) -> ReportContent:
    """The analytical report to the executive body in education (Rule 23)."""
    t = Translator(lang)
    today = now.astimezone(KZ_TZ).date()
    year, sections = annual_sections(
        session, school_year=period, lang=lang, threshold=threshold, now=now,
        notify_minutes=notify_minutes, today=today,
    )  # fmt: skip
    return _letter(
        head,
        t,
        title=t(ANNUAL_TITLE),
        period=year,
        addressee=addressee,
        intro=(t(ANNUAL_INTRO, period=year.label(lang)),),
        sections=sections,
        notes=(t(SUPPRESSED, last=threshold - 1),),
    )
