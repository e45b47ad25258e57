"""Who may do what: one table of use cases and the roles allowed each (Rule 14).

Access is data. ``USE_CASES`` maps every use case of the workbench to the roles that may perform
it and the words a refused person reads. Every service checks it first with
``require(actor, use_case)``; the home page lists an app for the roles that may perform any of
its use cases (``APPS``), and every tab and button of an app is shown only to the roles that may
perform the use case behind it (``may``). So a person never sees a button they may not press,
and a role taken away in the database stops working at once.

Identity fields (names, IIN, address, contacts) are a use case too, ``SEE_IDENTITY``: only the
roles whose work needs them see them (Rule 14: confidentiality of personal data).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from pcenter_lib.errors import PcenterError, PermissionDeniedError
from pcenter_lib.i18n import N_, gettext


class UnknownRoleError(PcenterError, ValueError):
    """A role code that the workbench does not know."""


class UnknownUseCaseError(PermissionDeniedError, ValueError):
    """A use case that is not in the access table (a programming error, refused all the same)."""


class RoleRefusedError(PermissionDeniedError):
    """The acting user's roles do not allow a use case; the use case is named in their language."""

    def localized(self, lang: str) -> str:
        action = gettext(str(self.params.get("action", "")), lang)
        return gettext(self.msgid, lang).format(action=action)


@dataclass(frozen=True)
class Role:
    code: str
    label: str  # msgid


ROLES: Final[tuple[Role, ...]] = (
    Role("intake_operator", N_("Intake operator")),
    Role("specialist", N_("Duty specialist")),
    Role("supervisor", N_("Supervisor")),
    Role("methodologist", N_("Methodologist")),
    Role("manager", N_("Manager (first head)")),
    Role("analyst", N_("Analyst")),
    Role("administrator", N_("Administrator")),
)
ROLE_CODES: Final = tuple(r.code for r in ROLES)
_BY_CODE: Final = {r.code: r for r in ROLES}


class UseCase(StrEnum):
    """Everything a person may be allowed to do; the value is the code audit and tests use."""

    # Requests and deadlines (Rules 12–19, 22)
    REGISTER_REQUEST = "register_request"
    VIEW_JOURNAL = "view_journal"
    EXPORT_JOURNAL = "export_journal"
    AMEND_REQUEST = "amend_request"
    MARK_DIRECT_THREAT = "mark_direct_threat"
    RECORD_NOTIFICATION = "record_notification"
    RECORD_CONSENT = "record_consent"
    RECORD_HELP = "record_help"
    MOBILE_GROUP = "mobile_group"
    VIEW_COMPLIANCE = "view_compliance"
    EDIT_CALENDAR = "edit_calendar"
    REVIEW_CRITICAL = "review_critical"
    CLOSE_DIRECT_THREAT = "close_direct_threat"
    ADD_NOTIFICATION_BODY = "add_notification_body"
    EDIT_CHILD_RECORD = "edit_child_record"
    VIEW_ALERTS = "view_alerts"
    SEE_IDENTITY = "see_identity"
    # Diagnostics and the study of school services (Rules 20–21)
    VIEW_RESULTS = "view_results"
    IMPORT_ROUND = "import_round"
    EXPORT_RESULTS = "export_results"
    RECORD_STUDY = "record_study"
    WRITE_NOTE = "write_note"
    # Staffing (Rule 24)
    PLAN_STAFFING = "plan_staffing"
    EXPORT_PROPOSAL = "export_proposal"
    # Risk indicators and the priority review queue (Rules 11.4, 14)
    TRAIN_RISK_MODEL = "train_risk_model"
    EVALUATE_RISK_MODEL = "evaluate_risk_model"
    PUBLISH_RISK_MODEL = "publish_risk_model"
    VIEW_RISK_MODELS = "view_risk_models"
    SCORE_CHILDREN = "score_children"
    VIEW_PRIORITY_QUEUE = "view_priority_queue"
    OVERRIDE_PRIORITY = "override_priority"
    VIEW_OVERRIDE_RATES = "view_override_rates"
    RECORD_CRISIS_EVENT = "record_crisis_event"
    # Supervision of complex and contentious cases (Rule 11.4) and the child's case file
    REVIEW_CASES = "review_cases"
    VIEW_CASE_FILE = "view_case_file"
    PLAN_SUPERVISION = "plan_supervision"
    PRESENT_CASE = "present_case"
    SIGN_SUPERVISION = "sign_supervision"
    RECORD_TASK_PROGRESS = "record_task_progress"
    READ_SUPERVISION = "read_supervision"
    COUNT_SUPERVISION = "count_supervision"
    # Apps in preparation: the home page already shows them to these roles
    RUN_INTERVISION = "run_intervision"
    WRITE_REPORTS = "write_reports"
    # Reports (Rules 20–23): the case-level annex of the monthly exchange is its own permission
    EXPORT_THREAT_ANNEX = "export_threat_annex"
    APPROVE_WORK_PLAN = "approve_work_plan"


@dataclass(frozen=True)
class Permission:
    """The roles allowed a use case, and how a refused person is told what they may not do.

    ``command_line``: the command line may perform it too. It acts as ``system:cli`` — whoever
    runs it on the server already holds the database and its key — and may train, evaluate,
    publish and score, but never decide about a child (the Law "On personal data and their
    protection", Art. 19-1: a decision about a person is a person's).
    """

    roles: frozenset[str]
    action: str  # msgid completing "Your role does not allow you to …"
    command_line: bool = False


_DESK: Final = frozenset({"intake_operator", "specialist", "supervisor"})
_CASEWORK: Final = frozenset({"specialist", "supervisor"})
# Rule 18: the Center's management (the first head and the deputies, who hold the manager role)
# informs the bodies on a direct threat; it follows the case in the journal, without names.
_MANAGEMENT: Final = frozenset({"manager"})
_SCREENING: Final = frozenset({"methodologist", "analyst"})
_STAFFING: Final = frozenset({"manager", "administrator"})
_MODEL: Final = frozenset({"analyst"})
# Rule 11.4: the supervisor reviews; the specialists present their cases; the methodologist and
# the first head read the records (methodical work and the Center's management)
_SUPERVISION_READERS: Final = _CASEWORK | {"methodologist", "manager"}
SYSTEM_PREFIX: Final = "system:"  # the actor name of the command line, never a person's

USE_CASES: Final[Mapping[UseCase, Permission]] = MappingProxyType(
    {
        UseCase.REGISTER_REQUEST: Permission(
            frozenset({"intake_operator", "specialist"}), N_("register requests")
        ),
        UseCase.VIEW_JOURNAL: Permission(_DESK | _MANAGEMENT, N_("view the journal")),
        UseCase.EXPORT_JOURNAL: Permission(_DESK, N_("export the journal")),
        UseCase.AMEND_REQUEST: Permission(_DESK, N_("correct journal entries")),
        UseCase.MARK_DIRECT_THREAT: Permission(_DESK, N_("mark a direct threat")),
        UseCase.RECORD_NOTIFICATION: Permission(_DESK, N_("record notifications")),
        UseCase.RECORD_CONSENT: Permission(_DESK, N_("record consent")),
        UseCase.RECORD_HELP: Permission(_CASEWORK, N_("record help given")),
        UseCase.MOBILE_GROUP: Permission(_CASEWORK, N_("form mobile groups")),
        UseCase.VIEW_COMPLIANCE: Permission(
            _CASEWORK | _MANAGEMENT | {"administrator"}, N_("view the compliance figures")
        ),
        UseCase.EDIT_CALENDAR: Permission(
            frozenset({"administrator"}), N_("edit the working-day calendar")
        ),
        UseCase.REVIEW_CRITICAL: Permission(_CASEWORK, N_("review critical screening answers")),
        UseCase.CLOSE_DIRECT_THREAT: Permission(_CASEWORK, N_("close a direct threat")),
        UseCase.ADD_NOTIFICATION_BODY: Permission(_CASEWORK, N_("add bodies to notify")),
        UseCase.EDIT_CHILD_RECORD: Permission(_DESK, N_("complete and merge child records")),
        UseCase.VIEW_ALERTS: Permission(_DESK | _MANAGEMENT, N_("see direct-threat alerts")),
        # Rule 14: identity only for the roles that talk to the child and the family
        UseCase.SEE_IDENTITY: Permission(_DESK, N_("see names and contacts of children")),
        UseCase.VIEW_RESULTS: Permission(_SCREENING, N_("view screening results")),
        UseCase.IMPORT_ROUND: Permission(
            frozenset({"methodologist"}), N_("import screening results")
        ),
        UseCase.EXPORT_RESULTS: Permission(_SCREENING, N_("export diagnostics tables")),
        UseCase.RECORD_STUDY: Permission(
            frozenset({"methodologist"}), N_("record studies of school services")
        ),
        UseCase.WRITE_NOTE: Permission(frozenset({"methodologist"}), N_("write analytical notes")),
        UseCase.PLAN_STAFFING: Permission(_STAFFING, N_("plan staffing")),
        UseCase.EXPORT_PROPOSAL: Permission(_STAFFING, N_("export the staffing proposal")),
        UseCase.TRAIN_RISK_MODEL: Permission(_MODEL, N_("train risk models"), command_line=True),
        UseCase.EVALUATE_RISK_MODEL: Permission(
            _MODEL, N_("evaluate risk models"), command_line=True
        ),
        UseCase.PUBLISH_RISK_MODEL: Permission(
            _MODEL, N_("publish or refuse risk models"), command_line=True
        ),
        UseCase.VIEW_RISK_MODELS: Permission(
            _MODEL | {"supervisor"}, N_("read risk model cards"), command_line=True
        ),
        UseCase.SCORE_CHILDREN: Permission(
            _MODEL | {"supervisor"}, N_("score children"), command_line=True
        ),
        UseCase.VIEW_PRIORITY_QUEUE: Permission(
            frozenset({"supervisor"}), N_("view the priority queue")
        ),
        UseCase.OVERRIDE_PRIORITY: Permission(
            frozenset({"supervisor"}), N_("change a child's priority")
        ),
        UseCase.VIEW_OVERRIDE_RATES: Permission(
            frozenset({"supervisor", "analyst", "manager"}),
            N_("view override rates"),
            command_line=True,
        ),
        UseCase.RECORD_CRISIS_EVENT: Permission(_CASEWORK, N_("record crisis events")),
        UseCase.REVIEW_CASES: Permission(frozenset({"supervisor"}), N_("review cases")),
        UseCase.VIEW_CASE_FILE: Permission(_SUPERVISION_READERS, N_("read children's case files")),
        UseCase.PLAN_SUPERVISION: Permission(
            frozenset({"supervisor"}), N_("plan supervision sessions")
        ),
        UseCase.PRESENT_CASE: Permission(_CASEWORK, N_("present cases for supervision")),
        UseCase.SIGN_SUPERVISION: Permission(
            frozenset({"supervisor"}), N_("sign and lock supervision records")
        ),
        UseCase.RECORD_TASK_PROGRESS: Permission(
            _CASEWORK, N_("record the progress of follow-up tasks")
        ),
        UseCase.READ_SUPERVISION: Permission(
            _SUPERVISION_READERS, N_("read supervision records")
        ),
        UseCase.COUNT_SUPERVISION: Permission(
            _SUPERVISION_READERS | {"analyst"}, N_("see supervision counts")
        ),
        UseCase.RUN_INTERVISION: Permission(
            frozenset({"methodologist", "supervisor"}), N_("run intervision sessions")
        ),
        # The command line may produce the aggregate reports (``pcenter report``): they hold
        # no child's data and decide nothing about a child.
        UseCase.WRITE_REPORTS: Permission(
            frozenset({"manager", "methodologist"}), N_("write reports"), command_line=True
        ),
        # Rule 18: the Center's management informs the bodies of each direct threat; the list of
        # those requests, case by case, leaves the Center only through the first head.
        UseCase.EXPORT_THREAT_ANNEX: Permission(
            _MANAGEMENT, N_("export the restricted annex of direct-threat requests")
        ),
        # Rule 23: the annual work plan is "approved by the first head"
        UseCase.APPROVE_WORK_PLAN: Permission(_MANAGEMENT, N_("approve the annual work plan")),
    }
)


@dataclass(frozen=True)
class AppEntry:
    """One app of the home page; its roles are those that may perform any of its use cases."""

    code: str  # notebook name without .ipynb
    title: str  # msgid
    purpose: str  # msgid: one line on what the app is for
    use_cases: tuple[UseCase, ...]
    rules: str  # the rules of Order 264 the app carries

    @property
    def roles(self) -> frozenset[str]:
        return frozenset().union(*(USE_CASES[u].roles for u in self.use_cases))


APPS: Final[tuple[AppEntry, ...]] = (
    AppEntry(
        "intake",
        N_("Requests and deadlines"),
        N_("Register requests, see legal deadlines, run the direct-threat path and mobile groups."),
        (
            UseCase.REGISTER_REQUEST,
            UseCase.VIEW_JOURNAL,
            UseCase.EXPORT_JOURNAL,
            UseCase.AMEND_REQUEST,
            UseCase.MARK_DIRECT_THREAT,
            UseCase.RECORD_NOTIFICATION,
            UseCase.RECORD_CONSENT,
            UseCase.RECORD_HELP,
            UseCase.MOBILE_GROUP,
            UseCase.VIEW_COMPLIANCE,
            UseCase.EDIT_CALENDAR,
            UseCase.REVIEW_CRITICAL,
            UseCase.CLOSE_DIRECT_THREAT,
            UseCase.ADD_NOTIFICATION_BODY,
            UseCase.EDIT_CHILD_RECORD,
            UseCase.VIEW_ALERTS,
        ),
        "12–19, 22",
    ),
    AppEntry(
        "supervision",
        N_("Supervision"),
        N_("Work the priority review queue and review complex cases; sign and lock decisions."),
        (
            UseCase.VIEW_PRIORITY_QUEUE,
            UseCase.OVERRIDE_PRIORITY,
            UseCase.REVIEW_CASES,
            UseCase.VIEW_CASE_FILE,
            UseCase.PLAN_SUPERVISION,
            UseCase.PRESENT_CASE,
            UseCase.SIGN_SUPERVISION,
            UseCase.RECORD_TASK_PROGRESS,
            UseCase.READ_SUPERVISION,
            UseCase.COUNT_SUPERVISION,
        ),
        "11.4",
    ),
    AppEntry(
        "intervision",
        N_("Intervision"),
        N_("Prepare de-identified case material and run peer case-analysis sessions."),
        (UseCase.RUN_INTERVISION,),
        "11.3",
    ),
    AppEntry(
        "diagnostics",
        N_("Diagnostics"),
        N_("Import and score schools' screening results; study each school's PPSS quarterly."),
        (
            UseCase.VIEW_RESULTS,
            UseCase.IMPORT_ROUND,
            UseCase.EXPORT_RESULTS,
            UseCase.RECORD_STUDY,
            UseCase.WRITE_NOTE,
        ),
        "20–21",
    ),
    AppEntry(
        "staffing",
        N_("Staffing"),
        N_("Check the minimum staffing norm and plan staff from the real workload."),
        (UseCase.PLAN_STAFFING, UseCase.EXPORT_PROPOSAL),
        "24",
    ),
    AppEntry(
        "reports",
        N_("Reports"),
        N_("Monthly exchange with the child-rights body, analytical notes, work plan."),
        (UseCase.WRITE_REPORTS, UseCase.EXPORT_THREAT_ANNEX, UseCase.APPROVE_WORK_PLAN),
        "20–23",
    ),
    AppEntry(
        "risk_model",
        N_("Risk indicators"),
        N_("Train, evaluate and audit the risk-indicator model; publish its model card."),
        (UseCase.TRAIN_RISK_MODEL, UseCase.EVALUATE_RISK_MODEL, UseCase.PUBLISH_RISK_MODEL),
        "14",
    ),
)
APPS_BY_CODE: Final[Mapping[str, AppEntry]] = MappingProxyType({app.code: app for app in APPS})


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting user as a use case needs it: the name audit records, and the roles held.

    ``system``: the command line (``system:cli``), which holds no role and may perform only the
    use cases the table allows it.
    """

    username: str
    roles: tuple[str, ...]
    system: bool = False

    @property
    def sees_identity(self) -> bool:
        return may(self.roles, UseCase.SEE_IDENTITY)


def role(code: str) -> Role:
    """The role with this code; a clear error listing valid codes otherwise."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownRoleError(
            N_("Unknown role {role!r}; valid roles: {valid}."),
            role=code,
            valid=", ".join(ROLE_CODES),
        ) from None


def permission(use_case: UseCase | str) -> Permission:
    """The row of ``USE_CASES`` for ``use_case``; an unknown use case is refused, never allowed."""
    try:
        return USE_CASES[UseCase(use_case)]
    except ValueError:
        raise UnknownUseCaseError(
            N_("Unknown use case {use_case!r}; nobody may perform it."), use_case=str(use_case)
        ) from None


def may(roles: Iterable[str], use_case: UseCase | str) -> bool:
    """Whether any of ``roles`` may perform ``use_case`` (to show or hide a tab or a button)."""
    return bool(permission(use_case).roles.intersection(roles))


def require(actor: Actor, use_case: UseCase | str) -> Actor:
    """``actor`` if one of their roles allows ``use_case``; else ``RoleRefusedError`` naming it."""
    allowed = permission(use_case)
    if allowed.command_line if actor.system else allowed.roles.intersection(actor.roles):
        return actor
    raise RoleRefusedError(N_("Your role does not allow you to {action}."), action=allowed.action)


def apps_for(roles: Iterable[str]) -> tuple[AppEntry, ...]:
    """The apps that a person holding ``roles`` may open, in menu order."""
    held = set(roles)
    return tuple(app for app in APPS if app.roles & held)


def may_see_identity(roles: Iterable[str]) -> bool:
    """Rule 14: whether ``roles`` may see children's names, IIN, address and contacts."""
    return may(roles, UseCase.SEE_IDENTITY)
