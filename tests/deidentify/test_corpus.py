"""Recall on the planted corpus must be 100 %; false positives on clean text are measured.

The corpus (``tests/deidentify/corpus/*.yaml``) holds Kazakh, Russian and English materials with
planted identifiers in every form the leak check promises to find, and clean materials. A planted
identifier counts as found when the findings cover every letter and digit of it.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from pcenter_lib.deidentify import find_identifiers
from pcenter_lib.deidentify.findings import Finding
from tests.deidentify.corpus import Material, Planted, load_corpus, parse_marked

CORPUS = load_corpus()
PLANTED = [m for m in CORPUS if not m.clean]
CLEAN = [m for m in CORPUS if m.clean]
BY_ID = {m.id: m for m in CORPUS}


@cache
def findings_of(material_id: str, with_known: bool = True) -> list[Finding]:
    material = BY_ID[material_id]
    return find_identifiers(material.text, known=material.known if with_known else ())


def is_covered(text: str, planted: Planted, findings: list[Finding]) -> bool:
    covered = {i for f in findings for i in range(f.start, f.end)}
    return {i for i in range(planted.start, planted.end) if text[i].isalnum()} <= covered


def misses(material: Material) -> list[str]:
    findings = (
        findings_of(material.id)
        if material.id in BY_ID
        else find_identifiers(material.text, known=material.known)
    )
    return [
        f"{material.id}: {p.kind} {material.text[p.start:p.end]!r}"
        for p in material.planted
        if not is_covered(material.text, p, findings)
    ]


def test_the_corpus_is_big_enough_and_covers_every_kind_and_language() -> None:
    assert len(PLANTED) >= 50
    assert Counter(m.lang for m in PLANTED).keys() == {"kk", "ru", "en"}
    assert min(Counter(m.lang for m in PLANTED).values()) >= 14
    assert {p.kind for m in PLANTED for p in m.planted} == {
        "known", "iin", "phone", "email", "date", "school", "address",
    }
    assert len(CLEAN) >= 15 and {m.lang for m in CLEAN} == {"kk", "ru", "en"}


def test_recall_on_planted_identifiers_is_100_percent() -> None:
    total = sum(len(m.planted) for m in PLANTED)
    missed = [miss for m in PLANTED for miss in misses(m)]
    print(f"\nrecall: {total - len(missed)}/{total} planted identifiers in {len(PLANTED)} materials")
    assert missed == []


def test_findings_in_planted_materials_are_planted_ones() -> None:
    """Beyond recall: nothing else in the planted materials is reported (precision there)."""
    extra = []
    for material in PLANTED:
        for f in findings_of(material.id):
            if not any(f.start < p.end and p.start < f.end for p in material.planted):
                extra.append(f"{material.id}: {f.kind} {material.text[f.start:f.end]!r}")
    assert extra == []


@pytest.mark.parametrize("with_known", [True, False], ids=["with-known", "without-known"])
def test_false_positives_on_clean_text(with_known: bool) -> None:
    words = sum(len(m.text.split()) for m in CLEAN)
    found = [
        f"{m.id}: {f.kind} {m.text[f.start:f.end]!r}"
        for m in CLEAN
        for f in findings_of(m.id, with_known)
    ]
    print(f"\nfalse positives ({'with' if with_known else 'without'} known): {len(found)} in "
          f"{len(CLEAN)} clean materials, {words} words ({1000 * len(found) / words:.1f} per 1000 words)")
    assert found == []


def test_a_miss_is_reported() -> None:
    """The recall check can fail: an identifier the check cannot know is reported missing."""
    text, planted = parse_marked("The pupil [[Tomiris|known]] came.")
    material = Material("probe", "kk", (), text, planted, clean=False)
    assert misses(material) == ["probe: known 'Tomiris'"]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def test_false_positive_rate_on_the_products_own_clean_text() -> None:
    """A wider clean sample: the intervision formats and checklists (kk/ru/en) and the demo's
    free texts (kk/ru) hold no identifier; fewer than 1 finding per 1000 words is the bar."""
    import pcenter_lib.demo.texts as demo_texts
    from pcenter_lib.intervision import checklist_registry, format_registry

    texts = [t for f in format_registry().values()
             for t in _strings([f.name, f.summary, [(p.name, p.prompts) for p in f.phases]])]
    texts += [t for c in checklist_registry().values()
              for t in _strings([c.title, [i.text for i in c.items]])]
    texts += [t for name in dir(demo_texts) if name.isupper()
              for t in _strings(getattr(demo_texts, name)) if "{" not in t]  # fmt: skip
    words = sum(len(t.split()) for t in texts)
    joined = "\n\n".join(texts)  # one pass: the tagger is much faster on one long text
    found = [f"{f.kind} {joined[f.start:f.end]!r}" for f in find_identifiers(joined)]
    rate = 1000 * len(found) / words
    print(f"\nfalse positives on {len(texts)} product texts, {words} words: {len(found)} "
          f"({rate:.2f} per 1000 words): {found}")
    assert words > 2500 and rate < 1.0
