"""The support plan's items as they are carried out: done on which day, by whom (Rule 17).

Each saved item of the plans drawn up for the current request is listed with its kind, form,
responsible person, term and state; a specialist or supervisor picks an item and marks it done
on a day (today by default) — the day and the person are recorded and shown.
"""

from __future__ import annotations

from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.intake_rules import SUPPORT_KINDS
from pcenter_lib.i18n import N_
from pcenter_lib.services.support_plans import (
    PlanItemView,
    mark_plan_item_done,
    plan_items_for_request,
)
from widgets.intake.controls import CHOOSE, button, css, shown
from widgets.intake.state import IntakePanel, IntakeState
from widgets.kit import offer
from widgets.markup import html_table
from widgets.shell import AppShell

HEADERS: Final = (
    N_("Kind of help"),
    N_("Responsible"),
    N_("Term"),
    N_("State"),
    N_("Done on"),
    N_("Who"),
)
ITEM: Final = N_("Plan item")
DONE_ON: Final = N_("Done on")
MARK: Final = N_("Mark done")
MARKED: Final = N_("The item was marked done on {on}.")
STATES: Final = {"planned": N_("planned"), "done": N_("done"), "dropped": N_("dropped")}


class PlanItemsBox(IntakePanel):
    """Saved plan items of the current request and the "mark done" control."""

    use_case = UseCase.MOBILE_GROUP

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.items: list[PlanItemView] = []
        self.table = css(widgets.HTML(), "pcenter-plan-saved")
        self.item = css(widgets.Dropdown(), "pcenter-plan-item-choice")
        self.done_on = css(widgets.DatePicker(), "pcenter-plan-item-done-on")
        self.mark_button = button("pcenter-plan-item-done")
        self.mark_button.on_click(self.shell.guard(lambda _b: self.mark()))
        self.controls = widgets.HBox([self.item, self.done_on, self.mark_button])
        self.widget = widgets.VBox([self.table, self.controls])

    def render(self) -> None:
        t = self.t
        self.item.description = t(ITEM)
        self.done_on.description = t(DONE_ON)
        self.mark_button.description = t(MARK)
        self.reload()

    def reload(self) -> None:
        t, kinds = self.t, dict(SUPPORT_KINDS)
        request_id = self.current_request_id
        self.items = []
        if request_id is not None:
            with self.transaction() as session:
                self.items = plan_items_for_request(
                    session, actor=self.actor, request_id=request_id
                )
        rows = [
            (
                t(kinds.get(i.kind, i.kind)),
                self.person(i.responsible),  # a colleague by name, not by login
                i.due_on.isoformat(),
                t(STATES.get(i.status, i.status)),
                i.done_on.isoformat() if i.done_on else "—",
                i.done_by or "—",
            )
            for i in self.items
        ]
        self.table.value = html_table([t(h) for h in HEADERS], rows, css_class="pcenter-plan-done")
        open_items = [
            (f"{t(kinds.get(i.kind, i.kind))} · {i.due_on.isoformat()}", i.id)
            for i in self.items
            if i.status == "planned"
        ]
        offer(self.item, [(t(CHOOSE), None), *open_items])
        shown(self.widget, bool(self.items))
        shown(self.controls, bool(open_items) and self.may(UseCase.MOBILE_GROUP))

    def mark(self) -> None:
        if self.item.value is None:
            return
        marked = self.write(
            lambda session: mark_plan_item_done(
                session,
                actor=self.actor,
                item_id=int(self.item.value),
                done_on=self.done_on.value,
                now=self.now(),
            )
        )
        self.reload()
        day = marked.done_on.isoformat() if marked.done_on else ""
        self.shell.show_success(self.t(MARKED, on=day))
