"""PPSS documentation reviews: fill a checklist per school visit; see the score and critical gaps.

The checklists (the psychologist's annual plan, the logs of consultations and diagnostics, the
conclusions, the records of support for children in difficult situations) come from
``data/intervision/checklists``. Every item must be answered before the review is saved (an
unanswered critical item would read as no gap); critical items are marked. The review is filed
under the quarter of the visit, whose PPSS study (Rule 21) reads it.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import ipywidgets as widgets

from pcenter_lib.diagnostics.periods import quarter_label
from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import ValidationError
from pcenter_lib.formats import format_day, format_number
from pcenter_lib.i18n import N_
from pcenter_lib.intervision import checklist_registry, get_checklist
from pcenter_lib.intervision.checklists import ANSWER_LABELS, Answer
from pcenter_lib.services.documentation_reviews import list_reviews, save_review
from widgets.intervision.labels import WIDE, button
from widgets.intervision.state import IntervisionState
from widgets.kit import Panel, offer
from widgets.markup import heading, html_table, note
from widgets.shell import AppShell

HEADINGS: Final = (N_("Review a school's PPSS documentation"), N_("Reviews"))
UNANSWERED: Final = ""


class ReviewsPanel(Panel[IntervisionState]):
    """The checklist form and the reviews filed."""

    title = N_("Documentation reviews")
    use_case = UseCase.RUN_INTERVISION
    css_class = "pcenter-iv-reviews"

    def __init__(self, shell: AppShell, state: IntervisionState) -> None:
        super().__init__(shell, state)
        wide = {"description_width": "12em"}
        self.headings = [widgets.HTML() for _ in HEADINGS]
        self.school = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.school.add_class("pcenter-iv-review-school")
        self.checklist = widgets.Dropdown(style=wide, layout={"width": WIDE})
        self.checklist.add_class("pcenter-iv-checklist")
        self.on_change(self.checklist, lambda _v: self.show_items())
        self.visited_on = widgets.DatePicker(
            value=self.today(), style=wide, layout={"width": "26em"}
        )
        self.visited_on.add_class("pcenter-iv-visited-on")
        self.items = widgets.VBox()
        self.items.add_class("pcenter-iv-items")
        self.answers: dict[str, widgets.Dropdown] = {}
        self.review_note = widgets.Textarea(layout={"width": WIDE, "height": "4em"})
        self.save_button = button("pcenter-iv-save-review", "primary", "save")
        self.on_click(self.save_button, self.save)
        self.result = widgets.HTML()
        self.result.add_class("pcenter-iv-review-result")
        self.list = widgets.HTML()
        self.list.add_class("pcenter-iv-review-list")
        self.widget.children = (
            self.headings[0],
            self.school,
            self.checklist,
            self.visited_on,
            self.items,
            self.review_note,
            self.save_button,
            self.result,
            self.headings[1],
            self.list,
        )

    def today(self) -> date:
        return self.shell.now().astimezone(KZ_TZ).date()

    def render(self) -> None:
        t, lang = self.t, self.lang
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        self.school.description = t("School")
        self.checklist.description = t("Checklist")
        self.visited_on.description = t("Day of the visit")
        self.review_note.placeholder = t("Note for the school (optional)")
        self.save_button.description = t("Save the review")
        with self.quiet():
            offer(self.school, self.state.school_options(lang))
            offer(
                self.checklist, [(c.title[lang], code) for code, c in checklist_registry().items()]
            )
        self.show_items()
        self.show_reviews()

    def show_items(self) -> None:
        t, lang = self.t, self.lang
        code = str(self.checklist.value or "")
        if code not in checklist_registry():
            self.items.children = ()
            return
        chosen = get_checklist(code)
        options = [(t("— choose —"), UNANSWERED)] + [(t(ANSWER_LABELS[a]), a.value) for a in Answer]
        kept = {item: control.value for item, control in self.answers.items()}
        self.answers = {}
        for item in chosen.items:
            mark = " ⚠" if item.critical else ""
            control = widgets.Dropdown(
                options=options,
                value=kept.get(item.code, UNANSWERED),
                description=f"{item.text[lang]}{mark}",
                style={"description_width": "34em"},
                layout={"width": "52em"},
            )
            control.add_class("pcenter-iv-answer")
            self.answers[item.code] = control
        legend = widgets.HTML(
            note(t("⚠ marks a critical item: its absence can leave a child without help."))
        )
        self.items.children = (legend, *self.answers.values())

    def save(self) -> None:
        t, lang = self.t, self.lang
        missing = [code for code, control in self.answers.items() if control.value == UNANSWERED]
        if missing:
            raise ValidationError(
                N_("Answer every item of the checklist ({count} unanswered)."), count=len(missing)
            )
        visited = self.visited_on.value
        if not isinstance(visited, date):
            raise ValidationError(N_("Choose the day of the visit."))
        with self.workbench.sessions.begin() as session:
            review = save_review(
                session,
                actor=self.actor,
                school_id=int(self.school.value),
                checklist=str(self.checklist.value),
                visited_on=visited,
                answers={c: str(w.value) for c, w in self.answers.items()},
                note=self.review_note.value,
                today=self.today(),
            )
        chosen = get_checklist(review.checklist)
        gaps = [item.text[lang] for item in chosen.items if item.code in review.critical_gaps]
        score = (
            "—"
            if review.score_percent is None
            else format_number(review.score_percent, lang, digits=1) + " %"
        )
        self.result.value = note(
            t("Saved: {score}; critical gaps: {gaps}.").format(
                score=score, gaps="; ".join(gaps) or t("none")
            )
        )
        for control in self.answers.values():
            control.value = UNANSWERED
        self.review_note.value = ""
        self.show_reviews()
        self.shell.show_success(t("The review is saved."))

    def show_reviews(self) -> None:
        t, lang = self.t, self.lang
        with self.workbench.sessions() as session:
            reviews = list_reviews(session, actor=self.actor)
        registry = checklist_registry()
        rows = [
            [
                format_day(r.visited_on, lang),
                self.state.school_name(r.school_id, lang),
                registry[r.checklist].title[lang] if r.checklist in registry else r.checklist,
                quarter_label(r.quarter, lang),
                "—" if r.score_percent is None else format_number(r.score_percent, lang, digits=1),
                str(len(r.critical_gaps)),
            ]
            for r in reviews
        ]
        self.list.value = html_table(
            [
                t("Visit"),
                t("School"),
                t("Checklist"),
                t("Quarter"),
                t("Score, %"),
                t("Critical gaps"),
            ],
            rows,
            css_class="pcenter-iv-reviews-table",
            numeric_from=4,
        )
