"""The journal tab: filters, a page of requests with their due marks, export, one entry opened.

Two views: "Action needed" — only the work still to do, most urgent first: critical screening
answers awaiting their same-day review (Rule 16), direct threats still owing notifications
(Rules 18, 22), open direct threats, overdue and due-today requests — and the whole journal,
newest first. Critical answers are marked and can be filtered. The journal is read once into a
pandas frame and filtered in memory, so a filter answers at once even for a year's journal; it
is read again after any change. Opening an entry shows its values and history and lets a desk
role correct it (``CorrectionPanel``).
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets
import pandas as pd

from pcenter_lib.domain.access import UseCase, may_see_identity
from pcenter_lib.domain.concerns import CONCERNS
from pcenter_lib.domain.intake_rules import (
    CHANNEL_LABELS,
    CHANNELS,
    REQUEST_STATUSES,
    SOURCE_LABELS,
    SOURCES,
    STATUS_LABELS,
)
from pcenter_lib.i18n import N_, NP_
from pcenter_lib.services.journal import (
    ACTION_RANKS,
    DUE_MARKS,
    VIEWS,
    JournalFilter,
    JournalPage,
    load_journal_frame,
    query_journal,
)
from pcenter_lib.services.journal_export import export_journal_xlsx, school_names
from widgets.intake.controls import (
    ANY,
    button,
    css,
    labelled_options,
    local_text,
    shown,
)
from widgets.intake.correction import CorrectionPanel
from widgets.intake.state import IntakePanel, IntakeState
from widgets.kit import offer
from widgets.markup import MEDIA_TYPES, download_link
from widgets.shell import AppShell

PAGE_SIZE: Final = 25
LABELS: Final = {
    "date_from": N_("From"),
    "date_to": N_("To"),
    "status": N_("Status"),
    "channel": N_("Channel"),
    "source": N_("Source"),
    "concern": N_("Concern"),
    "school": N_("School"),
    "due": N_("Deadline"),
    "search": N_("Search"),
    "threat_only": N_("Direct threats only"),
    "critical_only": N_("Critical screening answers only"),
    "view": N_("View"),
    "with_identity": N_("With names and IINs"),
    "open_row": N_("Open entry"),
}
HEADERS: Final = (
    N_("Journal number"),
    N_("Received at"),
    N_("Due at"),
    N_("Deadline"),
    N_("Status"),
    N_("Channel"),
    N_("Source"),
    N_("Concerns"),
    N_("Child code"),
)
APPLY: Final = N_("Apply")
PREVIOUS: Final = N_("Previous")
NEXT: Final = N_("Next")
EXPORT: Final = N_("Export to XLSX")
DOWNLOAD: Final = N_("Download {name}")
PAGE_LINE: Final = NP_(
    "Page {page} of {pages}; {total} request.",
    "Page {page} of {pages}; {total} requests.",
)
THREAT_MARK: Final = N_("Direct threat")
CRITICAL_MARK: Final = N_("Critical answer: review by {due}")
REVIEWED_MARK: Final = N_("Critical answer, reviewed")
XLSX_TYPE: Final = MEDIA_TYPES["xlsx"]


class JournalTable(IntakePanel):
    """Filters, the table and paging, the export link and the opened entry."""

    title = N_("Journal")
    use_case = UseCase.VIEW_JOURNAL
    tab = "journal"

    def __init__(self, shell: AppShell, state: IntakeState) -> None:
        super().__init__(shell, state)
        self.frame: pd.DataFrame | None = None
        self.page_number = 1
        self.page: JournalPage | None = None
        self.date_from = css(widgets.DatePicker(), "pcenter-journal-from")
        self.date_to = css(widgets.DatePicker(), "pcenter-journal-to")
        self.status = css(widgets.Dropdown(), "pcenter-journal-status")
        self.channel = css(widgets.Dropdown(), "pcenter-journal-channel")
        self.source = css(widgets.Dropdown(), "pcenter-journal-source")
        self.concern = css(widgets.Dropdown(), "pcenter-journal-concern")
        self.school = css(widgets.Dropdown(), "pcenter-journal-school")
        self.due = css(widgets.Dropdown(), "pcenter-journal-due")
        self.search = css(widgets.Text(), "pcenter-journal-search")
        self.threat_only = css(widgets.Checkbox(), "pcenter-journal-threat-only")
        self.critical_only = css(widgets.Checkbox(), "pcenter-journal-critical-only")
        self.view = css(widgets.ToggleButtons(), "pcenter-journal-view")
        self.view.style.button_width = "auto"
        self.with_identity = css(widgets.Checkbox(), "pcenter-journal-with-identity")
        self.apply_button = button("pcenter-journal-apply")
        self.previous_button = button("pcenter-journal-previous")
        self.next_button = button("pcenter-journal-next")
        self.export_button = button("pcenter-journal-export")
        self.table = css(widgets.HTML(), "pcenter-journal-table")
        self.page_line = css(widgets.HTML(), "pcenter-journal-page")
        self.download = css(widgets.HTML(), "pcenter-journal-download")
        self.open_row = css(widgets.Dropdown(), "pcenter-journal-open-row")
        self.correction = CorrectionPanel(self.shell, self.state)
        guard = self.shell.guard
        self.apply_button.on_click(guard(lambda _b: self.apply()))
        self.previous_button.on_click(guard(lambda _b: self.turn(-1)))
        self.next_button.on_click(guard(lambda _b: self.turn(1)))
        self.export_button.on_click(guard(lambda _b: self.export()))
        self.open_row.observe(guard(self._open_row), names="value")
        self.on_change(self.view, lambda _view: self.apply())
        self.watch("journal_version", self.reload)
        self.export_row = widgets.HBox([self.export_button, self.with_identity, self.download])
        self.widget = css(
            widgets.VBox(
                [
                    self.view,
                    widgets.HBox([self.date_from, self.date_to]),
                    widgets.HBox([self.status, self.due]),
                    widgets.HBox([self.channel, self.source]),
                    widgets.HBox([self.concern, self.school]),
                    widgets.HBox(
                        [self.search, self.threat_only, self.critical_only, self.apply_button]
                    ),
                    self.table,
                    widgets.HBox([self.previous_button, self.page_line, self.next_button]),
                    self.export_row,
                    self.open_row,
                    self.correction.widget,
                ]
            ),
            "pcenter-journal",
        )

    def render(self) -> None:
        t = self.t
        for name, msgid in LABELS.items():
            getattr(self, name).description = t(msgid)
        offer(self.status, labelled_options(t, REQUEST_STATUSES, empty=ANY))
        offer(self.channel, labelled_options(t, ((c.code, c.label) for c in CHANNELS), empty=ANY))
        offer(self.source, labelled_options(t, ((s.code, s.label) for s in SOURCES), empty=ANY))
        offer(self.concern, labelled_options(t, ((c.code, c.label) for c in CONCERNS), empty=ANY))
        offer(self.due, labelled_options(t, DUE_MARKS, empty=ANY))
        kept = self.view.value or "action_needed"
        with self.quiet():  # relabelling the views is not choosing one: no query here
            self.view.options = labelled_options(t, VIEWS)
            self.view.value = kept
        with self.transaction() as session:
            schools = school_names(session, self.lang)
        ordered = sorted(schools.items(), key=lambda item: item[1])
        offer(self.school, [(t(ANY), None), *((name, sid) for sid, name in ordered)])
        self.with_identity.layout.display = None if may_see_identity(self.shell.roles) else "none"
        shown(self.export_row, self.may(UseCase.EXPORT_JOURNAL))
        self.apply_button.description = t(APPLY)
        self.previous_button.description = t(PREVIOUS)
        self.next_button.description = t(NEXT)
        self.export_button.description = t(EXPORT)
        if self.frame is None:
            self.reload()
        else:
            self.show()
        self.correction.render()

    def current_filter(self) -> JournalFilter:
        def one(value: object) -> tuple[str, ...]:
            return () if value is None else (str(value),)

        return JournalFilter(
            date_from=self.date_from.value,
            date_to=self.date_to.value,
            statuses=one(self.status.value),
            channels=one(self.channel.value),
            sources=one(self.source.value),
            concerns=one(self.concern.value),
            due_marks=one(self.due.value),
            school_ids=() if self.school.value is None else (int(self.school.value),),
            direct_threat_only=self.threat_only.value,
            critical_only=self.critical_only.value,
            search=self.search.value,
            view=str(self.view.value or "action_needed"),
        )

    def reload(self) -> None:
        with self.transaction() as session:
            self.frame = load_journal_frame(session, actor=self.actor)
        self.show()

    def apply(self) -> None:
        self.page_number = 1
        self.show()

    def turn(self, step: int) -> None:
        self.page_number = max(1, self.page_number + step)
        self.show()

    def show(self) -> None:
        with self.transaction() as session:
            self.page = query_journal(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                flt=self.current_filter(),
                page=self.page_number,
                page_size=PAGE_SIZE,
                now=self.now(),
                frame=self.frame,
            )
        self.page_number = self.page.page
        self.table.value = self._table_html(self.page)
        t = self.t
        self.page_line.value = html.escape(
            t.ngettext(
                *PAGE_LINE,
                self.page.total,
                page=self.page.page,
                pages=self.page.pages,
                total=self.page.total,
            )
        )
        options: list[tuple[str, object]] = [(t(ANY), None)]
        options += [(row.journal_number, row.id) for row in self.page.rows]
        offer(self.open_row, options)

    def _table_html(self, page: JournalPage) -> str:
        t = self.t
        due_labels = dict(DUE_MARKS)
        actions = dict(ACTION_RANKS)
        concern_labels = {c.code: c.label for c in CONCERNS}
        head = "".join(f"<th>{html.escape(t(h))}</th>" for h in HEADERS)
        rows = []
        for row in page.rows:
            number = html.escape(row.journal_number)
            if row.direct_threat:
                number += f' <span class="pcenter-threat-mark">{html.escape(t(THREAT_MARK))}</span>'
            if row.awaiting_review:
                mark = t(
                    CRITICAL_MARK, due=local_text(row.review_due_at) if row.review_due_at else "—"
                )
                number += f' <span class="pcenter-critical-mark">{html.escape(mark)}</span>'
            elif row.priority_review:
                number += (
                    f' <span class="pcenter-reviewed-mark">{html.escape(t(REVIEWED_MARK))}</span>'
                )
            if row.action not in (None, "review"):  # a critical answer's badge says it already
                number += f'<br><span class="pcenter-action-{row.action}">{html.escape(t(actions[row.action]))}</span>'
            cells = [
                number,
                html.escape(local_text(row.received_at)),
                html.escape(local_text(row.due_at)),
                f'<span class="pcenter-due-{row.due_mark}">{html.escape(t(due_labels[row.due_mark]))}</span>',
                html.escape(t(STATUS_LABELS.get(row.status, row.status))),
                html.escape(t(CHANNEL_LABELS.get(row.channel, row.channel))),
                html.escape(t(SOURCE_LABELS.get(row.source, row.source))),
                html.escape(", ".join(t(concern_labels.get(c, c)) for c in row.concerns)),
                html.escape(row.child_code or "—"),
            ]
            css_class = (
                "pcenter-row-critical"
                if row.awaiting_review
                else ("pcenter-row-threat" if row.direct_threat else "")
            )
            rows.append(
                f'<tr class="{css_class}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
            )
        return f'<table class="pcenter-table pcenter-journal-rows"><tr>{head}</tr>{"".join(rows)}</table>'

    def export(self) -> None:
        with self.transaction() as session:
            data = export_journal_xlsx(
                session,
                actor=self.actor,
                cipher=self.workbench.cipher,
                flt=self.current_filter(),
                lang=self.lang,
                with_identity=self.with_identity.value,
                now=self.now(),
                frame=self.frame,
            )
        name = f"journal-{self.now().strftime('%Y%m%d-%H%M')}.xlsx"
        self.download.value = download_link(
            data, filename=name, media_type=XLSX_TYPE, label=self.t(DOWNLOAD, name=name)
        )

    def _open_row(self, change: dict[str, object]) -> None:
        chosen = change["new"]
        if isinstance(chosen, int):
            self.select_request(chosen)
