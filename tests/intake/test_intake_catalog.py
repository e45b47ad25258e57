"""Every message of the intake part has Kazakh and Russian text with the same placeholders."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from pcenter_lib.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [
        ROOT / "pcenter_lib/domain/intake_rules.py",
        *(ROOT / "pcenter_lib/services").glob("*.py"),
        *(ROOT / "widgets/intake").glob("*.py"),
    ]
)
INTAKE_SERVICES = {
    "amendments",
    "calendar_admin",
    "children",
    "compliance",
    "consent_records",
    "direct_threat",
    "intake",
    "journal",
    "journal_export",
    "mobile_groups",
    "request_records",
    "support_plans",
}


def _msgids() -> list[str]:
    found: dict[str, None] = {}
    for path in SOURCES:
        if path.parent.name == "services" and path.stem not in INTAKE_SERVICES:
            continue
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"N_": None}
        ):
            found[str(message)] = None
    return list(found)


def _fields(text: str) -> list[str]:
    return sorted(
        f"{name}!{conversion}" if conversion else name
        for _lit, name, _spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


def test_the_intake_sources_mark_their_messages() -> None:
    assert len(_msgids()) > 250


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_intake_message_is_translated_with_the_same_placeholders(lang: str) -> None:
    texts = catalog(lang)
    missing = [m for m in _msgids() if m not in texts]
    assert missing == []
    wrong = [m for m in _msgids() if _fields(texts[m]) != _fields(m)]
    assert wrong == []
