"""The quarterly study of a school's PPSS (Rules 20–21): domains, scale, coverage and the note.

The analytical note must open in LibreOffice: it is converted to PDF with
``/usr/bin/soffice --headless --convert-to pdf`` into the test's folder.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from sqlalchemy import select

from pcenter_lib.diagnostics.ppss import (
    DOMAIN_CODES,
    DOMAINS,
    SCALE,
    check_domain_scores,
    study_coverage,
    summarize_study,
)
from pcenter_lib.errors import ConflictError, PermissionDeniedError, ValidationError
from pcenter_lib.models import AuditEvent, PpssStudy, Report
from pcenter_lib.services.diagnostics import import_round
from pcenter_lib.services.ppss_studies import (
    NoteView,
    StudyDraft,
    list_studies,
    record_study,
    study_coverage_table,
    write_analytical_note,
)
from pcenter_lib.workbench import Workbench
from tests.diagnostics.fixtures import IMPORT_MOMENT, Place, csv_upload, make_region, phq_row

SOFFICE = Path("/usr/bin/soffice")


def scores(value: int | None = 2, **overrides: int | None) -> dict[str, int | None]:
    return {**dict.fromkeys(DOMAIN_CODES, value), **overrides}


def draft(place: Place, **changes: object) -> StudyDraft:
    base = {
        "school_id": place.schools[0],
        "quarter": "2026Q1",
        "mode": "visit",
        "studied_on": date(2026, 2, 20),
        "domain_scores": scores(),
        "findings": "Диагностика 7–9 сыныптарда өткізілді.",
        "recommendations": "Кестені жаңарту\nАта-аналармен кездесу",
    }
    return StudyDraft(**{**base, **changes})  # type: ignore[arg-type]


def test_domains_come_from_rules_20_21_and_the_quality_anchor() -> None:
    assert DOMAIN_CODES[:3] == ("diagnostics_done", "conclusions_written", "recommendations_given")
    assert {"children_covered", "documentation_kept", "reporting_submitted"} <= set(DOMAIN_CODES)
    assert all(domain.source and domain.advice and domain.question for domain in DOMAINS)
    assert sum("Rule 21" in d.source for d in DOMAINS) == 3
    assert sorted(SCALE) == [0, 1, 2, 3]


def test_scores_are_checked() -> None:
    assert check_domain_scores(scores(None)) == dict.fromkeys(DOMAIN_CODES)
    for bad in (scores(4), scores(True), {**scores(), "teaming": 2}):  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            check_domain_scores(bad)
    with pytest.raises(ValidationError):
        check_domain_scores(dict.fromkeys(DOMAIN_CODES[:-1], 1))


@pytest.mark.parametrize(
    ("values", "mean", "level"),
    [
        (scores(3), 3.0, "good"),
        (scores(3, diagnostics_done=2, conclusions_written=1), 2.666667, "good"),  # 0.889
        (scores(2, diagnostics_done=1), 1.888889, "adequate"),  # share 0.63 ≥ 0.60
        (scores(2, diagnostics_done=1, conclusions_written=1), 1.777778, "needs_support"),  # 0.593
        (scores(0), 0.0, "needs_support"),
        (scores(None, diagnostics_done=3), 3.0, "good"),
    ],
)
def test_summary_levels_at_their_boundaries(
    values: dict[str, int | None], mean: float, level: str
) -> None:
    summary = summarize_study(values)
    assert summary.mean == pytest.approx(mean, abs=1e-6) and summary.level == level


def test_nothing_applicable_has_no_level() -> None:
    assert summarize_study(scores(None)).level is None


def test_coverage_studied_due_and_overdue() -> None:
    schools = pd.DataFrame({"school_id": [1, 2, 3, 4]})
    studies = pd.DataFrame(
        {
            "school_id": [1, 2, 3],
            "quarter": ["2026Q2", "2026Q1", "2025Q3"],
            "studied_on": [date(2026, 4, 10), date(2026, 2, 1), date(2025, 9, 1)],
        }
    )
    table = study_coverage(schools, studies, today=date(2026, 5, 20))
    assert table["status"].tolist() == ["studied", "due", "overdue", "overdue"]
    assert table["last_studied_on"].tolist()[:3] == [
        date(2026, 4, 10),
        date(2026, 2, 1),
        date(2025, 9, 1),
    ]
    assert set(table["days_left"]) == {41}  # 20 May → 30 June
    assert table.attrs["quarter"] == "2026Q2"


def test_study_is_recorded_edited_and_a_stale_edit_refused(workbench: Workbench) -> None:
    place = make_region(workbench)
    with workbench.sessions.begin() as session:
        first = record_study(session, actor="methodologist1", draft=draft(place))
    assert first.version == 1 and first.studied_by == "methodologist1"
    with workbench.sessions.begin() as session:
        second = record_study(
            session,
            actor="methodologist1",
            draft=draft(place, mode="desk"),
            study_id=first.id,
            expected_version=1,
        )
    assert (second.version, second.mode) == (2, "desk")
    with pytest.raises(ConflictError), workbench.sessions.begin() as session:
        record_study(
            session,
            actor="methodologist1",
            draft=draft(place),
            study_id=first.id,
            expected_version=1,
        )
    with workbench.sessions() as session:
        assert [s.version for s in list_studies(session, actor="analyst1")] == [2]
        events = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "ppss_study")
        ).all()
    assert events == ["create", "update"]


@pytest.mark.parametrize(
    "changes",
    [
        {"mode": "call"},
        {"quarter": "2026Q5"},
        {"studied_on": date(2026, 4, 1)},
        {"domain_scores": scores(5)},
        {"findings": "x" * 20_001},
        {"domain_scores": scores(None)},
    ],
    ids=["mode", "quarter", "date", "score", "length", "nothing-applicable"],
)
def test_bad_studies_are_refused(workbench: Workbench, changes: dict[str, object]) -> None:
    place = make_region(workbench)
    with pytest.raises(ValidationError), workbench.sessions.begin() as session:
        record_study(session, actor="methodologist1", draft=draft(place, **changes))


def test_a_study_where_nothing_applies_is_refused_saying_why(workbench: Workbench) -> None:
    place = make_region(workbench)
    with pytest.raises(ValidationError) as refused, workbench.sessions.begin() as session:
        record_study(
            session, actor="methodologist1", draft=draft(place, domain_scores=scores(None))
        )
    assert "Score at least one of the 9 domains" in str(refused.value)
    assert refused.value.localized("ru").startswith("Оцените хотя бы одно из 9 направлений")


def test_analysts_may_look_but_not_record(workbench: Workbench) -> None:
    place = make_region(workbench)
    with pytest.raises(PermissionDeniedError), workbench.sessions.begin() as session:
        record_study(session, actor="analyst1", draft=draft(place))


def test_coverage_table_from_the_database(workbench: Workbench) -> None:
    place = make_region(workbench)
    with workbench.sessions.begin() as session:
        record_study(session, actor="methodologist1", draft=draft(place))
        table = study_coverage_table(session, actor="methodologist1", today=date(2026, 3, 1))
    assert table.set_index("school_id")["status"].to_dict() == {
        place.schools[0]: "studied",
        place.schools[1]: "overdue",
        place.schools[2]: "overdue",
        place.schools[3]: "overdue",
    }


def written_note(workbench: Workbench, lang: str) -> tuple[int, NoteView]:
    """Two schools' PHQ-9 rounds, a study of the first, and its analytical note in ``lang``."""
    place = make_region(workbench)
    rows = [phq_row(f"A{k}", [2] * 9) for k in range(12)] + [
        phq_row(f"B{k}", [0] * 9) for k in range(20)
    ]
    other = [phq_row(f"C{k}", [1] * 9) for k in range(40)]
    with workbench.sessions.begin() as session:
        for school, data in ((0, rows), (2, other)):
            import_round(
                session,
                actor="methodologist1",
                cipher=workbench.cipher,
                data=csv_upload("phq9", data),
                filename="r.csv",
                instrument="phq9",
                school_id=place.schools[school],
                period="2026Q1",
                conducted_on=date(2026, 2, 10),
                now=IMPORT_MOMENT,
            )
        study = record_study(
            session,
            actor="methodologist1",
            draft=draft(place, domain_scores=scores(2, documentation_kept=1)),
        )
        note = write_analytical_note(
            session,
            actor="methodologist1",
            study_id=study.id,
            lang=lang,
            now=datetime(2026, 2, 21, 6, 0, tzinfo=UTC),
        )
    return study.id, note


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_analytical_note_is_registered_with_its_hash_and_opens_in_libreoffice(
    workbench: Workbench, tmp_path: Path, lang: str
) -> None:
    study_id, note = written_note(workbench, lang)
    assert note.sha256 == hashlib.sha256(note.content).hexdigest()
    assert note.filename == f"analytical_note_000000000001_2026Q1_{lang}.docx"
    with workbench.sessions() as session:
        report = session.get(Report, note.report_id)
        assert (
            report is not None and report.sha256 == note.sha256 and report.content == note.content
        )
        assert (report.kind, report.period, report.lang) == ("analytical_note", "2026Q1", lang)
        stored = session.get(PpssStudy, study_id)
        assert stored is not None and stored.report_id == note.report_id
        assert (
            session.scalars(select(AuditEvent).where(AuditEvent.entity == "report")).one().action
            == "export"
        )

    document = Document(io.BytesIO(note.content))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    title = {"kk": "Талдамалық анықтама", "ru": "Аналитическая справка"}[lang]
    school = {"kk": "№1 мектеп", "ru": "Школа №1"}[lang]
    assert title in body and school in body
    specialist = [row for row in cells if row[0] in ("Маман", "Специалист")]
    assert specialist == [[specialist[0][0], "Saule M."]], "named by name, not by login"
    assert "Кестені жаңарту" in body  # the specialist's recommendation
    advice = {"kk": "Қызмет құжаттамасын жаңартып", "ru": "Привести документацию службы"}[lang]
    assert advice in body  # documentation_kept scored 1 → the standard recommendation
    # school: 12 of 32 at 18 points (moderately severe); district 1 = the school; region 12 of 72
    figures = [row for row in cells if row[1:3] in (["32", "12"], ["72", "12"])]
    share = {"kk": "37,5%", "ru": "37,5\xa0%"}[lang]  # as each language writes 12 of 32
    assert len(document.inline_shapes) == 1, "the screening figures are drawn as a chart too"
    assert len(figures) == 3 and any(row[3] == share for row in figures)

    assert SOFFICE.exists(), "LibreOffice is needed to check the note opens"
    source = tmp_path / note.filename
    source.write_bytes(note.content)
    completed = subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = source.with_suffix(".pdf")
    assert pdf.exists(), completed.stderr.decode(errors="replace")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_note_only_in_kazakh_or_russian(workbench: Workbench) -> None:
    place = make_region(workbench)
    with workbench.sessions.begin() as session:
        study = record_study(session, actor="methodologist1", draft=draft(place))
    with pytest.raises(ValidationError), workbench.sessions.begin() as session:
        write_analytical_note(session, actor="methodologist1", study_id=study.id, lang="en")
