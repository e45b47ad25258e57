"""The quarterly PPSS monitoring (Rules 20–21) and the written recommendations of Rule 20."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from pcenter_lib.diagnostics.ppss import DOMAIN_CODES
from pcenter_lib.errors import ConflictError, PermissionDeniedError, ValidationError
from pcenter_lib.services.ppss_monitoring import build_quarterly_monitoring
from pcenter_lib.services.ppss_studies import StudyDraft, record_study, write_analytical_note
from pcenter_lib.services.recommendations import (
    list_recommendations,
    record_measures_taken,
    record_recommendation,
    record_recommendation_sent,
)
from pcenter_lib.services.report_registry import produce_report
from pcenter_lib.workbench import Workbench
from tests.reports.conftest import converted, save_first_page

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
QUARTER = "2026Q3"
SCORES = dict.fromkeys(DOMAIN_CODES, 2)


def test_a_recommendation_is_written_sent_and_followed_up_without_lost_edits(
    region: Workbench,
) -> None:
    with region.sessions.begin() as session:
        with pytest.raises(PermissionDeniedError):
            record_recommendation(
                session, actor="specialist1", quarter=QUARTER, addressee="x", text="y", now=NOW
            )
        made = record_recommendation(
            session,
            actor="methodologist1",
            quarter=QUARTER,
            addressee="Отдел образования района",
            text="Вести журнал консультаций",
            now=NOW,
        )
        with pytest.raises(ValidationError):  # measures only after the sending
            record_measures_taken(
                session,
                actor="methodologist1",
                recommendation_id=made.id,
                expected_version=made.version,
                measures="x",
                now=NOW,
            )
        sent = record_recommendation_sent(
            session,
            actor="methodologist1",
            recommendation_id=made.id,
            expected_version=made.version,
            sent_ref="01-15/7",
            now=NOW,
        )
        with pytest.raises(ConflictError):  # an edit on the copy before the sending
            record_recommendation_sent(
                session,
                actor="manager1",
                recommendation_id=made.id,
                expected_version=made.version,
                sent_ref="again",
                now=NOW,
            )
        done = record_measures_taken(
            session,
            actor="manager1",
            recommendation_id=made.id,
            expected_version=sent.version,
            measures="Журнал заведён",
            now=NOW,
        )
        assert done.version == sent.version + 1 and done.sent_ref == "01-15/7"
        listed = list_recommendations(session, actor="manager1", quarter=QUARTER)
        assert listed[0].id == made.id and listed[0].measures_taken == "Журнал заведён"


def test_the_quarter_counts_what_an_independent_query_counts(region: Workbench) -> None:
    with region.sessions() as session:
        data = build_quarterly_monitoring(session, quarter=QUARTER, lang="ru", threshold=5)
        studied = session.execute(
            text(
                "SELECT count(DISTINCT education_organization_id) FROM ppss_studies WHERE quarter = :q"
            ),
            {"q": QUARTER},
        ).scalar_one()
        screened = session.execute(
            text(
                "SELECT count(DISTINCT education_organization_id), sum(result_count) "
                "FROM screening_rounds WHERE period = :q"
            ),
            {"q": QUARTER},
        ).one()
        schools = session.execute(text("SELECT count(*) FROM education_organizations")).scalar_one()
    assert len(data.schools) == schools
    assert sum(1 for s in data.schools if s.mode is not None) == studied > 0
    assert sum(1 for s in data.schools if s.rounds) == screened[0]
    assert sum(s.respondents for s in data.schools) == screened[1]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_report_links_the_notes_and_converts_with_libreoffice(
    region: Workbench, tmp_path: Path, lang: str
) -> None:
    with region.sessions.begin() as session:
        school_id = session.execute(
            text("SELECT min(id) FROM education_organizations")
        ).scalar_one()
        study = record_study(
            session,
            actor="methodologist1",
            draft=StudyDraft(school_id, QUARTER, "visit", date(2026, 9, 29), SCORES),
        )
        note = write_analytical_note(
            session, actor="methodologist1", study_id=study.id, lang=lang, now=NOW
        )
        record_recommendation(
            session,
            actor="methodologist1",
            quarter=QUARTER,
            addressee="Адресат",
            text="Рекомендация о журнале",
            now=NOW,
        )
        exported = produce_report(
            session,
            actor="methodologist1",
            kind="ppss_quarterly",
            period=QUARTER,
            lang=lang,
            fmt="docx",
            now=NOW,
        )
    source = tmp_path / exported.filename
    source.write_bytes(exported.content)
    ((pdf, words, pages),) = converted([source], tmp_path)
    save_first_page(pdf, f"quarterly_{lang}_page1")
    assert 2 <= pages <= 12
    assert note.filename in words.replace(" ", "") or note.filename in words
    assert "Рекомендация" in words and "журнале" in words
    title = {"kk": "ППСҚ", "ru": "СППС"}[lang]
    assert title in words
