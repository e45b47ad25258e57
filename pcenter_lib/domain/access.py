"""Roles, the apps each role may open, and who may see identity data (Rule 14).

Access is data: one table of roles, one table of apps with the roles allowed to open them.
Widgets read these tables; services check them before doing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_


class UnknownRoleError(PcenterError, ValueError):
    """A role code that the workbench does not know."""


@dataclass(frozen=True)
class Role:
    code: str
    label: str  # msgid
    sees_identity: bool  # Rule 14: identity fields only for roles whose work needs them


ROLES: Final[tuple[Role, ...]] = (
    Role("intake_operator", N_("Intake operator"), sees_identity=True),
    Role("specialist", N_("Duty specialist"), sees_identity=True),
    Role("supervisor", N_("Supervisor"), sees_identity=True),
    Role("methodologist", N_("Methodologist"), sees_identity=False),
    Role("manager", N_("Manager (first head)"), sees_identity=False),
    Role("analyst", N_("Analyst"), sees_identity=False),
    Role("administrator", N_("Administrator"), sees_identity=False),
)
ROLE_CODES: Final = tuple(r.code for r in ROLES)
_BY_CODE: Final = {r.code: r for r in ROLES}


@dataclass(frozen=True)
class AppEntry:
    code: str  # notebook name without .ipynb
    title: str  # msgid
    purpose: str  # msgid: one line on what the app is for
    roles: frozenset[str]
    rules: str  # the rules of Order 264 the app carries


APPS: Final[tuple[AppEntry, ...]] = (
    AppEntry(
        "intake",
        N_("Requests and deadlines"),
        N_("Register requests, see legal deadlines, run the direct-threat path and mobile groups."),
        frozenset({"intake_operator", "specialist", "supervisor", "manager", "administrator"}),
        "12–19, 22",
    ),
    AppEntry(
        "supervision",
        N_("Supervision"),
        N_("Work the priority review queue and review complex cases; sign and lock decisions."),
        frozenset({"supervisor"}),
        "11.4",
    ),
    AppEntry(
        "intervision",
        N_("Intervision"),
        N_("Prepare de-identified case material and run peer case-analysis sessions."),
        frozenset({"methodologist", "supervisor"}),
        "11.3",
    ),
    AppEntry(
        "diagnostics",
        N_("Diagnostics"),
        N_("Import and score schools' screening results; study each school's PPSS quarterly."),
        frozenset({"methodologist", "analyst"}),
        "20–21",
    ),
    AppEntry(
        "staffing",
        N_("Staffing"),
        N_("Check the minimum staffing norm and plan staff from the real workload."),
        frozenset({"manager", "administrator"}),
        "24",
    ),
    AppEntry(
        "reports",
        N_("Reports"),
        N_("Monthly exchange with the child-rights body, analytical notes, work plan."),
        frozenset({"manager", "methodologist"}),
        "21–23",
    ),
    AppEntry(
        "risk_model",
        N_("Risk indicators"),
        N_("Train, evaluate and audit the risk-indicator model; publish its model card."),
        frozenset({"analyst"}),
        "14",
    ),
)


def role(code: str) -> Role:
    """The role with this code; a clear error listing valid codes otherwise."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownRoleError(
            "Unknown role {role!r}; valid roles: {valid}.", role=code, valid=", ".join(ROLE_CODES)
        ) from None


def apps_for(roles: tuple[str, ...] | frozenset[str]) -> tuple[AppEntry, ...]:
    """The apps that a person holding ``roles`` may open, in menu order."""
    held = set(roles)
    return tuple(app for app in APPS if app.roles & held)


def may_see_identity(roles: tuple[str, ...] | frozenset[str]) -> bool:
    return any(role(code).sees_identity for code in roles)
