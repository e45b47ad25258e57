"""The action-needed tab: my follow-up tasks from supervision, overdue first; the Center's
overdue tasks for those who watch compliance."""

from __future__ import annotations

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.codes import TaskStatus
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.formats import format_day
from pcenter_lib.i18n import N_
from pcenter_lib.services.case_file import TASK_STATUS_LABELS
from pcenter_lib.services.supervision_tasks import (
    ActionTask,
    action_needed,
    overdue_tasks,
    update_task,
)
from widgets.kit import Panel, offer
from widgets.markup import heading, html_table, paragraph
from widgets.shell import AppShell
from widgets.supervision.state import SupervisionState


class TasksPanel(Panel[SupervisionState]):
    title = N_("Action needed")
    use_case = UseCase.RECORD_TASK_PROGRESS
    css_class = "pcenter-supervision-tasks"

    def __init__(self, shell: AppShell, state: SupervisionState) -> None:
        super().__init__(shell, state)
        self.mine: dict[int, ActionTask] = {}
        self.table = widgets.HTML()
        self.table.add_class("pcenter-action-needed")
        self.task = widgets.Dropdown()
        self.status = widgets.Dropdown()
        self.note = widgets.Textarea(
            layout=widgets.Layout(width="100%"), style={"description_width": "initial"}
        )
        self.save = widgets.Button(button_style="primary")
        self.save.add_class("pcenter-task-progress")
        self.overdue = widgets.HTML()
        self.overdue.add_class("pcenter-overdue-tasks")
        self.on_click(self.save, self.record_progress)
        self.form = widgets.VBox([self.task, self.status, self.note, widgets.HBox([self.save])])
        self.widget.children = (self.table, self.form, self.overdue)
        self.watch("changed", self.show)

    def render(self) -> None:
        t = self.t
        self.task.description = t("Task")
        self.status.description = t("Status")
        offer(self.status, [(t(TASK_STATUS_LABELS[s.value]), s.value) for s in TaskStatus])
        self.note.description = t("Progress")
        self.save.description = t("Record the progress")
        self.show()

    def _rows(self, tasks: list[ActionTask]) -> list[list[object]]:
        t, lang = self.t, self.lang
        late = t("overdue")
        return [[format_day(task.due_on, lang) + (f" — {late}" if task.overdue else ""),
                 task.child_code, task.description, task.responsible,
                 t(TASK_STATUS_LABELS[task.status])] for task in tasks]  # fmt: skip

    def show(self) -> None:
        t = self.t
        today = self.shell.now().astimezone(KZ_TZ).date()
        with self.workbench.sessions() as session:
            mine = action_needed(session, actor=self.actor, today=today)
            late = overdue_tasks(session, actor=self.actor, today=today) if self.may(
                UseCase.READ_SUPERVISION) else []  # fmt: skip
        self.mine = {task.task_id: task for task in mine}
        headers = [t("Due date"), t("Child code"), t("Task"), t("Responsible"), t("Status")]
        self.table.value = heading(t("My tasks from supervision"), 2) + (
            html_table(headers, self._rows(mine), css_class="pcenter-my-tasks")
            if mine else paragraph(t("No open tasks."))
        )  # fmt: skip
        self.form.layout.display = "" if mine else "none"
        with self.quiet():
            offer(self.task, [(f"{task.child_code}: {task.description}", task.task_id)
                              for task in mine])  # fmt: skip
        self.overdue.value = heading(t("Overdue tasks of the Center")) + (
            html_table(headers, self._rows(late), css_class="pcenter-late-tasks")
            if late else paragraph(t("No task is overdue."))
        )  # fmt: skip

    def record_progress(self) -> None:
        task = self.mine[int(self.task.value)]
        with self.workbench.sessions.begin() as session:
            update_task(session, actor=self.actor, task_id=task.task_id,
                        expected_version=task.version, status=self.status.value,
                        note=self.note.value, now=self.shell.now())  # fmt: skip
        self.note.value = ""
        self.state.changed += 1
        self.shell.show_success(self.t("The progress is recorded."))
