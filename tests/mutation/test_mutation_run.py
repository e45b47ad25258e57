"""The ``make mutation`` harness: which mutants count as text-only, and its list of modules.

The mutation run itself is slow and stays out of ``make test``; these checks are fast.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.mutation.mutation_run import (
    ROOT,
    Equivalent,
    ModuleResult,
    Mutant,
    classify,
    equivalence_of,
    load_config,
    render_table,
    select_modules,
)

ORIGINAL = '''
def x_check__mutmut_orig(value, zone):
    if value < 0:
        raise CheckError(N_("{value} is below 0; give {name}."), value=value, name="age")
    label = N_("Checked")
    return ZoneInfo("Asia/Almaty"), label, {"key": value}
'''


def _mutant(old: str, new: str) -> str:
    assert old in ORIGINAL
    return ORIGINAL.replace(old, new, 1).replace("mutmut_orig", "mutmut_7", 1)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('N_("{value} is below 0; give {name}.")', 'N_("XX{value} is below 0; give {name}.XX")'),
        ('N_("{value} is below 0; give {name}.")', "N_(None)"),
        ('name="age"', 'name="AGE"'),  # a literal inside the raise statement
        ('N_("Checked")', 'N_("checked")'),
    ],
)
def test_a_mutant_that_only_rewords_a_message_is_text_only(old: str, new: str) -> None:
    assert classify(ORIGINAL, _mutant(old, new)) == "text"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("value < 0", "value <= 0"),
        ("value < 0", "value < 1"),
        ('ZoneInfo("Asia/Almaty")', 'ZoneInfo("asia/almaty")'),  # a literal the rule uses
        ('{"key": value}', '{"XXkeyXX": value}'),
        ("value=value,", "value=None,"),  # the parameter a message names
        ("value=value, ", ""),  # a parameter dropped
        ("raise CheckError", "raise ValueError"),
    ],
)
def test_every_other_mutant_is_logic(old: str, new: str) -> None:
    assert classify(ORIGINAL, _mutant(old, new)) == "logic"


def test_the_listed_modules_and_tests_exist_and_the_threshold_is_95() -> None:
    config = load_config()
    assert config.threshold == 95.0
    assert "pcenter_lib/domain/deadlines.py" in config.modules
    for module, selection in config.modules.items():
        assert (ROOT / module).is_file(), module
        assert selection, module
        for argument in selection:
            target = argument.removeprefix("--deselect=").partition("::")[0]
            assert (ROOT / target).is_file(), (module, argument)
    for entry in config.equivalents:
        source = (ROOT / entry.module).read_text(encoding="utf-8")
        assert any(entry.line.search(line) for line in source.splitlines()), entry
        assert len(entry.reason) > 20, entry


def test_modules_are_picked_by_part_of_their_path() -> None:
    modules = load_config().modules
    assert list(select_modules(modules, ["iin"])) == ["pcenter_lib/domain/iin.py"]
    assert select_modules(modules, []) == modules
    with pytest.raises(SystemExit, match="nope"):
        select_modules(modules, ["nope"])


DIFF = """@@ -3,3 +3,3 @@
-    table = np.full(3, np.datetime64("NaT"))
+    table = np.full(3, np.datetime64("nat"))
"""


def test_only_a_survivor_on_a_line_listed_as_equivalent_is_equivalent() -> None:
    listed = [Equivalent("m.py", re.compile(r'np\.datetime64\("NaT"\)'), "NaT spelt otherwise")]
    survivor = Mutant("m.x_f__mutmut_1", "survived", "logic", DIFF)
    assert equivalence_of(survivor, "m.py", listed) == "NaT spelt otherwise"
    assert equivalence_of(survivor, "other.py", listed) is None
    killed = Mutant("m.x_f__mutmut_2", "killed", "logic", DIFF)
    assert equivalence_of(killed, "m.py", listed) is None
    elsewhere = Mutant("m.x_f__mutmut_3", "survived", "logic", DIFF.replace("NaT", "now"))
    assert equivalence_of(elsewhere, "m.py", listed) is None
    narrowed = [replace(listed[0], mutant=re.compile(r'"NAT"'))]
    assert equivalence_of(survivor, "m.py", narrowed) is None
    assert equivalence_of(
        replace(survivor, diff=DIFF.replace('"nat"', '"NAT"')), "m.py", narrowed
    ) == "NaT spelt otherwise"


def test_the_table_counts_logic_mutants_and_leaves_equivalent_survivors_out() -> None:
    result = ModuleResult(path="pcenter_lib/domain/iin.py", seconds=12.4)
    result.mutants += [Mutant(f"k{n}", "killed", "logic", "") for n in range(19)]
    result.mutants += [
        Mutant("s", "survived", "logic", ""),
        Mutant("e", "survived", "logic", "", equivalent="same result"),
        Mutant("t", "survived", "text", ""),
        Mutant("o", "timeout", "logic", ""),
    ]
    assert result.raw_score == pytest.approx(100 * 20 / 22)
    assert result.logic_score == pytest.approx(100 * 20 / 21)
    assert render_table([result]).splitlines()[-1] == (
        "| `domain/iin.py` | 23 | 1 | 22 | 20 | 1 | 1 | 90.9 % | 95.2 % | 12 s |"
    )
