"""Producing a report of Rules 20–23: built, written as DOCX or XLSX, registered and audited.

``produce_report`` checks the use case (the restricted annex of direct-threat requests is a
permission of its own, ``UseCase.EXPORT_THREAT_ANNEX``), builds the report's content, takes an
outgoing number, writes the file, and registers it as a ``Report`` with the SHA-256 of the exact
bytes, its period, language, author and addressee; the audit trail records the same. Its sending
is recorded later on the same row (``report_dispatch.record_report_sent``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.documents import MEDIA_TYPES, ExportedFile
from pcenter_lib.domain.access import Actor, UseCase, require
from pcenter_lib.domain.deadlines import DEFAULT_NOTIFY_MINUTES, KZ_TZ
from pcenter_lib.domain.reporting import (
    DEFAULT_THRESHOLD,
    KIND_LABELS,
    ReportKind,
    check_format,
    check_kind,
    check_report_language,
    check_threshold,
)
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import Center, Region, Report, StaffMember, User
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.report_documents import ReportContent, render_docx, render_xlsx
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor

ADDRESSEES: Final = {
    ReportKind.MONTHLY_EXCHANGE: N_(
        "Department of the authorized body in the sphere of protection of children's rights"
    ),
    ReportKind.THREAT_ANNEX: N_(
        "Department of the authorized body in the sphere of protection of children's rights"
    ),
    ReportKind.PPSS_QUARTERLY: N_("Education management bodies and education organizations"),
    ReportKind.WORK_PLAN: N_("Approved by the first head"),
    ReportKind.ANNUAL_REPORT: N_("Executive body in education financed from the local budget"),
}
FIRST_HEAD_POSITION: Final = "director"
ANNEX_KINDS: Final = frozenset({ReportKind.THREAT_ANNEX})


@dataclass(frozen=True, slots=True)
class Letterhead:
    """Who sends the report and who signs it."""

    center: str
    region: str
    first_head: str
    author: str
    number: str
    dated: datetime


def use_case_of(kind: ReportKind) -> UseCase:
    """The use case that produces (and records the sending of) a report of ``kind``."""
    return UseCase.EXPORT_THREAT_ANNEX if kind in ANNEX_KINDS else UseCase.WRITE_REPORTS


def default_addressee(session: Session, kind: ReportKind | str, lang: str) -> str:
    """The usual addressee of a report of ``kind`` in the region, as lines of one text."""
    t = Translator(lang)
    region = session.scalar(select(Region).order_by(Region.id))
    place = "" if region is None else getattr(region, f"name_{lang}")
    return "\n".join(line for line in (t(ADDRESSEES[check_kind(kind)]), place) if line)


def _letterhead(
    session: Session, who: Actor, lang: str, number: str, moment: datetime
) -> Letterhead:
    center = session.scalar(select(Center).order_by(Center.id))
    region = session.get(Region, center.region_id) if center is not None else None
    head = session.scalar(
        select(StaffMember.full_name)
        .where(StaffMember.position == FIRST_HEAD_POSITION, StaffMember.active.is_(True))
        .order_by(StaffMember.id)
    )
    author = session.scalar(select(User.full_name).where(User.username == who.username))
    return Letterhead(
        center="" if center is None else getattr(center, f"name_{lang}"),
        region="" if region is None else getattr(region, f"name_{lang}"),
        first_head=head or "",
        author=author or who.username,
        number=number,
        dated=moment,
    )


# kind → builder of the content: (session, period, lang, threshold, letterhead, addressee, now)
Builder = Callable[..., ReportContent]


def _builders() -> dict[ReportKind, Builder]:
    from pcenter_lib.services.report_contents import (
        annual_content,
        monthly_content,
        quarterly_content,
        threat_annex_content,
        work_plan_content,
    )

    return {
        ReportKind.MONTHLY_EXCHANGE: monthly_content,
        ReportKind.THREAT_ANNEX: threat_annex_content,
        ReportKind.PPSS_QUARTERLY: quarterly_content,
        ReportKind.WORK_PLAN: work_plan_content,
        ReportKind.ANNUAL_REPORT: annual_content,
    }


def build_content(
    session: Session,
    *,
    actor: str,
    kind: str,
    period: str,
    lang: str,
    threshold: int = DEFAULT_THRESHOLD,
    addressee: str | None = None,
    number: str = "—",
    now: datetime | None = None,
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES,
) -> ReportContent:
    """The report's content (the app's preview and the documents' source), without writing it."""
    report_kind = check_kind(kind)
    who = require(load_actor(session, actor), use_case_of(report_kind))
    check_report_language(lang)
    check_threshold(threshold)
    moment = now or utcnow()
    head = _letterhead(session, who, lang, number, moment)
    to = addressee if addressee is not None else default_addressee(session, report_kind, lang)
    return _builders()[report_kind](
        session,
        period=period,
        lang=lang,
        threshold=threshold,
        head=head,
        addressee=tuple(line for line in to.splitlines() if line.strip()),
        now=moment,
        notify_minutes=notify_minutes,
    )


def produce_report(
    session: Session,
    *,
    actor: str,
    kind: str,
    period: str,
    lang: str,
    fmt: str,
    threshold: int = DEFAULT_THRESHOLD,
    addressee: str | None = None,
    now: datetime | None = None,
    notify_minutes: int = DEFAULT_NOTIFY_MINUTES,
) -> ExportedFile:
    """Write the report as ``fmt``, register it with its hash and outgoing number, audit it."""
    report_kind = check_kind(kind)
    who = require(load_actor(session, actor), use_case_of(report_kind))
    check_format(fmt)
    check_report_language(lang)
    moment = now or utcnow()
    to = addressee if addressee is not None else default_addressee(session, report_kind, lang)
    to = check_text("addressee", to, required=True) or ""
    report = Report(
        kind=report_kind.value,
        period=period[:20],
        lang=lang,
        filename="",
        sha256="",
        content=None,
        created_at=moment,
        created_by=who.username,
        addressee=to,
        restricted=report_kind in ANNEX_KINDS,
    )
    session.add(report)
    session.flush()
    number = f"{moment.astimezone(KZ_TZ).year}/{report.id:04d}"
    content = build_content(
        session,
        actor=actor,
        kind=report_kind,
        period=period,
        lang=lang,
        threshold=threshold,
        addressee=to,
        number=number,
        now=moment,
        notify_minutes=notify_minutes,
    )
    data = render_docx(content) if fmt == "docx" else render_xlsx(content)
    digest = hashlib.sha256(data).hexdigest()
    report.outgoing_number = number
    report.filename = f"{report_kind.value}_{period}_{lang}_{report.id}.{fmt}"
    report.sha256, report.content = digest, data
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="export",
        entity="report",
        entity_id=report.id,
        details={
            "kind": report_kind.value,
            "period": period,
            "lang": lang,
            "format": fmt,
            "threshold": threshold,
            "number": number,
            "restricted": report.restricted,
            "sha256": digest,
        },
    )
    return ExportedFile(report.filename, data, MEDIA_TYPES[fmt], digest, report.id)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A registered report as the register lists it."""

    report_id: int
    kind: str
    title: str  # msgid
    period: str
    lang: str
    filename: str
    number: str
    sha256: str
    created_at: datetime
    created_by: str
    addressee: str
    restricted: bool
    sent_to: str | None
    sent_at: datetime | None
    sent_by: str | None


def list_reports(session: Session, *, actor: str, limit: int = 200) -> list[ReportRow]:
    """The reports of Rules 20–23 produced, newest first; the annex only for the management."""
    who = require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    kinds = [k.value for k in ReportKind]
    statement = select(Report).where(Report.kind.in_(kinds))
    if not _may(who, UseCase.EXPORT_THREAT_ANNEX):
        statement = statement.where(Report.restricted.is_(False))
    rows = session.scalars(statement.order_by(Report.id.desc()).limit(limit))
    return [
        ReportRow(
            r.id,
            r.kind,
            KIND_LABELS[ReportKind(r.kind)],
            r.period,
            r.lang,
            r.filename,
            r.outgoing_number or "",
            r.sha256,
            r.created_at,
            r.created_by,
            r.addressee or "",
            r.restricted,
            r.sent_to,
            r.sent_at,
            r.sent_by,
        )
        for r in rows
    ]


def _may(actor: Actor, use_case: UseCase) -> bool:
    from pcenter_lib.domain.access import may

    return not actor.system and may(actor.roles, use_case)
