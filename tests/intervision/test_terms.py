"""Kazakh and Russian texts use the Order's terms for intervision (интервизия)."""

from __future__ import annotations

from babel.messages.pofile import read_po

from pcenter_lib.i18n import LOCALE_DIR


def test_intervision_is_called_by_the_orders_word() -> None:
    for lang, stem in (("kk", "интервизия"), ("ru", "интервизи")):
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "intervision.po").open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        entries = [m for m in catalog if isinstance(m.id, str) and "intervision" in m.id]
        assert entries, lang
        for message in entries:
            assert stem in str(message.string).lower(), (lang, message.id)
