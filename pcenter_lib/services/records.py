"""One record by its id, or a clear "there is none": the one way every service loads an aggregate.

Each aggregate has its message here, so a person reads the same words whichever use case looked
for the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TypeVar

from sqlalchemy.orm import Session

from pcenter_lib.errors import NotFoundError
from pcenter_lib.i18n import N_
from pcenter_lib.models import (
    Base,
    Child,
    Consent,
    EducationOrganization,
    MobileGroup,
    Notification,
    PpssStudy,
    Recommendation,
    Request,
    SupervisionCase,
    SupervisionSession,
    SupervisionTask,
    Visit,
    WorkPlan,
    WorkPlanEvent,
)

M = TypeVar("M", bound=Base)

MISSING: Final[Mapping[type[Base], str]] = MappingProxyType(
    {
        Request: N_("There is no request with id {id}."),
        Child: N_("There is no child with id {id}."),
        Consent: N_("There is no consent with id {id}."),
        Notification: N_("There is no notification with id {id}."),
        MobileGroup: N_("There is no mobile group with id {id}."),
        Visit: N_("There is no visit with id {id}."),
        EducationOrganization: N_("There is no school with id {id}."),
        PpssStudy: N_("There is no study with id {id}."),
        SupervisionSession: N_("There is no supervision session with id {id}."),
        SupervisionCase: N_("There is no supervision record with id {id}."),
        SupervisionTask: N_("There is no follow-up task with id {id}."),
        Recommendation: N_("There is no recommendation with id {id}."),
        WorkPlan: N_("There is no work plan with id {id}."),
        WorkPlanEvent: N_("There is no event of the work plan with id {id}."),
    }
)


def load(session: Session, model: type[M], record_id: int) -> M:
    """The ``model`` row with ``record_id``; ``NotFoundError`` naming the aggregate otherwise."""
    found = session.get(model, record_id)
    if found is None:
        raise NotFoundError(MISSING[model], id=record_id)
    return found
