"""The compliance tab: per rule (13, 15, 16, 18, 22) the measured share for a period, the
records behind each figure one choice away, and how fast each body was told of a direct threat —
median, 90th percentile and worst minutes (Rules 18, 22: "immediately"). Supervision's follow-up
tasks past their due date (Rule 11.4) are listed here too, for those who may read supervision
records.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.consent import NOTIFICATION_RULES
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.formats import format_count, format_day, format_share
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.services.compliance import (
    BodyMinutes,
    ComplianceFigure,
    compliance_report,
    minutes_report,
)
from pcenter_lib.services.compliance_timing import MINUTES_HEADERS
from pcenter_lib.services.supervision_tasks import ActionTask, overdue_tasks
from widgets.intake.controls import button, css, rule_text
from widgets.intake.state import IntakePanel, IntakeState
from widgets.kit import offer
from widgets.markup import html_table
from widgets.shell import AppShell

FROM: Final = N_("From")
TO: Final = N_("To")
SHOW: Final = N_("Show the figures")
RECORDS: Final = N_("Records behind")
MINUTES_HEADING: Final = N_(
    "Direct threats: minutes from owing a notification to sending it (due within {minutes})"
)
HEADERS: Final = (
    N_("Rule"),
    N_("Figure"),
    N_("Complying"),
    N_("Counted"),
    N_("Pending"),
    N_("Share"),
)
RECORD_HEADERS: Final = (N_("Journal number"), N_("Complies"), N_("Note"))
YES: Final = N_("yes")
NO: Final = N_("no")
NOTHING: Final = N_("nothing to count")
TASKS_HEADING: Final = N_("Supervision follow-up tasks past their due date (Rule 11.4)")
NO_TASKS: Final = N_("No supervision follow-up task is past its due date.")
TASK_HEADERS: Final = (
    N_("Child code"),
    N_("Task"),
    N_("Responsible"),
    N_("Due on"),
    N_("Days overdue"),
)


class ComplianceView(IntakePanel):
    """Period, figures table and one button per figure to list its records."""

    title = N_("Compliance")
    use_case = UseCase.VIEW_COMPLIANCE
    tab = "compliance"

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.figures: tuple[ComplianceFigure, ...] = ()
        self.minutes: list[BodyMinutes] = []
        self.opened: str | None = None
        today = self.now().date()
        self.date_from = css(
            widgets.DatePicker(value=today.replace(day=1)), "pcenter-compliance-from"
        )
        self.date_to = css(widgets.DatePicker(value=today), "pcenter-compliance-to")
        self.show_button = button("pcenter-compliance-show")
        self.table = css(widgets.HTML(), "pcenter-compliance-table")
        self.record_choice = css(widgets.Dropdown(), "pcenter-compliance-rules")
        self.minutes_table = css(widgets.HTML(), "pcenter-compliance-minutes")
        self.records = css(widgets.HTML(), "pcenter-compliance-records")
        self.tasks: list[ActionTask] = []
        self.tasks_table = css(widgets.HTML(), "pcenter-compliance-tasks")
        shown_tasks = self.may(UseCase.READ_SUPERVISION)
        self.tasks_table.layout.display = None if shown_tasks else "none"
        self.show_button.on_click(self.shell.guard(lambda _b: self.compute()))
        self.record_choice.observe(
            self.shell.guard(lambda change: self.open(change["new"])), names="value"
        )
        self.widget = css(
            widgets.VBox(
                [
                    widgets.HBox([self.date_from, self.date_to, self.show_button]),
                    self.table,
                    self.minutes_table,
                    self.tasks_table,
                    self.record_choice,
                    self.records,
                ]
            ),
            "pcenter-compliance",
        )

    def render(self) -> None:
        t = self.t
        self.date_from.description = t(FROM)
        self.date_to.description = t(TO)
        self.show_button.description = t(SHOW)
        self.compute()

    def compute(self) -> None:
        start: date = self.date_from.value or self.now().date() - timedelta(days=30)
        end: date = self.date_to.value or self.now().date()
        with self.transaction() as session:
            self.figures = compliance_report(
                session,
                actor=self.actor,
                date_from=start,
                date_to=end,
                now=self.now(),
                notify_minutes=self.notify_minutes,
            )
            self.minutes = minutes_report(session, actor=self.actor, date_from=start, date_to=end)
            if self.may(UseCase.READ_SUPERVISION):
                today = self.now().astimezone(KZ_TZ).date()
                self.tasks = overdue_tasks(session, actor=self.actor, today=today)
        self.show()

    def show(self) -> None:
        t = self.t
        rows = [
            (
                rule_text(t, f.rule),
                t(f.title),
                format_count(f.complying, self.lang),
                format_count(f.counted, self.lang),
                format_count(f.pending, self.lang),
                t(NOTHING) if f.share is None else format_share(f.share, self.lang, digits=0),
            )
            for f in self.figures
        ]
        self.table.value = html_table(
            [t(h) for h in HEADERS], rows, css_class="pcenter-figures", numeric_from=2
        )
        self.record_choice.description = t(RECORDS)
        options: list[tuple[str, object]] = [("—", None)]
        options += [(f"{rule_text(t, f.rule)}: {t(f.title)}", f.key) for f in self.figures]
        offer(self.record_choice, options)
        self._show_minutes()
        self.show_tasks()
        self.show_records()

    def _show_minutes(self) -> None:
        t = self.t

        def number(value: float | None) -> str:
            return "—" if value is None else format_count(round(value), self.lang)

        rows = [
            (
                t(m.label),
                format_count(m.sent, self.lang),
                format_count(m.late, self.lang),
                format_count(m.unsent, self.lang),
                number(m.median),
                number(m.p90),
                number(m.worst),
            )
            for m in self.minutes
        ]
        heading = html.escape(t(MINUTES_HEADING, minutes=self.notify_minutes))
        self.minutes_table.value = f"<h4>{heading}</h4>" + html_table(
            [t(h) for h in MINUTES_HEADERS], rows, css_class="pcenter-minutes", numeric_from=1
        )

    def show_tasks(self) -> None:
        """Open follow-up tasks of signed or draft supervision records past their due date."""
        if self.tasks_table.layout.display == "none":
            return
        t, lang = self.t, self.lang
        heading = f"<h4>{html.escape(t(TASKS_HEADING))}</h4>"
        if not self.tasks:
            self.tasks_table.value = heading + f"<p>{html.escape(t(NO_TASKS))}</p>"
            return
        today = self.now().astimezone(KZ_TZ).date()
        rows = [
            (
                task.child_code,
                task.description,
                self.person(task.responsible),
                format_day(task.due_on, lang),
                format_count((today - task.due_on).days, lang),
            )
            for task in self.tasks
        ]
        self.tasks_table.value = heading + html_table(
            [t(h) for h in TASK_HEADERS], rows, css_class="pcenter-overdue-tasks", numeric_from=4
        )

    def open(self, key: object) -> None:
        self.opened = key if isinstance(key, str) else None
        self.show_records()

    def show_records(self) -> None:
        t = self.t
        figure = next((f for f in self.figures if f.key == self.opened), None)
        if figure is None:
            self.records.value = ""
            return
        rows = [
            (r.journal_number, t(YES) if r.ok else t(NO), t(r.note, **_readable(t, r.params)))
            for r in figure.records
        ]
        heading = html.escape(f"{rule_text(t, figure.rule)}: {t(figure.title)}")
        self.records.value = f"<h4>{heading}</h4>" + html_table(
            [t(h) for h in RECORD_HEADERS], rows, css_class="pcenter-figure-records"
        )


def _readable(t: Translator, params: dict[str, Any]) -> dict[str, Any]:
    """Record parameters with recipient codes turned into the bodies' names."""
    readable = dict(params)
    codes = params.get("recipients")
    if isinstance(codes, str):
        readable["recipients"] = ", ".join(
            t(NOTIFICATION_RULES[c].label) if c in NOTIFICATION_RULES else c
            for c in codes.split(", ")
        )
    return readable
