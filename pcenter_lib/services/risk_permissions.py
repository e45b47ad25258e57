"""Who may do what with risk scores and the priority queue: one table of use cases and roles.

Each risk use case calls ``require_risk_permission`` first. People are checked against their
roles in the database (``intake_permissions.require_permission`` does the same for intake).
The command line acts as ``system:cli`` — whoever runs it on the server already holds the
database and its key — and may train, evaluate, publish and score, but never decide about a
child: overrides are a supervisor's (the Law "On personal data and their protection", Art. 19-1).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcenter_lib.i18n import N_
from pcenter_lib.models import User
from pcenter_lib.services.intake_permissions import Actor, RoleRefusedError, load_actor

SYSTEM_PREFIX: Final = "system:"
_MODEL: Final = frozenset({"analyst"})

# use case → (roles allowed, label a refused person reads, allowed to the command line)
RISK_PERMISSIONS: Final = MappingProxyType(
    {
        "train_risk_model": (_MODEL, N_("train risk models"), True),
        "evaluate_risk_model": (_MODEL, N_("evaluate risk models"), True),
        "publish_risk_model": (_MODEL, N_("publish or refuse risk models"), True),
        "view_risk_models": (_MODEL | {"supervisor"}, N_("read risk model cards"), True),
        "score_children": (_MODEL | {"supervisor"}, N_("score children"), True),
        "view_priority_queue": (frozenset({"supervisor"}), N_("view the priority queue"), False),
        "override_priority": (frozenset({"supervisor"}), N_("change a child's priority"), False),
        "view_override_rates": (
            frozenset({"supervisor", "analyst", "manager"}),
            N_("view override rates"),
            True,
        ),
        "record_crisis_event": (
            frozenset({"specialist", "supervisor"}),
            N_("record crisis events"),
            False,
        ),
    }
)


def is_risk_allowed(roles: tuple[str, ...] | frozenset[str], use_case: str) -> bool:
    """Whether any of ``roles`` may perform ``use_case`` (for showing or hiding a control)."""
    return bool(RISK_PERMISSIONS[use_case][0] & set(roles))


def require_risk_permission(session: Session, actor: str, use_case: str) -> Actor:
    """The actor, if allowed ``use_case``; else ``PermissionDeniedError`` naming the use case."""
    allowed, label, command_line = RISK_PERMISSIONS[use_case]
    if actor.startswith(SYSTEM_PREFIX):
        registered = session.scalar(select(User.id).where(User.username == actor))
        if command_line and registered is None:
            return Actor(actor, ())
        raise RoleRefusedError(N_("Your role does not allow you to {action}."), action=label)
    who = load_actor(session, actor)
    if not allowed & set(who.roles):
        raise RoleRefusedError(N_("Your role does not allow you to {action}."), action=label)
    return who

