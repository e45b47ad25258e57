"""Direct-threat alerts for the Center's management: a banner and a list (Rule 18).

Rule 18 makes the Center's management — the first head and the deputies — inform the health
bodies, the police and other authorized bodies immediately, so they must see a direct threat the
moment it is registered. The banner lists every direct threat that still owes a notification,
the most urgent first, and disappears by itself when the last one is sent (never stale). The
list below keeps the direct threats of the last 30 days so a case can be followed. On the home
page a link opens the intake app; inside the intake app "Follow" opens the case. Journal numbers,
times and counts only — no child's name.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Final

import ipywidgets as widgets

from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.alerts import ThreatAlert, threat_alerts
from widgets.markup import heading, html_table
from widgets.shell import AppShell

BANNER_LINE: Final = N_("Direct threat {number}: {unsent} of {owed} notifications not sent; due {due}.")
OVERDUE: Final = N_("overdue")
LIST_HEADING: Final = N_("Direct threats of the last 30 days")
HEADERS: Final = (N_("Journal number"), N_("Raised at"), N_("Notifications sent"), N_("State"))
ACTIVE: Final = N_("notifications owed")
DONE: Final = N_("everybody notified")
CLOSED: Final = N_("request closed")
FOLLOW: Final = N_("Follow {number}")
OPEN_APP: Final = N_("Open the requests app to follow the case")
REFRESH: Final = N_("Refresh")
NONE: Final = N_("No direct threat in the last 30 days.")
SHOWN_IN_BANNER: Final = 5


class ThreatAlerts:
    """Banner of active alerts, optional list, and the way to the case."""

    def __init__(
        self,
        shell: AppShell,
        *,
        clock: Callable[[], datetime] = utcnow,
        on_open: Callable[[int], object] | None = None,
        with_list: bool = False,
    ) -> None:
        self.shell, self.clock, self.on_open, self.with_list = shell, clock, on_open, with_list
        self.alerts: list[ThreatAlert] = []
        self.banner = widgets.HTML()
        self.banner.add_class("pcenter-alert-banner")
        self.follow = widgets.HBox()
        self.listing = widgets.HTML()
        self.listing.add_class("pcenter-alert-list")
        self.refresh = widgets.Button(layout=widgets.Layout(width="max-content"))
        self.refresh.add_class("pcenter-alert-refresh")
        self.refresh.on_click(shell.guard(lambda _b: self.render()))
        self.widget = widgets.VBox([self.banner, self.follow, self.listing, self.refresh])
        self.widget.add_class("pcenter-alerts")

    def reload(self) -> None:
        with self.shell.workbench.sessions() as session:
            self.alerts = threat_alerts(session, actor=self.shell.actor, now=self.clock())
        self.show()

    def render(self) -> None:
        self.reload()

    def active(self) -> list[ThreatAlert]:
        return [a for a in self.alerts if a.active]

    def show(self) -> None:
        t, now = self.shell.t, self.clock()
        self.refresh.description = t(REFRESH)
        active = self.active()
        lines = []
        for alert in active[:SHOWN_IN_BANNER]:
            line = t(
                BANNER_LINE,
                number=alert.journal_number,
                unsent=alert.unsent,
                owed=alert.owed,
                due=format_moment(alert.next_due_at, self.shell.lang),
            )
            if alert.overdue(now):
                line += f" ({t(OVERDUE)})"
            lines.append(f"<li>{html.escape(line)}</li>")
        if len(active) > SHOWN_IN_BANNER:
            lines.append(f"<li>… +{len(active) - SHOWN_IN_BANNER}</li>")
        self.banner.value = (
            f'<div class="pcenter-banner-error" role="alert"><ul>{"".join(lines)}</ul></div>'
            if lines
            else ""
        )
        self._follow_controls(active[:SHOWN_IN_BANNER])
        self.listing.value = self._list_markup() if self.with_list else ""
        # Nothing owed and no list asked for: nothing to show, not even an empty frame.
        self.widget.layout.display = None if active or self.with_list else "none"

    def _follow_controls(self, active: list[ThreatAlert]) -> None:
        t = self.shell.t
        controls: list[widgets.Widget] = []
        if self.on_open is not None:
            for alert in active:
                made = widgets.Button(
                    description=t(FOLLOW, number=alert.journal_number),
                    layout=widgets.Layout(width="max-content"),
                )
                made.add_class("pcenter-alert-follow")
                made.on_click(self.shell.guard(lambda _b, rid=alert.request_id: self._open(rid)))
                controls.append(made)
        elif self.alerts:
            link = html.escape(self.shell.app_url("intake"))
            controls.append(widgets.HTML(f'<a href="{link}">{html.escape(t(OPEN_APP))}</a>'))
        self.follow.children = tuple(controls)

    def _open(self, request_id: int) -> None:
        if self.on_open is not None:
            self.on_open(request_id)

    def _list_markup(self) -> str:
        t = self.shell.t
        if not self.alerts:
            return f"{heading(t(LIST_HEADING))}<p>{html.escape(t(NONE))}</p>"
        rows = [
            (
                a.journal_number,
                format_moment(a.raised_at, self.shell.lang),
                f"{a.owed - a.unsent} / {a.owed}",
                t(ACTIVE if a.active else (CLOSED if a.closed else DONE)),
            )
            for a in self.alerts
        ]
        table = html_table([t(h) for h in HEADERS], rows, css_class="pcenter-alert-table")
        return f"{heading(t(LIST_HEADING))}{table}"
