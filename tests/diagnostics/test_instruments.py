"""Instrument files (data/instruments/*.yaml) and their loader (pcenter_lib.diagnostics.instruments).

The keys checked here are the published ones, written out by hand from
the instruments' publications: PHQ-9 (Kroenke, Spitzer, Williams, J Gen Intern Med 2001;16:606–613), GAD-7 (Spitzer, Kroenke, Williams, Löwe, Arch Intern Med 2006;166:1092–1097), SDQ (Goodman, J Child Psychol Psychiatry 1997;38:581–586; "Scoring the SDQ", sdqinfo.org).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pcenter_lib.diagnostics import (
    CONCERNS,
    InstrumentDefinitionError,
    UnknownInstrumentError,
    get_instrument,
    instrument_registry,
    load_instrument,
)
from pcenter_lib.diagnostics.instruments import PROBLEMS
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import catalog

LANGS = {"kk", "ru", "en"}

# A small valid instrument; the broken variants below each change one line of it.
MINI = """\
code: mini
version: "1"
name: {kk: Шағын, ru: Мини, en: Mini}
languages: [kk, ru, en]
licence:
  holder: test
  note: test only
  item_text_allowed: true
response_options:
  - {value: 0}
  - {value: 1}
  - {value: 2}
items:
  - id: item_1
    text: {en: First}
  - id: item_2
    reverse: true
  - id: item_3
scales:
  - code: part
    label: {kk: Бөлік, ru: Часть, en: Part}
    method: sum
    items: [item_1, item_2]
    range: [0, 4]
    proration: {min_answered: 1, source: test}
    norms:
      - source: test
        bands:
          - {code: low, range: [0, 1]}
          - {code: high, range: [2, 4]}
  - code: total
    label: {kk: Барлығы, ru: Итого, en: Total}
    method: sum_of_scales
    scales: [part]
    range: [0, 4]
band_labels:
  low: {kk: Төмен, ru: Низкий, en: Low}
  high: {kk: Жоғары, ru: Высокий, en: High}
critical_items:
  - {item: item_3, values: [2], concern: crisis}
"""


def write(tmp_path: Path, text: str, name: str = "mini") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_small_example_is_valid(tmp_path: Path) -> None:
    mini = load_instrument(write(tmp_path, MINI))
    assert mini.item_ids == ["item_1", "item_2", "item_3"]
    assert mini.template_columns() == ["item_1", "item_2", "item_3", "age", "sex"]
    assert [i.reverse for i in mini.items] == [False, True, False]
    assert mini.scale("part").min_answered == 1
    assert mini.scale("total").min_answered == 1  # one part, which must be scored
    assert mini.critical_items[0].concern == "crisis"
    assert len(mini.definition_sha256) == 64


# (text replaced, replacement, text of the line the error must name, words of the message)
BROKEN = [
    ('version: "1"', "version: [1", "name: {kk", "not valid YAML"),
    (
        "  note: test only",
        "  note: test only\n  colour: red",
        "colour: red",
        "unknown key 'colour'",
    ),
    ("    range: [0, 4]\n    proration", "    proration", "  - code: part", "'range' is missing"),
    ("  - id: item_2\n", "  - id: item_3\n", "  - id: item_3\n    reverse", "expected 'item_2'"),
    ("[2, 4]", "[3, 4]", "{code: high", "without gaps or overlaps"),
    ("{code: low, range: [0, 1]}", "{code: low, range: [0, 2]}", "{code: high", "without gaps"),
    ("[2, 4]", "[2, 3]", "{code: high", "cover [0, 4]"),
    ("[2, 4]", "[2, 5]", "{code: high", "cover [0, 4]"),
    (
        "    range: [0, 4]\n    proration",
        "    range: [0, 5]\n    proration",
        "range: [0, 5]",
        "[0, 4]",
    ),
    ("values: [2]", "values: [3]", "concern: crisis", "3 is not an answer value of item_3"),
    ("concern: crisis", "concern: sadness", "concern: sadness", "'sadness' is not one of"),
    ("code: mini", "code: maxi", "code: maxi", "must equal the file name 'mini'"),
    ("item_text_allowed: true", "item_text_allowed: false", "text: {en: First}", "licence"),
    ("{code: high, range: [2, 4]}", "{code: top, range: [2, 4]}", "code: top", "band_labels"),
    ("  holder: test", "  holder: test\n  holder: again", "holder: again", "given twice"),
    ("  - {value: 2}", "  - {value: 5}", "  - id: item_2", "symmetric"),
    ("{kk: Бөлік, ru: Часть, en: Part}", "{ru: Часть, en: Part}", "{ru: Часть", "'kk' is missing"),
    (
        "{min_answered: 1, source: test}",
        "{min_answered: 3, source: test}",
        "min_answered: 3",
        "1 and 2",
    ),
    ("    scales: [part]", "    scales: [later]", "    scales: [later]", "'later' is unknown"),
    ("item: item_3,", "item: item_9,", "item: item_9", "not an item"),
    ("languages: [kk, ru, en]", "languages: [ru]", "text: {en: First}", "'en' is not listed"),
    ("  - {value: 1}", "  - {value: 1}\n  - {value: 1}", "  - {value: 1}\n  - {value: 1}", "twice"),
    ('version: "1"', "version: 1", "version: 1", "expected a text"),
    ("{code: low, range: [0, 1]}", "{code: low, range: [1, 0]}", "[1, 0]", "is empty"),
    ("  - code: total", "  - code: item_1", "code: item_1", "used twice"),
    ("  - code: total", "  - code: total_band", "code: total_band", "not a usable code"),
]


@pytest.mark.parametrize(("old", "new", "bad_line", "words"), BROKEN)
def test_a_broken_file_names_its_line(
    tmp_path: Path, old: str, new: str, bad_line: str, words: str
) -> None:
    assert old in MINI
    text = MINI.replace(old, new, 1)
    expected_line = text[: text.index(bad_line)].count("\n") + 1
    if bad_line.startswith("  - {value: 1}\n"):  # the repeated value is the second of the two
        expected_line += 1
    path = write(tmp_path, text)
    with pytest.raises(InstrumentDefinitionError) as caught:
        load_instrument(path)
    error = caught.value
    assert isinstance(error, PcenterError)
    assert isinstance(error, ValueError)
    assert (error.file, error.line) == (str(path), expected_line), str(error)
    assert str(error).startswith(f"{path}, line {expected_line}: ")
    assert words in str(error)


def test_an_empty_file_is_reported_at_line_1(tmp_path: Path) -> None:
    with pytest.raises(InstrumentDefinitionError, match=r"line 1: the file is empty"):
        load_instrument(write(tmp_path, ""))


def test_a_list_where_a_mapping_belongs_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InstrumentDefinitionError, match=r"line 1: expected a mapping"):
        load_instrument(write(tmp_path, "- just\n- a list\n"))


def test_loader_errors_are_translated(tmp_path: Path) -> None:
    path = write(tmp_path, MINI.replace("concern: crisis", "concern: sadness"))
    with pytest.raises(InstrumentDefinitionError) as caught:
        load_instrument(path)
    line = caught.value.line
    assert caught.value.localized("ru").startswith(f"{path}, строка {line}: ")
    assert caught.value.localized("kk").startswith(f"{path}, {line}-жол: ")
    assert "sadness" in caught.value.localized("kk")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_loader_problem_is_translated(lang: str) -> None:
    translations = catalog(lang)
    assert [msgid for msgid in PROBLEMS.values() if msgid not in translations] == []


def test_merge_keys_are_followed_and_may_be_overridden(tmp_path: Path) -> None:
    text = MINI.replace(
        "      - source: test\n        bands:",
        "      - &norm\n        source: test\n        bands:",
    ).replace(
        "    range: [0, 4]\nband_labels:",
        "    range: [0, 4]\n    norms:\n      - <<: *norm\n        age: [10, 12]\nband_labels:",
    )
    total = load_instrument(write(tmp_path, text)).scale("total")
    assert (total.norms[0].age_low, total.norms[0].age_high) == (10, 12)
    assert [b.code for b in total.norms[0].bands] == ["low", "high"]


def test_the_registry_holds_the_shipped_instruments() -> None:
    registry = instrument_registry()
    assert {"phq9", "gad7", "sdq_self", "bully_check"} <= set(registry)
    assert instrument_registry() is registry  # cached
    assert get_instrument("phq9") is registry["phq9"]


def test_an_unknown_instrument_raises_and_lists_the_known_ones() -> None:
    with pytest.raises(UnknownInstrumentError) as caught:
        get_instrument("phq10")
    assert isinstance(caught.value, LookupError)
    assert "'phq10'" in str(caught.value)
    assert "gad7" in str(caught.value)
    assert caught.value.localized("ru").startswith("Неизвестная методика 'phq10'")


@pytest.mark.parametrize("code", ["phq9", "gad7", "sdq_self", "bully_check"])
def test_every_shipped_label_exists_in_three_languages(code: str) -> None:
    instrument = get_instrument(code)
    assert set(instrument.name) == LANGS
    for scale in instrument.scales:
        assert set(scale.label) == LANGS
        for band in scale.band_codes(tuple(instrument.band_labels)):
            assert set(instrument.band_labels[band]) == LANGS
        for norm in scale.norms:
            assert norm.source
    for rule in instrument.critical_items:
        assert rule.concern in CONCERNS


def test_phq9_key() -> None:
    phq9 = get_instrument("phq9")
    assert phq9.item_ids == [f"item_{n}" for n in range(1, 10)]
    assert all(item.values == (0, 1, 2, 3) and not item.reverse for item in phq9.items)
    total = phq9.scale("total")
    assert (total.low, total.high, total.min_answered) == (0, 27, 8)
    assert total.proration_configurable
    assert [(b.code, b.low, b.high) for b in total.norms[0].bands] == [
        ("minimal", 0, 4),
        ("mild", 5, 9),
        ("moderate", 10, 14),
        ("moderately_severe", 15, 19),
        ("severe", 20, 27),
    ]
    [rule] = phq9.critical_items
    assert (rule.item, rule.values, rule.concern) == ("item_9", (1, 2, 3), "suicidal")
    assert phq9.items[8].text["en"].startswith("Thoughts that you would be better off dead")


def test_gad7_key() -> None:
    gad7 = get_instrument("gad7")
    total = gad7.scale("total")
    assert (len(gad7.items), total.low, total.high, total.min_answered) == (7, 0, 21, 6)
    assert [(b.low, b.high) for b in total.norms[0].bands] == [(0, 4), (5, 9), (10, 14), (15, 21)]
    assert gad7.critical_items == ()


def test_sdq_self_key_without_item_texts() -> None:
    sdq = get_instrument("sdq_self")
    assert not sdq.item_text_allowed
    assert "Youthinmind" in sdq.licence_note
    assert all(item.text == {} for item in sdq.items)
    assert not sdq.verified  # the self-report cut-offs are marked [verify] in the reference
    reverse = [item.id for item in sdq.items if item.reverse]
    assert reverse == ["item_7", "item_11", "item_14", "item_21", "item_25"]
    members = {scale.code: [int(i.split("_")[1]) for i in scale.items] for scale in sdq.scales}
    assert members == {
        "emotional": [3, 8, 13, 16, 24],
        "conduct": [5, 7, 12, 18, 22],
        "hyperactivity": [2, 10, 15, 21, 25],
        "peer": [6, 11, 14, 19, 23],
        "prosocial": [1, 4, 9, 17, 20],
        "total": [],
    }
    assert sdq.scale("total").scales == ("emotional", "conduct", "hyperactivity", "peer")
    assert all(s.min_answered == 3 for s in sdq.scales if s.method == "sum")
    assert all(not n.verified for s in sdq.scales for n in s.norms)


def test_bully_check_is_a_center_instrument_with_texts() -> None:
    bully = get_instrument("bully_check")
    assert all(set(item.text) == LANGS for item in bully.items)
    assert [s.code for s in bully.scales] == ["bullying", "cyberbullying", "total"]
    assert {(r.item, r.concern) for r in bully.critical_items} == {
        ("item_9", "suicidal"),
        ("item_4", "violence"),
    }
