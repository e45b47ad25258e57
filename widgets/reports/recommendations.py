"""The written recommendations of a quarter (Rule 20): write one, record its sending, then the
measures the addressee took. Lives in the quarterly tab, under the report it goes with."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from pcenter_lib.formats import format_day
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.services.recommendations import (
    RecommendationView,
    list_recommendations,
    record_measures_taken,
    record_recommendation,
    record_recommendation_sent,
)
from widgets.kit import show
from widgets.markup import heading, html_table, note
from widgets.shell import AppShell

HEADERS = (
    N_("Addressee"),
    N_("Recommendation"),
    N_("Written"),
    N_("Sent"),
    N_("Measures taken"),
)
AREA = widgets.Layout(width="40em", height="4.5em")


class RecommendationsBox:
    """Form and table of one quarter's recommendations; ``quarter`` is read when it acts."""

    def __init__(self, shell: AppShell, quarter: Callable[[], str]) -> None:
        self.shell = shell
        self.quarter = quarter
        self.rows: list[RecommendationView] = []
        self.head = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("pcenter-reports-recommendations")
        self.addressee = widgets.Text(layout=widgets.Layout(width="40em"))
        self.addressee.add_class("pcenter-reports-rec-addressee")
        self.text = widgets.Textarea(layout=AREA)
        self.text.add_class("pcenter-reports-rec-text")
        self.add_button = widgets.Button(icon="plus", layout={"width": "max-content"})
        self.add_button.add_class("pcenter-reports-rec-add")
        self.chosen = widgets.Dropdown(style={"description_width": "initial"})
        self.chosen.add_class("pcenter-reports-rec-chosen")
        self.sent_ref = widgets.Text(style={"description_width": "initial"})
        self.sent_ref.add_class("pcenter-reports-rec-ref")
        self.sent_button = widgets.Button(icon="paper-plane", layout={"width": "max-content"})
        self.sent_button.add_class("pcenter-reports-rec-sent")
        self.measures = widgets.Textarea(layout=AREA)
        self.measures.add_class("pcenter-reports-rec-measures")
        self.measures_button = widgets.Button(icon="check", layout={"width": "max-content"})
        self.measures_button.add_class("pcenter-reports-rec-measures-save")
        self.add_button.on_click(shell.guard(lambda _b: self.add()))
        self.sent_button.on_click(shell.guard(lambda _b: self.send()))
        self.measures_button.on_click(shell.guard(lambda _b: self.save_measures()))
        self.widget = widgets.VBox(
            [
                self.head,
                self.table,
                self.addressee,
                self.text,
                self.add_button,
                widgets.HBox([self.chosen, self.sent_ref, self.sent_button]),
                self.measures,
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
        self.addressee.description = t("Addressee")
        self.text.description = t("Recommendation")
        self.add_button.description = t("Record the recommendation")
        self.chosen.description = t("Recommendation")
        self.sent_ref.description = t("Outgoing reference")
        self.sent_button.description = t("Record the sending")
        self.measures.description = t("Measures taken")
        self.measures_button.description = t("Record the measures taken")
        self.show()

    def show(self) -> None:
        t, lang = self.t, self.shell.lang
        with self.shell.workbench.sessions() as session:
            self.rows = list_recommendations(
                session, actor=self.shell.actor, quarter=self.quarter()
            )
        body = [
            [
                r.addressee,
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
        with self.shell.workbench.sessions.begin() as session:
            record_recommendation(
                session,
                actor=self.shell.actor,
                quarter=self.quarter(),
                addressee=self.addressee.value,
                text=self.text.value,
                now=self.shell.now(),
            )
        self.addressee.value = self.text.value = ""
        self.shell.show_success(self.t("The recommendation was recorded."))
        self.show()

    def send(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        with self.shell.workbench.sessions.begin() as session:
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
        with self.shell.workbench.sessions.begin() as session:
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
