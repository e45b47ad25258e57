"""Register a request (Rule 12): channel, source, applicant, child, concerns, text, threat flag.

The child is either found (by name or IIN, for roles that see identity) or typed anew; with an
IIN the birth date and sex come from it. Saving shows, before anything is written, an open
request of the same child; the operator confirms with "Register anyway". After saving, the
panel shows the journal number, the due time (Rule 16), whether consent is needed (Rule 15) and
the notifications owed (Rules 15, 18, 22), and the request becomes the current one.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import may_see_identity
from pcenter_lib.domain.concerns import CONCERNS
from pcenter_lib.domain.consent import NOTIFICATION_RULES
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import APPLICANT_RELATIONS, CHANNELS, SOURCES
from pcenter_lib.i18n import N_
from pcenter_lib.services.children import ChildDraft, ChildMatch, find_children
from pcenter_lib.services.intake import (
    PossibleDuplicateError,
    RegisteredRequest,
    RequestDraft,
    register_request,
)
from pcenter_lib.services.journal_export import school_names
from widgets.intake.context import (
    CHOOSE,
    IntakeContext,
    button,
    css,
    labelled_options,
    local_moment,
    local_text,
    set_options,
)

LABELS: Final = {
    "received_on": N_("Received on"),
    "received_time": N_("Time (HH:MM)"),
    "channel": N_("Channel"),
    "source": N_("Source"),
    "applicant_name": N_("Applicant"),
    "applicant_relation": N_("Relation"),
    "child_search": N_("Find child"),
    "child_found": N_("Known child"),
    "child_name": N_("Child's full name"),
    "iin": N_("IIN"),
    "birth_date": N_("Birth date"),
    "sex": N_("Sex"),
    "school": N_("School"),
    "grade": N_("Grade"),
    "special_needs": N_("Special educational needs"),
    "concerns": N_("Concerns"),
    "description": N_("Description"),
    "direct_threat": N_("Direct threat to life or health"),
}
SEARCH: Final = N_("Search")
SAVE: Final = N_("Register the request")
CONFIRM: Final = N_("Register anyway")
NEW_CHILD: Final = N_("(new child — fill in below)")
NO_MATCH: Final = N_("No child found; fill in the new child below.")
SEXES: Final = (("male", N_("male")), ("female", N_("female")))
DUPLICATE_HEADING: Final = N_("Possible duplicate")
REGISTERED: Final = N_("Registered {number}. Due by {due} (Rule 16).")
CONSENT_NEEDED: Final = N_("Consent of a legal representative is needed before services (Rule 15).")
NO_CONSENT_NEEDED: Final = N_("No consent needed before services.")
AGE_UNKNOWN: Final = N_("The child's age is not known: check consent when the child is linked.")
OWED_NOW: Final = N_("Notifications owed now: {recipients}.")
HELP_NOW: Final = N_("Direct threat: give help at once, without waiting for consent (Rule 15).")


class IntakeForm:
    """The registration form; ``save`` and ``confirm_duplicate`` are its two actions."""

    def __init__(self, ctx: IntakeContext) -> None:
        self.ctx = ctx
        self.last: RegisteredRequest | None = None
        self.pending: RequestDraft | None = None
        self.matches: list[ChildMatch] = []
        self.received_on = css(widgets.DatePicker(), "pcenter-intake-received-on")
        self.received_time = css(widgets.Text(), "pcenter-intake-received-time")
        self.channel = css(widgets.Dropdown(), "pcenter-intake-channel")
        self.source = css(widgets.Dropdown(), "pcenter-intake-source")
        self.applicant_name = css(widgets.Text(), "pcenter-intake-applicant")
        self.applicant_relation = css(widgets.Dropdown(), "pcenter-intake-relation")
        self.child_search = css(widgets.Text(), "pcenter-intake-child-search")
        self.search_button = button("pcenter-intake-child-search-button")
        self.child_found = css(widgets.Dropdown(), "pcenter-intake-child-found")
        self.child_name = css(widgets.Text(), "pcenter-intake-child-name")
        self.iin = css(widgets.Text(), "pcenter-intake-iin")
        self.birth_date = css(widgets.DatePicker(), "pcenter-intake-birth-date")
        self.sex = css(widgets.Dropdown(), "pcenter-intake-sex")
        self.school = css(widgets.Dropdown(), "pcenter-intake-school")
        self.grade = css(widgets.BoundedIntText(min=0, max=12), "pcenter-intake-grade")
        self.special_needs = css(widgets.Checkbox(), "pcenter-intake-special-needs")
        self.concerns = css(widgets.SelectMultiple(rows=8), "pcenter-intake-concerns")
        self.description = css(widgets.Textarea(rows=4), "pcenter-intake-description")
        self.direct_threat = css(widgets.Checkbox(), "pcenter-intake-direct-threat")
        self.save_button = button("pcenter-intake-save")
        self.confirm_button = button("pcenter-intake-confirm-duplicate")
        self.duplicate_box = css(widgets.HTML(), "pcenter-intake-duplicate")
        self.result = css(widgets.HTML(), "pcenter-intake-result")
        guard = ctx.shell.guard
        self.search_button.on_click(guard(lambda _b: self.search_children()))
        self.save_button.on_click(guard(lambda _b: self.save()))
        self.confirm_button.on_click(guard(lambda _b: self.confirm_duplicate()))
        self.confirm_button.layout.display = "none"
        self.reset_time()
        self.identity_box = widgets.VBox(
            [widgets.HBox([self.child_search, self.search_button]), self.child_found]
        )
        self.widget = css(
            widgets.VBox(
                [
                    widgets.HBox([self.received_on, self.received_time]),
                    widgets.HBox([self.channel, self.source]),
                    widgets.HBox([self.applicant_name, self.applicant_relation]),
                    self.identity_box,
                    widgets.HBox([self.child_name, self.iin]),
                    widgets.HBox([self.birth_date, self.sex]),
                    widgets.HBox([self.school, self.grade, self.special_needs]),
                    self.concerns,
                    self.description,
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
        local = self.ctx.now().astimezone(KZ_TZ)
        self.received_on.value = local.date()
        self.received_time.value = local.strftime("%H:%M")

    def render(self) -> None:
        t = self.ctx.t
        for name, msgid in LABELS.items():
            getattr(self, name).description = t(msgid)
        set_options(
            self.channel, labelled_options(t, ((c.code, c.label) for c in CHANNELS), empty=CHOOSE)
        )
        set_options(
            self.source, labelled_options(t, ((s.code, s.label) for s in SOURCES), empty=CHOOSE)
        )
        set_options(self.applicant_relation, labelled_options(t, APPLICANT_RELATIONS, empty=CHOOSE))
        set_options(self.sex, labelled_options(t, SEXES, empty=CHOOSE))
        set_options(self.concerns, labelled_options(t, ((c.code, c.label) for c in CONCERNS)))
        set_options(self.school, [(t(CHOOSE), None), *self._schools()])
        self._child_options()
        self.search_button.description = t(SEARCH)
        self.save_button.description = t(SAVE)
        self.confirm_button.description = t(CONFIRM)
        self.identity_box.layout.display = (
            None if may_see_identity(self.ctx.shell.roles) else "none"
        )
        if self.last is not None:
            self.show_result(self.last)

    def _schools(self) -> list[tuple[str, object]]:
        with self.ctx.transaction() as session:
            names = school_names(session, self.ctx.shell.lang)
        return [(name, sid) for sid, name in sorted(names.items(), key=lambda item: item[1])]

    def _child_options(self) -> None:
        t = self.ctx.t
        options: list[tuple[str, object]] = [(t(NEW_CHILD), None)]
        for match in self.matches:
            label = f"{match.full_name or match.code} · {match.birth_on.isoformat()}"
            if match.open_requests:
                label += f" · {', '.join(match.open_requests)}"
            options.append((label, match.child_id))
        set_options(self.child_found, options)

    def search_children(self) -> None:
        with self.ctx.transaction() as session:
            self.matches = find_children(
                session,
                actor=self.ctx.actor,
                cipher=self.ctx.workbench.cipher,
                query=self.child_search.value,
            )
        self._child_options()
        if self.matches:
            self.child_found.value = self.matches[0].child_id
        else:
            self.ctx.shell.show_info(self.ctx.t(NO_MATCH))

    def draft(self) -> RequestDraft:
        """The request as typed now (checked by the service, not here)."""
        received = local_moment(
            self.received_on.value, self.received_time.value, field="received_at"
        )
        child: ChildDraft | None = None
        typed = any([self.child_name.value.strip(), self.iin.value.strip(), self.birth_date.value])
        if self.child_found.value is None and typed:
            child = ChildDraft(
                full_name=self.child_name.value or None,
                iin=self.iin.value or None,
                birth_date=self.birth_date.value,
                sex=self.sex.value,
                education_organization_id=self.school.value,
                grade=self.grade.value or None,
                special_needs=self.special_needs.value,
            )
        return RequestDraft(
            received_at=received,
            channel=self.channel.value,
            source=self.source.value,
            applicant_name=self.applicant_name.value or None,
            applicant_relation=self.applicant_relation.value,
            child_id=self.child_found.value,
            child=child,
            education_organization_id=self.school.value,
            concerns=tuple(self.concerns.value),
            description=self.description.value,
            direct_threat=self.direct_threat.value,
        )

    def save(self) -> None:
        self.submit(self.draft())

    def confirm_duplicate(self) -> None:
        if self.pending is not None:
            self.submit(replace(self.pending, confirm_duplicate=True))

    def submit(self, draft: RequestDraft) -> None:
        self.ctx.shell.clear_status()
        try:
            with self.ctx.transaction() as session:
                done = register_request(
                    session,
                    actor=self.ctx.actor,
                    cipher=self.ctx.workbench.cipher,
                    draft=draft,
                    now=self.ctx.now(),
                )
        except PossibleDuplicateError as warning:
            self.pending = draft
            text = warning.localized(self.ctx.shell.lang)
            self.duplicate_box.value = (
                f'<div class="pcenter-warning"><b>{html.escape(self.ctx.t(DUPLICATE_HEADING))}</b>: '
                f"{html.escape(text)}</div>"
            )
            self.confirm_button.layout.display = None
            self.ctx.shell.show_info(text)
            return
        self.pending = None
        self.duplicate_box.value = ""
        self.confirm_button.layout.display = "none"
        self.last = done
        self.show_result(done)
        self.clear()
        self.ctx.journal_changed()
        self.ctx.select_request(done.id)
        self.ctx.shell.show_success(
            self.ctx.t(REGISTERED, number=done.journal_number, due=local_text(done.due_at))
        )

    def show_result(self, done: RegisteredRequest) -> None:
        t = self.ctx.t
        lines = [t(REGISTERED, number=done.journal_number, due=local_text(done.due_at))]
        if done.help_immediately:
            lines.append(t(HELP_NOW))
        elif done.consent_needed is None:
            lines.append(t(AGE_UNKNOWN))
        else:
            lines.append(t(CONSENT_NEEDED) if done.consent_needed else t(NO_CONSENT_NEEDED))
        if done.notifications:
            names = ", ".join(t(NOTIFICATION_RULES[n.recipient].label) for n in done.notifications)
            lines.append(t(OWED_NOW, recipients=names))
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        self.result.value = f'<ul class="pcenter-intake-outcome">{items}</ul>'

    def clear(self) -> None:
        """Empty the form for the next request (the result stays shown)."""
        for text in (
            self.applicant_name,
            self.child_search,
            self.child_name,
            self.iin,
            self.description,
        ):
            text.value = ""
        for choice in (self.channel, self.source, self.applicant_relation, self.sex, self.school):
            choice.value = None
        self.birth_date.value = None
        self.grade.value = 0
        self.special_needs.value = False
        self.direct_threat.value = False
        self.concerns.value = ()
        self.matches = []
        self._child_options()
        self.reset_time()
