"""The name's blind indexes (``IdentityCipher.name_keys``): keyed, normalized, order-free."""

from __future__ import annotations

import secrets
from datetime import date

from pcenter_lib.privacy import IdentityCipher, name_tokens

BORN = date(2011, 9, 1)


def _cipher() -> IdentityCipher:
    return IdentityCipher(secrets.token_bytes(32))


def test_words_are_folded_for_case_and_kazakh_russian_spelling() -> None:
    assert name_tokens("Нұрлан  СЕРІКОВ-Әлиев") == ("нурлан", "сериков", "алиев")
    assert name_tokens("Нурлан Сериков Алиев") == ("нурлан", "сериков", "алиев")
    assert name_tokens("Ж. Қайрат, Ғалым Ёлкин") == ("кайрат", "галым", "елкин")
    assert name_tokens("  ") == ()


def test_name_keys_are_keyed_and_need_no_decryption() -> None:
    cipher, other = _cipher(), _cipher()
    keys = cipher.name_keys("Нұрлан Серіков", BORN)
    assert keys == cipher.name_keys("серіков НУРЛАН", BORN)  # any order, any spelling
    assert len(keys.tokens) == 2 and all(len(t) == 32 for t in keys.tokens)
    assert keys.name_birth is not None and len(keys.name_birth) == 64
    assert other.name_keys("Нұрлан Серіков", BORN).tokens.isdisjoint(keys.tokens)
    assert cipher.name_keys("Нұрлан Серіков", date(2011, 9, 2)).name_birth != keys.name_birth
    assert cipher.name_keys("Нұрлан", BORN).name_birth != keys.name_birth
    assert cipher.name_keys("Нұрлан Серіков", None).name_birth is None
    assert cipher.name_keys(None).tokens == frozenset()


def test_name_keys_never_equal_the_iin_index_of_the_same_text() -> None:
    cipher = _cipher()
    word = "сериков"
    assert cipher.blind_index(word)[:32] not in cipher.name_keys(word).tokens
