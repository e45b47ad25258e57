"""SQLAlchemy 2.x typed models, one module per aggregate; importing this package maps them all.

``DemoGroundTruth`` (the synthetic region's hidden truth) is mapped here but not re-exported:
only the demo generator and the risk evaluation may import ``pcenter_lib.models.demo``, an
import-linter contract checks it, so no model or service can learn from the truth.
"""

from pcenter_lib.models import demo as _demo_ground_truth  # noqa: F401  (mapped, not exported)
from pcenter_lib.models.audit import AuditChainHead, AuditEvent
from pcenter_lib.models.base import AwareDateTime, Base, Versioned, utcnow
from pcenter_lib.models.cases import (
    Case,
    CaseStatusChange,
    Consultation,
    MobileGroup,
    MobileGroupMember,
    SupportPlan,
    SupportPlanItem,
    Visit,
)
from pcenter_lib.models.intervision import (
    DocumentationReview,
    IntervisionExport,
    IntervisionMaterial,
    IntervisionMaterialEdit,
    IntervisionParticipant,
    IntervisionPhaseNote,
    IntervisionSeries,
    IntervisionSeriesMember,
    IntervisionSession,
)
from pcenter_lib.models.keys import KeyBinding
from pcenter_lib.models.organization import Center, District, EducationOrganization, Region
from pcenter_lib.models.people import (
    Child,
    ChildIdentity,
    ChildNameToken,
    LegalRepresentative,
    StaffMember,
)
from pcenter_lib.models.planning import (
    CalendarOverride,
    Recommendation,
    Report,
    StaffingScenario,
    WorkPlan,
    WorkPlanEvent,
)
from pcenter_lib.models.requests import (
    Consent,
    JournalCounter,
    Notification,
    Request,
    RequestAmendment,
    RequestConcern,
    awaiting_review,
)
from pcenter_lib.models.risk import (
    CrisisEvent,
    PriorityOverride,
    RiskAssessment,
    RiskModelVersion,
)
from pcenter_lib.models.screening import Instrument, PpssStudy, ScreeningResult, ScreeningRound
from pcenter_lib.models.sessions import (
    SupervisionAddendum,
    SupervisionCase,
    SupervisionSession,
    SupervisionTask,
)
from pcenter_lib.models.users import User, UserRole

__all__ = [
    "AuditChainHead", "AuditEvent", "AwareDateTime", "Base", "CalendarOverride", "Case",
    "CaseStatusChange", "Center", "Child", "ChildIdentity", "ChildNameToken", "Consent",
    "Consultation", "CrisisEvent", "District", "DocumentationReview",
    "EducationOrganization", "Instrument", "IntervisionExport", "IntervisionMaterial",
    "IntervisionMaterialEdit", "IntervisionParticipant", "IntervisionPhaseNote",
    "IntervisionSeries", "IntervisionSeriesMember", "IntervisionSession", "JournalCounter", "KeyBinding",
    "LegalRepresentative", "MobileGroup", "MobileGroupMember", "Notification", "PpssStudy",
    "PriorityOverride", "Recommendation", "Region", "Report", "Request", "RequestAmendment", "RequestConcern",
    "RiskAssessment", "RiskModelVersion", "ScreeningResult", "ScreeningRound", "StaffMember", "StaffingScenario",
    "SupervisionAddendum", "SupervisionCase", "SupervisionSession", "SupervisionTask", "SupportPlan",
    "SupportPlanItem", "User", "UserRole", "Versioned", "Visit", "WorkPlan", "WorkPlanEvent", "awaiting_review", "utcnow",
]

# raise an aggregate's version when any of its parts changes (imported for its flush hook)
import pcenter_lib.models.aggregates  # noqa: F401
