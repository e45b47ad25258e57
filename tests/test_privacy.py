"""Identity encryption, the key file and pseudonymous codes (Rule 14)."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcenter_lib.errors import ConfigurationError
from pcenter_lib.privacy import (
    IdentityCipher,
    IdentityDecryptionError,
    ensure_key_file,
    random_child_code,
    read_key_file,
)

KEY_A = IdentityCipher(b"a" * 32)
KEY_B = IdentityCipher(b"b" * 32)
KAZAKH_NAME = "Әлібек Нұрсұлтанұлы Қожахметов"
RUSSIAN_ADDRESS = "г. Астана, ул. Кенесары, д. 40, кв. 12"


def _write_key(path: Path, content: bytes, mode: int = 0o600) -> Path:
    path.write_bytes(content)
    path.chmod(mode)
    return path


@pytest.mark.parametrize("plain", [KAZAKH_NAME, RUSSIAN_ADDRESS, "Smith", "", "ғ" * 2000])
def test_encrypt_decrypt_roundtrip(plain: str) -> None:
    token = KEY_A.encrypt(plain)
    assert isinstance(token, bytes)
    assert KEY_A.decrypt(token) == plain


@given(st.text())
def test_roundtrip_of_any_text(plain: str) -> None:
    assert KEY_A.decrypt(KEY_A.encrypt(plain)) == plain


def test_none_stays_none() -> None:
    assert KEY_A.encrypt(None) is None
    assert KEY_A.decrypt(None) is None


def test_decrypt_accepts_memoryview_as_returned_by_postgres() -> None:
    token = KEY_A.encrypt(KAZAKH_NAME)
    assert token is not None
    assert KEY_A.decrypt(memoryview(token)) == KAZAKH_NAME  # type: ignore[arg-type]


def test_ciphertext_hides_the_text_and_is_random() -> None:
    first = KEY_A.encrypt(KAZAKH_NAME)
    second = KEY_A.encrypt(KAZAKH_NAME)
    assert first is not None and second is not None
    assert first != second
    for token in (first, second):
        assert KAZAKH_NAME.encode() not in token
        assert "Қожахметов".encode() not in base64.urlsafe_b64decode(token)


def test_wrong_key_is_a_clear_error() -> None:
    token = KEY_A.encrypt(KAZAKH_NAME)
    with pytest.raises(IdentityDecryptionError, match="secret key does not match"):
        KEY_B.decrypt(token)


def test_damaged_ciphertext_is_a_clear_error() -> None:
    token = bytearray(KEY_A.encrypt("010101500123") or b"")
    token[-5] = ord("A") if token[-5] != ord("A") else ord("B")
    with pytest.raises(IdentityDecryptionError):
        KEY_A.decrypt(bytes(token))


def test_key_file_is_created_private_and_valid(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "secret.key"
    assert ensure_key_file(path) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.urlsafe_b64decode(path.read_bytes().strip())) == 32
    assert len(read_key_file(path)) == 32


def test_existing_key_file_is_never_replaced(tmp_path: Path) -> None:
    path = ensure_key_file(tmp_path / "secret.key")
    before = path.read_bytes()
    ensure_key_file(path)
    IdentityCipher.from_key_file(path, create=True)
    assert path.read_bytes() == before


def test_two_new_key_files_differ(tmp_path: Path) -> None:
    first = read_key_file(ensure_key_file(tmp_path / "one.key"))
    second = read_key_file(ensure_key_file(tmp_path / "two.key"))
    assert first != second


def test_cipher_from_key_file_decrypts_what_it_encrypted_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    token = IdentityCipher.from_key_file(path, create=True).encrypt(KAZAKH_NAME)
    assert IdentityCipher.from_key_file(path).decrypt(token) == KAZAKH_NAME


def test_missing_key_file_names_the_variable(tmp_path: Path) -> None:
    path = tmp_path / "absent.key"
    with pytest.raises(ConfigurationError) as caught:
        IdentityCipher.from_key_file(path)
    assert str(path) in str(caught.value)
    assert "PCENTER_SECRET_KEY_FILE" in str(caught.value)
    assert not path.exists()


def test_folder_in_place_of_the_key_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    path.mkdir()
    with pytest.raises(ConfigurationError, match="cannot be read"):
        IdentityCipher.from_key_file(path, create=True)


def test_permission_denied_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = _write_key(tmp_path / "secret.key", base64.urlsafe_b64encode(b"k" * 32))

    def refuse(_self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigurationError) as caught:
        read_key_file(path)
    assert str(caught.value) == f"The secret key file {path} cannot be read: Permission denied."


def test_key_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(ConfigurationError, match=str(blocker)):
        IdentityCipher.from_key_file(blocker / "secret.key", create=True)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a key at all!!",
        base64.urlsafe_b64encode(b"short" * 3),
        base64.urlsafe_b64encode(b"x" * 33),
        b"\xff\xfe\x00garbage",
    ],
    ids=["empty", "not-base64", "too-short", "too-long", "binary"],
)
def test_malformed_key_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = _write_key(tmp_path / "secret.key", content)
    with pytest.raises(ConfigurationError, match="not a valid pcenter key"):
        read_key_file(path)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644])
def test_key_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = _write_key(tmp_path / "secret.key", base64.urlsafe_b64encode(b"k" * 32), mode)
    with pytest.raises(ConfigurationError) as caught:
        read_key_file(path)
    assert f"chmod 600 {path}" in str(caught.value)


def test_key_with_surrounding_whitespace_is_accepted(tmp_path: Path) -> None:
    path = _write_key(tmp_path / "secret.key", b"\n " + base64.urlsafe_b64encode(b"k" * 32) + b"\n")
    assert read_key_file(path) == b"k" * 32


def test_child_code_is_stable_and_keyed() -> None:
    code = KEY_A.child_code("010101500123")
    assert code == KEY_A.child_code("010101500123")
    assert code == KEY_A.child_code(" 010101500123 ")
    assert code != KEY_A.child_code("010101500124")
    assert code != KEY_B.child_code("010101500123")
    assert code.startswith("C-")
    assert len(code) == 12
    assert set(code[2:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_child_code_does_not_contain_the_iin() -> None:
    assert "0101015" not in KEY_A.child_code("010101500123")


def test_random_child_codes_are_distinct_and_marked() -> None:
    codes = {random_child_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(c.startswith("C-X") and len(c) == 12 for c in codes)


def test_blind_index_normalises_spaces_and_case() -> None:
    index = KEY_A.blind_index("ҚОЖАХМЕТОВ")
    assert index == KEY_A.blind_index(" қожахметов ")
    assert index == KEY_A.blind_index("Қожах метов")
    assert KEY_A.blind_index("0101 0150 0123") == KEY_A.blind_index("010101500123")
    assert index != KEY_A.blind_index("Кожахметов")
    assert len(index) == 64
    int(index, 16)


def test_blind_index_is_keyed_and_differs_from_the_child_code() -> None:
    assert KEY_A.blind_index("010101500123") != KEY_B.blind_index("010101500123")
    assert KEY_A.blind_index("010101500123") != KEY_A.child_code("010101500123")
