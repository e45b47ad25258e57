"""The quarterly study of a school's PPSS (Rule 21): coverage, the study form, the analytical note.

Coverage lists every school with its status this quarter — studied, not yet, or overdue (no
study last quarter or this one). The form scores each domain 0–3 (or not applicable) with the
findings and recommendations; saving again edits the same study, and a stale edit is refused
rather than overwriting a colleague's. The note is generated in Kazakh or Russian and offered
for download; it is stored as a Report with its SHA-256.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as widgets

from pcenter_lib.diagnostics.periods import previous_quarter, quarter_of
from pcenter_lib.diagnostics.ppss import (
    COVERAGE_LABELS,
    DOMAINS,
    SCALE,
    STUDY_MODES,
    level_label,
    summarize_study,
)
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.i18n import Translator
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.ppss_studies import (
    StudyDraft,
    StudyView,
    list_studies,
    record_study,
    study_coverage_table,
    write_analytical_note,
)
from pcenter_lib.services.report_dispatch import record_report_sent
from pcenter_lib.workbench import Workbench
from widgets.diagnostics.data import DiagnosticsData
from widgets.diagnostics.tables import download_link, heading, html_table

STATUS_ORDER = {"overdue": 0, "due": 1, "studied": 2}


class StudyPanel:
    """Coverage table, the study form, the studies of the chosen school and the note."""

    def __init__(
        self,
        data: DiagnosticsData,
        t: Translator,
        *,
        workbench: Workbench,
        actor: str,
        guard: Callable[[Callable[..., Any]], Callable[..., Any]],
        notify: Callable[[str], None],
    ) -> None:
        self.data, self.t, self.workbench, self.actor, self.notify = (
            data,
            t,
            workbench,
            actor,
            notify,
        )
        self.study: StudyView | None = None
        today = utcnow().astimezone(KZ_TZ).date()
        name = "name_kk" if t.lang == "kk" else "name_ru"
        self.coverage = widgets.HTML()
        self.coverage.add_class("pcenter-dx-coverage")
        self.school = widgets.Dropdown(
            description=t("School"),
            options=[(str(r[name]), int(r["school_id"])) for _, r in data.schools.iterrows()],
        )
        self.school.add_class("pcenter-dx-study-school")
        current = quarter_of(today)
        self.quarter = widgets.Dropdown(
            description=t("Quarter"), options=[current, previous_quarter(current)], value=current
        )
        self.mode = widgets.ToggleButtons(
            options=[(t(label), code) for code, label in STUDY_MODES.items()]
        )
        self.studied_on = widgets.DatePicker(description=t("Date of the study"), value=today)
        options = [(t("not applicable"), -1)] + [
            (t(label), score) for score, label in SCALE.items()
        ]
        self.scores = {
            domain.code: widgets.Dropdown(
                options=options,
                value=-1,
                description=t(domain.label),
                tooltip=t(domain.question),
                style={"description_width": "22em"},
                layout=widgets.Layout(width="44em"),
            )
            for domain in DOMAINS
        }
        self.findings = widgets.Textarea(
            placeholder=t("Findings"), layout=widgets.Layout(width="44em", height="6em")
        )
        self.recommendations = widgets.Textarea(
            placeholder=t("Recommendations, one per line"),
            layout=widgets.Layout(width="44em", height="6em"),
        )
        self.save_button = widgets.Button(description=t("Save the study"), button_style="primary")
        self.save_button.add_class("pcenter-dx-save-study")
        self.save_button.on_click(guard(lambda _: self.save()))
        self.new_button = widgets.Button(description=t("New study"))
        self.new_button.on_click(guard(lambda _: self.start_new()))
        self.studies = widgets.Dropdown(description=t("Studies"))
        self.studies.observe(guard(self._pick_study), names="value")
        self.school.observe(guard(lambda _: self.show_studies()), names="value")
        self.summary = widgets.HTML()
        self.note_lang = widgets.ToggleButtons(
            options=[("Қазақша", "kk"), ("Русский", "ru")], value="ru" if t.lang == "ru" else "kk"
        )
        self.note_button = widgets.Button(
            description=t("Generate the analytical note"), icon="file"
        )
        self.note_button.add_class("pcenter-dx-note-button")
        self.note_button.on_click(guard(lambda _: self.make_note()))
        self.note_link = widgets.HTML()
        self.note_link.add_class("pcenter-dx-note-link")
        # Rule 21: the note goes to the education management body and the school; record it.
        self.report_id: int | None = None
        self.sent_to = widgets.Text(
            description=t("Sent to"),
            placeholder=t("the education management body and the school"),
            layout=widgets.Layout(width="44em"),
        )
        self.sent_to.add_class("pcenter-dx-note-sent-to")
        self.sent_button = widgets.Button(description=t("Record the sending"), icon="paper-plane")
        self.sent_button.add_class("pcenter-dx-note-sent")
        self.sent_button.on_click(guard(lambda _: self.record_sent()))
        self.sent_box = widgets.HBox([self.sent_to, self.sent_button])
        self.sent_box.layout.display = "none"
        self.show_coverage(today)
        self.show_studies()
        self.widget = widgets.VBox(
            [
                heading(t("Coverage this quarter (Rule 21)")),
                self.coverage,
                heading(t("Study of a school service")),
                widgets.HBox([self.school, self.studies, self.new_button]),
                widgets.HBox([self.quarter, self.studied_on]),
                self.mode,
                *self.scores.values(),
                self.findings,
                self.recommendations,
                widgets.HBox([self.save_button, self.summary]),
                heading(t("Analytical note")),
                widgets.HBox([self.note_lang, self.note_button]),
                self.note_link,
                self.sent_box,
            ]
        )

    def show_coverage(self, today: date) -> None:
        t = self.t
        with self.workbench.sessions() as session:
            table = study_coverage_table(session, actor=self.actor, today=today)
        table = table.assign(order=table["status"].map(STATUS_ORDER)).sort_values(
            ["order", "school_id"]
        )
        counts = table["status"].value_counts()
        head = " · ".join(
            f"{t(COVERAGE_LABELS[s])}: {int(counts.get(s, 0))}"
            for s in ("studied", "due", "overdue")
        )
        name = "name_kk" if t.lang == "kk" else "name_ru"
        rows = [
            (
                r[name],
                r[f"district_{t.lang}"],
                t(COVERAGE_LABELS[str(r["status"])]),
                str(r["last_studied_on"] or "—"),
            )
            for _, r in table.iterrows()
        ]
        self.coverage.value = (
            f"<p>{html.escape(head)} ({html.escape(str(table.attrs['quarter']))})</p>"
            + html_table(
                [t("School"), t("District"), t("Status"), t("Last studied")],
                rows,
                css_class="pcenter-dx-coverage-table",
                numeric_from=9,
            )
        )

    def show_studies(self) -> None:
        with self.workbench.sessions() as session:
            found = list_studies(session, actor=self.actor, school_id=int(self.school.value or 0))
        self._found = {study.id: study for study in found}
        self.studies.options = [(self.t("(new)"), 0)] + [
            (f"{s.quarter} · {s.studied_on.strftime('%d.%m.%Y')}", s.id) for s in found
        ]
        self.studies.value = 0

    def _pick_study(self, change: dict[str, Any]) -> None:
        picked = self._found.get(int(change["new"] or 0))
        if picked is None:
            self.study = None
            return
        self.study = picked
        self.quarter.options = sorted({*self.quarter.options, picked.quarter}, reverse=True)
        self.quarter.value = picked.quarter
        self.mode.value = picked.mode
        self.studied_on.value = picked.studied_on
        for code, control in self.scores.items():
            score = picked.domain_scores.get(code)
            control.value = -1 if score is None else score
        self.findings.value, self.recommendations.value = picked.findings, picked.recommendations
        self._show_summary()

    def start_new(self) -> None:
        self.study = None
        self.studies.value = 0
        for control in self.scores.values():
            control.value = -1
        self.findings.value, self.recommendations.value, self.summary.value = "", "", ""

    def draft(self) -> StudyDraft:
        scores: dict[str, int | None] = {
            code: None if int(control.value) < 0 else int(control.value)
            for code, control in self.scores.items()
        }
        studied_on = self.studied_on.value
        if not isinstance(studied_on, date):
            studied_on = utcnow().astimezone(KZ_TZ).date()
        return StudyDraft(
            school_id=int(self.school.value),
            quarter=str(self.quarter.value),
            mode=str(self.mode.value),
            studied_on=studied_on,
            domain_scores=scores,
            findings=str(self.findings.value),
            recommendations=str(self.recommendations.value),
        )

    def save(self) -> None:
        """Create or update the study; a stale edit raises a conflict shown in the banner."""
        draft = self.draft()
        with self.workbench.sessions.begin() as session:
            saved = record_study(
                session,
                actor=self.actor,
                draft=draft,
                study_id=None if self.study is None else self.study.id,
                expected_version=None if self.study is None else self.study.version,
            )
        self.study = saved
        self.show_studies()
        self._found[saved.id] = saved
        self.studies.value = saved.id
        self.show_coverage(utcnow().astimezone(KZ_TZ).date())
        self.notify(self.t("The study was saved (version {version}).", version=saved.version))

    def _show_summary(self) -> None:
        if self.study is None:
            return
        summary = summarize_study(self.study.domain_scores)
        if summary.mean is None or summary.level is None:
            self.summary.value = ""
            return
        text = self.t(
            "Mean {mean} of 3: {level}",
            mean=f"{summary.mean:.1f}",
            level=self.t(level_label(summary.level)),
        )
        self.summary.value = html.escape(text)

    def make_note(self) -> None:
        """Write the note for the saved study and offer the DOCX."""
        t = self.t
        if self.study is None:
            self.notify(t("Save the study first; the note is written from a saved study."))
            return
        with self.workbench.sessions.begin() as session:
            note = write_analytical_note(
                session, actor=self.actor, study_id=self.study.id, lang=str(self.note_lang.value)
            )
        self.note_link.value = (
            download_link(note.content, note.filename, "docx", t)
            + f' <span class="pcenter-dx-note">SHA-256 {html.escape(note.sha256[:16])}…</span>'
        )
        study_id = self.study.id
        self.show_studies()  # the study now links the note: reload it with its new version
        self.studies.value = study_id
        self.report_id = note.report_id
        self.sent_box.layout.display = None
        self.notify(t("The analytical note was registered as report {id}.", id=note.report_id))

    def record_sent(self) -> None:
        """Record to whom, when and by whom the note was sent (Rule 21)."""
        if self.report_id is None:
            return
        with self.workbench.sessions.begin() as session:
            sent = record_report_sent(
                session, actor=self.actor, report_id=self.report_id, sent_to=self.sent_to.value
            )
        self.sent_box.layout.display = "none"
        self.notify(
            self.t(
                "Report {name} recorded as sent to {to} at {at}.",
                name=sent.filename,
                to=sent.sent_to,
                at=sent.sent_at.astimezone(KZ_TZ).strftime("%Y-%m-%d %H:%M"),
            )
        )
