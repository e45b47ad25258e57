"""Every Kazakh and Russian document the project writes reads the way its language writes figures.

Documents go to akimats and state bodies. The text of every DOCX and XLSX the services write, in
kk and ru, is extracted (paragraphs, tables, headers, the text cells of every sheet) and must hold
no ISO date (``2026-11-24``: written ``24.11.2026``), no decimal point (``1.5``: ``1,5``) and no
quarter code (``2026Q1``: ``2026 ж. I тоқсан``, ``I квартал 2026 г.``).
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from pcenter_lib.diagnostics.view_tables import ViewChoice
from pcenter_lib.formats import format_day
from pcenter_lib.services.journal import JournalFilter
from pcenter_lib.services.journal_export import export_journal_xlsx
from pcenter_lib.services.screening_exports import export_screening_views
from pcenter_lib.services.staffing_exports import build_proposal_docx, build_proposal_xlsx
from pcenter_lib.workbench import Workbench
from tests.diagnostics.test_ppss import written_note
from tests.intake.world import NOW, build_world
from tests.staffing.test_staffing_exports import conflicted_result

LANGS = ("kk", "ru")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
QUARTER_CODE = re.compile(r"\d{4}Q\d")


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    parts = [sheet.title for sheet in book.worksheets]
    for sheet in book.worksheets:
        parts += [
            cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
        ]
    return "\n".join(parts)


def text_of(filename: str, content: bytes) -> str:
    return docx_text(content) if filename.endswith(".docx") else xlsx_text(content)


def misformatted(text: str) -> list[str]:
    found = []
    for name, pattern in (("ISO date", ISO_DATE), ("decimal point", DECIMAL_POINT),
                          ("quarter code", QUARTER_CODE)):
        for hit in pattern.finditer(text):
            line = text[max(0, hit.start() - 40):hit.end() + 40].replace("\n", " ¶ ")
            found.append(f"{name} {hit.group(0)!r} in …{line}…")
    return found


def test_the_checks_catch_what_they_promise() -> None:
    bad = "Сформировано 2026-11-24; доля 12.5 %; 2026Q1"
    assert len(misformatted(bad)) == 3
    assert misformatted("24.11.2026; 12,5 %; I квартал 2026 г.; пункт 24") == []


@pytest.mark.parametrize("lang", LANGS)
def test_dates_are_written_day_month_year(lang: str) -> None:
    assert format_day(date(2026, 11, 24), lang) == "24.11.2026"


def documents(bench: Workbench, lang: str) -> dict[str, bytes]:
    """Every kind of document the services write, in ``lang``, over one small region."""
    out: dict[str, bytes] = {}
    result = conflicted_result()
    for fmt, build in (("xlsx", build_proposal_xlsx), ("docx", build_proposal_docx)):
        out[f"proposal.{fmt}"] = build(
            result, lang=lang, center_name="Орталық", scenario_name="2027", year=2025
        )
    _study_id, note = written_note(bench, lang)
    out["note.docx"] = note.content
    with bench.sessions.begin() as session:
        choice = ViewChoice("phq9", "total", ("moderate", "moderately_severe", "severe"))
        for fmt, name in (("xlsx", "screening.xlsx"), ("docx", "screening.docx")):
            export = export_screening_views(
                session, actor="methodologist1", fmt=fmt,  # type: ignore[arg-type]
                lang=lang, choice=choice,
            )
            out[name] = export.content
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_documents_write_local_dates_numbers_and_quarters(workbench: Workbench, lang: str) -> None:
    found = []
    for name, content in documents(workbench, lang).items():
        found += [f"{lang} {name}: {problem}" for problem in misformatted(text_of(name, content))]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_the_journal_export_writes_local_dates(workbench: Workbench, lang: str) -> None:
    world = build_world(workbench)
    world.register(world.draft())
    with workbench.sessions.begin() as session:
        data = export_journal_xlsx(
            session, actor="supervisor1", cipher=workbench.cipher, flt=JournalFilter(),
            lang=lang, with_identity=False, now=NOW,
        )
    assert misformatted(xlsx_text(data)) == []


def test_file_sizes_are_written_as_each_language_writes_them() -> None:
    from pcenter_lib.formats import format_file_size

    assert format_file_size(3 * 2**19, "ru") == "1,5 МБ"
    assert format_file_size(3 * 2**19, "kk") == "1,5 МБ"  # Cyrillic М, not the Latin M of CLDR
    assert format_file_size(3 * 2**19, "en") == "1.5 MB"
    assert format_file_size(350 * 2**10, "kk") == "350 КБ"
    assert format_file_size(2 * 2**30, "ru") == "2 ГБ"
    assert format_file_size(100, "ru") == "100 Б"
