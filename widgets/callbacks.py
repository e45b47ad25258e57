"""Widget callbacks that never fail silently.

Voilà shows nothing when a widget callback raises: not on the page, not in the browser console,
not in the server log. Every handler therefore runs through :func:`guard_callback` (or the
``@guarded(shell)`` decorator, or ``shell.guard(fn)``):

- a deliberate :class:`~pcenter_lib.errors.PcenterError` is shown to the person in their
  language (``err.localized(lang)``), because its message says what was wrong and what is valid;
- a busy database (another person's long save holds the lock) is shown as a translated
  "busy, try again";
- any other exception is logged with its traceback on the ``pcenter.widgets`` logger under a
  short reference id, and the person sees a generic message quoting that id, so that the
  administrator can find the traceback in the server log.

Neither kind is re-raised into Voilà; the callback returns ``None`` instead.
"""

from __future__ import annotations

import functools
import logging
import secrets
import sys
from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_, gettext
from pcenter_lib.transactions import BUSY, is_busy

P = ParamSpec("P")
R = TypeVar("R")

LOGGER = logging.getLogger("pcenter.widgets")

UNEXPECTED_ERROR = N_(
    "Something went wrong and the action was not completed. The error was recorded under "
    "reference {ref}; please give this reference to the administrator."
)


class GuardHost(Protocol):
    """What a guard needs from the app around it: the language and a place to show errors."""

    @property
    def lang(self) -> str: ...

    def show_error(self, text: str) -> None: ...


def new_error_reference() -> str:
    """A short random id that links the message a person sees to the logged traceback."""
    return secrets.token_hex(4)


def log_unexpected_error(where: str) -> str:
    """Log the exception being handled with its traceback; return the reference id to show."""
    ref = new_error_reference()
    LOGGER.exception("Unexpected error in %s (reference %s)", where, ref)
    return ref


def describe_unexpected_error(ref: str, lang: str) -> str:
    """The generic message for an unexpected error, in ``lang``, quoting ``ref``."""
    return gettext(UNEXPECTED_ERROR, lang).format(ref=ref)


def send_log_to_server() -> None:
    """Make ``pcenter.*`` warnings reach the Voilà server's log (the kernel's real stderr).

    Inside a kernel nothing configures logging, and ``sys.stderr`` is redirected to the page;
    ``sys.__stderr__`` is the process's own stderr, which the kernel shares with the Voilà
    server. Does nothing when the ``pcenter`` logger already has a handler.
    """
    logger = logging.getLogger("pcenter")
    if logger.handlers or sys.__stderr__ is None:
        return
    handler = logging.StreamHandler(sys.__stderr__)
    handler.setFormatter(logging.Formatter("[%(levelname)s %(asctime)s %(name)s] %(message)s"))
    handler.setLevel(logging.WARNING)
    logger.addHandler(handler)


def _name_of(fn: Callable[..., object]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


def guard_callback(host: GuardHost, fn: Callable[P, R]) -> Callable[P, R | None]:
    """Wrap ``fn`` so that its errors are shown in ``host``'s banner and never lost."""

    @functools.wraps(fn)
    def guarded_call(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return fn(*args, **kwargs)
        except PcenterError as error:
            LOGGER.info("%s refused: %s", _name_of(fn), error)
            host.show_error(error.localized(host.lang))
        except Exception as error:
            if is_busy(error):  # another person's long save: say so, in their language
                LOGGER.info("%s: database busy", _name_of(fn))
                host.show_error(gettext(BUSY, host.lang))
                return None
            ref = log_unexpected_error(_name_of(fn))
            host.show_error(describe_unexpected_error(ref, host.lang))
        return None

    return guarded_call


def guarded(host: GuardHost) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Decorator form of :func:`guard_callback`: ``@guarded(shell)`` above a handler."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R | None]:
        return guard_callback(host, fn)

    return decorate
