"""Reviews of a school's PPSS documentation against the checklists (Order No. 264, Rules 11.3, 21).

Methodical support on documentation is part of intervision (Rule 11.3). A methodologist fills a
checklist of ``data/intervision/checklists`` per school visit; the filled checklist is scored
(``pcenter_lib.intervision.score_checklist``: every item answered, or nothing is saved) and
filed under the quarter of the visit, so the quarterly study of the school's PPSS (Rule 21)
reads the reviews of its quarter (``reviews_for_study``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.errors import NotFoundError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.intervision import get_checklist, score_checklist
from pcenter_lib.models import DocumentationReview, EducationOrganization
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.intervision_views import ReviewView, check_version, fitted
from pcenter_lib.services.records import load
from pcenter_lib.services.users import load_actor

MISSING_REVIEW = N_("There is no documentation review with id {id}.")


def quarter_of(day: date) -> str:
    """The calendar quarter of ``day``, as the PPSS studies name it (``2026Q4``)."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _view(row: DocumentationReview) -> ReviewView:
    return ReviewView(
        id=row.id,
        school_id=row.education_organization_id,
        checklist=row.checklist,
        visited_on=row.visited_on,
        quarter=row.quarter,
        reviewed_by=row.reviewed_by,
        answers=dict(row.answers),
        score_percent=row.score_percent,
        critical_gaps=tuple(row.critical_gaps),
        note=row.note,
        version=row.version,
    )


def save_review(
    session: Session,
    *,
    actor: str,
    school_id: int,
    checklist: str,
    visited_on: date,
    answers: Mapping[str, str],
    note: str = "",
    review_id: int | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> ReviewView:
    """File a filled checklist (new, or over ``review_id`` at ``expected_version``)."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    load(session, EducationOrganization, school_id)
    chosen = get_checklist(checklist)
    result = score_checklist(chosen, answers)  # refuses a half-filled checklist
    if today is not None and visited_on > today:
        raise ValidationError(N_("The visit cannot be in the future."))
    text = fitted(N_("Note"), note, DocumentationReview, "note")
    if review_id is None:
        row = DocumentationReview(
            education_organization_id=school_id, checklist=chosen.code, reviewed_by=actor
        )
        session.add(row)
    else:
        found = session.get(DocumentationReview, review_id)
        if found is None:
            raise NotFoundError(MISSING_REVIEW, id=review_id)
        check_version(found, "documentation_reviews", expected_version)
        row = found
    row.visited_on, row.quarter = visited_on, quarter_of(visited_on)
    row.answers, row.note = dict(answers), text
    row.score_percent, row.critical_gaps = result.score_percent, list(result.critical_gaps)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="save_documentation_review",
        entity="documentation_review",
        entity_id=row.id,
        details={
            "school_id": school_id,
            "checklist": chosen.code,
            "score_percent": result.score_percent,
            "critical_gaps": list(result.critical_gaps),
        },
    )
    return _view(row)


def list_reviews(session: Session, *, actor: str, school_id: int | None = None) -> list[ReviewView]:
    """Reviews, the latest visit first (of one school when ``school_id`` is given)."""
    require(load_actor(session, actor), UseCase.RUN_INTERVISION)
    query = select(DocumentationReview).order_by(
        DocumentationReview.visited_on.desc(), DocumentationReview.id.desc()
    )
    if school_id is not None:
        query = query.where(DocumentationReview.education_organization_id == school_id)
    return [_view(row) for row in session.scalars(query)]


def reviews_for_study(
    session: Session, *, actor: str, school_id: int, quarter: str
) -> list[ReviewView]:
    """The reviews of a school in a quarter: what its quarterly PPSS study (Rule 21) reads.

    Read by whoever records the study (Rule 21), not only by those who run intervision.
    """
    require(load_actor(session, actor), UseCase.RECORD_STUDY)
    query = (
        select(DocumentationReview)
        .where(
            DocumentationReview.education_organization_id == school_id,
            DocumentationReview.quarter == quarter,
        )
        .order_by(DocumentationReview.visited_on)
    )
    return [_view(row) for row in session.scalars(query)]
