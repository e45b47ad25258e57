"""Who is signed in under JupyterHub: the hub's word for it, confirmed by the hub itself.

JupyterHub starts each person's single-user server with ``JUPYTERHUB_USER`` (their hub name),
``JUPYTERHUB_API_TOKEN`` (a token the hub issued to that server, owned by that person) and
``JUPYTERHUB_API_URL`` in its environment (JupyterHub docs, "Spawner environment variables").
The server refuses every request that does not carry that person's hub login (hub OAuth), and
app kernels inherit the server's environment. A browser cannot set these variables: Voilà puts
only the query string and the configured headers (as ``HTTP_*``) into a kernel's environment.

The name alone is still not trusted, since a variable called ``JUPYTERHUB_USER`` proves nothing
when a server was started by hand with it set (for example ``pcenter serve`` launched from a
shell where it lingers: then anybody who reaches that port would become that person). The name
counts only when the hub answers ``GET {JUPYTERHUB_API_URL}/user`` with the token and names the
same user (JupyterHub REST API, "Return the authenticated user"): that happens only inside a
server the hub really spawned for that person.

A hub administrator may open another person's server (the admin role grants
``access:servers``). The server then authenticates the administrator, not the owner, and
:class:`pcenter_server.kernels.BoundedKernelManager` passes that requester to the kernel
(``PCENTER_REQUEST_USER``); the app shows nothing unless requester and owner are one person.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from pcenter_lib.i18n import N_
from pcenter_server.request_user import REQUEST_USER_ENV

HUB_USER_ENV: Final = "JUPYTERHUB_USER"
HUB_TOKEN_ENV: Final = "JUPYTERHUB_API_TOKEN"
HUB_API_ENV: Final = "JUPYTERHUB_API_URL"
HUB_TIMEOUT_S: Final = 5.0

HUB_NOT_CONFIRMED = N_(
    "JupyterHub did not confirm who you are, so no data is shown. Reload the page; if this "
    "message stays, ask the administrator to check the JupyterHub service."
)

ANOTHER_PERSONS_SERVER = N_(
    "This page belongs to the workspace of {owner}, but you are signed in as {viewer}, so no data "
    "is shown. Open the workbench from your own sign-in."
)

# no proxy from the environment: the hub is asked directly, never through a third party
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def claims_hub_user(environ: Mapping[str, str]) -> bool:
    """True when the environment says this is a JupyterHub single-user server."""
    return bool(environ.get(HUB_USER_ENV, "").strip())


def confirmed_hub_user(environ: Mapping[str, str], *, timeout: float = HUB_TIMEOUT_S) -> str | None:
    """The hub user name when the hub confirms it for this server's token, else None."""
    claimed = environ.get(HUB_USER_ENV, "").strip()
    token = environ.get(HUB_TOKEN_ENV, "").strip()
    api_url = environ.get(HUB_API_ENV, "").strip().rstrip("/")
    if not (claimed and token and api_url) or urlsplit(api_url).scheme not in ("http", "https"):
        return None
    request = urllib.request.Request(
        f"{api_url}/user", headers={"Authorization": f"token {token}"}
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            model = json.load(response)
    except (OSError, ValueError):
        return None
    name = model.get("name") if isinstance(model, dict) else None
    return claimed if name == claimed else None


@dataclass(frozen=True)
class HubIdentity:
    """The hub user a page may act as, or why there is none (a msgid and its parameters)."""

    username: str | None
    problem: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)


def identify_hub_user(environ: Mapping[str, str]) -> HubIdentity:
    """The server's owner, when the hub confirms them and they are the one who asked."""
    owner = confirmed_hub_user(environ)
    requester = environ.get(REQUEST_USER_ENV, "").strip()
    if owner is None or not requester:
        return HubIdentity(None, HUB_NOT_CONFIRMED)
    if requester != owner:
        return HubIdentity(None, ANOTHER_PERSONS_SERVER, {"owner": owner, "viewer": requester})
    return HubIdentity(owner)
