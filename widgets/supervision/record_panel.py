"""The record tab: one case's supervision record, written, sent, signed and locked; addenda.

Until the signature the presenting specialist (or the supervisor) writes the question, the
formulation on a chosen template, hypotheses, the decision with dissent, recommendations and
follow-up tasks, and sends it for review; the supervisor signs and locks it or returns it with
comments. A signed record is shown read-only, with who signed it and when, and takes addenda
only. Every save names the version shown, so a stale save is refused with a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.formulations import FormulationTemplate, load_templates
from pcenter_lib.errors import NotFoundError
from pcenter_lib.formats import format_day, format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.services.case_file import RECORD_STATUS_LABELS, TASK_STATUS_LABELS
from pcenter_lib.services.supervision_records import (
    RecordDraft,
    RecordView,
    add_addendum,
    read_record,
    return_record,
    save_record,
    sign_record,
    submit_record,
)
from pcenter_lib.services.supervision_tasks import add_task
from widgets.kit import Panel, show
from widgets.markup import heading, html_table, paragraph
from widgets.shell import AppShell
from widgets.supervision.state import SupervisionState

TEXTS = ("question", "hypotheses", "decision", "dissent", "recommendations")
LABELS = {
    "question": N_("Question brought to supervision"),
    "hypotheses": N_("Hypotheses"),
    "decision": N_("Decision"),
    "dissent": N_("Dissent"),
    "recommendations": N_("Recommendations"),
}
NO_RECORD = N_("Open a record from the Sessions tab, or pick a child in the queue.")
LOCKED_NOTE = N_(
    "Signed and locked by {person}, {moment}. Nothing in it can change; add an addendum."
)


def _area(css: str) -> widgets.Textarea:
    area = widgets.Textarea(layout=widgets.Layout(width="100%", height="70px"))
    area.style.description_width = "initial"  # the whole label, never cut off
    area.add_class(css)
    return area


def _button(css: str, style: str = "") -> widgets.Button:
    button = widgets.Button(button_style=style)
    button.add_class(css)
    return button


class RecordPanel(Panel[SupervisionState]):
    title = N_("Record")
    use_case = UseCase.READ_SUPERVISION
    css_class = "pcenter-supervision-record"

    def __init__(self, shell: AppShell, state: SupervisionState) -> None:
        super().__init__(shell, state)
        self.view: RecordView | None = None
        self.templates = {tpl.code: tpl for tpl in load_templates()}
        self.header = widgets.HTML()
        self.header.add_class("pcenter-record-header")
        self.texts = {name: _area(f"pcenter-record-{name}") for name in TEXTS}
        self.template = widgets.Dropdown(style={"description_width": "initial"})
        self.template.add_class("pcenter-record-template")
        self.fields: dict[str, widgets.Widget] = {}
        self.formulation = widgets.VBox()
        self.on_change(self.template, lambda _v: self._build_fields({}))
        self.save = _button("pcenter-record-save", "primary")
        self.submit = _button("pcenter-record-submit")
        self.sign = _button("pcenter-record-sign", "success")
        self.comment = _area("pcenter-record-comment")
        self.send_back = _button("pcenter-record-return", "warning")
        self.task_text = widgets.Text(
            layout=widgets.Layout(width="100%"), style={"description_width": "initial"}
        )
        self.task_text.add_class("pcenter-task-text")
        self.task_person = widgets.Text(style={"description_width": "initial"})
        self.task_person.add_class("pcenter-task-person")
        self.task_due = widgets.DatePicker(style={"description_width": "initial"})
        self.task_due.add_class("pcenter-task-due")
        self.add_task = _button("pcenter-task-add")
        self.tasks = widgets.HTML()
        self.addenda = widgets.HTML()
        self.addendum_reason = _area("pcenter-addendum-reason")
        self.addendum_text = _area("pcenter-addendum-text")
        self.add_addendum = _button("pcenter-addendum-add", "primary")
        for button, fn in ((self.save, self.save_text), (self.submit, self.send),
                           (self.sign, self.sign_and_lock), (self.send_back, self.return_it),
                           (self.add_task, self.add_one_task),
                           (self.add_addendum, self.add_one_addendum)):  # fmt: skip
            self.on_click(button, fn)
        present = self.may(UseCase.PRESENT_CASE)
        supervise = self.may(UseCase.SIGN_SUPERVISION)
        self.task_box = widgets.VBox(
            [self.task_text, widgets.HBox([self.task_person, self.task_due, self.add_task])]
        )
        self.editor = widgets.VBox(
            [
                self.texts["question"],
                self.template,
                self.formulation,
                *(self.texts[n] for n in TEXTS[1:]),
                self.save,
                self.task_box,
            ]
            if present
            else []
        )
        self.review = widgets.VBox(
            [
                *([self.submit] if present else []),
                *([self.sign, self.comment, self.send_back] if supervise else []),
            ]
        )
        self.addendum_box = widgets.VBox(
            [self.addendum_reason, self.addendum_text, widgets.HBox([self.add_addendum])]
            if present
            else []
        )
        self.widget.children = (self.header, self.editor, self.tasks, self.review, self.addenda,
                                self.addendum_box)  # fmt: skip
        self.watch(["record_id", "changed"], self.load)

    # --- showing -----------------------------------------------------------------------------
    def render(self) -> None:
        t = self.t
        for name in TEXTS:
            self.texts[name].description = t(LABELS[name])
        self.template.description = t("Formulation")
        options = [(t("No template"), "")]
        options += [(tpl.title(self.lang), code) for code, tpl in self.templates.items()]
        with self.quiet():
            show(self.template, options, self.template.value or "")
        self.save.description = t("Save the record")
        self.submit.description = t("Send for review")
        self.sign.description = t("Sign and lock")
        self.comment.description = t("Comments")
        self.send_back.description = t("Return with comments")
        self.task_text.description = t("Follow-up task")
        self.task_person.description = t("Responsible")
        self.task_due.description = t("Due date")
        self.add_task.description = t("Add the task")
        self.addendum_reason.description = t("Why")
        self.addendum_text.description = t("Addendum")
        self.add_addendum.description = t("Add the addendum")
        self.load()

    def load(self) -> None:
        if self.state.record_id is None:
            self.view = None
            self.header.value = paragraph(self.t(NO_RECORD))
            for box in (self.editor, self.review, self.addendum_box):
                box.layout.display = "none"
            self.tasks.value = self.addenda.value = ""
            return
        with self.workbench.sessions.begin() as session:
            self.view = read_record(session, actor=self.actor, record_id=self.state.record_id)
        view = self.view
        if view.child_id is not None and self.state.child_id != view.child_id:
            self.state.child_id = view.child_id
        with self.quiet():
            for name in TEXTS:
                self.texts[name].value = getattr(view.draft, name)
            self.template.value = view.draft.template or ""
        self._build_fields(view.draft.formulation)
        self.task_person.value = self.task_person.value or view.presenter or ""
        self._show(view)

    def _show(self, view: RecordView) -> None:
        t, lang = self.t, self.lang
        lines = [
            heading(t("Supervision record of child {code}", code=view.child_code), 2),
            paragraph(t("Session of {moment}, supervisor {person}",
                        moment=format_moment(view.held_at, lang), person=view.supervisor)),
            paragraph(t("Presented by {person}; status: {status}", person=view.presenter or "—",
                        status=t(RECORD_STATUS_LABELS[view.status]))),
        ]  # fmt: skip
        if view.review_comment and view.status == "returned":
            lines.append(paragraph(t("Returned with comments: {text}", text=view.review_comment),
                                   "pcenter-conflict"))  # fmt: skip
        if view.locked:
            note = t(LOCKED_NOTE, person=view.signed_by or "—",
                     moment=format_moment(view.signed_at, lang))  # fmt: skip
            lines.append(f'<div class="pcenter-ok pcenter-record-locked">{paragraph(note)}</div>')
            lines.append(self._read_only(view))
        self.header.value = "".join(lines)
        self.editor.layout.display = "none" if view.locked else ""
        self.review.layout.display = "none" if view.locked else ""
        self.addendum_box.layout.display = "" if view.locked else "none"
        rows = [[task.description, task.responsible, format_day(task.due_on, lang),
                 t(TASK_STATUS_LABELS[task.status]), task.progress_note or ""]
                for task in view.tasks]  # fmt: skip
        self.tasks.value = (heading(t("Follow-up tasks")) + html_table(
            [t("Task"), t("Responsible"), t("Due date"), t("Status"), t("Progress")], rows,
            css_class="pcenter-record-tasks")) if rows else ""  # fmt: skip
        added = [[format_moment(a.added_at, lang), a.added_by, a.reason, a.text]
                 for a in view.addenda]  # fmt: skip
        self.addenda.value = (heading(t("Addenda")) + html_table(
            [t("When"), t("Who"), t("Why"), t("Text")], added,
            css_class="pcenter-record-addenda")) if added else ""  # fmt: skip

    def _read_only(self, view: RecordView) -> str:
        t = self.t
        rows = [[t(LABELS[name]), getattr(view.draft, name)] for name in TEXTS
                if getattr(view.draft, name)]  # fmt: skip
        template = self.templates.get(view.draft.template or "")
        if template is not None:
            rows.append([t("Formulation"), template.title(self.lang)])
            rows += [[f.text(self.lang), str(view.draft.formulation[f.code])]
                     for f in template.fields if f.code in view.draft.formulation]  # fmt: skip
        return html_table([t("Part"), t("Text")], rows, css_class="pcenter-record-text")

    def _template(self) -> FormulationTemplate | None:
        return self.templates.get(self.template.value or "")

    def _build_fields(self, values: Mapping[str, object]) -> None:
        template = self._template()
        self.fields = {}
        if template is not None:
            for field in template.fields:
                if field.kind == "scale":
                    control: widgets.Widget = widgets.Dropdown(
                        options=[("—", None)] + [(str(n), n) for n in
                                                 range(field.low, field.high + 1)],
                        value=values.get(field.code),
                    )  # fmt: skip
                else:
                    control = _area(f"pcenter-formulation-{field.code}")
                    control.value = str(values.get(field.code, ""))
                control.description = field.text(self.lang)
                control.add_class(f"pcenter-formulation-{field.code}")
                control.style.description_width = "initial"
                self.fields[field.code] = control
        self.formulation.children = tuple(self.fields.values())

    # --- acting --------------------------------------------------------------------------------
    def _draft(self) -> RecordDraft:
        return RecordDraft(
            **{name: self.texts[name].value for name in TEXTS},
            template=self.template.value or None,
            formulation={code: c.value for code, c in self.fields.items()},
        )

    def _done(self, message: str) -> None:
        self.state.changed += 1
        self.shell.show_success(self.t(message))

    def _shown(self) -> RecordView:
        if self.view is None:
            raise NotFoundError(NO_RECORD)
        return self.view

    def _record(self) -> int:
        return self._shown().record_id

    def _seen(self) -> int:
        return self._shown().version

    def save_text(self) -> None:
        with self.workbench.sessions.begin() as session:
            save_record(session, actor=self.actor, record_id=self._record(),
                        expected_version=self._seen(), draft=self._draft())  # fmt: skip
        self._done(N_("The record is saved."))

    def add_one_task(self) -> None:
        with self.workbench.sessions.begin() as session:
            # what was typed in the record is saved with the task, never lost on the reload
            version = save_record(session, actor=self.actor, record_id=self._record(),
                                  expected_version=self._seen(), draft=self._draft())  # fmt: skip
            add_task(session, actor=self.actor, record_id=self._record(),
                     expected_version=version, description=self.task_text.value,
                     responsible=self.task_person.value.strip(),
                     due_on=self.task_due.value or self.shell.now().date())  # fmt: skip
        self.task_text.value = ""
        self._done(N_("The task is added; it shows in the person's action-needed list."))

    def send(self) -> None:
        with self.workbench.sessions.begin() as session:
            version = save_record(session, actor=self.actor, record_id=self._record(),
                                  expected_version=self._seen(), draft=self._draft())  # fmt: skip
            submit_record(session, actor=self.actor, record_id=self._record(),
                          expected_version=version)  # fmt: skip
        self._done(N_("The record is sent to the supervisor for review."))

    def sign_and_lock(self) -> None:
        with self.workbench.sessions.begin() as session:
            version = self._seen()
            if self.may(UseCase.PRESENT_CASE):  # what the supervisor typed is signed with it
                version = save_record(session, actor=self.actor, record_id=self._record(),
                                      expected_version=version, draft=self._draft())  # fmt: skip
            sign_record(session, actor=self.actor, record_id=self._record(),
                        expected_version=version, now=self.shell.now())  # fmt: skip
        self._done(N_("The record is signed and locked."))

    def return_it(self) -> None:
        with self.workbench.sessions.begin() as session:
            return_record(session, actor=self.actor, record_id=self._record(),
                          expected_version=self._seen(), comment=self.comment.value)  # fmt: skip
        self.comment.value = ""
        self._done(N_("The record is returned with your comments."))

    def add_one_addendum(self) -> None:
        with self.workbench.sessions.begin() as session:
            add_addendum(session, actor=self.actor, record_id=self._record(),
                         reason=self.addendum_reason.value, text=self.addendum_text.value,
                         now=self.shell.now())  # fmt: skip
        self.addendum_reason.value = self.addendum_text.value = ""
        self._done(N_("The addendum is added."))
