"""Who asked for an app page, handed from the Jupyter server to the page's kernel.

A hub administrator may open another person's JupyterHub server (the admin role grants
``access:servers``). That server then authenticates the administrator, not its owner.
:class:`pcenter_server.kernels.BoundedKernelManager` writes the authenticated requester into the
new kernel's environment as :data:`REQUEST_USER_ENV`, and the app (``widgets.hub_identity``)
shows nothing unless requester and owner are one person. This module imports nothing heavy, so
kernels can read the name without loading the Jupyter server.
"""

from __future__ import annotations

from typing import Any, Final

REQUEST_USER_ENV: Final = "PCENTER_REQUEST_USER"


def requesting_user(handler: Any) -> str | None:
    """The user name jupyter_server authenticated for this request (None without one)."""
    user = getattr(handler, "current_user", None)
    name = getattr(user, "username", None)
    return name if isinstance(name, str) and name else None
