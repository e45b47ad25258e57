"""The consent tab (Rule 15): the current request's child, its consents, record and withdraw.

Any legal representative the Code "On marriage (matrimony) and family" recognises may consent —
parents, adoptive parents, guardians, trustees, foster parents, patronage carers, the head of the
organization where an orphan lives. "Can services be given?" asks the same gate every service
passes, for the child, a parent or a teacher: a child under 16 without a consent in force and
without an open direct threat is refused; advice not about a named child needs no consent; the
answer says why (``domain.service_consent``).
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.applicants import APPLICANT_RELATIONS, LEGAL_REPRESENTATIVES
from pcenter_lib.domain.service_consent import BASES, RECIPIENTS
from pcenter_lib.i18n import N_
from pcenter_lib.services.consent_records import (
    CONSENT_KINDS,
    ConsentView,
    check_service_allowed,
    list_consents,
    record_consent,
    withdraw_consent,
)
from pcenter_lib.services.request_records import get_request
from widgets.intake.controls import (
    CHOOSE,
    button,
    css,
    labelled_options,
    local_moment,
    local_text,
    shown,
)
from widgets.intake.state import NO_REQUEST, IntakePanel, IntakeState
from widgets.kit import offer
from widgets.markup import html_table
from widgets.shell import AppShell

LABELS: Final = {
    "kind": N_("Kind of consent"),
    "given_by": N_("Who gave the consent"),
    "relation": N_("Relation to the child"),
    "scope": N_("Scope of the consent"),
    "given_on": N_("Date of consent"),
    "given_time": N_("Time (HH:MM)"),
    "document_ref": N_("Document reference"),
    "withdraw_choice": N_("Consent to withdraw"),
    "withdraw_reason": N_("Reason for withdrawal"),
    "check_for": N_("Service to"),
}
RECORD: Final = N_("Record the consent")
WITHDRAW: Final = N_("Withdraw")
CHECK: Final = N_("Can services be given?")
NO_CHILD: Final = N_("The current request is not linked to a child.")
HEADERS: Final = (
    N_("Kind of consent"),
    N_("Who gave the consent"),
    N_("Relation to the child"),
    N_("Scope of the consent"),
    N_("Date of consent"),
    N_("Document reference"),
    N_("Withdrawn"),
)
RECORDED: Final = N_("The consent was recorded.")
WITHDRAWN: Final = N_("The consent was withdrawn; it stays in the record.")
ALLOWED: Final = N_("Yes. {basis}")


class ConsentPanel(IntakePanel):
    """Consents of the current request's child, and the gate check."""

    title = N_("Consent")
    use_case = UseCase.RECORD_CONSENT
    tab = "consent"

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.child_id: int | None = None
        self.consents: list[ConsentView] = []
        self.kind = css(widgets.Dropdown(), "pcenter-consent-kind")
        self.given_by = css(widgets.Text(), "pcenter-consent-given-by")
        self.relation = css(widgets.Dropdown(), "pcenter-consent-relation")
        self.scope = css(widgets.Text(), "pcenter-consent-scope")
        self.given_on = css(widgets.DatePicker(), "pcenter-consent-given-on")
        self.given_time = css(widgets.Text(value="09:00"), "pcenter-consent-given-time")
        self.document_ref = css(widgets.Text(), "pcenter-consent-document")
        self.record_button = button("pcenter-consent-record")
        self.withdraw_choice = css(widgets.Dropdown(), "pcenter-consent-withdraw-choice")
        self.withdraw_reason = css(widgets.Text(), "pcenter-consent-withdraw-reason")
        self.withdraw_button = button("pcenter-consent-withdraw")
        self.check_for = css(widgets.Dropdown(), "pcenter-consent-check-for")
        self.check_button = button("pcenter-consent-check")
        self.listing = css(widgets.HTML(), "pcenter-consent-list")
        self.verdict = css(widgets.HTML(), "pcenter-consent-verdict")
        guard = self.shell.guard
        self.record_button.on_click(guard(lambda _b: self.record()))
        self.withdraw_button.on_click(guard(lambda _b: self.withdraw()))
        self.check_button.on_click(guard(lambda _b: self.check()))
        self.watch("request_id", self.reload)
        self.record_box = widgets.VBox(
            [
                widgets.HBox([self.kind, self.relation]),
                widgets.HBox([self.given_by, self.scope]),
                widgets.HBox([self.given_on, self.given_time]),
                self.document_ref,
                self.record_button,
                widgets.HBox([self.withdraw_choice, self.withdraw_reason]),
                self.withdraw_button,
            ]
        )
        self.widget = css(
            widgets.VBox(
                [
                    self.listing,
                    self.record_box,
                    widgets.HBox([self.check_for, self.check_button]),
                    self.verdict,
                ]
            ),
            "pcenter-consent",
        )

    def render(self) -> None:
        t = self.t
        for name, msgid in LABELS.items():
            getattr(self, name).description = t(msgid)
        offer(self.kind, labelled_options(t, CONSENT_KINDS, empty=CHOOSE))
        relations = [(r.code, r.label) for r in LEGAL_REPRESENTATIVES]
        offer(self.relation, labelled_options(t, relations, empty=CHOOSE))
        offer(self.check_for, labelled_options(t, RECIPIENTS))
        if self.check_for.value is None:
            self.check_for.value = "child"
        self.record_button.description = t(RECORD)
        self.withdraw_button.description = t(WITHDRAW)
        self.check_button.description = t(CHECK)
        if self.given_on.value is None:
            self.given_on.value = self.now().date()
        self.reload()

    def reload(self) -> None:
        t, request_id = self.t, self.current_request_id
        self.verdict.value = ""
        self.child_id, self.consents = None, []
        if request_id is None:
            self.listing.value = html.escape(t(NO_REQUEST))
            return
        with self.transaction() as session:
            detail = get_request(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                request_id=request_id,
            )
            self.child_id = detail.values["child_id"]
            if self.child_id is not None:
                self.consents = list_consents(
                    session,
                    actor=self.actor,
                    cipher=self.workbench.cipher,
                    child_id=self.child_id,
                )
        if self.child_id is None:
            self.listing.value = html.escape(t(NO_CHILD))
            shown(self.record_box, False)
            return
        shown(self.record_box, self.may(UseCase.RECORD_CONSENT))
        kinds, relations = dict(CONSENT_KINDS), dict(APPLICANT_RELATIONS)
        rows = [
            (
                t(kinds.get(c.kind, c.kind)),
                c.given_by or "—",
                t(relations.get(c.relation, c.relation)),
                c.scope,
                local_text(c.given_at),
                c.document_ref or "—",
                local_text(c.withdrawn_at) if c.withdrawn_at else "—",
            )
            for c in self.consents
        ]
        self.listing.value = html_table([t(h) for h in HEADERS], rows, css_class="pcenter-consents")
        options: list[tuple[str, object]] = [(t(CHOOSE), None)]
        options += [
            (f"{local_text(c.given_at)} · {c.scope}", c.id) for c in self.consents if c.in_force
        ]
        offer(self.withdraw_choice, options)

    def record(self) -> None:
        child_id = self.child_id
        if child_id is None:
            self.shell.show_error(self.t(NO_CHILD))
            return
        given_at = local_moment(self.given_on.value, self.given_time.value, field="given_at")
        self.write(
            lambda session: record_consent(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                child_id=child_id,
                kind=self.kind.value or "",
                given_by=self.given_by.value,
                relation=self.relation.value or "",
                scope=self.scope.value,
                given_at=given_at,
                document_ref=self.document_ref.value or None,
                request_id=self.current_request_id,
                now=self.now(),
            )
        )
        for text in (self.given_by, self.scope, self.document_ref):
            text.value = ""
        self.reload()
        self.shell.show_success(self.t(RECORDED))

    def withdraw(self) -> None:
        chosen = self.withdraw_choice.value
        if chosen is None:
            return
        self.write(
            lambda session: withdraw_consent(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                consent_id=int(chosen),
                reason=self.withdraw_reason.value,
                now=self.now(),
            )
        )
        self.withdraw_reason.value = ""
        self.reload()
        self.shell.show_success(self.t(WITHDRAWN))

    def check(self) -> None:
        request_id = self.chosen_request()
        self.verdict.value = ""
        with self.transaction() as session:
            clearance = check_service_allowed(
                session,
                actor=self.actor,
                request_id=request_id,
                at=self.now(),
                recipient=str(self.check_for.value or "child"),
            )
        t = self.t
        text = t(ALLOWED, basis=t(BASES[clearance.basis]))
        self.verdict.value = f'<div class="pcenter-ok">{html.escape(text)}</div>'
        self.shell.show_success(text)
