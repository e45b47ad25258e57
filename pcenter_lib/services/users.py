"""Users and their roles: add, list, find the person the proxy names."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pcenter_lib.domain.access import SYSTEM_PREFIX, Actor, role
from pcenter_lib.errors import NotFoundError, PermissionDeniedError, ValidationError
from pcenter_lib.i18n import N_, check_language
from pcenter_lib.models import User, UserRole
from pcenter_lib.services.audit import record_event


@dataclass(frozen=True)
class UserView:
    """A user as the apps see it."""

    username: str
    full_name: str
    roles: tuple[str, ...]
    lang: str
    active: bool


def _view(user: User) -> UserView:
    return UserView(user.username, user.full_name, user.role_codes, user.lang, user.active)


def add_user(
    session: Session,
    *,
    actor: str,
    username: str,
    full_name: str,
    roles: list[str],
    lang: str = "kk",
) -> UserView:
    """Create a user, or add roles to an existing one; every grant is audited."""
    username = username.strip()
    if not username or len(username) > 80 or any(ch.isspace() for ch in username):
        raise ValidationError(
            "A user name must be 1 to 80 characters without spaces, not {value!r}.", value=username
        )
    if not roles:
        raise ValidationError("Give at least one role for user {username}.", username=username)
    for code in roles:
        role(code)
    check_language(lang)
    user = session.scalar(
        select(User).where(User.username == username).options(selectinload(User.roles))
    )
    if user is None:
        user = User(username=username, full_name=full_name.strip() or username, lang=lang)
        session.add(user)
    new = [code for code in dict.fromkeys(roles) if code not in user.role_codes]
    for code in new:
        user.roles.append(UserRole(role=code, granted_by=actor))
    session.flush()
    record_event(
        session,
        actor=actor,
        action="grant_roles",
        entity="user",
        entity_id=user.id,
        details={"username": username, "roles": new},
    )
    return _view(user)


def list_users(session: Session) -> list[UserView]:
    users = session.scalars(
        select(User).options(selectinload(User.roles)).order_by(User.username)
    ).all()
    return [_view(u) for u in users]


def find_user(session: Session, username: str) -> UserView:
    """The active user with this name; NotFoundError when unknown or disabled."""
    user = session.scalar(
        select(User).where(User.username == username).options(selectinload(User.roles))
    )
    if user is None or not user.active:
        raise NotFoundError("No active user named {username!r}.", username=username)
    return _view(user)


def load_actor(session: Session, username: str) -> Actor:
    """The active user named ``username`` as an actor; unknown or disabled users may do nothing.

    Roles are read from the database on every use case, so a role taken away stops working at
    once; pass the result to ``domain.access.require``.
    """
    if username.startswith(SYSTEM_PREFIX):
        # the command line acts under its own name, never a person's: a user registered under
        # such a name is refused rather than taken for it
        registered = session.scalar(select(User.id).where(User.username == username))
        if registered is None:
            return Actor(username, (), system=True)
        raise PermissionDeniedError(
            N_("The name {username} is kept for the command line."), username=username
        )
    try:
        user = find_user(session, username)
    except NotFoundError:
        raise PermissionDeniedError(
            N_("The user {username} is not registered or is disabled."), username=username
        ) from None
    return Actor(user.username, user.roles)


def first_user_with_role(session: Session, role_code: str) -> UserView | None:
    """The active user with ``role_code`` whose name sorts first, or None when nobody holds it.

    Demo mode signs a newcomer in as such a user when they pick a role to try.
    """
    role(role_code)
    user = session.scalar(
        select(User)
        .join(UserRole)
        .where(UserRole.role == role_code, User.active.is_(True))
        .options(selectinload(User.roles))
        .order_by(User.username)
        .limit(1)
    )
    return None if user is None else _view(user)
