"""The monthly exchange (Rule 22) on a demo region: figures, agreement, documents, annex, CLI."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from pcenter_lib.domain.reporting import report_period
from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.models import AuditEvent, Report
from pcenter_lib.services.compliance import compliance_report, minutes_report
from pcenter_lib.services.monthly_exchange import build_monthly_exchange
from pcenter_lib.services.report_dispatch import record_report_sent
from pcenter_lib.services.report_registry import list_reports, produce_report
from pcenter_lib.workbench import Workbench
from tests.reports.conftest import MONTH, converted, save_first_page

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# Kazakhstan time is UTC+5: the month's requests by the moment they were received
BOUNDS = ("2026-09-30 19:00:00", "2026-10-31 19:00:00")


def _sql_counts(session, sql: str) -> Counter[str]:
    return Counter(
        {
            str(k): int(n)
            for k, n in session.execute(text(sql), dict(zip(("a", "b"), BOUNDS, strict=True)))
        }
    )


IN_MONTH = "r.received_at >= :a AND r.received_at < :b"


def test_every_count_is_the_count_of_an_independent_sql_query(region: Workbench) -> None:
    with region.sessions() as session:
        data = build_monthly_exchange(session, month=MONTH, lang="ru", now=NOW)
        expected = {
            "source": f"SELECT source, count(*) FROM requests r WHERE {IN_MONTH} GROUP BY source",
            "channel": f"SELECT channel, count(*) FROM requests r WHERE {IN_MONTH} GROUP BY channel",
            "outcome": f"SELECT status, count(*) FROM requests r WHERE {IN_MONTH} GROUP BY status",
            "concern": "SELECT c.concern, count(*) FROM request_concerns c JOIN requests r "
            f"ON r.id = c.request_id WHERE {IN_MONTH} GROUP BY c.concern",
            "sex": "SELECT coalesce(ch.sex, 'unknown'), count(*) FROM requests r LEFT JOIN "
            f"children ch ON ch.id = r.child_id WHERE {IN_MONTH} GROUP BY 1",
            "district": "SELECT coalesce(d.code, 'unknown'), count(*) FROM requests r "
            "LEFT JOIN children ch ON ch.id = r.child_id LEFT JOIN education_organizations e "
            "ON e.id = coalesce(r.education_organization_id, ch.education_organization_id) "
            f"LEFT JOIN districts d ON d.id = e.district_id WHERE {IN_MONTH} GROUP BY 1",
        }
        total = session.execute(
            text(f"SELECT count(*), sum(direct_threat) FROM requests r WHERE {IN_MONTH}"),
            dict(zip(("a", "b"), BOUNDS, strict=True)),
        ).one()
        for dimension, sql in expected.items():
            counted = _sql_counts(session, sql)
            table = data.breakdowns[dimension]
            got = {code: n for code, n in zip(table.codes, table.counts, strict=True) if n}
            assert got == {k: v for k, v in counted.items() if v}, dimension
            assert table.total == sum(counted.values())
    assert total[0] >= 10 and data.requests == total[0]
    assert data.breakdowns["source"].total == total[0]
    # what is published never shows a count of 1 to 4
    for table in data.breakdowns.values():
        for shown in table.shown():
            assert shown == "x" or not 0 < int(shown) < 5


def test_the_report_and_the_compliance_view_count_the_same(region: Workbench) -> None:
    period = report_period("monthly_exchange", MONTH)
    with region.sessions() as session:
        data = build_monthly_exchange(session, month=MONTH, lang="kk", now=NOW)
        view = compliance_report(
            session, actor="manager1", date_from=period.start, date_to=period.end, now=NOW
        )
        minutes = minutes_report(
            session, actor="manager1", date_from=period.start, date_to=period.end
        )
    by_key = {f.key: f for f in view}
    assert [f.key for f in data.figures] == ["rule_16", "rule_18", "rule_22"]
    for figure in data.figures:
        assert (figure.complying, figure.counted, figure.pending) == (
            by_key[figure.key].complying,
            by_key[figure.key].counted,
            by_key[figure.key].pending,
        )
    assert list(data.minutes) == minutes
    assert by_key["rule_16"].counted + by_key["rule_16"].pending == data.requests


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_documents_convert_with_libreoffice_and_hold_the_figures(
    region: Workbench, tmp_path: Path, lang: str
) -> None:
    with region.sessions.begin() as session:
        data = build_monthly_exchange(session, month=MONTH, lang=lang, now=NOW)
        docx = produce_report(
            session,
            actor="manager1",
            kind="monthly_exchange",
            period=MONTH,
            lang=lang,
            fmt="docx",
            now=NOW,
        )
        xlsx = produce_report(
            session,
            actor="methodologist1",
            kind="monthly_exchange",
            period=MONTH,
            lang=lang,
            fmt="xlsx",
            now=NOW,
        )
    title = {"kk": "Орталыққа түскен сұраулар", "ru": "Информация об обращениях"}[lang]
    sources = []
    for exported in (docx, xlsx):
        sources.append(tmp_path / exported.filename)
        sources[-1].write_bytes(exported.content)
    for index, (pdf, words, pages) in enumerate(converted(sources, tmp_path)):
        assert title in words
        assert str(data.requests) in words
        if index == 0:  # the DOCX: a letter of a few pages
            assert 3 <= pages <= 8, pages
            save_first_page(pdf, f"monthly_{lang}_page1")


def test_the_annex_is_the_managements_and_audited(region: Workbench) -> None:
    with region.sessions.begin() as session:
        with pytest.raises(PermissionDeniedError):
            produce_report(
                session,
                actor="methodologist1",
                kind="threat_annex",
                period=MONTH,
                lang="ru",
                fmt="docx",
                now=NOW,
            )
        annex = produce_report(
            session,
            actor="manager1",
            kind="threat_annex",
            period=MONTH,
            lang="ru",
            fmt="xlsx",
            now=NOW,
        )
        row = session.get_one(Report, annex.report_id)
        assert row.restricted and row.sha256 == annex.sha256 and row.outgoing_number
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "report", AuditEvent.entity_id == annex.report_id
            )
        ).one()
        assert event.details["restricted"] is True
        assert annex.report_id not in [
            r.report_id for r in list_reports(session, actor="methodologist1")
        ]
        assert annex.report_id in [r.report_id for r in list_reports(session, actor="manager1")]
        with pytest.raises(PermissionDeniedError):
            record_report_sent(
                session, actor="methodologist1", report_id=annex.report_id, sent_to="x", now=NOW
            )
        sent = record_report_sent(
            session,
            actor="manager1",
            report_id=annex.report_id,
            sent_to="Департамент по защите прав детей",
            now=NOW,
        )
        assert sent.sent_by == "manager1"
        with pytest.raises(ValidationError):
            record_report_sent(
                session, actor="manager1", report_id=annex.report_id, sent_to="again", now=NOW
            )


def test_the_command_line_writes_and_registers_or_refuses_cleanly(
    region: Workbench,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pcenter_lib import cli

    monkeypatch.setattr(cli, "_open_initialised", lambda: region)
    out = tmp_path / "m.xlsx"
    assert (
        cli.main(
            ["report", "monthly_exchange", "--period", MONTH, "--lang", "kk", "--output", str(out)]
        )
        == 0
    )
    assert out.read_bytes()[:2] == b"PK"
    with region.sessions() as session:
        row = session.scalars(select(Report).order_by(Report.id.desc())).first()
        assert (
            row is not None and row.created_by == "system:cli" and row.content == out.read_bytes()
        )
        before = session.scalar(text("SELECT count(*) FROM reports"))
    bad = tmp_path / "bad.docx"
    assert (
        cli.main(["report", "monthly_exchange", "--period", "2026-13", "--output", str(bad)]) == 2
    )
    assert "2026-11" in capsys.readouterr().err
    assert not bad.exists()
    with region.sessions() as session:
        assert session.scalar(text("SELECT count(*) FROM reports")) == before
