"""The calendar tab (administrator): working-day overrides for decreed day transfers (Rule 16).

An override makes a date a working day (a working Saturday) or a day off (a transferred day);
it wins over the holidays package and the repository's file. Changing an existing override is
saved against the version shown, so two administrators cannot overwrite each other silently.
"""

from __future__ import annotations

from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_, NP_
from pcenter_lib.services.calendar_admin import (
    OverrideView,
    list_calendar_overrides,
    save_calendar_override,
)
from widgets.intake.controls import GIVE_DATE, button, css, local_text
from widgets.intake.state import IntakePanel, IntakeState
from widgets.markup import html_table
from widgets.shell import AppShell

LABELS: Final = {
    "day": N_("Date"),
    "working": N_("Working day"),
    "reason": N_("Reason"),
    "source": N_("Legal source (decree or order)"),
}
SAVE: Final = N_("Save the override")
HEADERS: Final = (
    N_("Date"),
    N_("Working day"),
    N_("Reason"),
    N_("Legal source (decree or order)"),
    N_("Changed"),
    N_("Version"),
)
YES: Final = N_("yes")
NO: Final = N_("no")
SAVED: Final = NP_(
    "The calendar override for {day} was saved; deadlines use it from now on, and {count} due time of an open request was recomputed (the change is in the request's history).",
    "The calendar override for {day} was saved; deadlines use it from now on, and {count} due times of open requests were recomputed (each change is in the request's history).",
)


class CalendarEditor(IntakePanel):
    """List of overrides and the form to add or change one."""

    title = N_("Calendar")
    use_case = UseCase.EDIT_CALENDAR
    tab = "calendar"

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.overrides: list[OverrideView] = []
        self.day = css(widgets.DatePicker(), "pcenter-calendar-day")
        self.working = css(widgets.Checkbox(), "pcenter-calendar-working")
        self.reason = css(widgets.Text(), "pcenter-calendar-reason")
        self.source = css(widgets.Text(), "pcenter-calendar-source")
        self.save_button = button("pcenter-calendar-save")
        self.listing = css(widgets.HTML(), "pcenter-calendar-list")
        self.save_button.on_click(self.shell.guard(lambda _b: self.save()))
        self.day.observe(self.shell.guard(self._fill_from_existing), names="value")
        self.widget = css(
            widgets.VBox(
                [
                    widgets.HBox([self.day, self.working]),
                    widgets.HBox([self.reason, self.source]),
                    self.save_button,
                    self.listing,
                ]
            ),
            "pcenter-calendar",
        )

    def render(self) -> None:
        t = self.t
        for name, msgid in LABELS.items():
            getattr(self, name).description = t(msgid)
        self.save_button.description = t(SAVE)
        self.reload()

    def reload(self) -> None:
        t = self.t
        with self.transaction() as session:
            self.overrides = list_calendar_overrides(session, actor=self.actor)
        rows = [
            (
                o.day_on.isoformat(),
                t(YES) if o.working else t(NO),
                o.reason,
                o.source or "—",
                f"{local_text(o.changed_at)} {o.changed_by}",
                str(o.version),
            )
            for o in self.overrides
        ]
        self.listing.value = html_table(
            [t(h) for h in HEADERS], rows, css_class="pcenter-overrides"
        )

    def _existing(self) -> OverrideView | None:
        return next((o for o in self.overrides if o.day_on == self.day.value), None)

    def _fill_from_existing(self, _change: object) -> None:
        existing = self._existing()
        if existing is not None:
            self.working.value = existing.working
            self.reason.value = existing.reason
            self.source.value = existing.source or ""

    def save(self) -> None:
        existing = self._existing()
        day = self.day.value
        if day is None:
            self.shell.show_error(self.t(GIVE_DATE))
            return
        saved = self.write(
            lambda session: save_calendar_override(
                session,
                actor=self.actor,
                day_on=day,
                working=self.working.value,
                reason=self.reason.value,
                source=self.source.value or None,
                expected_version=None if existing is None else existing.version,
                now=self.now(),
            )
        )
        self.reload()
        self.journal_changed()
        self.shell.show_success(
            self.t.ngettext(*SAVED, len(saved.moved), day=day.isoformat(), count=len(saved.moved))
        )
