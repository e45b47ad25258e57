"""The support plan's items as they are carried out: done on which day, by whom (Rule 17).

Each saved item of the plans drawn up for the current request is listed with its kind, form,
responsible person, term and state; a specialist or supervisor picks an item and marks it done
on a day (today by default) — the day and the person are recorded and shown.
"""

from __future__ import annotations

from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.intake_rules import SUPPORT_KINDS
from pcenter_lib.i18n import N_
from pcenter_lib.services.support_plans import (
    PlanItemView,
    mark_plan_item_done,
    plan_items_for_request,
)
from widgets.intake.context import CHOOSE, IntakeContext, button, css, set_options, shown
from widgets.markup import html_table

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


class PlanItemsBox:
    """Saved plan items of the current request and the "mark done" control."""

    def __init__(self, ctx: IntakeContext) -> None:
        self.ctx = ctx
        self.items: list[PlanItemView] = []
        self.table = css(widgets.HTML(), "pcenter-plan-saved")
        self.item = css(widgets.Dropdown(), "pcenter-plan-item-choice")
        self.done_on = css(widgets.DatePicker(), "pcenter-plan-item-done-on")
        self.mark_button = button("pcenter-plan-item-done")
        self.mark_button.on_click(ctx.shell.guard(lambda _b: self.mark()))
        self.controls = widgets.HBox([self.item, self.done_on, self.mark_button])
        self.widget = widgets.VBox([self.table, self.controls])

    def render(self) -> None:
        t = self.ctx.t
        self.item.description = t(ITEM)
        self.done_on.description = t(DONE_ON)
        self.mark_button.description = t(MARK)
        self.reload()

    def reload(self) -> None:
        t, kinds = self.ctx.t, dict(SUPPORT_KINDS)
        request_id = self.ctx.current_request_id
        self.items = []
        if request_id is not None:
            with self.ctx.transaction() as session:
                self.items = plan_items_for_request(
                    session, actor=self.ctx.actor, request_id=request_id
                )
        rows = [
            (
                t(kinds.get(i.kind, i.kind)),
                i.responsible,
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
        set_options(self.item, [(t(CHOOSE), None), *open_items])
        shown(self.widget, bool(self.items))
        shown(self.controls, bool(open_items) and self.ctx.may("mobile_group"))

    def mark(self) -> None:
        if self.item.value is None:
            return
        with self.ctx.transaction() as session:
            marked = mark_plan_item_done(
                session,
                actor=self.ctx.actor,
                item_id=int(self.item.value),
                done_on=self.done_on.value,
                now=self.ctx.now(),
            )
        self.reload()
        day = marked.done_on.isoformat() if marked.done_on else ""
        self.ctx.shell.show_success(self.ctx.t(MARKED, on=day))
