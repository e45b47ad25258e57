"""The written recommendations of a quarter (Rule 20): write one, record its sending, then the
measures the addressee took. Lives in the quarterly tab, under the report it goes with."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from pcenter_lib.diagnostics.periods import quarter_label
from pcenter_lib.diagnostics.ppss import STUDY_MODES
from pcenter_lib.formats import format_day
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.services.recommendations import (
    RecommendationView,
    SchoolChoice,
    StudyChoice,
    list_recommendations,
    recommendation_schools,
    recommendation_studies,
    record_measures_taken,
    record_recommendation,
    record_recommendation_sent,
)
from widgets.field_errors import FieldErrors
from widgets.kit import show
from widgets.markup import heading, html_table, note
from widgets.shell import AppShell

HEADERS = (
    N_("Addressee"),
    N_("School and study"),
    N_("Recommendation"),
    N_("Written"),
    N_("Sent"),
    N_("Measures taken"),
)
AREA = widgets.Layout(width="49em", height="4.5em")
NOT_LINKED = N_("none chosen")
NONE = 0  # the "not linked" option (a drop-down whose value is None shows no option at all)
LABELS = {"description_width": "11em"}  # every label of the form whole and the fields aligned


class RecommendationsBox:
    """Form and table of one quarter's recommendations; ``quarter`` is read when it acts."""

    def __init__(self, shell: AppShell, quarter: Callable[[], str]) -> None:
        self.shell = shell
        self.quarter = quarter
        self.rows: list[RecommendationView] = []
        self.schools: list[SchoolChoice] = []
        self.studies: list[StudyChoice] = []
        self._all_studies: list[StudyChoice] = []
        self._offered = ""
        self.head = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("pcenter-reports-recommendations")
        self.addressee = widgets.Text(layout=widgets.Layout(width="49em"), style=LABELS)
        self.addressee.add_class("pcenter-reports-rec-addressee")
        self.school = widgets.Dropdown(style=LABELS, layout=widgets.Layout(width="49em"))
        self.school.add_class("pcenter-reports-rec-school")
        self.study = widgets.Dropdown(style=LABELS, layout=widgets.Layout(width="49em"))
        self.study.add_class("pcenter-reports-rec-study")
        self.school.observe(shell.guard(lambda _change: self.show_studies()), names="value")
        self.text = widgets.Textarea(layout=AREA, style=LABELS)
        self.text.add_class("pcenter-reports-rec-text")
        self.add_button = widgets.Button(icon="plus", layout={"width": "max-content"})
        self.add_button.add_class("pcenter-reports-rec-add")
        self.chosen = widgets.Dropdown(style={"description_width": "initial"})
        self.chosen.add_class("pcenter-reports-rec-chosen")
        self.sent_ref = widgets.Text(style={"description_width": "initial"})
        self.sent_ref.add_class("pcenter-reports-rec-ref")
        self.sent_button = widgets.Button(icon="paper-plane", layout={"width": "max-content"})
        self.sent_button.add_class("pcenter-reports-rec-sent")
        self.measures = widgets.Textarea(layout=AREA, style=LABELS)
        self.measures.add_class("pcenter-reports-rec-measures")
        self.measures_button = widgets.Button(icon="check", layout={"width": "max-content"})
        self.measures_button.add_class("pcenter-reports-rec-measures-save")
        self.fields = FieldErrors(
            {
                "addressee": self.addressee,
                "recommendation": self.text,
                "sent_ref": self.sent_ref,
                "measures_taken": self.measures,
            }
        )
        self.add_button.on_click(shell.guard(lambda _b: self.add()))
        self.sent_button.on_click(shell.guard(lambda _b: self.send()))
        self.measures_button.on_click(shell.guard(lambda _b: self.save_measures()))
        self.widget = widgets.VBox(
            [
                self.head,
                self.table,
                self.school,
                self.study,
                self.addressee,
                self.fields.note("addressee"),
                self.text,
                self.fields.note("recommendation"),
                self.add_button,
                widgets.HBox([self.chosen, self.sent_ref, self.sent_button]),
                self.fields.note("sent_ref"),
                self.measures,
                self.fields.note("measures_taken"),
                self.measures_button,
            ]
        )

    @property
    def t(self) -> Translator:
        return self.shell.t

    def render(self) -> None:
        t = self.t
        self.head.value = heading(t("Written recommendations (Rule 20)")) + note(
            t(
                "Each recommendation is recorded with its addressee, then its sending, then the "
                "measures taken."
            )
        )
        self.school.description = t("School")
        self.study.description = t("Study of the PPSS")
        self.addressee.description = t("Addressee")
        self.text.description = t("Recommendation")
        self.add_button.description = t("Record the recommendation")
        self.chosen.description = t("Recommendation")
        self.sent_ref.description = t("Outgoing reference")
        self.sent_button.description = t("Record the sending")
        self.measures.description = t("Measures taken")
        self.measures_button.description = t("Record the measures taken")
        self.fields.render(self.shell.lang)
        self.show()

    def _school_name(self, school_id: int | None) -> str:
        school = next((s for s in self.schools if s.id == school_id), None)
        if school is None:
            return ""
        return school.name_kk if self.shell.lang == "kk" else school.name_ru

    def _study_label(self, study: StudyChoice) -> str:
        lang = self.shell.lang
        mode = self.t(STUDY_MODES.get(study.mode, study.mode))
        return f"{format_day(study.studied_on, lang)}, {quarter_label(study.quarter, lang)}: {mode}"

    def _link_text(self, row: RecommendationView) -> str:
        if row.school_id is None:
            return "—"
        study = next((s for s in self._all_studies if s.id == row.study_id), None)
        school = self._school_name(row.school_id)
        return f"{school}; {self._study_label(study)}" if study else school

    def show_studies(self) -> None:
        """The chosen school's studies; a recommendation may follow from one (Rule 20)."""
        school_id = self.school.value or None
        self.studies = []
        if school_id is not None:
            with self.shell.workbench.sessions() as session:
                self.studies = recommendation_studies(
                    session, actor=self.shell.actor, school_id=school_id
                )
        # the school's name is offered as the addressee, unless a person typed another one
        if self.addressee.value.strip() in ("", self._offered):
            self._offered = self._school_name(school_id)
            self.addressee.value = self._offered
        options: list[tuple[str, int]] = [(self.t(NOT_LINKED), NONE)]
        options += [(self._study_label(study), study.id) for study in self.studies]
        kept = self.study.value if self.study.value in [v for _l, v in options] else NONE
        show(self.study, options, kept)

    def show(self) -> None:
        t, lang = self.t, self.shell.lang
        with self.shell.workbench.sessions() as session:
            actor = self.shell.actor
            self.rows = list_recommendations(session, actor=actor, quarter=self.quarter())
            self.schools = recommendation_schools(session, actor=actor)
            linked = {row.school_id for row in self.rows if row.study_id is not None}
            self._all_studies = [
                study
                for school_id in linked
                if school_id is not None
                for study in recommendation_studies(session, actor=actor, school_id=school_id)
            ]
        schools: list[tuple[str, int]] = [(t(NOT_LINKED), NONE)]
        schools += [(self._school_name(school.id), school.id) for school in self.schools]
        kept_school = self.school.value if self.school.value in [v for _l, v in schools] else NONE
        show(self.school, schools, kept_school)
        self.show_studies()
        body = [
            [
                r.addressee,
                self._link_text(r),
                r.text,
                format_day(r.written_at.date(), lang),
                f"{format_day(r.sent_at.date(), lang)}, {r.sent_ref}"
                if r.sent_at
                else t("not sent"),
                r.measures_taken or "—",
            ]
            for r in self.rows
        ]
        self.table.value = (
            html_table([t(h) for h in HEADERS], body, css_class="pcenter-reports-rec-table")
            if body
            else note(t("none recorded yet"))
        )
        options = [(f"{r.id}: {r.addressee} — {r.text[:60]}", r.id) for r in self.rows]
        kept = self.chosen.value if self.chosen.value in [v for _l, v in options] else None
        show(
            self.chosen, options, kept if kept is not None else (options[0][1] if options else None)
        )

    def _chosen(self) -> RecommendationView | None:
        return next((r for r in self.rows if r.id == self.chosen.value), None)

    def add(self) -> None:
        with (
            self.fields.checking(self.shell.lang),
            self.shell.workbench.sessions.begin() as session,
        ):
            record_recommendation(
                session,
                actor=self.shell.actor,
                quarter=self.quarter(),
                addressee=self.addressee.value,
                text=self.text.value,
                school_id=self.school.value or None,
                study_id=self.study.value or None,
                now=self.shell.now(),
            )
        self.addressee.value = self.text.value = ""
        self.school.value = NONE
        self.shell.show_success(self.t("The recommendation was recorded."))
        self.show()

    def send(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        with (
            self.fields.checking(self.shell.lang),
            self.shell.workbench.sessions.begin() as session,
        ):
            record_recommendation_sent(
                session,
                actor=self.shell.actor,
                recommendation_id=chosen.id,
                expected_version=chosen.version,
                sent_ref=self.sent_ref.value,
                now=self.shell.now(),
            )
        self.sent_ref.value = ""
        self.shell.show_success(self.t("The sending was recorded."))
        self.show()

    def save_measures(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        with (
            self.fields.checking(self.shell.lang),
            self.shell.workbench.sessions.begin() as session,
        ):
            record_measures_taken(
                session,
                actor=self.shell.actor,
                recommendation_id=chosen.id,
                expected_version=chosen.version,
                measures=self.measures.value,
                now=self.shell.now(),
            )
        self.measures.value = ""
        self.shell.show_success(self.t("The measures taken were recorded."))
        self.show()
