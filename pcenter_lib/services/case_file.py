"""A child's case file: the whole history in one list, newest first, filterable by kind.

Requests with their concerns and terms (Rules 13, 16, 19), consents and refusals (Rule 15),
notifications (Rules 15, 18, 22), mobile-group visits (Rule 17), support plans and their items,
consultations, screening results with their bands and trend (Rule 20), supervision decisions and
tasks (Rule 11.4), and the risk level and supervisors' overrides. Every query reads one child by
an indexed column, so the file opens as fast in a region of 150,000 children as in a test
(``tests/benchmarks/bench_case_file.py``).

Rule 14: the child's name, IIN and contacts appear only to the roles allowed to see identity
(``UseCase.SEE_IDENTITY``), and reading them is audited as an identity view; every role reads
the pseudonymous child code, and every opening of a case file is audited.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.instruments import UnknownInstrumentError, get_instrument
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.concerns import CONCERNS_BY_CODE
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import STATUS_LABELS
from pcenter_lib.domain.priority import LEVEL_LABELS
from pcenter_lib.errors import NotFoundError, ValidationError
from pcenter_lib.formats import format_day, format_moment
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models import (
    Case,
    Child,
    Consent,
    Consultation,
    MobileGroup,
    Notification,
    PriorityOverride,
    Request,
    RiskAssessment,
    ScreeningResult,
    ScreeningRound,
    SupervisionCase,
    SupervisionSession,
    SupervisionTask,
    SupportPlan,
    Visit,
)
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event, record_identity_view
from pcenter_lib.services.children import load_child
from pcenter_lib.services.users import load_actor

# kind code → label (msgid), in the order the filter offers them
KINDS: Final[tuple[tuple[str, str], ...]] = (
    ("request", N_("Requests")),
    ("consent", N_("Consents and refusals")),
    ("notification", N_("Notifications")),
    ("visit", N_("Mobile-group visits")),
    ("plan", N_("Support plans")),
    ("consultation", N_("Consultations")),
    ("screening", N_("Screening results")),
    ("supervision", N_("Supervision decisions and tasks")),
    ("risk", N_("Risk level and overrides")),
)
KIND_CODES: Final = tuple(code for code, _ in KINDS)
TASK_STATUS_LABELS: Final = {
    "open": N_("to do"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
RECORD_STATUS_LABELS: Final = {
    "draft": N_("draft"),
    "submitted": N_("sent for review"),
    "returned": N_("returned with comments"),
    "signed": N_("signed and locked"),
}


@dataclass(frozen=True, slots=True)
class CaseFileEntry:
    """One event of the child's history, in the reader's language."""

    at: datetime
    kind: str
    title: str
    detail: str


@dataclass(frozen=True, slots=True)
class CaseFileIdentity:
    full_name: str | None
    iin: str | None
    contacts: str | None


@dataclass(frozen=True)
class CaseFile:
    child_id: int
    child_code: str
    identity: CaseFileIdentity | None  # only for roles that may see identity (Rule 14)
    entries: tuple[CaseFileEntry, ...]  # newest first
    counts: dict[str, int]  # entries per kind before the filter


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=KZ_TZ)


def _requests(session: Session, child_id: int, t: Translator) -> Iterable[CaseFileEntry]:
    requests = session.scalars(select(Request).where(Request.child_id == child_id)).all()
    for r in requests:
        concerns = ", ".join(
            t(CONCERNS_BY_CODE[c.concern].label) if c.concern in CONCERNS_BY_CODE else c.concern
            for c in r.concerns
        )
        parts = [
            t("Concerns: {concerns}", concerns=concerns or "—"),
            t("Term: {due}", due=format_moment(r.due_at, t.lang)),
            t("Status: {status}", status=t(STATUS_LABELS.get(r.status, r.status))),
        ]
        if r.direct_threat:
            parts.insert(0, t("Direct threat (Rules 15, 18)"))
        title = t("Request {number}", number=r.journal_number)
        yield CaseFileEntry(r.received_at, "request", title, "; ".join(parts))
    ids = [r.id for r in requests]
    if not ids:
        return
    for n in session.scalars(select(Notification).where(Notification.request_id.in_(ids))):
        sent = n.sent_at
        state = (
            t("sent {at}", at=format_moment(sent, t.lang))
            if sent is not None
            else t("owed by {due}", due=format_moment(n.due_at, t.lang))
        )
        title = t("Notification under {rule}", rule=n.rule)
        yield CaseFileEntry(sent or n.owed_at or n.due_at, "notification", title, state)
    groups = select(MobileGroup.id).where(MobileGroup.request_id.in_(ids))
    for v in session.scalars(select(Visit).where(Visit.mobile_group_id.in_(groups))):
        detail = v.findings or t("No findings recorded yet.")
        yield CaseFileEntry(v.arrived_at or v.planned_at, "visit", t("Mobile-group visit"), detail)


def _consents(session: Session, child_id: int, t: Translator) -> Iterable[CaseFileEntry]:
    for c in session.scalars(select(Consent).where(Consent.child_id == child_id)):
        title = t("Consent given") if c.withdrawn_at is None else t("Consent withdrawn")
        detail = c.scope if c.withdrawn_at is None else (c.withdrawn_reason or "")
        yield CaseFileEntry(c.withdrawn_at or c.given_at, "consent", title, detail)


def _casework(session: Session, child_id: int, t: Translator) -> Iterable[CaseFileEntry]:
    cases = select(Case.id).where(Case.child_id == child_id)
    for plan in session.scalars(select(SupportPlan).where(SupportPlan.case_id.in_(cases))):
        items = "; ".join(
            t("{kind} by {due} ({responsible})", kind=i.kind,
              due=format_day(i.due_on, t.lang), responsible=i.responsible)
            for i in plan.items
        )  # fmt: skip
        yield CaseFileEntry(plan.created_at, "plan", t("Support plan"), items or "—")
    consultations = select(Consultation).where(
        or_(Consultation.child_id == child_id, Consultation.case_id.in_(cases))
    )
    for c in session.scalars(consultations):
        title = t("Consultation by {specialist}", specialist=c.specialist)
        yield CaseFileEntry(c.held_at, "consultation", title, c.note or c.topic)


def _screening(session: Session, child_id: int, t: Translator) -> Iterable[CaseFileEntry]:
    rows = session.execute(
        select(ScreeningResult, ScreeningRound)
        .join(ScreeningRound, ScreeningResult.screening_round_id == ScreeningRound.id)
        .where(ScreeningResult.child_id == child_id)
        .order_by(ScreeningRound.conducted_on, ScreeningResult.id)
    ).all()
    previous: dict[str, float] = {}
    for result, round_ in rows:
        code = round_.instrument.code
        try:
            definition = get_instrument(code)
            name = definition.name.get(t.lang) or code
            band = definition.band_labels.get(str(result.band), {}).get(t.lang, result.band or "")
        except UnknownInstrumentError:
            name, band = code, result.band or ""
        trend = ""
        if result.total_score is not None and code in previous:
            before = previous[code]
            trend = (
                t("higher than before") if result.total_score > before
                else t("lower than before") if result.total_score < before
                else t("unchanged")
            )  # fmt: skip
        if result.total_score is not None:
            previous[code] = result.total_score
        parts = [t("Band: {band}", band=band or "—")]
        if trend:
            parts.append(t("Trend: {trend}", trend=trend))
        if result.critical:
            parts.append(t("Critical answer"))
        at = _day_start(round_.conducted_on)
        yield CaseFileEntry(at, "screening", name, "; ".join(parts))


def _supervision(session: Session, child_id: int, t: Translator) -> Iterable[CaseFileEntry]:
    records = session.execute(
        select(SupervisionCase, SupervisionSession.held_at)
        .join(SupervisionSession, SupervisionCase.supervision_session_id == SupervisionSession.id)
        .where(SupervisionCase.child_id == child_id)
    ).all()
    for record, held_at in records:
        status = t(RECORD_STATUS_LABELS[record.status])
        title = t("Supervision decision ({status})", status=status)
        detail = record.decision or record.question or "—"
        yield CaseFileEntry(record.signed_at or held_at, "supervision", title, detail)
    tasks = session.scalars(select(SupervisionTask).where(SupervisionTask.child_id == child_id))
    for task in tasks:
        title = t("Follow-up task for {person}, due {due}", person=task.responsible,
                  due=format_day(task.due_on, t.lang))  # fmt: skip
        detail = f"{task.description} ({t(TASK_STATUS_LABELS[task.status])})"
        yield CaseFileEntry(task.created_at, "supervision", title, detail)


def _risk(session: Session, child_id: int, t: Translator) -> Iterable[CaseFileEntry]:
    overrides = session.scalars(
        select(PriorityOverride).where(PriorityOverride.child_id == child_id)
    ).all()
    overridden = {o.risk_assessment_id for o in overrides}
    latest = session.scalars(
        select(RiskAssessment)
        .where(RiskAssessment.child_id == child_id)
        .order_by(RiskAssessment.assessed_at.desc(), RiskAssessment.id.desc())
        .limit(1)
    ).first()
    if latest is not None and latest.id not in overridden:
        level = t(LEVEL_LABELS.get(latest.level, latest.level))
        band = t("band {band} of 20", band=latest.band) if latest.band else t("no model")
        yield CaseFileEntry(latest.assessed_at, "risk", t("Priority level"), f"{level}; {band}")
    for o in overrides:
        title = t("Priority changed by {person}", person=o.overridden_by)
        levels = f"{t(LEVEL_LABELS.get(o.from_band, o.from_band))} → "
        levels += t(LEVEL_LABELS.get(o.to_band, o.to_band))
        detail = f"{levels}; {o.reason}"
        if o.rule_explanation:
            detail += f"; {o.rule_explanation}"
        yield CaseFileEntry(o.overridden_at, "risk", title, detail)


def open_case_file(
    session: Session,
    *,
    actor: str,
    cipher: IdentityCipher,
    child_id: int,
    kinds: Collection[str] | None = None,
    lang: str = "kk",
) -> CaseFile:
    """The child's history, newest first; only ``kinds`` if given. Audited (Rule 14)."""
    who = require(load_actor(session, actor), UseCase.VIEW_CASE_FILE)
    unknown = set(kinds or ()) - set(KIND_CODES)
    if unknown:
        raise ValidationError(
            N_("Unknown kinds of entries: {kinds}; valid: {valid}."),
            kinds=", ".join(sorted(unknown)), valid=", ".join(KIND_CODES),
        )  # fmt: skip
    child = load_child(session, child_id)
    t = Translator(lang)
    entries: list[CaseFileEntry] = []
    for source in (_requests, _consents, _casework, _screening, _supervision, _risk):
        entries.extend(source(session, child.id, t))
    counts = dict.fromkeys(KIND_CODES, 0)
    for entry in entries:
        counts[entry.kind] += 1
    if kinds is not None:
        entries = [e for e in entries if e.kind in set(kinds)]
    entries.sort(key=lambda e: e.at, reverse=True)
    identity = None
    if who.sees_identity:
        record_identity_view(session, actor=who.username, record=child)
        held = child.identity
        identity = CaseFileIdentity(
            cipher.decrypt(held.full_name_enc) if held else None,
            cipher.decrypt(held.iin_enc) if held else None,
            cipher.decrypt(held.contacts_enc) if held else None,
        )
    record_event(
        session, actor=who.username, action="view", entity="case_file", entity_id=child.id,
        details={"code": child.code, "kinds": sorted(kinds) if kinds is not None else "all"},
    )  # fmt: skip
    return CaseFile(child.id, child.code, identity, tuple(entries), counts)


def child_by_code(session: Session, *, actor: str, code: str) -> int:
    """The id of the child with this pseudonymous code; a clear error when there is none."""
    require(load_actor(session, actor), UseCase.VIEW_CASE_FILE)
    clean = code.strip()
    found = session.scalar(select(Child.id).where(Child.code == clean))
    if found is None:
        raise NotFoundError(N_("There is no child with code {code}."), code=clean)
    return int(found)
