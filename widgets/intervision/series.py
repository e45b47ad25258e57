"""Series of sessions for a fixed group with a final evaluation, and attendance hours.

A series is created with its group from the Center's staff; its sessions are planned in the
Sessions tab with the series chosen. The final evaluation is written once every session of the
series is held or cancelled. The hours table sums, per person, the minutes credited by held
sessions in the chosen period: professional-development hours from intervision (Rule 11.3).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.codes import ParticipantOrigin
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import ValidationError
from pcenter_lib.formats import format_count, format_day, format_number
from pcenter_lib.i18n import N_
from pcenter_lib.services.intervision_series import (
    SeriesView,
    attendance_hours,
    create_series,
    evaluate_series,
    list_series,
)
from pcenter_lib.services.intervision_views import ParticipantDraft
from widgets.intervision.labels import ORIGIN_LABELS, WIDE, button
from widgets.intervision.state import IntervisionState
from widgets.kit import Panel, offer
from widgets.markup import heading, html_table
from widgets.shell import AppShell

HEADINGS: Final = (
    N_("Series"),
    N_("New series"),
    N_("Final evaluation"),
    N_("Professional-development hours"),
)


class SeriesPanel(Panel[IntervisionState]):
    """Series with their progress, a new series, the final evaluation, the hours report."""

    title = N_("Series and hours")
    use_case = UseCase.RUN_INTERVISION
    css_class = "pcenter-iv-series"

    def __init__(self, shell: AppShell, state: IntervisionState) -> None:
        super().__init__(shell, state)
        self.series: list[SeriesView] = []
        wide = {"description_width": "12em"}
        self.headings = [widgets.HTML() for _ in HEADINGS]
        self.table = widgets.HTML()
        self.table.add_class("pcenter-iv-series-table")
        self.series_title = widgets.Text(style=wide, layout={"width": WIDE})
        self.series_title.add_class("pcenter-iv-series-title")
        self.facilitator = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.planned = widgets.BoundedIntText(
            value=6, min=2, max=20, style=wide, layout={"width": "20em"}
        )
        self.members = widgets.SelectMultiple(rows=6, style=wide, layout={"width": WIDE})
        self.members.add_class("pcenter-iv-series-members")
        self.create_button = button("pcenter-iv-create-series", "primary", "users")
        self.on_click(self.create_button, self.create)
        self.which = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.which.add_class("pcenter-iv-series-pick")
        self.on_change(self.which, lambda _v: self.show_evaluation())
        self.evaluation = widgets.Textarea(layout={"width": WIDE, "height": "6em"})
        self.evaluation.add_class("pcenter-iv-evaluation")
        self.evaluate_button = button("pcenter-iv-evaluate", "", "star")
        self.on_click(self.evaluate_button, self.evaluate)
        today = shell.now().astimezone(KZ_TZ).date()
        self.since = widgets.DatePicker(
            value=date(today.year - (today.month < 9), 9, 1), style=wide
        )
        self.until = widgets.DatePicker(value=today, style=wide)
        self.hours_button = button("pcenter-iv-hours-button", "", "clock-o")
        self.on_click(self.hours_button, self.show_hours)
        self.hours = widgets.HTML()
        self.hours.add_class("pcenter-iv-hours")
        self.widget.children = (
            self.headings[0],
            self.table,
            self.headings[1],
            self.series_title,
            self.facilitator,
            self.planned,
            self.members,
            self.create_button,
            self.headings[2],
            self.which,
            self.evaluation,
            self.evaluate_button,
            self.headings[3],
            widgets.HBox([self.since, self.until, self.hours_button]),
            self.hours,
        )
        self.watch("changed", self.show_series)

    def render(self) -> None:
        t = self.t
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        self.series_title.description = t("Title")
        self.facilitator.description = t("Facilitator")
        self.planned.description = t("Sessions planned")
        self.members.description = t("Group")
        self.create_button.description = t("Create the series")
        self.which.description = t("Series")
        self.evaluation.placeholder = t("What the group achieved; what to change next time")
        self.evaluate_button.description = t("Save the final evaluation")
        self.since.description = t("From")
        self.until.description = t("To")
        self.hours_button.description = t("Count the hours")
        staff = [(name, name) for _sid, name in self.state.directory.staff]
        with self.quiet():
            offer(self.facilitator, staff)
            offer(self.members, staff)
        self.show_series()
        self.show_hours()

    def show_series(self) -> None:
        t, lang = self.t, self.lang
        with self.workbench.sessions() as session:
            self.series = list_series(session, actor=self.actor)
        rows = [
            [
                s.title,
                s.facilitator,
                format_count(len(s.members), lang),
                f"{format_count(s.sessions_held, lang)} / {format_count(s.planned_sessions, lang)}",
                s.final_evaluation or t("not yet"),
            ]
            for s in self.series
        ]
        self.table.value = html_table(
            [t("Title"), t("Facilitator"), t("Group"), t("Held / planned"), t("Final evaluation")],
            rows,
            css_class="pcenter-iv-series-list",
        )
        with self.quiet():
            offer(self.which, [(s.title, s.id) for s in self.series])
        self.show_evaluation()

    def _chosen(self) -> SeriesView | None:
        return next((s for s in self.series if s.id == self.which.value), None)

    def show_evaluation(self) -> None:
        chosen = self._chosen()
        with self.quiet():
            self.evaluation.value = chosen.final_evaluation if chosen else ""
        self.evaluate_button.disabled = chosen is None

    def create(self) -> None:
        staff_of = {name: sid for sid, name in self.state.directory.staff}
        members = [
            ParticipantDraft(name, ParticipantOrigin.CENTER, staff_of.get(name))
            for name in self.members.value
        ]
        with self.workbench.sessions.begin() as session:
            create_series(
                session,
                actor=self.actor,
                title=self.series_title.value,
                facilitator=str(self.facilitator.value or ""),
                planned_sessions=int(self.planned.value),
                members=members,
            )
        with self.quiet():
            self.series_title.value = ""
            self.members.value = ()
        self.state.touch()
        self.shell.show_success(
            self.t("The series is created; plan its sessions in the Sessions tab.")
        )

    def evaluate(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        with self.workbench.sessions.begin() as session:
            evaluate_series(
                session,
                actor=self.actor,
                series_id=chosen.id,
                evaluation=self.evaluation.value,
                expected_version=chosen.version,
            )
        self.state.touch()
        self.shell.show_success(self.t("The final evaluation is saved."))

    def show_hours(self) -> None:
        t, lang = self.t, self.lang
        since, until = self.since.value, self.until.value
        if not isinstance(since, date) or not isinstance(until, date) or until < since:
            raise ValidationError(N_("Choose a period whose end is not before its start."))
        start = datetime.combine(since, time(0), tzinfo=KZ_TZ)
        end = datetime.combine(until + timedelta(days=1), time(0), tzinfo=KZ_TZ)
        with self.workbench.sessions() as session:
            rows = attendance_hours(session, actor=self.actor, start=start, end=end)
        table = [
            [
                r.full_name,
                self.state.school_name(r.school_id, lang)
                or t(ORIGIN_LABELS[ParticipantOrigin(r.origin)]),
                format_count(r.sessions, lang),
                format_number(r.hours, lang, digits=1, exact=True),
            ]
            for r in rows
        ]
        caption = f"{format_day(since, lang)} – {format_day(until, lang)}"
        self.hours.value = heading(caption, 4) + html_table(
            [t("Participant"), t("Workplace"), t("Sessions attended"), t("Hours")],
            table,
            css_class="pcenter-iv-hours-table",
            numeric_from=2,
        )
