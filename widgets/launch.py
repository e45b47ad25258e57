"""Opening an app page: the workbench from the environment, then the app, or a readable error.

A notebook cell that raises shows Voilà's bare "There was an error when executing cell" (with
tracebacks hidden). :func:`launch_app` turns every failure while an app is being built into a
page the person can read in their language: a configuration or database problem
(``PcenterError``) with its own message, anything else with the generic message and a reference
id whose traceback is in the server log.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping

import ipywidgets as widgets

from pcenter_lib.config import load_settings
from pcenter_lib.db import schema_is_current
from pcenter_lib.errors import DatabaseUnavailableError, PcenterError
from pcenter_lib.i18n import DEFAULT_LANGUAGE, N_, SUPPORTED_LANGUAGES, gettext
from pcenter_lib.workbench import Workbench, open_workbench
from widgets.callbacks import describe_unexpected_error, log_unexpected_error, send_log_to_server
from widgets.identity import requested_language
from widgets.styles import SHELL_CSS

AppBuilder = Callable[[Workbench, Mapping[str, str]], widgets.Widget]

CANNOT_OPEN = N_("The workbench cannot open this page.")
SCHEMA_NOT_CURRENT = N_("The database {url} does not have the current schema; run: pcenter init-db")


def page_language(environ: Mapping[str, str]) -> str:
    """The language for a page shown before anybody is identified: query, PCENTER_LANG, kk."""
    configured = environ.get("PCENTER_LANG", "").strip()
    fallback = configured if configured in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    return requested_language(environ) or fallback


def ensure_schema_current(workbench: Workbench) -> None:
    """Raise a clear error when the database lacks the newest migration (or any schema)."""
    if not schema_is_current(workbench.engine):
        url = workbench.engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailableError(SCHEMA_NOT_CURRENT, url=url)


def fatal_page(message: str, lang: str) -> widgets.Widget:
    """A page that says the app cannot open and why (``message`` is already translated)."""
    notice = widgets.HTML(
        f"<h1>{html.escape(gettext(CANNOT_OPEN, lang))}</h1><p>{html.escape(message)}</p>"
    )
    notice.add_class("pcenter-fatal")
    page = widgets.VBox([widgets.HTML(SHELL_CSS), notice])
    page.add_class("pcenter-app")
    return page


def launch_app(
    build: AppBuilder,
    *,
    workbench: Workbench | None = None,
    environ: Mapping[str, str] | None = None,
) -> widgets.Widget:
    """Open the workbench (from ``environ`` when not given) and return ``build(workbench, env)``.

    Never raises: failures become a :func:`fatal_page`.
    """
    env = os.environ if environ is None else environ
    send_log_to_server()
    lang = page_language(env)
    try:
        opened = workbench if workbench is not None else open_workbench(load_settings(env))
        ensure_schema_current(opened)
        return build(opened, env)
    except PcenterError as error:
        return fatal_page(error.localized(lang), lang)
    except Exception:
        ref = log_unexpected_error(getattr(build, "__qualname__", repr(build)))
        return fatal_page(describe_unexpected_error(ref, lang), lang)
