"""Who is using the app: identity comes from a source that can prove it, never from the asker.

Identity sources are tried in order (``IDENTITY_SOURCES``); each either identifies the person,
refuses the page, or passes. A new deployment adds its own source here without touching the apps.

- :class:`JupyterHubSource` — in a JupyterHub single-user server (``deploy/``) the person is the
  server's owner, as the hub confirms it (:mod:`widgets.hub_identity`); headers and demo roles are
  then never consulted.

- :class:`ProxyHeaderSource` — behind the authenticating reverse proxy the user name arrives in
  ``X-Forwarded-User``; Voilà hands headers to the kernel as environment variables
  (``voila.json``: ``VoilaConfiguration.http_header_envs``). Anybody who can reach the Voilà
  port can send that header, so it is believed only together with ``X-Pcenter-Proxy-Secret``
  carrying the shared secret that the proxy adds and that the workbench reads from
  ``PCENTER_PROXY_SECRET_FILE`` (compared in constant time). A user header without that proof
  gets a refusal page and nothing else — not even the demo sign-in.
- :class:`DemoSource` — demo mode, which follows the database (``Workbench.demo``: only a
  database built by ``pcenter demo``, never one with real records, whatever the environment
  says): a role picker, and ``?demo_role=methodologist`` keeps the role picked on the home page
  when the person follows a link to another app (each page is a new kernel).

Without any of them nobody is signed in and no data is shown. Voilà also passes the page's query
string (``QUERY_STRING``): ``lang=ru`` chooses the language.
"""

from __future__ import annotations

import hmac
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol
from urllib.parse import parse_qs

from pcenter_lib.domain.access import ROLE_CODES
from pcenter_lib.errors import ConfigurationError, NotFoundError, PcenterError
from pcenter_lib.i18n import N_, SUPPORTED_LANGUAGES
from pcenter_lib.services.users import UserView, find_user, first_user_with_role
from pcenter_lib.workbench import Workbench
from widgets.hub_identity import claims_hub_user, identify_hub_user

FORWARDED_USER_ENV: Final = "HTTP_X_FORWARDED_USER"
PROXY_SECRET_ENV: Final = "HTTP_X_PCENTER_PROXY_SECRET"
QUERY_STRING_ENV: Final = "QUERY_STRING"
LANG_PARAM: Final = "lang"
DEMO_ROLE_PARAM: Final = "demo_role"
_MIN_SECRET_BYTES: Final = 32

NOT_SIGNED_IN = N_(
    "You are not signed in. Open the workbench through the Center's sign-in page; no data is "
    "shown without a signed-in user."
)
UNKNOWN_USER = N_(
    "The user {username} is not registered in the workbench or is disabled. Ask the "
    "administrator to add you with your roles."
)
PICK_DEMO_ROLE = N_(
    "Demo mode: choose a role above to try the workbench as the demo user who holds it."
)
NO_DEMO_USER = N_("No demo user holds the role {role}; run: pcenter demo")
UNPROVEN_IDENTITY = N_(
    "This page was reached with a user name that did not come from the Center's sign-in: the "
    "request did not carry the sign-in proxy's proof. Nothing is shown. Open the workbench "
    "through the Center's sign-in page; if you did, tell the administrator."
)
WEAK_PROXY_SECRET = N_(
    "The proxy secret file {path} must hold at least 32 characters and be readable by its owner "
    "only (chmod 600 {path})."
)
PROXY_SECRET_UNREADABLE = N_("The proxy secret file {path} cannot be read: {reason}.")


class IdentityRefusedError(PcenterError, PermissionError):
    """The request claims an identity it cannot prove; the app shows only this refusal."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of identifying the person: a user, or why there is none."""

    user: UserView | None
    demo_picker: bool  # demo mode without a proven user: offer the role picker
    problem: str | None = None  # msgid explaining why nobody is signed in
    problem_params: Mapping[str, str] = field(default_factory=dict)


class IdentitySource(Protocol):
    """One way to learn who is asking: a SignIn, or None to let the next source decide.

    Raise :class:`IdentityRefusedError` to refuse the page outright.
    """

    def identify(self, workbench: Workbench, environ: Mapping[str, str]) -> SignIn | None: ...


def query_params(environ: Mapping[str, str]) -> dict[str, str]:
    """The page's query parameters (first value of each) as Voilà passed them to the kernel."""
    parsed = parse_qs(environ.get(QUERY_STRING_ENV, ""), keep_blank_values=False)
    return {name: values[0] for name, values in parsed.items() if values}


def requested_language(environ: Mapping[str, str]) -> str | None:
    """The ``lang`` query parameter when it names a supported language, else None."""
    lang = query_params(environ).get(LANG_PARAM, "").strip()
    return lang if lang in SUPPORTED_LANGUAGES else None


def read_proxy_secret(path: Path) -> bytes:
    """The shared secret of the sign-in proxy; a clear error when weak or readable by others."""
    try:
        secret = path.read_bytes().strip()
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigurationError(
            PROXY_SECRET_UNREADABLE, path=str(path), reason=exc.strerror or str(exc)
        ) from exc
    if len(secret) < _MIN_SECRET_BYTES or mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(WEAK_PROXY_SECRET, path=str(path))
    return secret


def _user_named(workbench: Workbench, username: str) -> SignIn:
    with workbench.sessions() as session:
        try:
            return SignIn(find_user(session, username), demo_picker=False)
        except NotFoundError:
            return SignIn(None, False, UNKNOWN_USER, {"username": username})


class JupyterHubSource:
    """The owner of this JupyterHub single-user server, confirmed by the hub; nothing else."""

    def identify(self, workbench: Workbench, environ: Mapping[str, str]) -> SignIn | None:
        if not claims_hub_user(environ):
            return None
        hub = identify_hub_user(environ)
        if hub.username is None:
            return SignIn(None, False, hub.problem, hub.params)
        return _user_named(workbench, hub.username)


class ProxyHeaderSource:
    """``X-Forwarded-User``, believed only with the proxy's shared secret beside it."""

    def identify(self, workbench: Workbench, environ: Mapping[str, str]) -> SignIn | None:
        username = environ.get(FORWARDED_USER_ENV, "").strip()
        if not username:
            return None
        secret_file = workbench.settings.proxy_secret_file
        offered = environ.get(PROXY_SECRET_ENV, "").strip().encode()
        if secret_file is None or not offered:
            raise IdentityRefusedError(UNPROVEN_IDENTITY)
        if not hmac.compare_digest(offered, read_proxy_secret(secret_file)):
            raise IdentityRefusedError(UNPROVEN_IDENTITY)
        return _user_named(workbench, username)


class DemoSource:
    """The demo role picker, only for a database built by ``pcenter demo``."""

    def identify(self, workbench: Workbench, environ: Mapping[str, str]) -> SignIn | None:
        if not workbench.demo:
            return None
        role_code = query_params(environ).get(DEMO_ROLE_PARAM, "")
        if role_code in ROLE_CODES:
            with workbench.sessions() as session:
                user = first_user_with_role(session, role_code)
            if user is not None:
                return SignIn(user, demo_picker=True)
        return SignIn(None, demo_picker=True, problem=PICK_DEMO_ROLE)


IDENTITY_SOURCES: Final[tuple[IdentitySource, ...]] = (
    JupyterHubSource(),
    ProxyHeaderSource(),
    DemoSource(),
)


def find_demo_user(workbench: Workbench, role_code: str) -> UserView:
    """The demo user who holds ``role_code``; a clear error when the demo data lacks one."""
    if not workbench.demo:
        raise IdentityRefusedError(NOT_SIGNED_IN)
    with workbench.sessions() as session:
        user = first_user_with_role(session, role_code)
    if user is None:
        raise NotFoundError(NO_DEMO_USER, role=role_code)
    return user


def identify_user(
    workbench: Workbench,
    environ: Mapping[str, str],
    sources: Sequence[IdentitySource] = IDENTITY_SOURCES,
) -> SignIn:
    """The signed-in user from the first source that knows; raises ``IdentityRefusedError``
    for a claimed identity without proof (the app then shows only the refusal)."""
    for source in sources:
        found = source.identify(workbench, environ)
        if found is not None:
            return found
    return SignIn(None, demo_picker=False, problem=NOT_SIGNED_IN)
