"""The mobile-group tab (Rule 17): form the group, plan and log the visit, draw up the plan.

Specialists offered are the Center's active core staff on mobile duty, with their job titles
translated; specialists of other bodies and organizations join with their organization
(``ExternalMembersBox``). The support plan's items set kind, form (individual or group, in
person or remote — Rule 26), responsible person, term and, for a child with special educational
needs, the accommodations (Rule 26); the plan is a service, so for a child under 16 it needs
consent unless a direct threat is open (Rule 15). Drawing up the plan opens or updates the
child's case; each item is later marked done (``PlanItemsBox``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.intake_rules import SUPPORT_KINDS
from pcenter_lib.domain.positions import position_label
from pcenter_lib.i18n import N_
from pcenter_lib.services.mobile_groups import (
    MobileGroupView,
    available_core_staff,
    form_mobile_group,
    groups_for_request,
    log_visit,
    plan_visit,
)
from pcenter_lib.services.support_plans import PlanItemDraft, draw_up_support_plan
from widgets.intake.controls import (
    CHOOSE,
    button,
    css,
    labelled_options,
    local_moment,
    local_text,
)
from widgets.intake.mobile_members import ExternalMembersBox, member_text
from widgets.intake.plan_items import PlanItemsBox
from widgets.intake.state import IntakePanel, IntakeState
from widgets.kit import offer
from widgets.markup import html_table
from widgets.shell import AppShell

LABELS: Final = {
    "staff": N_("Specialists"),
    "leader": N_("Group leader"),
    "group": N_("Group"),
    "planned_on": N_("Visit on"),
    "planned_time": N_("Time (HH:MM)"),
    "visit": N_("Visit"),
    "findings": N_("Findings"),
    "kind": N_("Kind of help"),
    "group_form": N_("Group form"),
    "remote": N_("Remote form (Rule 26)"),
    "responsible": N_("Responsible"),
    "due_on": N_("Term"),
    "sen": N_("Special educational needs accommodations"),
}
BUTTONS: Final = {
    "form_button": N_("Form the group"),
    "plan_button": N_("Plan the visit"),
    "depart_button": N_("Departed now"),
    "arrive_button": N_("Arrived now"),
    "findings_button": N_("Save findings"),
    "add_button": N_("Add item"),
    "draw_button": N_("Draw up the support plan"),
}
BUSY: Final = N_("on a visit")
KIND_AND_TERM: Final = N_("Choose the kind of help and its term.")
GROUPS_HEADERS: Final = (
    N_("Group"),
    N_("Members"),
    N_("Planned at"),
    N_("Departed at"),
    N_("Arrived at"),
    N_("Findings"),
)
ITEM_HEADERS: Final = (
    N_("Kind of help"),
    N_("Form"),
    N_("Responsible"),
    N_("Term"),
    N_("Special educational needs accommodations"),
)
INDIVIDUAL: Final = N_("individual")
GROUP: Final = N_("group")
IN_PERSON: Final = N_("in person")
REMOTE: Final = N_("remote")
FORMED: Final = N_("Mobile group formed for {number}.")
PLAN_SAVED: Final = N_("Support plan drawn up; the child's case {case} is open.")


def _title(t: Callable[[str], str], code: str) -> str:
    msgid = position_label(code)
    return t(msgid) if msgid else code.replace("_", " ")


class MobileGroupPanel(IntakePanel):
    """Group, visit and support plan for the current request."""

    title = N_("Mobile group")
    use_case = UseCase.MOBILE_GROUP
    tab = "mobile"

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.groups: list[MobileGroupView] = []
        self.items: list[PlanItemDraft] = []
        self.staff = css(widgets.SelectMultiple(rows=5), "pcenter-mobile-staff")
        self.leader = css(widgets.Dropdown(), "pcenter-mobile-leader")
        self.group = css(widgets.Dropdown(), "pcenter-mobile-group")
        self.planned_on = css(widgets.DatePicker(), "pcenter-mobile-planned-on")
        self.planned_time = css(widgets.Text(value="10:00"), "pcenter-mobile-planned-time")
        self.visit = css(widgets.Dropdown(), "pcenter-mobile-visit")
        self.findings = css(widgets.Textarea(rows=3), "pcenter-mobile-findings")
        self.kind = css(widgets.Dropdown(), "pcenter-plan-kind")
        self.group_form = css(widgets.Checkbox(), "pcenter-plan-group-form")
        self.remote = css(widgets.Checkbox(), "pcenter-plan-remote")
        self.responsible = css(widgets.Text(), "pcenter-plan-responsible")
        self.due_on = css(widgets.DatePicker(), "pcenter-plan-due")
        self.sen = css(widgets.Text(), "pcenter-plan-sen")
        self.form_button = button("pcenter-mobile-form")
        self.plan_button = button("pcenter-mobile-plan")
        self.depart_button = button("pcenter-mobile-depart")
        self.arrive_button = button("pcenter-mobile-arrive")
        self.findings_button = button("pcenter-mobile-findings-save")
        self.add_button = button("pcenter-mobile-add-item")
        self.draw_button = button("pcenter-mobile-draw-up")
        self.groups_view = css(widgets.HTML(), "pcenter-mobile-groups")
        self.items_view = css(widgets.HTML(), "pcenter-plan-items")
        self.external = ExternalMembersBox(self.shell, self.state)
        self.plan_items = PlanItemsBox(self.shell, self.state)
        guard = self.shell.guard
        self.form_button.on_click(guard(lambda _b: self.form_group()))
        self.plan_button.on_click(guard(lambda _b: self.plan()))
        self.depart_button.on_click(guard(lambda _b: self.log(departed=True)))
        self.arrive_button.on_click(guard(lambda _b: self.log(arrived=True)))
        self.findings_button.on_click(guard(lambda _b: self.log(with_findings=True)))
        self.add_button.on_click(guard(lambda _b: self.add_item()))
        self.draw_button.on_click(guard(lambda _b: self.draw_up()))
        self.watch("request_id", self.reload)
        self.widget = css(
            widgets.VBox(
                [
                    widgets.HBox([self.staff, self.leader]),
                    self.external.widget,
                    self.form_button,
                    self.groups_view,
                    widgets.HBox(
                        [self.group, self.planned_on, self.planned_time, self.plan_button]
                    ),
                    widgets.HBox([self.visit, self.depart_button, self.arrive_button]),
                    widgets.HBox([self.findings, self.findings_button]),
                    widgets.HBox([self.kind, self.responsible, self.due_on]),
                    widgets.HBox([self.group_form, self.remote, self.sen]),
                    self.add_button,
                    self.items_view,
                    self.draw_button,
                    self.plan_items.widget,
                ]
            ),
            "pcenter-mobile",
        )

    def render(self) -> None:
        t = self.t
        for name, msgid in LABELS.items():
            getattr(self, name).description = t(msgid)
        for name, msgid in BUTTONS.items():
            getattr(self, name).description = t(msgid)
        offer(self.kind, labelled_options(t, SUPPORT_KINDS, empty=CHOOSE))
        if self.planned_on.value is None:
            self.planned_on.value = self.now().date()
        self.external.render()
        self.plan_items.render()
        self.reload()

    def reload(self) -> None:
        t = self.t
        with self.transaction() as session:
            staff = available_core_staff(session, actor=self.actor)
            request_id = self.current_request_id
            self.groups = (
                []
                if request_id is None
                else groups_for_request(session, actor=self.actor, request_id=request_id)
            )
        staff_options = [
            (f"{s.full_name} · {_title(t, s.position)}" + (f" ({t(BUSY)})" if s.busy else ""), s.id)
            for s in staff
        ]
        offer(self.staff, staff_options)
        offer(self.leader, [(t(CHOOSE), None), *[(s.full_name, s.id) for s in staff]])
        offer(self.group, [(f"#{g.id} · {g.journal_number}", g.id) for g in self.groups])
        visits = [
            (f"#{v.id} · {local_text(v.planned_at)}", v.id) for g in self.groups for v in g.visits
        ]
        offer(self.visit, visits)
        rows = [
            (
                f"#{g.id}",
                "; ".join(member_text(t, m) for m in g.members),
                local_text(v.planned_at),
                local_text(v.departed_at),
                local_text(v.arrived_at),
                v.findings or "—",
            )
            for g in self.groups
            for v in (g.visits or ())
        ] + [
            (f"#{g.id}", "; ".join(member_text(t, m) for m in g.members), "—", "—", "—", "—")
            for g in self.groups
            if not g.visits
        ]
        self.groups_view.value = html_table(
            [t(h) for h in GROUPS_HEADERS], rows, css_class="pcenter-groups"
        )
        self.show_items()
        self.plan_items.reload()

    def form_group(self) -> None:
        group = self.write(
            lambda session: form_mobile_group(
                session,
                actor=self.actor,
                request_id=self.chosen_request(),
                staff_ids=list(self.staff.value),
                leader_id=self.leader.value,
                external=self.external.members,
            )
        )
        self.external.clear()
        self.journal_changed()
        self.reload()
        self.group.value = group.id
        self.shell.show_success(self.t(FORMED, number=group.journal_number))

    def plan(self) -> None:
        if self.group.value is None:
            return
        visit = self.write(
            lambda session: plan_visit(
                session,
                actor=self.actor,
                group_id=self.group.value,
                planned_at=local_moment(
                    self.planned_on.value, self.planned_time.value, field="planned_at"
                ),
            )
        )
        self.reload()
        self.visit.value = visit.id

    def log(
        self, *, departed: bool = False, arrived: bool = False, with_findings: bool = False
    ) -> None:
        if self.visit.value is None:
            return
        now = self.now()
        self.write(
            lambda session: log_visit(
                session,
                actor=self.actor,
                visit_id=self.visit.value,
                departed_at=now if departed else None,
                arrived_at=now if arrived else None,
                findings=self.findings.value if with_findings else None,
                now=now,
            )
        )
        if with_findings:
            self.findings.value = ""
        chosen = self.visit.value
        self.reload()
        self.visit.value = chosen

    def add_item(self) -> None:
        if self.due_on.value is None or self.kind.value is None:
            self.shell.show_error(self.t(KIND_AND_TERM))
            return
        self.items.append(
            PlanItemDraft(
                kind=self.kind.value,
                responsible=self.responsible.value,
                due_on=self.due_on.value,
                individual=not self.group_form.value,
                remote=self.remote.value,
                sen_accommodation=self.sen.value or None,
            )
        )
        self.show_items()

    def show_items(self) -> None:
        t, kinds = self.t, dict(SUPPORT_KINDS)
        rows = [
            (
                t(kinds.get(i.kind, i.kind)),
                f"{t(INDIVIDUAL if i.individual else GROUP)}, {t(REMOTE if i.remote else IN_PERSON)}",
                self.person(i.responsible),  # a colleague by name, not by login
                i.due_on.isoformat(),
                i.sen_accommodation or "—",
            )
            for i in self.items
        ]
        self.items_view.value = html_table(
            [t(h) for h in ITEM_HEADERS], rows, css_class="pcenter-plan"
        )

    def draw_up(self) -> None:
        if self.group.value is None:
            return
        plan = self.write(
            lambda session: draw_up_support_plan(
                session,
                actor=self.actor,
                group_id=self.group.value,
                items=self.items,
                now=self.now(),
            )
        )
        self.items = []
        self.show_items()
        self.plan_items.reload()
        self.journal_changed()
        self.shell.show_success(self.t(PLAN_SAVED, case=plan.case_id))
