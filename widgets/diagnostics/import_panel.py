"""Importing a school's round: template download, file upload, progress, and the row-level report.

The methodologist picks the school, instrument, quarter and screening date, chooses the file and
presses Import. The service checks every row before writing anything: a refused file shows a
table of every problem (row, column, value, what is expected) in the person's language, and
nothing is stored. An accepted file shows the round and the journal numbers of the
priority-review requests its critical answers raised.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as widgets
import pandas as pd

from pcenter_lib.diagnostics.importing import ImportRejectedError
from pcenter_lib.diagnostics.instruments import get_instrument, instrument_registry
from pcenter_lib.diagnostics.periods import previous_quarter, quarter_of
from pcenter_lib.diagnostics.templates import build_template, template_filename
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.i18n import Translator
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.diagnostics import ImportedRound, import_round
from pcenter_lib.transactions import run_in_transaction
from pcenter_lib.workbench import Workbench
from widgets.diagnostics.data import DiagnosticsData
from widgets.diagnostics.tables import download_link, heading, html_table, paragraph

RECENT_ROUNDS = 15


ROWS_SHOWN = 20  # file rows listed on screen; the count beside them is always complete


def _row_list(rows: tuple[int, ...]) -> str:
    """``3, 5, 9`` — the first ``ROWS_SHOWN`` file rows, with an ellipsis when there are more."""
    shown = ", ".join(str(row) for row in rows[:ROWS_SHOWN])
    return shown + ("…" if len(rows) > ROWS_SHOWN else "")


class ImportPanel:
    """The import form, its progress bar, the outcome and the list of recent rounds."""

    def __init__(
        self,
        data: DiagnosticsData,
        t: Translator,
        *,
        workbench: Workbench,
        actor: str,
        guard: Callable[[Callable[..., Any]], Callable[..., Any]],
        notify: Callable[[str], None],
        warn: Callable[[str], None],
        on_imported: Callable[[ImportedRound], object],
    ) -> None:
        self.data, self.t, self.workbench, self.actor = data, t, workbench, actor
        self.notify, self.warn, self.on_imported = notify, warn, on_imported
        today = utcnow().astimezone(KZ_TZ).date()
        name = "name_kk" if t.lang == "kk" else "name_ru"
        schools = data.schools
        self.school = widgets.Dropdown(
            description=t("School"),
            options=[
                (f"{r[name]} ({r[f'district_{t.lang}']})", int(r["school_id"]))
                for _, r in schools.iterrows()
            ],
        )
        self.instrument = widgets.Dropdown(
            description=t("Instrument"),
            options=[(d.name.get(t.lang, c), c) for c, d in instrument_registry().items()],
        )
        current = quarter_of(today)
        quarters = [current, previous_quarter(current), previous_quarter(previous_quarter(current))]
        self.period = widgets.Dropdown(description=t("Quarter"), options=quarters, value=current)
        self.conducted_on = widgets.DatePicker(description=t("Screening date"), value=today)
        self.upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False, description=t("File"))
        self.upload.add_class("pcenter-dx-upload")
        self.import_button = widgets.Button(
            description=t("Import"), button_style="primary", icon="upload"
        )
        self.import_button.add_class("pcenter-dx-import")
        self.import_button.on_click(guard(lambda _: self.run_import()))
        self.progress = widgets.FloatProgress(value=0.0, min=0.0, max=1.0)
        self.progress.add_class("pcenter-dx-progress")
        self.stage = widgets.Label()
        self.outcome = widgets.HTML()
        self.outcome.add_class("pcenter-dx-outcome")
        self.report = widgets.HTML()
        self.report.add_class("pcenter-dx-report")
        self.templates = widgets.HTML()
        self.templates.add_class("pcenter-dx-templates")
        self.rounds = widgets.HTML()
        self.rounds.add_class("pcenter-dx-rounds")
        self.school.add_class("pcenter-dx-import-school")
        self.instrument.add_class("pcenter-dx-import-instrument")
        self.instrument.observe(guard(lambda _: self.show_templates()), names="value")
        self.show_templates()
        self.show_rounds()
        self.widget = widgets.VBox(
            [
                heading(t("Templates")),
                self.templates,
                heading(t("Import a round")),
                widgets.HBox([self.school, self.instrument]),
                widgets.HBox([self.period, self.conducted_on]),
                widgets.HBox([self.upload, self.import_button]),
                widgets.HBox([self.progress, self.stage]),
                self.outcome,
                self.report,
                heading(t("Recent rounds")),
                self.rounds,
            ]
        )

    def show_templates(self) -> None:
        """Links to the template of the chosen instrument, in Kazakh and Russian, XLSX and CSV."""
        definition = get_instrument(str(self.instrument.value))
        links = []
        for lang in ("kk", "ru"):
            for kind in ("xlsx", "csv"):
                content = build_template(definition, lang=lang, kind=kind)
                links.append(
                    download_link(content, template_filename(definition, lang, kind), kind, self.t)
                )
        self.templates.value = " · ".join(links)

    def _progress(self, fraction: float, stage: str) -> None:
        self.progress.value = max(0.0, min(1.0, fraction))
        self.stage.value = self.t(stage)

    def run_import(self) -> None:
        """Import the chosen file; show either the round or the report of every problem."""
        t = self.t
        self.outcome.value, self.report.value = "", ""
        if not self.upload.value:
            self.warn(t("Choose a file to import first."))
            return
        upload = self.upload.value[0]
        conducted = self.conducted_on.value
        if not isinstance(conducted, date):
            self.warn(t("Give the date of the screening."))
            return
        self._progress(0.0, "Reading the file")
        try:
            # all or nothing: a busy database rolled the attempt back whole, so it is repeated
            imported = run_in_transaction(
                self.workbench.sessions,
                lambda session: import_round(
                    session,
                    actor=self.actor,
                    cipher=self.workbench.cipher,
                    data=bytes(upload["content"]),
                    filename=str(upload["name"]),
                    instrument=str(self.instrument.value),
                    school_id=int(self.school.value),
                    period=str(self.period.value),
                    conducted_on=conducted,
                    lang=t.lang,
                    progress=self._progress,
                ),
            )
        except ImportRejectedError as rejected:
            self.progress.value = 0.0
            self.stage.value = ""
            self.report.value = self._report(rejected)
            self.warn(rejected.localized(t.lang))
            return
        self.upload.value = ()
        self.data.forget()
        self.outcome.value = self._outcome(imported)
        self.show_rounds()
        self.notify(
            t(
                "Round {round} was imported: {count} results.",
                round=imported.round_id,
                count=imported.result_count,
            )
        )
        self.on_imported(imported)

    def _report(self, rejected: ImportRejectedError) -> str:
        t = self.t
        table = rejected.report(t.lang)
        shown = len(table)
        more = ""
        if rejected.total > shown:
            listed = t(
                "The first {shown} of {total} problems are listed.",
                shown=shown,
                total=rejected.total,
            )
            more = paragraph(listed)
        return more + html_table(
            list(table.columns),
            table.itertuples(index=False),
            css_class="pcenter-dx-problems",
            numeric_from=99,
        )

    def _outcome(self, imported: ImportedRound) -> str:
        t = self.t
        lines = [
            html.escape(
                t(
                    "Round {round}: {count} results ({linked} linked to known children, {coded} by "
                    "pseudonymous code, {anonymous} anonymous).",
                    round=imported.round_id,
                    count=imported.result_count,
                    linked=imported.linked_children,
                    coded=imported.pseudonymous,
                    anonymous=imported.anonymous,
                )
            ),
        ]
        if imported.requests:
            numbers = ", ".join(r.journal_number for r in imported.requests)
            lines.append(
                '<span class="pcenter-dx-critical">'
                + html.escape(
                    t(
                        "Critical answers: {count}. Priority-review requests in the "
                        "journal: {numbers}. The duty specialist decides whether any is "
                        "a direct threat.",
                        count=imported.critical_count,
                        numbers=numbers,
                    )
                )
                + "</span>"
            )
        if imported.critical_unanswered_rows:
            rows = imported.critical_unanswered_rows
            lines.append(
                '<span class="pcenter-dx-critical pcenter-dx-unanswered">'
                + html.escape(
                    t(
                        "{count} respondents left a critical question unanswered (file rows "
                        "{rows}); no flag could be raised for them: check with the school.",
                        count=len(rows),
                        rows=_row_list(rows),
                    )
                )
                + "</span>"
            )
        if imported.without_band_rows:
            rows = imported.without_band_rows
            lines.append(
                '<span class="pcenter-dx-without-band">'
                + html.escape(
                    t(
                        "Scores without a band: {count} (file rows {rows}); the respondents' age "
                        "or sex is outside the instrument's norms.",
                        count=len(rows),
                        rows=_row_list(rows),
                    )
                )
                + "</span>"
            )
        return "<br>".join(lines)

    def show_rounds(self) -> None:
        """The latest rounds with their school, instrument, quarter, size and requests raised."""
        t, lang = self.t, self.t.lang
        rounds: pd.DataFrame = self.data.rounds.tail(RECENT_ROUNDS).iloc[::-1]
        rows = [
            (
                int(r["round_id"]),
                self.data.school_name(int(r["school_id"]), lang),
                r["instrument"],
                r["period"],
                int(r["result_count"]),
                ", ".join(r["requests"]) or "—",
            )
            for _, r in rounds.iterrows()
        ]
        self.rounds.value = html_table(
            [
                t("Round"),
                t("School"),
                t("Instrument"),
                t("Quarter"),
                t("Results"),
                t("Requests raised"),
            ],
            rows,
            css_class="pcenter-dx-round-list",
            numeric_from=4,
        )
