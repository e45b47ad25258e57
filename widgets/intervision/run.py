"""Run a session phase by phase: a timer, the prompts and a note per phase, attendance, outcomes.

Each phase button starts that phase (the session starts with its first); the timer counts the
phase's minutes against the format's suggestion (an ipywidgets ``Play``, which the browser ticks
every second). The note of the phase, the learning points and agreements and the attendance are
saved with the version last read, so a colleague's save in between is a conflict, not lost.
Closing the session credits the participants marked present with its minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import ipywidgets as widgets
from sqlalchemy.orm import Session

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.codes import IntervisionStatus, ParticipantOrigin
from pcenter_lib.errors import ValidationError
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.intervision import get_format
from pcenter_lib.services.intervision_sessions import (
    close_session,
    mark_attendance,
    read_session,
    record_outcomes,
    save_phase_note,
    start_phase,
)
from pcenter_lib.services.intervision_views import SessionView
from widgets.intervision.labels import ORIGIN_LABELS, STATUS_LABELS, WIDE, button, format_name
from widgets.intervision.state import IntervisionState
from widgets.kit import Panel
from widgets.markup import bullet_list, heading, html_table, note
from widgets.shell import AppShell

HEADINGS: Final = (N_("Phases"), N_("Learning points and agreements"), N_("Attendance"))
SECONDS: Final = 60


def clock_text(seconds: int) -> str:
    return f"{seconds // SECONDS:02d}:{seconds % SECONDS:02d}"


class RunPanel(Panel[IntervisionState]):
    """The chosen session, run phase by phase."""

    title = N_("Run")
    use_case = UseCase.RUN_INTERVISION
    css_class = "pcenter-iv-run"

    def __init__(self, shell: AppShell, state: IntervisionState) -> None:
        super().__init__(shell, state)
        self.view: SessionView | None = None
        self.headings = [widgets.HTML() for _ in HEADINGS]
        self.header = widgets.HTML()
        self.header.add_class("pcenter-iv-run-header")
        self.phase_bar = widgets.HBox(layout={"flex_flow": "row wrap"})
        self.phase_bar.add_class("pcenter-iv-phase-bar")
        self.timer = widgets.Play(interval=1000, min=0, max=3600, step=1, show_repeat=False)
        self.timer.add_class("pcenter-iv-timer-play")
        self.clock = widgets.HTML()
        self.clock.add_class("pcenter-iv-timer")
        self.on_change(self.timer, lambda _v: self.show_clock())
        self.prompts = widgets.HTML()
        self.prompts.add_class("pcenter-iv-prompts")
        self.phase_note = widgets.Textarea(layout={"width": WIDE, "height": "7em"})
        self.phase_note.add_class("pcenter-iv-phase-note")
        self.note_button = button("pcenter-iv-save-note", "primary", "save")
        self.on_click(self.note_button, self.save_note)
        self.learning = widgets.Textarea(layout={"width": WIDE, "height": "5em"})
        self.learning.add_class("pcenter-iv-learning")
        self.agreements = widgets.Textarea(layout={"width": WIDE, "height": "5em"})
        self.agreements.add_class("pcenter-iv-agreements")
        self.outcomes_button = button("pcenter-iv-save-outcomes", "", "save")
        self.on_click(self.outcomes_button, self.save_outcomes)
        self.attendance = widgets.VBox()
        self.attendance.add_class("pcenter-iv-attendance")
        self.checks: dict[int, widgets.Checkbox] = {}
        self.attendance_button = button("pcenter-iv-save-attendance", "", "check")
        self.on_click(self.attendance_button, self.save_attendance)
        self.close_button = button("pcenter-iv-close", "success", "flag-checkered")
        self.on_click(self.close_button, self.close)
        self.outcome = widgets.HTML()
        self.outcome.add_class("pcenter-iv-run-outcome")
        self.widget.children = (
            self.header,
            self.headings[0],
            self.phase_bar,
            widgets.HBox([self.timer, self.clock]),
            self.prompts,
            self.phase_note,
            self.note_button,
            self.headings[1],
            self.learning,
            self.agreements,
            self.outcomes_button,
            self.headings[2],
            self.attendance,
            widgets.HBox([self.attendance_button, self.close_button]),
            self.outcome,
        )
        self.watch(["session_id", "changed"], self.load)

    def render(self) -> None:
        t = self.t
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        self.phase_note.placeholder = t("What this phase brought out (no names of children)")
        self.note_button.description = t("Save the note of the phase")
        self.learning.placeholder = t("Learning points")
        self.agreements.placeholder = t("Agreements: who does what by when")
        self.outcomes_button.description = t("Save learning points and agreements")
        self.attendance_button.description = t("Save attendance")
        self.close_button.description = t("Close the session")
        self.load()

    # --- showing --------------------------------------------------------------------------
    def load(self) -> None:
        if self.state.session_id is None:
            self.view = None
            self.header.value = note(self.t("Plan a session or choose one in the Sessions tab."))
            self.phase_bar.children, self.attendance.children = (), ()
            return
        with self.workbench.sessions() as session:
            self.view = read_session(session, actor=self.actor, session_id=self.state.session_id)
        self.show()

    def show(self) -> None:
        view, t, lang = self.view, self.t, self.lang
        assert view is not None
        chosen = get_format(view.format)
        status = t(STATUS_LABELS[IntervisionStatus(view.status)])
        parts = [format_name(view.format, lang)] if view.title else []
        parts += [
            format_moment(view.held_at, lang),
            f"{t('Facilitator')}: {view.facilitator}",
            f"{t('Status')}: {status}",
        ]
        self.header.value = heading(view.title or format_name(view.format, lang), 3) + note(
            " · ".join(parts)
        )
        buttons = []
        for number, phase in enumerate(chosen.phases, 1):
            done = view.note_of(phase.code)
            made = button(
                f"pcenter-iv-phase-{phase.code}",
                "info" if phase.code == view.current_phase else "",
                "check" if done and done.ended_at else "",
            )
            made.add_class("pcenter-iv-phase")
            made.description = f"{number}. {phase.name[lang]} · {phase.minutes}′"
            made.disabled = view.closed
            self.on_click(made, self._starter(phase.code))
            buttons.append(made)
        self.phase_bar.children = tuple(buttons)
        current = chosen.phase(view.current_phase) if view.current_phase else None
        if current is None:
            self.prompts.value = note(t("Press a phase to start it; the timer starts with it."))
            self.timer.playing = False
        else:
            self.prompts.value = heading(current.name[lang], 4) + bullet_list(
                [prompt[lang] for prompt in current.prompts], "pcenter-iv-prompt-list"
            )
            self.timer.max = max(current.minutes * SECONDS * 2, SECONDS)
            self.resume_timer(view, current.code)
        noted = view.note_of(view.current_phase) if view.current_phase else None
        with self.quiet():
            self.phase_note.value = noted.note if noted else ""
            self.learning.value = view.learning_points
            self.agreements.value = view.agreements
        for control in (
            self.phase_note,
            self.note_button,
            self.close_button,
            self.attendance_button,
        ):
            control.disabled = view.closed or (control is self.phase_note and current is None)
        self.note_button.disabled = view.closed or current is None
        self.show_attendance()
        self.show_clock()
        self.show_outcome()

    def resume_timer(self, view: SessionView, phase: str) -> None:
        """Show the time the running phase has taken so far (the page may have been reopened)."""
        noted = view.note_of(phase)
        if noted is None or noted.started_at is None or view.closed:
            return
        elapsed = int((self.shell.now() - noted.started_at).total_seconds())
        with self.quiet():
            self.timer.value = max(0, min(elapsed, self.timer.max))
        self.timer.playing = elapsed < self.timer.max

    def show_clock(self) -> None:
        view = self.view
        if view is None or view.current_phase is None:
            self.clock.value = ""
            return
        minutes = get_format(view.format).phase(view.current_phase).minutes
        seconds = int(self.timer.value)
        late = " pcenter-iv-timer-over" if seconds > minutes * SECONDS else ""
        self.clock.value = (
            f'<span class="pcenter-iv-clock{late}">{clock_text(seconds)}</span> / '
            f"{clock_text(minutes * SECONDS)}"
        )

    def show_attendance(self) -> None:
        view, t, lang = self.view, self.t, self.lang
        assert view is not None
        self.checks = {}
        rows = []
        for person in view.people:
            where = t(ORIGIN_LABELS[ParticipantOrigin(person.origin)])
            school = self.state.school_name(person.school_id, lang)
            box = widgets.Checkbox(
                value=bool(person.attended),
                indent=False,
                description=f"{person.full_name} ({school or where})",
                layout={"width": WIDE},
            )
            box.add_class("pcenter-iv-present")
            box.disabled = view.status == IntervisionStatus.CANCELLED
            self.checks[person.id] = box
            rows.append(box)
        self.attendance.children = tuple(rows) or (widgets.HTML(note(t("No participants."))),)

    def show_outcome(self) -> None:
        view, t, lang = self.view, self.t, self.lang
        assert view is not None
        if view.status != IntervisionStatus.HELD:
            self.outcome.value = ""
            return
        rows = [
            [p.full_name, t("present") if p.attended else t("absent"), f"{p.credited_minutes}"]
            for p in view.people
        ]
        self.outcome.value = note(
            t("Held: {start} – {end}.").format(
                start=format_moment(view.started_at or view.held_at, lang),
                end=format_moment(view.ended_at, lang),
            )
        ) + html_table(
            [t("Participant"), t("Attendance"), t("Minutes credited")],
            rows,
            css_class="pcenter-iv-credits",
            numeric_from=2,
        )

    # --- doing ----------------------------------------------------------------------------
    def _saved(self, view: SessionView, message: str) -> None:
        self.view = view
        self.state.touch()
        self.shell.show_success(self.t(message))

    def _starter(self, phase: str) -> Callable[[], None]:
        return lambda: self.start(phase)

    def start(self, phase: str) -> None:
        view = self.view
        if view is None:
            return
        with self.workbench.sessions.begin() as session:
            view = self._keep_note(session, view)
            saved = start_phase(
                session,
                actor=self.actor,
                session_id=view.id,
                phase=phase,
                expected_version=view.version,
                now=self.shell.now(),
            )
        self.timer.value = 0
        self.timer.playing = True
        self._saved(saved, N_("The phase has started."))

    def _keep_note(
        self, session: Session, view: SessionView, *, empty: bool = False
    ) -> SessionView:
        """Save the note of the running phase (before moving on, closing, or when asked)."""
        if view.current_phase is None or not (empty or self.phase_note.value.strip()):
            return view
        return save_phase_note(
            session,
            actor=self.actor,
            session_id=view.id,
            phase=view.current_phase,
            note=self.phase_note.value,
            expected_version=view.version,
        )

    def save_note(self) -> None:
        view = self.view
        if view is None or view.current_phase is None:
            raise ValidationError(N_("Start a phase first."))
        with self.workbench.sessions.begin() as session:
            saved = self._keep_note(session, view, empty=True)
        self._saved(saved, N_("The note is saved."))

    def save_outcomes(self) -> None:
        view = self.view
        if view is None:
            return
        with self.workbench.sessions.begin() as session:
            saved = record_outcomes(
                session,
                actor=self.actor,
                session_id=view.id,
                learning_points=self.learning.value,
                agreements=self.agreements.value,
                expected_version=view.version,
            )
        self._saved(saved, N_("Learning points and agreements are saved."))

    def save_attendance(self) -> None:
        view = self.view
        if view is None:
            return
        present = {pid: bool(box.value) for pid, box in self.checks.items()}
        with self.workbench.sessions.begin() as session:
            saved = mark_attendance(
                session,
                actor=self.actor,
                session_id=view.id,
                present=present,
                expected_version=view.version,
            )
        self._saved(saved, N_("Attendance is saved."))

    def close(self) -> None:
        view = self.view
        if view is None:
            return
        self.save_attendance()
        view = self.view
        assert view is not None
        with self.workbench.sessions.begin() as session:
            view = self._keep_note(session, view)
            saved = close_session(
                session,
                actor=self.actor,
                session_id=view.id,
                expected_version=view.version,
                now=self.shell.now(),
            )
        self.timer.playing = False
        self._saved(saved, N_("The session is closed; attendance is credited."))
