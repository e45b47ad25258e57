"""One journal entry opened: its values and history, corrections, consideration (Rules 13, 16).

A correction is saved against the version the person opened. If somebody saved in between, the
service refuses with a conflict; this panel then reloads the entry and shows, side by side, the
current values and the values this person tried to save — which stay in the fields, so nothing
typed is lost and the person can save again on top of the other edit.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase, may_see_identity
from pcenter_lib.domain.concerns import CONCERNS
from pcenter_lib.domain.intake_rules import (
    APPLICANT_RELATIONS,
    CHANNEL_LABELS,
    CHANNELS,
    FIELD_LABELS,
    REQUEST_STATUSES,
    SOURCE_LABELS,
    SOURCES,
    STATUS_LABELS,
)
from pcenter_lib.i18n import N_
from pcenter_lib.services.amendments import StaleRequestError, amend_request, record_consideration
from pcenter_lib.services.journal_export import school_names
from pcenter_lib.services.request_records import RequestDetail, get_request
from widgets.intake.controls import (
    button,
    css,
    labelled_options,
    local_text,
)
from widgets.intake.state import IntakePanel, IntakeState
from widgets.kit import offer
from widgets.markup import html_table
from widgets.shell import AppShell

EDITABLE: Final = ("channel", "source", "status", "description", "outcome")
REASON: Final = N_("Reason for the correction")
SAVE: Final = N_("Save the correction")
SHOW_NAMES: Final = N_("Show names (recorded in the audit trail)")
CONSIDERED: Final = N_("Record consideration")
CLOSE: Final = N_("and close the request")
HISTORY: Final = N_("History of corrections")
HISTORY_HEADERS: Final = (N_("When"), N_("Who"), N_("Why"), N_("What changed"))
CONFLICT_HEADERS: Final = (N_("Field"), N_("Current value"), N_("Your value"))
SAVED: Final = N_("The correction of {number} was saved.")
CONSIDERATION_SAVED: Final = N_("Consideration of {number} recorded at {at}.")
CHILD: Final = "child"  # the label of the child an entry is linked to (``FIELD_LABELS``)
CODE_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "channel": CHANNEL_LABELS,
    "source": SOURCE_LABELS,
    "status": STATUS_LABELS,
    "applicant_relation": dict(APPLICANT_RELATIONS),
}
CONCERN_LABELS: Final = {c.code: c.label for c in CONCERNS}
NAMES_LINE: Final = N_("Child: {child}; applicant: {applicant}.")


class CorrectionPanel(IntakePanel):
    """The opened entry: details, names on demand, correction form, consideration."""

    use_case = UseCase.VIEW_JOURNAL

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.detail: RequestDetail | None = None
        self.conflict: StaleRequestError | None = None
        self.names = ""
        self._schools: tuple[str, dict[int, str]] | None = None
        self.channel = css(widgets.Dropdown(), "pcenter-correct-channel")
        self.source = css(widgets.Dropdown(), "pcenter-correct-source")
        self.status = css(widgets.Dropdown(), "pcenter-correct-status")
        self.description = css(widgets.Textarea(rows=3), "pcenter-correct-description")
        self.outcome = css(widgets.Textarea(rows=2), "pcenter-correct-outcome")
        self.reason = css(widgets.Text(), "pcenter-correct-reason")
        self.close_request = css(widgets.Checkbox(), "pcenter-consider-close")
        self.save_button = button("pcenter-correct-save")
        self.names_button = button("pcenter-correct-names")
        self.consider_button = button("pcenter-consider")
        self.info = css(widgets.HTML(), "pcenter-correct-info")
        self.conflict_view = css(widgets.HTML(), "pcenter-correct-conflict")
        self.history = css(widgets.HTML(), "pcenter-correct-history")
        guard = self.shell.guard
        self.save_button.on_click(guard(lambda _b: self.save()))
        self.names_button.on_click(guard(lambda _b: self.show_names()))
        self.consider_button.on_click(guard(lambda _b: self.consider()))
        self.watch("request_id", self.load)
        self.edit_box = widgets.VBox(
            [
                widgets.HBox([self.channel, self.source, self.status]),
                self.description,
                self.outcome,
                self.reason,
            ]
        )
        self.consider_row = widgets.HBox([self.consider_button, self.close_request])
        self.widget = css(
            widgets.VBox(
                [
                    self.info,
                    self.names_button,
                    self.edit_box,
                    self.save_button,
                    self.consider_row,
                    self.conflict_view,
                    self.history,
                ]
            ),
            "pcenter-correction",
        )
        self.widget.layout.display = "none"
        self._offer()

    def _offer(self) -> None:
        t = self.t
        offer(self.channel, labelled_options(t, ((c.code, c.label) for c in CHANNELS)))
        offer(self.source, labelled_options(t, ((s.code, s.label) for s in SOURCES)))
        offer(self.status, labelled_options(t, REQUEST_STATUSES))

    def render(self) -> None:
        t = self.t
        for name in EDITABLE:
            getattr(self, name).description = t(FIELD_LABELS[name])
        self._offer()
        self.reason.description = t(REASON)
        self.close_request.description = t(CLOSE)
        self.save_button.description = t(SAVE)
        self.names_button.description = t(SHOW_NAMES)
        self.consider_button.description = t(CONSIDERED)
        self.names_button.layout.display = None if may_see_identity(self.shell.roles) else "none"
        editing = self.may(UseCase.AMEND_REQUEST)  # the management reads the entry only
        for control in (self.edit_box, self.save_button, self.consider_row):
            control.layout.display = None if editing else "none"
        self.show()

    def load(self, *, keep_typed: bool = False) -> None:
        """Read the current request; fill the fields unless the person's typing must stay."""
        request_id = self.current_request_id
        self.names = ""
        if request_id is None:
            self.detail = None
            self.widget.layout.display = "none"
            return
        with self.transaction() as session:
            self.detail = get_request(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                request_id=request_id,
            )
        self.widget.layout.display = None
        if not keep_typed:
            self.conflict = None
            for name in EDITABLE:
                getattr(self, name).value = self.detail.values[name] or (
                    "" if name in ("description", "outcome") else None
                )
            self.reason.value = ""
        self.show()

    def typed_changes(self) -> dict[str, Any]:
        assert self.detail is not None
        changes: dict[str, Any] = {}
        for name in EDITABLE:
            value = getattr(self, name).value
            current = self.detail.values[name]
            if name in ("description", "outcome"):
                value = value or ("" if name == "description" else None)
            if value != current:
                changes[name] = value
        return changes

    def save(self) -> None:
        detail = self.detail
        if detail is None:
            return
        changes = self.typed_changes()
        try:
            saved = self.write(
                lambda session: amend_request(
                    session,
                    actor=self.actor,
                    cipher=self.workbench.cipher,
                    request_id=detail.id,
                    expected_version=detail.version,
                    changes=changes,
                    reason=self.reason.value,
                    now=self.now(),
                )
            )
        except StaleRequestError as conflict:
            self.conflict = conflict
            self.load(keep_typed=True)
            raise
        self.conflict = None
        self.journal_changed()
        self.load()
        self.shell.show_success(self.t(SAVED, number=saved.journal_number))

    def consider(self) -> None:
        detail = self.detail
        if detail is None:
            return
        try:
            at = self.write(
                lambda session: record_consideration(
                    session,
                    actor=self.actor,
                    request_id=detail.id,
                    expected_version=detail.version,
                    outcome=self.outcome.value,
                    close=self.close_request.value,
                    now=self.now(),
                )
            )
        except StaleRequestError as conflict:  # both versions side by side, the typing kept
            self.conflict = conflict
            self.load(keep_typed=True)
            raise
        number = detail.journal_number
        self.journal_changed()
        self.load()
        self.shell.show_success(self.t(CONSIDERATION_SAVED, number=number, at=local_text(at)))

    def show_names(self) -> None:
        if self.detail is None:
            return
        with self.transaction() as session:
            seen = get_request(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                request_id=self.detail.id,
                with_identity=True,
            )
        self.names = self.t(
            NAMES_LINE, child=seen.child_name or "—", applicant=seen.values["applicant_name"] or "—"
        )
        self.detail = seen  # the history too names the children (and applicants) it moved between
        self.show()

    def show(self) -> None:
        t, detail = self.t, self.detail
        if detail is None:
            return
        line = f"<b>{html.escape(detail.journal_number)}</b> · v{detail.version}"
        if self.names:
            line += f"<br>{html.escape(self.names)}"
        self.info.value = line
        rows = [
            (
                local_text(change.amended_at),
                self.person(change.amended_by),
                t(change.reason),  # reasons the system writes are message ids
                "; ".join(
                    f"{self.field_label(k)}: {self.value_text(k, v.get('from'))} → "
                    f"{self.value_text(k, v.get('to'))}"
                    for k, v in change.changes.items()
                ),
            )
            for change in detail.amendments
        ]
        self.history.value = f"<h4>{html.escape(t(HISTORY))}</h4>" + html_table(
            [t(h) for h in HISTORY_HEADERS], rows, css_class="pcenter-history"
        )
        if self.conflict is None:
            self.conflict_view.value = ""
            return
        compare = [
            (
                self.field_label(k),
                self.value_text(k, self.conflict.current.get(k)),
                self.value_text(k, v),
            )
            for k, v in self.conflict.attempted.items()
        ]
        self.conflict_view.value = (
            f'<div class="pcenter-warning">{html.escape(self.conflict.localized(self.lang))}</div>'
            + html_table([t(h) for h in CONFLICT_HEADERS], compare, css_class="pcenter-conflict")
        )

    def field_label(self, field: str) -> str:
        return self.t(FIELD_LABELS.get(CHILD if field == "child_id" else field, field))

    def value_text(self, field: str, value: Any) -> str:
        """A value of the entry as people read it: labels for codes, a school by its name, a
        moment in Kazakhstan time, a dash for nothing — never a raw code or database id. A
        child arrives from the service as its code (or name and code, for identity roles)."""
        t = self.t
        if value is None or value == "" or value == []:
            return "—"
        if field in CODE_LABELS:
            return t(CODE_LABELS[field].get(str(value), str(value)))
        if field == "concerns" and isinstance(value, (list, tuple)):
            return ", ".join(t(CONCERN_LABELS.get(str(c), str(c))) for c in value)
        if field == "education_organization_id" and isinstance(value, int):
            return self.school_name(value)
        if field == "received_at":
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            return local_text(moment)
        return str(value)

    def school_name(self, school_id: int) -> str:
        if self._schools is None or self._schools[0] != self.lang:
            with self.transaction() as session:
                self._schools = (self.lang, school_names(session, self.lang))
        return self._schools[1].get(school_id, "—")
