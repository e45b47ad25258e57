"""The reports as documents: an official letter in DOCX, the same tables in XLSX.

Every report of Rules 20–23 is first built as a ``ReportContent`` — plain text and tables already
suppressed and translated — and only laid out here, so the DOCX and the XLSX of a report can
never disagree. The DOCX follows the usual form of an official letter in Kazakhstan: the
sender's name and the outgoing number and date on the left, the addressee block on the right,
the title, the text, then the signature block with the first head's position and name. Tables
are written by ``documents.add_table`` (sized to their content); a table marked ``chart`` is
drawn as a bar chart with matplotlib above it (hidden counts are not drawn). The XLSX holds a
cover sheet and one sheet per table, numbers as numbers, every text through the formula-safe
writer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pcenter_lib.documents import (
    add_picture,
    add_table,
    append_row,
    document_bytes,
    new_document,
    sheet_name,
    workbook_bytes,
)
from pcenter_lib.formats import format_day, format_number
from pcenter_lib.i18n import N_, Translator

OUTGOING: Final = N_("Outgoing No. {number} of {day}")
SIGNATURE_LINE: Final = "____________________"
PREPARED_BY: Final = N_("Prepared by: {name}")
COVER: Final = N_("Cover")
PERIOD: Final = N_("Period")
ADDRESSEE: Final = N_("Addressee")
NUMBER: Final = N_("Outgoing number")
DATE: Final = N_("Date")
SIGNED_BY: Final = N_("Signed by")


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A table of a report: ``rows`` hold numbers (written in the reader's language) or text."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    chart: bool = False  # draw the second column as bars above the table
    total_row: bool = False  # the last row is the total: not drawn


@dataclass(frozen=True, slots=True)
class ReportSection:
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportContent:
    """Everything a report says, translated and suppressed; the writers only lay it out."""

    lang: str
    title: str
    period_label: str
    sender: str
    addressee: tuple[str, ...]
    number: str
    dated: date
    intro: tuple[str, ...]
    sections: tuple[ReportSection, ...]
    signer_position: str
    signer_name: str
    author: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def tables(self) -> list[ReportTable]:
        return [table for section in self.sections for table in section.tables]


def cell_text(value: object, lang: str) -> str:
    """A cell as the reader reads it: numbers in the language's form, text unchanged."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_number(value, lang)
    if isinstance(value, float):
        return format_number(value, lang, digits=1)
    return str(value)


def bar_chart_png(
    labels: Sequence[str], values: Sequence[object], *, title: str, lang: str
) -> bytes:
    """Horizontal bars of the counts that are published (a hidden count is named, not drawn)."""
    figure = Figure(figsize=(7.5, 0.6 + 0.3 * max(len(labels), 5)), dpi=110)
    axes = figure.subplots()
    numbers = [float(v) if isinstance(v, (int, float)) else 0.0 for v in values]
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, numbers, color="#1f5fa8")
    axes.set_yticks(positions, [str(label) for label in labels], fontsize=8)
    for position, number, shown in zip(positions, numbers, values, strict=True):
        axes.annotate(
            cell_text(shown, lang),
            (number, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.set_xlim(0, max([*numbers, 1.0]) * 1.15)
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _letterhead(document: object, content: ReportContent) -> None:
    t = Translator(content.lang)
    head = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    left.text = content.sender
    left.paragraphs[0].runs[0].bold = True
    left.add_paragraph(
        t(OUTGOING, number=content.number, day=format_day(content.dated, content.lang))
    )
    right.text = content.addressee[0] if content.addressee else ""
    for line in content.addressee[1:]:
        right.add_paragraph(line)
    for paragraph in right.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in paragraph.runs:
            run.bold = True


def render_docx(content: ReportContent) -> bytes:
    """The report as an official letter (A4, margins of the usual letter form)."""
    lang = content.lang
    t = Translator(lang)
    document = new_document(size=10)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    _letterhead(document, content)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(content.title)
    run.bold = True
    run.font.size = Pt(13)
    period = document.add_paragraph(content.period_label)
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in content.intro:
        document.add_paragraph(text).paragraph_format.first_line_indent = Cm(1.25)
    for part in content.sections:
        document.add_heading(part.heading, level=2)
        for text in part.paragraphs:
            document.add_paragraph(text)
        for table in part.tables:
            caption = document.add_paragraph()
            caption.add_run(table.title).italic = True
            if table.chart and table.rows:
                labels = [str(row[0]) for row in table.rows]
                add_picture(
                    document,
                    bar_chart_png(
                        labels, [row[1] for row in table.rows], title=table.title, lang=lang
                    ),
                    width_inches=6.0,
                )
            add_table(
                document,
                list(table.headers),
                [[cell_text(value, lang) for value in row] for row in table.rows],
            )
    for text in content.notes:
        note = document.add_paragraph()
        note.add_run(text).font.size = Pt(10)
    document.add_paragraph()
    signature = document.add_table(rows=1, cols=3)
    cells = signature.rows[0].cells
    cells[0].text, cells[1].text, cells[2].text = (
        content.signer_position,
        SIGNATURE_LINE,
        content.signer_name,
    )
    cells[0].paragraphs[0].runs[0].bold = True
    cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    cells[2].paragraphs[0].runs[0].bold = True
    document.add_paragraph()
    author = document.add_paragraph()
    author.add_run(t(PREPARED_BY, name=content.author)).font.size = Pt(9)
    return document_bytes(document)


def render_xlsx(content: ReportContent) -> bytes:
    """A cover sheet (title, number, date, addressee, period, signer), then one sheet per table."""
    t = Translator(content.lang)
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = sheet_name(t(COVER))
    append_row(cover, [content.title])
    cover["A1"].font = Font(bold=True, size=13)
    append_row(cover, [t(PERIOD), content.period_label])
    append_row(cover, [t(NUMBER), content.number])
    append_row(cover, [t(DATE), content.dated.isoformat()])
    append_row(cover, [t(ADDRESSEE), "; ".join(content.addressee)])
    append_row(cover, [t(SIGNED_BY), f"{content.signer_position} {content.signer_name}"])
    append_row(cover, [])
    for text in (*content.intro, *content.notes):
        append_row(cover, [text])
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 80
    used: set[str] = {cover.title}
    for index, table in enumerate(content.tables, start=1):
        name = sheet_name(f"{index}. {table.title}")
        while name in used:
            name = sheet_name(f"{index}. {name[:25]}") + "_"
        used.add(name)
        sheet = book.create_sheet(name)
        append_row(sheet, [table.title])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, list(table.headers))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            append_row(sheet, list(row))
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDEFGHIJ":
            sheet.column_dimensions[letter].width = 16
    return workbook_bytes(book)
