"""Parsed catalogs are kept by the content of each file: the same messages, never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcenter_lib.catalog_cache import parse_catalog, read_catalog_file
from pcenter_lib.i18n import LOCALE_DIR

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "Save"
msgstr "SAVE"

msgctxt "button"
msgid "Import"
msgstr "Загрузить"

msgid "{count} result"
msgid_plural "{count} results"
msgstr[0] "{count} результат"
msgstr[1] "{count} результата"
msgstr[2] "{count} результатов"

#, fuzzy
msgid "Draft"
msgstr "Черновик"
"""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_cached_catalog_reads_exactly_as_the_parsed_file(lang: str, tmp_path: Path) -> None:
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        parsed = parse_catalog(po_file.read_bytes(), lang)
        assert read_catalog_file(po_file, lang, tmp_path) == parsed  # parsed, then stored
        assert read_catalog_file(po_file, lang, tmp_path) == parsed  # read from the cache
    assert len(list(tmp_path.glob(f"{lang}-*.json"))) >= 1


def test_a_changed_catalog_is_parsed_again(tmp_path: Path) -> None:
    po_file = tmp_path / "part.po"
    po_file.write_text(PO.replace("SAVE", "Сохранить"), encoding="utf-8")
    cache = tmp_path / "cache"
    first = read_catalog_file(po_file, "ru", cache)
    po_file.write_text(PO.replace("SAVE", "Записать"), encoding="utf-8")
    second = read_catalog_file(po_file, "ru", cache)
    texts = [{m.id: m.string for m in found}["Save"] for found in (first, second)]
    assert texts == ["Сохранить", "Записать"]
    plural = {m.id: m for m in second}[("{count} result", "{count} results")]
    assert plural.string == ("{count} результат", "{count} результата", "{count} результатов")
    assert {m.id: m.context for m in second}["Import"] == "button"
    assert {m.id: m.fuzzy for m in second}["Draft"] is True
    assert second.plural_expr is not None and "n%10==1" in second.plural_expr


def test_an_unusable_cache_costs_time_never_a_translation(tmp_path: Path) -> None:
    po_file = tmp_path / "part.po"
    po_file.write_text(PO.replace("SAVE", "Сохранить"), encoding="utf-8")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    assert read_catalog_file(po_file, "ru", not_a_folder) == parse_catalog(po_file.read_bytes(), "ru")
    cache = tmp_path / "cache"
    read_catalog_file(po_file, "ru", cache)
    for stored in cache.glob("*.json"):
        stored.write_text("{broken", encoding="utf-8")
    assert read_catalog_file(po_file, "ru", cache) == parse_catalog(po_file.read_bytes(), "ru")
