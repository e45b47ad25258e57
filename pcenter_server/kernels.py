"""App kernels that do not pile up: shut down when the page closes, and at most N per server.

Every app page gets its own kernel (about 170 MB). Three things keep their number bounded:

1. **Page closed → kernel shut down.** Voilà's page sends a beacon on ``beforeunload`` to
   ``/voila/api/shutdown/<kernel id>`` with the ``_xsrf`` cookie value as a form field. Voilà's
   page handler never issues that cookie, so the beacon is refused (``403 '_xsrf' argument
   missing from POST``, voila-dashboards/voila issue 1458) and the kernel lives on until the
   culler finds it. :class:`BoundedKernelManager` issues the cookie (tornado's
   ``RequestHandler.xsrf_token``) on the page response that starts the kernel, so the beacon
   Voilà already sends is accepted. XSRF protection stays on.
2. **Disconnected kernels are culled** by jupyter_server's own culler
   (``MappingKernelManager.cull_idle_timeout``/``cull_interval``/``cull_connected=False`` in
   ``voila.json`` and ``deploy/jupyter_server_config.py``): a tab that crashed or lost its
   network sends no beacon, and its kernel goes within about two minutes.
3. **At most ``max_kernels`` kernels per server** (one server per person under JupyterHub). When
   a new page would exceed it, the oldest kernel that has had no open connection for
   ``eviction_grace_seconds`` (10 s) is shut down first: nobody is looking at it. If every kernel
   belongs to an open page, the new page is refused with a clear message in the person's
   language rather than closing a page they are working in: an open intake form may hold a
   request that is not saved yet, and losing it silently could cost a child its registration.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
import gc
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import ApiPath
from tornado import web
from traitlets import Float, Integer

from pcenter_lib.i18n import DEFAULT_LANGUAGE, N_, SUPPORTED_LANGUAGES, gettext
from pcenter_server.request_user import REQUEST_USER_ENV, requesting_user

TOO_MANY_PAGES = N_(
    "You already have {count} app pages open, the most one person may have at once. Close a "
    "page you no longer need (or wait a minute after closing one) and open this one again."
)
KERNEL_LIMIT_STATUS = 503  # Service Unavailable: the request may succeed later


class KernelLimitReached(web.HTTPError):
    """A new app page would exceed ``max_kernels`` and no idle kernel can make room."""

    def __init__(self, count: int, lang: str) -> None:
        message = gettext(TOO_MANY_PAGES, lang).format(count=count)
        super().__init__(KERNEL_LIMIT_STATUS, "%s", message)
        self.message = message


def request_language(handler: Any, environ: Mapping[str, str] = os.environ) -> str:
    """The page's ``lang`` query parameter when supported, else ``PCENTER_LANG``, else kk."""
    lang = handler.get_argument("lang", None) if handler is not None else None
    if lang in SUPPORTED_LANGUAGES:
        return str(lang)
    configured = environ.get("PCENTER_LANG", "").strip()
    return configured if configured in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def issue_xsrf_cookie(handler: Any) -> None:
    """Make tornado set the ``_xsrf`` cookie on this page response (if the browser lacks it).

    Reading ``RequestHandler.xsrf_token`` sets the cookie as a side effect (tornado docs,
    ``RequestHandler.xsrf_token``); the page's unload beacon then carries a valid token.
    """
    if handler is not None and hasattr(handler, "xsrf_token") and not handler._headers_written:
        _ = handler.xsrf_token


def with_requesting_user(env: Mapping[str, str] | None, handler: Any) -> dict[str, str]:
    """The kernel environment with the authenticated requester (``PCENTER_REQUEST_USER``).

    The value comes from the server's own authentication of the request, never from anything
    the client sends; any inherited value is dropped first.
    """
    kernel_env = {k: v for k, v in (env or os.environ).items() if k != REQUEST_USER_ENV}
    requester = requesting_user(handler)
    if requester is not None:
        kernel_env[REQUEST_USER_ENV] = requester
    return kernel_env


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (None on other C libraries)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_freed_memory() -> None:
    """Hand the memory a closed page's bookkeeping used back to the system.

    The server's heap keeps freed blocks for reuse, so its resident size creeps up with every
    page served; ``malloc_trim(0)`` (glibc, malloc_trim(3)) returns free pages to the system.
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def evictable_kernels(
    activity: Mapping[str, datetime],
    connections: Mapping[str, int],
    *,
    now: datetime,
    grace: timedelta,
) -> list[str]:
    """Kernels without an open connection and idle for longer than ``grace``, oldest first.

    A kernel whose page is still rendering has no connection yet but is active (it is executing
    the notebook), so the grace period keeps it safe.
    """
    idle = [
        kernel_id
        for kernel_id, last in activity.items()
        if connections.get(kernel_id, 0) == 0 and now - last > grace
    ]
    return sorted(idle, key=lambda kernel_id: activity[kernel_id])


class BoundedKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager with a bound and the XSRF cookie the unload beacon needs.

    Configure it as ``VoilaConfiguration.multi_kernel_manager_class`` (``pcenter serve``) or
    ``ServerApp.kernel_manager_class`` (a JupyterHub single-user server).
    """

    max_kernels = Integer(
        6,
        config=True,
        help="Most kernels (open app pages) at once in this server; 0 means no bound.",
    )
    eviction_grace_seconds = Float(
        10.0,
        config=True,
        help="A kernel without connections is shut down to make room only after this idle time.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self._room_lock = asyncio.Lock()

    async def start_kernel(  # type: ignore[override]
        self, *, kernel_id: str | None = None, path: ApiPath | None = None, **kwargs: Any
    ) -> str:
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        issue_xsrf_cookie(handler)
        kwargs["env"] = with_requesting_user(kwargs.get("env"), handler)
        if kernel_id is not None and kernel_id in self:
            return str(await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs))
        async with self._room_lock:
            await self._make_room(request_language(handler))
            return str(await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs))

    async def shutdown_kernel(  # type: ignore[override]
        self, kernel_id: str, now: bool = False, restart: bool = False
    ) -> None:
        await super().shutdown_kernel(kernel_id, now=now, restart=restart)  # type: ignore[no-untyped-call]
        if not restart:
            release_freed_memory()

    async def _make_room(self, lang: str) -> None:
        """Shut down idle disconnected kernels until a new one fits; refuse if none can go."""
        if self.max_kernels <= 0:
            return
        running = list(self.list_kernel_ids())
        excess = len(running) + 1 - self.max_kernels
        if excess <= 0:
            return
        activity = {
            kernel_id: getattr(self.get_kernel(kernel_id), "last_activity", None)
            or datetime.min.replace(tzinfo=UTC)
            for kernel_id in running
        }
        victims = evictable_kernels(
            activity,
            self._kernel_connections,
            now=datetime.now(UTC),
            grace=timedelta(seconds=self.eviction_grace_seconds),
        )[:excess]
        for kernel_id in victims:
            self.log.info("Shutting down kernel %s to stay within %d", kernel_id, self.max_kernels)
            await self.shutdown_kernel(kernel_id)
        if len(victims) < excess:
            self.log.warning("Kernel limit %d reached; a new app page was refused", self.max_kernels)
            raise KernelLimitReached(len(running), lang)
