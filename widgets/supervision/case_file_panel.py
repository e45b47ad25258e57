"""The case file tab: one child's whole history, newest first, filtered by kind.

The child is the one picked in the queue or a record, or found by code. Names and contacts are
shown only to roles that may see identity (Rule 14); the service audits every opening.
"""

from __future__ import annotations

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.services.case_file import (
    KIND_CODES,
    KINDS,
    CaseFile,
    child_by_code,
    open_case_file,
)
from widgets.kit import Panel
from widgets.markup import heading, html_table, paragraph
from widgets.shell import AppShell
from widgets.supervision.state import SupervisionState

NO_CHILD = N_("Pick a child in the queue or a record, or give the child's code.")


class CaseFilePanel(Panel[SupervisionState]):
    title = N_("Case file")
    use_case = UseCase.VIEW_CASE_FILE
    css_class = "pcenter-supervision-case-file"

    def __init__(self, shell: AppShell, state: SupervisionState) -> None:
        super().__init__(shell, state)
        self.code = widgets.Text()
        self.find = widgets.Button()
        self.kinds = widgets.SelectMultiple(
            rows=len(KINDS), layout=widgets.Layout(width="max-content")
        )
        self.kinds.add_class("pcenter-case-file-kinds")
        self.header = widgets.HTML()
        self.entries = widgets.HTML()
        self.entries.add_class("pcenter-case-file-entries")
        self.on_click(self.find, self.find_child)
        self.on_change(self.kinds, lambda _v: self.show())
        self.widget.children = (
            widgets.HBox([self.code, self.find]), self.kinds, self.header, self.entries,
        )  # fmt: skip
        self.watch("child_id", self.show)
        self.loaded: CaseFile | None = None

    def render(self) -> None:
        t = self.t
        self.code.description = t("Child code")
        self.find.description = t("Open the case file")
        options = [(t(label), code) for code, label in KINDS]
        with self.quiet(), self.kinds.hold_sync():
            kept = self.kinds.value
            self.kinds.options = options
            self.kinds.value = kept
        self.kinds.description = t("Only these kinds")
        self.show()

    def find_child(self) -> None:
        with self.workbench.sessions() as session:
            self.state.child_id = child_by_code(session, actor=self.actor, code=self.code.value)

    def show(self) -> None:
        t, lang = self.t, self.lang
        if self.state.child_id is None:
            self.header.value, self.entries.value = paragraph(t(NO_CHILD)), ""
            return
        kinds = tuple(self.kinds.value) or None
        with self.workbench.sessions.begin() as session:
            self.loaded = open_case_file(session, actor=self.actor, cipher=self.workbench.cipher,
                                         child_id=self.state.child_id, kinds=kinds, lang=lang)  # fmt: skip
        loaded = self.loaded
        title = t("Case file of child {code}", code=loaded.child_code)
        lines = [heading(title, 2)]
        if loaded.identity is not None:
            who = ", ".join(v for v in (loaded.identity.full_name, loaded.identity.iin,
                                        loaded.identity.contacts) if v)  # fmt: skip
            lines.append(paragraph(t("Identity (Rule 14, the view is recorded): {who}", who=who)))
        labels = dict(KINDS)
        counts = "; ".join(
            f"{t(labels[k])}: {loaded.counts[k]}" for k in KIND_CODES if loaded.counts[k]
        )
        lines.append(paragraph(counts or t("No entries yet.")))
        self.header.value = "".join(lines)
        rows = [[format_moment(e.at, lang), t(labels[e.kind]), e.title, e.detail]
                for e in loaded.entries]  # fmt: skip
        self.entries.value = html_table(
            [t("When"), t("Kind"), t("Entry"), t("Details")], rows, css_class="pcenter-case-file"
        )
