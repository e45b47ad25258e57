"""The quarterly study of each school's PPSS and its analytical note (Rules 20–21).

``record_study`` creates or updates a study (optimistic locking: a stale edit raises a conflict
and overwrites nothing); ``study_coverage_table`` says which schools are studied this quarter
and which are overdue; ``write_analytical_note`` renders the note (DOCX, kk or ru) with the
school's screening figures beside its district's and the region's, stores it as a ``Report``
with the SHA-256 of the exact file, links it to the study and audits it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Final

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.instruments import get_instrument
from pcenter_lib.diagnostics.notes import (
    NOTE_KIND,
    NoteContent,
    ScreeningFigures,
    note_filename,
    render_note,
)
from pcenter_lib.diagnostics.periods import check_quarter, quarter_bounds
from pcenter_lib.diagnostics.ppss import (
    STUDY_MODES,
    StudyRecord,
    check_domain_scores,
    study_coverage,
)
from pcenter_lib.diagnostics.views import compare_levels, elevated_bands
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.domain.codes import StudyMode
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import ConflictError, ValidationError
from pcenter_lib.i18n import N_, Translator, check_language
from pcenter_lib.models import (
    Center,
    District,
    EducationOrganization,
    Instrument,
    PpssStudy,
    Report,
    ScreeningRound,
    User,
)
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.diagnostics import score_columns_of
from pcenter_lib.services.records import load
from pcenter_lib.services.screening_data import load_results, load_schools
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import StaleRecordError

NOTE_LANGUAGES: Final = ("kk", "ru")  # the working languages of the education bodies it goes to
TEXT_LIMIT: Final = 20_000


@dataclass(frozen=True)
class StudyDraft:
    """A study as the methodologist entered it."""

    school_id: int
    quarter: str
    mode: str
    studied_on: date
    domain_scores: dict[str, int | None]
    findings: str = ""
    recommendations: str = ""


@dataclass(frozen=True)
class StudyView(StudyRecord):
    """A stored study: the record, its school, the note written from it and its version."""

    id: int
    school_id: int
    report_id: int | None
    version: int


def _view(study: PpssStudy) -> StudyView:
    return StudyView(
        id=study.id,
        school_id=study.education_organization_id,
        quarter=study.quarter,
        mode=study.mode,
        studied_on=study.studied_on,
        studied_by=study.studied_by,
        domain_scores=dict(study.domain_scores),
        findings=study.findings,
        recommendations=study.recommendations,
        report_id=study.report_id,
        version=study.version,
    )


def _check_draft(session: Session, draft: StudyDraft) -> dict[str, int | None]:
    load(session, EducationOrganization, draft.school_id)
    start, end = quarter_bounds(check_quarter(draft.quarter))
    if draft.mode not in STUDY_MODES:
        raise ValidationError(
            N_("The form of a study is visit or desk, not {value!r}."), value=draft.mode
        )
    if not start <= draft.studied_on <= end:
        raise ValidationError(
            N_("The study date {day} is not in the quarter {quarter}."),
            day=draft.studied_on.isoformat(),
            quarter=draft.quarter,
        )
    if len(draft.findings) > TEXT_LIMIT or len(draft.recommendations) > TEXT_LIMIT:
        raise ValidationError(
            N_("Findings and recommendations may hold at most {limit} characters each."),
            limit=TEXT_LIMIT,
        )
    scores = check_domain_scores(draft.domain_scores)
    if all(score is None for score in scores.values()):
        # A study must find something: a record of "nothing applies" would count the school as
        # studied this quarter (Rule 21) while saying nothing about its service.
        raise ValidationError(
            N_(
                "Score at least one of the {count} domains: a study where every domain is "
                "“not applicable” says nothing about the school's service and is not saved."
            ),
            count=len(scores),
        )
    return scores


def record_study(
    session: Session,
    *,
    actor: str,
    draft: StudyDraft,
    study_id: int | None = None,
    expected_version: int | None = None,
) -> StudyView:
    """Create a study, or update ``study_id`` if nobody saved it since ``expected_version``."""
    who = require(load_actor(session, actor), UseCase.RECORD_STUDY)
    scores = _check_draft(session, draft)
    if study_id is None:
        study = PpssStudy(
            education_organization_id=draft.school_id,
            quarter=draft.quarter,
            mode=StudyMode(draft.mode),
            studied_on=draft.studied_on,
            studied_by=who.username,
            domain_scores=scores,
            findings=draft.findings.strip(),
            recommendations=draft.recommendations.strip(),
        )
        session.add(study)
        action = "create"
    else:
        study = load(session, PpssStudy, study_id)
        if expected_version is not None and study.version != expected_version:
            raise _conflict(study)
        study.education_organization_id = draft.school_id
        study.quarter, study.mode = draft.quarter, StudyMode(draft.mode)
        study.studied_on = draft.studied_on
        study.domain_scores = scores
        study.findings, study.recommendations = (
            draft.findings.strip(),
            draft.recommendations.strip(),
        )
        action = "update"
    try:
        session.flush()
    except StaleRecordError as exc:
        raise _conflict(study) from exc
    record_event(
        session,
        actor=who.username,
        action=action,
        entity="ppss_study",
        entity_id=study.id,
        details={"school_id": draft.school_id, "quarter": draft.quarter, "scores": scores},
    )
    return _view(study)


def _conflict(study: PpssStudy) -> ConflictError:
    return ConflictError(
        N_("Somebody else saved this study meanwhile (now version {version}); reload it first."),
        version=study.version,
    )


def list_studies(session: Session, *, actor: str, school_id: int | None = None) -> list[StudyView]:
    """Studies, newest first; only one school's when ``school_id`` is given."""
    require(load_actor(session, actor), UseCase.VIEW_RESULTS)
    statement = select(PpssStudy).order_by(PpssStudy.studied_on.desc(), PpssStudy.id.desc())
    if school_id is not None:
        statement = statement.where(PpssStudy.education_organization_id == school_id)
    return [_view(study) for study in session.scalars(statement)]


def study_coverage_table(session: Session, *, actor: str, today: date) -> pd.DataFrame:
    """Every school with its Rule 21 status for the quarter holding ``today``."""
    schools = load_schools(session, actor=actor)
    studies = pd.DataFrame(
        session.execute(
            select(
                PpssStudy.education_organization_id.label("school_id"),
                PpssStudy.quarter,
                PpssStudy.studied_on,
            )
        ).all(),
        columns=["school_id", "quarter", "studied_on"],
    )
    return study_coverage(schools, studies, today=today)


@dataclass(frozen=True)
class NoteView:
    report_id: int
    filename: str
    sha256: str
    content: bytes


def write_analytical_note(
    session: Session, *, actor: str, study_id: int, lang: str, now: datetime | None = None
) -> NoteView:
    """Render the note for a study, register it as a Report with its hash, link and audit it."""
    who = require(load_actor(session, actor), UseCase.WRITE_NOTE)
    if check_language(lang) not in NOTE_LANGUAGES:
        raise ValidationError(N_("An analytical note is written in Kazakh or Russian."))
    study = load(session, PpssStudy, study_id)
    school = session.get(EducationOrganization, study.education_organization_id)
    assert school is not None
    district = session.get(District, school.district_id)
    center = session.scalar(select(Center).order_by(Center.id))
    moment = now or utcnow()
    content = NoteContent(
        lang=lang,
        center_name="" if center is None else getattr(center, f"name_{lang}"),
        school_name=getattr(school, f"name_{lang}"),
        district_name="" if district is None else getattr(district, f"name_{lang}"),
        study=replace(_view(study), studied_by=_full_name(session, study.studied_by)),
        figures=_figures(session, who.username, school, study.quarter, lang),
        generated_at=moment.astimezone(KZ_TZ),
    )
    data = render_note(content)
    digest = hashlib.sha256(data).hexdigest()
    report = Report(
        kind=NOTE_KIND,
        period=study.quarter,
        lang=lang,
        filename=note_filename(school.bin, study.quarter, lang),
        sha256=digest,
        content=data,
        created_at=moment,
        created_by=who.username,
        sent_to=None,
    )
    session.add(report)
    session.flush()
    study.report_id = report.id
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="export",
        entity="report",
        entity_id=report.id,
        details={
            "kind": NOTE_KIND,
            "study_id": study.id,
            "school_id": school.id,
            "quarter": study.quarter,
            "lang": lang,
            "sha256": digest,
        },
    )
    return NoteView(report.id, report.filename, digest, data)


def _full_name(session: Session, username: str) -> str:
    """The specialist as the note names them: their full name (the user name if unknown)."""
    name = session.scalar(select(User.full_name).where(User.username == username))
    return name or username


def _figures(
    session: Session, actor: str, school: EducationOrganization, quarter: str, lang: str
) -> list[ScreeningFigures]:
    """For each instrument the school screened with in ``quarter``: school, district, region."""
    t = Translator(lang)
    figures: list[ScreeningFigures] = []
    for code in _instruments_used(session, school.id, quarter):
        definition = get_instrument(code)
        primary, _ = score_columns_of(definition)
        scale = definition.scale(primary)
        if not scale.norms:
            continue
        frame = load_results(session, actor=actor, instrument=code, periods=(quarter,))
        top = elevated_bands(scale.band_codes(tuple(definition.band_labels)))
        table = compare_levels(
            frame, scale=primary, top_bands=top, school_id=school.id, district_id=school.district_id
        )
        labels = ", ".join(definition.band_labels[b].get(lang, b) for b in top)
        title = t(
            "{instrument} — {scale}; elevated bands: {bands}",
            instrument=definition.name.get(lang, definition.code),
            scale=scale.label.get(lang, scale.code),
            bands=labels,
        )
        figures.append(ScreeningFigures(title=title, table=table))
    return figures


def _instruments_used(session: Session, school_id: int, quarter: str) -> list[str]:
    codes = session.scalars(
        select(Instrument.code)
        .join(ScreeningRound, ScreeningRound.instrument_id == Instrument.id)
        .where(
            ScreeningRound.education_organization_id == school_id, ScreeningRound.period == quarter
        )
        .distinct()
    )
    return sorted(codes)
