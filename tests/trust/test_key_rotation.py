"""``pcenter key check`` and ``pcenter key rotate``: every keyed value, one transaction, audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect, select

from pcenter_lib.keyring import Keyring, read_keyring
from pcenter_lib.models import AuditEvent, Base, Child, ChildIdentity, KeyBinding
from pcenter_lib.privacy import IdentityCipher, IdentityDecryptionError
from pcenter_lib.services import key_rotation
from pcenter_lib.services.amendments import amend_request
from pcenter_lib.services.child_search import child_by_iin, children_like, find_children
from pcenter_lib.services.children import show_child_identity
from pcenter_lib.services.consent_records import record_consent
from pcenter_lib.services.key_binding import KeyMismatchError, pending_key_file
from pcenter_lib.services.key_rotation import check_key, rotate_key
from pcenter_lib.services.keyed_columns import KEYED_VALUES, BlindIndex, IndexRows
from pcenter_lib.workbench import Workbench, open_workbench
from tests.intake.world import BOY_14, NOW, IntakeWorld, build_world, iin_for


def _filled(bench: Workbench) -> tuple[IntakeWorld, int]:
    """A request with a child, an applicant, a consent and a corrected applicant name."""
    world = build_world(bench)
    done = world.register()
    with bench.sessions.begin() as session:
        amend_request(
            session, actor="operator1", cipher=bench.cipher, request_id=done.id,
            expected_version=1, changes={"applicant_name": "Aliya Nurlanqyzy"},
            reason="name spelt as in the ID card", now=NOW,
        )
        child_id = int(session.scalar(select(Child.id)) or 0)
        record_consent(
            session, actor="operator1", cipher=bench.cipher, child_id=child_id, kind="written",
            given_by="Aliya Nurlanqyzy", relation="mother", scope="consultations",
            given_at=NOW - timedelta(hours=1), now=NOW,
        )
    return world, child_id


def _decrypts_with(bench: Workbench, keyring: Keyring) -> bool:
    with bench.sessions() as session:
        for value in KEYED_VALUES:
            for token in value.tokens(session):
                try:
                    keyring.cipher.decrypt(token)
                except IdentityDecryptionError:
                    return False
    return True


def test_key_check_decrypts_every_value_and_verifies_the_trail(any_workbench: Workbench) -> None:
    _filled(any_workbench)
    with any_workbench.sessions() as session:
        report = check_key(session)
    assert report.key_id == any_workbench.keyring.key_id
    assert report.values["child_identities.full_name_enc"] == 1
    assert report.values["request_amendments.changes"] == 2  # the name before and after
    assert report.trail.intact


def test_rotation_re_encrypts_everything_in_one_audited_transaction(
    any_workbench: Workbench,
) -> None:
    bench = any_workbench
    _world, child_id = _filled(bench)
    old = bench.keyring
    with bench.sessions() as session:
        code_before = session.get_one(Child, child_id).code
    rotation = rotate_key(
        bench.sessions, keyring=old, key_file=bench.settings.secret_key_file, actor="admin1"
    )
    new = read_keyring(bench.settings.secret_key_file)
    assert (rotation.old_key_id, rotation.new_key_id) == (old.key_id, new.key_id)
    assert rotation.rows["child_identities.iin_index"] == 1
    assert not _decrypts_with(bench, old) and _decrypts_with(bench, new)
    assert not pending_key_file(bench.settings.secret_key_file).exists()
    assert read_keyring(rotation.retired_file).secret == old.secret  # old backups need it
    reopened = open_workbench(bench.settings)
    try:
        with reopened.sessions.begin() as session:
            assert check_key(session).trail.intact  # old events verify with the retired key
            shown = show_child_identity(
                session, actor="supervisor1", cipher=reopened.cipher, child_id=child_id
            )
            assert shown.full_name == "Nurlan Serikov"
            found = child_by_iin(session, reopened.cipher, iin_for(BOY_14))
            assert found is not None and found.code == code_before  # codes never change
            # the name search and the duplicate warning find the child under the new key
            by_name = find_children(
                session, actor="supervisor1", cipher=reopened.cipher, query="serikov NURLAN"
            )
            assert [m.child_id for m in by_name] == [child_id]
            assert children_like(session, reopened.cipher, "Nurlan Serikov", BOY_14) == [child_id]
            event = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "rotate_key")
            ).one()
            assert (event.key_id, event.details["from"]) == (new.key_id, old.key_id)
            assert session.get_one(KeyBinding, 1).check_value == new.check_value
    finally:
        reopened.engine.dispose()
    with pytest.raises(KeyMismatchError):
        open_workbench(replace(bench.settings, secret_key_file=rotation.retired_file))


def test_a_failed_rotation_changes_nothing(
    any_workbench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = any_workbench
    _filled(bench)
    key_file = bench.settings.secret_key_file
    before = key_file.read_bytes()

    def fail(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(key_rotation, "rebind_key", fail)  # after every value was rewritten
    with pytest.raises(RuntimeError, match="power cut"):
        rotate_key(bench.sessions, keyring=bench.keyring, key_file=key_file, actor="admin1")
    assert key_file.read_bytes() == before
    assert not pending_key_file(key_file).exists()
    assert _decrypts_with(bench, bench.keyring)


def test_an_interrupted_rotation_says_how_to_finish_it(any_workbench: Workbench, tmp_path: Path) -> None:
    bench = any_workbench
    key_file = bench.settings.secret_key_file
    old_text = key_file.read_bytes()
    rotate_key(bench.sessions, keyring=bench.keyring, key_file=key_file, actor="admin1")
    key_file.replace(pending_key_file(key_file))  # as if the move after the commit never ran
    key_file.write_bytes(old_text)
    key_file.chmod(0o600)
    with pytest.raises(KeyMismatchError, match="rotation was interrupted") as caught:
        open_workbench(bench.settings)
    assert f"mv {pending_key_file(key_file)} {key_file}" in str(caught.value)


def test_every_keyed_column_of_the_models_is_in_the_registry() -> None:
    """A new encrypted column or blind index must be one line in KEYED_VALUES, or rotation
    would leave it readable only with the old key."""
    registered = {value.name for value in KEYED_VALUES}
    keyed = set()
    for mapper in Base.registry.mappers:
        table = mapper.local_table.name
        for column in inspect(mapper.class_).columns:
            if column.name.endswith(("_enc", "_index")):
                keyed.add(f"{table}.{column.name}")
    assert keyed <= registered, sorted(keyed - registered)
    assert "request_amendments.changes" in registered  # ciphertexts inside the history's JSON


def test_indexes_over_a_joined_column_and_rows_of_word_hashes_are_re_keyed(
    any_workbench: Workbench,
) -> None:
    """The shapes a name search keeps (name with birth date; one row per word) re-key too, so
    registering such an index for rotation is one line."""
    bench = any_workbench
    _filled(bench)
    old, new = bench.keyring.cipher, Keyring(b"n" * 32).cipher
    words = Table(
        "test_name_words", MetaData(), Column("id", Integer, primary_key=True),
        Column("child_id", Integer), Column("token_index", String(64)),
    )
    words.create(bench.engine)

    def word_hashes(cipher: IdentityCipher, name: str) -> list[str]:
        return [cipher.blind_index(word) for word in name.split()]

    def name_birth(cipher: IdentityCipher, name: str, birth: date) -> str:
        return cipher.blind_index(f"{name}|{birth.isoformat()}")

    by_birth = BlindIndex(
        ChildIdentity.surname_index, ChildIdentity.full_name_enc, name_birth,
        context=(Child.birth_on,),
    )
    by_word = IndexRows(words.c.token_index, words.c.child_id, ChildIdentity.full_name_enc, word_hashes)
    assert (by_birth.name, by_word.name) == (
        "child_identities.surname_index", "test_name_words.token_index",
    )
    with bench.sessions.begin() as session:
        identity = session.scalars(select(ChildIdentity)).one()
        session.execute(
            words.insert(),
            [{"child_id": identity.child_id, "token_index": h} for h in word_hashes(old, "Nurlan Serikov")],
        )
        assert by_birth.rekey(session, old, new) == 1
        assert by_word.rekey(session, old, new) == 2
    with bench.sessions() as session:
        identity = session.scalars(select(ChildIdentity)).one()
        birth = session.get_one(Child, identity.child_id).birth_on
        stored = set(session.scalars(select(words.c.token_index)))
    assert identity.surname_index == name_birth(new, "Nurlan Serikov", birth)
    assert stored == set(word_hashes(new, "Nurlan Serikov"))
    words.drop(bench.engine)
