"""The quarterly study of a school's PPSS (Rule 21): coverage, the study form, the analytical note.

Coverage lists every school with its status this quarter — studied, not yet, or overdue (no
study last quarter or this one). The form scores each domain 0–3 (or not applicable) with the
findings and recommendations; saving again edits the same study, and a stale edit is refused
rather than overwriting a colleague's. The note is generated in Kazakh or Russian and offered
for download; it is stored as a Report with its SHA-256.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Final

import ipywidgets as widgets

from pcenter_lib.diagnostics.periods import previous_quarter, quarter_label, quarter_of
from pcenter_lib.diagnostics.ppss import (
    COVERAGE_LABELS,
    DOMAINS,
    SCALE,
    STUDY_MODES,
    level_label,
    summarize_study,
)
from pcenter_lib.diagnostics.view_tables import district_names, school_names
from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.formats import (
    format_count,
    format_day,
    format_moment,
    format_number,
    format_share,
)
from pcenter_lib.i18n import LANGUAGE_NAMES, N_
from pcenter_lib.intervision import get_checklist
from pcenter_lib.services.documentation_reviews import reviews_for_study
from pcenter_lib.services.ppss_studies import (
    NOTE_LANGUAGES,
    StudyDraft,
    StudyView,
    list_studies,
    record_study,
    study_coverage_table,
    write_analytical_note,
)
from pcenter_lib.services.report_dispatch import record_report_sent
from widgets.diagnostics.state import DiagnosticsState
from widgets.kit import Panel, offer
from widgets.markup import download_link, heading, html_table
from widgets.shell import AppShell

STATUS_ORDER: Final = {"overdue": 0, "due": 1, "studied": 2}
HEADINGS: Final = (
    N_("Coverage this quarter (Rule 21)"),
    N_("Study of a school service"),
    N_("Analytical note"),
)
NO_REVIEWS: Final = N_("No documentation review of this school in {quarter} (Rule 11.3).")
NOT_APPLICABLE: Final = -1  # the dropdown's value for "not applicable"
FORM_WIDTH: Final = "52em"


class StudyPanel(Panel[DiagnosticsState]):
    """Coverage table, the study form, the studies of the chosen school and the note."""

    title = N_("Study of school services")
    use_case = UseCase.RECORD_STUDY
    css_class = "pcenter-dx-study-panel"

    def __init__(self, shell: AppShell, state: DiagnosticsState) -> None:
        super().__init__(shell, state)
        self.study: StudyView | None = None
        self._found: dict[int, StudyView] = {}
        today = self.today()
        current = quarter_of(today)
        self._quarters = [current, previous_quarter(current)]
        self.coverage = widgets.HTML()
        self.coverage.add_class("pcenter-dx-coverage")
        self.school = widgets.Dropdown(style={"description_width": "initial"})
        self.school.add_class("pcenter-dx-study-school")
        self.on_change(self.school, lambda _school: self.show_studies())
        self.on_change(self.school, lambda _school: self.show_reviews())
        self.studies = widgets.Dropdown(style={"description_width": "initial"})
        self.studies.add_class("pcenter-dx-studies")
        self.on_change(self.studies, self._pick_study)
        self.new_button = widgets.Button(layout={"width": "max-content"})
        self.on_click(self.new_button, self.start_new)
        self.quarter = widgets.Dropdown(style={"description_width": "initial"})
        self.on_change(self.quarter, lambda _quarter: self.show_reviews())
        # the methodologists' documentation reviews of this school and quarter (Rules 11.3, 21)
        self.reviews = widgets.HTML()
        self.reviews.add_class("pcenter-dx-doc-reviews")
        self.mode = widgets.ToggleButtons()
        self.studied_on = widgets.DatePicker(value=today, style={"description_width": "initial"})
        self.scores = {
            domain.code: widgets.Dropdown(
                value=None,
                style={"description_width": "26em"},
                layout=widgets.Layout(width=FORM_WIDTH),
            )
            for domain in DOMAINS
        }
        area = widgets.Layout(width=FORM_WIDTH, height="6em")
        self.findings = widgets.Textarea(layout=area)
        self.recommendations = widgets.Textarea(layout=area)
        self.save_button = widgets.Button(button_style="primary", layout={"width": "max-content"})
        self.save_button.add_class("pcenter-dx-save-study")
        self.on_click(self.save_button, self.save)
        self.summary = widgets.HTML()
        self.note_lang = widgets.ToggleButtons(
            options=[(LANGUAGE_NAMES[code], code) for code in NOTE_LANGUAGES]
        )
        self.note_button = widgets.Button(icon="file", layout={"width": "max-content"})
        self.note_button.add_class("pcenter-dx-note-button")
        self.on_click(self.note_button, self.make_note)
        self.note_link = widgets.HTML()
        self.note_link.add_class("pcenter-dx-note-link")
        # Rule 21: the note goes to the education management body and the school; record it.
        self.report_id: int | None = None
        self.sent_to = widgets.Text(layout=widgets.Layout(width=FORM_WIDTH))
        self.sent_to.add_class("pcenter-dx-note-sent-to")
        self.sent_button = widgets.Button(icon="paper-plane", layout={"width": "max-content"})
        self.sent_button.add_class("pcenter-dx-note-sent")
        self.on_click(self.sent_button, self.record_sent)
        self.sent_box = widgets.HBox([self.sent_to, self.sent_button])
        self.sent_box.layout.display = "none"
        self.headings = [widgets.HTML() for _ in HEADINGS]
        note: tuple[widgets.Widget, ...] = ()
        if self.may(UseCase.WRITE_NOTE):
            note = (
                self.headings[2],
                widgets.HBox([self.note_lang, self.note_button]),
                self.note_link,
                self.sent_box,
            )
        self.widget.children = (
            self.headings[0],
            self.coverage,
            self.headings[1],
            widgets.HBox([self.school, self.studies, self.new_button]),
            widgets.HBox([self.quarter, self.studied_on]),
            self.reviews,
            self.mode,
            *self.scores.values(),
            self.findings,
            self.recommendations,
            widgets.HBox([self.save_button, self.summary]),
            *note,
        )
        self.watch("data_version", lambda: self.show_coverage())

    def today(self) -> date:
        return self.shell.now().astimezone(KZ_TZ).date()

    def render(self) -> None:
        t, lang = self.t, self.lang
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        self.school.description = t("School")
        self.studies.description = t("Studies")
        self.new_button.description = t("New study")
        self.quarter.description = t("Quarter")
        self.studied_on.description = t("Date of the study")
        self.findings.placeholder = t("Findings")
        self.recommendations.placeholder = t("Recommendations, one per line")
        self.save_button.description = t("Save the study")
        self.note_button.description = t("Generate the analytical note")
        self.sent_to.description = t("Sent to")
        self.sent_to.placeholder = t("the education management body and the school")
        self.sent_button.description = t("Record the sending")
        options = [(t("not applicable"), NOT_APPLICABLE)] + [
            (t(label), score) for score, label in SCALE.items()
        ]
        names = school_names(self.state.schools, lang)
        with self.quiet():
            offer(self.school, [(name, sid) for sid, name in names.items()])
            offer(self.quarter, [(quarter_label(q, lang), q) for q in self._quarters])
            offer(self.mode, [(t(label), code) for code, label in STUDY_MODES.items()])
            if lang in NOTE_LANGUAGES:
                self.note_lang.value = lang
            for domain in DOMAINS:
                control = self.scores[domain.code]
                offer(control, options)
                control.description = t(domain.label)
                control.tooltip = t(domain.question)
        self.show_coverage()
        self.show_studies(keep=self.study.id if self.study else 0)
        self.show_reviews()

    def show_reviews(self) -> None:
        """The documentation reviews filed under the school and quarter the form is on."""
        if not self.school.value or not self.quarter.value:
            self.reviews.value = ""
            return
        t, lang, quarter = self.t, self.lang, str(self.quarter.value)
        with self.workbench.sessions() as session:
            found = reviews_for_study(
                session, actor=self.actor, school_id=int(self.school.value), quarter=quarter
            )
        label = quarter_label(quarter, lang)
        if not found:
            self.reviews.value = (
                f'<p class="pcenter-note">{html.escape(t(NO_REVIEWS, quarter=label))}</p>'
            )
            return
        rows = []
        for review in found:
            checklist = get_checklist(review.checklist)
            gaps = [
                item.text[lang] for item in checklist.items if item.code in review.critical_gaps
            ]
            share = review.score_percent
            rows.append(
                (
                    format_day(review.visited_on, lang),
                    checklist.title[lang],
                    format_share(None if share is None else share / 100, lang, digits=0),
                    "; ".join(gaps) or "—",
                )
            )
        self.reviews.value = html_table(
            [t("Visited on"), t("Checklist"), t("Met"), t("Critical gaps")],
            rows,
            css_class="pcenter-dx-doc-reviews-table",
            numeric_from=None,
            caption=t("Documentation reviews in {quarter} (Rule 11.3)", quarter=label),
        )

    def show_coverage(self) -> None:
        t, lang = self.t, self.lang
        with self.workbench.sessions() as session:
            table = study_coverage_table(session, actor=self.actor, today=self.today())
        table = table.assign(order=table["status"].map(STATUS_ORDER)).sort_values(
            ["order", "school_id"]
        )
        counts = table["status"].value_counts()
        head = " · ".join(
            f"{t(COVERAGE_LABELS[s])}: {format_count(int(counts.get(s, 0)), lang)}"
            for s in ("studied", "due", "overdue")
        )
        schools = self.state.schools
        names, districts = school_names(schools, lang), district_names(schools, lang)
        district_of = dict(zip(schools["school_id"], schools["district_id"], strict=True))
        rows = [
            (
                names.get(int(r["school_id"]), str(r["school_id"])),
                districts.get(int(district_of.get(r["school_id"], 0)), ""),
                t(COVERAGE_LABELS[str(r["status"])]),
                format_day(r["last_studied_on"], lang),
            )
            for r in table.to_dict("records")
        ]
        quarter = quarter_label(str(table.attrs["quarter"]), lang)
        self.coverage.value = f"<p>{html.escape(head)} ({html.escape(quarter)})</p>" + html_table(
            [t("School"), t("District"), t("Status"), t("Last studied")],
            rows,
            css_class="pcenter-dx-coverage-table",
            numeric_from=None,
        )

    def show_studies(self, keep: int = 0) -> None:
        with self.workbench.sessions() as session:
            found = list_studies(session, actor=self.actor, school_id=int(self.school.value or 0))
        self._found = {study.id: study for study in found}
        with self.quiet():
            self.studies.options = [(self.t("(new)"), 0)] + [
                (
                    f"{quarter_label(s.quarter, self.lang)} · {format_day(s.studied_on, self.lang)}",
                    s.id,
                )
                for s in found
            ]
            self.studies.value = keep if keep in self._found else 0
        if keep not in self._found:
            self.study = None

    def _pick_study(self, chosen: object) -> None:
        picked = self._found.get(int(str(chosen or 0)))
        if picked is None:
            self.study = None
            return
        self.study = picked
        lang = self.lang
        with self.quiet():
            quarters = sorted({*self._quarters, picked.quarter}, reverse=True)
            offer(self.quarter, [(quarter_label(q, lang), q) for q in quarters])
            self.quarter.value = picked.quarter
            self.mode.value = picked.mode
            self.studied_on.value = picked.studied_on
            for code, control in self.scores.items():
                score = picked.domain_scores.get(code)
                control.value = NOT_APPLICABLE if score is None else score
            self.findings.value = picked.findings
            self.recommendations.value = picked.recommendations
        self._show_summary()

    def start_new(self) -> None:
        self.study = None
        with self.quiet():
            self.studies.value = 0
            for control in self.scores.values():
                control.value = NOT_APPLICABLE
            self.findings.value, self.recommendations.value = "", ""
        self.summary.value = ""

    def draft(self) -> StudyDraft:
        scores: dict[str, int | None] = {
            code: None if int(control.value) == NOT_APPLICABLE else int(control.value)
            for code, control in self.scores.items()
        }
        studied_on = self.studied_on.value
        return StudyDraft(
            school_id=int(self.school.value),
            quarter=str(self.quarter.value),
            mode=str(self.mode.value),
            studied_on=studied_on if isinstance(studied_on, date) else self.today(),
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
        self.show_studies(keep=saved.id)
        self.show_coverage()
        self._show_summary()
        self.shell.show_success(
            self.t("The study was saved (version {version}).", version=saved.version)
        )

    def _show_summary(self) -> None:
        if self.study is None:
            return
        summary = summarize_study(self.study.domain_scores)
        if summary.mean is None or summary.level is None:
            self.summary.value = ""
            return
        text = self.t(
            "Mean {mean} of 3: {level}",
            mean=format_number(summary.mean, self.lang, digits=1, exact=True),
            level=self.t(level_label(summary.level)),
        )
        self.summary.value = html.escape(text)

    def make_note(self) -> None:
        """Write the note for the saved study and offer the DOCX."""
        t = self.t
        if self.study is None:
            self.shell.show_info(t("Save the study first; the note is written from a saved study."))
            return
        with self.workbench.sessions.begin() as session:
            note = write_analytical_note(
                session,
                actor=self.actor,
                study_id=self.study.id,
                lang=str(self.note_lang.value),
                now=self.shell.now(),
            )
        link = download_link(
            note.content,
            filename=note.filename,
            label=t("Download {filename}", filename=note.filename),
            css_class="pcenter-dx-download",
        )
        self.note_link.value = (
            f'{link} <span class="pcenter-note">SHA-256 {html.escape(note.sha256[:16])}…</span>'
        )
        self.show_studies(keep=self.study.id)  # the study now links the note: read its version
        self.study = self._found.get(self.study.id, self.study)
        self.report_id = note.report_id
        self.sent_box.layout.display = None
        self.shell.show_success(
            t("The analytical note was registered as report {id}.", id=note.report_id)
        )

    def record_sent(self) -> None:
        """Record to whom, when and by whom the note was sent (Rule 21)."""
        if self.report_id is None:
            return
        with self.workbench.sessions.begin() as session:
            sent = record_report_sent(
                session,
                actor=self.actor,
                report_id=self.report_id,
                sent_to=self.sent_to.value,
                now=self.shell.now(),
            )
        self.sent_box.layout.display = "none"
        self.shell.show_success(
            self.t(
                "Report {name} recorded as sent to {to} at {at}.",
                name=sent.filename,
                to=sent.sent_to,
                at=format_moment(sent.sent_at, self.lang),
            )
        )
