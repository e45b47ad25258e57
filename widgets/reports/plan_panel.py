"""The annual work plan tab (Rule 23): the plan's events, its progress, the first head's
approval — with a warning when the plan is late — and the plan and the analytical report as
documents."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.codes import WorkDirection, WorkEventStatus
from pcenter_lib.domain.reporting import ReportKind, report_period
from pcenter_lib.domain.work_plan import DIRECTION_LABELS, STATUS_LABELS
from pcenter_lib.formats import format_day, format_moment, format_share
from pcenter_lib.i18n import N_
from pcenter_lib.services.annual_reports import LATE, NO_PLAN, PROGRESS
from pcenter_lib.services.work_plans import (
    EventDraft,
    PlanView,
    add_plan_event,
    approve_work_plan,
    open_work_plan,
    set_event_status,
)
from widgets.kit import offer, show
from widgets.markup import heading, html_table, note
from widgets.reports.report_panel import ReportPanel
from widgets.reports.state import ReportsState
from widgets.shell import AppShell

PLAN_INTRO = N_(
    "The events of the school year by direction of activity (Rule 10), with month, responsible "
    "person, expected result and status. The first head approves the plan before the school "
    "year begins (Rule 23); the tab warns when it is late and shows how far it is carried out."
)
ANNUAL_INTRO = N_(
    "The year's requests, every compliance figure, the staff against Rule 24, diagnostics, "
    "supervision and intervision, the plan's execution and the recommendations. It goes to the "
    "executive body in education financed from the local budget (Rule 23)."
)
EVENT_HEADERS = (
    N_("Direction"),
    N_("Month"),
    N_("Event"),
    N_("Responsible"),
    N_("Expected result"),
    N_("Status"),
)


def _school_years(today: date) -> list[str]:
    first = today.year if today.month >= 9 else today.year - 1
    return [f"{y}-{y + 1}" for y in (first, first + 1, first - 1, first - 2)]


class WorkPlanPanel(ReportPanel):
    """The annual work plan, edited here and written as a document."""

    title = N_("Annual work plan")
    css_class = "pcenter-reports-plan"
    kind = ReportKind.WORK_PLAN
    uses_addressee = False
    uses_threshold = False

    def __init__(self, shell: AppShell, state: ReportsState) -> None:
        self.plan: PlanView | None = None
        self.status_box = widgets.HTML()
        self.status_box.add_class("pcenter-reports-plan-status")
        self.events = widgets.HTML()
        self.events.add_class("pcenter-reports-plan-events")
        self.create_button = widgets.Button(icon="plus", layout={"width": "max-content"})
        self.create_button.add_class("pcenter-reports-plan-create")
        self.direction = widgets.Dropdown(style={"description_width": "initial"})
        self.month = widgets.Dropdown(style={"description_width": "initial"})
        self.event_title = widgets.Text(layout=widgets.Layout(width="40em"))
        self.event_title.add_class("pcenter-reports-plan-title")
        self.responsible = widgets.Text(layout=widgets.Layout(width="40em"))
        self.expected = widgets.Text(layout=widgets.Layout(width="40em"))
        self.add_button = widgets.Button(icon="plus", layout={"width": "max-content"})
        self.add_button.add_class("pcenter-reports-plan-add")
        self.event_choice = widgets.Dropdown(style={"description_width": "initial"})
        self.event_choice.add_class("pcenter-reports-plan-event")
        self.new_status = widgets.ToggleButtons()
        self.new_status.add_class("pcenter-reports-plan-new-status")
        self.status_button = widgets.Button(icon="check", layout={"width": "max-content"})
        self.status_button.add_class("pcenter-reports-plan-set-status")
        self.approve_button = widgets.Button(
            icon="stamp", button_style="success", layout={"width": "max-content"}
        )
        self.approve_button.add_class("pcenter-reports-plan-approve")
        self.edit_head = widgets.HTML()
        super().__init__(shell, state)
        self.on_change(self.period, lambda _value: self.load_plan())
        self.on_click(self.create_button, self.create_plan)
        self.on_click(self.add_button, self.add_event)
        self.on_click(self.status_button, self.change_status)
        self.on_click(self.approve_button, self.approve)

    def extra_widgets(self) -> Sequence[widgets.Widget]:
        approve: tuple[widgets.Widget, ...] = ()
        if self.may(UseCase.APPROVE_WORK_PLAN):
            approve = (self.approve_button,)
        return (
            self.status_box,
            *approve,
            self.events,
            self.create_button,
            self.edit_head,
            widgets.HBox([self.direction, self.month]),
            self.event_title,
            self.responsible,
            self.expected,
            self.add_button,
            widgets.HBox([self.event_choice, self.new_status, self.status_button]),
        )

    def period_options(self, today: date) -> Sequence[tuple[str, str]]:
        return [(report_period(self.kind, y).label(self.lang), y) for y in _school_years(today)]

    def intro_text(self) -> str:
        return self.t(PLAN_INTRO)

    def render(self) -> None:
        super().render()
        t = self.t
        self.create_button.description = t("Start the plan of this school year")
        self.edit_head.value = heading(t("Add an event"), 4)
        offer(self.direction, [(t(DIRECTION_LABELS[d]), d.value) for d in WorkDirection])
        self.direction.description = t("Direction")
        self.month.description = t("Month")
        self.event_title.description = t("Event")
        self.responsible.description = t("Responsible")
        self.expected.description = t("Expected result")
        self.add_button.description = t("Add the event")
        self.event_choice.description = t("Event")
        offer(self.new_status, [(t(STATUS_LABELS[s]), s.value) for s in WorkEventStatus])
        self.status_button.description = t("Set the status")
        self.approve_button.description = t("Approve the plan (first head)")
        self.load_plan()

    def load_plan(self) -> None:
        with self.workbench.sessions() as session:
            self.plan = open_work_plan(
                session, actor=self.actor, school_year=self.chosen_period(), today=self.today()
            )
        self.show_plan()

    def show_plan(self) -> None:
        t, lang, plan = self.t, self.lang, self.plan
        year = self.chosen_period()
        if year:
            first = int(year[:4])
            months = [f"{first}-{m:02d}" for m in range(9, 13)] + [
                f"{first + 1}-{m:02d}" for m in range(1, 9)
            ]
            offer(
                self.month,
                [(report_period(ReportKind.MONTHLY_EXCHANGE, m).label(lang), m) for m in months],
            )
        self.create_button.layout.display = None if plan is None else "none"
        editing = "none" if plan is None else None
        for control in (self.add_button, self.event_choice, self.new_status, self.status_button):
            control.layout.display = editing
        if plan is None:
            self.status_box.value = f'<div class="pcenter-conflict">{html.escape(t(NO_PLAN))}</div>'
            self.events.value = ""
            self.approve_button.layout.display = "none"
            return
        lines = []
        if plan.approved_at is not None:
            lines.append(
                t(
                    "Approved by {who} on {at}.",
                    who=plan.approved_by_name or "—",
                    at=format_moment(plan.approved_at, lang),
                )
            )
        if plan.timing.late:
            lines.append(
                t(
                    LATE,
                    day=format_day(plan.timing.starts_on, lang),
                )
            )
        elif plan.timing.due_soon:
            lines.append(
                t(
                    "The school year begins on {day}: the plan still needs the first head's approval.",
                    day=format_day(plan.timing.starts_on, lang),
                )
            )
        p = plan.progress
        lines.append(
            t(
                PROGRESS,
                due=p.due,
                done=p.done,
                share=format_share(p.share_done, lang),
                moved=p.moved,
                dropped=p.dropped,
                total=p.total,
            )
        )
        css = "pcenter-conflict" if plan.timing.late or plan.timing.due_soon else "pcenter-ok"
        self.status_box.value = (
            f'<div class="{css}"><ul>'
            + "".join(f"<li>{html.escape(x)}</li>" for x in lines)
            + "</ul></div>"
        )
        self.approve_button.layout.display = "none" if plan.approved_at else None
        rows = [
            [
                t(DIRECTION_LABELS[WorkDirection(e.direction)]),
                report_period(ReportKind.MONTHLY_EXCHANGE, e.month).label(lang),
                e.title,
                e.responsible,
                e.expected_result,
                t(STATUS_LABELS[WorkEventStatus(e.status)])
                + (f" ({format_day(e.done_on, lang)})" if e.done_on else ""),
            ]
            for e in plan.events
        ]
        self.events.value = (
            html_table([t(h) for h in EVENT_HEADERS], rows, css_class="pcenter-reports-plan-table")
            if rows
            else note(t("The plan has no events yet."))
        )
        options = [(f"{e.month} — {e.title[:70]}", e.id) for e in plan.events]
        keep = (
            self.event_choice.value if self.event_choice.value in [v for _l, v in options] else None
        )
        show(
            self.event_choice,
            options,
            keep if keep is not None else (options[0][1] if options else None),
        )

    def create_plan(self) -> None:
        with self.workbench.sessions.begin() as session:
            self.plan = open_work_plan(
                session,
                actor=self.actor,
                school_year=self.chosen_period(),
                today=self.today(),
                create=True,
            )
        self.show_plan()

    def add_event(self) -> None:
        if self.plan is None:
            return
        draft = EventDraft(
            str(self.direction.value),
            str(self.month.value),
            self.event_title.value,
            self.responsible.value,
            self.expected.value,
        )
        with self.workbench.sessions.begin() as session:
            self.plan = add_plan_event(
                session,
                actor=self.actor,
                plan_id=self.plan.id,
                expected_version=self.plan.version,
                draft=draft,
                today=self.today(),
            )
        self.event_title.value = self.expected.value = ""
        self.shell.show_success(self.t("The event was added to the plan."))
        self.show_plan()

    def change_status(self) -> None:
        if self.plan is None or self.event_choice.value is None:
            return
        with self.workbench.sessions.begin() as session:
            self.plan = set_event_status(
                session,
                actor=self.actor,
                event_id=int(self.event_choice.value),
                expected_version=self.plan.version,
                status=str(self.new_status.value),
                today=self.today(),
            )
        self.shell.show_success(self.t("The status was saved."))
        self.show_plan()

    def approve(self) -> None:
        if self.plan is None:
            return
        with self.workbench.sessions.begin() as session:
            self.plan = approve_work_plan(
                session,
                actor=self.actor,
                plan_id=self.plan.id,
                expected_version=self.plan.version,
                today=self.today(),
                now=self.shell.now(),
            )
        self.shell.show_success(self.t("The work plan was approved."))
        self.show_plan()


class AnnualPanel(ReportPanel):
    """The analytical report of the school year (Rule 23)."""

    title = N_("Analytical report")
    css_class = "pcenter-reports-annual"
    kind = ReportKind.ANNUAL_REPORT

    def period_options(self, today: date) -> Sequence[tuple[str, str]]:
        years = _school_years(today)
        ordered = [years[2], years[0], years[3]]  # the year just ended first
        return [(report_period(self.kind, y).label(self.lang), y) for y in ordered]

    def intro_text(self) -> str:
        return self.t(ANNUAL_INTRO)
