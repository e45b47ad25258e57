"""The codes records carry, as enumerations: statuses, kinds, sexes, languages.

A code is stored as its value (``"in_work"``) and read back as the enumeration member, which is
also that string; the database refuses any other value (a CHECK constraint made from these
classes, ``models.base.code_column``). A person never reads a code: each app shows its label.
"""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    """Where a journal entry stands (Rule 13: registered, considered, closed)."""

    OPEN = "open"
    IN_WORK = "in_work"
    CLOSED = "closed"


class CaseStatus(StrEnum):
    OPEN = "open"
    MONITORING = "monitoring"
    CLOSED = "closed"


class CaseComplexity(StrEnum):
    """Rule 11.4: complex and contentious cases go to supervision."""

    ROUTINE = "routine"
    COMPLEX = "complex"


class PlanStatus(StrEnum):
    """A support plan of a mobile response group (Rule 17)."""

    ACTIVE = "active"
    COMPLETED = "completed"


class PlanItemStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    DROPPED = "dropped"


class ConsentKind(StrEnum):
    """Rule 15: written or informed consent of a legal representative."""

    WRITTEN = "written"
    INFORMED = "informed"


class ConsultationRecipient(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    TEACHER = "teacher"


class SchoolKind(StrEnum):
    SCHOOL = "school"
    COLLEGE = "college"


class InstructionLanguage(StrEnum):
    KAZAKH = "kk"
    RUSSIAN = "ru"
    MIXED = "mixed"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class StudyMode(StrEnum):
    """How a school's PPSS was studied (Rule 21): a visit, or from its documents."""

    VISIT = "visit"
    DESK = "desk"


class IntervisionFormat(StrEnum):
    """Rule 11.3: formats of peer case-analysis sessions, one per file of
    ``data/intervision/formats`` (its phases, timings and prompts)."""

    INCIDENT_METHOD = "incident_method"
    BALINT_GROUP = "balint_group"
    SIX_PHASE_MODEL = "six_phase_model"
    KOLLEGIALE_BERATUNG = "kollegiale_beratung"


class IntervisionStatus(StrEnum):
    """Rule 11.3: where an intervision session stands; only a held session credits hours."""

    PLANNED = "planned"
    RUNNING = "running"
    HELD = "held"
    CANCELLED = "cancelled"


class ParticipantOrigin(StrEnum):
    """Rule 11.3: intervision gathers the Center's specialists and schools' PPSS specialists."""

    CENTER = "center"
    SCHOOL = "school"


class PackFormat(StrEnum):
    """The file formats a session pack is exported in."""

    DOCX = "docx"
    HTML = "html"


class RiskTier(StrEnum):
    """A synthetic demo child's hidden risk tier (demo ground truth only)."""

    LOW = "low"
    ELEVATED = "elevated"
    HIGH = "high"


class SupervisionForm(StrEnum):
    """Rule 11.4: how a supervision session is held."""

    INDIVIDUAL = "individual"
    GROUP = "group"
    CASE_CONFERENCE = "case_conference"  # with other bodies (Rule 18's bodies, the school)


class RecordStatus(StrEnum):
    """A case's supervision record: drafted, sent for review, returned, or signed and locked."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    SIGNED = "signed"


class TaskStatus(StrEnum):
    """A follow-up task decided in supervision."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class WorkDirection(StrEnum):
    """Rule 10: the directions of the Center's activity, by which the work plan is laid out."""

    CONSULTATIVE_DEVELOPMENTAL = "consultative_developmental"
    METHODICAL = "methodical"
    EDUCATION = "education"  # psychological-pedagogical education (awareness)
    MOBILE_RESPONSE = "mobile_response"


class WorkEventStatus(StrEnum):
    """Where an event of the annual work plan stands (Rule 23)."""

    PLANNED = "planned"
    DONE = "done"
    MOVED = "moved"
    DROPPED = "dropped"
