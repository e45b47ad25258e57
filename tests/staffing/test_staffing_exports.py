"""The proposal documents: XLSX and DOCX in Kazakh and Russian that LibreOffice opens, audited."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Inches, Pt
from openpyxl import load_workbook
from sqlalchemy import select

from pcenter_lib.documents import column_widths, text_width_em
from pcenter_lib.domain.staffing import StaffCategory
from pcenter_lib.domain.workload import (
    Activity,
    CoreGroup,
    ScenarioParameters,
    ScenarioResult,
    StaffTable,
    WorkloadBaseline,
    evaluate_scenario,
    format_units,
)
from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.models import AuditEvent, Report
from pcenter_lib.services.audit import verify_chain
from pcenter_lib.services.staffing_exports import (
    build_proposal_docx,
    build_proposal_xlsx,
    export_proposal,
    format_cell,
)
from pcenter_lib.workbench import Workbench
from tests.staffing.seed import ANALYST, MANAGER, seed_center

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
CENTER = {"kk": "Психологиялық қолдау орталығы", "ru": "Центр психологической поддержки"}
# words each document must contain, in its language
EXPECTED = {
    "kk": ["Штат бойынша ұсыныс", "негізгі персонал", "24-тармақтың 3) тармақшасымен"],
    "ru": ["Предложение по штатной численности", "основной персонал", "подпунктом 3) пункта 24"],
}


def conflicted_result() -> ScenarioResult:
    """A scenario with every section filled: a cost, a duty line and an auxiliary conflict."""
    baseline = WorkloadBaseline(
        2025,
        246,
        {Activity.REQUESTS: 3000, Activity.CONSULTATIONS: 6000, Activity.VISITS: 300},
        children=150_000,
        schools=300,
    )
    staff = StaffTable(
        10,
        {
            CoreGroup.PSYCHOLOGISTS: 20,
            CoreGroup.SOCIAL_PEDAGOGUES: 5,
            CoreGroup.METHODOLOGISTS: 3,
            CoreGroup.MOBILE_GROUP: 2,
        },
        14,
    )
    rates = dict.fromkeys(StaffCategory, 200000.0)
    return evaluate_scenario(
        baseline,
        staff,
        ScenarioParameters(
            requests_change_percent=20,
            duty_line_posts=1,
            extra_auxiliary_posts=2.5,
            information_campaigns=10,
            salary_rates=rates,
        ),
    )


def build_all(folder: Path) -> list[Path]:
    result = conflicted_result()
    files = []
    for lang in ("kk", "ru"):
        for fmt, build in (("xlsx", build_proposal_xlsx), ("docx", build_proposal_docx)):
            path = folder / f"{fmt}-{lang}.{fmt}"
            path.write_bytes(
                build(
                    result,
                    lang=lang,
                    center_name=CENTER[lang],
                    scenario_name="Жоспар 2027",
                    year=2025,
                )
            )
            files.append(path)
    return files


def test_the_documents_open_in_libreoffice_and_carry_text(tmp_path: Path) -> None:
    files = build_all(tmp_path)
    out = tmp_path / "pdf"
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for source in files:
        pdf = out / f"{source.stem}.pdf"
        assert pdf.is_file(), f"LibreOffice could not convert {source.name}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            lang = source.stem.split("-")[1]
            assert all(word in text for word in EXPECTED[lang][:2]), text[:500]
        else:
            assert len(data) > 10_000, "an empty page would be a few kilobytes"
            assert b"/Font" in data, "a PDF with text embeds fonts"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_docx_says_the_proposal_in_its_language(lang: str) -> None:
    result = conflicted_result()
    content = build_proposal_docx(
        result, lang=lang, center_name=CENTER[lang], scenario_name="Жоспар", year=2025
    )
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    for word in EXPECTED[lang]:
        assert word in text + cells, word
    assert CENTER[lang] in text
    assert len(document.tables) == 4
    proposal = document.tables[0]
    total_row = [c.text for c in proposal.rows[-1].cells]
    assert total_row[4] == format_units(result.total_recommended, lang)
    auxiliary = [c.text for c in proposal.rows[-2].cells]
    assert auxiliary[3:5] == ["16,5", "15"], "need 14 + 2.5 above the cap, proposal kept at 15"
    assert "," in cells, "decimals are written with a comma in kk and ru"


def test_docx_columns_are_never_narrower_than_their_longest_word() -> None:
    document = Document(io.BytesIO(build_proposal_docx(
        conflicted_result(), lang="ru", center_name=CENTER["ru"], scenario_name="П", year=2025
    )))  # fmt: skip
    for table in document.tables:
        size = table.rows[0].cells[0].paragraphs[0].runs[0].font.size or Pt(11)
        for column in table.columns:
            # a line breaks only at a space: the whole text between spaces fits the column
            words = [w for cell in column.cells for w in cell.text.split()]
            widest = max(text_width_em(word) for word in words) * size.emu
            assert column.width >= widest, (words, column.width)
        # the text width of A4 (2.5 and 1 cm margins), landscape for a table a portrait page
        # cannot hold at 8 pt
        wide = sum(c.width for c in table.columns) > Cm(21.0 - 3.5) + 10
        assert (
            sum(c.width for c in table.columns) <= Cm((29.7 if wide else 21.0) - 3.5) + 2000
        )  # twips rounding
    orientations = [section.orientation for section in document.sections]
    assert WD_ORIENT.LANDSCAPE in orientations, "the 8 columns of the proposal need landscape"
    assert orientations[-1] == WD_ORIENT.PORTRAIT, "the page turns back after the wide table"


def test_column_widths_share_the_page_and_keep_words_whole() -> None:
    wide = column_widths(
        ["Категория", "x"], [["очень длинный текст " * 10, "1"]], available=Inches(6), font_size=11
    )
    assert sum(wide) <= Inches(6)
    assert wide[1] >= text_width_em("x") * Pt(11).emu, "a column keeps a letter"
    narrow = column_widths(["Категория"] * 3, [], available=Inches(6), font_size=11)
    assert narrow[0] >= text_width_em("Категория") * Pt(11).emu


def test_widths_are_measured_in_the_widest_font_letter_by_letter() -> None:
    # DejaVu Sans Bold: "Ш" is wider than "г", and a bold Cyrillic word is wider than 0.6 em a
    # letter, the average a Calibri-sized guess took (and LibreOffice broke such words here)
    assert text_width_em("Ш") > text_width_em("г")
    assert text_width_em("Категория") > 0.6 * len("Категория")
    assert text_width_em("16-тармақ") == text_width_em("16-") + text_width_em("тармақ")


def test_the_xlsx_keeps_numbers_as_numbers() -> None:
    result = conflicted_result()
    book = load_workbook(
        io.BytesIO(
            build_proposal_xlsx(
                result, lang="ru", center_name=CENTER["ru"], scenario_name="План", year=2025
            )
        )
    )
    cover = book.worksheets[0]
    values = [row for row in cover.iter_rows(values_only=True) if row and row[0]]
    assert values[0][0] == "Предложение по штатной численности"
    total = next(row for row in values if row[0] == "Итого")
    assert total[4] == result.total_recommended and isinstance(total[4], float | int)
    auxiliary = next(row for row in values if row[0] == "вспомогательный персонал")
    assert auxiliary[1:5] == (14, 0, 16.5, 15)
    assert total[5] == result.net_change
    assert auxiliary[6] == "предел подпункта 3) пункта 24", "each line says what decides it"
    assert total[7] == pytest.approx(result.annual_cost)
    assert len(book.worksheets) == 4


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "text"),
    [
        (None, "ru", 2, ""),
        ("x", "kk", 2, "x"),
        (1234.5, "ru", 2, "1\xa0234,5"),
        (0.333, "kk", 2, "0,33"),
        (7.0, "ru", 0, "7"),
    ],
)
def test_cells_are_written_the_way_the_language_writes_numbers(
    value: float | str | None, lang: str, decimals: int, text: str
) -> None:
    assert format_cell(value, lang, decimals) == text


@pytest.fixture
def bench(workbench: Workbench) -> Workbench:
    seed_center(workbench, with_activity=False)
    return workbench


def test_an_export_is_stored_with_its_hash_and_audited(bench: Workbench) -> None:
    result = conflicted_result()
    with bench.sessions.begin() as session:
        exported = export_proposal(
            session,
            actor=MANAGER,
            fmt="docx",
            lang="kk",
            result=result,
            center_name=CENTER["kk"],
            scenario_name="Жоспар / 2027",
            year=2025,
        )
    assert exported.filename == "staffing-proposal-2025-жоспар-2027-kk.docx"
    with bench.sessions() as session:
        report = session.get(Report, exported.report_id)
        assert report is not None and report.content == exported.content
        assert (report.kind, report.lang, report.sha256) == (
            "staffing_proposal",
            "kk",
            exported.sha256,
        )
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
        assert audit.actor == MANAGER and audit.entity_id == str(report.id)
        assert audit.details["sha256"] == exported.sha256 and audit.details["format"] == "docx"
        assert verify_chain(session).intact


@pytest.mark.parametrize(
    ("actor", "fmt", "lang", "error"),
    [
        (MANAGER, "pdf", "kk", ValidationError),
        (MANAGER, "xlsx", "en", ValidationError),
        (ANALYST, "xlsx", "kk", PermissionDeniedError),
    ],
)
def test_exports_are_refused_for_bad_formats_languages_and_roles(
    bench: Workbench, actor: str, fmt: str, lang: str, error: type[Exception]
) -> None:
    with bench.sessions.begin() as session, pytest.raises(error):
        export_proposal(
            session,
            actor=actor,
            fmt=fmt,
            lang=lang,  # type: ignore[arg-type]
            result=conflicted_result(),
            center_name="C",
            scenario_name="S",
            year=2025,
        )
    with bench.sessions() as session:
        assert session.scalars(select(Report)).first() is None
