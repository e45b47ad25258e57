"""Exporting the diagnostics views: the tables chosen, small cells suppressed, written, audited.

What leaves the Center is decided here, not in the app (Rule 14): the service reads the results
the actor may see, builds the same tables the app shows (``diagnostics.view_tables``), hides
every count under the threshold and whatever would reveal it (``exports.publishable_*``), writes
XLSX (numbers as numbers), DOCX (figures in the reader's language, each table with its chart)
or a PNG chart, and records the export in the audit trail with the filter that made it.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import datetime
from typing import Final, Literal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.exports import (
    SHARE_COLUMNS,
    format_figures,
    publishable_bands,
    publishable_groups,
    shares_chart_png,
    suppression_note,
)
from pcenter_lib.diagnostics.suppression import DEFAULT_THRESHOLD, TOTAL_LABEL
from pcenter_lib.diagnostics.view_tables import (
    SHARE_VIEWS,
    VIEW_TITLES,
    ViewChoice,
    ViewTable,
    build_view,
)
from pcenter_lib.documents import (
    MEDIA_TYPES,
    ExportedFile,
    add_picture,
    add_table,
    append_row,
    document_bytes,
    new_document,
    sheet_name,
    workbook_bytes,
)
from pcenter_lib.domain.access import UseCase, require
from pcenter_lib.errors import ValidationError
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.audit import record_event
from pcenter_lib.services.screening_data import load_results, load_schools
from pcenter_lib.services.users import load_actor

ScreeningFormat = Literal["xlsx", "docx", "png"]
EXPORTED_VIEWS: Final = tuple(VIEW_TITLES)
MIN_THRESHOLD: Final = 3  # below three children a count identifies too easily to be published
TITLE: Final = N_("{instrument}: screening results")
TOTAL_ROW: Final = N_("Total")


def publishable_view(view: ViewTable, threshold: int) -> pd.DataFrame:
    """The view's figures as they may leave the Center, with a translated total row name."""
    if view.kind == "bands":
        out = publishable_bands(view.frame, threshold=threshold)
    else:
        out = publishable_groups(
            view.frame.drop(columns=["rank"], errors="ignore"), threshold=threshold
        )
    return out


def _named(frame: pd.DataFrame, view: ViewTable, t: Translator) -> pd.DataFrame:
    renamed = frame.rename(index={TOTAL_LABEL: t(TOTAL_ROW)})
    return renamed[[c for c in view.headers if c in renamed.columns]]


def export_screening_views(
    session: Session,
    *,
    actor: str,
    choice: ViewChoice,
    fmt: ScreeningFormat,
    lang: str,
    threshold: int = DEFAULT_THRESHOLD,
    chart_view: str = "prevalence",
    results: pd.DataFrame | None = None,
    schools: pd.DataFrame | None = None,
    now: datetime | None = None,
) -> ExportedFile:
    """The views under ``choice`` as XLSX, DOCX (tables with charts) or a PNG chart; audited.

    ``results`` and ``schools`` may be the frames the app already holds (read by the same
    services for the same actor); they are read here otherwise.
    """
    who = require(load_actor(session, actor), UseCase.EXPORT_RESULTS)
    if fmt not in ("xlsx", "docx", "png"):
        raise ValidationError(N_("Unknown export format {fmt!r}; use xlsx, docx or png."), fmt=fmt)
    if threshold < MIN_THRESHOLD:
        raise ValidationError(
            N_("Counts under {low} are always hidden; {threshold} is too low a threshold."),
            low=MIN_THRESHOLD,
            threshold=threshold,
        )
    t = Translator(lang)
    if results is None:
        results = load_results(session, actor=actor, instrument=choice.instrument)
    if schools is None:
        schools = load_schools(session, actor=actor)
    tables = [build_view(key, results, schools, choice, t) for key in EXPORTED_VIEWS]
    published = [(view, _named(publishable_view(view, threshold), view, t)) for view in tables]
    definition = choice.definition
    title = t(TITLE, instrument=definition.name.get(lang, definition.code))
    moment = now or utcnow()
    note = suppression_note(lang, threshold)
    if fmt == "xlsx":
        content = views_to_xlsx(published, title=title, note=note, lang=lang)
    elif fmt == "docx":
        content = _docx(published, title=title, note=note, lang=lang, moment=moment)
    else:
        if chart_view not in SHARE_VIEWS:
            raise ValidationError(
                N_("Only views of shares are drawn: {views}."), views=", ".join(SHARE_VIEWS)
            )
        view, table = next((v, p) for v, p in published if v.key == chart_view)
        content = _chart(view, table, lang)
    filename = f"diagnostics_{choice.instrument}_{choice.scale}.{fmt}"
    digest = hashlib.sha256(content).hexdigest()
    record_event(
        session,
        actor=who.username,
        action="export",
        entity="diagnostics",
        details={
            "what": "screening_views",
            "format": fmt,
            "lang": lang,
            "instrument": choice.instrument,
            "scale": choice.scale,
            "top_bands": list(choice.top_bands),
            "threshold": threshold,
            "filter": {k: list(v) for k, v in asdict(choice.selection).items()},
            "filename": filename,
            "sha256": digest,
        },
    )
    return ExportedFile(filename, content, MEDIA_TYPES[fmt], digest)


def _chart(view: ViewTable, table: pd.DataFrame, lang: str) -> bytes:
    rows = table.drop(index=[i for i in table.index if i not in view.frame.index])
    if view.chart_rows is not None:
        rows = rows.iloc[: view.chart_rows]
    labels = [str(label) for label in rows.index]
    return shares_chart_png(labels, list(rows["share"]), title=view.title, lang=lang)


def views_to_xlsx(
    published: list[tuple[ViewTable, pd.DataFrame]], *, title: str, note: str, lang: str
) -> bytes:
    """One sheet per view: title, note, a bold header row, then the rows (numbers as numbers)."""
    book = Workbook()
    for index, (view, table) in enumerate(published):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = sheet_name(view.title)
        append_row(sheet, [title])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, [note])
        append_row(sheet, [])
        append_row(sheet, [view.first, *(view.headers[c] for c in table.columns)])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for label, row in table.iterrows():
            append_row(sheet, [label, *row])
            for cell, column in zip(sheet[sheet.max_row][1:], table.columns, strict=True):
                if column in SHARE_COLUMNS and isinstance(cell.value, float):
                    cell.number_format = "0.0%"
    return workbook_bytes(book)


def _docx(
    published: list[tuple[ViewTable, pd.DataFrame]],
    *,
    title: str,
    note: str,
    lang: str,
    moment: datetime,
) -> bytes:
    """A heading, then per view its chart (views of shares) and its table, figures as text."""
    t = Translator(lang)
    document = new_document()
    document.add_heading(title, level=1)
    document.add_paragraph(t("Prepared on {moment}.", moment=format_moment(moment, lang)))
    document.add_paragraph(note)
    for view, table in published:
        document.add_heading(view.title, level=2)
        if view.key in SHARE_VIEWS and len(table):
            add_picture(document, _chart(view, table, lang))
        shown = format_figures(table, lang)
        add_table(
            document,
            [view.first, *(view.headers[c] for c in shown.columns)],
            [[label, *row] for label, row in shown.iterrows()],
        )
    return document_bytes(document)
