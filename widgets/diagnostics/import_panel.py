"""Importing a school's round: template download, file upload, progress, and the row-level report.

The methodologist picks the school, instrument, quarter and screening date, chooses the file
and presses Import. The service checks every row before writing anything: a refused file shows a
table of every problem (row, column, value, what is expected) in the person's language, and
nothing is stored. An accepted file shows the round and the journal numbers of the
priority-review requests its critical answers raised; the outcome stays on this tab while the
results are read again behind it.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Final

import ipywidgets as widgets

from pcenter_lib.diagnostics.importing import ImportRejectedError
from pcenter_lib.diagnostics.instruments import get_instrument, instrument_registry
from pcenter_lib.diagnostics.periods import previous_quarter, quarter_label, quarter_of
from pcenter_lib.diagnostics.templates import build_template, template_filename
from pcenter_lib.diagnostics.view_tables import district_names, school_names
from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.formats import format_count
from pcenter_lib.i18n import N_, NP_
from pcenter_lib.services.diagnostics import ImportedRound, import_round
from pcenter_lib.transactions import run_in_transaction
from widgets.diagnostics.state import DiagnosticsState
from widgets.kit import Panel, offer
from widgets.markup import download_link, heading, html_table, paragraph
from widgets.shell import AppShell

RECENT_ROUNDS: Final = 15
ROWS_SHOWN: Final = 20  # file rows listed on screen; the count beside them is always complete
HEADINGS: Final = (N_("Templates"), N_("Import a round"), N_("Recent rounds"))
IMPORTED: Final = NP_(
    "Round {round}: {count} result ({linked} linked to known children, {coded} by pseudonymous "
    "code, {anonymous} anonymous).",
    "Round {round}: {count} results ({linked} linked to known children, {coded} by pseudonymous "
    "code, {anonymous} anonymous).",
)
CRITICAL: Final = NP_(
    "Critical answers: {count}. Priority-review request in the journal: {numbers}. The duty "
    "specialist decides whether it is a direct threat.",
    "Critical answers: {count}. Priority-review requests in the journal: {numbers}. The duty "
    "specialist decides whether any is a direct threat.",
)
UNANSWERED: Final = NP_(
    "{count} respondent left a critical question unanswered (file rows {rows}); no flag could "
    "be raised: check with the school.",
    "{count} respondents left a critical question unanswered (file rows {rows}); no flag could "
    "be raised for them: check with the school.",
)
WITHOUT_BAND: Final = N_(
    "Scores without a band: {count} (file rows {rows}); the respondents' age or sex is outside "
    "the instrument's norms."
)


def row_list(rows: tuple[int, ...]) -> str:
    """``3, 5, 9`` — the first ``ROWS_SHOWN`` file rows, with an ellipsis when there are more."""
    shown = ", ".join(str(row) for row in rows[:ROWS_SHOWN])
    return shown + ("…" if len(rows) > ROWS_SHOWN else "")


class ImportPanel(Panel[DiagnosticsState]):
    """The import form, its progress bar, the outcome and the list of recent rounds."""

    title = N_("Import")
    use_case = UseCase.IMPORT_ROUND
    css_class = "pcenter-dx-import-panel"

    def __init__(self, shell: AppShell, state: DiagnosticsState) -> None:
        super().__init__(shell, state)
        wide = {"description_width": "9em"}
        self.school = widgets.Dropdown(style=wide)
        self.school.add_class("pcenter-dx-import-school")
        self.instrument = widgets.Dropdown(style=wide)
        self.instrument.add_class("pcenter-dx-import-instrument")
        self.on_change(self.instrument, lambda _code: self.show_templates())
        self.period = widgets.Dropdown(style=wide)
        self.conducted_on = widgets.DatePicker(style=wide)
        self.upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False)
        self.upload.add_class("pcenter-dx-upload")
        self.import_button = widgets.Button(button_style="primary", icon="upload")
        self.import_button.add_class("pcenter-dx-import")
        self.on_click(self.import_button, self.run_import)
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
        self.headings = [widgets.HTML() for _ in HEADINGS]
        self._last: ImportedRound | None = None
        self._rejected: ImportRejectedError | None = None
        today = shell.now().astimezone(KZ_TZ).date()
        self.conducted_on.value = today
        current = quarter_of(today)
        self._quarters = [
            current,
            previous_quarter(current),
            previous_quarter(previous_quarter(current)),
        ]
        self.widget.children = (
            self.headings[0],
            self.templates,
            self.headings[1],
            self.school,
            self.instrument,
            widgets.HBox([self.period, self.conducted_on]),
            widgets.HBox([self.upload, self.import_button]),
            widgets.HBox([self.progress, self.stage]),
            self.outcome,
            self.report,
            self.headings[2],
            self.rounds,
        )
        self.watch("data_version", self.show_rounds)

    def render(self) -> None:
        t, lang = self.t, self.lang
        for widget, msgid in zip(self.headings, HEADINGS, strict=True):
            widget.value = heading(t(msgid))
        self.school.description = t("School")
        self.instrument.description = t("Instrument")
        self.period.description = t("Quarter")
        self.conducted_on.description = t("Screening date")
        self.upload.description = t("File")
        self.import_button.description = t.pgettext("button", "Import")
        self.progress.tooltip = t(self.title)  # the progress bar's accessible name ("Import")
        schools, districts = self.state.schools, district_names(self.state.schools, lang)
        names = school_names(schools, lang)
        with self.quiet():
            offer(
                self.school,
                [
                    (f"{names[int(s)]} ({districts[int(d)]})", int(s))
                    for s, d in zip(schools["school_id"], schools["district_id"], strict=True)
                ],
            )
            offer(
                self.instrument,
                [(d.name.get(lang, code), code) for code, d in instrument_registry().items()],
            )
            offer(self.period, [(quarter_label(q, lang), q) for q in self._quarters])
        self.show_templates()
        self.show_rounds()
        if self._last is not None:
            self.outcome.value = self._outcome(self._last)
        if self._rejected is not None:
            self.report.value = self._report(self._rejected)

    def show_templates(self) -> None:
        """Links to the template of the chosen instrument, in Kazakh and Russian, XLSX and CSV."""
        definition = get_instrument(str(self.instrument.value))
        links = [
            download_link(
                build_template(definition, lang=lang, kind=kind),
                filename=(name := template_filename(definition, lang, kind)),
                label=self.t("Download {filename}", filename=name),
                css_class="pcenter-dx-download",
            )
            for lang in ("kk", "ru")
            for kind in ("xlsx", "csv")
        ]
        self.templates.value = " · ".join(links)

    def _progress(self, fraction: float, stage: str) -> None:
        self.progress.value = max(0.0, min(1.0, fraction))
        self.stage.value = self.t(stage)

    def run_import(self) -> None:
        """Import the chosen file; show either the round or the report of every problem."""
        t = self.t
        self.outcome.value, self.report.value = "", ""
        self._last, self._rejected = None, None
        if not self.upload.value:
            self.shell.show_error(t("Choose a file to import first."))
            return
        upload = self.upload.value[0]
        conducted = self.conducted_on.value
        if not isinstance(conducted, date):
            self.shell.show_error(t("Give the date of the screening."))
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
                    lang=self.lang,
                    progress=self._progress,
                    now=self.shell.now(),
                ),
            )
        except ImportRejectedError as rejected:
            self.progress.value = 0.0
            self.stage.value = ""
            self._rejected = rejected
            self.report.value = self._report(rejected)
            self.shell.show_error(rejected.localized(self.lang))
            return
        self.upload.value = ()
        self._last = imported
        self.outcome.value = self._outcome(imported)
        self.shell.show_success(
            t.ngettext(
                "Round {round} was imported: {count} result.",
                "Round {round} was imported: {count} results.",
                imported.result_count,
                round=imported.round_id,
                count=format_count(imported.result_count, self.lang),
            )
        )
        self.state.reload()
        self.state.choose(instrument=imported.instrument)

    def _report(self, rejected: ImportRejectedError) -> str:
        t = self.t
        table = rejected.report(self.lang)
        more = ""
        if rejected.total > len(table):
            more = paragraph(
                t(
                    "The first {shown} of {total} problems are listed.",
                    shown=len(table),
                    total=rejected.total,
                )
            )
        return more + html_table(
            list(table.columns),
            table.itertuples(index=False),
            css_class="pcenter-dx-problems",
            numeric_from=None,
        )

    def _outcome(self, imported: ImportedRound) -> str:
        t, lang = self.t, self.lang
        lines = [
            "<span>"
            + html.escape(
                t.ngettext(
                    *IMPORTED,
                    imported.result_count,
                    round=imported.round_id,
                    count=format_count(imported.result_count, lang),
                    linked=format_count(imported.linked_children, lang),
                    coded=format_count(imported.pseudonymous, lang),
                    anonymous=format_count(imported.anonymous, lang),
                )
            )
            + "</span>"
        ]
        if imported.requests:
            numbers = ", ".join(r.journal_number for r in imported.requests)
            text = t.ngettext(
                *CRITICAL, imported.critical_count, count=imported.critical_count, numbers=numbers
            )
            lines.append(f'<span class="pcenter-critical">{html.escape(text)}</span>')
        if imported.critical_unanswered_rows:
            rows = imported.critical_unanswered_rows
            text = t.ngettext(*UNANSWERED, len(rows), count=len(rows), rows=row_list(rows))
            lines.append(
                f'<span class="pcenter-critical pcenter-dx-unanswered">{html.escape(text)}</span>'
            )
        if imported.without_band_rows:
            rows = imported.without_band_rows
            text = t(WITHOUT_BAND, count=len(rows), rows=row_list(rows))
            lines.append(f'<span class="pcenter-dx-without-band">{html.escape(text)}</span>')
        # each finding a paragraph of its own: read aloud or copied, sentences stay apart
        return "".join(f"<p>{line}</p>" for line in lines)

    def show_rounds(self) -> None:
        """The latest rounds: school, instrument and quarter by name, size, requests raised."""
        t, lang, state = self.t, self.lang, self.state
        names = school_names(state.schools, lang)
        rounds = state.rounds.tail(RECENT_ROUNDS).iloc[::-1]
        rows = [
            (
                int(r["round_id"]),
                names.get(int(r["school_id"]), str(r["school_id"])),
                _instrument_name(str(r["instrument"]), lang),
                quarter_label(str(r["period"]), lang),
                format_count(int(r["result_count"]), lang),
                ", ".join(r["requests"]) or "—",
            )
            for r in rounds.to_dict("records")
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


def _instrument_name(code: str, lang: str) -> str:
    """An instrument by its name in ``lang`` (the code only for one no longer defined)."""
    definition = instrument_registry().get(code)
    return code if definition is None else definition.name.get(lang, code)
