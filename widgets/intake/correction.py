"""One journal entry opened: its values and history, corrections, consideration (Rules 13, 16).

A correction is saved against the version the person opened. If somebody saved in between, the
service refuses with a conflict; this panel then reloads the entry and shows, side by side, the
current values and the values this person tried to save — which stay in the fields, so nothing
typed is lost and the person can save again on top of the other edit.
"""

from __future__ import annotations

import html
from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.access import may_see_identity
from pcenter_lib.domain.intake_rules import CHANNELS, FIELD_LABELS, REQUEST_STATUSES, SOURCES
from pcenter_lib.i18n import N_
from pcenter_lib.services.amendments import StaleRequestError, amend_request, record_consideration
from pcenter_lib.services.request_records import RequestDetail, get_request
from widgets.intake.context import (
    IntakeContext,
    button,
    css,
    labelled_options,
    local_text,
    set_options,
)
from widgets.markup import html_table

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
NAMES_LINE: Final = N_("Child: {child}; applicant: {applicant}.")


class CorrectionPanel:
    """The opened entry: details, names on demand, correction form, consideration."""

    def __init__(self, ctx: IntakeContext) -> None:
        self.ctx = ctx
        self.detail: RequestDetail | None = None
        self.conflict: StaleRequestError | None = None
        self.names = ""
        self.channel = css(widgets.Dropdown(), "pcenter-correct-channel")
        self.source = css(widgets.Dropdown(), "pcenter-correct-source")
        self.status = css(widgets.Dropdown(), "pcenter-correct-status")
        self.description = css(widgets.Textarea(rows=3), "pcenter-correct-description")
        self.outcome = css(widgets.Textarea(rows=2), "pcenter-correct-outcome")
        self.reason = css(widgets.Text(), "pcenter-correct-reason")
        self.close = css(widgets.Checkbox(), "pcenter-consider-close")
        self.save_button = button("pcenter-correct-save")
        self.names_button = button("pcenter-correct-names")
        self.consider_button = button("pcenter-consider")
        self.info = css(widgets.HTML(), "pcenter-correct-info")
        self.conflict_view = css(widgets.HTML(), "pcenter-correct-conflict")
        self.history = css(widgets.HTML(), "pcenter-correct-history")
        guard = ctx.shell.guard
        self.save_button.on_click(guard(lambda _b: self.save()))
        self.names_button.on_click(guard(lambda _b: self.show_names()))
        self.consider_button.on_click(guard(lambda _b: self.consider()))
        ctx.on_request_change(self.load)
        self.edit_box = widgets.VBox(
            [
                widgets.HBox([self.channel, self.source, self.status]),
                self.description,
                self.outcome,
                self.reason,
            ]
        )
        self.consider_row = widgets.HBox([self.consider_button, self.close])
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
        self._set_options()

    def _set_options(self) -> None:
        t = self.ctx.t
        set_options(self.channel, labelled_options(t, ((c.code, c.label) for c in CHANNELS)))
        set_options(self.source, labelled_options(t, ((s.code, s.label) for s in SOURCES)))
        set_options(self.status, labelled_options(t, REQUEST_STATUSES))

    def render(self) -> None:
        t = self.ctx.t
        for name in EDITABLE:
            getattr(self, name).description = t(FIELD_LABELS[name])
        self._set_options()
        self.reason.description = t(REASON)
        self.close.description = t(CLOSE)
        self.save_button.description = t(SAVE)
        self.names_button.description = t(SHOW_NAMES)
        self.consider_button.description = t(CONSIDERED)
        self.names_button.layout.display = (
            None if may_see_identity(self.ctx.shell.roles) else "none"
        )
        editing = self.ctx.may("amend_request")  # the management reads the entry only
        for control in (self.edit_box, self.save_button, self.consider_row):
            control.layout.display = None if editing else "none"
        self.show()

    def load(self, *, keep_typed: bool = False) -> None:
        """Read the current request; fill the fields unless the person's typing must stay."""
        request_id = self.ctx.current_request_id
        self.names = ""
        if request_id is None:
            self.detail = None
            self.widget.layout.display = "none"
            return
        with self.ctx.transaction() as session:
            self.detail = get_request(
                session,
                actor=self.ctx.actor,
                cipher=self.ctx.workbench.cipher,
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
        if self.detail is None:
            return
        changes = self.typed_changes()
        try:
            with self.ctx.transaction() as session:
                saved = amend_request(
                    session,
                    actor=self.ctx.actor,
                    cipher=self.ctx.workbench.cipher,
                    request_id=self.detail.id,
                    expected_version=self.detail.version,
                    changes=changes,
                    reason=self.reason.value,
                    now=self.ctx.now(),
                )
        except StaleRequestError as conflict:
            self.conflict = conflict
            self.load(keep_typed=True)
            raise
        self.conflict = None
        self.ctx.journal_changed()
        self.load()
        self.ctx.shell.show_success(self.ctx.t(SAVED, number=saved.journal_number))

    def consider(self) -> None:
        if self.detail is None:
            return
        try:
            with self.ctx.transaction() as session:
                at = record_consideration(
                    session,
                    actor=self.ctx.actor,
                    request_id=self.detail.id,
                    expected_version=self.detail.version,
                    outcome=self.outcome.value,
                    close=self.close.value,
                    now=self.ctx.now(),
                )
        except StaleRequestError as conflict:  # both versions side by side, the typing kept
            self.conflict = conflict
            self.load(keep_typed=True)
            raise
        number = self.detail.journal_number
        self.ctx.journal_changed()
        self.load()
        self.ctx.shell.show_success(
            self.ctx.t(CONSIDERATION_SAVED, number=number, at=local_text(at))
        )

    def show_names(self) -> None:
        if self.detail is None:
            return
        with self.ctx.transaction() as session:
            seen = get_request(
                session,
                actor=self.ctx.actor,
                cipher=self.ctx.workbench.cipher,
                request_id=self.detail.id,
                with_identity=True,
            )
        self.names = self.ctx.t(
            NAMES_LINE, child=seen.child_name or "—", applicant=seen.values["applicant_name"] or "—"
        )
        self.show()

    def show(self) -> None:
        t, detail = self.ctx.t, self.detail
        if detail is None:
            return
        line = f"<b>{html.escape(detail.journal_number)}</b> · v{detail.version}"
        if self.names:
            line += f"<br>{html.escape(self.names)}"
        self.info.value = line
        rows = [
            (
                local_text(change.amended_at),
                change.amended_by,
                t(change.reason),  # reasons the system writes are message ids
                "; ".join(
                    f"{t(FIELD_LABELS.get(k, k))}: {_shown(v.get('from'))} → {_shown(v.get('to'))}"
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
            (t(FIELD_LABELS.get(k, k)), str(self.conflict.current.get(k)), str(v))
            for k, v in self.conflict.attempted.items()
        ]
        self.conflict_view.value = (
            f'<div class="pcenter-warning">{html.escape(self.conflict.localized(self.ctx.shell.lang))}</div>'
            + html_table([t(h) for h in CONFLICT_HEADERS], compare, css_class="pcenter-conflict")
        )


def _shown(value: Any) -> str:
    """A value of a recorded change as people read it: a dash for nothing."""
    return "—" if value is None or value == "" else str(value)
