"""The de-identification test corpus: materials with planted identifiers and clean materials.

Each YAML file under ``corpus/`` lists materials (``id``, ``lang``, ``known``, ``text``). In the
text, ``[[identifier|kind]]`` marks a planted identifier; the loader removes the markup and keeps
the span. Clean materials (``clean.yaml``) plant nothing: any finding there is a false positive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CORPUS_DIR = Path(__file__).parent / "corpus"
_MARK = re.compile(r"\[\[(.+?)\|(\w+)\]\]", re.S)


@dataclass(frozen=True)
class Planted:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Material:
    id: str
    lang: str
    known: tuple[str, ...]
    text: str
    planted: tuple[Planted, ...]
    clean: bool


def parse_marked(marked: str) -> tuple[str, tuple[Planted, ...]]:
    """The plain text and the planted spans of a text with ``[[...|kind]]`` markup."""
    out: list[str] = []
    planted: list[Planted] = []
    position = 0
    length = 0
    for match in _MARK.finditer(marked):
        before = marked[position : match.start()]
        out.append(before)
        length += len(before)
        value = match.group(1)
        planted.append(Planted(length, length + len(value), match.group(2)))
        out.append(value)
        length += len(value)
        position = match.end()
    out.append(marked[position:])
    return "".join(out), tuple(planted)


def load_corpus() -> list[Material]:
    materials = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            text, planted = parse_marked(entry["text"])
            materials.append(
                Material(
                    entry["id"], entry["lang"], tuple(entry.get("known", ())), text, planted,
                    clean=path.stem == "clean",
                )
            )
    return materials
