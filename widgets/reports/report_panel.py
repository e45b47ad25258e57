"""One tab per report: choose the period, language and addressee, preview it, write DOCX or XLSX.

The preview is the report's own content (``report_registry.build_content``), the same the
documents carry. Writing a file registers it (hash, outgoing number, audit) and offers it for
download; the register tab then lists it with its sending. The restricted annex of direct-threat
requests is offered only to a person whose role may export it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import ClassVar

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.reporting import (
    DEFAULT_THRESHOLD,
    KIND_LABELS,
    MIN_THRESHOLD,
    REPORT_LANGUAGES,
    ReportKind,
    report_period,
)
from pcenter_lib.i18n import LANGUAGE_NAMES, N_
from pcenter_lib.services.report_documents import ReportContent, cell_text
from pcenter_lib.services.report_registry import build_content, default_addressee, produce_report
from widgets.kit import Panel, offer
from widgets.markup import download_link, heading, html_table, note, paragraph
from widgets.reports.state import ReportsState
from widgets.shell import AppShell

WIDE = widgets.Layout(width="40em")


class ReportPanel(Panel[ReportsState]):
    """A report of one kind: its controls, its preview and its files."""

    kind: ClassVar[ReportKind]
    annex: ClassVar[ReportKind | None] = None
    use_case = UseCase.WRITE_REPORTS
    uses_addressee: ClassVar[bool] = True  # the work plan carries the approval block instead
    uses_threshold: ClassVar[bool] = True  # the work plan holds no counts of children

    def __init__(self, shell: AppShell, state: ReportsState) -> None:
        super().__init__(shell, state)
        self.period = widgets.Dropdown(style={"description_width": "initial"})
        self.period.add_class("pcenter-reports-period")
        self.doc_lang = widgets.ToggleButtons(
            options=[(LANGUAGE_NAMES[code], code) for code in REPORT_LANGUAGES],
            value="ru" if shell.lang == "ru" else "kk",
        )
        self.doc_lang.add_class("pcenter-reports-lang")
        self.threshold = widgets.BoundedIntText(
            value=DEFAULT_THRESHOLD,
            min=MIN_THRESHOLD,
            max=50,
            style={"description_width": "initial"},
            layout={"width": "22em"},
        )
        self.addressee = widgets.Textarea(layout=widgets.Layout(width="40em", height="4.5em"))
        self.addressee.add_class("pcenter-reports-addressee")
        self._default_addressee = ""
        self.preview_button = widgets.Button(icon="eye", layout={"width": "max-content"})
        self.preview_button.add_class("pcenter-reports-preview-button")
        self.docx_button = widgets.Button(
            icon="file", button_style="primary", layout={"width": "max-content"}
        )
        self.docx_button.add_class("pcenter-reports-docx")
        self.xlsx_button = widgets.Button(icon="table", layout={"width": "max-content"})
        self.xlsx_button.add_class("pcenter-reports-xlsx")
        self.annex_button = widgets.Button(
            icon="lock", button_style="warning", layout={"width": "max-content"}
        )
        self.annex_button.add_class("pcenter-reports-annex")
        self.intro = widgets.HTML()
        self.links = widgets.HTML()
        self.links.add_class("pcenter-reports-links")
        self.preview = widgets.HTML()
        self.preview.add_class("pcenter-reports-preview")
        self.on_change(self.doc_lang, lambda _lang: self._refresh_addressee())
        self.on_click(self.preview_button, self.show_preview)
        self.on_click(self.docx_button, lambda: self.write(self.kind, "docx"))
        self.on_click(self.xlsx_button, lambda: self.write(self.kind, "xlsx"))
        annex = self.annex
        if annex is not None:
            self.on_click(self.annex_button, lambda: self.write(annex, "docx"))
        buttons: list[widgets.Widget] = [self.preview_button, self.docx_button, self.xlsx_button]
        if annex is not None and self.may(UseCase.EXPORT_THREAT_ANNEX):
            buttons.append(self.annex_button)
        if not self.uses_threshold:
            self.threshold.layout.display = "none"
        if not self.uses_addressee:
            self.addressee.layout.display = "none"
        self.widget.children = (
            self.intro,
            widgets.HBox([self.period, self.doc_lang, self.threshold]),
            self.addressee,
            widgets.HBox(buttons),
            self.links,
            self.preview,
            *self.extra_widgets(),
        )

    # --- what a kind of report adds ---------------------------------------------------------
    def period_options(self, today: date) -> Sequence[tuple[str, str]]:
        """(label, code) of the periods offered, the most likely first."""
        raise NotImplementedError

    def intro_text(self) -> str:
        """One paragraph on what the report is and where it goes."""
        return ""

    def extra_widgets(self) -> Sequence[widgets.Widget]:
        return ()

    # --- rendering ----------------------------------------------------------------------------
    def today(self) -> date:
        return self.shell.now().astimezone(KZ_TZ).date()

    def render(self) -> None:
        t = self.t
        self.intro.value = heading(t(KIND_LABELS[self.kind])) + paragraph(self.intro_text())
        self.period.description = t("Period")
        self.doc_lang.description = t("Document language")
        offer(self.period, list(self.period_options(self.today())))
        self.threshold.description = t("Hide counts below")
        self.addressee.description = t("Addressee")
        self.addressee.placeholder = t("Addressee")
        self.preview_button.description = t("Preview")
        self.docx_button.description = t("Write DOCX")
        self.xlsx_button.description = t("Write XLSX")
        self.annex_button.description = t("Restricted annex (DOCX)")
        self.annex_button.tooltip = t(KIND_LABELS[ReportKind.THREAT_ANNEX])
        self._refresh_addressee()

    def _refresh_addressee(self) -> None:
        """The usual addressee in the document's language, unless the person typed another."""
        with self.workbench.sessions() as session:
            fresh = default_addressee(session, self.kind, str(self.doc_lang.value))
        if self.addressee.value in ("", self._default_addressee):
            with self.quiet():
                self.addressee.value = fresh
        self._default_addressee = fresh

    def chosen_period(self) -> str:
        return str(self.period.value or "")

    def show_preview(self) -> None:
        with self.workbench.sessions() as session:
            content = build_content(
                session,
                actor=self.actor,
                kind=self.kind,
                period=self.chosen_period(),
                lang=str(self.doc_lang.value),
                threshold=int(self.threshold.value),
                addressee=self.addressee.value if self.uses_addressee else None,
                now=self.shell.now(),
            )
        self.preview.value = preview_html(content)

    def write(self, kind: ReportKind, fmt: str) -> None:
        t = self.t
        addressee = self.addressee.value if kind is self.kind and self.uses_addressee else None
        with self.workbench.sessions.begin() as session:
            exported = produce_report(
                session,
                actor=self.actor,
                kind=kind,
                period=self.chosen_period(),
                lang=str(self.doc_lang.value),
                fmt=fmt,
                threshold=int(self.threshold.value),
                addressee=addressee,
                now=self.shell.now(),
            )
        link = download_link(
            exported.content,
            filename=exported.filename,
            label=t("Download {filename}", filename=exported.filename),
            css_class="pcenter-reports-download",
        )
        self.links.value = f"{link} {note('SHA-256 ' + exported.sha256[:16] + '…')}"
        self.state.written += 1
        self.shell.show_success(
            t("The report was registered as report {id}.", id=exported.report_id)
        )


def preview_html(content: ReportContent) -> str:
    """The report as the app previews it: title, addressee, text and every table."""
    lang = content.lang
    parts = [
        f'<div class="pcenter-reports-letter"><p><b>{html.escape(content.sender)}</b></p>',
        "".join(f"<p>{html.escape(line)}</p>" for line in content.addressee),
        heading(content.title, 3),
        paragraph(content.period_label),
        "".join(paragraph(text) for text in content.intro),
    ]
    for section in content.sections:
        parts.append(heading(section.heading, 4))
        parts.extend(paragraph(text) for text in section.paragraphs)
        for table in section.tables:
            parts.append(paragraph(table.title, "pcenter-note"))
            parts.append(
                html_table(
                    table.headers,
                    [[cell_text(value, lang) for value in row] for row in table.rows],
                    css_class="pcenter-reports-table",
                )
            )
    parts.extend(paragraph(text, "pcenter-note") for text in content.notes)
    parts.append(paragraph(f"{content.signer_position} — {content.signer_name}"))
    parts.append("</div>")
    return "".join(parts)


MONTHLY_INTRO = N_(
    "The month's requests counted by concern, source, channel, age, sex, district and outcome, "
    "the compliance figures of Rules 16, 18 and 22 and the minutes to each direct-threat "
    "notification; counts of 1 to 4 children are hidden. It goes to the child-rights body "
    "(Rule 22). The restricted annex lists each direct-threat request with its notices."
)


def _months(today: date, count: int = 13) -> list[date]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class MonthlyPanel(ReportPanel):
    """The monthly exchange with the child-rights body (Rule 22)."""

    title = N_("Monthly exchange")
    css_class = "pcenter-reports-month"
    kind = ReportKind.MONTHLY_EXCHANGE
    annex = ReportKind.THREAT_ANNEX

    def period_options(self, today: date) -> Sequence[tuple[str, str]]:
        months = _months(today)
        months[0], months[1] = months[1], months[0]  # last month first: the usual one to send
        codes = [f"{first.year}-{first.month:02d}" for first in months]
        return [(report_period(self.kind, code).label(self.lang), code) for code in codes]

    def intro_text(self) -> str:
        return self.t(MONTHLY_INTRO)


QUARTERLY_INTRO = N_(
    "Per district the schools studied and screened in the quarter; per school the screening "
    "rounds' completeness and timeliness and its analytical note; requests about children in "
    "difficult situations; and the written recommendations with their sending and the measures "
    "taken. It goes to the education management bodies and schools (Rules 20–21)."
)


class QuarterlyPanel(ReportPanel):
    """The quarterly monitoring of the PPSS and its written recommendations (Rules 20–21)."""

    title = N_("Quarterly PPSS monitoring")
    css_class = "pcenter-reports-quarter"
    kind = ReportKind.PPSS_QUARTERLY

    def __init__(self, shell: AppShell, state: ReportsState) -> None:
        from widgets.reports.recommendations import RecommendationsBox

        self.recommendations = RecommendationsBox(shell, lambda: self.chosen_period())
        super().__init__(shell, state)
        self.on_change(self.period, lambda _value: self.recommendations.show())

    def extra_widgets(self) -> Sequence[widgets.Widget]:
        return (self.recommendations.widget,)

    def period_options(self, today: date) -> Sequence[tuple[str, str]]:
        codes, year, number = [], today.year, (today.month - 1) // 3 + 1
        for _ in range(6):
            codes.append(f"{year}Q{number}")
            year, number = (year, number - 1) if number > 1 else (year - 1, 4)
        codes[0], codes[1] = codes[1], codes[0]  # the quarter just ended first
        return [(report_period(self.kind, code).label(self.lang), code) for code in codes]

    def intro_text(self) -> str:
        return self.t(QUARTERLY_INTRO)

    def render(self) -> None:
        super().render()
        self.recommendations.render()
