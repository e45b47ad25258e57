"""Importing a school's round: everything checked first, all or nothing, duplicates refused.

Broken files — wrong columns, values out of range, Windows-1251 or UTF-16 text, an empty file,
a header without rows, a workbook claiming 2 GB when unpacked — each produce a clear report and
leave the database exactly as it was.
"""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics import get_instrument
from pcenter_lib.diagnostics.importing import (
    ColumnsMismatchError,
    ImportLimits,
    ImportRejectedError,
    format_size,
    read_upload,
)
from pcenter_lib.diagnostics.templates import build_template, upload_columns
from pcenter_lib.domain.iin import make_iin
from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.models import (
    AuditEvent,
    Child,
    ChildIdentity,
    Request,
    ScreeningResult,
    ScreeningRound,
)
from pcenter_lib.services.diagnostics import DuplicateRoundError, ImportedRound, import_round
from pcenter_lib.workbench import Workbench
from tests.diagnostics.fixtures import (
    IMPORT_MOMENT,
    SAMPLES,
    Place,
    csv_upload,
    make_region,
    phq_row,
)

ZEROS = [0] * 9
CRITICAL = [1, 1, 2, 1, 0, 1, 2, 1, 2]  # total 11 (moderate), item 9 = 2


@pytest.fixture
def place(workbench: Workbench) -> Place:
    return make_region(workbench)


def run_import(
    workbench: Workbench,
    place: Place,
    data: bytes,
    *,
    filename: str = "round.csv",
    instrument: str = "phq9",
    school: int = 0,
    period: str = "2026Q1",
    actor: str = "methodologist1",
    **kwargs: object,
) -> ImportedRound:
    with workbench.sessions.begin() as session:
        return import_round(
            session,
            actor=actor,
            cipher=workbench.cipher,
            data=data,
            filename=filename,
            instrument=instrument,
            school_id=place.schools[school],
            period=period,
            conducted_on=date(2026, 2, 10),
            lang="ru",
            now=IMPORT_MOMENT,
            **kwargs,  # type: ignore[arg-type]
        )


def counts(session: Session) -> tuple[int, int, int, int]:
    return tuple(  # type: ignore[return-value]
        int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (ScreeningRound, ScreeningResult, Request, AuditEvent)
    )


def refused(
    workbench: Workbench, place: Place, data: bytes, **kwargs: object
) -> ImportRejectedError:
    """Import ``data`` expecting a refusal; assert that nothing at all was written."""
    with workbench.sessions() as session:
        before = counts(session)
    with pytest.raises(ImportRejectedError) as caught:
        run_import(workbench, place, data, **kwargs)  # type: ignore[arg-type]
    with workbench.sessions() as session:
        assert counts(session) == before
    return caught.value


# --- a good round ------------------------------------------------------------------------------


def test_sample_round_is_written_with_its_critical_answer_as_a_priority_request(
    any_workbench: Workbench,
) -> None:
    place = make_region(any_workbench)
    data = (SAMPLES / "phq9_sample.csv").read_bytes()
    imported = run_import(any_workbench, place, data, filename="phq9_sample.csv")
    assert (imported.result_count, imported.critical_count, imported.anonymous) == (12, 1, 12)
    with any_workbench.sessions() as session:
        round_ = session.get(ScreeningRound, imported.round_id)
        assert round_ is not None
        assert (round_.period, round_.school_year, round_.result_count) == (
            "2026Q1",
            "2025-2026",
            12,
        )
        assert round_.content_sha256 == imported.content_sha256
        results = session.scalars(select(ScreeningResult).order_by(ScreeningResult.id)).all()
        assert [r.student_code for r in results][:2] == ["7A-01", "7A-02"]
        critical = [r for r in results if r.critical]
        assert len(critical) == 1 and critical[0].student_code == "7A-07"
        # 3+2+2+3+2+2+2+1+1 = 18: moderately severe; item 9 = 1 is critical
        assert (critical[0].total_score, critical[0].band) == (18.0, "moderately_severe")
        assert critical[0].responses["item_9"] == 1
        assert critical[0].scores == {"total": 18, "total_band": "moderately_severe"}
        request = session.scalars(select(Request)).one()
        assert request.priority_review is True
        assert request.direct_threat is False  # the specialist decides, not the software
        assert (request.source, request.channel) == ("education_organization", "official_platform")
        assert request.origin == f"screening:{imported.round_id}"
        assert [c.concern for c in request.concerns] == ["suicidal"]
        assert request.education_organization_id == place.schools[0]
        assert "7A-07" in request.description and "item_9 = 1" in request.description
        # Rule 16: received Thursday 12 February 2026, two working days → Monday 16th, 23:59:59 +05
        assert request.due_at == datetime(2026, 2, 16, 18, 59, 59, tzinfo=UTC)
        actions = session.execute(select(AuditEvent.action, AuditEvent.entity)).all()
        assert ("import", "screening_round") in actions and ("create", "request") in actions
    assert imported.requests[0].journal_number == request.journal_number
    assert imported.requests[0].file_row == 8


def test_respondents_who_skipped_a_critical_item_are_reported_by_file_row(
    workbench: Workbench, place: Place
) -> None:
    """A skipped item 9 cannot raise a flag: the methodologist must see which rows to check."""
    skipped_item_9 = [0, 1, 0, 1, 0, 1, 0, 1, ""]
    data = csv_upload(
        "phq9",
        [
            phq_row("7A-01", ZEROS),
            phq_row("7A-02", skipped_item_9),
            phq_row("7A-03", CRITICAL),
            phq_row("7A-04", skipped_item_9),
        ],
    )
    imported = run_import(workbench, place, data)
    # header is file row 1, so the respondents stand on rows 2..5
    assert imported.critical_unanswered_rows == (3, 5)
    assert imported.critical_count == 1
    with workbench.sessions() as session:
        details = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "import")
        ).one()
    assert details["critical_unanswered"] == 2


def test_a_round_where_everybody_answered_reports_no_skipped_critical_item(
    workbench: Workbench, place: Place
) -> None:
    imported = run_import(workbench, place, csv_upload("phq9", [phq_row("7A-01", CRITICAL)]))
    assert imported.critical_unanswered_rows == ()


def test_scores_outside_the_norms_are_reported_instead_of_a_silent_empty_band(
    workbench: Workbench, place: Place
) -> None:
    """SDQ self-report norms cover ages 11–17: an 18-year-old is scored but has no band."""
    answers = [1] * 25
    data = csv_upload(
        "sdq_self",
        [
            phq_row("11A-01", answers, grade=11, age=16),
            phq_row("11A-02", answers, grade=11, age=18),
        ],
    )
    imported = run_import(workbench, place, data, instrument="sdq_self")
    assert imported.without_band_rows == (3,)
    with workbench.sessions() as session:
        details = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "import")
        ).one()
    assert details["without_band"] == 1


def test_iin_is_hashed_on_arrival_links_a_known_child_and_is_never_stored(
    workbench: Workbench, place: Place
) -> None:
    known = make_iin(date(2012, 3, 4), "female", 123)
    unknown = make_iin(date(2013, 5, 6), "male", 77)
    with workbench.sessions.begin() as session:
        child = Child(
            code=workbench.cipher.child_code(known), birth_on=date(2012, 3, 4), sex="female"
        )
        session.add(child)
        session.flush()
        session.add(
            ChildIdentity(
                child_id=child.id,
                iin_index=workbench.cipher.blind_index(known),
                full_name_enc=workbench.cipher.encrypt("Test Child") or b"",
            )
        )
        child_id = child.id
    rows = [
        phq_row("", CRITICAL, iin=known),
        phq_row("", ZEROS, iin=unknown, sex="м"),
        phq_row("S-3", ZEROS),
    ]
    imported = run_import(workbench, place, csv_upload("phq9", rows))
    assert (imported.linked_children, imported.pseudonymous, imported.anonymous) == (1, 1, 1)
    with workbench.sessions() as session:
        results = session.scalars(select(ScreeningResult).order_by(ScreeningResult.id)).all()
        assert results[0].child_id == child_id
        assert results[0].student_code == workbench.cipher.child_code(known)
        assert results[1].child_id is None
        assert results[1].student_code == workbench.cipher.child_code(unknown)
        assert session.scalars(select(Request)).one().child_id == child_id
        dump = "\n".join(session.connection().connection.driver_connection.iterdump())  # type: ignore[union-attr]
    assert known not in dump and unknown not in dump


def test_xlsx_template_filled_in_is_imported(workbench: Workbench, place: Place) -> None:
    book = load_workbook(io.BytesIO(build_template(get_instrument("gad7"), lang="kk", kind="xlsx")))
    sheet = book.worksheets[0]
    sheet.append(["K-1", None, 9, 15, "қыз", 3, 3, 3, 3, 0, 0, 0])
    sheet.append(["K-2", None, None, 15, "ұл", 0, 0, 0, 0, 0, 0, None])
    buffer = io.BytesIO()
    book.save(buffer)
    imported = run_import(
        workbench, place, buffer.getvalue(), filename="gad7.xlsx", instrument="gad7"
    )
    assert (imported.result_count, imported.critical_count) == (2, 0)
    with workbench.sessions() as session:
        totals = session.scalars(select(ScreeningResult.band).order_by(ScreeningResult.id)).all()
    assert totals == ["moderate", "minimal"]  # 12 → moderate; 0 of 6 answered → prorated 0


def test_xlsx_template_keeps_iins_as_text_in_every_row_without_empty_rows() -> None:
    """The IIN and student-code columns are text as a whole (leading zeros stay in any row a
    school fills), and the file holds only its header: the app builds it quickly on each open."""
    book = load_workbook(io.BytesIO(build_template(get_instrument("phq9"), lang="ru", kind="xlsx")))
    sheet = book.worksheets[0]
    codes = [column.code for column in upload_columns(get_instrument("phq9"))]
    letters = {code: sheet.cell(row=1, column=k + 1).column_letter for k, code in enumerate(codes)}
    assert sheet.max_row == 1
    for code in ("iin", "student_code"):
        assert sheet.column_dimensions[letters[code]].number_format == "@"
    assert sheet.column_dimensions[letters["age"]].number_format == "General"


def test_progress_is_reported_from_start_to_end(workbench: Workbench, place: Place) -> None:
    seen: list[tuple[float, str]] = []
    run_import(
        workbench,
        place,
        (SAMPLES / "phq9_sample.csv").read_bytes(),
        progress=lambda fraction, stage: seen.append((fraction, stage)),
    )
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert {stage for _, stage in seen} >= {
        "Reading the file",
        "Checking the values",
        "Scoring",
        "Done",
    }


# --- broken files: a clear report and nothing written ---------------------------------------


def test_wrong_columns_are_all_named(workbench: Workbench, place: Place) -> None:
    header = [
        "Код обучающегося [student_code]",
        "Возраст (полных лет) [age]",
        "Фамилия",
        *[f"item_{k}" for k in range(1, 9)],
    ]
    error = refused(
        workbench, place, csv_upload("phq9", [["A", 13, "Иванов", *ZEROS[:8]]], header=header)
    )
    report = error.report("ru")
    assert list(report.columns) == ["Строка", "Столбец", "Значение", "Что ожидается"]
    texts = report["Что ожидается"].tolist()
    assert any("столбец из шаблона" in t for t in texts)  # the name column is refused
    assert any("sex" in t for t in texts)  # a required column is missing
    assert any("item_9" in t for t in texts)  # an answer column is missing
    assert set(report["Строка"]) == {1}


def test_out_of_range_values_are_reported_by_row_column_value_and_expectation(
    workbench: Workbench, place: Place
) -> None:
    rows = [
        phq_row("A", ZEROS),
        phq_row("B", [0, 0, 0, 0, 0, 0, 0, 0, 4]),
        phq_row("C", ZEROS, age=31),
        phq_row("D", ZEROS, sex="x"),
        phq_row("E", ZEROS, grade=14),
        phq_row("A", [0, 1.5, 0, 0, 0, 0, 0, 0, 0]),
    ]
    error = refused(workbench, place, csv_upload("phq9", rows))
    assert error.total == 7
    found = {(p.row, p.column, p.value) for p in error.problems}
    assert found == {
        (2, "Код обучающегося [student_code]", "A"),
        (7, "Код обучающегося [student_code]", "A"),
        (3, "Вопрос 9 [phq9.item_9]", "4"),
        (4, "Возраст (полных лет) [age]", "31"),
        (5, "Пол [sex]", "x"),
        (6, "Класс [grade]", "14"),
        (7, "Вопрос 2 [phq9.item_2]", "1.5"),
    }
    kk = {row[0]: row[3] for row in (p.localized("kk") for p in error.problems) if row[0] == 3}
    assert kk[3] == "0, 1, 2, 3 мәндерінің бірі немесе жауап берілмесе бос ұяшық"


def test_windows_1251_text_is_recognised_and_named(workbench: Workbench, place: Place) -> None:
    data = (
        csv_upload("phq9", [phq_row("А-1", ZEROS)])
        .decode("utf-8")
        .lstrip("\ufeff")
        .encode("cp1251")
    )
    error = refused(workbench, place, data)
    assert "Windows-1251" in str(error.problems[0].localized("en")[3])
    assert "CSV UTF-8" in error.problems[0].localized("ru")[3]


def test_utf16_text_is_refused_with_advice(workbench: Workbench, place: Place) -> None:
    data = csv_upload("phq9", [phq_row("A", ZEROS)]).decode("utf-8").encode("utf-16")
    assert "UTF-16" in str(refused(workbench, place, data).problems[0].localized("en")[3])


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom"])
def test_empty_file_is_refused(workbench: Workbench, place: Place, data: bytes) -> None:
    error = refused(workbench, place, data)
    assert error.problems[0].expected == "The file is empty: it has neither a header nor results."


def test_header_without_rows_is_refused(workbench: Workbench, place: Place) -> None:
    error = refused(workbench, place, csv_upload("phq9", [[""] * 14, []]))
    assert error.problems[0].expected == "The file has a header but no results."


def test_xlsx_claiming_two_gigabytes_is_refused_before_it_is_opened(
    workbench: Workbench, place: Place
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    data = bytearray(buffer.getvalue())
    entry = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)  # the sheet's directory entry
    struct.pack_into("<I", data, entry + 24, 2 * 2**30)  # declared uncompressed size: 2 GiB
    error = refused(workbench, place, bytes(data), filename="huge.xlsx")
    message = error.problems[0].localized("en")[3]
    assert "2.0 GB" in str(message) and "was not opened" in str(message)


def test_file_over_the_size_limit_is_refused(workbench: Workbench, place: Place) -> None:
    data = (SAMPLES / "phq9_sample.csv").read_bytes()
    error = refused(workbench, place, data, limits=ImportLimits(max_file_bytes=100))
    assert error.problems[0].params == {"size": format_size(len(data)), "limit": "100 B"}


def test_old_xls_and_damaged_xlsx_are_refused(workbench: Workbench, place: Place) -> None:
    refused(workbench, place, b"\xd0\xcf\x11\xe0" + b"\0" * 100, filename="old.xls")
    refused(workbench, place, b"PK\x03\x04 not really a zip", filename="broken.xlsx")
    refused(workbench, place, b"a,b\n1,2\n", filename="named.xlsx")


def test_row_with_too_many_fields_names_its_line(workbench: Workbench, place: Place) -> None:
    data = csv_upload("phq9", [phq_row("A", ZEROS), [*phq_row("B", ZEROS), "extra"]])
    problem = refused(workbench, place, data).problems[0]
    assert problem.row == 3 and problem.params == {"expected": 14, "found": 15}


def test_rows_must_say_whose_answers_they_are(workbench: Workbench, place: Place) -> None:
    error = refused(workbench, place, csv_upload("phq9", [phq_row("", ZEROS)]))
    assert error.problems[0].column == "student_code / iin"


def test_invalid_and_repeated_iins_are_reported_without_showing_them(
    workbench: Workbench, place: Place
) -> None:
    good = make_iin(date(2012, 3, 4), "female", 5)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    rows = [
        phq_row("", ZEROS, iin=bad),
        phq_row("", ZEROS, iin=good),
        phq_row("", ZEROS, iin=good),
        phq_row("", ZEROS, iin=make_iin(date(2012, 3, 4), "male", 6)),
    ]
    error = refused(workbench, place, csv_upload("phq9", rows))
    shown = [p.localized("en") for p in error.problems]
    assert all(good not in str(row) and bad not in str(row) for row in shown)
    assert [p.row for p in error.problems] == [2, 3, 4, 5]
    assert error.problems[-1].expected == "male, as the IIN of this row says"


# --- the file's shape ------------------------------------------------------------------------


def test_headers_in_any_language_or_as_codes_and_semicolons_are_accepted(
    workbench: Workbench, place: Place
) -> None:
    columns = upload_columns(get_instrument("phq9"))
    header = [
        columns[0].label_in("kk"),
        "IIN",
        "grade",
        columns[3].header("en"),
        "Пол",
        *[c.code for c in columns[5:]],
    ]
    data = csv_upload("phq9", [phq_row("A", ZEROS, sex="girl")], header=header, separator=";")
    assert run_import(workbench, place, data).result_count == 1


def test_excel_drops_the_leading_zero_of_an_iin_and_the_import_restores_it() -> None:
    iin = make_iin(date(2008, 1, 2), "male", 9)
    assert iin.startswith("0")
    data = csv_upload("phq9", [phq_row("", ZEROS, iin=iin[1:], sex="м")])
    parsed = read_upload(data, filename="x.csv", instrument="phq9")
    assert parsed.answers["iin"].tolist() == [iin]


def test_blank_lines_keep_row_numbers_true_to_the_file() -> None:
    data = csv_upload("phq9", [phq_row("A", ZEROS), [], phq_row("B", ZEROS, age=99)])
    with pytest.raises(ImportRejectedError) as caught:
        read_upload(data, filename="x.csv", instrument="phq9")
    assert [p.row for p in caught.value.problems] == [4]


def test_many_problems_are_counted_and_the_list_is_capped() -> None:
    rows = [phq_row(f"S{k}", ZEROS, age=99) for k in range(30)]
    with pytest.raises(ImportRejectedError) as caught:
        read_upload(
            csv_upload("phq9", rows),
            filename="x.csv",
            instrument="phq9",
            limits=ImportLimits(max_problems=10),
        )
    assert (caught.value.total, len(caught.value.problems)) == (30, 10)


# --- duplicates and rules ------------------------------------------------------------------


def test_the_same_round_is_refused_the_second_time_even_as_xlsx(
    workbench: Workbench, place: Place
) -> None:
    rows = [phq_row("A", ZEROS), phq_row("B", CRITICAL)]
    run_import(workbench, place, csv_upload("phq9", rows))
    with pytest.raises(DuplicateRoundError):
        run_import(workbench, place, csv_upload("phq9", rows, separator=";"), school=1)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.header("kk") for c in upload_columns(get_instrument("phq9"))])
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DuplicateRoundError):
        run_import(workbench, place, buffer.getvalue(), filename="again.xlsx", school=2)
    with workbench.sessions() as session:
        assert counts(session)[:3] == (1, 2, 1)


def test_a_second_round_of_the_same_school_instrument_and_quarter_is_refused(
    workbench: Workbench, place: Place
) -> None:
    run_import(workbench, place, csv_upload("phq9", [phq_row("A", ZEROS)]))
    with pytest.raises(DuplicateRoundError) as caught:
        run_import(workbench, place, csv_upload("phq9", [phq_row("B", ZEROS)]))
    assert "2026Q1" in caught.value.localized("en")
    assert (
        run_import(
            workbench, place, csv_upload("phq9", [phq_row("B", ZEROS)]), school=1
        ).result_count
        == 1
    )


def test_the_screening_date_must_fall_in_the_quarter(workbench: Workbench, place: Place) -> None:
    with pytest.raises(ValidationError):
        run_import(workbench, place, csv_upload("phq9", [phq_row("A", ZEROS)]), period="2025Q4")


def test_only_methodologists_import(workbench: Workbench, place: Place) -> None:
    with pytest.raises(PermissionDeniedError):
        run_import(workbench, place, csv_upload("phq9", [phq_row("A", ZEROS)]), actor="analyst1")


# --- templates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["phq9", "gad7", "sdq_self", "bully_check"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_templates_are_read_back_as_the_instruments_columns(code: str, lang: str) -> None:
    definition = get_instrument(code)
    csv_bytes = build_template(definition, lang=lang, kind="csv")
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    book = load_workbook(io.BytesIO(build_template(definition, lang=lang, kind="xlsx")))
    header = [cell.value for cell in book.worksheets[0][1]]
    assert header == csv_bytes.decode("utf-8-sig").strip().split(",")
    assert [h.rsplit("[", 1)[1].rstrip("]") for h in header] == [
        "student_code",
        "iin",
        "grade",
        "age",
        "sex",
        *(f"{code}.{item}" for item in definition.item_ids),
    ]
    guide = "\n".join(
        str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value
    )
    if code == "sdq_self":
        assert "item_1" in guide and not any(i.text for i in definition.items)
    if code == "bully_check":
        assert definition.items[0].text[lang] in guide


def test_sample_with_errors_lists_each_mistake() -> None:
    with pytest.raises(ImportRejectedError) as caught:
        read_upload(
            (SAMPLES / "phq9_sample_with_errors.csv").read_bytes(),
            filename="e.csv",
            instrument="phq9",
        )
    assert caught.value.total == 5


def test_results_load_back_as_a_categorical_frame(any_workbench: Workbench) -> None:
    from pcenter_lib.services.screening_data import load_results, load_rounds

    place = make_region(any_workbench)
    run_import(any_workbench, place, (SAMPLES / "phq9_sample.csv").read_bytes())
    sdq = [["S1", "", 7, 13, "ж", *([2] * 25)], ["S2", "", 7, 13, "м", *([0] * 24), ""]]
    run_import(any_workbench, place, csv_upload("sdq_self", sdq), instrument="sdq_self", school=3)
    with any_workbench.sessions() as session:
        phq = load_results(session, actor="analyst1", instrument="phq9")
        frame = load_results(session, actor="analyst1", instrument="sdq_self")
        rounds = load_rounds(session, actor="analyst1")
        assert load_results(session, actor="analyst1", instrument="phq9", periods=("2025Q4",)).empty
    assert len(phq) == 12 and int(phq["critical"].sum()) == 1
    assert phq["total"].astype(int).tolist() == [3, 4, 9, 0, 11, 2, 18, 5, 2, 12, 8, 3]
    assert str(phq["total_band"].dtype) == "category" and phq["total_band"].cat.ordered
    assert set(phq["school_id"]) == {place.schools[0]} and set(phq["period"]) == {"2026Q1"}
    assert phq["language"].iloc[0] == "kk" and phq["sex"].iloc[0] == "male"
    # SDQ: every item 2 → reverse-keyed items count 0: emotional 10, conduct 8, hyper 6, peer 6
    first = frame.iloc[0]
    assert (first["emotional"], first["conduct"], first["hyperactivity"], first["peer"]) == (
        10,
        8,
        6,
        6,
    )
    assert first["total"] == 30 and first["total_band"] == "abnormal"
    # all 0 but item 25 blank: peer = 0+2+2+0+0 (items 11, 14 reversed); hyperactivity has
    # items 2, 10, 15, 21r = 0, 0, 0, 2 answered → round-half-up(2 × 5 / 4) = 3
    second = frame.iloc[1]
    assert (second["prosocial"], second["peer"], second["hyperactivity"]) == (0, 4, 3)
    assert rounds["instrument"].tolist() == ["phq9", "sdq_self"]
    assert rounds["requests"].iloc[0] and rounds["requests"].iloc[1] == ()


# --- a file of another instrument ----------------------------------------------------------------


def test_a_file_of_another_instrument_is_named_before_any_duplicate_check(
    workbench: Workbench, place: Place
) -> None:
    bully = (SAMPLES / "bully_check_sample.csv").read_bytes()
    run_import(workbench, place, bully, instrument="bully_check")
    with pytest.raises(ColumnsMismatchError) as refused:
        run_import(workbench, place, bully, instrument="phq9")  # same shape: 9 answers of 0–1
    assert refused.value.other == "bully_check"
    ru = refused.value.localized("ru")
    assert ru.startswith("Столбцы не подходят к методике «Опросник здоровья пациента (PHQ-9)»")
    assert "Опросник травли (буллинга) и кибербуллинга (Центр)" in ru
    assert "already" not in str(refused.value)
    assert "Жәбірлеу (буллинг)" in refused.value.localized("kk")


def test_columns_of_no_known_template_are_said_not_to_fit(
    workbench: Workbench, place: Place
) -> None:
    header = [c.header("ru") for c in upload_columns(get_instrument("gad7"))]
    header = [h.replace("[gad7.", "[") for h in header]  # an older template, untagged
    data = csv_upload("phq9", [phq_row("A", [0] * 7)], header=header)
    with pytest.raises(ColumnsMismatchError) as refused:
        run_import(workbench, place, data, instrument="phq9")
    assert refused.value.other is None
    assert str(refused.value).startswith(
        "The columns do not fit the instrument Patient Health Questionnaire (PHQ-9): 1 problem in "
        "the header row."
    )
    assert "в строке заголовков 1 проблема." in refused.value.localized("ru")
