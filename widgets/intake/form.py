"""Register a request (Rules 12–13): channel, source, applicant, child, concerns, text, threat.

Every request is registered (Rule 13): a child's own appeal under 16 (its services then wait for
consent, Rule 15), an applicant who gives no name (ticked as anonymous), a child nobody can
identify yet (a provisional record: name, approximate age or grade, school). The child is found
with ``ChildFinder`` — the matches are listed, never chosen for the operator — or typed anew; a
second record of the same name and birth date is noticed first. Concerns (Rule 19) are ticked in
a grouped list. Every wrong field is shown at once, beside the field, in the person's language.
After saving, the result says the journal number, the due time (Rule 16), whether consent is
needed (Rule 15) — and the consent step opens — and, on a direct threat, the notifications owed
within the Center's minutes (Rules 15, 18, 22); the threat tab opens.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase, may_see_identity
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.field_errors import IntakeValidationError
from pcenter_lib.domain.intake_rules import APPLICANT_RELATIONS, CHANNELS, SOURCE_LABELS, SOURCES
from pcenter_lib.i18n import N_
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.intake import (
    PossibleDuplicateChildError,
    PossibleDuplicateError,
    RegisteredRequest,
    RequestDraft,
    register_request,
)
from pcenter_lib.services.journal_export import school_names
from widgets.intake.child_finder import ChildFinder
from widgets.intake.concern_picker import ConcernPicker
from widgets.intake.controls import (
    CHOOSE,
    button,
    css,
    labelled_options,
    local_moment,
    local_text,
    shown,
)
from widgets.intake.field_notes import SUMMARY, FieldNotes
from widgets.intake.state import IntakePanel, IntakeState
from widgets.kit import offer
from widgets.shell import AppShell

LABELS: Final = {
    "received_on": N_("Received on"),
    "received_time": N_("Time (HH:MM)"),
    "channel": N_("Channel"),
    "source": N_("Source"),
    "applicant_name": N_("Applicant"),
    "anonymous": N_("Anonymous (gives no name)"),
    "applicant_relation": N_("Relation"),
    "child_name": N_("Child's full name"),
    "iin": N_("IIN"),
    "birth_date": N_("Birth date"),
    "sex": N_("Sex"),
    "approx_age": N_("Approximate age"),
    "school": N_("School"),
    "grade": N_("Grade"),
    "special_needs": N_("Special educational needs"),
    "description": N_("Description"),
    "direct_threat": N_("Direct threat to life or health"),
}
FIELDS: Final = (
    "received_at", "channel", "source", "applicant_name", "applicant_relation", "child",
    "child_name", "iin", "birth_date", "sex", "approx_age", "grade", "concerns", "description",
    "education_organization_id",
)  # fmt: skip
CONCERNS_HEADING: Final = N_("Concerns (Rule 19): tick every one that applies")
PROVISIONAL_HINT: Final = N_(
    "No IIN or birth date? Give the name and an approximate age or grade: the child is recorded "
    "as provisional and completed later."
)
SAVE: Final = N_("Register the request")
CONFIRM: Final = N_("Register anyway")
SEXES: Final = (("male", N_("male")), ("female", N_("female")))
FORM_LABEL_WIDTH: Final = "190px"  # the longest labels (kk "Баланың толық аты-жөні") read whole
DUPLICATE_HEADING: Final = N_("Possible duplicate")
REGISTERED: Final = N_("Registered {number}. Due by {due} (Rule 16).")
REGISTERED_AS: Final = N_("Registered as: {source}.")
ANONYMOUS: Final = N_("The applicant is recorded as anonymous.")
PROVISIONAL_CHILD: Final = N_(
    "The child is recorded as provisional: complete the record in the Child tab when more is known."
)
CONSENT_NEEDED: Final = N_(
    "Services need the consent of a legal representative (Rule 15): record it in the Consent "
    "tab, opened for this request."
)
NO_CONSENT_NEEDED: Final = N_("No consent needed before services.")
AGE_UNKNOWN: Final = N_("The child's age is not known: check consent when the child is linked.")
OWED_NOW: Final = N_("Notify by {due} (within {minutes} minutes): {recipients}.")
HELP_NOW: Final = N_(
    "Direct threat: give help at once, without waiting for consent; the same-day path of "
    "Rules 15, 16 and 18 has started."
)


class IntakeForm(IntakePanel):
    """The registration form; ``save`` and ``confirm_duplicate`` are its two actions."""

    title = N_("Register")
    use_case = UseCase.REGISTER_REQUEST
    tab = "register"

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.last: RegisteredRequest | None = None
        self.pending: RequestDraft | None = None
        self.notes = FieldNotes(FIELDS, aliases={"applicant_anonymous": "applicant_name"})
        self.received_on = css(widgets.DatePicker(), "pcenter-intake-received-on")
        self.received_time = css(widgets.Text(), "pcenter-intake-received-time")
        self.channel = css(widgets.Dropdown(), "pcenter-intake-channel")
        self.source = css(widgets.Dropdown(), "pcenter-intake-source")
        self.applicant_name = css(widgets.Text(), "pcenter-intake-applicant")
        self.anonymous = css(widgets.Checkbox(), "pcenter-intake-anonymous")
        self.applicant_relation = css(widgets.Dropdown(), "pcenter-intake-relation")
        self.finder = ChildFinder(
            self.shell, self.state, self._school_names, self.confirm_new_child
        )
        self.child_name = css(widgets.Text(), "pcenter-intake-child-name")
        self.iin = css(widgets.Text(), "pcenter-intake-iin")
        self.birth_date = css(widgets.DatePicker(), "pcenter-intake-birth-date")
        self.sex = css(widgets.Dropdown(), "pcenter-intake-sex")
        self.approx_age = css(widgets.BoundedIntText(min=0, max=17), "pcenter-intake-approx-age")
        self.school = css(widgets.Dropdown(), "pcenter-intake-school")
        self.grade = css(widgets.BoundedIntText(min=0, max=12), "pcenter-intake-grade")
        self.special_needs = css(widgets.Checkbox(), "pcenter-intake-special-needs")
        self.concerns = ConcernPicker()
        self.concerns_heading = widgets.HTML()
        self.provisional_hint = css(widgets.HTML(), "pcenter-intake-hint")
        self.description = css(widgets.Textarea(rows=4), "pcenter-intake-description")
        self.direct_threat = css(widgets.Checkbox(), "pcenter-intake-direct-threat")
        self.save_button = button("pcenter-intake-save")
        self.confirm_button = button("pcenter-intake-confirm-duplicate")
        self.duplicate_box = css(widgets.HTML(), "pcenter-intake-duplicate")
        self.result = css(widgets.HTML(), "pcenter-intake-result")
        self._schools: dict[int, str] | None = None
        guard = self.shell.guard
        self.save_button.on_click(guard(lambda _b: self.save()))
        self.confirm_button.on_click(guard(lambda _b: self.confirm_duplicate()))
        shown(self.confirm_button, False)
        self.reset_time()
        for name in LABELS:
            field = getattr(self, name)
            if not isinstance(field, widgets.Checkbox):
                field.style.description_width = FORM_LABEL_WIDTH
        beside = self.notes.beside
        self.widget = css(
            widgets.VBox(
                [
                    beside("received_at", self.received_on, self.received_time),
                    widgets.HBox([beside("channel", self.channel), beside("source", self.source)]),
                    beside("applicant_name", self.applicant_name, self.anonymous),
                    beside("applicant_relation", self.applicant_relation),
                    beside("child", self.finder.widget),
                    widgets.HBox([beside("child_name", self.child_name), beside("iin", self.iin)]),
                    widgets.HBox([beside("birth_date", self.birth_date), beside("sex", self.sex)]),
                    self.provisional_hint,
                    widgets.HBox(
                        [beside("approx_age", self.approx_age), beside("grade", self.grade)]
                    ),
                    widgets.HBox(
                        [beside("education_organization_id", self.school), self.special_needs]
                    ),
                    self.concerns_heading,
                    beside("concerns", self.concerns.widget),
                    beside("description", self.description),
                    self.direct_threat,
                    self.save_button,
                    self.duplicate_box,
                    self.confirm_button,
                    self.result,
                ]
            ),
            "pcenter-intake-form",
        )

    def reset_time(self) -> None:
        local = self.now().astimezone(KZ_TZ)
        self.received_on.value = local.date()
        self.received_time.value = local.strftime("%H:%M")

    def render(self) -> None:
        t = self.t
        for name, msgid in LABELS.items():
            getattr(self, name).description = t(msgid)
        offer(
            self.channel, labelled_options(t, ((c.code, c.label) for c in CHANNELS), empty=CHOOSE)
        )
        offer(self.source, labelled_options(t, ((s.code, s.label) for s in SOURCES), empty=CHOOSE))
        offer(self.applicant_relation, labelled_options(t, APPLICANT_RELATIONS, empty=CHOOSE))
        offer(self.sex, labelled_options(t, SEXES, empty=CHOOSE))
        self._schools = None
        offer(self.school, [(t(CHOOSE), None), *self._school_options()])
        self.concerns.render(t)
        self.concerns_heading.value = f"<b>{html.escape(t(CONCERNS_HEADING))}</b>"
        self.provisional_hint.value = f"<i>{html.escape(t(PROVISIONAL_HINT))}</i>"
        self.finder.render()
        self.save_button.description = t(SAVE)
        self.confirm_button.description = t(CONFIRM)
        shown(self.finder.widget, may_see_identity(self.shell.roles))
        if self.last is not None:
            self.show_result(self.last)

    def _school_names(self) -> dict[int, str]:
        if self._schools is None:
            with self.transaction() as session:
                self._schools = school_names(session, self.lang)
        return self._schools

    def _school_options(self) -> list[tuple[str, object]]:
        names = self._school_names()
        return [(name, sid) for sid, name in sorted(names.items(), key=lambda item: item[1])]

    def draft(self) -> RequestDraft:
        """The request as typed now (checked by the service, not here)."""
        received = local_moment(
            self.received_on.value, self.received_time.value, field="received_at"
        )
        child: ChildDraft | None = None
        typed = any([self.child_name.value.strip(), self.iin.value.strip(), self.birth_date.value])
        if self.finder.value is None and typed:
            child = ChildDraft(
                full_name=self.child_name.value or None,
                iin=self.iin.value or None,
                birth_date=self.birth_date.value,
                sex=self.sex.value,
                education_organization_id=self.school.value,
                grade=self.grade.value or None,
                special_needs=self.special_needs.value,
                approx_age=self.approx_age.value or None,
            )
        return RequestDraft(
            received_at=received,
            channel=self.channel.value,
            source=self.source.value,
            applicant_name=self.applicant_name.value or None,
            applicant_relation=self.applicant_relation.value,
            applicant_anonymous=self.anonymous.value,
            child_id=self.finder.value,
            child=child,
            education_organization_id=self.school.value,
            concerns=self.concerns.value,
            description=self.description.value,
            direct_threat=self.direct_threat.value,
        )

    def save(self) -> None:
        self.notes.clear()
        try:
            draft = self.draft()
        except IntakeValidationError as error:
            self._show_errors(error)
            return
        self.submit(draft)

    def confirm_duplicate(self) -> None:
        if self.pending is not None:
            self.submit(replace(self.pending, confirm_duplicate=True))

    def confirm_new_child(self) -> None:
        if self.pending is not None:
            self.submit(replace(self.pending, confirm_new_child=True))

    def _show_errors(self, error: IntakeValidationError) -> None:
        count = self.notes.show(error, self.lang)
        text = error.localized(self.lang) if count <= 1 else self.t(SUMMARY, count=count)
        self.shell.show_error(text)

    def submit(self, draft: RequestDraft) -> None:
        self.shell.clear_status()
        self.notes.clear()
        try:
            done = self.write(
                lambda session: register_request(
                    session,
                    actor=self.actor,
                    cipher=self.workbench.cipher,
                    draft=draft,
                    notify_minutes=self.notify_minutes,
                    now=self.now(),
                )
            )
        except IntakeValidationError as error:
            self._show_errors(error)
            return
        except PossibleDuplicateChildError as warning:
            self.pending = draft
            self.finder.show_same_children(warning.matches)
            self.shell.show_info(warning.localized(self.lang))
            return
        except PossibleDuplicateError as warning:
            self.pending = draft
            text = warning.localized(self.lang)
            self.duplicate_box.value = (
                f'<div class="pcenter-warning"><b>{html.escape(self.t(DUPLICATE_HEADING))}</b>: '
                f"{html.escape(text)}</div>"
            )
            shown(self.confirm_button, True)
            self.shell.show_info(text)
            return
        self.pending = None
        self.duplicate_box.value = ""
        shown(self.confirm_button, False)
        self.last = done
        self.show_result(done)
        self.clear()
        self.journal_changed()
        self.select_request(done.id)
        self.shell.show_success(
            self.t(REGISTERED, number=done.journal_number, due=local_text(done.due_at))
        )
        if done.direct_threat:
            self.open_tab("threat")
        elif done.consent_needed:
            self.open_tab("consent")  # Rule 15: the consent step comes next

    def show_result(self, done: RegisteredRequest) -> None:
        t = self.t
        lines = [t(REGISTERED, number=done.journal_number, due=local_text(done.due_at))]
        if done.source in ("minor_personal_appeal", "minor_over_16"):
            lines.append(t(REGISTERED_AS, source=t(SOURCE_LABELS[done.source])))
        if done.applicant_anonymous:
            lines.append(t(ANONYMOUS))
        if done.provisional_child:
            lines.append(t(PROVISIONAL_CHILD))
        if done.help_immediately:
            lines.append(t(HELP_NOW))
        elif done.consent_needed is None:
            lines.append(t(AGE_UNKNOWN))
        else:
            lines.append(t(CONSENT_NEEDED) if done.consent_needed else t(NO_CONSENT_NEEDED))
        if done.notifications:
            names = ", ".join(t(n.label) for n in done.notifications)
            due = min(n.due_at for n in done.notifications)
            lines.append(
                t(OWED_NOW, due=local_text(due), minutes=self.notify_minutes, recipients=names)
            )
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        self.result.value = f'<ul class="pcenter-intake-outcome">{items}</ul>'

    def clear(self) -> None:
        """Empty the form for the next request (the result stays shown)."""
        for text in (self.applicant_name, self.child_name, self.iin, self.description):
            text.value = ""
        for choice in (self.channel, self.source, self.applicant_relation, self.sex, self.school):
            choice.value = None
        self.birth_date.value = None
        self.grade.value = 0
        self.approx_age.value = 0
        for flag in (self.special_needs, self.direct_threat, self.anonymous):
            flag.value = False
        self.concerns.value = ()
        self.finder.clear()
        self.notes.clear()
        self.reset_time()
