"""One term per concept: no Kazakh or Russian translation uses a variant ``docs/terms.yaml`` bans.

The term file names, for each concept of Order No. 264 the workbench speaks of, the approved form
and the banned variants per language; a ban may be limited to messages whose English id is about
the concept (``when``). Every translation of every catalog file is checked, plural forms included,
and a finding names the file, the message id and the variant, so a reviewer can fix it in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from pcenter_lib.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parents[1]
TERMS_FILE = ROOT / "docs" / "terms.yaml"
LANGS = ("kk", "ru")


@dataclass(frozen=True)
class Ban:
    concept: str
    lang: str
    pattern: re.Pattern[str]
    when: re.Pattern[str] | None
    approved: str


@dataclass(frozen=True)
class Translation:
    file: str
    msgid: str
    text: str


@cache
def term_entries() -> tuple[dict[str, object], ...]:
    loaded = yaml.safe_load(TERMS_FILE.read_text(encoding="utf-8"))
    return tuple(loaded["terms"])


def bans() -> list[Ban]:
    found = []
    for entry in term_entries():
        when = entry.get("when")
        when_re = re.compile(str(when)) if when else None
        for lang in LANGS:
            spec = entry.get(lang)
            if not isinstance(spec, dict):
                continue
            for pattern in spec.get("banned", []):
                found.append(
                    Ban(
                        str(entry["concept"]), lang,
                        re.compile(str(pattern), re.IGNORECASE | re.MULTILINE),
                        when_re, str(spec["approved"]),
                    )
                )
    return found


def translations(lang: str, folder: Path = LOCALE_DIR) -> list[Translation]:
    """Every non-empty translation of ``lang``'s catalog files (each plural form apart)."""
    out = []
    for po_file in sorted((folder / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            for text in strings:
                if text:
                    out.append(Translation(po_file.name, str(msgid), str(text)))
    return out


def findings(lang: str, folder: Path = LOCALE_DIR) -> list[str]:
    """``file: msgid → msgstr (banned variant, use approved)`` for every banned variant used."""
    out = []
    lang_bans = [ban for ban in bans() if ban.lang == lang]
    for item in translations(lang, folder):
        for ban in lang_bans:
            if ban.when is not None and not ban.when.search(item.msgid):
                continue
            hit = ban.pattern.search(item.text)
            if hit:
                out.append(
                    f"{lang}/{item.file}: {item.msgid!r} → {item.text!r}: "
                    f"{hit.group(0)!r} ({ban.concept}; use {ban.approved!r})"
                )
    return out


def test_term_file_is_well_formed() -> None:
    assert term_entries(), "docs/terms.yaml lists no terms"
    for entry in term_entries():
        assert entry.get("concept") and entry.get("source"), entry
        assert any(lang in entry for lang in LANGS), entry
        for lang in LANGS:
            spec = entry.get(lang)
            if spec is None:
                continue
            assert isinstance(spec, dict) and spec.get("approved"), (entry["concept"], lang)


@pytest.mark.parametrize("ban", bans(), ids=lambda b: f"{b.lang}:{b.pattern.pattern[:30]}")
def test_each_ban_catches_its_example_and_spares_the_approved_form(ban: Ban) -> None:
    entry = next(e for e in term_entries() if e["concept"] == ban.concept)
    spec = entry[ban.lang]
    assert isinstance(spec, dict)
    if "example" in spec:
        examples = [str(spec["example"])]
        assert any(
            p.search(examples[0]) for p in (b.pattern for b in bans() if b.concept == ban.concept
                                            and b.lang == ban.lang)
        ), f"no banned pattern of {ban.concept!r} catches its example {examples[0]!r}"
    for approved in str(spec["approved"]).split("; "):
        assert not ban.pattern.search(approved), (ban.concept, approved)


@pytest.mark.parametrize("lang", LANGS)
def test_no_translation_uses_a_banned_variant(lang: str) -> None:
    found = findings(lang)
    assert not found, f"{len(found)} banned variants (docs/terms.yaml):\n" + "\n".join(found)


def test_a_banned_variant_in_a_catalog_is_found(tmp_path: Path) -> None:
    """The check reads real catalog files: a planted banned variant is reported with its file."""
    folder = tmp_path / "kk" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "planted.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Mobile group"\nmsgstr "Мобильді топ"\n\n'
        'msgid "{count} round"\nmsgid_plural "{count} rounds"\n'
        'msgstr[0] "{count} кезең"\nmsgstr[1] "{count} кезең"\n\n'
        'msgid "Period"\nmsgstr "Кезең"\n',
        encoding="utf-8",
    )
    found = findings("kk", tmp_path)
    assert any("Mobile group" in line and "planted.po" in line for line in found), found
    assert sum("round" in line for line in found) == 2, found
    assert not any("'Period'" in line for line in found), found  # "кезең" is a period elsewhere
