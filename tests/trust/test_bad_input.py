"""Bad input gets a clear, row-level error in the person's language; nothing escapes raw.

The attacks: an unbalanced CSV quote, a NUL character (which PostgreSQL cannot store) and a lone
surrogate each escaped the screening import as a raw exception; names that differ only by an
invisible character (a bidi override, a zero-width space) or by Unicode form looked alike but
were stored as different people; the ``pcenter`` command printed a traceback on an unexpected
error.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pcenter_lib.cli import main
from pcenter_lib.diagnostics.importing import ImportRejectedError
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.models import Child, ScreeningRound
from pcenter_lib.services.child_search import find_children
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.diagnostics import import_round
from pcenter_lib.workbench import Workbench
from tests.diagnostics.fixtures import IMPORT_MOMENT, csv_upload, make_region, phq_row
from tests.intake.world import IntakeWorld, build_world
from tests.trust.conftest import command_home


def _import(bench: Workbench, data: bytes, filename: str = "school.csv") -> object:
    place = make_region(bench)
    with bench.sessions.begin() as session:
        return import_round(
            session, actor="methodologist1", cipher=bench.cipher, data=data, filename=filename,
            instrument="phq9", school_id=place.schools[0], period="2026Q1",
            conducted_on=date(2026, 2, 10), now=IMPORT_MOMENT,
        )


def _rows(*codes: str) -> bytes:
    return csv_upload("phq9", [phq_row(code, [1] * 9) for code in codes])


def _rejected_at(bench: Workbench, data: bytes) -> list[list[object]]:
    with pytest.raises(ImportRejectedError) as caught:
        _import(bench, data)
    with bench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ScreeningRound)) == 0
    assert caught.value.localized("ru") != caught.value.localized("en")
    return [problem.localized("en") for problem in caught.value.problems]


def test_an_unclosed_quote_is_named_by_its_row(any_workbench: Workbench) -> None:
    data = _rows("S-1", "S-2", "S-3").replace(b"S-2", b'"S-2')
    (problem,) = _rejected_at(any_workbench, data)
    assert problem[0] == 3 and "closing quote" in str(problem[3])


def test_a_nul_character_is_a_row_level_error_on_both_engines(any_workbench: Workbench) -> None:
    data = _rows("S-1", "S-2").replace(b"S-2", b"S-\x002")
    (problem,) = _rejected_at(any_workbench, data)
    assert problem[0] == 3 and "student_code" in str(problem[1]) and "U+0000" in str(problem[2])


def test_a_lone_surrogate_is_a_row_level_error(any_workbench: Workbench) -> None:
    broken = "S-\ud800".encode("utf-8", "surrogatepass")  # what a careless converter writes
    (problem,) = _rejected_at(any_workbench, _rows("S-1", "S-2").replace(b"S-2", broken))
    assert problem[0] == 3 and "broken" in str(problem[3])


def test_a_lone_surrogate_in_the_file_name_is_kept_storable(any_workbench: Workbench) -> None:
    done = _import(any_workbench, _rows("S-1"), filename="school\ud800.csv")
    with any_workbench.sessions() as session:
        stored = session.scalars(select(ScreeningRound.source_filename)).one()
    assert done is not None and stored.startswith("school") and "\ud800" not in stored


@pytest.fixture
def world(any_workbench: Workbench) -> IntakeWorld:
    return build_world(any_workbench)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Nurlan\u202e Serikov", "U+202E"),  # right-to-left override
        ("Nur\u200blan Serikov", "U+200B"),  # zero-width space
        ("Nurlan\u2066 Serikov", "U+2066"),  # left-to-right isolate
        ("Nurlan\x07 Serikov", "U+0007"),  # a control character
    ],
    ids=["bidi-override", "zero-width", "isolate", "control"],
)
def test_invisible_characters_in_a_name_are_refused_clearly(
    world: IntakeWorld, name: str, code: str
) -> None:
    draft = world.draft(child=ChildDraft(full_name=name, birth_date=date(2012, 1, 5), sex="male"))
    with pytest.raises(IntakeValidationError) as caught:
        world.register(draft)
    assert code in str(caught.value)
    assert code in caught.value.localized("kk") and caught.value.localized("kk") != str(caught.value)
    with world.bench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 0


def test_a_nul_in_free_text_is_refused_before_it_reaches_the_database(world: IntakeWorld) -> None:
    with pytest.raises(IntakeValidationError, match="U\\+0000"):
        world.register(world.draft(description="Calls after\x00 school"))


def test_names_are_stored_in_one_unicode_form_and_found_in_any(world: IntakeWorld) -> None:
    composed = "Айгерім Ерболқызы"  # й and ё decompose in NFD
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    draft = world.draft(
        applicant_name=decomposed,
        child=ChildDraft(full_name=decomposed, birth_date=date(2012, 1, 5), sex="female"),
    )
    world.register(draft)
    # the name search matches whole words of the name (a keyed index of each word), typed in
    # either form
    with world.bench.sessions.begin() as session:
        found = find_children(
            session, actor="supervisor1", cipher=world.bench.cipher, query=composed.split()[0]
        )
        again = find_children(
            session, actor="supervisor1", cipher=world.bench.cipher, query=decomposed.split()[0]
        )
    assert [m.full_name for m in found] == [composed] == [m.full_name for m in again]


def test_the_command_never_shows_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command_home(monkeypatch, tmp_path, "ru")
    assert main(["init-db"]) == 0
    capsys.readouterr()

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("pcenter_lib.services.users.list_users", explode)
    assert main(["users", "list"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "disk on fire" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "pcenter.log" in lines[0] and "справочный номер" in lines[0]
    log = (tmp_path / "pcenter.log").read_text()
    assert "Traceback" in log and "disk on fire" in log
    reference = lines[0].split("(")[1].split(")")[0].split()[-1]
    assert reference in log
