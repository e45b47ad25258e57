"""Intervision services on both engines: planning, phases, attendance hours, series, materials,
the export gate (with attacks that try to get an identifier out) and documentation reviews."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pcenter_lib.deidentify import IdentifierLeakError, PackMaterial
from pcenter_lib.domain.codes import ParticipantOrigin
from pcenter_lib.errors import ConflictError, PermissionDeniedError, ValidationError
from pcenter_lib.intervision import IntervisionFileError, get_format
from pcenter_lib.models import AuditEvent, IntervisionExport, IntervisionMaterialEdit
from pcenter_lib.services import intervision_packs
from pcenter_lib.services.documentation_reviews import list_reviews, reviews_for_study, save_review
from pcenter_lib.services.intervision_materials import draft_material, edit_material
from pcenter_lib.services.intervision_packs import CheckedPack, export_pack, render_docx
from pcenter_lib.services.intervision_series import (
    attendance_hours,
    create_series,
    evaluate_series,
)
from pcenter_lib.services.intervision_sessions import (
    close_session,
    mark_attendance,
    plan_session,
    record_outcomes,
    save_phase_note,
    start_phase,
)
from pcenter_lib.services.intervision_views import ParticipantDraft
from pcenter_lib.workbench import Workbench
from tests.intervision.seed import (
    CHILD_IIN,
    CHILD_NAME,
    METHODOLOGIST,
    MOTHER_NAME,
    OPERATOR,
    PHONE,
    SCHOOL_RU,
    SPECIALIST,
    seed_intervision,
)

START = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)


@pytest.fixture
def bench(any_workbench: Workbench) -> tuple[Workbench, dict[str, int]]:
    return any_workbench, seed_intervision(any_workbench)


def _plan(wb: Workbench, ids: dict[str, int], fmt: str = "incident_method", **kw: object) -> int:
    with wb.sessions.begin() as s:
        view = plan_session(
            s,
            actor=METHODOLOGIST,
            format_code=fmt,
            held_at=START,
            facilitator="Ерлан Сапаров",
            title="Буллинг в 7 классе",
            participants=[
                ParticipantDraft("Мәдина Оспанова"),
                ParticipantDraft(
                    "Алия Нұрланқызы", ParticipantOrigin.SCHOOL, school_id=ids["other_school"]
                ),
            ],
            **kw,  # type: ignore[arg-type]
        )
        return view.id


def _version(wb: Workbench, session_id: int) -> int:
    from pcenter_lib.services.intervision_sessions import read_session

    with wb.sessions() as s:
        return read_session(s, actor=METHODOLOGIST, session_id=session_id).version


def test_a_session_runs_phase_by_phase_and_credits_attendance(bench) -> None:  # type: ignore[no-untyped-def]
    wb, ids = bench
    sid = _plan(wb, ids)
    phases = [p.code for p in get_format("incident_method").phases]
    for minute, phase in enumerate(phases):
        with wb.sessions.begin() as s:
            view = start_phase(
                s,
                actor=METHODOLOGIST,
                session_id=sid,
                phase=phase,
                expected_version=_version(wb, sid),
                now=START + timedelta(minutes=15 * minute),
            )
            view = save_phase_note(
                s,
                actor=METHODOLOGIST,
                session_id=sid,
                phase=phase,
                note=f"итог {phase}",
                expected_version=view.version,
            )
    assert view.status == "running" and view.current_phase == phases[-1]
    with wb.sessions.begin() as s:
        view = record_outcomes(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            learning_points="LP",
            agreements="AG",
            expected_version=view.version,
        )
        with pytest.raises(ValidationError):  # attendance not taken: nobody's hours are guessed
            close_session(s, actor=METHODOLOGIST, session_id=sid, expected_version=view.version)
        first, second = (p.id for p in view.people)
        view = mark_attendance(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            present={first: True, second: False},
            expected_version=view.version,
        )
        end = START + timedelta(minutes=90)
        view = close_session(
            s, actor=METHODOLOGIST, session_id=sid, expected_version=view.version, now=end
        )
    assert view.status == "held"
    assert [n.phase for n in view.notes] == phases and all(n.ended_at for n in view.notes)
    assert [p.credited_minutes for p in view.people] == [90, 0]
    with wb.sessions() as s:
        hours = attendance_hours(
            s, actor=METHODOLOGIST, start=START - timedelta(days=1), end=START + timedelta(days=1)
        )
    assert [(h.full_name, h.sessions, h.hours) for h in hours] == [("Мәдина Оспанова", 1, 1.5)]
    with wb.sessions.begin() as s, pytest.raises(ValidationError):
        save_phase_note(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            phase=phases[0],
            note="later",
            expected_version=view.version,
        )


def test_a_stale_save_is_a_conflict_not_an_overwrite(bench) -> None:  # type: ignore[no-untyped-def]
    wb, ids = bench
    sid = _plan(wb, ids)
    seen = _version(wb, sid)
    with wb.sessions.begin() as s:
        save_phase_note(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            phase="review",
            note="first",
            expected_version=seen,
        )
    with wb.sessions.begin() as s, pytest.raises(ConflictError):
        save_phase_note(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            phase="review",
            note="second",
            expected_version=seen,
        )
    assert _version(wb, sid) == seen + 1


def test_plan_refuses_unknown_format_duplicates_and_other_roles(bench) -> None:  # type: ignore[no-untyped-def]
    wb, _ids = bench
    with wb.sessions.begin() as s, pytest.raises(IntervisionFileError):
        plan_session(
            s,
            actor=METHODOLOGIST,
            format_code="nope",
            held_at=START,
            facilitator="F",
            title="",
            participants=[],
        )
    with wb.sessions.begin() as s, pytest.raises(ValidationError):
        plan_session(
            s,
            actor=METHODOLOGIST,
            format_code="balint_group",
            held_at=START,
            facilitator="F",
            title="",
            participants=[ParticipantDraft("A  B"), ParticipantDraft("a b")],
        )
    with wb.sessions.begin() as s, pytest.raises(PermissionDeniedError):
        plan_session(
            s,
            actor=OPERATOR,
            format_code="balint_group",
            held_at=START,
            facilitator="F",
            title="",
            participants=[],
        )


def test_series_is_evaluated_only_after_its_sessions(bench) -> None:  # type: ignore[no-untyped-def]
    wb, ids = bench
    with wb.sessions.begin() as s:
        series = create_series(
            s,
            actor=METHODOLOGIST,
            title="Осенняя группа",
            facilitator="Ерлан Сапаров",
            planned_sessions=3,
            members=[ParticipantDraft("Мәдина Оспанова")],
        )
    sid = _plan(wb, ids, series_id=series.id)
    with wb.sessions.begin() as s, pytest.raises(ValidationError):
        evaluate_series(
            s,
            actor=METHODOLOGIST,
            series_id=series.id,
            evaluation="Хорошо",
            expected_version=series.version,
        )
    with wb.sessions.begin() as s:
        close_session(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            cancelled=True,
            expected_version=_version(wb, sid),
        )
        done = evaluate_series(
            s,
            actor=METHODOLOGIST,
            series_id=series.id,
            evaluation="Группа сработалась",
            expected_version=series.version,
        )
    assert done.final_evaluation == "Группа сработалась" and done.evaluated_by == METHODOLOGIST
    with wb.sessions.begin() as s, pytest.raises(ConflictError):
        evaluate_series(
            s,
            actor=METHODOLOGIST,
            series_id=series.id,
            evaluation="again",
            expected_version=series.version,
        )


def _draft(wb: Workbench, ids: dict[str, int], sid: int, lang: str = "ru"):  # type: ignore[no-untyped-def]
    with wb.sessions.begin() as s:
        return draft_material(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            case_id=ids["case"],
            lang=lang,
            expected_version=_version(wb, sid),
        )


def test_the_draft_from_a_real_case_holds_no_identity(bench) -> None:  # type: ignore[no-untyped-def]
    wb, ids = bench
    sid = _plan(wb, ids)
    for lang in ("ru", "kk"):
        checked = _draft(wb, ids, sid, lang)
        text = checked.material.text
        assert checked.leaks == ()
        for secret in (
            CHILD_NAME,
            "Айгерім",
            "Сейтова",
            MOTHER_NAME,
            CHILD_IIN,
            PHONE,
            SPECIALIST,
            SCHOOL_RU,
            "Қарасай",
            "14.09.2026",
        ):
            assert secret not in text
        assert (
            "Буллинг" in text or "Bullying" in text or "Қорлау" in text or "буллинг" in text.lower()
        )
    with wb.sessions() as s:
        details = [json.dumps(e.details, ensure_ascii=False) for e in s.scalars(select(AuditEvent))]
    assert not any(secret in d for d in details for secret in (CHILD_NAME, "Сейтова", CHILD_IIN))


ATTACKS = {  # the line an edit adds → the identifier in it
    "child's name in an ending": ("Потом Айгерімнің подруга сказала", "Айгерімнің"),
    "surname in Latin": ("Mother Seitova called", "Seitova"),
    "IIN grouped": ("ИИН 110 315 600 123", "110 315 600 123"),
    "phone": ("звонить 8 (701) 555-12-34", "555-12-34"),
    "school": ("в школе-гимназии № 17", "№ 17"),
    "staff name": ("специалист Жұмабекова вела случай", "Жұмабекова"),
    "participant's name": ("как сказала Мәдина Оспанова", "Оспанова"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_edit_that_reintroduces_an_identifier_cannot_be_exported(bench, attack: str) -> None:  # type: ignore[no-untyped-def]
    wb, ids = bench
    sid = _plan(wb, ids)
    drafted = _draft(wb, ids, sid)
    with wb.sessions.begin() as s:
        checked = edit_material(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            material_id=drafted.material.id,
            title=drafted.material.title,
            text=drafted.material.text + "\n" + ATTACKS[attack][0],
            expected_version=drafted.version,
        )
    assert checked.leaks, "the edit's findings are shown in place"
    for file_format in ("docx", "html"):
        with wb.sessions.begin() as s, pytest.raises(IdentifierLeakError) as refused:
            export_pack(s, actor=METHODOLOGIST, session_id=sid, file_format=file_format, lang="ru")
        message = refused.value.localized("ru")
        assert "«" in message and "▮▮▮" in message
        assert ATTACKS[attack][1] not in message  # the refusal never repeats the identifier
    with wb.sessions() as s:
        assert s.scalars(select(IntervisionExport)).all() == []
        assert len(s.scalars(select(IntervisionMaterialEdit)).all()) == 1


def test_a_fixed_material_exports_as_docx_and_html_registered_and_audited(
    bench, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wb, ids = bench
    sid = _plan(wb, ids)
    drafted = _draft(wb, ids, sid)
    with wb.sessions.begin() as s:
        bad = edit_material(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            material_id=drafted.material.id,
            title=drafted.material.title,
            text=drafted.material.text + "\nМама — Гүлнар.",
            expected_version=drafted.version,
        )
        fixed = edit_material(
            s,
            actor=METHODOLOGIST,
            session_id=sid,
            material_id=drafted.material.id,
            title=drafted.material.title,
            text=drafted.material.text + "\nМама пришла сама.",
            expected_version=bad.version,
        )
    assert bad.leaks and not fixed.leaks
    with wb.sessions.begin() as s:
        docx = export_pack(s, actor=METHODOLOGIST, session_id=sid, file_format="docx", lang="kk")
        page = export_pack(s, actor=METHODOLOGIST, session_id=sid, file_format="html", lang="ru")
    assert b"<h2>" in page.content and "Мама пришла сама." in page.content.decode()
    with wb.sessions() as s:
        rows = s.scalars(select(IntervisionExport).order_by(IntervisionExport.id)).all()
        assert [(r.file_format.value, r.language, r.sha256) for r in rows] == [
            ("docx", "kk", docx.sha256),
            ("html", "ru", page.sha256),
        ]
        audited = [
            e for e in s.scalars(select(AuditEvent)) if e.action == "export_intervision_pack"
        ]
        assert [e.details["sha256"] for e in audited] == [docx.sha256, page.sha256]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by .ci/system-packages"
    source = tmp_path / docx.filename
    source.write_bytes(docx.content)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (tmp_path / source.with_suffix(".txt").name).read_text(encoding="utf-8-sig")
    assert get_format("incident_method").phases[0].name["kk"] in text
    assert "Мама пришла сама." in text and CHILD_NAME not in text


def test_no_pack_is_written_without_the_gate() -> None:
    with pytest.raises(IdentifierLeakError):
        CheckedPack(
            "ru", "Пакет", (PackMaterial("Случай", "Айгерім плачет"),), (), known=("Айгерім",)
        )
    with pytest.raises(TypeError):
        render_docx(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        intervision_packs.render_html(PackMaterial("x", "y"))  # type: ignore[arg-type]


def test_a_documentation_review_is_scored_and_feeds_the_quarter(bench) -> None:  # type: ignore[no-untyped-def]
    from pcenter_lib.intervision import get_checklist

    wb, ids = bench
    checklist = get_checklist("annual_plan")
    answers = {item.code: "met" for item in checklist.items}
    critical = next(item.code for item in checklist.items if item.critical)
    answers[critical] = "not_met"
    with wb.sessions.begin() as s:
        review = save_review(
            s,
            actor=METHODOLOGIST,
            school_id=ids["school"],
            checklist="annual_plan",
            visited_on=date(2026, 11, 3),
            answers=answers,
        )
    assert review.quarter == "2026Q4" and review.critical_gaps == (critical,)
    half = dict(list(answers.items())[:-1])
    with wb.sessions.begin() as s, pytest.raises(IntervisionFileError):
        save_review(
            s,
            actor=METHODOLOGIST,
            school_id=ids["school"],
            checklist="annual_plan",
            visited_on=date(2026, 11, 3),
            answers=half,
        )
    with wb.sessions.begin() as s:
        save_review(
            s,
            actor=METHODOLOGIST,
            school_id=ids["school"],
            checklist="annual_plan",
            visited_on=date(2026, 11, 3),
            answers=answers,
            review_id=review.id,
            expected_version=review.version,
            note="повторно",
        )
    with wb.sessions.begin() as s, pytest.raises(ConflictError):
        save_review(
            s,
            actor=METHODOLOGIST,
            school_id=ids["school"],
            checklist="annual_plan",
            visited_on=date(2026, 11, 3),
            answers=answers,
            review_id=review.id,
            expected_version=review.version,
        )
    with wb.sessions() as s:
        read = reviews_for_study(s, actor=METHODOLOGIST, school_id=ids["school"], quarter="2026Q4")
        assert [r.id for r in read] == [review.id]
        assert len(list_reviews(s, actor=METHODOLOGIST)) == 1
        with pytest.raises(PermissionDeniedError):  # identity-free, but still the study's readers'
            reviews_for_study(s, actor=OPERATOR, school_id=ids["school"], quarter="2026Q4")


def test_a_city_in_a_vignette_is_not_taken_for_the_schools_name() -> None:
    from pcenter_lib.deidentify import find_identifiers

    school = "Школа-гимназия № 14 города Сарыжайлау"
    assert find_identifiers("Семья живёт в городе.", known=[school]) == []
    assert find_identifiers("Семья живёт в Сарыжайлау.", known=[school]) != []
