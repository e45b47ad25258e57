"""Who is using the app: the proxy's user header, or a demo role, or nobody.

Behind the authenticating reverse proxy the user name arrives in the ``X-Forwarded-User``
header; Voilà hands it to the kernel as the environment variable ``HTTP_X_FORWARDED_USER``
(``voila.json``: ``VoilaConfiguration.http_header_envs``). The proxy must drop any copy of the
header sent by the browser. Without the header, demo mode lets a newcomer pick a role and signs
them in as the demo user holding it; outside demo mode nobody is signed in and no data is shown.

Voilà also passes the page's query string (``QUERY_STRING``): ``lang=ru`` chooses the language,
and in demo mode only, ``demo_role=methodologist`` keeps the role picked on the home page when
the person follows a link to another app (each page is a new kernel).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from pcenter_lib.domain.access import ROLE_CODES
from pcenter_lib.errors import NotFoundError
from pcenter_lib.i18n import N_, SUPPORTED_LANGUAGES
from pcenter_lib.services.users import UserView, find_user, first_user_with_role
from pcenter_lib.workbench import Workbench

FORWARDED_USER_ENV = "HTTP_X_FORWARDED_USER"
QUERY_STRING_ENV = "QUERY_STRING"
LANG_PARAM = "lang"
DEMO_ROLE_PARAM = "demo_role"

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


@dataclass(frozen=True)
class SignIn:
    """The outcome of identifying the person: a user, or why there is none."""

    user: UserView | None
    demo_picker: bool  # demo mode without a proxy header: offer the role picker
    problem: str | None = None  # msgid explaining why nobody is signed in
    problem_params: Mapping[str, str] = field(default_factory=dict)


def query_params(environ: Mapping[str, str]) -> dict[str, str]:
    """The page's query parameters (first value of each) as Voilà passed them to the kernel."""
    parsed = parse_qs(environ.get(QUERY_STRING_ENV, ""), keep_blank_values=False)
    return {name: values[0] for name, values in parsed.items() if values}


def requested_language(environ: Mapping[str, str]) -> str | None:
    """The ``lang`` query parameter when it names a supported language, else None."""
    lang = query_params(environ).get(LANG_PARAM, "").strip()
    return lang if lang in SUPPORTED_LANGUAGES else None


def find_demo_user(workbench: Workbench, role_code: str) -> UserView:
    """The demo user who holds ``role_code``; a clear error when the demo data lacks one."""
    with workbench.sessions() as session:
        user = first_user_with_role(session, role_code)
    if user is None:
        raise NotFoundError(NO_DEMO_USER, role=role_code)
    return user


def identify_user(workbench: Workbench, environ: Mapping[str, str]) -> SignIn:
    """Resolve the signed-in user from the proxy header, the demo role or nobody."""
    username = environ.get(FORWARDED_USER_ENV, "").strip()
    if username:
        with workbench.sessions() as session:
            try:
                return SignIn(find_user(session, username), demo_picker=False)
            except NotFoundError:
                return SignIn(None, False, UNKNOWN_USER, {"username": username})
    if not workbench.demo:
        return SignIn(None, demo_picker=False, problem=NOT_SIGNED_IN)
    role_code = query_params(environ).get(DEMO_ROLE_PARAM, "")
    if role_code in ROLE_CODES:
        with workbench.sessions() as session:
            user = first_user_with_role(session, role_code)
        if user is not None:
            return SignIn(user, demo_picker=True)
    return SignIn(None, demo_picker=True, problem=PICK_DEMO_ROLE)
