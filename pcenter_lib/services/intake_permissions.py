"""Who may do what in the intake app: one table of use cases and the roles allowed (Rule 14).

Each intake use case calls ``require_permission`` first; it reads the acting user's roles from
the database, so a role taken away stops working at once, and raises
``PermissionDeniedError`` naming the use case otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from sqlalchemy.orm import Session

from pcenter_lib.domain.access import may_see_identity
from pcenter_lib.errors import NotFoundError, PermissionDeniedError
from pcenter_lib.i18n import N_, gettext
from pcenter_lib.services.users import find_user

_DESK: Final = frozenset({"intake_operator", "specialist", "supervisor"})
_CLINICAL: Final = frozenset({"specialist", "supervisor"})
# Rule 18: the Center's management (the first head and the deputies, who hold the manager role)
# informs the bodies on a direct threat; it follows the case in the journal, without names.
_MANAGEMENT: Final = frozenset({"manager"})

# use case → roles allowed, with the label a refused person reads.
INTAKE_PERMISSIONS: Final = MappingProxyType(
    {
        "register_request": (frozenset({"intake_operator", "specialist"}), N_("register requests")),
        "view_journal": (_DESK | _MANAGEMENT, N_("view the journal")),
        "export_journal": (_DESK, N_("export the journal")),
        "amend_request": (_DESK, N_("correct journal entries")),
        "mark_direct_threat": (_DESK, N_("mark a direct threat")),
        "record_notification": (_DESK, N_("record notifications")),
        "record_consent": (_DESK, N_("record consent")),
        "record_help": (_CLINICAL, N_("record help given")),
        "mobile_group": (_CLINICAL, N_("form mobile groups")),
        "review_critical": (_CLINICAL, N_("review critical screening answers")),
        "close_direct_threat": (_CLINICAL, N_("close a direct threat")),
        "add_notification_body": (_CLINICAL, N_("add bodies to notify")),
        "edit_child_record": (_DESK, N_("complete and merge child records")),
        "view_alerts": (_DESK | _MANAGEMENT, N_("see direct-threat alerts")),
        "view_compliance": (
            _CLINICAL | _MANAGEMENT | {"administrator"},
            N_("view the compliance figures"),
        ),
        "edit_calendar": (frozenset({"administrator"}), N_("edit the working-day calendar")),
    }
)


class RoleRefusedError(PermissionDeniedError):
    """The acting user's roles do not allow a use case; the use case is named in their language."""

    def localized(self, lang: str) -> str:
        action = gettext(str(self.params.get("action", "")), lang)
        return gettext(self.msgid, lang).format(action=action)


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting user as a use case needs it: name, roles, whether identity may be shown."""

    username: str
    roles: tuple[str, ...]

    @property
    def sees_identity(self) -> bool:
        return may_see_identity(self.roles)


def load_actor(session: Session, username: str) -> Actor:
    """The active user named ``username``; unknown or disabled users may do nothing."""
    try:
        user = find_user(session, username)
    except NotFoundError:
        raise PermissionDeniedError(
            N_("The user {username} is not registered or is disabled."), username=username
        ) from None
    return Actor(user.username, user.roles)


def is_allowed(roles: tuple[str, ...] | frozenset[str], use_case: str) -> bool:
    """Whether any of ``roles`` may perform ``use_case`` (for showing or hiding a tab)."""
    allowed, _label = INTAKE_PERMISSIONS[use_case]
    return bool(allowed & set(roles))


def require_permission(session: Session, actor: str, use_case: str) -> Actor:
    """The actor, if one of their roles allows ``use_case``; else ``PermissionDeniedError``."""
    who = load_actor(session, actor)
    if not is_allowed(who.roles, use_case):
        _allowed, label = INTAKE_PERMISSIONS[use_case]
        raise RoleRefusedError(N_("Your role does not allow you to {action}."), action=label)
    return who
