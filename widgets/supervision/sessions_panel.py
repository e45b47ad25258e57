"""The sessions tab: plan a session, choose one and its case records, attendance, protocol.

The supervisor plans (date, form, length, Center staff and school PPSS specialists taking part)
and marks who attended, which counts each person's hours of supervision received. Anybody who
reads the records chooses a session and a record (opened in the Record tab) and downloads the
protocol in Kazakh or Russian.
"""

from __future__ import annotations

from datetime import datetime, time
from functools import partial

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.codes import SupervisionForm
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import NotFoundError
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.services.case_file import RECORD_STATUS_LABELS, child_by_code
from pcenter_lib.services.supervision_protocol import FORM_LABELS, KIND_LABELS, export_protocol
from pcenter_lib.services.supervision_sessions import (
    Participant,
    SessionSummary,
    add_case,
    list_sessions,
    plan_session,
    record_attendance,
)
from widgets.kit import Panel, offer
from widgets.markup import download_link, heading, html_table, paragraph
from widgets.shell import AppShell
from widgets.supervision.state import SupervisionState

PLANNED = N_("The session is planned; pick its cases in the priority queue.")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SessionsPanel(Panel[SupervisionState]):
    title = N_("Sessions")
    use_case = UseCase.READ_SUPERVISION
    css_class = "pcenter-supervision-sessions"

    def __init__(self, shell: AppShell, state: SupervisionState) -> None:
        super().__init__(shell, state)
        self.summaries: dict[int, SessionSummary] = {}
        self.table = widgets.HTML()
        self.session = widgets.Dropdown()
        self.session.add_class("pcenter-session-pick")
        self.record = widgets.Dropdown()
        self.record.add_class("pcenter-record-pick")
        self.open_record = widgets.Button(button_style="primary")
        self.open_record.add_class("pcenter-open-record")
        self.protocol = {lang: widgets.Button() for lang in ("kk", "ru")}
        self.download = widgets.HTML()
        self.on_change(self.session, self.choose_session)
        self.on_click(self.open_record, self.choose_record)
        for lang, button in self.protocol.items():
            self.on_click(button, partial(self.export, lang))
        self.child_code = widgets.Text()
        self.child_code.add_class("pcenter-session-child-code")
        self.add_child = widgets.Button()
        self.add_child.add_class("pcenter-session-add-child")
        self.on_click(self.add_child, self.add_by_code)
        self.attended = widgets.SelectMultiple()
        self.save_attendance = widgets.Button()
        self.on_click(self.save_attendance, self.record_attended)
        self.plan_heading = widgets.HTML()
        self.day = widgets.DatePicker()
        self.form = widgets.Dropdown()
        self.minutes = widgets.BoundedIntText(value=90, min=15, max=480)
        self.staff = widgets.Textarea()
        self.ppss = widgets.Textarea()
        self.plan = widgets.Button(button_style="primary")
        self.plan.add_class("pcenter-plan-session")
        self.on_click(self.plan, self.plan_session)
        planning: tuple[widgets.Widget, ...] = ()
        if self.may(UseCase.REVIEW_CASES):
            planning = (widgets.HBox([self.child_code, self.add_child]),)
        if self.may(UseCase.PLAN_SUPERVISION):
            planning += (self.attended, self.save_attendance, self.plan_heading, self.day,
                         self.form, self.minutes, self.staff, self.ppss, self.plan)  # fmt: skip
        self.widget.children = (
            self.table, self.session, widgets.HBox([self.record, self.open_record]),
            widgets.HBox(list(self.protocol.values())), self.download, *planning,
        )  # fmt: skip
        self.watch("changed", self.show)

    def render(self) -> None:
        t = self.t
        self.session.description = t("Session")
        self.record.description = t("Case record")
        self.open_record.description = t("Open the record")
        self.protocol["kk"].description = t("Protocol in Kazakh (DOCX)")
        self.protocol["ru"].description = t("Protocol in Russian (DOCX)")
        self.child_code.description = t("Child code")
        self.add_child.description = t("Put on this session")
        self.attended.description = t("Attended")
        self.save_attendance.description = t("Save attendance")
        self.plan_heading.value = heading(t("Plan a session"))
        self.day.description = t("Date")
        self.form.description = t("Form")
        offer(self.form, [(t(FORM_LABELS[f.value]), f.value) for f in SupervisionForm])
        self.minutes.description = t("Minutes")
        self.staff.description = t("Center staff")
        self.staff.placeholder = t("User names, one a line")
        self.ppss.description = t("School PPSS")
        self.ppss.placeholder = t("Names, one a line")
        self.plan.description = t("Plan the session")
        self.show()

    def show(self) -> None:
        t, lang = self.t, self.lang
        with self.workbench.sessions() as session:
            listed = list_sessions(session, actor=self.actor)
        self.summaries = {s.session_id: s for s in listed}
        rows = [
            [format_moment(s.held_at, lang), t(FORM_LABELS[s.form]), s.supervisor,
             ", ".join(f"{code} ({t(RECORD_STATUS_LABELS[status])})"
                       for _id, code, status in s.records) or "—",
             sum(1 for p in s.participants if p.attended)]
            for s in listed
        ]  # fmt: skip
        headers = [t("Date"), t("Form"), t("Supervisor"), t("Cases"), t("Attended")]
        self.table.value = heading(t("Supervision sessions")) + (
            html_table(headers, rows, css_class="pcenter-sessions", numeric_from=4)
            if rows else paragraph(t("No sessions yet."))
        )  # fmt: skip
        options = [(f"{format_moment(s.held_at, lang)} — {s.supervisor}", s.session_id)
                   for s in listed]  # fmt: skip
        with self.quiet():
            offer(self.session, options)
            if self.state.session_id in self.summaries:
                self.session.value = self.state.session_id
        self._show_records()

    def _show_records(self) -> None:
        t = self.t
        chosen = self.summaries.get(self.session.value)
        records = chosen.records if chosen else ()
        options = [(f"{code} — {t(RECORD_STATUS_LABELS[status])}", rid)
                   for rid, code, status in records]  # fmt: skip
        with self.quiet():
            offer(self.record, options)
            if self.state.record_id in {v: k for k, v in options}:
                self.record.value = self.state.record_id
            people = chosen.participants if chosen else ()
            self.attended.options = [
                (f"{p.name} ({t(KIND_LABELS[p.kind])})", p.name) for p in people
            ]
            self.attended.value = tuple(p.name for p in people if p.attended)
        self.open_record.disabled = not options

    def choose_session(self, value: int | None) -> None:
        self.state.session_id = value
        self._show_records()

    def choose_record(self) -> None:
        if self.record.value is not None:
            self.state.record_id = int(self.record.value)

    def plan_session(self) -> None:
        day = self.day.value or self.shell.now().astimezone(KZ_TZ).date()
        people = [Participant(n) for n in _lines(self.staff.value)]
        people += [Participant(n, "ppss") for n in _lines(self.ppss.value)]
        with self.workbench.sessions.begin() as session:
            held = plan_session(
                session, actor=self.actor, held_at=datetime.combine(day, time(15), tzinfo=KZ_TZ),
                form=self.form.value, minutes=int(self.minutes.value), participants=people,
            )  # fmt: skip
        self.staff.value = self.ppss.value = ""
        self.state.session_id = held
        self.state.changed += 1
        self.shell.show_success(self.t(PLANNED))

    def add_by_code(self) -> None:
        """A case found by the child's code (not only from the queue) goes on the session."""
        chosen = self.summaries.get(self.session.value)
        if chosen is None:
            raise NotFoundError(N_("Plan a session first."))
        with self.workbench.sessions.begin() as session:
            child = child_by_code(session, actor=self.actor, code=self.child_code.value)
            record = add_case(session, actor=self.actor, session_id=chosen.session_id,
                              child_id=child, expected_version=chosen.version)  # fmt: skip
        self.child_code.value = ""
        self.state.record_id = record
        self.state.changed += 1

    def record_attended(self) -> None:
        chosen = self.summaries[self.session.value]
        present = set(self.attended.value)
        people = [Participant(p.name, p.kind, p.name in present) for p in chosen.participants]
        with self.workbench.sessions.begin() as session:
            record_attendance(session, actor=self.actor, session_id=chosen.session_id,
                              expected_version=chosen.version, participants=people)  # fmt: skip
        self.state.changed += 1
        self.shell.show_success(self.t("Attendance saved."))

    def export(self, lang: str) -> None:
        with self.workbench.sessions.begin() as session:
            exported = export_protocol(session, actor=self.actor, session_id=self.session.value,
                                       lang=lang, now=self.shell.now())  # fmt: skip
        self.download.value = download_link(
            exported.content, filename=exported.filename, label=self.t("Download {name}",
                                                                        name=exported.filename),
        )  # fmt: skip
