"""The register of the reports written: number, period, language, author, hash, and sending.

Every report of Rules 20–23 written in the app or on the command line is listed, newest first
(the restricted annex only for those who may export it). A report not sent yet can be recorded
as sent — to whom, when (now), by whom — once (``report_dispatch.record_report_sent``).
"""

from __future__ import annotations

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.services.report_dispatch import record_report_sent
from pcenter_lib.services.report_registry import ReportRow, list_reports
from widgets.kit import Panel, show
from widgets.markup import heading, html_table, note
from widgets.reports.state import ReportsState
from widgets.shell import AppShell

HEADERS = (
    N_("Outgoing number"),
    N_("Report"),
    N_("Period"),
    N_("Language"),
    N_("Written"),
    N_("Written by"),
    N_("Addressee"),
    N_("Sent to"),
    N_("Sent at"),
    N_("Sent by"),
)


class RegisterPanel(Panel[ReportsState]):
    """The reports written and their sending."""

    title = N_("Register and sending")
    use_case = UseCase.WRITE_REPORTS
    css_class = "pcenter-reports-register"

    def __init__(self, shell: AppShell, state: ReportsState) -> None:
        super().__init__(shell, state)
        self.rows: list[ReportRow] = []
        self.head = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("pcenter-reports-register-table")
        self.unsent = widgets.Dropdown(style={"description_width": "initial"})
        self.unsent.add_class("pcenter-reports-unsent")
        self.sent_to = widgets.Text(
            layout=widgets.Layout(width="36em"), style={"description_width": "initial"}
        )
        self.sent_to.add_class("pcenter-reports-sent-to")
        self.send_button = widgets.Button(icon="paper-plane", layout={"width": "max-content"})
        self.send_button.add_class("pcenter-reports-send")
        self.on_click(self.send_button, self.record_sending)
        self.send_head = widgets.HTML()
        self.send_box = widgets.VBox(
            [self.send_head, widgets.HBox([self.unsent, self.sent_to, self.send_button])]
        )
        self.widget.children = (self.head, self.table, self.send_box)
        self.watch("written", self.show)

    def render(self) -> None:
        t = self.t
        self.head.value = heading(t("Reports written"))
        self.send_head.value = heading(t("Record a sending")) + note(
            t("Whom the report went to; the time and your name are recorded with it.")
        )
        self.unsent.description = t("Report")
        self.sent_to.description = t("Sent to")
        self.send_button.description = t("Record the sending")
        self.show()

    def show(self) -> None:
        t, lang = self.t, self.lang
        with self.workbench.sessions() as session:
            self.rows = list_reports(session, actor=self.actor)
        body = [
            [
                row.number,
                t(row.title),
                row.period,
                row.lang,
                format_moment(row.created_at, lang),
                row.created_by,
                row.addressee.replace("\n", " "),
                row.sent_to or "—",
                format_moment(row.sent_at, lang) if row.sent_at else "—",
                row.sent_by or "—",
            ]
            for row in self.rows
        ]
        self.table.value = (
            html_table([t(h) for h in HEADERS], body, css_class="pcenter-reports-register-rows")
            if body
            else note(t("No report has been written yet."))
        )
        waiting = [
            (f"{row.number} — {t(row.title)} — {row.period} ({row.lang})", row.report_id)
            for row in self.rows
            if row.sent_at is None
        ]
        kept = self.unsent.value if self.unsent.value in [v for _l, v in waiting] else None
        show(
            self.unsent, waiting, kept if kept is not None else (waiting[0][1] if waiting else None)
        )

    def record_sending(self) -> None:
        if self.unsent.value is None:
            self.shell.show_info(self.t("Every report written is recorded as sent."))
            return
        with self.workbench.sessions.begin() as session:
            sent = record_report_sent(
                session,
                actor=self.actor,
                report_id=int(self.unsent.value),
                sent_to=self.sent_to.value,
                now=self.shell.now(),
            )
        self.sent_to.value = ""
        self.shell.show_success(
            self.t(
                "Report {name} recorded as sent to {to} at {at}.",
                name=sent.filename,
                to=sent.sent_to,
                at=format_moment(sent.sent_at, self.lang),
            )
        )
        self.show()
