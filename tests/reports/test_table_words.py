"""No word of a DOCX table is broken across lines when LibreOffice sets it with the fonts it has.

This machine has only DejaVu fonts, wider than the Calibri the documents name: LibreOffice
substitutes DejaVu Sans, so a column sized for Calibri breaks "Категория" in the middle. Every
kind of document with tables (the monthly, quarterly and annual reports, the analytical note,
the staffing proposal) is converted in Kazakh and Russian; each line break of the PDF text is
checked against the words of the tables: a word of a cell whose two halves end one line and
start the next was split.
"""

from __future__ import annotations

import io
import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2
from docx import Document
from pypdf import PdfReader
from sqlalchemy import text

from pcenter_lib.diagnostics.ppss import DOMAIN_CODES
from pcenter_lib.services.ppss_studies import StudyDraft, record_study, write_analytical_note
from pcenter_lib.services.report_registry import produce_report
from pcenter_lib.services.staffing_exports import build_proposal_docx
from pcenter_lib.workbench import Workbench
from tests.reports.conftest import MONTH, converted
from tests.staffing.test_staffing_exports import CENTER, conflicted_result

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SHOTS = Path("/work/shots/polish")
REPORTS = (
    ("monthly_exchange", MONTH),
    ("ppss_quarterly", "2026Q3"),
    ("annual_report", "2025-2026"),
    ("work_plan", "2026-2027"),
)


def table_words(content: bytes) -> set[str]:
    """Every word (between spaces) of the table cells of a DOCX, but those its running text has
    too (a paragraph may break a long word at its hyphen; the PDF's text does not say where a
    line stood)."""
    document = Document(io.BytesIO(content))
    running = {word for paragraph in document.paragraphs for word in paragraph.text.split()}
    return {
        word
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for word in cell.text.split()
    } - running


def split_words(pdf: Path, words: set[str]) -> list[str]:
    """The table words the PDF's text breaks across a line: ``Катего|рия`` → ``Категория``."""
    found = []
    for page in PdfReader(pdf).pages:
        lines = [line.split() for line in page.extract_text().splitlines()]
        for before, after in itertools.pairwise(lines):
            if not before or not after:
                continue
            end, start = before[-1], after[0]
            joined = end + start
            if joined in words and not (end in words and start in words):
                found.append(f"{end}|{start}")
    return found


def _documents(region: Workbench, folder: Path) -> list[tuple[str, Path, bytes]]:
    made: list[tuple[str, Path, bytes]] = []
    with region.sessions.begin() as session:
        school_id = session.execute(text("SELECT max(id) FROM education_organizations")).scalar()
        study = record_study(
            session,
            actor="methodologist1",
            draft=StudyDraft(
                school_id, "2026Q3", "visit", date(2026, 9, 29), dict.fromkeys(DOMAIN_CODES, 2)
            ),
        )
        for lang in ("kk", "ru"):
            note = write_analytical_note(
                session, actor="methodologist1", study_id=study.id, lang=lang, now=NOW
            )
            made.append((f"note_{lang}", folder / f"note_{lang}.docx", note.content))
            for kind, period in REPORTS:
                exported = produce_report(
                    session,
                    actor="manager1",
                    kind=kind,
                    period=period,
                    lang=lang,
                    fmt="docx",
                    now=NOW,
                )
                made.append((f"{kind}_{lang}", folder / f"{kind}_{lang}.docx", exported.content))
    for lang in ("kk", "ru"):
        content = build_proposal_docx(
            conflicted_result(),
            lang=lang,
            center_name=CENTER[lang],
            scenario_name="Жоспар",
            year=2025,
        )
        made.append((f"proposal_{lang}", folder / f"proposal_{lang}.docx", content))
    return made


def test_no_word_of_a_table_is_split_across_lines(region: Workbench, tmp_path: Path) -> None:
    made = _documents(region, tmp_path)
    for _name, path, content in made:
        path.write_bytes(content)
    pdfs = converted([path for _name, path, _content in made], tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    broken = {}
    for (name, _path, content), (pdf, _words, _pages) in zip(made, pdfs, strict=True):
        pypdfium2.PdfDocument(pdf)[0].render(scale=1.3).to_pil().save(SHOTS / f"{name}.png")
        split = split_words(pdf, table_words(content))
        if split:
            broken[name] = split
    assert broken == {}
