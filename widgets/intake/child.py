"""The child tab: the current request's child, completed or merged (Rules 13, 14).

A child nobody could identify when the request came in is recorded as provisional (name,
approximate age or grade, school). Here a desk role completes the record — IIN or birth date and
sex, the full name — or, when the child turns out to be one already recorded, finds that child
(the matches are listed with birth date, school and grade; nothing is chosen for the person) and
merges the provisional record into it: the requests, consents and help move, each request's
history says so, and both records stay. Names are shown on demand only, and that view is
recorded in the audit trail.
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_, NP_
from pcenter_lib.services.child_records import (
    ChildCompletion,
    ChildRecord,
    complete_child_record,
    describe_child,
    merge_children,
)
from pcenter_lib.services.journal_export import school_names
from pcenter_lib.services.request_records import get_request
from widgets.intake.child_finder import ChildFinder, child_facts
from widgets.intake.controls import (
    CHOOSE,
    button,
    css,
    labelled_options,
    shown,
)
from widgets.intake.form import FORM_LABEL_WIDTH, SEXES
from widgets.intake.state import NO_REQUEST, IntakePanel, IntakeState
from widgets.kit import offer
from widgets.shell import AppShell

NO_CHILD: Final = N_("The current request names no child.")
CHILD_LINE: Final = N_("Child {code}: {facts}.")
PROVISIONAL_LINE: Final = N_(
    "Provisional record: complete it when the IIN or birth date is known, or merge it into the "
    "child it turns out to be."
)
MERGED_LINE: Final = N_("This record was merged into another child.")
SHOW_NAME: Final = N_("Show name (recorded in the audit trail)")
COMPLETE_HEADING: Final = N_("Complete the record")
MERGE_HEADING: Final = N_("Merge into a child already recorded")
LABELS: Final = {
    "full_name": N_("Child's full name"),
    "iin": N_("IIN"),
    "birth_date": N_("Birth date"),
    "sex": N_("Sex"),
    "merge_reason": N_("Reason for merging"),
}
SAVE: Final = N_("Save the child's record")
MERGE: Final = N_("Merge into the chosen child")
SAVED: Final = N_("The record of child {code} was saved.")
MERGED: Final = NP_(
    "Merged: {count} request now names the chosen child.",
    "Merged: {count} requests now name the chosen child.",
)
PICK: Final = N_("Pick the child to merge into.")
PICK_CHOICE: Final = N_("(search, then pick the child to merge into)")


class ChildRecordPanel(IntakePanel):
    """The current request's child: its facts, completion and merge."""

    title = N_("Child")
    use_case = UseCase.EDIT_CHILD_RECORD
    tab = "child"

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.record: ChildRecord | None = None
        self.with_name = False
        self.info = css(widgets.HTML(), "pcenter-child-info")
        self.name_button = button("pcenter-child-show-name")
        self.full_name = css(widgets.Text(), "pcenter-child-full-name")
        self.iin = css(widgets.Text(), "pcenter-child-iin")
        self.birth_date = css(widgets.DatePicker(), "pcenter-child-birth-date")
        self.sex = css(widgets.Dropdown(), "pcenter-child-sex")
        self.save_button = button("pcenter-child-save")
        self.finder = ChildFinder(
            self.shell, self.state, self._schools, lambda: None, empty_choice=PICK_CHOICE
        )
        self.merge_reason = css(widgets.Text(), "pcenter-child-merge-reason")
        self.merge_button = button("pcenter-child-merge")
        for field in (self.full_name, self.iin, self.birth_date, self.sex, self.merge_reason):
            field.style.description_width = FORM_LABEL_WIDTH
        self.complete_heading = widgets.HTML()
        self.merge_heading = widgets.HTML()
        guard = self.shell.guard
        self.name_button.on_click(guard(lambda _b: self.show_name()))
        self.save_button.on_click(guard(lambda _b: self.save()))
        self.merge_button.on_click(guard(lambda _b: self.merge()))
        self.watch("request_id", self.reload)
        self.watch("journal_version", self.reload)
        self.edit_box = widgets.VBox(
            [
                self.complete_heading,
                widgets.HBox([self.full_name, self.iin]),
                widgets.HBox([self.birth_date, self.sex]),
                self.save_button,
                self.merge_heading,
                self.finder.widget,
                widgets.HBox([self.merge_reason, self.merge_button]),
            ]
        )
        self.widget = css(
            widgets.VBox([self.info, self.name_button, self.edit_box]), "pcenter-child-record"
        )

    def _schools(self) -> dict[int, str]:
        with self.transaction() as session:
            return school_names(session, self.lang)

    def render(self) -> None:
        t = self.t
        for name, msgid in LABELS.items():
            getattr(self, name).description = t(msgid)
        offer(self.sex, labelled_options(t, SEXES, empty=CHOOSE))
        self.name_button.description = t(SHOW_NAME)
        self.save_button.description = t(SAVE)
        self.merge_button.description = t(MERGE)
        self.complete_heading.value = f"<h4>{html.escape(t(COMPLETE_HEADING))}</h4>"
        self.merge_heading.value = f"<h4>{html.escape(t(MERGE_HEADING))}</h4>"
        self.finder.render()
        self.reload()

    def reload(self) -> None:
        t, request_id = self.t, self.current_request_id
        self.record = None
        child_id = None
        if request_id is not None:
            with self.transaction() as session:
                detail = get_request(
                    session,
                    actor=self.actor,
                    cipher=self.workbench.cipher,
                    request_id=request_id,
                )
                child_id = detail.values["child_id"]
                if child_id is not None:
                    self.record = describe_child(
                        session,
                        actor=self.actor,
                        cipher=self.workbench.cipher,
                        child_id=child_id,
                        with_name=self.with_name,
                    )
        self.with_name = False
        if self.record is None:
            text = NO_REQUEST if request_id is None else NO_CHILD
            self.info.value = f"<p>{html.escape(t(text))}</p>"
            shown(self.name_button, False)
            shown(self.edit_box, False)
            return
        match = self.record.match
        facts = [match.full_name] if match.full_name else []
        facts += child_facts(t, match, self._schools())
        lines = [t(CHILD_LINE, code=match.code, facts=" · ".join(facts))]
        if self.record.merged_into_id is not None:
            lines.append(t(MERGED_LINE))
        elif match.provisional:
            lines.append(t(PROVISIONAL_LINE))
        css_class = "pcenter-warning" if match.provisional else "pcenter-plain-box"
        body = "<br>".join(html.escape(line) for line in lines)
        self.info.value = f'<div class="{css_class}">{body}</div>'
        editable = self.may(UseCase.EDIT_CHILD_RECORD) and self.record.merged_into_id is None
        shown(self.name_button, match.full_name is None)
        shown(self.edit_box, editable)

    def show_name(self) -> None:
        self.with_name = True
        self.reload()

    def save(self) -> None:
        if self.record is None:
            return
        with self.transaction() as session:
            child = complete_child_record(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                child_id=self.record.match.child_id,
                expected_version=self.record.version,
                completion=ChildCompletion(
                    full_name=self.full_name.value or None,
                    iin=self.iin.value or None,
                    birth_date=self.birth_date.value,
                    sex=self.sex.value,
                ),
            )
            code = child.code
        for field in (self.full_name, self.iin):
            field.value = ""
        self.birth_date.value, self.sex.value = None, None
        self.journal_changed()
        self.shell.show_success(self.t(SAVED, code=code))

    def merge(self) -> None:
        record = self.record
        if record is None:
            return
        target = self.finder.value
        if target is None:
            self.shell.show_error(self.t(PICK))
            return
        moved = self.write(
            lambda session: merge_children(
                session,
                actor=self.actor,
                source_id=record.match.child_id,
                into_id=target,
                reason=self.merge_reason.value,
                expected_version=record.version,
                now=self.now(),
            )
        )
        self.merge_reason.value = ""
        self.finder.clear()
        self.journal_changed()
        self.shell.show_success(self.t.ngettext(*MERGED, moved, count=moved))
