"""Finding the right child, once: blind-index search, provisional records completed and merged.

The name search reads the keyed index of name words and decrypts only the children it shows
(the old search decrypted every child on every call). A provisional child is completed later
or merged into the known child; the merge keeps both histories and is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from pcenter_lib.errors import ValidationError
from pcenter_lib.keyring import new_keyring, write_key_file
from pcenter_lib.models import (
    AuditEvent,
    Child,
    ChildIdentity,
    ChildNameToken,
    Consent,
    Request,
    RequestAmendment,
)
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.child_records import (
    MERGED_REASON,
    ChildAlreadyRecordedError,
    ChildCompletion,
    backfill_name_index,
    complete_child_record,
    merge_children,
)
from pcenter_lib.services.child_search import find_children, identity_matches
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.consent_records import record_consent
from pcenter_lib.services.key_binding import KeyMismatchError
from pcenter_lib.workbench import initialise_database
from tests.intake.world import BOY_14, NOW, IntakeWorld, iin_for


@pytest.fixture
def decryptions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts every identity field decrypted while the test runs."""
    calls: list[int] = []
    original = IdentityCipher.decrypt

    def counting(self: IdentityCipher, token: bytes | None) -> str | None:
        calls.append(1)
        return original(self, token)

    monkeypatch.setattr(IdentityCipher, "decrypt", counting)
    yield calls


def _register_children(world: IntakeWorld, count: int) -> None:
    for serial in range(count):
        world.register(
            world.draft(
                child=ChildDraft(
                    full_name=f"Pupil{serial} Testov",
                    iin=iin_for(date(2012, 1, 1) + timedelta(days=serial), "male", 100 + serial),
                    education_organization_id=world.other_school_id,
                    grade=6,
                ),
                confirm_duplicate=True,
            )
        )


def test_name_search_decrypts_only_the_children_it_shows(
    world: IntakeWorld, decryptions: list[int]
) -> None:
    _register_children(world, 25)
    target = world.register(world.draft())  # Nurlan Serikov, 14, school 1
    decryptions.clear()
    with world.bench.sessions.begin() as session:
        matches = find_children(
            session, actor="operator1", cipher=world.bench.cipher, query="SERIKOV nurlan"
        )
        requests = identity_matches(
            session, actor="operator1", cipher=world.bench.cipher, text="serikov"
        )
    (match,) = matches
    assert match.child_id == target.child_id and match.full_name == "Nurlan Serikov"
    assert (match.birth_on, match.education_organization_id, match.grade) == (
        BOY_14,
        world.school_id,
        None,
    )
    assert len(decryptions) == 1  # the one name shown, not 26
    assert requests == {target.id}


def test_kazakh_and_russian_spellings_find_the_same_child(world: IntakeWorld) -> None:
    world.register(world.draft(child=ChildDraft(full_name="Нұрлан Серіков", iin=iin_for(BOY_14))))
    with world.bench.sessions.begin() as session:
        for query in ("Нурлан Сериков", "серіков", "НҰРЛАН"):
            found = find_children(
                session, actor="operator1", cipher=world.bench.cipher, query=query
            )
            assert [m.full_name for m in found] == ["Нұрлан Серіков"], query
        assert (
            find_children(session, actor="operator1", cipher=world.bench.cipher, query="Сер") == []
        )


def _provisional(world: IntakeWorld) -> tuple[int, int]:
    done = world.register(
        world.draft(
            child=ChildDraft(
                full_name="Nurik", approx_age=14, grade=8, education_organization_id=world.school_id
            ),
            description="A boy called Nurik, grade 8, does not want to live",
        )
    )
    assert done.child_id is not None and done.provisional_child
    return done.id, done.child_id


def test_a_provisional_record_is_completed_later(world: IntakeWorld) -> None:
    _request_id, child_id = _provisional(world)
    with world.bench.sessions.begin() as session:
        child = complete_child_record(
            session,
            actor="operator1",
            cipher=world.bench.cipher,
            child_id=child_id,
            expected_version=1,
            completion=ChildCompletion(full_name="Nurlan Serikov", iin=iin_for(BOY_14)),
        )
        assert (child.provisional, child.birth_on, child.sex) == (False, BOY_14, "male")
    with world.bench.sessions.begin() as session:
        (found,) = find_children(
            session, actor="operator1", cipher=world.bench.cipher, query="nurlan serikov"
        )
    assert found.child_id == child_id and not found.provisional


def test_completing_with_the_iin_of_a_known_child_asks_for_a_merge(world: IntakeWorld) -> None:
    known = world.register()
    _request_id, child_id = _provisional(world)
    with world.bench.sessions.begin() as session, pytest.raises(ChildAlreadyRecordedError) as hit:
        complete_child_record(
            session,
            actor="operator1",
            cipher=world.bench.cipher,
            child_id=child_id,
            expected_version=1,
            completion=ChildCompletion(iin=iin_for(BOY_14)),
        )
    assert hit.value.child_id == known.child_id


def test_merge_moves_the_records_and_keeps_both_histories(world: IntakeWorld) -> None:
    known = world.register()
    request_id, child_id = _provisional(world)
    with world.bench.sessions.begin() as session:
        record_consent(
            session,
            actor="operator1",
            cipher=world.bench.cipher,
            child_id=child_id,
            kind="informed",
            given_by="Aliya Nurlanovna",
            relation="mother",
            scope="Consultations",
            given_at=NOW,
            now=NOW,
        )
    with world.bench.sessions.begin() as session:
        version = session.get_one(Child, child_id).version  # the consent raised it
        target_version = session.get_one(Child, known.child_id).version
        moved = merge_children(
            session,
            actor="supervisor1",
            source_id=child_id,
            into_id=known.child_id or 0,
            reason="The school confirmed Nurik is Nurlan Serikov",
            expected_version=version,
            now=NOW + timedelta(hours=1),
        )
    assert moved == 1 and version == 2
    with world.bench.sessions() as session:
        request = session.get(Request, request_id)
        assert request is not None and request.child_id == known.child_id
        change = session.scalars(
            select(RequestAmendment).where(RequestAmendment.request_id == request_id)
        ).one()
        assert change.reason == MERGED_REASON
        assert change.changes["child_id"] == {"from": child_id, "to": known.child_id}
        # the typed reason (it names the child) stays with the entry, not in the audit trail
        assert change.changes["merge_reason"]["to"] == "The school confirmed Nurik is Nurlan Serikov"
        # the known child's record gained the consent: its version rose
        assert session.get_one(Child, known.child_id).version == target_version + 1
        consent = session.scalars(select(Consent)).one()
        assert consent.child_id == known.child_id
        source = session.get(Child, child_id)
        assert source is not None and source.merged_into_id == known.child_id
        assert session.get(ChildIdentity, child_id) is not None  # its identity stays as history
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "merge_children")
        ).one()
        assert event.details["requests"] == [request.journal_number]
        assert "Nurlan" not in str(event.details)
    with world.bench.sessions.begin() as session:
        assert [
            m.child_id
            for m in find_children(
                session, actor="operator1", cipher=world.bench.cipher, query="nurik"
            )
        ] == []
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        merge_children(
            session,
            actor="supervisor1",
            source_id=child_id,
            into_id=known.child_id or 0,
            reason="again",
            expected_version=version + 1,  # the merge raised it
        )


def test_two_children_with_an_iin_are_never_merged(world: IntakeWorld) -> None:
    first = world.register()
    second = world.register(
        world.draft(child=ChildDraft(full_name="Other", iin=iin_for(BOY_14, serial=2)))
    )
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        merge_children(
            session,
            actor="supervisor1",
            source_id=second.child_id or 0,
            into_id=first.child_id or 0,
            reason="mistake",
            expected_version=1,
        )


def test_children_recorded_before_the_index_are_indexed_by_init_db(world: IntakeWorld) -> None:
    done = world.register()
    with world.bench.sessions.begin() as session:
        session.execute(delete(ChildNameToken))
        identity = session.get(ChildIdentity, done.child_id)
        assert identity is not None
        identity.name_birth_index = None
    with world.bench.sessions.begin() as session:
        assert (
            find_children(session, actor="operator1", cipher=world.bench.cipher, query="serikov")
            == []
        )
    initialise_database(world.bench.settings).engine.dispose()  # what pcenter init-db does
    with world.bench.sessions.begin() as session:
        (found,) = find_children(
            session, actor="operator1", cipher=world.bench.cipher, query="serikov"
        )
        assert backfill_name_index(session, world.bench.cipher) == 0  # nothing left to index
    assert found.child_id == done.child_id


def test_init_db_with_another_key_writes_no_name_index(
    world: IntakeWorld, tmp_path: Path
) -> None:
    """The backfill runs after the key binding check: a foreign key is refused before it
    could write indexes no search would ever match."""
    world.register()
    with world.bench.sessions.begin() as session:
        session.execute(delete(ChildNameToken))
    other = replace(world.bench.settings, secret_key_file=tmp_path / "other.key")
    write_key_file(other.secret_key_file, new_keyring())
    with pytest.raises(KeyMismatchError):
        initialise_database(other)
    with world.bench.sessions() as session:
        assert session.scalars(select(ChildNameToken)).all() == []
