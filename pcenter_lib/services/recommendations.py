"""Written recommendations to education management bodies and schools (Rule 20), and their fate.

Rule 20: the Center "gives written recommendations on systematizing and improving the quality of
psychological-pedagogical support; these are sent to the education management bodies and to the
education organizations for review and action". A recommendation is recorded with its
addressee (a school of the region, or a body named in words), its sending (when, by whom, the
outgoing reference) and, later, the measures the addressee took. Each step is one audited edit
of a versioned row: an edit made on a stale copy raises a conflict and overwrites nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.periods import check_quarter
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.errors import ConflictError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.models import EducationOrganization, PpssStudy, Recommendation
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.records import load
from pcenter_lib.services.text_fields import check_text
from pcenter_lib.services.users import load_actor
from pcenter_lib.transactions import StaleRecordError


@dataclass(frozen=True, slots=True)
class RecommendationView:
    id: int
    quarter: str
    school_id: int | None
    addressee: str
    text: str
    study_id: int | None
    written_at: datetime
    written_by: str
    sent_at: datetime | None
    sent_by: str | None
    sent_ref: str | None
    measures_taken: str | None
    measures_at: datetime | None
    version: int


@dataclass(frozen=True, slots=True)
class SchoolChoice:
    """A school a recommendation may be addressed to, with its names in both working languages."""

    id: int
    name_kk: str
    name_ru: str


@dataclass(frozen=True, slots=True)
class StudyChoice:
    """A study of the PPSS a recommendation may follow from (Rule 20: "after each study")."""

    id: int
    school_id: int
    quarter: str
    mode: str
    studied_on: date


def _view(row: Recommendation) -> RecommendationView:
    return RecommendationView(
        row.id,
        row.quarter,
        row.education_organization_id,
        row.addressee,
        row.text,
        row.study_id,
        row.written_at,
        row.written_by,
        row.sent_at,
        row.sent_by,
        row.sent_ref,
        row.measures_taken,
        row.measures_at,
        row.version,
    )


def _conflict(row: Recommendation) -> ConflictError:
    return ConflictError(
        N_(
            "Somebody else saved this recommendation meanwhile (now version {version}); "
            "reload it first."
        ),
        version=row.version,
    )


def record_recommendation(
    session: Session,
    *,
    actor: str,
    quarter: str,
    addressee: str,
    text: str,
    school_id: int | None = None,
    study_id: int | None = None,
    now: datetime | None = None,
) -> RecommendationView:
    """A new written recommendation of ``quarter`` to ``addressee`` (a school, or a body)."""
    who = require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    check_quarter(quarter)
    to = check_text("addressee", addressee, required=True)
    body = check_text("recommendation", text, required=True)
    assert to is not None and body is not None
    if school_id is not None:
        load(session, EducationOrganization, school_id)
    if study_id is not None:
        study = load(session, PpssStudy, study_id)
        if school_id is not None and study.education_organization_id != school_id:
            raise ValidationError(N_("The study chosen is of another school."))
    row = Recommendation(
        quarter=quarter,
        education_organization_id=school_id,
        addressee=to,
        text=body,
        study_id=study_id,
        written_at=now or utcnow(),
        written_by=who.username,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=who.username,
        action="create",
        entity="recommendation",
        entity_id=row.id,
        details={"quarter": quarter, "school_id": school_id, "addressee": to},
    )
    return _view(row)


def _edit(session: Session, recommendation_id: int, expected_version: int) -> Recommendation:
    row = load(session, Recommendation, recommendation_id)
    if row.version != expected_version:
        raise _conflict(row)
    return row


def _save(
    session: Session, row: Recommendation, who: str, action: str, details: dict[str, object]
) -> RecommendationView:
    try:
        session.flush()
    except StaleRecordError as exc:
        raise _conflict(row) from exc
    record_event(
        session,
        actor=who,
        action=action,
        entity="recommendation",
        entity_id=row.id,
        details=details,
    )
    return _view(row)


def record_recommendation_sent(
    session: Session,
    *,
    actor: str,
    recommendation_id: int,
    expected_version: int,
    sent_ref: str,
    now: datetime | None = None,
) -> RecommendationView:
    """Record that the recommendation went out (Rule 20), once: when, by whom, the reference."""
    who = require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    row = _edit(session, recommendation_id, expected_version)
    if row.sent_at is not None:
        raise ValidationError(
            N_("This recommendation was already recorded as sent by {who}."), who=row.sent_by or "—"
        )
    row.sent_ref = check_text("sent_ref", sent_ref, required=True)
    row.sent_at, row.sent_by = now or utcnow(), who.username
    return _save(session, row, who.username, "send", {"sent_ref": row.sent_ref})


def record_measures_taken(
    session: Session,
    *,
    actor: str,
    recommendation_id: int,
    expected_version: int,
    measures: str,
    now: datetime | None = None,
) -> RecommendationView:
    """Record what the addressee did about a recommendation that was sent."""
    who = require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    row = _edit(session, recommendation_id, expected_version)
    if row.sent_at is None:
        raise ValidationError(
            N_("Record the sending first: measures are taken on a recommendation that was sent.")
        )
    row.measures_taken = check_text("measures_taken", measures, required=True)
    row.measures_at, row.measures_by = now or utcnow(), who.username
    return _save(session, row, who.username, "update", {"measures_taken": True})


def list_recommendations(
    session: Session, *, actor: str, quarter: str | None = None
) -> list[RecommendationView]:
    """The recommendations (of ``quarter`` when given), newest first."""
    require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    statement = select(Recommendation).order_by(Recommendation.id.desc())
    if quarter is not None:
        statement = statement.where(Recommendation.quarter == check_quarter(quarter))
    return [_view(row) for row in session.scalars(statement)]


def recommendation_schools(session: Session, *, actor: str) -> list[SchoolChoice]:
    """The region's schools a recommendation may name, by their Russian name."""
    require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    rows = session.scalars(select(EducationOrganization).order_by(EducationOrganization.name_ru))
    return [SchoolChoice(row.id, row.name_kk, row.name_ru) for row in rows]


def recommendation_studies(session: Session, *, actor: str, school_id: int) -> list[StudyChoice]:
    """The studies of ``school_id`` a recommendation may follow from, newest first.

    Read under the reports' own permission: whoever writes the recommendation (the manager
    included) links the study it follows from without the screening results' permission."""
    require(load_actor(session, actor), UseCase.WRITE_REPORTS)
    statement = (
        select(PpssStudy)
        .where(PpssStudy.education_organization_id == school_id)
        .order_by(PpssStudy.studied_on.desc(), PpssStudy.id.desc())
    )
    return [
        StudyChoice(row.id, row.education_organization_id, row.quarter, row.mode, row.studied_on)
        for row in session.scalars(statement)
    ]
