"""The export gate refuses a pack with any identifier and never repeats one in its error."""

from __future__ import annotations

import logging

import pytest

from pcenter_lib.deidentify import find_identifiers
from pcenter_lib.deidentify.gate import (
    MASK,
    IdentifierLeakError,
    PackMaterial,
    check_pack,
    find_leaks,
    mask,
)
from pcenter_lib.errors import PcenterError

KNOWN = ["Сейітова Айгерім Нұрланқызы", "Оспанова Гүлнар", "№ 17 мектеп"]
CLEAN_PACK = [
    PackMaterial("Agenda", "Интервизия: инцидент әдісі, 90 минут. Жүргізуші уақытты қадағалайды."),
    PackMaterial("Vignette", "12–14 жастағы қыз ауылдық аудандағы мектепте оқиды. Үш ай бұрын..."),
]
SECRETS = ["Айгерімнің", "081214650127", "+7 701 555 23 41", "gulnar.o@mail.kz", "Seitova"]
LEAKY_TEXT = (
    "Бала туралы: Айгерімнің ЖСН 081214650127, анасының телефоны +7 701 555 23 41, "
    "поштасы gulnar.o@mail.kz. Тізімде Seitova деп жазылған."
)


def test_a_clean_pack_passes() -> None:
    check_pack(CLEAN_PACK, known=KNOWN)
    assert find_leaks({"Agenda": CLEAN_PACK[0].text}, known=KNOWN) == []


def test_a_pack_with_an_identifier_is_refused_with_what_and_where() -> None:
    pack = [*CLEAN_PACK, PackMaterial("Notes", LEAKY_TEXT)]
    with pytest.raises(IdentifierLeakError) as caught:
        check_pack(pack, known=KNOWN)
    leaks = caught.value.leaks
    assert {leak.material for leak in leaks} == {3}
    assert [leak.kind for leak in leaks] == ["known", "iin", "phone", "email", "known"]
    for leak in leaks:
        assert LEAKY_TEXT[leak.start : leak.end] in SECRETS
        assert MASK in leak.excerpt
    assert isinstance(caught.value, PcenterError) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_refusal_never_repeats_an_identifier(lang: str, caplog: pytest.LogCaptureFixture) -> None:
    pack = [PackMaterial("Айгерім — notes", LEAKY_TEXT)]
    with pytest.raises(IdentifierLeakError) as caught:
        check_pack(pack, known=KNOWN)
    message = caught.value.localized(lang)
    logging.getLogger("pcenter").error("export failed: %s", caught.value)
    for secret in [*SECRETS, "Айгерім", "081214", "555 23 41", "mail.kz"]:
        assert secret not in message
        assert secret not in str(caught.value)
        assert secret not in caplog.text
    assert "material 1" in str(caught.value) or lang != "en"
    assert str(len(caught.value.leaks)) in message


def test_the_refusal_is_translated() -> None:
    with pytest.raises(IdentifierLeakError) as caught:
        check_pack({"Notes": LEAKY_TEXT}, known=KNOWN)
    kk, ru, en = (caught.value.localized(lang) for lang in ("kk", "ru", "en"))
    assert en.startswith("Export refused")
    assert "Экспорт" in ru and "ЖСН" in kk and "ИИН" in ru
    assert len({kk, ru, en}) == 3


def test_the_title_is_checked_and_masked_too() -> None:
    leaks = find_leaks([PackMaterial("Сейітова ісі", "Таза мәтін.")], known=KNOWN)
    assert [(leak.in_title, leak.kind) for leak in leaks] == [(True, "known")]
    assert "Сейітова" not in leaks[0].title and MASK in leaks[0].title


def test_masked_excerpt_hides_every_identifier_in_its_window() -> None:
    text = "Анасы Оспанова Гүлнар, телефоны 87015552341, хабарласты."
    leaks = find_leaks({"x": text}, known=KNOWN)
    assert leaks and all("Оспанова" not in leak.excerpt and "8701" not in leak.excerpt
                         for leak in leaks)  # fmt: skip
    assert mask(text, find_identifiers(text, known=KNOWN)).count(MASK) == 2


def test_unlisted_person_names_can_be_allowed_but_known_ones_never() -> None:
    attendance = {"Attendance": "Қатысқандар: Петрова Ольга Ивановна, Смирнов Андрей Викторович."}
    with pytest.raises(IdentifierLeakError):
        check_pack(attendance, known=KNOWN)
    check_pack(attendance, known=KNOWN, persons=False)
    with pytest.raises(IdentifierLeakError):
        check_pack({"Attendance": "Қатысқандар: Оспанова Гүлнар."}, known=KNOWN, persons=False)
