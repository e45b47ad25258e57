"""Sessions: plan one (format, facilitator, participants from the Center and schools), pick one.

The facilitator and the Center's participants come from the staff table; a school's PPSS
specialist is added by name with the school. The list shows every session with its status;
choosing one makes it the session the Run and Materials tabs work on.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.codes import IntervisionStatus, ParticipantOrigin
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import ValidationError
from pcenter_lib.formats import format_count, format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.intervision import format_registry
from pcenter_lib.services.intervision_series import list_series
from pcenter_lib.services.intervision_sessions import list_sessions, plan_session
from pcenter_lib.services.intervision_views import ParticipantDraft
from widgets.intervision.labels import (
    STATUS_LABELS,
    WIDE,
    button,
    format_name,
    session_label,
)
from widgets.intervision.state import IntervisionState
from widgets.kit import Panel, offer
from widgets.markup import heading, html_table, paragraph
from widgets.shell import AppShell

HEADINGS: Final = (N_("Plan a session"), N_("Sessions"))
NO_SERIES: Final = 0


class SessionsPanel(Panel[IntervisionState]):
    """The planning form and the list of sessions."""

    title = N_("Sessions")
    use_case = UseCase.RUN_INTERVISION
    css_class = "pcenter-iv-sessions"

    def __init__(self, shell: AppShell, state: IntervisionState) -> None:
        super().__init__(shell, state)
        wide = {"description_width": "12em"}
        self.headings = [widgets.HTML() for _ in HEADINGS]
        self.format = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.format.add_class("pcenter-iv-format")
        self.on_change(self.format, lambda _v: self.show_format())
        self.format_info = widgets.HTML()
        self.format_info.add_class("pcenter-iv-format-info")
        self.title_text = widgets.Text(style=wide, layout={"width": WIDE})
        self.title_text.add_class("pcenter-iv-title")
        today = shell.now().astimezone(KZ_TZ).date()
        self.day = widgets.DatePicker(value=today, style=wide)
        self.day.add_class("pcenter-iv-day")
        self.start = widgets.Text(value="15:00", style=wide, layout={"width": "20em"})
        self.start.add_class("pcenter-iv-start")
        self.facilitator = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.facilitator.add_class("pcenter-iv-facilitator")
        self.series = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.series.add_class("pcenter-iv-series-choice")
        self.center_people = widgets.SelectMultiple(rows=6, style=wide, layout={"width": WIDE})
        self.center_people.add_class("pcenter-iv-center-people")
        self.school_people = widgets.Textarea(style=wide, layout={"width": WIDE, "height": "5em"})
        self.school_people.add_class("pcenter-iv-school-people")
        self.school = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.school.add_class("pcenter-iv-school")
        self.plan_button = button("pcenter-iv-plan", "primary", "calendar")
        self.on_click(self.plan_button, self.plan)
        self.list = widgets.HTML()
        self.list.add_class("pcenter-iv-session-list")
        self.pick = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.pick.add_class("pcenter-iv-pick")
        self.on_change(self.pick, self._picked)
        self.widget.children = (
            self.headings[0],
            self.format,
            self.format_info,
            self.title_text,
            widgets.HBox([self.day, self.start]),
            self.facilitator,
            self.series,
            self.center_people,
            self.school_people,
            self.school,
            self.plan_button,
            self.headings[1],
            self.pick,
            self.list,
        )
        self.watch("changed", self.show_sessions)
        self.watch("session_id", self._show_pick)

    def render(self) -> None:
        t, lang = self.t, self.lang
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        self.format.description = t("Format")
        self.title_text.description = t("Title")
        self.title_text.placeholder = t("what the session is about, without names")
        self.day.description = t("Day")
        self.start.description = t("Start (hh:mm)")
        self.facilitator.description = t("Facilitator")
        self.series.description = t("Series")
        self.center_people.description = t("From the Center")
        self.school_people.description = t("From schools' PPSS")
        self.school_people.placeholder = t("one name per line; they come from the school below")
        self.school.description = t("School")
        self.plan_button.description = t("Plan the session")
        self.pick.description = t("Session")
        with self.workbench.sessions() as session:
            series = list_series(session, actor=self.actor)
        staff = [(name, name) for _sid, name in self.state.directory.staff]
        with self.quiet():
            offer(self.format, [(f.name[lang], code) for code, f in format_registry().items()])
            offer(self.facilitator, staff)
            offer(self.center_people, staff)
            offer(self.school, self.state.school_options(lang))
            offer(
                self.series,
                [(t("no series"), NO_SERIES)]
                + [(s.title, s.id) for s in series if s.evaluated_at is None],
            )
        self.show_format()
        self.show_sessions()

    def show_format(self) -> None:
        chosen = format_registry().get(str(self.format.value))
        if chosen is None:
            self.format_info.value = ""
            return
        t, lang = self.t, self.lang
        phases = " → ".join(f"{p.name[lang]} ({p.minutes})" for p in chosen.phases)
        self.format_info.value = paragraph(
            " ".join(
                (
                    chosen.summary[lang],
                    t("Phases (minutes): {phases}.").format(phases=phases),
                    t("Group: {low}–{high} people.").format(
                        low=chosen.min_group, high=chosen.max_group
                    ),
                )
            ),
            "pcenter-iv-format-summary",
        )

    def _moment(self) -> datetime:
        day = self.day.value
        if not isinstance(day, date):
            raise ValidationError(N_("Choose the day of the session."))
        try:
            clock = time.fromisoformat(self.start.value.strip())
        except ValueError:
            raise ValidationError(N_("Write the start as hours and minutes, e.g. 15:00.")) from None
        return datetime.combine(day, time(clock.hour, clock.minute), tzinfo=KZ_TZ)

    def plan(self) -> None:
        school = self.school.value
        drafts = [ParticipantDraft(name) for name in self.center_people.value]
        drafts += [
            ParticipantDraft(line, ParticipantOrigin.SCHOOL, school_id=school)
            for line in self.school_people.value.splitlines()
            if line.strip()
        ]
        staff_of = {name: sid for sid, name in self.state.directory.staff}
        drafts = [
            ParticipantDraft(d.full_name, d.origin, staff_of.get(d.full_name), d.school_id)
            for d in drafts
        ]
        with self.workbench.sessions.begin() as session:
            view = plan_session(
                session,
                actor=self.actor,
                format_code=str(self.format.value),
                held_at=self._moment(),
                facilitator=str(self.facilitator.value or ""),
                title=self.title_text.value,
                participants=drafts,
                series_id=self.series.value or None,
            )
        with self.quiet():
            self.title_text.value = ""
            self.school_people.value = ""
            self.center_people.value = ()
        self.state.session_id = view.id
        self.state.touch()
        self.shell.show_success(self.t("The session is planned."))

    def show_sessions(self) -> None:
        t, lang = self.t, self.lang
        with self.workbench.sessions() as session:
            sessions = list_sessions(session, actor=self.actor)
        rows = [
            [
                format_moment(s.held_at, lang),
                format_name(s.format, lang),
                s.title,
                t(STATUS_LABELS[IntervisionStatus(s.status)]),
                format_count(s.participants, lang),
            ]
            for s in sessions
        ]
        headers = [t("Start"), t("Format"), t("Title"), t("Status"), t("Participants")]
        self.list.value = html_table(
            headers, rows, css_class="pcenter-iv-sessions-table", numeric_from=4
        )
        options = [(session_label(s, lang), s.id) for s in sessions]
        with self.quiet():
            offer(self.pick, options)
        if self.state.session_id is None and sessions:
            self.state.session_id = sessions[0].id
        self._show_pick()

    def _show_pick(self) -> None:
        with self.quiet():
            if self.state.session_id in [value for _label, value in self.pick.options]:
                self.pick.value = self.state.session_id

    def _picked(self, value: object) -> None:
        if isinstance(value, int):
            self.state.session_id = value
