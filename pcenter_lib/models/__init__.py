"""SQLAlchemy 2.x typed models, one module per aggregate; importing this package maps them all."""

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
from pcenter_lib.models.demo import DemoGroundTruth
from pcenter_lib.models.organization import Center, District, EducationOrganization, Region
from pcenter_lib.models.people import Child, ChildIdentity, LegalRepresentative, StaffMember
from pcenter_lib.models.planning import CalendarOverride, Report, StaffingScenario, WorkPlan
from pcenter_lib.models.requests import (
    Consent,
    JournalCounter,
    Notification,
    Request,
    RequestAmendment,
    RequestConcern,
)
from pcenter_lib.models.risk import PriorityOverride, RiskAssessment
from pcenter_lib.models.screening import Instrument, PpssStudy, ScreeningResult, ScreeningRound
from pcenter_lib.models.sessions import (
    IntervisionSession,
    SupervisionAddendum,
    SupervisionCase,
    SupervisionSession,
)
from pcenter_lib.models.users import User, UserRole

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "AwareDateTime",
    "Base",
    "CalendarOverride",
    "Case",
    "CaseStatusChange",
    "Center",
    "Child",
    "ChildIdentity",
    "Consent",
    "Consultation",
    "DemoGroundTruth",
    "District",
    "EducationOrganization",
    "Instrument",
    "IntervisionSession",
    "JournalCounter",
    "LegalRepresentative",
    "MobileGroup",
    "MobileGroupMember",
    "Notification",
    "PpssStudy",
    "PriorityOverride",
    "Region",
    "Report",
    "Request",
    "RequestAmendment",
    "RequestConcern",
    "RiskAssessment",
    "ScreeningResult",
    "ScreeningRound",
    "StaffMember",
    "StaffingScenario",
    "SupervisionAddendum",
    "SupervisionCase",
    "SupervisionSession",
    "SupportPlan",
    "SupportPlanItem",
    "User",
    "UserRole",
    "Versioned",
    "Visit",
    "WorkPlan",
    "utcnow",
]
